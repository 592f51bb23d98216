// Private helpers shared by leaks.cpp and growth.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/series.hpp"
#include "libsnap/snapshot.hpp"

namespace libsnap::detail {

inline constexpr NodeOrdinal kNoNode = 0xFFFFFFFFu;

// (id, ordinal) sorted by id: lookups by binary search, joins by merge walks.
class SortedIds {
 public:
  SortedIds() = default;
  explicit SortedIds(const Snapshot& snapshot);
  std::optional<NodeOrdinal> find(std::uint32_t id) const;
  bool contains(std::uint32_t id) const { return find(id).has_value(); }
  std::size_t size() const { return pairs_.size(); }
  const std::vector<std::pair<std::uint32_t, NodeOrdinal>>& pairs() const { return pairs_; }

 private:
  std::vector<std::pair<std::uint32_t, NodeOrdinal>> pairs_;
};

// What tells two snapshots of one process apart from two processes: the V8 generation that wrote
// them, and the newest heap object id (odd ids only grow within a process).
struct Identity {
  FormatGeneration generation = FormatGeneration::kV8_11_to_12;
  std::uint32_t max_id = 0;
};
Identity identity(const Snapshot& snapshot);
// Throws SeriesError when `later` cannot be a later snapshot of `earlier`'s process.
void check_same_process(const Identity& earlier, const std::string& earlier_name,
                        const Identity& later, const std::string& later_name);

// Per node: the user objects (is_user_object) in its dominator subtree, itself included.
std::vector<std::uint32_t> dominated_user_counts(const Snapshot& snapshot,
                                                 const DominatorTree& tree);

// Per node: the string nodes (flat, concatenated, sliced) in its dominator subtree.
std::vector<std::uint32_t> dominated_string_counts(const Snapshot& snapshot,
                                                   const DominatorTree& tree);
bool is_string_type(const Snapshot& snapshot, NodeOrdinal node);

// Per node: a retainer one step closer to the roots (distance - 1, not a weak edge), the parent in
// a shortest-path tree; kNoNode for the root and unreachable nodes.
std::vector<NodeOrdinal> shortest_path_parents(const Snapshot& snapshot,
                                               std::span<const std::int32_t> distance);

// Per node flagged `is_new`: its accumulation point, the nearest ancestor in the shortest-path
// tree that is not new, lifted past backing stores (array / hidden nodes) to their owner;
// kNoNode for nodes that are not new or have no such ancestor. Linear (nodes in distance order).
std::vector<NodeOrdinal> accumulation_points(const Snapshot& snapshot,
                                             std::span<const std::int32_t> distance,
                                             std::span<const NodeOrdinal> parent,
                                             const std::vector<std::uint8_t>& is_new);

// id, class and path of a container in `snapshot`.
ContainerRef describe_container(const Snapshot& snapshot, const ClassNames& classes,
                                std::span<const std::int32_t> distance, NodeOrdinal node);

// Class counts of the user objects flagged in `counted` within the dominator subtree of `top`
// (iterative), most first: (class index, objects, shallow bytes).
struct ClassCount {
  std::uint32_t class_index = 0;
  std::uint64_t objects = 0;
  std::uint64_t bytes = 0;
};
std::vector<ClassCount> subtree_class_counts(const Snapshot& snapshot, const Analysis& analysis,
                                             NodeOrdinal top,
                                             const std::vector<std::uint8_t>& counted);

}  // namespace libsnap::detail
