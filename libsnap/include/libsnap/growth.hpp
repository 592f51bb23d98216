// libsnap: growth over N >= 3 snapshots of one process -- containers whose cardinality grows
// steadily, and classes whose live count grows steadily, each with its container and path.
//
//   auto files = libsnap::resolve_series(std::vector<std::string>{"/tmp/run"});
//   libsnap::GrowthReport r = libsnap::find_growth(files);
//   // r.findings[0]: unbounded-collection, container Map @74469 `requestCache`, 200 entries/step
//
// Snapshots are loaded one at a time; each is reduced to id-sorted columns (id, fan-out,
// user objects it dominates, retained size) and per-class counts before the next is loaded. The
// last one is kept whole to find accumulation points and paths. Joins are merge walks and binary
// searches over sorted ids.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "libsnap/reader.hpp"
#include "libsnap/series.hpp"

namespace libsnap {

struct GrowthOptions {
  std::int64_t min_objects_per_step = 5;  // smaller median growth is noise
  std::uint32_t max_findings = 20;
  LoadOptions load;  // for each snapshot (threads, progress within the file)
  // Called before each snapshot is loaded: its position among the points, their count, its path.
  std::function<void(std::size_t index, std::size_t count, const std::string& path)> on_snapshot;
};

// One point of the series, in numbers.
struct PointFacts {
  std::uint32_t nodes = 0;
  std::uint32_t edges = 0;
  std::uint64_t total_bytes = 0;   // the Statistics view's total (the root's retained size)
  std::uint64_t user_objects = 0;  // reachable user objects (is_user_object)
  std::uint64_t user_bytes = 0;    // their shallow sizes
};

// A class of user objects across the series: reachable instances and their shallow bytes at
// each point (0 where the class is absent).
struct ClassSeries {
  std::string name;
  std::vector<std::int64_t> objects;
  std::vector<std::int64_t> bytes;
};

struct GrowthReport {
  std::vector<SeriesEntry> points;   // the snapshots the trend test used, in order
  std::vector<PointFacts> facts;     // one per point
  std::vector<ClassSeries> classes;  // every class seen at some point, by name
  std::vector<Finding> findings;     // ranked by bytes per step, then objects per step
};

// Throws SeriesError for fewer than 3 snapshots or snapshots of different processes (no id
// in common), LoadError for unreadable files.
GrowthReport find_growth(std::span<const SeriesEntry> series, const GrowthOptions& options = {});

}  // namespace libsnap
