#include "engine.hpp"

#include <libplatform/libplatform.h>
#include <v8-array-buffer.h>
#include <v8-initialization.h>
#include <v8-primitive.h>
#include <v8-promise.h>
#include <v8-script.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "atomic_file.hpp"
#include "event_loop.hpp"
#include "exceptions.hpp"
#include "host_api.hpp"
#include "snapshot_writer.hpp"

namespace snapcapture {
namespace {

Runtime* g_runtime = nullptr;  // for V8's callbacks that carry no data pointer (one isolate)

constexpr std::size_t kMiB = std::size_t{1} << 20;

}  // namespace

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(bytes).str();
}

Platform::Platform(const char* argv0) {
  v8::V8::InitializeICUDefaultLocation(argv0);
  platform_ = v8::platform::NewDefaultPlatform();
  v8::V8::InitializePlatform(platform_.get());
  v8::V8::Initialize();
}

Platform::~Platform() {
  v8::V8::Dispose();
  v8::V8::DisposePlatform();
}

Runtime::Runtime(Platform& platform, const Options& options, SnapshotWriter& writer)
    : platform_(platform), options_(options), writer_(writer) {
  allocator_.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  if (options.heap_limit_mb > 0)
    params.constraints.ConfigureDefaultsFromHeapSize(0, options.heap_limit_mb * kMiB);
  isolate_ = v8::Isolate::New(params);
  isolate_->SetData(0, this);
  g_runtime = this;
  isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate_->SetOOMErrorHandler(&Runtime::on_oom);
  isolate_->SetPromiseRejectCallback(&Runtime::on_promise_reject);
  isolate_->AddMessageListenerWithErrorLevel(&Runtime::on_message, v8::Isolate::kMessageError);
  if (options.snapshot_near_heap_limit)
    isolate_->AddNearHeapLimitCallback(&Runtime::near_heap_limit, this);
  loop_ = std::make_unique<EventLoop>(*this);
  if (options.max_seconds > 0) {
    deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                   std::chrono::duration<double>(options.max_seconds));
    watchdog_thread_ = std::thread([this] { watchdog(); });
  }
}

Runtime::~Runtime() {
  if (watchdog_thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(watchdog_mutex_);
      watchdog_stop_ = true;
    }
    watchdog_cv_.notify_all();
    watchdog_thread_.join();
  }
  loop_.reset();
  context_.Reset();
  isolate_->Dispose();
  g_runtime = nullptr;
}

void Runtime::create_context() {
  v8::Local<v8::Context> context = v8::Context::New(isolate_);
  context_.Reset(isolate_, context);
  v8::Context::Scope scope(context);
  install_host_api(*this, context);
}

v8::Local<v8::Value> Runtime::run_script(const std::string& source, const std::string& name) {
  v8::EscapableHandleScope scope(isolate_);
  v8::Local<v8::Context> ctx = context();
  v8::TryCatch try_catch(isolate_);
  v8::Local<v8::String> code, resource;
  if (!v8::String::NewFromUtf8(isolate_, source.data(), v8::NewStringType::kNormal,
                               static_cast<int>(source.size()))
           .ToLocal(&code) ||
      !v8::String::NewFromUtf8(isolate_, name.c_str()).ToLocal(&resource))
    throw CaptureError(kExitUsage, "script " + name + " is too large");
  v8::ScriptOrigin origin(isolate_, resource);
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  if (!v8::Script::Compile(ctx, code, &origin).ToLocal(&script) ||
      !script->Run(ctx).ToLocal(&result))
    raise(try_catch);
  return scope.Escape(result);
}

void Runtime::raise(v8::TryCatch& try_catch, const std::string& during) {
  check();
  if (try_catch.HasCaught() && !try_catch.HasTerminated()) {
    throw CaptureError(kExitScript, describe_exception(isolate_, context(), try_catch.Exception(),
                                                       try_catch.Message(), "Uncaught", during));
  }
  throw CaptureError(kExitScript, "JavaScript execution was terminated" +
                                      (during.empty() ? std::string() : " during " + during));
}

