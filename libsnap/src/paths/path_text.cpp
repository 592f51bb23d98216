// Paths as people read them: property names, indices, closure variables, Map/Set entries instead
// of V8's hash-table slots, and engine hops marked internal.
#include <charconv>
#include <limits>
#include <string>

#include "libsnap/paths.hpp"
#include "libsnap/search.hpp"

namespace libsnap {
namespace {

// Concatenation by append (GCC 12's -Wrestrict misfires on `"literal" + std::string`).
template <typename... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

bool is_identifier(std::string_view s) {
  if (s.empty()) return false;
  auto start = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  if (!start(s[0])) return false;
  for (char c : s)
    if (!start(c) && !(c >= '0' && c <= '9')) return false;
  return true;
}

// A JSON-style quoted string, cut at `max` bytes (on a UTF-8 boundary) with "..." added.
std::string quoted(std::string_view s, std::size_t max = 60) {
  bool cut = false;
  if (s.size() > max) {
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    s = s.substr(0, end);
    cut = true;
  }
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += cut ? "...\"" : "\"";
  return out;
}

std::optional<std::uint32_t> numeric_name(const Snapshot& s, EdgeIndex e) {
  if (edge_type_has_index(s.edge_type(e))) return s.edge_name_or_index(e);
  std::string_view name = s.string(s.edge_name_or_index(e));
  std::uint32_t v = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + name.size(), v);
  if (ec != std::errc() || ptr != name.data() + name.size()) return std::nullopt;
  return v;
}

std::string edge_string(const Snapshot& s, EdgeIndex e) {
  return s.edge_name(e);
}

// The key of a Map entry as text: a quoted string, a number, `<Class @id>`, or "" if unknown.
std::string key_text(const Snapshot& s, NodeOrdinal key) {
  NodeType t = s.node_type(key);
  if (is_string_node(s, key)) return quoted(string_value(s, key, 200));
  if (t == NodeType::kNumber) {
    // Heap numbers: with numeric values exposed V8 adds a `value` edge or names the node.
    std::string_view name = s.node_name(key);
    if (name != "heap number" && name != "smi number") return std::string(name);
    for (EdgeIndex e = s.first_edge(key); e < s.first_edge(key + 1); ++e)
      if (s.edge_type(e) == EdgeType::kInternal && s.edge_name(e) == "value")
        return std::string(s.node_name(s.edge_target(e)));
    return cat("<number @", std::to_string(s.node_id(key)), ">");
  }
  return cat("<", node_class(s, nullptr, key), " @", std::to_string(s.node_id(key)), ">");
}

// "part of key (Foo @12) -> value (Bar @34) pair in WeakMap (table @56)" -> "<Foo @12>".
std::optional<std::string> weakmap_key(std::string_view name) {
  constexpr std::string_view kKey = "part of key (";
  constexpr std::string_view kArrow = ") -> value (";
  std::size_t a = name.find(kKey);
  if (a == std::string_view::npos) return std::nullopt;
  a += kKey.size();
  std::size_t b = name.find(kArrow, a);
  if (b == std::string_view::npos || name.find("pair in WeakMap") == std::string_view::npos)
    return std::nullopt;
  return cat("<", name.substr(a, b - a), ">");
}

bool is_set_class(std::string_view name) {
  return name.size() >= 3 && name.substr(name.size() - 3) == "Set";
}

}  // namespace

std::string_view step_kind_name(StepKind kind) {
  switch (kind) {
    case StepKind::kRoot:
      return "root";
    case StepKind::kProperty:
      return "property";
    case StepKind::kElement:
      return "element";
    case StepKind::kContextVariable:
      return "context";
    case StepKind::kMapValue:
      return "map_value";
    case StepKind::kMapKey:
      return "map_key";
    case StepKind::kSetEntry:
      return "set_entry";
    case StepKind::kWeakMapValue:
      return "weakmap_value";
    case StepKind::kInternal:
      return "internal";
    case StepKind::kHidden:
      return "hidden";
    case StepKind::kShortcut:
      return "shortcut";
    case StepKind::kOther:
      return "other";
  }
  return "other";
}

std::string node_class(const Snapshot& s, const ClassNames* classes, NodeOrdinal n) {
  if (classes != nullptr && n < classes->class_of.size() &&
      classes->class_of[n] < classes->name.size())
    return classes->name[classes->class_of[n]];
  switch (s.node_type(n)) {
    case NodeType::kHidden:
      return "(system)";
    case NodeType::kObject:
    case NodeType::kNative:
      return std::string(s.node_name(n));
    case NodeType::kCode:
      return "(compiled code)";
    case NodeType::kClosure:
      return "Function";
    case NodeType::kRegExp:
      return "RegExp";
    default:
      return cat("(", s.node_type_name(n), ")");
  }
}

