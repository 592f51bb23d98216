#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "cli_support.hpp"

namespace analyzer {
namespace {

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

[[noreturn]] void fail(const char* what, const std::string& path, int error) {
  std::string message = what;
  message += ' ';
  message += path;
  message += ": ";
  message += std::strerror(error);
  throw UsageError(message);
}

// The process umask, read without changing it for good (umask() can only be read by setting).
mode_t current_umask() {
  const mode_t mask = ::umask(022);
  ::umask(mask);
  return mask;
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  std::string temp = path;
  temp += ".tmp-XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) fail("cannot create", path, errno);
  temp.assign(name.data());
  // On every failure from here on: close, remove the temporary, report.
  auto abandon = [&](const char* what, int error) {
    ::close(fd);
    ::unlink(temp.c_str());
    fail(what, path, error);
  };
  // mkstemp creates 0600; an output file gets the usual permissions.
  if (::fchmod(fd, 0666 & ~current_umask()) != 0) abandon("cannot write", errno);
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      abandon("cannot write", errno);
    }
    data += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) abandon("cannot write", errno);
  if (::close(fd) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    fail("cannot write", path, error);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temp.c_str());
    fail("cannot write", path, error);
  }
  // Make the rename itself durable; a failure here does not make the file less complete.
  const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace analyzer
