// `analyzer growth (SNAPSHOT... | --dir DIR)`: containers and classes that grow steadily over
// N >= 3 snapshots of one process (libsnap/growth.hpp).
#include <iostream>

#include "commands.hpp"
#include "findings_report.hpp"
#include "json_writer.hpp"
#include "libsnap/growth.hpp"

namespace analyzer {

int run_growth(const GrowthOptions& options) {
  const std::vector<std::string> arguments =
      series_arguments(options.snapshots, options.dir, "growth", "snapshots (at least 3)");
  std::vector<libsnap::SeriesEntry> series;
  libsnap::GrowthReport report;
  const std::uint64_t start = now_ns();
  try {
    series = libsnap::resolve_series(arguments);
    libsnap::GrowthOptions go;
    go.min_objects_per_step = options.min_per_step;
    go.max_findings = options.top;
    go.load.threads = options.common.threads;
    SeriesProgress progress("growth", options.common);
    progress.attach(go);
    report = libsnap::find_growth(series, go);
  } catch (const libsnap::SeriesError& e) {
    throw UsageError(e.what());
  }
  const double seconds = seconds_since(start);
  if (options.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.key("snapshots").begin_array();
    for (const libsnap::SeriesEntry& p : report.points) {
      j.begin_object()
          .field("file", p.path)
          .field("label", p.label)
          .field("round", p.round)
          .end_object();
    }
    j.end_array();
    write_findings_json(j, report.findings);
    j.end_object();
    std::cout << "\n";
    return kExitOk;
  }
  if (report.findings.empty()) {
    std::cout << "No steady growth over " << report.points.size()
              << " snapshots: no container or class grows in most steps.\n";
  } else {
    write_findings_text(std::cout, report.findings, "step");
  }
  if (!options.common.quiet) {
    std::cout << "\n" << report.points.size() << " snapshots (";
    for (std::size_t i = 0; i < report.points.size(); ++i) {
      const auto& p = report.points[i];
      std::cout << (i ? ", " : "") << (p.label.empty() ? p.path : p.label);
    }
    std::cout << "), " << seconds << " s, peak RSS " << human_bytes(peak_rss_bytes()) << "\n";
  }
  return kExitOk;
}

}  // namespace analyzer
