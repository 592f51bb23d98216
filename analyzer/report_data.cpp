#include "report_data.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <queue>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "findings_report.hpp"
#include "json_writer.hpp"
#include "libsnap/analysis.hpp"
#include "libsnap/diff.hpp"
#include "libsnap/growth.hpp"
#include "libsnap/paths.hpp"
#include "libsnap/search.hpp"

namespace analyzer {
namespace {

using libsnap::NodeOrdinal;

// Strings from snapshots repeat (class names, edge names): each is written once.
class StringTable {
 public:
  std::uint32_t intern(std::string_view s) {
    auto [it, added] = index_.try_emplace(std::string(s), static_cast<std::uint32_t>(list_.size()));
    if (added) list_.push_back(&it->first);
    return it->second;
  }
  void write(JsonWriter& j) const {
    j.begin_array();
    for (const std::string* s : list_) j.value(*s);
    j.end_array();
  }

 private:
  std::unordered_map<std::string, std::uint32_t> index_;
  std::vector<const std::string*> list_;  // keys of index_ (node-based map: stable addresses)
};

// At most `max_chars` code points of `s`, then "…". Cuts only at code point boundaries.
std::string cut(std::string_view s, std::size_t max_chars) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool lead = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (lead && ++seen > max_chars) {
      std::string out(s.substr(0, i));
      out += "…";
      return out;
    }
  }
  return std::string(s);
}

// Status lines on stderr when it is a terminal and not --quiet.
class Progress {
 public:
  explicit Progress(const CommonOptions& common)
      : show_(!common.quiet && ::isatty(STDERR_FILENO)) {}
  void say(const std::string& what) {
    if (show_) std::fprintf(stderr, "\r\033[Kreport: %s", what.c_str());
  }
  ~Progress() {
    if (show_) std::fprintf(stderr, "\r\033[K");
  }

 private:
  bool show_;
};

// Dominated children not embedded, of one class: how many, and what they retain.
struct ClassShare {
  std::uint32_t class_index;
  std::uint64_t count = 0;
  std::uint64_t retained = 0;
};

// One embedded dominator-tree node.
struct TreeNode {
  NodeOrdinal node = 0;
  std::int32_t parent = -1;      // index in the tree, -1 for the root
  std::uint32_t depth = 0;       // below the root
  std::uint64_t more_count = 0;  // dominated children not embedded
  std::uint64_t more_retained = 0;
  std::vector<ClassShare> more_by_class;  // the same, by class, biggest first
  std::int32_t path = -1;                 // index in "paths"
};

