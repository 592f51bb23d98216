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
#include <unordered_map>
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

// A queue entry is a partial path to extend (an arrival: `item` indexes the labels) or a
// generator: the not yet generated retainers of one label at one slack level (`item` indexes
// the generators). Generators let a node with a million retainers hand out a few at a time.
struct QueueEntry {
  std::int64_t f;
  std::int64_t h;
  std::uint8_t rank;
  bool generator;
  std::uint32_t item;
  // std::priority_queue is a max-heap: "less" means popped later.
  bool operator<(const QueueEntry& o) const {
    if (f != o.f) return f > o.f;
    if (h != o.h) return h > o.h;  // closer to the root first: finish the path in hand
    if (rank != o.rank) return rank > o.rank;
    if (generator != o.generator) return generator;  // arrivals before more of the same
    return item > o.item;                            // first generated first: deterministic
  }
};

// Slack of a retainer: how much longer than the best a path through it is (h(r) + cost - h(n)).
struct Generator {
  std::uint32_t label;
  std::int64_t slack;
  std::uint32_t pos;  // next retainer to look at; kFindLevel: first find the next slack level
};
constexpr std::uint32_t kFindLevel = std::numeric_limits<std::uint32_t>::max();
constexpr std::int64_t kNoLevel = std::numeric_limits<std::int64_t>::max();

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
  std::vector<Generator> generators;
  std::unordered_map<NodeOrdinal, std::uint8_t> expanded;  // sparse: queries touch few nodes
  expanded.reserve(1024);
  auto times_expanded = [&](NodeOrdinal n) -> std::uint32_t {
    auto it = expanded.find(n);
    return it == expanded.end() ? 0 : it->second;
  };
  std::priority_queue<QueueEntry> queue;
  labels.push_back({target, 0, kNoParent, 0, 0});
  queue.push({h(target), h(target), 0, false, 0});
  bool depth_cut = false;
  std::unordered_set<NodeOrdinal> on_path;
  const std::uint32_t chunk = k + 15;

  // The slack of retainer i of `node` when it may extend a path, else kNoLevel.
  auto slack_of = [&](NodeOrdinal node, std::int64_t hn, std::size_t i) -> std::int64_t {
    const NodeOrdinal r = ret.nodes_of(node)[i];
    const EdgeIndex e = ret.edges_of(node)[i];
    if (distance[r] == kNoDistance || !followed(s, r, e)) return kNoLevel;
    const std::int64_t slack = h(r) + cost(r, node) - hn;
    if (slack < 0) return kNoLevel;  // an edge DevTools' BFS did not follow
    if (r != root && times_expanded(r) >= k) return kNoLevel;
    return slack;
  };
  // Whether `n` is already on the partial path of label `li` (checked on short partial paths;
  // longer ones are checked once complete, so deep chains stay linear).
  auto on_partial_path = [&](std::uint32_t li, NodeOrdinal n) {
    if (labels[li].length > 64) return false;
    for (std::uint32_t i = li; i != kNoParent; i = labels[i].parent)
      if (labels[i].node == n) return true;
    return false;
  };
  auto push_generator = [&](std::uint32_t li, std::int64_t slack, std::uint32_t pos) {
    const Label& l = labels[li];
    const std::int64_t hn = h(l.node);
    generators.push_back({li, slack, pos});
    queue.push({l.g + hn + slack, hn + slack - 1, 0, true,
                static_cast<std::uint32_t>(generators.size() - 1)});
  };

  while (!queue.empty() && out.paths.size() < k) {
    if (out.work > options.max_work) {
      out.budget_exhausted = true;
      break;
    }
    const QueueEntry top = queue.top();
    queue.pop();
    if (top.generator) {
      Generator gen = generators[top.item];
      const Label label = labels[gen.label];
      const NodeOrdinal v = label.node;
      const std::int64_t hn = h(v);
      const std::size_t n = ret.edges_of(v).size();
      if (gen.pos == kFindLevel) {
        std::int64_t next = kNoLevel;
        for (std::size_t i = 0; i < n; ++i) {
          const std::int64_t slack = slack_of(v, hn, i);
          if (slack >= gen.slack && slack < next) next = slack;
        }
        out.work += n;
        if (next == kNoLevel) continue;
        if (next != gen.slack) {
          push_generator(gen.label, next, 0);
          continue;
        }
        gen.pos = 0;
      }
      std::uint32_t pushed = 0;
      std::size_t i = gen.pos;
      for (; i < n && pushed < chunk; ++i) {
        ++out.work;
        if (slack_of(v, hn, i) != gen.slack) continue;
        if (labels.size() >= std::numeric_limits<std::uint32_t>::max() - 1) break;
        const NodeOrdinal r = ret.nodes_of(v)[i];
        const EdgeIndex e = ret.edges_of(v)[i];
        if (on_partial_path(gen.label, r)) continue;
        const std::int64_t c = cost(r, v);
        const auto idx = static_cast<std::uint32_t>(labels.size());
        labels.push_back({r, e, gen.label, label.length + 1, label.g + c});
        queue.push({label.g + c + h(r), h(r), edge_rank(s.edge_type(e)), false, idx});
        ++pushed;
      }
      if (i < n)
        push_generator(gen.label, gen.slack, static_cast<std::uint32_t>(i));
      else
        push_generator(gen.label, gen.slack + 1, kFindLevel);
      continue;
    }
    const std::uint32_t li = top.item;
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
    std::uint8_t& count = expanded[label.node];
    if (count >= k) continue;
    ++count;
    if (label.length >= max_depth) {
      depth_cut = true;
      continue;
    }
    // Tight retainers first (slack 0: one closer); the others when their turn comes.
    push_generator(li, 0, 0);
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

std::vector<std::uint8_t> dominated_by_another(const DominatorTree& tree,
                                               std::span<const NodeOrdinal> nodes) {
  const std::size_t n = tree.idom.size();
  std::unordered_set<NodeOrdinal> members;
  for (NodeOrdinal m : nodes)
    if (m < n) members.insert(m);
  // covered[x]: x or one of its dominators is a member (memoized along every walk).
  std::unordered_map<NodeOrdinal, std::uint8_t> covered;
  std::vector<NodeOrdinal> walk;
  auto is_covered = [&](NodeOrdinal x) -> bool {
    walk.clear();
    std::uint8_t answer = 0;
    while (true) {
      auto it = covered.find(x);
      if (it != covered.end()) {
        answer = it->second;
        break;
      }
      walk.push_back(x);
      if (members.count(x) != 0) {
        answer = 1;
        break;
      }
      const NodeOrdinal up = tree.idom[x];
      if (up == x || up >= n || walk.size() > n) break;
      x = up;
    }
    for (NodeOrdinal w : walk) covered.emplace(w, answer);
    return answer != 0;
  };
  std::vector<std::uint8_t> out(nodes.size(), 0);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const NodeOrdinal m = nodes[i];
    if (m >= n) continue;
    const NodeOrdinal up = tree.idom[m];
    out[i] = up != m && up < n && is_covered(up);
  }
  return out;
}

}  // namespace libsnap
