// Real producers: the fixtures/snapshots/ files written by node 20, 22, 24 and 26 (V8 11.3 to 14.6)
// must load with exactly what JSON.parse in node finds in them (fixtures/snapshots/expected.tsv,
// written by expected.js), and the shared oracle snapshot with its known counts.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "libsnap/reader.hpp"
#include "libsnap/snapshot.hpp"
#include "test_support.hpp"

namespace {

using libsnap::FormatGeneration;
using libsnap::Snapshot;
using libsnap::test::source_path;

// expected.tsv: "FILE\tKEY\tVALUE[\tVALUE2]" lines; '#' starts a comment line.
struct Fact {
  std::string key;
  std::string value;
  std::string value2;
};
using Facts = std::vector<Fact>;

const std::map<std::string, Facts>& all_facts() {
  static const std::map<std::string, Facts> facts = [] {
    std::map<std::string, Facts> result;
    std::ifstream in(source_path("fixtures/snapshots/expected.tsv"));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> cols;
      std::stringstream ss(line);
      std::string col;
      while (std::getline(ss, col, '\t')) cols.push_back(col);
      if (cols.size() < 3) continue;
      result[cols[0]].push_back({cols[1], cols[2], cols.size() > 3 ? cols[3] : ""});
    }
    return result;
  }();
  return facts;
}

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out;
}

class ProducerTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string file() const { return GetParam() + ".heapsnapshot.gz"; }

  const Facts& facts() const {
    auto it = all_facts().find(file());
    if (it == all_facts().end()) {
      static const Facts none;
      return none;
    }
    return it->second;
  }

  // The single value of `key`; fails the test when it is missing.
  std::string fact(const std::string& key) const {
    for (const Fact& f : facts()) {
      if (f.key == key) return f.value;
    }
    ADD_FAILURE() << "expected.tsv has no " << key << " for " << file();
    return "";
  }
  std::uint64_t number(const std::string& key) const {
    std::string v = fact(key);
    return v.empty() ? ~std::uint64_t{0} : std::stoull(v);
  }
  // (hex-decoded value, count) of every `key` line.
  std::vector<std::pair<std::string, std::uint64_t>> counts(const std::string& key) const {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    for (const Fact& f : facts()) {
      if (f.key == key) out.emplace_back(unhex(f.value), std::stoull(f.value2));
    }
    return out;
  }

  // Each fixture is loaded once and shared by the tests of this suite.
  const Snapshot& snapshot() const {
    static std::map<std::string, Snapshot> cache;
    auto it = cache.find(file());
    if (it == cache.end()) {
      it = cache.emplace(file(), libsnap::load(source_path("fixtures/snapshots/" + file()))).first;
    }
    return it->second;
  }

  void SetUp() override {
    ASSERT_FALSE(facts().empty()) << file() << " is not in fixtures/snapshots/expected.tsv";
  }
};

TEST_P(ProducerTest, CountsMatchJsonParse) {
  const Snapshot& s = snapshot();
  EXPECT_EQ(s.node_count(), number("node_count"));
  EXPECT_EQ(s.edge_count(), number("edge_count"));
  EXPECT_EQ(s.string_count(), number("string_count"));
  EXPECT_EQ(s.meta().node_count, s.node_count());
  EXPECT_EQ(s.meta().edge_count, s.edge_count());
  EXPECT_EQ(s.meta().trace_function_count, number("trace_function_count"));
  ASSERT_EQ(s.first_edges().size(), std::size_t{s.node_count()} + 1);
  EXPECT_EQ(s.first_edge(0), 0u);
  EXPECT_EQ(s.first_edge(s.node_count()), s.edge_count());
}

