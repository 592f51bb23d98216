// snapcapture (tools/capture) and its Node twin (tools/capture/node-scenario.js): capture the
// fixture scenarios, load every snapshot with libsnap and check what the programs built; the
// manifest, atomic writes (SIGKILL mid-write), the host API, and the exit codes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "libsnap/reader.hpp"
#include "libsnap/snapshot.hpp"
#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using libsnap::NodeType;
using libsnap::Snapshot;
using libsnap::test::bin_path;
using libsnap::test::read_file;
using libsnap::test::run;
using libsnap::test::RunResult;
using libsnap::test::source_path;
using libsnap::test::TempDir;
using libsnap::test::write_file;

using libsnap::test::Producer;
using libsnap::test::producer_name;

using libsnap::test::quote;

std::string snapcapture() {
  return quote(bin_path("snapcapture"));
}

bool snapcapture_built() {
#ifdef LIBSNAP_HAVE_SNAPCAPTURE
  return true;
#else
  return false;
#endif
}

bool node_available() {
  static const bool available = run("command -v node").exit_code == 0;
  return available;
}

#define REQUIRE_SNAPCAPTURE()                                                                 \
  if (!snapcapture_built())                                                                   \
  GTEST_SKIP() << "snapcapture is not built (LIBSNAP_BUILD_CAPTURE=OFF or no .deps/libnode; " \
                  "run tools/setup)"

#define REQUIRE_PRODUCER(producer)                                                            \
  if ((producer) == Producer::kNode && !node_available())                                     \
    GTEST_SKIP() << "`node` is not on PATH: the Node producer cannot be tested";              \
  if ((producer) == Producer::kSnapcapture && !snapcapture_built())                           \
  GTEST_SKIP() << "snapcapture is not built (LIBSNAP_BUILD_CAPTURE=OFF or no .deps/libnode; " \
                  "run tools/setup)"

// Runs `snapcapture scenario ARGS` or `node --expose-gc node-scenario.js ARGS`.
RunResult run_scenario(Producer producer, const std::string& args) {
  if (producer == Producer::kSnapcapture) return run(snapcapture() + " scenario " + args);
  return run("node --expose-gc " + quote(source_path("tools/capture/node-scenario.js")) + " " +
             args);
}

RunResult capture_scenario(Producer producer, const std::string& scenario, const std::string& out,
                           unsigned rounds) {
  return run_scenario(producer, quote(source_path("fixtures/scenarios/" + scenario)) + " --out " +
                                    quote(out) + " --rounds " + std::to_string(rounds));
}

// One entry of manifest.json. Both producers write one snapshot per line with the keys in this
// order (snapcapture's Manifest::to_json, node-scenario.js's JSON.stringify).
struct Entry {
  unsigned index;
  std::string label;
  std::optional<unsigned> round;
  std::string file;
  std::uint64_t bytes;
  std::uint64_t used_heap_size;
};

struct ManifestView {
  std::string text;
  std::vector<Entry> entries;
  bool complete() const { return text.find("\"complete\":true") != std::string::npos; }
  std::string field(const std::string& key) const {
    std::smatch m;
    std::regex re("\"" + key + "\":\"([^\"]*)\"");
    return std::regex_search(text, m, re) ? m[1].str() : std::string();
  }
};

ManifestView read_manifest(const std::string& dir) {
  ManifestView view;
  view.text = read_file(dir + "/manifest.json");
  std::regex entry_re(
      "\\{\"index\":(\\d+),\"label\":\"([^\"]*)\",\"round\":(null|\\d+),\"file\":\"([^\"]*)\","
      "\"bytes\":(\\d+),\"used_heap_size\":(\\d+),\"total_heap_size\":\\d+,\"external_memory\":"
      "\\d+\\}");
  for (std::sregex_iterator it(view.text.begin(), view.text.end(), entry_re), end; it != end;
       ++it) {
    const std::smatch& m = *it;
    Entry e;
    e.index = static_cast<unsigned>(std::stoul(m[1]));
    e.label = m[2];
    if (m[3] != "null") e.round = static_cast<unsigned>(std::stoul(m[3]));
    e.file = m[4];
    e.bytes = std::stoull(m[5]);
    e.used_heap_size = std::stoull(m[6]);
    view.entries.push_back(e);
  }
  return view;
}

