// DevTools' rules one by one, on hand-made graphs (FORMAT.md §2.2-2.4): distances and their edge
// skips, essential edges, orphans and leftover cliques in the dominator tree, shallow-size
// reattribution; long chains without recursion; random graphs against the textbook definition.
#include <gtest/gtest.h>

#include <bitset>
#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/snapshot.hpp"
#include "snapshot_builder.hpp"

namespace {

using libsnap::DominatorTree;
using libsnap::EdgeMask;
using libsnap::kBaseSystemDistance;
using libsnap::kNoDistance;
using libsnap::NodeOrdinal;
using libsnap::Snapshot;
using libsnap::test::edge_of;
using libsnap::test::NodeLayout;
using libsnap::test::SnapshotBuilder;

struct Analyzed {
  Snapshot s;
  std::vector<std::int32_t> distance;
  std::vector<std::uint32_t> shallow;
  EdgeMask essential;
  DominatorTree tree;
};

Analyzed analyze(const SnapshotBuilder& g, bool raw_sizes = true) {
  Analyzed a{g.load(), {}, {}, {}, {}};
  a.distance = libsnap::compute_distances(a.s);
  a.shallow = libsnap::compute_shallow_sizes(a.s);
  a.essential = libsnap::compute_essential_edges(a.s);
  std::vector<std::uint32_t> raw(a.s.self_sizes().begin(), a.s.self_sizes().end());
  a.tree = libsnap::compute_dominators(a.s, a.essential, raw_sizes ? raw : a.shallow);
  return a;
}

// The children of n in the dominator tree, from the CSR.
std::vector<NodeOrdinal> children(const DominatorTree& t, NodeOrdinal n) {
  return {t.dominated.begin() + t.first_dominated[n],
          t.dominated.begin() + t.first_dominated[n + 1]};
}

// "<n> / part of key (...) -> value (...) pair in WeakMap (table @t)", as V8 names both edges.
std::string ephemeron(int index, const SnapshotBuilder& g, std::uint32_t key, std::uint32_t value,
                      std::uint32_t table_id) {
  return std::to_string(index) + " / part of key (Key @" + std::to_string(g.id(key)) +
         ") -> value (Value @" + std::to_string(g.id(value)) + ") pair in WeakMap (table @" +
         std::to_string(table_id) + ")";
}

TEST(Dominators, WeakEdgesNeitherReachNorRetain) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto global = g.node("object", "Window", 10);
  auto a = g.node("object", "A", 20);
  auto b = g.node("object", "B", 30);
  auto c = g.node("object", "C", 40);
  g.edge(root, "shortcut", "global", global);
  g.edge(global, "property", "a", a);
  g.edge(global, "weak", "b", b);
  g.edge(b, "property", "c", c);
  Analyzed r = analyze(g);

  EXPECT_TRUE(r.essential.test(edge_of(r.s, global, 0)));
  EXPECT_FALSE(r.essential.test(edge_of(r.s, global, 1)));
  EXPECT_EQ(r.distance[root], kBaseSystemDistance);
  EXPECT_EQ(r.distance[global], 1);
  EXPECT_EQ(r.distance[a], 2);
  EXPECT_EQ(r.distance[b], kNoDistance);
  EXPECT_EQ(r.distance[c], kNoDistance);
  // B has only a weak retainer: an extra DFS child of the root, and it still dominates C.
  EXPECT_EQ(r.tree.idom[root], root);
  EXPECT_EQ(r.tree.idom[global], root);
  EXPECT_EQ(r.tree.idom[a], global);
  EXPECT_EQ(r.tree.idom[b], root);
  EXPECT_EQ(r.tree.idom[c], b);
  EXPECT_EQ(r.tree.retained_size[b], 70u);
  EXPECT_EQ(r.tree.retained_size[global], 30u);
  EXPECT_EQ(r.tree.retained_size[root], 100u);
  EXPECT_EQ(children(r.tree, root), (std::vector<NodeOrdinal>{global, b}));
  EXPECT_EQ(children(r.tree, b), (std::vector<NodeOrdinal>{c}));
  EXPECT_TRUE(children(r.tree, c).empty());
}

