// Reading and validating the gate's configuration (gate_config.hpp).
#include "gate_config.hpp"

#include <simdjson.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include "cli_support.hpp"

namespace analyzer {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

constexpr std::size_t kMaxConfigBytes = 1 << 20;  // a config is a few hundred bytes

std::string describe(element e) {
  switch (e.type()) {
    case element_type::ARRAY:
      return "an array";
    case element_type::OBJECT:
      return "an object";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE:
      return "a number";
    case element_type::STRING: {
      std::string s(std::string_view(e.get_string().value_unsafe()).substr(0, 40));
      return "\"" + s + "\"";
    }
    case element_type::BOOL:
      return "a boolean";
    case element_type::NULL_VALUE:
      return "null";
  }
  return "something else";
}

class Reader {
 public:
  explicit Reader(std::string name) : name_(std::move(name)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    std::string m = name_;
    m += ": ";
    if (!key.empty()) {
      m += key;
      m += ": ";
    }
    m += what;
    throw UsageError(m);
  }

  // The object's keys, checked against `allowed`; a duplicate or unknown key is an error.
  void check_keys(element object, const std::string& where,
                  std::initializer_list<std::string_view> allowed) const {
    std::set<std::string_view> seen;
    const simdjson::dom::object fields = object.get_object().value_unsafe();
    for (auto field : fields) {
      const std::string_view k = field.key;
      const std::string at = where.empty() ? std::string(k) : where + "." + std::string(k);
      if (!seen.insert(k).second) fail(at, "duplicate key");
      bool known = false;
      for (std::string_view a : allowed) known = known || a == k;
      if (!known) {
        std::string list;
        for (std::string_view a : allowed) {
          if (!list.empty()) list += ", ";
          list += a;
        }
        fail(at, "unknown key (expected one of: " + list + ")");
      }
    }
  }

  // (A default element has no document behind it: absence is an empty optional.)
  std::optional<element> object(element parent, std::string_view key, const std::string& where,
                                bool required) const {
    element e;
    if (parent.get_object().value_unsafe()[key].get(e)) {
      if (required) fail(where, "missing (expected an object)");
      return std::nullopt;
    }
    if (e.type() != element_type::OBJECT) fail(where, "expected an object, got " + describe(e));
    return e;
  }

  std::optional<std::string> string(element parent, std::string_view key, const std::string& where,
                                    bool required) const {
    element e;
    if (parent.get_object().value_unsafe()[key].get(e)) {
      if (required) fail(where, "missing (expected a non-empty string)");
      return std::nullopt;
    }
    if (e.type() != element_type::STRING || e.get_string().value_unsafe().empty())
      fail(where, "expected a non-empty string, got " + describe(e));
    return std::string(e.get_string().value_unsafe());
  }

  // A non-negative integer: a JSON integer, an integral number (1e6), or for bytes a string with
  // a unit ("64 KiB", "1.5 MB": KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024).
  std::optional<std::int64_t> amount(element parent, std::string_view key, const std::string& where,
                                     bool bytes) const {
    element e;
    if (parent.get_object().value_unsafe()[key].get(e)) return std::nullopt;
    const std::string expected =
        bytes ? "a non-negative integer or a size such as \"64 KiB\"" : "a non-negative integer";
    double v = -1;
    switch (e.type()) {
      case element_type::INT64:
        v = static_cast<double>(e.get_int64().value_unsafe());
        break;
      case element_type::UINT64:
        v = static_cast<double>(e.get_uint64().value_unsafe());
        break;
      case element_type::DOUBLE:
        v = e.get_double().value_unsafe();
        break;
      case element_type::STRING:
        if (bytes) v = parse_size(std::string(e.get_string().value_unsafe()));
        break;
      default:
        break;
    }
    if (!(v >= 0) || v != std::floor(v) || v > 9.0e18)
      fail(where, "expected " + expected + ", got " + describe(e));
    return static_cast<std::int64_t>(v);
  }

