#!/usr/bin/env bash
# Installs a libsnap build tree into a temporary prefix, then configures, builds and runs a tiny
# out-of-tree consumer (tests/package/consumer: find_package(libsnap) + libsnap::libsnap) against
# it, and checks the node and edge counts it prints for the node 20 fixture.
# Usage: check-install.sh SOURCE_DIR BUILD_DIR
# Environment: LIBSNAP_CONSUMER_CXX    compiler for the consumer (default: c++); use the one the
#                                      build was made with
#              LIBSNAP_CONSUMER_FLAGS  extra compile and link flags (the sanitizers of a sanitized
#                                      build: its static library needs their runtimes)
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: check-install.sh SOURCE_DIR BUILD_DIR" >&2; exit 2; }
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
cxx=${LIBSNAP_CONSUMER_CXX:-c++}
flags=${LIBSNAP_CONSUMER_FLAGS:-}
fail() { echo "check-install: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/libsnap-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log" >&2; fail "cmake --install failed"; }

# The pieces a consumer needs.
for f in include/libsnap/reader.hpp include/libsnap/snapshot.hpp; do
  [ -f "$prefix/$f" ] || fail "$f is not installed"
done
config=$(find "$prefix" -name libsnapConfig.cmake | head -n 1)
[ -n "$config" ] || fail "libsnapConfig.cmake is not installed"
for f in libsnapConfigVersion.cmake libsnapTargets.cmake; do
  [ -f "$(dirname "$config")/$f" ] || fail "$f is not installed beside libsnapConfig.cmake"
done
[ -n "$(find "$prefix" -name 'libsnap.a' -o -name 'libsnap.so*')" ] || fail "the library is not installed"
# The installed package must not point back into the source or build tree.
if grep -rlF -e "$src/" -e "$build" "$(dirname "$config")" >/dev/null; then
  grep -rnF -e "$src/" -e "$build" "$(dirname "$config")" >&2
  fail "the installed CMake package refers to the source or build tree"
fi

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S "$src/tests/package/consumer" -B "$work/consumer" "${generator[@]}" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="$flags" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF >"$work/configure.log" 2>&1 ||
  { cat "$work/configure.log" >&2; fail "configuring the consumer failed"; }
cmake --build "$work/consumer" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log" >&2; fail "building the consumer failed"; }

fixture=$src/fixtures/snapshots/node20.heapsnapshot.gz
want_nodes=$(awk -F'\t' '$1 == "node20.heapsnapshot.gz" && $2 == "node_count" { print $3 }' \
  "$src/fixtures/snapshots/expected.tsv")
want_edges=$(awk -F'\t' '$1 == "node20.heapsnapshot.gz" && $2 == "edge_count" { print $3 }' \
  "$src/fixtures/snapshots/expected.tsv")
[ -n "$want_nodes" ] && [ -n "$want_edges" ] || fail "no node20 counts in fixtures/snapshots/expected.tsv"
out=$("$work/consumer/consumer" "$fixture") || fail "the consumer failed on $fixture"
expected=$(printf 'node_count %s\nedge_count %s' "$want_nodes" "$want_edges")
[ "$out" = "$expected" ] || fail "the consumer printed '$out', expected '$expected'"
echo "check-install: installed package builds a consumer that loads $want_nodes nodes, $want_edges edges"
