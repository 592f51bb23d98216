// The `strings` section: a JSON array of strings, decoded into one UTF-8 arena.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/mapped_file.hpp"

namespace libsnap::detail {

// Parses the array whose '[' is at `open`. Our own scan finds the string boundaries and checks the
// array's punctuation; simdjson, fed batches of a few MB (never the whole file: it refuses
// documents over 4 GiB), unescapes and validates UTF-8. Appends to `arena`/`offsets` (offsets
// starts as {0}); returns the offset just past ']'. Throws LoadError with the byte offset.
std::uint64_t parse_strings(const InputBytes& in, std::uint64_t open, std::string& arena,
                            std::vector<std::uint64_t>& offsets);

// Offset of the first byte that is not valid UTF-8 in `text`, or text.size() if all valid.
std::size_t first_invalid_utf8(std::string_view text);

}  // namespace libsnap::detail
