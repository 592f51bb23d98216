// The CI leak gate (issue 7): the config reader and its errors, glob patterns, escaping of
// untrusted text, and `analyzer gate` end to end on the fixture scenarios -- leaks fail with exit
// 1 and every report names the container and its path, healthy programs pass, bad input exits 2,
// a baseline turns known findings into a pass. SARIF is validated against the vendored official
// 2.1.0 schema, JUnit parsed with a real XML parser (Debian's python3: tools/setup installs
// python3-jsonschema).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "../../analyzer/cli_support.hpp"
#include "../../analyzer/gate_config.hpp"
#include "../../analyzer/text_escape.hpp"
#include "test_support.hpp"

namespace libsnap {
namespace {

namespace fs = std::filesystem;
using test::bin_path;
using test::captured_scenario;
using test::Producer;
using test::producer_available;
using test::quote;
using test::read_file;
using test::run;
using test::RunResult;
using test::source_path;
using test::TempDir;
using test::write_file;

// ---------------------------------------------------------------------------------------------
// Patterns and escaping

TEST(GateGlob, StarQuestionAndEscapes) {
  using analyzer::glob_match;
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("*Cache*", "cleanup.requestCache"));
  EXPECT_FALSE(glob_match("*Cache*", "cleanup.requestcache"));  // case matters
  EXPECT_TRUE(glob_match("Request?ontext", "RequestContext"));
  EXPECT_FALSE(glob_match("Request?ontext", "RequestCContext"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
  EXPECT_TRUE(glob_match("\\*literal", "*literal"));
  EXPECT_FALSE(glob_match("\\*literal", "xliteral"));
  EXPECT_TRUE(glob_match("{a, b}", "{a, b}"));
  // Linear on a pathological pattern (the two-pointer algorithm never backtracks twice).
  EXPECT_FALSE(glob_match(std::string(2000, '*') + "b", std::string(200000, 'a')));
}

TEST(GateEscape, ControlsBidiAndInvalidUtf8BecomeVisible) {
  using analyzer::visible_text;
  EXPECT_EQ(visible_text("plain é 日本"), "plain é 日本");
  EXPECT_EQ(visible_text("a\nb\tc\x1b[31m"), "a\\u000Ab\\u0009c\\u001B[31m");
  EXPECT_EQ(visible_text("abc\u202Edef\u2066x\u200F"), "abc\\u202Edef\\u2066x\\u200F");
  EXPECT_EQ(visible_text("\xC3\x28 \xE2\x82 \xF0\x9F\x98\x80"),
            "\\xC3( \\xE2\\x82 \xF0\x9F\x98\x80");
  EXPECT_EQ(visible_text("\xED\xA0\x80"), "\\xED\\xA0\\x80");  // a UTF-16 surrogate
  EXPECT_EQ(visible_text("a\nb", true), "a\nb");
  EXPECT_EQ(analyzer::xml_text("</x><y a=\"1\" b='2'>&"),
            "&lt;/x&gt;&lt;y a=&quot;1&quot; b=&apos;2&apos;&gt;&amp;");
  EXPECT_EQ(analyzer::markdown_text("<img src=x onerror=alert(1)> | [a](javascript:x) `c`"),
            "&lt;img src=x onerror=alert\\(1\\)&gt; \\| \\[a\\]\\(javascript\\:x\\) \\`c\\`");
}

// ---------------------------------------------------------------------------------------------
// The config

TEST(GateConfig, ReadsEveryBudgetWithDefaultsAndSizes) {
  const analyzer::GateConfig c = analyzer::parse_gate_config(R"({
    "min_snapshots": 4,
    "budgets": {
      "total": {"bytes_per_step": "1.5 MiB", "objects_per_step": 1e4},
      "classes": [{"class": "RequestContext", "objects_per_step": 0},
                  {"id": "any", "class": "*", "bytes_per_step": "64 KB", "severity": "warning"}],
      "containers": [{"path": "*Cache*", "objects_per_step": 10}],
      "unbounded_collections": {"entries_per_step": 5}
    },
    "ignore": [{"class": "Timeout", "reason": "timers"}, {"path": "*pool*", "class": "Conn", "reason": "pool"}]
  })",
                                                             "t.json");
  EXPECT_EQ(c.min_snapshots, 4u);
  ASSERT_EQ(c.rules.size(), 5u);
  EXPECT_EQ(c.rules[0].id, "total");
  EXPECT_EQ(*c.rules[0].bytes_per_step, 1572864);
  EXPECT_EQ(*c.rules[0].objects_per_step, 10000);
  EXPECT_EQ(c.rules[0].severity, analyzer::Severity::kError);
  EXPECT_EQ(c.rules[1].id, "class:RequestContext");
  EXPECT_EQ(*c.rules[1].objects_per_step, 0);
  EXPECT_FALSE(c.rules[1].bytes_per_step);
  EXPECT_EQ(c.rules[2].id, "any");
  EXPECT_EQ(*c.rules[2].bytes_per_step, 64000);
  EXPECT_EQ(c.rules[2].severity, analyzer::Severity::kWarning);
  EXPECT_EQ(c.rules[3].id, "container:*Cache*");
  EXPECT_EQ(c.rules[3].kind, analyzer::RuleKind::kContainer);
  EXPECT_EQ(c.rules[4].id, "unbounded-collections");
  EXPECT_EQ(*c.rules[4].objects_per_step, 5);
  ASSERT_EQ(c.ignore.size(), 2u);
  EXPECT_EQ(c.ignore[1].path_pattern, "*pool*");
  EXPECT_EQ(c.ignore[1].class_pattern, "Conn");
  EXPECT_EQ(c.ignore[1].reason, "pool");
}

TEST(GateConfig, ErrorsNameTheKeyAndWhatWasExpected) {
  struct Case {
    const char* json;
    const char* message;
  };
  const Case cases[] = {
      {"", "t.json: not valid JSON"},
      {"{\"budgets\": {\"total\": {\"bytes_per_step\": 1}}", "t.json: not valid JSON"},
      {"[]", "t.json: expected a JSON object at the top, got an array"},
      {"{}", "t.json: budgets: missing (expected an object)"},
      {"{\"budgets\": {}}", "t.json: budgets: no budget given"},
      {"{\"budget\": {}}",
       "t.json: budget: unknown key (expected one of: description, "
       "min_snapshots, budgets, ignore)"},
      {"{\"budgets\": {\"total\": {\"bytes_per_stp\": 1}}}",
       "t.json: budgets.total.bytes_per_stp: unknown key"},
      {"{\"budgets\": {\"total\": {\"severity\": \"error\"}}}",
       "t.json: budgets.total: expected a budget: objects_per_step, bytes_per_step or both"},
      {"{\"budgets\": {\"total\": {\"bytes_per_step\": -1}}}",
       "t.json: budgets.total.bytes_per_step: expected a non-negative integer or a size such as "
       "\"64 KiB\", got a number"},
      {"{\"budgets\": {\"total\": {\"bytes_per_step\": \"ten\"}}}",
       "t.json: budgets.total.bytes_per_step: expected a non-negative integer or a size such as "
       "\"64 KiB\", got \"ten\""},
      {"{\"budgets\": {\"total\": {\"objects_per_step\": 1.5}}}",
       "t.json: budgets.total.objects_per_step: expected a non-negative integer, got a number"},
      {"{\"budgets\": {\"total\": {\"objects_per_step\": \"5\"}}}",
       "t.json: budgets.total.objects_per_step: expected a non-negative integer, got \"5\""},
      {"{\"budgets\": {\"total\": {\"objects_per_step\": 1, \"severity\": \"fatal\"}}}",
       "t.json: budgets.total.severity: expected \"error\" or \"warning\", got \"fatal\""},
      {"{\"budgets\": {\"classes\": {}}}",
       "t.json: budgets.classes: expected an array of budgets, got an object"},
      {"{\"budgets\": {\"classes\": [{\"objects_per_step\": 1}]}}",
       "t.json: budgets.classes[0].class: missing (expected a non-empty string)"},
      {"{\"budgets\": {\"classes\": [{\"class\": \"A\", \"objects_per_step\": 1}, "
       "{\"class\": \"A\", \"bytes_per_step\": 1}]}}",
       "t.json: budgets: two budgets have the id \"class:A\""},
      {"{\"budgets\": {\"containers\": [{\"path\": \"\", \"objects_per_step\": 1}]}}",
       "t.json: budgets.containers[0].path: expected a non-empty string, got \"\""},
      {"{\"budgets\": {\"unbounded_collections\": {}}}",
       "t.json: budgets.unbounded_collections.entries_per_step: missing"},
      {"{\"budgets\": {\"total\": {\"objects_per_step\": 1}}, \"ignore\": [{\"class\": \"A\"}]}",
       "t.json: ignore[0].reason: missing (expected a non-empty string)"},
      {"{\"budgets\": {\"total\": {\"objects_per_step\": 1}}, \"ignore\": [{\"reason\": \"r\"}]}",
       "t.json: ignore[0]: expected \"class\" or \"path\" (a pattern), or both"},
      {"{\"budgets\": {\"total\": {\"objects_per_step\": 1}}, \"min_snapshots\": 2}",
       "t.json: min_snapshots: expected an integer from 3 to 10000"},
      {"{\"budgets\": {\"total\": {\"objects_per_step\": 1, \"objects_per_step\": 2}}}",
       "t.json: budgets.total.objects_per_step: duplicate key"},
      {"{\"budgets\": {\"total\": {\"objects_per_step\": 1}}, \"description\": \"\xff\"}",
       "t.json: not valid JSON: The input is not valid UTF-8"},
  };
  for (const Case& c : cases) {
    try {
      analyzer::parse_gate_config(c.json, "t.json");
      ADD_FAILURE() << "accepted: " << c.json;
    } catch (const analyzer::UsageError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(c.message, 0), 0u)
          << "config: " << c.json << "\n got: " << e.what() << "\nwant: " << c.message;
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// End to end

const std::string& example_config() {
  static const std::string path = source_path("fixtures/gate/gate.json");
  return path;
}

std::string analyzer_cmd() {
  return quote(bin_path("analyzer"));
}

RunResult gate(const std::string& args) {
  return run(analyzer_cmd() + " gate --quiet " + args);
}

RunResult python(const std::string& script, const std::string& args) {
  return run("/usr/bin/python3 " + quote(source_path("tests/gate/" + script)) + " " + args);
}

// Validates `sarif` against the vendored official schema; fails the test on any violation.
void expect_valid_sarif(const std::string& sarif) {
  const RunResult v =
      python("validate_sarif.py",
             quote(source_path("tests/gate/sarif-schema-2.1.0.json")) + " " + quote(sarif));
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_EQ(v.out, "valid\n") << v.out;
}

class GateLeak : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  }
};

// The leaky request cache fails: exit 1, and each report names the container and its path.
TEST_F(GateLeak, LeakFailsAndEveryReportNamesTheContainerAndPath) {
  const std::string& dir = captured_scenario(Producer::kNode, "leak-request-cache");
  TempDir out;
  const RunResult r =
      gate("--config " + quote(example_config()) + " --dir " + quote(dir) + " --junit " +
           quote(out.file("gate.xml")) + " --sarif " + quote(out.file("gate.sarif")) +
           " --markdown " + quote(out.file("gate.md")) + " --json " + quote(out.file("gate.json")));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.err, "");
  // Console: the verdict first, then the failing budget with its finding and path.
  EXPECT_EQ(r.out.rfind("FAIL: memory gate failed — 3 errors, 2 warnings, 0 known, 0 ignored\n", 0),
            0u)
      << r.out;
  EXPECT_NE(r.out.find("FAIL unbounded-collections (error, budget 5 objects per step): "
                       "`requestCache` (Map @"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("gains 200 entries per step (200 RequestContext, 200 Object)"),
            std::string::npos);
  EXPECT_NE(r.out.find("\n         path: "), std::string::npos);
  // (Which closure of the module scope leads there varies between runs: setup, action, cleanup.)
  EXPECT_NE(r.out.find("()::requestCache → Map @"), std::string::npos);

  // JSON: the documented shape and exact numbers.
  const std::string json = read_file(out.file("gate.json"));
  EXPECT_NE(json.find("\"verdict\":\"fail\",\"exit_code\":1"), std::string::npos) << json;
  EXPECT_NE(json.find("\"counts\":{\"errors\":3,\"warnings\":2,\"known\":0,\"ignored\":0}"),
            std::string::npos);
  EXPECT_NE(
      json.find("\"rule\":\"unbounded-collections\",\"severity\":\"error\",\"state\":\"new\""),
      std::string::npos);
  EXPECT_NE(json.find("\"measure\":\"entries\",\"objects_per_step\":200"), std::string::npos);
  EXPECT_NE(json.find("\"series\":[0,200,400,600,800]"), std::string::npos);
  EXPECT_NE(json.find("\"requestCache\"],\"path_text\":\"global @"), std::string::npos);

  // JUnit: one test case per budget; the failing ones carry the finding and its retainer path.
  const RunResult j = python("parse_junit.py", quote(out.file("gate.xml")));
  ASSERT_EQ(j.exit_code, 0) << j.out << j.err;
  EXPECT_NE(j.out.find("\"root\": \"testsuites\", \"tests\": \"5\", \"failures\": \"3\""),
            std::string::npos)
      << j.out;
  for (const char* name :
       {"total", "class:RequestContext", "class:*", "caches", "unbounded-collections"})
    EXPECT_NE(j.out.find(std::string("\"name\": \"") + name + "\""), std::string::npos) << name;
  EXPECT_NE(j.out.find("\"name\": \"total\", \"failure_message\": null"), std::string::npos);
  EXPECT_NE(j.out.find("\"name\": \"unbounded-collections\", \"failure_message\": "
                       "\"`requestCache` (Map @"),
            std::string::npos)
      << j.out;
  EXPECT_NE(j.out.find("\\nRetainer path: "), std::string::npos);
  EXPECT_NE(j.out.find("()::requestCache → Map @"), std::string::npos);

  // SARIF: valid 2.1.0, one result per finding, the rule ids, the path in the message.
  expect_valid_sarif(out.file("gate.sarif"));
  const std::string sarif = read_file(out.file("gate.sarif"));
  EXPECT_NE(sarif.find("\"version\":\"2.1.0\""), std::string::npos);
  EXPECT_NE(sarif.find("\"ruleId\":\"unbounded-collections\",\"ruleIndex\":4,\"kind\":\"fail\","
                       "\"level\":\"error\""),
            std::string::npos)
      << sarif;
  EXPECT_NE(sarif.find("\\nRetainer path: "), std::string::npos);
  EXPECT_NE(sarif.find("\"logicalLocations\":[{\"name\":\"`requestCache` (Map @"),
            std::string::npos);
  std::size_t results = 0;
  for (std::size_t at = 0; (at = sarif.find("\"ruleId\":", at)) != std::string::npos; ++at)
    ++results;
  EXPECT_EQ(results, 5u);

  // Markdown: the verdict, the budget table, the findings with their paths.
  const std::string md = read_file(out.file("gate.md"));
  EXPECT_EQ(md.rfind("## libsnap memory gate: ❌ failed\n", 0), 0u) << md;
  EXPECT_NE(md.find("| unbounded\\-collections | error | 5 objects per step | "), std::string::npos)
      << md;
  EXPECT_NE(md.find("\\(\\)\\:\\:requestCache → Map \\@"), std::string::npos) << md;
  EXPECT_NE(md.find("| # | Budget | State | Finding | Retainer path |"), std::string::npos);
}

// On a terminal the gate shows which snapshot it is on (and nothing with --quiet or when stderr
// is not a terminal: the other tests expect an empty stderr).
TEST_F(GateLeak, ProgressOnATerminalOnly) {
  if (run("command -v script").exit_code != 0) GTEST_SKIP() << "script(1) not available";
  const std::string& dir = captured_scenario(Producer::kNode, "leak-request-cache");
  const std::string command =
      analyzer_cmd() + " gate --config " + quote(example_config()) + " --dir " + quote(dir);
  const RunResult tty = run("script -qec " + quote(command + " >/dev/null") + " /dev/null");
  EXPECT_EQ(tty.exit_code, 1) << tty.out << tty.err;
  EXPECT_NE(tty.out.find("gate: snapshot 1/5 " + dir + "/00-baseline.heapsnapshot"),
            std::string::npos)
      << tty.out;
  EXPECT_NE(tty.out.find("gate: snapshot 5/5 " + dir + "/05-round-4.heapsnapshot"),
            std::string::npos);
  EXPECT_NE(tty.out.find("\r\x1b[K"), std::string::npos);  // the line is cleared at the end
  const RunResult quiet =
      run("script -qec " + quote(command + " --quiet >/dev/null") + " /dev/null");
  EXPECT_EQ(quiet.out.find("gate: snapshot"), std::string::npos) << quiet.out;
}

// Every leak scenario breaks a budget of the example config; no healthy program does.
struct Verdict {
  std::string scenario;
  int exit_code;
  std::string failing_rule;  // a rule that must fail ("" for a pass)
  std::string container;     // named in that rule's finding
};

class GateScenario : public ::testing::TestWithParam<Verdict> {};

TEST_P(GateScenario, ExampleConfigVerdict) {
  if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  const Verdict& v = GetParam();
  const std::string& dir = captured_scenario(Producer::kNode, v.scenario);
  const RunResult r =
      gate("--config " + quote(example_config()) + " --dir " + quote(dir) + " --json -");
  EXPECT_EQ(r.exit_code, v.exit_code) << r.out << r.err;
  if (v.exit_code == 0) {
    EXPECT_NE(r.out.find("\"counts\":{\"errors\":0,"), std::string::npos) << r.out;
    // Healthy means no steady growth at all, not merely growth under a budget: zero budgets
    // pass too (the capture harness keeps nothing of its own that grows per round).
    TempDir work;
    write_file(work.file("zero.json"), R"({"budgets": {
      "unbounded_collections": {"entries_per_step": 0},
      "containers": [{"path": "*", "objects_per_step": 0, "bytes_per_step": 0}]}})");
    const RunResult zero =
        gate("--config " + quote(work.file("zero.json")) + " --dir " + quote(dir));
    EXPECT_EQ(zero.exit_code, 0) << zero.out << zero.err;
    return;
  }
  // The failing finding of the expected budget, from the JSON report.
  TempDir out;
  const RunResult all =
      gate("--config " + quote(example_config()) + " --dir " + quote(dir) + " --junit " +
           quote(out.file("g.xml")) + " --sarif " + quote(out.file("g.sarif")) + " --markdown " +
           quote(out.file("g.md")) + " --json " + quote(out.file("g.json")));
  EXPECT_EQ(all.exit_code, 1) << all.out << all.err;
  simdjson::dom::parser parser;
  const simdjson::padded_string json(read_file(out.file("g.json")));
  simdjson::dom::element report;
  ASSERT_EQ(parser.parse(json).get(report), simdjson::SUCCESS);
  std::string subject, path;
  const simdjson::dom::array findings = report["findings"].get_array().value();
  for (simdjson::dom::element f : findings) {
    if (std::string_view(f["rule"].get_string().value()) != v.failing_rule ||
        std::string_view(f["state"].get_string().value()) != "new")
      continue;
    subject = std::string(f["subject"].get_string().value());
    path = std::string(f["container"]["path_text"].get_string().value());
    break;
  }
  ASSERT_FALSE(path.empty()) << "no new finding of " << v.failing_rule << " with a path";
  EXPECT_NE(subject.find(v.container), std::string::npos) << subject;

  // Every report names the container and its path.
  using analyzer::markdown_text;
  using analyzer::visible_text;
  EXPECT_NE(all.out.find(visible_text(subject)), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("path: " + visible_text(path)), std::string::npos) << all.out;
  const RunResult junit = python("parse_junit.py", quote(out.file("g.xml")));
  ASSERT_EQ(junit.exit_code, 0) << junit.out;
  const std::size_t failing_case = junit.out.find("\"name\": \"" + v.failing_rule + "\"");
  ASSERT_NE(failing_case, std::string::npos) << junit.out;
  const std::string failure =
      junit.out.substr(failing_case, junit.out.find("\"system_out\"", failing_case) - failing_case);
  EXPECT_NE(failure.find(visible_text(subject)), std::string::npos) << failure;
  EXPECT_NE(failure.find("Retainer path: " + visible_text(path)), std::string::npos) << failure;
  expect_valid_sarif(out.file("g.sarif"));
  const simdjson::padded_string sarif_text(read_file(out.file("g.sarif")));
  simdjson::dom::parser sarif_parser;
  simdjson::dom::element sarif;
  ASSERT_EQ(sarif_parser.parse(sarif_text).get(sarif), simdjson::SUCCESS);
  bool in_sarif = false;
  const simdjson::dom::array results = sarif["runs"].at(0)["results"].get_array().value();
  for (simdjson::dom::element result : results) {
    const std::string_view text = result["message"]["text"].get_string().value();
    in_sarif =
        in_sarif || (std::string_view(result["ruleId"].get_string().value()) == v.failing_rule &&
                     text.find(visible_text(subject)) != std::string_view::npos &&
                     text.find("Retainer path: " + visible_text(path)) != std::string_view::npos);
  }
  EXPECT_TRUE(in_sarif) << sarif_text;
  const std::string md = read_file(out.file("g.md"));
  EXPECT_NE(md.find(markdown_text(subject)), std::string::npos) << md;
  EXPECT_NE(md.find(" | " + markdown_text(path) + " |"), std::string::npos) << md;
}

