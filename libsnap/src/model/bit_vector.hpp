// A plain bit set over node ordinals: 1/32 of the memory of a per-node uint32 array, so the
// random "seen yet?" probes of a graph traversal mostly hit the cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace libsnap::detail {

class BitVector {
 public:
  BitVector() = default;
  explicit BitVector(std::size_t size) : words_((size + 63) / 64, 0) {}
  bool test(std::size_t i) const { return (words_[i >> 6] >> (i & 63)) & 1; }
  void set(std::size_t i) { words_[i >> 6] |= std::uint64_t{1} << (i & 63); }

 private:
  std::vector<std::uint64_t> words_;
};

}  // namespace libsnap::detail
