// Class names and class keys, DevTools' rules (FORMAT.md §2.5; HeapSnapshot.calculateObjectNames,
// inferInterfaceDefinitions, applyInterfaceDefinitions, HeapSnapshotNode.classKeyInternal).
//
// DevTools identifies a class by a string *index* (or, for objects with a constructor location, by
// the string "script,line,col,name"), and only turns indices into texts at the end. Two indices
// with the same text stay two classes: the raw name of a node, a name DevTools added itself
// ("(system)", "<div>", "{a, b}") and a name rewritten to "Detached ..." are different indices
// even when their texts agree. This file reproduces those identities, so that aggregates (and the
// rare collisions between them) come out exactly as in DevTools; ClassNames::key is the public
// key, which two classes can share in those rare cases (aggregate_classes resolves them).
//
// Cost: one pass over the nodes with O(1) work per node (names are cached per string index), one
// pass over the edges of plain `Object` nodes for interface inference and one for matching, one
// hash lookup per located object. No per-node allocations.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libsnap/analysis.hpp"

namespace libsnap {
namespace {

constexpr std::uint32_t kNone = 0xffffffffu;

// Interface inference limits (DevTools' constants).
constexpr std::size_t kMaxInterfaceNameLength = 120;  // UTF-16 units, unless the first name is long
constexpr double kMinObjectsPerInterface = 2;
constexpr double kMinObjectProportion = 1000;  // an interface covers at least 1 in 1000 objects

// Length of UTF-8 (or WTF-8) text in UTF-16 code units, i.e. JavaScript's String.length.
std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i++]);
  if (c < 0xC0) return c;  // ASCII, or a stray continuation byte taken as is
  const int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
  std::uint32_t cp = c & (0x7Fu >> (extra + 1));
  for (int k = 0; k < extra && i < s.size(); ++k) {
    const auto d = static_cast<unsigned char>(s[i]);
    if ((d & 0xC0) != 0x80) break;
    cp = (cp << 6) | (d & 0x3F);
    ++i;
  }
  return cp;
}

// Three-way comparison in UTF-16 code unit order, the order of JavaScript's `<` and sort().
int compare_utf16(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
  while (i > 0 && (static_cast<unsigned char>(a[i]) & 0xC0) == 0x80) --i;
  std::size_t ia = i, ib = i;
  while (ia < a.size() && ib < b.size()) {
    const std::uint32_t ca = next_code_point(a, ia);
    const std::uint32_t cb = next_code_point(b, ib);
    if (ca == cb) continue;
    const std::uint32_t ua = ca < 0x10000 ? ca : 0xD800 + ((ca - 0x10000) >> 10);
    const std::uint32_t ub = cb < 0x10000 ? cb : 0xD800 + ((cb - 0x10000) >> 10);
    if (ua != ub) return ua < ub ? -1 : 1;
    return ca < cb ? -1 : 1;
  }
  if (ia == a.size() && ib == b.size()) return 0;
  return ia == a.size() ? -1 : 1;
}

bool utf16_less(std::string_view a, std::string_view b) {
  return compare_utf16(a, b) < 0;
}

// DevTools' formatPropertyName: names with , ' " { or } are written as JSON string literals
// (JSON.stringify's escaping); others as they are. Returns a view of `name` or of `buffer`.
std::string_view format_property_name(std::string_view name, std::string& buffer) {
  if (name.find_first_of(",'\"{}") == std::string_view::npos) return name;
  static constexpr char kHex[] = "0123456789abcdef";
  buffer.assign(1, '"');
  for (std::size_t i = 0; i < name.size();) {
    const auto c = static_cast<unsigned char>(name[i]);
    // A lone surrogate (WTF-8 ED A0..BF xx) is escaped by JSON.stringify.
    if (c == 0xED && i + 2 < name.size() &&
        (static_cast<unsigned char>(name[i + 1]) & 0xE0) == 0xA0) {
      std::size_t j = i;
      const std::uint32_t unit = next_code_point(name, j);
      buffer += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) buffer += kHex[(unit >> shift) & 0xF];
      i = j;
      continue;
    }
    ++i;
    switch (c) {
      case '"':
        buffer += "\\\"";
        break;
      case '\\':
        buffer += "\\\\";
        break;
      case '\b':
        buffer += "\\b";
        break;
      case '\f':
        buffer += "\\f";
        break;
      case '\n':
        buffer += "\\n";
        break;
      case '\r':
        buffer += "\\r";
        break;
      case '\t':
        buffer += "\\t";
        break;
      default:
        if (c < 0x20) {
          buffer += "\\u00";
          buffer += kHex[c >> 4];
          buffer += kHex[c & 0xF];
        } else {
          buffer += static_cast<char>(c);
        }
    }
  }
  buffer += '"';
  return buffer;
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

