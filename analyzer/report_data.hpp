// The data behind `analyzer report`: bounded summaries of a snapshot series as one JSON object,
// which the page (analyzer/report/report.js) renders. Whatever the snapshots' size, the data is
// bounded by ReportLimits: the page embeds summaries, never the graph.
//
// Shape (strings that come from snapshots are interned: a number s in a "string" position is
// strings[s]; a node reference r is nodes[r]):
//   {"version": 1,
//    "snapshots": [{"file","label","round","node_count","edge_count","object_count",
//                   "total_size","format"}],                      every snapshot, in order
//    "current": {                                                  the last snapshot, in detail
//      "header": {"file","file_size","format","title","node_count","edge_count","string_count",
//                 "total_size","total_self_size","extra_native_bytes"},
//      "statistics": {"total","native","typed_arrays","v8heap","code","js_arrays","strings",
//                     "system"},
//      "tree": [[node, parent, more_count, more_retained, edge_count, [[type, name, node]...],
//                retainer_count, [[type, name, node]...], path_index,
//                [[class, count, retained]...]]...]
//              the dominator tree's biggest part, biggest first (tree[0] is the root, parent -1;
//              more_*: dominated children not embedded, in total and by class; path_index into
//              "paths" or -1),
//      "classes": {"total_count", "rows": [[name, key, count, shallow, retained, distance]],
//                  "others": [classes, count, shallow, retained]},
//      "biggest": [path_index...]  the biggest user objects, biggest first
//      "paths": [{"node", "status", "length", "text", "steps": [[text, node]...],
//                 "elided"}]},
//    "nodes": [[id, type, class, name, shallow, retained, distance]...],
//    "series": {"classes": [{"name", "key", "count": [...], "shallow": [...],
//                            "retained": [...]}]}                  N >= 2, one value per snapshot
//    "growth": {"points": [snapshot index...], "findings": [{"rank","kind","sentence",
//               "container": {"id","class","path","path_text"}, "classes": [{"name",
//               "objects_per_step","bytes_per_step"}], "measure","objects_per_step",
//               "bytes_per_step","retained_bytes","series"}]}      N >= 3
//    "diffs": [{"before","after","survivors","warnings","class_count","rows": [[name, new,
//               deleted, delta_count, alloc, freed, delta_size, retained_delta, survivors]]}],
//    "strings": [...]}
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "cli_support.hpp"
#include "libsnap/series.hpp"

namespace analyzer {

struct ReportLimits {
  std::uint32_t tree_nodes = 2500;        // dominator tree nodes embedded
  std::uint32_t tree_depth = 48;          // levels below the root embedded
  std::uint32_t classes_per_node = 6;     // classes of the children left out, per tree node
  std::uint32_t children_per_node = 300;  // candidates kept per expanded tree node
  std::uint32_t edges_per_node = 8;       // outgoing edges and retainers per tree node
  std::uint32_t classes = 2000;           // class table rows (the rest summed as "others")
  std::uint32_t biggest = 20;             // biggest objects with full retainer paths
  std::uint32_t side_paths = 150;         // tree nodes (biggest first) given a short path
  std::uint32_t series_classes = 150;     // classes charted across the series
  std::uint32_t diff_rows = 150;          // rows per diff, at most
  std::uint32_t diff_rows_min = 30;       // rows per diff, at least
  std::uint32_t diff_rows_total = 12000;  // rows of all diffs together (when above the minimum)
  std::uint32_t all_pairs_max = 16;       // up to this many snapshots: every pair diffed
  std::size_t name_chars = 120;           // names cut to this many code points
  std::size_t text_chars = 2000;          // paths and sentences cut to this many
};

// Loads the snapshots one at a time (the last one first, analyzed in detail) and returns the
// report's data as JSON text (not yet safe to place in HTML: see report_page.hpp). Throws
// libsnap::LoadError or UsageError for bad input.
std::string collect_report_data(std::span<const libsnap::SeriesEntry> series,
                                const CommonOptions& common, const ReportLimits& limits = {});

}  // namespace analyzer