INSTANTIATE_TEST_SUITE_P(
    Scenarios, GateScenario,
    ::testing::Values(
        Verdict{"leak-request-cache", 1, "caches", "`requestCache` (Map @"},
        Verdict{"leak-listeners", 1, "unbounded-collections", "`listeners` (Array @"},
        Verdict{"leak-closure-array", 1, "unbounded-collections", "`samples` (Array @"},
        Verdict{"leak-linked-chain", 1, "unbounded-collections", "`head` (JournalEntry @"},
        Verdict{"leak-set", 1, "unbounded-collections", "`seenSessions` (Set @"},
        Verdict{"leak-weakmap-long-key", 1, "unbounded-collections", "(Array @"},
        Verdict{"leak-deep-property", 1, "unbounded-collections", "`samples` (Array @"},
        Verdict{"leak-pending-promises", 1, "unbounded-collections", "`pendingCalls` (Map @"},
        Verdict{"leak-memoize", 1, "unbounded-collections", "`memo` (Map @"},
        Verdict{"leak-slow-drip", 1, "unbounded-collections", "`auditTrail` (Array @"},
        Verdict{"leak-string-accumulation", 1, "unbounded-collections", "(system / Context @"},
        Verdict{"leak-timers", 1, "unbounded-collections", "`timerListMap` (Object @"},
        Verdict{"healthy", 0, "", ""}, Verdict{"healthy-churn", 0, "", ""},
        Verdict{"healthy-cleared-cache", 0, "", ""}, Verdict{"healthy-lru", 0, "", ""},
        Verdict{"healthy-sawtooth", 0, "", ""}, Verdict{"healthy-warmup", 0, "", ""},
        Verdict{"healthy-weakmap-short-keys", 0, "", ""},
        Verdict{"healthy-working-set", 0, "", ""}),
    [](const ::testing::TestParamInfo<Verdict>& info) {
      return test::scenario_test_name(info.param.scenario);
    });

