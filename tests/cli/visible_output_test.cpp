// Snapshot strings on the terminal (visible_output.hpp): ESC sequences, bidi overrides and other
// controls from a captured program are shown as escapes in every text command, while the JSON
// output still decodes to the exact strings.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>
#include <string>

#include "../../analyzer/visible_output.hpp"
#include "test_support.hpp"

namespace libsnap {
namespace {

using test::bin_path;
using test::quote;
using test::run;
using test::RunResult;
using test::TempDir;
using test::write_file;

TEST(VisibleOutput, FiltersAcrossWritesWithoutSplittingCharacters) {
  std::ostringstream sink;
  {
    const analyzer::VisibleOutput filter(sink);
    sink << "ok \x1b[31mred\x1b[0m \u202Eevil\n";
    sink << "\xC3";         // the first byte of "é" in one write ...
    sink << "\xA9 \xFF\n";  // ... the second in the next; then an invalid byte
    // Past the chunk size, with a 4-byte character across the chunk boundary.
    sink << std::string(64 * 1024 - 2, 'a') << "\xF0\x9F\x98\x80"
         << "\n";
  }
  const std::string out = sink.str();
  const std::string head = "ok \\u001B[31mred\\u001B[0m \\u202Eevil\n\xC3\xA9 \\xFF\n";
  EXPECT_EQ(out.substr(0, head.size()), head);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 5), "\xF0\x9F\x98\x80\n");
  EXPECT_EQ(out.size(), head.size() + 64 * 1024 - 2 + 5);
}

TEST(VisibleOutput, TextCommandsEscapeHostileNamesAndJsonKeepsThem) {
  if (run("command -v node").exit_code != 0) GTEST_SKIP() << "node not available";
  TempDir dir;
  const std::string snapshot = dir.file("hostile.heapsnapshot");
  write_file(dir.file("make.js"), R"JS(
const name = "Ev\x1b[2J\x1b]0;owned\x07il\u202Egnp.exe";
function make() { return class {}; }
const Hostile = make();
Object.defineProperty(Hostile.prototype, Symbol.toStringTag, { value: name });
globalThis.keep = { [name]: Array.from({ length: 50 }, () => new Hostile()) };
require("v8").writeHeapSnapshot(process.argv[2]);
)JS");
  ASSERT_EQ(run("node " + quote(dir.file("make.js")) + " " + quote(snapshot)).exit_code, 0);
  const std::string a = quote(bin_path("analyzer"));
  for (const std::string& command :
       {a + " summary " + quote(snapshot) + " --filter owned --quiet",
        a + " find " + quote(snapshot) + " --name owned --limit 3 --quiet",
        a + " dominators " + quote(snapshot) + " --quiet"}) {
    const RunResult r = run(command);
    EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.err;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << command;
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << command;
    EXPECT_EQ(r.out.find("\u202E"), std::string::npos) << command;
  }
  const RunResult text = run(a + " summary " + quote(snapshot) + " --filter owned --quiet");
  EXPECT_NE(text.out.find("Ev\\u001B[2J\\u001B]0;owned\\u0007il\\u202Egnp.exe"), std::string::npos)
      << text.out;

  const RunResult json = run(a + " summary " + quote(snapshot) + " --filter owned --json");
  ASSERT_EQ(json.exit_code, 0) << json.err;
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json.out);
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(padded).get(doc), simdjson::SUCCESS) << json.out;
  std::string_view name;
  ASSERT_EQ(doc["classes"].at(0)["name"].get(name), simdjson::SUCCESS) << json.out;
  EXPECT_EQ(name, "Ev\x1b[2J\x1b]0;owned\x07il\u202Egnp.exe");
}

}  // namespace
}  // namespace libsnap
