// leaks and growth (issue 6): the trend test, series resolution, the engine-internals rule, and
// every leak / healthy scenario of fixtures/scenarios captured by both producers (node and
// snapcapture), checked through the library and through `analyzer leaks` / `analyzer growth`.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "libsnap/growth.hpp"
#include "libsnap/leaks.hpp"
#include "libsnap/reader.hpp"
#include "test_support.hpp"

namespace libsnap {
namespace {

using test::bin_path;
using test::run;
using test::source_path;
using test::TempDir;

using test::quote;

TEST(Trend, SteadyGrowthPassesWithItsMedianStep) {
  const std::vector<std::int64_t> v{0, 200, 400, 600, 800};
  const Trend t = trend(v, 5);
  EXPECT_TRUE(t.growing);
  EXPECT_EQ(t.per_step, 200);
}

TEST(Trend, NoisyGrowthPasses) {
  const std::vector<std::int64_t> v{10, 108, 211, 209, 305, 402};  // one small dip
  const Trend t = trend(v, 5);
  EXPECT_TRUE(t.growing);
  EXPECT_EQ(t.per_step, 97);
}

TEST(Trend, WarmUpFlatSawtoothAndNoiseFail) {
  EXPECT_FALSE(trend(std::vector<std::int64_t>{0, 400, 400, 400, 400}, 5).growing);  // warm-up
  EXPECT_FALSE(trend(std::vector<std::int64_t>{50, 50, 50, 50}, 5).growing);         // flat
  EXPECT_FALSE(trend(std::vector<std::int64_t>{0, 300, 0, 300, 0}, 5).growing);      // sawtooth
  EXPECT_FALSE(trend(std::vector<std::int64_t>{0, 300, 600, 0, 300}, 5).growing);    // reset
  EXPECT_FALSE(trend(std::vector<std::int64_t>{100, 102, 104, 106}, 5).growing);     // crumbs
  EXPECT_FALSE(trend(std::vector<std::int64_t>{0, 100, 200, 200}, 5).growing);       // stopped
  EXPECT_FALSE(trend(std::vector<std::int64_t>{0, 100}, 5).growing);                 // too short
}

TEST(Series, ManifestOrderFileNameOrderAndErrors) {
  TempDir dir;
  test::write_file(dir.file("b.heapsnapshot"), "{}");
  test::write_file(dir.file("a.heapsnapshot"), "{}");
  test::write_file(dir.file("c.heapsnapshot.gz"), "");
  test::write_file(dir.file("notes.txt"), "");
  std::vector<std::string> args{dir.path()};
  std::vector<SeriesEntry> s = resolve_series(args);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(std::filesystem::path(s[0].path).filename(), "a.heapsnapshot");
  EXPECT_EQ(std::filesystem::path(s[2].path).filename(), "c.heapsnapshot.gz");

  test::write_file(dir.file("manifest.json"),
                   R"({"snapshots":[{"index":1,"label":"target","round":1,"file":"a.heapsnapshot"},
                   {"index":0,"label":"baseline","round":0,"file":"b.heapsnapshot"},
                   {"index":2,"label":"final","round":1,"file":"c.heapsnapshot.gz"}]})");
  s = resolve_series(args);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].label, "baseline");
  EXPECT_EQ(std::filesystem::path(s[0].path).filename(), "b.heapsnapshot");
  EXPECT_EQ(s[1].round, 1);
  // Only two end-of-round points: all three are used.
  EXPECT_EQ(end_of_round_points(s).size(), 3u);

  std::vector<std::string> missing{dir.file("a.heapsnapshot"), dir.file("gone.heapsnapshot")};
  EXPECT_THROW(resolve_series(missing), SeriesError);
  TempDir empty;
  std::vector<std::string> none{empty.path()};
  EXPECT_THROW(resolve_series(none), SeriesError);
}

TEST(Series, EndOfRoundPointsLeaveOutTheMidRoundTarget) {
  std::vector<SeriesEntry> s{{"0", "baseline", 0},
                             {"1", "target", 1},
                             {"2", "final", 1},
                             {"3", "round-2", 2},
                             {"4", "round-3", 3}};
  const std::vector<SeriesEntry> p = end_of_round_points(s);
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].label, "baseline");
  EXPECT_EQ(p[1].label, "final");
  EXPECT_EQ(p[3].label, "round-3");
}

// ---------------------------------------------------------------------------------------------
// Scenarios

using test::captured_scenario;
using test::Producer;
using test::producer_available;
using test::producer_name;

