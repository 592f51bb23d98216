// libsnap's side of tools/crosscheck: per node in snapshot order, the same five columns as
// devtools_nodes.ts writes. Usage: crosscheck_nodes SNAPSHOT OUT.tsv [raw]
#include <cstdio>
#include <cstring>
#include <exception>

#include "libsnap/analysis.hpp"
#include "libsnap/reader.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: crosscheck_nodes SNAPSHOT OUT.tsv [raw]\n");
    return 2;
  }
  try {
    const libsnap::Snapshot s = libsnap::load(argv[1]);
    const bool raw = argc > 3 && std::strcmp(argv[3], "raw") == 0;
    const auto distance = libsnap::compute_distances(s);
    std::vector<std::uint32_t> sizes = raw ? std::vector<std::uint32_t>(s.self_sizes().begin(), s.self_sizes().end())
                                           : libsnap::compute_shallow_sizes(s);
    const auto tree = libsnap::compute_dominators(s, libsnap::compute_essential_edges(s), sizes);
    std::FILE* out = std::fopen(argv[2], "w");
    if (!out) {
      std::perror(argv[2]);
      return 2;
    }
    std::fprintf(out, "id\tshallow\tretained\tdominator\tdistance\n");
    for (libsnap::NodeOrdinal n = 0; n < s.node_count(); ++n)
      std::fprintf(out, "%u\t%u\t%llu\t%u\t%d\n", s.node_id(n), sizes[n],
                   static_cast<unsigned long long>(tree.retained_size[n]), s.node_id(tree.idom[n]), distance[n]);
    return std::fclose(out) == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "crosscheck_nodes: %s\n", e.what());
    return 2;
  }
}
