// The globals a script sees besides standard JavaScript: snapshot(label), gc(), print(...),
// console.{log,info,debug,warn,error}, setTimeout/setInterval/clearTimeout/clearInterval,
// queueMicrotask(fn), load(path) and scriptArgs.
#pragma once

#include <v8-context.h>
#include <v8-local-handle.h>

namespace snapcapture {

class Runtime;

void install_host_api(Runtime& runtime, v8::Local<v8::Context> context);

}  // namespace snapcapture