  Severity severity(element parent, const std::string& where) const {
    const auto s = string(parent, "severity", where + ".severity", false);
    if (!s || *s == "error") return Severity::kError;
    if (*s == "warning") return Severity::kWarning;
    fail(where + ".severity", "expected \"error\" or \"warning\", got \"" + *s + "\"");
  }

 private:
  static double parse_size(const std::string& text) {
    std::istringstream in(text);
    double number = -1;
    std::string unit;
    if (!(in >> number)) return -1;
    in >> unit;
    std::string rest;
    if (in >> rest) return -1;
    static const std::pair<const char*, double> units[] = {
        {"", 1},     {"B", 1},        {"KB", 1e3},        {"MB", 1e6},
        {"GB", 1e9}, {"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0},
    };
    for (const auto& [name, factor] : units)
      if (unit == name) return std::round(number * factor);
    return -1;
  }

  std::string name_;
};

std::string index_key(const std::string& list, std::size_t i) {
  return list + "[" + std::to_string(i) + "]";
}

}  // namespace

std::string_view severity_name(Severity s) {
  return s == Severity::kError ? "error" : "warning";
}

std::string_view rule_kind_name(RuleKind k) {
  switch (k) {
    case RuleKind::kTotal:
      return "total";
    case RuleKind::kClass:
      return "class";
    case RuleKind::kContainer:
      return "container";
    case RuleKind::kUnboundedCollections:
      return "unbounded-collections";
  }
  return "?";
}

bool glob_match(std::string_view pattern, std::string_view text) {
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
      continue;
    }
    if (p < pattern.size()) {
      bool escaped = pattern[p] == '\\' && p + 1 < pattern.size();
      const char want = escaped ? pattern[p + 1] : pattern[p];
      if ((!escaped && want == '?') || want == text[t]) {
        p += escaped ? 2 : 1;
        ++t;
        continue;
      }
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    t = ++resume;
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

GateConfig parse_gate_config(std::string_view json, const std::string& name) {
  Reader r(name);
  if (json.size() > kMaxConfigBytes)
    r.fail("", "too large for a gate configuration (" + std::to_string(json.size()) +
                   " bytes, at most 1 MiB)");
  simdjson::dom::parser parser;
  const simdjson::padded_string padded(json);
  element root;
  if (const auto error = parser.parse(padded).get(root))
    r.fail("", std::string("not valid JSON: ") + simdjson::error_message(error));
  if (root.type() != element_type::OBJECT)
    r.fail("", "expected a JSON object at the top, got " + describe(root));
  r.check_keys(root, "", {"description", "min_snapshots", "budgets", "ignore"});

  GateConfig config;
  config.file = name;
  r.string(root, "description", "description", false);
  if (const auto n = r.amount(root, "min_snapshots", "min_snapshots", false)) {
    if (*n < 3 || *n > 10000)
      r.fail("min_snapshots",
             "expected an integer from 3 to 10000 (growth needs three points), "
             "got " +
                 std::to_string(*n));
    config.min_snapshots = static_cast<unsigned>(*n);
  }

  const element budgets = *r.object(root, "budgets", "budgets", true);
  r.check_keys(budgets, "budgets", {"total", "classes", "containers", "unbounded_collections"});

  auto limits = [&](element e, const std::string& where, Rule& rule) {
    rule.objects_per_step = r.amount(e, "objects_per_step", where + ".objects_per_step", false);
    rule.bytes_per_step = r.amount(e, "bytes_per_step", where + ".bytes_per_step", true);
    if (!rule.objects_per_step && !rule.bytes_per_step)
      r.fail(where, "expected a budget: objects_per_step, bytes_per_step or both");
    rule.severity = r.severity(e, where);
  };
  auto custom_id = [&](element e, const std::string& where, Rule& rule) {
    if (auto id = r.string(e, "id", where + ".id", false)) rule.id = *id;
  };

  if (const auto found = r.object(budgets, "total", "budgets.total", false)) {
    const element total = *found;
    r.check_keys(total, "budgets.total", {"id", "objects_per_step", "bytes_per_step", "severity"});
    Rule rule;
    rule.kind = RuleKind::kTotal;
    rule.id = "total";
    custom_id(total, "budgets.total", rule);
    limits(total, "budgets.total", rule);
    config.rules.push_back(std::move(rule));
  }

  auto each = [&](std::string_view key, RuleKind kind, std::string_view pattern_key) {
    const std::string list = "budgets." + std::string(key);
    element e;
    if (budgets.get_object().value_unsafe()[key].get(e)) return;
    if (e.type() != element_type::ARRAY)
      r.fail(list, "expected an array of budgets, got " + describe(e));
    std::size_t i = 0;
    const simdjson::dom::array items = e.get_array().value_unsafe();
    for (element item : items) {
      const std::string where = index_key(list, i++);
      if (item.type() != element_type::OBJECT)
        r.fail(where, "expected an object, got " + describe(item));
      r.check_keys(item, where,
                   {"id", pattern_key, "objects_per_step", "bytes_per_step", "severity"});
      Rule rule;
      rule.kind = kind;
      rule.pattern = *r.string(item, pattern_key, where + "." + std::string(pattern_key), true);
      rule.id = std::string(rule_kind_name(kind)) + ":" + rule.pattern;
      custom_id(item, where, rule);
      limits(item, where, rule);
      config.rules.push_back(std::move(rule));
    }
  };
  each("classes", RuleKind::kClass, "class");
  each("containers", RuleKind::kContainer, "path");

  if (const auto found =
          r.object(budgets, "unbounded_collections", "budgets.unbounded_collections", false)) {
    const element u = *found;
    const std::string where = "budgets.unbounded_collections";
    r.check_keys(u, where, {"id", "entries_per_step", "severity"});
    Rule rule;
    rule.kind = RuleKind::kUnboundedCollections;
    rule.id = "unbounded-collections";
    custom_id(u, where, rule);
    rule.objects_per_step = r.amount(u, "entries_per_step", where + ".entries_per_step", false);
    if (!rule.objects_per_step)
      r.fail(where + ".entries_per_step", "missing (expected a non-negative integer)");
    rule.severity = r.severity(u, where);
    config.rules.push_back(std::move(rule));
  }
  if (config.rules.empty())
    r.fail("budgets",
           "no budget given (expected total, classes, containers or "
           "unbounded_collections): nothing to gate");
  std::set<std::string> ids;
  for (const Rule& rule : config.rules)
    if (!ids.insert(rule.id).second)
      r.fail("budgets", "two budgets have the id \"" + rule.id + "\" (give one an \"id\")");

  element ignore;
  if (!root.get_object().value_unsafe()["ignore"].get(ignore)) {
    if (ignore.type() != element_type::ARRAY)
      r.fail("ignore", "expected an array, got " + describe(ignore));
    std::size_t i = 0;
    const simdjson::dom::array items = ignore.get_array().value_unsafe();
    for (element item : items) {
      const std::string where = index_key("ignore", i++);
      if (item.type() != element_type::OBJECT)
        r.fail(where, "expected an object, got " + describe(item));
      r.check_keys(item, where, {"class", "path", "reason"});
      IgnoreEntry entry;
      entry.class_pattern = r.string(item, "class", where + ".class", false).value_or("");
      entry.path_pattern = r.string(item, "path", where + ".path", false).value_or("");
      if (entry.class_pattern.empty() && entry.path_pattern.empty())
        r.fail(where, "expected \"class\" or \"path\" (a pattern), or both");
      entry.reason = *r.string(item, "reason", where + ".reason", true);
      config.ignore.push_back(std::move(entry));
    }
  }
  return config;
}

GateConfig read_gate_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError(path + ": cannot open the gate configuration");
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxConfigBytes) break;
  }
  if (in.bad()) throw UsageError(path + ": cannot read the gate configuration");
  if (text.empty()) throw UsageError(path + ": empty file (expected a JSON gate configuration)");
  return parse_gate_config(text, path);
}

}  // namespace analyzer
