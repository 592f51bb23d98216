// A small streaming JSON writer for the CLI's --json output (a documented contract: keys are
// stable, numbers are exact integers).
#pragma once

#include <cstdint>
#include <ostream>
#include <string_view>
#include <vector>

namespace analyzer {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}
  ~JsonWriter();

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(std::uint64_t v);
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(std::uint32_t v) { return value(std::uint64_t{v}); }
  JsonWriter& value(int v) { return value(std::int64_t{v}); }
  JsonWriter& value(double v);
  JsonWriter& value(bool v);
  JsonWriter& null();

  template <typename T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  // Writes `s` as a JSON string literal: quotes, backslashes, control characters and any byte
  // that is not valid UTF-8 escaped, so the output is always valid JSON.
  static void write_string(std::ostream& out, std::string_view s);

 private:
  void separate();
  std::ostream& out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace analyzer
