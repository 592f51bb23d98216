// Class names, keys, detachedness, the Summary rules and statistics on hand-made snapshots, where
// every expected value follows from DevTools' rules by hand (FORMAT.md §2.5, §2.6, §2.9).
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "libsnap/analysis.hpp"
#include "libsnap/reader.hpp"
#include "snapshot_builder.hpp"

namespace {

using libsnap::ClassNames;
using libsnap::Naming;
using libsnap::Snapshot;
using libsnap::test::SnapshotBuilder;

Snapshot load(const SnapshotBuilder& m) {
  return libsnap::load_from_memory(m.json(), "mini");
}

std::string class_name(const ClassNames& c, std::uint32_t n) {
  return c.name[c.class_of[n]];
}
std::string class_key(const ClassNames& c, std::uint32_t n) {
  return c.key[c.class_of[n]];
}

ClassNames names(const Snapshot& s, Naming naming = Naming::kLatest) {
  const std::vector<std::uint8_t> d = libsnap::propagate_detachedness(s);
  return libsnap::compute_class_names(s, d, naming);
}

// A dominator tree from immediate dominators; retained sizes summed up the tree.
libsnap::DominatorTree tree_from_idom(const std::vector<std::uint32_t>& idom,
                                      const std::vector<std::uint32_t>& sizes) {
  libsnap::DominatorTree t;
  const std::uint32_t n = static_cast<std::uint32_t>(idom.size());
  t.idom = idom;
  t.retained_size.assign(sizes.begin(), sizes.end());
  for (std::uint32_t v = 0; v < n; ++v)
    for (std::uint32_t u = v; u != idom[u];) {
      u = idom[u];
      t.retained_size[u] += sizes[v];
    }
  t.first_dominated.assign(n + 1, 0);
  for (std::uint32_t v = 0; v < n; ++v)
    if (idom[v] != v) ++t.first_dominated[idom[v] + 1];
  for (std::uint32_t v = 0; v < n; ++v) t.first_dominated[v + 1] += t.first_dominated[v];
  t.dominated.resize(t.first_dominated[n]);
  std::vector<std::uint32_t> fill(t.first_dominated.begin(), t.first_dominated.end() - 1);
  for (std::uint32_t v = 0; v < n; ++v)
    if (idom[v] != v) t.dominated[fill[idom[v]]++] = v;
  return t;
}

std::map<std::string, libsnap::ClassAggregate> by_key(
    const ClassNames& c, const std::vector<libsnap::ClassAggregate>& rows) {
  std::map<std::string, libsnap::ClassAggregate> out;
  for (const auto& r : rows) out[c.key[r.class_index]] = r;
  return out;
}

TEST(ClassNames, InterfaceNamesForPlainObjects) {
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto proto = m.node("object", "Object", 8);
  std::vector<std::uint32_t> o;
  auto plain = [&](std::vector<std::string> props) {
    const auto n = m.node("object", "Object", 16);
    for (const auto& p : props) m.edge(n, "property", p, proto);
    m.edge(root, "element", std::to_string(n), n);
    o.push_back(n);
  };
  plain({"a", "b", "__proto__"});  // o0: {a, b}; __proto__ is not part of an interface
  plain({"a", "b"});               // o1: {a, b}
  plain({"b", "a"});               // o2: its own candidate {b, a} (seen once), but matches {a, b}
  plain({"x", "y", "z"});          // o3: {x, y, z}
  plain({"z", "x", "y", "__proto__"});  // o4: candidate {z, x, y} seen once; matches {x, y, z}
  plain({"x", "y", "z"});               // o5
  plain({"a", "b", "x", "y", "z"});     // o6: matches both; more properties wins
  plain({"q"});                         // o7: an interface of one object is no interface
  plain({});                            // o8: no properties
  const auto foo = m.node("object", "Foo", 16);  // not a plain object
  m.edge(foo, "property", "a", proto);
  m.edge(foo, "property", "b", proto);
  m.edge(root, "shortcut", "global", foo);

  const Snapshot s = load(m);
  const ClassNames c = names(s);
  EXPECT_EQ(class_name(c, o[0]), "{a, b}");
  EXPECT_EQ(class_name(c, o[1]), "{a, b}");
  EXPECT_EQ(class_name(c, o[2]), "{a, b}");
  EXPECT_EQ(class_name(c, o[3]), "{x, y, z}");
  EXPECT_EQ(class_name(c, o[4]), "{x, y, z}");
  EXPECT_EQ(class_name(c, o[5]), "{x, y, z}");
  EXPECT_EQ(class_name(c, o[6]), "{x, y, z}");
  EXPECT_EQ(class_name(c, o[7]), "Object");
  EXPECT_EQ(class_name(c, o[8]), "Object");
  EXPECT_EQ(class_name(c, foo), "Foo");
  EXPECT_EQ(class_key(c, o[0]), ",{a, b}");
  EXPECT_EQ(class_name(c, root), "(synthetic)");
  // The earlier (more common) definition wins among equally long matches.
  EXPECT_EQ(c.class_of[o[0]], c.class_of[o[2]]);

  // DevTools 2021 has no interfaces.
  const ClassNames old = names(s, Naming::k2021);
  EXPECT_EQ(class_name(old, o[0]), "Object");
  EXPECT_EQ(class_name(old, o[6]), "Object");
}

TEST(ClassNames, InterfaceTiesGoToTheMoreCommonDefinitionAndQuotedNames) {
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto v = m.node("number", "heap number", 16);
  auto plain = [&](std::vector<std::string> props) {
    const auto n = m.node("object", "Object", 16);
    for (const auto& p : props) m.edge(n, "property", p, v);
    m.edge(root, "element", std::to_string(n), n);
    return n;
  };
  plain({"p", "r"});
  plain({"p", "r"});
  plain({"q", "s"});
  plain({"q", "s"});
  plain({"q", "s"});  // {q, s} is the more common definition
  const auto both = plain({"p", "q", "r", "s"});
  const auto odd1 = plain({"a,b", "c"});
  const auto odd2 = plain({"a,b", "c"});
  const Snapshot s = load(m);
  const ClassNames c = names(s);
  EXPECT_EQ(class_name(c, both), "{q, s}");
  EXPECT_EQ(class_name(c, odd1), R"({"a,b", c})");
  EXPECT_EQ(c.class_of[odd1], c.class_of[odd2]);
}

TEST(ClassNames, TagsAndDetachedTags) {
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto div1 = m.node("native", "<div id=x>", 40);
  const auto div2 = m.node("native", "<div>", 40);
  const auto span = m.node("object", "<span class=\"a b\">", 40);
  const auto ddiv = m.node("native", "<div id=y>", 40, 2);  // detached by the embedder
  const auto dp = m.node("native", "Detached <p id=z>", 40);
  const auto plain = m.node("native", "Node / Foo", 40);
  for (auto n : {div1, div2, span, ddiv, dp, plain}) m.edge(root, "element", std::to_string(n), n);
  const Snapshot s = load(m);
  const ClassNames c = names(s);
  EXPECT_EQ(class_name(c, div1), "<div>");
  EXPECT_EQ(class_name(c, div2), "<div>");
  EXPECT_EQ(c.class_of[div1], c.class_of[div2]);
  EXPECT_EQ(class_key(c, div1), ",<div>");
  EXPECT_EQ(class_name(c, span), "<span>");
  EXPECT_EQ(class_name(c, ddiv), "Detached <div>");
  EXPECT_EQ(class_name(c, dp), "Detached <p>");
  EXPECT_EQ(class_name(c, plain), "Node / Foo");

  // DevTools 2021 used the raw (renamed) names.
  const ClassNames old = names(s, Naming::k2021);
  EXPECT_EQ(class_name(old, div1), "<div id=x>");
  EXPECT_EQ(class_name(old, ddiv), "Detached <div id=y>");
}

TEST(Detachedness, PropagatesThroughNativeNodesOnly) {
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto a = m.node("native", "A", 8, 2);  // detached seed
  const auto b = m.node("native", "B", 8);     // reached from a: detached
  const auto c = m.node("object", "C", 8);     // JS object: no state, stops the flow
  const auto d = m.node("native", "D", 8);     // behind c: unknown
  const auto e = m.node("native", "E", 8, 1);  // attached seed
  const auto f = m.node("native", "F", 8);     // reached from e and from a: attached wins
  const auto h = m.node("native", "H", 8);     // only behind a hidden edge: unknown
  const auto w = m.node("native", "W", 8);     // only behind a weak edge: unknown
  const auto g = m.node("native", "G", 8);     // behind b, two steps from the seed: detached
  const auto j = m.node("object", "J", 8, 2);  // a non-native node keeps the file's state
  m.edge(root, "element", "1", a);
  m.edge(root, "element", "2", e);
  m.edge(root, "element", "3", j);
  m.edge(a, "internal", "b", b);
  m.edge(a, "internal", "f", f);
  m.edge(a, "hidden", "0", h);
  m.edge(a, "weak", "w", w);
  m.edge(b, "internal", "c", c);
  m.edge(b, "internal", "g", g);
  m.edge(c, "internal", "d", d);
  m.edge(e, "internal", "f", f);
  const Snapshot s = load(m);
  const std::vector<std::uint8_t> st = libsnap::propagate_detachedness(s);
  EXPECT_EQ(st[a], 2);
  EXPECT_EQ(st[b], 2);
  EXPECT_EQ(st[g], 2);
  EXPECT_EQ(st[c], 0);
  EXPECT_EQ(st[d], 0);
  EXPECT_EQ(st[e], 1);
  EXPECT_EQ(st[f], 1);
  EXPECT_EQ(st[h], 0);
  EXPECT_EQ(st[w], 0);
  EXPECT_EQ(st[j], 2);
  const ClassNames cn = libsnap::compute_class_names(s, st, Naming::kLatest);
  EXPECT_EQ(class_name(cn, a), "Detached A");
  EXPECT_EQ(class_name(cn, b), "Detached B");
  EXPECT_EQ(class_name(cn, f), "F");
  EXPECT_EQ(class_name(cn, j), "J");  // only native nodes are renamed
}

TEST(ClassNames, LocationKeysSplitSameNamedConstructors) {
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto w1 = m.node("object", "Widget", 32);
  const auto w2 = m.node("object", "Widget", 32);
  const auto w3 = m.node("object", "Widget", 32);
  const auto w4 = m.node("object", "Widget", 32);
  const auto fn = m.node("closure", "make", 32);
  for (auto n : {w1, w2, w3, w4, fn}) m.edge(root, "element", std::to_string(n), n);
  m.location(w1, 7, 10, 4);
  m.location(w2, 7, 10, 4);
  m.location(w3, 8, 10, 4);  // same name, another script
  m.location(fn, 7, 1, 0);   // closures are never keyed by location
  const Snapshot s = load(m);
  const ClassNames c = names(s);
  EXPECT_EQ(class_key(c, w1), "7,10,4,Widget");
  EXPECT_EQ(c.class_of[w1], c.class_of[w2]);
  EXPECT_EQ(class_key(c, w3), "8,10,4,Widget");
  EXPECT_EQ(class_key(c, w4), ",Widget");
  EXPECT_EQ(class_name(c, w3), "Widget");
  EXPECT_EQ(class_key(c, fn), ",Function");

  const std::vector<std::uint32_t> sizes{0, 32, 32, 32, 32, 32};
  const auto tree = tree_from_idom({0, 0, 0, 0, 0, 0}, sizes);
  const std::vector<std::int32_t> dist{0, 1, 1, 1, 1, 1};
  const auto rows = by_key(c, libsnap::aggregate_classes(s, c, sizes, tree, dist));
  ASSERT_EQ(rows.size(), 4u);  // two rows for two locations, one without, one Function
  EXPECT_EQ(rows.at("7,10,4,Widget").count, 2u);
  EXPECT_EQ(rows.at("8,10,4,Widget").count, 1u);
  EXPECT_EQ(rows.at(",Widget").count, 1u);

  // DevTools 2021: one class per name.
  const ClassNames old = names(s, Naming::k2021);
  EXPECT_EQ(class_key(old, w3), ",Widget");
  EXPECT_EQ(c.class_of[w1] == c.class_of[w3], false);
  EXPECT_EQ(old.class_of[w1], old.class_of[w3]);
}

TEST(ClassNames, TypeNamesLatestAnd2021) {
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto fn = m.node("closure", "f", 32);
  const auto re = m.node("regexp", "a+", 32);
  const auto hidden = m.node("hidden", "system / Foo", 32);
  const auto code = m.node("code", "f", 32);
  const auto str = m.node("string", "hello", 32);
  const auto cons = m.node("concatenated string", "(concatenated string)", 32);
  const auto shape = m.node("object shape", "system / Map", 32);
  const auto arr = m.node("array", "(object elements)", 32);
  const Snapshot s = load(m);
  const ClassNames c = names(s);
  EXPECT_EQ(class_name(c, fn), "Function");
  EXPECT_EQ(class_name(c, re), "RegExp");
  EXPECT_EQ(class_name(c, hidden), "(system)");
  EXPECT_EQ(class_name(c, code), "(compiled code)");
  EXPECT_EQ(class_name(c, str), "(string)");
  EXPECT_EQ(class_name(c, cons), "(concatenated string)");
  EXPECT_EQ(class_name(c, shape), "(object shape)");
  EXPECT_EQ(class_name(c, arr), "(array)");
  EXPECT_EQ(class_name(c, root), "(synthetic)");
  const ClassNames old = names(s, Naming::k2021);
  EXPECT_EQ(class_name(old, fn), "(closure)");
  EXPECT_EQ(class_name(old, re), "(regexp)");
  EXPECT_EQ(class_name(old, hidden), "(system)");
  EXPECT_EQ(class_name(old, code), "(compiled code)");
  EXPECT_EQ(class_key(old, fn), ",(closure)");
}

TEST(ClassSummary, RetainedSizeSkipsInstancesDominatedByTheirClass) {
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto a = m.node("object", "Foo", 10);
  const auto b = m.node("object", "Foo", 5);
  const auto c = m.node("object", "Bar", 3);
  const auto d = m.node("object", "Foo", 0);  // size 0: neither counted nor blocking
  const auto e = m.node("object", "Foo", 4);
  m.node("object", "Bar", 6);  // unreachable
  m.edge(root, "element", "1", a);
  m.edge(a, "property", "b", b);
  m.edge(b, "property", "c", c);
  m.edge(root, "element", "2", d);
  m.edge(d, "property", "e", e);
  const Snapshot s = load(m);
  const ClassNames cn = names(s);
  const std::vector<std::uint32_t> sizes{0, 10, 5, 3, 0, 4, 6};
  const auto tree = tree_from_idom({0, 0, a, b, 0, d, 0}, sizes);
  const std::vector<std::int32_t> dist{0, 1, 2, 3, 1, 2, libsnap::kNoDistance};
  const auto rows_list = libsnap::aggregate_classes(s, cn, sizes, tree, dist);
  const auto rows = by_key(cn, rows_list);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.at(",Foo").count, 3u);
  EXPECT_EQ(rows.at(",Foo").shallow_size, 19u);
  EXPECT_EQ(rows.at(",Foo").retained_size, 18u + 4u);
  EXPECT_EQ(rows.at(",Foo").min_distance, 1);
  EXPECT_EQ(rows.at(",Bar").count, 2u);
  EXPECT_EQ(rows.at(",Bar").retained_size, 9u);
  EXPECT_EQ(rows.at(",Bar").min_distance,
            libsnap::kNoDistance);                           // DevTools takes the plain minimum
  EXPECT_EQ(cn.key[rows_list.front().class_index], ",Foo");  // sorted by retained size
}