// The biggest part of the dominator tree: nodes taken biggest retained size first (a heap over
// the children of the nodes taken so far), so a huge tree and a 400k-deep chain cost no more
// than `limit` pops and no recursion; below `tree_depth` levels nothing is embedded (a long
// chain would use up the budget one link at a time). Every child left out is summed on its
// parent, in total and by class (a node's many small children read as "38,000 Customer").
std::vector<TreeNode> biggest_subtree(const libsnap::Snapshot& s, const libsnap::Analysis& a,
                                      const ReportLimits& limits) {
  const libsnap::DominatorTree& t = a.dominators;
  struct Candidate {
    std::uint64_t retained;
    NodeOrdinal node;
    std::int32_t parent;
    bool operator<(const Candidate& o) const {
      return retained != o.retained ? retained < o.retained : node > o.node;
    }
  };
  const std::uint64_t total = t.retained_size[s.root()];
  // Children below this share of the total are never drawn: sum them at once.
  const std::uint64_t floor = std::max<std::uint64_t>(1, total / 200000);
  std::vector<TreeNode> tree;
  std::priority_queue<Candidate> heap;
  heap.push({total, s.root(), -1});
  std::vector<NodeOrdinal> kids;
  std::unordered_map<std::uint32_t, std::size_t> share_of;  // class -> index in more_by_class
  auto leave_out = [&](TreeNode& here, NodeOrdinal k) {
    ++here.more_count;
    here.more_retained += t.retained_size[k];
    const std::uint32_t c = a.classes.class_of[k];
    auto [it, added] = share_of.try_emplace(c, here.more_by_class.size());
    if (added) here.more_by_class.push_back({c, 0, 0});
    here.more_by_class[it->second].count += 1;
    here.more_by_class[it->second].retained += t.retained_size[k];
  };
  // Shares of candidates left in the heap at the end, added to their parents afterwards.
  std::vector<std::pair<std::int32_t, NodeOrdinal>> late;
  while (!heap.empty() && tree.size() < limits.tree_nodes) {
    const Candidate c = heap.top();
    heap.pop();
    const auto index = static_cast<std::int32_t>(tree.size());
    const std::uint32_t depth =
        c.parent < 0 ? 0 : tree[static_cast<std::size_t>(c.parent)].depth + 1;
    TreeNode added;
    added.node = c.node;
    added.parent = c.parent;
    added.depth = depth;
    tree.push_back(std::move(added));
    kids.clear();
    share_of.clear();
    TreeNode& here = tree.back();
    for (std::uint32_t i = t.first_dominated[c.node]; i < t.first_dominated[c.node + 1]; ++i) {
      const NodeOrdinal k = t.dominated[i];
      if (t.retained_size[k] >= floor && depth < limits.tree_depth)
        kids.push_back(k);
      else
        leave_out(here, k);
    }
    const std::size_t keep = std::min<std::size_t>(kids.size(), limits.children_per_node);
    auto bigger = [&](NodeOrdinal x, NodeOrdinal y) {
      return t.retained_size[x] != t.retained_size[y] ? t.retained_size[x] > t.retained_size[y]
                                                      : x < y;
    };
    std::partial_sort(kids.begin(), kids.begin() + static_cast<std::ptrdiff_t>(keep), kids.end(),
                      bigger);
    for (std::size_t i = keep; i < kids.size(); ++i) leave_out(here, kids[i]);
    for (std::size_t i = 0; i < keep; ++i) heap.push({t.retained_size[kids[i]], kids[i], index});
  }
  // Candidates that did not fit count on their parents.
  while (!heap.empty()) {
    late.emplace_back(heap.top().parent, heap.top().node);
    heap.pop();
  }
  std::sort(late.begin(), late.end());  // by parent, so each parent's class index is built once
  for (std::size_t i = 0; i < late.size(); ++i) {
    TreeNode& parent = tree[static_cast<std::size_t>(late[i].first)];
    if (i == 0 || late[i - 1].first != late[i].first) {
      share_of.clear();
      for (std::size_t k = 0; k < parent.more_by_class.size(); ++k)
        share_of.emplace(parent.more_by_class[k].class_index, k);
    }
    leave_out(parent, late[i].second);
  }
  // Biggest shares first; only the first few are embedded.
  for (TreeNode& tn : tree) {
    std::vector<ClassShare>& m = tn.more_by_class;
    const std::size_t keep = std::min<std::size_t>(m.size(), limits.classes_per_node);
    std::partial_sort(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(keep), m.end(),
                      [](const ClassShare& x, const ClassShare& y) {
                        return x.retained != y.retained ? x.retained > y.retained
                                                        : x.class_index < y.class_index;
                      });
    m.resize(keep);
  }
  return tree;
}

// A retainer path as embedded: its text, and the shown steps as (text, node) references.
struct PathData {
  std::uint32_t node = 0;
  libsnap::PathStatus status = libsnap::PathStatus::kUnreachable;
  std::uint64_t length = 0;
  std::string text;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> steps;
  std::uint64_t elided = 0;  // shown steps left out in the middle
};

// The last snapshot in detail: header, statistics, tree, classes, paths, and the table of the
// nodes all of them refer to.
class DetailWriter {
 public:
  DetailWriter(const libsnap::Snapshot& s, const libsnap::Analysis& a, StringTable& strings,
               const ReportLimits& limits)
      : s_(s), a_(a), strings_(strings), limits_(limits) {}

