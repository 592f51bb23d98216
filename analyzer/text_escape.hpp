// Making untrusted text safe to show. Snapshot strings (class names, property names, map keys)
// are written by whatever program was captured, so reports never pass them through raw:
//   visible_text   control characters, bidirectional overrides and invalid UTF-8 made visible
//                  as \u202E / \x80 (no Trojan-Source reordering, no terminal escapes)
//   xml_text       visible_text, then XML 1.0 escaping (&, <, >, ", ')
//   markdown_text  visible_text, then HTML-entity and backslash escaping for GitHub Markdown,
//                  so the text can't become a link, an image, HTML, emphasis or a table cell break
#pragma once

#include <string>
#include <string_view>

namespace analyzer {

// With `keep_newlines`, "\n" stays a line break (for multi-line text whose lines were made
// visible one by one; a snapshot string's own newlines are escaped before it gets here).
std::string visible_text(std::string_view s, bool keep_newlines = false);
std::string xml_text(std::string_view s, bool keep_newlines = false);
std::string markdown_text(std::string_view s);

}  // namespace analyzer
