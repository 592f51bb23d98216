// The command line of snapcapture, parsed by hand (CLI11 is reserved for the analyzer).
#pragma once

#include <string>
#include <vector>

namespace snapcapture {

enum class Mode { kRun, kScenario };

struct Options {
  Mode mode = Mode::kRun;
  std::string script;                     // as given on the command line
  std::string out_dir;                    // --out
  unsigned heap_limit_mb = 0;             // --heap-limit-mb; 0 = V8's default
  double max_seconds = 0;                 // --max-seconds; 0 = no limit
  bool snapshot_near_heap_limit = false;  // --snapshot-near-heap-limit
  unsigned rounds = 3;                    // --rounds: snapshots in a scenario series, at least 3
  bool force = false;                     // --force: replace an earlier capture in --out
  std::vector<std::string> script_args;   // everything after `--`
};

// What the command line asked for: a capture, or just a message to print.
struct ParseResult {
  enum class Action { kCapture, kHelp, kVersion, kError } action = Action::kCapture;
  Options options;
  std::string error;  // for kError: what was wrong (one line)
};

ParseResult parse_args(int argc, const char* const* argv);

// The --help text, with examples.
std::string usage_text();

}  // namespace snapcapture
