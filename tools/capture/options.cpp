#include "options.hpp"

#include <charconv>
#include <cmath>
#include <string_view>

namespace snapcapture {
namespace {

bool parse_unsigned(std::string_view text, unsigned& out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

bool parse_seconds(const std::string& text, double& out) {
  if (text.empty()) return false;
  std::size_t used = 0;
  try {
    out = std::stod(text, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == text.size() && std::isfinite(out) && out > 0;
}

ParseResult error(std::string message) {
  ParseResult result;
  result.action = ParseResult::Action::kError;
  result.error = std::move(message);
  return result;
}

}  // namespace

std::string usage_text() {
  return R"(snapcapture: run a JavaScript program in an embedded V8 and write labelled heap snapshots

Usage:
  snapcapture run SCRIPT.js --out DIR [options] [-- ARGS...]
  snapcapture scenario SCRIPT.js --out DIR [--rounds N] [options] [-- ARGS...]
  snapcapture --help | --version

Modes:
  run        Runs SCRIPT.js and its event loop until no timers remain (or --max-seconds).
             The script calls snapshot(label) whenever it wants a snapshot.
  scenario   SCRIPT.js defines setup(), action(round) and optionally cleanup(round). Writes
             baseline (after setup), target (after action(1)), final (after cleanup(1)), then
             round-R after action(R) + cleanup(R) for R = 2..N-2: N snapshots in all. Each step
             may return a promise; it is awaited, then the event loop runs until no timers remain.

Options:
  --out DIR                    where snapshots and manifest.json go (created if missing)
  --rounds N                   scenario snapshots in all, N >= 3 (default 3)
  --heap-limit-mb N            limit of V8's old generation, in MiB
  --max-seconds S              stop after S seconds (run mode: a normal end; scenario: exit 5)
  --snapshot-near-heap-limit   write one snapshot "near-heap-limit" when the heap is nearly full
  --force                      replace the snapshots and manifest of an earlier capture in DIR
  -- ARGS...                   the rest is passed to the script as scriptArgs

Host API for scripts:
  snapshot(label)  two full GCs, then writes DIR/NN-label.heapsnapshot; returns its path
  gc()  print(...)  console.log/info/warn/error(...)  load(path)  scriptArgs
  setTimeout/setInterval/clearTimeout/clearInterval  queueMicrotask  Promise

Output: DIR/NN-label.heapsnapshot (NN = sequence number) and DIR/manifest.json, each written
to a temporary file, flushed and renamed, so a kill never leaves a partial snapshot.

Exit codes: 0 ok; 2 usage, unreadable script, or DIR already holds a capture (see --force);
            3 JavaScript exception (message with script:line:column and stack); 4 a snapshot or
            the manifest could not be written; 5 out of heap, or out of time in scenario mode.

Examples:
  snapcapture scenario fixtures/scenarios/unbounded-cache.js --out /tmp/cache --rounds 5
  snapcapture run app.js --out /tmp/app --max-seconds 30 -- --port 8080
  node --expose-gc tools/capture/node-scenario.js fixtures/scenarios/healthy.js --out /tmp/h
)";
}

ParseResult parse_args(int argc, const char* const* argv) {
  ParseResult result;
  Options& opt = result.options;
  std::vector<std::string> args(argv + 1, argv + argc);
  for (const std::string& a : args) {
    if (a == "--") break;
    if (a == "--help" || a == "-h") {
      result.action = ParseResult::Action::kHelp;
      return result;
    }
    if (a == "--version") {
      result.action = ParseResult::Action::kVersion;
      return result;
    }
  }
  if (args.empty()) return error("missing mode: expected `run` or `scenario`");
  if (args[0] == "run") {
    opt.mode = Mode::kRun;
  } else if (args[0] == "scenario") {
    opt.mode = Mode::kScenario;
  } else {
    return error("unknown mode '" + args[0] + "': expected `run` or `scenario`");
  }

  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--") {
      opt.script_args.assign(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      if (!opt.script.empty())
        return error("unexpected argument '" + arg + "' (script already given as '" + opt.script +
                     "'; pass script arguments after `--`)");
      opt.script = arg;
      continue;
    }
    // --name=value or --name value
    std::string name = arg, value;
    bool has_inline_value = false;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_inline_value = true;
    }
    auto take_value = [&]() -> bool {
      if (has_inline_value) return true;
      if (i + 1 >= args.size()) return false;
      value = args[++i];
      return true;
    };
    if (name == "--snapshot-near-heap-limit" || name == "--force") {
      if (has_inline_value) return error("option " + name + " takes no value");
      (name == "--force" ? opt.force : opt.snapshot_near_heap_limit) = true;
    } else if (name == "--out") {
      if (!take_value() || value.empty()) return error("option --out needs a directory");
      opt.out_dir = value;
    } else if (name == "--heap-limit-mb") {
      if (!take_value() || !parse_unsigned(value, opt.heap_limit_mb) || opt.heap_limit_mb == 0)
        return error("option --heap-limit-mb needs a positive whole number of MiB");
    } else if (name == "--max-seconds") {
      if (!take_value() || !parse_seconds(value, opt.max_seconds))
        return error("option --max-seconds needs a positive number of seconds");
    } else if (name == "--rounds") {
      if (opt.mode != Mode::kScenario) return error("option --rounds is for scenario mode only");
      if (!take_value() || !parse_unsigned(value, opt.rounds))
        return error("option --rounds needs a whole number");
      if (opt.rounds < 3)
        return error("option --rounds must be at least 3 (baseline, target, final)");
    } else {
      return error("unknown option '" + name + "'");
    }
  }
  if (opt.script.empty()) return error("missing SCRIPT.js");
  if (opt.out_dir.empty()) return error("missing --out DIR");
  return result;
}

}  // namespace snapcapture