constexpr unsigned kRounds = 6;  // baseline, target, final, round-2..4: 5 end-of-round points

const std::string& capture(Producer p, const std::string& scenario) {
  return captured_scenario(p, scenario, kRounds);
}

GrowthReport growth_of(Producer p, const std::string& scenario) {
  std::vector<std::string> args{capture(p, scenario)};
  return find_growth(resolve_series(args));
}

LeakReport leaks_of(Producer p, const std::string& scenario) {
  const std::string dir = capture(p, scenario);
  const Snapshot b = load(dir + "/00-baseline.heapsnapshot");
  const Snapshot t = load(dir + "/01-target.heapsnapshot");
  const Snapshot f = load(dir + "/02-final.heapsnapshot");
  return find_leaks(b, t, f);
}

std::int64_t class_per_step(const Finding& f, const std::string& name) {
  for (const ClassGrowth& c : f.classes)
    if (c.name == name) return c.objects_per_step;
  return -1;
}

struct LeakCase {
  std::string scenario;
  FindingKind growth_kind;
  std::string container_class;
  std::vector<std::string> path_names;  // edge names on the container's path, in order
  std::string leaked_class;
  std::int64_t per_round;          // leaked_class instances per round
  std::int64_t objects_per_step;   // the container's measure per step
  std::int64_t leaks_class_count;  // leaked_class objects in the leaks group (-1: leaks is quiet)
};

class LeakScenario : public ::testing::TestWithParam<std::tuple<Producer, LeakCase>> {};

TEST_P(LeakScenario, GrowthAndLeaksNameTheContainerAtRankOne) {
  const auto& [producer, c] = GetParam();
  if (!producer_available(producer)) GTEST_SKIP() << producer_name(producer) << " not available";
  const GrowthReport g = growth_of(producer, c.scenario);
  EXPECT_EQ(g.points.size(), kRounds - 1);
  ASSERT_FALSE(g.findings.empty()) << c.scenario;
  const Finding& top = g.findings.front();
  EXPECT_EQ(top.rank, 1u);
  EXPECT_EQ(top.kind, c.growth_kind) << finding_kind_name(top.kind);
  EXPECT_EQ(top.container.class_name, c.container_class);
  // The path's edge names hold c.path_names as a contiguous run (a WeakMap's key may follow).
  const auto& path = top.container.path;
  EXPECT_NE(std::search(path.begin(), path.end(), c.path_names.begin(), c.path_names.end()),
            path.end())
      << top.container.path_text;
  EXPECT_EQ(class_per_step(top, c.leaked_class), c.per_round) << top.container.path_text;
  EXPECT_EQ(top.objects_per_step, c.objects_per_step);
  EXPECT_GT(top.bytes_per_step, 0);
  EXPECT_NE(top.container.id, 0u);
  // Only the leak: nothing else grows in these small programs.
  EXPECT_EQ(g.findings.size(), 1u) << g.findings.back().container.path_text;

  const LeakReport l = leaks_of(producer, c.scenario);
  if (c.leaks_class_count < 0) {
    EXPECT_TRUE(l.findings.empty());
    return;
  }
  ASSERT_FALSE(l.findings.empty());
  EXPECT_EQ(l.findings.front().container.id, top.container.id);
  EXPECT_EQ(class_per_step(l.findings.front(), c.leaked_class), c.leaks_class_count);
  EXPECT_EQ(l.findings.size(), 1u) << l.findings.back().container.path_text;
}

// clang-format off
const LeakCase kLeakCases[] = {
    // scenario, kind, container class, path names, class, per round, measure/step, in leaks
    {"leak-request-cache", FindingKind::kUnboundedCollection, "Map", {"requestCache"},
     "RequestContext", 200, 200, 200},
    {"leak-listeners", FindingKind::kUnboundedCollection, "Array", {"bus", "listeners"},
     "Function", 100, 100, 100},
    {"leak-closure-array", FindingKind::kUnboundedCollection, "Array", {"record", "samples"},
     "Sample", 120, 120, 120},
    {"leak-linked-chain", FindingKind::kUnboundedCollection, "JournalEntry", {"journal", "head"},
     "JournalEntry", 150, 150, 149},
    {"leak-set", FindingKind::kUnboundedCollection, "Set", {"seenSessions"},
     "Session", 150, 150, 150},
    {"leak-weakmap-long-key", FindingKind::kUnboundedCollection, "Array", {"metadata"},
     "Annotation", 80, 80, 80},
    {"leak-deep-property", FindingKind::kUnboundedCollection, "Array",
     {"services", "metrics", "store", "samples"}, "MetricSample", 90, 90, 90},
    {"leak-pending-promises", FindingKind::kUnboundedCollection, "Map", {"pendingCalls"},
     "PendingCall", 70, 70, 70},
    {"leak-slow-drip", FindingKind::kUnboundedCollection, "Array", {"auditTrail"},
     "AuditRecord", 8, 8, 8},
    {"leak-memoize", FindingKind::kUnboundedCollection, "Map", {"compute", "memo"},
     "Result", 100, 100, 100},
    // A ConsString tree held by the script context (leaks: -1, strings are not user objects).
    {"leak-string-accumulation", FindingKind::kUnboundedCollection, "system / Context", {},
     "(string)", 400, 400, -1},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Scenarios, LeakScenario,
                         ::testing::Combine(::testing::Values(Producer::kNode,
                                                              Producer::kSnapcapture),
                                            ::testing::ValuesIn(kLeakCases)),
                         [](const auto& info) {
                           return test::scenario_test_name(std::get<1>(info.param).scenario,
                                                           producer_name(std::get<0>(info.param)));
                         });

