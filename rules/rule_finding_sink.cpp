// How findings are placed: STYLE.md section 3 (primary location at the tag entry when it is
// written inside the resource, else at the tags attribute or header, with where the tag came
// from as related locations).
#include <fmt/format.h>

#include <algorithm>

#include "linter/schema/resource_types.hpp"
#include "rules/rule.hpp"

namespace tagwarden {
namespace {

std::string origin_note(const TagEntry& e) {
  switch (e.origin.kind) {
    case OriginKind::kProviderDefaultTags:
      return fmt::format("`{}` is inherited from {} default_tags", e.key,
                         e.origin.detail.empty() ? "provider" : e.origin.detail);
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

/// `provider.aws.west` for a provider configuration labelled "provider aws.west (module.net)"
/// (ProviderConfig::label): its address in the module that writes it, whichever instance of
/// the module reached the resource.
std::string provider_address(std::string_view label) {
  constexpr std::string_view kPrefix = "provider ";
  if (!label.starts_with(kPrefix)) return {};
  label.remove_prefix(kPrefix.size());
  label = label.substr(0, label.find(' '));
  return fmt::format("provider.{}", label);
}

}  // namespace

Finding& FindingSink::place(const Resource& r, const TagEntry* entry, std::string message,
                            std::vector<std::string> keys, std::vector<Related> extra, bool about_value) {
  Finding f;
  f.rule_id = std::string(rule_id_);
  f.level = level_;
  f.message = std::move(message);
  f.address = r.address;
  f.root = r.root;
  f.tag_keys = entry ? std::vector<std::string>{entry->key} : std::move(keys);
  if (!f.tag_keys.empty()) f.tag_key = f.tag_keys.front();
  if (about_value && entry) f.value = entry->value;
  // The tags attribute when it is in the resource's own file; a resource located in other
  // source (a CDK construct's line in the user's code) keeps that location, so a pull-request
  // annotation lands where the resource was created.
  bool tags_here = r.tags_span.valid() && (!r.span.valid() || r.tags_span.file == r.span.file);
  Span fallback = tags_here ? r.tags_span : (r.span.valid() ? r.span : r.tags_span);
  // Inside the resource: its body span when the format gives one; otherwise (CloudFormation)
  // the resource's own tags in the same file.
  auto inside = [&](const Span& s) {
    return r.body_span.valid() ? span_contains(r.body_span, s)
                               : entry->origin.kind == OriginKind::kResource && s.valid() && s.file == r.span.file;
  };
  // An entry written outside a resource that has a definition of its own (Terraform) is
  // shared by every resource that reaches it; the findings pipeline groups findings there.
  if (entry && r.body_span.valid()) {
    Span at = about_value && entry->value_span.valid() ? entry->value_span : entry->key_span;
    if (at.valid() && at.has_range && !inside(at) && !inside(entry->key_span)) {
      f.shared_entry = at;
      if (entry->origin.kind == OriginKind::kProviderDefaultTags)
        f.shared_owner = provider_address(entry->origin.detail);
    }
  }
  if (entry && about_value && inside(entry->value_span)) {
    f.primary = entry->value_span;
  } else if (entry && about_value && entry->entry_value_span.valid() && inside(entry->entry_value_span)) {
    f.primary = entry->entry_value_span;  // `Env = var.env`: the expression; its default is related
  } else if (entry && inside(entry->key_span)) {
    f.primary = entry->key_span;
  } else {
    f.primary = fallback;
    if (entry && entry->key_span.valid()) f.related.push_back(Related{entry->key_span, origin_note(*entry)});
    if (entry && entry->origin.kind != OriginKind::kResource && entry->origin.span.valid() &&
        entry->origin.span != entry->key_span) {
      f.related.push_back(Related{entry->origin.span, origin_note(*entry)});
    }
  }
  // A Terraform value written away from its tag (a variable default, a tfvars file, a local)
  // is shown where it was written. Template values are always written at their entry (a
  // parameter's Default reaches the trail instead).
  auto written_at_tag = [&](const Span& v) {
    return v == entry->key_span || span_contains(entry->origin.span, v) || span_contains(r.tags_span, v) ||
           span_contains(f.primary, v);
  };
  if (entry && about_value && entry->value && r.body_span.valid() && entry->value_span.valid() &&
      !written_at_tag(entry->value_span)) {
    f.related.push_back(
        Related{entry->value_span, fmt::format("the value `{}` of `{}` is written here", *entry->value, entry->key)});
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
  return out_.back();
}

void FindingSink::at(const Resource& r, const TagEntry* entry, std::string message, std::vector<std::string> keys,
                     std::vector<Related> extra) {
  place(r, entry, std::move(message), std::move(keys), std::move(extra), false);
}

void FindingSink::value_at(const Resource& r, const TagEntry& entry, std::string message, std::vector<Fix> fixes) {
  place(r, &entry, std::move(message), {}, {}, true).fixes = std::move(fixes);
}

Finding& FindingSink::at_span(Span span, std::string address, std::string message, std::vector<Related> related) {
  Finding f;
  f.rule_id = std::string(rule_id_);
  f.level = level_;
  f.message = std::move(message);
  f.address = std::move(address);
  f.primary = span;
  f.related = std::move(related);
  out_.push_back(std::move(f));
  return out_.back();
}

void FindingSink::prepared(Finding f, std::string message) {
  f.rule_id = std::string(rule_id_);
  f.level = level_;
  f.message = std::move(message) + f.message;  // place() may have appended what the value assumes
  out_.push_back(std::move(f));
}

void FindingSink::tag(const TagEntry& entry, std::string message, std::vector<Related> extra, std::vector<Fix> fixes) {
  place(*resource_, &entry, std::move(message), {}, std::move(extra), false).fixes = std::move(fixes);
}

void FindingSink::value(const TagEntry& entry, std::string message, std::vector<Fix> fixes) {
  value_at(*resource_, entry, std::move(message), std::move(fixes));
}

void FindingSink::resource(std::string message, std::vector<std::string> keys) {
  at(*resource_, nullptr, std::move(message), std::move(keys));
}

void FindingSink::apply_spec(const TagSpec& spec, bool describe) {
  Finding& f = out_.back();
  if (spec.severity) f.level = *spec.severity;
  if (describe && !spec.description.empty()) f.message += fmt::format(" ({}: {})", spec.key, spec.description);
  for (const auto& o : spec.origin) f.related.push_back(o);
  if (resource_ != nullptr && !spec.typed_origin.empty()) {
    std::vector<std::string> names = ResourceTypes::aws().names_for(resource_->type);
    for (const auto& o : spec.typed_origin) {
      bool matches =
          std::any_of(o.types.begin(), o.types.end(), [&](const std::string& g) { return scope_glob_match(g, names); });
      bool shown = std::any_of(f.related.begin(), f.related.end(), [&](const Related& r) {
        return r.span == o.where.span && r.message == o.where.message;
      });
      if (matches && !shown) f.related.push_back(o.where);
    }
  }
}

void FindingSink::spec_tag(const TagSpec& spec, const TagEntry& entry, std::string message, std::vector<Fix> fixes) {
  tag(entry, std::move(message), {}, std::move(fixes));
  apply_spec(spec);
  out_.back().schema_key = spec.key;
}

void FindingSink::spec_value(const TagSpec& spec, const TagEntry& entry, std::string message, std::vector<Fix> fixes) {
  value(entry, std::move(message), std::move(fixes));
  apply_spec(spec);
  out_.back().schema_key = spec.key;
}

void FindingSink::spec_resource(const std::vector<const TagSpec*>& specs, std::string message,
                                std::vector<std::string> key_notes) {
  std::vector<std::string> keys;
  for (const TagSpec* s : specs) keys.push_back(s->key);
  at(*resource_, nullptr, std::move(message), std::move(keys));
  out_.back().key_notes = std::move(key_notes);
  for (const TagSpec* s : specs) apply_spec(*s, /*describe=*/false);
}

}  // namespace tagwarden
