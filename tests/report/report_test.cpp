// `analyzer report`: the HTML page it writes, checked as text (script elements, embedded data,
// size, atomic output, bad input) and in a real browser (headless Chromium driven by
// tests/browser/check_report.js): the views are drawn, clicks work, the console stays clean, and
// hostile snapshot strings (fixtures/scenarios/hostile-strings.js) stay text.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

namespace fs = std::filesystem;
using libsnap::test::bin_path;
using libsnap::test::quote;
using libsnap::test::read_file;
using libsnap::test::run;
using libsnap::test::RunResult;
using libsnap::test::source_path;
using libsnap::test::TempDir;
using libsnap::test::write_file;

bool have_node() {
  return libsnap::test::producer_available(libsnap::test::Producer::kNode);
}

// A scenario captured under Node, once per test program run (shared with the other tests).
const std::string& scenario_run(const std::string& scenario, unsigned rounds) {
  return libsnap::test::captured_scenario(libsnap::test::Producer::kNode, scenario, rounds);
}

// The report of a capture directory, written once per program run.
const std::string& report_of(const std::string& scenario, unsigned rounds) {
  static std::map<std::string, std::pair<std::unique_ptr<TempDir>, std::string>> cache;
  auto it = cache.find(scenario);
  if (it == cache.end()) {
    const std::string dir = scenario_run(scenario, rounds);
    auto out_dir = std::make_unique<TempDir>();
    const std::string html = out_dir->file(scenario + ".html");
    const RunResult r =
        run(quote(bin_path("analyzer")) + " report --dir " + quote(dir) + " -o " + quote(html));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out.rfind("wrote " + html + " (", 0), 0u) << r.out;
    it = cache.emplace(scenario, std::make_pair(std::move(out_dir), html)).first;
  }
  return it->second.second;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1))
    ++n;
  return n;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// The text of the embedded data element.
std::string embedded_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const std::size_t from = html.find(open);
  if (from == std::string::npos) return "";
  const std::size_t begin = from + open.size();
  return html.substr(begin, html.find("</script>", begin) - begin);
}

// Facts read from the embedded data by JavaScript's own JSON.parse, as "key=value" lines.
std::map<std::string, std::string> data_facts(const std::string& html_path) {
  const std::string script = R"JS(
const fs = require("fs");
const html = fs.readFileSync(process.argv[2], "utf8");
const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
const d = JSON.parse(m[1]);
const S = d.strings, c = d.current, out = [];
const put = (k, v) => out.push(k + "=" + JSON.stringify(v));
put("version", d.version);
put("snapshots", d.snapshots.length);
put("last_file", d.snapshots[d.snapshots.length - 1].file);
put("header_file", c.header.file);
put("header_nodes", c.header.node_count);
put("total", c.statistics.total);
put("top_class", S[c.classes.rows[0][0]]);
put("top_class_retained", c.classes.rows[0][4]);
put("class_rows", c.classes.rows.length);
put("tree_nodes", c.tree.length);
put("tree_root_parent", c.tree[0][1]);
put("tree_root_retained", d.nodes[c.tree[0][0]][5]);
put("tree_parents_before", c.tree.every((t, i) => t[1] < i));
put("biggest", c.biggest.length);
put("has_series", "series" in d);
put("diffs", d.diffs ? d.diffs.length : 0);
if (d.growth) {
  put("points", d.growth.points.length);
  put("findings", d.growth.findings.length);
  const f = d.growth.findings[0];
  if (f) {
    put("finding_kind", f.kind);
    put("finding_class", f.container.class);
    put("finding_path", f.container.path_text);
    put("finding_series", f.series);
    put("finding_classes", f.classes.map((x) => x.name + ":" + x.objects_per_step));
  }
}
console.log(out.join("\n"));
)JS";
  TempDir dir;
  write_file(dir.file("facts.js"), script);
  const RunResult r = run("node " + quote(dir.file("facts.js")) + " " + quote(html_path));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> facts;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t eq = line.find('=');
    if (eq != std::string::npos) facts[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return facts;
}

// A JSON string literal (for expectations files and for comparing with data_facts values).
std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The value of `"key":` in one line of JSON output (a string or a number), "" when absent.
std::string json_field(const std::string& json, const std::string& key) {
  const std::regex re("\"" + key + "\":(\"((?:[^\"\\\\]|\\\\.)*)\"|-?[0-9.]+)");
  std::smatch m;
  if (!std::regex_search(json, m, re)) return "";
  return m[2].matched ? m[2].str() : m[1].str();
}

