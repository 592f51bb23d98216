// Distances from the user roots, exactly as DevTools' JSHeapSnapshot.calculateDistances computes
// them (FORMAT.md §2.2): breadth-first from the root's user-root children, then from the root for
// what is left (system distances), skipping weak edges and three kinds of misleading links.
#include <cmath>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "model/bit_vector.hpp"
#include "analysis/ephemeron_names.hpp"
#include "libsnap/analysis.hpp"

namespace libsnap {
namespace {

constexpr std::string_view kDocumentDomTrees = "(Document DOM trees)";
constexpr std::string_view kNativeContext = "system / NativeContext";
constexpr std::string_view kMapDescriptors = "(map descriptors)";
constexpr std::string_view kSloppyFunctionMap = "sloppy_function_map";

class DistanceWalk {
 public:
  explicit DistanceWalk(const Snapshot& s)
      : s_(s),
        types_(s.node_types()),
        first_edge_(s.first_edges()),
        edge_types_(s.edge_types()),
        edge_names_(s.edge_names_or_indices()),
        targets_(s.edge_targets()),
        ephemerons_(s),
        is_document_dom_trees_(s, kDocumentDomTrees),
        is_native_context_(s, kNativeContext),
        is_map_descriptors_(s, kMapDescriptors),
        is_sloppy_function_map_(s, kSloppyFunctionMap),
        names_(s.node_names()) {}

  // Breadth-first from the queue; appends what it reaches. `reached` mirrors
  // distance != kNoDistance in a form that stays in the cache.
  void bfs(std::vector<NodeOrdinal>& queue, std::vector<std::int32_t>& distance,
           detail::BitVector& reached) {
    for (std::size_t head = 0; head < queue.size(); ++head) {
      NodeOrdinal v = queue[head];
      std::int32_t d = distance[v] + 1;
      NodeKind kind = kind_of(v);
      for (EdgeIndex e = first_edge_[v], end = first_edge_[v + 1]; e < end; ++e) {
        EdgeType type = edge_types_[e];
        if (type == EdgeType::kWeak) continue;
        NodeOrdinal child = targets_[e];
        if (reached.test(child)) continue;
        if (!follow(kind, e, type)) continue;
        reached.set(child);
        distance[child] = d;
        queue.push_back(child);
      }
    }
  }

  bool is_user_root(NodeOrdinal n) const {
    return types_[n] != NodeType::kSynthetic || is_document_dom_trees_(names_[n]);
  }

 private:
  enum class NodeKind { kPlain, kNativeContext, kDescriptorArray };

  NodeKind kind_of(NodeOrdinal v) const {
    if (types_[v] == NodeType::kHidden && is_native_context_(names_[v])) {
      return NodeKind::kNativeContext;
    }
    if (types_[v] == NodeType::kArray && is_map_descriptors_(names_[v])) {
      return NodeKind::kDescriptorArray;
    }
    return NodeKind::kPlain;
  }

  // DevTools' JSHeapSnapshot distance filter, in its order. It is stateful (the WeakMap pairs),
  // so it is consulted only where DevTools consults it: non-weak edges to unvisited nodes.
  bool follow(NodeKind kind, EdgeIndex e, EdgeType type) {
    if (kind == NodeKind::kNativeContext && !edge_type_has_index(type) &&
        is_sloppy_function_map_(edge_names_[e])) {
      return false;
    }
    if (kind == NodeKind::kDescriptorArray) {
      // Descriptor links of shared descriptor arrays (crbug.com/413608): slots 3i+4.
      std::optional<double> index;
      if (edge_type_has_index(type)) {
        index = static_cast<double>(edge_names_[e]);
      } else {
        index = detail::js_parse_int(s_.string(edge_names_[e]));
      }
      if (!index) return true;  // NaN: neither < 2 nor % 3 == 1
      return *index < 2 || std::fmod(*index, 3.0) != 1.0;
    }
    if (type == EdgeType::kInternal) {
      // The first edge seen of each WeakMap key/table pair is skipped, so the value's distance
      // comes from the later of the two (crbug.com/1290800).
      if (const detail::EphemeronEdgeName* pair = ephemerons_.find(edge_names_[e])) {
        if (pending_pairs_.erase(pair->pair) == 0) {
          pending_pairs_.insert(pair->pair);
          return false;
        }
      }
    }
    return true;
  }

  const Snapshot& s_;
  std::span<const NodeType> types_;
  std::span<const EdgeIndex> first_edge_;
  std::span<const EdgeType> edge_types_;
  std::span<const std::uint32_t> edge_names_;
  std::span<const NodeOrdinal> targets_;
  detail::EphemeronNames ephemerons_;
  detail::StringMatcher is_document_dom_trees_, is_native_context_, is_map_descriptors_,
      is_sloppy_function_map_;
  std::span<const StringIndex> names_;
  std::unordered_set<std::string_view> pending_pairs_;
};

}  // namespace

std::vector<std::int32_t> compute_distances(const Snapshot& snapshot) {
  const std::uint32_t node_count = snapshot.node_count();
  std::vector<std::int32_t> distance(node_count, kNoDistance);
  if (node_count == 0) return distance;
  const NodeOrdinal root = snapshot.root();
  DistanceWalk walk(snapshot);
  detail::BitVector reached(node_count);

  std::vector<NodeOrdinal> queue;
  queue.reserve(node_count);
  // Every child of the root that is a user root starts at 1 (once per edge, like DevTools).
  for (EdgeIndex e = snapshot.first_edge(root); e < snapshot.first_edge(root + 1); ++e) {
    NodeOrdinal child = snapshot.edge_target(e);
    if (walk.is_user_root(child)) {
      distance[child] = 1;
      reached.set(child);
      queue.push_back(child);
    }
  }
  const bool has_user_roots = !queue.empty();
  walk.bfs(queue, distance, reached);

  // Then everything else, from the root.
  distance[root] = has_user_roots ? kBaseSystemDistance : 0;
  reached.set(root);
  queue.clear();
  queue.push_back(root);
  walk.bfs(queue, distance, reached);
  return distance;
}

}  // namespace libsnap
