// analyze(): everything DevTools computes when it opens a snapshot, in two threads.
//
// The dominator chain (retainers -> essential edges -> shallow sizes -> dominators) is the long
// one; the names chain (detachedness -> class names -> distances) is independent of it and runs on
// a second thread, as DevTools runs its own two halves on two workers. The Summary and the
// Statistics need both.
#include <exception>
#include <thread>

#include "libsnap/analysis.hpp"

namespace libsnap {

Analysis analyze(const Snapshot& snapshot, const AnalysisOptions& options) {
  Analysis a;
  std::exception_ptr names_error;
  std::thread names([&] {
    try {
      a.detachedness = propagate_detachedness(snapshot);
      a.classes =
          options.interfaces
              ? compute_class_names(snapshot, a.detachedness, options.naming, *options.interfaces)
              : compute_class_names(snapshot, a.detachedness, options.naming);
      a.distance = compute_distances(snapshot);
    } catch (...) {
      names_error = std::current_exception();
    }
  });
  try {
    if (options.raw_sizes) {
      const auto raw = snapshot.self_sizes();
      a.shallow_size.assign(raw.begin(), raw.end());
    } else {
      a.shallow_size = compute_shallow_sizes(snapshot);
    }
    const EdgeMask essential = compute_essential_edges(snapshot);
    a.dominators = compute_dominators(snapshot, essential, a.shallow_size);
  } catch (...) {
    names.join();
    throw;
  }
  names.join();
  if (names_error) std::rethrow_exception(names_error);

  a.summary = aggregate_classes(snapshot, a.classes, a.shallow_size, a.dominators, a.distance);
  a.statistics = compute_statistics(snapshot, a.shallow_size, a.dominators, a.detachedness);
  return a;
}

}  // namespace libsnap