TEST(Dominators, WeakMapValueIsRetainedByItsKeyNotItsTable) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto global = g.node("object", "Window", 10);
  auto key = g.node("object", "Key", 16);
  auto map = g.node("object", "WeakMap", 8);
  auto table = g.node("array", "system / EphemeronHashTable", 40);
  auto value = g.node("object", "Value", 32);
  // A second table whose edge names another table: that edge is not a table->value edge.
  auto other_table = g.node("array", "system / EphemeronHashTable", 40);
  auto other_value = g.node("object", "Value", 32);
  g.edge(root, "shortcut", "global", global);
  g.edge(global, "property", "k", key);  // the key comes first in BFS order
  g.edge(global, "property", "wm", map);
  g.edge(global, "property", "other", other_table);
  g.edge(map, "internal", "table", table);
  g.edge(table, "internal", ephemeron(1, g, key, value, g.id(table)), value);
  g.edge(key, "internal", ephemeron(3, g, key, value, g.id(table)), value);
  g.edge(other_table, "internal", ephemeron(5, g, key, other_value, g.id(table)), other_value);
  Analyzed r = analyze(g);

  EXPECT_FALSE(r.essential.test(edge_of(r.s, table, 0)));  // table -> value
  EXPECT_TRUE(r.essential.test(edge_of(r.s, key, 0)));     // key -> value
  EXPECT_TRUE(r.essential.test(edge_of(r.s, other_table, 0)));
  EXPECT_EQ(r.tree.idom[value], key);
  EXPECT_EQ(r.tree.idom[other_value], other_table);
  // Distance: the first of the pair met in BFS (from the key, at 2) is skipped, so the value
  // gets table + 1 = 4, not key + 1 = 3 (crbug.com/1290800).
  EXPECT_EQ(r.distance[key], 2);
  EXPECT_EQ(r.distance[table], 3);
  EXPECT_EQ(r.distance[value], 4);
  // The other pair's first edge is skipped too and no second one comes: unreachable.
  EXPECT_EQ(r.distance[other_value], kNoDistance);
}

TEST(Dominators, ShortcutsRetainOnlyFromTheRoot) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto global = g.node("object", "Window", 10);
  auto a = g.node("object", "A", 1);
  auto b = g.node("object", "B", 1);
  auto x = g.node("object", "X", 1);
  g.edge(root, "shortcut", "global", global);
  g.edge(global, "property", "a", a);
  g.edge(global, "property", "b", b);
  g.edge(a, "property", "x", x);
  g.edge(b, "shortcut", "x", x);
  Analyzed r = analyze(g);

  EXPECT_TRUE(r.essential.test(edge_of(r.s, root, 0)));
  EXPECT_FALSE(r.essential.test(edge_of(r.s, b, 0)));
  EXPECT_EQ(r.tree.idom[x], a);  // not `global`, as it would be if b's shortcut counted
  EXPECT_EQ(r.distance[x], 3);   // distances do follow shortcuts
}

