// load(): walks the top-level object of a .heapsnapshot, hands each section to its parser, and
// checks that the parts agree (counts, indices, ranges) before returning the Snapshot.
#include "libsnap/reader.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include "io/header.hpp"
#include "io/mapped_file.hpp"
#include "io/number_scanner.hpp"
#include "model/snapshot_data.hpp"
#include "io/string_section.hpp"

namespace libsnap {
namespace {

// what() is one line even when the reason quotes the file (a section or field name may hold a
// newline): control characters are written as \n, \t, \xNN.
std::string one_line(const std::string& text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u != 0x7f) {
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string format_error(const std::string& file, std::uint64_t offset, const std::string& reason) {
  if (offset == LoadError::kNoOffset) return one_line(file + ": " + reason);
  return one_line(file + ": byte " + std::to_string(offset) + ": " + reason);
}

}  // namespace

LoadError::LoadError(std::string file, std::uint64_t offset, std::string reason)
    : std::runtime_error(format_error(file, offset, reason)),
      file_(std::move(file)),
      offset_(offset),
      reason_(std::move(reason)) {}

namespace detail {
namespace {

inline bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// A JSON number, true, false or null.
bool is_json_scalar(std::string_view s) {
  if (s == "true" || s == "false" || s == "null") return true;
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > from;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i < s.size() && s[i] == '0') {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

// Division by the record width without a hardware divide per number (Lemire's fastmod): the
// edge loop divides 56 M to_node offsets by 6 or 7.
class Divider {
 public:
  explicit Divider(std::uint32_t d) : m_(~std::uint64_t{0} / d + 1) {}
  std::uint32_t quotient(std::uint32_t x) const {
    return static_cast<std::uint32_t>((static_cast<__uint128_t>(m_) * x) >> 64);
  }
  bool divides(std::uint32_t x) const { return x * m_ <= m_ - 1; }

 private:
  std::uint64_t m_;
};

class NodeSink final : public UintSink {
 public:
  NodeSink(SnapshotData& d, const Layout& l) : d_(d), l_(l) {}

  void put(std::uint64_t first, const std::uint32_t* v, std::size_t count,
           SinkFailure& failure) override {
    const std::uint32_t width = l_.node_width;
    std::uint64_t node = first / width;
    std::uint32_t field = static_cast<std::uint32_t>(first % width);
    const std::size_t types = l_.node_type_code.size();
    std::uint64_t self_total = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t x = v[i];
      if (field == l_.node_type) {
        if (x >= types)
          return failure.reject(first + i, "node type index " + std::to_string(x) +
                                               " is out of range (meta.node_types has " +
                                               std::to_string(types) + ")");
        d_.node_type[node] = static_cast<NodeType>(l_.node_type_code[x]);
      } else if (field == l_.node_name) {
        d_.node_name[node] = x;
      } else if (field == l_.node_id) {
        d_.node_id[node] = x;
      } else if (field == l_.node_self_size) {
        d_.self_size[node] = x;
        self_total += x;
      } else if (field == l_.node_edge_count) {
        d_.first_edge[node + 1] = x;  // turned into offsets by a prefix sum once all are read
      } else if (field == l_.node_trace_node_id) {
        if (d_.trace_node_id.size()) d_.trace_node_id[node] = x;
      } else if (field == l_.node_detachedness) {
        if (x > 3)
          return failure.reject(first + i,
                                "detachedness " + std::to_string(x) +
                                    " is out of range (0 unknown, 1 attached, 2 detached)");
        d_.detachedness[node] = static_cast<std::uint8_t>(x);
      }
      if (++field == width) {
        field = 0;
        ++node;
      }
    }
    total_self_.fetch_add(self_total, std::memory_order_relaxed);
  }

  std::uint64_t total_self_size() const { return total_self_.load(); }

 private:
  SnapshotData& d_;
  const Layout& l_;
  std::atomic<std::uint64_t> total_self_{0};
};

class EdgeSink final : public UintSink {
 public:
  EdgeSink(SnapshotData& d, const Layout& l, std::uint32_t node_count)
      : d_(d), l_(l), by_width_(l.node_width), node_count_(node_count) {}

