// Hand-made heap snapshots for unit tests: build a graph node by node, get V8's JSON for it.
//
//   SnapshotBuilder b;  // 7 node fields (with trace_node_id), as V8 up to 13.5 writes them
//   auto root = b.node("synthetic", "", 0);
//   auto obj = b.node("object", "Object", 16);
//   b.edge(root, "shortcut", "global", obj);
//   libsnap::Snapshot s = b.load();
//
//   SnapshotBuilder g(NodeLayout::kSixFields);  // V8 >= 13.6: no trace_node_id
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "libsnap/reader.hpp"
#include "libsnap/snapshot.hpp"

namespace libsnap::test {

enum class NodeLayout { kSevenFields, kSixFields };

class SnapshotBuilder {
 public:
  explicit SnapshotBuilder(NodeLayout layout = NodeLayout::kSevenFields) : layout_(layout) {}

  // Adds a node (ids are 2 * ordinal + 1, V8's odd object ids) and returns its ordinal. An
  // unknown type is written as an out-of-range index, for the loader to reject.
  std::uint32_t node(const std::string& type, const std::string& name, std::uint32_t self_size = 0,
                     std::uint32_t detachedness = 0) {
    nodes_.push_back({type, name, self_size, detachedness, {}});
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  // A string-named edge (context, property, internal, shortcut, weak) or an indexed one (element,
  // hidden; `name` is then the decimal index).
  void edge(std::uint32_t from, const std::string& type, const std::string& name,
            std::uint32_t to) {
    nodes_[from].edges.push_back({type, name, to});
  }
  // Gives a node another id than 2 * ordinal + 1 (snapshots of one process share ids).
  void set_id(std::uint32_t node, std::uint32_t id) { nodes_[node].id = id; }
  std::uint32_t id(std::uint32_t node) const {
    return nodes_[node].id ? nodes_[node].id : 2 * node + 1;
  }
  std::size_t size() const { return nodes_.size(); }
  void location(std::uint32_t node, std::uint32_t script, std::uint32_t line,
                std::uint32_t column) {
    locations_.push_back({node, script, line, column});
  }
  void extra_native_bytes(std::uint64_t bytes) { extra_native_bytes_ = bytes; }

  std::string json() const;
  Snapshot load() const { return load_from_memory(json(), "built.heapsnapshot"); }

 private:
  struct Edge {
    std::string type, name;
    std::uint32_t to;
  };
  struct Node {
    std::string type, name;
    std::uint32_t self_size, detachedness;
    std::vector<Edge> edges;
    std::uint32_t id = 0;  // 0: 2 * ordinal + 1
  };
  struct Location {
    std::uint32_t node, script, line, column;
  };
  NodeLayout layout_;
  std::vector<Node> nodes_;
  std::vector<Location> locations_;
  std::uint64_t extra_native_bytes_ = 0;
};

// The edge index of the `k`-th edge of node `from` in a loaded snapshot.
inline EdgeIndex edge_of(const Snapshot& s, NodeOrdinal from, std::uint32_t k) {
  return s.first_edge(from) + k;
}

inline std::string SnapshotBuilder::json() const {
  static const std::vector<std::string> kNodeTypes = {"hidden",
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
  static const std::vector<std::string> kEdgeTypes = {"context", "element",  "property", "internal",
                                                      "hidden",  "shortcut", "weak"};
  const bool seven = layout_ == NodeLayout::kSevenFields;
  const std::uint64_t field_count = seven ? 7 : 6;
  std::vector<std::string> strings{"<dummy>"};
  std::map<std::string, std::size_t> string_index{{"<dummy>", 0}};
  auto intern = [&](const std::string& s) {
    auto [it, added] = string_index.emplace(s, strings.size());
    if (added) strings.push_back(s);
    return it->second;
  };
  auto index_of = [](const std::vector<std::string>& v, const std::string& s) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (v[i] == s) return i;
    return v.size();  // an invalid type: the loader must reject it
  };
  auto quoted = [](std::string& out, const std::string& s) {
    out += '"';
    for (const char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n') {
        out += "\\n";
        continue;
      }
      out += c;
    }
    out += '"';
  };
  auto list = [&](std::string& out, const std::vector<std::string>& v) {
    out += '[';
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out += ',';
      quoted(out, v[i]);
    }
    out += ']';
  };
  // Appends comma-separated numbers (GCC 12 warns wrongly on `"," + std::string` chains).
  auto numbers = [](std::string& out, std::initializer_list<std::uint64_t> values) {
    if (!out.empty()) out += ',';
    bool first = true;
    for (const std::uint64_t v : values) {
      if (!first) out += ',';
      first = false;
      out += std::to_string(v);
    }
    out += '\n';
  };
  std::string nodes, edges, locations;
  std::size_t edge_count = 0;
  for (std::uint32_t n = 0; n < nodes_.size(); ++n) {
    const Node& node = nodes_[n];
    const std::uint64_t type = index_of(kNodeTypes, node.type), name = intern(node.name);
    if (seven)
      numbers(nodes, {type, name, id(n), node.self_size, node.edges.size(), 0, node.detachedness});
    else
      numbers(nodes, {type, name, id(n), node.self_size, node.edges.size(), node.detachedness});
    for (const Edge& e : node.edges) {
      const bool indexed = e.type == "element" || e.type == "hidden";
      numbers(edges, {index_of(kEdgeTypes, e.type), indexed ? std::stoull(e.name) : intern(e.name),
                      std::uint64_t{e.to} * field_count});
      ++edge_count;
    }
  }
  for (const Location& l : locations_)
    numbers(locations, {std::uint64_t{l.node} * field_count, l.script, l.line, l.column});
  std::string out =
      R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count",)";
  out += seven ? R"("trace_node_id","detachedness"],"node_types":[)"
               : R"("detachedness"],"node_types":[)";
  list(out, kNodeTypes);
  out += seven ? R"(,"string","number","number","number","number","number"])"
               : R"(,"string","number","number","number","number"])";
  out += R"(,"edge_fields":["type","name_or_index","to_node"],"edge_types":[)";
  list(out, kEdgeTypes);
  out +=
      R"(,"string_or_number","node"],"location_fields":["object_index","script_id","line","column"]},"node_count":)";
  out += std::to_string(nodes_.size());
  out += ",\"edge_count\":";
  out += std::to_string(edge_count);
  out += ",\"trace_function_count\":0";
  if (extra_native_bytes_) {
    out += ",\"extra_native_bytes\":";
    out += std::to_string(extra_native_bytes_);
  }
  out += "},\n\"nodes\":[";
  out += nodes;
  out += "],\n\"edges\":[";
  out += edges;
  out += "],\n\"locations\":[";
  out += locations;
  out += "],\n\"strings\":";
  list(out, strings);
  out += "}";
  return out;
}

}  // namespace libsnap::test