  // Writes "current" and "nodes" (two keys of the open top-level object).
  void write(JsonWriter& j, const std::string& file) {
    j.key("current").begin_object();
    write_header(j, file);
    write_statistics(j);
    std::vector<TreeNode> tree = biggest_subtree(s_, a_, limits_);
    std::vector<std::int32_t> biggest;
    choose_paths(tree, biggest);
    write_tree(j, tree);
    write_classes(j);
    j.key("biggest").begin_array();
    for (std::int32_t p : biggest) j.value(std::int64_t{p});
    j.end_array();
    j.key("paths").begin_array();
    for (const PathData& p : paths_) {
      j.begin_object();
      j.field("node", p.node);
      j.field("status", libsnap::path_status_name(p.status));
      if (p.status == libsnap::PathStatus::kFound) {
        j.field("length", p.length).field("text", p.text);
        j.key("steps").begin_array();
        for (const auto& [text, node] : p.steps)
          j.begin_array().value(text).value(node).end_array();
        j.end_array();
        j.field("elided", p.elided);
      }
      j.end_object();
    }
    j.end_array();
    j.end_object();
    write_nodes(j);
  }

 private:
  std::uint32_t ref(NodeOrdinal n) {
    auto [it, added] = refs_.try_emplace(n, static_cast<std::uint32_t>(nodes_.size()));
    if (added) nodes_.push_back(n);
    return it->second;
  }
  std::uint32_t str(std::string_view v) { return strings_.intern(v); }
  std::uint32_t cls(NodeOrdinal n) { return str(a_.classes.name[a_.classes.class_of[n]]); }

  void write_header(JsonWriter& j, const std::string& file) {
    const libsnap::SnapshotMeta& m = s_.meta();
    j.key("header").begin_object();
    j.field("file", file);
    j.field("file_size", m.file_size);
    j.field("format", libsnap::format_generation_name(m.generation));
    j.field("title", m.title);
    j.field("node_count", s_.node_count());
    j.field("edge_count", s_.edge_count());
    j.field("string_count", s_.string_count());
    j.field("total_size", a_.statistics.total);
    j.field("total_self_size", s_.total_self_size());
    j.key("extra_native_bytes");
    if (m.has_extra_native_bytes)
      j.value(m.extra_native_bytes);
    else
      j.null();
    j.end_object();
  }

  void write_statistics(JsonWriter& j) {
    const libsnap::Statistics& st = a_.statistics;
    j.key("statistics").begin_object();
    j.field("total", st.total).field("native", st.native_total);
    j.field("typed_arrays", st.typed_arrays).field("v8heap", st.v8heap_total);
    j.field("code", st.code).field("js_arrays", st.js_arrays);
    j.field("strings", st.strings).field("system", st.system);
    j.end_object();
  }

  // Full paths for the biggest user objects, short ones for the biggest tree nodes (what the
  // side panel shows first). Paths are computed here, while the snapshot is loaded. A node that
  // keeps nearly all (90%) of what its dominator keeps, when that one is listed already, is the
  // same memory again (the next link of a chain): it is not listed. The tree lists parents
  // before children, so one pass decides.
  void choose_paths(std::vector<TreeNode>& tree, std::vector<std::int32_t>& biggest) {
    const std::vector<std::uint64_t>& retained = a_.dominators.retained_size;
    std::vector<std::uint8_t> listed(tree.size(), 0);  // listed, or the same memory as one
    std::size_t short_paths = 0;
    for (std::size_t i = 0; i < tree.size(); ++i) {
      TreeNode& tn = tree[i];
      const std::int32_t d = a_.distance[tn.node];
      const bool reachable = d >= 1 && d < libsnap::kBaseSystemDistance;
      const bool user = d >= 2 && reachable && libsnap::is_user_object(s_, tn.node);
      const auto parent = static_cast<std::size_t>(tn.parent);
      const bool repeat = tn.parent >= 0 && listed[parent] &&
                          retained[tn.node] * 10 >= retained[tree[parent].node] * 9;
      if (user && !repeat && biggest.size() < limits_.biggest) {
        tn.path = add_path(tn.node, /*full=*/true);
        biggest.push_back(tn.path);
        listed[i] = 1;
      } else {
        listed[i] = repeat;
        if (short_paths < limits_.side_paths && reachable) {
          tn.path = add_path(tn.node, /*full=*/false);
          ++short_paths;
        }
      }
    }
  }

