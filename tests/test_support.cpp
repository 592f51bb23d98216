#include "test_support.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
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

std::string quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

std::string scenario_test_name(const std::string& scenario, const char* producer) {
  std::string name = producer ? std::string(producer) + "_" + scenario : scenario;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

const char* producer_name(Producer p) {
  return p == Producer::kNode ? "node" : "snapcapture";
}

bool producer_available(Producer p) {
  if (p == Producer::kSnapcapture) return fs::exists(bin_path("snapcapture"));
  static const bool node = run("command -v node").exit_code == 0;
  return node;
}

const std::string& captured_scenario(Producer p, const std::string& scenario, unsigned rounds) {
  static std::map<std::string, std::pair<std::unique_ptr<TempDir>, std::string>> cache;
  const std::string key =
      std::string(producer_name(p)) + "/" + scenario + "/" + std::to_string(rounds);
  auto it = cache.find(key);
  if (it == cache.end()) {
    auto dir = std::make_unique<TempDir>();
    const std::string out = dir->file("run");
    const std::string args = quote(source_path("fixtures/scenarios/" + scenario + ".js")) +
                             " --out " + quote(out) + " --rounds " + std::to_string(rounds);
    const RunResult r = p == Producer::kNode
                            ? run("node --expose-gc " +
                                  quote(source_path("tools/capture/node-scenario.js")) + " " + args)
                            : run(quote(bin_path("snapcapture")) + " scenario " + args);
    EXPECT_EQ(r.exit_code, 0) << key << ": " << r.err;
    it = cache.emplace(key, std::make_pair(std::move(dir), out)).first;
  }
  return it->second.second;
}

}  // namespace libsnap::test
