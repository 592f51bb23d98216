// libsnap: why is a node alive? Retainer paths from the root, dominator chains, and paths written
// the way a developer reads code.
//
//   libsnap::Snapshot s = libsnap::load("app.heapsnapshot");
//   std::vector<std::int32_t> distance = libsnap::compute_distances(s);
//   libsnap::PathSearch found = libsnap::find_retainer_paths(s, distance, target, {.max_paths =
//   3}); for (const libsnap::RetainerPath& p : found.paths)
//     std::cout << libsnap::path_text(s, libsnap::describe_path(s, p), nullptr) << "\n";
//   // global @6051 .app (App @50909) .services (Services @50911) ... [412] → MetricSample @80417
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/snapshot.hpp"

namespace libsnap {

// ---------------------------------------------------------------------------------------------
// Retainer paths

// One edge of a path: `from` --edge--> `to`.
struct PathStep {
  NodeOrdinal from = 0;
  EdgeIndex edge = 0;
  NodeOrdinal to = 0;
};

// The steps from the snapshot's root to a node, root first. Empty for the root itself.
using RetainerPath = std::vector<PathStep>;

struct PathOptions {
  std::uint32_t max_paths = 1;  // K: distinct paths wanted (capped at 255)
  std::uint32_t max_depth = 0;  // longest path in edges; 0 = no limit
  // Work budget: retainer edges examined before the search stops with what it has (4M take
  // about 0.2 s; a shortest path rarely needs more than the fan-in of the nodes on it).
  std::uint64_t max_work = 4'000'000;
};

enum class PathStatus : std::uint8_t {
  kFound,        // at least one path (fewer than asked if the graph has no more)
  kIsRoot,       // the node is the root: its path is empty
  kUnreachable,  // no distance: nothing but weak edges (or nothing) leads to it
  kTooDeep,      // reachable, but no path within max_depth
  kOutOfBudget,  // max_work ran out before the first path was found
};
std::string_view path_status_name(PathStatus status);

struct PathSearch {
  PathStatus status = PathStatus::kUnreachable;
  std::vector<RetainerPath> paths;  // shortest first; any two differ in at least one edge
  bool budget_exhausted = false;    // the search stopped early; more paths may exist
  std::uint64_t work = 0;           // retainer edges examined
};

// Paths from the root to `target` over the edges DevTools' distances follow (no weak edges, no
// `sloppy_function_map` from the NativeContext, no descriptor links, WeakMap values only through
// the later of their two edges). The first path is a shortest one: every step goes to a retainer
// one closer, so its length is the node's distance (user roots at 1; system-only nodes through
// the root's other children). Further paths come in order of DevTools' distance cost, each
// simple. A best-first search over partial paths with each node expanded at most K times and a
// work budget: bounded on any graph shape, no recursion. `distance` is compute_distances().
PathSearch find_retainer_paths(const Snapshot& snapshot, std::span<const std::int32_t> distance,
                               NodeOrdinal target, const PathOptions& options = {});

// The dominator chain: `node`, its immediate dominator, its dominator, ..., the root (last).
// Stops (without looping) on a malformed tree.
std::vector<NodeOrdinal> dominator_chain(const DominatorTree& tree, NodeOrdinal node);

// For each of `nodes`, whether another of them dominates it (is on its dominator chain), so
// that summing the retained sizes of the others counts no byte twice. Linear in the union of
// their dominator chains, iterative.
std::vector<std::uint8_t> dominated_by_another(const DominatorTree& tree,
                                               std::span<const NodeOrdinal> nodes);

// ---------------------------------------------------------------------------------------------
// Paths as people read them

enum class StepKind : std::uint8_t {
  kRoot,             // the root's edge to the first node (a global object, `(GC roots)`, ...)
  kProperty,         // .name (or ["not an identifier"])
  kElement,          // [i], also through an `elements` backing store
  kContextVariable,  // onConfigChange()::state, a variable captured by a closure
  kMapValue,         // .get("key") / .get(42) / .get(<Class @id>) / .get(?)
  kMapKey,           // {key}: the node is a key of a Map
  kSetEntry,         // {entry}: the node is an entry of a Set
  kWeakMapValue,     // .get(<Class @id>) through a WeakMap (ephemeron) edge
  kInternal,         // [[name]]: engine-internal link
  kHidden,           // [[hidden i]]
  kShortcut,         // [[shortcut name]]
  kOther,            // [[type name]] (unknown edge types)
};
std::string_view step_kind_name(StepKind kind);  // "property", "map_value", ...

struct ReadableStep {
  PathStep step;
  StepKind kind = StepKind::kOther;
  // What the step is called: the property or variable name, the index, the map key as written
  // in the text (a quoted string, a number or `<Class @id>`; empty when unknown).
  std::string name;
  std::string text;       // how it reads: ".samples", "[412]", "onConfigChange()::state", ...
  bool internal = false;  // an engine hop (internal, hidden, shortcut) hidden unless asked for
};

// Names every step of `path`. Map and Set entries become kMapValue / kMapKey / kSetEntry steps
// (the `table` hop before them is an internal step), element stores become [i].
std::vector<ReadableStep> describe_path(const Snapshot& snapshot, const RetainerPath& path);

// "Class @id" for objects ("Function name() @id" for closures, a quoted prefix for strings).
// Class names come from `classes` when given, else from the node's name and type.
std::string node_label(const Snapshot& snapshot, const ClassNames* classes, NodeOrdinal node);

// The display class of a node: classes->name[classes->class_of[n]] when given, else the
// DevTools 2024 rule from the node's type and name.
std::string node_class(const Snapshot& snapshot, const ClassNames* classes, NodeOrdinal node);

// One line: "global @6051 .app (App @50909) .samples (Array @50915) [412] → MetricSample @80417".
// Internal steps are left out unless `internals`. With `max_shown` > 0, a path of more shown
// steps keeps its first and last max_shown / 2 and says how many it left out in between.
std::string path_text(const Snapshot& snapshot, std::span<const ReadableStep> steps,
                      const ClassNames* classes, bool internals = false, std::size_t max_shown = 0);

// The shape of a path for grouping: the first node's class, then the texts of the shown steps
// with element indices written "[]" and a run of one repeated step written once with "+"
// ("global .app .services .metrics .samples []", "global .app .journal .next+").
std::string path_shape(const Snapshot& snapshot, std::span<const ReadableStep> steps,
                       const ClassNames* classes, bool internals = false);

}  // namespace libsnap
