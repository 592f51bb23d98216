// bench_loader: time libsnap::load on one snapshot file.
//
//   build/bin/bench_loader [benchmark flags] [SNAPSHOT]
//   LIBSNAP_BENCH_SNAPSHOT=tools/bench/out/bench-150.heapsnapshot build/bin/bench_loader
//
// The snapshot is the first non-flag argument, else $LIBSNAP_BENCH_SNAPSHOT, else the shared
// oracle ../shared/oracle/s20.heapsnapshot.gz beside the checkout. Reports the time per load
// (wall clock: the loader uses its own threads) and MB/s of the snapshot's JSON text (10^6 bytes;
// for a .gz file the decompressed size, decompression included in the time), once with the
// default thread count and once per explicit thread count.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "libsnap/reader.hpp"
#include "libsnap/snapshot.hpp"

namespace {

std::string g_snapshot;

void BM_Load(benchmark::State& state) {
  libsnap::LoadOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t json_bytes = 0;
  std::uint32_t nodes = 0;
  std::uint32_t edges = 0;
  for (auto _ : state) {
    try {
      libsnap::Snapshot s = libsnap::load(g_snapshot, options);
      json_bytes = s.meta().file_size;
      nodes = s.node_count();
      edges = s.edge_count();
      benchmark::DoNotOptimize(s);
    } catch (const std::exception& e) {
      state.SkipWithError(e.what());
      return;
    }
  }
  state.SetLabel(g_snapshot);
  // Per-iteration rates, in SI units: "MB/s" is 10^6 bytes of JSON per second.
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(json_bytes) / 1e6,
                                              benchmark::Counter::kIsIterationInvariantRate);
  state.counters["nodes"] = nodes;
  state.counters["edges"] = edges;
}
BENCHMARK(BM_Load)
    ->ArgName("threads")
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc > 2) {
    std::fprintf(stderr, "usage: bench_loader [benchmark flags] [SNAPSHOT]\n");
    return 2;
  }
  if (argc == 2) {
    g_snapshot = argv[1];
  } else if (const char* env = std::getenv("LIBSNAP_BENCH_SNAPSHOT"); env && *env) {
    g_snapshot = env;
  } else {
    g_snapshot = LIBSNAP_SOURCE_DIR "/../shared/oracle/s20.heapsnapshot.gz";
  }
  std::fprintf(stderr, "bench_loader: %s\n", g_snapshot.c_str());
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