// ---------------------------------------------------------------------------------------------
// The page as text

TEST(ReportPage, SeriesReportEmbedsBoundedEscapedData) {
  if (!have_node()) GTEST_SKIP() << "node is not installed";
  const std::string& html_path = report_of("leak-request-cache", 6);
  const std::string html = read_file(html_path);
  // Exactly the page's own two script elements: the data and the code.
  EXPECT_EQ(count(lower(html), "<script"), 2u);
  EXPECT_EQ(count(lower(html), "</script"), 2u);
  EXPECT_NE(html.find("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"),
            std::string::npos);
  const std::string data = embedded_data(html);
  ASSERT_FALSE(data.empty());
  EXPECT_EQ(data.find_first_of("<>&"), std::string::npos);
  EXPECT_LT(html.size(), 5u << 20);
  // The page itself names no URL to fetch (the data may hold any string).
  std::string page = html;
  page.erase(html.find(data), data.size());
  EXPECT_EQ(count(page, "://"), 1u);  // the SVG namespace
  EXPECT_NE(page.find("\"http://www.w3.org/2000/svg\""), std::string::npos);

  const std::string dir = scenario_run("leak-request-cache", 6);
  const std::string last = dir + "/05-round-4.heapsnapshot";
  const auto facts = data_facts(html_path);
  EXPECT_EQ(facts.at("version"), "1");
  EXPECT_EQ(facts.at("snapshots"), "6");
  EXPECT_EQ(facts.at("last_file"), json_string(last));
  EXPECT_EQ(facts.at("header_file"), json_string(last));
  EXPECT_EQ(facts.at("has_series"), "true");
  EXPECT_EQ(facts.at("diffs"), "15");  // every pair of 6
  EXPECT_EQ(facts.at("tree_root_parent"), "-1");
  EXPECT_EQ(facts.at("tree_parents_before"), "true");
  EXPECT_EQ(facts.at("biggest"), "20");
  EXPECT_LE(std::stoul(facts.at("tree_nodes")), 2500u);
  EXPECT_GE(std::stoul(facts.at("tree_nodes")), 500u);
  // Growth over the end-of-round points (the mid-round target left out), as `analyzer growth`.
  EXPECT_EQ(facts.at("points"), "5");
  EXPECT_EQ(facts.at("findings"), "1");
  EXPECT_EQ(facts.at("finding_kind"), "\"unbounded-collection\"");
  EXPECT_EQ(facts.at("finding_class"), "\"Map\"");
  EXPECT_EQ(facts.at("finding_series"), "[0,200,400,600,800]");
  EXPECT_EQ(facts.at("finding_classes"), "[\"RequestContext:200\",\"Object:200\"]");
  const RunResult growth =
      run(quote(bin_path("analyzer")) + " growth --dir " + quote(dir) + " --json");
  ASSERT_EQ(growth.exit_code, 0) << growth.err;
  EXPECT_EQ(facts.at("finding_path"), "\"" + json_field(growth.out, "path_text") + "\"");
  // The class table and the statistics agree with `summary` and `stats` on the last snapshot.
  const RunResult summary =
      run(quote(bin_path("analyzer")) + " summary " + quote(last) + " --json --top 1");
  ASSERT_EQ(summary.exit_code, 0) << summary.err;
  EXPECT_EQ(facts.at("top_class"), "\"" + json_field(summary.out, "name") + "\"");
  EXPECT_EQ(facts.at("top_class_retained"), json_field(summary.out, "retained_size"));
  EXPECT_EQ(facts.at("total"), json_field(summary.out, "total_size"));
  EXPECT_EQ(facts.at("tree_root_retained"), json_field(summary.out, "total_size"));
}