// Under snapcapture (the demo's producer) the leak fails the gate the same way.
TEST(GateSnapcapture, LeakFails) {
  if (!producer_available(Producer::kSnapcapture)) GTEST_SKIP() << "snapcapture not built";
  const std::string& dir = captured_scenario(Producer::kSnapcapture, "leak-request-cache");
  const RunResult r = gate("--config " + quote(example_config()) + " --dir " + quote(dir));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL caches (error, budget 10 objects, 16.0 KiB per step): `requestCache` "
                       "(Map @"),
            std::string::npos)
      << r.out;
  // A budget of 0 looks below growth's noise floor; the module's global object, which a few
  // new objects reach directly and which dominates the Map, must not take the Map's place.
  TempDir work;
  write_file(work.file("zero.json"),
             R"({"budgets": {"unbounded_collections": {"entries_per_step": 0}}})");
  const RunResult zero = gate("--config " + quote(work.file("zero.json")) + " --dir " + quote(dir));
  EXPECT_EQ(zero.exit_code, 1) << zero.out << zero.err;
  EXPECT_NE(zero.out.find("FAIL unbounded-collections (error, budget 0 objects per step): "
                          "`requestCache` (Map @"),
            std::string::npos)
      << zero.out;
}

// --write-baseline records the findings (and passes); with --baseline the known ones pass and a
// new one fails.
TEST_F(GateLeak, BaselineTurnsKnownFindingsIntoAPassAndNewOnesFail) {
  const std::string& cache = captured_scenario(Producer::kNode, "leak-request-cache");
  const std::string& set = captured_scenario(Producer::kNode, "leak-set");
  TempDir out;
  const std::string baseline = out.file("baseline.json");
  const std::string config = "--config " + quote(example_config());
  RunResult r = gate(config + " --dir " + quote(cache) + " --write-baseline " + quote(baseline));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("Baseline written to " + baseline + ": 5 findings recorded as known"),
            std::string::npos)
      << r.out;
  const std::string recorded = read_file(baseline);
  EXPECT_NE(recorded.find("\"libsnap_gate_baseline\":1"), std::string::npos);
  EXPECT_NE(recorded.find("\"fingerprint\":\"unbounded-collections | Map `requestCache`\""),
            std::string::npos)
      << recorded;

  // The same program again (a fresh capture: other ids, same paths): known, so it passes.
  TempDir again;
  const std::string rerun = again.file("run");
  ASSERT_EQ(run("node --expose-gc " + quote(source_path("tools/capture/node-scenario.js")) + " " +
                quote(source_path("fixtures/scenarios/leak-request-cache.js")) + " --out " +
                quote(rerun) + " --rounds 6")
                .exit_code,
            0);
  r = gate(config + " --dir " + quote(rerun) + " --baseline " + quote(baseline) + " --sarif " +
           quote(out.file("known.sarif")));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("PASS: memory gate passed — 0 errors, 0 warnings, 5 known, 0 ignored\n", 0),
            0u)
      << r.out;
  expect_valid_sarif(out.file("known.sarif"));
  EXPECT_NE(read_file(out.file("known.sarif")).find("\"baselineState\":\"unchanged\""),
            std::string::npos);

  EXPECT_NE(r.out.find("known: in the baseline at 200 entries, "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("grown since"), std::string::npos) << r.out;
  EXPECT_NE(recorded.find("\"rule\":\"unbounded-collections\",\"objects_per_step\":200,"),
            std::string::npos)
      << recorded;

  // A known finding that grows faster than recorded still passes, and the reports say so.
  std::string halved = recorded;
  for (std::size_t at = 0;
       (at = halved.find("\"objects_per_step\":200,", at)) != std::string::npos;)
    halved.replace(at, std::string_view("\"objects_per_step\":200,").size(),
                   "\"objects_per_step\":100,");
  write_file(out.file("halved.json"), halved);
  r = gate(config + " --dir " + quote(rerun) + " --baseline " + quote(out.file("halved.json")) +
           " --json " + quote(out.file("known.json")));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("known: in the baseline at 100 entries, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("; grown since: now 200 entries, "), std::string::npos) << r.out;
  EXPECT_NE(read_file(out.file("known.json")).find("\"recorded\":{\"objects_per_step\":100,"),
            std::string::npos);

  // A hand-written baseline may list fingerprints only; a wrong number is bad input.
  write_file(out.file("hand.json"),
             R"({"libsnap_gate_baseline": 1, "findings": [
                 {"fingerprint": "unbounded-collections | Map `requestCache`"}]})");
  r = gate(config + " --dir " + quote(rerun) + " --baseline " + quote(out.file("hand.json")));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;  // the other budgets' findings are still new
  EXPECT_NE(r.out.find("FAIL: memory gate failed — 2 errors, 2 warnings, 1 known, 0 ignored"),
            std::string::npos)
      << r.out;
  write_file(out.file("bad.json"),
             R"({"libsnap_gate_baseline": 1, "findings": [
                 {"fingerprint": "x", "objects_per_step": "many"}]})");
  r = gate(config + " --dir " + quote(rerun) + " --baseline " + quote(out.file("bad.json")));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("bad.json: findings[0].objects_per_step: expected an integer"),
            std::string::npos)
      << r.err;

  // A program with another leak: its finding is new and fails.
  r = gate(config + " --dir " + quote(set) + " --baseline " + quote(baseline) + " --sarif " +
           quote(out.file("new.sarif")));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("`seenSessions` (Set @"), std::string::npos) << r.out;
  expect_valid_sarif(out.file("new.sarif"));
  EXPECT_NE(read_file(out.file("new.sarif")).find("\"baselineState\":\"new\""), std::string::npos);
}

