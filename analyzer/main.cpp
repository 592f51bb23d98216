// The analyzer CLI: parses options with CLI11 (only here) and calls one command function.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"

namespace {

void add_common(CLI::App* cmd, analyzer::CommonOptions& common) {
  cmd->add_flag("--json", common.json, "Write machine-readable JSON to stdout");
  cmd->add_flag("-q,--quiet", common.quiet, "No progress output on stderr");
  cmd->add_option("--threads", common.threads, "Threads for loading (default: all cores)");
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "analyzer: offline analysis of V8 heap snapshots (.heapsnapshot, optionally gzipped)"};
  app.footer(
      "Exit codes: 0 ok, 1 gate failed, 2 bad input or usage.\n"
      "Example:\n  analyzer info app.heapsnapshot --json");
  app.require_subcommand(1);

  analyzer::InfoOptions info;
  CLI::App* info_cmd =
      app.add_subcommand("info", "Header facts, counts, sections, load time and memory");
  info_cmd->add_option("snapshot", info.snapshot, "The .heapsnapshot file (or .heapsnapshot.gz)")
      ->required();
  add_common(info_cmd, info.common);
  info_cmd->footer(
      "Example:\n  analyzer info app.heapsnapshot\n  analyzer info app.heapsnapshot.gz --json");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "analyzer: " << e.what() << " (see analyzer --help)\n";
    return analyzer::kExitBadInput;
  }

  try {
    if (*info_cmd) return analyzer::run_info(info);
  } catch (const libsnap::LoadError& e) {
    std::cerr << "analyzer: " << e.what() << "\n";
    return analyzer::kExitBadInput;
  } catch (const analyzer::UsageError& e) {
    std::cerr << "analyzer: " << e.what() << "\n";
    return analyzer::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "analyzer: error: " << e.what() << "\n";
    return analyzer::kExitBadInput;
  }
  return analyzer::kExitBadInput;
}
