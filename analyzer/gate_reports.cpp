// The gate's reports (gate_reports.hpp).
#include "gate_reports.hpp"

#include <simdjson.h>

#include <fstream>
#include <sstream>

#include "cli_support.hpp"
#include "json_writer.hpp"
#include "text_escape.hpp"

#ifndef LIBSNAP_VERSION
#define LIBSNAP_VERSION "0.0.0"
#endif

namespace analyzer {
namespace {

constexpr const char* kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr const char* kFingerprintKey = "libsnapGateFinding/v1";

const Rule& rule_of(const GateRun& run, const GateFinding& g) {
  return run.config.rules[g.rule];
}

std::string verdict_word(const GateRun& run) {
  return run.result.failed() ? "failed" : "passed";
}

std::string counts_sentence(const GateResult& r) {
  std::string s = std::to_string(r.errors) + (r.errors == 1 ? " error" : " errors") + ", " +
                  std::to_string(r.warnings) + (r.warnings == 1 ? " warning" : " warnings") + ", " +
                  std::to_string(r.known) + " known, " + std::to_string(r.ignored) + " ignored";
  return s;
}

std::string series_label(const GateResult& r) {
  std::string s = std::to_string(r.points.size()) + " snapshots";
  if (r.points.empty()) return s;
  const auto& first = r.points.front();
  const auto& last = r.points.back();
  s += " (" + (first.label.empty() ? first.path : first.label) + " … " +
       (last.label.empty() ? last.path : last.label) + ")";
  return s;
}

std::string series_text(const std::vector<std::int64_t>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += " → ";
    s += std::to_string(v[i]);
  }
  return s;
}

// "[known] " / "[ignored] " before a finding that does not count, "" before a new one.
std::string state_tag(const GateFinding& g) {
  if (g.state == FindingState::kNew) return std::string();
  std::string s(1, '[');  // (appended piecewise: GCC 12 -Wrestrict false positive on "[" + s)
  s += finding_state_name(g.state);
  s += "] ";
  return s;
}

// For a known finding: what the baseline recorded, and whether it has grown faster since.
//   "in the baseline at 200 entries, 22.7 KiB per step; now 400 entries per step"
std::string recorded_note(const GateFinding& g) {
  if (!g.recorded) return std::string();
  std::string s =
      "in the baseline at " +
      with_commas(
          static_cast<std::uint64_t>(std::max<std::int64_t>(0, g.recorded->objects_per_step))) +
      " " + g.measure + ", " +
      human_bytes(
          static_cast<std::uint64_t>(std::max<std::int64_t>(0, g.recorded->bytes_per_step))) +
      " per step";
  if (g.objects_per_step > g.recorded->objects_per_step ||
      g.bytes_per_step > g.recorded->bytes_per_step) {
    s += "; grown since: now " +
         with_commas(static_cast<std::uint64_t>(std::max<std::int64_t>(0, g.objects_per_step))) +
         " " + g.measure + ", " +
         human_bytes(static_cast<std::uint64_t>(std::max<std::int64_t>(0, g.bytes_per_step))) +
         " per step";
  }
  return s;
}

std::string path_of(const GateFinding& g) {
  return g.has_container ? g.container.path_text : std::string();
}

// The whole finding for a human, one visible line per fact (snapshot strings can hold newlines
// and bidi controls; visible_text escapes them line by line).
std::string finding_details(const GateFinding& g) {
  std::string s = visible_text(g.message);
  if (g.has_container) s += "\nRetainer path: " + visible_text(g.container.path_text);
  if (!g.series.empty()) s += "\nPer snapshot (" + g.measure + "): " + series_text(g.series);
  if (g.state == FindingState::kIgnored) s += "\nIgnored: " + visible_text(g.ignore_reason);
  if (g.state == FindingState::kKnown) s += "\nKnown: " + recorded_note(g);
  return s;
}

std::string rule_description(const Rule& rule) {
  switch (rule.kind) {
    case RuleKind::kTotal:
      return "The whole heap may grow by at most " + budget_text(rule, "objects") +
             " (steady growth, median step)";
    case RuleKind::kClass:
      return "Classes matching '" + rule.pattern + "' may grow by at most " +
             budget_text(rule, "instances");
    case RuleKind::kContainer:
      return "Containers whose retainer path matches '" + rule.pattern + "' may grow by at most " +
             budget_text(rule, "objects");
    case RuleKind::kUnboundedCollections:
      return "No collection may gain more than " + budget_text(rule, "entries");
  }
  return "";
}

std::string uri_reference(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string xml_attr(std::string_view name, std::string_view value) {
  std::string s(" ");
  s += name;
  s += "=\"";
  s += xml_text(value);
  s += '"';
  return s;
}

}  // namespace

std::string gate_text(const GateRun& run) {
  const GateResult& r = run.result;
  std::ostringstream out;
  out << (r.failed() ? "FAIL" : "PASS") << ": memory gate " << verdict_word(run) << " — "
      << counts_sentence(r) << "\n";
  for (std::size_t i = 0; i < run.config.rules.size(); ++i) {
    const Rule& rule = run.config.rules[i];
    const RuleOutcome& o = r.outcomes[i];
    const char* mark = o.status == RuleStatus::kFail   ? "FAIL"
                       : o.status == RuleStatus::kWarn ? "WARN"
                                                       : "ok  ";
    out << "  " << mark << " " << visible_text(rule.id) << " (" << severity_name(rule.severity)
        << ", budget " << budget_text(rule, rule.kind == RuleKind::kClass ? "instances" : "objects")
        << "): " << visible_text(o.measured) << "\n";
    for (const GateFinding& g : r.findings) {
      if (g.rule != i) continue;
      out << "       " << state_tag(g) << visible_text(g.message) << "\n";
      if (g.has_container) out << "         path: " << visible_text(g.container.path_text) << "\n";
      if (g.state == FindingState::kIgnored)
        out << "         reason: " << visible_text(g.ignore_reason) << "\n";
      if (g.state == FindingState::kKnown) out << "         known: " << recorded_note(g) << "\n";
    }
  }
  return out.str();
}

std::string gate_json(const GateRun& run) {
  const GateResult& r = run.result;
  std::ostringstream out;
  {
    JsonWriter j(out);
    j.begin_object()
        .field("verdict", r.failed() ? "fail" : "pass")
        .field("exit_code", run.exit_code)
        .field("config", run.config.file);
    j.key("baseline");
    if (run.baseline_file.empty())
      j.null();
    else
      j.value(run.baseline_file);
    j.key("snapshots").begin_array();
    for (std::size_t i = 0; i < r.points.size(); ++i) {
      j.begin_object()
          .field("file", r.points[i].path)
          .field("label", r.points[i].label)
          .field("round", r.points[i].round);
      if (i < r.facts.size()) {
        j.field("nodes", r.facts[i].nodes)
            .field("total_bytes", r.facts[i].total_bytes)
            .field("user_objects", r.facts[i].user_objects);
      }
      j.end_object();
    }
    j.end_array();
    j.key("rules").begin_array();
    for (std::size_t i = 0; i < run.config.rules.size(); ++i) {
      const Rule& rule = run.config.rules[i];
      const RuleOutcome& o = r.outcomes[i];
      j.begin_object()
          .field("id", rule.id)
          .field("kind", rule_kind_name(rule.kind))
          .field("pattern", rule.pattern)
          .field("severity", severity_name(rule.severity));
      j.key("objects_per_step");
      rule.objects_per_step ? j.value(*rule.objects_per_step) : j.null();
      j.key("bytes_per_step");
      rule.bytes_per_step ? j.value(*rule.bytes_per_step) : j.null();
      j.field("status", rule_status_name(o.status))
          .field("subjects", static_cast<std::uint64_t>(o.subjects))
          .field("new", static_cast<std::uint64_t>(o.new_findings))
          .field("known", static_cast<std::uint64_t>(o.known))
          .field("ignored", static_cast<std::uint64_t>(o.ignored))
          .field("measured", o.measured)
          .end_object();
    }
    j.end_array();
    j.key("findings").begin_array();
    for (const GateFinding& g : r.findings) {
      const Rule& rule = rule_of(run, g);
      j.begin_object()
          .field("rule", rule.id)
          .field("severity", severity_name(rule.severity))
          .field("state", finding_state_name(g.state))
          .field("reason", g.ignore_reason)
          .field("fingerprint", g.fingerprint)
          .field("subject", g.subject)
          .field("message", g.message)
          .field("measure", g.measure)
          .field("objects_per_step", g.objects_per_step)
          .field("bytes_per_step", g.bytes_per_step)
          .field("over_objects", g.over_objects)
          .field("over_bytes", g.over_bytes);
      j.key("recorded");
      if (g.recorded) {
        j.begin_object()
            .field("objects_per_step", g.recorded->objects_per_step)
            .field("bytes_per_step", g.recorded->bytes_per_step)
            .end_object();
      } else {
        j.null();
      }
      j.key("series").begin_array();
      for (const std::int64_t v : g.series) j.value(v);
      j.end_array();
      j.key("container");
      if (!g.has_container) {
        j.null();
      } else {
        j.begin_object().field("id", g.container.id).field("class", g.container.class_name);
        j.key("path").begin_array();
        for (const std::string& p : g.container.path) j.value(p);
        j.end_array();
        j.field("path_text", g.container.path_text)
            .field("retained_bytes", g.retained_bytes)
            .end_object();
      }
      j.end_object();
    }
    j.end_array();
    j.key("counts")
        .begin_object()
        .field("errors", static_cast<std::uint64_t>(r.errors))
        .field("warnings", static_cast<std::uint64_t>(r.warnings))
        .field("known", static_cast<std::uint64_t>(r.known))
        .field("ignored", static_cast<std::uint64_t>(r.ignored))
        .end_object();
    j.field("seconds", run.seconds).end_object();
  }
  return out.str();
}

std::string gate_junit(const GateRun& run) {
  const GateResult& r = run.result;
  std::size_t failures = 0;
  for (const RuleOutcome& o : r.outcomes) failures += o.status == RuleStatus::kFail;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", run.seconds);
  const std::string counts = xml_attr("tests", std::to_string(run.config.rules.size())) +
                             xml_attr("failures", std::to_string(failures)) +
                             xml_attr("errors", "0") + xml_attr("skipped", "0") +
                             xml_attr("time", seconds);
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites" + xml_attr("name", "libsnap memory gate") + counts + ">\n";
  x += "  <testsuite" + xml_attr("name", "libsnap.gate") + counts + ">\n";
  x += "    <properties>\n";
  x += "      <property" + xml_attr("name", "config") + xml_attr("value", run.config.file) + "/>\n";
  if (!run.baseline_file.empty())
    x += "      <property" + xml_attr("name", "baseline") + xml_attr("value", run.baseline_file) +
         "/>\n";
  for (const libsnap::SeriesEntry& p : r.points)
    x += "      <property" + xml_attr("name", "snapshot") + xml_attr("value", p.path) + "/>\n";
  x += "    </properties>\n";
  for (std::size_t i = 0; i < run.config.rules.size(); ++i) {
    const Rule& rule = run.config.rules[i];
    const RuleOutcome& o = r.outcomes[i];
    x += "    <testcase" +
         xml_attr("classname", "libsnap.gate." + std::string(rule_kind_name(rule.kind))) +
         xml_attr("name", rule.id) + xml_attr("time", "0") + ">\n";
    std::string failing, other;
    std::string first_message;
    for (const GateFinding& g : r.findings) {
      if (g.rule != i) continue;
      const bool fails = g.state == FindingState::kNew && rule.severity == Severity::kError;
      if (fails && first_message.empty()) first_message = g.message;
      std::string& to = fails ? failing : other;  // lines already made visible
      if (!fails) to += g.state == FindingState::kNew ? "[warning] " : state_tag(g);
      to += finding_details(g) + "\n\n";
    }
    if (o.status == RuleStatus::kFail) {
      x += "      <failure" + xml_attr("type", "memory-budget-exceeded") +
           xml_attr("message", first_message) + ">" + xml_text(failing, true) + "</failure>\n";
    }
    std::string out = "Budget: " + visible_text(rule_description(rule)) +
                      "\nMeasured: " + visible_text(o.measured) + "\n";
    if (!other.empty()) out += "\n" + other;
    x += "      <system-out>" + xml_text(out, true) + "</system-out>\n";
    x += "    </testcase>\n";
  }
  x += "  </testsuite>\n</testsuites>\n";
  return x;
}

std::string gate_sarif(const GateRun& run) {
  const GateResult& r = run.result;
  const std::string artifact = r.points.empty() ? std::string() : r.points.back().path;
  std::ostringstream out;
  {
    JsonWriter j(out);
    j.begin_object().field("$schema", kSarifSchema).field("version", "2.1.0");
    j.key("runs").begin_array().begin_object();
    j.key("tool").begin_object().key("driver").begin_object();
    j.field("name", "libsnap analyzer gate")
        .field("version", LIBSNAP_VERSION)
        .field("semanticVersion", LIBSNAP_VERSION);
    j.key("rules").begin_array();
    for (const Rule& rule : run.config.rules) {
      j.begin_object()
          .field("id", rule.id)
          .field("name", std::string(rule_kind_name(rule.kind)) + "-growth-budget");
      j.key("shortDescription")
          .begin_object()
          .field("text", visible_text(rule_description(rule)))
          .end_object();
      j.key("fullDescription")
          .begin_object()
          .field("text", visible_text(rule_description(rule)) +
                             ". A measure breaks the budget when it grows in most steps of the "
                             "series, never falls back by much, and its median step is above the "
                             "limit.")
          .end_object();
      j.key("defaultConfiguration")
          .begin_object()
          .field("level", severity_name(rule.severity))
          .end_object();
      j.end_object();
    }
    j.end_array().end_object().end_object();  // rules, driver, tool
    j.key("invocations").begin_array().begin_object();
    j.field("executionSuccessful", true).field("exitCode", run.exit_code);
    j.end_object().end_array();
    if (!artifact.empty()) {
      j.key("artifacts").begin_array();
      for (const libsnap::SeriesEntry& p : r.points)
        j.begin_object()
            .key("location")
            .begin_object()
            .field("uri", uri_reference(p.path))
            .end_object()
            .end_object();
      j.end_array();
    }
    j.key("results").begin_array();
    for (const GateFinding& g : r.findings) {
      const Rule& rule = rule_of(run, g);
      j.begin_object()
          .field("ruleId", rule.id)
          .field("ruleIndex", static_cast<std::uint64_t>(g.rule))
          .field("kind", "fail")
          .field("level", severity_name(rule.severity));
      j.key("message").begin_object().field("text", finding_details(g)).end_object();
      if (!artifact.empty()) {
        j.key("locations").begin_array().begin_object();
        j.key("physicalLocation")
            .begin_object()
            .key("artifactLocation")
            .begin_object()
            .field("uri", uri_reference(artifact))
            .field("index", static_cast<std::uint64_t>(r.points.size() - 1))
            .end_object()
            .end_object();
        if (g.has_container) {
          j.key("logicalLocations").begin_array().begin_object();
          j.field("name", visible_text(g.subject))
              .field("fullyQualifiedName", visible_text(g.container.path_text))
              .field("kind", "object");
          j.end_object().end_array();
        }
        j.end_object().end_array();
      }
      j.key("partialFingerprints")
          .begin_object()
          .field(kFingerprintKey, g.fingerprint)
          .end_object();
      if (!run.baseline_file.empty())
        j.field("baselineState", g.state == FindingState::kKnown ? "unchanged" : "new");
      if (g.state == FindingState::kIgnored) {
        j.key("suppressions").begin_array().begin_object();
        j.field("kind", "external")
            .field("status", "accepted")
            .field("justification", visible_text(g.ignore_reason));
        j.end_object().end_array();
      }
      j.key("properties").begin_object();
      j.field("state", finding_state_name(g.state))
          .field("measure", g.measure)
          .field("objectsPerStep", g.objects_per_step)
          .field("bytesPerStep", g.bytes_per_step);
      if (g.has_container)
        j.field("containerId", g.container.id).field("retainedBytes", g.retained_bytes);
      if (g.recorded)
        j.field("baselineObjectsPerStep", g.recorded->objects_per_step)
            .field("baselineBytesPerStep", g.recorded->bytes_per_step);
      j.key("series").begin_array();
      for (const std::int64_t v : g.series) j.value(v);
      j.end_array().end_object();  // series, properties
      j.end_object();              // result
    }
    j.end_array();               // results
    j.end_object().end_array();  // run, runs
    j.end_object();
  }
  return out.str();
}

std::string gate_markdown(const GateRun& run) {
  const GateResult& r = run.result;
  std::string m = "## libsnap memory gate: ";
  m += r.failed() ? "❌ failed" : "✅ passed";
  m += "\n\n" + counts_sentence(r) + " · " + markdown_text(series_label(r)) + " · config " +
       markdown_text(run.config.file);
  if (!run.baseline_file.empty()) m += " · baseline " + markdown_text(run.baseline_file);
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", run.seconds);
  m += " · " + std::string(seconds) + " s\n\n";
  m += "| Budget | Severity | Limit | Measured (largest) | Result |\n|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < run.config.rules.size(); ++i) {
    const Rule& rule = run.config.rules[i];
    const RuleOutcome& o = r.outcomes[i];
    const char* result = o.status == RuleStatus::kFail   ? "❌ fail"
                         : o.status == RuleStatus::kWarn ? "⚠️ warning"
                                                         : "✅ pass";
    m += "| " + markdown_text(rule.id) + " | " + std::string(severity_name(rule.severity)) + " | " +
         markdown_text(budget_text(rule, rule.kind == RuleKind::kClass ? "instances" : "objects")) +
         " | " + markdown_text(o.measured) + " | " + result + " |\n";
  }
  if (!r.findings.empty()) {
    m += "\n### Findings\n\n| # | Budget | State | Finding | Retainer path "
         "|\n|---|---|---|---|---|\n";
    std::size_t n = 0;
    for (const GateFinding& g : r.findings) {
      const Rule& rule = rule_of(run, g);
      std::string state = g.state == FindingState::kNew ? std::string(severity_name(rule.severity))
                                                        : std::string(finding_state_name(g.state));
      std::string finding = markdown_text(g.message);
      if (g.state == FindingState::kIgnored) finding += " (" + markdown_text(g.ignore_reason) + ")";
      if (g.state == FindingState::kKnown) finding += " (" + markdown_text(recorded_note(g)) + ")";
      m += "| " + std::to_string(++n) + " | " + markdown_text(rule.id) + " | " + state + " | " +
           finding + " | " + markdown_text(path_of(g)) + " |\n";
    }
  }
  return m;
}

