#include "analysis/ephemeron_names.hpp"

#include <cmath>

namespace libsnap::detail {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// JavaScript's `.` does not match line terminators: \n, \r, U+2028, U+2029 (E2 80 A8 / E2 80 A9).
bool has_line_terminator(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || c == '\r') return true;
    if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < s.size() &&
        static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
         static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
      return true;
    }
  }
  return false;
}

bool consume_suffix(std::string_view& s, std::string_view suffix) {
  if (!s.ends_with(suffix)) return false;
  s.remove_suffix(suffix.size());
  return true;
}

// Removes a non-empty run of digits from the end of s; returns the digits.
std::optional<std::string_view> consume_digits_suffix(std::string_view& s) {
  std::size_t end = s.size();
  std::size_t begin = end;
  while (begin > 0 && is_digit(s[begin - 1])) --begin;
  if (begin == end) return std::nullopt;
  std::string_view digits = s.substr(begin);
  s.remove_suffix(digits.size());
  return digits;
}

}  // namespace

std::optional<EphemeronEdgeName> parse_ephemeron_edge_name(std::string_view name) {
  // ^\d+( / part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$
  // (the last `)` closes the group: the name ends in "(table @<t>)").
  constexpr std::string_view kKey = " / part of key (";
  constexpr std::string_view kValue = ") -> value (";
  constexpr std::string_view kTail = ") pair in WeakMap (table @";
  if (name.empty() || !is_digit(name[0]) || !name.ends_with(')')) return std::nullopt;
  std::size_t i = 0;
  while (i < name.size() && is_digit(name[i])) ++i;
  std::string_view pair = name.substr(i);
  std::string_view rest = pair;
  if (!rest.starts_with(kKey)) return std::nullopt;
  rest.remove_prefix(kKey.size());
  if (!consume_suffix(rest, ")")) return std::nullopt;
  std::optional<std::string_view> table = consume_digits_suffix(rest);
  if (!table || !consume_suffix(rest, kTail)) return std::nullopt;
  if (!consume_digits_suffix(rest) || !consume_suffix(rest, " @")) return std::nullopt;
  // What is left is `K @k) -> value (V`: some " @<digits>) -> value (" must occur in it.
  bool found = false;
  for (std::size_t at = rest.find(" @"); at != std::string_view::npos;
       at = rest.find(" @", at + 1)) {
    std::size_t j = at + 2;
    std::size_t digits_begin = j;
    while (j < rest.size() && is_digit(rest[j])) ++j;
    if (j > digits_begin && rest.substr(j).starts_with(kValue)) {
      found = true;
      break;
    }
  }
  if (!found || has_line_terminator(name)) return std::nullopt;
  EphemeronEdgeName result;
  result.pair = pair;
  std::uint64_t id = 0;
  for (char c : *table) {
    id = id * 10 + static_cast<std::uint64_t>(c - '0');
    if (id > 0xFFFFFFFFu) {
      id = kNoTableId;
      break;
    }
  }
  result.table_id = id;
  return result;
}

EphemeronNames::EphemeronNames(const Snapshot& snapshot)
    : snapshot_(snapshot), state_(snapshot.string_count(), 0) {}

const EphemeronEdgeName* EphemeronNames::find_slow(StringIndex name) {
  if (name >= state_.size()) return nullptr;
  if (state_[name] == 0) {
    std::optional<EphemeronEdgeName> parsed = parse_ephemeron_edge_name(snapshot_.string(name));
    state_[name] = parsed ? 2 : 1;
    if (parsed) parsed_.emplace(name, *parsed);
  }
  if (state_[name] == 1) return nullptr;
  return &parsed_.find(name)->second;
}

StringMatcher::StringMatcher(const Snapshot& snapshot, std::string_view text) {
  for (StringIndex i = 0, n = snapshot.string_count(); i < n; ++i) {
    if (snapshot.string(i) == text) matches_.push_back(i);
  }
}

std::optional<double> js_parse_int(std::string_view text) {
  std::size_t i = 0;
  auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
  };
  while (i < text.size() && is_space(text[i])) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  std::size_t digits_begin = i;
  double value = 0;
  while (i < text.size() && is_digit(text[i])) {
    value = value * 10 + (text[i] - '0');
    ++i;
  }
  if (i == digits_begin) return std::nullopt;
  return negative ? -value : value;
}

}  // namespace libsnap::detail