struct LocationKey {
  std::uint32_t script, line, column, name;
  bool operator==(const LocationKey&) const = default;
};
struct LocationKeyHash {
  std::size_t operator()(const LocationKey& k) const {
    std::uint64_t h = (std::uint64_t{k.script} << 32 | k.line) * 0x9E3779B97F4A7C15ull;
    h ^= (std::uint64_t{k.column} << 32 | k.name) + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2);
    return static_cast<std::size_t>(h * 0xD6E8FEB86659FD93ull >> 7);
  }
};

// The class table under construction, with one lookup per kind of DevTools string identity.
class ClassTable {
 public:
  ClassTable(const Snapshot& s, ClassNames& out)
      : s_(s), out_(out), raw_(s.string_count(), kNone) {}

  // The node name string itself (DevTools: the class index is the name index).
  std::uint32_t raw(StringIndex i) {
    std::uint32_t& c = raw_[i];
    if (c == kNone) c = add(std::string(s_.string(i)));
    return c;
  }
  // A "Detached <name>" string DevTools added for a detached native node named by string i.
  std::uint32_t detached_raw(StringIndex i) {
    auto [it, inserted] = detached_.try_emplace(i, kNone);
    if (inserted) it->second = add("Detached " + std::string(s_.string(i)));
    return it->second;
  }
  // A string added by calculateObjectNames (deduplicated by text among themselves).
  std::uint32_t added(std::string_view text) { return by_text(added_, text); }
  // An interface name added by applyInterfaceDefinitions.
  std::uint32_t interface_name(std::string_view text) { return by_text(interfaces_, text); }

  // "script,line,col,name" for an object with a constructor location; `base` is its name class.
  std::uint32_t located(const Location& l, std::uint32_t base) {
    const LocationKey k{l.script_id, l.line, l.column, canonical_text(base)};
    auto [it, inserted] = located_.try_emplace(k, kNone);
    if (inserted) {
      char prefix[48];
      std::snprintf(prefix, sizeof prefix, "%u,%u,%u,", l.script_id, l.line, l.column);
      it->second = add(out_.name[base], prefix + out_.name[base]);
      base_of_.resize(out_.name.size(), kNone);
      base_of_[it->second] = base;
    }
    return it->second;
  }
  // The name class behind a located class (or the class itself).
  std::uint32_t base(std::uint32_t c) const {
    return c < base_of_.size() && base_of_[c] != kNone ? base_of_[c] : c;
  }

 private:
  std::uint32_t add(std::string name) {
    std::string key = "," + name;
    return add(std::move(name), std::move(key));
  }
  std::uint32_t add(std::string name, std::string key) {
    out_.name.push_back(std::move(name));
    out_.key.push_back(std::move(key));
    return static_cast<std::uint32_t>(out_.name.size() - 1);
  }
  std::uint32_t by_text(StringMap<std::uint32_t>& map, std::string_view text) {
    auto it = map.find(text);
    if (it != map.end()) return it->second;
    const std::uint32_t c = add(std::string(text));
    map.emplace(std::string(text), c);
    return c;
  }
  std::uint32_t canonical_text(std::uint32_t c) {
    if (c >= canonical_.size()) canonical_.resize(out_.name.size(), kNone);
    if (canonical_[c] == kNone) {
      auto [it, inserted] =
          texts_.try_emplace(out_.name[c], static_cast<std::uint32_t>(texts_.size()));
      canonical_[c] = it->second;
    }
    return canonical_[c];
  }