// Names of the regular files in `dir` ending with `suffix`, sorted.
std::vector<std::string> files_ending(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The manifest lists exactly the .heapsnapshot files of `dir`, in order, with their sizes, and no
// temporary file is left.
void expect_manifest_matches_files(const std::string& dir, const ManifestView& manifest) {
  std::vector<std::string> listed;
  for (std::size_t i = 0; i < manifest.entries.size(); ++i) {
    const Entry& e = manifest.entries[i];
    EXPECT_EQ(e.index, i);
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "%02u-", static_cast<unsigned>(i));
    EXPECT_EQ(e.file.rfind(prefix, 0), 0u) << e.file;
    ASSERT_TRUE(fs::exists(dir + "/" + e.file)) << e.file;
    EXPECT_EQ(fs::file_size(dir + "/" + e.file), e.bytes) << e.file;
    EXPECT_GT(e.used_heap_size, 0u);
    listed.push_back(e.file);
  }
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(files_ending(dir, ".heapsnapshot"), listed);
  EXPECT_TRUE(files_ending(dir, ".tmp").empty());
}

// Objects of class `name` (type object, constructor name `name`): what DevTools lists under it.
std::size_t count_objects(const Snapshot& s, std::string_view name) {
  std::size_t count = 0;
  for (libsnap::NodeOrdinal n = 0; n < s.node_count(); ++n)
    if (s.node_type(n) == NodeType::kObject && s.node_name(n) == name) ++count;
  return count;
}

std::set<std::uint32_t> ids_of(const Snapshot& s, std::string_view name) {
  std::set<std::uint32_t> ids;
  for (libsnap::NodeOrdinal n = 0; n < s.node_count(); ++n)
    if (s.node_type(n) == NodeType::kObject && s.node_name(n) == name) ids.insert(s.node_id(n));
  return ids;
}

class ScenarioTest : public ::testing::TestWithParam<Producer> {};

// unbounded-cache.js stores exactly 1,000 CacheEntry per action round and never drops one.
TEST_P(ScenarioTest, UnboundedCacheGainsExactly1000CacheEntriesPerRound) {
  Producer producer = GetParam();
  REQUIRE_PRODUCER(producer);
  TempDir dir;
  std::string out = dir.file("unbounded");
  RunResult r = capture_scenario(producer, "unbounded-cache.js", out, 5);
  ASSERT_EQ(r.exit_code, 0) << r.err;

  ManifestView manifest = read_manifest(out);
  EXPECT_EQ(manifest.field("producer"), producer_name(producer));
  EXPECT_EQ(manifest.field("mode"), "scenario");
  EXPECT_EQ(manifest.field("script"),
            fs::canonical(source_path("fixtures/scenarios/unbounded-cache.js")).string());
  EXPECT_NE(manifest.text.find("\"rounds\":5"), std::string::npos);
  EXPECT_TRUE(manifest.complete());
  expect_manifest_matches_files(out, manifest);

  // --rounds 5: five snapshots; action rounds 1..3.
  const std::vector<std::string> labels = {"baseline", "target", "final", "round-2", "round-3"};
  const std::vector<unsigned> rounds = {0, 1, 1, 2, 3};
  const std::vector<std::size_t> cache_entries = {0, 1000, 1000, 2000, 3000};
  ASSERT_EQ(manifest.entries.size(), labels.size());
  std::vector<std::set<std::uint32_t>> ids;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const Entry& e = manifest.entries[i];
    EXPECT_EQ(e.label, labels[i]);
    ASSERT_TRUE(e.round.has_value());
    EXPECT_EQ(*e.round, rounds[i]);
    Snapshot s = libsnap::load(out + "/" + e.file);
    EXPECT_EQ(count_objects(s, "CacheEntry"), cache_entries[i]) << e.file;
    ids.push_back(ids_of(s, "CacheEntry"));
    if (producer == Producer::kSnapcapture) {
      EXPECT_EQ(s.meta().generation, libsnap::FormatGeneration::kV8_10);
    }
  }
  // Node ids are stable within one process: the entries of round 1 are the same objects later.
  for (std::size_t i = 2; i < ids.size(); ++i)
    EXPECT_TRUE(std::includes(ids[i].begin(), ids[i].end(), ids[1].begin(), ids[1].end()));
  EXPECT_EQ(ids[1], ids[2]);
}