TEST(Dominators, NothingOutsideThePageDominatesWhatThePageOwns) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto global = g.node("object", "Window", 10);
  auto gc_roots = g.node("synthetic", "(GC roots)", 0);
  auto debugger = g.node("object", "DebuggerThing", 5);
  auto h = g.node("object", "H", 5);
  auto p = g.node("object", "P", 5);
  auto dom_trees = g.node("synthetic", "(Document DOM trees)", 0);
  auto div = g.node("native", "HTMLDivElement", 5);
  g.edge(root, "shortcut", "global", global);
  g.edge(root, "element", "1", gc_roots);
  g.edge(root, "element", "2", dom_trees);
  g.edge(gc_roots, "element", "1", debugger);
  g.edge(debugger, "property", "p", p);
  g.edge(debugger, "property", "div", div);
  g.edge(global, "property", "h", h);
  g.edge(h, "property", "p", p);
  g.edge(dom_trees, "element", "1", div);
  Analyzed r = analyze(g);

  EXPECT_TRUE(r.essential.test(edge_of(r.s, gc_roots, 0)));   // not page-owned -> not page-owned
  EXPECT_FALSE(r.essential.test(edge_of(r.s, debugger, 0)));  // not page-owned -> page-owned
  EXPECT_FALSE(r.essential.test(edge_of(r.s, debugger, 1)));  // into a DOM tree
  EXPECT_TRUE(r.essential.test(edge_of(r.s, h, 0)));
  EXPECT_EQ(r.tree.idom[p], h);  // would be the root if the debugger's edge counted
  EXPECT_EQ(r.tree.idom[div], dom_trees);
  EXPECT_EQ(r.tree.idom[debugger], gc_roots);
  // `(Document DOM trees)` is a user root; `(GC roots)` is not.
  EXPECT_EQ(r.distance[dom_trees], 1);
  EXPECT_EQ(r.distance[div], 2);
  EXPECT_EQ(r.distance[gc_roots], kBaseSystemDistance + 1);
  EXPECT_EQ(r.distance[debugger], kBaseSystemDistance + 2);
}

// Page ownership is plain reachability, whatever the order of the nodes: here every edge from the
// global object leads to a node with a smaller ordinal.
TEST(Dominators, PageOwnershipDoesNotDependOnNodeOrder) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto gc_roots = g.node("synthetic", "(GC roots)", 0);
  auto debugger = g.node("object", "DebuggerThing", 5);
  auto c = g.node("object", "C", 5);
  auto b = g.node("object", "B", 5);
  auto a = g.node("object", "A", 5);
  auto global = g.node("object", "Window", 10);
  g.edge(root, "element", "1", gc_roots);
  g.edge(root, "shortcut", "global", global);
  g.edge(gc_roots, "element", "1", debugger);
  g.edge(debugger, "property", "c", c);
  g.edge(global, "property", "a", a);
  g.edge(a, "property", "b", b);
  g.edge(b, "property", "c", c);
  Analyzed r = analyze(g);
  EXPECT_FALSE(r.essential.test(edge_of(r.s, debugger, 0)));  // c is page-owned
  EXPECT_EQ(r.tree.idom[c], b);
  EXPECT_EQ(r.tree.idom[debugger], gc_roots);
}

TEST(Dominators, SelfEdgesAreIgnored) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto global = g.node("object", "Window", 10);
  auto a = g.node("object", "A", 7);
  auto lonely = g.node("object", "Lonely", 9);  // retained by nothing but itself
  g.edge(root, "shortcut", "global", global);
  g.edge(global, "property", "a", a);
  g.edge(a, "property", "self", a);
  g.edge(lonely, "property", "self", lonely);
  Analyzed r = analyze(g);

  EXPECT_FALSE(r.essential.test(edge_of(r.s, a, 0)));
  EXPECT_FALSE(r.essential.test(edge_of(r.s, lonely, 0)));
  EXPECT_EQ(r.tree.idom[a], global);
  EXPECT_EQ(r.tree.retained_size[a], 7u);
  EXPECT_EQ(r.tree.idom[lonely], root);  // only a non-essential retainer: an orphan
  EXPECT_EQ(r.tree.retained_size[root], 26u);
  EXPECT_EQ(r.distance[lonely], kNoDistance);
}

