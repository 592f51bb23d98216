#include <array>
#include <charconv>

#include "libsnap/snapshot.hpp"
#include "model/snapshot_data.hpp"
#include "model/type_names.hpp"

namespace libsnap {
namespace {
using detail::kKnownEdgeTypes;
using detail::kKnownNodeTypes;
}  // namespace

std::string_view node_type_name(NodeType type) {
  auto i = static_cast<std::size_t>(type);
  return i < kKnownNodeTypes.size() ? kKnownNodeTypes[i] : std::string_view("unknown");
}

std::string_view edge_type_name(EdgeType type) {
  auto i = static_cast<std::size_t>(type);
  return i < kKnownEdgeTypes.size() ? kKnownEdgeTypes[i] : std::string_view("unknown");
}

std::string_view format_generation_name(FormatGeneration generation) {
  switch (generation) {
    case FormatGeneration::kLegacy:
      return "legacy (no detachedness field)";
    case FormatGeneration::kV8_10:
      return "V8 <= 10 (7 node fields)";
    case FormatGeneration::kV8_11_to_12:
      return "V8 11-12.4 (7 node fields, object shapes)";
    case FormatGeneration::kV8_13_plus:
      return "V8 >= 13.6 (6 node fields, no trace_node_id)";
  }
  return "unknown";
}

Snapshot::Snapshot() : data_(std::make_unique<detail::SnapshotData>()) {
  data_->first_edge = detail::Column<EdgeIndex>(1);
  data_->first_edge[0] = 0;
}
Snapshot::Snapshot(std::unique_ptr<detail::SnapshotData> data) : data_(std::move(data)) {}
Snapshot::Snapshot(Snapshot&&) noexcept = default;
Snapshot& Snapshot::operator=(Snapshot&&) noexcept = default;
Snapshot::~Snapshot() = default;

const SnapshotMeta& Snapshot::meta() const {
  return data_->meta;
}
std::uint32_t Snapshot::node_count() const {
  return data_->meta.node_count;
}
std::uint32_t Snapshot::edge_count() const {
  return data_->meta.edge_count;
}

NodeType Snapshot::node_type(NodeOrdinal n) const {
  return data_->node_type[n];
}
std::string_view Snapshot::node_type_name(NodeOrdinal n) const {
  return data_->node_type_names[static_cast<std::size_t>(data_->node_type[n])];
}
StringIndex Snapshot::node_name_index(NodeOrdinal n) const {
  return data_->node_name[n];
}
std::string_view Snapshot::node_name(NodeOrdinal n) const {
  return string(data_->node_name[n]);
}
std::uint32_t Snapshot::node_id(NodeOrdinal n) const {
  return data_->node_id[n];
}
std::uint32_t Snapshot::self_size(NodeOrdinal n) const {
  return data_->self_size[n];
}
std::uint32_t Snapshot::trace_node_id(NodeOrdinal n) const {
  return data_->trace_node_id.size() ? data_->trace_node_id[n] : 0;
}
std::uint8_t Snapshot::detachedness(NodeOrdinal n) const {
  return data_->detachedness.size() ? data_->detachedness[n] : 0;
}
EdgeIndex Snapshot::first_edge(NodeOrdinal n) const {
  return data_->first_edge[n];
}

EdgeType Snapshot::edge_type(EdgeIndex e) const {
  return data_->edge_type[e];
}
std::string_view Snapshot::edge_type_name(EdgeIndex e) const {
  return data_->edge_type_names[static_cast<std::size_t>(data_->edge_type[e])];
}
std::uint32_t Snapshot::edge_name_or_index(EdgeIndex e) const {
  return data_->edge_name[e];
}
std::string Snapshot::edge_name(EdgeIndex e) const {
  if (edge_type_has_index(data_->edge_type[e])) {
    char buf[16];
    auto r = std::to_chars(buf, buf + sizeof buf, data_->edge_name[e]);
    return std::string(buf, r.ptr);
  }
  return std::string(string(data_->edge_name[e]));
}
NodeOrdinal Snapshot::edge_target(EdgeIndex e) const {
  return data_->edge_target[e];
}

std::uint32_t Snapshot::string_count() const {
  return static_cast<std::uint32_t>(data_->string_offsets.size() - 1);
}
std::string_view Snapshot::string(StringIndex i) const {
  const auto& off = data_->string_offsets;
  return std::string_view(data_->arena).substr(off[i], off[i + 1] - off[i]);
}

std::span<const Location> Snapshot::locations() const {
  return data_->locations;
}
std::span<const std::uint32_t> Snapshot::samples() const {
  return data_->samples;
}
std::span<const std::uint32_t> Snapshot::trace_function_infos() const {
  return data_->trace_function_infos;
}

std::span<const NodeType> Snapshot::node_types() const {
  return data_->node_type.span();
}
std::span<const StringIndex> Snapshot::node_names() const {
  return data_->node_name.span();
}
std::span<const std::uint32_t> Snapshot::node_ids() const {
  return data_->node_id.span();
}
std::span<const std::uint32_t> Snapshot::self_sizes() const {
  return data_->self_size.span();
}
std::span<const EdgeIndex> Snapshot::first_edges() const {
  return data_->first_edge.span();
}
std::span<const EdgeType> Snapshot::edge_types() const {
  return data_->edge_type.span();
}
std::span<const std::uint32_t> Snapshot::edge_names_or_indices() const {
  return data_->edge_name.span();
}
std::span<const NodeOrdinal> Snapshot::edge_targets() const {
  return data_->edge_target.span();
}

std::uint64_t Snapshot::total_self_size() const {
  return data_->total_self_size;
}

const Retainers& Snapshot::retainers() const {
  std::call_once(data_->retainers_once, [this] {
    auto r = std::make_unique<Retainers>();
    const std::uint32_t n = node_count(), m = edge_count();
    r->first.assign(std::size_t{n} + 1, 0);
    r->edges.resize(m);
    r->nodes.resize(m);
    const NodeOrdinal* target = data_->edge_target.data();
    // Pass 1: count retainers per target; prefix sums give each target's slice.
    for (std::uint32_t e = 0; e < m; ++e) ++r->first[target[e] + 1];
    for (std::uint32_t i = 0; i < n; ++i) r->first[i + 1] += r->first[i];
    // Pass 2: fill, in source order, so each slice lists retainers by ascending edge index.
    std::vector<std::uint32_t> cursor(r->first.begin(), r->first.end() - 1);
    for (NodeOrdinal src = 0; src < n; ++src) {
      for (EdgeIndex e = data_->first_edge[src]; e < data_->first_edge[src + 1]; ++e) {
        std::uint32_t slot = cursor[target[e]]++;
        r->edges[slot] = e;
        r->nodes[slot] = src;
      }
    }
    data_->retainers = std::move(r);
  });
  return *data_->retainers;
}

}  // namespace libsnap
