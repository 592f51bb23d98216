// Helpers shared by the test files: where things are, temporary files, running the CLI.
#pragma once

#include <string>

namespace libsnap::test {

std::string source_path(const std::string& relative);  // <repo>/relative
std::string bin_path(const std::string& program);      // <build>/bin/program
// <repo>/../shared/relative, or "" when shared/ is not beside the checkout.
std::string shared_path(const std::string& relative);

// A fresh directory under the build tree's test scratch space, removed at exit of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& bytes);
std::string read_file(const std::string& path);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs a shell command line (no stdin), capturing stdout and stderr.
RunResult run(const std::string& command_line);

// A scenario's name as a GoogleTest parameter name: "leak-request-cache" -> "leak_request_cache",
// with the producer first when given ("node_leak_request_cache").
std::string scenario_test_name(const std::string& scenario, const char* producer = nullptr);

// `s` in single quotes for a shell command line.
std::string quote(const std::string& s);

// The two programs that capture fixtures/scenarios/*.js: Node (tools/capture/node-scenario.js)
// and snapcapture (V8 10.2, when it was built).
enum class Producer { kNode, kSnapcapture };
const char* producer_name(Producer p);
bool producer_available(Producer p);

// fixtures/scenarios/<scenario>.js captured by `p` with `rounds` rounds into a directory that
// lives until the test program exits; captured once per program run and then shared, since a
// capture takes a second or more. Fails the calling test when the capture fails.
const std::string& captured_scenario(Producer p, const std::string& scenario, unsigned rounds = 6);

}  // namespace libsnap::test
