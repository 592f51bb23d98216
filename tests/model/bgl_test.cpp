// The Boost.Graph adaptor: concept checks, agreement with the snapshot's own
// accessors, and Boost's Lengauer-Tarjan (through the adaptor) as the oracle
// for libsnap's dominators.
#include <gtest/gtest.h>
#include <pthread.h>

#include <boost/graph/dominator_tree.hpp>
#include <boost/graph/graph_concepts.hpp>
#include <boost/range/iterator_range.hpp>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/bgl.hpp"
#include "libsnap/reader.hpp"
#include "test_support.hpp"

namespace {

using libsnap::NodeOrdinal;
using libsnap::Snapshot;
using Traits = boost::graph_traits<Snapshot>;

BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<Snapshot>));
BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<Snapshot>));
BOOST_CONCEPT_ASSERT((boost::BidirectionalGraphConcept<Snapshot>));
BOOST_CONCEPT_ASSERT((boost::AdjacencyGraphConcept<Snapshot>));
using EssentialView = boost::filtered_graph<Snapshot, libsnap::bgl::EdgeMaskFilter>;
BOOST_CONCEPT_ASSERT((boost::IncidenceGraphConcept<EssentialView>));
BOOST_CONCEPT_ASSERT((boost::BidirectionalGraphConcept<EssentialView>));
BOOST_CONCEPT_ASSERT((boost::VertexListGraphConcept<EssentialView>));

// Boost's dominator code recurses (path compression), so it runs on a thread
// with a big stack.
void run_with_big_stack(const std::function<void()>& fn) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, std::size_t{1} << 30);
  pthread_t thread;
  auto trampoline = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, const_cast<std::function<void()>*>(&fn)), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

// Boost's immediate dominators over the essential edges; null_vertex() where
// unreachable.
std::vector<NodeOrdinal> boost_idom(const Snapshot& s, const libsnap::EdgeMask& essential) {
  std::vector<NodeOrdinal> idom(s.node_count(), Traits::null_vertex());
  run_with_big_stack([&] {
    EssentialView view = libsnap::essential_view(s, essential);
    auto index = get(boost::vertex_index, s);
    boost::lengauer_tarjan_dominator_tree(view, s.root(),
                                          boost::make_iterator_property_map(idom.begin(), index));
  });
  return idom;
}

// A random snapshot whose nodes are all reachable from the root through
// property edges (a random tree), plus random extra edges: cross and back edges
// (cycles), element edges, weak edges and self edges. The root's edges are
// `element` edges, as in a snapshot without user roots.
std::string random_snapshot(std::uint32_t nodes, std::uint32_t extra_edges, std::uint32_t seed) {
  std::mt19937 rng(seed);
  struct E {
    int type;
    std::uint32_t name, to;
  };
  std::vector<std::vector<E>> out(nodes);
  for (std::uint32_t v = 1; v < nodes; ++v) {
    std::uint32_t parent = std::uniform_int_distribution<std::uint32_t>(0, v - 1)(rng);
    out[parent].push_back({parent == 0 ? 1 : 2, parent == 0 ? v : 1, v});
  }
  for (std::uint32_t i = 0; i < extra_edges; ++i) {
    std::uint32_t a = std::uniform_int_distribution<std::uint32_t>(1, nodes - 1)(rng);
    std::uint32_t b = std::uniform_int_distribution<std::uint32_t>(1, nodes - 1)(rng);
    int kind = std::uniform_int_distribution<int>(0, 9)(rng);
    int type = kind < 6 ? 2 : kind < 8 ? 1 : 6;  // property, element, weak
    out[a].push_back({type, type == 1 ? i : 2, b});
  }
  std::string json =
      "{\"snapshot\":{\"meta\":{\"node_fields\":[\"type\","
      "\"name\",\"id\",\"self_size\",\"edge_count\","
      "\"detachedness\"],\"node_types\":[[\"hidden\",\"array\","
      "\"string\",\"object\",\"code\",\"closure\","
      "\"regexp\",\"number\",\"native\",\"synthetic\"],"
      "\"string\",\"number\",\"number\",\"number\",\"number\"],"
      "\"edge_fields\":[\"type\",\"name_or_index\",\"to_node\"],"
      "\"edge_types\":[[\"context\",\"element\","
      "\"property\",\"internal\",\"hidden\",\"shortcut\","
      "\"weak\"],\"string_or_number\",\"node\"]},";
  std::uint64_t edges = 0;
  for (const auto& list : out) edges += list.size();
  json += "\"node_count\":" + std::to_string(nodes) + ",\"edge_count\":" + std::to_string(edges) +
          "},\"nodes\":[";
  for (std::uint32_t v = 0; v < nodes; ++v) {
    if (v) json += ',';
    int type = v == 0 ? 9 : 3;
    json += std::to_string(type) + ",1," + std::to_string(2 * v + 1) + "," +
            std::to_string(v == 0 ? 0 : 8 + v % 32) + "," + std::to_string(out[v].size()) + ",0";
  }
  json += "],\"edges\":[";
  bool first = true;
  for (std::uint32_t v = 0; v < nodes; ++v) {
    for (const E& e : out[v]) {
      if (!first) json += ',';
      first = false;
      json +=
          std::to_string(e.type) + "," + std::to_string(e.name) + "," + std::to_string(e.to * 6);
    }
  }
  json += "],\"strings\":[\"<dummy>\",\"Node\",\"next\"]}";
  return json;
}

