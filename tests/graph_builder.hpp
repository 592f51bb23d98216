// Hand-made heap snapshots for the analysis tests: a tiny graph builder that writes V8's JSON
// format (6 node fields, as V8 >= 13.6 writes them), loaded with libsnap::load_from_memory.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "libsnap/reader.hpp"
#include "libsnap/snapshot.hpp"

namespace libsnap::test {

class GraphBuilder {
 public:
  // Adds a node; returns its ordinal. Ids default to 2 * ordinal + 1 (V8's odd object ids).
  std::uint32_t node(const std::string& type, const std::string& name, std::uint32_t self_size = 0,
                     std::uint32_t id = 0) {
    nodes_.push_back(
        {type, name, id ? id : 2 * static_cast<std::uint32_t>(nodes_.size()) + 1, self_size, {}});
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  // A string-named edge (context, property, internal, shortcut, weak) or an indexed one (element,
  // hidden; `name` is then the decimal index).
  void edge(std::uint32_t from, const std::string& type, const std::string& name,
            std::uint32_t to) {
    nodes_[from].edges.push_back({type, name, to});
  }
  std::uint32_t id(std::uint32_t ordinal) const { return nodes_[ordinal].id; }
  std::size_t size() const { return nodes_.size(); }

  std::string json() const;
  Snapshot load() const { return load_from_memory(json(), "graph.heapsnapshot"); }

 private:
  struct Edge {
    std::string type;
    std::string name;
    std::uint32_t to;
  };
  struct Node {
    std::string type;
    std::string name;
    std::uint32_t id;
    std::uint32_t self_size;
    std::vector<Edge> edges;
  };
  std::vector<Node> nodes_;
};

// The edge index of the `k`-th edge of node `from` in a loaded snapshot.
inline EdgeIndex edge_of(const Snapshot& s, NodeOrdinal from, std::uint32_t k) {
  return s.first_edge(from) + k;
}

namespace graph_builder_detail {

inline const std::vector<std::string> kNodeTypes = {"hidden",
                                                    "array",
                                                    "string",
                                                    "object",
                                                    "code",
                                                    "closure",
                                                    "regexp",
                                                    "number",
                                                    "native",
                                                    "synthetic",
                                                    "concatenated string",
                                                    "sliced string",
                                                    "symbol",
                                                    "bigint",
                                                    "object shape"};
inline const std::vector<std::string> kEdgeTypes = {"context", "element",  "property", "internal",
                                                    "hidden",  "shortcut", "weak"};

inline std::size_t index_of(const std::vector<std::string>& list, const std::string& what) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i] == what) return i;
  }
  throw std::invalid_argument("unknown type " + what);
}

inline std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

inline std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';  // (not `"," + quoted(...)`: GCC 12 -O3 warns -Wrestrict on that)
    out += quoted(items[i]);
  }
  return out + "]";
}

}  // namespace graph_builder_detail

inline std::string GraphBuilder::json() const {
  using namespace graph_builder_detail;
  std::vector<std::string> strings = {""};
  std::map<std::string, std::size_t> string_index = {{"", 0}};
  auto intern = [&](const std::string& s) {
    auto [it, added] = string_index.emplace(s, strings.size());
    if (added) strings.push_back(s);
    return it->second;
  };
  std::string nodes, edges;
  nodes.reserve(nodes_.size() * 24);
  std::size_t edge_count = 0;
  for (const Node& n : nodes_) {
    if (!nodes.empty()) nodes += ',';
    nodes += std::to_string(index_of(kNodeTypes, n.type)) + ',' + std::to_string(intern(n.name)) +
             ',' + std::to_string(n.id) + ',' + std::to_string(n.self_size) + ',' +
             std::to_string(n.edges.size()) + ",0";
    for (const Edge& e : n.edges) {
      if (edge_count++) edges += ',';
      std::size_t type = index_of(kEdgeTypes, e.type);
      bool indexed = e.type == "element" || e.type == "hidden";
      edges += std::to_string(type) + ',' + (indexed ? e.name : std::to_string(intern(e.name))) +
               ',' + std::to_string(e.to * 6);
    }
  }
  std::string out =
      R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","detachedness"],"node_types":[)";
  out += list(kNodeTypes);
  out +=
      R"(,"string","number","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[)";
  out += list(kEdgeTypes);
  out +=
      R"(,"string_or_number","node"],"trace_function_info_fields":[],"trace_node_fields":[],"sample_fields":[],"location_fields":["object_index","script_id","line","column"]},"node_count":)";
  out += std::to_string(nodes_.size()) + R"(,"edge_count":)" + std::to_string(edge_count) +
         R"(,"trace_function_count":0},"nodes":[)" + nodes + R"(],"edges":[)" + edges +
         R"(],"trace_function_infos":[],"trace_tree":[],"samples":[],"locations":[],"strings":)" +
         list(strings) + "}";
  return out;
}

}  // namespace libsnap::test
