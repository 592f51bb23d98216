// Series of snapshots: resolving files and manifests, the engine-internals rule, fan-out
// cardinality, the trend test, and the helpers leaks.cpp and growth.cpp share.
#include "libsnap/series.hpp"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <string_view>
#include <utility>

#include "libsnap/paths.hpp"
#include "compare/series_support.hpp"

namespace libsnap {
namespace fs = std::filesystem;

namespace {

bool snapshot_file_name(const std::string& name) {
  auto ends = [&](std::string_view suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".heapsnapshot") || ends(".heapsnapshot.gz");
}

std::vector<SeriesEntry> from_manifest(const fs::path& dir, const fs::path& manifest) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.load(manifest.string()).get(doc))
    throw SeriesError(manifest.string() + ": not valid JSON");
  simdjson::dom::array snapshots;
  if (doc["snapshots"].get_array().get(snapshots))
    throw SeriesError(manifest.string() + ": expected a \"snapshots\" array");
  std::vector<std::pair<std::int64_t, SeriesEntry>> rows;
  for (simdjson::dom::element s : snapshots) {
    std::string_view file;
    if (s["file"].get_string().get(file))
      throw SeriesError(manifest.string() + ": a snapshot without a \"file\" string");
    SeriesEntry e;
    e.path = (dir / std::string(file)).string();
    std::string_view label;
    if (!s["label"].get_string().get(label)) e.label = std::string(label);
    std::int64_t round = -1;
    if (!s["round"].get_int64().get(round)) e.round = static_cast<int>(round);
    std::int64_t index = 0;
    if (s["index"].get_int64().get(index)) index = static_cast<std::int64_t>(rows.size());
    rows.emplace_back(index, std::move(e));
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<SeriesEntry> out;
  for (auto& r : rows) out.push_back(std::move(r.second));
  return out;
}

}  // namespace

std::vector<SeriesEntry> resolve_series(std::span<const std::string> arguments) {
  std::vector<SeriesEntry> out;
  if (arguments.size() == 1 && fs::is_directory(arguments[0])) {
    const fs::path dir(arguments[0]);
    const fs::path manifest = dir / "manifest.json";
    if (fs::is_regular_file(manifest)) {
      out = from_manifest(dir, manifest);
    } else {
      std::vector<std::string> names;
      for (const fs::directory_entry& d : fs::directory_iterator(dir)) {
        if (d.is_regular_file() && snapshot_file_name(d.path().filename().string()))
          names.push_back(d.path().string());
      }
      std::sort(names.begin(), names.end());
      for (std::string& n : names) out.push_back({std::move(n), "", -1});
    }
    if (out.empty()) throw SeriesError(arguments[0] + ": no .heapsnapshot files in this directory");
  } else {
    for (const std::string& a : arguments) out.push_back({a, "", -1});
  }
  for (const SeriesEntry& e : out) {
    std::error_code ec;
    if (!fs::is_regular_file(e.path, ec)) throw SeriesError(e.path + ": no such file");
  }
  return out;
}

std::vector<SeriesEntry> end_of_round_points(std::span<const SeriesEntry> series) {
  std::vector<SeriesEntry> points;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const bool last_of_round =
        series[i].round >= 0 && (i + 1 == series.size() || series[i + 1].round != series[i].round);
    if (series[i].round < 0) return {series.begin(), series.end()};
    if (last_of_round) points.push_back(series[i]);
  }
  if (points.size() < 3) return {series.begin(), series.end()};
  return points;
}

bool is_user_object(const Snapshot& snapshot, NodeOrdinal node) {
  const NodeType t = snapshot.node_type(node);
  if (t != NodeType::kObject && t != NodeType::kClosure && t != NodeType::kRegExp) return false;
  return !snapshot.node_name(node).starts_with("system /");
}

