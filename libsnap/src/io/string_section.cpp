#include "io/string_section.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>

#include "libsnap/reader.hpp"

namespace libsnap::detail {
namespace {

constexpr std::size_t kBatchBytes = 8u << 20;

inline bool is_space(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

class StringBatcher {
 public:
  StringBatcher(const InputBytes& in, std::string& arena, std::vector<std::uint64_t>& offsets)
      : in_(in), arena_(arena), offsets_(offsets) {}

  // Adds the string whose opening quote is at `begin` and closing quote at `end - 1`.
  void add(std::uint64_t begin, std::uint64_t end) {
    if (starts_.empty()) batch_begin_ = begin;
    starts_.push_back(begin);
    batch_end_ = end;
    if (batch_end_ - batch_begin_ >= kBatchBytes || starts_.size() >= (1u << 20)) flush();
  }

  void flush() {
    if (starts_.empty()) return;
    const std::string_view bytes = in_.bytes();
    const std::size_t len = batch_end_ - batch_begin_;
    doc_.resize(len + 2 + simdjson::SIMDJSON_PADDING);
    doc_[0] = '[';
    std::memcpy(doc_.data() + 1, bytes.data() + batch_begin_, len);
    doc_[len + 1] = ']';
    std::memset(doc_.data() + len + 2, 0, simdjson::SIMDJSON_PADDING);
    simdjson::padded_string_view view(doc_.data(), len + 2, doc_.size());

    simdjson::ondemand::document doc;
    auto error = parser_.iterate(view).get(doc);
    if (error) fail_batch(error);
    simdjson::ondemand::array array;
    if ((error = doc.get_array().get(array))) fail_batch(error);
    std::size_t i = 0;
    for (auto item : array) {
      std::string_view s;
      if ((error = item.get_string().get(s)) || i >= starts_.size()) {
        if (i < starts_.size()) fail_string(starts_[i], error);
        fail_batch(error ? error : simdjson::TAPE_ERROR);
      }
      arena_.append(s);
      offsets_.push_back(arena_.size());
      ++i;
    }
    if (i != starts_.size()) fail_batch(simdjson::TAPE_ERROR);
    in_.release(batch_begin_, batch_end_);
    starts_.clear();
  }

 private:
  [[noreturn]] void fail_string(std::uint64_t at, simdjson::error_code error) {
    const std::string_view bytes = in_.bytes();
    // Find this string's end again (backslash pairs included) to look for the exact bad byte.
    std::uint64_t end = at + 1;
    while (end < bytes.size() && bytes[end] != '"') end += bytes[end] == '\\' ? 2 : 1;
    const std::string_view text = bytes.substr(at, std::min(end, bytes.size()) - at);
    std::size_t bad = first_invalid_utf8(text);
    if (bad < text.size())
      throw LoadError(in_.name(), at + bad, "strings: invalid UTF-8 in a string");
    bad = first_bad_escape(text);
    if (bad == std::string_view::npos) bad = text.find('\\');
    throw LoadError(in_.name(), bad == std::string_view::npos ? at : at + bad,
                    std::string("strings: invalid string (bad escape or lone surrogate): ") +
                        simdjson::error_message(error));
  }

  // Offset of the first escape JSON rejects in `text`: an unknown escape, \u without four hex
  // digits, or a UTF-16 surrogate that is not part of a pair. npos if there is none.
  static std::size_t first_bad_escape(std::string_view text) {
    auto hex4 = [&](std::size_t i, std::uint32_t& v) {  // the digits of the \u at i
      if (i + 6 > text.size()) return false;
      v = 0;
      for (std::size_t k = i + 2; k < i + 6; ++k) {
        const char c = text[k];
        const int d = c >= '0' && c <= '9'   ? c - '0'
                      : c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                             : -1;
        if (d < 0) return false;
        v = v * 16 + static_cast<std::uint32_t>(d);
      }
      return true;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\\') continue;
      if (i + 1 >= text.size()) return i;
      const char e = text[i + 1];
      if (e != 'u') {
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) return i;
        ++i;
        continue;
      }
      std::uint32_t v = 0, w = 0;
      if (!hex4(i, v) || (v >= 0xDC00 && v <= 0xDFFF)) return i;
      if (v >= 0xD800 && v <= 0xDBFF) {
        if (i + 8 > text.size() || text[i + 6] != '\\' || text[i + 7] != 'u' || !hex4(i + 6, w) ||
            w < 0xDC00 || w > 0xDFFF)
          return i;
        i += 6;
      }
      i += 5;
    }
    return std::string_view::npos;
  }

  [[noreturn]] void fail_batch(simdjson::error_code error) {
    // simdjson says only that the batch holds invalid UTF-8 or an unescaped control character:
    // find the first of either.
    const std::string_view bytes = in_.bytes();
    const std::string_view text = bytes.substr(batch_begin_, batch_end_ - batch_begin_);
    const std::uint64_t bad_utf8 = batch_begin_ + first_invalid_utf8(text);
    std::uint64_t control = batch_end_;
    for (std::size_t i = 0; i < starts_.size() && starts_[i] < bad_utf8 && control == batch_end_;
         ++i) {
      for (std::uint64_t p = starts_[i] + 1; p < batch_end_ && bytes[p] != '"'; ++p) {
        if (bytes[p] == '\\') {
          ++p;
        } else if (static_cast<unsigned char>(bytes[p]) < 0x20) {
          control = p;
          break;
        }
      }
    }
    if (control < bad_utf8)
      throw LoadError(in_.name(), control,
                      "strings: control character in a string (must be escaped)");
    if (bad_utf8 < batch_end_)
      throw LoadError(in_.name(), bad_utf8, "strings: invalid UTF-8 in a string");
    throw LoadError(in_.name(), batch_begin_,
                    std::string("strings: invalid string data: ") + simdjson::error_message(error));
  }

  const InputBytes& in_;
  std::string& arena_;
  std::vector<std::uint64_t>& offsets_;
  simdjson::ondemand::parser parser_;
  std::string doc_;
  std::vector<std::uint64_t> starts_;
  std::uint64_t batch_begin_ = 0;
  std::uint64_t batch_end_ = 0;
};

}  // namespace

std::size_t first_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
      return i;
    i += len;
  }
  return n;
}