  const Snapshot& s_;
  ClassNames& out_;
  std::vector<std::uint32_t> raw_;  // by string index
  std::unordered_map<StringIndex, std::uint32_t> detached_;
  StringMap<std::uint32_t> added_, interfaces_, texts_;
  std::vector<std::uint32_t> canonical_;  // class -> id of its text
  std::unordered_map<LocationKey, std::uint32_t, LocationKeyHash> located_;
  std::vector<std::uint32_t> base_of_;  // located class -> name class
};

// DevTools-2024+: "<div id=x>" -> "<div>", "Detached <div id=x>" -> "Detached <div>".
std::uint32_t tagged_or_raw(ClassTable& t, std::string_view name, bool detached, StringIndex raw) {
  if (name.starts_with('<')) {
    const std::size_t space = name.find(' ');
    if (space == std::string_view::npos) return t.added(name);
    return t.added(std::string(name.substr(0, space)) + ">");
  }
  if (name.starts_with("Detached <")) {
    const std::size_t space = name.find(' ', 10);
    if (space == std::string_view::npos) return t.added(name);
    return t.added(std::string(name.substr(0, space)) + ">");
  }
  return detached ? t.detached_raw(raw) : t.raw(raw);
}

bool is_plain_object(const Snapshot& s, NodeOrdinal n) {
  return s.node_type(n) == NodeType::kObject && s.node_name(n) == "Object";
}

struct Interface {
  std::string name;
  std::vector<std::string_view> properties;  // in the order of the first object seen
  std::uint64_t count = 0;
};

// inferInterfaceDefinitions: the property lists (in edge order, without __proto__, cut at a name
// of ~120 UTF-16 units) shared by at least max(2, total/1000) plain objects, most common first.
std::vector<Interface> infer_interfaces(const Snapshot& s) {
  std::vector<Interface> candidates;
  StringMap<std::uint32_t> index;
  std::uint64_t total = 0;
  std::string name, buffer;
  std::vector<std::string_view> properties;
  const auto types = s.edge_types();
  const auto names = s.edge_names_or_indices();
  for (NodeOrdinal n = 0; n < s.node_count(); ++n) {
    if (!is_plain_object(s, n)) continue;
    ++total;
    name.assign(1, '{');
    std::size_t length = 1;  // of `name`, in UTF-16 units
    properties.clear();
    for (EdgeIndex e = s.first_edge(n); e < s.first_edge(n + 1); ++e) {
      if (types[e] != EdgeType::kProperty) continue;
      const std::string_view edge_name = s.string(names[e]);
      if (edge_name == "__proto__") continue;
      const std::string_view formatted = format_property_name(edge_name, buffer);
      const std::size_t formatted_length = utf16_length(formatted);
      if (length > 1 && length + formatted_length > kMaxInterfaceNameLength) break;
      if (length != 1) {
        name += ", ";
        length += 2;
      }
      name += formatted;
      length += formatted_length;
      properties.push_back(edge_name);
    }
    if (properties.empty()) continue;
    name += '}';
    auto it = index.find(std::string_view(name));
    if (it != index.end()) {
      ++candidates[it->second].count;
    } else {
      index.emplace(name, static_cast<std::uint32_t>(candidates.size()));
      candidates.push_back({name, properties, 1});
    }
  }
  // Most popular first; ties keep first-seen order (JavaScript's sort is stable).
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Interface& a, const Interface& b) { return a.count > b.count; });
  const double min_count =
      std::max(kMinObjectsPerInterface, static_cast<double>(total) / kMinObjectProportion);
  std::size_t keep = 0;
  while (keep < candidates.size() && static_cast<double>(candidates[keep].count) >= min_count)
    ++keep;
  candidates.resize(keep);
  return candidates;
}