TEST_P(ProducerTest, LayoutAndGeneration) {
  const Snapshot& s = snapshot();
  const libsnap::SnapshotMeta& meta = s.meta();
  EXPECT_EQ(join(meta.node_fields), fact("node_fields"));
  EXPECT_EQ(join(meta.node_type_names), fact("node_types"));
  EXPECT_EQ(meta.node_type_names.size(), number("node_type_count"));
  EXPECT_EQ(join(meta.edge_fields), fact("edge_fields"));
  EXPECT_EQ(join(meta.edge_type_names), fact("edge_types"));

  // What FORMAT.md's producers table says, independently of the facts file.
  const std::uint64_t major = number("node_major");
  const bool newest = major >= 24;
  EXPECT_EQ(meta.node_fields.size(), newest ? 6u : 7u);
  bool has_trace_node_id = false;
  for (const std::string& f : meta.node_fields) has_trace_node_id |= f == "trace_node_id";
  EXPECT_EQ(has_trace_node_id, !newest);
  EXPECT_EQ(meta.generation,
            newest ? FormatGeneration::kV8_13_plus : FormatGeneration::kV8_11_to_12);

  const std::string extra = fact("extra_native_bytes");
  EXPECT_EQ(meta.has_extra_native_bytes, extra != "-");
  EXPECT_EQ(meta.has_extra_native_bytes, newest);
  if (extra != "-") {
    EXPECT_EQ(meta.extra_native_bytes, std::stoull(extra));
  }
  EXPECT_EQ(s.root(), 0u);
}

TEST_P(ProducerTest, NodeColumnsMatchJsonParse) {
  const Snapshot& s = snapshot();
  std::uint64_t sum_ids = 0;
  std::map<std::string, std::uint64_t, std::less<>> of_type;
  for (libsnap::NodeOrdinal n = 0; n < s.node_count(); ++n) {
    sum_ids += s.node_id(n);
    ++of_type[std::string(s.node_type_name(n))];
  }
  EXPECT_EQ(s.total_self_size(), number("total_self_size"));
  EXPECT_EQ(sum_ids, number("sum_node_ids"));
  const auto expected = counts("nodes_of_type");
  EXPECT_FALSE(expected.empty());
  for (const auto& [type, count] : expected) {
    EXPECT_EQ(of_type[type], count) << "nodes of type " << type;
  }
  // No node has a type the header does not list.
  std::uint64_t listed = 0;
  for (const auto& [type, count] : expected) listed += count;
  EXPECT_EQ(listed, s.node_count());
}

TEST_P(ProducerTest, EdgeColumnsMatchJsonParse) {
  const Snapshot& s = snapshot();
  std::uint64_t sum_targets = 0;
  std::uint64_t sum_indices = 0;
  std::map<std::string, std::uint64_t, std::less<>> of_type;
  for (libsnap::EdgeIndex e = 0; e < s.edge_count(); ++e) {
    sum_targets += s.edge_target(e);
    ASSERT_LT(s.edge_target(e), s.node_count());
    if (libsnap::edge_type_has_index(s.edge_type(e))) sum_indices += s.edge_name_or_index(e);
    ++of_type[std::string(s.edge_type_name(e))];
  }
  EXPECT_EQ(sum_targets, number("sum_edge_targets"));
  EXPECT_EQ(sum_indices, number("sum_edge_indices"));
  const auto expected = counts("edges_of_type");
  EXPECT_FALSE(expected.empty());
  for (const auto& [type, count] : expected) {
    EXPECT_EQ(of_type[type], count) << "edges of type " << type;
  }
}

TEST_P(ProducerTest, NamedObjectsAndClosures) {
  const Snapshot& s = snapshot();
  std::map<std::string, std::uint64_t, std::less<>> objects;
  std::map<std::string, std::uint64_t, std::less<>> closures;
  for (libsnap::NodeOrdinal n = 0; n < s.node_count(); ++n) {
    if (s.node_type(n) == libsnap::NodeType::kObject) ++objects[std::string(s.node_name(n))];
    if (s.node_type(n) == libsnap::NodeType::kClosure) ++closures[std::string(s.node_name(n))];
  }
  const auto expected_objects = counts("objects_named");
  ASSERT_FALSE(expected_objects.empty());
  for (const auto& [name, count] : expected_objects) {
    EXPECT_EQ(objects[name], count) << "objects named " << name;
  }
  // program.js makes 5 circles, 7 rects and 10 list nodes: the facts must say so too.
  EXPECT_EQ(objects["FixtureCircle"], 5u);
  EXPECT_EQ(objects["FixtureRect"], 7u);
  EXPECT_EQ(objects["FixtureNode"], 10u);
  for (const auto& [name, count] : counts("closures_named")) {
    EXPECT_EQ(closures[name], count) << "closures named " << name;
  }
  EXPECT_EQ(closures["fixtureCounter"], 3u);
}

