// The gate's verdict: each budget of a GateConfig checked against a growth report, each breach a
// finding with its container and retainer path, then the ignore list and the baseline of known
// findings applied. Pure computation; the reports are written by gate_reports.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gate_config.hpp"
#include "libsnap/growth.hpp"

namespace analyzer {

// A finding recorded by --write-baseline: how much it grew per step then.
struct KnownFinding {
  std::int64_t objects_per_step = 0;
  std::int64_t bytes_per_step = 0;
};
using KnownFindings = std::map<std::string, KnownFinding>;  // by fingerprint

enum class FindingState : std::uint8_t {
  kNew,      // counts: an error fails the gate, a warning is reported
  kKnown,    // in the baseline: reported, never fails
  kIgnored,  // matched by the ignore list: reported with its reason, never fails
};
std::string_view finding_state_name(FindingState s);  // "new", "known", "ignored"

struct GateFinding {
  std::size_t rule = 0;  // index into GateConfig::rules
  FindingState state = FindingState::kNew;
  std::string ignore_reason;
  std::string subject;      // "heap", a class name, or the container as `name` (Class @id)
  std::string fingerprint;  // stable across runs of the same program: rule id + subject shape
  std::string message;      // one sentence: what grows, by how much, against which budget
  std::string measure;      // what objects_per_step and series count: "objects", "instances", ...
  std::int64_t objects_per_step = 0;  // median step
  std::int64_t bytes_per_step = 0;
  bool over_objects = false;  // which limits were exceeded
  bool over_bytes = false;
  std::vector<std::int64_t> series;  // the measure at each point (counts, not bytes)
  bool has_container = false;        // where it accumulates (for total: the biggest growth)
  libsnap::ContainerRef container;
  std::uint64_t retained_bytes = 0;  // the container's, in the last snapshot
  std::string main_class;  // what accumulates there most (the growth finding's first class)
  std::optional<KnownFinding> recorded;  // kKnown: what the baseline recorded
};

// How one rule came out: kFail (a new error finding), kWarn (a new warning), kPass otherwise.
enum class RuleStatus : std::uint8_t { kPass, kWarn, kFail };
std::string_view rule_status_name(RuleStatus s);  // "pass", "warn", "fail"

struct RuleOutcome {
  RuleStatus status = RuleStatus::kPass;
  std::size_t subjects = 0;  // classes or containers the rule looked at (1 for total)
  std::size_t new_findings = 0, known = 0, ignored = 0;
  std::string measured;  // "1.2 MiB and 2,010 objects per step" (total) or the worst subject
};

struct GateResult {
  std::vector<libsnap::SeriesEntry> points;
  std::vector<libsnap::PointFacts> facts;
  std::vector<GateFinding> findings;  // by rule, then bytes per step, largest first
  std::vector<RuleOutcome> outcomes;  // one per rule, in config order
  std::size_t errors = 0, warnings = 0, known = 0, ignored = 0;  // findings by what they do
  bool failed() const { return errors > 0; }
};

// "10 entries, 64 KiB per step": a rule's limits, with `measure` naming what objects count.
std::string budget_text(const Rule& rule, const std::string& measure);

// The growth options the config needs: findings down to the smallest object budget checked.
libsnap::GrowthOptions growth_options_for(const GateConfig& config);

// `known`: the findings of a baseline file (empty: none).
GateResult evaluate_gate(const GateConfig& config, const libsnap::GrowthReport& growth,
                         const KnownFindings& known);

}  // namespace analyzer
