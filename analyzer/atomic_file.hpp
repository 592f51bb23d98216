// Writing an output file so that it appears complete or not at all: the bytes go to a temporary
// file beside it ("<path>.tmp-XXXXXX", same directory, so the rename cannot cross filesystems),
// which is fsync'd and renamed over `path`. On any failure the temporary is removed, so a failed
// run leaves nothing behind (and an earlier file at `path` stays as it was).
#pragma once

#include <string>
#include <string_view>

namespace analyzer {

// Writes `content` to `path` atomically. Throws UsageError (exit 2) naming the file and the
// reason when the directory is missing or not writable, the disk is full, or the rename fails.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace analyzer
