#include "io/mapped_file.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "libsnap/reader.hpp"

namespace libsnap::detail {
namespace {

constexpr std::uint64_t kPage = 4096;

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

// Inflates a whole gzip stream (several members allowed, as `cat a.gz b.gz` makes).
std::string gunzip(std::string_view in, const std::string& name) {
  std::string out;
  out.resize(in.size() < (std::size_t{1} << 40) / 8 ? in.size() * 6 + 4096 : in.size());
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    throw LoadError(name, 0, "cannot start gzip decoder");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  std::size_t in_left = in.size(), produced = 0;
  int rc = Z_OK;
  for (;;) {
    if (produced == out.size()) out.resize(out.size() * 2);
    std::size_t room = out.size() - produced;
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(room > (1u << 30) ? (1u << 30) : room);
    uInt in_chunk = static_cast<uInt>(in_left > (1u << 30) ? (1u << 30) : in_left);
    z.avail_in = in_chunk;
    uInt out_before = z.avail_out;
    rc = inflate(&z, Z_NO_FLUSH);
    produced += out_before - z.avail_out;
    in_left -= in_chunk - z.avail_in;
    if (rc == Z_STREAM_END) {
      if (in_left == 0) break;
      inflateReset(&z);  // next gzip member
      continue;
    }
    if (rc == Z_BUF_ERROR && in_left == 0) {
      inflateEnd(&z);
      throw LoadError(name, in.size(), "gzip data ends early (truncated .gz file)");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::uint64_t at = in.size() - in_left;
      inflateEnd(&z);
      throw LoadError(name, at,
                      std::string("corrupt gzip data: ") + (z.msg ? z.msg : "inflate failed"));
    }
  }
  inflateEnd(&z);
  out.resize(produced);
  out.shrink_to_fit();
  return out;
}

}  // namespace

InputBytes InputBytes::open(const std::string& path) {
  InputBytes input;
  input.name_ = path;
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (f.fd < 0)
    throw LoadError(path, LoadError::kNoOffset,
                    std::string("cannot open: ") + std::strerror(errno));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0)
    throw LoadError(path, LoadError::kNoOffset,
                    std::string("cannot stat: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode))
    throw LoadError(path, LoadError::kNoOffset, "is a directory, not a snapshot file");
  if (!S_ISREG(st.st_mode)) throw LoadError(path, LoadError::kNoOffset, "is not a regular file");
  if (st.st_size == 0) throw LoadError(path, 0, "empty file (expected a JSON heap snapshot)");
  std::size_t size = static_cast<std::size_t>(st.st_size);
  void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, f.fd, 0);
  if (p == MAP_FAILED) {
    // A read error surfaces here for some file systems; EACCES etc. were caught at open().
    throw LoadError(path, LoadError::kNoOffset, std::string("cannot map: ") + std::strerror(errno));
  }
  ::madvise(p, size, MADV_SEQUENTIAL);
  input.mapping_ = p;
  input.mapping_size_ = size;
  input.bytes_ = std::string_view(static_cast<const char*>(p), size);
  if (is_gzip(input.bytes_)) {
    input.owned_ = std::make_unique<std::string>(gunzip(input.bytes_, path));
    ::munmap(input.mapping_, input.mapping_size_);
    input.mapping_ = nullptr;
    input.mapping_size_ = 0;
    input.bytes_ = *input.owned_;
    if (input.bytes_.empty()) throw LoadError(path, 0, "gzip file decompresses to nothing");
  }
  return input;
}

InputBytes InputBytes::borrow(std::string_view bytes, const std::string& name) {
  InputBytes input;
  input.name_ = name;
  if (is_gzip(bytes)) {
    input.owned_ = std::make_unique<std::string>(gunzip(bytes, name));
    input.bytes_ = *input.owned_;
  } else {
    input.bytes_ = bytes;
  }
  if (input.bytes_.empty()) throw LoadError(name, 0, "empty input (expected a JSON heap snapshot)");
  return input;
}

InputBytes::InputBytes(InputBytes&& other) noexcept {
  *this = std::move(other);
}

InputBytes& InputBytes::operator=(InputBytes&& other) noexcept {
  if (this != &other) {
    if (mapping_) ::munmap(mapping_, mapping_size_);
    name_ = std::move(other.name_);
    bytes_ = std::exchange(other.bytes_, {});
    mapping_ = std::exchange(other.mapping_, nullptr);
    mapping_size_ = std::exchange(other.mapping_size_, 0);
    owned_ = std::move(other.owned_);
  }
  return *this;
}

InputBytes::~InputBytes() {
  if (mapping_) ::munmap(mapping_, mapping_size_);
}

void InputBytes::release(std::uint64_t begin, std::uint64_t end) const {
  if (!mapping_) return;
  std::uint64_t first = (begin + kPage - 1) / kPage * kPage;
  std::uint64_t last = end / kPage * kPage;
  if (last > mapping_size_) last = mapping_size_ / kPage * kPage;
  if (first >= last) return;
  ::madvise(static_cast<char*>(mapping_) + first, last - first, MADV_DONTNEED);
}

}  // namespace libsnap::detail
