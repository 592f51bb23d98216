// Snapshot strings reach the terminal through every text command (class names, property names,
// map keys in paths), and they are written by whatever program was captured: an ESC sequence in a
// property name must not recolor or rewrite the user's terminal, nor a U+202E reorder a line.
// While a VisibleOutput lives, everything written to the stream is shown through visible_text
// (text_escape.hpp; newlines kept). For JSON output the filter changes nothing a JSON reader
// sees: JsonWriter already escapes C0 controls and invalid UTF-8, so only code points inside
// strings can be rewritten, and each becomes its own JSON escape (U+202E -> \u202E).
#pragma once

#include <memory>
#include <ostream>
#include <streambuf>

namespace analyzer {

class VisibleOutput {
 public:
  explicit VisibleOutput(std::ostream& stream);
  ~VisibleOutput();  // flushes what is left and gives the stream its buffer back
  VisibleOutput(const VisibleOutput&) = delete;
  VisibleOutput& operator=(const VisibleOutput&) = delete;

 private:
  class Filter;
  std::ostream& stream_;
  std::streambuf* original_;
  std::unique_ptr<Filter> filter_;
};

}  // namespace analyzer