TEST(Dominators, OrphansKeepTheirSubtreesAndCliquesHangFromTheRoot) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto global = g.node("object", "Window", 10);
  // A clique retained only by itself (X <-> Y, Y -> Z): every node individually under the root.
  auto x = g.node("object", "X", 1);
  auto y = g.node("object", "Y", 2);
  auto z = g.node("object", "Z", 4);
  // An orphan (no retainers at all) retaining a cycle: the orphan's own DFS tree.
  auto orphan = g.node("object", "Orphan", 8);
  auto c1 = g.node("object", "C1", 16);
  auto c2 = g.node("object", "C2", 32);
  g.edge(root, "shortcut", "global", global);
  g.edge(x, "property", "y", y);
  g.edge(y, "property", "x", x);
  g.edge(y, "property", "z", z);
  g.edge(orphan, "property", "c1", c1);
  g.edge(c1, "property", "c2", c2);
  g.edge(c2, "property", "c1", c1);
  Analyzed r = analyze(g);

  EXPECT_EQ(r.tree.idom[x], root);
  EXPECT_EQ(r.tree.idom[y], root);
  EXPECT_EQ(r.tree.idom[z], root);
  EXPECT_EQ(r.tree.idom[orphan], root);
  EXPECT_EQ(r.tree.idom[c1], orphan);
  EXPECT_EQ(r.tree.idom[c2], c1);
  EXPECT_EQ(r.tree.retained_size[orphan], 56u);
  EXPECT_EQ(r.tree.retained_size[x], 1u);
  EXPECT_EQ(r.tree.retained_size[root], 73u);
  for (auto n : {x, y, z, orphan, c1, c2}) EXPECT_EQ(r.distance[n], kNoDistance);
  EXPECT_EQ(children(r.tree, root), (std::vector<NodeOrdinal>{global, x, y, z, orphan}));
}

TEST(Distances, SkipsSloppyFunctionMapAndDescriptorLinks) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto global = g.node("object", "Window", 10);
  auto context = g.node("hidden", "system / NativeContext", 10);
  auto map = g.node("object shape", "system / Map", 10);
  auto a1 = g.node("object", "A1", 1);
  auto a2 = g.node("object", "A2", 1);
  auto descriptors = g.node("array", "(map descriptors)", 10);
  auto d1 = g.node("object", "D1", 1);
  auto d3 = g.node("object", "D3", 1);
  auto d4 = g.node("object", "D4", 1);
  auto d7 = g.node("object", "D7", 1);
  auto d9 = g.node("object", "D9", 1);
  g.edge(root, "shortcut", "global", global);
  g.edge(global, "internal", "native_context", context);
  g.edge(global, "property", "a1", a1);
  g.edge(global, "internal", "descriptors", descriptors);
  g.edge(context, "internal", "sloppy_function_map", map);
  g.edge(a1, "property", "a2", a2);
  g.edge(a2, "property", "map", map);
  g.edge(descriptors, "element", "1", d1);    // [1]: kept
  g.edge(descriptors, "element", "3", d3);    // a key slot: kept
  g.edge(descriptors, "element", "4", d4);    // 3i+4: a descriptor, skipped
  g.edge(descriptors, "internal", "7", d7);   // by parseInt of the name: skipped
  g.edge(descriptors, "internal", "9x", d9);  // parseInt("9x") = 9: kept
  Analyzed r = analyze(g);

  EXPECT_EQ(r.distance[context], 2);
  EXPECT_EQ(r.distance[map], 4);  // through a1, a2: not 3 through sloppy_function_map
  EXPECT_EQ(r.distance[d1], 3);
  EXPECT_EQ(r.distance[d3], 3);
  EXPECT_EQ(r.distance[d4], kNoDistance);
  EXPECT_EQ(r.distance[d7], kNoDistance);
  EXPECT_EQ(r.distance[d9], 3);
  // These skips are for distances only: the edges still retain.
  EXPECT_EQ(r.tree.idom[d4], descriptors);
  EXPECT_EQ(r.tree.idom[map], global);
}

