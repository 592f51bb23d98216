// What every analyzer command shares: loading with progress and clear errors, exit codes,
// number formatting, resource figures.
#pragma once

#include <cstdint>
#include <regex>
#include <string>
#include <vector>

#include "libsnap/growth.hpp"
#include "libsnap/reader.hpp"

namespace analyzer {

// The CLI's exit codes (a documented contract).
inline constexpr int kExitOk = 0;
inline constexpr int kExitGateFailed = 1;
inline constexpr int kExitBadInput = 2;

struct CommonOptions {
  bool json = false;
  bool quiet = false;
  unsigned threads = 0;
};

// Thrown by commands for bad usage or input; main() prints what() as one line and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The series a command reads: the snapshots given, or the one --dir. Throws UsageError when both
// or neither are given (`needs` completes "<command> needs ...": "snapshots (at least 3)").
std::vector<std::string> series_arguments(const std::vector<std::string>& snapshots,
                                          const std::string& dir, const std::string& command,
                                          const std::string& needs);

// An ECMAScript regular expression from the command line; UsageError
// "<context>: bad regular expression '<pattern>': <why>" when it does not compile.
std::regex compile_regex(const std::string& pattern, const std::string& context);

// Loads a snapshot, showing progress on stderr when it is a terminal and not --quiet.
libsnap::Snapshot load_snapshot(const std::string& path, const CommonOptions& common);

// Progress of a series analysis (growth, gate) on stderr while it is a terminal and not --quiet:
//   gate: snapshot 3/5 run/03-round-2.heapsnapshot 45%
// The line is cleared when the object goes away.
class SeriesProgress {
 public:
  SeriesProgress(std::string command, const CommonOptions& common);
  ~SeriesProgress();
  SeriesProgress(const SeriesProgress&) = delete;
  SeriesProgress& operator=(const SeriesProgress&) = delete;
  void attach(libsnap::GrowthOptions& options);

 private:
  std::string command_;
  bool show_;
  bool shown_ = false;
  std::string current_;  // "snapshot 3/5 run/03-round-2.heapsnapshot"
  int percent_ = -1;
};

std::string with_commas(std::uint64_t v);  // 1234567 -> "1,234,567"
std::string human_bytes(std::uint64_t v);  // 1536 -> "1.5 KiB"
// Display width of UTF-8 text in code points (good enough to align table columns).
std::size_t text_columns(const std::string& s);
// `text` padded to `width` columns, or cut to width - 1 and ended with "…".
std::string fit_column(const std::string& text, std::size_t width);
std::uint64_t peak_rss_bytes();  // of this process so far
double seconds_since(std::uint64_t start_ns);
std::uint64_t now_ns();

}  // namespace analyzer
