#include "linter/engine/unit_output.hpp"

#include "linter/engine/output_codec.hpp"

namespace tagwarden {

namespace {

void write_block(OutputEncoder& e, const ResourceBlock& b) {
  e.file(b.file);
  e.str(b.file_hint);
  const ResourceOutline& o = b.outline;
  e.str(o.root);
  e.str(o.address);
  e.span(o.span);
  e.span(o.body_span);
  e.w.varint(o.suppressions.size());
  for (const auto& s : o.suppressions) e.suppression(s);
  e.w.boolean(o.layer.has_value());
  if (o.layer) {
    e.w.u8(static_cast<std::uint8_t>(o.layer->kind));
    e.str(o.layer->detail);
    e.span(o.layer->span);
    e.w.boolean(o.layer->has_tags);
  }
  e.w.varint(b.rules.size());
  for (const auto& rules : b.rules) {
    e.w.varint(rules.findings.size());
    for (const auto& f : rules.findings) e.finding(f);
    e.w.varint(rules.run_facts.resources.size());
    for (const auto& r : rules.run_facts.resources) {
      e.str(r.address);
      e.str(r.root);
      e.str(r.file_hint);
    }
    e.w.varint(rules.run_facts.tag_values.size());
    for (const auto& t : rules.run_facts.tag_values) {
      e.str(t.key);
      e.str(t.value);
      e.w.varint(t.resource);
      e.span(t.primary);
      e.span(t.shared_entry);
      e.str(t.shared_owner);
      e.related(t.related);
      e.str(t.assumes);
    }
  }
}

ResourceBlock read_block(OutputDecoder& d) {
  ResourceBlock b;
  b.file = d.file();
  b.file_hint = d.str();
  ResourceOutline& o = b.outline;
  o.root = d.str();
  o.address = d.str();
  o.span = d.span();
  o.body_span = d.span();
  o.suppressions.resize(d.r.count());
  for (auto& s : o.suppressions) s = d.suppression();
  if (d.r.boolean()) {
    InheritedLayer layer;
    layer.kind = d.enumerator(OriginKind::kPlan);
    layer.detail = d.str();
    layer.span = d.span();
    layer.has_tags = d.r.boolean();
    o.layer = std::move(layer);
  }
  b.rules.resize(d.r.count());
  for (auto& rules : b.rules) {
    rules.findings.resize(d.r.count());
    for (auto& f : rules.findings) f = d.finding();
    rules.run_facts.resources.resize(d.r.count());
    for (auto& x : rules.run_facts.resources) {
      x.address = d.str();
      x.root = d.str();
      x.file_hint = d.str();
    }
    rules.run_facts.tag_values.resize(d.r.count());
    for (auto& t : rules.run_facts.tag_values) {
      t.key = d.str();
      t.value = d.str();
      t.resource = d.r.number<std::uint32_t>();
      t.primary = d.span();
      t.shared_entry = d.span();
      t.shared_owner = d.str();
      t.related = d.related();
      t.assumes = d.str();
    }
  }
  return b;
}

}  // namespace

std::string encode_unit_output(const UnitOutput& u, const Retain& retained, const SourceManager& sources) {
  OutputEncoder body;
  body.w.varint(u.resources.size());
  for (const auto& b : u.resources) write_block(body, b);
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
  body.w.varint(u.dropped.size());
  for (const auto& id : u.dropped) body.w.str(id);
  return body.finish(retained, sources);
}

std::optional<UnitOutput> decode_unit_output(std::string_view bytes, std::size_t contexts, SourceManager& sources) {
  ByteReader r(bytes);
  std::vector<std::string> table;
  std::vector<FileId> ids;
  if (!read_output_tables(r, sources, table, ids)) return std::nullopt;
  OutputDecoder d(r, ids, table);
  UnitOutput u;
  u.resources.resize(r.count());
  for (auto& b : u.resources) {
    b = read_block(d);
    if (b.rules.size() != contexts) r.fail();
    if (!r.ok()) return std::nullopt;
  }
  u.errors.resize(r.count());
  for (auto& e : u.errors) e = d.error();
  u.facts.resize(r.count());
  for (auto& f : u.facts) f = d.fact();
  u.suppressions.resize(r.count());
  for (auto& s : u.suppressions) s = d.suppression();
  u.resources_checked = r.number<std::size_t>();
  for (std::size_t n = r.count(); n > 0 && r.ok(); --n) {
    std::string type = d.str();
    u.beyond_policy_types[type] = r.number<std::size_t>();
  }
  u.dropped.resize(r.count());
  for (auto& id : u.dropped) id = r.str();
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return u;
}

}  // namespace tagwarden
