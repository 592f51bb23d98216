// `analyzer inspect SNAPSHOT --id ID`: one node up close — its facts, what it holds (biggest
// first), what holds it, its dominator chain and its shortest retainer path.
#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "libsnap/search.hpp"
#include "node_views.hpp"

namespace analyzer {
namespace {

std::string edge_label(const libsnap::Snapshot& s, libsnap::EdgeIndex e) {
  return std::string(s.edge_type_name(e)) + " " + s.edge_name(e);
}

void write_edge(JsonWriter& j, const NodeViews& v, libsnap::EdgeIndex e, libsnap::NodeOrdinal n) {
  j.begin_object();
  j.field("edge_type", v.snapshot.edge_type_name(e));
  j.field("edge_name", v.snapshot.edge_name(e));
  j.key("node");
  write_node(j, v, n);
  j.end_object();
}

}  // namespace

int run_inspect(const InspectOptions& o) {
  NodeViews v = load_views(o.snapshot, o.common);
  const libsnap::Snapshot& s = v.snapshot;
  const libsnap::NodeOrdinal n = node_by_id(v, o.id, o.snapshot);
  const std::uint64_t start = now_ns();
  const std::size_t limit = o.limit == 0 ? std::size_t(-1) : o.limit;

  std::vector<libsnap::EdgeIndex> out_edges =
      libsnap::edges_by_retained_size(s, n, v.dominators.retained_size);
  const libsnap::Retainers& ret = s.retainers();
  std::span<const libsnap::EdgeIndex> in_edges = ret.edges_of(n);
  std::span<const libsnap::NodeOrdinal> in_nodes = ret.nodes_of(n);
  // Retainers closest to the root first (weak edges and unreachable retainers last): the first
  // is the one a shortest path goes through.
  std::vector<std::size_t> in_order(in_edges.size());
  for (std::size_t i = 0; i < in_order.size(); ++i) in_order[i] = i;
  auto rank = [&](std::size_t i) -> std::int64_t {
    const std::int32_t d = v.distance[in_nodes[i]];
    const bool weak = s.edge_type(in_edges[i]) == libsnap::EdgeType::kWeak;
    return (d == libsnap::kNoDistance ? std::int64_t{1} << 40 : d) +
           (weak ? std::int64_t{1} << 41 : 0);
  };
  std::stable_sort(in_order.begin(), in_order.end(),
                   [&](std::size_t a, std::size_t b) { return rank(a) < rank(b); });
  std::vector<libsnap::NodeOrdinal> chain = libsnap::dominator_chain(v.dominators, n);
  libsnap::PathSearch found = libsnap::find_retainer_paths(s, v.distance, n);
  bool truncated = false;
  std::string value;
  const bool is_string = libsnap::is_string_node(s, n);
  if (is_string) value = libsnap::string_value(s, n, 1024, &truncated);
  const double query_seconds = seconds_since(start);

  if (o.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("node").begin_object();
    write_node_fields(j, v, n);
    j.field("edge_count", s.edge_count(n));
    j.field("retainer_count", static_cast<std::uint64_t>(in_edges.size()));
    j.field("detachedness", static_cast<std::uint32_t>(s.detachedness(n)));
    if (is_string) {
      j.field("value", value);
      j.field("value_truncated", truncated);
    }
    j.end_object();
    j.key("edges").begin_array();
    for (std::size_t i = 0; i < out_edges.size() && i < limit; ++i)
      write_edge(j, v, out_edges[i], s.edge_target(out_edges[i]));
    j.end_array();
    j.key("retainers").begin_array();
    for (std::size_t k = 0; k < in_order.size() && k < limit; ++k)
      write_edge(j, v, in_edges[in_order[k]], in_nodes[in_order[k]]);
    j.end_array();
    j.key("dominator_chain").begin_array();
    for (libsnap::NodeOrdinal d : chain) write_node(j, v, d);
    j.end_array();
    j.key("path");
    if (found.paths.empty())
      j.null();
    else
      write_path(j, v, found.paths[0], false);
    write_seconds(j, v, query_seconds);
    j.end_object();
    return kExitOk;
  }

  std::cout << v.label(n) << "\n"
            << "  type          " << s.node_type_name(n) << "\n"
            << "  class         " << v.cls(n) << "\n";
  if (is_string) {
    std::cout << "  value         ";
    JsonWriter::write_string(std::cout, value);
    std::cout << (truncated ? " (truncated)" : "") << "\n";
  } else {
    std::cout << "  name          ";
    JsonWriter::write_string(std::cout, s.node_name(n));
    std::cout << "\n";
  }
  std::cout << "  self size     " << with_commas(s.self_size(n)) << " B\n"
            << "  retained size " << with_commas(v.retained(n)) << " B\n"
            << "  distance      " << distance_text(v.distance[n]) << "\n"
            << "  detachedness  " << static_cast<unsigned>(s.detachedness(n)) << "\n";
  std::cout << "path            ";
  if (found.paths.empty())
    std::cout << "(" << libsnap::path_status_name(found.status) << ")\n";
  else
    std::cout << libsnap::path_text(s, libsnap::describe_path(s, found.paths[0]), &v.classes,
                                    /*internals=*/false, kTextSteps)
              << "\n";
  std::cout << "edges (" << out_edges.size() << ", biggest first):\n";
  for (std::size_t i = 0; i < out_edges.size() && i < limit; ++i) {
    const libsnap::NodeOrdinal t = s.edge_target(out_edges[i]);
    std::cout << "  " << edge_label(s, out_edges[i]) << " -> " << v.label(t) << "  retained "
              << with_commas(v.retained(t)) << " B\n";
  }
  if (out_edges.size() > limit) std::cout << "  ... " << out_edges.size() - limit << " more\n";
  std::cout << "retainers (" << in_edges.size() << "):\n";
  for (std::size_t k = 0; k < in_order.size() && k < limit; ++k) {
    const std::size_t i = in_order[k];
    std::cout << "  " << v.label(in_nodes[i]) << " " << edge_label(s, in_edges[i]) << "  distance "
              << distance_text(v.distance[in_nodes[i]]) << "\n";
  }
  if (in_edges.size() > limit) std::cout << "  ... " << in_edges.size() - limit << " more\n";
  std::cout << "dominator chain:\n";
  print_chain(std::cout, v, chain);
  return kExitOk;
}

}  // namespace analyzer
