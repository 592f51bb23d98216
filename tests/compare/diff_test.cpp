// diff: DevTools' Comparison view on the diff20 pair (the oracle, row for row), exact new /
// deleted / survivors / retained deltas on a hand-made pair, identity warnings, and the CLI.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "libsnap/diff.hpp"
#include "libsnap/reader.hpp"
#include "snapshot_builder.hpp"
#include "test_support.hpp"

namespace {

using libsnap::ClassDiff;
using libsnap::SnapshotDiff;
using libsnap::test::bin_path;
using libsnap::test::run;
using libsnap::test::RunResult;
using libsnap::test::shared_path;
using libsnap::test::SnapshotBuilder;
using libsnap::test::TempDir;
using libsnap::test::write_file;

const ClassDiff* find_row(const SnapshotDiff& d, const std::string& key) {
  for (const ClassDiff& c : d.classes)
    if (c.key == key) return &c;
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// A hand-made pair. BEFORE:
//   root -g-> Global(101) -cache-> Cache(103) -0-> Item(105, 30) -child-> Item(109, 5)
//                                             -1-> Item(107, 30)
//   Global -p-> Object(115, 12) {a: number(111, 16), b: number(113, 16)}
//   Global -gone-> Gone(123, 6);  Global -x-> Alpha(127, 4)
// AFTER: Item 107 and Gone are gone; Item(117, 40) is new under Cache; a second {a, b} object
// (119, 12) shares the numbers, so AFTER infers the interface {a, b} (two objects) and BEFORE's
// lone object 115 -- plain `Object` by its own inference -- is bucketed as {a, b} too; Fresh(121,
// 8) is new; id 127 is now a Beta; Ghost(129) has size 0 and counts nowhere.
struct Pair {
  std::string before, after;
};

Pair hand_made_pair(bool other_process = false) {
  SnapshotBuilder b;
  const auto root = b.node("synthetic", "", 0);
  const auto global = b.node("object", "Global", 10);
  const auto cache = b.node("object", "Cache", 20);
  const auto i1 = b.node("object", "Item", 30);
  const auto i2 = b.node("object", "Item", 30);
  const auto i3 = b.node("object", "Item", 5);
  const auto p = b.node("object", "Object", 12);
  const auto n1 = b.node("number", "heap number", 16);
  const auto n2 = b.node("number", "heap number", 16);
  const auto gone = b.node("object", "Gone", 6);
  const auto alpha = b.node("object", "Alpha", 4);
  b.set_id(root, 1);
  b.set_id(global, 101);
  b.set_id(cache, 103);
  b.set_id(i1, 105);
  b.set_id(i2, 107);
  b.set_id(i3, 109);
  b.set_id(n1, 111);
  b.set_id(n2, 113);
  b.set_id(p, 115);
  b.set_id(gone, 123);
  b.set_id(alpha, 127);
  b.edge(root, "shortcut", "g", global);
  b.edge(global, "property", "cache", cache);
  b.edge(cache, "element", "0", i1);
  b.edge(cache, "element", "1", i2);
  b.edge(i1, "property", "child", i3);
  b.edge(global, "property", "p", p);
  b.edge(p, "property", "a", n1);
  b.edge(p, "property", "b", n2);
  b.edge(global, "property", "gone", gone);
  b.edge(global, "property", "x", alpha);

  SnapshotBuilder a;
  const std::uint32_t shift = other_process ? 1000 : 0;
  const auto aroot = a.node("synthetic", "", 0);
  const auto aglobal = a.node("object", "Global", 10);
  const auto acache = a.node("object", "Cache", 20);
  const auto ai1 = a.node("object", "Item", 30);
  const auto ai3 = a.node("object", "Item", 5);
  const auto ai4 = a.node("object", "Item", 40);
  const auto ap = a.node("object", "Object", 12);
  const auto ap2 = a.node("object", "Object", 12);
  const auto an1 = a.node("number", "heap number", 16);
  const auto an2 = a.node("number", "heap number", 16);
  const auto fresh = a.node("object", "Fresh", 8);
  const auto beta = a.node("object", "Beta", 4);
  const auto ghost = a.node("object", "Ghost", 0);
  a.set_id(aroot, 1);
  a.set_id(aglobal, 101 + shift);
  a.set_id(acache, 103 + shift);
  a.set_id(ai1, 105 + shift);
  a.set_id(ai3, 109 + shift);
  a.set_id(an1, 111 + shift);
  a.set_id(an2, 113 + shift);
  a.set_id(ap, 115 + shift);
  a.set_id(ai4, 117 + shift);
  a.set_id(ap2, 119 + shift);
  a.set_id(fresh, 121 + shift);
  a.set_id(ghost, 129 + shift);
  a.set_id(beta, 127 + shift);
  a.edge(aroot, "shortcut", "g", aglobal);
  a.edge(aglobal, "property", "cache", acache);
  a.edge(acache, "element", "0", ai1);
  a.edge(acache, "element", "1", ai4);
  a.edge(ai1, "property", "child", ai3);
  a.edge(aglobal, "property", "p", ap);
  a.edge(aglobal, "property", "q", ap2);
  a.edge(ap, "property", "a", an1);
  a.edge(ap, "property", "b", an2);
  a.edge(ap2, "property", "a", an1);
  a.edge(ap2, "property", "b", an2);
  a.edge(aglobal, "property", "fresh", fresh);
  a.edge(aglobal, "property", "x", beta);
  a.edge(aglobal, "property", "ghost", ghost);
  return {b.json(), a.json()};
}

TEST(Diff, HandMadePairExactRows) {
  const Pair pair = hand_made_pair();
  const libsnap::Snapshot before = libsnap::load_from_memory(pair.before, "before");
  const libsnap::Snapshot after = libsnap::load_from_memory(pair.after, "after");
  const SnapshotDiff d = libsnap::diff(before, after);

  // Item: 107 (30 B) deleted, 117 (40 B) new, 105 and 109 in both. Class retained size: BEFORE
  // 105 (30 + its child 109's 5, an Item it dominates, counted once) + 107 (30) = 65; AFTER 105
  // (35) + 117 (40) = 75.
  const ClassDiff* item = find_row(d, ",Item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->name, "Item");
  EXPECT_EQ(item->new_count, 1u);
  EXPECT_EQ(item->deleted_count, 1u);
  EXPECT_EQ(item->delta_count, 0);
  EXPECT_EQ(item->alloc_size, 40u);
  EXPECT_EQ(item->freed_size, 30u);
  EXPECT_EQ(item->delta_size, 10);
  EXPECT_EQ(item->retained_delta, 10);
  EXPECT_EQ(item->survivors, 2u);

  // {a, b}: 115 survives (bucketed with AFTER's interfaces), 119 is new. BEFORE's 115 retained
  // its two numbers (12 + 32 = 44); in AFTER both objects share them, so each retains 12 only.
  const ClassDiff* ab = find_row(d, ",{a, b}");
  ASSERT_NE(ab, nullptr);
  EXPECT_EQ(ab->name, "{a, b}");
  EXPECT_EQ(ab->new_count, 1u);
  EXPECT_EQ(ab->deleted_count, 0u);
  EXPECT_EQ(ab->alloc_size, 12u);
  EXPECT_EQ(ab->freed_size, 0u);
  EXPECT_EQ(ab->delta_size, 12);
  EXPECT_EQ(ab->retained_delta, 24 - 44);
  EXPECT_EQ(ab->survivors, 1u);
  EXPECT_EQ(find_row(d, ",Object"), nullptr) << "the base must use AFTER's interfaces";

  const ClassDiff* fresh = find_row(d, ",Fresh");
  ASSERT_NE(fresh, nullptr);
  EXPECT_EQ(fresh->new_count, 1u);
  EXPECT_EQ(fresh->alloc_size, 8u);
  EXPECT_EQ(fresh->retained_delta, 8);
  EXPECT_EQ(fresh->survivors, 0u);

  const ClassDiff* gone = find_row(d, ",Gone");
  ASSERT_NE(gone, nullptr);
  EXPECT_EQ(gone->name, "Gone");
  EXPECT_EQ(gone->deleted_count, 1u);
  EXPECT_EQ(gone->delta_count, -1);
  EXPECT_EQ(gone->freed_size, 6u);
  EXPECT_EQ(gone->delta_size, -6);
  EXPECT_EQ(gone->retained_delta, -6);

  // Same id, other class: deleted from one class, new in the other (DevTools' rule).
  const ClassDiff* alpha = find_row(d, ",Alpha");
  const ClassDiff* beta = find_row(d, ",Beta");
  ASSERT_NE(alpha, nullptr);
  ASSERT_NE(beta, nullptr);
  EXPECT_EQ(alpha->deleted_count, 1u);
  EXPECT_EQ(beta->new_count, 1u);
  EXPECT_EQ(alpha->survivors + beta->survivors, 0u);

  // Unchanged classes (Global, Cache, the numbers) are dropped; size-0 nodes count nowhere.
  EXPECT_EQ(d.classes.size(), 6u);
  EXPECT_EQ(find_row(d, ",Global"), nullptr);
  EXPECT_EQ(find_row(d, ",(number)"), nullptr);
  EXPECT_EQ(find_row(d, ",Ghost"), nullptr);

  // Order: |size delta| descending, then key.
  std::vector<std::string> keys;
  for (const ClassDiff& c : d.classes) keys.push_back(c.key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{",{a, b}", ",Item", ",Fresh", ",Gone", ",Alpha", ",Beta"}));

  // Survivors: Global, Cache, 105, 109, 115 and the two numbers.
  EXPECT_EQ(d.survivors, 7u);
  EXPECT_EQ(d.before.object_count, 10u);
  EXPECT_EQ(d.after.object_count, 11u);
  EXPECT_EQ(d.before.max_js_object_id, 127u);
  EXPECT_TRUE(libsnap::identity_warnings(d).empty());
}

TEST(Diff, SidesHoldSortedIdsPerClass) {
  const Pair pair = hand_made_pair();
  const libsnap::Snapshot after = libsnap::load_from_memory(pair.after, "after");
  const libsnap::DiffSide side = libsnap::diff_side(after, libsnap::analyze(after));
  ASSERT_EQ(side.first.size(), side.key.size() + 1);
  EXPECT_EQ(side.first.back(), side.ids.size());
  EXPECT_EQ(side.ids.size(), side.sizes.size());
  for (std::size_t c = 0; c < side.key.size(); ++c) {
    EXPECT_LT(side.first[c], side.first[c + 1]) << side.key[c] << ": a class without instances";
    EXPECT_TRUE(
        std::is_sorted(side.ids.begin() + side.first[c], side.ids.begin() + side.first[c + 1]));
    if (side.key[c] == ",Item") {
      EXPECT_EQ(std::vector<std::uint32_t>(side.ids.begin() + side.first[c],
                                           side.ids.begin() + side.first[c + 1]),
                (std::vector<std::uint32_t>{105, 109, 117}));
    }
  }
}

TEST(Diff, WarnsAboutDifferentProcessesAndSwappedSnapshots) {
  const Pair other = hand_made_pair(/*other_process=*/true);
  const SnapshotDiff d = libsnap::diff(libsnap::load_from_memory(other.before, "before"),
                                       libsnap::load_from_memory(other.after, "after"));
  EXPECT_EQ(d.survivors, 0u);
  const auto warnings = libsnap::identity_warnings(d);
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings[0].find("different processes"), std::string::npos) << warnings[0];

  const Pair pair = hand_made_pair();
  // An AFTER written by an older V8 (no `object shape` node type): another process for sure.
  std::string older = pair.after;
  older.erase(older.find(",\"object shape\""), 15);
  const SnapshotDiff generations = libsnap::diff(libsnap::load_from_memory(pair.before, "before"),
                                                 libsnap::load_from_memory(older, "after"));
  const auto g = libsnap::identity_warnings(generations);
  ASSERT_EQ(g.size(), 1u);
  EXPECT_NE(g[0].find("different V8 versions"), std::string::npos) << g[0];

  const SnapshotDiff swapped = libsnap::diff(libsnap::load_from_memory(pair.after, "after"),
                                             libsnap::load_from_memory(pair.before, "before"));
  const auto w = libsnap::identity_warnings(swapped);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_NE(w[0].find("swapped"), std::string::npos) << w[0];
  // Swapping exchanges new and deleted.
  const ClassDiff* item = find_row(swapped, ",Item");
  ASSERT_NE(item, nullptr);
  EXPECT_EQ(item->alloc_size, 30u);
  EXPECT_EQ(item->freed_size, 40u);
  EXPECT_EQ(item->retained_delta, -10);
}

// ---------------------------------------------------------------------------------------------
// The oracle: Chrome DevTools' Comparison view of diff20-b against diff20-a.

struct OracleRow {
  std::string key, name;
  std::int64_t new_count, deleted_count, delta_count, alloc_size, freed_size, delta_size;
  bool operator==(const OracleRow&) const = default;
};

std::ostream& operator<<(std::ostream& out, const OracleRow& r) {
  return out << r.key << " | " << r.name << " | " << r.new_count << " " << r.deleted_count << " "
             << r.delta_count << " " << r.alloc_size << " " << r.freed_size << " " << r.delta_size;
}

std::vector<OracleRow> read_oracle(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<OracleRow> rows;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    OracleRow r;
    std::string number;
    std::getline(fields, r.key, '\t');
    std::getline(fields, r.name, '\t');
    for (std::int64_t* v : {&r.new_count, &r.deleted_count, &r.delta_count, &r.alloc_size,
                            &r.freed_size, &r.delta_size}) {
      std::getline(fields, number, '\t');
      *v = std::stoll(number);
    }
    rows.push_back(r);
  }
  return rows;
}

