// The event loop of snapcapture: timers (setTimeout/setInterval), the microtask queue (Promises,
// queueMicrotask), V8's own foreground tasks, and unhandled-rejection tracking. Like Node, the
// microtask queue is drained after the main script and after every timer callback.
#pragma once

#include <v8-function.h>
#include <v8-persistent-handle.h>
#include <v8-promise.h>

#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "engine.hpp"

namespace snapcapture {

class EventLoop {
 public:
  explicit EventLoop(Runtime& runtime) : runtime_(runtime) {}

  // Schedules `callback(args...)` after `delay_ms` (at least 1 ms), repeatedly if `repeat`.
  // Returns the timer's id (> 0).
  std::uint32_t add_timer(v8::Local<v8::Function> callback, double delay_ms,
                          const std::vector<v8::Local<v8::Value>>& args, bool repeat);
  void clear_timer(std::uint32_t id);
  std::size_t pending_timers() const { return timers_.size(); }
  // Node's ref()/unref(): an unreferenced timer still fires while the loop runs, but does not
  // keep run() going. Unknown ids are ignored.
  void set_referenced(std::uint32_t id, bool referenced);
  bool is_referenced(std::uint32_t id) const;

  // Runs microtasks, V8 tasks and timers until no referenced timers remain. Throws CaptureError for
  // an uncaught exception or unhandled rejection (or a failure recorded by a callback), and
  // DeadlineReached once --max-seconds has passed.
  void run();

  // Drains the microtask queue and V8's ready foreground tasks, then reports (throws) as run().
  void drain_microtasks();

  // From V8's promise-reject callback.
  void track_rejection(v8::PromiseRejectMessage& message);

 private:
  struct Timer {
    v8::Global<v8::Function> callback;
    std::vector<v8::Global<v8::Value>> args;
    Clock::duration interval{};
    bool repeat = false;
    Clock::time_point due;
    std::uint64_t sequence = 0;
    bool referenced = true;
  };
  using QueueKey = std::tuple<Clock::time_point, std::uint64_t, std::uint32_t>;

  void fire(std::uint32_t id);
  void report_unhandled_rejections();

  Runtime& runtime_;
  std::map<std::uint32_t, Timer> timers_;
  std::set<QueueKey> queue_;    // (due, sequence, id): earliest first, then in order of scheduling
  std::size_t referenced_ = 0;  // timers that keep run() going
  std::uint32_t next_id_ = 1;
  std::uint64_t next_sequence_ = 0;
  std::vector<std::pair<v8::Global<v8::Promise>, v8::Global<v8::Value>>> unhandled_;
};

}  // namespace snapcapture
