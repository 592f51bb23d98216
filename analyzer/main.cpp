// The analyzer CLI: parses options with CLI11 (only here) and calls one command function.
#include <CLI/CLI.hpp>

#include <iostream>

#include "commands.hpp"
#include "text_escape.hpp"
#include "visible_output.hpp"

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

  analyzer::RetainersOptions retainers;
  CLI::App* retainers_cmd = app.add_subcommand(
      "retainers", "Why is it alive: retainer paths from the root and the dominator chain");
  retainers_cmd->add_option("snapshot", retainers.snapshot, "The .heapsnapshot file")->required();
  CLI::Option* retainers_id =
      retainers_cmd->add_option("--id", retainers.id, "The node's id (@id)");
  retainers_cmd
      ->add_option("--class", retainers.class_name,
                   "A class: paths of its biggest instances, grouped by shape")
      ->excludes(retainers_id);
  retainers_cmd->add_option("--paths", retainers.paths,
                            "--id: K distinct paths, shortest first (default 1); "
                            "--class: path shapes shown (default 10)");
  retainers_cmd->add_option("--max-depth", retainers.max_depth, "Longest path, in edges");
  retainers_cmd
      ->add_option("--instances", retainers.instances,
                   "--class: how many of the biggest instances to examine")
      ->capture_default_str();
  retainers_cmd->add_flag("--internals", retainers.internals,
                          "Show engine-internal hops ([[table]], [[context]], ...)");
  add_common(retainers_cmd, retainers.common);
  retainers_cmd->footer(
      "Example:\n  analyzer retainers app.heapsnapshot --id 80417 --paths 3\n"
      "  analyzer retainers app.heapsnapshot --class MetricSample --json");

  analyzer::InspectOptions inspect;
  CLI::App* inspect_cmd = app.add_subcommand(
      "inspect", "One node: facts, edges (biggest first), retainers, dominator chain, path");
  inspect_cmd->add_option("snapshot", inspect.snapshot, "The .heapsnapshot file")->required();
  inspect_cmd->add_option("--id", inspect.id, "The node's id (@id)")->required();
  inspect_cmd->add_option("--limit", inspect.limit, "Edges and retainers listed (0 = all)")
      ->capture_default_str();
  add_common(inspect_cmd, inspect.common);
  inspect_cmd->footer("Example:\n  analyzer inspect app.heapsnapshot --id 80417");

  analyzer::FindOptions find;
  CLI::App* find_cmd =
      app.add_subcommand("find", "Nodes by class, name or string value, biggest retained first");
  find_cmd->add_option("snapshot", find.snapshot, "The .heapsnapshot file")->required();
  find_cmd->add_option("--class", find.class_name, "Exact class name (as in the Summary view)");
  find_cmd->add_option("--name", find.name, "Regular expression (ECMAScript) on node names");
  find_cmd->add_option("--string", find.string, "Regular expression on string values");
  find_cmd->add_option("--limit", find.limit, "Nodes listed (0 = all)")->capture_default_str();
  add_common(find_cmd, find.common);
  find_cmd->footer(
      "Example:\n  analyzer find app.heapsnapshot --class MetricSample\n"
      "  analyzer find app.heapsnapshot --string '^session:' --json");

  analyzer::SummaryOptions summary;
  CLI::App* summary_cmd = app.add_subcommand(
      "summary", "The Summary view: classes by retained size, exactly as Chrome DevTools");
  summary_cmd->add_option("snapshot", summary.snapshot, "The .heapsnapshot file")->required();
  summary_cmd->add_option("--top", summary.top, "Classes shown (0 = all)")->capture_default_str();
  summary_cmd->add_option("--sort", summary.sort, "Order: retained, shallow, count or distance")
      ->check(CLI::IsMember({"retained", "shallow", "count", "distance"}))
      ->capture_default_str();
  summary_cmd->add_option("--filter", summary.filter,
                          "Only classes whose name matches this regular expression (ECMAScript)");
  summary_cmd
      ->add_option("--naming", summary.naming,
                   "Class names of DevTools 'latest' (Function, {a, b}, <div>) or '2021' "
                   "((closure), raw names)")
      ->check(CLI::IsMember({"latest", "2021"}))
      ->capture_default_str();
  summary_cmd->add_flag(
      "--raw-sizes", summary.raw_sizes,
      "Keep the snapshot's self sizes (no Chrome 128+ shallow-size reattribution)");
  add_common(summary_cmd, summary.common);
  summary_cmd->footer(
      "Example:\n  analyzer summary app.heapsnapshot --top 30\n"
      "  analyzer summary app.heapsnapshot --filter '^Detached ' --sort count --json");

  analyzer::StatsOptions stats;
  CLI::App* stats_cmd = app.add_subcommand(
      "stats", "The Statistics view: total, V8 heap (code, strings, JS arrays, system), native");
  stats_cmd->add_option("snapshot", stats.snapshot, "The .heapsnapshot file")->required();
  stats_cmd->add_flag("--raw-sizes", stats.raw_sizes,
                      "Keep the snapshot's self sizes (no shallow-size reattribution)");
  add_common(stats_cmd, stats.common);
  stats_cmd->footer(
      "Example:\n  analyzer stats app.heapsnapshot\n  analyzer stats app.heapsnapshot.gz --json");

  analyzer::DominatorsOptions dominators;
  CLI::App* dominators_cmd = app.add_subcommand(
      "dominators", "The biggest retainers as a tree: what keeps how much memory alive");
  dominators_cmd->add_option("snapshot", dominators.snapshot, "The .heapsnapshot file")->required();
  dominators_cmd->add_option("--top", dominators.top, "Children shown per node (0 = all)")
      ->capture_default_str();
  dominators_cmd->add_option("--depth", dominators.depth, "Levels shown below the root")
      ->capture_default_str();
  dominators_cmd->add_flag("--raw-sizes", dominators.raw_sizes,
                           "Keep the snapshot's self sizes (no shallow-size reattribution)");
  add_common(dominators_cmd, dominators.common);
  dominators_cmd->footer(
      "Example:\n  analyzer dominators app.heapsnapshot --top 5 --depth 6\n"
      "  analyzer dominators app.heapsnapshot --json");

  analyzer::DiffOptions diff;
  CLI::App* diff_cmd = app.add_subcommand(
      "diff",
      "The Comparison view: per class, objects new in AFTER and deleted since BEFORE (matched "
      "by id), sizes, retained-size delta and survivors");
  diff_cmd->add_option("before", diff.before, "The earlier snapshot (the base)")->required();
  diff_cmd->add_option("after", diff.after, "The later snapshot of the same process")->required();
  diff_cmd->add_option("--top", diff.top, "Classes shown (0 = all)")->capture_default_str();
  diff_cmd
      ->add_option("--sort", diff.sort,
                   "Order: size (|size delta|), count (|# delta|), retained (|retained delta|), "
                   "new, deleted, alloc, freed, survivors or name")
      ->check(CLI::IsMember(
          {"size", "count", "retained", "new", "deleted", "alloc", "freed", "survivors", "name"}))
      ->capture_default_str();
  diff_cmd->add_option("--filter", diff.filter,
                       "Only classes whose name matches this regular expression (ECMAScript)");
  diff_cmd->add_flag("--raw-sizes", diff.raw_sizes,
                     "Keep the snapshots' self sizes (no shallow-size reattribution)");
  add_common(diff_cmd, diff.common);
  diff_cmd->footer(
      "Both snapshots must come from one process (V8 ids are stable only within it).\n"
      "Example:\n  analyzer diff before.heapsnapshot after.heapsnapshot --top 10\n"
      "  analyzer diff a.heapsnapshot.gz b.heapsnapshot.gz --filter '^Detached ' --json");

  analyzer::LeaksOptions leaks;
  CLI::App* leaks_cmd = app.add_subcommand(
      "leaks",
      "Objects allocated between BASELINE and TARGET still alive in FINAL, grouped by the "
      "container that holds them, ranked by retained size");
  leaks_cmd
      ->add_option("snapshots", leaks.snapshots,
                   "BASELINE TARGET FINAL (or one snapcapture directory)")
      ->required();
  leaks_cmd->add_option("--min-objects", leaks.min_objects, "Smallest group reported")
      ->capture_default_str();
  leaks_cmd->add_option("--top", leaks.top, "Findings shown")->capture_default_str();
  add_common(leaks_cmd, leaks.common);
  leaks_cmd->footer(
      "Exit 0 (with or without findings), 2 on bad input (missing file, not three snapshots, "
      "snapshots of different processes).\n"
      "Example:\n  analyzer leaks run/00-baseline.heapsnapshot run/01-target.heapsnapshot "
      "run/02-final.heapsnapshot\n  analyzer leaks run/ --json");

  analyzer::GrowthOptions growth;
  CLI::App* growth_cmd = app.add_subcommand(
      "growth",
      "Containers (Map, Set, Array, listener lists, chains) and classes that grow steadily over "
      "N >= 3 snapshots of one process");
  growth_cmd->add_option("snapshots", growth.snapshots, "Snapshots in order (at least 3)");
  growth_cmd->add_option("--dir", growth.dir,
                         "A snapcapture / node-scenario directory (order from manifest.json, "
                         "else file names)");
  growth_cmd
      ->add_option("--min-per-step", growth.min_per_step,
                   "Smallest median growth per step reported (objects)")
      ->capture_default_str();
  growth_cmd->add_option("--top", growth.top, "Findings shown")->capture_default_str();
  add_common(growth_cmd, growth.common);
  growth_cmd->footer(
      "With a manifest, the mid-round `target` snapshot is left out when at least 3 remain.\n"
      "Exit 0 (with or without findings), 2 on bad input.\n"
      "Example:\n  node --expose-gc tools/capture/node-scenario.js app.js --out run --rounds 6\n"
      "  analyzer growth --dir run\n  analyzer growth a.heapsnapshot b.heapsnapshot "
      "c.heapsnapshot --json");

  analyzer::ReportOptions report;
  CLI::App* report_cmd = app.add_subcommand(
      "report",
      "One self-contained HTML page: statistics, a treemap of the dominator tree, classes, "
      "retainer paths; with several snapshots growth charts, leak findings and diffs");
  report_cmd->add_option("snapshots", report.snapshots,
                         "Snapshots of one process in order (the last one is shown in detail)");
  report_cmd->add_option("--dir", report.dir,
                         "A snapcapture / node-scenario directory (order from manifest.json, "
                         "else file names)");
  report_cmd->add_option("-o,--output", report.output, "The HTML file to write")->required();
  report_cmd->add_flag("-q,--quiet", report.common.quiet, "No progress or summary line");
  report_cmd->add_option("--threads", report.common.threads,
                         "Threads for loading (default: all cores)");
  report_cmd->footer(
      "The page needs no network; snapshot strings are shown as text, never as markup.\n"
      "Example:\n  analyzer report app.heapsnapshot -o report.html\n"
      "  analyzer report --dir run -o run/report.html");

  analyzer::GateOptions gate;
  CLI::App* gate_cmd = app.add_subcommand(
      "gate",
      "Memory budgets for CI: fail (exit 1) when the heap, a class, a container or a collection "
      "grows beyond its budget per step; writes JUnit, SARIF, Markdown and JSON reports");
  gate_cmd->add_option("snapshots", gate.snapshots, "Snapshots of one process in order");
  gate_cmd->add_option("--dir", gate.dir,
                       "A snapcapture / node-scenario directory (order from manifest.json, "
                       "else file names)");
  gate_cmd->add_option("--config", gate.config, "The budgets (JSON; see the README)")->required();
  gate_cmd->add_option("--baseline", gate.baseline,
                       "Known findings (from --write-baseline): only new findings fail");
  gate_cmd->add_option("--write-baseline", gate.write_baseline,
                       "Record this run's findings as known (the run then passes)");
  gate_cmd->add_option("--junit", gate.junit,
                       "Write a JUnit XML report (one test case per budget)");
  gate_cmd->add_option("--sarif", gate.sarif,
                       "Write a SARIF 2.1.0 report (one result per finding)");
  gate_cmd->add_option("--markdown", gate.markdown,
                       "Write a Markdown summary (for a CI job summary page)");
  gate_cmd->add_option("--json", gate.json_file,
                       "Write the JSON report to FILE ('-': stdout only)");
  gate_cmd->add_flag("-q,--quiet", gate.common.quiet, "No progress, no timing line");
  gate_cmd->add_option("--threads", gate.common.threads,
                       "Threads for loading (default: all cores)");
  gate_cmd->footer(
      "Exit 0: every budget holds (warnings may be reported). 1: a budget with severity error is "
      "exceeded by a finding that is neither ignored nor in the baseline. 2: bad input: a "
      "missing, empty or corrupt snapshot, fewer snapshots than the config needs, an invalid "
      "config or baseline.\n"
      "Example:\n  analyzer gate --config gate.json --dir run --junit gate.xml --sarif gate.sarif "
      "--markdown gate.md\n"
      "  analyzer gate --config gate.json --dir run --write-baseline gate-baseline.json\n"
      "  analyzer gate --config gate.json --dir run --baseline gate-baseline.json --json -");

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

  // Snapshot strings never reach the terminal raw (visible_output.hpp); error lines likewise.
  const analyzer::VisibleOutput visible_stdout(std::cout);
  try {
    if (*info_cmd) return analyzer::run_info(info);
    if (*summary_cmd) return analyzer::run_summary(summary);
    if (*stats_cmd) return analyzer::run_stats(stats);
    if (*dominators_cmd) return analyzer::run_dominators(dominators);
    if (*retainers_cmd) {
      retainers.has_id = retainers_id->count() > 0;
      return analyzer::run_retainers(retainers);
    }
    if (*inspect_cmd) return analyzer::run_inspect(inspect);
    if (*find_cmd) return analyzer::run_find(find);
    if (*diff_cmd) return analyzer::run_diff(diff);
    if (*leaks_cmd) return analyzer::run_leaks(leaks);
    if (*growth_cmd) return analyzer::run_growth(growth);
    if (*gate_cmd) return analyzer::run_gate(gate);
    if (*report_cmd) return analyzer::run_report(report);
  } catch (const libsnap::LoadError& e) {
    std::cerr << "analyzer: " << analyzer::visible_text(e.what()) << "\n";
    return analyzer::kExitBadInput;
  } catch (const analyzer::UsageError& e) {
    std::cerr << "analyzer: " << analyzer::visible_text(e.what()) << "\n";
    return analyzer::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "analyzer: error: " << analyzer::visible_text(e.what()) << "\n";
    return analyzer::kExitBadInput;
  }
  return analyzer::kExitBadInput;
}
