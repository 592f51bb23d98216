#include "modes.hpp"

#include <v8-function.h>
#include <v8-primitive.h>
#include <v8-promise.h>

#include <cstdio>

#include "engine.hpp"
#include "event_loop.hpp"
#include "exceptions.hpp"
#include "snapshot_writer.hpp"

namespace snapcapture {
namespace {

std::string seconds_text(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", seconds);
  return buf;
}

// Runs the main script and drains the event loop.
void run_main(Runtime& runtime, const std::string& source) {
  v8::HandleScope scope(runtime.isolate());
  runtime.run_script(source, runtime.options().script);
  runtime.loop().run();
}

// Calls global function `name` (if the script defines it) with `round` as argument (when > 0),
// awaits the promise it may return and runs the event loop until no timers remain.
// Returns false when the function is not defined.
bool step(Runtime& runtime, const char* name, unsigned round) {
  v8::Isolate* isolate = runtime.isolate();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = runtime.context();
  std::string during = std::string(name) + "(" + (round > 0 ? std::to_string(round) : "") + ")";

  v8::Local<v8::Value> value;
  if (!context->Global()
           ->Get(context, v8::String::NewFromUtf8(isolate, name).ToLocalChecked())
           .ToLocal(&value) ||
      value->IsUndefined())
    return false;
  if (!value->IsFunction())
    throw CaptureError(kExitScript, runtime.options().script + ": `" + name +
                                        "` must be a function in a scenario script");

  v8::TryCatch try_catch(isolate);
  v8::Local<v8::Value> argv[1] = {v8::Integer::NewFromUnsigned(isolate, round)};
  v8::Local<v8::Value> result;
  if (!value.As<v8::Function>()
           ->Call(context, v8::Undefined(isolate), round > 0 ? 1 : 0, argv)
           .ToLocal(&result))
    runtime.raise(try_catch, during);

  // Await whatever came back (a promise, a thenable or a plain value) through a promise of ours.
  v8::Local<v8::Promise::Resolver> resolver = v8::Promise::Resolver::New(context).ToLocalChecked();
  v8::Local<v8::Promise> promise = resolver->GetPromise();
  promise->MarkAsHandled();  // its rejection is reported below, not as an unhandled one
  if (resolver->Resolve(context, result).IsNothing()) runtime.raise(try_catch, during);
  runtime.loop().run();

  switch (promise->State()) {
    case v8::Promise::kFulfilled:
      return true;
    case v8::Promise::kRejected: {
      v8::Local<v8::Value> reason = promise->Result();
      throw CaptureError(kExitScript,
                         describe_exception(isolate, context, reason,
                                            v8::Exception::CreateMessage(isolate, reason),
                                            "Uncaught (in promise)", during));
    }
    case v8::Promise::kPending:
      break;
  }
  throw CaptureError(kExitScript, runtime.options().script + ": " + during +
                                      " returned a promise that never settled (no timers left "
                                      "that could settle it)");
}

void snapshot(Runtime& runtime, const char* label) {
  runtime.writer().write(runtime.isolate(), label);
}

}  // namespace

int run_mode(Runtime& runtime, const std::string& source) {
  runtime.writer().set_round(std::nullopt);
  try {
    run_main(runtime, source);
  } catch (const DeadlineReached&) {
    std::fflush(stdout);
    std::fprintf(
        stderr, "snapcapture: --max-seconds %s reached; stopping with %zu timer(s) pending\n",
        seconds_text(runtime.options().max_seconds).c_str(), runtime.loop().pending_timers());
  }
  runtime.writer().finish();
  return kExitOk;
}

int scenario_mode(Runtime& runtime, const std::string& source) {
  const Options& options = runtime.options();
  SnapshotWriter& writer = runtime.writer();
  std::string current = "the script";
  try {
    writer.set_round(0);
    run_main(runtime, source);
    {
      v8::HandleScope scope(runtime.isolate());
      v8::Local<v8::Context> context = runtime.context();
      v8::Local<v8::Value> action;
      if (!context->Global()
               ->Get(context, v8::String::NewFromUtf8Literal(runtime.isolate(), "action"))
               .ToLocal(&action) ||
          !action->IsFunction())
        throw CaptureError(kExitScript,
                           options.script +
                               ": a scenario script must define function "
                               "action(round) (and setup(), optionally cleanup(round))");
    }
    current = "setup()";
    step(runtime, "setup", 0);
    snapshot(runtime, "baseline");

    writer.set_round(1);
    current = "action(1)";
    step(runtime, "action", 1);
    snapshot(runtime, "target");
    current = "cleanup(1)";
    step(runtime, "cleanup", 1);
    snapshot(runtime, "final");

    for (unsigned round = 2; round + 2 <= options.rounds; ++round) {
      writer.set_round(round);
      current = "action(" + std::to_string(round) + ")";
      step(runtime, "action", round);
      current = "cleanup(" + std::to_string(round) + ")";
      step(runtime, "cleanup", round);
      snapshot(runtime, ("round-" + std::to_string(round)).c_str());
    }
  } catch (const DeadlineReached&) {
    throw CaptureError(kExitLimit, "--max-seconds " + seconds_text(options.max_seconds) +
                                       " reached during " + current +
                                       "; the series is incomplete (" +
                                       std::to_string(writer.manifest().snapshots.size()) +
                                       " snapshot(s) written)");
  }
  writer.finish();
  return kExitOk;
}

}  // namespace snapcapture
