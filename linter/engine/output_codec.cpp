#include "linter/engine/output_codec.hpp"

namespace tagwarden {

std::string OutputEncoder::finish(const Retain& retained, const SourceManager& sources) {
  ByteWriter out;
  out.varint(table_.size());
  for (std::string_view t : table_) out.str(t);
  out.varint(files_.size());
  const Retain::Wanted nothing;
  std::string before;
  for (FileId id : files_) {
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
  out.raw(w.out());
  return std::move(out.out());
}

void keep_for_report(Retain& keep, const Finding& f, bool fix_diff) {
  keep.with_line(f.primary);
  keep.with_line(f.shared_entry);
  for (const auto& r : f.related) keep.position(r.span);
  for (const auto& fix : f.fixes) {
    for (const auto& e : fix.edits) {
      keep.position(e.span);
      if (fix_diff) keep.whole(e.span.file);
    }
  }
  if (f.suppression) keep.with_line(f.suppression->span);
}

bool read_output_tables(ByteReader& r, SourceManager& sources, std::vector<std::string>& table,
                        std::vector<FileId>& ids) {
  table.resize(r.count());
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
    if (!r.ok()) return false;
  }
  // The entry's checksum was checked when it was found (ResultCache::find): a malformed body
  // after this is a bug, which the caller reports.
  ids.clear();
  ids.reserve(files.size());
  for (const auto& k : files) ids.push_back(sources.restore(k));
  return true;
}

}  // namespace tagwarden