// applyInterfaceDefinitions: each plain object takes the name of the definition with the most
// properties (then the earliest) whose properties it all has, found by walking a trie of the
// definitions' sorted property names with the object's sorted property names.
class InterfaceMatcher {
 public:
  explicit InterfaceMatcher(const std::vector<Interface>& definitions) : nodes_(1) {
    std::vector<std::string_view> sorted;
    for (std::uint32_t d = 0; d < definitions.size(); ++d) {
      sorted = definitions[d].properties;
      std::sort(sorted.begin(), sorted.end(), utf16_less);
      std::uint32_t current = 0;
      for (const std::string_view p : sorted) {
        auto [it, inserted] = edges_.try_emplace(EdgeKey{current, p}, 0);
        if (inserted) {
          it->second = static_cast<std::uint32_t>(nodes_.size());
          nodes_.emplace_back();
          TrieNode& from = nodes_[current];
          if (!from.has_next || compare_utf16(from.greatest_next, p) < 0) {
            from.greatest_next = p;
            from.has_next = true;
          }
        }
        current = it->second;
      }
      if (nodes_[current].definition == kNone) {
        nodes_[current].definition = d;
        nodes_[current].property_count = static_cast<std::uint32_t>(sorted.size());
      }
    }
    position_.assign(nodes_.size(), kNone);
  }

  // The index of the best definition for these (sorted) property names, or kNone.
  std::uint32_t match(const std::vector<std::string_view>& properties) {
    Match best;  // the fallback: no definition, no properties, index infinity
    consider(best, 0);
    states_.assign(1, 0);
    alive_.assign(1, 1);
    position_[0] = 0;
    for (const std::string_view p : properties) {
      // JavaScript Set semantics: iterate the states present at the start of this step; a state
      // deletes itself when no further transition is possible; new states are appended.
      const std::size_t present = states_.size();
      for (std::size_t i = 0; i < present; ++i) {
        if (!alive_[i]) continue;
        const std::uint32_t state = states_[i];
        const TrieNode& node = nodes_[state];
        if (!node.has_next || compare_utf16(p, node.greatest_next) >= 0) {
          alive_[i] = 0;
          position_[state] = kNone;
        }
        auto it = edges_.find(EdgeKey{state, p});
        if (it == edges_.end()) continue;
        const std::uint32_t next = it->second;
        if (position_[next] == kNone) {
          position_[next] = static_cast<std::uint32_t>(states_.size());
          states_.push_back(next);
          alive_.push_back(1);
        }
        consider(best, next);
      }
      compact();
    }
    for (const std::uint32_t state : states_) position_[state] = kNone;
    return best.definition;
  }

 private:
  struct TrieNode {
    std::uint32_t definition = kNone;
    std::uint32_t property_count = 0;
    std::string_view greatest_next;
    bool has_next = false;
  };
  struct EdgeKey {
    std::uint32_t from;
    std::string_view property;
    bool operator==(const EdgeKey&) const = default;
  };
  struct EdgeKeyHash {
    std::size_t operator()(const EdgeKey& k) const {
      return std::hash<std::string_view>{}(k.property) ^
             (std::size_t{k.from} * 0x9E3779B97F4A7C15ull);
    }
  };
  struct Match {
    std::uint32_t definition = kNone;
    std::uint32_t property_count = 0;
  };
  // selectBetterMatch: more properties wins, then the earlier definition.
  void consider(Match& best, std::uint32_t state) const {
    const TrieNode& node = nodes_[state];
    if (node.definition == kNone) return;
    if (node.property_count > best.property_count ||
        (node.property_count == best.property_count && node.definition < best.definition)) {
      best = {node.definition, node.property_count};
    }
  }
  void compact() {
    std::size_t w = 0;
    for (std::size_t i = 0; i < states_.size(); ++i) {
      if (!alive_[i]) continue;
      states_[w] = states_[i];
      position_[states_[w]] = static_cast<std::uint32_t>(w);
      ++w;
    }
    states_.resize(w);
    alive_.assign(w, 1);
  }

  std::vector<TrieNode> nodes_;
  std::unordered_map<EdgeKey, std::uint32_t, EdgeKeyHash> edges_;
  std::vector<std::uint32_t> states_;
  std::vector<std::uint8_t> alive_;
  std::vector<std::uint32_t> position_;  // trie node -> index in states_, or kNone
};

