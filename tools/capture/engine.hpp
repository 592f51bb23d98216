// The embedded V8: process-wide platform set-up, and the Runtime that owns one isolate, its
// context, its event loop and the state shared by the host API (failures, the --max-seconds
// watchdog, the near-heap-limit snapshot).
#pragma once

#include <v8-context.h>
#include <v8-exception.h>
#include <v8-isolate.h>
#include <v8-persistent-handle.h>
#include <v8-platform.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "errors.hpp"
#include "options.hpp"

namespace snapcapture {

class EventLoop;
class SnapshotWriter;

// Initialises V8 and its default platform for the life of the object (once per process).
class Platform {
 public:
  explicit Platform(const char* argv0);
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;
  v8::Platform* get() const { return platform_.get(); }

 private:
  std::unique_ptr<v8::Platform> platform_;
};

// Thrown (not a CaptureError) when --max-seconds has passed; each mode decides what it means.
struct DeadlineReached {};

using Clock = std::chrono::steady_clock;

class Runtime {
 public:
  Runtime(Platform& platform, const Options& options, SnapshotWriter& writer);
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  v8::Isolate* isolate() const { return isolate_; }
  v8::Local<v8::Context> context() const { return context_.Get(isolate_); }
  v8::Platform* platform() const { return platform_.get(); }
  EventLoop& loop() { return *loop_; }
  SnapshotWriter& writer() { return writer_; }
  const Options& options() const { return options_; }

  // Creates the context and installs the host API. Call once, inside an Isolate::Scope and a
  // HandleScope.
  void create_context();

  // Compiles and runs `source` as a classic script named `name`, then returns its completion value.
  // Throws CaptureError(kExitScript) for a syntax error or an uncaught exception.
  v8::Local<v8::Value> run_script(const std::string& source, const std::string& name);

  // For a call into JavaScript that returned nothing under `try_catch`: throws the failure recorded
  // by a callback, DeadlineReached, or CaptureError(kExitScript) describing the exception.
  [[noreturn]] void raise(v8::TryCatch& try_catch, const std::string& during = "");

  // A fatal error found inside a callback (a snapshot that cannot be written): prints it and ends
  // the process at once with its exit code. TerminateExecution would let the script run on for a
  // few statements (and catch blocks), so it is not used for this.
  [[noreturn]] void exit_now(const CaptureError& error);
  // Records an uncaught exception reported outside any TryCatch (e.g. in a microtask).
  void fail_uncaught(v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                     const std::string& prefix = "Uncaught");
  // Throws the recorded failure, or DeadlineReached once --max-seconds has passed.
  void check();

  // Writes the snapshot asked for by the near-heap-limit callback, if one is pending.
  void write_near_limit_snapshot();

  std::optional<Clock::time_point> deadline() const { return deadline_; }
  bool deadline_passed() const;

 private:
  static std::size_t near_heap_limit(void* data, std::size_t current, std::size_t initial);
  static void on_oom(const char* location, bool is_heap_oom);
  static void on_message(v8::Local<v8::Message> message, v8::Local<v8::Value> error);
  static void on_promise_reject(v8::PromiseRejectMessage message);
  void watchdog();

  Platform& platform_;
  const Options& options_;
  SnapshotWriter& writer_;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Isolate* isolate_ = nullptr;
  v8::Global<v8::Context> context_;
  std::unique_ptr<EventLoop> loop_;
  std::optional<CaptureError> failure_;

  std::optional<Clock::time_point> deadline_;
  std::atomic<bool> timed_out_{false};
  std::mutex watchdog_mutex_;
  std::condition_variable watchdog_cv_;
  bool watchdog_stop_ = false;
  std::thread watchdog_thread_;

  bool near_limit_pending_ = false;
  std::string near_limit_snapshot_;  // path, once written
};

// Reads a whole file; nullopt (with errno set) when it cannot.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace snapcapture
