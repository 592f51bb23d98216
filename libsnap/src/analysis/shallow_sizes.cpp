// The shallow sizes DevTools shows since Chrome 128 (FORMAT.md §2.4; JSHeapSnapshot
// .calculateShallowSizes): internal `hidden`/`array` nodes and native `system / ExternalStringData`
// reachable from exactly one owner (the nearest other node, through non-weak edges) are billed to
// that owner.
#include <string_view>
#include <vector>

#include "analysis/ephemeron_names.hpp"
#include "libsnap/analysis.hpp"

namespace libsnap {
namespace {

constexpr std::string_view kDocumentDomTrees = "(Document DOM trees)";
constexpr std::string_view kExternalStringData = "system / ExternalStringData";

bool has_user_roots(const Snapshot& s) {
  const NodeOrdinal root = s.root();
  for (EdgeIndex e = s.first_edge(root); e < s.first_edge(root + 1); ++e) {
    NodeOrdinal child = s.edge_target(e);
    if (s.node_type(child) != NodeType::kSynthetic || s.node_name(child) == kDocumentDomTrees) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::vector<std::uint32_t> compute_shallow_sizes(const Snapshot& snapshot) {
  std::span<const std::uint32_t> raw = snapshot.self_sizes();
  std::vector<std::uint32_t> sizes(raw.begin(), raw.end());
  const std::uint32_t node_count = snapshot.node_count();
  // Without user roots the snapshot exposes V8 internals on purpose: keep the real allocations.
  if (node_count == 0 || !has_user_roots(snapshot)) return sizes;

  constexpr std::uint32_t kUnvisited = 0xFFFFFFFFu;
  constexpr std::uint32_t kMultipleOwners = 0xFFFFFFFEu;
  std::span<const NodeType> types = snapshot.node_types();
  std::span<const EdgeIndex> first_edge = snapshot.first_edges();
  std::span<const EdgeType> edge_types = snapshot.edge_types();
  std::span<const NodeOrdinal> targets = snapshot.edge_targets();

  // owner[n]: n itself for ordinary nodes, else the one node owning it, or one of the markers.
  std::vector<std::uint32_t> owner(node_count);
  std::vector<NodeOrdinal> worklist;
  worklist.reserve(node_count);
  const detail::StringMatcher is_external_string_data(snapshot, kExternalStringData);
  std::span<const StringIndex> names = snapshot.node_names();
  for (NodeOrdinal n = 0; n < node_count; ++n) {
    const NodeType t = types[n];
    if (t == NodeType::kHidden || t == NodeType::kArray ||
        (t == NodeType::kNative && is_external_string_data(names[n]))) {
      owner[n] = kUnvisited;
    } else {
      owner[n] = n;
      worklist.push_back(n);
    }
  }
  // Each node enters the worklist at most twice: when it gets an owner, when it gets a second.
  while (!worklist.empty()) {
    const NodeOrdinal v = worklist.back();
    worklist.pop_back();
    const std::uint32_t v_owner = owner[v];
    for (EdgeIndex e = first_edge[v], end = first_edge[v + 1]; e < end; ++e) {
      if (edge_types[e] == EdgeType::kWeak) continue;
      const NodeOrdinal child = targets[e];
      const std::uint32_t current = owner[child];
      if (current == kUnvisited) {
        owner[child] = v_owner;
        worklist.push_back(child);
      } else if (current != child && current != v_owner && current != kMultipleOwners) {
        owner[child] = kMultipleOwners;
        worklist.push_back(child);
      }
    }
  }

  const NodeOrdinal root = snapshot.root();
  for (NodeOrdinal n = 0; n < node_count; ++n) {
    const std::uint32_t o = owner[n];
    if (o == kUnvisited || o == kMultipleOwners || o == n) continue;
    // Billing the root or a synthetic node would help nobody.
    if (o == root || types[o] == NodeType::kSynthetic) continue;
    sizes[o] += sizes[n];  // a Uint32Array in DevTools: wraps the same way
    sizes[n] = 0;
  }
  return sizes;
}

}  // namespace libsnap
