// End to end: `analyzer summary`, `stats` and `dominators` on the DevTools oracle snapshot, and
// their usage errors. Skipped when ../shared is absent (the usage tests always run).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using libsnap::test::bin_path;
using libsnap::test::run;
using libsnap::test::shared_path;

struct Row {
  std::string key, name;
  std::uint64_t count = 0, shallow = 0, retained = 0;
  std::int64_t distance = 0;
};

std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out += s[i];
  }
  return out;
}

// The "classes" rows of `analyzer summary --json`, in order.
std::vector<Row> json_rows(const std::string& json) {
  static const std::regex row(
      R"re(\{"key":"((?:[^"\\]|\\.)*)","name":"((?:[^"\\]|\\.)*)","count":(\d+),"shallow_size":(\d+),"retained_size":(\d+),"distance":(-?\d+)\})re");
  std::vector<Row> rows;
  for (auto it = std::sregex_iterator(json.begin(), json.end(), row); it != std::sregex_iterator();
       ++it) {
    const std::smatch& m = *it;
    rows.push_back({unescape(m[1]), unescape(m[2]), std::stoull(m[3]), std::stoull(m[4]),
                    std::stoull(m[5]), std::stoll(m[6])});
  }
  return rows;
}

// The oracle's Summary, in its order (retained size, descending).
std::vector<Row> oracle_rows(const std::string& tsv) {
  std::vector<Row> rows;
  std::stringstream in(libsnap::test::read_file(tsv));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> c;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) c.push_back(col);
    rows.push_back(
        {c[0], c[1], std::stoull(c[2]), std::stoull(c[3]), std::stoull(c[4]), std::stoll(c[5])});
  }
  return rows;
}

bool same(const Row& a, const Row& b) {
  return a.key == b.key && a.name == b.name && a.count == b.count && a.shallow == b.shallow &&
         a.retained == b.retained && a.distance == b.distance;
}

std::uint64_t total_size(const std::string& json) {
  std::smatch m;
  return std::regex_search(json, m, std::regex(R"("total_size":(\d+))")) ? std::stoull(m[1]) : 0;
}

class CliSummary : public ::testing::Test {
 protected:
  void SetUp() override {
    snapshot_ = shared_path("oracle/s20.heapsnapshot.gz");
    if (snapshot_.empty()) GTEST_SKIP() << "../shared/oracle is not available";
  }
  libsnap::test::RunResult analyzer(const std::string& args) {
    return run(bin_path("analyzer") + " " + args);
  }
  std::string snapshot_;
};

TEST_F(CliSummary, JsonEqualsTheDevToolsSummary) {
  const auto expected = oracle_rows(shared_path("oracle/s20.devtools.classes.tsv"));
  const auto all = analyzer("summary " + snapshot_ + " --json --top 0");
  ASSERT_EQ(all.exit_code, 0) << all.err;
  const auto rows = json_rows(all.out);
  ASSERT_EQ(rows.size(), expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    // The oracle lists ties in retained size by key, as analyzer does.
    EXPECT_TRUE(same(rows[i], expected[i]))
        << "row " << i << ": " << rows[i].key << " vs " << expected[i].key;
  }
  EXPECT_EQ(total_size(all.out), 15635909u);

  const auto top = analyzer("summary " + snapshot_ + " --json");  // the top 20 by default
  ASSERT_EQ(top.exit_code, 0) << top.err;
  const auto top_rows = json_rows(top.out);
  ASSERT_EQ(top_rows.size(), 20u);
  for (std::size_t i = 0; i < top_rows.size(); ++i)
    EXPECT_TRUE(same(top_rows[i], expected[i])) << i;
  EXPECT_EQ(json_rows(analyzer("summary " + snapshot_ + " --json --top 3").out).size(), 3u);
}

