// The three-snapshot leak test (leaks.hpp).
#include "libsnap/leaks.hpp"

#include <algorithm>

#include "libsnap/paths.hpp"
#include "compare/series_support.hpp"

namespace libsnap {

LeakReport find_leaks(const Snapshot& baseline, const Snapshot& target, const Snapshot& final_,
                      const LeakOptions& options) {
  using detail::kNoNode;
  detail::check_same_process(detail::identity(baseline), "BASELINE", detail::identity(target),
                             "TARGET");
  detail::check_same_process(detail::identity(target), "TARGET", detail::identity(final_), "FINAL");
  const detail::SortedIds base_ids(baseline);
  const detail::SortedIds target_ids(target);
  const std::uint32_t n = final_.node_count();
  std::vector<std::uint8_t> is_new(n, 0), leaked(n, 0);
  std::uint64_t shared = 0;
  for (NodeOrdinal v = 0; v < n; ++v) {
    const std::uint32_t id = final_.node_id(v);
    if (base_ids.contains(id)) {
      ++shared;
      continue;
    }
    is_new[v] = 1;
    leaked[v] = target_ids.contains(id) && is_user_object(final_, v);
  }
  if (shared == 0 || !target_ids.size())
    throw SeriesError("the snapshots share no object id: not snapshots of one process");

  const Analysis a = analyze(final_);
  const std::vector<NodeOrdinal> parent = detail::shortest_path_parents(final_, a.distance);
  const std::vector<NodeOrdinal> acc =
      detail::accumulation_points(final_, a.distance, parent, is_new);

  LeakReport report;
  // Group the leaked objects by accumulation point: (acc, ordinal) sorted.
  std::vector<std::pair<NodeOrdinal, NodeOrdinal>> members;
  for (NodeOrdinal v = 0; v < n; ++v) {
    if (!leaked[v]) continue;
    ++report.leaked_objects;
    if (acc[v] != kNoNode) members.emplace_back(acc[v], v);
  }
  std::sort(members.begin(), members.end());

  // Growth of a container from BASELINE to FINAL needs BASELINE's fan-out and dominated counts.
  const Analysis base_analysis = analyze(baseline);
  const std::vector<std::uint32_t> base_card = fanout_cardinality(baseline);
  const std::vector<std::uint32_t> base_dom =
      detail::dominated_user_counts(baseline, base_analysis.dominators);
  const std::vector<std::uint32_t> card = fanout_cardinality(final_);
  const std::vector<std::uint32_t> dom = detail::dominated_user_counts(final_, a.dominators);

  for (std::size_t i = 0; i < members.size();) {
    std::size_t j = i;
    while (j < members.size() && members[j].first == members[i].first) ++j;
    const NodeOrdinal container = members[i].first;
    const std::uint64_t count = j - i;
    std::vector<NodeOrdinal> group;
    for (std::size_t k = i; k < j; ++k) group.push_back(members[k].second);
    i = j;
    if (count < options.min_objects) continue;
    const std::optional<NodeOrdinal> before = base_ids.find(final_.node_id(container));
    if (!before) continue;
    const std::int64_t card_growth =
        std::int64_t{card[container]} - std::int64_t{base_card[*before]};
    const std::int64_t dom_growth = std::int64_t{dom[container]} - std::int64_t{base_dom[*before]};
    // A container that holds as many things as before (a full LRU) is not a leak.
    const std::int64_t half = static_cast<std::int64_t>(count / 2);
    // Growth seen only through dominated objects (a chain, a closure context) needs a bigger
    // group: small lazily built engine and runtime structures (Node's stdout) look like that.
    // An entry may hold several objects (a timer list entry: list, Timeout, closure, context,
    // payload): the fan-out must grow by a twentieth of the group at least.
    const bool fanout_grew =
        card_growth >= std::max<std::int64_t>(1, static_cast<std::int64_t>(count / 20));
    const bool holds_more =
        dom_growth >= std::max<std::int64_t>(1, half) && count >= 4 * options.min_objects;
    if (!fanout_grew && !holds_more) continue;

    Finding f;
    f.kind = FindingKind::kLeakGroup;
    f.measure = "new objects";
    f.container = detail::describe_container(final_, a.classes, a.distance, container);
    const std::vector<std::uint8_t> top = dominated_by_another(a.dominators, group);
    std::vector<std::uint64_t> by_class_objects, by_class_bytes;
    for (std::size_t k = 0; k < group.size(); ++k) {
      const NodeOrdinal v = group[k];
      if (!top[k]) f.retained_bytes += a.dominators.retained_size[v];
      f.bytes_per_step += a.shallow_size[v];
      const std::uint32_t c = a.classes.class_of[v];
      if (by_class_objects.size() <= c) {
        by_class_objects.resize(c + 1, 0);
        by_class_bytes.resize(c + 1, 0);
      }
      by_class_objects[c] += 1;
      by_class_bytes[c] += a.shallow_size[v];
    }
    f.objects_per_step = static_cast<std::int64_t>(count);
    for (std::uint32_t c = 0; c < by_class_objects.size(); ++c) {
      if (by_class_objects[c]) {
        f.classes.push_back({a.classes.name[c], static_cast<std::int64_t>(by_class_objects[c]),
                             static_cast<std::int64_t>(by_class_bytes[c])});
      }
    }
    std::sort(f.classes.begin(), f.classes.end(), [](const ClassGrowth& x, const ClassGrowth& y) {
      if (x.objects_per_step != y.objects_per_step) return x.objects_per_step > y.objects_per_step;
      return x.bytes_per_step != y.bytes_per_step ? x.bytes_per_step > y.bytes_per_step
                                                  : x.name < y.name;
    });
    f.series = {static_cast<std::int64_t>(base_card[*before]),
                static_cast<std::int64_t>(card[container])};
    report.findings.push_back(std::move(f));
  }
  std::sort(report.findings.begin(), report.findings.end(), [](const Finding& x, const Finding& y) {
    return x.retained_bytes != y.retained_bytes ? x.retained_bytes > y.retained_bytes
                                                : x.container.id < y.container.id;
  });
  if (report.findings.size() > options.max_findings) report.findings.resize(options.max_findings);
  for (std::size_t k = 0; k < report.findings.size(); ++k)
    report.findings[k].rank = static_cast<std::uint32_t>(k + 1);
  return report;
}

}  // namespace libsnap
