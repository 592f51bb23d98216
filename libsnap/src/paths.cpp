// Retainer paths: a best-first search backwards from the target over retainers, guided by
// DevTools' distances; and dominator chains.
//
// Costs. Read DevTools' distances as shortest-path costs from the root: every edge costs 1, except
// that the root's edges to nodes that are not user roots cost kBaseSystemDistance + 1 (when user
// roots exist the root sits at kBaseSystemDistance and system-only nodes at kBaseSystemDistance +
// hops). With h(n) = distance(n) (h(root) = 0) as the heuristic, a search from the target towards
// the root that pops partial paths by g + h (g = cost from the node to the target) reaches the root
// first along a shortest path, then along the next cheapest, and so on. An edge r -> n with
// h(r) + cost < h(n) is one DevTools' BFS refused (the first half of a WeakMap pair, a filtered
// link): it is skipped, which keeps h consistent and paths consistent with the distances.
#include <algorithm>
#include <charconv>
#include <limits>
#include <optional>
#include <queue>
#include <unordered_set>

#include "libsnap/paths.hpp"

namespace libsnap {
namespace {

constexpr std::uint32_t kNoParent = std::numeric_limits<std::uint32_t>::max();

// A partial path: `node`, then `edge` to the node of `parent`, ... to the target.
struct Label {
  NodeOrdinal node;
  EdgeIndex edge;
  std::uint32_t parent;
  std::uint32_t length;
  std::int64_t g;
};

struct QueueEntry {
  std::int64_t f;
  std::int64_t h;
  std::uint8_t rank;
  std::uint32_t label;
  // std::priority_queue is a max-heap: "less" means popped later.
  bool operator<(const QueueEntry& o) const {
    if (f != o.f) return f > o.f;
    if (h != o.h) return h > o.h;  // closer to the root first: finish the path in hand
    if (rank != o.rank) return rank > o.rank;
    return label > o.label;  // first generated first: deterministic
  }
};

// Readable edges first among equals: property, element, context, then the rest.
std::uint8_t edge_rank(EdgeType t) {
  switch (t) {
    case EdgeType::kProperty:
      return 0;
    case EdgeType::kElement:
      return 1;
    case EdgeType::kContext:
      return 2;
    case EdgeType::kInternal:
      return 3;
    default:
      return 4;
  }
}

std::optional<std::uint32_t> edge_index_value(const Snapshot& s, EdgeIndex e) {
  if (edge_type_has_index(s.edge_type(e))) return s.edge_name_or_index(e);
  std::string_view name = s.string(s.edge_name_or_index(e));
  std::uint32_t v = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
  if (ec != std::errc() || ptr == name.data()) return std::nullopt;
  return v;  // parseInt semantics: leading digits
}

// DevTools' BFS edge filter (JSHeapSnapshot.calculateDistances), minus the WeakMap rule, which
// the cost check covers.
bool followed(const Snapshot& s, NodeOrdinal from, EdgeIndex e) {
  EdgeType t = s.edge_type(e);
  if (t == EdgeType::kWeak) return false;
  NodeType ft = s.node_type(from);
  if (ft == NodeType::kHidden && !edge_type_has_index(t) &&
      s.string(s.edge_name_or_index(e)) == "sloppy_function_map" &&
      s.node_name(from) == "system / NativeContext")
    return false;
  if (ft == NodeType::kArray && s.node_name(from) == "(map descriptors)") {
    std::optional<std::uint32_t> index = edge_index_value(s, e);
    if (index) return *index < 2 || *index % 3 != 1;
  }
  return true;
}

}  // namespace

std::string_view path_status_name(PathStatus status) {
  switch (status) {
    case PathStatus::kFound:
      return "found";
    case PathStatus::kIsRoot:
      return "root";
    case PathStatus::kUnreachable:
      return "unreachable";
    case PathStatus::kTooDeep:
      return "too deep";
    case PathStatus::kOutOfBudget:
      return "out of budget";
  }
  return "unknown";
}

PathSearch find_retainer_paths(const Snapshot& s, std::span<const std::int32_t> distance,
                               NodeOrdinal target, const PathOptions& options) {
  PathSearch out;
  const NodeOrdinal root = s.root();
  if (target >= s.node_count() || distance.size() != s.node_count()) {
    out.status = PathStatus::kUnreachable;
    return out;
  }
  if (target == root) {
    out.status = PathStatus::kIsRoot;
    out.paths.emplace_back();
    return out;
  }
  if (distance[target] == kNoDistance) {
    out.status = PathStatus::kUnreachable;
    return out;
  }
  const std::uint32_t k = std::clamp<std::uint32_t>(options.max_paths, 1, 255);
  const std::uint32_t max_depth =
      options.max_depth == 0 ? std::numeric_limits<std::uint32_t>::max() : options.max_depth;
  const bool system_root = distance[root] == kBaseSystemDistance;
  auto h = [&](NodeOrdinal n) -> std::int64_t { return n == root ? 0 : distance[n]; };
  auto cost = [&](NodeOrdinal from, NodeOrdinal to) -> std::int64_t {
    if (from == root && system_root && distance[to] != 1)
      return std::int64_t{kBaseSystemDistance} + 1;
    return 1;
  };

  const Retainers& ret = s.retainers();
  std::vector<Label> labels;
  std::vector<std::uint8_t> expanded(s.node_count(), 0);
  std::priority_queue<QueueEntry> queue;
  labels.push_back({target, 0, kNoParent, 0, 0});
  queue.push({h(target), h(target), 0, 0});
  bool depth_cut = false;
  std::unordered_set<NodeOrdinal> on_path;

  while (!queue.empty() && out.paths.size() < k) {
    if (out.work > options.max_work) {
      out.budget_exhausted = true;
      break;
    }
    const std::uint32_t li = queue.top().label;
    queue.pop();
    const Label label = labels[li];
    if (label.node == root) {
      // A complete path: root -> ... -> target. Keep it if simple.
      RetainerPath path;
      on_path.clear();
      bool simple = true;
      for (std::uint32_t i = li; labels[i].parent != kNoParent; i = labels[i].parent) {
        const Label& l = labels[i];
        if (!on_path.insert(l.node).second) simple = false;
        path.push_back({l.node, l.edge, labels[l.parent].node});
      }
      if (simple && !on_path.insert(target).second) simple = false;
      if (simple) out.paths.push_back(std::move(path));
      continue;
    }
    if (expanded[label.node] >= k) continue;
    ++expanded[label.node];
    if (label.length >= max_depth) {
      depth_cut = true;
      continue;
    }
    std::span<const EdgeIndex> edges = ret.edges_of(label.node);
    std::span<const NodeOrdinal> from = ret.nodes_of(label.node);
    out.work += edges.size();
    const std::int64_t hn = h(label.node);
    for (std::size_t i = 0; i < edges.size(); ++i) {
      const NodeOrdinal r = from[i];
      const EdgeIndex e = edges[i];
      if (distance[r] == kNoDistance || expanded[r] >= k) continue;
      if (!followed(s, r, e)) continue;
      const std::int64_t c = cost(r, label.node);
      const std::int64_t hr = h(r);
      if (hr + c < hn) continue;  // an edge DevTools' BFS did not follow
      if (labels.size() >= std::numeric_limits<std::uint32_t>::max() - 1) break;
      const auto idx = static_cast<std::uint32_t>(labels.size());
      labels.push_back({r, e, li, label.length + 1, label.g + c});
      queue.push({label.g + c + hr, hr, edge_rank(s.edge_type(e)), idx});
    }
  }
  if (!out.paths.empty())
    out.status = PathStatus::kFound;
  else if (out.budget_exhausted)
    out.status = PathStatus::kOutOfBudget;
  else if (depth_cut)
    out.status = PathStatus::kTooDeep;
  else
    out.status = PathStatus::kUnreachable;
  return out;
}

std::vector<NodeOrdinal> dominator_chain(const DominatorTree& tree, NodeOrdinal node) {
  std::vector<NodeOrdinal> chain;
  const std::size_t n = tree.idom.size();
  if (node >= n) return chain;
  chain.push_back(node);
  while (chain.size() <= n) {
    NodeOrdinal up = tree.idom[node];
    if (up == node || up >= n) break;
    chain.push_back(up);
    node = up;
  }
  return chain;
}

}  // namespace libsnap
