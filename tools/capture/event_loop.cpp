#include "event_loop.hpp"

#include <libplatform/libplatform.h>
#include <v8-exception.h>
#include <v8-isolate.h>
#include <v8-primitive.h>

#include <cmath>
#include <thread>

#include "exceptions.hpp"

namespace snapcapture {

std::uint32_t EventLoop::add_timer(v8::Local<v8::Function> callback, double delay_ms,
                                   const std::vector<v8::Local<v8::Value>>& args, bool repeat) {
  v8::Isolate* isolate = runtime_.isolate();
  if (!std::isfinite(delay_ms) || delay_ms < 1) delay_ms = 1;  // as Node does
  if (delay_ms > 2147483647.0) delay_ms = 1;                   // Node: TimeoutOverflowWarning
  std::uint32_t id = next_id_++;
  Timer& timer = timers_[id];
  timer.callback.Reset(isolate, callback);
  for (v8::Local<v8::Value> arg : args) timer.args.emplace_back(isolate, arg);
  timer.interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double, std::milli>(delay_ms));
  timer.repeat = repeat;
  timer.due = Clock::now() + timer.interval;
  timer.sequence = next_sequence_++;
  queue_.emplace(timer.due, timer.sequence, id);
  ++referenced_;
  return id;
}

void EventLoop::clear_timer(std::uint32_t id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return;
  queue_.erase(QueueKey(it->second.due, it->second.sequence, id));
  if (it->second.referenced) --referenced_;
  timers_.erase(it);
}

void EventLoop::set_referenced(std::uint32_t id, bool referenced) {
  auto it = timers_.find(id);
  if (it == timers_.end() || it->second.referenced == referenced) return;
  it->second.referenced = referenced;
  if (referenced)
    ++referenced_;
  else
    --referenced_;
}

bool EventLoop::is_referenced(std::uint32_t id) const {
  auto it = timers_.find(id);
  return it != timers_.end() && it->second.referenced;
}

void EventLoop::run() {
  for (;;) {
    drain_microtasks();
    if (queue_.empty() || referenced_ == 0) return;
    auto [due, sequence, id] = *queue_.begin();
    (void)sequence;
    auto deadline = runtime_.deadline();
    if (deadline && *deadline < due) {
      std::this_thread::sleep_until(*deadline);
      throw DeadlineReached{};
    }
    std::this_thread::sleep_until(due);
    runtime_.check();
    fire(id);
  }
}

void EventLoop::fire(std::uint32_t id) {
  v8::Isolate* isolate = runtime_.isolate();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = runtime_.context();
  auto it = timers_.find(id);
  Timer& timer = it->second;
  queue_.erase(QueueKey(timer.due, timer.sequence, id));
  v8::Local<v8::Function> callback = timer.callback.Get(isolate);
  std::vector<v8::Local<v8::Value>> args;
  for (const auto& arg : timer.args) args.push_back(arg.Get(isolate));
  if (timer.repeat) {
    timer.due = Clock::now() + timer.interval;
    timer.sequence = next_sequence_++;
    queue_.emplace(timer.due, timer.sequence, id);
  } else {
    if (timer.referenced) --referenced_;
    timers_.erase(it);
  }
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> result;
  if (!callback->Call(context, v8::Undefined(isolate), static_cast<int>(args.size()), args.data())
           .ToLocal(&result))
    runtime_.raise(try_catch, "a timer callback");
}

void EventLoop::drain_microtasks() {
  v8::Isolate* isolate = runtime_.isolate();
  v8::HandleScope scope(isolate);
  runtime_.write_near_limit_snapshot();
  for (;;) {
    {
      v8::TryCatch try_catch(isolate);
      isolate->PerformMicrotaskCheckpoint();
      if (try_catch.HasCaught()) runtime_.raise(try_catch, "a microtask");
    }
    runtime_.check();
    if (isolate->IsExecutionTerminating())
      throw CaptureError(kExitScript, "JavaScript execution was terminated");
    bool ran_task = false;
    while (v8::platform::PumpMessageLoop(runtime_.platform(), isolate)) ran_task = true;
    if (!ran_task) break;  // a task may have queued microtasks: go round again
  }
  report_unhandled_rejections();
}

void EventLoop::track_rejection(v8::PromiseRejectMessage& message) {
  v8::Isolate* isolate = runtime_.isolate();
  v8::Local<v8::Promise> promise = message.GetPromise();
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler:
      unhandled_.emplace_back(v8::Global<v8::Promise>(isolate, promise),
                              v8::Global<v8::Value>(isolate, message.GetValue()));
      break;
    case v8::kPromiseHandlerAddedAfterReject:
      for (auto it = unhandled_.begin(); it != unhandled_.end(); ++it) {
        if (it->first.Get(isolate) == promise) {
          unhandled_.erase(it);
          break;
        }
      }
      break;
    default:  // resolve/reject after resolve: not an error in Node either
      break;
  }
}

void EventLoop::report_unhandled_rejections() {
  if (unhandled_.empty()) return;
  v8::Isolate* isolate = runtime_.isolate();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Value> reason = unhandled_.front().second.Get(isolate);
  unhandled_.clear();
  v8::Local<v8::Message> message = v8::Exception::CreateMessage(isolate, reason);
  throw CaptureError(kExitScript, describe_exception(isolate, runtime_.context(), reason, message,
                                                     "Uncaught (in promise)"));
}

}  // namespace snapcapture