struct SummaryRow {
  std::uint64_t count = 0;
  std::uint64_t retained_size = 0;
};

// DevTools' Summary view: class_key class_name count shallow_size retained_size min_distance.
std::map<std::string, SummaryRow> read_summary(const std::string& path) {
  std::ifstream in(path);
  std::string line, key, name, count, shallow, retained;
  std::getline(in, line);  // header
  std::map<std::string, SummaryRow> rows;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::getline(fields, key, '\t');
    std::getline(fields, name, '\t');
    std::getline(fields, count, '\t');
    std::getline(fields, shallow, '\t');
    std::getline(fields, retained, '\t');
    rows[key] = {std::stoull(count), std::stoull(retained)};
  }
  return rows;
}

TEST(DiffOracle, Diff20EqualsDevToolsRowForRow) {
  const std::string a = shared_path("oracle/diff20-a.heapsnapshot.gz");
  const std::string b = shared_path("oracle/diff20-b.heapsnapshot.gz");
  if (a.empty() || !std::ifstream(a)) GTEST_SKIP() << "../shared/oracle is not available";
  const std::vector<OracleRow> expected =
      read_oracle(shared_path("oracle/diff20.devtools.diff.tsv"));
  ASSERT_GT(expected.size(), 80u);

  const SnapshotDiff d = libsnap::diff(libsnap::load(a), libsnap::load(b));
  std::vector<OracleRow> actual;
  for (const ClassDiff& c : d.classes) {
    actual.push_back({c.key, c.name, static_cast<std::int64_t>(c.new_count),
                      static_cast<std::int64_t>(c.deleted_count), c.delta_count,
                      static_cast<std::int64_t>(c.alloc_size),
                      static_cast<std::int64_t>(c.freed_size), c.delta_size});
  }
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i)
    EXPECT_EQ(actual[i], expected[i]) << "row " << i;

  // What DevTools lacks, checked against DevTools' own Summary views of the two snapshots: a
  // class's BEFORE count is deleted + survivors, its AFTER count new + survivors, and its retained
  // delta the difference of the Summary's class retained sizes. (Plain-object classes are left
  // out: the Summary of diff20-a buckets them with its own interfaces, the diff with b's.)
  EXPECT_TRUE(libsnap::identity_warnings(d).empty());
  const auto before = read_summary(shared_path("oracle/diff20.a.devtools.classes.tsv"));
  const auto after = read_summary(shared_path("oracle/diff20.b.devtools.classes.tsv"));
  std::size_t checked = 0;
  for (const ClassDiff& c : d.classes) {
    if (c.key.starts_with(",{") || c.key == ",Object") continue;
    const SummaryRow was = before.contains(c.key) ? before.at(c.key) : SummaryRow{};
    const SummaryRow now = after.contains(c.key) ? after.at(c.key) : SummaryRow{};
    EXPECT_EQ(was.count, c.deleted_count + c.survivors) << c.key;
    EXPECT_EQ(now.count, c.new_count + c.survivors) << c.key;
    EXPECT_EQ(static_cast<std::int64_t>(now.retained_size - was.retained_size), c.retained_delta)
        << c.key;
    ++checked;
  }
  EXPECT_EQ(checked, 70u);
  const ClassDiff* session = find_row(d, "81,204,13,Session");
  ASSERT_NE(session, nullptr);
  EXPECT_EQ(session->deleted_count, 386u);  // closed sessions
  EXPECT_EQ(session->survivors, 770u);      // open ones
}

