// `analyzer leaks BASELINE TARGET FINAL`: objects allocated between baseline and target still
// alive in final, grouped by the container that holds them (libsnap/leaks.hpp).
#include <iostream>

#include "commands.hpp"
#include "findings_report.hpp"
#include "json_writer.hpp"
#include "libsnap/leaks.hpp"

namespace analyzer {

int run_leaks(const LeaksOptions& options) {
  std::vector<std::string> files = options.snapshots;
  if (files.size() == 1) {
    // A capture directory: its baseline, target and final.
    std::vector<libsnap::SeriesEntry> series;
    try {
      series = libsnap::resolve_series(files);
    } catch (const libsnap::SeriesError& e) {
      throw UsageError(e.what());
    }
    files.clear();
    for (std::size_t i = 0; i < series.size() && i < 3; ++i) files.push_back(series[i].path);
  }
  if (files.size() != 3)
    throw UsageError(
        "leaks needs BASELINE TARGET FINAL (three snapshots of one process) or a "
        "capture directory, got " +
        std::to_string(files.size()));
  const libsnap::Snapshot baseline = load_snapshot(files[0], options.common);
  const libsnap::Snapshot target = load_snapshot(files[1], options.common);
  const libsnap::Snapshot final_ = load_snapshot(files[2], options.common);
  const std::uint64_t start = now_ns();
  libsnap::LeakReport report;
  try {
    libsnap::LeakOptions lo;
    lo.min_objects = options.min_objects;
    lo.max_findings = options.top;
    report = libsnap::find_leaks(baseline, target, final_, lo);
  } catch (const libsnap::SeriesError& e) {
    throw UsageError(e.what());
  }
  const double seconds = seconds_since(start);
  if (options.common.json) {
    JsonWriter j(std::cout);
    j.begin_object().field("leaked_objects", report.leaked_objects);
    write_findings_json(j, report.findings);
    j.end_object();
    std::cout << "\n";
    return kExitOk;
  }
  if (report.findings.empty()) {
    std::cout << "No leak: of " << with_commas(report.leaked_objects)
              << " objects allocated between baseline and target and alive in final, none sits "
                 "in a container that grew.\n";
  } else {
    write_findings_text(std::cout, report.findings, "step");
  }
  if (!options.common.quiet)
    std::cout << "\nanalysis " << seconds << " s, peak RSS " << human_bytes(peak_rss_bytes())
              << "\n";
  return kExitOk;
}

}  // namespace analyzer