// The whole-heap budget and byte-only budgets: the total fails on bytes alone and names the
// biggest growth; a class breaks a bytes budget while its instance count is within budget.
TEST_F(GateLeak, TotalAndByteBudgets) {
  const std::string& dir = captured_scenario(Producer::kNode, "leak-request-cache");
  TempDir out;
  write_file(out.file("c.json"), R"({"budgets": {
    "total": {"bytes_per_step": "8 KiB", "objects_per_step": 100000},
    "classes": [{"class": "RequestContext", "objects_per_step": 1000, "bytes_per_step": 4096}]}})");
  const RunResult r =
      gate("--config " + quote(out.file("c.json")) + " --dir " + quote(dir) + " --json -");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("\"rule\":\"total\",\"severity\":\"error\",\"state\":\"new\""),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"subject\":\"heap\",\"message\":\"the heap grows steadily by "),
            std::string::npos);
  EXPECT_NE(r.out.find(" objects per step, over the budget of 100,000 objects, 8.0 KiB per step; "
                       "the biggest growth: `requestCache` (Map @"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"measure\":\"objects\",\"objects_per_step\":400,"), std::string::npos);
  EXPECT_NE(r.out.find("\"over_objects\":false,\"over_bytes\":true"), std::string::npos);
  EXPECT_NE(r.out.find("\"message\":\"class RequestContext gains 200 instances (9.4 KiB) per step, "
                       "over the budget of 1,000 instances, 4.0 KiB per step"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"series\":[0,200,400,600,800]"), std::string::npos);
}

