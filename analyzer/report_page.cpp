#include "report_page.hpp"

#include <stdexcept>

#include "report_css.hpp"
#include "report_html.hpp"
#include "report_js.hpp"

namespace analyzer {

std::string json_for_script_element(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 16);
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else if (c == '\xE2' && i + 2 < json.size() && json[i + 1] == '\x80' &&
               (json[i + 2] == '\xA8' || json[i + 2] == '\xA9')) {
      // U+2028 / U+2029: JSON allows them raw, older JavaScript parsers end a line there.
      out += json[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_report_page(std::string_view data_json) {
  // The template is ours (checked at build time, see tools/cmake/embed_file.cmake): each marker
  // occurs once. It is cut at the markers once; nothing inserted is searched again.
  const std::string_view html = report_html();
  struct Part {
    std::string_view marker;
    std::string content;
  };
  const Part parts[] = {{"/*@REPORT_CSS@*/", std::string(report_css())},
                        {"@REPORT_DATA@", json_for_script_element(data_json)},
                        {"/*@REPORT_JS@*/", std::string(report_js())}};
  std::string out;
  out.reserve(html.size() + parts[0].content.size() + parts[1].content.size() +
              parts[2].content.size());
  std::size_t from = 0;
  for (const Part& p : parts) {
    const std::size_t at = html.find(p.marker, from);
    if (at == std::string_view::npos) throw std::logic_error("report template lacks a marker");
    out.append(html.substr(from, at - from));
    out.append(p.content);
    from = at + p.marker.size();
  }
  out.append(html.substr(from));
  return out;
}

}  // namespace analyzer
