// Retainer paths, dominator chains, readable paths and node search (paths.hpp, search.hpp):
// hand-made graphs for the rules and the bounds, then captured scenario snapshots
// (fixtures/scenarios/paths.js) for the exact edge names of real V8 paths.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/paths.hpp"
#include "libsnap/reader.hpp"
#include "libsnap/search.hpp"
#include "snapshot_builder.hpp"
#include "test_support.hpp"

namespace {

using libsnap::NodeOrdinal;
using libsnap::PathStatus;
using libsnap::ReadableStep;
using libsnap::RetainerPath;
using libsnap::Snapshot;
using libsnap::StepKind;

// The shared hand-made snapshot builder (7 node fields, ids 2n + 1), with the defaults these tests
// use: nodes of 8 bytes.
class Graph : public libsnap::test::SnapshotBuilder {
 public:
  std::uint32_t node(const std::string& type, const std::string& name, std::uint32_t size = 8) {
    return SnapshotBuilder::node(type, name, size);
  }
  std::uint32_t id(std::uint32_t n) const { return 2 * n + 1; }
  Snapshot load() const { return libsnap::load_from_memory(json(), "paths-test"); }
};

// The root, (GC roots) with one sub-root, and a global object (a user root).
struct Base {
  Graph g;
  std::uint32_t root, gc_roots, sub_root, global;
  Base() {
    root = g.node("synthetic", "");
    gc_roots = g.node("synthetic", "(GC roots)");
    sub_root = g.node("synthetic", "(Handle scope)");
    global = g.node("object", "global");
    g.edge(root, "shortcut", "1", global);
    g.edge(root, "element", "1", gc_roots);
    g.edge(gc_roots, "element", "1", sub_root);
  }
};

std::vector<std::string> shown_names(const std::vector<ReadableStep>& steps) {
  std::vector<std::string> out;
  for (const ReadableStep& r : steps)
    if (r.kind != StepKind::kRoot && !r.internal) out.push_back(r.name);
  return out;
}

std::vector<NodeOrdinal> path_nodes(const RetainerPath& p) {
  std::vector<NodeOrdinal> out;
  for (const auto& s : p) out.push_back(s.to);
  return out;
}

TEST(Paths, ShortestPathFollowsUserDistancesNotFewerSystemHops) {
  Base b;
  Graph& g = b.g;
  auto a = g.node("object", "A");
  auto c = g.node("object", "C");
  auto t = g.node("object", "Target");
  g.edge(b.global, "property", "a", a);
  g.edge(a, "property", "c", c);
  g.edge(c, "property", "t", t);
  g.edge(b.sub_root, "internal", "handle", t);  // 3 hops, but through the system roots
  Snapshot s = g.load();
  std::vector<std::int32_t> d = libsnap::compute_distances(s);
  ASSERT_EQ(d[t], 4);
  libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, t);
  ASSERT_EQ(found.status, PathStatus::kFound);
  ASSERT_EQ(found.paths.size(), 1u);
  EXPECT_EQ(path_nodes(found.paths[0]), (std::vector<NodeOrdinal>{b.global, a, c, t}));
  EXPECT_EQ(found.paths[0].front().from, b.root);
  // Each step goes to a retainer one closer.
  for (const auto& step : found.paths[0]) {
    if (step.from != b.root) {
      EXPECT_EQ(d[step.from] + 1, d[step.to]);
    }
  }
  std::vector<ReadableStep> steps = libsnap::describe_path(s, found.paths[0]);
  EXPECT_EQ(shown_names(steps), (std::vector<std::string>{"a", "c", "t"}));
  EXPECT_EQ(libsnap::path_text(s, steps, nullptr),
            "global @7 .a (A @9) .c (C @11) .t → Target @13");

  // Asked for more, the system path comes second.
  found = libsnap::find_retainer_paths(s, d, t, {.max_paths = 5});
  ASSERT_EQ(found.paths.size(), 2u);
  EXPECT_EQ(path_nodes(found.paths[1]), (std::vector<NodeOrdinal>{b.gc_roots, b.sub_root, t}));
}