// An ignored finding and a warning never fail; both are reported, the ignore with its reason
// (a SARIF suppression with the justification).
TEST_F(GateLeak, IgnoredAndWarningFindingsAreReportedButPass) {
  const std::string& dir = captured_scenario(Producer::kNode, "leak-request-cache");
  TempDir out;
  write_file(out.file("c.json"), R"({
    "budgets": {
      "unbounded_collections": {"entries_per_step": 5},
      "classes": [{"class": "Request*", "objects_per_step": 10, "severity": "warning"}]
    },
    "ignore": [{"class": "Map", "path": "*.requestCache",
                "reason": "bounded by the request count of a test run"}]
  })");
  const RunResult r =
      gate("--config " + quote(out.file("c.json")) + " --dir " + quote(dir) + " --sarif " +
           quote(out.file("g.sarif")) + " --junit " + quote(out.file("g.xml")));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(r.out.rfind("PASS: memory gate passed — 0 errors, 1 warning, 0 known, 1 ignored\n", 0),
            0u)
      << r.out;
  EXPECT_NE(r.out.find("reason: bounded by the request count of a test run"), std::string::npos);
  expect_valid_sarif(out.file("g.sarif"));
  const std::string sarif = read_file(out.file("g.sarif"));
  EXPECT_NE(sarif.find("\"suppressions\":[{\"kind\":\"external\",\"status\":\"accepted\","
                       "\"justification\":\"bounded by the request count of a test run\"}]"),
            std::string::npos)
      << sarif;
  EXPECT_NE(sarif.find("\"level\":\"warning\""), std::string::npos);
  const RunResult j = python("parse_junit.py", quote(out.file("g.xml")));
  EXPECT_NE(j.out.find("\"failures\": \"0\""), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("[ignored] `requestCache` (Map @"), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("[warning] class RequestContext gains 200 instances"), std::string::npos);
}

