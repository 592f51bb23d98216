// DIR/manifest.json: the ordered list of snapshots of one capture, rewritten atomically after
// every snapshot so that it always lists exactly the files that exist. Format:
//   {"producer":"snapcapture","v8_version":"10.2.154.26-node.36","script":"/abs/app.js",
//    "mode":"scenario","rounds":3,"complete":true,
//    "snapshots":[{"index":0,"label":"baseline","round":0,"file":"00-baseline.heapsnapshot",
//                  "bytes":123,"used_heap_size":1,"total_heap_size":2,"external_memory":3}, ...]}
// "round" and "rounds" are null in run mode; "complete" turns true when the run ended normally.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace snapcapture {

struct ManifestEntry {
  unsigned index = 0;
  std::string label;
  std::optional<unsigned> round;
  std::string file;  // name inside the output directory
  std::uint64_t bytes = 0;
  std::uint64_t used_heap_size = 0;
  std::uint64_t total_heap_size = 0;
  std::uint64_t external_memory = 0;
};

struct Manifest {
  std::string producer = "snapcapture";
  std::string v8_version;
  std::string script;  // absolute path
  std::string mode;    // "run" or "scenario"
  std::optional<unsigned> rounds;
  bool complete = false;
  std::vector<ManifestEntry> snapshots;

  std::string to_json() const;
  // Writes DIR/manifest.json atomically. Throws CaptureError(kExitWrite).
  void write(const std::string& dir) const;
};

// `text` as a JSON string literal, quotes included (UTF-8 passes through).
std::string json_quote(const std::string& text);

}  // namespace snapcapture