TEST(ReportPage, OneSnapshotHasNoSeriesViews) {
  if (!have_node()) GTEST_SKIP() << "node is not installed";
  const std::string snapshot = scenario_run("leak-request-cache", 6) + "/00-baseline.heapsnapshot";
  TempDir out;
  const std::string html = out.file("one.html");
  const RunResult r = run(quote(bin_path("analyzer")) + " report " + quote(snapshot) + " -o " +
                          quote(html) + " --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
  const auto facts = data_facts(html);
  EXPECT_EQ(facts.at("snapshots"), "1");
  EXPECT_EQ(facts.at("has_series"), "false");
  EXPECT_EQ(facts.at("diffs"), "0");
  EXPECT_EQ(facts.count("points"), 0u);
  // Nothing but the page in the directory: the temporary file was renamed.
  EXPECT_EQ(std::distance(fs::directory_iterator(out.path()), fs::directory_iterator{}), 1);
}

TEST(ReportPage, HostileStringsCannotEndTheDataElement) {
  if (!have_node()) GTEST_SKIP() << "node is not installed";
  const std::string html = read_file(report_of("hostile-strings", 5));
  EXPECT_EQ(count(lower(html), "<script"), 2u);
  EXPECT_EQ(count(lower(html), "</script"), 2u);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  const std::string data = embedded_data(html);
  EXPECT_EQ(data.find_first_of("<>&"), std::string::npos);
  EXPECT_EQ(data.find("\xE2\x80\xA8"), std::string::npos);  // U+2028, escaped
  // The payloads are there, escaped.
  EXPECT_NE(data.find("\\u003c/script\\u003e\\u003cscript\\u003ewindow.__pwned=1"),
            std::string::npos);
  EXPECT_NE(data.find("Invoice\xE2\x80\xAE"
                      "exe.txt"),
            std::string::npos);  // U+202E, as is
  EXPECT_NE(data.find("\\u2028"), std::string::npos);
}

TEST(ReportPage, BadInputExitsTwoAndLeavesNothing) {
  TempDir dir;
  const std::string analyzer = quote(bin_path("analyzer"));
  const std::string out = dir.file("report.html");
  auto one_line = [](const RunResult& r) {
    return std::count(r.err.begin(), r.err.end(), '\n') == 1 && r.err.rfind("analyzer: ", 0) == 0;
  };
  // A missing snapshot.
  RunResult r =
      run(analyzer + " report " + quote(dir.file("missing.heapsnapshot")) + " -o " + quote(out));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(one_line(r)) << r.err;
  EXPECT_NE(r.err.find("missing.heapsnapshot: no such file"), std::string::npos) << r.err;
  // A corrupt one: the page is not written, an earlier file stays as it was.
  write_file(dir.file("bad.heapsnapshot"), "{\"snapshot\":{\"meta\":");
  write_file(out, "earlier");
  r = run(analyzer + " report " + quote(dir.file("bad.heapsnapshot")) + " -o " + quote(out));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(one_line(r)) << r.err;
  EXPECT_NE(r.err.find("bad.heapsnapshot"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(out), "earlier");
  // No snapshots, both snapshots and --dir, no -o.
  r = run(analyzer + " report -o " + quote(out));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "analyzer: report needs snapshots or --dir DIR\n");
  r = run(analyzer + " report " + quote(dir.file("bad.heapsnapshot")) + " --dir " +
          quote(dir.path()) + " -o " + quote(out));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "analyzer: give snapshots or --dir, not both\n");
  r = run(analyzer + " report " + quote(dir.file("bad.heapsnapshot")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(one_line(r)) << r.err;
  // A directory with no snapshot.
  fs::create_directory(dir.file("empty"));
  r = run(analyzer + " report --dir " + quote(dir.file("empty")) + " -o " + quote(out));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no .heapsnapshot files"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(out), "earlier");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"bad.heapsnapshot", "empty", "report.html"}));

  // A good snapshot but an output directory that does not exist: exit 2, nothing anywhere.
  if (!have_node()) return;
  const std::string snapshot = scenario_run("leak-request-cache", 6) + "/00-baseline.heapsnapshot";
  r = run(analyzer + " report " + quote(snapshot) + " -o " +
          quote(dir.file("no-such-dir/report.html")));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "analyzer: cannot create " + dir.file("no-such-dir/report.html") +
                       ": No such file or directory\n");
  EXPECT_FALSE(fs::exists(dir.file("no-such-dir")));
}

TEST(ReportPage, HelpHasAnExample) {
  const RunResult r = run(quote(bin_path("analyzer")) + " report --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Example:\n  analyzer report app.heapsnapshot -o report.html"),
            std::string::npos)
      << r.out;
}

// ---------------------------------------------------------------------------------------------
// In a browser

std::string chromium() {
  const char* env = std::getenv("CHROMIUM");
  return env && *env ? env : "/usr/bin/chromium";
}

// Skips (or fails, when LIBSNAP_REQUIRE_BROWSER=1 as in tools/test) without Chromium and Node.
#define REQUIRE_BROWSER()                                                                  \
  do {                                                                                     \
    const char* required = std::getenv("LIBSNAP_REQUIRE_BROWSER");                         \
    const bool must = required && std::string(required) == "1";                            \
    if (!fs::exists(chromium()) || !have_node()) {                                         \
      if (must) FAIL() << "LIBSNAP_REQUIRE_BROWSER=1 but no " << chromium() << " or node"; \
      GTEST_SKIP() << "no Chromium at " << chromium() << " (tools/setup installs it)";     \
    }                                                                                      \
  } while (false)