  std::int32_t add_path(NodeOrdinal n, bool full) {
    libsnap::PathOptions po;
    // Short paths are a convenience of the side panel: a small budget bounds their total cost.
    if (!full) po.max_work = 100'000;
    const libsnap::PathSearch found = libsnap::find_retainer_paths(s_, a_.distance, n, po);
    PathData p;
    p.node = ref(n);
    p.status = found.status;
    if (!found.paths.empty()) {
      const libsnap::RetainerPath& path = found.paths.front();
      const std::vector<libsnap::ReadableStep> steps = libsnap::describe_path(s_, path);
      p.status = libsnap::PathStatus::kFound;
      p.length = path.size();
      p.text = cut(libsnap::path_text(s_, steps, &a_.classes, false, full ? 40 : 12),
                   limits_.text_chars);
      // The shown steps, each with the node it reaches: the first and last 20 of a long path.
      std::vector<const libsnap::ReadableStep*> shown;
      if (full)
        for (const libsnap::ReadableStep& r : steps)
          if (!r.internal) shown.push_back(&r);
      constexpr std::size_t keep = 40;
      for (std::size_t i = 0; i < shown.size(); ++i) {
        if (shown.size() > keep && i == keep / 2) {
          p.elided = shown.size() - keep;
          i = shown.size() - keep / 2;
        }
        p.steps.emplace_back(str(cut(shown[i]->text, limits_.name_chars)), ref(shown[i]->step.to));
      }
    }
    paths_.push_back(std::move(p));
    return static_cast<std::int32_t>(paths_.size() - 1);
  }

