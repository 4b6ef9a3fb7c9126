#include "linter/schema/resource_types.hpp"

#include <algorithm>

#include "linter/model/text.hpp"
#include "linter/source/embedded.hpp"

namespace tagwarden {
namespace {

char lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// `a` < `b` with ASCII letters lowered (the order of lowercase copies, without making them).
bool icase_less(std::string_view a, std::string_view b) {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    char x = lower_char(a[i]), y = lower_char(b[i]);
    if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
  }
  return a.size() < b.size();
}

bool by_name(const PolicyType& t, std::string_view name) { return icase_less(t.name, name); }

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
  // The generated table is sorted already (tools/gen_aws_types.py); sorting is for other input.
  auto name_less = [](const PolicyType& a, const PolicyType& b) { return icase_less(a.name, b.name); };
  if (!std::is_sorted(rt.types_.begin(), rt.types_.end(), name_less))
    std::stable_sort(rt.types_.begin(), rt.types_.end(), name_less);
  for (std::size_t i = 0; i < rt.types_.size(); ++i) {
    const PolicyType& t = rt.types_[i];
    for (const auto& cfn : t.cfn) rt.by_cfn_.emplace_back(cfn, i);
    for (const auto& tf : t.terraform) rt.by_tf_.emplace_back(tf, i);
  }
  std::sort(rt.by_cfn_.begin(), rt.by_cfn_.end());
  std::sort(rt.by_tf_.begin(), rt.by_tf_.end());
  return rt;
}

const PolicyType* ResourceTypes::find(std::string_view name) const {
  auto it = std::lower_bound(types_.begin(), types_.end(), name, by_name);
  return it != types_.end() && ascii_iequal(it->name, name) ? &*it : nullptr;
}

bool ResourceTypes::has_service(std::string_view service) const {
  // A name without a colon is its own service; the others are `<service>:...`, next to each
  // other in name order.
  if (service.find(':') != std::string_view::npos) return false;
  if (const PolicyType* t = find(service); t && t->service() == t->name) return true;
  std::string prefix = std::string(service) + ":";
  auto it = std::lower_bound(types_.begin(), types_.end(), prefix, by_name);
  return it != types_.end() && ascii_istarts_with(it->name, prefix);
}

const PolicyType* ResourceTypes::all_supported(std::string_view service) const {
  return find(std::string(service) + ":ALL_SUPPORTED");
}

std::vector<const PolicyType*> ResourceTypes::expand(std::string_view pattern) const {
  std::vector<const PolicyType*> out;
  std::size_t colon = pattern.find(':');
  std::string_view rest = colon == std::string_view::npos ? std::string_view{} : pattern.substr(colon + 1);
  if (rest == "*" || rest == "ALL_SUPPORTED") {
    std::string_view service = pattern.substr(0, colon);
    for (const auto& t : types_) {
      if (!t.is_all_supported() && ascii_iequal(t.service(), service)) out.push_back(&t);
    }
  } else if (const PolicyType* t = find(pattern)) {
    out.push_back(t);
  }
  return out;
}

template <typename Fn>
void ResourceTypes::for_each_covering(std::string_view type, Fn&& fn) const {
  const TypeIndex& by = type.rfind("AWS::", 0) == 0 ? by_cfn_ : by_tf_;
  auto it = std::lower_bound(by.begin(), by.end(), type, [](const auto& e, std::string_view t) { return e.first < t; });
  for (; it != by.end() && it->first == type; ++it) fn(it->second);
}

std::string_view ResourceTypes::sam_target(std::string_view type) const {
  auto it = sam_.find(type);
  return it == sam_.end() ? std::string_view{} : std::string_view(it->second);
}

bool ResourceTypes::has_policy_type(std::string_view type) const {
  if (std::string_view target = sam_target(type); !target.empty()) type = target;
  bool found = false;
  for_each_covering(type, [&](std::size_t) { found = true; });
  return found;
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
  for_each_covering(type, [&](std::size_t i) {
    const PolicyType& t = types_[i];
    add(t.name);
    for (const auto& c : t.cfn) add(c);
    for (const auto& f : t.terraform) add(f);
  });
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
