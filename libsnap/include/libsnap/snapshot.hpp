// libsnap: the in-memory model of one V8 heap snapshot.
//
// A Snapshot is immutable once loaded (see reader.hpp) and stores the graph as flat columns indexed
// by 32-bit ordinals: no per-node objects. Node ordinal n's outgoing edges are the edge indices
// [first_edge(n), first_edge(n + 1)). Example:
//
//   libsnap::Snapshot s = libsnap::load("app.heapsnapshot");
//   for (libsnap::EdgeIndex e = s.first_edge(0); e < s.first_edge(1); ++e)
//     std::cout << s.edge_name(e) << " -> @" << s.node_id(s.edge_target(e)) << "\n";
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace libsnap {

using NodeOrdinal = std::uint32_t;  // index of a node (record number, not offset into `nodes`)
using EdgeIndex = std::uint32_t;    // index of an edge record
using StringIndex = std::uint32_t;  // index into the `strings` table

// Node types V8 writes, in V8's enum order. A snapshot's `meta.node_types` is read by name and
// remapped to these codes; a type name libsnap does not know gets a code >= kFirstUnknownNodeType
// (its name stays available through Snapshot::node_type_name).
enum class NodeType : std::uint8_t {
  kHidden = 0,
  kArray,
  kString,
  kObject,
  kCode,
  kClosure,
  kRegExp,
  kNumber,
  kNative,
  kSynthetic,
  kConsString,    // "concatenated string"
  kSlicedString,  // "sliced string"
  kSymbol,
  kBigInt,
  kObjectShape,  // "object shape" (V8 >= 11)
  kWasmObject,   // "wasm object" (seen in V8 11 meta)
};
inline constexpr std::uint8_t kFirstUnknownNodeType = 16;

// Edge types, in V8's enum order; unknown names get codes >= kFirstUnknownEdgeType.
enum class EdgeType : std::uint8_t {
  kContext = 0,
  kElement,
  kProperty,
  kInternal,
  kHidden,
  kShortcut,
  kWeak,
};
inline constexpr std::uint8_t kFirstUnknownEdgeType = 7;

// V8's canonical spelling of a known type ("concatenated string", "object shape", ...).
std::string_view node_type_name(NodeType type);
std::string_view edge_type_name(EdgeType type);

// True for edge types whose name_or_index is a number (element, hidden), false when it is an index
// into the strings table. Unknown edge types are treated as string-named, like DevTools does.
constexpr bool edge_type_has_index(EdgeType type) {
  return type == EdgeType::kElement || type == EdgeType::kHidden;
}

// Which family of V8 writers produced the file, told from its `meta` (not its version string,
// which V8 does not write).
enum class FormatGeneration : std::uint8_t {
  kLegacy,       // no `detachedness` node field (V8 < 9.x)
  kV8_10,        // 7 node fields, no `object shape` type (Node 16-18)
  kV8_11_to_12,  // 7 node fields with `object shape` (Node 20-22)
  kV8_13_plus,   // 6 node fields, no `trace_node_id` (Node 24+)
};
std::string_view format_generation_name(FormatGeneration generation);

// A row of the optional `locations` section: where the constructor / function of a node lives.
struct Location {
  NodeOrdinal node;
  std::uint32_t script_id;
  std::uint32_t line;    // 0-based, as V8 stores it
  std::uint32_t column;  // 0-based
};

// Byte range of one top-level section of the file.
struct Section {
  std::string name;
  std::uint64_t offset = 0;  // byte offset of the value (its '[' or '{')
  std::uint64_t size = 0;    // bytes of the value
};

// What the header says, plus facts the loader learned about the file.
struct SnapshotMeta {
  std::vector<std::string> node_fields;      // as written, e.g. type,name,id,self_size,...
  std::vector<std::string> node_type_names;  // as written (meta.node_types[0])
  std::vector<std::string> edge_fields;
  std::vector<std::string> edge_type_names;
  std::vector<std::string> location_fields;
  std::uint32_t node_count = 0;
  std::uint32_t edge_count = 0;
  std::uint32_t trace_function_count = 0;
  std::uint64_t extra_native_bytes = 0;  // newest V8 only; 0 when absent
  bool has_extra_native_bytes = false;
  NodeOrdinal root = 0;  // `root_index` / node field count when present, else 0
  std::string title;     // optional `title`
  FormatGeneration generation = FormatGeneration::kV8_11_to_12;
  std::vector<Section> sections;  // every top-level section in file order, known or not
  std::uint64_t file_size = 0;
};

// Reverse edges as CSR: the retainers of node n are retainer_edges[first[n] .. first[n + 1]), each
// an edge index (its source is retainer_nodes[i]). Built once, on demand, in two linear passes.
struct Retainers {
  std::vector<std::uint32_t> first;  // node_count + 1 offsets
  std::vector<EdgeIndex> edges;      // edge_count entries
  std::vector<NodeOrdinal> nodes;    // source node of each entry of `edges`
  std::span<const EdgeIndex> edges_of(NodeOrdinal n) const {
    return {edges.data() + first[n], edges.data() + first[n + 1]};
  }
  std::span<const NodeOrdinal> nodes_of(NodeOrdinal n) const {
    return {nodes.data() + first[n], nodes.data() + first[n + 1]};
  }
};

namespace detail {
struct SnapshotData;  // the columns; defined in src/snapshot_data.hpp
}

class Snapshot {
 public:
  Snapshot();
  explicit Snapshot(std::unique_ptr<detail::SnapshotData> data);
  Snapshot(Snapshot&&) noexcept;
  Snapshot& operator=(Snapshot&&) noexcept;
  ~Snapshot();

  const SnapshotMeta& meta() const;
  std::uint32_t node_count() const;
  std::uint32_t edge_count() const;
  NodeOrdinal root() const { return meta().root; }

  // Nodes.
  NodeType node_type(NodeOrdinal n) const;
  std::string_view node_type_name(NodeOrdinal n) const;  // works for unknown types too
  StringIndex node_name_index(NodeOrdinal n) const;
  std::string_view node_name(NodeOrdinal n) const;
  std::uint32_t node_id(NodeOrdinal n) const;
  std::uint32_t self_size(NodeOrdinal n) const;
  std::uint32_t trace_node_id(NodeOrdinal n) const;  // 0 when the file has no such field
  std::uint8_t detachedness(NodeOrdinal n) const;    // 0 unknown, 1 attached, 2 detached
  EdgeIndex first_edge(NodeOrdinal n) const;         // valid for n == node_count() too
  std::uint32_t edge_count(NodeOrdinal n) const { return first_edge(n + 1) - first_edge(n); }

  // Edges.
  EdgeType edge_type(EdgeIndex e) const;
  std::string_view edge_type_name(EdgeIndex e) const;
  std::uint32_t edge_name_or_index(EdgeIndex e) const;
  // The edge's name: the string for string-named types, the decimal index for element/hidden.
  std::string edge_name(EdgeIndex e) const;
  NodeOrdinal edge_target(EdgeIndex e) const;

  // Strings.
  std::uint32_t string_count() const;
  std::string_view string(StringIndex i) const;  // UTF-8

  // Optional sections.
  std::span<const Location> locations() const;
  std::span<const std::uint32_t> samples() const;               // flat, meta.sample_fields wide
  std::span<const std::uint32_t> trace_function_infos() const;  // flat

  // Raw columns, for analyses that sweep the whole graph.
  std::span<const NodeType> node_types() const;
  std::span<const StringIndex> node_names() const;
  std::span<const std::uint32_t> node_ids() const;
  std::span<const std::uint32_t> self_sizes() const;
  std::span<const EdgeIndex> first_edges() const;  // node_count() + 1 entries
  std::span<const EdgeType> edge_types() const;
  std::span<const std::uint32_t> edge_names_or_indices() const;
  std::span<const NodeOrdinal> edge_targets() const;

  // Sum of self sizes over all nodes, in 64 bits.
  std::uint64_t total_self_size() const;

  // Reverse edges, built on first use (thread-safe) and kept.
  const Retainers& retainers() const;

 private:
  std::unique_ptr<detail::SnapshotData> data_;
};

}  // namespace libsnap
