// V8's spelling of the node and edge types libsnap knows, indexed by NodeType / EdgeType code.
#pragma once

#include <array>
#include <string_view>

namespace libsnap::detail {

// clang-format off
inline constexpr std::array<std::string_view, 16> kKnownNodeTypes = {
    "hidden", "array", "string", "object", "code", "closure", "regexp", "number", "native",
    "synthetic", "concatenated string", "sliced string", "symbol", "bigint", "object shape",
    "wasm object"};
inline constexpr std::array<std::string_view, 7> kKnownEdgeTypes = {
    "context", "element", "property", "internal", "hidden", "shortcut", "weak"};
// clang-format on

}  // namespace libsnap::detail
