// bench_analysis: time each DevTools-exact analysis (distances, shallow sizes, essential edges,
// dominator tree + retained sizes) on one loaded snapshot.
//
//   build/bin/bench_analysis [benchmark flags] [SNAPSHOT]
//   LIBSNAP_BENCH_SNAPSHOT=tools/bench/out/bench-1500.heapsnapshot build/bin/bench_analysis
//
// The snapshot is the first non-flag argument, else $LIBSNAP_BENCH_SNAPSHOT, else the shared
// oracle ../shared/oracle/s20.heapsnapshot.gz beside the checkout. It is loaded once; each
// benchmark times one analysis (single-threaded: wall and CPU time agree on an idle machine).
// The `peak_rss_MiB` counter is the process's peak so far (loaded snapshot included).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>

#include "libsnap/analysis.hpp"
#include "libsnap/reader.hpp"
#include "libsnap/snapshot.hpp"

namespace {

std::string g_snapshot;

const libsnap::Snapshot& snapshot() {
  static const libsnap::Snapshot s = libsnap::load(g_snapshot);
  return s;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void finish(benchmark::State& state) {
  state.SetLabel(g_snapshot);
  state.counters["nodes"] = snapshot().node_count();
  state.counters["edges"] = snapshot().edge_count();
  state.counters["peak_rss_MiB"] = peak_rss_mib();
}

void BM_Distances(benchmark::State& state) {
  const libsnap::Snapshot& s = snapshot();
  for (auto _ : state) benchmark::DoNotOptimize(libsnap::compute_distances(s));
  finish(state);
}

void BM_ShallowSizes(benchmark::State& state) {
  const libsnap::Snapshot& s = snapshot();
  for (auto _ : state) benchmark::DoNotOptimize(libsnap::compute_shallow_sizes(s));
  finish(state);
}

void BM_EssentialEdges(benchmark::State& state) {
  const libsnap::Snapshot& s = snapshot();
  for (auto _ : state) benchmark::DoNotOptimize(libsnap::compute_essential_edges(s));
  finish(state);
}

void BM_Dominators(benchmark::State& state) {
  const libsnap::Snapshot& s = snapshot();
  const libsnap::EdgeMask essential = libsnap::compute_essential_edges(s);
  const std::vector<std::uint32_t> sizes = libsnap::compute_shallow_sizes(s);
  for (auto _ : state) benchmark::DoNotOptimize(libsnap::compute_dominators(s, essential, sizes));
  finish(state);
}

BENCHMARK(BM_Distances)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ShallowSizes)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_EssentialEdges)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Dominators)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc > 1) {
    g_snapshot = argv[1];
  } else if (const char* env = std::getenv("LIBSNAP_BENCH_SNAPSHOT")) {
    g_snapshot = env;
  } else {
    g_snapshot = std::string(LIBSNAP_SOURCE_DIR) + "/../shared/oracle/s20.heapsnapshot.gz";
  }
  try {
    std::fprintf(stderr, "loading %s\n", g_snapshot.c_str());
    snapshot();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_analysis: %s\n", e.what());
    return 2;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
