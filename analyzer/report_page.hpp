// The page of `analyzer report`: the template (analyzer/report/report.html, .css, .js, embedded
// into the program at build time) with the report's data placed in a
// <script type="application/json" id="report-data"> element.
#pragma once

#include <string>
#include <string_view>

namespace analyzer {

// JSON text made safe as the content of a <script> element: `<`, `>`, `&`, U+2028 and U+2029
// become \u escapes (only possible inside JSON strings, where they mean the same), so no string
// can end the element or start a comment; JSON.parse reads the same value.
std::string json_for_script_element(std::string_view json);

// The whole self-contained page for `data_json` (collect_report_data's result).
std::string render_report_page(std::string_view data_json);

}  // namespace analyzer
