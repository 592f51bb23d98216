// The dominator tree and retained sizes, exactly as DevTools builds them (FORMAT.md §2.3;
// HeapSnapshot.calculateDominatorsAndRetainedSizes): Lengauer-Tarjan with the simple eval/link,
// vertices numbered by an iterative depth-first search over essential edges from the root, then
// from nodes with only non-essential retainers (as extra children of the root), then the nodes
// still left (cliques retaining one another) one by one under the root.
//
// Every step follows DevTools' order (edge order in the DFS, ordinal order for orphans, retainer
// order for predecessors, insertion order in the buckets), so even the leftover cliques, where
// Lengauer-Tarjan's preconditions do not hold, get DevTools' answer. Nothing recurses: the DFS
// keeps a per-node edge cursor and the path compression an explicit stack.
//
// For speed the algorithm runs on DFS numbers rather than ordinals (the same computation with the
// vertices renamed): the per-vertex arrays are indexed by number, and the predecessors (as
// numbers) come from a CSR of essential edges only, instead of Snapshot::retainers().
#include <stdexcept>
#include <vector>

#include "model/bit_vector.hpp"
#include "libsnap/analysis.hpp"

namespace libsnap {
namespace {

// DFS numbers run 1..N; 0 means "none", as in the paper and in DevTools.
class LengauerTarjan {
 public:
  LengauerTarjan(const Snapshot& s, const EdgeMask& essential)
      : node_count_(s.node_count()),
        first_edge_(s.first_edges()),
        targets_(s.edge_targets()),
        essential_(essential) {}

  // Runs the algorithm. Afterwards vertex(k) is the ordinal numbered k and idom_number(k) the
  // number of its immediate dominator (the root, number 1, dominates itself).
  void run(NodeOrdinal root) {
    number_vertices(root);
    build_predecessors();
    compute_semidominators();
    // Final step. Unlike the paper the root is its own dominator, and dom[0] = root sends a
    // vertex whose bucket was never processed (only possible in leftover cliques) to the root.
    release(forest_);
    release(parent_);
    release(pred_first_);
    release(preds_);
    dom_[0] = 1;
    dom_[1] = 1;
    for (std::uint32_t i = 2; i <= n_; ++i) {
      if (dom_[i] != semi_[i]) dom_[i] = dom_[dom_[i]];
    }
    release(semi_);
  }

  NodeOrdinal vertex(std::uint32_t k) const { return vertex_[k]; }
  std::uint32_t idom_number(std::uint32_t k) const { return dom_[k]; }

 private:
  template <typename T>
  static void release(std::vector<T>& v) {
    std::vector<T>().swap(v);
  }

  std::uint32_t assign_number(NodeOrdinal o, std::uint32_t parent) {
    const std::uint32_t k = ++n_;
    number_[o] = k;
    numbered_.set(o);
    vertex_[k] = o;
    parent_[k] = parent;
    semi_[k] = k;
    return k;
  }

  void number_vertices(NodeOrdinal root) {
    const std::size_t size = std::size_t{node_count_} + 1;
    number_.assign(node_count_, 0);
    numbered_ = detail::BitVector(node_count_);
    vertex_.assign(size, 0);
    parent_.assign(size, 0);
    semi_.assign(size, 0);
    // Essential in-degree per ordinal: orphans are the nodes without essential retainers, and the
    // counts size the predecessor lists later.
    pred_first_.assign(size, 0);
    for (EdgeIndex e = 0, end = first_edge_[node_count_]; e < end; ++e) {
      if (essential_.test(e)) ++pred_first_[targets_[e]];
    }
    // The DFS cursor of each node lives in dom_ until the main loop needs it.
    dom_.assign(size, 0);

    dfs(root, 0);
    if (n_ < node_count_) {
      // Nodes retained only through non-essential edges (weak ones, mostly): DFS trees of their
      // own, hung under the root.
      for (NodeOrdinal o = 0; o < node_count_; ++o) {
        if (number_[o] == 0 && pred_first_[o] == 0) dfs(o, 1);
      }
    }
    if (n_ < node_count_) {
      // What is still unnumbered is retained only from inside unreachable cycles.
      for (NodeOrdinal o = 0; o < node_count_; ++o) {
        if (number_[o] == 0) assign_number(o, 1);
      }
    }
    numbered_ = detail::BitVector();
    std::fill(dom_.begin(), dom_.end(), 0);
  }

  // Iterative DFS over essential edges, in edge order, from an unnumbered node.
  void dfs(NodeOrdinal start, std::uint32_t parent) {
    std::vector<std::uint32_t>& cursor = dom_;  // indexed by ordinal
    std::uint32_t k = assign_number(start, parent);
    cursor[start] = first_edge_[start];
    NodeOrdinal v = start;
    while (true) {
      EdgeIndex e = cursor[v];
      const EdgeIndex end = first_edge_[v + 1];
      for (; e < end; ++e) {
        if (essential_.test(e) && !numbered_.test(targets_[e])) break;
      }
      cursor[v] = e;
      if (e < end) {
        v = targets_[e];
        k = assign_number(v, k);
        cursor[v] = first_edge_[v];
      } else if (v == start) {
        break;
      } else {
        k = parent_[k];
        v = vertex_[k];
      }
    }
  }

