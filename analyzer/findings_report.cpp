// Text and JSON output shared by `analyzer leaks` and `analyzer growth`.
#include "findings_report.hpp"

#include "cli_support.hpp"
#include "json_writer.hpp"

namespace analyzer {
namespace {

std::string container_name(const libsnap::Finding& f) {
  std::string s;
  if (!f.container.path.empty()) s = "`" + f.container.path.back() + "` ";
  return s + "(" + f.container.class_name + " @" + std::to_string(f.container.id) + ")";
}

std::string signed_count(std::int64_t v) {
  if (v >= 0) return with_commas(static_cast<std::uint64_t>(v));
  std::string out(1, '-');  // (not `"-" + s`: GCC 12 -Wrestrict false positive)
  out += with_commas(static_cast<std::uint64_t>(-v));
  return out;
}

}  // namespace

std::string finding_sentence(const libsnap::Finding& f, const std::string& step_word) {
  std::string what;
  for (std::size_t i = 0; i < f.classes.size() && i < 3; ++i) {
    if (i) what += ", ";
    what += signed_count(f.classes[i].objects_per_step) + " " + f.classes[i].name;
  }
  std::string s;
  switch (f.kind) {
    case libsnap::FindingKind::kLeakGroup:
      s = container_name(f) + " holds " +
          with_commas(static_cast<std::uint64_t>(f.objects_per_step)) +
          " objects allocated between baseline and target and still alive in final (" + what +
          "), " + human_bytes(f.retained_bytes) + " retained";
      break;
    case libsnap::FindingKind::kUnboundedCollection:
      s = container_name(f) + " gains " + signed_count(f.objects_per_step) + " " + f.measure +
          " per " + step_word + (what.empty() ? "" : " (" + what + ")") + ", about " +
          human_bytes(static_cast<std::uint64_t>(std::max<std::int64_t>(0, f.bytes_per_step))) +
          " per " + step_word;
      break;
    case libsnap::FindingKind::kGrowingClass:
      s = "class " + (f.classes.empty() ? std::string("?") : f.classes.front().name) + " gains " +
          signed_count(f.objects_per_step) + " instances per " + step_word + ", about " +
          human_bytes(static_cast<std::uint64_t>(std::max<std::int64_t>(0, f.bytes_per_step))) +
          " per " + step_word + "; most new ones are held by " + container_name(f);
      break;
  }
  return s;
}

void write_findings_text(std::ostream& out, std::span<const libsnap::Finding> findings,
                         const std::string& step_word) {
  for (const libsnap::Finding& f : findings) {
    out << f.rank << ". " << finding_sentence(f, step_word) << "\n";
    out << "   kind:     " << libsnap::finding_kind_name(f.kind) << "\n";
    out << "   path:     " << f.container.path_text << "\n";
    if (!f.classes.empty()) {
      out << "   classes: ";
      for (std::size_t i = 0; i < f.classes.size() && i < 8; ++i)
        out << (i ? ", " : " ") << f.classes[i].name << " "
            << signed_count(f.classes[i].objects_per_step);
      out << (f.kind == libsnap::FindingKind::kLeakGroup ? "" : " per " + step_word) << "\n";
    }
    if (!f.series.empty()) {
      out << "   "
          << (f.kind == libsnap::FindingKind::kLeakGroup ? "fan-out:  " : f.measure + ": ");
      for (std::size_t i = 0; i < f.series.size(); ++i)
        out << (i ? " → " : "") << signed_count(f.series[i]);
      out << "\n";
    }
    out << "   retained: " << human_bytes(f.retained_bytes) << "\n";
  }
}

void write_findings_json(JsonWriter& j, std::span<const libsnap::Finding> findings) {
  j.key("findings").begin_array();
  for (const libsnap::Finding& f : findings) {
    j.begin_object().field("rank", f.rank).field("kind", libsnap::finding_kind_name(f.kind));
    j.key("container")
        .begin_object()
        .field("id", f.container.id)
        .field("class", f.container.class_name);
    j.key("path").begin_array();
    for (const std::string& p : f.container.path) j.value(p);
    j.end_array();
    j.field("path_text", f.container.path_text).end_object();
    j.key("classes").begin_array();
    for (const libsnap::ClassGrowth& c : f.classes) {
      j.begin_object()
          .field("name", c.name)
          .field("objects_per_step", c.objects_per_step)
          .field("bytes_per_step", c.bytes_per_step)
          .end_object();
    }
    j.end_array();
    j.field("measure", f.measure)
        .field("objects_per_step", f.objects_per_step)
        .field("bytes_per_step", f.bytes_per_step)
        .field("retained_bytes", f.retained_bytes);
    j.key("series").begin_array();
    for (const std::int64_t v : f.series) j.value(v);
    j.end_array();
    j.end_object();
  }
  j.end_array();
}

}  // namespace analyzer
