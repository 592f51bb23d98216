// One function per analyzer command; main.cpp parses options (CLI11) and calls these. Each
// returns an exit code and throws libsnap::LoadError or UsageError for bad input.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli_support.hpp"

namespace analyzer {

struct InfoOptions {
  CommonOptions common;
  std::string snapshot;
};
int run_info(const InfoOptions& options);

// retainers (issue 5): why a node or a class is alive.
struct RetainersOptions {
  CommonOptions common;
  std::string snapshot;
  std::uint64_t id = 0;
  bool has_id = false;
  std::string class_name;
  unsigned paths = 0;        // --id: paths wanted (0 = 1); --class: path shapes shown (0 = 10)
  unsigned max_depth = 0;    // 0 = no limit
  unsigned instances = 200;  // --class: the biggest instances whose paths are grouped
  bool internals = false;
};
int run_retainers(const RetainersOptions& options);

// inspect (issue 5): one node up close.
struct InspectOptions {
  CommonOptions common;
  std::string snapshot;
  std::uint64_t id = 0;
  unsigned limit = 30;  // edges and retainers listed (0 = all)
};
int run_inspect(const InspectOptions& options);

// find (issue 5): nodes by class, name or string value.
struct FindOptions {
  CommonOptions common;
  std::string snapshot;
  std::string class_name;
  std::string name;     // regex
  std::string string;   // regex
  unsigned limit = 20;  // 0 = all
};
int run_find(const FindOptions& options);

// summary (issue 4): the Summary view, one row per class.
struct SummaryOptions {
  CommonOptions common;
  std::string snapshot;
  unsigned top = 20;               // 0 = all
  std::string sort = "retained";   // retained | shallow | count | distance
  std::string filter;              // ECMAScript regex on class names
  std::string naming = "latest";   // latest | 2021
  bool raw_sizes = false;
};
int run_summary(const SummaryOptions& options);

// stats (issue 4): the Statistics view.
struct StatsOptions {
  CommonOptions common;
  std::string snapshot;
  bool raw_sizes = false;
};
int run_stats(const StatsOptions& options);

// dominators (issue 4): the biggest retainers as a dominator tree.
struct DominatorsOptions {
  CommonOptions common;
  std::string snapshot;
  unsigned top = 10;   // children shown per node
  unsigned depth = 4;  // levels below the root
  bool raw_sizes = false;
};
int run_dominators(const DominatorsOptions& options);

// diff (issue 6): DevTools' Comparison view, plus retained-size deltas and survivors per class.
struct DiffOptions {
  CommonOptions common;
  std::string before;
  std::string after;
  unsigned top = 20;          // 0 = all
  std::string sort = "size";  // size | count | retained | new | deleted | alloc | freed | ...
  std::string filter;         // ECMAScript regex on class names
  bool raw_sizes = false;
};
int run_diff(const DiffOptions& options);

// leaks (issue 6): the three-snapshot test, grouped by the container that holds the leak.
struct LeaksOptions {
  CommonOptions common;
  std::vector<std::string> snapshots;  // BASELINE TARGET FINAL, or one capture directory
  std::uint64_t min_objects = 5;
  unsigned top = 20;
};
int run_leaks(const LeaksOptions& options);

// growth (issue 6): containers and classes growing steadily over N >= 3 snapshots.
struct GrowthOptions {
  CommonOptions common;
  std::vector<std::string> snapshots;
  std::string dir;
  std::int64_t min_per_step = 5;
  unsigned top = 20;
};
int run_growth(const GrowthOptions& options);

// gate (issue 7): memory budgets for CI, with JUnit / SARIF / Markdown / JSON reports.
struct GateOptions {
  CommonOptions common;  // --quiet, --threads (gate's --json takes a file)
  std::vector<std::string> snapshots;
  std::string dir;
  std::string config;
  std::string baseline;        // known findings: only new ones fail
  std::string write_baseline;  // record this run's findings as known
  std::string junit, sarif, markdown, json_file;  // reports; json_file "-" is stdout
};
int run_gate(const GateOptions& options);

// report (issue 8): one self-contained HTML page with the views as pictures.
struct ReportOptions {
  CommonOptions common;
  std::vector<std::string> snapshots;
  std::string dir;
  std::string output;  // -o FILE.html
};
int run_report(const ReportOptions& options);

}  // namespace analyzer