// Bad input exits 2 with one clear line and writes no report.
TEST_F(GateLeak, BadInputExitsTwoAndWritesNothing) {
  const std::string& dir = captured_scenario(Producer::kNode, "leak-request-cache");
  TempDir out;
  const std::string config = "--config " + quote(example_config());
  const std::string reports = " --junit " + quote(out.file("r.xml")) + " --sarif " +
                              quote(out.file("r.sarif")) + " --markdown " +
                              quote(out.file("r.md")) + " --json " + quote(out.file("r.json"));
  const std::string f0 = quote(dir + "/00-baseline.heapsnapshot");
  const std::string f2 = quote(dir + "/02-final.heapsnapshot");
  const std::string f3 = quote(dir + "/03-round-2.heapsnapshot");
  const std::string f4 = quote(dir + "/04-round-3.heapsnapshot");
  const std::string text = read_file(dir + "/04-round-3.heapsnapshot");
  write_file(out.file("truncated.heapsnapshot"), text.substr(0, text.size() / 2));
  write_file(out.file("empty.heapsnapshot"), "");
  std::string corrupt = text;
  corrupt[corrupt.size() / 2] = 'x';
  write_file(out.file("corrupt.heapsnapshot"), corrupt);
  write_file(out.file("bad.json"), "{\"budgets\": {\"total\": {\"bytes_per_step\": \"lots\"}}}");

  struct Case {
    std::string args;
    std::string message;
  };
  const Case cases[] = {
      {config + " " + f0 + " " + f2 + " " + f3 + " " + quote(out.file("truncated.heapsnapshot")),
       "truncated.heapsnapshot"},
      {config + " " + f0 + " " + f2 + " " + f3 + " " + quote(out.file("empty.heapsnapshot")),
       "empty.heapsnapshot"},
      {config + " " + f0 + " " + f2 + " " + f3 + " " + quote(out.file("corrupt.heapsnapshot")),
       "corrupt.heapsnapshot"},
      {config + " " + f0 + " " + f2 + " " + f3 + " " + quote(out.file("missing.heapsnapshot")),
       "missing.heapsnapshot"},
      {config + " " + f0 + " " + f2 + " " + f3, "needs at least 4 snapshots of one process, got 3"},
      {"--config " + quote(out.file("bad.json")) + " " + f0 + " " + f2 + " " + f3 + " " + f4,
       "bad.json: budgets.total.bytes_per_step: expected a non-negative integer or a size"},
      {"--config " + quote(out.file("none.json")) + " --dir " + quote(dir),
       "none.json: cannot open the gate configuration"},
      {config + " --dir " + quote(dir) + " --baseline " + quote(out.file("bad.json")),
       "bad.json: libsnap_gate_baseline: expected 1"},
      {config + " " + f4 + " " + f3 + " " + f2 + " " + f0, "out of order"},
      {"--dir " + quote(dir), "--config is required"},
  };
  for (const Case& c : cases) {
    const RunResult r = gate(c.args + reports);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    for (const char* name : {"r.xml", "r.sarif", "r.md", "r.json"})
      EXPECT_FALSE(fs::exists(out.file(name))) << name << " after " << c.args;
  }
  // A capture that did not finish its rounds never passes, whatever it holds.
  const std::string partial = out.file("partial");
  fs::copy(dir, partial);
  std::string manifest = read_file(partial + "/manifest.json");
  const std::size_t flag = manifest.find("\"complete\":true");
  ASSERT_NE(flag, std::string::npos) << manifest;
  manifest.replace(flag, 15, "\"complete\":false");
  write_file(partial + "/manifest.json", manifest);
  RunResult incomplete = gate(config + " --dir " + quote(partial) + reports);
  EXPECT_EQ(incomplete.exit_code, 2) << incomplete.out << incomplete.err;
  EXPECT_NE(incomplete.err.find("manifest.json: complete: false: the capture did not finish"),
            std::string::npos)
      << incomplete.err;
  for (const char* name : {"r.xml", "r.sarif", "r.md", "r.json"})
    EXPECT_FALSE(fs::exists(out.file(name))) << name;

  // A report into a missing directory: exit 2, and no temporary left beside anything.
  const RunResult r =
      gate(config + " --dir " + quote(dir) + " --junit " + quote(out.file("no/such/dir/r.xml")));
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("no/such/dir/r.xml"), std::string::npos) << r.err;
}

