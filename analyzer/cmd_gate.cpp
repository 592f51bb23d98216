// `analyzer gate --config FILE (SNAPSHOT... | --dir DIR)`: memory budgets for CI. Runs the growth
// analysis over the series, checks each budget of the config, and writes a verdict (exit 0 pass,
// 1 a budget is exceeded, 2 bad input) and the reports CI systems read.
#include <simdjson.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "atomic_file.hpp"
#include "commands.hpp"
#include "gate_config.hpp"
#include "gate_eval.hpp"
#include "gate_reports.hpp"
#include "libsnap/growth.hpp"

namespace analyzer {
namespace {

// A capture directory whose manifest says `"complete": false` holds a series the program did not
// finish (it failed, ran out of time, or was stopped): its growth says nothing about the rounds
// that never ran, so it must not pass.
void require_complete_capture(const std::vector<std::string>& arguments) {
  if (arguments.size() != 1) return;
  const std::filesystem::path manifest = std::filesystem::path(arguments[0]) / "manifest.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(manifest, ec)) return;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  bool complete = true;
  if (parser.load(manifest.string()).get(doc) || !doc.is_object()) return;  // series.cpp says why
  if (doc["complete"].get(complete) == simdjson::SUCCESS && !complete)
    throw UsageError(manifest.string() +
                     ": complete: false: the capture did not finish its rounds (the program "
                     "failed or was stopped); an incomplete series never passes");
}

}  // namespace

int run_gate(const GateOptions& options) {
  const std::vector<std::string> arguments =
      series_arguments(options.snapshots, options.dir, "gate", "snapshots (at least 3)");
  if (options.config.empty())
    throw UsageError("gate needs --config FILE (see analyzer gate --help)");

  // Everything that can be wrong with the invocation is found before the analysis runs.
  const GateConfig config = read_gate_config(options.config);
  require_complete_capture(arguments);
  KnownFindings known;
  if (!options.baseline.empty()) known = read_gate_baseline(options.baseline);

  const std::uint64_t start = now_ns();
  std::vector<libsnap::SeriesEntry> series;
  libsnap::GrowthReport growth;
  try {
    series = libsnap::resolve_series(arguments);
    if (series.size() < config.min_snapshots) {
      std::string got;
      for (const auto& s : series) got += (got.empty() ? "" : ", ") + s.path;
      throw UsageError("gate: " + config.file + " needs at least " +
                       std::to_string(config.min_snapshots) + " snapshots of one process, got " +
                       std::to_string(series.size()) + (got.empty() ? "" : " (" + got + ")") +
                       ": a short series never passes");
    }
    libsnap::GrowthOptions go = growth_options_for(config);
    go.load.threads = options.common.threads;
    SeriesProgress progress("gate", options.common);
    progress.attach(go);
    growth = libsnap::find_growth(series, go);
  } catch (const libsnap::SeriesError& e) {
    throw UsageError(e.what());
  }
  const double analysis_seconds = seconds_since(start);
  const std::uint64_t gate_start = now_ns();

  const GateResult result = evaluate_gate(config, growth, known);
  const bool recording = !options.write_baseline.empty();
  const int exit_code = result.failed() && !recording ? kExitGateFailed : kExitOk;
  const GateRun run{config, result, options.baseline, seconds_since(start), exit_code};

  // Render every document, then write each atomically.
  std::vector<std::pair<std::string, std::string>> files;
  if (!options.junit.empty()) files.emplace_back(options.junit, gate_junit(run));
  if (!options.sarif.empty()) files.emplace_back(options.sarif, gate_sarif(run));
  if (!options.markdown.empty()) files.emplace_back(options.markdown, gate_markdown(run));
  const bool json_to_stdout = options.json_file == "-";
  if (!options.json_file.empty() && !json_to_stdout)
    files.emplace_back(options.json_file, gate_json(run));
  if (recording) files.emplace_back(options.write_baseline, gate_baseline(run));
  for (const auto& [path, content] : files) write_file_atomically(path, content);
  const double gate_seconds = seconds_since(gate_start);

  if (json_to_stdout) {
    std::cout << gate_json(run);
    return exit_code;
  }
  std::cout << gate_text(run);
  if (recording)
    std::cout << "Baseline written to " << options.write_baseline << ": "
              << result.findings.size() - result.ignored
              << " findings recorded as known; the gate passes while recording.\n";
  if (!options.common.quiet) {
    std::cout << "\n" << growth.points.size() << " snapshots (";
    for (std::size_t i = 0; i < growth.points.size(); ++i) {
      const auto& p = growth.points[i];
      std::cout << (i ? ", " : "") << (p.label.empty() ? p.path : p.label);
    }
    char timing[96];
    std::snprintf(timing, sizeof timing, "), analysis %.2f s, budgets and reports %.3f s",
                  analysis_seconds, gate_seconds);
    std::cout << timing << ", peak RSS " << human_bytes(peak_rss_bytes()) << "\n";
  }
  return exit_code;
}

}  // namespace analyzer
