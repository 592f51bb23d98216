// libsnap: finding nodes (by id, class, name, string value) and reading one node closely.
//
//   libsnap::Snapshot s = libsnap::load("app.heapsnapshot");
//   std::optional<libsnap::NodeOrdinal> n = libsnap::find_node_by_id(s, 80417);
//   std::vector<libsnap::NodeOrdinal> hits = libsnap::find_by_name(s, std::regex("^Metric"));
#pragma once

#include <cstdint>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/snapshot.hpp"

namespace libsnap {

// The node with V8 id `id`, if any (one linear pass over the id column).
std::optional<NodeOrdinal> find_node_by_id(const Snapshot& snapshot, std::uint32_t id);

// Every node whose display class is `name` (exact match; several class keys may share a name,
// e.g. same-named constructors from different scripts), in ordinal order.
std::vector<NodeOrdinal> find_by_class(const ClassNames& classes, std::string_view name);

// Nodes whose name matches `pattern` (std::regex_search; each distinct name is tested once per
// thread; the node range is split across the hardware threads), in ordinal order.
// String nodes are left out: their names are their values (see find_strings).
std::vector<NodeOrdinal> find_by_name(const Snapshot& snapshot, const std::regex& pattern);

// String nodes (flat, concatenated and sliced) whose value (string_value) matches `pattern`.
std::vector<NodeOrdinal> find_strings(const Snapshot& snapshot, const std::regex& pattern);

// True for the string node types (string, concatenated string, sliced string).
bool is_string_node(const Snapshot& snapshot, NodeOrdinal node);

// The value of a string node as V8 recorded it (names are cut at 1024 characters by V8), with
// concatenated strings rebuilt from their `first`/`second` parts up to `max_bytes` (iteratively)
// and sliced strings shown through their `parent`. `truncated` is set when the value was cut.
std::string string_value(const Snapshot& snapshot, NodeOrdinal node, std::size_t max_bytes = 1024,
                         bool* truncated = nullptr);

// Keeps the `limit` nodes with the biggest `retained` (ties: smaller ordinal first), biggest
// first; all of them when limit is 0. O(n log limit).
std::vector<NodeOrdinal> biggest_first(std::vector<NodeOrdinal> nodes,
                                       std::span<const std::uint64_t> retained, std::size_t limit);

// The outgoing edges of `node`, biggest target retained size first (ties: edge order).
std::vector<EdgeIndex> edges_by_retained_size(const Snapshot& snapshot, NodeOrdinal node,
                                              std::span<const std::uint64_t> retained);

}  // namespace libsnap
