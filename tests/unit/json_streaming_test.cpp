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

using tagwarden::dump_streamed;
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
      skeleton, {StreamedArray{"\n  \"items\": []", items.size(), [&](std::size_t i) { return items[i]; }}},
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
