#include "linter/engine/unit_output.hpp"

#include <unordered_map>

#include "linter/source/result_cache.hpp"

namespace tagwarden {

namespace {

/// Writes a unit's output; spans name files by their place in a table of the files written,
/// which goes first with what the report needs of each.
class Encoder {
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
  void block(const ResourceBlock& b) {
    file(b.file);
    str(b.file_hint);
    const ResourceOutline& o = b.outline;
    str(o.root);
    str(o.address);
    span(o.span);
    span(o.body_span);
    w.varint(o.suppressions.size());
    for (const auto& s : o.suppressions) suppression(s);
    w.boolean(o.layer.has_value());
    if (o.layer) {
      w.u8(static_cast<std::uint8_t>(o.layer->kind));
      str(o.layer->detail);
      span(o.layer->span);
      w.boolean(o.layer->has_tags);
    }
    w.varint(b.rules.size());
    for (const auto& rules : b.rules) {
      w.varint(rules.findings.size());
      for (const auto& f : rules.findings) finding(f);
      w.varint(rules.run_facts.resources.size());
      for (const auto& r : rules.run_facts.resources) {
        str(r.address);
        str(r.root);
        str(r.file_hint);
      }
      w.varint(rules.run_facts.tag_values.size());
      for (const auto& t : rules.run_facts.tag_values) {
        str(t.key);
        str(t.value);
        w.varint(t.resource);
        span(t.primary);
        span(t.shared_entry);
        str(t.shared_owner);
        related(t.related);
        str(t.assumes);
      }
    }
  }

  const std::vector<FileId>& files() const { return files_; }
  const std::vector<std::string_view>& table() const { return table_; }

 private:
  std::unordered_map<std::string_view, std::size_t> strings_;
  std::vector<std::string_view> table_;
  std::unordered_map<FileId, std::size_t> index_;
  std::vector<FileId> files_;
};

/// Reads what Encoder wrote, after the file and string tables (`ids`: the table's files as
/// registered).
class Decoder {
 public:
  Decoder(ByteReader& in, const std::vector<FileId>& ids, const std::vector<std::string>& table)
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
  ResourceBlock block() {
    ResourceBlock b;
    b.file = file();
    b.file_hint = str();
    ResourceOutline& o = b.outline;
    o.root = str();
    o.address = str();
    o.span = span();
    o.body_span = span();
    o.suppressions.resize(r.count());
    for (auto& s : o.suppressions) s = suppression();
    if (r.boolean()) {
      InheritedLayer layer;
      layer.kind = enumerator(OriginKind::kPlan);
      layer.detail = str();
      layer.span = span();
      layer.has_tags = r.boolean();
      o.layer = std::move(layer);
    }
    b.rules.resize(r.count());
    for (auto& rules : b.rules) {
      rules.findings.resize(r.count());
      for (auto& f : rules.findings) f = finding();
      rules.run_facts.resources.resize(r.count());
      for (auto& x : rules.run_facts.resources) {
        x.address = str();
        x.root = str();
        x.file_hint = str();
      }
      rules.run_facts.tag_values.resize(r.count());
      for (auto& t : rules.run_facts.tag_values) {
        t.key = str();
        t.value = str();
        t.resource = r.number<std::uint32_t>();
        t.primary = span();
        t.shared_entry = span();
        t.shared_owner = str();
        t.related = related();
        t.assumes = str();
      }
    }
    return b;
  }

 private:
  const std::vector<FileId>& ids_;
  const std::vector<std::string>& table_;
};

}  // namespace

std::string encode_unit_output(const UnitOutput& u, const Retain& retained, const SourceManager& sources) {
  Encoder body;
  body.w.varint(u.resources.size());
  for (const auto& b : u.resources) body.block(b);
  body.w.varint(u.errors.size());
  for (const auto& e : u.errors) body.error(e);
  body.w.varint(u.facts.size());
  for (const auto& f : u.facts) body.fact(f);
  body.w.varint(u.suppressions.size());
  for (const auto& s : u.suppressions) body.suppression(s);
  body.w.varint(u.resources_checked);
  body.w.varint(u.beyond_policy_types.size());
  for (const auto& [type, n] : u.beyond_policy_types) {
    body.str(type);
    body.w.varint(n);
  }

  // The string table, then the file table: every file a span names, with what the report
  // needs of it.
  ByteWriter out;
  out.varint(body.table().size());
  for (std::string_view t : body.table()) out.str(t);
  out.varint(body.files().size());
  const Retain::Wanted nothing;
  std::string before;
  for (FileId id : body.files()) {
    auto it = retained.files().find(id);
    KeptFile k = sources.kept(id, it != retained.files().end() ? it->second : nothing);
    out.path(k.path, before);
    out.boolean(k.loaded);
    out.varint(k.positions.size());
    for (const auto& [offset, lc] : k.positions) {
      out.varint(offset);
      out.varint(lc.line);
      out.varint(lc.column);
    }
    out.varint(k.lines.size());
    for (const auto& [line, text] : k.lines) {
      out.varint(line);
      out.str(text);
    }
    out.boolean(k.whole.has_value());
    if (k.whole) out.str(*k.whole);
  }
  out.raw(body.w.out());
  return std::move(out.out());
}

std::optional<UnitOutput> decode_unit_output(std::string_view bytes, std::size_t contexts, SourceManager& sources) {
  ByteReader r(bytes);
  std::vector<std::string> table(r.count());
  for (auto& t : table) t = r.str();
  std::vector<KeptFile> files(r.count());
  std::string before;
  for (auto& k : files) {
    k.path = r.path(before);
    k.loaded = r.boolean();
    k.positions.resize(r.count());
    for (auto& [offset, lc] : k.positions) {
      offset = r.number<std::uint32_t>();
      lc.line = r.number<std::uint32_t>();
      lc.column = r.number<std::uint32_t>();
    }
    k.lines.resize(r.count());
    for (auto& [line, text] : k.lines) {
      line = r.number<std::uint32_t>();
      text = r.str();
    }
    if (r.boolean()) k.whole = r.str();
    if (!r.ok()) return std::nullopt;
  }
  // The entry's digest was checked when it was found (ResultCache::find): a malformed body
  // here is a bug, which the caller reports.
  std::vector<FileId> ids;
  ids.reserve(files.size());
  for (const auto& k : files) ids.push_back(sources.restore(k));
  ByteReader& br = r;
  Decoder d(br, ids, table);
  UnitOutput u;
  u.resources.resize(br.count());
  for (auto& b : u.resources) {
    b = d.block();
    if (b.rules.size() != contexts) br.fail();
    if (!br.ok()) return std::nullopt;
  }
  u.errors.resize(br.count());
  for (auto& e : u.errors) e = d.error();
  u.facts.resize(br.count());
  for (auto& f : u.facts) f = d.fact();
  u.suppressions.resize(br.count());
  for (auto& s : u.suppressions) s = d.suppression();
  u.resources_checked = br.number<std::size_t>();
  for (std::size_t n = br.count(); n > 0 && br.ok(); --n) {
    std::string type = d.str();
    u.beyond_policy_types[type] = br.number<std::size_t>();
  }
  if (!br.ok() || !br.at_end()) return std::nullopt;
  return u;
}

}  // namespace tagwarden
