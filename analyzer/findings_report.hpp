// Text and JSON output shared by `analyzer leaks` and `analyzer growth`.
#pragma once

#include <ostream>
#include <span>
#include <string>

#include "libsnap/series.hpp"

namespace analyzer {

// One finding as the sentence a user reads first:
//   `requestCache` (Map @1234) gains 200 RequestContext per step, about 12.5 KiB per step
std::string finding_sentence(const libsnap::Finding& f, const std::string& step_word);

// The ranked report: the sentence, then path, classes and the series.
void write_findings_text(std::ostream& out, std::span<const libsnap::Finding> findings,
                         const std::string& step_word);

// The "findings" array of the documented JSON shape (the caller opens the object).
class JsonWriter;
void write_findings_json(JsonWriter& j, std::span<const libsnap::Finding> findings);

}  // namespace analyzer