  void write_tree(JsonWriter& j, const std::vector<TreeNode>& tree) {
    const libsnap::Retainers& ret = s_.retainers();
    const std::vector<std::uint64_t>& retained = a_.dominators.retained_size;
    std::vector<libsnap::EdgeIndex> order;
    std::vector<std::size_t> in_order;
    j.key("tree").begin_array();
    for (const TreeNode& tn : tree) {
      const NodeOrdinal n = tn.node;
      j.begin_array();
      j.value(ref(n)).value(std::int64_t{tn.parent}).value(tn.more_count).value(tn.more_retained);
      // Outgoing edges, biggest target first (ties: edge order).
      order.clear();
      for (libsnap::EdgeIndex e = s_.first_edge(n); e < s_.first_edge(n + 1); ++e)
        order.push_back(e);
      const std::size_t keep = std::min<std::size_t>(order.size(), limits_.edges_per_node);
      std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(keep),
                        order.end(), [&](libsnap::EdgeIndex x, libsnap::EdgeIndex y) {
                          const std::uint64_t rx = retained[s_.edge_target(x)];
                          const std::uint64_t ry = retained[s_.edge_target(y)];
                          return rx != ry ? rx > ry : x < y;
                        });
      j.value(static_cast<std::uint64_t>(order.size()));
      j.begin_array();
      for (std::size_t i = 0; i < keep; ++i) write_edge(j, order[i], s_.edge_target(order[i]));
      j.end_array();
      // Retainers closest to the root first, weak edges and unreachable retainers last (as
      // `analyzer inspect`): the first is the one a shortest path goes through.
      const std::span<const libsnap::EdgeIndex> in_edges = ret.edges_of(n);
      const std::span<const NodeOrdinal> in_nodes = ret.nodes_of(n);
      in_order.resize(in_edges.size());
      for (std::size_t i = 0; i < in_order.size(); ++i) in_order[i] = i;
      auto rank = [&](std::size_t i) -> std::int64_t {
        const std::int32_t d = a_.distance[in_nodes[i]];
        const bool weak = s_.edge_type(in_edges[i]) == libsnap::EdgeType::kWeak;
        return (d == libsnap::kNoDistance ? std::int64_t{1} << 40 : d) +
               (weak ? std::int64_t{1} << 41 : 0);
      };
      const std::size_t keep_in = std::min<std::size_t>(in_order.size(), limits_.edges_per_node);
      std::partial_sort(in_order.begin(), in_order.begin() + static_cast<std::ptrdiff_t>(keep_in),
                        in_order.end(), [&](std::size_t x, std::size_t y) {
                          const std::int64_t rx = rank(x), ry = rank(y);
                          return rx != ry ? rx < ry : x < y;
                        });
      j.value(static_cast<std::uint64_t>(in_order.size()));
      j.begin_array();
      for (std::size_t i = 0; i < keep_in; ++i)
        write_edge(j, in_edges[in_order[i]], in_nodes[in_order[i]]);
      j.end_array();
      j.value(std::int64_t{tn.path});
      j.begin_array();
      for (const ClassShare& m : tn.more_by_class) {
        j.begin_array().value(str(cut(a_.classes.name[m.class_index], limits_.name_chars)));
        j.value(m.count).value(m.retained).end_array();
      }
      j.end_array();
      j.end_array();
    }
    j.end_array();
  }

  // [type, name, node]: the edge's type and name, and the node at its other end.
  void write_edge(JsonWriter& j, libsnap::EdgeIndex e, NodeOrdinal other) {
    j.begin_array();
    j.value(str(s_.edge_type_name(e)));
    j.value(str(cut(s_.edge_name(e), limits_.name_chars)));
    j.value(ref(other));
    j.end_array();
  }

  void write_classes(JsonWriter& j) {
    const std::vector<libsnap::ClassAggregate>& rows = a_.summary;  // by retained, descending
    std::uint64_t count = 0;
    for (const libsnap::ClassAggregate& c : rows) count += c.count;
    j.key("classes").begin_object();
    j.field("total_count", count);
    j.key("rows").begin_array();
    const std::size_t shown = std::min<std::size_t>(rows.size(), limits_.classes);
    for (std::size_t i = 0; i < shown; ++i) {
      const libsnap::ClassAggregate& c = rows[i];
      const std::string& name = a_.classes.name[c.class_index];
      const std::string& key = a_.classes.key[c.class_index];
      j.begin_array();
      j.value(str(cut(name, limits_.name_chars)));
      // The key only where it says more than the name (a constructor location).
      if (key.size() == name.size() + 1 && key[0] == ',' && key.compare(1, name.size(), name) == 0)
        j.null();
      else
        j.value(str(cut(key, limits_.name_chars)));
      j.value(c.count).value(c.shallow_size).value(c.retained_size);
      j.value(std::int64_t{c.min_distance});
      j.end_array();
    }
    j.end_array();
    std::uint64_t more_count = 0, more_shallow = 0, more_retained = 0;
    for (std::size_t i = shown; i < rows.size(); ++i) {
      more_count += rows[i].count;
      more_shallow += rows[i].shallow_size;
      more_retained += rows[i].retained_size;  // an upper bound: classes may nest
    }
    j.key("others").begin_array();
    j.value(static_cast<std::uint64_t>(rows.size() - shown));
    j.value(more_count).value(more_shallow).value(more_retained);
    j.end_array();
    j.end_object();
  }

  // Every node referred to so far. Names of strings are their values (cut); plain objects read
  // "{a, b, …}" as in DevTools.
  void write_nodes(JsonWriter& j) {
    j.key("nodes").begin_array();
    for (std::size_t i = 0; i < nodes_.size(); ++i) {  // (ref() is not called from here on)
      const NodeOrdinal n = nodes_[i];
      std::string name = libsnap::is_string_node(s_, n)
                             ? libsnap::string_value(s_, n, limits_.name_chars * 4)
                             : libsnap::node_display_name(s_, n, a_.detachedness);
      j.begin_array();
      j.value(s_.node_id(n));
      j.value(str(s_.node_type_name(n)));
      j.value(cls(n));
      j.value(str(cut(name, limits_.name_chars)));
      j.value(std::uint64_t{a_.shallow_size[n]});
      j.value(a_.dominators.retained_size[n]);
      j.value(std::int64_t{a_.distance[n]});
      j.end_array();
    }
    j.end_array();
  }

  const libsnap::Snapshot& s_;
  const libsnap::Analysis& a_;
  StringTable& strings_;
  const ReportLimits& limits_;
  std::unordered_map<NodeOrdinal, std::uint32_t> refs_;
  std::vector<NodeOrdinal> nodes_;
  std::vector<PathData> paths_;
};

