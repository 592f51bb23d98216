// The gate's configuration: memory budgets per step, an ignore list, severities. Read from a JSON
// file and validated strictly (unknown keys are errors: a misspelled budget must not silently
// pass), with errors that name the file, the key and what was expected:
//   gate.json: budgets.classes[1].objects_per_step: expected a non-negative integer, got "ten"
// The format is documented in the README ("analyzer gate").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace analyzer {

enum class Severity : std::uint8_t { kError, kWarning };
std::string_view severity_name(Severity s);  // "error", "warning"

enum class RuleKind : std::uint8_t {
  kTotal,                 // the whole heap: total bytes and user objects
  kClass,                 // classes whose name matches a pattern
  kContainer,             // containers whose retainer path matches a pattern
  kUnboundedCollections,  // any collection gaining entries steadily
};
std::string_view rule_kind_name(RuleKind k);  // "total", "class", "container", ...

// One budget. A measure exceeds it when it grows steadily (libsnap::trend) with a median step
// above the limit; an unset limit is not checked.
struct Rule {
  std::string id;  // unique; the JUnit test case and the SARIF rule id
  RuleKind kind = RuleKind::kTotal;
  std::string pattern;  // kClass: glob on class names; kContainer: glob on retainer paths
  std::optional<std::int64_t> objects_per_step;  // objects, instances or entries
  std::optional<std::int64_t> bytes_per_step;
  Severity severity = Severity::kError;
};

// A finding that matches is reported as ignored (with the reason) and never fails the gate.
// `class_pattern` matches the finding's class (or a container's accumulating classes), and
// `path_pattern` its retainer path; given both, both must match.
struct IgnoreEntry {
  std::string class_pattern;
  std::string path_pattern;
  std::string reason;
};

struct GateConfig {
  std::string file;  // where it was read from, for messages
  unsigned min_snapshots = 3;
  std::vector<Rule> rules;  // in file order: total, classes, containers, unbounded collections
  std::vector<IgnoreEntry> ignore;
};

// Reads and validates `path`. Throws UsageError (exit 2) naming the file and the key.
GateConfig read_gate_config(const std::string& path);
// The same from text (tests); `name` stands for the file in messages.
GateConfig parse_gate_config(std::string_view json, const std::string& name);

// Shell-style glob: `*` any run of characters (also none), `?` exactly one byte, `\` escapes the
// next character; everything else matches itself. Iterative, linear in practice (no backtracking
// blow-up: the classic two-pointer algorithm).
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace analyzer
