// The bytes of a snapshot file: memory-mapped when possible, decompressed into memory for gzip.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace libsnap::detail {

class InputBytes {
 public:
  // Opens `path`; throws LoadError (missing, unreadable, a directory, empty, bad gzip).
  static InputBytes open(const std::string& path);
  // Wraps bytes owned by the caller; they must outlive this object.
  static InputBytes borrow(std::string_view bytes, const std::string& name);

  InputBytes(InputBytes&&) noexcept;
  InputBytes& operator=(InputBytes&&) noexcept;
  ~InputBytes();

  std::string_view bytes() const { return bytes_; }
  const std::string& name() const { return name_; }

  // Tells the kernel the pages fully inside [begin, end) will not be read again, so they stop
  // counting in the resident set (file-backed mappings only; a no-op otherwise).
  void release(std::uint64_t begin, std::uint64_t end) const;

 private:
  InputBytes() = default;
  std::string name_;
  std::string_view bytes_;
  void* mapping_ = nullptr;
  std::size_t mapping_size_ = 0;
  std::unique_ptr<std::string> owned_;  // decompressed gzip input
};

}  // namespace libsnap::detail
