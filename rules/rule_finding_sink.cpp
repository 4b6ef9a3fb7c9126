// How findings are placed: STYLE.md section 3 (primary location at the tag entry when it is
// written inside the resource, else at the tags attribute or header, with where the tag came
// from as related locations).
#include <fmt/format.h>

#include "rules/rule.hpp"

namespace tagwarden {
namespace {

std::string origin_note(const TagEntry& e) {
  switch (e.origin.kind) {
    case OriginKind::kProviderDefaultTags:
      return fmt::format("`{}` is inherited from {} default_tags", e.key, e.origin.detail.empty() ? "provider" : e.origin.detail);
    case OriginKind::kEnvironment:
      return fmt::format("`{}` comes from the environment ({})", e.key, e.origin.detail);
    case OriginKind::kStackTag:
      return fmt::format("`{}` is a stack tag ({})", e.key, e.origin.detail);
    case OriginKind::kSamGlobals:
      return fmt::format("`{}` comes from SAM Globals", e.key);
    case OriginKind::kFramework:
      return fmt::format("`{}` is added by {}", e.key, e.origin.detail.empty() ? "the framework" : e.origin.detail);
    case OriginKind::kPlan:
      return fmt::format("`{}` is set in the plan", e.key);
    case OriginKind::kResource:
      break;
  }
  return fmt::format("`{}` is set here", e.key);
}

}  // namespace

void FindingSink::at(const Resource& r, const TagEntry* entry, std::string message, std::string key,
                     std::vector<Related> extra) {
  Finding f;
  f.rule_id = std::string(rule_id_);
  f.level = level_;
  f.message = std::move(message);
  f.address = r.address;
  f.tag_key = entry ? entry->key : std::move(key);
  // The tags attribute when it is in the resource's own file; a resource located in other
  // source (a CDK construct's line in the user's code) keeps that location, so a pull-request
  // annotation lands where the resource was created.
  bool tags_here = r.tags_span.valid() && (!r.span.valid() || r.tags_span.file == r.span.file);
  Span fallback = tags_here ? r.tags_span : (r.span.valid() ? r.span : r.tags_span);
  // Inside the resource: its body span when the format gives one; otherwise (CloudFormation)
  // the resource's own tags in the same file.
  bool inside = entry && (r.body_span.valid() ? span_contains(r.body_span, entry->key_span)
                                              : entry->origin.kind == OriginKind::kResource && entry->key_span.valid() &&
                                                    entry->key_span.file == r.span.file);
  if (inside) {
    f.primary = entry->key_span;
  } else {
    f.primary = fallback;
    if (entry && entry->key_span.valid()) f.related.push_back(Related{entry->key_span, origin_note(*entry)});
    if (entry && entry->origin.kind != OriginKind::kResource && entry->origin.span.valid() &&
        entry->origin.span != entry->key_span) {
      f.related.push_back(Related{entry->origin.span, origin_note(*entry)});
    }
  }
  if (!f.primary.valid()) f.file_hint = r.file_hint;
  // A finding about a value a deploy may change says what it assumed.
  if (entry && !entry->assumed.empty()) f.message += fmt::format(" (this assumes {})", entry->assumed);
  if (entry) {
    for (const auto& t : entry->trail) f.related.push_back(t);
  }
  for (auto& rel : extra) f.related.push_back(std::move(rel));
  for (const auto& rel : r.related) f.related.push_back(rel);
  out_.push_back(std::move(f));
}

void FindingSink::at_span(Span span, std::string address, std::string message, std::vector<Related> related) {
  Finding f;
  f.rule_id = std::string(rule_id_);
  f.level = level_;
  f.message = std::move(message);
  f.address = std::move(address);
  f.primary = span;
  f.related = std::move(related);
  out_.push_back(std::move(f));
}

void FindingSink::prepared(Finding f, std::string message) {
  f.rule_id = std::string(rule_id_);
  f.level = level_;
  f.message = std::move(message);
  out_.push_back(std::move(f));
}

void FindingSink::tag(const TagEntry& entry, std::string message, std::vector<Related> extra) {
  at(*resource_, &entry, std::move(message), {}, std::move(extra));
}

void FindingSink::resource(std::string message, std::string key) {
  at(*resource_, nullptr, std::move(message), std::move(key));
}

void FindingSink::apply_spec(const TagSpec& spec) {
  Finding& f = out_.back();
  if (spec.severity) f.level = *spec.severity;
  if (!spec.description.empty()) f.message += fmt::format(" ({}: {})", spec.key, spec.description);
  for (const auto& o : spec.origin) f.related.push_back(o);
}

void FindingSink::spec_tag(const TagSpec& spec, const TagEntry& entry, std::string message, std::vector<Related> extra) {
  at(*resource_, &entry, std::move(message), {}, std::move(extra));
  apply_spec(spec);
}

void FindingSink::spec_resource(const TagSpec& spec, std::string message) {
  at(*resource_, nullptr, std::move(message), spec.key);
  apply_spec(spec);
}

}  // namespace tagwarden