std::string gate_baseline(const GateRun& run) {
  std::ostringstream out;
  {
    JsonWriter j(out);
    j.begin_object().field("libsnap_gate_baseline", 1).field("config", run.config.file);
    j.key("findings").begin_array();
    for (const GateFinding& g : run.result.findings) {
      if (g.state == FindingState::kIgnored) continue;
      j.begin_object()
          .field("fingerprint", g.fingerprint)
          .field("rule", rule_of(run, g).id)
          .field("objects_per_step", g.objects_per_step)
          .field("bytes_per_step", g.bytes_per_step)
          .field("message", g.message)
          .end_object();
    }
    j.end_array().end_object();
  }
  return out.str();
}

KnownFindings read_gate_baseline(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(path + ": cannot open the baseline");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw UsageError(path + ": cannot read the baseline");
  const std::string text = buffer.str();
  if (text.empty())
    throw UsageError(path + ": empty file (expected a gate baseline written by --write-baseline)");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto error = parser.parse(simdjson::padded_string(text)).get(root))
    throw UsageError(path + ": not valid JSON: " + simdjson::error_message(error));
  std::int64_t version = 0;
  if (!root.is_object() || root["libsnap_gate_baseline"].get(version) || version != 1)
    throw UsageError(path +
                     ": libsnap_gate_baseline: expected 1 (a file written by "
                     "analyzer gate --write-baseline)");
  simdjson::dom::array findings;
  if (root["findings"].get(findings)) throw UsageError(path + ": findings: expected an array");
  KnownFindings known;
  std::size_t i = 0;
  for (simdjson::dom::element f : findings) {
    const std::string at = path + ": findings[" + std::to_string(i++) + "].";
    std::string_view fp;
    if (!f.is_object() || f["fingerprint"].get(fp))
      throw UsageError(at + "fingerprint: expected a string");
    KnownFinding recorded;
    for (auto [key, slot] : {std::pair{"objects_per_step", &recorded.objects_per_step},
                             std::pair{"bytes_per_step", &recorded.bytes_per_step}}) {
      simdjson::dom::element v;
      if (f[key].get(v)) continue;  // optional: a hand-written baseline may list fingerprints only
      if (v.get(*slot)) throw UsageError(at + key + ": expected an integer");
    }
    known.emplace(fp, recorded);
  }
  return known;
}

}  // namespace analyzer