// One snapshot in numbers, for the list of snapshots.
struct SnapshotFacts {
  std::uint32_t node_count = 0, edge_count = 0;
  std::uint64_t object_count = 0, total_size = 0;
  libsnap::FormatGeneration generation = libsnap::FormatGeneration::kV8_11_to_12;
};

SnapshotFacts facts_of(const libsnap::Snapshot& s, const libsnap::Analysis& a) {
  SnapshotFacts f;
  f.node_count = s.node_count();
  f.edge_count = s.edge_count();
  for (const libsnap::ClassAggregate& c : a.summary) f.object_count += c.count;
  f.total_size = a.statistics.total;
  f.generation = s.meta().generation;
  return f;
}

// Classes across the series, from the diff sides (the Summary's rows of every snapshot): the
// biggest by retained size at any point, then the ones whose shallow size changed most from the
// first snapshot to the last.
void write_class_series(JsonWriter& j, const std::vector<libsnap::DiffSide>& sides,
                        StringTable& strings, const ReportLimits& limits) {
  const std::size_t points = sides.size();
  struct Row {
    std::string key, name;
    std::vector<std::uint64_t> count, shallow, retained;
  };
  std::vector<Row> rows;
  std::unordered_map<std::string, std::size_t> by_key;
  for (std::size_t p = 0; p < points; ++p) {
    const libsnap::DiffSide& side = sides[p];
    for (std::size_t c = 0; c < side.key.size(); ++c) {
      auto [it, added] = by_key.try_emplace(side.key[c], rows.size());
      if (added) {
        rows.push_back({side.key[c], side.name[c], std::vector<std::uint64_t>(points, 0),
                        std::vector<std::uint64_t>(points, 0),
                        std::vector<std::uint64_t>(points, 0)});
      }
      Row& r = rows[it->second];
      r.count[p] = side.first[c + 1] - side.first[c];
      std::uint64_t bytes = 0;
      for (std::uint32_t i = side.first[c]; i < side.first[c + 1]; ++i) bytes += side.sizes[i];
      r.shallow[p] = bytes;
      r.retained[p] = side.retained_size[c];
    }
  }
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto peak = [&](std::size_t i) {
    return *std::max_element(rows[i].retained.begin(), rows[i].retained.end());
  };
  auto change = [&](std::size_t i) {
    const std::uint64_t a = rows[i].shallow.front(), b = rows[i].shallow.back();
    return a > b ? a - b : b - a;
  };
  auto by = [&](auto score) {
    return [&, score](std::size_t x, std::size_t y) {
      const std::uint64_t sx = score(x), sy = score(y);
      return sx != sy ? sx > sy : rows[x].key < rows[y].key;
    };
  };
  const std::size_t total = std::min<std::size_t>(rows.size(), limits.series_classes);
  const std::size_t first = std::min<std::size_t>(total, (total * 2 + 2) / 3);
  std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(first), order.end(),
                    by(peak));
  std::partial_sort(order.begin() + static_cast<std::ptrdiff_t>(first),
                    order.begin() + static_cast<std::ptrdiff_t>(total), order.end(), by(change));
  j.key("series").begin_object();
  j.key("classes").begin_array();
  for (std::size_t k = 0; k < total; ++k) {
    const Row& r = rows[order[k]];
    j.begin_object();
    j.field("name", strings.intern(cut(r.name, limits.name_chars)));
    j.field("key", strings.intern(cut(r.key, limits.name_chars)));
    for (const auto& [name, values] :
         {std::pair<const char*, const std::vector<std::uint64_t>*>{"count", &r.count},
          {"shallow", &r.shallow},
          {"retained", &r.retained}}) {
      j.key(name).begin_array();
      for (const std::uint64_t v : *values) j.value(v);
      j.end_array();
    }
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

// The pairs diffed: every pair of a series of up to all_pairs_max snapshots; else each step,
// the first against each later one and each against the last.
std::vector<std::pair<std::size_t, std::size_t>> diff_pairs(std::size_t n,
                                                            const ReportLimits& limits) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = a + 1; b < n; ++b) {
      if (n <= limits.all_pairs_max || b == a + 1 || a == 0 || b == n - 1) pairs.emplace_back(a, b);
    }
  }
  return pairs;
}