namespace {

bool internal_target(const Snapshot& s, NodeOrdinal n) {
  const NodeType t = s.node_type(n);
  return t == NodeType::kCode || t == NodeType::kObjectShape || t == NodeType::kHidden ||
         t == NodeType::kSynthetic || s.node_name(n).starts_with("system /");
}

bool is_store_edge(const Snapshot& s, EdgeIndex e) {
  if (s.edge_type(e) != EdgeType::kInternal) return false;
  const NodeOrdinal t = s.edge_target(e);
  const NodeType tt = s.node_type(t);
  if (tt != NodeType::kArray && tt != NodeType::kHidden && tt != NodeType::kObject) return false;
  const std::string_view n = s.string(s.edge_name_or_index(e));
  return n == "table" || n == "elements" || n == "properties";
}

bool numbered(std::string_view name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Counts the held targets among `n`'s own edges (`store`: n is a backing store).
// The first entry slot of a Map's OrderedHashMap table, told from its size: the table is
// [3 header slots][buckets][capacity = 2 x buckets entries of (key, value, chain)], so its length
// is 3 + 7 x buckets; slots are 8 bytes (4 with pointer compression) after a 16 (8) byte header.
// 0 when the size fits neither layout.
std::uint32_t map_entries_start(const Snapshot& s, NodeOrdinal table) {
  const std::uint64_t size = s.self_size(table);
  for (const auto& [header, slot] : {std::pair<std::uint64_t, std::uint64_t>{16, 8}, {8, 4}}) {
    if (size <= header || (size - header) % slot) continue;
    const std::uint64_t length = (size - header) / slot;
    if (length >= 10 && (length - 3) % 7 == 0)
      return static_cast<std::uint32_t>(3 + (length - 3) / 7);
  }
  return 0;
}

// Counts the held targets among `n`'s own edges (`store`: n is a backing store). With
// `map_entries` > 0, n is a Map's table and only the value slot of each entry counts (a Map
// entry is one thing, whether or not its key is a heap object).
std::uint32_t held(const Snapshot& s, NodeOrdinal n, bool store, std::uint32_t map_entries = 0) {
  std::uint32_t count = 0;
  for (EdgeIndex e = s.first_edge(n); e < s.first_edge(n + 1); ++e) {
    const EdgeType t = s.edge_type(e);
    const NodeOrdinal target = s.edge_target(e);
    if (internal_target(s, target)) continue;
    if (t == EdgeType::kElement) {
      ++count;
    } else if (t == EdgeType::kProperty) {
      const std::string_view name = s.string(s.edge_name_or_index(e));
      if (name != "__proto__" && name != "constructor") ++count;
    } else if (store && t == EdgeType::kInternal) {
      const std::string_view name = s.string(s.edge_name_or_index(e));
      if (!numbered(name)) continue;
      if (map_entries) {
        const std::uint64_t slot = std::stoull(std::string(name));
        if (slot < map_entries || (slot - map_entries) % 3 != 1) continue;
      }
      ++count;
    }
  }
  return count;
}

}  // namespace

std::vector<std::uint32_t> fanout_cardinality(const Snapshot& s) {
  std::vector<std::uint32_t> card(s.node_count(), 0);
  for (NodeOrdinal n = 0; n < s.node_count(); ++n) {
    const NodeType t = s.node_type(n);
    if (t != NodeType::kObject && t != NodeType::kClosure && t != NodeType::kNative) continue;
    // V8 writes an array's elements both on the JSArray and on its store: count them once.
    std::uint32_t own_elements = 0;
    for (EdgeIndex e = s.first_edge(n); e < s.first_edge(n + 1); ++e) {
      own_elements += s.edge_type(e) == EdgeType::kElement && !internal_target(s, s.edge_target(e));
    }
    const std::uint32_t own_properties = held(s, n, false) - own_elements;
    std::uint32_t in_stores = 0;
    for (EdgeIndex e = s.first_edge(n); e < s.first_edge(n + 1); ++e) {
      if (!is_store_edge(s, e)) continue;
      const NodeOrdinal store = s.edge_target(e);
      const bool map_table =
          s.node_name(n) == "Map" && s.string(s.edge_name_or_index(e)) == "table";
      in_stores += held(s, store, true, map_table ? map_entries_start(s, store) : 0);
    }
    card[n] = own_properties + std::max(own_elements, in_stores);
  }
  return card;
}

std::string_view finding_kind_name(FindingKind kind) {
  switch (kind) {
    case FindingKind::kUnboundedCollection:
      return "unbounded-collection";
    case FindingKind::kGrowingClass:
      return "growing-class";
    case FindingKind::kLeakGroup:
      return "leak-group";
  }
  return "unknown";
}

Trend trend(std::span<const std::int64_t> values, std::int64_t min_per_step) {
  Trend r;
  if (values.size() < 3) return r;
  std::vector<std::int64_t> steps;
  for (std::size_t i = 1; i < values.size(); ++i) steps.push_back(values[i] - values[i - 1]);
  const std::int64_t total = values.back() - values.front();
  const std::size_t growing = static_cast<std::size_t>(
      std::count_if(steps.begin(), steps.end(), [](std::int64_t d) { return d > 0; }));
  std::vector<std::int64_t> sorted = steps;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t m = sorted.size();
  r.per_step = m % 2 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
  const bool no_big_fall = std::all_of(steps.begin(), steps.end(),
                                       [&](std::int64_t d) { return d >= 0 || -d * 10 <= total; });
  r.growing = total > 0 && steps.back() > 0 && growing >= 2 && growing * 4 >= steps.size() * 3 &&
              no_big_fall && r.per_step >= min_per_step;
  return r;
}

namespace detail {

Identity identity(const Snapshot& s) {
  Identity id;
  id.generation = s.meta().generation;
  // Odd ids only: V8 gives heap objects odd ids in allocation order; embedder (native) nodes get
  // even ids that may be hashes.
  for (const std::uint32_t v : s.node_ids())
    if (v & 1) id.max_id = std::max(id.max_id, v);
  return id;
}

void check_same_process(const Identity& earlier, const std::string& earlier_name,
                        const Identity& later, const std::string& later_name) {
  if (earlier.generation != later.generation) {
    throw SeriesError(
        earlier_name + " and " + later_name + " were written by different V8 versions (" +
        std::string(format_generation_name(earlier.generation)) + ", " +
        std::string(format_generation_name(later.generation)) + "): not snapshots of one process");
  }
  if (later.max_id < earlier.max_id) {
    throw SeriesError(later_name + " has older objects only (newest id " +
                      std::to_string(later.max_id) + ") than " + earlier_name + " (newest id " +
                      std::to_string(earlier.max_id) +
                      "): not a later snapshot of the same process, or out of order");
  }
}

SortedIds::SortedIds(const Snapshot& s) {
  pairs_.resize(s.node_count());
  const auto ids = s.node_ids();
  for (NodeOrdinal n = 0; n < s.node_count(); ++n) pairs_[n] = {ids[n], n};
  std::sort(pairs_.begin(), pairs_.end());
}

std::optional<NodeOrdinal> SortedIds::find(std::uint32_t id) const {
  auto it = std::lower_bound(pairs_.begin(), pairs_.end(), std::make_pair(id, NodeOrdinal{0}));
  if (it == pairs_.end() || it->first != id) return std::nullopt;
  return it->second;
}

namespace {
template <typename Counted>
std::vector<std::uint32_t> dominated_counts(const Snapshot& s, const DominatorTree& tree,
                                            Counted counted) {
  const std::uint32_t n = s.node_count();
  std::vector<std::uint32_t> count(n, 0);
  if (n == 0) return count;
  // Breadth-first order over the dominator tree, then sums in reverse order.
  std::vector<NodeOrdinal> order;
  order.reserve(n);
  order.push_back(s.root());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const NodeOrdinal v = order[i];
    for (std::uint32_t k = tree.first_dominated[v]; k < tree.first_dominated[v + 1]; ++k)
      order.push_back(tree.dominated[k]);
  }
  for (std::size_t i = order.size(); i-- > 0;) {
    const NodeOrdinal v = order[i];
    count[v] += counted(v) ? 1 : 0;
    if (v != s.root()) count[tree.idom[v]] += count[v];
  }
  return count;
}
}  // namespace

bool is_string_type(const Snapshot& s, NodeOrdinal n) {
  const NodeType t = s.node_type(n);
  return t == NodeType::kString || t == NodeType::kConsString || t == NodeType::kSlicedString;
}

std::vector<std::uint32_t> dominated_user_counts(const Snapshot& s, const DominatorTree& tree) {
  return dominated_counts(s, tree, [&](NodeOrdinal v) { return is_user_object(s, v); });
}

std::vector<std::uint32_t> dominated_string_counts(const Snapshot& s, const DominatorTree& tree) {
  return dominated_counts(s, tree, [&](NodeOrdinal v) { return is_string_type(s, v); });
}

std::vector<NodeOrdinal> shortest_path_parents(const Snapshot& s,
                                               std::span<const std::int32_t> distance) {
  std::vector<NodeOrdinal> parent(s.node_count(), kNoNode);
  const Retainers& r = s.retainers();
  for (NodeOrdinal n = 0; n < s.node_count(); ++n) {
    const std::int32_t d = distance[n];
    if (d == kNoDistance || n == s.root()) continue;
    const auto edges = r.edges_of(n);
    const auto from = r.nodes_of(n);
    NodeOrdinal fallback = kNoNode;
    for (std::size_t i = 0; i < edges.size(); ++i) {
      if (s.edge_type(edges[i]) == EdgeType::kWeak) continue;
      const std::int32_t fd = distance[from[i]];
      if (fd == d - 1) {
        parent[n] = from[i];
        break;
      }
      if (fallback == kNoNode && fd != kNoDistance && fd < d) fallback = from[i];
    }
    if (parent[n] == kNoNode) parent[n] = fallback;
  }
  return parent;
}

std::vector<NodeOrdinal> accumulation_points(const Snapshot& s,
                                             std::span<const std::int32_t> distance,
                                             std::span<const NodeOrdinal> parent,
                                             const std::vector<std::uint8_t>& is_new) {
  std::vector<NodeOrdinal> acc(s.node_count(), kNoNode);
  std::vector<NodeOrdinal> order;
  for (NodeOrdinal n = 0; n < s.node_count(); ++n) {
    if (is_new[n] && distance[n] != kNoDistance) order.push_back(n);
  }
  std::sort(order.begin(), order.end(), [&](NodeOrdinal a, NodeOrdinal b) {
    return distance[a] != distance[b] ? distance[a] < distance[b] : a < b;
  });
  auto lift = [&](NodeOrdinal a) {
    for (int guard = 0; guard < 8 && a != kNoNode; ++guard) {
      const NodeType t = s.node_type(a);
      if (t != NodeType::kArray && t != NodeType::kHidden) break;
      a = parent[a];
    }
    return a;
  };
  for (const NodeOrdinal n : order) {
    const NodeOrdinal p = parent[n];
    if (p == kNoNode) continue;
    acc[n] = is_new[p] ? acc[p] : lift(p);
  }
  return acc;
}

ContainerRef describe_container(const Snapshot& s, const ClassNames& classes,
                                std::span<const std::int32_t> distance, NodeOrdinal node) {
  ContainerRef c;
  c.id = s.node_id(node);
  c.class_name = node_class(s, &classes, node);
  PathOptions po;
  po.max_paths = 1;
  const PathSearch found = find_retainer_paths(s, distance, node, po);
  if (!found.paths.empty()) {
    const std::vector<ReadableStep> steps = describe_path(s, found.paths.front());
    for (const ReadableStep& st : steps) {
      if (!st.internal && st.kind != StepKind::kRoot) c.path.push_back(st.name);
    }
    c.path_text = path_text(s, steps, &classes, false, 12);
    c.path_shape = path_shape(s, steps, &classes);
  } else {
    c.path_text = node_label(s, &classes, node);
  }
  return c;
}

std::vector<ClassCount> subtree_class_counts(const Snapshot& s, const Analysis& a, NodeOrdinal top,
                                             const std::vector<std::uint8_t>& counted) {
  std::vector<ClassCount> by_class;
  std::vector<std::uint32_t> slot;  // class index -> position in by_class + 1
  std::vector<NodeOrdinal> stack{top};
  const DominatorTree& t = a.dominators;
  while (!stack.empty()) {
    const NodeOrdinal v = stack.back();
    stack.pop_back();
    if (counted[v] && is_user_object(s, v)) {
      const std::uint32_t c = a.classes.class_of[v];
      if (slot.size() <= c) slot.resize(c + 1, 0);
      if (!slot[c]) {
        by_class.push_back({c, 0, 0});
        slot[c] = static_cast<std::uint32_t>(by_class.size());
      }
      by_class[slot[c] - 1].objects += 1;
      by_class[slot[c] - 1].bytes += a.shallow_size[v];
    }
    for (std::uint32_t k = t.first_dominated[v]; k < t.first_dominated[v + 1]; ++k)
      stack.push_back(t.dominated[k]);
  }
  std::sort(by_class.begin(), by_class.end(), [](const ClassCount& x, const ClassCount& y) {
    return x.objects != y.objects ? x.objects > y.objects : x.class_index < y.class_index;
  });
  return by_class;
}

}  // namespace detail
}  // namespace libsnap
