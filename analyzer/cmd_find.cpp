// `analyzer find SNAPSHOT (--class NAME | --name REGEX | --string REGEX)`: matching nodes with
// ids and sizes, biggest retained size first.
#include <iostream>
#include <regex>

#include "commands.hpp"
#include "libsnap/search.hpp"
#include "node_views.hpp"

namespace analyzer {

int run_find(const FindOptions& o) {
  const int given = !o.class_name.empty() + !o.name.empty() + !o.string.empty();
  if (given != 1)
    throw UsageError("find: give exactly one of --class NAME, --name REGEX or --string REGEX");
  std::regex pattern;
  const std::string& text = !o.name.empty() ? o.name : o.string;
  if (o.class_name.empty()) pattern = compile_regex(text, "find");
  NodeViews v = load_views(o.snapshot, o.common);
  const libsnap::Snapshot& s = v.snapshot;
  const std::uint64_t start = now_ns();
  std::vector<libsnap::NodeOrdinal> hits;
  if (!o.class_name.empty()) {
    hits = libsnap::find_by_class(v.classes, o.class_name);
  } else if (!o.name.empty()) {
    hits = libsnap::find_by_name(s, pattern);
  } else {
    hits = libsnap::find_strings(s, pattern);
  }
  std::uint64_t self_total = 0;
  for (libsnap::NodeOrdinal n : hits) self_total += s.self_size(n);
  const std::size_t total = hits.size();
  std::vector<libsnap::NodeOrdinal> shown =
      libsnap::biggest_first(std::move(hits), v.dominators.retained_size, o.limit);
  const double query_seconds = seconds_since(start);

  const std::string what = !o.class_name.empty() ? "class '" + o.class_name + "'"
                           : !o.name.empty()     ? "name /" + o.name + "/"
                                                 : "string /" + o.string + "/";
  if (o.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("query").begin_object();
    if (!o.class_name.empty()) j.field("class", o.class_name);
    if (!o.name.empty()) j.field("name", o.name);
    if (!o.string.empty()) j.field("string", o.string);
    j.end_object();
    j.field("count", static_cast<std::uint64_t>(total));
    j.field("self_size", self_total);
    j.key("nodes").begin_array();
    for (libsnap::NodeOrdinal n : shown) write_node(j, v, n);
    j.end_array();
    write_seconds(j, v, query_seconds);
    j.end_object();
  } else if (total > 0) {
    std::cout << with_commas(total) << " node" << (total == 1 ? "" : "s") << " with " << what
              << ", self " << with_commas(self_total) << " B";
    if (shown.size() < total) std::cout << " (the " << shown.size() << " biggest)";
    std::cout << "\n";
    for (libsnap::NodeOrdinal n : shown)
      std::cout << "  " << v.label(n) << "  self " << with_commas(s.self_size(n)) << " B  retained "
                << with_commas(v.retained(n)) << " B  distance " << distance_text(v.distance[n])
                << "\n";
  }
  if (total == 0) {
    std::cerr << "analyzer: no nodes with " << what << " in " << o.snapshot << "\n";
    return kExitBadInput;
  }
  return kExitOk;
}

}  // namespace analyzer