TEST(ClassSummary, CollidingKeysKeepTheClassDevToolsKeeps) {
  // A native node whose raw name is "Detached Foo" and a detached native "Foo" (renamed to
  // "Detached Foo" by DevTools) are two classes with one public key; DevTools' conversion to public
  // keys keeps the class whose first instance comes later in snapshot order.
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto raw = m.node("native", "Detached Foo", 10);
  const auto renamed = m.node("native", "Foo", 7, 2);
  const auto raw2 = m.node("native", "Detached Foo", 10);
  for (auto n : {raw, renamed, raw2}) m.edge(root, "element", std::to_string(n), n);
  const Snapshot s = load(m);
  const ClassNames cn = names(s);
  EXPECT_NE(cn.class_of[raw], cn.class_of[renamed]);
  EXPECT_EQ(class_key(cn, raw), class_key(cn, renamed));
  const std::vector<std::uint32_t> sizes{0, 10, 7, 10};
  const auto tree = tree_from_idom({0, 0, 0, 0}, sizes);
  const std::vector<std::int32_t> dist{0, 1, 1, 1};
  const auto rows = libsnap::aggregate_classes(s, cn, sizes, tree, dist);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].count, 1u);
  EXPECT_EQ(rows[0].shallow_size, 7u);
}

TEST(Statistics, DevTools2025Categories) {
  SnapshotBuilder m;
  m.extra_native_bytes(1000);
  const auto root = m.node("synthetic", "", 0);
  const auto sys = m.node("hidden", "system / Foo", 11);
  const auto buf = m.node("native", "system / JSArrayBufferData", 100);
  const auto dbuf = m.node("native", "system / JSArrayBufferData", 50, 2);  // renamed: not typed
  const auto nat = m.node("native", "Node / Bar", 7);
  const auto code = m.node("code", "f", 13);
  const auto str = m.node("string", "abc", 17);
  const auto cons = m.node("concatenated string", "(concatenated string)", 19);
  const auto sliced = m.node("sliced string", "(sliced string)", 23);
  const auto arr1 = m.node("object", "Array", 32);
  const auto el1 = m.node("array", "(object elements)", 64);  // one retainer: counted
  const auto arr2 = m.node("object", "Array", 32);
  const auto el2 = m.node("array", "(object elements)", 128);  // two retainers: not counted
  const auto other = m.node("object", "Foo", 5);
  for (auto n : {sys, buf, dbuf, nat, code, str, cons, sliced, arr1, arr2, other})
    m.edge(root, "element", std::to_string(n), n);
  m.edge(arr1, "internal", "elements", el1);
  m.edge(arr2, "internal", "elements", el2);
  m.edge(other, "property", "x", el2);
  const Snapshot s = load(m);
  const auto det = libsnap::propagate_detachedness(s);
  std::vector<std::uint32_t> sizes(s.node_count());
  std::vector<std::uint32_t> idom(s.node_count(), 0);
  for (std::uint32_t n = 0; n < s.node_count(); ++n) sizes[n] = s.self_size(n);
  idom[el1] = arr1;
  const auto tree = tree_from_idom(idom, sizes);
  const libsnap::Statistics st = libsnap::compute_statistics(s, sizes, tree, det);
  const std::uint64_t heap = 11 + 100 + 50 + 7 + 13 + 17 + 19 + 23 + 32 + 64 + 32 + 128 + 5;
  EXPECT_EQ(st.total, heap + 1000);
  EXPECT_EQ(st.native_total, 1000u + 100 + 50 + 7);
  EXPECT_EQ(st.typed_arrays, 100u);
  EXPECT_EQ(st.v8heap_total, st.total - st.native_total);
  EXPECT_EQ(st.code, 13u);
  EXPECT_EQ(st.strings, 17u + 19 + 23);
  EXPECT_EQ(st.js_arrays, 32u + 64 + 32);
  EXPECT_EQ(st.system, 11u);
}