TEST(Distances, WithoutUserRootsEverythingIsSystemFromZero) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto gc_roots = g.node("synthetic", "(GC roots)", 0);
  auto a = g.node("object", "A", 12);
  auto b = g.node("hidden", "system / B", 20);
  g.edge(root, "element", "1", gc_roots);
  g.edge(gc_roots, "element", "1", a);
  g.edge(a, "internal", "b", b);
  Analyzed r = analyze(g, /*raw_sizes=*/false);
  EXPECT_EQ(r.distance[root], 0);
  EXPECT_EQ(r.distance[gc_roots], 1);
  EXPECT_EQ(r.distance[b], 3);
  // "Expose internals" snapshots keep their real sizes.
  EXPECT_EQ(r.shallow, (std::vector<std::uint32_t>{0, 0, 12, 20}));
}

TEST(ShallowSizes, InternalNodesWithOneOwnerAreBilledToIt) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  auto global = g.node("object", "Window", 10);
  auto obj = g.node("object", "Obj", 16);
  auto props = g.node("hidden", "system / PropertyArray", 24);  // only Obj's
  auto deeper = g.node("hidden", "system / Deeper", 64);        // reached through props
  auto shared = g.node("array", "(object elements)", 32);       // Obj's and P's
  auto p = g.node("object", "P", 8);
  auto via_weak = g.node("hidden", "system / W", 7);  // P's; Obj's edge to it is weak
  auto str = g.node("string", "abc", 20);
  auto data = g.node("native", "system / ExternalStringData", 100);
  auto gc_roots = g.node("synthetic", "(GC roots)", 0);
  auto of_synthetic = g.node("hidden", "system / S", 50);  // owned by a synthetic node
  g.edge(root, "shortcut", "global", global);
  g.edge(root, "element", "1", gc_roots);
  g.edge(global, "property", "obj", obj);
  g.edge(global, "property", "p", p);
  g.edge(global, "property", "s", str);
  g.edge(obj, "internal", "properties", props);
  g.edge(props, "internal", "x", deeper);
  g.edge(obj, "internal", "elements", shared);
  g.edge(obj, "weak", "w", via_weak);
  g.edge(p, "internal", "elements", shared);
  g.edge(p, "internal", "w", via_weak);
  g.edge(str, "internal", "data", data);
  g.edge(gc_roots, "element", "1", of_synthetic);
  Analyzed r = analyze(g, /*raw_sizes=*/false);

  EXPECT_EQ(r.shallow[obj], 16u + 24 + 64);
  EXPECT_EQ(r.shallow[props], 0u);
  EXPECT_EQ(r.shallow[deeper], 0u);
  EXPECT_EQ(r.shallow[shared], 32u);
  EXPECT_EQ(r.shallow[p], 8u + 7);
  EXPECT_EQ(r.shallow[via_weak], 0u);
  EXPECT_EQ(r.shallow[str], 120u);
  EXPECT_EQ(r.shallow[data], 0u);
  EXPECT_EQ(r.shallow[of_synthetic], 50u);
  EXPECT_EQ(r.shallow[global], 10u);
  // Retained sizes are sums of these sizes; the total is unchanged.
  EXPECT_EQ(r.tree.retained_size[obj], 104u);
  EXPECT_EQ(r.tree.retained_size[root], r.s.total_self_size());
}

