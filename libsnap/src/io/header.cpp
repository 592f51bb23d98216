#include "io/header.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "libsnap/reader.hpp"
#include "model/type_names.hpp"

namespace libsnap::detail {
namespace {

class HeaderParser {
 public:
  HeaderParser(const std::string& file, std::uint64_t offset) : file_(file), offset_(offset) {}

  [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
    throw LoadError(file_, offset_, "snapshot." + field + ": " + reason);
  }

  // Integer that may be written as a double (V8 2023 wrote edge_count as one).
  std::uint64_t count(simdjson::dom::element e, const std::string& field, std::uint64_t max) const {
    std::uint64_t v = 0;
    if (e.is_uint64()) {
      v = e.get_uint64().value_unsafe();
    } else if (e.is_double()) {
      double d = e.get_double().value_unsafe();
      if (!(d >= 0) || d != std::floor(d) || d > 1.8e19)
        fail(field, "expected a non-negative integer");
      v = static_cast<std::uint64_t>(d);
    } else {
      fail(field, "expected a non-negative integer");
    }
    if (v > max)
      fail(field, std::to_string(v) + " is out of range (at most " + std::to_string(max) + ")");
    return v;
  }

  std::vector<std::string> strings(simdjson::dom::element e, const std::string& field) const {
    simdjson::dom::array a;
    if (e.get_array().get(a)) fail(field, "expected an array of strings");
    std::vector<std::string> out;
    for (auto item : a) {
      std::string_view s;
      if (item.get_string().get(s)) fail(field, "expected an array of strings");
      out.emplace_back(s);
    }
    if (out.size() > 1000) fail(field, "too many entries (" + std::to_string(out.size()) + ")");
    return out;
  }

  // meta.node_types / meta.edge_types: [[type names...], "string", ...].
  std::vector<std::string> type_names(simdjson::dom::element meta, const char* key) const {
    simdjson::dom::element e;
    std::string field = std::string("meta.") + key;
    if (meta[key].get(e)) fail(field, "missing");
    simdjson::dom::array a;
    if (e.get_array().get(a) || a.size() == 0)
      fail(field, "expected an array whose first entry lists the types");
    auto names = strings(a.at(0).value_unsafe(), field + "[0]");
    if (names.empty()) fail(field + "[0]", "no types listed");
    return names;
  }

  static std::uint32_t index_of(const std::vector<std::string>& fields, std::string_view name) {
    auto it = std::find(fields.begin(), fields.end(), name);
    return it == fields.end() ? kNoField : static_cast<std::uint32_t>(it - fields.begin());
  }

  std::uint32_t required(const std::vector<std::string>& fields, std::string_view name,
                         const std::string& field) const {
    std::uint32_t i = index_of(fields, name);
    if (i == kNoField) fail(field, "has no '" + std::string(name) + "' field");
    return i;
  }

  void no_duplicates(const std::vector<std::string>& fields, const std::string& field) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
      for (std::size_t j = i + 1; j < fields.size(); ++j)
        if (fields[i] == fields[j]) fail(field, "field '" + fields[i] + "' appears twice");
  }

 private:
  const std::string& file_;
  std::uint64_t offset_;
};

template <std::size_t N>
void map_types(const std::vector<std::string>& names, const std::array<std::string_view, N>& known,
               std::uint8_t first_unknown, std::vector<std::uint8_t>& code,
               std::vector<std::string>& by_code) {
  by_code.assign(known.begin(), known.end());
  by_code.resize(first_unknown);
  std::uint8_t next_unknown = first_unknown;
  for (const auto& name : names) {
    auto it = std::find(known.begin(), known.end(), name);
    if (it != known.end()) {
      code.push_back(static_cast<std::uint8_t>(it - known.begin()));
    } else {
      code.push_back(next_unknown++);
      by_code.push_back(name);
    }
  }
}

}  // namespace

