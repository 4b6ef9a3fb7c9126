// TW004 too-many-tags: more user tags than the resource type allows: 50 for most, the
// documented per-service exceptions of data/tag_rules.tsv (S3 objects: 10), a CloudFormation
// type's own schema limit, or a lower `limits.max_tags` in the schema. `aws:` keys do not
// count (Tag Editor User Guide, Service quotas: "AWS generated tags don't count").
#include <fmt/format.h>

#include <map>

#include "linter/model/text.hpp"
#include "linter/schema/tag_rules.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

namespace {

/// Where `n` of the tags come from, as a phrase that reads the same for one tag or many.
std::string origin_phrase(OriginKind kind) {
  switch (kind) {
    case OriginKind::kResource:
      return "written on the resource";
    case OriginKind::kProviderDefaultTags:
      return "from provider default_tags";
    case OriginKind::kEnvironment:
      return "from the environment";
    case OriginKind::kStackTag:
      return "from the stack";
    case OriginKind::kSamGlobals:
      return "from SAM Globals";
    case OriginKind::kFramework:
      return "added by the framework";
    case OriginKind::kPlan:
      return "from the plan";
  }
  return "written on the resource";
}

}  // namespace

void check_too_many_tags(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  std::map<OriginKind, int> by_origin;
  int count = 0;
  for (const auto& e : tags.entries) {
    if (has_aws_prefix(e.key)) continue;
    ++count;
    ++by_origin[e.origin.kind];
  }
  TagRules rules = tag_rules_for(r, ctx.schema);
  if (count <= rules.max_tags) return;
  // Sorted by the phrase, so the order does not depend on the enum's.
  std::map<std::string, int> phrases;
  for (const auto& [kind, n] : by_origin) phrases[origin_phrase(kind)] += n;
  std::string parts;
  for (const auto& [phrase, n] : phrases) {
    if (!parts.empty()) parts += ", ";
    parts += fmt::format("{} {}", n, phrase);
  }
  std::string limit = rules.max_tags_from_schema
                          ? fmt::format("the {} the schema allows (limits.max_tags)", rules.max_tags)
                          : fmt::format("the {} AWS allows for {}", rules.max_tags, r.type);
  std::string source;
  if (!rules.max_tags_from_schema && !rules.max_tags_source.empty())
    source = fmt::format("; source: {}", rules.max_tags_source);
  sink.resource(fmt::format("{} has {} user tags, more than {} ({}){}", r.address, count, limit, parts, source));
}

}  // namespace tagwarden
