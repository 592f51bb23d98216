#include "exceptions.hpp"

#include <v8-exception.h>
#include <v8-isolate.h>
#include <v8-object.h>
#include <v8-primitive.h>

namespace snapcapture {

std::string value_to_string(v8::Isolate* isolate, v8::Local<v8::Context> context,
                            v8::Local<v8::Value> value) {
  v8::TryCatch try_catch(isolate);
  v8::Local<v8::String> text;
  if (value->IsSymbol() || !value->ToString(context).ToLocal(&text)) {
    try_catch.Reset();
    if (!value->ToDetailString(context).ToLocal(&text)) return "<unprintable value>";
  }
  v8::String::Utf8Value utf8(isolate, text);
  return *utf8 != nullptr ? std::string(*utf8, static_cast<std::size_t>(utf8.length()))
                          : std::string("<unprintable value>");
}

std::string describe_exception(v8::Isolate* isolate, v8::Local<v8::Context> context,
                               v8::Local<v8::Value> exception, v8::Local<v8::Message> message,
                               const std::string& prefix, const std::string& during) {
  v8::HandleScope scope(isolate);
  std::string out;
  std::string source_line, caret;
  if (!message.IsEmpty()) {
    std::string script = value_to_string(isolate, context, message->GetScriptResourceName());
    int line = message->GetLineNumber(context).FromMaybe(0);
    int column = message->GetStartColumn(context).FromMaybe(-1) + 1;  // V8 counts from 0
    if (script.empty() || script == "undefined") script = "<unknown>";
    out = script + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
    v8::Local<v8::String> source;
    if (message->GetSourceLine(context).ToLocal(&source)) {
      source_line = value_to_string(isolate, context, source);
      int start = message->GetStartColumn(context).FromMaybe(0);
      int end = message->GetEndColumn(context).FromMaybe(start + 1);
      if (start >= 0 && static_cast<std::size_t>(start) <= source_line.size() && end > start) {
        for (int i = 0; i < start; ++i)
          caret += source_line[static_cast<std::size_t>(i)] == '\t' ? '\t' : ' ';
        caret += std::string(static_cast<std::size_t>(end - start), '^');
      }
    }
  }
  out += prefix + " " + value_to_string(isolate, context, exception);
  if (!during.empty()) out += " (during " + during + ")";
  if (!source_line.empty() && source_line.size() <= 300) {
    out += "\n" + source_line;
    if (!caret.empty()) out += "\n" + caret;
  }
  if (exception->IsObject()) {
    v8::TryCatch try_catch(isolate);
    v8::Local<v8::Value> stack;
    if (exception.As<v8::Object>()
            ->Get(context, v8::String::NewFromUtf8Literal(isolate, "stack"))
            .ToLocal(&stack) &&
        stack->IsString()) {
      out += "\n" + value_to_string(isolate, context, stack);
    }
  }
  return out;
}

}  // namespace snapcapture
