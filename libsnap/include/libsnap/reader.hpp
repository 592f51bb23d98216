// libsnap: loading a `.heapsnapshot` file.
//
//   try {
//     libsnap::Snapshot s = libsnap::load("app.heapsnapshot");
//     std::cout << s.node_count() << " nodes\n";
//   } catch (const libsnap::LoadError& e) {
//     std::cerr << e.what() << "\n";  // "app.heapsnapshot: byte 1234: expected ..."
//   }
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "libsnap/snapshot.hpp"

namespace libsnap {

// The only exception load() throws for bad input (I/O errors included). what() is one line:
// "<file>: byte <offset>: <reason>" or "<file>: <field>: <reason>" when no offset applies.
class LoadError : public std::runtime_error {
 public:
  static constexpr std::uint64_t kNoOffset = ~std::uint64_t{0};
  LoadError(std::string file, std::uint64_t offset, std::string reason);
  const std::string& file() const { return file_; }
  std::uint64_t offset() const { return offset_; }  // kNoOffset when not about one place
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  std::uint64_t offset_;
  std::string reason_;
};

struct LoadOptions {
  // Threads for the numeric arrays; 0 = one per hardware thread.
  unsigned threads = 0;
  // Bytes per work unit of the numeric-array scanner; 0 = the default (4 MiB), others are clamped
  // to [64 B, 64 MiB]. Tests and the fuzzer use tiny chunks to put many seams in small files.
  std::uint64_t chunk_bytes = 0;
  // Called now and then with bytes processed so far and the file size (from the loading thread).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

// Loads and validates a snapshot. Throws LoadError on any bad input; never returns a graph that
// disagrees with its header. Accepts 6- and 7-field nodes, unknown fields, node and edge types,
// and unknown or missing optional sections.
Snapshot load(const std::string& path, const LoadOptions& options = {});

// Same, from bytes in memory (used by tests and the fuzzer); `name` is used in error messages.
Snapshot load_from_memory(std::string_view bytes, const std::string& name,
                          const LoadOptions& options = {});

}  // namespace libsnap