  // Predecessors over essential edges, as numbers, listed per ordinal in retainer order
  // (ascending edge index, as DevTools' retainer lists).
  void build_predecessors() {
    // Counts to starts: pred_first_[o] becomes the start of o's list.
    std::uint32_t total = 0;
    for (NodeOrdinal o = 0; o < node_count_; ++o) {
      const std::uint32_t count = pred_first_[o];
      pred_first_[o] = total;
      total += count;
    }
    pred_first_[node_count_] = total;
    preds_.resize(total);
    // pred_first_[o] is o's next free slot while filling...
    for (NodeOrdinal u = 0; u < node_count_; ++u) {
      const std::uint32_t nu = number_[u];
      for (EdgeIndex e = first_edge_[u], end = first_edge_[u + 1]; e < end; ++e) {
        if (essential_.test(e)) preds_[pred_first_[targets_[e]]++] = nu;
      }
    }
    // ...and then the end of o's list, which is where o + 1's begins.
    for (NodeOrdinal o = node_count_; o > 0; --o) pred_first_[o] = pred_first_[o - 1];
    pred_first_[0] = 0;
    release(number_);
  }

  // The link/eval forest, one record per number so that each step up a path costs one cache
  // miss: `best` caches semi[label] (the label's semidominator is final once it is linked).
  struct ForestEntry {
    std::uint32_t ancestor = 0;
    std::uint32_t label = 0;
    std::uint32_t best = 0;
  };
  struct Evaluated {
    std::uint32_t vertex;  // eval(v)
    std::uint32_t semi;    // semi[eval(v)]
  };

  void compress(std::uint32_t v) {
    stack_.clear();
    while (forest_[forest_[v].ancestor].ancestor != 0) {
      stack_.push_back(v);
      v = forest_[v].ancestor;
    }
    while (!stack_.empty()) {
      ForestEntry& w = forest_[stack_.back()];
      stack_.pop_back();
      const ForestEntry& a = forest_[w.ancestor];
      if (a.best < w.best) {
        w.label = a.label;
        w.best = a.best;
      }
      w.ancestor = a.ancestor;
    }
  }

  Evaluated eval(std::uint32_t v) {
    if (forest_[v].ancestor == 0) return {v, semi_[v]};
    compress(v);
    return {forest_[v].label, forest_[v].best};
  }

  void compute_semidominators() {
    const std::size_t size = std::size_t{n_} + 1;
    forest_.assign(size, ForestEntry{});
    // Buckets as linked lists; a vertex enters the bucket of its semidominator when processed, so
    // each list, built by prepending, holds ascending numbers, and DevTools' insertion order (it
    // iterates a Set) is the reverse.
    std::vector<std::uint32_t> bucket_head(size, 0);
    std::vector<std::uint32_t> bucket_next(size, 0);
    std::vector<std::uint32_t> in_bucket;
    for (std::uint32_t w = n_; w >= 2; --w) {
      const NodeOrdinal wo = vertex_[w];
      const std::uint32_t begin = pred_first_[wo], end = pred_first_[wo + 1];
      std::uint32_t semi = semi_[w];
      // A node without essential retainers has the root as its only predecessor.
      if (begin == end) semi = semi_[1];
      for (std::uint32_t k = begin; k < end; ++k) {
        const Evaluated u = eval(preds_[k]);
        if (u.semi < semi) semi = u.semi;
      }
      semi_[w] = semi;
      bucket_next[w] = bucket_head[semi];
      bucket_head[semi] = w;

      const std::uint32_t p = parent_[w];
      forest_[w] = {p, w, semi};  // link(parent[w], w)
      in_bucket.clear();
      for (std::uint32_t v = bucket_head[p]; v != 0; v = bucket_next[v]) in_bucket.push_back(v);
      for (auto it = in_bucket.rbegin(); it != in_bucket.rend(); ++it) {
        const std::uint32_t v = *it;
        const Evaluated u = eval(v);
        dom_[v] = u.semi < semi_[v] ? u.vertex : p;
      }
      bucket_head[p] = 0;
    }
  }

  const std::uint32_t node_count_;
  std::span<const EdgeIndex> first_edge_;
  std::span<const NodeOrdinal> targets_;
  const EdgeMask& essential_;
  std::uint32_t n_ = 0;
  std::vector<std::uint32_t> number_;                        // by ordinal
  detail::BitVector numbered_;                               // by ordinal, while numbering
  std::vector<std::uint32_t> vertex_, parent_, semi_, dom_;  // by number
  std::vector<ForestEntry> forest_;                          // by number
  std::vector<std::uint32_t> pred_first_, preds_;  // CSR by ordinal of predecessor numbers
  std::vector<std::uint32_t> stack_;
};

}  // namespace

DominatorTree compute_dominators(const Snapshot& snapshot, const EdgeMask& essential,
                                 std::span<const std::uint32_t> sizes) {
  const std::uint32_t node_count = snapshot.node_count();
  if (sizes.size() != node_count) {
    throw std::invalid_argument("compute_dominators: sizes must have one entry per node");
  }
  if (essential.edge_count() != snapshot.edge_count()) {
    throw std::invalid_argument("compute_dominators: the edge mask must have one bit per edge");
  }
  DominatorTree tree;
  tree.first_dominated.assign(std::size_t{node_count} + 1, 0);
  if (node_count == 0) return tree;
  const NodeOrdinal root = snapshot.root();

  LengauerTarjan lt(snapshot, essential);
  lt.run(root);

  // Retained sizes: bottom-up in reverse DFS order, every node except the root adding itself to
  // its immediate dominator (whose number is always smaller).
  {
    std::vector<std::uint64_t> by_number(std::size_t{node_count} + 1, 0);
    for (std::uint32_t k = 1; k <= node_count; ++k) by_number[k] = sizes[lt.vertex(k)];
    for (std::uint32_t k = node_count; k > 1; --k) by_number[lt.idom_number(k)] += by_number[k];
    tree.idom.resize(node_count);
    tree.retained_size.resize(node_count);
    for (std::uint32_t k = 1; k <= node_count; ++k) {
      const NodeOrdinal o = lt.vertex(k);
      tree.idom[o] = lt.vertex(lt.idom_number(k));
      tree.retained_size[o] = by_number[k];
    }
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
