// Two-snapshot comparison, DevTools' rules (FORMAT.md §2.7; HeapSnapshot.aggregatesForDiff,
// calculateSnapshotDiff, calculateDiffForClass).
//
// - Each side is the Summary view's classes (public keys; where two classes share a key, the one
//   DevTools keeps) with their instances of shallow size > 0; the base is bucketed with the other
//   snapshot's interface definitions (the caller analyzes it so).
// - Per class key, the two id-sorted instance lists are merge-walked: an id only in BEFORE is
//   deleted, only in AFTER new, in both a survivor. An object whose class changed between the
//   snapshots (a plain object that gained a property) is deleted from one class and new in another,
//   as in DevTools. Sizes are shallow sizes.
// - Classes without new or deleted instances are dropped.
//
// Cost: one pass over the nodes to count per class, one to place (id, size) pairs by class, a sort
// per class (skipped when V8 already wrote them in id order), and a linear merge. 8 bytes per
// compared instance while building, 8 kept; no per-node allocation.
#include "libsnap/diff.hpp"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>

namespace libsnap {
namespace {

constexpr std::uint32_t kNone = 0xffffffffu;

std::uint64_t magnitude(std::int64_t v) {
  return v < 0 ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
}

}  // namespace

DiffSide diff_side(const Snapshot& snapshot, const Analysis& analysis) {
  DiffSide side;
  const ClassNames& classes = analysis.classes;
  const std::uint32_t node_count = snapshot.node_count();
  const std::size_t slots = analysis.summary.size();

  // Slot of each class: its Summary row, or none for a class that lost its key to another.
  std::vector<std::uint32_t> slot_of(classes.name.size(), kNone);
  side.key.reserve(slots);
  side.name.reserve(slots);
  side.retained_size.reserve(slots);
  for (std::uint32_t i = 0; i < slots; ++i) {
    const ClassAggregate& row = analysis.summary[i];
    slot_of[row.class_index] = i;
    side.key.push_back(classes.key[row.class_index]);
    side.name.push_back(classes.name[row.class_index]);
    side.retained_size.push_back(row.retained_size);
  }

  const auto ids = snapshot.node_ids();
  const std::span<const std::uint32_t> sizes = analysis.shallow_size;
  side.first.assign(slots + 1, 0);
  for (NodeOrdinal n = 0; n < node_count; ++n) {
    if (sizes[n] == 0) continue;
    const std::uint32_t s = slot_of[classes.class_of[n]];
    if (s != kNone) ++side.first[s + 1];
  }
  for (std::size_t s = 0; s < slots; ++s) side.first[s + 1] += side.first[s];
  const std::uint32_t total = side.first[slots];

  // (id << 32 | size), grouped by class in node order, then sorted by id within each class.
  std::vector<std::uint64_t> packed(total);
  {
    std::vector<std::uint32_t> next(side.first.begin(), side.first.end() - 1);
    for (NodeOrdinal n = 0; n < node_count; ++n) {
      if (sizes[n] == 0) continue;
      const std::uint32_t s = slot_of[classes.class_of[n]];
      if (s != kNone) packed[next[s]++] = std::uint64_t{ids[n]} << 32 | sizes[n];
    }
  }
  for (std::size_t s = 0; s < slots; ++s) {
    const auto begin = packed.begin() + side.first[s];
    const auto end = packed.begin() + side.first[s + 1];
    if (!std::is_sorted(begin, end)) std::sort(begin, end);
  }
  side.ids.resize(total);
  side.sizes.resize(total);
  for (std::uint32_t i = 0; i < total; ++i) {
    side.ids[i] = static_cast<std::uint32_t>(packed[i] >> 32);
    side.sizes[i] = static_cast<std::uint32_t>(packed[i]);
  }

  side.facts.node_count = node_count;
  side.facts.edge_count = snapshot.edge_count();
  side.facts.object_count = total;
  side.facts.total_size = analysis.statistics.total;
  side.facts.generation = snapshot.meta().generation;
  for (const std::uint32_t id : ids)
    if ((id & 1) && id > side.facts.max_js_object_id) side.facts.max_js_object_id = id;
  return side;
}

SnapshotDiff diff(const DiffSide& before, const DiffSide& after) {
  SnapshotDiff out;
  out.before = before.facts;
  out.after = after.facts;

  std::unordered_map<std::string_view, std::uint32_t> after_slot;
  after_slot.reserve(after.key.size());
  for (std::uint32_t s = 0; s < after.key.size(); ++s) after_slot.emplace(after.key[s], s);
  std::vector<std::uint8_t> after_seen(after.key.size(), 0);

  auto compare = [&](std::uint32_t b, std::uint32_t a) {
    ClassDiff d;
    std::uint32_t i = b == kNone ? 0 : before.first[b];
    const std::uint32_t i_end = b == kNone ? 0 : before.first[b + 1];
    std::uint32_t j = a == kNone ? 0 : after.first[a];
    const std::uint32_t j_end = a == kNone ? 0 : after.first[a + 1];
    while (i < i_end && j < j_end) {
      if (before.ids[i] < after.ids[j]) {
        ++d.deleted_count;
        d.freed_size += before.sizes[i++];
      } else if (before.ids[i] > after.ids[j]) {
        ++d.new_count;
        d.alloc_size += after.sizes[j++];
      } else {
        ++d.survivors;
        ++i;
        ++j;
      }
    }
    for (; i < i_end; ++i) {
      ++d.deleted_count;
      d.freed_size += before.sizes[i];
    }
    for (; j < j_end; ++j) {
      ++d.new_count;
      d.alloc_size += after.sizes[j];
    }
    out.survivors += d.survivors;
    if (d.new_count == 0 && d.deleted_count == 0) return;
    d.key = a != kNone ? after.key[a] : before.key[b];
    d.name = a != kNone ? after.name[a] : before.name[b];
    d.delta_count =
        static_cast<std::int64_t>(d.new_count) - static_cast<std::int64_t>(d.deleted_count);
    d.delta_size =
        static_cast<std::int64_t>(d.alloc_size) - static_cast<std::int64_t>(d.freed_size);
    d.retained_delta = static_cast<std::int64_t>(a != kNone ? after.retained_size[a] : 0) -
                       static_cast<std::int64_t>(b != kNone ? before.retained_size[b] : 0);
    out.classes.push_back(std::move(d));
  };

  for (std::uint32_t b = 0; b < before.key.size(); ++b) {
    const auto it = after_slot.find(before.key[b]);
    const std::uint32_t a = it == after_slot.end() ? kNone : it->second;
    if (a != kNone) after_seen[a] = 1;
    compare(b, a);
  }
  for (std::uint32_t a = 0; a < after.key.size(); ++a)
    if (!after_seen[a]) compare(kNone, a);

  std::sort(out.classes.begin(), out.classes.end(), [](const ClassDiff& x, const ClassDiff& y) {
    const std::uint64_t sx = magnitude(x.delta_size), sy = magnitude(y.delta_size);
    if (sx != sy) return sx > sy;
    return x.key < y.key;
  });
  return out;
}

std::vector<std::string> identity_warnings(const SnapshotDiff& d) {
  std::vector<std::string> out;
  if (d.survivors == 0 && d.before.object_count > 0 && d.after.object_count > 0) {
    out.push_back(
        "no object is in both snapshots (no id in common within a class): they look like "
        "snapshots of two different processes, so every object counts as deleted and new");
  }
  if (d.before.generation != d.after.generation) {
    out.push_back("the snapshots were written by different V8 versions (" +
                  std::string(format_generation_name(d.before.generation)) + " and " +
                  std::string(format_generation_name(d.after.generation)) +
                  "), so they come from different processes and their ids are unrelated");
  }
  if (d.after.max_js_object_id < d.before.max_js_object_id) {
    out.push_back("AFTER's newest object (@" + std::to_string(d.after.max_js_object_id) +
                  ") is older than BEFORE's (@" + std::to_string(d.before.max_js_object_id) +
                  "): the snapshots look swapped, or they come from different processes");
  }
  return out;
}

SnapshotDiff diff(const Snapshot& before, const Snapshot& after, const AnalysisOptions& options) {
  AnalysisOptions o = options;
  o.interfaces = nullptr;
  const DiffSide after_side = diff_side(after, analyze(after, o));
  const std::vector<InterfaceDefinition> interfaces = o.naming == Naming::kLatest
                                                          ? infer_interface_definitions(after)
                                                          : std::vector<InterfaceDefinition>{};
  o.interfaces = &interfaces;
  const DiffSide before_side = diff_side(before, analyze(before, o));
  return diff(before_side, after_side);
}

}  // namespace libsnap
