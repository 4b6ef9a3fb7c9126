// Specification of dump_streamed (linter/report/json_parts.hpp): a report written a piece at a
// time is byte for byte what nlohmann's dump(2) of the whole document would be, whatever the
// items hold (escapes, control characters, UTF-8 and invalid UTF-8, numbers, empty containers,
// nesting) and however many threads render them; and of append_finding_text: a finding's
// members, in order, in that same layout.
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

TEST_CASE("append_finding_text: a finding's members, in order, laid out and escaped as nlohmann's dump lays them out") {
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

  // Members in order, for check (with the pipeline's) and diff (with the root) reports.
  auto members = [](bool with_root, bool with_pipeline, bool suppressed) {
    std::vector<std::string> keys{"rule_id", "rule", "level", "message"};
    if (with_root) keys.push_back("root");
    keys.insert(keys.end(), {"address", "tag_key"});
    if (with_pipeline) keys.insert(keys.end(), {"tag_keys", "value"});
    keys.insert(keys.end(), {"location", "related"});
    if (with_pipeline) keys.insert(keys.end(), {"fixes", "fingerprint"});
    if (with_pipeline && suppressed) keys.push_back("suppression");
    return keys;
  };
  auto text_of = [&](const Finding& f, bool with_root, bool with_pipeline, std::size_t depth) {
    std::string text;
    append_finding_text(text, sm, f, with_root, with_pipeline, depth);
    return text;
  };
  for (const Finding& f : findings) {
    for (bool with_root : {false, true}) {
      for (bool with_pipeline : {false, true}) {
        CAPTURE(f.rule_id);
        CAPTURE(with_root);
        CAPTURE(with_pipeline);
        const std::string text = text_of(f, with_root, with_pipeline, 0);
        const ordered parsed = ordered::parse(text);
        // The layout and the escapes are dump(2)'s: the text is what nlohmann makes of its tree.
        CHECK(text == parsed.dump(2, ' ', false, ordered::error_handler_t::replace));
        std::vector<std::string> keys;
        for (const auto& [key, value] : parsed.items()) keys.push_back(key);
        CHECK(keys == members(with_root, with_pipeline, f.suppression.has_value()));
        // Four spaces in, as an item of a report's array: every line after the first moves.
        std::string shifted;
        for (char c : text) {
          shifted += c;
          if (c == '\n') shifted += "    ";
        }
        CHECK(text_of(f, with_root, with_pipeline, 4) == shifted);
      }
    }
  }

  const ordered p = ordered::parse(text_of(plain, true, true, 0));
  CHECK(p["rule"] == "missing-required-tag");
  CHECK(p["level"] == "error");
  CHECK(p["message"] == plain.message);
  CHECK(p["root"] == "envs/prod");
  CHECK(p["tag_key"] == "CostCenter");
  CHECK(p["tag_keys"] == ordered::array({"CostCenter", "Owner"}));
  CHECK(p["value"].is_null());
  CHECK(p["location"] ==
        ordered{{"file", "envs/prod/main.tf"}, {"line", 1}, {"column", 1}, {"end_line", 1}, {"end_column", 31}});
  CHECK(p["related"] == ordered::array());
  CHECK(p["fixes"] == ordered::array());
  CHECK(p["fingerprint"] == "0123456789abcdef");

  const ordered r = ordered::parse(text_of(rich, false, true, 0));
  CHECK(r["message"] == "value \"Prod\" \xE2\x82\xAC and a stray \xEF\xBF\xBD byte");  // U+FFFD for the stray byte
  CHECK(r["value"] == "Prod");
  CHECK(r["related"][0]["file"] ==
        "envs/prod/vari\xC3\xA4"
        "bles.tf");
  CHECK(r["related"][0]["line"] == 2);
  CHECK(r["related"][0]["message"] == "default written here");
  CHECK(r["related"][1] == ordered{{"file", ""}, {"line", nullptr}, {"column", nullptr}, {"message", "nowhere"}});
  CHECK(r["fixes"][0]["description"] == "use `prod`");
  CHECK(r["fixes"][0]["edits"][0]["replacement"] == "prod");
  CHECK(r["fixes"][0]["edits"][0]["line"] == 2);
  CHECK(r["fixes"][1]["edits"] == ordered::array());
  CHECK(r["suppression"]["kind"] == "inSource");
  CHECK(r["suppression"]["justification"] == "legacy \\ path");
  CHECK(r["suppression"]["location"]["line"] == 1);

  const ordered n = ordered::parse(text_of(nowhere, false, true, 0));
  CHECK(n["rule"] == "");
  CHECK(n["tag_key"].is_null());
  CHECK(n["location"] == ordered{{"file", "plan.json"}, {"line", nullptr}, {"column", nullptr}});
  CHECK(n["suppression"] == ordered{{"kind", "external"}, {"justification", "in the baseline b.json"}});
}