// healthy.js does work every round and keeps none of it.
TEST_P(ScenarioTest, HealthyScenarioStaysFlat) {
  Producer producer = GetParam();
  REQUIRE_PRODUCER(producer);
  TempDir dir;
  std::string out = dir.file("healthy");
  RunResult r = capture_scenario(producer, "healthy.js", out, 5);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ManifestView manifest = read_manifest(out);
  expect_manifest_matches_files(out, manifest);
  ASSERT_EQ(manifest.entries.size(), 5u);
  std::vector<std::uint32_t> node_counts;
  for (const Entry& e : manifest.entries) {
    Snapshot s = libsnap::load(out + "/" + e.file);
    EXPECT_EQ(count_objects(s, "Request"), 0u) << e.file;
    node_counts.push_back(s.node_count());
  }
  // From `final` on the graph does not grow with the rounds (a few hundred nodes of engine
  // bookkeeping at most; the leaky scenario adds about 6,000 per round).
  for (std::size_t i = 3; i < node_counts.size(); ++i)
    EXPECT_LT(node_counts[i], node_counts[2] + 300) << manifest.entries[i].file;
}

// Every file both producers write is JSON that node's JSON.parse accepts, with as many nodes as
// libsnap loads.
TEST_P(ScenarioTest, SnapshotsAndManifestAreValidJsonForNode) {
  Producer producer = GetParam();
  REQUIRE_PRODUCER(producer);
  if (!node_available()) GTEST_SKIP() << "`node` is not on PATH: JSON.parse cannot be run";
  TempDir dir;
  std::string out = dir.file("json");
  RunResult r = capture_scenario(producer, "unbounded-cache.js", out, 3);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ManifestView manifest = read_manifest(out);
  ASSERT_EQ(manifest.entries.size(), 3u);
  std::string expected;
  for (const Entry& e : manifest.entries) {
    Snapshot s = libsnap::load(out + "/" + e.file);
    expected +=
        e.file + " " + std::to_string(s.node_count()) + " " + std::to_string(s.edge_count()) + "\n";
  }
  std::string check = dir.file("check.js");
  write_file(check, R"(
const fs = require('fs'), path = require('path');
const dir = process.argv[2];
const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
for (const e of m.snapshots) {
  const s = JSON.parse(fs.readFileSync(path.join(dir, e.file), 'utf8'));
  const nf = s.snapshot.meta.node_fields.length, ef = s.snapshot.meta.edge_fields.length;
  if (s.nodes.length !== nf * s.snapshot.node_count) throw new Error('bad node count');
  console.log(e.file, s.nodes.length / nf, s.edges.length / ef);
}
)");
  RunResult parsed = run("node " + quote(check) + " " + quote(out));
  ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
  EXPECT_EQ(parsed.out, expected);
}

// A scenario step that throws ends the run with exit 3, naming the step; the snapshots written
// before it stay, and the manifest lists exactly them.
TEST_P(ScenarioTest, ThrowingActionExits3AndKeepsEarlierSnapshots) {
  Producer producer = GetParam();
  REQUIRE_PRODUCER(producer);
  TempDir dir;
  std::string script = dir.file("fails-in-round-2.js");
  write_file(script,
             "const kept = [];\n"
             "function setup() {}\n"
             "async function action(round) {\n"
             "  kept.push({ round });\n"
             "  if (round === 2) throw new RangeError('round two fails');\n"
             "}\n");
  std::string out = dir.file("out");
  RunResult r = run_scenario(producer, quote(script) + " --out " + quote(out) + " --rounds 4");
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("RangeError: round two fails"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("action(2)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(script + ":5:"), std::string::npos) << r.err;
  ManifestView manifest = read_manifest(out);
  EXPECT_FALSE(manifest.complete());
  ASSERT_EQ(manifest.entries.size(), 3u);
  EXPECT_EQ(manifest.entries[2].label, "final");
  expect_manifest_matches_files(out, manifest);
}

TEST_P(ScenarioTest, MissingScriptExits2AndUnwritableOutputExits4) {
  Producer producer = GetParam();
  REQUIRE_PRODUCER(producer);
  TempDir dir;
  RunResult r =
      run_scenario(producer, quote(dir.file("absent.js")) + " --out " + quote(dir.file("out")));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("cannot read script " + dir.file("absent.js")), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("out")));

  write_file(dir.file("plain-file"), "x");
  // A directory below a regular file cannot be created, even by root.
  r = run_scenario(producer, quote(source_path("fixtures/scenarios/healthy.js")) + " --out " +
                                 quote(dir.file("plain-file/out")));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("cannot create output directory"), std::string::npos) << r.err;

  r = run_scenario(producer, quote(source_path("fixtures/scenarios/healthy.js")) + " --out " +
                                 quote(dir.file("out")) + " --rounds 2");
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

