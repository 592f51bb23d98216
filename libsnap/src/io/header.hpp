// The `snapshot` object at the top of the file: counts and the layout of every other section.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libsnap/snapshot.hpp"

namespace libsnap::detail {

inline constexpr std::uint32_t kNoField = ~std::uint32_t{0};

// Where each field we use sits inside a record, read from `meta` by name.
struct Layout {
  std::uint32_t node_width = 0;
  std::uint32_t node_type = kNoField, node_name = kNoField, node_id = kNoField,
                node_self_size = kNoField, node_edge_count = kNoField,
                node_trace_node_id = kNoField, node_detachedness = kNoField;
  std::uint32_t edge_width = 0;
  std::uint32_t edge_type = kNoField, edge_name = kNoField, edge_to = kNoField;
  std::uint32_t location_width = 0;
  std::uint32_t location_object = kNoField, location_script = kNoField, location_line = kNoField,
                location_column = kNoField;
  // meta type index -> our NodeType / EdgeType code, and the names by code.
  std::vector<std::uint8_t> node_type_code, edge_type_code;
  std::vector<std::string> node_type_names, edge_type_names;
  std::uint64_t root_offset = 0;  // `root_index` as written (an offset into `nodes`)
};

// Parses the JSON object text of the `snapshot` section (which starts at byte `offset` of
// `file`). Fills `meta` (not sections/file_size) and `layout`. Throws LoadError naming the field.
void parse_header(std::string_view json, const std::string& file, std::uint64_t offset,
                  SnapshotMeta& meta, Layout& layout);

}  // namespace libsnap::detail
