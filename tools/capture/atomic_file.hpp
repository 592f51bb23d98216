// Writing a file so that it appears complete or not at all: the bytes go to a hidden temporary
// file beside it (".NAME.tmp"), which is flushed, fsync'd and renamed over NAME on commit().
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace snapcapture {

class AtomicFile {
 public:
  // Creates the temporary file for `path`. Throws CaptureError(kExitWrite) when it cannot.
  explicit AtomicFile(std::string path);
  // Removes the temporary file unless commit() succeeded.
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes; returns false (and remembers errno) on failure.
  bool write(const char* data, std::size_t size);
  bool write(const std::string& bytes) { return write(bytes.data(), bytes.size()); }
  // Flushes, fsyncs, closes and renames into place, then fsyncs the directory. Throws
  // CaptureError(kExitWrite) naming the file and the reason if any step (or an earlier write)
  // failed.
  void commit();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  std::size_t bytes_written() const { return bytes_; }

 private:
  [[noreturn]] void fail(const std::string& what, int error);

  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  std::size_t bytes_ = 0;
  int write_errno_ = 0;
  bool committed_ = false;
};

// Temporary-file name used for `path`: same directory, "." + file name + ".tmp".
std::string temp_path_for(const std::string& path);

// Removes the temporary file of the AtomicFile being written, if any. Async-signal-safe: for
// signal handlers and for paths that end the process with _Exit.
void remove_current_temporary();

// Installs handlers for SIGINT, SIGTERM and SIGHUP that call remove_current_temporary() and then
// die of the same signal. (SIGKILL cannot be caught: it leaves the hidden temporary, never a
// partial snapshot.)
void remove_temporary_on_signals();

}  // namespace snapcapture