void write_diffs(JsonWriter& j, const std::vector<libsnap::DiffSide>& sides, StringTable& strings,
                 const ReportLimits& limits) {
  const std::vector<std::pair<std::size_t, std::size_t>> pairs = diff_pairs(sides.size(), limits);
  // Rows per diff shrink as pairs multiply, so that all diffs together stay bounded.
  const std::size_t rows = std::clamp<std::size_t>(limits.diff_rows_total / pairs.size(),
                                                   limits.diff_rows_min, limits.diff_rows);
  j.key("diffs").begin_array();
  for (const auto& [before, after] : pairs) {
    const libsnap::SnapshotDiff d = libsnap::diff(sides[before], sides[after]);
    j.begin_object();
    j.field("before", static_cast<std::uint64_t>(before));
    j.field("after", static_cast<std::uint64_t>(after));
    j.field("survivors", d.survivors);
    j.key("warnings").begin_array();
    for (const std::string& w : libsnap::identity_warnings(d)) j.value(w);
    j.end_array();
    j.field("class_count", static_cast<std::uint64_t>(d.classes.size()));
    j.key("rows").begin_array();
    for (std::size_t i = 0; i < d.classes.size() && i < rows; ++i) {
      const libsnap::ClassDiff& c = d.classes[i];
      j.begin_array();
      j.value(strings.intern(cut(c.name, limits.name_chars)));
      j.value(c.new_count).value(c.deleted_count).value(c.delta_count);
      j.value(c.alloc_size).value(c.freed_size).value(c.delta_size);
      j.value(c.retained_delta).value(c.survivors);
      j.end_array();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
}

void write_growth(JsonWriter& j, const libsnap::GrowthReport& report,
                  std::span<const libsnap::SeriesEntry> series, const ReportLimits& limits) {
  j.key("growth").begin_object();
  j.key("points").begin_array();
  for (const libsnap::SeriesEntry& p : report.points) {
    std::size_t index = 0;
    while (index < series.size() && series[index].path != p.path) ++index;
    j.value(static_cast<std::uint64_t>(index));
  }
  j.end_array();
  j.key("findings").begin_array();
  for (const libsnap::Finding& f : report.findings) {
    j.begin_object();
    j.field("rank", f.rank);
    j.field("kind", libsnap::finding_kind_name(f.kind));
    j.field("sentence", cut(finding_sentence(f, "step"), limits.text_chars));
    j.key("container").begin_object();
    j.field("id", f.container.id).field("class", f.container.class_name);
    j.key("path").begin_array();
    for (const std::string& step : f.container.path) j.value(cut(step, limits.name_chars));
    j.end_array();
    j.field("path_text", cut(f.container.path_text, limits.text_chars));
    j.end_object();
    j.key("classes").begin_array();
    for (const libsnap::ClassGrowth& c : f.classes) {
      j.begin_object().field("name", cut(c.name, limits.name_chars));
      j.field("objects_per_step", c.objects_per_step).field("bytes_per_step", c.bytes_per_step);
      j.end_object();
    }
    j.end_array();
    j.field("measure", f.measure);
    j.field("objects_per_step", f.objects_per_step).field("bytes_per_step", f.bytes_per_step);
    j.field("retained_bytes", f.retained_bytes);
    j.key("series").begin_array();
    for (const std::int64_t v : f.series) j.value(v);
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.end_object();
}

}  // namespace

std::string collect_report_data(std::span<const libsnap::SeriesEntry> series,
                                const CommonOptions& common, const ReportLimits& limits) {
  if (series.empty()) throw UsageError("report needs at least one snapshot");
  const std::size_t n = series.size();
  Progress progress(common);
  StringTable strings;
  std::ostringstream out;
  JsonWriter j(out);
  j.begin_object();
  j.field("version", 1);
  std::vector<SnapshotFacts> facts(n);
  std::vector<libsnap::DiffSide> sides(n >= 2 ? n : 0);
  std::vector<libsnap::InterfaceDefinition> interfaces;

  // The last snapshot first, in detail, while it is loaded; then its diff side and interfaces.
  {
    const libsnap::SeriesEntry& last = series.back();
    const libsnap::Snapshot s = load_snapshot(last.path, common);
    progress.say("analyzing " + last.path);
    const libsnap::Analysis a = libsnap::analyze(s);
    progress.say("summarizing " + last.path);
    DetailWriter(s, a, strings, limits).write(j, last.path);
    facts[n - 1] = facts_of(s, a);
    if (n >= 2) {
      sides[n - 1] = libsnap::diff_side(s, a);
      interfaces = libsnap::infer_interface_definitions(s);
    }
  }
  // The others, one at a time, with the last one's plain-object interfaces so that `{a, b}`
  // classes line up across the series (for a pair that ends with the last snapshot this is
  // exactly DevTools' Comparison).
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const libsnap::Snapshot s = load_snapshot(series[i].path, common);
    progress.say("analyzing " + series[i].path);
    libsnap::AnalysisOptions ao;
    ao.interfaces = &interfaces;
    const libsnap::Analysis a = libsnap::analyze(s, ao);
    facts[i] = facts_of(s, a);
    sides[i] = libsnap::diff_side(s, a);
  }

  j.key("snapshots").begin_array();
  for (std::size_t i = 0; i < n; ++i) {
    j.begin_object();
    j.field("file", series[i].path).field("label", series[i].label);
    j.field("round", series[i].round);
    j.field("node_count", facts[i].node_count).field("edge_count", facts[i].edge_count);
    j.field("object_count", facts[i].object_count).field("total_size", facts[i].total_size);
    j.field("format", libsnap::format_generation_name(facts[i].generation));
    j.end_object();
  }
  j.end_array();

  if (n >= 2) {
    progress.say("comparing " + std::to_string(n) + " snapshots");
    write_class_series(j, sides, strings, limits);
    write_diffs(j, sides, strings, limits);
  }
  sides.clear();
  if (n >= 3) {
    progress.say("finding growth over " + std::to_string(n) + " snapshots");
    try {
      write_growth(j, libsnap::find_growth(series), series, limits);
    } catch (const libsnap::SeriesError& e) {
      throw UsageError(e.what());
    }
  }
  // Last, the strings everything above refers to.
  j.key("strings");
  strings.write(j);
  j.end_object();
  return out.str();
}

}  // namespace analyzer
