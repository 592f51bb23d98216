#include "test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace libsnap::test {
namespace fs = std::filesystem;

std::string source_path(const std::string& relative) {
  return std::string(LIBSNAP_SOURCE_DIR) + "/" + relative;
}

std::string bin_path(const std::string& program) {
  return std::string(LIBSNAP_BIN_DIR) + "/" + program;
}

std::string shared_path(const std::string& relative) {
  fs::path p = fs::path(LIBSNAP_SOURCE_DIR).parent_path() / "shared" / relative;
  return fs::exists(p) ? p.string() : std::string();
}

TempDir::TempDir() {
  fs::path base = fs::path(LIBSNAP_BINARY_DIR) / "test-scratch";
  fs::create_directories(base);
  std::string pattern = (base / "t.XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

RunResult run(const std::string& command_line) {
  TempDir dir;
  std::string out = dir.file("out"), err = dir.file("err");
  std::string full = command_line + " </dev/null >" + out + " 2>" + err;
  int status = std::system(full.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = read_file(out);
  r.err = read_file(err);
  return r;
}

}  // namespace libsnap::test