std::string node_label(const Snapshot& s, const ClassNames* classes, NodeOrdinal n) {
  const std::string id = cat(" @", std::to_string(s.node_id(n)));
  if (is_string_node(s, n)) return quoted(string_value(s, n, 64), 40) + id;
  if (s.node_type(n) == NodeType::kClosure) {
    std::string_view name = s.node_name(n);
    return cat("Function ", name.empty() ? std::string_view("(anonymous)") : name, "()", id);
  }
  std::string cls;
  switch (s.node_type(n)) {
    case NodeType::kObject:
    case NodeType::kNative:
    case NodeType::kClosure:
    case NodeType::kRegExp:
      cls = node_class(s, classes, n);
      break;
    case NodeType::kSynthetic:
      cls = n == s.root() && s.node_name(n).empty() ? std::string("(root)")
                                                    : std::string(s.node_name(n));
      break;
    default:  // engine internals read best by their own names: "(object elements)", "system / Map"
      cls = s.node_name(n);
      if (cls.empty()) cls = node_class(s, classes, n);
      break;
  }
  if (cls.empty()) cls = cat("(", s.node_type_name(n), ")");
  return cls + id;
}

std::vector<ReadableStep> describe_path(const Snapshot& s, const RetainerPath& path) {
  std::vector<ReadableStep> out;
  out.reserve(path.size());
  constexpr NodeOrdinal kNoClosure = std::numeric_limits<NodeOrdinal>::max();
  NodeOrdinal last_closure = kNoClosure;  // the last closure reached before step i
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (i > 0 && s.node_type(path[i - 1].to) == NodeType::kClosure) last_closure = path[i - 1].to;
    const PathStep& st = path[i];
    ReadableStep r;
    r.step = st;
    const EdgeIndex e = st.edge;
    const EdgeType t = s.edge_type(e);
    if (st.from == s.root()) {
      r.kind = StepKind::kRoot;
      r.name = edge_string(s, e);
      out.push_back(std::move(r));
      continue;
    }
    // What led to `from`: a Map/Set's `table`, an `elements` store?
    const PathStep* prev = i > 0 ? &path[i - 1] : nullptr;
    std::string prev_name = prev != nullptr && s.edge_type(prev->edge) == EdgeType::kInternal
                                ? edge_string(s, prev->edge)
                                : std::string();
    std::optional<std::uint32_t> index = numeric_name(s, e);
    switch (t) {
      case EdgeType::kProperty: {
        r.kind = StepKind::kProperty;
        r.name = edge_string(s, e);
        r.text = is_identifier(r.name) ? cat(".", r.name) : cat("[", quoted(r.name, 200), "]");
        break;
      }
      case EdgeType::kElement:
        r.kind = StepKind::kElement;
        r.name = std::to_string(s.edge_name_or_index(e));
        r.text = cat("[", r.name, "]");
        break;
      case EdgeType::kContext: {
        r.kind = StepKind::kContextVariable;
        r.name = edge_string(s, e);
        // The closure nearest before this step owns the context.
        std::string owner;
        if (last_closure != kNoClosure) {
          owner = std::string(s.node_name(last_closure));
          if (owner.empty()) owner = "(anonymous)";
        }
        r.text = owner.empty() ? cat("::", r.name) : cat(owner, "()::", r.name);
        break;
      }
      case EdgeType::kInternal:
      case EdgeType::kHidden: {
        std::string name = edge_string(s, e);
        if (t == EdgeType::kInternal) {
          if (std::optional<std::string> key = weakmap_key(name)) {
            r.kind = StepKind::kWeakMapValue;
            r.name = *key;
            r.text = cat(".get(", *key, ")");
            break;
          }
        }
        if (index && prev != nullptr && prev_name == "table") {
          // A slot of a Map's or Set's hash table (OrderedHashMap: key, value, chain per entry;
          // OrderedHashSet: key, chain). Smis are not in the graph, so the key of a value at
          // slot i is the heap object at slot i - 1, written just before it.
          const std::string coll = node_class(s, nullptr, prev->from);
          if (is_set_class(coll)) {
            r.kind = StepKind::kSetEntry;
            r.text = "{entry}";
            break;
          }
          EdgeIndex ke = e;
          bool have_key = false;
          if (e > s.first_edge(st.from)) {
            ke = e - 1;
            std::optional<std::uint32_t> ki = numeric_name(s, ke);
            have_key = ki && *index > 0 && *ki == *index - 1;
          }
          // Is this node itself a key (the slot after it holds its value)?
          bool is_key = false;
          if (e + 1 < s.first_edge(st.from + 1)) {
            std::optional<std::uint32_t> vi = numeric_name(s, e + 1);
            is_key = vi && *vi == *index + 1 && !have_key;
          }
          if (is_key) {
            r.kind = StepKind::kMapKey;
            r.text = "{key}";
          } else {
            r.kind = StepKind::kMapValue;
            r.name = have_key ? key_text(s, s.edge_target(ke)) : std::string();
            r.text = cat(".get(", r.name.empty() ? std::string_view("?") : std::string_view(r.name),
                         ")");
          }
          break;
        }
        if (index && prev != nullptr && prev_name == "elements" &&
            s.node_type(st.from) == NodeType::kArray) {
          r.kind = StepKind::kElement;
          r.name = std::to_string(*index);
          r.text = cat("[", r.name, "]");
          break;
        }
        r.kind = t == EdgeType::kInternal ? StepKind::kInternal : StepKind::kHidden;
        r.name = name;
        r.text = t == EdgeType::kInternal ? cat("[[", name, "]]") : cat("[[hidden ", name, "]]");
        r.internal = true;
        break;
      }
      case EdgeType::kShortcut:
        r.kind = StepKind::kShortcut;
        r.name = edge_string(s, e);
        r.text = cat("[[shortcut ", r.name, "]]");
        r.internal = true;
        break;
      default:
        r.kind = StepKind::kOther;
        r.name = edge_string(s, e);
        r.text = cat("[[", s.edge_type_name(e), " ", r.name, "]]");
        r.internal = true;
        break;
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string path_text(const Snapshot& s, std::span<const ReadableStep> steps,
                      const ClassNames* classes, bool internals, std::size_t max_shown) {
  if (steps.empty()) return "(root)";
  // One segment per shown step. The last step's target is written with an arrow. A run of
  // hidden engine hops that ends at an object a developer would recognise is written
  // "... (Label)"; runs into stores and contexts (`elements`, `table`, `context`) vanish.
  std::vector<std::string> segments;
  const std::size_t last = steps.size() - 1;
  bool skipped = false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const ReadableStep& r = steps[i];
    const bool last_step = i == last;
    if (r.kind == StepKind::kRoot) {
      segments.push_back(last_step ? cat("→ ", node_label(s, classes, r.step.to))
                                   : node_label(s, classes, r.step.to));
      continue;
    }
    if (r.internal && !internals && !last_step) {
      skipped = true;
      continue;
    }
    std::string seg;
    if (skipped) {
      skipped = false;
      const NodeOrdinal at = r.step.from;
      const NodeType t = s.node_type(at);
      const bool recognisable = (t == NodeType::kObject || t == NodeType::kNative ||
                                 t == NodeType::kClosure || t == NodeType::kRegExp) &&
                                !s.node_name(at).starts_with("system / ");
      if (recognisable) seg = cat("… (", node_label(s, classes, at), ") ");
    }
    seg += r.text;
    seg += last_step ? cat(" → ", node_label(s, classes, r.step.to))
                     : cat(" (", node_label(s, classes, r.step.to), ")");
    segments.push_back(std::move(seg));
  }
  std::string out;
  const std::size_t n = segments.size();
  const bool elide = max_shown != 0 && n > max_shown + 1;
  const std::size_t head = elide ? (max_shown + 1) / 2 : n;
  const std::size_t tail_from = elide ? n - max_shown / 2 : n;
  for (std::size_t i = 0; i < n; ++i) {
    if (i == head && elide) {
      out += cat(" … ", std::to_string(tail_from - head), " more steps …");
      i = tail_from - 1;
      continue;
    }
    if (!out.empty()) out += ' ';
    out += segments[i];
  }
  return out;
}

std::string path_shape(const Snapshot& s, std::span<const ReadableStep> steps,
                       const ClassNames* classes, bool internals) {
  std::string out;
  std::string previous;
  bool repeated = false;
  for (const ReadableStep& r : steps) {
    if (r.kind == StepKind::kRoot) {
      out += node_class(s, classes, r.step.to);
      continue;
    }
    if (r.internal && !internals) continue;
    std::string seg = r.kind == StepKind::kElement ? std::string("[]") : r.text;
    if (seg == previous) {  // a run of the same step (a linked list) is one "+" segment
      if (!repeated) out += '+';
      repeated = true;
      continue;
    }
    repeated = false;
    if (!out.empty()) out += ' ';
    out += seg;
    previous = std::move(seg);
  }
  return out;
}

}  // namespace libsnap