TEST_P(ProducerTest, StringsDecodeLikeJsonParse) {
  const Snapshot& s = snapshot();
  std::uint64_t bytes = 0;
  std::uint64_t longest = 0;
  std::uint32_t hash = 0x811c9dc5u;
  std::map<std::string, bool, std::less<>> present;
  std::vector<std::string> wanted;
  for (const Fact& f : facts()) {
    if (f.key == "has_string") {
      wanted.push_back(unhex(f.value2));
      present[wanted.back()] = false;
    }
  }
  ASSERT_GE(wanted.size(), 6u);
  for (libsnap::StringIndex i = 0; i < s.string_count(); ++i) {
    std::string_view str = s.string(i);
    bytes += str.size();
    longest = std::max<std::uint64_t>(longest, str.size());
    for (unsigned char c : str) hash = (hash ^ c) * 0x01000193u;
    hash = (hash ^ 0u) * 0x01000193u;
    auto it = present.find(str);
    if (it != present.end()) it->second = true;
  }
  EXPECT_EQ(bytes, number("strings_utf8_bytes"));
  EXPECT_EQ(longest, number("longest_string_utf8_bytes"));
  EXPECT_EQ(hash, number("strings_fnv1a32"));
  for (const std::string& w : wanted) EXPECT_TRUE(present[w]) << "missing string " << w;
  // The two oddities of V8's writer, spelled out: U+1F600 becomes U+F600, a lone surrogate "???".
  EXPECT_TRUE(present["emoji \xEF\x98\x80 smile"]);
  EXPECT_TRUE(present["lone ??? surrogate"]);
  EXPECT_TRUE(present["h\xC3\xA9llo"]);
}

// End to end: `analyzer info --json` reports the same counts (the keys issue 2 fixes).
TEST_P(ProducerTest, AnalyzerInfoJsonReportsTheCounts) {
  const std::string analyzer = libsnap::test::bin_path("analyzer");
  ASSERT_TRUE(std::ifstream(analyzer).good()) << analyzer << " is not built";
  const libsnap::test::RunResult r = libsnap::test::run(
      "'" + analyzer + "' info --json '" + source_path("fixtures/snapshots/" + file()) + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* key : {"node_count", "edge_count", "string_count", "total_self_size"}) {
    // (Built by appending: GCC 12 warns falsely on `"..." + std::string` here.)
    std::string pattern = "\"";
    pattern.append(key).append("\"\\s*:\\s*").append(fact(key)).append("[,}\\s]");
    const std::regex re(pattern);
    EXPECT_TRUE(std::regex_search(r.out, re)) << key << " " << fact(key) << " not in " << r.out;
  }
}

INSTANTIATE_TEST_SUITE_P(Node, ProducerTest,
                         ::testing::Values("node20", "node22", "node24", "node26"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(Producers, FactsCoverEveryProducer) {
  std::vector<std::string> files;
  for (const auto& [file, facts] : all_facts()) files.push_back(file);
  EXPECT_EQ(join(files),
            "node20.heapsnapshot.gz,node22.heapsnapshot.gz,node24.heapsnapshot.gz,"
            "node26.heapsnapshot.gz");
}

TEST(Producers, OracleSnapshotCounts) {
  const std::string path = libsnap::test::shared_path("oracle/s20.heapsnapshot.gz");
  if (path.empty() || !std::ifstream(path)) GTEST_SKIP() << "shared/oracle is not available";
  const Snapshot s = libsnap::load(path);
  EXPECT_EQ(s.node_count(), 243512u);
  EXPECT_EQ(s.edge_count(), 835275u);
  EXPECT_EQ(s.first_edge(s.node_count()), 835275u);
  EXPECT_EQ(s.meta().node_fields.size(), 7u);
  EXPECT_EQ(s.meta().generation, FormatGeneration::kV8_11_to_12);
}

}  // namespace