void parse_header(std::string_view json, const std::string& file, std::uint64_t offset,
                  SnapshotMeta& meta, Layout& layout) {
  HeaderParser h(file, offset);
  simdjson::dom::parser parser;
  simdjson::padded_string padded(json);
  simdjson::dom::element root;
  if (auto error = parser.parse(padded).get(root))
    throw LoadError(file, offset,
                    std::string("snapshot: invalid JSON: ") + simdjson::error_message(error));
  simdjson::dom::object header;
  if (root.get_object().get(header)) h.fail("", "expected an object");

  simdjson::dom::element m;
  if (header["meta"].get(m) || !m.is_object()) h.fail("meta", "missing or not an object");
  if (m["node_fields"].error()) h.fail("meta.node_fields", "missing");
  meta.node_fields = h.strings(m["node_fields"].value_unsafe(), "meta.node_fields");
  if (m["edge_fields"].error()) h.fail("meta.edge_fields", "missing");
  meta.edge_fields = h.strings(m["edge_fields"].value_unsafe(), "meta.edge_fields");
  meta.node_type_names = h.type_names(m, "node_types");
  meta.edge_type_names = h.type_names(m, "edge_types");
  if (!m["location_fields"].error())
    meta.location_fields = h.strings(m["location_fields"].value_unsafe(), "meta.location_fields");
  h.no_duplicates(meta.node_fields, "meta.node_fields");
  h.no_duplicates(meta.edge_fields, "meta.edge_fields");
  if (meta.node_type_names.size() > 200) h.fail("meta.node_types", "more than 200 node types");
  if (meta.edge_type_names.size() > 200) h.fail("meta.edge_types", "more than 200 edge types");

  const auto& nf = meta.node_fields;
  layout.node_width = static_cast<std::uint32_t>(nf.size());
  layout.node_type = h.required(nf, "type", "meta.node_fields");
  layout.node_name = h.required(nf, "name", "meta.node_fields");
  layout.node_id = h.required(nf, "id", "meta.node_fields");
  layout.node_self_size = h.required(nf, "self_size", "meta.node_fields");
  layout.node_edge_count = h.required(nf, "edge_count", "meta.node_fields");
  layout.node_trace_node_id = HeaderParser::index_of(nf, "trace_node_id");
  layout.node_detachedness = HeaderParser::index_of(nf, "detachedness");
  const auto& ef = meta.edge_fields;
  layout.edge_width = static_cast<std::uint32_t>(ef.size());
  layout.edge_type = h.required(ef, "type", "meta.edge_fields");
  layout.edge_name = h.required(ef, "name_or_index", "meta.edge_fields");
  layout.edge_to = h.required(ef, "to_node", "meta.edge_fields");
  const auto& lf = meta.location_fields;
  layout.location_width = static_cast<std::uint32_t>(lf.size());
  layout.location_object = HeaderParser::index_of(lf, "object_index");
  layout.location_script = HeaderParser::index_of(lf, "script_id");
  layout.location_line = HeaderParser::index_of(lf, "line");
  layout.location_column = HeaderParser::index_of(lf, "column");

  map_types(meta.node_type_names, kKnownNodeTypes, kFirstUnknownNodeType, layout.node_type_code,
            layout.node_type_names);
  map_types(meta.edge_type_names, kKnownEdgeTypes, kFirstUnknownEdgeType, layout.edge_type_code,
            layout.edge_type_names);

  simdjson::dom::element e;
  if (header["node_count"].get(e)) h.fail("node_count", "missing");
  meta.node_count = static_cast<std::uint32_t>(h.count(e, "node_count", 0xffffffffu - 1));
  if (header["edge_count"].get(e)) h.fail("edge_count", "missing");
  meta.edge_count = static_cast<std::uint32_t>(h.count(e, "edge_count", 0xffffffffu - 1));
  if (!header["trace_function_count"].get(e))
    meta.trace_function_count =
        static_cast<std::uint32_t>(h.count(e, "trace_function_count", 0xffffffffu));
  if (!header["extra_native_bytes"].get(e)) {
    meta.extra_native_bytes = h.count(e, "extra_native_bytes", ~std::uint64_t{0});
    meta.has_extra_native_bytes = true;
  }
  if (!header["root_index"].get(e)) {
    layout.root_offset = h.count(e, "root_index", 0xffffffffu);
    if (layout.root_offset % layout.node_width != 0)
      h.fail("root_index", "not a multiple of the node field count");
    meta.root = static_cast<NodeOrdinal>(layout.root_offset / layout.node_width);
    if (meta.root >= meta.node_count) h.fail("root_index", "points past the last node");
  }
  std::string_view title;
  if (!header["title"].get(e) && !e.get_string().get(title)) meta.title = std::string(title);
  if (meta.node_count == 0) h.fail("node_count", "a snapshot has at least the root node");

  if (layout.node_detachedness == kNoField)
    meta.generation = FormatGeneration::kLegacy;
  else if (layout.node_trace_node_id == kNoField)
    meta.generation = FormatGeneration::kV8_13_plus;
  else if (std::find(meta.node_type_names.begin(), meta.node_type_names.end(), "object shape") !=
           meta.node_type_names.end())
    meta.generation = FormatGeneration::kV8_11_to_12;
  else
    meta.generation = FormatGeneration::kV8_10;
}

}  // namespace libsnap::detail
