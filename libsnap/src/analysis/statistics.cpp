// The Statistics view, DevTools-2025 rules (FORMAT.md §2.9; JSHeapSnapshot.calculateStatistics):
// one pass over the nodes with their shown (shallow) sizes.
//   system      hidden nodes
//   native      native nodes, plus the snapshot's extra_native_bytes;
//               typedArrays: native nodes named "system / JSArrayBufferData"
//   code        code nodes
//   strings     string, concatenated string and sliced string nodes
//   jsArrays    every other node named "Array": its size, plus that of its first internal
//               `elements` target when the target has exactly one retainer (any edge type)
//   total       the root's retained size plus extra_native_bytes; v8heap = total - native
#include <cstdint>
#include <string_view>
#include <vector>

#include "libsnap/analysis.hpp"

namespace libsnap {

Statistics compute_statistics(const Snapshot& snapshot,
                              std::span<const std::uint32_t> shallow_sizes,
                              const DominatorTree& dominators,
                              std::span<const std::uint8_t> detachedness) {
  const std::uint64_t extra = snapshot.meta().extra_native_bytes;
  Statistics st;
  st.native_total = extra;
  const auto types = snapshot.node_types();
  const auto names = snapshot.node_names();
  const auto edge_types = snapshot.edge_types();
  const auto edge_names = snapshot.edge_names_or_indices();
  const auto targets = snapshot.edge_targets();

  // Names are compared once per string index, not once per node.
  enum : std::uint8_t { kUnknown, kOther, kArrayBufferData, kArray };
  std::vector<std::uint8_t> name_kind(snapshot.string_count(), kUnknown);
  auto kind_of = [&](StringIndex i) {
    std::uint8_t& k = name_kind[i];
    if (k == kUnknown) {
      const std::string_view s = snapshot.string(i);
      k = s == "system / JSArrayBufferData" ? kArrayBufferData : s == "Array" ? kArray : kOther;
    }
    return k;
  };
  // The `elements` stores of Arrays, counted once the retainers of those stores are known.
  std::vector<NodeOrdinal> stores;

  for (NodeOrdinal n = 0; n < snapshot.node_count(); ++n) {
    const std::uint64_t size = shallow_sizes[n];
    switch (types[n]) {
      case NodeType::kHidden:
        st.system += size;
        break;
      case NodeType::kNative:
        st.native_total += size;
        // A detached native node was renamed "Detached ..." by DevTools, so it never matches.
        if (kind_of(names[n]) == kArrayBufferData &&
            !(n < detachedness.size() && detachedness[n] == 2))
          st.typed_arrays += size;
        break;
      case NodeType::kCode:
        st.code += size;
        break;
      case NodeType::kString:
      case NodeType::kConsString:
      case NodeType::kSlicedString:
        st.strings += size;
        break;
      default:
        if (kind_of(names[n]) != kArray) break;
        st.js_arrays += size;
        for (EdgeIndex e = snapshot.first_edge(n); e < snapshot.first_edge(n + 1); ++e) {
          if (edge_types[e] != EdgeType::kInternal || snapshot.string(edge_names[e]) != "elements")
            continue;
          stores.push_back(targets[e]);
          break;
        }
    }
  }
  // A store counts when it has exactly one retainer: one pass over the edge targets counts the
  // stores' retainers (saturating at 2) without building the reverse-edge index.
  if (!stores.empty()) {
    enum : std::uint8_t { kNotStore, kNoRetainer, kOneRetainer, kMore };
    std::vector<std::uint8_t> retainers(snapshot.node_count(), kNotStore);
    for (const NodeOrdinal store : stores) retainers[store] = kNoRetainer;
    for (const NodeOrdinal t : targets) {
      std::uint8_t& r = retainers[t];
      if (r != kNotStore && r != kMore) ++r;
    }
    for (const NodeOrdinal store : stores)
      if (retainers[store] == kOneRetainer) st.js_arrays += shallow_sizes[store];
  }
  // Every node hangs in the dominator tree (DevTools attaches the unreachable ones to the root), so
  // the root's retained size is the sum of all shallow sizes; without a tree, that sum is used.
  if (dominators.retained_size.empty()) {
    for (const std::uint32_t size : shallow_sizes) st.total += size;
  } else {
    st.total = dominators.retained_size[snapshot.root()];
  }
  st.total += extra;
  st.v8heap_total = st.total - st.native_total;
  return st;
}

}  // namespace libsnap
