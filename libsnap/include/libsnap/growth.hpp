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
#include <span>
#include <string>
#include <vector>

#include "libsnap/series.hpp"

namespace libsnap {

struct GrowthOptions {
  std::int64_t min_objects_per_step = 5;  // smaller median growth is noise
  std::uint32_t max_findings = 20;
};

struct GrowthReport {
  std::vector<SeriesEntry> points;  // the snapshots the trend test used, in order
  std::vector<Finding> findings;    // ranked by bytes per step, then objects per step
};

// Throws SeriesError for fewer than 3 snapshots or snapshots of different processes (no id
// in common), LoadError for unreadable files.
GrowthReport find_growth(std::span<const SeriesEntry> series, const GrowthOptions& options = {});

}  // namespace libsnap
