// The Summary view: one row per class, DevTools' rules (FORMAT.md §2.5;
// HeapSnapshot.buildAggregates, calculateClassesRetainedSize, getAggregatesByClassKey).
//
// - count, shallow size and min distance over the instances whose shallow size is not 0;
// - retained size: the sum of the retained sizes of the instances (shallow size > 0) that have no
//   dominator-tree ancestor of the same class with shallow size > 0 -- one iterative DFS over the
//   dominator tree with a per-class "an ancestor is open" flag;
// - rows are keyed by the public class key; when two classes share a key (DevTools keeps string
//   indices apart even when their texts agree), the one whose first counted instance comes last in
//   snapshot order wins, as the later assignment does in DevTools' conversion to public keys.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libsnap/analysis.hpp"

namespace libsnap {

std::vector<ClassAggregate> aggregate_classes(const Snapshot& snapshot, const ClassNames& classes,
                                              std::span<const std::uint32_t> shallow_sizes,
                                              const DominatorTree& dominators,
                                              std::span<const std::int32_t> distances) {
  const std::uint32_t node_count = snapshot.node_count();
  const std::size_t class_count = classes.name.size();
  constexpr std::uint32_t kNone = 0xffffffffu;

  std::vector<ClassAggregate> rows(class_count);
  std::vector<NodeOrdinal> first_instance(class_count, kNone);
  for (std::uint32_t c = 0; c < class_count; ++c) {
    rows[c].class_index = c;
    rows[c].min_distance = std::numeric_limits<std::int32_t>::max();
  }
  for (NodeOrdinal n = 0; n < node_count; ++n) {
    const std::uint32_t size = shallow_sizes[n];
    if (size == 0) continue;
    const std::uint32_t c = classes.class_of[n];
    ClassAggregate& row = rows[c];
    if (row.count == 0) first_instance[c] = n;
    ++row.count;
    row.shallow_size += size;
    row.min_distance = std::min(row.min_distance, distances[n]);
  }

  // Retained sizes: DFS over the dominator tree from the root. `open[c]` is set while a counted
  // instance of class c with dominated nodes is on the current path; `marks` remembers, for each
  // such instance, the stack height below which its subtree ends.
  if (!dominators.first_dominated.empty()) {
    std::vector<std::uint8_t> open(class_count, 0);
    struct Mark {
      std::size_t height;
      std::uint32_t cls;
    };
    std::vector<Mark> marks;
    std::vector<NodeOrdinal> stack{snapshot.root()};
    while (!stack.empty()) {
      const NodeOrdinal n = stack.back();
      stack.pop_back();
      const std::uint32_t c = classes.class_of[n];
      const std::uint32_t begin = dominators.first_dominated[n];
      const std::uint32_t end = dominators.first_dominated[n + 1];
      if (!open[c] && shallow_sizes[n] != 0) {
        rows[c].retained_size += dominators.retained_size[n];
        if (begin != end) {
          open[c] = 1;
          marks.push_back({stack.size(), c});
        }
      }
      for (std::uint32_t i = begin; i < end; ++i) stack.push_back(dominators.dominated[i]);
      while (!marks.empty() && marks.back().height == stack.size()) {
        open[marks.back().cls] = 0;
        marks.pop_back();
      }
    }
  }

  // One row per public key with at least one counted instance.
  std::unordered_map<std::string_view, std::uint32_t> by_key;
  by_key.reserve(class_count);
  for (std::uint32_t c = 0; c < class_count; ++c) {
    if (rows[c].count == 0) continue;
    auto [it, inserted] = by_key.try_emplace(classes.key[c], c);
    if (!inserted && first_instance[c] > first_instance[it->second]) it->second = c;
  }
  std::vector<ClassAggregate> summary;
  summary.reserve(by_key.size());
  for (const auto& [key, c] : by_key) summary.push_back(rows[c]);
  std::sort(summary.begin(), summary.end(), [&](const ClassAggregate& a, const ClassAggregate& b) {
    if (a.retained_size != b.retained_size) return a.retained_size > b.retained_size;
    return classes.key[a.class_index] < classes.key[b.class_index];
  });
  return summary;
}

}  // namespace libsnap
