#include "host_api.hpp"

#include <v8-array-buffer.h>
#include <v8-container.h>
#include <v8-exception.h>
#include <v8-external.h>
#include <v8-function.h>
#include <v8-json.h>
#include <v8-primitive.h>
#include <v8-script.h>
#include <v8-template.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "engine.hpp"
#include "event_loop.hpp"
#include "exceptions.hpp"
#include "snapshot_writer.hpp"

namespace snapcapture {
namespace {

using Args = v8::FunctionCallbackInfo<v8::Value>;

Runtime& runtime_of(const Args& args) {
  return *static_cast<Runtime*>(args.Data().As<v8::External>()->Value());
}

void throw_type_error(v8::Isolate* isolate, const char* message) {
  isolate->ThrowException(
      v8::Exception::TypeError(v8::String::NewFromUtf8(isolate, message).ToLocalChecked()));
}

v8::Local<v8::String> v8_string(v8::Isolate* isolate, const std::string& text) {
  return v8::String::NewFromUtf8(isolate, text.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(text.size()))
      .ToLocalChecked();
}

// How print() and console.* show one value: strings as they are, errors by their stack, plain
// objects and arrays as JSON when possible, everything else as String(value).
std::string display(v8::Isolate* isolate, v8::Local<v8::Context> context,
                    v8::Local<v8::Value> value) {
  if (value->IsString()) return value_to_string(isolate, context, value);
  if (value->IsNativeError()) {
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::Value> stack;
    if (value.As<v8::Object>()->Get(context, v8_string(isolate, "stack")).ToLocal(&stack) &&
        stack->IsString())
      return value_to_string(isolate, context, stack);
  } else if (value->IsArray() || (value->IsObject() && !value->IsFunction())) {
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::String> json;
    if (v8::JSON::Stringify(context, value).ToLocal(&json))
      return value_to_string(isolate, context, json);
  }
  return value_to_string(isolate, context, value);
}

void write_line(std::FILE* stream, const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  std::string line;
  for (int i = 0; i < args.Length(); ++i) {
    if (i > 0) line += ' ';
    line += display(isolate, context, args[i]);
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stream);
  if (stream == stderr) std::fflush(stdout);  // keep the two streams in order on a terminal
}

void print(const Args& args) {
  write_line(stdout, args);
}
void print_error(const Args& args) {
  write_line(stderr, args);
}

// snapshot(label) -> path of the written file
void snapshot(const Args& args) {
  Runtime& runtime = runtime_of(args);
  v8::Isolate* isolate = args.GetIsolate();
  std::string label = "snapshot";
  if (args.Length() > 0 && !args[0]->IsUndefined()) {
    if (!args[0]->IsString())
      return throw_type_error(isolate, "snapshot(label): label must be a string");
    label = value_to_string(isolate, isolate->GetCurrentContext(), args[0]);
  }
  try {
    std::string path = runtime.writer().write(isolate, label);
    args.GetReturnValue().Set(v8_string(isolate, path));
  } catch (const CaptureError& e) {
    runtime.exit_now(e);  // a failed write ends the run (exit 4); the script cannot catch it
  }
}

void gc(const Args& args) {
  args.GetIsolate()->LowMemoryNotification();
}

// Timer handles, like Node's Timeout objects: ref(), unref(), hasRef(), and usable as their id
// (Symbol.toPrimitive), so clearTimeout takes either. One isolate per process: the class is a
// process-wide template.
v8::Eternal<v8::FunctionTemplate> timeout_class;
v8::Eternal<v8::Function> timeout_constructor;  // instantiated once, in the script's context

std::optional<std::uint32_t> timer_id(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  if (value->IsUint32()) return value.As<v8::Uint32>()->Value();
  if (value->IsObject() && timeout_class.Get(isolate)->HasInstance(value)) {
    v8::Local<v8::Value> id = value.As<v8::Object>()->GetInternalField(0);
    if (id->IsUint32()) return id.As<v8::Uint32>()->Value();
  }
  return std::nullopt;
}

void set_referenced(const Args& args, bool referenced) {
  if (auto id = timer_id(args.GetIsolate(), args.This()))
    runtime_of(args).loop().set_referenced(*id, referenced);
  args.GetReturnValue().Set(args.This());
}
void timeout_ref(const Args& args) {
  set_referenced(args, true);
}
void timeout_unref(const Args& args) {
  set_referenced(args, false);
}
void timeout_has_ref(const Args& args) {
  auto id = timer_id(args.GetIsolate(), args.This());
  args.GetReturnValue().Set(id && runtime_of(args).loop().is_referenced(*id));
}
void timeout_to_primitive(const Args& args) {
  if (auto id = timer_id(args.GetIsolate(), args.This())) args.GetReturnValue().Set(*id);
}

void add_timer(const Args& args, bool repeat) {
  v8::Isolate* isolate = args.GetIsolate();
  if (args.Length() < 1 || !args[0]->IsFunction())
    return throw_type_error(isolate, repeat ? "setInterval: callback must be a function"
                                            : "setTimeout: callback must be a function");
  double delay = 0;
  if (args.Length() > 1 && !args[1]->IsUndefined() &&
      !args[1]->NumberValue(isolate->GetCurrentContext()).To(&delay))
    return;  // exception pending
  std::vector<v8::Local<v8::Value>> extra;
  for (int i = 2; i < args.Length(); ++i) extra.push_back(args[i]);
  std::uint32_t id =
      runtime_of(args).loop().add_timer(args[0].As<v8::Function>(), delay, extra, repeat);
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Object> handle;
  if (!timeout_constructor.Get(isolate)->NewInstance(context).ToLocal(&handle))
    return;  // exception pending
  handle->SetInternalField(0, v8::Integer::NewFromUnsigned(isolate, id));
  args.GetReturnValue().Set(handle);
}

void set_timeout(const Args& args) {
  add_timer(args, false);
}
void set_interval(const Args& args) {
  add_timer(args, true);
}

void clear_timer(const Args& args) {
  if (args.Length() < 1) return;
  // Like Node: a timer handle or its id; anything else is ignored.
  if (auto id = timer_id(args.GetIsolate(), args[0])) runtime_of(args).loop().clear_timer(*id);
}

void queue_microtask(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (args.Length() < 1 || !args[0]->IsFunction())
    return throw_type_error(isolate, "queueMicrotask: callback must be a function");
  isolate->EnqueueMicrotask(args[0].As<v8::Function>());
}

// load(path): runs another script file in the same global scope and returns its completion value.
// A relative path is resolved against the directory of the calling script.
void load(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  if (args.Length() < 1 || !args[0]->IsString())
    return throw_type_error(isolate, "load(path): path must be a string");
  std::string path = value_to_string(isolate, context, args[0]);
  if (!path.empty() && path[0] != '/') {
    v8::Local<v8::StackTrace> stack = v8::StackTrace::CurrentStackTrace(isolate, 1);
    if (stack->GetFrameCount() > 0) {
      std::string caller =
          value_to_string(isolate, context, stack->GetFrame(isolate, 0)->GetScriptName());
      auto slash = caller.rfind('/');
      if (slash != std::string::npos) path = caller.substr(0, slash + 1) + path;
    }
  }
  std::optional<std::string> source = read_text_file(path);
  if (!source) {
    isolate->ThrowException(v8::Exception::Error(v8_string(isolate, "load: cannot read " + path)));
    return;
  }
  v8::ScriptOrigin origin(isolate, v8_string(isolate, path));
  v8::Local<v8::Script> script;
  v8::Local<v8::Value> result;
  // On failure the exception stays pending and propagates to the caller of load().
  if (v8::Script::Compile(context, v8_string(isolate, *source), &origin).ToLocal(&script) &&
      script->Run(context).ToLocal(&result))
    args.GetReturnValue().Set(result);
}

void set_function(v8::Isolate* isolate, v8::Local<v8::Context> context,
                  v8::Local<v8::Object> target, const char* name, v8::FunctionCallback callback,
                  v8::Local<v8::Value> data) {
  v8::Local<v8::Function> function = v8::Function::New(context, callback, data).ToLocalChecked();
  function->SetName(v8_string(isolate, name));
  target->Set(context, v8_string(isolate, name), function).Check();
}

}  // namespace

void install_host_api(Runtime& runtime, v8::Local<v8::Context> context) {
  v8::Isolate* isolate = runtime.isolate();
  v8::HandleScope scope(isolate);
  v8::Local<v8::Object> global = context->Global();
  v8::Local<v8::Value> data = v8::External::New(isolate, &runtime);

  set_function(isolate, context, global, "print", print, data);
  set_function(isolate, context, global, "snapshot", snapshot, data);
  set_function(isolate, context, global, "gc", gc, data);
  v8::Local<v8::FunctionTemplate> timeout = v8::FunctionTemplate::New(isolate);
  timeout->SetClassName(v8_string(isolate, "Timeout"));
  timeout->InstanceTemplate()->SetInternalFieldCount(1);
  v8::Local<v8::ObjectTemplate> methods = timeout->PrototypeTemplate();
  methods->Set(isolate, "ref", v8::FunctionTemplate::New(isolate, timeout_ref, data));
  methods->Set(isolate, "unref", v8::FunctionTemplate::New(isolate, timeout_unref, data));
  methods->Set(isolate, "hasRef", v8::FunctionTemplate::New(isolate, timeout_has_ref, data));
  methods->Set(v8::Symbol::GetToPrimitive(isolate),
               v8::FunctionTemplate::New(isolate, timeout_to_primitive, data));
  timeout_class.Set(isolate, timeout);
  timeout_constructor.Set(isolate, timeout->GetFunction(context).ToLocalChecked());
  set_function(isolate, context, global, "setTimeout", set_timeout, data);
  set_function(isolate, context, global, "setInterval", set_interval, data);
  set_function(isolate, context, global, "clearTimeout", clear_timer, data);
  set_function(isolate, context, global, "clearInterval", clear_timer, data);
  set_function(isolate, context, global, "queueMicrotask", queue_microtask, data);
  set_function(isolate, context, global, "load", load, data);

  v8::Local<v8::Object> console = v8::Object::New(isolate);
  for (const char* name : {"log", "info", "debug"})
    set_function(isolate, context, console, name, print, data);
  for (const char* name : {"warn", "error"})
    set_function(isolate, context, console, name, print_error, data);
  global->Set(context, v8_string(isolate, "console"), console).Check();

  const std::vector<std::string>& script_args = runtime.options().script_args;
  v8::Local<v8::Array> array = v8::Array::New(isolate, static_cast<int>(script_args.size()));
  for (std::size_t i = 0; i < script_args.size(); ++i)
    array->Set(context, static_cast<std::uint32_t>(i), v8_string(isolate, script_args[i])).Check();
  global->Set(context, v8_string(isolate, "scriptArgs"), array).Check();
}

}  // namespace snapcapture