struct HealthyCase {
  std::string scenario;
  bool leaks_quiet;  // the three-snapshot test cannot tell a warm-up or a half batch from a leak
};

class HealthyScenario : public ::testing::TestWithParam<std::tuple<Producer, HealthyCase>> {};

TEST_P(HealthyScenario, NoFinding) {
  const auto& [producer, c] = GetParam();
  if (!producer_available(producer)) GTEST_SKIP() << producer_name(producer) << " not available";
  const GrowthReport g = growth_of(producer, c.scenario);
  EXPECT_EQ(g.points.size(), kRounds - 1);
  for (const Finding& f : g.findings)
    ADD_FAILURE() << c.scenario << ": " << finding_kind_name(f.kind) << " " << f.container.path_text
                  << " " << f.objects_per_step << "/step";
  if (c.leaks_quiet) {
    const LeakReport l = leaks_of(producer, c.scenario);
    for (const Finding& f : l.findings)
      ADD_FAILURE() << c.scenario << " leaks: " << f.container.path_text << " "
                    << f.objects_per_step;
  }
}

// clang-format off
const HealthyCase kHealthyCases[] = {
    {"healthy", true}, {"healthy-lru", true}, {"healthy-cleared-cache", true},
    {"healthy-warmup", false}, {"healthy-sawtooth", false}, {"healthy-churn", true},
    {"healthy-working-set", true}, {"healthy-weakmap-short-keys", true},
};
// clang-format on

INSTANTIATE_TEST_SUITE_P(Scenarios, HealthyScenario,
                         ::testing::Combine(::testing::Values(Producer::kNode,
                                                              Producer::kSnapcapture),
                                            ::testing::ValuesIn(kHealthyCases)),
                         [](const auto& info) {
                           return test::scenario_test_name(std::get<1>(info.param).scenario,
                                                           producer_name(std::get<0>(info.param)));
                         });

// The warm-up really leaves 400 objects behind, and the sawtooth really holds its half batch in
// final: the three-snapshot test sees them (growth is the one that must stay quiet).
TEST(LeaksControls, WarmUpAndHalfBatchAreSeenByTheThreeSnapshotTest) {
  if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  const LeakReport w = leaks_of(Producer::kNode, "healthy-warmup");
  ASSERT_FALSE(w.findings.empty());
  EXPECT_EQ(class_per_step(w.findings.front(), "Config"), 400);
  const LeakReport s = leaks_of(Producer::kNode, "healthy-sawtooth");
  ASSERT_FALSE(s.findings.empty());
  EXPECT_EQ(class_per_step(s.findings.front(), "Job"), 300);
}

// Intervals never cleared, under node: the Timeouts have no single dominator
// in the program, yet growth finds them through their classes, grouped under the container that
// holds most of them (Node's `timerListMap`), 60 per round.
TEST(TimerLeak, FoundThroughItsClassesAndRetainerGroup) {
  if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  const GrowthReport g = growth_of(Producer::kNode, "leak-timers");
  ASSERT_FALSE(g.findings.empty());
  const Finding& top = g.findings.front();
  ASSERT_FALSE(top.container.path.empty());
  EXPECT_EQ(top.container.path.back(), "timerListMap") << top.container.path_text;
  EXPECT_EQ(class_per_step(top, "Timeout"), 60);
  EXPECT_EQ(class_per_step(top, "Payload"), 60);
  EXPECT_EQ(top.objects_per_step, 60);
  EXPECT_EQ(g.findings.size(), 1u) << g.findings.back().container.path_text;

  const LeakReport l = leaks_of(Producer::kNode, "leak-timers");
  ASSERT_FALSE(l.findings.empty());
  EXPECT_EQ(l.findings.front().container.id, top.container.id);
  EXPECT_EQ(class_per_step(l.findings.front(), "Timeout"), 60);
  EXPECT_EQ(l.findings.size(), 1u) << l.findings.back().container.path_text;
}