  void put(std::uint64_t first, const std::uint32_t* v, std::size_t count,
           SinkFailure& failure) override {
    const std::uint32_t width = l_.edge_width;
    std::uint64_t edge = first / width;
    std::uint32_t field = static_cast<std::uint32_t>(first % width);
    std::size_t i = 0;
    // The usual layout (type, name_or_index, to_node) gets a loop without per-field dispatch;
    // records cut by a chunk seam, and other layouts, go field by field.
    if (width == 3 && l_.edge_type == 0 && l_.edge_name == 1 && l_.edge_to == 2) {
      for (; i < count && field != 0; ++i)
        if (!put_field(edge, field, v[i], first + i, failure)) return;
      for (; i + 3 <= count; i += 3, ++edge) {
        const std::uint32_t type = v[i], to = v[i + 2];
        if (!type_ok(type, first + i, failure) || !target_ok(to, first + i + 2, failure)) return;
        d_.edge_type[edge] = static_cast<EdgeType>(l_.edge_type_code[type]);
        d_.edge_name[edge] = v[i + 1];
        d_.edge_target[edge] = by_width_.quotient(to);
      }
    }
    for (; i < count; ++i)
      if (!put_field(edge, field, v[i], first + i, failure)) return;
  }

 private:
  // Stores one field and advances (edge, field); false after rejecting the value.
  bool put_field(std::uint64_t& edge, std::uint32_t& field, std::uint32_t x, std::uint64_t index,
                 SinkFailure& failure) {
    if (field == l_.edge_type) {
      if (!type_ok(x, index, failure)) return false;
      d_.edge_type[edge] = static_cast<EdgeType>(l_.edge_type_code[x]);
    } else if (field == l_.edge_name) {
      d_.edge_name[edge] = x;
    } else if (field == l_.edge_to) {
      if (!target_ok(x, index, failure)) return false;
      d_.edge_target[edge] = by_width_.quotient(x);
    }
    if (++field == l_.edge_width) {
      field = 0;
      ++edge;
    }
    return true;
  }
  bool type_ok(std::uint32_t x, std::uint64_t index, SinkFailure& failure) const {
    if (x < l_.edge_type_code.size()) return true;
    failure.reject(index, "edge type index " + std::to_string(x) +
                              " is out of range (meta.edge_types has " +
                              std::to_string(l_.edge_type_code.size()) + ")");
    return false;
  }
  bool target_ok(std::uint32_t x, std::uint64_t index, SinkFailure& failure) const {
    if (!by_width_.divides(x)) {
      failure.reject(index, "to_node " + std::to_string(x) +
                                " is not a multiple of the node field count (" +
                                std::to_string(l_.node_width) + ")");
      return false;
    }
    if (by_width_.quotient(x) >= node_count_) {
      failure.reject(index, "to_node " + std::to_string(x) + " points past the last node (" +
                                std::to_string(node_count_) + " nodes)");
      return false;
    }
    return true;
  }
  SnapshotData& d_;
  const Layout& l_;
  Divider by_width_;
  std::uint32_t node_count_;
};

class Reader {
 public:
  Reader(InputBytes in, const LoadOptions& options)
      : in_(std::move(in)), bytes_(in_.bytes()), options_(options) {}

  Snapshot run();

 private:
  [[noreturn]] void fail(std::uint64_t offset, const std::string& reason) const {
    throw LoadError(in_.name(), offset, reason);
  }
  std::uint64_t skip_space(std::uint64_t p) const {
    while (p < bytes_.size() && is_space(bytes_[p])) ++p;
    return p;
  }
  std::uint64_t expect(std::uint64_t p, char c, const char* what) const {
    p = skip_space(p);
    if (p >= bytes_.size())
      fail(p, std::string("unexpected end of file: expected ") + what + " (truncated file?)");
    if (bytes_[p] != c) fail(p, std::string("expected ") + what);
    return p + 1;
  }
  std::uint64_t skip_value(std::uint64_t p, const std::string& key) const;
  std::uint64_t parse_key(std::uint64_t p, std::string& key) const;
  void require_header(std::uint64_t p, const std::string& key) const {
    if (!have_header_) fail(p, key + ": section appears before the snapshot header");
  }
  void read_nodes(std::uint64_t open);
  void read_edges(std::uint64_t open);
  void read_locations(std::uint64_t open, std::uint64_t& end);
  void finish_nodes();
  void validate_names();
  ScanSettings scan_settings() const;

