// The positioned JSON and YAML readers.
#include <doctest/doctest.h>

#include "linter/load/doc.hpp"

using namespace tagwarden;

TEST_CASE("JSON values keep byte spans and duplicate keys") {
  std::string text = R"({"a": [1, "x\u00e9"], "a": null})";
  auto r = parse_json(0, text);
  REQUIRE(r.errors.empty());
  REQUIRE(r.root);
  CHECK(r.root->keys.size() == 2);
  const DocNode& arr = r.root->items[0];
  REQUIRE(arr.is_seq());
  CHECK(arr.items[1].scalar == "x\xc3\xa9");
  CHECK(text.substr(arr.items[1].span.begin, arr.items[1].span.end - arr.items[1].span.begin) == "\"x\\u00e9\"");
  CHECK(r.root->key_spans[1].begin == text.find("\"a\": null"));
}

TEST_CASE("JSON syntax errors are positioned") {
  auto r = parse_json(0, "{\n  \"a\": tru\n}");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].span.begin == 9);
  CHECK_FALSE(r.root);
}

TEST_CASE("JSON nesting is bounded") {
  std::string deep(10000, '[');
  auto r = parse_json(0, deep);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("too deep") != std::string::npos);
}

TEST_CASE("YAML keeps short-form tags and positions") {
  std::string text = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Name: !Ref Env\n    Count: 3\n";
  auto r = parse_yaml(0, text);
  REQUIRE(r.errors.empty());
  const DocNode* b = r.root->get("Resources")->get("B");
  REQUIRE(b);
  const DocNode* name = b->get("Name");
  CHECK(name->tag == "!Ref");
  CHECK(name->scalar == "Env");
  CHECK(name->span.begin == text.find("!Ref"));
  CHECK(b->get("Count")->kind == DocNode::Kind::kNumber);
}

TEST_CASE("YAML alias expansion is bounded") {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'k'; ++c, ++prev) {
    text += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) text += std::string(i ? ", *" : "*") + prev;
    text += "]\n";
  }
  DocLimits limits;
  limits.max_nodes = 100000;
  auto r = parse_yaml(0, text, limits);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("aliases expand") != std::string::npos);
}
