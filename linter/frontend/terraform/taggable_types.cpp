#include "linter/frontend/terraform/taggable_types.hpp"

#include <map>
#include <vector>

#include "linter/source/embedded.hpp"

namespace tagwarden::terraform {
namespace {

using Table = std::map<std::string, TypeTagging, std::less<>>;

/// Calls `row` with the tab-separated columns of every line of an embedded table that is not
/// empty or a `#` comment.
template <typename Fn>
void for_each_row(std::string_view path, Fn&& row) {
  std::string_view text = embedded_file(path);
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> cols;
    for (std::size_t start = 0;;) {
      auto tab = line.find('\t', start);
      cols.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    row(cols);
  }
}

Table load_table() {
  Table table;
  // type<TAB>tag_attr<TAB>default_tags (yes|no)
  for_each_row("data/terraform_taggable.tsv", [&](const std::vector<std::string_view>& cols) {
    if (cols.size() < 3) return;
    TypeTagging row;
    row.taggable = Taggable::kYes;
    row.tag_attr = std::string(cols[1]);
    row.default_tags = cols[2] == "yes";
    table.emplace(std::string(cols[0]), std::move(row));
  });
  // type<TAB>sdk (framework|sdkv2)
  for_each_row("data/terraform_aws_sdk.tsv", [&](const std::vector<std::string_view>& cols) {
    if (cols.size() < 2 || cols[1] != "framework") return;
    if (auto it = table.find(cols[0]); it != table.end()) it->second.framework = true;
  });
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
