// libsnap: a Snapshot as a Boost.Graph graph, without copying it.
//
// `const libsnap::Snapshot&` models VertexListGraph, IncidenceGraph, BidirectionalGraph and
// AdjacencyGraph: vertices are node ordinals, out-edges are the snapshot's edges, in-edges come
// from Snapshot::retainers() (built on first use). `libsnap::essential_view(s, mask)` is the same
// graph restricted to DevTools' essential edges (a boost::filtered_graph). Example:
//
//   #include <boost/graph/dominator_tree.hpp>
//   #include <libsnap/bgl.hpp>
//   std::vector<libsnap::NodeOrdinal> idom(s.node_count(),
//   boost::graph_traits<libsnap::Snapshot>::null_vertex()); auto index = get(boost::vertex_index,
//   s); boost::lengauer_tarjan_dominator_tree(s, s.root(),
//       boost::make_iterator_property_map(idom.begin(), index));
//
// Header-only; include Boost.Graph yourself (libsnap does not link it).
#pragma once

#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/graph_traits.hpp>
#include <boost/graph/properties.hpp>
#include <boost/iterator/counting_iterator.hpp>
#include <boost/iterator/iterator_facade.hpp>
#include <boost/property_map/property_map.hpp>
#include <cstdint>
#include <utility>

#include "libsnap/analysis.hpp"
#include "libsnap/snapshot.hpp"

namespace libsnap {
namespace bgl {

// An edge: its index in the snapshot and its source (edges do not store their source).
struct Edge {
  NodeOrdinal source = 0;
  EdgeIndex index = 0;
  friend bool operator==(const Edge& a, const Edge& b) {
    return a.index == b.index && a.source == b.source;
  }
  friend bool operator!=(const Edge& a, const Edge& b) { return !(a == b); }
};

// Out-edges of one node: consecutive edge indices.
class OutEdgeIterator
    : public boost::iterator_facade<OutEdgeIterator, Edge, std::random_access_iterator_tag, Edge,
                                    std::ptrdiff_t> {
 public:
  OutEdgeIterator() = default;
  OutEdgeIterator(NodeOrdinal source, EdgeIndex index) : source_(source), index_(index) {}

 private:
  friend class boost::iterator_core_access;
  Edge dereference() const { return {source_, index_}; }
  bool equal(const OutEdgeIterator& o) const { return index_ == o.index_; }
  void increment() { ++index_; }
  void decrement() { --index_; }
  void advance(std::ptrdiff_t n) { index_ = static_cast<EdgeIndex>(index_ + n); }
  std::ptrdiff_t distance_to(const OutEdgeIterator& o) const {
    return static_cast<std::ptrdiff_t>(o.index_) - static_cast<std::ptrdiff_t>(index_);
  }
  NodeOrdinal source_ = 0;
  EdgeIndex index_ = 0;
};

// In-edges of one node: a slice of the retainers CSR.
class InEdgeIterator
    : public boost::iterator_facade<InEdgeIterator, Edge, std::random_access_iterator_tag, Edge,
                                    std::ptrdiff_t> {
 public:
  InEdgeIterator() = default;
  InEdgeIterator(const Retainers* r, std::uint32_t slot) : r_(r), slot_(slot) {}

 private:
  friend class boost::iterator_core_access;
  Edge dereference() const { return {r_->nodes[slot_], r_->edges[slot_]}; }
  bool equal(const InEdgeIterator& o) const { return slot_ == o.slot_; }
  void increment() { ++slot_; }
  void decrement() { --slot_; }
  void advance(std::ptrdiff_t n) { slot_ = static_cast<std::uint32_t>(slot_ + n); }
  std::ptrdiff_t distance_to(const InEdgeIterator& o) const {
    return static_cast<std::ptrdiff_t>(o.slot_) - static_cast<std::ptrdiff_t>(slot_);
  }
  const Retainers* r_ = nullptr;
  std::uint32_t slot_ = 0;
};

// Targets of a node's out-edges (AdjacencyGraph).
class AdjacencyIterator
    : public boost::iterator_facade<AdjacencyIterator, NodeOrdinal, std::random_access_iterator_tag,
                                    NodeOrdinal, std::ptrdiff_t> {
 public:
  AdjacencyIterator() = default;
  AdjacencyIterator(const Snapshot* s, EdgeIndex index) : s_(s), index_(index) {}

 private:
  friend class boost::iterator_core_access;
  NodeOrdinal dereference() const { return s_->edge_target(index_); }
  bool equal(const AdjacencyIterator& o) const { return index_ == o.index_; }
  void increment() { ++index_; }
  void decrement() { --index_; }
  void advance(std::ptrdiff_t n) { index_ = static_cast<EdgeIndex>(index_ + n); }
  std::ptrdiff_t distance_to(const AdjacencyIterator& o) const {
    return static_cast<std::ptrdiff_t>(o.index_) - static_cast<std::ptrdiff_t>(index_);
  }
  const Snapshot* s_ = nullptr;
  EdgeIndex index_ = 0;
};

struct TraversalCategory : boost::bidirectional_graph_tag,
                           boost::vertex_list_graph_tag,
                           boost::adjacency_graph_tag {};

// Keeps the edges whose bit is set in an EdgeMask (e.g. compute_essential_edges()).
struct EdgeMaskFilter {
  const EdgeMask* mask = nullptr;
  bool operator()(const Edge& e) const { return mask->test(e.index); }
};

// Edge index as a readable property map.
struct EdgeIndexMap {
  using key_type = bgl::Edge;
  using value_type = EdgeIndex;
  using reference = EdgeIndex;
  using category = boost::readable_property_map_tag;
  friend EdgeIndex get(const EdgeIndexMap&, const bgl::Edge& e) { return e.index; }
};
}  // namespace bgl
}  // namespace libsnap