// ---------------------------------------------------------------------------------------------
// The CLI.

using libsnap::test::quote;

RunResult analyzer(const std::string& args) {
  return run(quote(bin_path("analyzer")) + " " + args);
}

struct PairFiles {
  TempDir dir;
  std::string before, after, other;
  PairFiles() {
    const Pair pair = hand_made_pair();
    before = dir.file("before.heapsnapshot");
    after = dir.file("after.heapsnapshot");
    other = dir.file("other.heapsnapshot");
    write_file(before, pair.before);
    write_file(after, pair.after);
    write_file(other, hand_made_pair(true).after);
  }
};

TEST(DiffCli, JsonHasEveryField) {
  PairFiles f;
  const RunResult r = analyzer("diff -q --json " + quote(f.before) + " " + quote(f.after));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find(R"({"classes":[{"key":",{a, b}","name":"{a, b}","new_count":1,)"
                       R"("deleted_count":0,"delta_count":1,"alloc_size":12,"freed_size":0,)"
                       R"("delta_size":12,"retained_delta":-20,"survivors":1})"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"({"key":",Item","name":"Item","new_count":1,"deleted_count":1,)"
                       R"("delta_count":0,"alloc_size":40,"freed_size":30,"delta_size":10,)"
                       R"("retained_delta":10,"survivors":2})"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"("before":{"file":)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("node_count":11,"edge_count":10,"object_count":10,)"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"("after":{"file":)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("survivors":7,"warnings":[]})"), std::string::npos) << r.out;
}

