// libFuzzer target for the loader: any bytes must give a Snapshot whose parts agree, or a
// LoadError; never a crash, a hang, a leak or undefined behaviour. Each input is loaded twice, on
// one thread with the default chunk size and on several threads with 64-byte chunks (many chunk
// seams), and the two outcomes must be identical: same error message, or same columns.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "libsnap/reader.hpp"
#include "libsnap/snapshot.hpp"

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "fuzz_loader: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) die(what);
}

// Loads and returns the error message, or nullopt and fills `out` on success.
std::optional<std::string> try_load(std::string_view bytes, const libsnap::LoadOptions& options,
                                    libsnap::Snapshot& out) {
  try {
    out = libsnap::load_from_memory(bytes, "fuzz.heapsnapshot", options);
    return std::nullopt;
  } catch (const libsnap::LoadError& e) {
    const std::string what = e.what();
    check(what.rfind("fuzz.heapsnapshot: ", 0) == 0, "error message does not start with the name");
    check(what.find('\n') == std::string::npos, "error message has several lines");
    check(e.offset() == libsnap::LoadError::kNoOffset || e.offset() <= bytes.size() ||
              (bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f),
          "error offset past the end of the input");
    return what;
  }
}

// Walks every column and checks the invariants load() promises.
void touch(const libsnap::Snapshot& s) {
  const std::uint32_t n = s.node_count(), m = s.edge_count(), strings = s.string_count();
  check(n >= 1, "no nodes");
  check(s.root() < n, "root out of range");
  check(s.first_edge(0) == 0 && s.first_edge(n) == m, "first_edge does not span the edges");
  std::uint64_t self = 0;
  for (libsnap::NodeOrdinal i = 0; i < n; ++i) {
    check(s.first_edge(i) <= s.first_edge(i + 1), "first_edge not monotonic");
    check(s.node_name_index(i) < strings, "node name out of range");
    check(!s.node_type_name(i).empty(), "empty node type name");
    (void)s.node_name(i);
    self += s.self_size(i);
    (void)s.trace_node_id(i);
    check(s.detachedness(i) <= 3, "detachedness out of range");
  }
  check(self == s.total_self_size(), "total_self_size disagrees");
  for (libsnap::EdgeIndex e = 0; e < m; ++e) {
    check(s.edge_target(e) < n, "edge target out of range");
    if (!libsnap::edge_type_has_index(s.edge_type(e)))
      check(s.edge_name_or_index(e) < strings, "edge name out of range");
    (void)s.edge_name(e);
    (void)s.edge_type_name(e);
  }
  for (const libsnap::Location& l : s.locations()) check(l.node < n, "location node out of range");
  const libsnap::Retainers& r = s.retainers();
  check(r.first.size() == std::size_t{n} + 1 && r.first[n] == m, "retainers do not span the edges");
  for (libsnap::NodeOrdinal i = 0; i < n; ++i)
    for (libsnap::EdgeIndex e : r.edges_of(i)) check(s.edge_target(e) == i, "retainer mismatch");
}

template <typename T>
bool same(std::span<const T> a, std::span<const T> b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

void compare(const libsnap::Snapshot& a, const libsnap::Snapshot& b) {
  check(a.node_count() == b.node_count() && a.edge_count() == b.edge_count(), "counts differ");
  check(same(a.node_types(), b.node_types()), "node types differ");
  check(same(a.node_names(), b.node_names()), "node names differ");
  check(same(a.node_ids(), b.node_ids()), "node ids differ");
  check(same(a.self_sizes(), b.self_sizes()), "self sizes differ");
  check(same(a.first_edges(), b.first_edges()), "first edges differ");
  check(same(a.edge_types(), b.edge_types()), "edge types differ");
  check(same(a.edge_names_or_indices(), b.edge_names_or_indices()), "edge names differ");
  check(same(a.edge_targets(), b.edge_targets()), "edge targets differ");
  for (libsnap::NodeOrdinal i = 0; i < a.node_count(); ++i) {
    check(a.trace_node_id(i) == b.trace_node_id(i), "trace node ids differ");
    check(a.detachedness(i) == b.detachedness(i), "detachedness differs");
  }
  check(a.locations().size() == b.locations().size(), "location counts differ");
  for (std::size_t i = 0; i < a.locations().size(); ++i) {
    const libsnap::Location &x = a.locations()[i], &y = b.locations()[i];
    check(
        x.node == y.node && x.script_id == y.script_id && x.line == y.line && x.column == y.column,
        "locations differ");
  }
  check(same(a.samples(), b.samples()), "samples differ");
  check(same(a.trace_function_infos(), b.trace_function_infos()), "trace function infos differ");
  check(a.total_self_size() == b.total_self_size(), "total self sizes differ");
  check(a.string_count() == b.string_count(), "string counts differ");
  for (std::uint32_t i = 0; i < a.string_count(); ++i)
    check(a.string(i) == b.string(i), "strings differ");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  libsnap::LoadOptions plain;
  plain.threads = 1;
  libsnap::LoadOptions seams;
  seams.threads = 3;
  seams.chunk_bytes = 64;
  libsnap::Snapshot a, b;
  const std::optional<std::string> error_a = try_load(bytes, plain, a);
  const std::optional<std::string> error_b = try_load(bytes, seams, b);
  if (error_a != error_b) {
    std::fprintf(stderr, "1 thread: %s\n3 threads, 64-byte chunks: %s\n",
                 error_a ? error_a->c_str() : "loaded", error_b ? error_b->c_str() : "loaded");
    die("outcome depends on threads / chunk size");
  }
  if (!error_a) {
    touch(a);
    compare(a, b);
  }
  return 0;
}