// A step that leaves a timer running forever never completes: --max-seconds ends the run with
// exit 5, and the manifest lists the snapshots written before.
TEST_P(ScenarioTest, MaxSecondsEndsAStepThatNeverCompletes) {
  Producer producer = GetParam();
  REQUIRE_PRODUCER(producer);
  TempDir dir;
  write_file(dir.file("scenario.js"),
             "function setup() {}\n"
             "function action(round) { if (round === 1) setInterval(() => {}, 5); }\n");
  std::string out = dir.file("out");
  RunResult r = run_scenario(
      producer, quote(dir.file("scenario.js")) + " --out " + quote(out) + " --max-seconds 0.5");
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("--max-seconds 0.5 reached during action(1)"), std::string::npos) << r.err;
  ManifestView manifest = read_manifest(out);
  EXPECT_FALSE(manifest.complete());
  ASSERT_EQ(manifest.entries.size(), 1u);
  EXPECT_EQ(manifest.entries[0].label, "baseline");
  expect_manifest_matches_files(out, manifest);
}

INSTANTIATE_TEST_SUITE_P(Producers, ScenarioTest,
                         ::testing::Values(Producer::kSnapcapture, Producer::kNode),
                         [](const ::testing::TestParamInfo<Producer>& info) {
                           return producer_name(info.param);
                         });

// ---- snapcapture only -------------------------------------------------------------------------

TEST(Snapcapture, RunModeHostApi) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  write_file(dir.file("lib.js"), "var fromLib = 'lib loaded'; 6 * 7;\n");
  std::string script = dir.file("app.js");
  write_file(script, R"(
print('args', scriptArgs.length, scriptArgs[0], scriptArgs[1]);
print('load', load('lib.js'), fromLib);
console.log('object', { a: 1, b: [2, 3] });
console.error('to stderr');
const order = [];
queueMicrotask(() => order.push('microtask'));
Promise.resolve().then(() => order.push('promise'));
setTimeout((x, y) => order.push('timeout ' + x + y), 400, 'a', 'b');  // well after the ticks
const cancelled = setTimeout(() => order.push('cancelled'), 10);
clearTimeout(cancelled);
let ticks = 0;
const iv = setInterval(() => { if (++ticks === 3) clearInterval(iv); order.push('tick ' + ticks); }, 1);
order.push('sync');
(async () => {
  await new Promise((resolve) => setTimeout(resolve, 600));
  gc();
  class Marker {}
  globalThis.marker = new Marker();
  const path = snapshot('after timers');
  print(order.join(', '));
  print('path', path);
})();
)");
  std::string out = dir.file("out");
  RunResult r = run(snapcapture() + " run " + quote(script) + " --out " + quote(out) +
                    " -- first 'second arg'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "args 2 first second arg\n"
            "load 42 lib loaded\n"
            "object {\"a\":1,\"b\":[2,3]}\n"
            "sync, microtask, promise, tick 1, tick 2, tick 3, timeout ab\n"
            "path " +
                out + "/00-after-timers.heapsnapshot\n");
  EXPECT_NE(r.err.find("to stderr\n"), std::string::npos);
  ManifestView manifest = read_manifest(out);
  EXPECT_EQ(manifest.field("mode"), "run");
  EXPECT_TRUE(manifest.complete());
  ASSERT_EQ(manifest.entries.size(), 1u);
  EXPECT_EQ(manifest.entries[0].label, "after timers");
  EXPECT_FALSE(manifest.entries[0].round.has_value());
  EXPECT_EQ(manifest.field("v8_version").rfind("10.2.", 0), 0u) << manifest.text;
  expect_manifest_matches_files(out, manifest);
  Snapshot s = libsnap::load(out + "/00-after-timers.heapsnapshot");
  EXPECT_EQ(count_objects(s, "Marker"), 1u);
}

