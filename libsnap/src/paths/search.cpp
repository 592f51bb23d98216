// Finding nodes by id, class, name and string value; string values; ordering by retained size.
#include <algorithm>
#include <queue>
#include <thread>

#include "libsnap/search.hpp"

namespace libsnap {

std::optional<NodeOrdinal> find_node_by_id(const Snapshot& s, std::uint32_t id) {
  std::span<const std::uint32_t> ids = s.node_ids();
  auto it = std::find(ids.begin(), ids.end(), id);
  if (it == ids.end()) return std::nullopt;
  return static_cast<NodeOrdinal>(it - ids.begin());
}

std::vector<NodeOrdinal> find_by_class(const ClassNames& classes, std::string_view name) {
  std::vector<std::uint8_t> wanted(classes.name.size(), 0);
  bool any = false;
  for (std::size_t i = 0; i < classes.name.size(); ++i)
    if (classes.name[i] == name) {
      wanted[i] = 1;
      any = true;
    }
  std::vector<NodeOrdinal> out;
  if (!any) return out;
  const std::size_t n = classes.class_of.size();
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = classes.class_of[i];
    if (c < wanted.size() && wanted[c]) out.push_back(static_cast<NodeOrdinal>(i));
  }
  return out;
}

bool is_string_node(const Snapshot& s, NodeOrdinal n) {
  NodeType t = s.node_type(n);
  return t == NodeType::kString || t == NodeType::kConsString || t == NodeType::kSlicedString;
}

namespace {

// Runs `match(n, verdict)` over every node, split into contiguous ranges across the hardware
// threads (std::regex is slow; a const regex may be shared), and returns the matching ordinals
// in order. Each thread memoizes per string index in its own `verdict` array.
template <typename Match>
std::vector<NodeOrdinal> parallel_scan(const Snapshot& s, Match match) {
  const std::uint32_t n = s.node_count();
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  if (n < 10000) threads = 1;
  std::vector<std::vector<NodeOrdinal>> parts(threads);
  auto work = [&](unsigned t) {
    std::vector<std::uint8_t> verdict(s.string_count(), 0);
    const std::uint32_t begin = static_cast<std::uint32_t>(std::uint64_t{n} * t / threads);
    const std::uint32_t end = static_cast<std::uint32_t>(std::uint64_t{n} * (t + 1) / threads);
    for (NodeOrdinal i = begin; i < end; ++i)
      if (match(i, verdict)) parts[t].push_back(i);
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& th : pool) th.join();
  std::vector<NodeOrdinal> out;
  for (auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

// Tests the string at `si` once per thread: 0 untested, 1 no match, 2 match.
bool memo_match(const Snapshot& s, StringIndex si, std::vector<std::uint8_t>& verdict,
                const std::regex& pattern) {
  if (si >= verdict.size()) return false;
  if (verdict[si] == 0) {
    std::string_view v = s.string(si);
    verdict[si] = std::regex_search(v.begin(), v.end(), pattern) ? 2 : 1;
  }
  return verdict[si] == 2;
}

}  // namespace

std::vector<NodeOrdinal> find_by_name(const Snapshot& s, const std::regex& pattern) {
  std::span<const StringIndex> names = s.node_names();
  return parallel_scan(s, [&](NodeOrdinal n, std::vector<std::uint8_t>& verdict) {
    return !is_string_node(s, n) && memo_match(s, names[n], verdict, pattern);
  });
}

std::vector<NodeOrdinal> find_strings(const Snapshot& s, const std::regex& pattern) {
  std::span<const StringIndex> names = s.node_names();
  return parallel_scan(s, [&](NodeOrdinal n, std::vector<std::uint8_t>& verdict) {
    const NodeType t = s.node_type(n);
    if (t == NodeType::kString) return memo_match(s, names[n], verdict, pattern);
    if (t == NodeType::kConsString || t == NodeType::kSlicedString) {
      const std::string v = string_value(s, n);
      return std::regex_search(v, pattern);
    }
    return false;
  });
}

namespace {

std::optional<NodeOrdinal> named_child(const Snapshot& s, NodeOrdinal n, std::string_view name) {
  for (EdgeIndex e = s.first_edge(n); e < s.first_edge(n + 1); ++e) {
    if (edge_type_has_index(s.edge_type(e))) continue;
    if (s.string(s.edge_name_or_index(e)) == name) return s.edge_target(e);
  }
  return std::nullopt;
}

}  // namespace

std::string string_value(const Snapshot& s, NodeOrdinal node, std::size_t max_bytes,
                         bool* truncated) {
  std::string out;
  bool cut = false;
  // Depth-first, left to right, with an explicit stack (cons strings can be deep).
  std::vector<NodeOrdinal> stack{node};
  std::size_t steps = 0;
  while (!stack.empty()) {
    if (out.size() >= max_bytes || ++steps > 100000) {
      cut = true;
      break;
    }
    const NodeOrdinal n = stack.back();
    stack.pop_back();
    switch (s.node_type(n)) {
      case NodeType::kConsString: {
        std::optional<NodeOrdinal> first = named_child(s, n, "first");
        std::optional<NodeOrdinal> second = named_child(s, n, "second");
        if (!first && !second) {
          out += s.node_name(n);
          break;
        }
        if (second) stack.push_back(*second);
        if (first) stack.push_back(*first);
        break;
      }
      case NodeType::kSlicedString: {
        // V8 records the parent but not the offset: show the parent's value.
        std::optional<NodeOrdinal> parent = named_child(s, n, "parent");
        if (parent && *parent != n)
          stack.push_back(*parent);
        else
          out += s.node_name(n);
        break;
      }
      default:
        out += s.node_name(n);
        break;
    }
  }
  if (out.size() > max_bytes) {
    std::size_t end = max_bytes;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) --end;
    out.resize(end);
    cut = true;
  }
  if (truncated != nullptr) *truncated = cut;
  return out;
}

std::vector<NodeOrdinal> biggest_first(std::vector<NodeOrdinal> nodes,
                                       std::span<const std::uint64_t> retained, std::size_t limit) {
  auto bigger = [&](NodeOrdinal a, NodeOrdinal b) {
    const std::uint64_t ra = a < retained.size() ? retained[a] : 0;
    const std::uint64_t rb = b < retained.size() ? retained[b] : 0;
    return ra != rb ? ra > rb : a < b;
  };
  if (limit != 0 && nodes.size() > limit) {
    std::partial_sort(nodes.begin(), nodes.begin() + static_cast<std::ptrdiff_t>(limit),
                      nodes.end(), bigger);
    nodes.resize(limit);
  } else {
    std::sort(nodes.begin(), nodes.end(), bigger);
  }
  return nodes;
}

std::vector<EdgeIndex> edges_by_retained_size(const Snapshot& s, NodeOrdinal node,
                                              std::span<const std::uint64_t> retained) {
  std::vector<EdgeIndex> edges;
  for (EdgeIndex e = s.first_edge(node); e < s.first_edge(node + 1); ++e) edges.push_back(e);
  std::stable_sort(edges.begin(), edges.end(), [&](EdgeIndex a, EdgeIndex b) {
    const NodeOrdinal ta = s.edge_target(a), tb = s.edge_target(b);
    const std::uint64_t ra = ta < retained.size() ? retained[ta] : 0;
    const std::uint64_t rb = tb < retained.size() ? retained[tb] : 0;
    return ra > rb;
  });
  return edges;
}

}  // namespace libsnap
