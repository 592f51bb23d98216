// `analyzer stats SNAPSHOT`: Chrome DevTools' Statistics view (DevTools 2025 categories).
#include <iostream>
#include <string>

#include "commands.hpp"
#include "json_writer.hpp"
#include "libsnap/analysis.hpp"

namespace analyzer {

int run_stats(const StatsOptions& options) {
  const libsnap::Snapshot s = load_snapshot(options.snapshot, options.common);
  // The Statistics need shallow sizes and detachedness only: the total (the root's retained size)
  // is the sum of the shallow sizes, so no dominator tree is built.
  const std::vector<std::uint8_t> detachedness = libsnap::propagate_detachedness(s);
  std::vector<std::uint32_t> sizes;
  if (options.raw_sizes) {
    sizes.assign(s.self_sizes().begin(), s.self_sizes().end());
  } else {
    sizes = libsnap::compute_shallow_sizes(s);
  }
  const libsnap::Statistics st =
      libsnap::compute_statistics(s, sizes, libsnap::DominatorTree{}, detachedness);

  if (options.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.field("total", st.total);
    j.key("native")
        .begin_object()
        .field("total", st.native_total)
        .field("typedArrays", st.typed_arrays);
    j.end_object();
    j.key("v8heap").begin_object();
    j.field("total", st.v8heap_total)
        .field("code", st.code)
        .field("jsArrays", st.js_arrays)
        .field("strings", st.strings)
        .field("system", st.system);
    j.end_object();
    j.end_object();
    return kExitOk;
  }

  auto line = [&](const char* label, std::uint64_t v) {
    std::string l = label;
    std::string n = with_commas(v);
    std::cout << l << std::string(l.size() < 20 ? 20 - l.size() : 1, ' ')
              << std::string(n.size() < 16 ? 16 - n.size() : 0, ' ') << n << "  " << human_bytes(v)
              << "\n";
  };
  line("Total", st.total);
  line("  V8 heap", st.v8heap_total);
  line("    Code", st.code);
  line("    Strings", st.strings);
  line("    JS arrays", st.js_arrays);
  line("    System objects", st.system);
  line("  Native", st.native_total);
  line("    Typed arrays", st.typed_arrays);
  if (s.meta().has_extra_native_bytes) line("    Extra native", s.meta().extra_native_bytes);
  return kExitOk;
}

}  // namespace analyzer