// A chain root -> 1 -> 2 -> ... -> length (-> 1 again if `cycle`) written straight as JSON: the
// builder's per-node objects would cost gigabytes at ten million nodes.
std::string chain_snapshot(std::uint32_t length, bool cycle) {
  std::string nodes = "9,0,1,0,1,0";  // the root: synthetic, one edge
  std::string edges = "5,1,6";        // shortcut "global" -> node 1
  nodes.reserve(std::size_t{length} * 24);
  edges.reserve(std::size_t{length} * 16);
  for (std::uint32_t i = 1; i <= length; ++i) {
    const bool has_next = i < length || cycle;
    nodes += ",3,2," + std::to_string(2 * i + 1) + ",2," + (has_next ? "1" : "0") + ",0";
    if (has_next) edges += ",2,3," + std::to_string(6 * (i < length ? i + 1 : 1));
  }
  const std::uint64_t edge_count = std::uint64_t{length} + (cycle ? 1 : 0);
  return R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","detachedness"],)"
         R"("node_types":[["hidden","array","string","object","code","closure","regexp","number","native","synthetic"],"string","number","number","number","number"],)"
         R"("edge_fields":["type","name_or_index","to_node"],"edge_types":[["context","element","property","internal","hidden","shortcut","weak"],"string_or_number","node"]},)"
         R"("node_count":)" +
         std::to_string(length + 1) + R"(,"edge_count":)" + std::to_string(edge_count) +
         R"(,"trace_function_count":0},"nodes":[)" + nodes + R"(],"edges":[)" + edges +
         R"(],"strings":["","global","Link","next"]})";
}

// A long chain must neither recurse nor go quadratic: the DFS, the path compression and the
// retained-size pass are all iterative. Ten million nodes in optimized builds (DESIGN.md), fewer
// where sanitizers or -O0 would make it slow.
TEST(Dominators, LongChainAndCycle) {
#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
  constexpr std::uint32_t kLength = 200'000;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  constexpr std::uint32_t kLength = 200'000;
#else
  constexpr std::uint32_t kLength = 10'000'000;
#endif
#else
  constexpr std::uint32_t kLength = 10'000'000;
#endif
  for (bool cycle : {false, true}) {
    const Snapshot s = libsnap::load_from_memory(chain_snapshot(kLength, cycle), "chain");
    ASSERT_EQ(s.node_count(), kLength + 1);
    const auto start = std::chrono::steady_clock::now();
    const std::vector<std::int32_t> distance = libsnap::compute_distances(s);
    const std::vector<std::uint32_t> shallow = libsnap::compute_shallow_sizes(s);
    const EdgeMask essential = libsnap::compute_essential_edges(s);
    const DominatorTree tree = libsnap::compute_dominators(s, essential, shallow);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_LT(seconds, 60.0);
    std::size_t wrong_idom = 0, wrong_size = 0, wrong_distance = 0;
    for (std::uint32_t i = 1; i <= kLength; ++i) {
      wrong_idom += tree.idom[i] != i - 1;
      wrong_size += tree.retained_size[i] != 2ull * (kLength - i + 1);
      wrong_distance += distance[i] != static_cast<std::int32_t>(i);
    }
    EXPECT_EQ(wrong_idom, 0u) << "cycle " << cycle;
    EXPECT_EQ(wrong_size, 0u) << "cycle " << cycle;
    EXPECT_EQ(wrong_distance, 0u) << "cycle " << cycle;
    EXPECT_EQ(tree.retained_size[0], 2ull * kLength);
  }
}

// The same through the graph builder at a million nodes (the builder's JSON, with its shortcut
// and node names, is what the small tests use).
TEST(Dominators, MillionNodeChainThroughTheBuilder) {
#if defined(__SANITIZE_ADDRESS__) || !defined(NDEBUG)
  constexpr std::uint32_t kLength = 200'000;
#else
  constexpr std::uint32_t kLength = 1'000'000;
#endif
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  for (std::uint32_t i = 0; i < kLength; ++i) g.node("object", "Link", 2);
  g.edge(root, "shortcut", "global", 1);
  for (std::uint32_t i = 1; i < kLength; ++i) g.edge(i, "property", "next", i + 1);
  Analyzed r = analyze(g);
  std::size_t wrong = 0;
  for (std::uint32_t i = 1; i <= kLength; ++i) {
    wrong += r.tree.idom[i] != i - 1 || r.tree.retained_size[i] != 2ull * (kLength - i + 1) ||
             r.distance[i] != static_cast<std::int32_t>(i);
  }
  EXPECT_EQ(wrong, 0u);
}