TEST(Snapcapture, ThrowingScriptExits3WithLocationAndStack) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  std::string script = dir.file("throws.js");
  write_file(script,
             "function inner() {\n"
             "  return undefined.property;\n"
             "}\n"
             "function outer() { return inner(); }\n"
             "outer();\n");
  RunResult r = run(snapcapture() + " run " + quote(script) + " --out " + quote(dir.file("o")));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(script + ":2:20: Uncaught TypeError: Cannot read properties of undefined"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("at inner (" + script + ":2:20)"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("at outer (" + script + ":4:27)"), std::string::npos) << r.err;
}

TEST(Snapcapture, SyntaxErrorAndUnhandledRejectionExit3) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  write_file(dir.file("syntax.js"), "let x = 1;\nlet y = ;\n");
  RunResult r = run(snapcapture() + " run " + quote(dir.file("syntax.js")) + " --out " +
                    quote(dir.file("o1")));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(dir.file("syntax.js") + ":2:9: Uncaught SyntaxError"), std::string::npos)
      << r.err;

  write_file(dir.file("reject.js"),
             "async function later() {\n  await null;\n  throw new Error('nobody waits');\n}\n"
             "later();\n");
  r = run(snapcapture() + " run " + quote(dir.file("reject.js")) + " --out " +
          quote(dir.file("o2")));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(dir.file("reject.js") + ":3:9: Uncaught (in promise) Error: nobody waits"),
            std::string::npos)
      << r.err;

  write_file(dir.file("timer.js"), "setTimeout(() => { throw new Error('in a timer'); }, 1);\n");
  r = run(snapcapture() + " run " + quote(dir.file("timer.js")) + " --out " +
          quote(dir.file("o3")));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(dir.file("timer.js") + ":1:20: Uncaught Error: in a timer"),
            std::string::npos)
      << r.err;
}

TEST(Snapcapture, MissingScriptAndUsageErrorsExit2) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  RunResult r = run(snapcapture() + " run " + quote(dir.file("absent.js")) + " --out " +
                    quote(dir.file("o")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot read script " + dir.file("absent.js")), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("o")));

  std::string ok = dir.file("ok.js");
  write_file(ok, "function action() {}\n");
  for (const std::string& args :
       {std::string("run"), "run " + quote(ok), "scenario " + quote(ok) + " --out x --rounds 2",
        "run " + quote(ok) + " --out x --rounds 4", "run " + quote(ok) + " --out x --bogus",
        "run " + quote(ok) + " --out x --heap-limit-mb lots", "walk " + quote(ok)}) {
    r = run(snapcapture() + " " + args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_NE(r.err.find("--help"), std::string::npos) << args << ": " << r.err;
  }
  r = run(snapcapture() + " --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  EXPECT_NE(r.out.find("snapcapture scenario"), std::string::npos);
}

TEST(Snapcapture, UnwritableOutputDirectoryExits4) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  std::string script = dir.file("s.js");
  write_file(script, "snapshot('never');\n");
  write_file(dir.file("plain-file"), "x");
  // A directory below a regular file cannot be created, even by root.
  RunResult r =
      run(snapcapture() + " run " + quote(script) + " --out " + quote(dir.file("plain-file/out")));
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("cannot create output directory"), std::string::npos) << r.err;
}

// A write that fails half-way (here: the file-size limit, as a full disk would) ends the run with
// exit 4 at once, leaves no snapshot and no temporary, and the script does not go on.
TEST(Snapcapture, FailedWriteExits4AndLeavesNothing) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  std::string script = dir.file("s.js");
  write_file(script,
             "class Item { constructor(i, next) { this.i = i; this.next = next; } }\n"
             "let head = null;\n"
             "for (let i = 0; i < 100000; i++) head = new Item(i, head);\n"
             "try { snapshot('too-big'); } catch (e) { print('caught', e); }\n"
             "print('went on');\n");
  std::string out = dir.file("out");
  // 2 MiB per file; SIGXFSZ ignored so that write() fails with EFBIG instead of killing.
  RunResult r = run("bash -c \"trap '' XFSZ; ulimit -f 2048; exec " + snapcapture() + " run " +
                    quote(script) + " --out " + quote(out) + "\"");
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("cannot write"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("00-too-big.heapsnapshot"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(files_ending(out, ".heapsnapshot").empty());
  EXPECT_TRUE(files_ending(out, ".tmp").empty());
  ManifestView manifest = read_manifest(out);
  EXPECT_TRUE(manifest.entries.empty());
  EXPECT_FALSE(manifest.complete());
}

TEST(Snapcapture, EarlierCaptureNeedsForce) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  std::string script = dir.file("s.js");
  write_file(script, "snapshot('one');\n");
  std::string out = dir.file("out");
  std::string cmd = snapcapture() + " run " + quote(script) + " --out " + quote(out);
  ASSERT_EQ(run(cmd).exit_code, 0);
  write_file(out + "/07-stale.heapsnapshot", "{}");
  RunResult r = run(cmd);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  r = run(cmd + " --force");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(out + "/07-stale.heapsnapshot"));
  expect_manifest_matches_files(out, read_manifest(out));
}

