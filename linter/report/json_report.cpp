// JSON, SARIF 2.1.0 and the `tags` listing, all through nlohmann/json (sorted keys, stable).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "linter/engine/thread_pool.hpp"
#include "linter/report/json_parts.hpp"
#include "linter/report/report.hpp"
#include "rules/rule.hpp"

namespace tagwarden {
namespace {

using nlohmann::json;
using ordered = nlohmann::ordered_json;

ordered position(const SourceManager& sm, const Span& s, const std::string& hint) {
  ordered j;
  j["file"] = span_path(sm, s, hint);
  if (s.valid() && s.has_range) {
    LineCol b = sm.begin_of(s), e = sm.end_of(s);
    j["line"] = b.line;
    j["column"] = b.column;
    j["end_line"] = e.line;
    j["end_column"] = e.column;
  } else {
    j["line"] = nullptr;
    j["column"] = nullptr;
  }
  return j;
}

std::string uri_encode(std::string_view path) {
  std::string o;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '/' || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      o += c;
    } else {
      o += fmt::format("%{:02X}", u);
    }
  }
  return o;
}

/// A SARIF artifactLocation: relative to the source root (uriBaseId %SRCROOT%) when the file is
/// under it, else an absolute file URI.
ordered artifact_location(const ReportInput& in, const Span& s, const std::string& hint) {
  std::string p = path_under_root(span_path(in.sources, s, hint), in.options, in.options.source_root);
  if (!p.empty() && p[0] == '/') return {{"uri", "file://" + uri_encode(p)}};
  return {{"uri", uri_encode(p)}, {"uriBaseId", "%SRCROOT%"}};
}

ordered sarif_location(const ReportInput& in, const Span& s, const std::string& hint) {
  ordered phys;
  phys["artifactLocation"] = artifact_location(in, s, hint);
  const SourceManager& sm = in.sources;
  if (s.valid() && s.has_range) {
    LineCol b = sm.begin_of(s), e = sm.end_of(s);
    ordered region;
    region["startLine"] = b.line;
    region["startColumn"] = b.column;
    if (e.line >= b.line && (e.line > b.line || e.column > b.column)) {
      region["endLine"] = e.line;
      region["endColumn"] = e.column;
    }
    phys["region"] = region;
  }
  return phys;
}

/// Text for an embedded SARIF link (§3.11.6): `[` and `]` are escaped with a backslash.
std::string link_text(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '[' || c == ']' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

std::string_view problem_severity(Level l) {
  // GitHub code scanning: properties.problem.severity is error, warning or recommendation.
  return l == Level::kError ? "error" : l == Level::kWarning ? "warning" : "recommendation";
}

/// Invalid UTF-8 (a stray byte in a tag key, a file name, a source line) is written as U+FFFD
/// instead of failing the whole report; the input error that names it is reported with it.
std::string dump(const ordered& root) { return root.dump(2, ' ', false, ordered::error_handler_t::replace) + "\n"; }

std::string_view suppression_kind(const SuppressionInfo& s) {
  return s.kind == SuppressionInfo::Kind::kInSource ? "inSource" : "external";
}

ordered sarif_region(const SourceManager& sm, const Span& s) {
  LineCol b = sm.begin_of(s), e = sm.end_of(s);
  return ordered{{"startLine", b.line}, {"startColumn", b.column}, {"endLine", e.line}, {"endColumn", e.column}};
}

/// Appends `s` as a JSON string, escaped as nlohmann's serializer escapes it (ensure_ascii off).
/// ASCII text is escaped here; any other byte sends the whole string to nlohmann, which also
/// decides how invalid UTF-8 is replaced.
void append_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    out += ordered(std::string(s)).dump(-1, ' ', false, ordered::error_handler_t::replace);
    return;
  }
  out.push_back('"');
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  auto escape = [&](std::size_t i, std::string_view with) {
    out.append(s, plain, i - plain);
    out += with;
    plain = i + 1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    switch (c) {
      case '"':
        escape(i, "\\\"");
        break;
      case '\\':
        escape(i, "\\\\");
        break;
      case '\b':
        escape(i, "\\b");
        break;
      case '\t':
        escape(i, "\\t");
        break;
      case '\n':
        escape(i, "\\n");
        break;
      case '\f':
        escape(i, "\\f");
        break;
      case '\r':
        escape(i, "\\r");
        break;
      default: {
        const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        escape(i, std::string_view(u, sizeof u));
      }
    }
  }
  out.append(s, plain, s.size() - plain);
  out.push_back('"');
}

