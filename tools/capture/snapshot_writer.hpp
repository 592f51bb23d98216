// Writes labelled heap snapshots into the output directory and keeps manifest.json in step.
#pragma once

#include <optional>
#include <string>

#include "manifest.hpp"

namespace v8 {
class Isolate;
}

namespace snapcapture {

class SnapshotWriter {
 public:
  // Creates `out_dir` if needed and checks that files can be created in it (CaptureError
  // kExitWrite otherwise). An earlier capture there (snapshots or a manifest) is an error
  // (kExitUsage) unless `force`, which deletes those files first. Writes an empty manifest.
  SnapshotWriter(std::string out_dir, Manifest header, bool force);

  // The round recorded for snapshots taken from now on (scenario mode; nullopt in run mode).
  void set_round(std::optional<unsigned> round) { round_ = round; }
  std::optional<unsigned> round() const { return round_; }

  // Optionally runs two full GCs, then writes DIR/NN-label.heapsnapshot (NN = the sequence number,
  // label reduced to [A-Za-z0-9._-]) atomically and rewrites the manifest. Returns the file's path.
  // Reports the file, its node count and the time taken on stderr. Throws CaptureError(kExitWrite)
  // when the file or the manifest cannot be written.
  std::string write(v8::Isolate* isolate, const std::string& label, bool collect_garbage = true);

  // Marks the manifest complete (the run ended normally) and rewrites it.
  void finish();

  const std::string& out_dir() const { return out_dir_; }
  const Manifest& manifest() const { return manifest_; }

 private:
  std::string out_dir_;
  Manifest manifest_;
  std::optional<unsigned> round_;
};

// The file-name form of a label: characters outside [A-Za-z0-9._-] become '-', at most 64 bytes,
// "snapshot" when nothing is left.
std::string file_label(const std::string& label);

}  // namespace snapcapture