TEST(Paths, KDistinctPathsShortestFirstAndSimple) {
  Base b;
  Graph& g = b.g;
  // global -> x1, x2, x3 -> t, plus global -> y -> z -> t, and a cycle t <-> w.
  auto t = g.node("object", "T");
  std::vector<std::uint32_t> xs;
  for (int i = 0; i < 3; ++i) {
    xs.push_back(g.node("object", "X"));
    g.edge(b.global, "property", std::string("x").append(std::to_string(i)), xs.back());
    g.edge(xs.back(), "property", "t", t);
  }
  auto y = g.node("object", "Y");
  auto z = g.node("object", "Z");
  auto w = g.node("object", "W");
  g.edge(b.global, "property", "y", y);
  g.edge(y, "property", "z", z);
  g.edge(z, "property", "t", t);
  g.edge(t, "property", "w", w);
  g.edge(w, "property", "back", t);
  Snapshot s = g.load();
  std::vector<std::int32_t> d = libsnap::compute_distances(s);
  libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, t, {.max_paths = 10});
  ASSERT_EQ(found.status, PathStatus::kFound);
  // Three paths of 3 edges, one of 4; none through the cycle (not simple).
  ASSERT_EQ(found.paths.size(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(found.paths[i].size(), 3u);
  EXPECT_EQ(found.paths[3].size(), 4u);
  std::set<std::vector<std::uint32_t>> distinct;
  for (const auto& p : found.paths) {
    std::vector<std::uint32_t> edges;
    std::set<NodeOrdinal> seen;
    for (const auto& st : p) {
      edges.push_back(st.edge);
      EXPECT_TRUE(seen.insert(st.to).second) << "a path repeats a node";
    }
    distinct.insert(edges);
  }
  EXPECT_EQ(distinct.size(), 4u);
  EXPECT_FALSE(found.budget_exhausted);
}

TEST(Paths, WeakOnlyNodesAreUnreachableAndDepthIsLimited) {
  Base b;
  Graph& g = b.g;
  auto a = g.node("object", "A");
  auto c = g.node("object", "C");
  auto weak_only = g.node("object", "Weak");
  g.edge(b.global, "property", "a", a);
  g.edge(a, "property", "c", c);
  g.edge(c, "weak", "w", weak_only);
  Snapshot s = g.load();
  std::vector<std::int32_t> d = libsnap::compute_distances(s);
  EXPECT_EQ(libsnap::find_retainer_paths(s, d, weak_only).status, PathStatus::kUnreachable);
  EXPECT_TRUE(libsnap::find_retainer_paths(s, d, weak_only).paths.empty());
  EXPECT_EQ(libsnap::find_retainer_paths(s, d, c, {.max_depth = 2}).status, PathStatus::kTooDeep);
  EXPECT_EQ(libsnap::find_retainer_paths(s, d, c, {.max_depth = 3}).status, PathStatus::kFound);
  libsnap::PathSearch root = libsnap::find_retainer_paths(s, d, b.root);
  EXPECT_EQ(root.status, PathStatus::kIsRoot);
  ASSERT_EQ(root.paths.size(), 1u);
  EXPECT_TRUE(root.paths[0].empty());
  // Out-of-range ordinals are not a crash.
  EXPECT_EQ(libsnap::find_retainer_paths(s, d, s.node_count() + 5).status,
            PathStatus::kUnreachable);
}

TEST(Paths, LongChainWithoutRecursion) {
  Base b;
  Graph& g = b.g;
  constexpr int kLength = 200000;
  std::uint32_t prev = b.global;
  for (int i = 0; i < kLength; ++i) {
    auto n = g.node("object", "Link");
    g.edge(prev, "property", "next", n);
    prev = n;
  }
  Snapshot s = g.load();
  std::vector<std::int32_t> d = libsnap::compute_distances(s);
  libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, prev);
  ASSERT_EQ(found.status, PathStatus::kFound);
  EXPECT_EQ(found.paths[0].size(), static_cast<std::size_t>(kLength) + 1);
  std::vector<ReadableStep> steps = libsnap::describe_path(s, found.paths[0]);
  // A linked list is one shape whatever its depth; its text keeps both ends.
  EXPECT_EQ(libsnap::path_shape(s, steps, nullptr), "global .next+");
  const std::string text = libsnap::path_text(s, steps, nullptr, false, 10);
  EXPECT_TRUE(text.starts_with("global @7 .next (Link @9) .next (Link @11)")) << text;
  EXPECT_NE(text.find(" … 199991 more steps … .next (Link @"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with(".next → Link @" + std::to_string(g.id(prev)))) << text;
  EXPECT_LT(text.size(), 1000u);
}

TEST(Paths, DenseGraphIsBoundedByTheWorkBudget) {
  // 12 layers of 40 nodes, each node retained by every node of the layer above: 40^12 paths.
  Base b;
  Graph& g = b.g;
  std::vector<std::uint32_t> layer{b.global};
  for (int l = 0; l < 12; ++l) {
    std::vector<std::uint32_t> next;
    for (int i = 0; i < 40; ++i) next.push_back(g.node("object", "N"));
    for (auto from : layer)
      for (std::size_t i = 0; i < next.size(); ++i)
        g.edge(from, "property", std::string("p").append(std::to_string(i)), next[i]);
    layer = next;
  }
  auto t = g.node("object", "T");
  for (auto from : layer) g.edge(from, "property", "t", t);
  Snapshot s = g.load();
  std::vector<std::int32_t> d = libsnap::compute_distances(s);
  libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, t, {.max_paths = 100});
  EXPECT_EQ(found.paths.size(), 100u);
  EXPECT_LE(found.work, 100u * 40u * 13u + 100u);
  for (const auto& p : found.paths) EXPECT_EQ(p.size(), 14u);
  // A budget smaller than one path's worth stops the search and says so.
  found = libsnap::find_retainer_paths(s, d, t, {.max_paths = 100, .max_work = 50});
  EXPECT_TRUE(found.budget_exhausted);
  EXPECT_EQ(found.status, PathStatus::kOutOfBudget);
}