TEST(BglAdaptor, AgreesWithTheSnapshotAccessors) {
  Snapshot s = libsnap::load_from_memory(random_snapshot(300, 900, 7), "random");
  std::uint64_t out_total = 0, in_total = 0;
  for (NodeOrdinal v : boost::make_iterator_range(vertices(s))) {
    EXPECT_EQ(out_degree(v, s), s.edge_count(v));
    for (auto e : boost::make_iterator_range(out_edges(v, s))) {
      EXPECT_EQ(source(e, s), v);
      EXPECT_EQ(target(e, s), s.edge_target(e.index));
      ++out_total;
    }
    for (auto e : boost::make_iterator_range(in_edges(v, s))) {
      EXPECT_EQ(target(e, s), v);
      EXPECT_GE(e.index, s.first_edge(source(e, s)));
      EXPECT_LT(e.index, s.first_edge(source(e, s) + 1));
      ++in_total;
    }
    EXPECT_EQ(degree(v, s), in_degree(v, s) + out_degree(v, s));
  }
  EXPECT_EQ(num_vertices(s), 300u);
  EXPECT_EQ(out_total, s.edge_count());
  EXPECT_EQ(in_total, s.edge_count());
}

TEST(BglAdaptor, EssentialViewDropsWeakAndSelfEdges) {
  Snapshot s = libsnap::load_from_memory(random_snapshot(200, 800, 3), "random");
  libsnap::EdgeMask essential = libsnap::compute_essential_edges(s);
  EssentialView view = libsnap::essential_view(s, essential);
  std::uint64_t kept = 0;
  for (NodeOrdinal v : boost::make_iterator_range(vertices(view))) {
    for (auto e : boost::make_iterator_range(out_edges(v, view))) {
      EXPECT_NE(s.edge_type(e.index), libsnap::EdgeType::kWeak);
      EXPECT_NE(s.edge_target(e.index), v);
      ++kept;
    }
  }
  std::uint64_t expected = 0;
  for (libsnap::EdgeIndex e = 0; e < s.edge_count(); ++e) expected += essential.test(e);
  EXPECT_EQ(kept, expected);
  EXPECT_LT(kept, s.edge_count());
}

