// Class names, the Summary view and the Statistics view against Chrome DevTools' own numbers
// (../shared/oracle, see its README). The first tests feed DevTools' per-node numbers (shallow
// size, retained size, dominator, distance) into libsnap's class code, so they check the class
// rules alone; the Analysis tests run libsnap end to end. Skipped when shared/ is absent.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/reader.hpp"
#include "test_support.hpp"

namespace {

using libsnap::ClassNames;
using libsnap::Snapshot;
using libsnap::test::shared_path;

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cols;
  std::stringstream ss(line);
  std::string col;
  while (std::getline(ss, col, '\t')) cols.push_back(col);
  return cols;
}

// s20.devtools.nodes.tsv.gz, one row per node in snapshot order.
struct OracleNodes {
  std::vector<std::uint32_t> id;
  std::vector<std::string> class_name;
  std::vector<std::uint32_t> shallow;
  std::vector<std::uint64_t> retained;
  std::vector<std::uint32_t> dominator_id;
  std::vector<std::int32_t> distance;
};

OracleNodes read_oracle_nodes(const std::string& path) {
  const libsnap::test::RunResult r = libsnap::test::run("zcat '" + path + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  OracleNodes o;
  std::stringstream in(r.out);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto c = split(line);
    if (c.size() != 8) {
      ADD_FAILURE() << "bad oracle row: " << line;
      continue;
    }
    o.id.push_back(static_cast<std::uint32_t>(std::stoul(c[0])));
    o.class_name.push_back(c[2]);
    o.shallow.push_back(static_cast<std::uint32_t>(std::stoul(c[4])));
    o.retained.push_back(std::stoull(c[5]));
    o.dominator_id.push_back(static_cast<std::uint32_t>(std::stoul(c[6])));
    o.distance.push_back(std::stoi(c[7]));
  }
  return o;
}

struct ClassRow {
  std::string name;
  std::uint64_t count = 0, shallow = 0, retained = 0;
  std::int64_t distance = 0;
  bool operator==(const ClassRow&) const = default;
};
std::ostream& operator<<(std::ostream& os, const ClassRow& r) {
  return os << r.name << " count=" << r.count << " shallow=" << r.shallow
            << " retained=" << r.retained << " distance=" << r.distance;
}

std::map<std::string, ClassRow> read_oracle_classes(const std::string& path) {
  std::map<std::string, ClassRow> rows;
  std::stringstream in(libsnap::test::read_file(path));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto c = split(line);
    if (c.size() != 6) {
      ADD_FAILURE() << "bad oracle row: " << line;
      continue;
    }
    rows[c[0]] = {c[1], std::stoull(c[2]), std::stoull(c[3]), std::stoull(c[4]), std::stoll(c[5])};
  }
  return rows;
}

std::map<std::string, ClassRow> ours(const ClassNames& c,
                                     const std::vector<libsnap::ClassAggregate>& summary) {
  std::map<std::string, ClassRow> rows;
  for (const auto& a : summary) {
    EXPECT_TRUE(rows.find(c.key[a.class_index]) == rows.end())
        << "duplicate key " << c.key[a.class_index];
    rows[c.key[a.class_index]] = {c.name[a.class_index], a.count, a.shallow_size, a.retained_size,
                                  a.min_distance};
  }
  return rows;
}

// Row-for-row equality, with every difference reported.
void expect_same_classes(const std::map<std::string, ClassRow>& expected,
                         const std::map<std::string, ClassRow>& actual) {
  int shown = 0;
  for (const auto& [key, row] : expected) {
    auto it = actual.find(key);
    if (it == actual.end()) {
      ADD_FAILURE() << "missing class " << key << ": " << row;
    } else if (!(it->second == row)) {
      ADD_FAILURE() << "class " << key << ": expected " << row << ", got " << it->second;
    } else {
      continue;
    }
    if (++shown > 20) return;
  }
  for (const auto& [key, row] : actual)
    if (!expected.count(key)) ADD_FAILURE() << "extra class " << key << ": " << row;
  EXPECT_EQ(expected.size(), actual.size());
}

std::uint64_t json_number(const std::string& json, const std::string& path_regex) {
  std::smatch m;
  if (!std::regex_search(json, m, std::regex(path_regex + R"(\s*:\s*(\d+))"))) {
    ADD_FAILURE() << "no " << path_regex << " in summary.json";
    return 0;
  }
  return std::stoull(m[1]);
}

