// libsnap: two snapshots of one process compared by node id -- Chrome DevTools' Comparison view
// (../shared/FORMAT.md §2.7), plus what DevTools does not show: the retained-size delta and the
// survivors of each class.
//
//   libsnap::Snapshot before = libsnap::load("a.heapsnapshot");
//   libsnap::Snapshot after = libsnap::load("b.heapsnapshot");
//   libsnap::SnapshotDiff d = libsnap::diff(before, after);
//   for (const libsnap::ClassDiff& c : d.classes)
//     std::cout << c.name << " " << c.delta_count << " " << c.delta_size << "\n";
//
// V8 node ids are stable for the life of an isolate, so an object is "the same" in both snapshots
// when it has the same id and falls in the same class. Each class's instances are kept as an
// id-sorted array and the two sides are merge-walked: no per-node objects, no hash of ids.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/snapshot.hpp"

namespace libsnap {

// Facts about one snapshot of a comparison.
struct DiffSnapshotFacts {
  std::uint32_t node_count = 0;
  std::uint32_t edge_count = 0;
  std::uint64_t object_count = 0;      // instances with shallow size > 0 (the ones compared)
  std::uint64_t total_size = 0;        // the root's retained size (DevTools' total)
  std::uint32_t max_js_object_id = 0;  // the largest odd id (JS objects get odd ids)
  FormatGeneration generation = FormatGeneration::kV8_11_to_12;  // which V8 wrote it
};

// One snapshot's half of a comparison, everything the diff needs and nothing else (the snapshot
// and its analysis can be freed once it is built). Classes are the Summary view's rows (one per
// public class key, DevTools' collision rule); a class's instances are the nodes with shallow size
// > 0, ids ascending: class c owns ids[first[c] .. first[c + 1]) and the parallel sizes.
struct DiffSide {
  std::vector<std::string> key;              // public class key: ",Name" or "script,line,col,Name"
  std::vector<std::string> name;             // display name
  std::vector<std::uint64_t> retained_size;  // the Summary's class retained size
  std::vector<std::uint32_t> first;          // class count + 1 offsets
  std::vector<std::uint32_t> ids;
  std::vector<std::uint32_t> sizes;  // shallow sizes (DevTools': reattributed unless raw)
  DiffSnapshotFacts facts;
};

// Builds one side from a snapshot and its analysis. The base (BEFORE) of a comparison must be
// analyzed with the AFTER snapshot's interface definitions so that `{a, b}` rows line up:
//   auto interfaces = libsnap::infer_interface_definitions(after);
//   libsnap::AnalysisOptions o;
//   o.interfaces = &interfaces;
//   libsnap::DiffSide base = libsnap::diff_side(before, libsnap::analyze(before, o));
DiffSide diff_side(const Snapshot& snapshot, const Analysis& analysis);

// One row of the Comparison view, plus the retained-size delta and the survivors.
struct ClassDiff {
  std::string key;              // public class key
  std::string name;             // display name (AFTER's, or BEFORE's for a class gone from AFTER)
  std::uint64_t new_count = 0;  // ids in AFTER's class and not in BEFORE's
  std::uint64_t deleted_count = 0;  // ids in BEFORE's class and not in AFTER's
  std::int64_t delta_count = 0;     // new_count - deleted_count
  std::uint64_t alloc_size = 0;     // shallow sizes of the new instances (in AFTER)
  std::uint64_t freed_size = 0;     // shallow sizes of the deleted instances (in BEFORE)
  std::int64_t delta_size = 0;      // alloc_size - freed_size
  // Class retained size in AFTER minus in BEFORE (each: the sum of the retained sizes of the
  // instances not dominated by another instance of the class, as in the Summary view).
  std::int64_t retained_delta = 0;
  // Instances present in both, by id, in this class: BEFORE has deleted_count + survivors of them,
  // AFTER new_count + survivors.
  std::uint64_t survivors = 0;
};

struct SnapshotDiff {
  // Classes with at least one new or deleted instance (DevTools drops the others), by decreasing
  // |delta_size|, then key.
  std::vector<ClassDiff> classes;
  DiffSnapshotFacts before, after;
  std::uint64_t survivors = 0;  // over all classes
};

// Reasons to doubt that BEFORE and AFTER are two snapshots of one process in that order (ids
// mean nothing across processes), as sentences; empty when nothing looks wrong. Checks: no object
// in both; different V8 generations wrote them; AFTER's newest object id older than BEFORE's.
std::vector<std::string> identity_warnings(const SnapshotDiff& diff);

// The comparison of two prepared sides (BEFORE built with AFTER's interface definitions).
SnapshotDiff diff(const DiffSide& before, const DiffSide& after);

// Everything in one call: analyzes AFTER, then BEFORE with AFTER's interface definitions
// (`options.interfaces` is ignored), and compares them.
SnapshotDiff diff(const Snapshot& before, const Snapshot& after,
                  const AnalysisOptions& options = {});

}  // namespace libsnap