// Under snapcapture the intervals (unref'd, as under node) are held by the event loop's V8 global
// handles, so growth names that root as the container: 60 Payloads, with their closures and
// arrays, per round, and nothing else.
TEST(TimerLeak, FoundUnderSnapcaptureThroughTheGlobalHandles) {
  if (!producer_available(Producer::kSnapcapture)) GTEST_SKIP() << "snapcapture not built";
  const GrowthReport g = growth_of(Producer::kSnapcapture, "leak-timers");
  ASSERT_FALSE(g.findings.empty());
  const Finding& top = g.findings.front();
  EXPECT_EQ(class_per_step(top, "Payload"), 60);
  EXPECT_EQ(class_per_step(top, "Function"), 60);
  EXPECT_EQ(top.objects_per_step, 180);
  EXPECT_EQ(g.findings.size(), 1u) << g.findings.back().container.path_text;
}

// The engine-internals rule, on a real Node 20 heap.
// The per-point facts and class series that the gate's budgets and the report's charts read:
// each point's numbers equal a fresh analysis of that snapshot, and the leaked class grows by
// exactly its per-round count.
TEST(GrowthSeries, FactsAndClassSeriesMatchEachSnapshot) {
  if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  const GrowthReport g = growth_of(Producer::kNode, "leak-request-cache");
  ASSERT_EQ(g.facts.size(), g.points.size());
  ASSERT_FALSE(g.classes.empty());
  EXPECT_TRUE(
      std::is_sorted(g.classes.begin(), g.classes.end(),
                     [](const ClassSeries& x, const ClassSeries& y) { return x.name < y.name; }));
  for (std::size_t i = 0; i < g.points.size(); ++i) {
    const Snapshot s = load(g.points[i].path);
    const Analysis a = analyze(s);
    EXPECT_EQ(g.facts[i].nodes, s.node_count());
    EXPECT_EQ(g.facts[i].edges, s.edge_count());
    EXPECT_EQ(g.facts[i].total_bytes, a.statistics.total);
    std::uint64_t objects = 0, bytes = 0;
    for (NodeOrdinal v = 0; v < s.node_count(); ++v) {
      if (!is_user_object(s, v) || a.distance[v] == kNoDistance) continue;
      ++objects;
      bytes += a.shallow_size[v];
    }
    EXPECT_EQ(g.facts[i].user_objects, objects);
    EXPECT_EQ(g.facts[i].user_bytes, bytes);
    std::int64_t class_objects = 0;
    for (const ClassSeries& c : g.classes) {
      ASSERT_EQ(c.objects.size(), g.points.size());
      ASSERT_EQ(c.bytes.size(), g.points.size());
      class_objects += c.objects[i];
    }
    EXPECT_EQ(static_cast<std::uint64_t>(class_objects), objects);
  }
  auto rc = std::find_if(g.classes.begin(), g.classes.end(),
                         [](const ClassSeries& c) { return c.name == "RequestContext"; });
  ASSERT_NE(rc, g.classes.end());
  for (std::size_t i = 1; i < rc->objects.size(); ++i)
    EXPECT_EQ(rc->objects[i] - rc->objects[i - 1], 200) << "step " << i;
}

TEST(EngineInternals, CodeShapesAndSystemObjectsAreNotUserObjects) {
  if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  const Snapshot s =
      load(capture(Producer::kNode, "leak-request-cache") + "/02-final.heapsnapshot");
  std::size_t internal = 0, request_contexts = 0;
  for (NodeOrdinal n = 0; n < s.node_count(); ++n) {
    const std::string_view name = s.node_name(n);
    const NodeType t = s.node_type(n);
    if (t == NodeType::kCode || t == NodeType::kObjectShape || t == NodeType::kHidden ||
        t == NodeType::kArray || t == NodeType::kString || name == "system / Map" ||
        name == "system / FeedbackVector" || name == "system / TransitionArray" ||
        name == "system / Context") {
      EXPECT_FALSE(is_user_object(s, n)) << name;
      ++internal;
    }
    if (name == "RequestContext" && t == NodeType::kObject) {
      EXPECT_TRUE(is_user_object(s, n));
      ++request_contexts;
    }
  }
  EXPECT_GT(internal, 1000u);
  EXPECT_EQ(request_contexts, 200u);  // final is the end of round 1
}

