// The binary encoding of what a run keeps for its report (findings, errors, facts,
// suppressions, with what the report needs of the files they point into), shared by the result
// cache's unit entries (unit_output.hpp) and whole-run entries (check_cache.hpp).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/engine/findings_pipeline.hpp"
#include "linter/source/result_cache.hpp"
#include "linter/source/source_manager.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

/// Writes what a run keeps of a unit (unit_output.hpp) or of a whole check (check_cache.hpp):
/// spans name files by their place in a table of the files written, which finish() puts first
/// with what the report needs of each.
class OutputEncoder {
 public:
  ByteWriter w;

  /// Strings are written once per entry and named by number after that (a unit repeats its
  /// root, file paths and messages across findings).
  void str(std::string_view s) {
    if (s.empty()) {
      w.varint(0);
      return;
    }
    auto [it, fresh] = strings_.emplace(s, table_.size());
    if (fresh) table_.push_back(s);
    w.varint(it->second + 1);
  }
  void span(const Span& s) {
    file(s.file);
    w.varint(s.begin);
    w.varint(s.end);
    w.boolean(s.has_range);
  }
  void file(FileId id) {
    if (id == kNoFile) {
      w.varint(0);
      return;
    }
    auto [it, fresh] = index_.emplace(id, files_.size());
    if (fresh) files_.push_back(id);
    w.varint(it->second + 1);
  }
  void strings(const std::vector<std::string>& v) {
    w.varint(v.size());
    for (const auto& s : v) str(s);
  }
  void optional(const std::optional<std::string>& v) {
    w.boolean(v.has_value());
    if (v) str(*v);
  }
  void related(const std::vector<Related>& v) {
    w.varint(v.size());
    for (const auto& r : v) {
      span(r.span);
      str(r.message);
    }
  }
  void finding(const Finding& f) {
    str(f.rule_id);
    w.u8(static_cast<std::uint8_t>(f.level));
    str(f.message);
    span(f.primary);
    str(f.file_hint);
    str(f.address);
    str(f.root);
    str(f.tag_key);
    strings(f.tag_keys);
    strings(f.key_notes);
    str(f.schema_key);
    optional(f.value);
    related(f.related);
    w.varint(f.fixes.size());
    for (const auto& fix : f.fixes) {
      str(fix.description);
      w.varint(fix.edits.size());
      for (const auto& e : fix.edits) {
        span(e.span);
        str(e.expected);
        str(e.replacement);
      }
    }
    span(f.shared_entry);
    str(f.shared_owner);
    w.boolean(f.suppression.has_value());
    if (f.suppression) {
      w.u8(static_cast<std::uint8_t>(f.suppression->kind));
      str(f.suppression->justification);
      span(f.suppression->span);
    }
    str(f.fingerprint);
  }
  void error(const Error& e) {
    span(e.span);
    str(e.file_hint);
    str(e.message);
    w.boolean(e.internal);
  }
  void fact(const Fact& f) {
    w.u8(static_cast<std::uint8_t>(f.kind));
    span(f.span);
    str(f.address);
    str(f.subject);
    str(f.reason);
    str(f.root);
  }
  void suppression(const Suppression& s) {
    w.u8(static_cast<std::uint8_t>(s.scope));
    span(s.span);
    w.varint(s.rules.size());
    for (const auto& r : s.rules) {
      str(r.name);
      span(r.span);
    }
    str(s.reason);
    str(s.until);
    span(s.until_span);
    str(s.problem);
  }
  const std::vector<FileId>& files() const { return files_; }
  const std::vector<std::string_view>& table() const { return table_; }

  /// The string table, then the file table (every file a span names, with what `retained`
  /// says the report needs of it, read from `sources`), then what was written.
  std::string finish(const Retain& retained, const SourceManager& sources);

 private:
  std::unordered_map<std::string_view, std::size_t> strings_;
  std::vector<std::string_view> table_;
  std::unordered_map<FileId, std::size_t> index_;
  std::vector<FileId> files_;
};