// Random graphs of several sizes and densities: every immediate dominator
// equals Boost's.
TEST(BglAdaptor, DominatorsEqualBoostOnRandomGraphs) {
  struct Case {
    std::uint32_t nodes, extra, seed;
  };
  for (Case c : {Case{2, 0, 1}, Case{10, 30, 2}, Case{100, 50, 3}, Case{1000, 5000, 4},
                 Case{5000, 2000, 5}, Case{50000, 150000, 6}}) {
    Snapshot s = libsnap::load_from_memory(random_snapshot(c.nodes, c.extra, c.seed), "random");
    libsnap::EdgeMask essential = libsnap::compute_essential_edges(s);
    std::vector<std::uint32_t> sizes(s.self_sizes().begin(), s.self_sizes().end());
    libsnap::DominatorTree tree = libsnap::compute_dominators(s, essential, sizes);
    std::vector<NodeOrdinal> expected = boost_idom(s, essential);
    std::uint32_t mismatches = 0;
    for (NodeOrdinal v = 1; v < s.node_count(); ++v) {
      ASSERT_NE(expected[v], Traits::null_vertex())
          << "generator left node " << v << " unreachable";
      if (tree.idom[v] != expected[v] && ++mismatches <= 5)
        ADD_FAILURE() << c.nodes << " nodes, seed " << c.seed << ": node " << v << " idom "
                      << tree.idom[v] << ", Boost says " << expected[v];
    }
    EXPECT_EQ(mismatches, 0u) << c.nodes << " nodes, seed " << c.seed;
    EXPECT_EQ(tree.idom[0], 0u);
  }
}

// Real snapshots: wherever Boost reaches a node over essential edges from the
// root, and the node is not reachable from a DevTools "orphan" (a node with no
// essential retainer, which DevTools hangs under the root), the immediate
// dominators agree.
void expect_dominators_match_boost(const std::string& path) {
  Snapshot s = libsnap::load(path);
  libsnap::EdgeMask essential = libsnap::compute_essential_edges(s);
  std::vector<std::uint32_t> sizes(s.self_sizes().begin(), s.self_sizes().end());
  libsnap::DominatorTree tree = libsnap::compute_dominators(s, essential, sizes);
  std::vector<NodeOrdinal> expected = boost_idom(s, essential);

  // Nodes reachable from orphans (not from the root) can change dominators of
  // what they reach; mark everything reachable from them, iteratively.
  std::vector<char> from_orphan(s.node_count(), 0);
  std::vector<NodeOrdinal> stack;
  for (NodeOrdinal v = 1; v < s.node_count(); ++v)
    if (expected[v] == Traits::null_vertex()) stack.push_back(v);
  while (!stack.empty()) {
    NodeOrdinal v = stack.back();
    stack.pop_back();
    if (from_orphan[v]) continue;
    from_orphan[v] = 1;
    for (libsnap::EdgeIndex e = s.first_edge(v); e < s.first_edge(v + 1); ++e)
      if (essential.test(e)) stack.push_back(s.edge_target(e));
  }
  std::uint32_t compared = 0, mismatches = 0;
  for (NodeOrdinal v = 1; v < s.node_count(); ++v) {
    if (from_orphan[v]) continue;
    ++compared;
    if (tree.idom[v] != expected[v] && ++mismatches <= 5)
      ADD_FAILURE() << path << ": node @" << s.node_id(v) << " idom @" << s.node_id(tree.idom[v])
                    << ", Boost says @" << s.node_id(expected[v]);
  }
  EXPECT_EQ(mismatches, 0u) << path;
  EXPECT_GT(compared, s.node_count() / 2) << path;
}

TEST(BglAdaptor, DominatorsEqualBoostOnNode20Fixture) {
  expect_dominators_match_boost(
      libsnap::test::source_path("fixtures/snapshots/node20.heapsnapshot.gz"));
}

TEST(BglAdaptor, DominatorsEqualBoostOnOracleSnapshot) {
  std::string path = libsnap::test::shared_path("oracle/s20.heapsnapshot.gz");
  if (path.empty()) GTEST_SKIP() << "../shared/oracle is not beside the checkout";
  expect_dominators_match_boost(path);
}

}  // namespace