// ---------------------------------------------------------------------------------------------
// The CLI

TEST(GrowthCli, TextLeadsWithTheSentenceAndJsonHasTheDocumentedShape) {
  if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  const std::string dir = capture(Producer::kNode, "leak-request-cache");
  const test::RunResult text = run(quote(bin_path("analyzer")) + " growth --dir " + quote(dir));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out.rfind("1. `requestCache` (Map @", 0), 0u) << text.out;
  EXPECT_NE(text.out.find("gains 200 entries per step"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("200 RequestContext"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("requestCache → Map @"), std::string::npos) << text.out;

  const test::RunResult json =
      run(quote(bin_path("analyzer")) + " growth --json --dir " + quote(dir));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(
      json.out.find(R"("findings":[{"rank":1,"kind":"unbounded-collection","container":{"id":)"),
      std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find(R"("class":"Map","path":[)"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find(R"("requestCache"],"path_text":)"), std::string::npos) << json.out;
  EXPECT_NE(json.out.find(R"({"name":"RequestContext","objects_per_step":200,)"), std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find(R"("series":[0,200,400,600,800])"), std::string::npos) << json.out;

  const test::RunResult healthy = run(quote(bin_path("analyzer")) + " growth --json --dir " +
                                      quote(capture(Producer::kNode, "healthy-lru")));
  EXPECT_EQ(healthy.exit_code, 0);
  EXPECT_NE(healthy.out.find(R"("findings":[])"), std::string::npos) << healthy.out;
}

TEST(LeaksCli, ThreeFilesOrADirectory) {
  if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  const std::string dir = capture(Producer::kNode, "leak-listeners");
  const test::RunResult files =
      run(quote(bin_path("analyzer")) + " leaks " + quote(dir + "/00-baseline.heapsnapshot") + " " +
          quote(dir + "/01-target.heapsnapshot") + " " + quote(dir + "/02-final.heapsnapshot"));
  ASSERT_EQ(files.exit_code, 0) << files.err;
  EXPECT_EQ(files.out.rfind("1. `listeners` (Array @", 0), 0u) << files.out;
  const test::RunResult json = run(quote(bin_path("analyzer")) + " leaks --json " + quote(dir));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find(R"("findings":[{"rank":1,"kind":"leak-group")"), std::string::npos)
      << json.out;
  const test::RunResult quiet =
      run(quote(bin_path("analyzer")) + " leaks " + quote(capture(Producer::kNode, "healthy-lru")));
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.out.rfind("No leak", 0), 0u) << quiet.out;
}

TEST(LeaksGrowthCli, BadInputExitsTwoWithAClearMessage) {
  if (!producer_available(Producer::kNode)) GTEST_SKIP() << "node not available";
  const std::string a = quote(bin_path("analyzer"));
  const std::string dir = capture(Producer::kNode, "healthy");
  const std::string f0 = quote(dir + "/00-baseline.heapsnapshot");
  const std::string f2 = quote(dir + "/02-final.heapsnapshot");
  const std::string f3 = quote(dir + "/03-round-2.heapsnapshot");

  test::RunResult r = run(a + " growth " + f0 + " " + f2);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("at least 3 snapshots"), std::string::npos) << r.err;

  r = run(a + " growth " + f0 + " " + f2 + " " + quote(dir + "/missing.heapsnapshot"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.heapsnapshot: no such file"), std::string::npos) << r.err;

  r = run(a + " growth " + f3 + " " + f2 + " " + f0);  // out of order: ids go back
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("not a later snapshot of the same process"), std::string::npos) << r.err;

  r = run(a + " leaks " + f0 + " " + f2);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("BASELINE TARGET FINAL"), std::string::npos) << r.err;

  r = run(a + " leaks " + f0 + " " + f2 + " " + quote(dir + "/missing.heapsnapshot"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.heapsnapshot"), std::string::npos) << r.err;

  if (producer_available(Producer::kSnapcapture)) {  // V8 10.2 and V8 11: two processes
    const std::string other = capture(Producer::kSnapcapture, "healthy");
    r = run(a + " leaks " + quote(other + "/00-baseline.heapsnapshot") + " " + f2 + " " + f3);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("different V8 versions"), std::string::npos) << r.err;
  }

  r = run(a + " growth --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("analyzer growth --dir run"), std::string::npos) << r.out;
  r = run(a + " leaks --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace libsnap
