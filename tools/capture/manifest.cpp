#include "manifest.hpp"

#include <cstdio>

#include "atomic_file.hpp"

namespace snapcapture {
namespace {

std::string optional_number(const std::optional<unsigned>& value) {
  return value ? std::to_string(*value) : "null";
}

}  // namespace

std::string json_quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string Manifest::to_json() const {
  std::string out = "{\"producer\":" + json_quote(producer) +
                    ",\"v8_version\":" + json_quote(v8_version) +
                    ",\"script\":" + json_quote(script) + ",\"mode\":" + json_quote(mode) +
                    ",\"rounds\":" + optional_number(rounds) +
                    ",\"complete\":" + (complete ? "true" : "false") + ",\"snapshots\":[";
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    const ManifestEntry& e = snapshots[i];
    out += i == 0 ? "\n  " : ",\n  ";
    out += "{\"index\":" + std::to_string(e.index) + ",\"label\":" + json_quote(e.label) +
           ",\"round\":" + optional_number(e.round) + ",\"file\":" + json_quote(e.file) +
           ",\"bytes\":" + std::to_string(e.bytes) +
           ",\"used_heap_size\":" + std::to_string(e.used_heap_size) +
           ",\"total_heap_size\":" + std::to_string(e.total_heap_size) +
           ",\"external_memory\":" + std::to_string(e.external_memory) + "}";
  }
  out += snapshots.empty() ? "]}\n" : "\n]}\n";
  return out;
}

void Manifest::write(const std::string& dir) const {
  AtomicFile file(dir + "/manifest.json");
  file.write(to_json());
  file.commit();
}

}  // namespace snapcapture
