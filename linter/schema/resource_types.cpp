#include "linter/schema/resource_types.hpp"

#include <algorithm>

#include "linter/model/text.hpp"
#include "linter/source/embedded.hpp"

namespace tagwarden {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string_view PolicyType::service() const {
  std::string_view n = name;
  return n.substr(0, n.find(':'));
}

bool PolicyType::is_all_supported() const {
  std::string_view n = name;
  std::size_t colon = n.find(':');
  return colon != std::string_view::npos && n.substr(colon + 1) == "ALL_SUPPORTED";
}

const ResourceTypes& ResourceTypes::aws() {
  static const ResourceTypes kTypes =
      parse(embedded_file("data/aws_resource_types.tsv"), embedded_file("data/sam_resource_types.tsv"));
  return kTypes;
}

ResourceTypes ResourceTypes::parse(std::string_view text, std::string_view sam_text) {
  ResourceTypes rt;
  for (std::string_view line : split_view(sam_text, '\n')) {
    if (line.empty() || line.front() == '#') continue;
    auto cols = split_view(line, '\t');
    if (cols.size() == 2) rt.sam_.emplace(std::string(cols[0]), std::string(cols[1]));
  }
  for (std::string_view line : split_view(text, '\n')) {
    if (line.empty() || line.front() == '#') continue;
    auto cols = split_view(line, '\t');
    if (cols.size() != 7) continue;
    PolicyType t;
    t.name = std::string(cols[0]);
    if (cols[1] != "-")
      for (auto c : split_view(cols[1], ',')) t.cfn.emplace_back(c);
    if (cols[2] != "-")
      for (auto f : split_view(cols[2], ',')) t.terraform.emplace_back(f);
    t.listed = cols[3] != "-";
    t.basic_reporting = cols[3] == "yes";
    t.enforceable = cols[4] == "yes";
    t.required_reporting = cols[5] == "yes";
    t.iac_enforcement = cols[6] == "yes";
    rt.types_.push_back(std::move(t));
  }
  std::sort(rt.types_.begin(), rt.types_.end(),
            [](const PolicyType& a, const PolicyType& b) { return lower(a.name) < lower(b.name); });
  for (std::size_t i = 0; i < rt.types_.size(); ++i) {
    const PolicyType& t = rt.types_[i];
    rt.by_name_.emplace(lower(t.name), i);
    rt.services_.insert(lower(t.service()));
    for (const auto& cfn : t.cfn) rt.by_cfn_[cfn].push_back(i);
    for (const auto& tf : t.terraform) rt.by_tf_[tf].push_back(i);
  }
  return rt;
}

const PolicyType* ResourceTypes::find(std::string_view name) const {
  auto it = by_name_.find(lower(name));
  return it == by_name_.end() ? nullptr : &types_[it->second];
}

bool ResourceTypes::has_service(std::string_view service) const { return services_.count(lower(service)) > 0; }

const PolicyType* ResourceTypes::all_supported(std::string_view service) const {
  return find(std::string(service) + ":ALL_SUPPORTED");
}

std::vector<const PolicyType*> ResourceTypes::expand(std::string_view pattern) const {
  std::vector<const PolicyType*> out;
  std::size_t colon = pattern.find(':');
  std::string_view rest = colon == std::string_view::npos ? std::string_view{} : pattern.substr(colon + 1);
  if (rest == "*" || rest == "ALL_SUPPORTED") {
    std::string service = lower(pattern.substr(0, colon));
    for (const auto& t : types_) {
      if (!t.is_all_supported() && lower(t.service()) == service) out.push_back(&t);
    }
  } else if (const PolicyType* t = find(pattern)) {
    out.push_back(t);
  }
  return out;
}

std::string_view ResourceTypes::sam_target(std::string_view type) const {
  auto it = sam_.find(type);
  return it == sam_.end() ? std::string_view{} : std::string_view(it->second);
}

bool ResourceTypes::has_policy_type(std::string_view type) const {
  if (std::string_view target = sam_target(type); !target.empty()) type = target;
  return (type.rfind("AWS::", 0) == 0 ? by_cfn_ : by_tf_).count(type) > 0;
}

std::vector<std::string> ResourceTypes::names_for(std::string_view type) const {
  std::vector<std::string> names{std::string(type)};
  auto add = [&](const std::string& n) {
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  // SAM: the transform deploys the resource as another CloudFormation type, which is what the
  // tags land on (AWS SAM Developer Guide, "Generated AWS CloudFormation resources for AWS SAM").
  if (std::string_view target = sam_target(type); !target.empty()) {
    for (auto& n : names_for(target)) add(n);
    return names;
  }
  const auto& by = type.rfind("AWS::", 0) == 0 ? by_cfn_ : by_tf_;
  auto it = by.find(type);
  if (it == by.end()) return names;
  for (std::size_t i : it->second) {
    const PolicyType& t = types_[i];
    add(t.name);
    for (const auto& c : t.cfn) add(c);
    for (const auto& f : t.terraform) add(f);
  }
  return names;
}

bool glob_match_icase(std::string_view pattern, std::string_view text) { return glob_match(pattern, text, true); }

bool scope_glob_match(std::string_view pattern, const std::vector<std::string>& names) {
  std::string glob(pattern);
  // Tag policies write "all types of a service" as <service>:ALL_SUPPORTED (older policies
  // <service>:*); AWS Organizations User Guide, "Tag policy syntax and examples".
  constexpr std::string_view kAll = ":ALL_SUPPORTED";
  if (glob.size() > kAll.size() && glob.compare(glob.size() - kAll.size(), kAll.size(), kAll) == 0) {
    glob.replace(glob.size() - kAll.size() + 1, kAll.size() - 1, "*");
  }
  for (const auto& n : names) {
    if (glob_match_icase(glob, n)) return true;
  }
  return false;
}

}  // namespace tagwarden