struct Check {
  std::string name;
  std::string expr;  // JavaScript, true when the check passes
};

// Runs tests/browser/check_report.js on `html` and returns its JSON result; the screenshot is
// kept as <build>/test-artifacts/<artifact>.png.
RunResult check_in_browser(const std::string& html, const std::vector<Check>& checks,
                           const std::string& artifact) {
  const fs::path artifacts = fs::path(LIBSNAP_BINARY_DIR) / "test-artifacts";
  fs::create_directories(artifacts);
  TempDir dir;
  std::string json = "{\"timeout_ms\": 60000, \"screenshot\": " +
                     json_string((artifacts / (artifact + ".png")).string()) + ", \"checks\": [";
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (i) json += ",\n";
    json += "{\"name\": " + json_string(checks[i].name) +
            ", \"expr\": " + json_string(checks[i].expr) + "}";
  }
  json += "]}";
  write_file(dir.file("expect.json"), json);
  // `timeout` backs up the driver's own timer: a hung browser cannot hang the suite.
  RunResult r = run("timeout -k 5 90 node " + quote(source_path("tests/browser/check_report.js")) +
                    " " + quote(html) + " " + quote(dir.file("expect.json")));
  write_file((artifacts / (artifact + ".json")).string(), r.out);
  return r;
}

TEST(ReportBrowser, LeakReportShowsEveryView) {
  REQUIRE_BROWSER();
  const std::string& html = report_of("leak-request-cache", 6);
  const std::string dir = scenario_run("leak-request-cache", 6);
  const RunResult summary = run(quote(bin_path("analyzer")) + " summary " +
                                quote(dir + "/05-round-4.heapsnapshot") + " --json --top 1");
  const std::string top_class = json_field(summary.out, "name");
  ASSERT_FALSE(top_class.empty()) << summary.out;
  const RunResult growth =
      run(quote(bin_path("analyzer")) + " growth --dir " + quote(dir) + " --json");
  const std::string path_text = json_field(growth.out, "path_text");
  ASSERT_NE(path_text.find("requestCache"), std::string::npos) << growth.out;

  const RunResult r = check_in_browser(
      html,
      {
          {"the top class is first in the class table",
           "document.querySelector('#classes tbody tr td').textContent === \"" + top_class + "\""},
          {"the treemap is drawn", "document.querySelectorAll('#treemap rect.node').length >= 20"},
          {"the statistics chart is drawn",
           "document.querySelectorAll('#stats-chart rect').length >= 8"},
          {"one leak finding, about requestCache",
           "document.querySelectorAll('#findings .finding').length === 1 && "
           "document.querySelector('#findings .finding-title').textContent.includes("
           "'`requestCache` (Map @')"},
          {"the finding's path is shown",
           "document.querySelector('#findings .finding-path').textContent === \"" + path_text +
               "\""},
          {"the finding's series is shown",
           "document.querySelector('#findings').textContent.includes('0 → 200 → 400 → 600 → 800')"},
          {"retainer paths of the biggest objects",
           "document.querySelectorAll('#paths li.path').length === 20 && "
           "document.querySelectorAll('#paths li.path .step').length >= 20"},
          {"a click zooms in and shows retainers and edges",
           "(() => { const r = document.querySelector('#treemap rect.node'); const t = "
           "r.getAttribute('data-tree'); r.dispatchEvent(new MouseEvent('click', {bubbles: "
           "true})); const p = document.querySelector('#panel'); return "
           "p.querySelectorAll('li').length >= 2 && p.textContent.includes('Retainers (') && "
           "p.textContent.includes('Edges (') && "
           "document.querySelectorAll('#breadcrumb button').length >= 2 && t !== null; })()"},
          {"the trail zooms back out",
           "(() => { document.querySelector('#breadcrumb button').click(); return "
           "document.querySelectorAll('#breadcrumb button').length === 1; })()"},
          {"the class filter narrows the table",
           "(() => { const f = document.querySelector('#class-filter'); f.value = "
           "'RequestContext'; f.dispatchEvent(new Event('input')); const rows = "
           "document.querySelectorAll('#classes tbody tr'); return rows.length === 1 && "
           "rows[0].cells[0].textContent === 'RequestContext' && rows[0].cells[1].textContent "
           "=== '800'; })()"},
          {"a header click sorts by count",
           "(() => { const f = document.querySelector('#class-filter'); f.value = ''; "
           "f.dispatchEvent(new Event('input')); document.querySelector('#classes "
           "th[data-col=\"2\"]').click(); const c = [...document.querySelectorAll('#classes "
           "tbody tr:not(.others)')].slice(0, 50).map(r => "
           "Number(r.cells[1].textContent.replace(/,/g, ''))); return c.every((v, i) => i === 0 "
           "|| c[i - 1] >= v); })()"},
          {"growth charts across the series",
           "document.querySelectorAll('#totals-chart circle').length === 6 && "
           "document.querySelectorAll('#series-classes option:checked').length >= 1 && "
           "document.querySelectorAll('#classes-chart polyline').length >= 1"},
          {"the diff of first and last names RequestContext +800",
           "[...document.querySelectorAll('#diff tbody tr')].some(r => r.cells[0].textContent === "
           "'RequestContext' && r.cells[1].textContent === '800' && r.cells[3].textContent === "
           "'+800')"},
          {"another pair can be picked",
           "(() => { const b = document.querySelector('#diff-before'); b.value = '4'; "
           "b.dispatchEvent(new Event('change')); return [...document.querySelectorAll('#diff "
           "tbody tr')].some(r => r.cells[0].textContent === 'RequestContext' && "
           "r.cells[1].textContent === '200'); })()"},
      },
      "report-leak-request-cache");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"ok\":true"), std::string::npos) << r.out;
}

