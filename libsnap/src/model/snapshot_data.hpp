// The columns behind a Snapshot. Private to the library.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "libsnap/snapshot.hpp"

namespace libsnap::detail {

// A fixed-size array that is not zero-filled on allocation: the loader writes every element, and
// the threads that write them are the ones that fault the pages in.
template <typename T>
class Column {
 public:
  Column() = default;
  explicit Column(std::size_t n) : data_(n ? new T[n] : nullptr), size_(n) {}
  T* data() { return data_.get(); }
  const T* data() const { return data_.get(); }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }
  std::span<const T> span() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<T[]> data_;
  std::size_t size_ = 0;
};

struct SnapshotData {
  SnapshotMeta meta;

  // Nodes, by ordinal.
  Column<NodeType> node_type;
  Column<StringIndex> node_name;
  Column<std::uint32_t> node_id;
  Column<std::uint32_t> self_size;
  Column<EdgeIndex> first_edge;         // node_count + 1
  Column<std::uint32_t> trace_node_id;  // empty unless the file tracks allocations
  Column<std::uint8_t> detachedness;    // empty when the file has no such field

  // Edges, by index.
  Column<EdgeType> edge_type;
  Column<std::uint32_t> edge_name;  // name_or_index
  Column<NodeOrdinal> edge_target;

  // Strings: string i is arena[string_offsets[i], string_offsets[i + 1]).
  std::string arena;
  std::vector<std::uint64_t> string_offsets{0};

  std::vector<std::string> node_type_names;  // by NodeType code
  std::vector<std::string> edge_type_names;  // by EdgeType code

  std::vector<Location> locations;
  std::vector<std::uint32_t> samples;
  std::vector<std::uint32_t> trace_function_infos;

  std::uint64_t total_self_size = 0;

  mutable std::once_flag retainers_once;
  mutable std::unique_ptr<Retainers> retainers;
};

}  // namespace libsnap::detail