/// Adds to `keep` what a report of finding `f` needs of the files it points into: the line of
/// its primary span and shared entry (a grouped finding is shown there) and of its suppression,
/// positions of related spans and fix edits, and with `fix_diff` (a --fix diff) the whole text of
/// files a fix edits.
void keep_for_report(Retain& keep, const Finding& f, bool fix_diff);

/// Reads the tables OutputEncoder::finish wrote, registering the files with `sources`
/// (SourceManager::restore); false when they are malformed. `r` is left at what was written.
bool read_output_tables(ByteReader& r, SourceManager& sources, std::vector<std::string>& table,
                        std::vector<FileId>& ids);

/// Reads what OutputEncoder wrote, after the file and string tables (read_output_tables; `ids`:
/// the table's files as registered).
class OutputDecoder {
 public:
  OutputDecoder(ByteReader& in, const std::vector<FileId>& ids, const std::vector<std::string>& table)
      : r(in), ids_(ids), table_(table) {}
  ByteReader& r;

  std::string str() {
    std::size_t i = r.number<std::size_t>();
    if (i == 0) return {};
    if (i > table_.size()) {
      r.fail();
      return {};
    }
    return table_[i - 1];
  }

  Span span() {
    Span s;
    s.file = file();
    s.begin = r.number<std::uint32_t>();
    s.end = r.number<std::uint32_t>();
    s.has_range = r.boolean();
    return s;
  }
  FileId file() {
    std::size_t i = r.number<std::size_t>();
    if (i == 0) return kNoFile;
    if (i > ids_.size()) {
      r.fail();
      return kNoFile;
    }
    return ids_[i - 1];
  }
  template <class E>
  E enumerator(E last) {
    std::uint8_t v = r.u8();
    if (v > static_cast<std::uint8_t>(last)) r.fail();
    return r.ok() ? static_cast<E>(v) : E{};
  }
  std::vector<std::string> strings() {
    std::vector<std::string> v(r.count());
    for (auto& s : v) s = str();
    return v;
  }
  std::optional<std::string> optional() {
    if (!r.boolean()) return std::nullopt;
    return str();
  }
  std::vector<Related> related() {
    std::vector<Related> v(r.count());
    for (auto& x : v) {
      x.span = span();
      x.message = str();
    }
    return v;
  }
  Finding finding() {
    Finding f;
    f.rule_id = str();
    f.level = enumerator(Level::kNone);
    f.message = str();
    f.primary = span();
    f.file_hint = str();
    f.address = str();
    f.root = str();
    f.tag_key = str();
    f.tag_keys = strings();
    f.key_notes = strings();
    f.schema_key = str();
    f.value = optional();
    f.related = related();
    f.fixes.resize(r.count());
    for (auto& fix : f.fixes) {
      fix.description = str();
      fix.edits.resize(r.count());
      for (auto& e : fix.edits) {
        e.span = span();
        e.expected = str();
        e.replacement = str();
      }
    }
    f.shared_entry = span();
    f.shared_owner = str();
    if (r.boolean()) {
      SuppressionInfo s;
      s.kind = enumerator(SuppressionInfo::Kind::kExternal);
      s.justification = str();
      s.span = span();
      f.suppression = std::move(s);
    }
    f.fingerprint = str();
    return f;
  }
  Error error() {
    Error e;
    e.span = span();
    e.file_hint = str();
    e.message = str();
    e.internal = r.boolean();
    return e;
  }
  Fact fact() {
    Fact f;
    f.kind = enumerator(Fact::Kind::kModuleCall);
    f.span = span();
    f.address = str();
    f.subject = str();
    f.reason = str();
    f.root = str();
    return f;
  }
  Suppression suppression() {
    Suppression s;
    s.scope = enumerator(Suppression::Scope::kFile);
    s.span = span();
    s.rules.resize(r.count());
    for (auto& rule : s.rules) {
      rule.name = str();
      rule.span = span();
    }
    s.reason = str();
    s.until = str();
    s.until_span = span();
    s.problem = str();
    return s;
  }

 private:
  const std::vector<FileId>& ids_;
  const std::vector<std::string>& table_;
};

}  // namespace tagwarden
