#include "atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "errors.hpp"

namespace snapcapture {
namespace {

constexpr std::size_t kBufferSize = 1 << 20;

// The temporary file being written (points into that AtomicFile's temp_path_), for signals.
std::atomic<const char*> g_current_temporary{nullptr};

void forget_temporary(const char* path) {
  const char* expected = path;
  g_current_temporary.compare_exchange_strong(expected, nullptr);
}

extern "C" void on_fatal_signal(int sig) {
  remove_current_temporary();
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

std::string temp_path_for(const std::string& path) {
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  return dir + "." + name + ".tmp";
}

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), temp_path_(temp_path_for(path_)) {
  int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create", errno);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    int error = errno;
    ::close(fd);
    ::unlink(temp_path_.c_str());
    fail("cannot create", error);
  }
  std::setvbuf(file_, nullptr, _IOFBF, kBufferSize);
  g_current_temporary = temp_path_.c_str();
}

AtomicFile::~AtomicFile() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) ::unlink(temp_path_.c_str());
  forget_temporary(temp_path_.c_str());
}

bool AtomicFile::write(const char* data, std::size_t size) {
  if (write_errno_ != 0) return false;
  if (std::fwrite(data, 1, size, file_) != size) {
    write_errno_ = errno != 0 ? errno : EIO;
    return false;
  }
  bytes_ += size;
  return true;
}

void AtomicFile::commit() {
  if (write_errno_ != 0) fail("cannot write", write_errno_);
  if (std::fflush(file_) != 0) fail("cannot write", errno);
  if (::fsync(::fileno(file_)) != 0) fail("cannot sync", errno);
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) fail("cannot close", errno);
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) fail("cannot rename into place", errno);
  committed_ = true;
  forget_temporary(temp_path_.c_str());
  // Make the rename itself durable; a failure here does not make the file less complete.
  int dir = ::open(directory_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void AtomicFile::fail(const std::string& what, int error) {
  throw CaptureError(kExitWrite,
                     what + " " + temp_path_ + " (for " + path_ + "): " + std::strerror(error));
}

void remove_current_temporary() {
  const char* path = g_current_temporary.load();
  if (path != nullptr) ::unlink(path);
}

void remove_temporary_on_signals() {
  struct sigaction action = {};
  action.sa_handler = on_fatal_signal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &action, nullptr);
}

}  // namespace snapcapture