TEST(Paths, MapSetClosureAndElementStoreSteps) {
  Base b;
  Graph& g = b.g;
  auto map = g.node("object", "Map");
  auto table = g.node("array", "");
  auto key = g.node("string", "session:alpha");
  auto value = g.node("object", "Session");
  g.edge(b.global, "property", "sessions", map);
  g.edge(map, "internal", "table", table);
  g.edge(table, "internal", "5", key);
  g.edge(table, "internal", "6", value);
  auto set = g.node("object", "Set");
  auto set_table = g.node("array", "");
  auto entry = g.node("object", "Entry");
  g.edge(b.global, "property", "live", set);
  g.edge(set, "internal", "table", set_table);
  g.edge(set_table, "internal", "4", entry);
  auto fn = g.node("closure", "onConfigChange");
  auto ctx = g.node("object", "system / Context");
  auto state = g.node("object", "State");
  g.edge(b.global, "property", "watcher", fn);
  g.edge(fn, "internal", "context", ctx);
  g.edge(ctx, "context", "state", state);
  auto arr = g.node("object", "Array");
  auto store = g.node("array", "(object elements)");
  auto item = g.node("object", "Item");
  g.edge(b.global, "property", "my list", arr);
  g.edge(arr, "internal", "elements", store);
  g.edge(store, "internal", "412", item);
  Snapshot s = g.load();
  std::vector<std::int32_t> d = libsnap::compute_distances(s);
  auto text = [&](NodeOrdinal n, bool internals = false) {
    libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, n);
    EXPECT_EQ(found.status, PathStatus::kFound);
    return libsnap::path_text(s, libsnap::describe_path(s, found.paths.at(0)), nullptr, internals);
  };
  EXPECT_EQ(text(value), "global @7 .sessions (Map @9) .get(\"session:alpha\") → Session @15");
  EXPECT_EQ(text(key), "global @7 .sessions (Map @9) {key} → \"session:alpha\" @13");
  EXPECT_EQ(text(entry), "global @7 .live (Set @17) {entry} → Entry @21");
  EXPECT_EQ(text(state),
            "global @7 .watcher (Function onConfigChange() @23) "
            "onConfigChange()::state → State @27");
  EXPECT_EQ(text(item), "global @7 [\"my list\"] (Array @29) [412] → Item @33");
  EXPECT_EQ(text(item, true),
            "global @7 [\"my list\"] (Array @29) [[elements]] ((object elements) @31) [412] → "
            "Item @33");
  libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, value);
  std::vector<ReadableStep> steps = libsnap::describe_path(s, found.paths[0]);
  ASSERT_EQ(steps.size(), 4u);
  EXPECT_EQ(steps[2].kind, StepKind::kInternal);
  EXPECT_EQ(steps[3].kind, StepKind::kMapValue);
  EXPECT_EQ(steps[3].name, "\"session:alpha\"");
  EXPECT_EQ(libsnap::path_shape(s, steps, nullptr), "global .sessions .get(\"session:alpha\")");
}

