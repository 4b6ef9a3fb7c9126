// Specification of suppression directives as written (linter/model/suppression.hpp) and of the
// comment side tables the parsers hand on.
#include <doctest/doctest.h>

#include "linter/load/doc.hpp"
#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/load/hcl/tf_json.hpp"
#include "linter/model/suppression.hpp"

using namespace tagwarden;

namespace {

std::vector<std::string> names(const Suppression& s) {
  std::vector<std::string> out;
  for (const auto& r : s.rules) out.push_back(r.name);
  return out;
}

std::optional<Suppression> read(std::string_view text) {
  return parse_suppression_comment(text, Span{0, 100, 100 + static_cast<std::uint32_t>(text.size())}, true);
}

}  // namespace

TEST_CASE("a directive names rules by id or name, comma- or space-separated, and a reason after --") {
  auto s = read("# tagwarden:ignore TW001, missing-required-tag TW003 -- scratch bucket, emptied nightly");
  REQUIRE(s);
  CHECK(s->scope == Suppression::Scope::kResource);
  CHECK(names(*s) == std::vector<std::string>{"TW001", "missing-required-tag", "TW003"});
  CHECK(s->reason == "scratch bucket, emptied nightly");
  CHECK(s->problem.empty());
  // Rule spans point at the rule as written.
  CHECK(s->rules[0].span.begin == 100 + std::string_view("# tagwarden:ignore ").size());
  CHECK(s->rules[0].span.end - s->rules[0].span.begin == 5);
}

TEST_CASE("every comment marker works; a block comment's end marker is not part of the reason") {
  for (std::string_view text : {"#tagwarden:ignore TW001 -- r", "// tagwarden:ignore TW001 -- r",
                                "/* tagwarden:ignore TW001 -- r */", "  # tagwarden:ignore TW001 -- r  "}) {
    CAPTURE(text);
    auto s = read(text);
    REQUIRE(s);
    CHECK(names(*s) == std::vector<std::string>{"TW001"});
    CHECK(s->reason == "r");
  }
}

TEST_CASE("ignore-file, until= and missing parts") {
  auto f = read("# tagwarden:ignore-file TW002 until=2025-12-31 -- generated");
  REQUIRE(f);
  CHECK(f->scope == Suppression::Scope::kFile);
  CHECK(f->until == "2025-12-31");
  CHECK(f->problem.empty());

  auto no_reason = read("# tagwarden:ignore TW001");
  REQUIRE(no_reason);
  CHECK(no_reason->reason.empty());
  CHECK(no_reason->problem.empty());  // well-formed; the pipeline reports the missing reason

  auto no_rule = read("# tagwarden:ignore -- why");
  REQUIRE(no_rule);
  CHECK(no_rule->problem.find("names no rule") != std::string::npos);

  auto bad_date = read("# tagwarden:ignore TW001 until=2025-02-30 -- why");
  REQUIRE(bad_date);
  CHECK(bad_date->problem.find("not a date") != std::string::npos);
}

TEST_CASE("comments that are not directives are not suppressions") {
  CHECK_FALSE(read("# see tagwarden:ignore in the docs"));
  CHECK_FALSE(read("# tagwarden:ignored TW001 -- no"));
  CHECK_FALSE(read("# TODO tag this bucket"));
}

TEST_CASE("dates are real calendar dates") {
  CHECK(is_iso_date("2024-02-29"));
  CHECK_FALSE(is_iso_date("2023-02-29"));
  CHECK_FALSE(is_iso_date("2025-13-01"));
  CHECK_FALSE(is_iso_date("2025-1-01"));
  CHECK(is_iso_date("2000-02-29"));
  CHECK_FALSE(is_iso_date("1900-02-29"));
}

TEST_CASE("the HCL parser lists every comment once, in source order, with its span") {
  std::string src =
      "# first\n"
      "resource \"a\" \"b\" { // inside\n"
      "  tags = { /* in an object */ x = 1 }\n"
      "}\n"
      "# last\n";
  auto r = hcl::parse_hcl(7, src);
  REQUIRE(r.comments.size() == 4);
  CHECK(r.comments[0].text == "# first");
  CHECK(r.comments[1].text == "// inside");
  CHECK(r.comments[2].text == "/* in an object */");
  CHECK(r.comments[3].text == "# last");
  for (const auto& c : r.comments) {
    CHECK(c.span.file == 7);
    CHECK(src.compare(c.span.begin, c.span.end - c.span.begin, c.text) == 0);
  }
}

TEST_CASE("Terraform JSON `//` properties are comments, strings or lists of strings") {
  std::string src = R"({"//": "top", "resource": {"aws_s3_bucket": {"b": {"//": ["one", "two"], "bucket": "b"}}}})";
  DocResult d = parse_json(3, src);
  REQUIRE(d.root);
  auto r = hcl::parse_tf_json(3, *d.root);
  REQUIRE(r.comments.size() == 3);
  CHECK(r.comments[0].text == "top");
  CHECK(r.comments[1].text == "one");
  CHECK(r.comments[2].text == "two");
  CHECK(src.compare(r.comments[0].span.begin, r.comments[0].span.end - r.comments[0].span.begin, "\"top\"") == 0);
}
