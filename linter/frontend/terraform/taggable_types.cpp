#include "linter/frontend/terraform/taggable_types.hpp"

#include <map>

#include "linter/source/embedded.hpp"

namespace tagwarden::terraform {
namespace {

using Table = std::map<std::string, TypeTagging, std::less<>>;

Table load_table() {
  Table table;
  std::string_view text = embedded_file("data/terraform_taggable.tsv");
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    auto t1 = line.find('\t');
    if (t1 == std::string_view::npos) continue;
    auto t2 = line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) continue;
    TypeTagging row;
    row.taggable = Taggable::kYes;
    row.tag_attr = std::string(line.substr(t1 + 1, t2 - t1 - 1));
    row.default_tags = line.substr(t2 + 1) == "yes";
    table.emplace(std::string(line.substr(0, t1)), std::move(row));
  }
  // type<TAB>sdk: framework | sdkv2
  text = embedded_file("data/terraform_aws_sdk.tsv");
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    auto t1 = line.find('\t');
    if (t1 == std::string_view::npos || line.substr(t1 + 1) != "framework") continue;
    if (auto it = table.find(line.substr(0, t1)); it != table.end()) it->second.framework = true;
  }
  return table;
}

}  // namespace

TypeTagging type_tagging(std::string_view type) {
  static const Table table = load_table();
  auto it = table.find(type);
  if (it != table.end()) return it->second;
  return TypeTagging{};
}

}  // namespace tagwarden::terraform