class S20 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string snap = shared_path("oracle/s20.heapsnapshot.gz");
    if (snap.empty()) return;
    snapshot_ = std::make_unique<Snapshot>(libsnap::load(snap));
    oracle_ = std::make_unique<OracleNodes>(
        read_oracle_nodes(shared_path("oracle/s20.devtools.nodes.tsv.gz")));
  }
  static void TearDownTestSuite() {
    snapshot_.reset();
    oracle_.reset();
  }
  void SetUp() override {
    if (!snapshot_) GTEST_SKIP() << "../shared/oracle is not available";
    ASSERT_EQ(oracle_->id.size(), snapshot_->node_count());
  }

  // DevTools' dominator tree, from the oracle's per-node numbers.
  static libsnap::DominatorTree oracle_tree() {
    const Snapshot& s = *snapshot_;
    const std::uint32_t n = s.node_count();
    std::map<std::uint32_t, std::uint32_t> ordinal_of;
    for (std::uint32_t v = 0; v < n; ++v) ordinal_of[s.node_id(v)] = v;
    libsnap::DominatorTree t;
    t.idom.resize(n);
    t.retained_size = oracle_->retained;
    for (std::uint32_t v = 0; v < n; ++v) t.idom[v] = ordinal_of.at(oracle_->dominator_id[v]);
    t.first_dominated.assign(n + 1, 0);
    for (std::uint32_t v = 0; v < n; ++v)
      if (v != s.root()) ++t.first_dominated[t.idom[v] + 1];
    for (std::uint32_t v = 0; v < n; ++v) t.first_dominated[v + 1] += t.first_dominated[v];
    t.dominated.resize(t.first_dominated[n]);
    std::vector<std::uint32_t> fill(t.first_dominated.begin(), t.first_dominated.end() - 1);
    for (std::uint32_t v = 0; v < n; ++v)
      if (v != s.root()) t.dominated[fill[t.idom[v]]++] = v;
    return t;
  }

  static inline std::unique_ptr<Snapshot> snapshot_;
  static inline std::unique_ptr<OracleNodes> oracle_;
};

TEST_F(S20, EveryNodesClassNameMatchesDevTools) {
  const Snapshot& s = *snapshot_;
  for (std::uint32_t v = 0; v < s.node_count(); ++v) ASSERT_EQ(s.node_id(v), oracle_->id[v]);
  const ClassNames c =
      libsnap::compute_class_names(s, libsnap::propagate_detachedness(s), libsnap::Naming::kLatest);
  std::uint32_t mismatches = 0;
  for (std::uint32_t v = 0; v < s.node_count(); ++v) {
    if (c.name[c.class_of[v]] == oracle_->class_name[v]) continue;
    if (++mismatches <= 10)
      ADD_FAILURE() << "node @" << s.node_id(v) << " (" << s.node_type_name(v) << " '"
                    << s.node_name(v) << "'): expected class '" << oracle_->class_name[v]
                    << "', got '" << c.name[c.class_of[v]] << "'";
  }
  EXPECT_EQ(mismatches, 0u) << "of " << s.node_count() << " nodes";
}

TEST_F(S20, SummaryFromDevToolsNodeNumbersMatchesDevTools) {
  const Snapshot& s = *snapshot_;
  const ClassNames c =
      libsnap::compute_class_names(s, libsnap::propagate_detachedness(s), libsnap::Naming::kLatest);
  const auto summary =
      libsnap::aggregate_classes(s, c, oracle_->shallow, oracle_tree(), oracle_->distance);
  expect_same_classes(read_oracle_classes(shared_path("oracle/s20.devtools.classes.tsv")),
                      ours(c, summary));
}

TEST_F(S20, StatisticsFromDevToolsNodeNumbersMatchDevTools) {
  const Snapshot& s = *snapshot_;
  const auto st = libsnap::compute_statistics(s, oracle_->shallow, oracle_tree(),
                                              libsnap::propagate_detachedness(s));
  const std::string json =
      libsnap::test::read_file(shared_path("oracle/s20.devtools.summary.json"));
  EXPECT_EQ(st.total, json_number(json, R"("statistics"\s*:\s*\{\s*"total")"));
  EXPECT_EQ(st.native_total, json_number(json, R"("native"\s*:\s*\{\s*"total")"));
  EXPECT_EQ(st.typed_arrays, json_number(json, R"("typedArrays")"));
  EXPECT_EQ(st.v8heap_total, json_number(json, R"("v8heap"\s*:\s*\{\s*"total")"));
  EXPECT_EQ(st.code, json_number(json, R"("code")"));
  EXPECT_EQ(st.js_arrays, json_number(json, R"("jsArrays")"));
  EXPECT_EQ(st.strings, json_number(json, R"("strings")"));
  EXPECT_EQ(st.system, json_number(json, R"("system")"));
}

