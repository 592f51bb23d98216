// What the gate writes: the console verdict, and the files CI systems read -- JUnit XML (one test
// case per budget), SARIF 2.1.0 (one result per finding), Markdown (a job summary), JSON (the
// documented contract) -- plus the baseline of known findings and its reader. Each function
// returns the whole document; cmd_gate writes it atomically. Snapshot strings pass through
// text_escape everywhere they reach a human-readable format.
#pragma once

#include <string>

#include "gate_config.hpp"
#include "gate_eval.hpp"

namespace analyzer {

struct GateRun {
  const GateConfig& config;
  const GateResult& result;
  std::string baseline_file;  // the --baseline given, or ""
  double seconds = 0;
  int exit_code = 0;
};

std::string gate_text(const GateRun& run);  // for the terminal / CI log
std::string gate_json(const GateRun& run);
std::string gate_junit(const GateRun& run);
std::string gate_sarif(const GateRun& run);
std::string gate_markdown(const GateRun& run);

// The known findings of this run (every finding not ignored), for --write-baseline.
std::string gate_baseline(const GateRun& run);
// The findings of a baseline file. Throws UsageError naming the file and the key.
KnownFindings read_gate_baseline(const std::string& path);

}  // namespace analyzer
