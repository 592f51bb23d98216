// The dominator tree and retained sizes, exactly as DevTools builds them (FORMAT.md §2.3;
// HeapSnapshot.calculateDominatorsAndRetainedSizes): Lengauer-Tarjan with the simple eval/link,
// vertices numbered by an iterative depth-first search over essential edges from the root, then
// from nodes with only non-essential retainers (as extra children of the root), then the nodes
// still left (cliques retaining one another) one by one under the root.
//
// Every step follows DevTools' order (edge order in the DFS, ordinal order for orphans, insertion
// order in the buckets), so even the leftover cliques, where Lengauer-Tarjan's preconditions do
// not hold, get DevTools' answer. Nothing recurses: the DFS keeps a per-node edge cursor and the
// path compression an explicit stack.
#include <stdexcept>
#include <vector>

#include "libsnap/analysis.hpp"

namespace libsnap {
namespace {

// Vertices are numbered 1..N (ordinal + 1); 0 means "none", as in the paper and in DevTools.
class LengauerTarjan {
 public:
  LengauerTarjan(const Snapshot& s, const EdgeMask& essential)
      : node_count_(s.node_count()),
        first_edge_(s.first_edges()),
        targets_(s.edge_targets()),
        retainers_(s.retainers()),
        essential_(essential),
        parent_(node_count_ + 1, 0),
        semi_(node_count_ + 1, 0),
        vertex_(node_count_ + 1, 0),
        label_(node_count_ + 1, 0),
        ancestor_(node_count_ + 1, 0),
        dom_(node_count_ + 1, 0) {}

  // Runs the algorithm; returns the immediate dominator of every ordinal (the root's is itself).
  // Afterwards vertices_in_dfs_order() lists vertex numbers by DFS number (index 1..N).
  std::vector<NodeOrdinal> run(NodeOrdinal root_ordinal) {
    const std::uint32_t r = root_ordinal + 1;
    number_vertices(r);
    compute_semidominators(r);
    // Final step. Unlike the paper the root is its own dominator, and dom[0] = r sends a vertex
    // whose bucket was never processed (only possible in leftover cliques) to the root.
    dom_[0] = r;
    dom_[r] = r;
    for (std::uint32_t i = 2; i <= n_; ++i) {
      const std::uint32_t w = vertex_[i];
      if (dom_[w] != vertex_[semi_[w]]) dom_[w] = dom_[dom_[w]];
    }
    release(parent_);
    release(semi_);
    release(label_);
    release(ancestor_);
    // In place: idom[ordinal] = dom[ordinal + 1] - 1.
    std::vector<NodeOrdinal> idom = std::move(dom_);
    for (std::uint32_t o = 0; o < node_count_; ++o) idom[o] = idom[o + 1] - 1;
    idom.resize(node_count_);
    idom.shrink_to_fit();
    return idom;
  }

  std::span<const std::uint32_t> vertices_in_dfs_order() const { return vertex_; }

 private:
  template <typename T>
  static void release(std::vector<T>& v) {
    std::vector<T>().swap(v);
  }

  bool only_non_essential_retainers(NodeOrdinal o) const {
    for (std::uint32_t i = retainers_.first[o]; i < retainers_.first[o + 1]; ++i) {
      if (essential_.test(retainers_.edges[i])) return false;
    }
    return true;
  }

  void number_vertices(std::uint32_t r) {
    // The DFS keeps each node's next edge to examine in dom_ (unused until the main loop).
    dfs(r);
    if (n_ < node_count_) {
      // Nodes retained only through non-essential edges (weak ones, mostly): DFS trees of their
      // own, hung under the root.
      for (std::uint32_t v = 1; v <= node_count_; ++v) {
        if (semi_[v] == 0 && only_non_essential_retainers(v - 1)) {
          parent_[v] = r;
          dfs(v);
        }
      }
    }
    if (n_ < node_count_) {
      // What is still unnumbered is retained only from inside unreachable cycles.
      for (std::uint32_t v = 1; v <= node_count_; ++v) {
        if (semi_[v] == 0) {
          parent_[v] = r;
          semi_[v] = ++n_;
          vertex_[n_] = label_[v] = v;
        }
      }
    }
    std::fill(dom_.begin(), dom_.end(), 0);
  }

  void dfs(std::uint32_t start) {
    std::vector<std::uint32_t>& next_edge = dom_;  // indexed by ordinal
    next_edge[start - 1] = first_edge_[start - 1];
    std::uint32_t v = start;
    while (v != 0) {
      if (semi_[v] == 0) {
        semi_[v] = ++n_;
        vertex_[n_] = label_[v] = v;
      }
      // Descend into the first unnumbered successor, or return to the parent.
      std::uint32_t next = parent_[v];
      const NodeOrdinal vo = v - 1;
      EdgeIndex e = next_edge[vo];
      const EdgeIndex end = first_edge_[vo + 1];
      for (; e < end; ++e) {
        if (!essential_.test(e)) continue;
        const NodeOrdinal wo = targets_[e];
        const std::uint32_t w = wo + 1;
        if (semi_[w] == 0) {
          parent_[w] = v;
          next_edge[wo] = first_edge_[wo];
          next = w;
          break;
        }
      }
      next_edge[vo] = e;
      v = next;
    }
  }

