// N-snapshot growth (growth.hpp).
#include "libsnap/growth.hpp"

#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>

#include "libsnap/paths.hpp"
#include "libsnap/reader.hpp"
#include "compare/series_support.hpp"

namespace libsnap {
namespace {

using detail::kNoNode;

// One point of the series reduced to id-sorted columns.
struct Point {
  std::vector<std::uint32_t> ids;  // ascending
  std::vector<std::uint32_t> card;
  std::vector<std::uint32_t> dom;
  std::vector<std::uint32_t> strs;  // strings dominated (ConsString trees)
  std::vector<std::uint64_t> retained;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> classes;  // objects, bytes
  PointFacts facts;

  std::optional<std::size_t> find(std::uint32_t id) const {
    auto it = std::lower_bound(ids.begin(), ids.end(), id);
    if (it == ids.end() || *it != id) return std::nullopt;
    return static_cast<std::size_t>(it - ids.begin());
  }
};

Point reduce(const Snapshot& s, const Analysis& a, const std::vector<std::uint32_t>& card,
             const std::vector<std::uint32_t>& dom, const std::vector<std::uint32_t>& strs) {
  Point p;
  const detail::SortedIds sorted(s);
  const std::size_t n = sorted.size();
  p.ids.resize(n);
  p.card.resize(n);
  p.dom.resize(n);
  p.strs.resize(n);
  p.retained.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto [id, v] = sorted.pairs()[i];
    p.ids[i] = id;
    p.card[i] = card[v];
    p.dom[i] = dom[v];
    p.strs[i] = strs[v];
    p.retained[i] = a.dominators.retained_size[v];
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> per_class(a.classes.name.size());
  for (NodeOrdinal v = 0; v < s.node_count(); ++v) {
    if (!is_user_object(s, v) || a.distance[v] == kNoDistance) continue;
    auto& c = per_class[a.classes.class_of[v]];
    c.first += 1;
    c.second += a.shallow_size[v];
  }
  for (std::size_t c = 0; c < per_class.size(); ++c) {
    if (!per_class[c].first) continue;
    auto& slot = p.classes[a.classes.name[c]];
    slot.first += per_class[c].first;
    slot.second += per_class[c].second;
    p.facts.user_objects += per_class[c].first;
    p.facts.user_bytes += per_class[c].second;
  }
  p.facts.nodes = s.node_count();
  p.facts.edges = s.edge_count();
  p.facts.total_bytes = a.statistics.total;
  return p;
}

std::int64_t per_step(std::uint64_t total, std::size_t steps) {
  return static_cast<std::int64_t>((total + steps / 2) / steps);
}

}  // namespace

GrowthReport find_growth(std::span<const SeriesEntry> series, const GrowthOptions& options) {
  GrowthReport report;
  if (series.size() < 3)
    throw SeriesError("growth needs at least 3 snapshots of one process, got " +
                      std::to_string(series.size()));
  report.points = end_of_round_points(series);
  const std::size_t k = report.points.size();
  const std::size_t steps = k - 1;

  std::vector<Point> points;
  std::vector<detail::Identity> identities;
  for (std::size_t i = 0; i + 1 < k; ++i) {
    if (options.on_snapshot) options.on_snapshot(i, k, report.points[i].path);
    const Snapshot s = load(report.points[i].path, options.load);
    identities.push_back(detail::identity(s));
    if (i > 0)
      detail::check_same_process(identities[i - 1], report.points[i - 1].path, identities[i],
                                 report.points[i].path);
    const Analysis a = analyze(s);
    points.push_back(reduce(s, a, fanout_cardinality(s),
                            detail::dominated_user_counts(s, a.dominators),
                            detail::dominated_string_counts(s, a.dominators)));
    if (i > 0) {
      std::size_t shared = 0;
      std::size_t x = 0, y = 0;
      const auto& f = points.front().ids;
      const auto& g = points.back().ids;
      while (x < f.size() && y < g.size() && shared == 0) {
        if (f[x] == g[y])
          ++shared;
        else if (f[x] < g[y])
          ++x;
        else
          ++y;
      }
      if (!shared)
        throw SeriesError(report.points[i].path + " shares no object id with " +
                          report.points[0].path + ": not snapshots of one process");
    }
  }

  if (options.on_snapshot) options.on_snapshot(k - 1, k, report.points.back().path);
  const Snapshot last = load(report.points.back().path, options.load);
  detail::check_same_process(identities.back(), report.points[k - 2].path, detail::identity(last),
                             report.points.back().path);
  const Analysis a = analyze(last);
  const std::vector<std::uint32_t> card = fanout_cardinality(last);
  const std::vector<std::uint32_t> dom = detail::dominated_user_counts(last, a.dominators);
  const std::vector<std::uint32_t> strs = detail::dominated_string_counts(last, a.dominators);
  points.push_back(reduce(last, a, card, dom, strs));
  const std::uint32_t n = last.node_count();
  std::vector<std::uint8_t> is_new(n, 0);
  std::size_t shared = 0;
  for (NodeOrdinal v = 0; v < n; ++v) {
    if (points.front().find(last.node_id(v)))
      ++shared;
    else
      is_new[v] = 1;
  }
  if (!shared)
    throw SeriesError(report.points.back().path + " shares no object id with " +
                      report.points[0].path + ": not snapshots of one process");

  const std::vector<NodeOrdinal> parent = detail::shortest_path_parents(last, a.distance);
  const std::vector<NodeOrdinal> acc =
      detail::accumulation_points(last, a.distance, parent, is_new);

  // (a) containers: accumulation points of new user objects, tested on their series.
  // (ConsString trees: new strings count apart, and only make a finding through the strings
  // their container holds.)
  std::vector<std::uint32_t> held_new(n, 0), held_new_strings(n, 0);
  for (NodeOrdinal v = 0; v < n; ++v) {
    if (acc[v] == kNoNode) continue;
    if (is_user_object(last, v)) ++held_new[acc[v]];
    if (detail::is_string_type(last, v)) ++held_new_strings[acc[v]];
  }
  std::vector<Finding> findings;
  std::vector<NodeOrdinal> finding_node;
  for (NodeOrdinal c = 0; c < n; ++c) {
    const auto min = static_cast<std::uint64_t>(options.min_objects_per_step);
    if (held_new[c] < min && held_new_strings[c] < min) continue;
    std::vector<std::int64_t> cards, doms, strings, retained;
    bool everywhere = true;
    for (const Point& p : points) {
      const auto at = p.find(last.node_id(c));
      if (!at) {
        everywhere = false;
        break;
      }
      cards.push_back(p.card[*at]);
      doms.push_back(p.dom[*at]);
      strings.push_back(p.strs[*at]);
      retained.push_back(static_cast<std::int64_t>(p.retained[*at]));
    }
    if (!everywhere) continue;
    Finding f;
    f.kind = FindingKind::kUnboundedCollection;
    const Trend by_card = trend(cards, options.min_objects_per_step);
    const Trend by_dom = trend(doms, options.min_objects_per_step);
    const Trend by_strings = trend(strings, options.min_objects_per_step);
    if (held_new[c] < min) {
      if (!by_strings.growing) continue;
      f.objects_per_step = by_strings.per_step;
      f.measure = "strings held";
      f.series = strings;
      f.classes.push_back({"(string)", by_strings.per_step, 0});
    } else if (by_card.growing) {
      f.objects_per_step = by_card.per_step;
      f.measure = "entries";
      f.series = cards;
    } else if (by_dom.growing) {
      f.objects_per_step = by_dom.per_step;
      f.measure = "objects held";
      f.series = doms;
    } else {
      continue;
    }
    f.bytes_per_step = trend(retained, 0).per_step;
    f.retained_bytes = a.dominators.retained_size[c];
    for (const detail::ClassCount& cc : detail::subtree_class_counts(last, a, c, is_new)) {
      const std::int64_t objects = per_step(cc.objects, steps);
      if (objects > 0)
        f.classes.push_back({a.classes.name[cc.class_index], objects, per_step(cc.bytes, steps)});
    }
    findings.push_back(std::move(f));
    finding_node.push_back(c);
  }
  // Keep the outermost of nested findings (a list's holder, not every node of the list). Below
  // growth's own noise floor (a --min-per-step under 5), an object where only a handful of new
  // objects accumulate can pass the trend test through what it dominates: a global object above
  // the Map that really grows. Such a weak holder neither hides the findings nested under it
  // nor survives them.
  {
    constexpr std::uint32_t kNoiseFloor = 5;
    std::vector<std::uint8_t> keep(findings.size(), 1);
    std::vector<std::uint32_t> finding_at(n, ~0u);
    for (std::size_t i = 0; i < findings.size(); ++i)
      finding_at[finding_node[i]] = static_cast<std::uint32_t>(i);
    auto weak = [&](NodeOrdinal c) {
      return held_new[c] < kNoiseFloor && held_new_strings[c] < kNoiseFloor;
    };
    std::vector<std::uint8_t> shadows(findings.size(), 0);  // a weak finding with one below it
    for (std::size_t i = 0; i < findings.size(); ++i) {
      for (NodeOrdinal v = a.dominators.idom[finding_node[i]]; v != last.root();
           v = a.dominators.idom[v]) {
        if (finding_at[v] == ~0u) continue;
        if (weak(v)) {
          shadows[finding_at[v]] = 1;
          continue;
        }
        keep[i] = 0;
        break;
      }
    }
    for (std::size_t i = 0; i < findings.size(); ++i)
      if (shadows[i]) keep[i] = 0;
    std::vector<Finding> kept;
    for (std::size_t i = 0; i < findings.size(); ++i) {
      if (!keep[i]) continue;
      findings[i].container =
          detail::describe_container(last, a.classes, a.distance, finding_node[i]);
      kept.push_back(std::move(findings[i]));
    }
    findings = std::move(kept);
  }

  // (b) classes whose live count grows, unless a container above explains them.
  std::map<std::string, int> names;
  for (const Point& p : points)
    for (const auto& [name, counts] : p.classes) names.emplace(name, 0);
  for (const Point& p : points) report.facts.push_back(p.facts);
  struct GrowingClass {
    std::size_t series;  // index into report.classes
    Trend trend;
    NodeOrdinal sample = kNoNode;                         // a new instance
    std::unordered_map<NodeOrdinal, std::uint32_t> held;  // new instances per accumulation point
  };
  std::vector<GrowingClass> growing;
  std::unordered_map<std::string_view, std::uint32_t> growing_by_name;
  for (const auto& [name, unused] : names) {
    std::vector<std::int64_t> objects, bytes;
    for (const Point& p : points) {
      auto it = p.classes.find(name);
      objects.push_back(it == p.classes.end() ? 0 : static_cast<std::int64_t>(it->second.first));
      bytes.push_back(it == p.classes.end() ? 0 : static_cast<std::int64_t>(it->second.second));
    }
    report.classes.push_back({name, objects, bytes});
    const Trend t = trend(objects, options.min_objects_per_step);
    if (!t.growing) continue;
    growing_by_name.emplace(name, static_cast<std::uint32_t>(growing.size()));
    growing.push_back({report.classes.size() - 1, t, kNoNode, {}});
  }
  // Where the new instances of the growing classes accumulate: one pass over the nodes for all
  // of them (a class index maps to its growing class once, not a name compared per node).
  if (!growing.empty()) {
    constexpr std::uint32_t kNotGrowing = ~0u;
    std::vector<std::uint32_t> growing_of_class(a.classes.name.size(), kNotGrowing);
    for (std::size_t c = 0; c < a.classes.name.size(); ++c) {
      const auto it = growing_by_name.find(a.classes.name[c]);
      if (it != growing_by_name.end()) growing_of_class[c] = it->second;
    }
    for (NodeOrdinal v = 0; v < n; ++v) {
      if (!is_new[v]) continue;
      const std::uint32_t g = growing_of_class[a.classes.class_of[v]];
      if (g == kNotGrowing || !is_user_object(last, v)) continue;
      if (growing[g].sample == kNoNode) growing[g].sample = v;
      if (acc[v] != kNoNode) ++growing[g].held[acc[v]];
    }
  }
  for (const GrowingClass& gc : growing) {
    const ClassSeries& series = report.classes[gc.series];
    const std::string& name = series.name;
    const Trend& t = gc.trend;
    bool explained = false;
    for (const Finding& f : findings) {
      for (const ClassGrowth& g : f.classes)
        explained = explained || (g.name == name && g.objects_per_step * 2 >= t.per_step);
    }
    if (explained) continue;
    Finding f;
    f.kind = FindingKind::kGrowingClass;
    f.measure = "instances";
    f.objects_per_step = t.per_step;
    f.bytes_per_step = trend(series.bytes, 0).per_step;
    f.series = series.objects;
    f.classes.push_back({name, t.per_step, f.bytes_per_step});
    // The retainer-path group: the accumulation point holding most new instances.
    NodeOrdinal best = gc.sample;
    std::uint32_t best_count = 0;
    for (const auto& [g, count] : gc.held) {
      if (count > best_count || (count == best_count && g < best)) {
        best = g;
        best_count = count;
      }
    }
    if (best == kNoNode) continue;
    // One retainer-path group per container: a class held where another finding points joins it
    // (Node's timer list: Timeout, its callback, its TimersList under `timerListMap`).
    const std::uint32_t best_id = last.node_id(best);
    auto same = std::find_if(findings.begin(), findings.end(),
                             [&](const Finding& g) { return g.container.id == best_id; });
    if (same != findings.end()) {
      same->classes.push_back(f.classes.front());
      std::int64_t class_bytes = 0;
      for (const ClassGrowth& g : same->classes) class_bytes += g.bytes_per_step;
      same->bytes_per_step = std::max(same->bytes_per_step, class_bytes);
      continue;
    }
    f.container = detail::describe_container(last, a.classes, a.distance, best);
    f.retained_bytes = a.dominators.retained_size[best];
    findings.push_back(std::move(f));
  }
  for (Finding& f : findings) {
    std::stable_sort(f.classes.begin(), f.classes.end(),
                     [](const ClassGrowth& x, const ClassGrowth& y) {
                       if (x.objects_per_step != y.objects_per_step)
                         return x.objects_per_step > y.objects_per_step;
                       return x.bytes_per_step > y.bytes_per_step;
                     });
  }

  std::sort(findings.begin(), findings.end(), [](const Finding& x, const Finding& y) {
    if (x.bytes_per_step != y.bytes_per_step) return x.bytes_per_step > y.bytes_per_step;
    if (x.objects_per_step != y.objects_per_step) return x.objects_per_step > y.objects_per_step;
    return x.container.id < y.container.id;
  });
  if (findings.size() > options.max_findings) findings.resize(options.max_findings);
  for (std::size_t i = 0; i < findings.size(); ++i)
    findings[i].rank = static_cast<std::uint32_t>(i + 1);
  report.findings = std::move(findings);
  return report;
}

}  // namespace libsnap