// End to end: libsnap's own distances, shallow sizes and dominators feed the Summary.
TEST_F(S20, AnalyzeSummaryAndStatisticsMatchDevTools) {
  const libsnap::Analysis a = libsnap::analyze(*snapshot_);
  expect_same_classes(read_oracle_classes(shared_path("oracle/s20.devtools.classes.tsv")),
                      ours(a.classes, a.summary));
  const std::string json =
      libsnap::test::read_file(shared_path("oracle/s20.devtools.summary.json"));
  EXPECT_EQ(a.summary.size(), json_number(json, R"("classes")"));
  EXPECT_EQ(a.statistics.total, json_number(json, R"("statistics"\s*:\s*\{\s*"total")"));
  EXPECT_EQ(a.statistics.native_total, json_number(json, R"("native"\s*:\s*\{\s*"total")"));
  EXPECT_EQ(a.statistics.typed_arrays, json_number(json, R"("typedArrays")"));
  EXPECT_EQ(a.statistics.v8heap_total, json_number(json, R"("v8heap"\s*:\s*\{\s*"total")"));
  EXPECT_EQ(a.statistics.code, json_number(json, R"("code")"));
  EXPECT_EQ(a.statistics.js_arrays, json_number(json, R"("jsArrays")"));
  EXPECT_EQ(a.statistics.strings, json_number(json, R"("strings")"));
  EXPECT_EQ(a.statistics.system, json_number(json, R"("system")"));
  // Per node, the analysis agrees with what the Summary was built from.
  for (std::uint32_t v = 0; v < snapshot_->node_count(); ++v) {
    ASSERT_EQ(a.classes.name[a.classes.class_of[v]], oracle_->class_name[v])
        << "node @" << oracle_->id[v];
    ASSERT_EQ(a.dominators.retained_size[v], oracle_->retained[v]) << "node @" << oracle_->id[v];
  }
}

void expect_summary_matches(const std::string& snapshot, const std::string& classes) {
  const std::string path = shared_path("oracle/" + snapshot);
  if (path.empty()) GTEST_SKIP() << "../shared/oracle is not available";
  const Snapshot s = libsnap::load(path);
  const libsnap::Analysis a = libsnap::analyze(s);
  expect_same_classes(read_oracle_classes(shared_path("oracle/" + classes)),
                      ours(a.classes, a.summary));
}

TEST(Diff20, SummaryOfAMatchesDevTools) {
  expect_summary_matches("diff20-a.heapsnapshot.gz", "diff20.a.devtools.classes.tsv");
}

TEST(Diff20, SummaryOfBMatchesDevTools) {
  expect_summary_matches("diff20-b.heapsnapshot.gz", "diff20.b.devtools.classes.tsv");
}

// With raw sizes (no reattribution), DevTools' numbers come from s20.devtools-raw.nodes.tsv.gz.
TEST_F(S20, AnalyzeWithRawSizesMatchesDevToolsRawNumbers) {
  const Snapshot& s = *snapshot_;
  libsnap::AnalysisOptions options;
  options.raw_sizes = true;
  const libsnap::Analysis a = libsnap::analyze(s, options);
  const OracleNodes raw = read_oracle_nodes(shared_path("oracle/s20.devtools-raw.nodes.tsv.gz"));
  ASSERT_EQ(raw.id.size(), s.node_count());
  for (std::uint32_t v = 0; v < s.node_count(); ++v) {
    ASSERT_EQ(a.shallow_size[v], raw.shallow[v]) << "node @" << raw.id[v];
    ASSERT_EQ(a.dominators.retained_size[v], raw.retained[v]) << "node @" << raw.id[v];
  }
  // The Summary of those numbers, computed from DevTools' own per-node values, is ours.
  libsnap::DominatorTree t = oracle_tree();
  t.retained_size = raw.retained;
  const auto expected = aggregate_classes(s, a.classes, raw.shallow, t, raw.distance);
  EXPECT_EQ(ours(a.classes, expected), ours(a.classes, a.summary));
  EXPECT_EQ(a.statistics.total, 15635909u);
}

}  // namespace
