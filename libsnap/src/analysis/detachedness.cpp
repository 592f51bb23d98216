// Detachedness propagation, DevTools' rules (FORMAT.md §2.6, HeapSnapshot.propagateDOMState):
// nodes whose state the embedder knows (1 attached, 2 detached) are the seeds; attached state then
// flows to every native node reachable from an attached one through native nodes, and detached
// state to the native nodes still unvisited. Non-native nodes stop the flow; hidden and weak edges
// are not followed. One linear pass over nodes and edges, two explicit stacks, no recursion.
#include <cstdint>
#include <vector>

#include "libsnap/analysis.hpp"

namespace libsnap {

std::vector<std::uint8_t> propagate_detachedness(const Snapshot& snapshot) {
  const std::uint32_t node_count = snapshot.node_count();
  std::vector<std::uint8_t> state(node_count, 0);
  const auto types = snapshot.node_types();
  const auto first_edge = snapshot.first_edges();
  const auto edge_types = snapshot.edge_types();
  const auto targets = snapshot.edge_targets();

  constexpr std::uint8_t kAttached = 1;
  constexpr std::uint8_t kDetached = 2;
  std::vector<std::uint8_t> visited(node_count, 0);
  std::vector<NodeOrdinal> attached;
  std::vector<NodeOrdinal> detached;

  // Gives `n` the state `s` unless it was visited already; only native nodes take a state.
  auto process = [&](NodeOrdinal n, std::uint8_t s) {
    if (visited[n]) return;
    visited[n] = 1;
    if (types[n] != NodeType::kNative) return;
    state[n] = s;
    if (s == kAttached) attached.push_back(n);
    if (s == kDetached) detached.push_back(n);
  };
  auto propagate = [&](NodeOrdinal from, std::uint8_t s) {
    for (EdgeIndex e = first_edge[from]; e < first_edge[from + 1]; ++e) {
      const EdgeType t = edge_types[e];
      if (t == EdgeType::kHidden || t == EdgeType::kWeak) continue;
      process(targets[e], s);
    }
  };

  // Non-native nodes keep the state the file gives them (DevTools leaves their field alone).
  for (NodeOrdinal n = 0; n < node_count; ++n) {
    const std::uint8_t s = snapshot.detachedness(n) & 3;
    if (s == 0) continue;
    state[n] = s;
    process(n, s);
  }
  while (!attached.empty()) {
    const NodeOrdinal n = attached.back();
    attached.pop_back();
    propagate(n, kAttached);
  }
  while (!detached.empty()) {
    const NodeOrdinal n = detached.back();
    detached.pop_back();
    if (state[n] == kAttached) continue;
    propagate(n, kDetached);
  }
  return state;
}

}  // namespace libsnap