  void compress(std::uint32_t v) {
    stack_.clear();
    while (ancestor_[ancestor_[v]] != 0) {
      stack_.push_back(v);
      v = ancestor_[v];
    }
    while (!stack_.empty()) {
      const std::uint32_t w = stack_.back();
      stack_.pop_back();
      if (semi_[label_[ancestor_[w]]] < semi_[label_[w]]) label_[w] = label_[ancestor_[w]];
      ancestor_[w] = ancestor_[ancestor_[w]];
    }
  }

  std::uint32_t eval(std::uint32_t v) {
    if (ancestor_[v] == 0) return v;
    compress(v);
    return label_[v];
  }

  void compute_semidominators(std::uint32_t r) {
    // Buckets as linked lists kept in insertion order (DevTools iterates a Set).
    std::vector<std::uint32_t> bucket_head(node_count_ + 1, 0);
    std::vector<std::uint32_t> bucket_tail(node_count_ + 1, 0);
    std::vector<std::uint32_t> bucket_next(node_count_ + 1, 0);
    for (std::uint32_t i = n_; i >= 2; --i) {
      const std::uint32_t w = vertex_[i];
      const NodeOrdinal wo = w - 1;
      bool orphan = true;
      for (std::uint32_t k = retainers_.first[wo]; k < retainers_.first[wo + 1]; ++k) {
        if (!essential_.test(retainers_.edges[k])) continue;
        orphan = false;
        const std::uint32_t u = eval(retainers_.nodes[k] + 1);
        if (semi_[u] < semi_[w]) semi_[w] = semi_[u];
      }
      // A node without essential retainers has the root as its only predecessor.
      if (orphan) semi_[w] = semi_[r];

      const std::uint32_t x = vertex_[semi_[w]];
      bucket_next[w] = 0;
      if (bucket_head[x] == 0) {
        bucket_head[x] = w;
      } else {
        bucket_next[bucket_tail[x]] = w;
      }
      bucket_tail[x] = w;

      const std::uint32_t p = parent_[w];
      ancestor_[w] = p;  // link(parent[w], w)
      for (std::uint32_t v = bucket_head[p]; v != 0; v = bucket_next[v]) {
        const std::uint32_t u = eval(v);
        dom_[v] = semi_[u] < semi_[v] ? u : p;
      }
      bucket_head[p] = 0;
    }
  }

  const std::uint32_t node_count_;
  std::span<const EdgeIndex> first_edge_;
  std::span<const NodeOrdinal> targets_;
  const Retainers& retainers_;
  const EdgeMask& essential_;
  std::uint32_t n_ = 0;
  std::vector<std::uint32_t> parent_, semi_, vertex_, label_, ancestor_, dom_;
  std::vector<std::uint32_t> stack_;
};

}  // namespace

DominatorTree compute_dominators(const Snapshot& snapshot, const EdgeMask& essential,
                                 std::span<const std::uint32_t> sizes) {
  const std::uint32_t node_count = snapshot.node_count();
  if (sizes.size() != node_count) {
    throw std::invalid_argument("compute_dominators: sizes must have one entry per node");
  }
  DominatorTree tree;
  tree.first_dominated.assign(std::size_t{node_count} + 1, 0);
  if (node_count == 0) return tree;
  const NodeOrdinal root = snapshot.root();

  LengauerTarjan lt(snapshot, essential);
  tree.idom = lt.run(root);

  // Retained sizes: bottom-up in reverse DFS order, every node except the root adding itself to
  // its immediate dominator.
  tree.retained_size.assign(sizes.begin(), sizes.end());
  std::span<const std::uint32_t> vertex = lt.vertices_in_dfs_order();
  for (std::uint32_t i = node_count; i > 1; --i) {
    const NodeOrdinal o = vertex[i] - 1;
    tree.retained_size[tree.idom[o]] += tree.retained_size[o];
  }

  // Children of each node (ascending ordinal), the root excluded from its own list: count into
  // first_dominated[d], prefix sums give each slice's end, then fill every slice backwards.
  for (NodeOrdinal o = 0; o < node_count; ++o) {
    if (o != root) ++tree.first_dominated[tree.idom[o]];
  }
  for (NodeOrdinal o = 1; o <= node_count; ++o) {
    tree.first_dominated[o] += tree.first_dominated[o - 1];
  }
  tree.dominated.resize(tree.first_dominated[node_count]);
  for (NodeOrdinal o = node_count; o-- > 0;) {
    if (o != root) tree.dominated[--tree.first_dominated[tree.idom[o]]] = o;
  }
  return tree;
}

}  // namespace libsnap