// A linked list 300,000 deep: the dominator tree is one chain. The Summary walks it without
// recursion and counts only the head's retained size for the list's class (every other element
// is dominated by another of its class); plain objects {value, next} get their interface name.
TEST(ClassSummary, DeepChainIsWalkedIterativelyAndCountedOnce) {
  constexpr std::uint32_t kLength = 300000;
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto global = m.node("object", "global", 100);
  m.edge(root, "shortcut", "global", global);
  std::uint32_t previous = global;
  for (std::uint32_t i = 0; i < kLength; ++i) {
    const auto item = m.node("object", i % 2 ? "Object" : "Item", 32);
    m.edge(previous, "property", i == 0 ? "head" : (i % 2 ? "next" : "value"), item);
    if (i % 2)
      m.edge(item, "property", "tail", item);  // plain objects: {tail, value}, in edge order
    previous = item;
  }
  const Snapshot s = load(m);
  const libsnap::Analysis a = libsnap::analyze(s);
  const auto rows = by_key(a.classes, a.summary);
  ASSERT_EQ(rows.count(",Item"), 1u);
  EXPECT_EQ(rows.at(",Item").count, kLength / 2);
  EXPECT_EQ(rows.at(",Item").retained_size, std::uint64_t{kLength} * 32);  // the head only
  ASSERT_EQ(rows.count(",{tail, value}"), 1u);
  EXPECT_EQ(rows.at(",{tail, value}").count, kLength / 2 - 1);  // the last one has no `value`
  EXPECT_EQ(rows.at(",Object").count, 1u);
  EXPECT_EQ(rows.at(",{tail, value}").retained_size, std::uint64_t{kLength - 1} * 32);
  EXPECT_EQ(rows.at(",global").retained_size, std::uint64_t{kLength} * 32 + 100);
  EXPECT_EQ(a.statistics.total, std::uint64_t{kLength} * 32 + 100);
}