TEST(DiffCli, TextTopSortFilter) {
  PairFiles f;
  const std::string files = quote(f.before) + " " + quote(f.after);
  RunResult r = analyzer("diff -q " + files);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("Constructor"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Retained Delta"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("6 of 6 changed classes shown"), std::string::npos) << r.out;
  // Item: new 1, deleted 1, delta 0, alloc 40, freed 30, size +10, retained +10, survivors 2.
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\nItem +1 +1 +0 +40 +30 +\+10 +\+10 +2\n)")))
      << r.out;

  r = analyzer("diff -q --top 2 " + files);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 of 6 changed classes shown"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n{a, b} "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\nGone "), std::string::npos) << r.out;

  r = analyzer("diff -q --sort retained --top 1 " + files);  // |retained delta|: {a, b} (-20)
  EXPECT_NE(r.out.find("\n{a, b} "), std::string::npos) << r.out;
  r = analyzer("diff -q --sort survivors --top 1 " + files);  // Item (2)
  EXPECT_NE(r.out.find("\nItem "), std::string::npos) << r.out;
  r = analyzer("diff -q --sort name --top 1 " + files);  // Alpha
  EXPECT_NE(r.out.find("\nAlpha "), std::string::npos) << r.out;

  r = analyzer("diff -q --filter '^(Gone|Fresh)$' " + files);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2 of 2 changed classes shown (filtered; 6 in all)"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("\nItem "), std::string::npos) << r.out;
}

