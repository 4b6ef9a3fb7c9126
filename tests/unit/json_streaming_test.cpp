// Specification of dump_streamed (linter/report/json_parts.hpp): a report written a piece at a
// time is byte for byte what nlohmann's dump(2) of the whole document would be, whatever the
// items hold (escapes, control characters, UTF-8 and invalid UTF-8, numbers, empty containers,
// nesting) and however many threads render them.
#include <doctest/doctest.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "linter/report/json_parts.hpp"
#include "linter/source/source_manager.hpp"

using tagwarden::dump_streamed;
using tagwarden::Finding;
using tagwarden::StreamedArray;
using ordered = nlohmann::ordered_json;

namespace {

std::vector<ordered> awkward_items() {
  std::vector<ordered> items;
  std::string controls;
  for (int c = 0; c < 0x20; ++c) controls.push_back(static_cast<char>(c));
  controls += "\x7f \" \\ / end";
  items.push_back(ordered{{"controls", controls}, {"empty", ""}});
  items.push_back(ordered{{"utf8", "Kostenstelle \xC3\xA4\xE2\x82\xAC\xF0\x9F\x98\x80"},
                          {"invalid", std::string("bad \xFF byte \xC3( and \xED\xA0\x80 surrogate")},
                          {"truncated", std::string("\xE2\x82")}});
  items.push_back(ordered{{"int", -42},
                          {"unsigned", std::uint64_t{18446744073709551615u}},
                          {"float", 1.5},
                          {"tiny", 1e-300},
                          {"true", true},
                          {"false", false},
                          {"null", nullptr}});
  items.push_back(ordered{{"empty_object", ordered::object()},
                          {"empty_array", ordered::array()},
                          {"nested", ordered{{"a", ordered::array({1, ordered::array(), ordered{{"b", "c"}}})}}}});
  items.push_back(ordered::array({"x", ordered::object(), 3}));
  items.push_back(ordered("a bare string with \"quotes\""));
  items.push_back(ordered{{"k\ney \"quoted\"", "v"}, {"\xC3\xA9t\xC3\xA9", "\xFE"}});
  return items;
}

std::string streamed(const std::vector<ordered>& items, unsigned jobs) {
  ordered skeleton;
  skeleton["before"] = "x";
  skeleton["items"] = ordered::array();
  skeleton["after"] = ordered{{"n", 1}};
  std::string text;
  dump_streamed(
      skeleton, {StreamedArray{"\n  \"items\": []", items.size(), [&](std::size_t i) { return items[i]; }, {}}},
      [&](std::string_view piece) { text += piece; }, jobs);
  return text;
}

std::string whole(const std::vector<ordered>& items) {
  ordered doc;
  doc["before"] = "x";
  doc["items"] = ordered::array();
  for (const auto& i : items) doc["items"].push_back(i);
  doc["after"] = ordered{{"n", 1}};
  return doc.dump(2, ' ', false, ordered::error_handler_t::replace) + "\n";
}

}  // namespace

TEST_CASE("dump_streamed: items are laid out and escaped as nlohmann's dump lays out the whole document") {
  const std::vector<ordered> items = awkward_items();
  CHECK(streamed(items, 1) == whole(items));
  CHECK(streamed({}, 1) == whole({}));
}

TEST_CASE("dump_streamed: the text does not depend on the threads that render the items") {
  std::vector<ordered> items;
  const std::vector<ordered> awkward = awkward_items();
  for (std::size_t i = 0; i < 5000; ++i) {
    ordered item = awkward[i % awkward.size()];
    if (item.is_object()) item["index"] = i;
    items.push_back(std::move(item));
  }
  const std::string one = streamed(items, 1);
  CHECK(one == whole(items));
  CHECK(streamed(items, 2) == one);
  CHECK(streamed(items, 8) == one);
}

TEST_CASE("append_finding_text: a finding's text is what finding_json's tree dumps to, at any depth") {
  using namespace tagwarden;
  SourceManager sm;
  const FileId main_tf =
      sm.add("envs/prod/main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  tags = { env = \"prod\" }\n}\n");
  const FileId vars_tf = sm.add(
      "envs/prod/vari\xC3\xA4"
      "bles.tf",
      "variable \"env\" {\n  default = \"Prod\"\n}\n");
  auto span = [](FileId f, std::uint32_t b, std::uint32_t e) { return Span{f, b, e, true}; };

  std::vector<Finding> findings;
  Finding plain;
  plain.rule_id = "TW001";
  plain.level = Level::kError;
  plain.message = "aws_s3_bucket.b is missing required tag \"CostCenter\"\ttab";
  plain.primary = span(main_tf, 0, 30);
  plain.address = "aws_s3_bucket.b";
  plain.root = "envs/prod";
  plain.fingerprint = "0123456789abcdef";
  plain.tag_keys = {"CostCenter", "Owner"};
  plain.tag_key = "CostCenter";
  findings.push_back(plain);

  Finding rich = plain;
  rich.rule_id = "TW002";
  rich.level = Level::kNote;
  rich.message = "value \"Prod\" \xE2\x82\xAC and a stray \xFF byte";
  rich.value = "Prod";
  rich.related = {{span(vars_tf, 20, 34), "default written here"}, {Span{}, "nowhere"}};
  rich.fixes = {Fix{"use `prod`", {Edit{span(vars_tf, 30, 36), "\"Prod\"", "prod"}}}, Fix{"nothing to edit", {}}};
  rich.suppression = SuppressionInfo{SuppressionInfo::Kind::kInSource, "legacy \\ path", span(main_tf, 2, 5)};
  findings.push_back(rich);

  Finding nowhere;
  nowhere.rule_id = "TW999";  // no such rule: an empty name
  nowhere.file_hint = "plan.json";
  nowhere.suppression = SuppressionInfo{SuppressionInfo::Kind::kExternal, "in the baseline b.json", Span{}};
  findings.push_back(nowhere);

  for (const Finding& f : findings) {
    for (bool with_root : {false, true}) {
      for (bool with_pipeline : {false, true}) {
        CAPTURE(f.rule_id);
        CAPTURE(with_root);
        CAPTURE(with_pipeline);
        const ordered tree = finding_json(sm, f, with_root, with_pipeline);
        std::string text;
        append_finding_text(text, sm, f, with_root, with_pipeline, 0);
        CHECK(text == tree.dump(2, ' ', false, ordered::error_handler_t::replace));
        // Four spaces in, as an item of a report's array: the items' test above covers the
        // layout of trees at depth; the finding's text must match it.
        std::vector<ordered> one{tree};
        std::string at_depth;
        append_finding_text(at_depth, sm, f, with_root, with_pipeline, 4);
        std::string streamed_tree = streamed(one, 1);
        CHECK(streamed_tree.find(at_depth) != std::string::npos);
      }
    }
  }
}
