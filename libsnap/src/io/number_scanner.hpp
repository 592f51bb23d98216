// Decoding the big JSON arrays of unsigned integers (`nodes`, `edges`, ...) — the bulk of a
// snapshot — in parallel. The array is cut into fixed-size byte chunks; threads parse chunks into
// small local buffers, learn their global position from the chunk before (published in order, so
// nothing waits long), and hand the numbers to a sink that scatters them into the model's columns.
// No number is ever stored twice in full: buffers are a few MB per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "io/mapped_file.hpp"

namespace libsnap::detail {

// The first value a sink rejects: its index in the array and why.
struct SinkFailure {
  std::uint64_t index = ~std::uint64_t{0};
  std::string reason;
  bool failed() const { return index != ~std::uint64_t{0}; }
  // Keeps the rejection with the lowest index.
  void reject(std::uint64_t at, std::string why) {
    if (at < index) {
      index = at;
      reason = std::move(why);
    }
  }
};

// Receives the numbers [first_index, first_index + count). Called from several threads at once
// for disjoint ranges, in any order. Records the lowest rejected index in `failure`.
class UintSink {
 public:
  virtual ~UintSink() = default;
  virtual void put(std::uint64_t first_index, const std::uint32_t* values, std::size_t count,
                   SinkFailure& failure) = 0;
};

struct ArrayExtent {
  std::uint64_t count = 0;  // numbers in the array
  std::uint64_t end = 0;    // offset just past its ']'
};

struct ScanSettings {
  unsigned threads = 1;
  std::uint64_t chunk_bytes = 4u << 20;
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;  // main thread only
};

// Parses the array whose '[' is at byte `open`. `what` names it in errors. More than `max_count`
// numbers is an error. Throws LoadError with the byte offset of the first problem, whether a
// syntax error or a value the sink rejected.
ArrayExtent scan_uint_array(const InputBytes& in, std::uint64_t open, std::string_view what,
                            std::uint64_t max_count, UintSink& sink, const ScanSettings& settings);

// Sequential variant for the small optional arrays: returns all numbers.
std::vector<std::uint32_t> scan_small_uint_array(const InputBytes& in, std::uint64_t open,
                                                 std::string_view what, std::uint64_t& end);

// Byte offset of the number with this index in the array at `open` (for error messages only:
// it rescans from the start).
std::uint64_t offset_of_number(std::string_view bytes, std::uint64_t open, std::uint64_t index);

}  // namespace libsnap::detail
