// libsnap: the analyses Chrome DevTools runs on a snapshot, with DevTools' exact rules
// (../shared/FORMAT.md §2): distances, essential edges, shallow-size reattribution, the dominator
// tree and retained sizes, class names and the Summary view, the Statistics view, detachedness.
// Every result is a flat array indexed by node ordinal (or a small table of classes).
//
//   libsnap::Snapshot s = libsnap::load("app.heapsnapshot");
//   libsnap::Analysis a = libsnap::analyze(s);
//   for (const libsnap::ClassAggregate& c : a.summary)
//     std::cout << a.classes.name[c.class_index] << " " << c.retained_size << "\n";
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libsnap/snapshot.hpp"

namespace libsnap {

// ---------------------------------------------------------------------------------------------
// Distances (FORMAT.md §2.2)

inline constexpr std::int32_t kNoDistance = -5;                 // unreachable
inline constexpr std::int32_t kBaseSystemDistance = 100000000;  // reached only from system roots

// Distance of every node from the user roots (the root's non-synthetic children, i.e. its
// shortcut targets, and `(Document DOM trees)`), breadth-first with DevTools' edge skips: weak
// edges, `sloppy_function_map` of `system / NativeContext`, descriptor slots 3i+4 of
// `(map descriptors)` arrays, the first edge met of each WeakMap key/table pair. Nodes reached only
// from the root's other children get kBaseSystemDistance + depth, the rest kNoDistance. Without
// user roots the root is at 0 instead of kBaseSystemDistance.
//   std::vector<std::int32_t> d = libsnap::compute_distances(s);  // d[n] for node ordinal n
std::vector<std::int32_t> compute_distances(const Snapshot& snapshot);

// ---------------------------------------------------------------------------------------------
// Essential edges and dominators (§2.3), shallow sizes (§2.4)

// One bit per edge index.
class EdgeMask {
 public:
  EdgeMask() = default;
  explicit EdgeMask(std::uint32_t edge_count)
      : bits_((std::size_t{edge_count} + 63) / 64, 0), edge_count_(edge_count) {}
  bool test(EdgeIndex e) const { return (bits_[e >> 6] >> (e & 63)) & 1; }
  void set(EdgeIndex e) { bits_[e >> 6] |= std::uint64_t{1} << (e & 63); }
  std::uint32_t edge_count() const { return edge_count_; }