void Runtime::exit_now(const CaptureError& error) {
  std::fflush(stdout);
  std::fprintf(stderr, "snapcapture: %s\n", error.what());
  std::fflush(stderr);
  remove_current_temporary();
  std::_Exit(error.code());
}

void Runtime::fail_uncaught(v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                            const std::string& prefix) {
  if (failure_) return;
  failure_ = CaptureError(kExitScript,
                          describe_exception(isolate_, context(), exception, message, prefix));
}

void Runtime::check() {
  if (failure_) throw *failure_;
  if (deadline_passed()) throw DeadlineReached{};
}

bool Runtime::deadline_passed() const {
  return timed_out_.load() || (deadline_ && Clock::now() >= *deadline_);
}

void Runtime::watchdog() {
  std::unique_lock<std::mutex> lock(watchdog_mutex_);
  if (watchdog_cv_.wait_until(lock, *deadline_, [this] { return watchdog_stop_; })) return;
  timed_out_ = true;
  isolate_->TerminateExecution();  // stops a script that never returns to the event loop
}

// V8 calls this (inside a GC) when the heap is nearly full. Like Node's
// --heapsnapshot-near-heap-limit, one snapshot is written; not here, where the generator's own GCs
// would run into the old limit, but at the next safe point: the limit is raised to give the program
// room to reach one, and an interrupt (or the event loop, if JavaScript has stopped) takes the
// snapshot. A program that keeps growing then dies in on_oom.
std::size_t Runtime::near_heap_limit(void* data, std::size_t current, std::size_t initial) {
  auto* self = static_cast<Runtime*>(data);
  (void)initial;
  self->isolate_->RemoveNearHeapLimitCallback(&Runtime::near_heap_limit, 0);
  std::fprintf(stderr, "snapcapture: near the heap limit (%zu MiB): taking a snapshot\n",
               current / kMiB);
  self->near_limit_pending_ = true;
  self->isolate_->RequestInterrupt(
      [](v8::Isolate*, void* runtime) {
        static_cast<Runtime*>(runtime)->write_near_limit_snapshot();
      },
      self);
  return current + std::max(current, 64 * kMiB);
}

void Runtime::write_near_limit_snapshot() {
  if (!near_limit_pending_) return;
  near_limit_pending_ = false;
  try {
    near_limit_snapshot_ = writer_.write(isolate_, "near-heap-limit", /*collect_garbage=*/false);
  } catch (const CaptureError& e) {
    exit_now(e);
  }
}

void Runtime::on_oom(const char* location, bool is_heap_oom) {
  std::fflush(stdout);
  std::fprintf(stderr, "snapcapture: fatal: %s (%s)\n",
               is_heap_oom ? "JavaScript heap out of memory" : "process out of memory",
               location != nullptr ? location : "");
  if (g_runtime != nullptr) {
    if (!g_runtime->near_limit_snapshot_.empty())
      std::fprintf(stderr, "snapcapture: the near-heap-limit snapshot is %s\n",
                   g_runtime->near_limit_snapshot_.c_str());
    else if (!g_runtime->options_.snapshot_near_heap_limit)
      std::fprintf(stderr,
                   "snapcapture: pass --snapshot-near-heap-limit for a snapshot before this\n");
  }
  std::fflush(stderr);
  remove_current_temporary();
  std::_Exit(kExitLimit);
}

void Runtime::on_message(v8::Local<v8::Message> message, v8::Local<v8::Value> error) {
  if (g_runtime == nullptr) return;
  g_runtime->fail_uncaught(error, message);
}

void Runtime::on_promise_reject(v8::PromiseRejectMessage message) {
  auto* self = static_cast<Runtime*>(message.GetPromise()->GetIsolate()->GetData(0));
  self->loop_->track_rejection(message);
}

}  // namespace snapcapture
