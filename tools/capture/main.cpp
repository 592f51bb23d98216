// snapcapture: runs a JavaScript program in an embedded V8 (Debian's libnode 18, V8 10.2) and
// writes labelled heap snapshots plus a manifest. See `snapcapture --help` and usage_text().
#include <v8-initialization.h>
#include <v8-isolate.h>
#include <v8-locker.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>

#include "atomic_file.hpp"
#include "engine.hpp"
#include "errors.hpp"
#include "modes.hpp"
#include "options.hpp"
#include "snapshot_writer.hpp"

namespace {

using namespace snapcapture;

int capture(const Options& options, const char* argv0) {
  std::optional<std::string> source = read_text_file(options.script);
  if (!source)
    throw CaptureError(kExitUsage,
                       "cannot read script " + options.script + ": " + std::strerror(errno));
  if (std::filesystem::is_directory(options.script))
    throw CaptureError(kExitUsage, "cannot read script " + options.script + ": is a directory");

  Manifest header;
  header.v8_version = v8::V8::GetVersion();
  std::error_code ec;
  header.script = std::filesystem::absolute(options.script, ec).lexically_normal().string();
  header.mode = options.mode == Mode::kRun ? "run" : "scenario";
  if (options.mode == Mode::kScenario) header.rounds = options.rounds;
  SnapshotWriter writer(options.out_dir, std::move(header), options.force);

  Platform platform(argv0);
  Runtime runtime(platform, options, writer);
  v8::Isolate::Scope isolate_scope(runtime.isolate());
  v8::HandleScope handle_scope(runtime.isolate());
  runtime.create_context();
  v8::Context::Scope context_scope(runtime.context());
  return options.mode == Mode::kRun ? run_mode(runtime, *source) : scenario_mode(runtime, *source);
}

}  // namespace

int main(int argc, char** argv) {
  ParseResult parsed = parse_args(argc, argv);
  switch (parsed.action) {
    case ParseResult::Action::kHelp:
      std::fputs(usage_text().c_str(), stdout);
      return kExitOk;
    case ParseResult::Action::kVersion:
      std::printf("snapcapture 0.1.0 (V8 %s)\n", v8::V8::GetVersion());
      return kExitOk;
    case ParseResult::Action::kError:
      std::fprintf(stderr, "snapcapture: %s\nRun `snapcapture --help` for usage.\n",
                   parsed.error.c_str());
      return kExitUsage;
    case ParseResult::Action::kCapture:
      break;
  }
  remove_temporary_on_signals();
  try {
    int code = capture(parsed.options, argv[0]);
    std::fflush(stdout);
    return code;
  } catch (const CaptureError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "snapcapture: %s\n", e.what());
    return e.code();
  }
}