void apply_interfaces(const Snapshot& s, ClassTable& table, std::vector<std::uint32_t>& class_of,
                      const std::vector<Interface>& definitions) {
  if (definitions.empty()) return;
  InterfaceMatcher matcher(definitions);
  std::vector<std::uint32_t> definition_class(definitions.size(), kNone);
  std::vector<std::string_view> properties;
  const auto types = s.edge_types();
  const auto names = s.edge_names_or_indices();
  for (NodeOrdinal n = 0; n < s.node_count(); ++n) {
    if (!is_plain_object(s, n)) continue;
    properties.clear();
    for (EdgeIndex e = s.first_edge(n); e < s.first_edge(n + 1); ++e) {
      if (types[e] == EdgeType::kProperty) properties.push_back(s.string(names[e]));
    }
    std::sort(properties.begin(), properties.end(), utf16_less);
    const std::uint32_t d = matcher.match(properties);
    if (d == kNone) continue;
    if (definition_class[d] == kNone)
      definition_class[d] = table.interface_name(definitions[d].name);
    class_of[n] = definition_class[d];
  }
}

// `given`: the interface definitions to apply, or nullptr to infer the snapshot's own.
ClassNames class_names(const Snapshot& snapshot, std::span<const std::uint8_t> detachedness,
                       Naming naming, const std::vector<Interface>* given) {
  ClassNames out;
  ClassTable table(snapshot, out);
  const std::uint32_t node_count = snapshot.node_count();
  out.class_of.resize(node_count);
  const auto types = snapshot.node_types();
  const auto names = snapshot.node_names();
  const bool latest = naming == Naming::kLatest;

  // Per node type (the code, or 255 for object/native which are named per node).
  std::vector<std::uint32_t> by_type(256, kNone);
  auto type_class = [&](NodeOrdinal n) {
    const auto code = static_cast<std::uint8_t>(types[n]);
    std::uint32_t& c = by_type[code];
    if (c != kNone) return c;
    switch (types[n]) {
      case NodeType::kHidden:
        c = table.added("(system)");
        break;
      case NodeType::kCode:
        c = table.added("(compiled code)");
        break;
      case NodeType::kClosure:
        c = table.added(latest ? "Function" : "(closure)");
        break;
      case NodeType::kRegExp:
        c = table.added(latest ? "RegExp" : "(regexp)");
        break;
      default: {
        std::string name(1, '(');
        name += snapshot.node_type_name(n);
        name += ')';
        c = table.added(name);
      }
    }
    return c;
  };
  // Object and native nodes, cached by name string (separately for renamed detached nodes).
  std::vector<std::uint32_t> by_name(snapshot.string_count(), kNone);
  std::unordered_map<StringIndex, std::uint32_t> by_detached_name;

  for (NodeOrdinal n = 0; n < node_count; ++n) {
    const NodeType t = types[n];
    if (t != NodeType::kObject && t != NodeType::kNative) {
      out.class_of[n] = type_class(n);
      continue;
    }
    const StringIndex name = names[n];
    const bool detached = t == NodeType::kNative && n < detachedness.size() && detachedness[n] == 2;
    if (!detached) {
      std::uint32_t& c = by_name[name];
      if (c == kNone)
        c = latest ? tagged_or_raw(table, snapshot.string(name), false, name) : table.raw(name);
      out.class_of[n] = c;
      continue;
    }
    auto [it, inserted] = by_detached_name.try_emplace(name, kNone);
    if (inserted) {
      it->second = latest ? tagged_or_raw(table, "Detached " + std::string(snapshot.string(name)),
                                          true, name)
                          : table.detached_raw(name);
    }
    out.class_of[n] = it->second;
  }
  if (!latest) return out;

  apply_interfaces(snapshot, table, out.class_of, given ? *given : infer_interfaces(snapshot));

  // Objects with a constructor location are keyed by it (the last location row of a node wins).
  for (const Location& l : snapshot.locations()) {
    if (l.node >= node_count || types[l.node] != NodeType::kObject) continue;
    out.class_of[l.node] = table.located(l, table.base(out.class_of[l.node]));
  }
  return out;
}

}  // namespace

