// DevTools' essential edges (FORMAT.md §2.3; HeapSnapshot.computeIsEssentialEdge with
// JSHeapSnapshot's page-owned flags from markPageOwnedNodes): the edges that may decide dominance.
#include <string_view>
#include <vector>

#include "analysis/ephemeron_names.hpp"
#include "libsnap/analysis.hpp"

namespace libsnap {
namespace {

constexpr std::string_view kDocumentDomTrees = "(Document DOM trees)";

// Page-owned nodes: reachable through non-weak edges from the root's shortcut targets (the
// global objects) and from `(Document DOM trees)` children of the root.
std::vector<std::uint8_t> page_owned_nodes(const Snapshot& s) {
  const std::uint32_t node_count = s.node_count();
  // Bytes, not bits: nearly every node gets marked, and a byte store beats a word update.
  std::vector<std::uint8_t> owned(node_count, 0);
  std::span<const EdgeIndex> first_edge = s.first_edges();
  std::span<const EdgeType> edge_types = s.edge_types();
  std::span<const NodeOrdinal> targets = s.edge_targets();
  const NodeOrdinal root = s.root();

  // Seeds are marked; every marked node's edges are scanned once. Scanning follows ordinal order
  // where it can (a sweep: V8 numbers nodes roughly in discovery order, so most children lie
  // ahead and get scanned when the sweep reaches them) and a stack for marks behind the sweep.
  for (EdgeIndex e = first_edge[root]; e < first_edge[root + 1]; ++e) {
    NodeOrdinal child = targets[e];
    if (edge_types[e] == EdgeType::kElement) {
      if (s.node_type(child) != NodeType::kSynthetic || s.node_name(child) != kDocumentDomTrees) {
        continue;
      }
    } else if (edge_types[e] != EdgeType::kShortcut) {
      continue;
    }
    owned[child] = 1;
  }
  std::vector<NodeOrdinal> stack;
  NodeOrdinal sweep = 0;  // the sweep's position: marks below it go on the stack
  auto scan = [&](NodeOrdinal v) {
    for (EdgeIndex e = first_edge[v], end = first_edge[v + 1]; e < end; ++e) {
      const NodeOrdinal child = targets[e];
      if (owned[child] || edge_types[e] == EdgeType::kWeak) continue;
      owned[child] = 1;
      if (child < sweep) stack.push_back(child);
    }
  };
  for (; sweep < node_count; ++sweep) {
    if (!owned[sweep]) continue;
    scan(sweep);
    while (!stack.empty()) {
      const NodeOrdinal u = stack.back();
      stack.pop_back();
      scan(u);
    }
  }
  return owned;
}

}  // namespace

EdgeMask compute_essential_edges(const Snapshot& snapshot) {
  const std::uint32_t node_count = snapshot.node_count();
  EdgeMask mask(snapshot.edge_count());
  if (node_count == 0) return mask;
  const std::vector<std::uint8_t> page_owned = page_owned_nodes(snapshot);
  std::span<const EdgeIndex> first_edge = snapshot.first_edges();
  std::span<const EdgeType> edge_types = snapshot.edge_types();
  std::span<const std::uint32_t> edge_names = snapshot.edge_names_or_indices();
  std::span<const NodeOrdinal> targets = snapshot.edge_targets();
  std::span<const std::uint32_t> ids = snapshot.node_ids();
  const NodeOrdinal root = snapshot.root();
  detail::EphemeronNames ephemerons(snapshot);

  for (NodeOrdinal v = 0; v < node_count; ++v) {
    const bool from_root = v == root;
    const bool source_owned = page_owned[v] != 0;
    for (EdgeIndex e = first_edge[v], end = first_edge[v + 1]; e < end; ++e) {
      const EdgeType type = edge_types[e];
      // A WeakMap value is retained by its key and its table together; only the key's edge counts.
      if (type == EdgeType::kInternal) {
        const detail::EphemeronEdgeName* pair = ephemerons.find(edge_names[e]);
        if (pair && pair->table_id == ids[v]) continue;
      }
      if (type == EdgeType::kWeak) continue;
      const NodeOrdinal child = targets[e];
      if (child == v) continue;
      if (!from_root) {
        // Shortcuts mean "user global object" only at the root.
        if (type == EdgeType::kShortcut) continue;
        // Whatever the page owns is not dominated by what it does not (e.g. the debugger).
        if (!source_owned && page_owned[child]) continue;
      }
      mask.set(e);
    }
  }
  return mask;
}

}  // namespace libsnap