/// JSON text in dump(2)'s layout (two-space indent, `"key": value`, `{}` and `[]` when empty),
/// `depth` spaces in, written member by member: a tree (append_json) or a finding straight from
/// its fields (append_finding_text). Objects and arrays are opened and closed in order; key()
/// and item() come before each member's or item's value.
class JsonText {
 public:
  JsonText(std::string& out, std::size_t depth) : out_(out), depth_(depth) {}

  JsonText& open(char bracket) {
    out_.push_back(bracket);
    filled_.push_back(false);
    return *this;
  }
  JsonText& close(char bracket) {
    const bool filled = filled_.back();
    filled_.pop_back();
    if (filled) {
      out_.push_back('\n');
      out_.append(depth_ + 2 * filled_.size(), ' ');
    }
    out_.push_back(bracket);
    return *this;
  }
  JsonText& key(std::string_view k) {
    next();
    append_string(out_, k);
    out_ += ": ";
    return *this;
  }
  JsonText& item() {
    next();
    return *this;
  }
  JsonText& string(std::string_view v) {
    append_string(out_, v);
    return *this;
  }
  JsonText& string_or_null(const std::string* v) {
    if (v == nullptr) return null();
    return string(*v);
  }
  JsonText& number(std::uint64_t v) {
    out_ += std::to_string(v);
    return *this;
  }
  JsonText& null() { return raw("null"); }
  /// A value's text as it is (a number, true, false).
  JsonText& raw(std::string_view text) {
    out_ += text;
    return *this;
  }

 private:
  void next() {
    out_ += filled_.back() ? ",\n" : "\n";
    filled_.back() = true;
    out_.append(depth_ + 2 * filled_.size(), ' ');
  }
  std::string& out_;
  std::size_t depth_;
  std::vector<bool> filled_;  ///< per open object or array: a member was written
};

/// Writes `v` as dump(2) lays it out: the items of a report are most of its text, and
/// nlohmann's serializer decodes every byte of every string as UTF-8 to escape it. Numbers other
/// than integers and anything unusual are left to nlohmann.
void append_json(JsonText& w, const ordered& v) {
  switch (v.type()) {
    case ordered::value_t::object:
      w.open('{');
      for (const auto& [key, value] : v.items()) append_json(w.key(key), value);
      w.close('}');
      return;
    case ordered::value_t::array:
      w.open('[');
      for (const auto& item : v) append_json(w.item(), item);
      w.close(']');
      return;
    case ordered::value_t::string:
      w.string(v.get_ref<const std::string&>());
      return;
    case ordered::value_t::boolean:
      w.raw(v.get<bool>() ? "true" : "false");
      return;
    case ordered::value_t::null:
      w.null();
      return;
    case ordered::value_t::number_integer:
      w.raw(std::to_string(v.get<std::int64_t>()));
      return;
    case ordered::value_t::number_unsigned:
      w.number(v.get<std::uint64_t>());
      return;
    default:  // floating-point numbers (nlohmann's shortest round-trip form), binary
      w.raw(v.dump(-1, ' ', false, ordered::error_handler_t::replace));
  }
}

/// position()'s members, into an object `w` has open.
void position_members(JsonText& w, const SourceManager& sm, const Span& s, const std::string& hint) {
  w.key("file").string(span_path(sm, s, hint));
  if (s.valid() && s.has_range) {
    LineCol b = sm.begin_of(s), e = sm.end_of(s);
    w.key("line").number(b.line);
    w.key("column").number(b.column);
    w.key("end_line").number(e.line);
    w.key("end_column").number(e.column);
  } else {
    w.key("line").null();
    w.key("column").null();
  }
}

}  // namespace

