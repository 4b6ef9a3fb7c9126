// TW001 missing-required-tag: required schema keys absent from the effective tags, one finding
// per resource that lists every missing key.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_missing_required_tag(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  // With an incomplete key set the tag may still exist: TW008 says so instead.
  if (!ctx.schema || !tags.keys_known || !ctx.schema->covers(r)) return;
  std::vector<std::string> names = ResourceTypes::aws().names_for(r.type);
  std::vector<const TagSpec*> missing;
  std::map<std::string, std::string> misspelt;  // schema key -> the present key it may be a misspelling of
  for (const auto& spec : ctx.schema->tags) {
    if (!spec.required_on(names) || !ctx.schema->applies(spec, r)) continue;
    bool present = false;
    for (const auto& e : tags.entries) {
      // A case variant is TW003's finding (or fine, with `case: insensitive`), not a missing tag.
      if (e.key == spec.key || fold_case(e.key) == fold_case(spec.key)) present = true;
    }
    if (present) continue;
    missing.push_back(&spec);
    for (const auto& e : tags.entries) {
      if (edit_distance(fold_case(e.key), fold_case(spec.key), 2) <= 2) {
        misspelt.emplace(spec.key, e.key);
        break;
      }
    }
  }
  if (missing.empty()) return;
  std::sort(missing.begin(), missing.end(), [](const TagSpec* a, const TagSpec* b) { return a->key < b->key; });
  // One finding per resource and severity (a schema key may set its own `severity`).
  std::vector<std::optional<Level>> levels;
  for (const TagSpec* s : missing) {
    if (std::find(levels.begin(), levels.end(), s->severity) == levels.end()) levels.push_back(s->severity);
  }
  for (const auto& level : levels) {
    std::vector<const TagSpec*> group;
    std::vector<std::string> keys;
    std::vector<std::string> notes;
    for (const TagSpec* s : missing) {
      if (s->severity != level) continue;
      group.push_back(s);
      keys.push_back(s->key);
      std::string note;
      if (auto m = misspelt.find(s->key); m != misspelt.end())
        note += fmt::format(" (it has `{}`: a misspelling of `{}`?)", m->second, s->key);
      if (!s->description.empty()) note += fmt::format(" ({}: {})", s->key, s->description);
      notes.push_back(std::move(note));
    }
    std::string msg = missing_required_tag_message(r.address, keys, notes);
    sink.spec_resource(group, std::move(msg), std::move(notes));
  }
}

std::string missing_required_tag_message(const std::string& address, const std::vector<std::string>& keys,
                                         const std::vector<std::string>& notes) {
  std::string msg = keys.size() == 1
                        ? fmt::format("{} is missing required tag `{}`", address, keys.front())
                        : fmt::format("{} is missing required tags {}", address, quoted_list(keys, " and "));
  for (const auto& n : notes) msg += n;
  return msg;
}

bool narrow_finding(Finding& f, const std::vector<std::string>& keep) {
  if (keep.empty() || f.key_notes.size() != f.tag_keys.size()) return false;
  // The message is the rule's wording of its keys and notes, then what run_resource_rules
  // added (the variant's condition): re-word the first part, keep the rest.
  std::string before = missing_required_tag_message(f.address, f.tag_keys, f.key_notes);
  if (!f.message.starts_with(before)) return false;
  std::vector<std::string> keys, notes;
  for (std::size_t i = 0; i < f.tag_keys.size(); ++i) {
    if (std::find(keep.begin(), keep.end(), f.tag_keys[i]) == keep.end()) continue;
    keys.push_back(f.tag_keys[i]);
    notes.push_back(f.key_notes[i]);
  }
  if (keys.size() != keep.size()) return false;
  f.message = missing_required_tag_message(f.address, keys, notes) + f.message.substr(before.size());
  f.tag_keys = std::move(keys);
  f.key_notes = std::move(notes);
  f.tag_key = f.tag_keys.front();
  return true;
}

}  // namespace tagwarden
