#include "cli_support.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace analyzer {

libsnap::Snapshot load_snapshot(const std::string& path, const CommonOptions& common) {
  libsnap::LoadOptions options;
  options.threads = common.threads;
  const bool show = !common.quiet && ::isatty(STDERR_FILENO);
  int last_percent = -1;
  if (show) {
    options.progress = [&last_percent, &path](std::uint64_t done, std::uint64_t total) {
      int percent = total ? static_cast<int>(done * 100 / total) : 100;
      if (percent != last_percent) {
        last_percent = percent;
        std::fprintf(stderr, "\rloading %s: %d%%", path.c_str(), percent);
      }
    };
  }
  libsnap::Snapshot s = libsnap::load(path, options);
  if (show && last_percent >= 0) std::fprintf(stderr, "\r\033[K");
  return s;
}

SeriesProgress::SeriesProgress(std::string command, const CommonOptions& common)
    : command_(std::move(command)), show_(!common.quiet && ::isatty(STDERR_FILENO)) {}

SeriesProgress::~SeriesProgress() {
  if (shown_) std::fprintf(stderr, "\r\033[K");
}

void SeriesProgress::attach(libsnap::GrowthOptions& options) {
  if (!show_) return;
  options.on_snapshot = [this](std::size_t index, std::size_t count, const std::string& path) {
    current_ = "snapshot " + std::to_string(index + 1) + "/" + std::to_string(count) + " " + path;
    percent_ = -1;
    shown_ = true;
    std::fprintf(stderr, "\r\033[K%s: %s", command_.c_str(), current_.c_str());
  };
  options.load.progress = [this](std::uint64_t done, std::uint64_t total) {
    const int percent = total ? static_cast<int>(done * 100 / total) : 100;
    if (percent == percent_) return;
    percent_ = percent;
    std::fprintf(stderr, "\r\033[K%s: %s %d%%", command_.c_str(), current_.c_str(), percent);
  };
}

std::string with_commas(std::uint64_t v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string human_bytes(std::uint64_t v) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double x = static_cast<double>(v);
  int u = 0;
  while (x >= 1024 && u < 4) {
    x /= 1024;
    ++u;
  }
  char buf[32];
  if (u == 0)
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(v));
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", x, units[u]);
  return buf;
}

std::size_t text_columns(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string fit_column(const std::string& text, std::size_t width) {
  const std::size_t n = text_columns(text);
  if (n <= width) return text + std::string(width - n, ' ');
  std::string out;
  std::size_t seen = 0;
  for (const char c : text) {
    const bool lead = (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (lead && ++seen > width - 1) break;
    out += c;
  }
  return out + "…";
}

std::uint64_t peak_rss_bytes() {
  struct rusage ru {};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;
}

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

double seconds_since(std::uint64_t start_ns) {
  return static_cast<double>(now_ns() - start_ns) / 1e9;
}

std::vector<std::string> series_arguments(const std::vector<std::string>& snapshots,
                                          const std::string& dir, const std::string& command,
                                          const std::string& needs) {
  std::vector<std::string> arguments = snapshots;
  if (!dir.empty()) {
    if (!arguments.empty()) throw UsageError("give snapshots or --dir, not both");
    arguments.push_back(dir);
  }
  if (arguments.empty()) throw UsageError(command + " needs " + needs + " or --dir DIR");
  return arguments;
}

std::regex compile_regex(const std::string& pattern, const std::string& context) {
  try {
    return std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
  } catch (const std::regex_error& e) {
    throw UsageError(context + ": bad regular expression '" + pattern + "': " + e.what());
  }
}

}  // namespace analyzer
