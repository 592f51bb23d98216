// `analyzer retainers SNAPSHOT (--id ID | --class NAME)`: why a node (or a class) is alive — its
// retainer paths from the root, as people read them, and its dominator chain.
#include <algorithm>
#include <iostream>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "commands.hpp"
#include "libsnap/search.hpp"
#include "node_views.hpp"

namespace analyzer {
namespace {

libsnap::PathOptions path_options(const RetainersOptions& o, std::uint32_t k) {
  libsnap::PathOptions p;
  p.max_paths = k;
  p.max_depth = o.max_depth;
  return p;
}

std::string status_message(const NodeViews& v, libsnap::NodeOrdinal n,
                           const libsnap::PathSearch& found, const RetainersOptions& o) {
  switch (found.status) {
    case libsnap::PathStatus::kUnreachable:
      return v.label(n) + " is unreachable from the root (no retainers, or only weak ones)";
    case libsnap::PathStatus::kTooDeep:
      return v.label(n) + " has no retainer path within --max-depth " +
             std::to_string(o.max_depth) + " (its distance is " + distance_text(v.distance[n]) +
             ")";
    case libsnap::PathStatus::kOutOfBudget:
      return "the search for a path to " + v.label(n) + " ran out of its work budget";
    default:
      return {};
  }
}

int run_for_id(const NodeViews& v, const RetainersOptions& o) {
  const libsnap::Snapshot& s = v.snapshot;
  const libsnap::NodeOrdinal n = node_by_id(v, o.id, o.snapshot);
  const std::uint64_t start = now_ns();
  // Paths that differ only in hidden engine hops (an element edge from the array and the same
  // slot through its `elements` store) read the same: ask for more and keep distinct texts.
  const std::uint32_t wanted = o.paths == 0 ? 1 : std::min(o.paths, 255u);
  libsnap::PathSearch found = libsnap::find_retainer_paths(
      s, v.distance, n, path_options(o, wanted == 1 ? 1 : std::min(2 * wanted + 2, 255u)));
  {
    std::vector<libsnap::RetainerPath> distinct;
    std::unordered_set<std::string> texts;
    for (auto& p : found.paths) {
      if (distinct.size() == wanted) break;
      std::string text = libsnap::path_text(s, libsnap::describe_path(s, p), nullptr, o.internals);
      if (texts.insert(std::move(text)).second) distinct.push_back(std::move(p));
    }
    found.paths = std::move(distinct);
  }
  std::vector<libsnap::NodeOrdinal> chain = libsnap::dominator_chain(v.dominators, n);
  const double query_seconds = seconds_since(start);
  const bool ok =
      found.status == libsnap::PathStatus::kFound || found.status == libsnap::PathStatus::kIsRoot;

  if (o.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("target");
    write_node(j, v, n);
    j.field("status", libsnap::path_status_name(found.status));
    if (!ok) j.field("message", status_message(v, n, found, o));
    j.field("budget_exhausted", found.budget_exhausted);
    j.key("paths").begin_array();
    for (const auto& p : found.paths) write_path(j, v, p, o.internals);
    j.end_array();
    j.key("dominator_chain").begin_array();
    for (libsnap::NodeOrdinal d : chain) write_node(j, v, d);
    j.end_array();
    write_seconds(j, v, query_seconds);
    j.end_object();
  } else {
    std::cout << v.label(n) << "  self " << with_commas(s.self_size(n)) << " B, retained "
              << with_commas(v.retained(n)) << " B, distance " << distance_text(v.distance[n])
              << "\n";
    if (!ok) std::cerr << "analyzer: " << status_message(v, n, found, o) << "\n";
    for (std::size_t i = 0; i < found.paths.size(); ++i) {
      std::vector<libsnap::ReadableStep> steps = libsnap::describe_path(s, found.paths[i]);
      std::cout << "path " << i + 1 << " (" << found.paths[i].size()
                << " edges): " << libsnap::path_text(s, steps, &v.classes, o.internals, kTextSteps)
                << "\n";
    }
    if (found.budget_exhausted && ok)
      std::cout << "(the search stopped at its work budget: there may be more paths)\n";
    std::cout << "dominator chain:\n";
    print_chain(std::cout, v, chain);
  }
  return ok ? kExitOk : kExitBadInput;
}

struct Group {
  std::string shape;
  std::uint64_t count = 0;
  std::uint64_t retained = 0;
  libsnap::NodeOrdinal example = 0;
  libsnap::RetainerPath path;
};

int run_for_class(const NodeViews& v, const RetainersOptions& o) {
  const libsnap::Snapshot& s = v.snapshot;
  std::vector<libsnap::NodeOrdinal> all = libsnap::find_by_class(v.classes, o.class_name);
  if (all.empty())
    throw UsageError("no objects of class '" + o.class_name + "' in " + o.snapshot +
                     " (see analyzer find --name to search names)");
  const std::uint64_t start = now_ns();
  std::uint64_t self_total = 0;
  for (libsnap::NodeOrdinal n : all) self_total += s.self_size(n);
  const std::size_t instances = o.instances == 0 ? 200 : o.instances;
  std::vector<libsnap::NodeOrdinal> biggest =
      libsnap::biggest_first(all, v.dominators.retained_size, instances);

  // Nested instances (a list node under another) would count the same bytes twice.
  const std::vector<std::uint8_t> nested = libsnap::dominated_by_another(v.dominators, biggest);
  std::uint64_t examined_retained = 0;
  std::vector<Group> groups;
  std::unordered_map<std::string, std::size_t> by_shape;
  bool budget = false;
  for (std::size_t bi = 0; bi < biggest.size(); ++bi) {
    const libsnap::NodeOrdinal n = biggest[bi];
    libsnap::PathSearch found = libsnap::find_retainer_paths(s, v.distance, n, path_options(o, 1));
    budget = budget || found.budget_exhausted;
    std::string shape;
    if (found.status == libsnap::PathStatus::kFound) {
      shape = libsnap::path_shape(s, libsnap::describe_path(s, found.paths[0]), &v.classes,
                                  o.internals);
    } else {
      shape.append("(").append(libsnap::path_status_name(found.status)).append(")");
    }
    auto [it, fresh] = by_shape.emplace(shape, groups.size());
    if (fresh) {
      groups.push_back({shape, 0, 0, n, {}});
      if (!found.paths.empty()) groups.back().path = std::move(found.paths[0]);
    }
    Group& g = groups[it->second];
    ++g.count;
    if (!nested[bi]) {
      g.retained += v.retained(n);
      examined_retained += v.retained(n);
    }
  }
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.retained != b.retained ? a.retained > b.retained : a.count > b.count;
  });
  const std::size_t shown = std::min<std::size_t>(groups.size(), o.paths == 0 ? 10 : o.paths);
  const double query_seconds = seconds_since(start);

