// `analyzer` on bad input and bad usage: exit code 2 and exactly one line on stderr that names the
// file; on a good file exit 0 and the counts in --json.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using libsnap::test::bin_path;
using libsnap::test::run;
using libsnap::test::RunResult;
using libsnap::test::source_path;
using libsnap::test::TempDir;
using libsnap::test::write_file;

using libsnap::test::quote;

RunResult analyzer(const std::string& args) {
  return run(quote(bin_path("analyzer")) + " " + args);
}

// One line, ending in a newline.
void expect_one_line(const std::string& err) {
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_FALSE(err.empty() || err.back() != '\n') << err;
}

// A valid minimal snapshot (3 nodes, 3 edges).
const std::string kGood =
    R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","detachedness"],)"
    R"("node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic"],"string","number","number","number","number"],)"
    R"("edge_fields":["type","name_or_index","to_node"],)"
    R"("edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"]},)"
    R"("node_count":3,"edge_count":3},)"
    R"("nodes":[9,0,1,0,2,0,3,1,3,16,1,0,5,2,5,32,0,0],"edges":[1,0,6,5,3,12,2,4,12],)"
    R"("strings":["","Object","f","x","y"]})";

TEST(CliBadInput, BadFilesExit2WithOneLine) {
  TempDir dir;
  struct Case {
    std::string name;
    std::string bytes;
    std::string expected;  // the whole stderr line after "analyzer: <path>", or "" to skip
  };
  const std::string truncated = kGood.substr(0, kGood.find("16,1") + 1);  // "...,1"
  std::string bad_string = kGood;
  bad_string.replace(bad_string.find("\"f\""), 3, "\"\\q\"");
  std::string bad_type = kGood;
  bad_type.replace(bad_type.find("[9,"), 3, "[99,");
  const std::vector<Case> cases = {
      {"empty.heapsnapshot", "", ": byte 0: empty file (expected a JSON heap snapshot)"},
      {"spaces.heapsnapshot", "   \n", ": byte 4: no JSON value (expected a heap snapshot object)"},
      {"text.heapsnapshot", "hello",
       ": byte 0: not a heap snapshot: expected '{' at the start of a JSON object"},
      {"array.heapsnapshot", "[]",
       ": byte 0: not a heap snapshot: expected '{' at the start of a JSON object"},
      {"truncated.heapsnapshot", truncated,
       ": byte " + std::to_string(truncated.size()) +
           ": nodes: unexpected end of file inside a number array (truncated file?)"},
      {"bad type.heapsnapshot", bad_type,
       ": byte " + std::to_string(kGood.find("[9,") + 1) +
           ": nodes: node type index 99 is out of range (meta.node_types has 10)"},
      {"bad-escape.heapsnapshot", bad_string, ""},
      {"garbage.heapsnapshot.gz", std::string("\x1f\x8b\x08\x00garbage", 11), ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = dir.file(c.name);
    write_file(path, c.bytes);
    const RunResult r = analyzer("info " + quote(path));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.out, "");
    expect_one_line(r.err);
    EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
    if (!c.expected.empty()) {
      EXPECT_EQ(r.err, "analyzer: " + path + c.expected + "\n");
    }
    // --json does not change how errors are reported.
    const RunResult j = analyzer("info --json " + quote(path));
    EXPECT_EQ(j.exit_code, 2);
    EXPECT_EQ(j.err, r.err);
  }
  {
    SCOPED_TRACE("missing file");
    const std::string path = dir.file("missing.heapsnapshot");
    const RunResult r = analyzer("info " + quote(path));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "analyzer: " + path + ": cannot open: No such file or directory\n");
  }
  {
    SCOPED_TRACE("directory");
    const RunResult r = analyzer("info " + quote(dir.path()));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "analyzer: " + dir.path() + ": is a directory, not a snapshot file\n");
  }
}

TEST(CliBadInput, GoodFileExit0WithCounts) {
  TempDir dir;
  const std::string path = dir.file("good.heapsnapshot");
  write_file(path, kGood);
  const RunResult r = analyzer("info --json " + quote(path));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"("node_count"\s*:\s*3\s*[,}])"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"("edge_count"\s*:\s*3\s*[,}])"))) << r.out;

  // The node 20 fixture, gzipped: the counts JSON.parse found (fixtures/snapshots/expected.tsv).
  const RunResult f =
      analyzer("info -q --json " + quote(source_path("fixtures/snapshots/node20.heapsnapshot.gz")));
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_TRUE(std::regex_search(f.out, std::regex(R"("node_count"\s*:\s*39527\s*[,}])"))) << f.out;
  EXPECT_TRUE(std::regex_search(f.out, std::regex(R"("edge_count"\s*:\s*179331\s*[,}])"))) << f.out;

  const RunResult t = analyzer("info " + quote(path));
  EXPECT_EQ(t.exit_code, 0) << t.err;
  EXPECT_FALSE(t.out.empty());
}

TEST(CliBadInput, UsageErrorsExit2) {
  for (const std::string args : {"", "info", "--no-such-option", "info --no-such-option x",
                                 "no-such-command x", "info a b"}) {
    SCOPED_TRACE("analyzer " + args);
    const RunResult r = analyzer(args);
    EXPECT_EQ(r.exit_code, 2);
    expect_one_line(r.err);
    EXPECT_EQ(r.err.rfind("analyzer: ", 0), 0u) << r.err;
  }
}

TEST(CliBadInput, HelpExit0WithExample) {
  const RunResult r = analyzer("info --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("analyzer info app.heapsnapshot"), std::string::npos) << r.out;
  const RunResult top = analyzer("--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("info"), std::string::npos) << top.out;
}

}  // namespace
