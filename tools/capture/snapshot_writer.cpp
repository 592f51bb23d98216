#include "snapshot_writer.hpp"

#include <v8-isolate.h>
#include <v8-profiler.h>
#include <v8-statistics.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>

#include "atomic_file.hpp"
#include "errors.hpp"

namespace snapcapture {
namespace {

namespace fs = std::filesystem;

// Streams V8's JSON serializer into an AtomicFile.
class FileStream : public v8::OutputStream {
 public:
  explicit FileStream(AtomicFile& file) : file_(file) {}
  // Bigger chunks than V8's default 1 KiB mean fewer virtual calls; the serializer buffers them.
  int GetChunkSize() override { return 256 * 1024; }
  void EndOfStream() override {}
  WriteResult WriteAsciiChunk(char* data, int size) override {
    return file_.write(data, static_cast<std::size_t>(size)) ? kContinue : kAbort;
  }

 private:
  AtomicFile& file_;
};

// Files of an earlier capture: snapshots, their temporaries, the manifest and its temporary.
bool is_capture_file(const std::string& name) {
  auto ends_with = [&](const char* suffix) {
    std::string s(suffix);
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  return ends_with(".heapsnapshot") || ends_with(".heapsnapshot.tmp") || name == "manifest.json" ||
         name == ".manifest.json.tmp";
}

}  // namespace

std::string file_label(const std::string& label) {
  std::string out;
  for (char c : label) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_' || c == '-';
    out += keep ? c : '-';
    if (out.size() == 64) break;
  }
  return out.empty() ? "snapshot" : out;
}

SnapshotWriter::SnapshotWriter(std::string out_dir, Manifest header, bool force)
    : out_dir_(std::move(out_dir)), manifest_(std::move(header)) {
  std::error_code ec;
  fs::create_directories(out_dir_, ec);
  if (ec || !fs::is_directory(out_dir_, ec))
    throw CaptureError(kExitWrite, "cannot create output directory " + out_dir_ + ": " +
                                       (ec ? ec.message() : "not a directory"));
  std::vector<fs::path> earlier;
  for (fs::directory_iterator it(out_dir_, ec), end; !ec && it != end; it.increment(ec))
    if (is_capture_file(it->path().filename().string())) earlier.push_back(it->path());
  if (ec)
    throw CaptureError(kExitWrite,
                       "cannot read output directory " + out_dir_ + ": " + ec.message());
  if (!earlier.empty() && !force)
    throw CaptureError(kExitUsage, "output directory " + out_dir_ + " already holds a capture (" +
                                       earlier.front().filename().string() +
                                       "); use an empty directory or pass --force to replace it");
  for (const fs::path& p : earlier) {
    if (!fs::remove(p, ec) && ec)
      throw CaptureError(kExitWrite, "cannot remove " + p.string() + ": " + ec.message());
  }
  manifest_.write(out_dir_);  // also proves that files can be created there
}

std::string SnapshotWriter::write(v8::Isolate* isolate, const std::string& label,
                                  bool collect_garbage) {
  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
  };
  auto started = Clock::now();
  if (collect_garbage) {
    isolate->LowMemoryNotification();
    isolate->LowMemoryNotification();
  }
  v8::HeapStatistics stats;
  isolate->GetHeapStatistics(&stats);

  ManifestEntry entry;
  entry.index = static_cast<unsigned>(manifest_.snapshots.size());
  entry.label = label;
  entry.round = round_;
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%02u-", entry.index);
  entry.file = prefix + file_label(label) + ".heapsnapshot";
  entry.used_heap_size = stats.used_heap_size();
  entry.total_heap_size = stats.total_heap_size();
  entry.external_memory = stats.external_memory();
  std::string path = out_dir_ + "/" + entry.file;

  double gc_seconds = seconds_since(started), take_seconds = 0, write_seconds = 0;
  int node_count = 0;
  {
    AtomicFile file(path);  // first, so that an unwritable directory fails before the work
    struct Deleter {
      void operator()(const v8::HeapSnapshot* s) const {
        const_cast<v8::HeapSnapshot*>(s)->Delete();
      }
    };
    auto taking = Clock::now();
    std::unique_ptr<const v8::HeapSnapshot, Deleter> snapshot(
        isolate->GetHeapProfiler()->TakeHeapSnapshot());
    node_count = snapshot->GetNodesCount();
    take_seconds = seconds_since(taking);
    auto writing = Clock::now();
    FileStream stream(file);
    snapshot->Serialize(&stream, v8::HeapSnapshot::kJSON);
    snapshot.reset();
    file.commit();
    write_seconds = seconds_since(writing);
    entry.bytes = file.bytes_written();
  }
  manifest_.snapshots.push_back(std::move(entry));
  try {
    manifest_.write(out_dir_);
  } catch (const CaptureError&) {
    // Keep the directory consistent with the manifest on disk, which does not list this file.
    std::error_code ec;
    fs::remove(path, ec);
    manifest_.snapshots.pop_back();
    throw;
  }
  std::fprintf(stderr,
               "snapcapture: wrote %s (%d nodes, %.1f MB; GC %.2f s, snapshot %.2f s, "
               "serialization %.2f s)\n",
               path.c_str(), node_count,
               static_cast<double>(manifest_.snapshots.back().bytes) / 1e6, gc_seconds,
               take_seconds, write_seconds);
  return path;
}

void SnapshotWriter::finish() {
  manifest_.complete = true;
  manifest_.write(out_dir_);
}

}  // namespace snapcapture
