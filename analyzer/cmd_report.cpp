// `analyzer report (SNAPSHOT... | --dir DIR) -o report.html`: one self-contained HTML page (inline
// CSS, JavaScript and SVG; no network) with the views people read fastest as pictures. The data
// is collected by report_data, placed in the page by report_page, and the file written
// atomically.
#include <cstdio>
#include <iostream>

#include "atomic_file.hpp"
#include "commands.hpp"
#include "report_data.hpp"
#include "report_page.hpp"

namespace analyzer {

int run_report(const ReportOptions& options) {
  const std::vector<std::string> arguments =
      series_arguments(options.snapshots, options.dir, "report", "snapshots");
  if (options.output.empty()) throw UsageError("report needs -o FILE.html");
  const std::uint64_t start = now_ns();
  std::vector<libsnap::SeriesEntry> series;
  try {
    series = libsnap::resolve_series(arguments);
  } catch (const libsnap::SeriesError& e) {
    throw UsageError(e.what());
  }
  const std::string page = render_report_page(collect_report_data(series, options.common));
  write_file_atomically(options.output, page);
  if (!options.common.quiet) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", seconds_since(start));
    std::cout << "wrote " << options.output << " (" << human_bytes(page.size()) << ", "
              << series.size() << (series.size() == 1 ? " snapshot" : " snapshots") << ") in "
              << seconds << " s\n";
  }
  return kExitOk;
}

}  // namespace analyzer