void append_finding_text(std::string& out, const SourceManager& sm, const Finding& f, bool with_root,
                         bool with_pipeline, std::size_t depth) {
  JsonText w(out, depth);
  w.open('{');
  w.key("rule_id").string(f.rule_id);
  const Rule* rule = find_rule(f.rule_id);
  w.key("rule").string(rule ? rule->name : std::string_view());
  w.key("level").string(level_name(f.level));
  w.key("message").string(f.message);
  if (with_root) w.key("root").string(f.root);
  w.key("address").string(f.address);
  w.key("tag_key").string_or_null(f.tag_key.empty() ? nullptr : &f.tag_key);
  if (with_pipeline) {
    w.key("tag_keys").open('[');
    for (const auto& k : f.tag_keys) w.item().string(k);
    w.close(']');
    w.key("value").string_or_null(f.value ? &*f.value : nullptr);
  }
  w.key("location").open('{');
  position_members(w, sm, f.primary, f.file_hint);
  w.close('}');
  w.key("related").open('[');
  for (const auto& r : f.related) {
    w.item().open('{');
    position_members(w, sm, r.span, {});
    w.key("message").string(r.message);
    w.close('}');
  }
  w.close(']');
  if (with_pipeline) {
    w.key("fixes").open('[');
    for (const auto& x : f.fixes) {
      w.item().open('{');
      w.key("description").string(x.description);
      w.key("edits").open('[');
      for (const auto& e : x.edits) {
        w.item().open('{');
        position_members(w, sm, e.span, {});
        w.key("replacement").string(e.replacement);
        w.close('}');
      }
      w.close(']');
      w.close('}');
    }
    w.close(']');
    w.key("fingerprint").string(f.fingerprint);
    if (f.suppression) {
      w.key("suppression").open('{');
      w.key("kind").string(suppression_kind(*f.suppression));
      w.key("justification").string(f.suppression->justification);
      if (f.suppression->span.valid()) {
        w.key("location").open('{');
        position_members(w, sm, f.suppression->span, {});
        w.close('}');
      }
      w.close('}');
    }
  }
  w.close('}');
}

/// dump(skeleton) written to `out` with each StreamedArray's items in its slot, laid out as
/// dump() would have laid them out. Slots must appear in the skeleton in the order given.
void dump_streamed(const ordered& skeleton, const std::vector<StreamedArray>& arrays, const ReportSink& out,
                   unsigned jobs) {
  // Items rendered per batch: enough to keep the threads busy, few enough that the report is
  // still written a piece at a time (memory stays flat however many findings there are).
  constexpr std::size_t kBatch = 2048;
  // A task renders a run of neighbouring items into a local string, moved into place at the
  // end: with one item per task, rendered in place, the threads took turns at neighbouring
  // strings whose headers share cache lines and change at every append.
  constexpr std::size_t kPerTask = 32;
  // Room for a task's items: findings take 1-3 KiB each in JSON and SARIF.
  constexpr std::size_t kTaskBuffer = std::size_t{96} << 10;
  const std::string text = dump(skeleton);
  std::string_view rest = text;
  std::vector<std::string> rendered;
  for (const auto& a : arrays) {
    std::size_t at = rest.find(a.slot);
    if (at == std::string_view::npos) continue;
    std::size_t end = at + a.slot.size();
    out(rest.substr(0, end - 1));  // up to the closing bracket
    rest.remove_prefix(end);
    if (a.count == 0) {
      out("]");
      continue;
    }
    // Items sit one level deeper than the key: the key's indent plus two spaces.
    const std::string pad(streamed_item_depth(a.slot), ' ');
    const std::size_t key_indent = pad.size() - 2;
    for (std::size_t first = 0; first < a.count; first += kBatch) {
      const std::size_t n = std::min(kBatch, a.count - first);
      const std::size_t tasks = (n + kPerTask - 1) / kPerTask;
      // The calling thread sizes the tasks' buffers (kept from batch to batch), so workers
      // rarely allocate: in a worker, the first request past 1 KiB made glibc sort out every
      // small block its arena kept from the units (malloc_consolidate), which took longer
      // than the rendering (the report at -j 2: 7.8 -> 4.6 ms over the monorepo's findings).
      if (rendered.size() < tasks) rendered.resize(tasks);
      for (std::size_t t = 0; t < tasks; ++t) {
        rendered[t].clear();
        rendered[t].reserve(kTaskBuffer);
      }
      parallel_for(tasks, jobs_for_tasks(jobs, n, kBatch / 4), [&](std::size_t t) {
        std::string chunk;
        chunk.swap(rendered[t]);
        const std::size_t last = first + std::min(n, (t + 1) * kPerTask);
        for (std::size_t i = first + t * kPerTask; i < last; ++i) {
          chunk += i == 0 ? "\n" : ",\n";
          chunk += pad;
          // Laid out at the item's depth: its lines come out indented as they sit in the whole
          // document, with no second pass over the text.
          if (a.render) {
            a.render(chunk, i, pad.size());
          } else {
            JsonText w(chunk, pad.size());
            append_json(w, a.item(i));
          }
        }
        rendered[t] = std::move(chunk);
      });
      for (std::size_t t = 0; t < tasks; ++t) out(rendered[t]);
    }
    std::string close("\n");
    close.append(key_indent, ' ');
    close += ']';
    out(close);
  }
  out(rest);
}