TEST(Snapcapture, MaxSecondsEndsRunMode) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  // A timer that never stops, and a loop that never yields: both end at --max-seconds.
  write_file(dir.file("forever.js"), "snapshot('start');\nsetInterval(() => {}, 5);\n");
  write_file(dir.file("busy.js"), "snapshot('start');\nfor (;;) {}\n");
  for (const char* name : {"forever.js", "busy.js"}) {
    auto start = std::chrono::steady_clock::now();
    std::string out = dir.file(std::string("out-") + name);
    RunResult r = run(snapcapture() + " run " + quote(dir.file(name)) + " --out " + quote(out) +
                      " --max-seconds 0.5");
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_NE(r.err.find("--max-seconds 0.5 reached"), std::string::npos) << r.err;
    EXPECT_LT(seconds, 10.0);
    ManifestView manifest = read_manifest(out);
    EXPECT_TRUE(manifest.complete());
    EXPECT_EQ(manifest.entries.size(), 1u);
  }
}

// Timer handles behave like Node's: an unref'd interval does not keep the loop alive, ref()
// makes it count again, hasRef() tells which, and clearTimeout takes the handle or its id.
TEST(Snapcapture, UnrefdTimersDoNotKeepTheLoopAlive) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  write_file(
      dir.file("unref.js"),
      "const a = setInterval(() => {}, 5);\n"
      "print('a ' + a.hasRef() + ' ' + (a.unref() === a) + ' ' + a.hasRef());\n"
      "const b = setInterval(() => {}, 5); b.unref(); b.ref(); clearInterval(b);\n"
      "const c = setTimeout(() => print('never'), 5); clearTimeout(+c);\n"
      "let ticks = 0; const d = setInterval(() => { if (++ticks === 3) clearInterval(d); }, 1);\n"
      "setTimeout(() => print('ticks ' + ticks), 50);\n");
  auto start = std::chrono::steady_clock::now();
  RunResult r = run(snapcapture() + " run " + quote(dir.file("unref.js")) + " --out " +
                    quote(dir.file("out")) + " --max-seconds 20");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "a true true false\nticks 3\n");
  EXPECT_EQ(r.err.find("--max-seconds"), std::string::npos) << r.err;
  EXPECT_LT(seconds, 10.0);
}

TEST(Snapcapture, ScenarioPromiseThatNeverSettlesExits3) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  write_file(dir.file("hangs.js"), "function action() { return new Promise(() => {}); }\n");
  RunResult r = run(snapcapture() + " scenario " + quote(dir.file("hangs.js")) + " --out " +
                    quote(dir.file("out")));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("action(1) returned a promise that never settled"), std::string::npos)
      << r.err;
  write_file(dir.file("no-action.js"), "function setup() {}\n");
  r = run(snapcapture() + " scenario " + quote(dir.file("no-action.js")) + " --out " +
          quote(dir.file("out2")));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("must define function action(round)"), std::string::npos) << r.err;
}

