// Checking budgets against a growth report (gate_eval.hpp).
#include "gate_eval.hpp"

#include <algorithm>
#include <cctype>

#include "cli_support.hpp"
#include "findings_report.hpp"
#include "text_escape.hpp"

namespace analyzer {
namespace {

std::string count_text(std::int64_t v) {
  if (v >= 0) return with_commas(static_cast<std::uint64_t>(v));
  std::string s(1, '-');
  s += with_commas(static_cast<std::uint64_t>(-v));
  return s;
}

std::string bytes_text(std::int64_t v) {
  if (v >= 0) return human_bytes(static_cast<std::uint64_t>(v));
  std::string s(1, '-');
  s += human_bytes(static_cast<std::uint64_t>(-v));
  return s;
}

std::string median_step(const std::vector<std::int64_t>& values) {
  return count_text(libsnap::trend(values, 0).per_step);
}

// A measure exceeds `limit` when it grows steadily (the trend test: no one-off warm-up step, no
// sawtooth) with a median step above the limit.
bool exceeds(const std::vector<std::int64_t>& values, const std::optional<std::int64_t>& limit) {
  if (!limit) return false;
  return libsnap::trend(values, *limit + 1).growing;
}

bool exceeds(std::int64_t per_step, const std::optional<std::int64_t>& limit) {
  return limit && per_step > *limit;
}

std::string dotted_path(const libsnap::ContainerRef& c) {
  std::string s;
  for (const std::string& name : c.path) {
    if (!s.empty()) s += '.';
    s += name;
  }
  return s;
}

bool path_matches(std::string_view pattern, const libsnap::ContainerRef& c) {
  return glob_match(pattern, dotted_path(c)) || glob_match(pattern, c.path_text);
}

std::string container_subject(const libsnap::ContainerRef& c) {
  std::string s;
  if (!c.path.empty()) s = "`" + c.path.back() + "` ";
  return s + "(" + c.class_name + " @" + std::to_string(c.id) + ")";
}

// What identifies a container across runs of the same program: its class and the name that
// holds it (`requestCache`), with object ids taken out ("<Object @123>" -> "<Object>"). Not the
// whole path: between two runs the shortest path may go through another closure of the same
// scope (`action()::requestCache` or `cleanup()::requestCache`).
std::string container_fingerprint(const libsnap::ContainerRef& c) {
  std::string name;
  const std::string last = c.path.empty() ? std::string() : c.path.back();
  for (std::size_t i = 0; i < last.size(); ++i) {
    if (last[i] == '@' && i + 1 < last.size() &&
        std::isdigit(static_cast<unsigned char>(last[i + 1]))) {
      while (i + 1 < last.size() && std::isdigit(static_cast<unsigned char>(last[i + 1]))) ++i;
      while (!name.empty() && name.back() == ' ') name.pop_back();
      continue;
    }
    name += last[i];
  }
  return c.class_name + " `" + name + "`";
}

// The finding of the growth report that holds most of `class_name`'s new instances.
const libsnap::Finding* holder_of(const libsnap::GrowthReport& growth,
                                  const std::string& class_name) {
  const libsnap::Finding* best = nullptr;
  std::int64_t most = 0;
  for (const libsnap::Finding& f : growth.findings) {
    for (const libsnap::ClassGrowth& c : f.classes) {
      if (c.name == class_name && c.objects_per_step > most) {
        most = c.objects_per_step;
        best = &f;
      }
    }
  }
  return best;
}

void attach(GateFinding& g, const libsnap::Finding* f) {
  if (!f) return;
  g.has_container = true;
  g.container = f->container;
  g.retained_bytes = f->retained_bytes;
  if (!f->classes.empty()) g.main_class = f->classes.front().name;
}

// The ignore entry that matches `g`, if any. A class pattern matches a class finding's class, or
// a container's class or main accumulating class; the whole-heap budget is never ignored.
const IgnoreEntry* ignored_by(const GateConfig& config, const Rule& rule, const GateFinding& g) {
  if (rule.kind == RuleKind::kTotal) return nullptr;
  for (const IgnoreEntry& entry : config.ignore) {
    const std::string_view c = entry.class_pattern;
    const bool class_ok =
        c.empty() || (rule.kind == RuleKind::kClass
                          ? glob_match(c, g.subject)
                          : g.has_container && (glob_match(c, g.container.class_name) ||
                                                glob_match(c, g.main_class)));
    const bool path_ok = entry.path_pattern.empty() ||
                         (g.has_container && path_matches(entry.path_pattern, g.container));
    if (class_ok && path_ok) return &entry;
  }
  return nullptr;
}

std::string over_text(const GateFinding& g, const Rule& rule) {
  std::string s = "over the budget of ";
  s += budget_text(rule, g.measure);
  return s;
}

}  // namespace

std::string budget_text(const Rule& rule, const std::string& measure) {
  std::string s;
  if (rule.objects_per_step) s = count_text(*rule.objects_per_step) + " " + measure;
  if (rule.bytes_per_step) {
    if (!s.empty()) s += ", ";
    s += bytes_text(*rule.bytes_per_step);
  }
  return s + " per step";
}

std::string_view finding_state_name(FindingState s) {
  switch (s) {
    case FindingState::kNew:
      return "new";
    case FindingState::kKnown:
      return "known";
    case FindingState::kIgnored:
      return "ignored";
  }
  return "?";
}

std::string_view rule_status_name(RuleStatus s) {
  switch (s) {
    case RuleStatus::kPass:
      return "pass";
    case RuleStatus::kWarn:
      return "warn";
    case RuleStatus::kFail:
      return "fail";
  }
  return "?";
}

libsnap::GrowthOptions growth_options_for(const GateConfig& config) {
  libsnap::GrowthOptions o;
  o.max_findings = 1000;  // the rules filter; the report keeps every breach
  // Container findings down to the smallest container or collection budget, never below what
  // growth itself calls noise unless a budget asks for it. (Class budgets read the class series
  // and the total reads the per-point facts: neither needs finer container findings.)
  std::int64_t smallest = o.min_objects_per_step;
  for (const Rule& rule : config.rules) {
    if (rule.kind != RuleKind::kContainer && rule.kind != RuleKind::kUnboundedCollections) continue;
    if (rule.objects_per_step) smallest = std::min(smallest, *rule.objects_per_step + 1);
  }
  o.min_objects_per_step = std::max<std::int64_t>(1, smallest);
  return o;
}

GateResult evaluate_gate(const GateConfig& config, const libsnap::GrowthReport& growth,
                         const KnownFindings& known) {
  GateResult result;
  result.points = growth.points;
  result.facts = growth.facts;
  result.outcomes.resize(config.rules.size());

  for (std::size_t r = 0; r < config.rules.size(); ++r) {
    const Rule& rule = config.rules[r];
    RuleOutcome& outcome = result.outcomes[r];
    std::vector<GateFinding> found;
    auto make = [&](std::string subject, std::string fingerprint_subject) {
      GateFinding g;
      g.rule = r;
      g.subject = std::move(subject);
      // (Made visible like every displayed string: SARIF viewers show fingerprints.)
      g.fingerprint = visible_text(rule.id + " | " + fingerprint_subject);
      return g;
    };

    switch (rule.kind) {
      case RuleKind::kTotal: {
        std::vector<std::int64_t> objects, bytes;
        for (const libsnap::PointFacts& p : growth.facts) {
          objects.push_back(static_cast<std::int64_t>(p.user_objects));
          bytes.push_back(static_cast<std::int64_t>(p.total_bytes));
        }
        outcome.subjects = 1;
        outcome.measured = bytes_text(libsnap::trend(bytes, 0).per_step) + " and " +
                           median_step(objects) + " objects per step";
        GateFinding g = make("heap", "heap");
        g.measure = "objects";
        g.objects_per_step = libsnap::trend(objects, 0).per_step;
        g.bytes_per_step = libsnap::trend(bytes, 0).per_step;
        g.over_objects = exceeds(objects, rule.objects_per_step);
        g.over_bytes = exceeds(bytes, rule.bytes_per_step);
        if (!g.over_objects && !g.over_bytes) break;
        g.series = objects;  // (the measure's series; over_bytes says when bytes broke the budget)
        attach(g, growth.findings.empty() ? nullptr : &growth.findings.front());
        g.message = "the heap grows steadily by " + bytes_text(g.bytes_per_step) + " and " +
                    count_text(g.objects_per_step) + " objects per step, " + over_text(g, rule);
        if (!growth.findings.empty())
          g.message += "; the biggest growth: " + finding_sentence(growth.findings.front(), "step");
        found.push_back(std::move(g));
        break;
      }
      case RuleKind::kClass: {
        std::int64_t worst = -1;
        for (const libsnap::ClassSeries& c : growth.classes) {
          if (!glob_match(rule.pattern, c.name)) continue;
          ++outcome.subjects;
          const std::int64_t step = libsnap::trend(c.objects, 0).per_step;
          if (step > worst) {
            worst = step;
            outcome.measured = c.name + ": " + count_text(step) + " instances, " +
                               bytes_text(libsnap::trend(c.bytes, 0).per_step) + " per step";
          }
          GateFinding g = make(c.name, "class " + c.name);
          g.measure = "instances";
          g.objects_per_step = step;
          g.bytes_per_step = libsnap::trend(c.bytes, 0).per_step;
          g.over_objects = exceeds(c.objects, rule.objects_per_step);
          g.over_bytes = exceeds(c.bytes, rule.bytes_per_step);
          if (!g.over_objects && !g.over_bytes) continue;
          g.series = c.objects;
          const libsnap::Finding* holder = holder_of(growth, c.name);
          attach(g, holder);
          g.message = "class " + c.name + " gains " + count_text(g.objects_per_step) +
                      " instances (" + bytes_text(g.bytes_per_step) + ") per step, " +
                      over_text(g, rule);
          if (holder)
            g.message += "; most new ones are held by " + container_subject(holder->container);
          found.push_back(std::move(g));
        }
        if (outcome.subjects == 0) outcome.measured = "no class matches";
        break;
      }
      case RuleKind::kContainer:
      case RuleKind::kUnboundedCollections: {
        std::int64_t worst = -1;
        for (const libsnap::Finding& f : growth.findings) {
          if (rule.kind == RuleKind::kContainer && !path_matches(rule.pattern, f.container))
            continue;
          if (rule.kind == RuleKind::kUnboundedCollections &&
              f.kind != libsnap::FindingKind::kUnboundedCollection)
            continue;
          ++outcome.subjects;
          if (f.objects_per_step > worst) {
            worst = f.objects_per_step;
            outcome.measured = container_subject(f.container) + ": " +
                               count_text(f.objects_per_step) + " " + f.measure + ", " +
                               bytes_text(f.bytes_per_step) + " per step";
          }
          GateFinding g = make(container_subject(f.container), container_fingerprint(f.container));
          g.measure = f.measure;
          g.objects_per_step = f.objects_per_step;
          g.bytes_per_step = f.bytes_per_step;
          g.over_objects = exceeds(f.objects_per_step, rule.objects_per_step);
          g.over_bytes = exceeds(f.bytes_per_step, rule.bytes_per_step);
          if (!g.over_objects && !g.over_bytes) continue;
          g.series = f.series;
          attach(g, &f);
          g.message = finding_sentence(f, "step") + ", " + over_text(g, rule);
          found.push_back(std::move(g));
        }
        if (outcome.subjects == 0)
          outcome.measured = rule.kind == RuleKind::kContainer ? "no growing container matches"
                                                               : "no collection grows";
        break;
      }
    }

    for (GateFinding& g : found) {
      if (const IgnoreEntry* entry = ignored_by(config, rule, g)) {
        g.state = FindingState::kIgnored;
        g.ignore_reason = entry->reason;
      }
      if (g.state == FindingState::kNew) {
        if (const auto it = known.find(g.fingerprint); it != known.end()) {
          g.state = FindingState::kKnown;
          g.recorded = it->second;
        }
      }
      switch (g.state) {
        case FindingState::kNew:
          ++outcome.new_findings;
          if (rule.severity == Severity::kError) {
            ++result.errors;
            outcome.status = RuleStatus::kFail;
          } else {
            ++result.warnings;
            if (outcome.status == RuleStatus::kPass) outcome.status = RuleStatus::kWarn;
          }
          break;
        case FindingState::kKnown:
          ++outcome.known;
          ++result.known;
          break;
        case FindingState::kIgnored:
          ++outcome.ignored;
          ++result.ignored;
          break;
      }
    }
    std::stable_sort(found.begin(), found.end(), [](const GateFinding& x, const GateFinding& y) {
      return x.bytes_per_step > y.bytes_per_step;
    });
    for (GateFinding& g : found) result.findings.push_back(std::move(g));
  }
  return result;
}

}  // namespace analyzer
