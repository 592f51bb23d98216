// Turning a JavaScript exception into the message snapcapture prints:
//   app.js:3:11: Uncaught Error: boom
//       throw new Error("boom");
//             ^
//   Error: boom
//       at f (app.js:3:11)
//       at app.js:5:1
#pragma once

#include <v8-context.h>
#include <v8-local-handle.h>
#include <v8-message.h>

#include <string>

namespace snapcapture {

// `message` may be empty (no location known). `prefix` is e.g. "Uncaught" or "Uncaught (in
// promise)"; `during`, when not empty, is appended as " (during <during>)" to the first line.
std::string describe_exception(v8::Isolate* isolate, v8::Local<v8::Context> context,
                               v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                               const std::string& prefix, const std::string& during = "");

// A value as text without running more than String(value) (which may throw: then a fallback).
std::string value_to_string(v8::Isolate* isolate, v8::Local<v8::Context> context,
                            v8::Local<v8::Value> value);

}  // namespace snapcapture
