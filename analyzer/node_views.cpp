#include "node_views.hpp"

#include <unistd.h>

#include <cstdio>
#include <future>

#include "libsnap/search.hpp"

namespace analyzer {

std::string NodeViews::cls(libsnap::NodeOrdinal n) const {
  return libsnap::node_class(snapshot, &classes, n);
}

std::string NodeViews::label(libsnap::NodeOrdinal n) const {
  return libsnap::node_label(snapshot, &classes, n);
}

NodeViews load_views(const std::string& path, const CommonOptions& common) {
  NodeViews v;
  std::uint64_t start = now_ns();
  v.snapshot = load_snapshot(path, common);
  v.load_seconds = seconds_since(start);
  const bool show = !common.quiet && ::isatty(STDERR_FILENO);
  if (show) std::fprintf(stderr, "analyzing %s...", path.c_str());
  start = now_ns();
  const libsnap::Snapshot& s = v.snapshot;
  // Class names and the retainers index (thread-safe, built once) on a second thread while
  // distances and dominators run on this one; each only reads the snapshot.
  std::future<libsnap::ClassNames> classes = std::async(std::launch::async, [&s] {
    libsnap::ClassNames names = libsnap::compute_class_names(s, libsnap::propagate_detachedness(s),
                                                             libsnap::Naming::kLatest);
    (void)s.retainers();
    return names;
  });
  v.distance = libsnap::compute_distances(s);
  {
    libsnap::EdgeMask essential = libsnap::compute_essential_edges(s);
    std::vector<std::uint32_t> shallow = libsnap::compute_shallow_sizes(s);
    v.dominators = libsnap::compute_dominators(s, essential, shallow);
  }
  v.classes = classes.get();
  v.analysis_seconds = seconds_since(start);
  if (show) std::fprintf(stderr, "\r\033[K");
  return v;
}

libsnap::NodeOrdinal node_by_id(const NodeViews& v, std::uint64_t id, const std::string& file) {
  std::optional<libsnap::NodeOrdinal> n;
  if (id <= 0xFFFFFFFFu) n = libsnap::find_node_by_id(v.snapshot, static_cast<std::uint32_t>(id));
  if (!n) throw UsageError("no node with id " + std::to_string(id) + " in " + file);
  return *n;
}

void print_chain(std::ostream& out, const NodeViews& v,
                 const std::vector<libsnap::NodeOrdinal>& chain) {
  const std::size_t n = chain.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (n > 30 && i == 20) {
      out << "  ... " << with_commas(n - 30) << " more ...\n";
      i = n - 10;
    }
    out << "  " << v.label(chain[i]) << "  retained " << with_commas(v.retained(chain[i]))
        << " B\n";
  }
}

std::string distance_text(std::int32_t d) {
  if (d == libsnap::kNoDistance) return "unreachable";
  if (d >= libsnap::kBaseSystemDistance)
    return "system + " + std::to_string(d - libsnap::kBaseSystemDistance);
  return std::to_string(d);
}

void write_node_fields(JsonWriter& j, const NodeViews& v, libsnap::NodeOrdinal n) {
  const libsnap::Snapshot& s = v.snapshot;
  j.field("id", s.node_id(n));
  j.field("type", s.node_type_name(n));
  if (libsnap::is_string_node(s, n))
    j.field("name", libsnap::string_value(s, n, 200));
  else
    j.field("name", s.node_name(n));
  j.field("class", v.cls(n));
  j.field("self_size", s.self_size(n));
  j.field("retained_size", v.retained(n));
  if (v.distance[n] == libsnap::kNoDistance)
    j.key("distance").null();
  else
    j.field("distance", std::int64_t{v.distance[n]});
}

void write_node(JsonWriter& j, const NodeViews& v, libsnap::NodeOrdinal n) {
  j.begin_object();
  write_node_fields(j, v, n);
  j.end_object();
}

void write_path(JsonWriter& j, const NodeViews& v, const libsnap::RetainerPath& path,
                bool internals) {
  const libsnap::Snapshot& s = v.snapshot;
  std::vector<libsnap::ReadableStep> steps = libsnap::describe_path(s, path);
  j.begin_object();
  j.field("length", static_cast<std::uint64_t>(path.size()));
  j.field("text", libsnap::path_text(s, steps, &v.classes, internals));
  j.field("shape", libsnap::path_shape(s, steps, &v.classes, internals));
  j.key("steps").begin_array();
  for (const libsnap::ReadableStep& r : steps) {
    j.begin_object();
    j.field("edge_type", s.edge_type_name(r.step.edge));
    j.field("edge_name", s.edge_name(r.step.edge));
    j.field("kind", libsnap::step_kind_name(r.kind));
    j.field("name", r.name);
    j.field("text", r.text);
    j.field("internal", r.internal);
    j.key("node");
    write_node(j, v, r.step.to);
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

void write_seconds(JsonWriter& j, const NodeViews& v, double query_seconds) {
  j.key("seconds").begin_object();
  j.field("load", v.load_seconds).field("analyses", v.analysis_seconds);
  j.field("query", query_seconds);
  j.end_object();
}

}  // namespace analyzer
