// `analyzer info SNAPSHOT`: what the file is, how big, and how fast it loaded.
#include <iostream>

#include "commands.hpp"
#include "json_writer.hpp"

namespace analyzer {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

int run_info(const InfoOptions& options) {
  const std::uint64_t start = now_ns();
  libsnap::Snapshot s = load_snapshot(options.snapshot, options.common);
  const double load_seconds = seconds_since(start);
  const libsnap::SnapshotMeta& m = s.meta();
  const std::uint64_t peak = peak_rss_bytes();

  if (options.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.field("file", options.snapshot);
    j.field("file_size", m.file_size);
    j.field("format", libsnap::format_generation_name(m.generation));
    j.key("node_fields").begin_array();
    for (const auto& f : m.node_fields) j.value(f);
    j.end_array();
    j.key("node_types").begin_array();
    for (const auto& f : m.node_type_names) j.value(f);
    j.end_array();
    j.key("edge_fields").begin_array();
    for (const auto& f : m.edge_fields) j.value(f);
    j.end_array();
    j.key("edge_types").begin_array();
    for (const auto& f : m.edge_type_names) j.value(f);
    j.end_array();
    j.field("node_count", s.node_count());
    j.field("edge_count", s.edge_count());
    j.field("string_count", s.string_count());
    j.field("location_count", static_cast<std::uint64_t>(s.locations().size()));
    j.field("trace_function_count", m.trace_function_count);
    if (m.has_extra_native_bytes)
      j.field("extra_native_bytes", m.extra_native_bytes);
    else
      j.key("extra_native_bytes").null();
    j.field("total_self_size", s.total_self_size());
    j.key("sections").begin_array();
    for (const auto& sec : m.sections) {
      j.begin_object().field("name", sec.name).field("offset", sec.offset).field("size", sec.size);
      j.end_object();
    }
    j.end_array();
    j.field("load_seconds", load_seconds);
    j.field("peak_rss_bytes", peak);
    j.end_object();
    return kExitOk;
  }

  std::cout << "file              " << options.snapshot << " (" << human_bytes(m.file_size) << ")\n"
            << "format            " << libsnap::format_generation_name(m.generation) << "\n"
            << "nodes             " << with_commas(s.node_count()) << "  [" << join(m.node_fields)
            << "]\n"
            << "edges             " << with_commas(s.edge_count()) << "  [" << join(m.edge_fields)
            << "]\n"
            << "node types        " << join(m.node_type_names) << "\n"
            << "edge types        " << join(m.edge_type_names) << "\n"
            << "strings           " << with_commas(s.string_count()) << "\n"
            << "locations         " << with_commas(s.locations().size()) << "\n";
  if (m.has_extra_native_bytes)
    std::cout << "extra native      " << human_bytes(m.extra_native_bytes) << "\n";
  std::cout << "total self size   " << with_commas(s.total_self_size()) << " bytes ("
            << human_bytes(s.total_self_size()) << ")\n"
            << "sections         ";
  for (const auto& sec : m.sections) std::cout << " " << sec.name << "=" << human_bytes(sec.size);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f s", load_seconds);
  std::cout << "\nload time         " << buf << "\npeak memory       " << human_bytes(peak) << "\n";
  return kExitOk;
}

}  // namespace analyzer
