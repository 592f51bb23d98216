// Escaping untrusted text for reports (text_escape.hpp).
#include "text_escape.hpp"

#include <cstdint>
#include <cstdio>

namespace analyzer {
namespace {

// Decodes one UTF-8 sequence at `i`; returns the code point and advances `i`, or returns -1 for
// an invalid sequence (overlong, surrogate, out of range, truncated) and advances by one byte.
std::int32_t decode(std::string_view s, std::size_t& i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t len = 0;
  std::int32_t cp = 0, min = 0;
  if ((c & 0xE0) == 0xC0)
    len = 2, cp = c & 0x1F, min = 0x80;
  else if ((c & 0xF0) == 0xE0)
    len = 3, cp = c & 0x0F, min = 0x800;
  else if ((c & 0xF8) == 0xF0)
    len = 4, cp = c & 0x07, min = 0x10000;
  else {
    ++i;
    return -1;
  }
  if (i + len > s.size()) {
    ++i;
    return -1;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += len;
  return cp;
}

bool must_show_escaped(std::int32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp < 0xA0) ||        // C0, DEL, C1 controls
         cp == 0x061C || cp == 0x200E || cp == 0x200F ||  // bidi marks
         (cp >= 0x202A && cp <= 0x202E) ||                // embeddings and overrides
         (cp >= 0x2066 && cp <= 0x2069) ||                // isolates
         cp == 0x2028 || cp == 0x2029 ||                  // line and paragraph separators
         cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;    // BOM, noncharacters
}

}  // namespace

std::string visible_text(std::string_view s, bool keep_newlines) {
  std::string out;
  out.reserve(s.size());
  char buffer[16];
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const std::int32_t cp = decode(s, i);
    if (cp < 0) {
      std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned char>(s[start]));
      out += buffer;
    } else if (must_show_escaped(cp) && !(keep_newlines && cp == '\n')) {
      std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(cp));
      out += buffer;
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}

namespace {

// The characters XML and HTML (so GitHub Markdown) both read as markup: appended as entities.
bool append_entity(char c, std::string& out) {
  switch (c) {
    case '&':
      out += "&amp;";
      return true;
    case '<':
      out += "&lt;";
      return true;
    case '>':
      out += "&gt;";
      return true;
    case '"':
      out += "&quot;";
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string xml_text(std::string_view s, bool keep_newlines) {
  std::string out;
  for (const char c : visible_text(s, keep_newlines)) {
    if (append_entity(c, out)) continue;
    if (c == '\'')
      out += "&apos;";
    else
      out += c;
  }
  return out;
}

std::string markdown_text(std::string_view s) {
  // Backslash-escaped: what would make emphasis, code, links, images, headings, table cells or
  // autolinks ("javascript:", "www.x.org", "a@b.org").
  static constexpr std::string_view kMarkdown = "|\\`*_[]()#!~{}+-:.@";
  std::string out;
  for (const char c : visible_text(s)) {
    if (append_entity(c, out)) continue;
    if (kMarkdown.find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace analyzer