  if (o.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.field("class", o.class_name);
    j.field("count", static_cast<std::uint64_t>(all.size()));
    j.field("self_size", self_total);
    j.field("examined", static_cast<std::uint64_t>(biggest.size()));
    j.field("examined_retained_size", examined_retained);
    j.field("group_count", static_cast<std::uint64_t>(groups.size()));
    j.field("budget_exhausted", budget);
    j.key("groups").begin_array();
    for (std::size_t i = 0; i < shown; ++i) {
      const Group& g = groups[i];
      j.begin_object();
      j.field("shape", g.shape).field("count", g.count).field("retained_size", g.retained);
      j.key("example");
      write_node(j, v, g.example);
      j.key("path");
      if (g.path.empty())
        j.null();
      else
        write_path(j, v, g.path, o.internals);
      j.end_object();
    }
    j.end_array();
    write_seconds(j, v, query_seconds);
    j.end_object();
    return kExitOk;
  }
  std::cout << "class " << o.class_name << ": " << with_commas(all.size()) << " objects, self "
            << with_commas(self_total) << " B; the " << biggest.size()
            << " biggest by retained size (retaining " << with_commas(examined_retained)
            << " B) fall in " << groups.size() << " path shape" << (groups.size() == 1 ? "" : "s")
            << "\n";
  for (std::size_t i = 0; i < shown; ++i) {
    const Group& g = groups[i];
    std::cout << "\n"
              << with_commas(g.count) << " object" << (g.count == 1 ? "" : "s") << ", retained "
              << with_commas(g.retained) << " B:  " << g.shape << "\n";
    if (!g.path.empty())
      std::cout << "  e.g. "
                << libsnap::path_text(s, libsnap::describe_path(s, g.path), &v.classes, o.internals,
                                      kTextSteps)
                << "\n";
    else
      std::cout << "  e.g. " << v.label(g.example) << "\n";
  }
  if (groups.size() > shown)
    std::cout << "\n(" << groups.size() - shown << " more shapes; --paths N shows more)\n";
  return kExitOk;
}

}  // namespace

int run_retainers(const RetainersOptions& options) {
  if (options.has_id == !options.class_name.empty())
    throw UsageError("retainers: give exactly one of --id ID or --class NAME");
  NodeViews v = load_views(options.snapshot, options.common);
  return options.has_id ? run_for_id(v, options) : run_for_class(v, options);
}

}  // namespace analyzer