TEST(Paths, WeakMapValueThroughTheLaterOfItsTwoEdges) {
  Base b;
  Graph& g = b.g;
  auto holder = g.node("object", "Holder");
  auto wm = g.node("object", "WeakMap");
  auto table = g.node("array", "");
  auto key = g.node("object", "Key");
  auto value = g.node("object", "Val");
  g.edge(b.global, "property", "holder", holder);
  g.edge(holder, "property", "wm", wm);
  g.edge(wm, "internal", "table", table);
  g.edge(b.global, "property", "k", key);
  const std::string pair = "3 / part of key (Key @" + std::to_string(g.id(key)) +
                           ") -> value (Val @" + std::to_string(g.id(value)) +
                           ") pair in WeakMap (table @" + std::to_string(g.id(table)) + ")";
  g.edge(table, "internal", pair, value);
  g.edge(key, "internal", pair, value);
  Snapshot s = g.load();
  std::vector<std::int32_t> d = libsnap::compute_distances(s);
  // The key is at 2 and the table at 4: DevTools puts the value after the later one.
  ASSERT_EQ(d[value], 5);
  libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, value, {.max_paths = 3});
  ASSERT_EQ(found.status, PathStatus::kFound);
  ASSERT_EQ(found.paths.size(), 1u) << "the key's edge is one DevTools' BFS does not follow";
  EXPECT_EQ(found.paths[0].size(), 5u);
  std::vector<ReadableStep> steps = libsnap::describe_path(s, found.paths[0]);
  EXPECT_EQ(steps.back().kind, StepKind::kWeakMapValue);
  EXPECT_EQ(libsnap::path_text(s, steps, nullptr),
            "global @7 .holder (Holder @9) .wm (WeakMap @11) .get(<Key @15>) → Val @17");
}

TEST(Paths, DescriptorLinksAreNotRetainerSteps) {
  Base b;
  Graph& g = b.g;
  // global -> a -> b -> c -> x and y; and global -> m1 -> m2 -> m3 -> (map descriptors) whose
  // slot 4 (a descriptor's details, index % 3 == 1) points to x and slot 5 to y.
  auto a = g.node("object", "A");
  auto bb = g.node("object", "B");
  auto c = g.node("object", "C");
  auto x = g.node("object", "X");
  auto y = g.node("object", "Y");
  g.edge(b.global, "property", "a", a);
  g.edge(a, "property", "b", bb);
  g.edge(bb, "property", "c", c);
  g.edge(c, "property", "x", x);
  g.edge(c, "property", "y", y);
  std::uint32_t prev = b.global;
  for (int i = 0; i < 3; ++i) {
    auto m = g.node("hidden", "system / Map");
    g.edge(prev, "internal", "map", m);
    prev = m;
  }
  auto descriptors = g.node("array", "(map descriptors)");
  g.edge(prev, "internal", "instance_descriptors", descriptors);
  g.edge(descriptors, "internal", "4", x);
  g.edge(descriptors, "internal", "5", y);
  Snapshot s = g.load();
  std::vector<std::int32_t> d = libsnap::compute_distances(s);
  ASSERT_EQ(d[x], 5);
  ASSERT_EQ(d[descriptors], 5);
  EXPECT_EQ(libsnap::find_retainer_paths(s, d, x, {.max_paths = 3}).paths.size(), 1u);
  EXPECT_EQ(libsnap::find_retainer_paths(s, d, y, {.max_paths = 3}).paths.size(), 2u);
}

