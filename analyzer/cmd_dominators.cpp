// `analyzer dominators SNAPSHOT`: the dominator tree from the root, biggest retainers first, cut to
// --top children per node and --depth levels. Walked with an explicit stack (a chain of millions of
// nodes is no problem); only the shown nodes' children are sorted.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "json_writer.hpp"
#include "libsnap/analysis.hpp"

namespace analyzer {
namespace {

struct Frame {
  libsnap::NodeOrdinal node;
  unsigned depth;
  std::vector<libsnap::NodeOrdinal> shown;  // the biggest children, biggest first
  std::size_t next = 0;
  std::uint64_t more_count = 0;  // children not shown
  std::uint64_t more_size = 0;   // their retained size
};

// At most 60 code points of `name`, on one line.
std::string short_name(std::string_view name) {
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if ((c & 0xC0) != 0x80 && ++n > 60) return out + "…";
    out += c == '\n' || c == '\r' || c == '\t' ? ' ' : name[i];
  }
  return out;
}

}  // namespace

int run_dominators(const DominatorsOptions& options) {
  const libsnap::Snapshot s = load_snapshot(options.snapshot, options.common);
  libsnap::AnalysisOptions ao;
  ao.raw_sizes = options.raw_sizes;
  const libsnap::Analysis a = libsnap::analyze(s, ao);
  const libsnap::DominatorTree& t = a.dominators;
  const unsigned top = options.top ? options.top : ~0u;

  auto frame = [&](libsnap::NodeOrdinal n, unsigned depth) {
    Frame f{n, depth, {}, 0, 0, 0};
    const std::uint32_t begin = t.first_dominated[n], end = t.first_dominated[n + 1];
    if (depth >= options.depth) {
      f.more_count = end - begin;
      for (std::uint32_t i = begin; i < end; ++i) f.more_size += t.retained_size[t.dominated[i]];
      return f;
    }
    f.shown.assign(t.dominated.begin() + begin, t.dominated.begin() + end);
    const std::size_t keep = std::min<std::size_t>(f.shown.size(), top);
    auto bigger = [&](libsnap::NodeOrdinal x, libsnap::NodeOrdinal y) {
      return t.retained_size[x] != t.retained_size[y] ? t.retained_size[x] > t.retained_size[y]
                                                      : x < y;
    };
    std::partial_sort(f.shown.begin(), f.shown.begin() + static_cast<std::ptrdiff_t>(keep),
                      f.shown.end(), bigger);
    for (std::size_t i = keep; i < f.shown.size(); ++i) f.more_size += t.retained_size[f.shown[i]];
    f.more_count = f.shown.size() - keep;
    f.shown.resize(keep);
    return f;
  };
  auto class_name = [&](libsnap::NodeOrdinal n) -> const std::string& {
    return a.classes.name[a.classes.class_of[n]];
  };

  // Depth first over the part of the tree shown, without recursion (the tree can be 400k levels
  // deep): enter(node, depth, last among its siblings) before a node's children, leave(frame)
  // after them.
  auto walk = [&](auto&& enter, auto&& leave) {
    std::vector<Frame> stack;
    enter(s.root(), 0u, true);
    stack.push_back(frame(s.root(), 0));
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < f.shown.size()) {
        const libsnap::NodeOrdinal child = f.shown[f.next++];
        const unsigned depth = f.depth + 1;
        enter(child, depth, f.next == f.shown.size() && f.more_count == 0);
        stack.push_back(frame(child, depth));  // `f` is invalid from here on
        continue;
      }
      leave(f);
      stack.pop_back();
    }
  };

  if (options.common.json) {
    JsonWriter j(std::cout);
    j.begin_object();
    j.field("total_size", a.statistics.total);
    j.key("root");
    walk(
        [&](libsnap::NodeOrdinal n, unsigned, bool) {
          j.begin_object()
              .field("id", s.node_id(n))
              .field("class", class_name(n))
              .field("name", libsnap::node_display_name(s, n, a.detachedness))
              .field("shallow_size", std::uint64_t{a.shallow_size[n]})
              .field("retained_size", t.retained_size[n]);
          j.key("children").begin_array();
        },
        [&](const Frame& f) {
          j.end_array();
          j.field("more_children", f.more_count).field("more_retained_size", f.more_size);
          j.end_object();
        });
    j.end_object();
    return kExitOk;
  }

  auto describe = [&](libsnap::NodeOrdinal n) {
    std::string line = class_name(n);
    const std::string name = libsnap::node_display_name(s, n, a.detachedness);
    if (!name.empty() && name != line) line += " \"" + short_name(name) + "\"";
    line += " @" + std::to_string(s.node_id(n)) + "  retained " + with_commas(t.retained_size[n]) +
            " (" + human_bytes(t.retained_size[n]) + "), shallow " + with_commas(a.shallow_size[n]);
    return line;
  };
  // last[d]: whether the node shown at depth d is the last line among its siblings.
  std::vector<bool> last;
  auto prefix = [&](unsigned depth) {
    std::string p;
    for (unsigned d = 1; d < depth; ++d) p += last[d] ? "   " : "│  ";
    return p;
  };
  walk(
      [&](libsnap::NodeOrdinal n, unsigned depth, bool is_last) {
        if (depth == 0) {
          std::cout << describe(n) << "\n";
          return;
        }
        if (last.size() <= depth) last.resize(depth + 1, true);
        last[depth] = is_last;
        std::cout << prefix(depth) << (is_last ? "└─ " : "├─ ") << describe(n) << "\n";
      },
      [&](const Frame& f) {
        if (f.more_count && f.depth < options.depth) {
          std::cout << prefix(f.depth + 1) << "└─ … " << with_commas(f.more_count)
                    << " more, retaining " << with_commas(f.more_size) << " ("
                    << human_bytes(f.more_size) << ")\n";
        }
      });
  return kExitOk;
}

}  // namespace analyzer
