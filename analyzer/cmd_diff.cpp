// `analyzer diff BEFORE AFTER`: Chrome DevTools' Comparison view (AFTER against BEFORE, objects
// matched by id), plus the retained-size delta and the survivors of each class.
//
// The snapshots are handled one at a time to keep the peak memory of one: AFTER is loaded,
// analyzed, reduced to its DiffSide and its interface definitions, and freed; then BEFORE, analyzed
// with AFTER's interface definitions (DevTools' rule, so `{a, b}` rows line up).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "commands.hpp"
#include "json_writer.hpp"
#include "libsnap/diff.hpp"

namespace analyzer {
namespace {

std::uint64_t magnitude(std::int64_t v) {
  return v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
}

std::string signed_commas(std::int64_t v) {
  if (v == 0) return "0";
  std::string out(1, v < 0 ? '-' : '+');  // (not `"-" + s`: GCC 12 -Wrestrict false positive)
  out += with_commas(magnitude(v));
  return out;
}

std::string pad(std::string s, std::size_t width) {  // right-aligned
  return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

// Orders rows for --sort; the library's order (|size delta|, then key) breaks ties.
void sort_rows(std::vector<libsnap::ClassDiff>& rows, const std::string& sort) {
  using Row = libsnap::ClassDiff;
  auto by = [&](auto field) {
    std::stable_sort(rows.begin(), rows.end(),
                     [&](const Row& x, const Row& y) { return field(x) > field(y); });
  };
  if (sort == "count") by([](const Row& r) { return magnitude(r.delta_count); });
  if (sort == "retained") by([](const Row& r) { return magnitude(r.retained_delta); });
  if (sort == "new") by([](const Row& r) { return r.new_count; });
  if (sort == "deleted") by([](const Row& r) { return r.deleted_count; });
  if (sort == "alloc") by([](const Row& r) { return r.alloc_size; });
  if (sort == "freed") by([](const Row& r) { return r.freed_size; });
  if (sort == "survivors") by([](const Row& r) { return r.survivors; });
  if (sort == "name") {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& x, const Row& y) { return x.name < y.name; });
  }
}

void write_facts(JsonWriter& j, const std::string& file, const libsnap::DiffSnapshotFacts& f) {
  j.begin_object()
      .field("file", file)
      .field("node_count", f.node_count)
      .field("edge_count", f.edge_count)
      .field("object_count", f.object_count)
      .field("total_size", f.total_size)
      .field("max_js_object_id", f.max_js_object_id)
      .field("format", libsnap::format_generation_name(f.generation));
  j.end_object();
}

}  // namespace