StreamedArray streamed_findings(std::string_view slot, const SourceManager& sm, const std::vector<Finding>& list,
                                bool with_root, bool with_pipeline) {
  return StreamedArray{slot,
                       list.size(),
                       {},
                       [&sm, &list, with_root, with_pipeline](std::string& text, std::size_t i, std::size_t depth) {
                         append_finding_text(text, sm, list[i], with_root, with_pipeline, depth);
                       }};
}

void write_json(const ReportInput& in, const ReportSink& out) {
  ordered root;
  std::vector<StreamedArray> arrays;
  root["findings"] = ordered::array();
  arrays.push_back(streamed_findings("\n  \"findings\": []", in.sources, in.findings, false, true));
  if (in.suppressed != nullptr) {
    root["suppressed"] = ordered::array();
    arrays.push_back(streamed_findings("\n  \"suppressed\": []", in.sources, *in.suppressed, false, true));
  }
  root["errors"] = ordered::array();
  for (const auto& e : in.errors) {
    ordered j = position(in.sources, e.span, e.file_hint);
    j["message"] = e.message;
    root["errors"].push_back(j);
  }
  std::map<std::string, int> counts{{"error", 0}, {"warning", 0}, {"note", 0}};
  for (const auto& f : in.findings) ++counts[std::string(level_name(f.level))];
  const RunSummary& s = in.summary;
  root["summary"] = {{"resources", s.resources_checked},
                     {"errors", counts["error"]},
                     {"warnings", counts["warning"]},
                     {"notes", counts["note"]},
                     {"input_errors", in.errors.size()},
                     {"suppressed_inline", s.suppressed_inline},
                     {"baseline_matched", s.baseline_matched},
                     {"baseline_unmatched",
                      s.baseline_used && s.baseline_unmatched_known ? ordered(s.baseline_unmatched) : ordered(nullptr)},
                     {"below_min_level", s.below_min_level}};
  root["summary"]["left_out"] = ordered::object();
  for (const auto& [reason, n] : s.left_out) root["summary"]["left_out"][reason] = n;
  dump_streamed(root, arrays, out, in.options.jobs);
}

std::string render_json(const ReportInput& in) {
  return collect([&](const ReportSink& out) { write_json(in, out); });
}