TEST(ReportBrowser, HostileStringsStayText) {
  REQUIRE_BROWSER();
  const std::string& html = report_of("hostile-strings", 5);
  // Visible text: the page without its script elements (whose text is the data itself).
  const std::string shown =
      "(() => { const c = document.body.cloneNode(true); c.querySelectorAll('script')"
      ".forEach(s => s.remove()); return c.textContent; })()";
  const RunResult r = check_in_browser(
      html,
      {
          {"no payload ran", "window.__pwned === undefined"},
          {"only the page's own two scripts", "document.scripts.length === 2"},
          {"no element a payload would make",
           "document.querySelectorAll('img, iframe, object, embed, b, foreignObject').length "
           "=== 0"},
          {"no link but the page's own anchors",
           "[...document.querySelectorAll('a')].every(a => /^#[a-z-]+$/.test(a.getAttribute("
           "'href')))"},
          {"no event handler attribute anywhere",
           "[...document.querySelectorAll('*')].every(e => [...e.attributes].every(a => "
           "!a.name.startsWith('on')))"},
          {"the script payload is a class name, as text",
           "[...document.querySelectorAll('#classes td')].some(t => t.textContent === "
           "'</script><script>window.__pwned=1</script>')"},
          {"quotes and the javascript: URL are class names, as text",
           "[...document.querySelectorAll('#classes td')].some(t => t.textContent === "
           "'Quote\"\\'`<b>') && [...document.querySelectorAll('#classes td')].some(t => "
           "t.textContent === 'javascript:window.__pwned=1')"},
          {"the bidi override is shown escaped, never raw",
           "[...document.querySelectorAll('#classes td')].some(t => t.textContent === "
           "'Invoice\\\\u202Eexe.txt') && !" +
               shown + ".includes('\\u202E') && !" + shown + ".includes('\\u2066')"},
          {"control characters are shown escaped",
           "[...document.querySelectorAll('#classes td')].some(t => "
           "t.textContent.startsWith('Ctl') && t.textContent.includes('\\\\u0007\\\\u001B[31m"
           "\\\\u2028')) && !/[\\u0000-\\u0008\\u001b\\u2028]/.test(" +
               shown + ")"},
          {"the leak finding and its hostile path are text",
           "document.querySelector('#findings .finding-path').textContent.includes("
           "'::store (Object @') && document.querySelector('#findings .finding-path')"
           ".textContent.includes('[\"</script><script>window.__pwned=1</script>\"] → Array @')"},
          {"the finding names the hostile classes",
           "document.querySelector('#findings').textContent.includes('+30 <img>') && "
           "document.querySelector('#findings').textContent.includes('+30 "
           "Invoice\\\\u202Eexe.txt')"},
          {"the page title is text", "document.title.startsWith('Heap report: ')"},
      },
      "report-hostile-strings");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("\"ok\":true"), std::string::npos) << r.out;
}

}  // namespace
