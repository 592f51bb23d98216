// What the retainers, inspect and find commands share: a snapshot with the analyses they need,
// node lookup with clear errors, and the JSON/text forms of a node and of a path.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "cli_support.hpp"
#include "json_writer.hpp"
#include "libsnap/analysis.hpp"
#include "libsnap/paths.hpp"
#include "libsnap/snapshot.hpp"

namespace analyzer {

// A loaded snapshot and the analyses the node commands use, computed once, with timings.
struct NodeViews {
  libsnap::Snapshot snapshot;
  std::vector<std::int32_t> distance;
  libsnap::DominatorTree dominators;
  libsnap::ClassNames classes;
  double load_seconds = 0;
  double analysis_seconds = 0;

  std::uint64_t retained(libsnap::NodeOrdinal n) const { return dominators.retained_size[n]; }
  std::string cls(libsnap::NodeOrdinal n) const;
  std::string label(libsnap::NodeOrdinal n) const;
};

// Loads `path` and runs distances, dominators (DevTools' shallow sizes), class names and the
// retainers index (analysis_seconds covers them all).
NodeViews load_views(const std::string& path, const CommonOptions& common);

// The node with V8 id `id`; UsageError "no node with id N in FILE" otherwise.
libsnap::NodeOrdinal node_by_id(const NodeViews& v, std::uint64_t id, const std::string& file);

// {"id", "type", "name", "class", "self_size", "retained_size", "distance"} (distance null when
// unreachable).
void write_node_fields(JsonWriter& j, const NodeViews& v, libsnap::NodeOrdinal n);
void write_node(JsonWriter& j, const NodeViews& v, libsnap::NodeOrdinal n);

// {"length", "text", "shape", "steps": [{"edge_type", "edge_name", "kind", "name", "text",
//   "internal", "node": {<the step's target, as write_node>}}]}
void write_path(JsonWriter& j, const NodeViews& v, const libsnap::RetainerPath& path,
                bool internals);

// "seconds": {"load", "analyses", "query"}, the timing every node command's JSON ends with.
void write_seconds(JsonWriter& j, const NodeViews& v, double query_seconds);

// Steps shown in a text path before the middle is elided (JSON keeps every step).
inline constexpr std::size_t kTextSteps = 40;

// The dominator chain, one node a line with its retained size; long chains elided in the middle.
void print_chain(std::ostream& out, const NodeViews& v,
                 const std::vector<libsnap::NodeOrdinal>& chain);

// "7", "system + 3" (reached only from system roots), "unreachable".
std::string distance_text(std::int32_t d);

}  // namespace analyzer