void write_sarif(const ReportInput& in, const ReportSink& out) {
  const ReportOptions& opt = in.options;
  ordered driver;
  driver["name"] = "tagwarden";
  driver["version"] = in.tool_version;
  driver["semanticVersion"] = in.tool_version;
  if (!opt.repository_url.empty()) driver["informationUri"] = opt.repository_url;
  driver["rules"] = ordered::array();
  std::map<std::string, std::size_t> index;
  for (const auto& rule : all_rules()) {
    std::string doc(rule_doc(rule));
    // fullDescription: the first paragraph after the title and level lines.
    std::string full;
    std::size_t pos = 0;
    while (pos < doc.size()) {
      std::size_t nl = doc.find("\n\n", pos);
      std::string para = doc.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      pos = nl == std::string::npos ? doc.size() : nl + 2;
      if (para.empty() || para[0] == '#' || para.rfind("**Default level", 0) == 0) continue;
      full = para;
      break;
    }
    for (auto& c : full) c = c == '\n' ? ' ' : c;
    ordered r;
    r["id"] = std::string(rule.id);
    r["name"] = std::string(rule.name);
    r["shortDescription"] = {{"text", std::string(rule.summary)}};
    r["fullDescription"] = {{"text", full.empty() ? std::string(rule.summary) : full}};
    if (!opt.repository_url.empty()) {
      r["helpUri"] = fmt::format("{}/blob/{}/rules/{}.md", opt.repository_url,
                                 opt.repository_ref.empty() ? "main" : opt.repository_ref, rule.name);
    }
    r["help"] = {{"text", doc}, {"markdown", doc}};
    r["defaultConfiguration"] = {{"level", std::string(level_name(rule.default_level))}};
    r["properties"] = {{"tags", {"tagging", "finops"}},
                       {"precision", std::string(rule.precision)},
                       {"problem.severity", std::string(problem_severity(rule.default_level))}};
    index[std::string(rule.id)] = driver["rules"].size();
    driver["rules"].push_back(r);
  }
  ordered run;
  run["tool"] = {{"driver", driver}};
  ordered notes = ordered::array();
  for (const auto& e : in.errors) {
    ordered n;
    n["level"] = "error";
    n["message"] = {{"text", e.message}};
    n["locations"] = ordered::array({{{"physicalLocation", sarif_location(in, e.span, e.file_hint)}}});
    notes.push_back(n);
  }

  // Results: most severe first. Notes beyond the threshold are left out (GitHub keeps only
  // the first 5,000 results of a run and rejects runs of more than 25,000), and so is anything
  // beyond 25,000; a notification says how many.
  constexpr std::size_t kMaxResults = 25000;
  std::vector<const Finding*> kept;
  std::size_t notes_kept = 0, notes_left = 0, others_left = 0;
  auto make_result = [&](const Finding& f) {
    ordered r;
    r["ruleId"] = f.rule_id;
    if (auto at = index.find(f.rule_id); at != index.end()) r["ruleIndex"] = at->second;
    r["level"] = std::string(level_name(f.level));
    std::string text = f.message;
    ordered rel = ordered::array();
    std::vector<std::string> links;
    for (const auto& x : f.related) {
      if (!x.span.valid()) continue;
      int id = static_cast<int>(rel.size()) + 1;
      rel.push_back(
          {{"id", id}, {"physicalLocation", sarif_location(in, x.span, {})}, {"message", {{"text", x.message}}}});
      links.push_back(fmt::format("[{}]({})", link_text(x.message.empty() ? "related location" : x.message), id));
    }
    // Related locations are linked from the message text (SARIF §3.11.6 embedded links), so
    // viewers such as code scanning show where an inherited tag came from.
    if (!links.empty()) text += fmt::format(" (see {})", fmt::join(links, ", "));
    r["message"] = {{"text", text}};
    ordered loc;
    loc["physicalLocation"] = sarif_location(in, f.primary, f.file_hint);
    if (!f.address.empty()) {
      loc["logicalLocations"] = ordered::array({{{"fullyQualifiedName", f.address}, {"kind", "resource"}}});
    }
    r["locations"] = ordered::array({loc});
    if (!rel.empty()) r["relatedLocations"] = rel;
    // The finding's identity (rule, root relative to the source root, address, keys, value;
    // never the line): the baseline's fingerprint (linter/engine/baseline.hpp).
    if (!f.fingerprint.empty()) r["partialFingerprints"] = {{"tagwardenFinding/v2", f.fingerprint}};
    if (!f.fixes.empty()) {
      ordered fixes = ordered::array();
      for (const auto& x : f.fixes) {
        std::map<std::string, ordered> by_file;  // artifactChanges, one per file
        for (const auto& e : x.edits) {
          ordered where = artifact_location(in, e.span, {});
          ordered& change = by_file[where["uri"].get<std::string>()];
          if (change.is_null()) {
            change["artifactLocation"] = where;
            change["replacements"] = ordered::array();
          }
          change["replacements"].push_back(
              {{"deletedRegion", sarif_region(in.sources, e.span)}, {"insertedContent", {{"text", e.replacement}}}});
        }
        ordered changes = ordered::array();
        for (auto& [_, c] : by_file) changes.push_back(std::move(c));
        fixes.push_back({{"description", {{"text", x.description}}}, {"artifactChanges", changes}});
      }
      r["fixes"] = fixes;
    }
    if (f.suppression) {
      r["suppressions"] = ordered::array({{{"kind", std::string(suppression_kind(*f.suppression))},
                                           {"status", "accepted"},
                                           {"justification", f.suppression->justification}}});
    }
    return r;
  };
  for (const Finding* fp : findings_by_priority(in, opt.source_root)) {
    const Finding& f = *fp;
    if (f.level == Level::kNote && notes_kept >= opt.max_sarif_notes) {
      ++notes_left;
      continue;
    }
    if (kept.size() >= kMaxResults) {
      ++(f.level == Level::kNote ? notes_left : others_left);
      continue;
    }
    if (f.level == Level::kNote) ++notes_kept;
    kept.push_back(fp);
  }
  // Suppressed findings (--include-suppressed) follow, with their `suppressions`.
  if (in.suppressed != nullptr) {
    for (const auto& f : *in.suppressed) {
      if (kept.size() < kMaxResults) kept.push_back(&f);
    }
  }
  if (notes_left > 0) {
    notes.push_back({{"level", "note"},
                     {"message",
                      {{"text", fmt::format("{} note{} left out of this report (at most {} notes are kept; "
                                            "--max-sarif-notes changes that)",
                                            notes_left, notes_left == 1 ? "" : "s", opt.max_sarif_notes)}}}});
  }
  if (others_left > 0) {
    notes.push_back({{"level", "warning"},
                     {"message",
                      {{"text", fmt::format("{} error and warning findings left out: GitHub code scanning "
                                            "rejects runs of more than {} results",
                                            others_left, kMaxResults)}}}});
  }
  ordered invocation{{"executionSuccessful", in.errors.empty()}, {"toolExecutionNotifications", notes}};
  // The summary's counts of what was not reported (SARIF property bag), and resources
  // deliberately not checked, per reason.
  invocation["properties"] = {{"suppressedInline", in.summary.suppressed_inline},
                              {"baselineMatched", in.summary.baseline_matched},
                              {"belowMinLevel", in.summary.below_min_level}};
  if (in.summary.baseline_used && in.summary.baseline_unmatched_known)
    invocation["properties"]["baselineUnmatched"] = in.summary.baseline_unmatched;
  if (!in.summary.left_out.empty()) {
    ordered left_out = ordered::object();
    for (const auto& [reason, n] : in.summary.left_out) left_out[reason] = n;
    invocation["properties"]["leftOut"] = left_out;
  }
  run["invocations"] = ordered::array({invocation});
  run["originalUriBaseIds"] = {
      {"%SRCROOT%",
       {{"description", {{"text", "The source root (--source-root; by default the top of the git repository)"}}}}}};
  run["automationDetails"] = {{"id", opt.automation_id}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = ordered::array();  // written one at a time (dump_streamed)
  ordered root;
  root["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  root["version"] = "2.1.0";
  root["runs"] = ordered::array({std::move(run)});
  dump_streamed(root,
                {{"\n      \"results\": []", kept.size(), [&](std::size_t i) { return make_result(*kept[i]); }, {}}},
                out, opt.jobs);
}

std::string render_sarif(const ReportInput& in) {
  return collect([&](const ReportSink& out) { write_sarif(in, out); });
}

namespace {

/// Where the listing's resources sit: rendered ahead at the depth dump_streamed lays them out at.
constexpr std::string_view kTagsResourcesSlot = "\n  \"resources\": []";
constexpr std::size_t kTagsResourceDepth = streamed_item_depth(kTagsResourcesSlot);
static_assert(kTagsResourceDepth == 4, "a top-level array's items sit four spaces in");

}  // namespace

void append_tags_resource_json(std::string& out, const SourceManager& sm, const Resource& r) {
  ordered j;
  j["address"] = r.address;
  j["type"] = r.type;
  j["format"] = r.format;
  ordered pos = position(sm, r.span, r.file_hint);
  j["file"] = pos["file"];
  j["line"] = pos["line"];
  j["taggable"] = r.taggable == Taggable::kYes  ? ordered(true)
                  : r.taggable == Taggable::kNo ? ordered(false)
                                                : ordered("unknown");
  if (!r.expanded) j["expanded"] = false;
  if (!r.cdk_path.empty()) j["cdk_path"] = r.cdk_path;
  auto tagset = [&](const TagSet& ts) {
    ordered t = ordered::object();
    for (const auto& e : ts.entries) {
      ordered v;
      v["value"] = e.value ? ordered(*e.value) : ordered(nullptr);
      v["known"] = e.value.has_value();
      if (!e.value && !e.unknown_reason.empty()) v["unknown_reason"] = e.unknown_reason;
      v["origin"] = origin_kind_name(e.origin.kind);
      if (!e.origin.detail.empty()) v["origin_detail"] = e.origin.detail;
      ordered p = position(sm, e.key_span.valid() ? e.key_span : e.origin.span, {});
      v["file"] = p["file"];
      v["line"] = p["line"];
      if (!e.trail.empty()) {
        v["via"] = ordered::array();
        for (const auto& x : e.trail) {
          ordered q = position(sm, x.span, {});
          v["via"].push_back({{"file", q["file"]}, {"line", q["line"]}, {"message", x.message}});
        }
      }
      // Duplicate keys (CloudFormation lists) are kept: later ones get a numbered suffix.
      std::string k = e.key;
      for (int n = 2; t.contains(k); ++n) k = fmt::format("{}#{}", e.key, n);
      t[k] = v;
    }
    return t;
  };
  const TagSet empty;
  const TagSet& first = r.variants.empty() ? empty : r.variants.front();
  j["keys_known"] = first.keys_known;
  if (!first.keys_known && !first.keys_unknown_reason.empty()) j["keys_unknown_reason"] = first.keys_unknown_reason;
  j["tags"] = tagset(first);
  if (r.variants.size() > 1 || !first.condition.empty()) {
    j["variants"] = ordered::array();
    for (const auto& v : r.variants) {
      ordered vj;
      vj["condition"] = v.condition;
      vj["keys_known"] = v.keys_known;
      vj["tags"] = tagset(v);
      j["variants"].push_back(vj);
    }
  }
  JsonText w(out, kTagsResourceDepth);
  append_json(w, j);
}

void write_tags_json(const std::vector<std::string>& resources, const SourceManager& sm,
                     const std::vector<Error>& errors, const ReportSink& out) {
  ordered root;
  root["resources"] = ordered::array();
  root["errors"] = ordered::array();
  for (const auto& e : errors) {
    ordered j = position(sm, e.span, e.file_hint);
    j["message"] = e.message;
    root["errors"].push_back(j);
  }
  StreamedArray listing{
      kTagsResourcesSlot, resources.size(), {}, [&](std::string& text, std::size_t i, std::size_t depth) {
        // Rendered ahead, at the depth the slot gives its items.
        if (depth != kTagsResourceDepth) throw std::logic_error("tags listing laid out at another depth");
        text += resources[i];
      }};
  dump_streamed(root, {listing}, out);
}

void append_tags_resource_text(std::string& out, const SourceManager& sm, const Resource& r) {
  out += fmt::format("{} ({}) {}{}{}\n", r.address, r.type, location_string(sm, r.span, r.file_hint),
                     r.taggable == Taggable::kNo        ? " [not taggable]"
                     : r.taggable == Taggable::kUnknown ? " [taggability unknown]"
                                                        : "",
                     r.expanded ? "" : " [not expanded]");
  for (const auto& v : r.variants) {
    if (!v.condition.empty()) out += fmt::format("  when {}:\n", v.condition);
    std::string ind = v.condition.empty() ? "  " : "    ";
    for (const auto& e : v.entries) {
      std::string val = e.value ? fmt::format("\"{}\"", *e.value) : fmt::format("(unknown: {})", e.unknown_reason);
      std::string origin = origin_kind_name(e.origin.kind);
      if (!e.origin.detail.empty()) origin += ": " + e.origin.detail;
      out += fmt::format("{}{} = {}  [{}, {}]\n", ind, e.key, val, origin, location_string(sm, e.key_span, {}));
    }
    if (!v.keys_known) out += fmt::format("{}... more keys may exist: {}\n", ind, v.keys_unknown_reason);
  }
}

void write_tags_text(const std::vector<std::string>& resources, const SourceManager& sm,
                     const std::vector<Error>& errors, const ReportSink& out) {
  for (const auto& e : errors) out(fmt::format("{}: error: {}\n", location_string(sm, e.span, e.file_hint), e.message));
  for (const auto& r : resources) out(r);
}

}  // namespace tagwarden