int run_diff(const DiffOptions& options) {
  std::regex filter;
  if (!options.filter.empty()) filter = compile_regex(options.filter, "--filter");
  // Fail on a missing BEFORE before spending the time to analyze AFTER.
  if (std::error_code ec; !std::filesystem::is_regular_file(options.before, ec))
    (void)load_snapshot(options.before, options.common);  // throws the loader's clear error

  libsnap::AnalysisOptions ao;
  ao.raw_sizes = options.raw_sizes;
  std::vector<libsnap::InterfaceDefinition> interfaces;
  libsnap::DiffSide after_side;
  double analysis_seconds = 0;
  {
    const libsnap::Snapshot after = load_snapshot(options.after, options.common);
    const std::uint64_t start = now_ns();
    after_side = libsnap::diff_side(after, libsnap::analyze(after, ao));
    interfaces = libsnap::infer_interface_definitions(after);
    analysis_seconds += seconds_since(start);
  }
  libsnap::DiffSide before_side;
  {
    const libsnap::Snapshot before = load_snapshot(options.before, options.common);
    const std::uint64_t start = now_ns();
    ao.interfaces = &interfaces;
    before_side = libsnap::diff_side(before, libsnap::analyze(before, ao));
    analysis_seconds += seconds_since(start);
  }
  const std::uint64_t start = now_ns();
  libsnap::SnapshotDiff d = libsnap::diff(before_side, after_side);
  analysis_seconds += seconds_since(start);

  // Identity is by id, which means nothing across processes: say so rather than show noise.
  const std::vector<std::string> warnings = libsnap::identity_warnings(d);
  for (const std::string& w : warnings) std::cerr << "analyzer: warning: " << w << "\n";

  std::vector<libsnap::ClassDiff> rows;
  rows.reserve(d.classes.size());
  for (libsnap::ClassDiff& r : d.classes) {
    if (options.filter.empty() || std::regex_search(r.name, filter)) rows.push_back(std::move(r));
  }
  sort_rows(rows, options.sort);
  const std::size_t matched = rows.size();
  if (options.top && rows.size() > options.top) rows.resize(options.top);

  if (options.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("classes").begin_array();
    for (const libsnap::ClassDiff& r : rows) {
      j.begin_object()
          .field("key", r.key)
          .field("name", r.name)
          .field("new_count", r.new_count)
          .field("deleted_count", r.deleted_count)
          .field("delta_count", r.delta_count)
          .field("alloc_size", r.alloc_size)
          .field("freed_size", r.freed_size)
          .field("delta_size", r.delta_size)
          .field("retained_delta", r.retained_delta)
          .field("survivors", r.survivors);
      j.end_object();
    }
    j.end_array();
    j.key("before");
    write_facts(j, options.before, d.before);
    j.key("after");
    write_facts(j, options.after, d.after);
    j.field("survivors", d.survivors);
    j.key("warnings").begin_array();
    for (const std::string& w : warnings) j.value(w);
    j.end_array();
    j.end_object();
    return kExitOk;
  }

  constexpr std::size_t kNameWidth = 40;
  std::cout << fit_column("Constructor", kNameWidth) << pad("# New", 10) << pad("# Deleted", 11)
            << pad("# Delta", 10) << pad("Alloc. Size", 14) << pad("Freed Size", 14)
            << pad("Size Delta", 14) << pad("Retained Delta", 16) << pad("Survivors", 11) << "\n";
  // Classes of one name from different constructors (keys "script,line,col,Name") would look
  // alike: show where those come from.
  std::unordered_map<std::string_view, unsigned> name_count;
  for (const libsnap::ClassDiff& r : rows) ++name_count[r.name];
  for (const libsnap::ClassDiff& r : rows) {
    std::string label = r.name;
    if (name_count[r.name] > 1 && !r.key.starts_with(',')) {
      label += " @";
      label += r.key.substr(0, r.key.size() - r.name.size() - 1);
    }
    std::cout << fit_column(label, kNameWidth) << pad(with_commas(r.new_count), 10)
              << pad(with_commas(r.deleted_count), 11) << pad(signed_commas(r.delta_count), 10)
              << pad(with_commas(r.alloc_size), 14) << pad(with_commas(r.freed_size), 14)
              << pad(signed_commas(r.delta_size), 14) << pad(signed_commas(r.retained_delta), 16)
              << pad(with_commas(r.survivors), 11) << "\n";
  }
  const std::int64_t total_delta = static_cast<std::int64_t>(d.after.total_size) -
                                   static_cast<std::int64_t>(d.before.total_size);
  char timing[64];
  std::snprintf(timing, sizeof timing, "%.2f s", analysis_seconds);
  std::cout << "\n"
            << with_commas(rows.size()) << " of " << with_commas(matched)
            << " changed classes shown"
            << (options.filter.empty()
                    ? ""
                    : " (filtered; " + with_commas(d.classes.size()) + " in all)")
            << "; total size " << with_commas(d.before.total_size) << " -> "
            << with_commas(d.after.total_size) << " bytes (" << signed_commas(total_delta) << "); "
            << with_commas(d.survivors) << " objects in both; analyzed in " << timing << "\n";
  return kExitOk;
}

}  // namespace analyzer
