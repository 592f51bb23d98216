// libsnap: several snapshots of one process, and what leak finding reports about them.
//
// A series is an ordered list of snapshot files: given one by one (in that order) or as a
// snapcapture / node-scenario directory, ordered by its manifest.json (else by file name).
//
//   std::vector<libsnap::SeriesEntry> files = libsnap::resolve_series({"/tmp/run"});
//   libsnap::GrowthReport r = libsnap::find_growth(files);  // growth.hpp
//   for (const libsnap::Finding& f : r.findings) std::cout << f.container.path_text << "\n";
#pragma once

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/snapshot.hpp"

namespace libsnap {

// Bad series input: missing files, too few snapshots, snapshots of different processes.
struct SeriesError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SeriesEntry {
  std::string path;
  std::string label;  // from the manifest ("baseline", "target", "final", "round-3"), else ""
  int round = -1;     // from the manifest, else -1
};

// Files in order. One argument that is a directory: its manifest.json's `snapshots` (by index),
// or else its *.heapsnapshot[.gz] files by name. Several arguments: files in the order given.
// Throws SeriesError when a file is missing or the directory holds no snapshot.
std::vector<SeriesEntry> resolve_series(std::span<const std::string> arguments);

// The snapshots the trend test looks at: with manifest rounds, the last snapshot of each round
// (baseline, final, round-2, ... : the mid-round `target` is left out) when that leaves at least
// three; otherwise all of them.
std::vector<SeriesEntry> end_of_round_points(std::span<const SeriesEntry> series);

// The engine-internals rule, used by leaks and growth alike: an object counts ("user object")
// when its node type is object, closure or regexp and its name does not start with "system /".
// Left out: compiled code and feedback (type code), object shapes and hidden classes (object
// shape, `system / Map`, TransitionArray, DescriptorArray), backing stores and engine arrays
// (array, hidden), `system / Context` and other `system /` bookkeeping, strings, numbers,
// synthetic roots. Strings and backing stores still count in a container's cardinality and in
// bytes.
bool is_user_object(const Snapshot& snapshot, NodeOrdinal node);

// A node's fan-out, the number of things it holds: targets of its element and property edges
// (not `__proto__`/`constructor`) and of the numbered edges of its backing stores (`table` of a
// Map/Set/WeakMap, `elements`, `properties` of a dictionary-mode object), leaving out targets
// that are code, shapes or hidden. A Map's entry counts once (its value slot, found from the
// OrderedHashMap layout), whether or not its key is a heap object. One value per node, linear.
std::vector<std::uint32_t> fanout_cardinality(const Snapshot& snapshot);

// What a finding points at.
struct ContainerRef {
  std::uint32_t id = 0;
  std::string class_name;         // "Map", "Array", "Journal", ...
  std::vector<std::string> path;  // edge names from a root: {"requestCache"} or {"app","cache"}
  std::string path_text;          // as `analyzer retainers` prints it
  std::string path_shape;         // for grouping (libsnap::path_shape)
};

struct ClassGrowth {
  std::string name;
  std::int64_t objects_per_step = 0;
  std::int64_t bytes_per_step = 0;  // shallow bytes
};

enum class FindingKind : std::uint8_t { kUnboundedCollection, kGrowingClass, kLeakGroup };
std::string_view finding_kind_name(FindingKind kind);  // "unbounded-collection", ...

struct Finding {
  std::uint32_t rank = 0;
  FindingKind kind = FindingKind::kLeakGroup;
  ContainerRef container;
  std::vector<ClassGrowth> classes;  // what accumulates, most per step first
  // growth: median growth per step of the measure (entries of a collection, objects held under
  // a container that is not a collection, or instances of a class) and of its retained bytes.
  // leaks: objects and bytes of the group (one step: baseline -> target).
  std::int64_t objects_per_step = 0;
  std::int64_t bytes_per_step = 0;
  std::uint64_t retained_bytes = 0;  // in the last snapshot
  std::string measure;               // "entries", "objects held", "instances", "new objects"
  std::vector<std::int64_t> series;  // the measure at each point (growth)
};

// The trend test: does `values` (one per point, at least 3) grow steadily? Yes when the last step
// grows, at least 3/4 of the steps grow (and at least two), no step falls by more than a tenth of
// the total growth (a sawtooth does), and the median step is at least `min_per_step`. A one-off
// warm-up step, a flat series and a sawtooth fail. `per_step` is the median step.
struct Trend {
  bool growing = false;
  std::int64_t per_step = 0;
};
Trend trend(std::span<const std::int64_t> values, std::int64_t min_per_step);

}  // namespace libsnap
