#include "linter/frontend/cloudformation/cfn_types.hpp"

#include <charconv>
#include <map>

#include "linter/source/embedded.hpp"

namespace tagwarden::cfn {
namespace {

struct Row {
  TagShape shape;
  std::string property;
  int max_items;
};

std::map<std::string, Row, std::less<>> load_table() {
  std::map<std::string, Row, std::less<>> table;
  std::string_view text = embedded_file("data/cfn_taggable.tsv");
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line[0] == '#') continue;
    std::string_view cols[4];
    for (int i = 0; i < 4; ++i) {
      std::size_t tab = line.find('\t');
      cols[i] = line.substr(0, tab);
      line = tab == std::string_view::npos ? std::string_view{} : line.substr(tab + 1);
    }
    Row row{TagShape::kNone, std::string(cols[2] == "-" ? "" : cols[2]), 50};
    if (cols[1] == "standard") row.shape = TagShape::kList;
    else if (cols[1] == "map") row.shape = TagShape::kMap;
    else if (cols[1] == "asg") row.shape = TagShape::kAsg;
    int n = 0;
    if (!cols[3].empty() && std::from_chars(cols[3].data(), cols[3].data() + cols[3].size(), n).ec == std::errc{} && n > 0)
      row.max_items = n;
    table.emplace(std::string(cols[0]), std::move(row));
  }
  return table;
}

const std::map<std::string, Row, std::less<>>& table() {
  static const auto kTable = load_table();
  return kTable;
}

// data/cfn_tag_required.tsv: type, then the fields a tag entry requires ("Key,Value").
const std::map<std::string, std::string, std::less<>>& required_fields() {
  static const auto kTable = [] {
    std::map<std::string, std::string, std::less<>> t;
    std::string_view text = embedded_file("data/cfn_tag_required.tsv");
    while (!text.empty()) {
      std::size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      if (line.empty() || line[0] == '#') continue;
      std::size_t tab = line.find('\t');
      if (tab == std::string_view::npos) continue;
      t.emplace(std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)));
    }
    return t;
  }();
  return kTable;
}

}  // namespace

TypeInfo type_info(std::string_view type) {
  TypeInfo info;
  if (type.starts_with("Custom::") || type == "AWS::CloudFormation::CustomResource") {
    info.taggable = Taggable::kNo;
    return info;
  }
  if (type == "AWS::CDK::Metadata") {
    // What `cdk synth` adds to record which construct libraries a stack uses (CDK Developer
    // Guide, "Version reporting"): no AWS resource, no tags.
    info.taggable = Taggable::kNo;
    return info;
  }
  if (type == "AWS::EC2::LaunchTemplate") {
    // Tagged through TagSpecifications entries of ResourceType launch-template (Template
    // Reference, AWS::EC2::LaunchTemplate); not in the CDK's tag data, which has no such shape.
    info.taggable = Taggable::kYes;
    info.shape = TagShape::kList;
    info.property = "TagSpecifications";
    return info;
  }
  if (type.starts_with("AWS::Serverless::")) {
    // SAM: every type that accepts Tags takes a string map; LayerVersion and Connector take
    // none (aws/serverless-application-model, samtranslator/internal/schema_source).
    if (type == "AWS::Serverless::LayerVersion" || type == "AWS::Serverless::Connector") {
      info.taggable = Taggable::kNo;
      return info;
    }
    info.taggable = Taggable::kYes;
    info.shape = TagShape::kMap;
    info.property = "Tags";
    return info;
  }
  const auto& t = table();
  auto it = t.find(type);
  if (it == t.end()) {
    // Not in the data: read a `Tags` list if there is one, but do not claim taggability.
    info.shape = TagShape::kList;
    info.property = "Tags";
    return info;
  }
  info.shape = it->second.shape;
  info.property = it->second.property;
  info.max_items = it->second.max_items;
  if (auto req = required_fields().find(type); req != required_fields().end()) {
    info.value_required = req->second.find("Value") != std::string::npos;
    info.propagate_required = req->second.find("PropagateAtLaunch") != std::string::npos;
  }
  info.taggable = info.shape == TagShape::kNone ? Taggable::kNo : Taggable::kYes;
  return info;
}

}  // namespace tagwarden::cfn
