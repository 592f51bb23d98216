// snapcapture's exit codes and the one exception type that carries them to main().
#pragma once

#include <stdexcept>
#include <string>

namespace snapcapture {

enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 2,   // bad command line, missing or unreadable script, non-empty --out
  kExitScript = 3,  // uncaught JavaScript exception or rejection, bad scenario
  kExitWrite = 4,   // a snapshot or the manifest could not be written
  kExitLimit = 5,   // out of JavaScript heap, or --max-seconds reached in scenario mode
};

// A failure that ends the run: main() prints what() (already a full message) and exits with code.
class CaptureError : public std::runtime_error {
 public:
  CaptureError(ExitCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace snapcapture