std::uint64_t parse_strings(const InputBytes& in, std::uint64_t open, std::string& arena,
                            std::vector<std::uint64_t>& offsets) {
  const std::string_view bytes = in.bytes();
  const char* data = bytes.data();
  const std::uint64_t size = bytes.size();
  const std::uint64_t section = size - open;
  arena.reserve(arena.size() + section);  // untouched capacity costs no resident memory
  StringBatcher batcher(in, arena, offsets);

  auto skip_space = [&](std::uint64_t p) {
    while (p < size && is_space(data[p])) ++p;
    return p;
  };
  auto eof = [&](std::uint64_t) -> std::uint64_t {
    throw LoadError(in.name(), size,
                    "strings: unexpected end of file inside the array (truncated file?)");
  };

  std::uint64_t p = skip_space(open + 1);
  if (p >= size) return eof(p);
  if (data[p] == ']') return p + 1;
  for (;;) {
    if (data[p] != '"') throw LoadError(in.name(), p, "strings: expected a string");
    const std::uint64_t begin = p;
    std::uint64_t q = p + 1;
    for (;;) {
      const void* hit = std::memchr(data + q, '"', size - q);
      if (!hit) throw LoadError(in.name(), begin, "strings: unterminated string (truncated file?)");
      q = static_cast<std::uint64_t>(static_cast<const char*>(hit) - data);
      std::uint64_t backslashes = 0;
      while (q - backslashes > begin + 1 && data[q - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) break;
      ++q;
    }
    batcher.add(begin, q + 1);
    p = skip_space(q + 1);
    if (p >= size) return eof(p);
    if (data[p] == ']') break;
    if (data[p] != ',')
      throw LoadError(in.name(), p, "strings: expected ',' or ']' after a string");
    p = skip_space(p + 1);
    if (p >= size) return eof(p);
  }
  batcher.flush();
  return p + 1;
}

}  // namespace libsnap::detail