TEST(DiffCli, WarnsOnStderrForDifferentProcesses) {
  PairFiles f;
  RunResult r = analyzer("diff -q " + quote(f.before) + " " + quote(f.other));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("analyzer: warning: no object is in both snapshots"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("different processes"), std::string::npos) << r.err;
  r = analyzer("diff -q --json " + quote(f.before) + " " + quote(f.other));
  EXPECT_NE(r.out.find(R"("warnings":["no object is in both snapshots)"), std::string::npos)
      << r.out;
  r = analyzer("diff -q " + quote(f.after) + " " + quote(f.before));
  EXPECT_NE(r.err.find("look swapped"), std::string::npos) << r.err;
}

TEST(DiffCli, BadInputExits2) {
  PairFiles f;
  RunResult r =
      analyzer("diff -q " + quote(f.dir.file("missing.heapsnapshot")) + " " + quote(f.after));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.heapsnapshot"), std::string::npos) << r.err;
  r = analyzer("diff -q " + quote(f.before) + " " + quote(f.dir.file("missing.heapsnapshot")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.heapsnapshot"), std::string::npos) << r.err;
  const std::string garbage = f.dir.file("garbage.heapsnapshot");
  write_file(garbage, "{\"snapshot\": 42}");
  r = analyzer("diff -q " + quote(f.before) + " " + quote(garbage));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("garbage.heapsnapshot"), std::string::npos) << r.err;
  r = analyzer("diff -q --filter '(' " + quote(f.before) + " " + quote(f.after));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--filter"), std::string::npos) << r.err;
  r = analyzer("diff -q --sort bogus " + quote(f.before) + " " + quote(f.after));
  EXPECT_EQ(r.exit_code, 2);
  r = analyzer("diff -q " + quote(f.before));
  EXPECT_EQ(r.exit_code, 2);
}

TEST(DiffCli, HelpHasAnExample) {
  const RunResult r = analyzer("diff --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:\n  analyzer diff "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--sort"), std::string::npos) << r.out;
}

TEST(DiffCli, Diff20JsonMatchesTheLibrary) {
  const std::string a = shared_path("oracle/diff20-a.heapsnapshot.gz");
  const std::string b = shared_path("oracle/diff20-b.heapsnapshot.gz");
  if (a.empty() || !std::ifstream(a)) GTEST_SKIP() << "../shared/oracle is not available";
  const RunResult r = analyzer("diff -q --json --top 0 " + quote(a) + " " + quote(b));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.rfind(R"j({"classes":[{"key":",(string)","name":"(string)","new_count":21205,)j"
                        R"j("deleted_count":10770,"delta_count":10435,"alloc_size":955256,)j"
                        R"j("freed_size":404584,"delta_size":550672,)j",
                        0),
            0u)
      << r.out.substr(0, 400);
  // Every oracle row is in the output, whole.
  for (const OracleRow& row : read_oracle(shared_path("oracle/diff20.devtools.diff.tsv"))) {
    std::string text = "{\"key\":\"" + row.key + "\",\"name\":\"" + row.name + "\"";
    for (const auto& [field, v] : std::initializer_list<std::pair<const char*, std::int64_t>>{
             {"new_count", row.new_count},
             {"deleted_count", row.deleted_count},
             {"delta_count", row.delta_count},
             {"alloc_size", row.alloc_size},
             {"freed_size", row.freed_size},
             {"delta_size", row.delta_size}}) {
      text += ",\"";
      text += field;
      text += "\":";
      text += std::to_string(v);
    }
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  }
}

}  // namespace
