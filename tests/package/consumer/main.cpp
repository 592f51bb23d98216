// Loads the snapshot named on the command line and prints its node and edge counts.
#include <libsnap/reader.hpp>
#include <libsnap/snapshot.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: consumer SNAPSHOT\n";
    return 2;
  }
  try {
    const libsnap::Snapshot s = libsnap::load(argv[1]);
    std::cout << "node_count " << s.node_count() << "\nedge_count " << s.edge_count() << "\n";
  } catch (const libsnap::LoadError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  return 0;
}