namespace boost {

template <>
struct graph_traits<libsnap::Snapshot> {
  using vertex_descriptor = libsnap::NodeOrdinal;
  using edge_descriptor = libsnap::bgl::Edge;
  using directed_category = directed_tag;
  using edge_parallel_category = allow_parallel_edge_tag;
  using traversal_category = libsnap::bgl::TraversalCategory;
  using vertex_iterator = counting_iterator<libsnap::NodeOrdinal>;
  using out_edge_iterator = libsnap::bgl::OutEdgeIterator;
  using in_edge_iterator = libsnap::bgl::InEdgeIterator;
  using adjacency_iterator = libsnap::bgl::AdjacencyIterator;
  using edge_iterator = void;
  using vertices_size_type = std::uint32_t;
  using edges_size_type = std::uint32_t;
  using degree_size_type = std::uint32_t;
  static vertex_descriptor null_vertex() { return ~libsnap::NodeOrdinal{0}; }
};

template <>
struct property_map<libsnap::Snapshot, vertex_index_t> {
  using type = typed_identity_property_map<libsnap::NodeOrdinal>;
  using const_type = type;
};
template <>
struct property_map<libsnap::Snapshot, edge_index_t> {
  using type = libsnap::bgl::EdgeIndexMap;
  using const_type = type;
};

}  // namespace boost

namespace libsnap {

// --- The Boost.Graph free functions, found by argument-dependent lookup. ---

inline std::pair<boost::counting_iterator<NodeOrdinal>, boost::counting_iterator<NodeOrdinal>>
vertices(const Snapshot& s) {
  return {boost::counting_iterator<NodeOrdinal>(0),
          boost::counting_iterator<NodeOrdinal>(s.node_count())};
}
inline std::uint32_t num_vertices(const Snapshot& s) {
  return s.node_count();
}
inline std::uint32_t num_edges(const Snapshot& s) {
  return s.edge_count();
}

inline std::pair<bgl::OutEdgeIterator, bgl::OutEdgeIterator> out_edges(NodeOrdinal u,
                                                                       const Snapshot& s) {
  return {bgl::OutEdgeIterator(u, s.first_edge(u)), bgl::OutEdgeIterator(u, s.first_edge(u + 1))};
}
inline std::uint32_t out_degree(NodeOrdinal u, const Snapshot& s) {
  return s.edge_count(u);
}

inline std::pair<bgl::InEdgeIterator, bgl::InEdgeIterator> in_edges(NodeOrdinal v,
                                                                    const Snapshot& s) {
  const Retainers& r = s.retainers();
  return {bgl::InEdgeIterator(&r, r.first[v]), bgl::InEdgeIterator(&r, r.first[v + 1])};
}
inline std::uint32_t in_degree(NodeOrdinal v, const Snapshot& s) {
  const Retainers& r = s.retainers();
  return r.first[v + 1] - r.first[v];
}
inline std::uint32_t degree(NodeOrdinal v, const Snapshot& s) {
  return in_degree(v, s) + out_degree(v, s);
}

inline std::pair<bgl::AdjacencyIterator, bgl::AdjacencyIterator> adjacent_vertices(
    NodeOrdinal u, const Snapshot& s) {
  return {bgl::AdjacencyIterator(&s, s.first_edge(u)),
          bgl::AdjacencyIterator(&s, s.first_edge(u + 1))};
}

inline NodeOrdinal source(const bgl::Edge& e, const Snapshot&) {
  return e.source;
}
inline NodeOrdinal target(const bgl::Edge& e, const Snapshot& s) {
  return s.edge_target(e.index);
}

// Vertex and edge indices are the ordinals themselves.
inline boost::typed_identity_property_map<NodeOrdinal> get(boost::vertex_index_t, const Snapshot&) {
  return {};
}

inline bgl::EdgeIndexMap get(boost::edge_index_t, const Snapshot&) {
  return {};
}

// The snapshot restricted to the edges in `mask`; `mask` must outlive the view.
inline boost::filtered_graph<Snapshot, bgl::EdgeMaskFilter> essential_view(const Snapshot& s,
                                                                           const EdgeMask& mask) {
  return boost::filtered_graph<Snapshot, bgl::EdgeMaskFilter>(s, bgl::EdgeMaskFilter{&mask});
}

}  // namespace libsnap