TEST(Paths, DominatorChainWalksUpAndStopsOnMalformedTrees) {
  libsnap::DominatorTree t;
  t.idom = {0, 0, 1, 2, 3};
  EXPECT_EQ(libsnap::dominator_chain(t, 4), (std::vector<NodeOrdinal>{4, 3, 2, 1, 0}));
  EXPECT_EQ(libsnap::dominator_chain(t, 0), (std::vector<NodeOrdinal>{0}));
  EXPECT_TRUE(libsnap::dominator_chain(t, 9).empty());
  // 4 is under 2, 3 is not under 1's sibling 5; 9 is out of range.
  t.idom = {0, 0, 1, 0, 2, 0};
  const std::vector<NodeOrdinal> members = {4, 2, 3, 5, 9};
  EXPECT_EQ(libsnap::dominated_by_another(t, members), (std::vector<std::uint8_t>{1, 0, 0, 0, 0}));
  t.idom = {0, 2, 1};  // a cycle no real tree has
  EXPECT_LE(libsnap::dominator_chain(t, 1).size(), 4u);
  const std::vector<NodeOrdinal> cyclic = {1, 2};
  EXPECT_EQ(libsnap::dominated_by_another(t, cyclic).size(), 2u);
}

TEST(Search, IdsNamesStringsAndConsStrings) {
  Base b;
  Graph& g = b.g;
  auto cons = g.node("concatenated string", "(concatenated string)");
  auto left = g.node("string", "session:");
  auto right = g.node("string", "alpha");
  auto obj = g.node("object", "MetricSample");
  g.edge(cons, "internal", "first", left);
  g.edge(cons, "internal", "second", right);
  g.edge(b.global, "property", "s", cons);
  g.edge(b.global, "property", "m", obj);
  Snapshot s = g.load();
  EXPECT_EQ(libsnap::find_node_by_id(s, g.id(obj)), obj);
  EXPECT_FALSE(libsnap::find_node_by_id(s, 2).has_value());
  EXPECT_EQ(libsnap::string_value(s, cons), "session:alpha");
  bool truncated = false;
  EXPECT_EQ(libsnap::string_value(s, cons, 4, &truncated), "sess");
  EXPECT_TRUE(truncated);
  EXPECT_EQ(libsnap::find_strings(s, std::regex("^session:a")), (std::vector<NodeOrdinal>{cons}));
  EXPECT_EQ(libsnap::find_by_name(s, std::regex("Metric")), (std::vector<NodeOrdinal>{obj}));
  libsnap::ClassNames classes;
  classes.name = {"A", "MetricSample", "MetricSample"};
  classes.class_of.assign(s.node_count(), 0);
  classes.class_of[obj] = 2;
  EXPECT_EQ(libsnap::find_by_class(classes, "MetricSample"), (std::vector<NodeOrdinal>{obj}));
  EXPECT_TRUE(libsnap::find_by_class(classes, "Nope").empty());
  std::vector<std::uint64_t> retained = {5, 1, 9, 9, 2};
  EXPECT_EQ(libsnap::biggest_first({0, 1, 2, 3, 4}, retained, 3),
            (std::vector<NodeOrdinal>{2, 3, 0}));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Captured scenario: fixtures/scenarios/paths.js under Node and (when built) snapcapture.

namespace {

using libsnap::test::bin_path;
using libsnap::test::run;
using libsnap::test::RunResult;
using libsnap::test::source_path;
using libsnap::test::TempDir;

using libsnap::test::quote;

using libsnap::test::captured_scenario;
using libsnap::test::Producer;
using libsnap::test::producer_available;
using libsnap::test::producer_name;

// The first object node named `name`.
NodeOrdinal object_named(const Snapshot& s, std::string_view name) {
  for (NodeOrdinal n = 0; n < s.node_count(); ++n)
    if (s.node_type(n) == libsnap::NodeType::kObject && s.node_name(n) == name) return n;
  ADD_FAILURE() << "no object named " << name;
  return 0;
}

struct Shown {
  std::vector<std::string> names, kinds, texts;
};

Shown shown_steps(const Snapshot& s, const std::vector<std::int32_t>& d, NodeOrdinal n) {
  libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, n);
  EXPECT_EQ(found.status, PathStatus::kFound);
  Shown out;
  if (found.paths.empty()) return out;
  const RetainerPath& p = found.paths[0];
  EXPECT_EQ(static_cast<std::int64_t>(p.size()), d[n])
      << "a shortest path is as long as the distance";
  for (const ReadableStep& r : libsnap::describe_path(s, p)) {
    if (r.kind == StepKind::kRoot || r.internal) continue;
    out.names.push_back(r.name);
    out.kinds.push_back(std::string(libsnap::step_kind_name(r.kind)));
    out.texts.push_back(r.text);
  }
  return out;
}

class ScenarioPaths : public ::testing::TestWithParam<Producer> {
 protected:
  void SetUp() override {
    if (!producer_available(GetParam()))
      GTEST_SKIP() << producer_name(GetParam()) << " is not available";
    // Captured once per producer per test run; a failed capture fails the test (and says why).
    file_ = captured_scenario(GetParam(), "paths", 3) + "/01-target.heapsnapshot";
    ASSERT_FALSE(HasFailure());
  }
  std::string file_;
};

TEST_P(ScenarioPaths, ExactEdgeNamesFromTheGlobalToEachLeak) {
  Snapshot s = libsnap::load(file_);
  std::vector<std::int32_t> d = libsnap::compute_distances(s);

  // An array element: app -> services -> metrics -> samples -> [i].
  Shown sample = shown_steps(s, d, object_named(s, "MetricSample"));
  ASSERT_EQ(sample.names.size(), 5u) << ::testing::PrintToString(sample.texts);
  EXPECT_EQ(std::vector<std::string>(sample.names.begin(), sample.names.begin() + 4),
            (std::vector<std::string>{"app", "services", "metrics", "samples"}));
  EXPECT_TRUE(std::regex_match(sample.names[4], std::regex("[0-9]+"))) << sample.names[4];
  EXPECT_EQ(sample.kinds,
            (std::vector<std::string>{"property", "property", "property", "property", "element"}));

  // A closure variable: app.watcher is onConfigChange, whose context holds `state`.
  Shown config = shown_steps(s, d, object_named(s, "ConfigState"));
  EXPECT_EQ(config.names, (std::vector<std::string>{"app", "watcher", "state"}));
  EXPECT_EQ(config.kinds, (std::vector<std::string>{"property", "property", "context"}));
  EXPECT_EQ(config.texts,
            (std::vector<std::string>{".app", ".watcher", "onConfigChange()::state"}));

  // A Map entry with a string key, not V8's table slots.
  Shown session = shown_steps(s, d, object_named(s, "SessionRecord"));
  EXPECT_EQ(session.names, (std::vector<std::string>{"app", "sessions", "\"session:alpha\""}));
  EXPECT_EQ(session.kinds, (std::vector<std::string>{"property", "property", "map_value"}));
  EXPECT_EQ(session.texts.back(), ".get(\"session:alpha\")");

  // An event-listener array: bus.listeners.tick[0] is onTick, which captured `payload`.
  Shown listener = shown_steps(s, d, object_named(s, "ListenerPayload"));
  EXPECT_EQ(listener.names, (std::vector<std::string>{"bus", "listeners", "tick", "0", "payload"}));
  EXPECT_EQ(listener.kinds,
            (std::vector<std::string>{"property", "property", "property", "element", "context"}));
  EXPECT_EQ(listener.texts.back(), "onTick()::payload");
}

TEST_P(ScenarioPaths, CommandLine) {
  Snapshot s = libsnap::load(file_);
  const std::string analyzer = quote(bin_path("analyzer")) + " ";
  const std::string f = quote(file_);
  const std::string session = std::to_string(s.node_id(object_named(s, "SessionRecord")));

  RunResult r = run(analyzer + "retainers " + f + " --id " + session);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(".app (App @"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".sessions (Map @"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".get(\"session:alpha\") → SessionRecord @" + session), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("dominator chain:"), std::string::npos);

  r = run(analyzer + "retainers " + f + " --id " + session + " --paths 3 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("kind":"map_value","name":"\"session:alpha\"")"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"("edge_type":"property","edge_name":"sessions")"), std::string::npos);
  EXPECT_NE(r.out.find(R"("status":"found")"), std::string::npos);
  EXPECT_NE(
      r.out.find(R"x("text":".get(\"session:alpha\")","internal":false,"node":{"id":)x" + session +
                 R"(,"type":"object","name":"SessionRecord","class":"SessionRecord")"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"("dominator_chain":[{"id":)" + session), std::string::npos);

  r = run(analyzer + "retainers " + f + " --class MetricSample");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("class MetricSample: 500 objects"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("200 objects, retained "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(".app .services .metrics .samples []"), std::string::npos) << r.out;

  r = run(analyzer + "retainers " + f + " --class MetricSample --instances 1000 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("count":500,)"), std::string::npos) << r.out.substr(0, 300);
  EXPECT_NE(r.out.find(R"("examined":500,"examined_retained_size":20000,"group_count":1,)"),
            std::string::npos)
      << r.out.substr(0, 300);

  r = run(analyzer + "find " + f + " --class SessionRecord --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("count":1,)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("id":)" + session + R"(,"type":"object","name":"SessionRecord")"),
            std::string::npos)
      << r.out;

  r = run(analyzer + "find " + f + " --string '^session-record-marker$'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("1 node with string /^session-record-marker$/"), std::string::npos) << r.out;

  r = run(analyzer + "find " + f + " --name '^MetricsService$' --limit 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("MetricsService @"), std::string::npos) << r.out;

  r = run(analyzer + "inspect " + f + " --id " + session);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("property marker -> \"session-record-marker\" @"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("retainers (1):"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("[[table]]"), std::string::npos) << "internal hops are hidden\n" << r.out;
  EXPECT_NE(r.out.find(".get(\"session:alpha\")"), std::string::npos) << r.out;

  // Retainers closest to the root first: App is held by the global's `app` property (distance
  // 1) and by a PropertyCell further away.
  const std::string app = std::to_string(s.node_id(object_named(s, "App")));
  r = run(analyzer + "inspect " + f + " --id " + app);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t at = r.out.find("retainers (");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::size_t line = r.out.find('\n', at) + 1;
  const std::string first = r.out.substr(line, r.out.find('\n', line) - line);
  EXPECT_NE(first.find(" property app  distance 1"), std::string::npos) << r.out;

  r = run(analyzer + "inspect " + f + " --id " + session + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("edge_type":"property","edge_name":"marker","node":{"id":)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"("retainer_count":1,)"), std::string::npos) << r.out;
}

TEST_P(ScenarioPaths, BadQueriesExitTwoWithAMessage) {
  const std::string analyzer = quote(bin_path("analyzer")) + " ";
  const std::string f = quote(file_);
  struct Case {
    std::string args, message;
  } cases[] = {
      {"retainers " + f + " --id 4000000001", "no node with id 4000000001 in "},
      {"retainers " + f + " --id 99999999999", "no node with id 99999999999 in "},
      {"inspect " + f + " --id 4000000001", "no node with id 4000000001 in "},
      {"retainers " + f + " --class NoSuchClass", "no objects of class 'NoSuchClass' in "},
      {"find " + f + " --class NoSuchClass", "no nodes with class 'NoSuchClass' in "},
      {"find " + f + " --name '('", "find: bad regular expression '('"},
      {"retainers " + f, "give exactly one of --id ID or --class NAME"},
      {"find " + f, "give exactly one of --class NAME, --name REGEX or --string REGEX"},
  };
  for (const Case& c : cases) {
    RunResult r = run(analyzer + c.args);
    EXPECT_EQ(r.exit_code, 2) << c.args << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << "\n" << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Producers, ScenarioPaths,
                         ::testing::Values(Producer::kNode, Producer::kSnapcapture),
                         [](const auto& info) { return producer_name(info.param); });

TEST(PathsCli, UnreachableNodeExitsTwo) {
  Base b;
  Graph& g = b.g;
  auto a = g.node("object", "A");
  auto lost = g.node("object", "Lost");
  g.edge(b.global, "property", "a", a);
  g.edge(a, "weak", "w", lost);
  TempDir dir;
  libsnap::test::write_file(dir.file("u.heapsnapshot"), g.json());
  const std::string cmd = quote(bin_path("analyzer")) + " retainers " +
                          quote(dir.file("u.heapsnapshot")) + " --id " + std::to_string(g.id(lost));
  RunResult r = run(cmd);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("Lost @" + std::to_string(g.id(lost)) + " is unreachable from the root"),
            std::string::npos)
      << r.err;
  r = run(cmd + " --json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find(R"("status":"unreachable")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("paths":[])"), std::string::npos) << r.out;
  // Too deep is not unreachable.
  r = run(quote(bin_path("analyzer")) + " retainers " + quote(dir.file("u.heapsnapshot")) +
          " --id " + std::to_string(g.id(a)) + " --max-depth 1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no retainer path within --max-depth 1"), std::string::npos) << r.err;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Against Chrome DevTools: on the oracle snapshot (../shared/oracle), every shortest path is as
// long as DevTools' distance and every step goes to a retainer DevTools puts one closer.

namespace {

TEST(PathsOracle, ShortestPathsMatchDevToolsDistances) {
  const std::string snapshot = libsnap::test::shared_path("oracle/s20.heapsnapshot.gz");
  const std::string table = libsnap::test::shared_path("oracle/s20.devtools.nodes.tsv.gz");
  if (snapshot.empty() || table.empty())
    GTEST_SKIP() << "../shared/oracle is not beside the checkout";
  Snapshot s = libsnap::load(snapshot);
  RunResult tsv = run("gzip -dc " + quote(table));
  ASSERT_EQ(tsv.exit_code, 0) << tsv.err;
  // DevTools' distance by ordinal (rows are in snapshot order; columns: id ... distance last).
  std::vector<std::int32_t> devtools(s.node_count(), libsnap::kNoDistance);
  std::size_t row = 0, pos = tsv.out.find('\n') + 1;
  while (pos < tsv.out.size() && row < s.node_count()) {
    const std::size_t end = tsv.out.find('\n', pos);
    const std::string line = tsv.out.substr(pos, end - pos);
    ASSERT_EQ(std::stoul(line.substr(0, line.find('\t'))), s.node_id(row)) << "row " << row;
    devtools[row++] = std::stoi(line.substr(line.rfind('\t') + 1));
    pos = end + 1;
  }
  ASSERT_EQ(row, s.node_count());
  const std::vector<std::int32_t> d = libsnap::compute_distances(s);
  const std::int32_t base = libsnap::kBaseSystemDistance;
  std::size_t checked = 0, unreachable = 0;
  for (NodeOrdinal n = 1; n < s.node_count(); ++n) {
    libsnap::PathSearch found = libsnap::find_retainer_paths(s, d, n);
    if (devtools[n] == libsnap::kNoDistance) {
      EXPECT_EQ(found.status, PathStatus::kUnreachable) << "@" << s.node_id(n);
      ++unreachable;
      continue;
    }
    ASSERT_EQ(found.status, PathStatus::kFound) << "@" << s.node_id(n);
    const RetainerPath& p = found.paths[0];
    const std::int64_t want = devtools[n] >= base ? devtools[n] - base : devtools[n];
    ASSERT_EQ(static_cast<std::int64_t>(p.size()), want) << "@" << s.node_id(n);
    for (const libsnap::PathStep& st : p) {
      if (st.from == s.root()) continue;
      ASSERT_EQ(devtools[st.from] + 1, devtools[st.to])
          << "@" << s.node_id(n) << ": step @" << s.node_id(st.from) << " -> @" << s.node_id(st.to);
    }
    ++checked;
  }
  EXPECT_GT(checked, 240000u);
  std::cout << "checked " << checked << " paths, " << unreachable << " unreachable nodes\n";
}

}  // namespace