  InputBytes in_;
  std::string_view bytes_;
  LoadOptions options_;
  std::unique_ptr<SnapshotData> d_ = std::make_unique<SnapshotData>();
  Layout layout_;
  bool have_header_ = false, have_nodes_ = false, have_edges_ = false, have_strings_ = false;
  bool have_locations_ = false, have_samples_ = false, have_trace_function_infos_ = false;
  std::uint64_t nodes_open_ = 0, edges_open_ = 0, locations_open_ = 0;
  std::vector<std::uint32_t> raw_locations_;
};

std::uint64_t Reader::parse_key(std::uint64_t p, std::string& key) const {
  p = expect(p, '"', "a section name in quotes");
  std::uint64_t q = p;
  while (q < bytes_.size() && bytes_[q] != '"') {
    if (bytes_[q] == '\\') ++q;
    ++q;
  }
  if (q >= bytes_.size()) fail(p - 1, "unterminated section name (truncated file?)");
  if (q - p > 256) fail(p - 1, "section name longer than 256 bytes");
  key.assign(bytes_.data() + p, q - p);
  return expect(q + 1, ':', "':' after a section name");
}

// Skips one JSON value of a section we do not interpret, checking only that brackets balance and
// strings end: enough to find where the next section starts. No recursion.
std::uint64_t Reader::skip_value(std::uint64_t p, const std::string& key) const {
  p = skip_space(p);
  std::vector<char> stack;
  const std::uint64_t size = bytes_.size();
  const std::uint64_t start = p;
  do {
    if (p >= size)
      fail(size, key + ": unexpected end of file inside the section (truncated file?)");
    char c = bytes_[p];
    if (c == '"') {
      ++p;
      while (p < size && bytes_[p] != '"') p += bytes_[p] == '\\' ? 2 : 1;
      if (p >= size) fail(size, key + ": unterminated string (truncated file?)");
      ++p;
    } else if (c == '[' || c == '{') {
      stack.push_back(c == '[' ? ']' : '}');
      ++p;
    } else if (c == ']' || c == '}') {
      if (stack.empty() || stack.back() != c)
        fail(p, key + ": unbalanced '" + std::string(1, c) + "'");
      stack.pop_back();
      ++p;
    } else if (stack.empty()) {
      // A scalar: runs to the next delimiter, and must be a JSON number, true, false or null.
      while (p < size && bytes_[p] != ',' && bytes_[p] != '}' && !is_space(bytes_[p])) ++p;
      if (!is_json_scalar(bytes_.substr(start, p - start)))
        fail(start, key + ": expected a JSON value");
    } else {
      ++p;
    }
  } while (!stack.empty());
  return p;
}

ScanSettings Reader::scan_settings() const {
  ScanSettings s;
  unsigned hw = std::thread::hardware_concurrency();
  s.threads = options_.threads ? options_.threads : (hw ? hw : 1);
  if (options_.chunk_bytes) s.chunk_bytes = options_.chunk_bytes;
  s.progress = options_.progress;
  return s;
}

void Reader::read_nodes(std::uint64_t open) {
  const SnapshotMeta& meta = d_->meta;
  const std::uint32_t n = meta.node_count;
  d_->node_type = Column<NodeType>(n);
  d_->node_name = Column<StringIndex>(n);
  d_->node_id = Column<std::uint32_t>(n);
  d_->self_size = Column<std::uint32_t>(n);
  d_->first_edge = Column<EdgeIndex>(std::size_t{n} + 1);
  d_->first_edge[0] = 0;
  if (layout_.node_trace_node_id != kNoField && meta.trace_function_count > 0)
    d_->trace_node_id = Column<std::uint32_t>(n);
  if (layout_.node_detachedness != kNoField) d_->detachedness = Column<std::uint8_t>(n);
  NodeSink sink(*d_, layout_);
  const std::uint64_t expected = std::uint64_t{n} * layout_.node_width;
  ArrayExtent extent = scan_uint_array(in_, open, "nodes", expected, sink, scan_settings());
  if (extent.count != expected)
    fail(extent.end - 1, "nodes: " + std::to_string(extent.count) + " numbers, but node_count " +
                             std::to_string(n) + " x " + std::to_string(layout_.node_width) +
                             " node fields = " + std::to_string(expected));
  d_->total_self_size = sink.total_self_size();
  d_->meta.sections.push_back({"nodes", open, extent.end - open});
  finish_nodes();
}

void Reader::finish_nodes() {
  // edge_count per node -> first-edge offsets; their total must be the header's edge_count.
  std::uint64_t sum = 0;
  EdgeIndex* first = d_->first_edge.data();
  const std::uint32_t n = d_->meta.node_count;
  for (std::uint32_t i = 1; i <= n; ++i) {
    sum += first[i];
    if (sum > 0xffffffffu) break;
    first[i] = static_cast<EdgeIndex>(sum);
  }
  if (sum != d_->meta.edge_count)
    fail(nodes_open_,
         "nodes: the edge_count fields add up to " +
             (sum > 0xffffffffu ? std::string("more than 2^32") : std::to_string(sum)) +
             ", but snapshot.edge_count is " + std::to_string(d_->meta.edge_count));
}

void Reader::read_edges(std::uint64_t open) {
  const std::uint32_t m = d_->meta.edge_count;
  d_->edge_type = Column<EdgeType>(m);
  d_->edge_name = Column<std::uint32_t>(m);
  d_->edge_target = Column<NodeOrdinal>(m);
  EdgeSink sink(*d_, layout_, d_->meta.node_count);
  const std::uint64_t expected = std::uint64_t{m} * layout_.edge_width;
  ArrayExtent extent = scan_uint_array(in_, open, "edges", expected, sink, scan_settings());
  if (extent.count != expected)
    fail(extent.end - 1, "edges: " + std::to_string(extent.count) + " numbers, but edge_count " +
                             std::to_string(m) + " x " + std::to_string(layout_.edge_width) +
                             " edge fields = " + std::to_string(expected));
  d_->meta.sections.push_back({"edges", open, extent.end - open});
}

void Reader::read_locations(std::uint64_t open, std::uint64_t& end) {
  raw_locations_ = scan_small_uint_array(in_, open, "locations", end);
  const std::uint32_t width = layout_.location_width;
  if (width == 0) {
    if (!raw_locations_.empty())
      fail(open, "locations: present, but meta.location_fields is missing");
    return;
  }
  if (raw_locations_.size() % width != 0)
    fail(open, "locations: " + std::to_string(raw_locations_.size()) +
                   " numbers is not a multiple of the location field count (" +
                   std::to_string(width) + ")");
  if (layout_.location_object == kNoField)
    fail(open, "snapshot.meta.location_fields: has no 'object_index' field");
}

void Reader::validate_names() {
  const std::uint32_t strings = static_cast<std::uint32_t>(d_->string_offsets.size() - 1);
  const std::uint32_t n = d_->meta.node_count;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (d_->node_name[i] >= strings)
      fail(offset_of_number(bytes_, nodes_open_,
                            std::uint64_t{i} * layout_.node_width + layout_.node_name),
           "nodes: node " + std::to_string(i) + " has name index " +
               std::to_string(d_->node_name[i]) + ", but strings has " + std::to_string(strings) +
               " entries");
  }
  const std::uint32_t m = d_->meta.edge_count;
  const EdgeType* type = d_->edge_type.data();
  const std::uint32_t* name = d_->edge_name.data();
  for (std::uint32_t e = 0; e < m; ++e) {
    if (name[e] >= strings && !edge_type_has_index(type[e]))
      fail(offset_of_number(bytes_, edges_open_,
                            std::uint64_t{e} * layout_.edge_width + layout_.edge_name),
           "edges: edge " + std::to_string(e) + " (" + std::string(edge_type_name(type[e])) +
               ") has name index " + std::to_string(name[e]) + ", but strings has " +
               std::to_string(strings) + " entries");
  }
  // Locations: object_index is an offset into `nodes`.
  if (!raw_locations_.empty()) {
    const std::uint32_t w = layout_.location_width;
    const Divider by_width(layout_.node_width);
    d_->locations.reserve(raw_locations_.size() / w);
    for (std::size_t r = 0; r + w <= raw_locations_.size(); r += w) {
      const std::uint32_t object = raw_locations_[r + layout_.location_object];
      if (!by_width.divides(object) || by_width.quotient(object) >= n)
        fail(offset_of_number(bytes_, locations_open_, r + layout_.location_object),
             "locations: object_index " + std::to_string(object) + " is not the offset of a node");
      auto field = [&](std::uint32_t f) { return f == kNoField ? 0u : raw_locations_[r + f]; };
      d_->locations.push_back({by_width.quotient(object), field(layout_.location_script),
                               field(layout_.location_line), field(layout_.location_column)});
    }
    raw_locations_ = {};
  }
}

Snapshot Reader::run() {
  d_->meta.file_size = bytes_.size();
  std::uint64_t p = skip_space(0);
  if (bytes_.substr(p, 3) == "\xEF\xBB\xBF") p = skip_space(p + 3);  // UTF-8 byte order mark
  if (p >= bytes_.size()) fail(p, "no JSON value (expected a heap snapshot object)");
  if (bytes_[p] != '{') fail(p, "not a heap snapshot: expected '{' at the start of a JSON object");
  ++p;
  std::string key;
  bool first = true;
  for (;;) {
    p = skip_space(p);
    if (p >= bytes_.size())
      fail(p, "unexpected end of file: expected a section or '}' (truncated file?)");
    if (bytes_[p] == '}') {
      if (first) fail(p, "empty JSON object: expected the sections of a heap snapshot");
      ++p;
      break;
    }
    if (!first) p = expect(p, ',', "',' or '}' after a section");
    first = false;
    p = parse_key(p, key);
    const std::uint64_t value = skip_space(p);
    if (value >= bytes_.size())
      fail(value, key + ": unexpected end of file: expected a value (truncated file?)");
    std::uint64_t end = 0;
    const bool is_array = bytes_[value] == '[';
    auto need_array = [&] {
      if (!is_array) fail(value, key + ": expected an array");
    };
    auto once = [&](bool& seen) {
      if (seen) fail(value, key + ": section appears twice");
      seen = true;
    };
    if (key == "snapshot") {
      if (have_header_) fail(value, "snapshot: section appears twice");
      if (bytes_[value] != '{') fail(value, "snapshot: expected an object");
      end = skip_value(value, key);
      parse_header(bytes_.substr(value, end - value), in_.name(), value, d_->meta, layout_);
      d_->node_type_names = layout_.node_type_names;
      d_->edge_type_names = layout_.edge_type_names;
      have_header_ = true;
      // Each number takes at least two bytes ("0,"): a header that claims more cannot be right,
      // and must not make us allocate for it.
      const std::uint64_t room = bytes_.size() / 2 + 1;
      if (std::uint64_t{d_->meta.node_count} * layout_.node_width > room)
        fail(value, "snapshot.node_count: " + std::to_string(d_->meta.node_count) +
                        " nodes cannot fit in a file of " + std::to_string(bytes_.size()) +
                        " bytes");
      if (std::uint64_t{d_->meta.edge_count} * layout_.edge_width > room)
        fail(value, "snapshot.edge_count: " + std::to_string(d_->meta.edge_count) +
                        " edges cannot fit in a file of " + std::to_string(bytes_.size()) +
                        " bytes");
    } else if (key == "nodes") {
      require_header(value, key);
      need_array();
      once(have_nodes_);
      nodes_open_ = value;
      read_nodes(value);
      end = d_->meta.sections.back().offset + d_->meta.sections.back().size;
    } else if (key == "edges") {
      require_header(value, key);
      need_array();
      once(have_edges_);
      edges_open_ = value;
      read_edges(value);
      end = d_->meta.sections.back().offset + d_->meta.sections.back().size;
    } else if (key == "strings") {
      need_array();
      once(have_strings_);
      end = parse_strings(in_, value, d_->arena, d_->string_offsets);
    } else if (key == "locations") {
      require_header(value, key);
      need_array();
      once(have_locations_);
      locations_open_ = value;
      read_locations(value, end);
    } else if (key == "samples") {
      need_array();
      once(have_samples_);
      d_->samples = scan_small_uint_array(in_, value, key, end);
    } else if (key == "trace_function_infos") {
      need_array();
      once(have_trace_function_infos_);
      d_->trace_function_infos = scan_small_uint_array(in_, value, key, end);
    } else {
      end = skip_value(value, key);  // trace_tree, scopes, ... and sections we do not know
    }
    if (key != "nodes" && key != "edges") d_->meta.sections.push_back({key, value, end - value});
    p = end;
  }
  p = skip_space(p);
  if (p < bytes_.size()) fail(p, "unexpected data after the end of the snapshot object");
  if (!have_header_) fail(LoadError::kNoOffset, "missing the 'snapshot' header section");
  if (!have_nodes_) fail(LoadError::kNoOffset, "missing the 'nodes' section");
  if (!have_edges_) fail(LoadError::kNoOffset, "missing the 'edges' section");
  if (!have_strings_) fail(LoadError::kNoOffset, "missing the 'strings' section");
  validate_names();
  return Snapshot(std::move(d_));
}

}  // namespace
}  // namespace detail

Snapshot load(const std::string& path, const LoadOptions& options) {
  try {  // decompressing a .gz may run out of memory too
    return detail::Reader(detail::InputBytes::open(path), options).run();
  } catch (const std::bad_alloc&) {
    throw LoadError(path, LoadError::kNoOffset, "out of memory while loading");
  }
}

Snapshot load_from_memory(std::string_view bytes, const std::string& name,
                          const LoadOptions& options) {
  try {
    return detail::Reader(detail::InputBytes::borrow(bytes, name), options).run();
  } catch (const std::bad_alloc&) {
    throw LoadError(name, LoadError::kNoOffset, "out of memory while loading");
  }
}

}  // namespace libsnap
