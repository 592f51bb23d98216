// `analyzer summary SNAPSHOT`: Chrome DevTools' Summary view, one row per class.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <regex>
#include <string>
#include <vector>

#include "commands.hpp"
#include "json_writer.hpp"
#include "libsnap/analysis.hpp"

namespace analyzer {
namespace {

std::string distance_text(std::int32_t d) {
  if (d == libsnap::kNoDistance) return "unreachable";
  if (d >= libsnap::kBaseSystemDistance)
    return "system+" + std::to_string(d - libsnap::kBaseSystemDistance);
  return std::to_string(d);
}

std::string percent(std::uint64_t part, std::uint64_t total) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%5.1f%%",
                total ? 100.0 * static_cast<double>(part) / static_cast<double>(total) : 0.0);
  return buf;
}

std::string pad(std::string s, std::size_t width, bool right) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

}  // namespace

int run_summary(const SummaryOptions& options) {
  std::regex filter;
  if (!options.filter.empty()) filter = compile_regex(options.filter, "--filter");
  const libsnap::Snapshot s = load_snapshot(options.snapshot, options.common);
  const std::uint64_t start = now_ns();
  libsnap::AnalysisOptions ao;
  ao.raw_sizes = options.raw_sizes;
  ao.naming = options.naming == "2021" ? libsnap::Naming::k2021 : libsnap::Naming::kLatest;
  const libsnap::Analysis a = libsnap::analyze(s, ao);
  const double analysis_seconds = seconds_since(start);
  const libsnap::ClassNames& c = a.classes;

  std::vector<libsnap::ClassAggregate> rows;
  rows.reserve(a.summary.size());
  for (const auto& r : a.summary) {
    if (options.filter.empty() || std::regex_search(c.name[r.class_index], filter))
      rows.push_back(r);
  }
  // a.summary is by retained size, then key; the other orders fall back on that one.
  auto by = [&](auto field, bool descending) {
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& x, const auto& y) {
      return descending ? field(x) > field(y) : field(x) < field(y);
    });
  };
  if (options.sort == "shallow")
    by([](const libsnap::ClassAggregate& r) { return r.shallow_size; }, true);
  if (options.sort == "count") by([](const libsnap::ClassAggregate& r) { return r.count; }, true);
  if (options.sort == "distance")
    by([](const libsnap::ClassAggregate& r) { return r.min_distance; }, false);
  const std::size_t matched = rows.size();
  if (options.top && rows.size() > options.top) rows.resize(options.top);
  const std::uint64_t total = a.statistics.total;

  if (options.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("classes").begin_array();
    for (const auto& r : rows) {
      j.begin_object()
          .field("key", c.key[r.class_index])
          .field("name", c.name[r.class_index])
          .field("count", r.count)
          .field("shallow_size", r.shallow_size)
          .field("retained_size", r.retained_size)
          .field("distance", std::int64_t{r.min_distance});
      j.end_object();
    }
    j.end_array();
    j.field("total_size", total);
    j.end_object();
    return kExitOk;
  }

  constexpr std::size_t kNameWidth = 48;
  std::cout << pad("Constructor", kNameWidth, false) << "  " << pad("Distance", 12, true) << "  "
            << pad("Count", 10, true) << "  " << pad("Shallow size", 22, true) << "  "
            << pad("Retained size", 22, true) << "\n";
  for (const auto& r : rows) {
    std::cout << fit_column(c.name[r.class_index], kNameWidth) << "  "
              << pad(distance_text(r.min_distance), 12, true) << "  "
              << pad(with_commas(r.count), 10, true) << "  "
              << pad(with_commas(r.shallow_size), 14, true) << " " << percent(r.shallow_size, total)
              << "  " << pad(with_commas(r.retained_size), 14, true) << " "
              << percent(r.retained_size, total) << "\n";
  }
  char timing[64];
  std::snprintf(timing, sizeof timing, "%.2f s", analysis_seconds);
  std::cout << "\n"
            << with_commas(rows.size()) << " of " << with_commas(matched) << " classes shown"
            << (options.filter.empty()
                    ? ""
                    : " (filtered; " + with_commas(a.summary.size()) + " in all)")
            << "; total size " << with_commas(total) << " bytes (" << human_bytes(total)
            << "); analyzed in " << timing << "\n";
  return kExitOk;
}

}  // namespace analyzer