// --snapshot-near-heap-limit: a program that runs out of heap leaves one snapshot of its heap.
TEST(Snapcapture, NearHeapLimitSnapshotBeforeOutOfMemory) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  std::string script = dir.file("grows.js");
  write_file(script,
             "class Hog { constructor(i) { this.payload = new Array(64).fill(i); } }\n"
             "const hogs = [];\n"
             "for (let i = 0; ; i++) hogs.push(new Hog(i));\n");
  std::string out = dir.file("out");
  RunResult r = run(snapcapture() + " run " + quote(script) + " --out " + quote(out) +
                    " --heap-limit-mb 16 --snapshot-near-heap-limit");
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("JavaScript heap out of memory"), std::string::npos) << r.err;
  ManifestView manifest = read_manifest(out);
  ASSERT_EQ(manifest.entries.size(), 1u) << r.err;
  EXPECT_EQ(manifest.entries[0].label, "near-heap-limit");
  expect_manifest_matches_files(out, manifest);
  Snapshot s = libsnap::load(out + "/" + manifest.entries[0].file);
  // 16 MiB of ~600-byte Hogs: tens of thousands of them.
  EXPECT_GT(count_objects(s, "Hog"), 10000u);

  // Without the option the program dies the same way and leaves no snapshot.
  std::string out2 = dir.file("out2");
  r = run(snapcapture() + " run " + quote(script) + " --out " + quote(out2) +
          " --heap-limit-mb 16");
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(files_ending(out2, ".heapsnapshot").empty());
}

// Starts snapcapture on a script that writes one large snapshot (about 40 MB), waits until the
// temporary file has 2 MiB in it and sends `sig`. Returns the wait status, or nullopt when the
// write was not caught under way. The child runs at the lowest priority so that, on a busy
// machine, this test is not the slower of the two.
struct KillResult {
  bool mid_write = false;
  int status = 0;
  std::string out;
  std::string temp;
};

KillResult signal_during_write(const TempDir& dir, int sig) {
  KillResult result;
  std::string script = dir.file("large.js");
  write_file(script,
             "class Item { constructor(i, next) { this.name = 'item-' + i; this.next = next; } }\n"
             "let head = null;\n"
             "for (let i = 0; i < 500000; i++) head = new Item(i, head);\n"
             "globalThis.keep = head;\n"
             "snapshot('large');\n");
  result.out = dir.file("out");
  result.temp = result.out + "/.00-large.heapsnapshot.tmp";
  std::string binary = bin_path("snapcapture");

  pid_t pid = fork();
  if (pid < 0) return result;
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, 1);
    ::dup2(devnull, 2);
    if (::nice(19) == -1) {
      // not fatal: the test only gets less margin
    }
    ::execl(binary.c_str(), binary.c_str(), "run", script.c_str(), "--out", result.out.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(180);
  bool exited = false;
  while (std::chrono::steady_clock::now() < give_up) {
    struct stat st;
    if (::stat(result.temp.c_str(), &st) == 0 && st.st_size >= (2 << 20)) {
      result.mid_write = true;
      break;
    }
    if (::waitpid(pid, &result.status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!exited) {
    ::kill(pid, sig);
    ::waitpid(pid, &result.status, 0);
  }
  return result;
}

// SIGKILL while a large snapshot is being written: no .heapsnapshot appears, only the hidden
// temporary, and the manifest still lists only complete files (none).
TEST(Snapcapture, KillDuringWriteLeavesNoSnapshot) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  KillResult r = signal_during_write(dir, SIGKILL);
  ASSERT_TRUE(r.mid_write) << "snapcapture ended (or stalled) before the write was under way";
  EXPECT_TRUE(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGKILL);
  EXPECT_TRUE(files_ending(r.out, ".heapsnapshot").empty());
  EXPECT_TRUE(fs::exists(r.temp));  // what SIGKILL leaves: the hidden temporary, never a snapshot
  ManifestView manifest = read_manifest(r.out);
  EXPECT_FALSE(manifest.complete());
  EXPECT_TRUE(manifest.entries.empty());
}

// SIGTERM (or SIGINT) during a write: the temporary is removed too, and the process dies of the
// signal.
TEST(Snapcapture, TerminateDuringWriteLeavesNothing) {
  REQUIRE_SNAPCAPTURE();
  TempDir dir;
  KillResult r = signal_during_write(dir, SIGTERM);
  ASSERT_TRUE(r.mid_write) << "snapcapture ended (or stalled) before the write was under way";
  EXPECT_TRUE(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGTERM);
  EXPECT_TRUE(files_ending(r.out, ".heapsnapshot").empty());
  EXPECT_TRUE(files_ending(r.out, ".tmp").empty());
  ManifestView manifest = read_manifest(r.out);
  EXPECT_TRUE(manifest.entries.empty());
}

}  // namespace
