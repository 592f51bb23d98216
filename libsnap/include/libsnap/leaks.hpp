// libsnap: the three-snapshot leak test. Objects allocated between BASELINE and TARGET (id in
// TARGET, not in BASELINE) that are still alive in FINAL, minus engine internals
// (is_user_object), grouped by their accumulation point: the nearest object on their shortest
// retainer path that already existed at BASELINE (backing stores lifted to their owner). A group
// is reported only when that container grew from BASELINE to FINAL (its fan-out or the user
// objects it dominates), so a full bounded LRU and a cache cleared at cleanup are not leaks.
//
//   libsnap::LeakReport r = libsnap::find_leaks(base, target, final);  // three loaded snapshots
//   // r.findings[0]: leak-group, container Map `requestCache`, 200 RequestContext
#pragma once

#include <cstdint>

#include "libsnap/series.hpp"

namespace libsnap {

struct LeakOptions {
  std::uint64_t min_objects = 5;  // smaller groups are not reported
  std::uint32_t max_findings = 20;
};

struct LeakReport {
  std::uint64_t leaked_objects = 0;  // user objects new in TARGET and alive in FINAL
  std::vector<Finding> findings;     // kLeakGroup, ranked by retained bytes
};

// Throws SeriesError when the snapshots share no object id (different processes).
LeakReport find_leaks(const Snapshot& baseline, const Snapshot& target, const Snapshot& final_,
                      const LeakOptions& options = {});

}  // namespace libsnap