TEST(ClassNames, DisplayNamesAsDevToolsShowsThem) {
  SnapshotBuilder m;
  const auto root = m.node("synthetic", "", 0);
  const auto v = m.node("number", "heap number", 16);
  const auto empty = m.node("object", "Object", 16);
  const auto small = m.node("object", "Object", 16);
  m.edge(small, "property", "a", v);
  m.edge(small, "property", "__proto__", v);
  m.edge(small, "property", "b,c", v);
  m.edge(small, "internal", "map", v);
  m.edge(small, "property", "d", v);
  const auto big = m.node("object", "Object", 16);
  for (int i = 0; i < 40; ++i) m.edge(big, "property", "property" + std::to_string(i), v);
  const auto left = m.node("string", "Hello, ", 16);
  const auto right = m.node("string", "world", 16);
  const auto inner = m.node("concatenated string", "(concatenated string)", 16);
  m.edge(inner, "internal", "first", left);
  m.edge(inner, "internal", "second", right);
  const auto outer = m.node("concatenated string", "(concatenated string)", 16);
  m.edge(outer, "internal", "first", inner);
  m.edge(outer, "internal", "second", left);
  const auto detached = m.node("native", "HTMLDivElement", 16, 2);
  for (auto n : {empty, small, big, outer, detached}) m.edge(root, "element", std::to_string(n), n);
  const Snapshot s = load(m);
  const auto d = libsnap::propagate_detachedness(s);
  EXPECT_EQ(libsnap::node_display_name(s, empty, d), "{}");
  // First from the front, then from the back: a, d, then "b,c" (quoted).
  EXPECT_EQ(libsnap::node_display_name(s, small, d), R"({a, "b,c", d})");
  const std::string b = libsnap::node_display_name(s, big, d);
  EXPECT_EQ(b.rfind("{property0, property1, ", 0), 0u) << b;
  EXPECT_NE(b.find(", \xE2\x80\xA6, "), std::string::npos) << b;  // ", …, " between the two ends
  EXPECT_EQ(b.substr(b.size() - 11), "property39}") << b;
  EXPECT_EQ(b,
            "{property0, property1, property2, property3, property4, \xE2\x80\xA6, "
            "property36, property37, property38, property39}");
  EXPECT_LE(b.size(), 110u);
  EXPECT_EQ(libsnap::node_display_name(s, outer, d), "Hello, worldHello, ");
  EXPECT_EQ(libsnap::node_display_name(s, detached, d), "Detached HTMLDivElement");
  EXPECT_EQ(libsnap::node_display_name(s, v, d), "heap number");
}

}  // namespace