// Random graphs (every node reachable from the global object through property edges, plus
// random weak, shortcut and self edges) against the definition: d dominates n iff every path
// from the root to n over essential edges passes d; computed by the classic data-flow fixpoint.
TEST(Dominators, RandomGraphsMatchTheDefinition) {
  std::mt19937 rng(20240611);
  for (int round = 0; round < 300; ++round) {
    const std::uint32_t n = 3 + rng() % 60;  // nodes, root and global included
    SnapshotBuilder g(NodeLayout::kSixFields);
    g.node("synthetic", "", 0);
    for (std::uint32_t i = 1; i < n; ++i) g.node("object", "O", 1 + rng() % 100);
    g.edge(0, "shortcut", "global", 1);
    for (std::uint32_t i = 2; i < n; ++i) {
      g.edge(1 + rng() % (i - 1), "property", "t", i);  // a spanning tree from the global
    }
    const std::uint32_t extra = rng() % (3 * n);
    for (std::uint32_t k = 0; k < extra; ++k) {
      const std::uint32_t from = 1 + rng() % (n - 1), to = 1 + rng() % (n - 1);
      const char* type = (rng() % 5 == 0) ? "weak" : (rng() % 7 == 0) ? "shortcut" : "property";
      g.edge(from, type, "e", to);
    }
    Analyzed r = analyze(g);

    // Essential predecessors, then dom(v) = {v} + intersection of dom(p) over them.
    std::vector<std::bitset<64>> dom(n);
    dom[0].set(0);
    for (std::uint32_t v = 1; v < n; ++v) dom[v].set();
    bool changed = true;
    while (changed) {
      changed = false;
      for (std::uint32_t v = 1; v < n; ++v) {
        std::bitset<64> meet;
        meet.set();
        for (NodeOrdinal u = 0; u < n; ++u) {
          for (auto e = r.s.first_edge(u); e < r.s.first_edge(u + 1); ++e) {
            if (r.s.edge_target(e) == v && r.essential.test(e)) meet &= dom[u];
          }
        }
        meet.set(v);
        if (meet != dom[v]) {
          dom[v] = meet;
          changed = true;
        }
      }
    }
    for (std::uint32_t v = 1; v < n; ++v) {
      // The immediate dominator is the strict dominator with the most dominators of its own.
      std::uint32_t idom = 0;
      for (std::uint32_t d = 0; d < n; ++d) {
        if (d != v && dom[v][d] && dom[d].count() > dom[idom].count()) idom = d;
      }
      ASSERT_EQ(r.tree.idom[v], idom) << "round " << round << " node " << v;
    }
    for (std::uint32_t d = 0; d < n; ++d) {
      std::uint64_t sum = 0;
      for (std::uint32_t v = 0; v < n; ++v) sum += dom[v][d] ? r.s.self_size(v) : 0;
      ASSERT_EQ(r.tree.retained_size[d], sum) << "round " << round << " node " << d;
    }
  }
}

TEST(Dominators, EmptySnapshotAndSizeMismatch) {
  SnapshotBuilder g(NodeLayout::kSixFields);
  auto root = g.node("synthetic", "", 0);
  (void)root;
  Analyzed r = analyze(g);
  EXPECT_EQ(r.tree.idom, (std::vector<NodeOrdinal>{0}));
  EXPECT_EQ(r.tree.first_dominated, (std::vector<std::uint32_t>{0, 0}));
  std::vector<std::uint32_t> wrong(5, 0);
  EXPECT_THROW(libsnap::compute_dominators(r.s, r.essential, wrong), std::invalid_argument);
  const std::vector<std::uint32_t> right(1, 0);
  EXPECT_THROW(libsnap::compute_dominators(r.s, EdgeMask(7), right), std::invalid_argument);
  EXPECT_NO_THROW(libsnap::compute_dominators(r.s, r.essential, right));
}

}  // namespace