 private:
  std::vector<std::uint64_t> bits_;
  std::uint32_t edge_count_ = 0;
};

// DevTools' "essential" edges, the ones that retain (for the dominator tree): not weak, not a self
// edge, not the table->value edge of a WeakMap entry (told by its name), and unless from the root:
// not a shortcut, not from a node outside the page into a page-owned node (page-owned = reachable
// without weak edges from the root's shortcut targets and `(Document DOM trees)`).
EdgeMask compute_essential_edges(const Snapshot& snapshot);

// The shallow sizes DevTools shows since Chrome 128: `hidden`/`array` nodes (and native
// `system / ExternalStringData`) owned by exactly one node have their size moved to the owner
// (the nearest other node reaching them without weak edges; never the root or a synthetic node).
// Snapshots without user roots ("expose internals") keep their self sizes.
std::vector<std::uint32_t> compute_shallow_sizes(const Snapshot& snapshot);

struct DominatorTree {
  std::vector<NodeOrdinal> idom;             // immediate dominator; idom[root] == root
  std::vector<std::uint64_t> retained_size;  // 64-bit sums over the dominator subtree
  // Children in the dominator tree as CSR: children of n are
  // dominated[first_dominated[n] .. first_dominated[n + 1]), in ascending ordinal order; every
  // node but the root is some node's child (unreachable ones hang from the root).
  std::vector<std::uint32_t> first_dominated;
  std::vector<NodeOrdinal> dominated;
};

// Iterative Lengauer-Tarjan over essential edges from the snapshot's root, with DevTools'
// handling of nodes with only weak retainers (extra DFS children of the root) and of leftover
// cliques (each node under the root). `sizes` are the shallow sizes to accumulate
// (compute_shallow_sizes, or the snapshot's raw self sizes); throws std::invalid_argument unless
// `sizes` has one entry per node and `essential` one bit per edge. Needs no Snapshot::retainers().
//   libsnap::DominatorTree t = libsnap::compute_dominators(s, libsnap::compute_essential_edges(s),
//                                                          libsnap::compute_shallow_sizes(s));
DominatorTree compute_dominators(const Snapshot& snapshot, const EdgeMask& essential,
                                 std::span<const std::uint32_t> sizes);

// ---------------------------------------------------------------------------------------------
// Class names and the Summary view (§2.5), detachedness (§2.6), statistics (§2.9)

enum class Naming {
  kLatest,  // DevTools 2024+: Function, RegExp, {a, b} interface names, <tag> grouping
  k2021,    // DevTools 2021: (closure), (regexp), raw object names
};

// A class is what DevTools groups by: a name string (by identity: a node's own name, a name
// DevTools made up such as "(system)", "<div>", "{a, b}", or a "Detached ..." rename), or, for
// objects with a constructor location, "script,line,col,Name". Two classes share a public key only
// where DevTools' string identities collide (same text, different string); aggregate_classes then
// keeps the row DevTools keeps.
struct ClassNames {
  std::vector<std::uint32_t> class_of;  // per node: index into the tables below
  std::vector<std::string> key;   // DevTools' public class key: ",Name" or "script,line,col,Name"
  std::vector<std::string> name;  // the display name
};

// Detachedness after DevTools' propagation (0 unknown, 1 attached, 2 detached), per node: known
// states flow to native nodes through native nodes only, over non-hidden, non-weak edges. Native
// nodes that end up detached are the ones DevTools renames "Detached <name>".
std::vector<std::uint8_t> propagate_detachedness(const Snapshot& snapshot);

// Every node's class. `detachedness` is propagate_detachedness's result (empty: none detached).
//   kLatest: (system), (compiled code), Function, RegExp, (string), (array)...; object/native nodes
//            by name with "<tag attrs>" -> "<tag>", plain `Object`s by inferred interface "{a, b}",
//            located objects keyed by location.
//   k2021:   (closure), (regexp), raw names, keys by name only.
ClassNames compute_class_names(const Snapshot& snapshot, std::span<const std::uint8_t> detachedness,
                               Naming naming);

// The name DevTools shows for one node: a concatenated string's text (rebuilt from its parts, up
// to ~1024 characters), a plain Object as "{a, b, …, z}" (first and last property names, ~100
// characters), a detached native node as "Detached <name>", otherwise the node's name.
std::string node_display_name(const Snapshot& snapshot, NodeOrdinal n,
                              std::span<const std::uint8_t> detachedness);

// A plain-object interface DevTools infers ("{a, b}": shared by enough plain `Object`s).
struct InterfaceDefinition {
  std::string name;                     // "{a, b}"
  std::vector<std::string> properties;  // in the order of the first object seen
};
// The snapshot's own interfaces, most common first (DevTools' interfaceDefinitions()).
std::vector<InterfaceDefinition> infer_interface_definitions(const Snapshot& snapshot);
// As above, but plain objects are named with these definitions (another snapshot's) instead of
// the snapshot's own: how DevTools buckets a Comparison's base so that `{a, b}` rows line up.
//   auto after_interfaces = libsnap::infer_interface_definitions(after);
//   auto c = libsnap::compute_class_names(before, d, libsnap::Naming::kLatest, after_interfaces);
ClassNames compute_class_names(const Snapshot& snapshot, std::span<const std::uint8_t> detachedness,
                               Naming naming, std::span<const InterfaceDefinition> interfaces);

struct ClassAggregate {
  std::uint32_t class_index = 0;
  std::uint64_t count = 0;          // instances with shallow size > 0
  std::uint64_t shallow_size = 0;   // sum of their shallow sizes
  std::uint64_t retained_size = 0;  // over instances not dominated by another of the class
  std::int32_t min_distance = kNoDistance;
};

// The Summary view: one row per public class key with at least one instance of shallow size > 0,
// by retained size (descending), then key.
std::vector<ClassAggregate> aggregate_classes(const Snapshot& snapshot, const ClassNames& classes,
                                              std::span<const std::uint32_t> shallow_sizes,
                                              const DominatorTree& dominators,
                                              std::span<const std::int32_t> distances);

// The Statistics view (DevTools 2025 shape).
struct Statistics {
  std::uint64_t total = 0;
  std::uint64_t native_total = 0;
  std::uint64_t typed_arrays = 0;
  std::uint64_t v8heap_total = 0;
  std::uint64_t code = 0;
  std::uint64_t js_arrays = 0;
  std::uint64_t strings = 0;
  std::uint64_t system = 0;
};
// `detachedness` as for compute_class_names (a detached native node is not a typed array store).
// `dominators` gives the total (the root's retained size); an empty DominatorTree will do, since
// every node hangs in the tree and the total is then the sum of the shallow sizes.
Statistics compute_statistics(const Snapshot& snapshot,
                              std::span<const std::uint32_t> shallow_sizes,
                              const DominatorTree& dominators,
                              std::span<const std::uint8_t> detachedness);

// ---------------------------------------------------------------------------------------------
// Everything DevTools computes on load, in its order.

struct AnalysisOptions {
  bool raw_sizes = false;  // keep the snapshot's self sizes (no shallow-size reattribution)
  Naming naming = Naming::kLatest;
  // Plain-object interfaces to apply instead of the snapshot's own (nullptr: infer them).
  const std::vector<InterfaceDefinition>* interfaces = nullptr;
};

struct Analysis {
  std::vector<std::int32_t> distance;
  std::vector<std::uint32_t> shallow_size;
  DominatorTree dominators;
  std::vector<std::uint8_t> detachedness;
  ClassNames classes;
  std::vector<ClassAggregate> summary;  // one row per class with at least one counted instance
  Statistics statistics;
};

Analysis analyze(const Snapshot& snapshot, const AnalysisOptions& options = {});

}  // namespace libsnap
