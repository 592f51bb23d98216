// Hand-made snapshots for unit tests: build a graph node by node, get V8's JSON for it.
//
//   MiniSnapshot m;
//   auto root = m.node("synthetic", "", 0);
//   auto obj = m.node("object", "Object", 16);
//   m.edge(root, "shortcut", "global", obj);
//   libsnap::Snapshot s = libsnap::load_from_memory(m.json(), "mini");
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace libsnap::test {

class MiniSnapshot {
 public:
  // Adds a node (ids are 2 * ordinal + 1) and returns its ordinal.
  std::uint32_t node(const std::string& type, const std::string& name, std::uint32_t self_size,
                     std::uint32_t detachedness = 0) {
    nodes_.push_back({type, name, self_size, detachedness, {}});
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }
  // `name` is the edge name, or its index for element/hidden edges.
  void edge(std::uint32_t from, const std::string& type, const std::string& name,
            std::uint32_t to) {
    nodes_[from].edges.push_back({type, name, to});
  }
  // Gives a node another id than 2 * ordinal + 1 (snapshots of one process share ids).
  void set_id(std::uint32_t node, std::uint32_t id) { nodes_[node].id = id; }
  void location(std::uint32_t node, std::uint32_t script, std::uint32_t line,
                std::uint32_t column) {
    locations_.push_back({node, script, line, column});
  }
  void extra_native_bytes(std::uint64_t bytes) { extra_native_bytes_ = bytes; }

  std::string json() const {
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
    static const std::vector<std::string> kEdgeTypes = {
        "context", "element", "property", "internal", "hidden", "shortcut", "weak"};
    std::vector<std::string> strings{"<dummy>"};
    auto intern = [&](const std::string& s) {
      for (std::size_t i = 0; i < strings.size(); ++i)
        if (strings[i] == s) return i;
      strings.push_back(s);
      return strings.size() - 1;
    };
    auto index_of = [](const std::vector<std::string>& v, const std::string& s) {
      for (std::size_t i = 0; i < v.size(); ++i)
        if (v[i] == s) return i;
      return v.size();  // an invalid type: the loader must reject it
    };
    auto list = [](const std::vector<std::string>& v) {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i) out += ',';
        out += '"';
        out += v[i];
        out += '"';
      }
      out += ']';
      return out;
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
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      const Node& node = nodes_[n];
      numbers(nodes,
              {index_of(kNodeTypes, node.type), intern(node.name), node.id ? node.id : 2 * n + 1,
               node.self_size, node.edges.size(), 0, node.detachedness});
      for (const Edge& e : node.edges) {
        const bool indexed = e.type == "element" || e.type == "hidden";
        numbers(edges, {index_of(kEdgeTypes, e.type),
                        indexed ? std::stoull(e.name) : intern(e.name), std::uint64_t{e.to} * 7});
        ++edge_count;
      }
    }
    for (const Location& l : locations_)
      numbers(locations, {std::uint64_t{l.node} * 7, l.script, l.line, l.column});
    std::string out =
        R"({"snapshot":{"meta":{"node_fields":["type","name","id","self_size","edge_count","trace_node_id","detachedness"],"node_types":[)";
    out += list(kNodeTypes);
    out +=
        R"(,"string","number","number","number","number","number"],"edge_fields":["type","name_or_index","to_node"],"edge_types":[)";
    out += list(kEdgeTypes);
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
    out += "],\n\"strings\":[";
    for (std::size_t i = 0; i < strings.size(); ++i) {
      if (i) out += ',';
      out += '"';
      for (const char c : strings[i]) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      out += '"';
    }
    out += "]}";
    return out;
  }

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
  std::vector<Node> nodes_;
  std::vector<Location> locations_;
  std::uint64_t extra_native_bytes_ = 0;
};

}  // namespace libsnap::test