TEST_F(CliSummary, SortFilterAndTop) {
  auto rows_of = [&](const std::string& args) {
    const auto r = analyzer("summary " + snapshot_ + " --json --top 0 " + args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json_rows(r.out);
  };
  const auto by_count = rows_of("--sort count");
  ASSERT_EQ(by_count.size(), 178u);
  for (std::size_t i = 1; i < by_count.size(); ++i)
    EXPECT_GE(by_count[i - 1].count, by_count[i].count);
  EXPECT_EQ(by_count.front().name, "(string)");
  const auto by_shallow = rows_of("--sort shallow");
  for (std::size_t i = 1; i < by_shallow.size(); ++i)
    EXPECT_GE(by_shallow[i - 1].shallow, by_shallow[i].shallow);
  const auto by_distance = rows_of("--sort distance");
  for (std::size_t i = 1; i < by_distance.size(); ++i)
    EXPECT_LE(by_distance[i - 1].distance, by_distance[i].distance);

  const auto detached = rows_of("--filter '^Detached '");
  std::size_t expected = 0;
  for (const auto& r : oracle_rows(shared_path("oracle/s20.devtools.classes.tsv")))
    expected += r.name.rfind("Detached ", 0) == 0;
  ASSERT_GT(expected, 0u);
  EXPECT_EQ(detached.size(), expected);
  for (const auto& r : detached) EXPECT_EQ(r.name.rfind("Detached ", 0), 0u) << r.name;

  const auto two =
      analyzer("summary " + snapshot_ + " --json --filter Detached --sort count --top 2");
  EXPECT_EQ(json_rows(two.out).size(), 2u);

  // Text output: a header and the requested rows.
  const auto text = analyzer("summary " + snapshot_ + " --top 5");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Constructor"), std::string::npos);
  EXPECT_NE(text.out.find("Function"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("5 of 178 classes shown"), std::string::npos) << text.out;
}

TEST_F(CliSummary, NamingAndRawSizes) {
  const auto old = analyzer("summary " + snapshot_ + " --json --top 0 --naming 2021");
  ASSERT_EQ(old.exit_code, 0) << old.err;
  bool closure = false, function = false, interface = false;
  for (const auto& r : json_rows(old.out)) {
    closure |= r.key == ",(closure)";
    function |= r.key == ",Function";
    interface |= r.name.rfind("{", 0) == 0;
  }
  EXPECT_TRUE(closure);
  EXPECT_FALSE(function);
  EXPECT_FALSE(interface);

  const auto raw = analyzer("summary " + snapshot_ + " --json --top 0 --raw-sizes");
  ASSERT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_EQ(total_size(raw.out), 15635909u);  // reattribution moves sizes, never changes the total
  std::uint64_t array_shallow = 0;
  for (const auto& r : json_rows(raw.out))
    if (r.key == ",(array)") array_shallow = r.shallow;
  EXPECT_GT(array_shallow, 319504u);  // the shown (reattributed) size of (array) in DevTools
}

TEST_F(CliSummary, StatsJsonEqualsDevTools) {
  const auto r = analyzer("stats " + snapshot_ + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      r.out,
      R"({"total":15635909,"native":{"total":667717,"typedArrays":658981},"v8heap":{"total":14968192,)"
      R"("code":1061616,"jsArrays":2929760,"strings":4414280,"system":82472}})"
      "\n");
  const auto text = analyzer("stats " + snapshot_);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("15,635,909"), std::string::npos) << text.out;
}

TEST_F(CliSummary, DominatorsTree) {
  const auto j = analyzer("dominators " + snapshot_ + " --json --top 3 --depth 2");
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(
      j.out.rfind(R"j({"total_size":15635909,"root":{"id":1,"class":"(synthetic)","name":"",)j", 0),
      0u)
      << j.out.substr(0, 200);
  // 1 root + 3 children + 9 grandchildren.
  const std::regex node(R"("id":\d+,"class")");
  EXPECT_EQ(
      std::distance(std::sregex_iterator(j.out.begin(), j.out.end(), node), std::sregex_iterator()),
      13);
  EXPECT_NE(j.out.find(R"("id":6049,"class":"global")"), std::string::npos);

  const auto t = analyzer("dominators " + snapshot_ + " --top 2 --depth 3");
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("global @6049"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("LRUCache @297875"), std::string::npos)
      << t.out;  // biggest under Object @73287
}

TEST(CliSummaryUsage, BadInputExitsTwoWithOneLine) {
  const std::string analyzer = bin_path("analyzer");
  for (const std::string args :
       {"summary /nonexistent.heapsnapshot", "stats /nonexistent.heapsnapshot",
        "dominators /nonexistent.heapsnapshot", "summary x.heapsnapshot --sort size",
        "summary x.heapsnapshot --naming 2019", "summary x.heapsnapshot --top -1", "summary",
        "dominators x.heapsnapshot --depth many"}) {
    const auto r = run(analyzer + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << args << ": " << r.err;
  }
  libsnap::test::TempDir dir;
  libsnap::test::write_file(dir.file("bad.heapsnapshot"), "{\"snapshot\": 42}");
  for (const std::string cmd : {"summary", "stats", "dominators"}) {
    const auto r = run(analyzer + " " + cmd + " " + dir.file("bad.heapsnapshot"));
    EXPECT_EQ(r.exit_code, 2) << cmd;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << cmd << ": " << r.err;
  }
  const auto regex = run(analyzer + " summary " + dir.file("bad.heapsnapshot") + " --filter '('");
  EXPECT_EQ(regex.exit_code, 2);
  EXPECT_NE(regex.err.find("--filter"), std::string::npos) << regex.err;
  for (const std::string cmd : {"summary", "stats", "dominators"}) {
    const auto help = run(analyzer + " " + cmd + " --help");
    EXPECT_EQ(help.exit_code, 0) << cmd;
    EXPECT_NE(help.out.find("Example:"), std::string::npos) << cmd;
  }
}

}  // namespace