// Hostile strings from the snapshot stay text in every report: XML stays well-formed, SARIF
// valid, Markdown can't open HTML or links, bidi controls show as \u escapes.
TEST_F(GateLeak, HostileNamesStayText) {
  TempDir work;
  write_file(work.file("hostile.js"), R"JS(
// A leak whose container and class have hostile names.
// (A class with no name, not even an inferred one, is named by its @@toStringTag.)
function make() { return class {}; }
const Evil = make();
Object.defineProperty(Evil.prototype, Symbol.toStringTag,
                      { value: "</failure><script>alert(1)</script>\u202E|x|](javascript:alert(1))" });
const holder = { ["<img src=x onerror=alert(1)>\u202Egnp.exe\n\"'&"]: [] };
function setup() {}
function action(round) {
  for (let i = 0; i < 50; i++) holder["<img src=x onerror=alert(1)>\u202Egnp.exe\n\"'&"].push(new Evil());
}
function cleanup() {}
)JS");
  const std::string dir = work.file("run");
  const RunResult cap =
      run("node --expose-gc " + quote(source_path("tools/capture/node-scenario.js")) + " " +
          quote(work.file("hostile.js")) + " --out " + quote(dir) + " --rounds 5");
  ASSERT_EQ(cap.exit_code, 0) << cap.err;
  write_file(work.file("c.json"), R"({"budgets": {"unbounded_collections": {"entries_per_step": 5},
    "classes": [{"class": "*script*", "objects_per_step": 5}]}})");
  const RunResult r = gate("--config " + quote(work.file("c.json")) + " --dir " + quote(dir) +
                           " --junit " + quote(work.file("g.xml")) + " --sarif " +
                           quote(work.file("g.sarif")) + " --markdown " + quote(work.file("g.md")));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(r.out.find("\u202E"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\\u202E"), std::string::npos) << r.out;

  const RunResult j = python("parse_junit.py", quote(work.file("g.xml")));
  ASSERT_EQ(j.exit_code, 0) << j.out;
  EXPECT_NE(j.out.find("</failure><script>alert(1)</script>\\\\u202E"), std::string::npos) << j.out;
  expect_valid_sarif(work.file("g.sarif"));
  const std::string sarif = read_file(work.file("g.sarif"));
  EXPECT_EQ(sarif.find("\u202E"), std::string::npos);
  const std::string md = read_file(work.file("g.md"));
  EXPECT_EQ(md.find("<script"), std::string::npos) << md;
  EXPECT_EQ(md.find("<img"), std::string::npos);
  EXPECT_EQ(md.find("](javascript"), std::string::npos);
  EXPECT_EQ(md.find("\u202E"), std::string::npos);
  EXPECT_NE(
      md.find("&lt;script&gt;alert\\(1\\)&lt;/script&gt;\\\\u202E\\|x\\|\\]\\(javascript\\:alert"),
      std::string::npos)
      << md;
  // Every table row keeps its 5 cells: no '|' from a name breaks out of its cell.
  std::size_t rows = 0;
  std::size_t start = md.find("| # | Budget |");
  ASSERT_NE(start, std::string::npos);
  std::istringstream lines(md.substr(start));
  for (std::string line; std::getline(lines, line) && !line.empty(); ++rows) {
    std::size_t cells = 0;
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == '|' && (i == 0 || line[i - 1] != '\\')) ++cells;
    EXPECT_EQ(cells, 6u) << line;
  }
  EXPECT_GE(rows, 4u);
}

}  // namespace
}  // namespace libsnap