std::string node_display_name(const Snapshot& snapshot, NodeOrdinal n,
                              std::span<const std::uint8_t> detachedness) {
  const NodeType type = snapshot.node_type(n);
  const auto edge_types = snapshot.edge_types();
  const auto edge_names = snapshot.edge_names_or_indices();
  if (type == NodeType::kConsString) {
    // consStringName: the parts, left to right, until the text reaches 1024 UTF-16 units.
    std::string text;
    std::size_t length = 0;
    std::vector<NodeOrdinal> stack{n};
    while (!stack.empty() && length < 1024) {
      const NodeOrdinal v = stack.back();
      stack.pop_back();
      if (snapshot.node_type(v) != NodeType::kConsString) {
        const std::string_view part = snapshot.node_name(v);
        text += part;
        length += utf16_length(part);
        continue;
      }
      NodeOrdinal first = snapshot.root(), second = snapshot.root();  // DevTools' "not found"
      bool has_first = false, has_second = false;
      for (EdgeIndex e = snapshot.first_edge(v);
           e < snapshot.first_edge(v + 1) && !(has_first && has_second); ++e) {
        if (edge_types[e] != EdgeType::kInternal) continue;
        const std::string_view name = snapshot.string(edge_names[e]);
        if (name == "first") {
          first = snapshot.edge_target(e);
          has_first = true;
        } else if (name == "second") {
          second = snapshot.edge_target(e);
          has_second = true;
        }
      }
      stack.push_back(second);
      stack.push_back(first);
    }
    return text;
  }
  if (is_plain_object(snapshot, n)) {
    // #plainObjectName: property names taken alternately from the first and the last edges,
    // "{a, b, …, y, z}", about 100 UTF-16 units at most (always at least one property).
    std::string start = "{", end = "}", buffer;
    std::size_t start_length = 1, end_length = 1;
    EdgeIndex from_start = snapshot.first_edge(n);
    EdgeIndex past_end = snapshot.first_edge(n + 1);  // one past the next edge from the end
    bool next_from_end = false;
    while (from_start < past_end) {
      const EdgeIndex e = next_from_end ? past_end - 1 : from_start;
      const std::string_view name = snapshot.string(edge_names[e]);
      if (edge_types[e] != EdgeType::kProperty || name == "__proto__") {
        if (next_from_end) {
          --past_end;
        } else {
          ++from_start;
        }
        continue;
      }
      const std::string_view formatted = format_property_name(name, buffer);
      const std::size_t formatted_length = utf16_length(formatted);
      if (start_length > 1 && start_length + end_length + formatted_length > 100) break;
      if (next_from_end) {
        --past_end;
        std::string part(formatted);
        if (end_length > 1) part += ", ";
        end_length += formatted_length + (end_length > 1 ? 2 : 0);
        end = part + end;
      } else {
        ++from_start;
        if (start_length > 1) {
          start += ", ";
          start_length += 2;
        }
        start += formatted;
        start_length += formatted_length;
      }
      next_from_end = !next_from_end;
    }
    if (from_start < past_end) start += ", \xE2\x80\xA6";  // ", …"
    if (end_length > 1) start += ", ";
    return start + end;
  }
  std::string name(snapshot.node_name(n));
  if (type == NodeType::kNative && n < detachedness.size() && detachedness[n] == 2)
    name.insert(0, "Detached ");
  return name;
}

ClassNames compute_class_names(const Snapshot& snapshot, std::span<const std::uint8_t> detachedness,
                               Naming naming) {
  return class_names(snapshot, detachedness, naming, nullptr);
}

ClassNames compute_class_names(const Snapshot& snapshot, std::span<const std::uint8_t> detachedness,
                               Naming naming, std::span<const InterfaceDefinition> interfaces) {
  std::vector<Interface> definitions(interfaces.size());
  for (std::size_t d = 0; d < interfaces.size(); ++d) {
    definitions[d].name = interfaces[d].name;
    definitions[d].properties.assign(interfaces[d].properties.begin(),
                                     interfaces[d].properties.end());
  }
  return class_names(snapshot, detachedness, naming, &definitions);
}

std::vector<InterfaceDefinition> infer_interface_definitions(const Snapshot& snapshot) {
  std::vector<InterfaceDefinition> out;
  for (const Interface& i : infer_interfaces(snapshot)) {
    InterfaceDefinition& d = out.emplace_back();
    d.name = i.name;
    d.properties.assign(i.properties.begin(), i.properties.end());
  }
  return out;
}

}  // namespace libsnap
