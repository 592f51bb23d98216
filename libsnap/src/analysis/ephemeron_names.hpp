// Private helpers shared by the DevTools-exact analyses (distances, essential edges, shallow
// sizes): recognising the edge names V8 gives the two halves of a WeakMap entry, finding strings,
// and JavaScript's parseInt.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libsnap/snapshot.hpp"

namespace libsnap::detail {

// V8 names both edges to a WeakMap value (one from the table, one from the key)
//   "<n> / part of key (<K> @<k>) -> value (<V> @<v>) pair in WeakMap (table @<t>)".
// DevTools matches that with a regular expression; this is the same language, checked by hand.
struct EphemeronEdgeName {
  std::string_view pair;       // the name without its leading index: identical for both halves
  std::uint64_t table_id = 0;  // <t>; kNoTableId when it does not fit 32 bits (matches no node)
};
inline constexpr std::uint64_t kNoTableId = ~std::uint64_t{0};

std::optional<EphemeronEdgeName> parse_ephemeron_edge_name(std::string_view name);

// The parse, cached per string index (each distinct edge name is parsed at most once).
class EphemeronNames {
 public:
  explicit EphemeronNames(const Snapshot& snapshot);
  // nullptr when the string is not an ephemeron edge name.
  const EphemeronEdgeName* find(StringIndex name) {
    if (name < state_.size() && state_[name] == 1) return nullptr;  // the common case, inline
    return find_slow(name);
  }

 private:
  const EphemeronEdgeName* find_slow(StringIndex name);
  const Snapshot& snapshot_;
  std::vector<std::uint8_t> state_;  // per string: 0 not parsed yet, 1 no, 2 yes
  std::unordered_map<StringIndex, EphemeronEdgeName> parsed_;
};

// The indices of every string equal to `text` (a V8 string table has each string once, but the
// format does not promise it). Lets hot loops compare name indices instead of names.
class StringMatcher {
 public:
  StringMatcher(const Snapshot& snapshot, std::string_view text);
  bool operator()(StringIndex i) const {
    for (StringIndex m : matches_) {
      if (m == i) return true;
    }
    return false;
  }

 private:
  std::vector<StringIndex> matches_;
};

// JavaScript's parseInt(text, 10) as DevTools applies it to edge names: leading white space, an
// optional sign, then decimal digits; nullopt where JavaScript gives NaN.
std::optional<double> js_parse_int(std::string_view text);

}  // namespace libsnap::detail
