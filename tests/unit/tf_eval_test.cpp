// Specification of the Terraform expression evaluator: snippet in, value out (unknowns,
// spans and provenance included).
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "linter/eval/tf/evaluator.hpp"
#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/source/source_manager.hpp"

using namespace tagwarden;
using namespace tagwarden::tf;

namespace {

std::string render(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kUnknown: return "?";
    case Value::Kind::kString: return "\"" + v.as_string() + "\"";
    case Value::Kind::kBool:
    case Value::Kind::kNumber: return *v.to_string();
    case Value::Kind::kList: {
      std::string s = "[";
      for (const Value& x : v.as_list()) s += (s.size() > 1 ? ", " : "") + render(x);
      return s + "]";
    }
    case Value::Kind::kMap: {
      std::string s = "{";
      for (const auto& [k, e] : v.as_map()) s += (s.size() > 1 ? ", " : "") + k + "=" + render(e.value);
      if (v.map_open()) s += s.size() > 1 ? ", ..." : "...";
      return s + "}";
    }
  }
  return "";
}

/// Evaluates snippets against a fixed set of variables and locals; `var.secret`,
/// `local.unknown_map` and resource attributes are not known statically.
class Harness {
 public:
  Harness() {
    defs_ = {
        {"var.env", "\"prod\""},
        {"var.tags", "{ Team = \"payments\", Env = \"dev\" }"},
        {"var.names", "[\"a\", \"b\", \"c\"]"},
        {"var.count", "3"},
        {"var.flag", "true"},
        {"var.nested", "{ inner = { deep = \"yes\" }, list = [{ id = 1 }, { id = 2 }] }"},
        {"local.common", "{ Owner = \"ops\", CostCenter = \"CC-1\" }"},
        {"local.partial", "{ Known = \"k\", Unknown = var.secret }"},
        {"local.unknown_map", "aws_instance.web.tags"},
    };
    files_ = {
        {"tags.yaml", "Team: payments\nTier: \"1\"\n"},
        {"name.tftpl", "%{ for n in names ~}${prefix}-${n} %{ endfor ~}"},
        {"bad.tftpl", "${var.env}"},
    };
    ctx_.read_file = [this](std::string_view path) -> std::optional<std::string> {
      auto it = files_.find(std::string(path));
      if (it == files_.end()) return std::nullopt;
      return it->second;
    };
    ctx_.resolve = [this](std::string_view root, std::string_view attr, Span) -> std::optional<Value> {
      auto it = defs_.find(std::string(root) + "." + std::string(attr));
      if (it == defs_.end()) return std::nullopt;
      return eval_raw(it->second);
    };
  }

  Value eval_raw(const std::string& src) {
    auto r = std::make_unique<hcl::ParseResult>(hcl::parse_hcl(file_++, "x = " + src + "\n"));
    REQUIRE_MESSAGE(r->errors.empty(), src);
    const hcl::Attribute* a = r->file->body.attribute("x");
    REQUIRE(a != nullptr);
    keep_.push_back(std::move(r));
    EvalContext ctx = ctx_;
    ctx.step_budget = budget_;
    return evaluate(*a->expr, ctx);
  }

  std::string eval(const std::string& src) { return render(eval_raw(src)); }
  std::size_t budget_ = 200'000;

 private:
  std::map<std::string, std::string> defs_;
  std::map<std::string, std::string> files_;
  EvalContext ctx_;
  FileId file_ = 0;
  std::vector<std::unique_ptr<hcl::ParseResult>> keep_;
};

struct Row {
  const char* in;
  const char* out;
};

void check_rows(Harness& h, std::initializer_list<Row> rows) {
  for (const Row& r : rows) {
    std::string in = r.in;
    CAPTURE(in);
    CHECK(h.eval(in) == r.out);
  }
}

}  // namespace

TEST_CASE("tf eval: literals, numbers and conversions") {
  Harness h;
  check_rows(h, {
                    {"1", "1"},
                    {"1.5", "1.5"},
                    {"3.0", "3"},
                    {"1.0e21", "1000000000000000000000"},
                    {"-2 * 3", "-6"},
                    {"7 / 2", "3.5"},
                    {"7 % 3", "1"},
                    {"\"5\" + 1", "6"},
                    {"1 / 0", "?"},
                    {"1 == \"1\"", "false"},
                    {"[1, \"a\"] == [1, \"a\"]", "true"},
                    {"!true || false", "false"},
                    {"var.secret && false", "false"},
                    {"var.secret || true", "true"},
                    {"var.secret && true", "?"},
                    {"3 >= var.count", "true"},
                    {"null", "null"},
                    {"\"x\" + 1", "?"},
                });
}

TEST_CASE("tf eval: references and traversals") {
  Harness h;
  check_rows(h, {
                    {"var.env", "\"prod\""},
                    {"var.tags.Team", "\"payments\""},
                    {"var.tags[\"Env\"]", "\"dev\""},
                    {"var.names[1]", "\"b\""},
                    {"var.names.2", "\"c\""},
                    {"var.names[5]", "?"},
                    {"var.nested.inner.deep", "\"yes\""},
                    {"var.nested.list[*].id", "[1, 2]"},
                    {"var.nested.list.*.id", "[1, 2]"},
                    {"var.missing", "?"},
                    {"aws_instance.web.id", "?"},
                    {"var.tags.Nope", "?"},
                });
  Value v = h.eval_raw("aws_instance.web.arn");
  CHECK(v.unknown_reason() == "aws_instance.web is not known statically");
}

TEST_CASE("tf eval: objects keep key spans, duplicates and unknown values") {
  Harness h;
  std::string src = "{ Team = \"a\", \"Env\" = var.env, Team = \"b\", Secret = var.secret }";
  Value v = h.eval_raw(src);
  REQUIRE(v.kind() == Value::Kind::kMap);
  CHECK(render(v) == "{Env=\"prod\", Secret=?, Team=\"b\"}");
  const MapEntry& team = v.as_map().at("Team");
  // "x = " is 4 bytes; the second Team is at offset 30 in `src`.
  CHECK(team.key_span.begin == 4 + src.find("Team = \"b\""));
  REQUIRE(team.duplicate_key_spans.size() == 1);
  CHECK(team.duplicate_key_spans[0].begin == 4 + 2);
  CHECK(v.as_map().at("Secret").value.unknown_reason() == "var.secret is not known statically");
  check_rows(h, {
                    {"{ (var.env) = 1 }", "{prod=1}"},
                    {"{ (var.secret) = 1, a = 2 }", "{a=2, ...}"},
                    {"{ 1 = \"one\" }", "{1=\"one\"}"},
                });
}

TEST_CASE("tf eval: conditionals") {
  Harness h;
  check_rows(h, {
                    {"var.flag ? \"y\" : \"n\"", "\"y\""},
                    {"var.env == \"prod\" ? 1 : 2", "1"},
                    {"var.secret ? \"same\" : \"same\"", "\"same\""},
                    {"var.secret ? \"a\" : \"b\"", "?"},
                    {"\"true\" ? 1 : 2", "1"},
                    {"null ? 1 : 2", "?"},
                    {"false ? var.names[99] : 0", "0"},
                });
  Value v = h.eval_raw("var.secret ? 1 : 2");
  CHECK(v.unknown_reason() == "condition is not known statically: var.secret is not known statically");
}

TEST_CASE("tf eval: templates and directives") {
  Harness h;
  check_rows(h, {
                    {"\"${var.env}-app\"", "\"prod-app\""},
                    {"\"n=${var.count} ${var.flag} ${1.5}\"", "\"n=3 true 1.5\""},
                    {"\"${var.tags}\"", "{Env=\"dev\", Team=\"payments\"}"},
                    {"\"x${var.tags}\"", "?"},
                    {"\"x${var.secret}\"", "?"},
                    {"\"x${null}\"", "?"},
                    {"\"%{ if var.flag }on%{ else }off%{ endif }\"", "\"on\""},
                    {"\"%{ for n in var.names }${n};%{ endfor }\"", "\"a;b;c;\""},
                    {"\"%{ for k, v in var.tags }${k}=${v} %{ endfor }\"", "\"Env=dev Team=payments \""},
                    {"<<-EOT\n  a ${var.env}\n  EOT", "\"a prod\n\""},
                    // The strip-marker example of Terraform's "Strings and Templates" docs.
                    {"<<EOT\n%{ for ip in var.names ~}\nserver ${ip}\n%{ endfor ~}\nEOT",
                     "\"server a\nserver b\nserver c\n\""},
                    {"<<-EOT\n    %{ for ip in var.names ~}\n    server ${ip}\n    %{ endfor ~}\n    EOT",
                     "\"server a\nserver b\nserver c\n\""},
                });
}

TEST_CASE("tf eval: for expressions and splats") {
  Harness h;
  check_rows(h, {
                    {"[for n in var.names : upper(n)]", "[\"A\", \"B\", \"C\"]"},
                    {"[for i, n in var.names : \"${i}${n}\" if n != \"b\"]", "[\"0a\", \"2c\"]"},
                    {"{for k, v in var.tags : lower(k) => v}", "{env=\"dev\", team=\"payments\"}"},
                    {"{for n in [\"a\", \"b\", \"a\"] : n => n...}", "{a=[\"a\", \"a\"], b=[\"b\"]}"},
                    {"{for k, v in local.partial : k => v}", "{Known=\"k\", Unknown=?}"},
                    {"[for n in var.secret : n]", "?"},
                    {"{for n in var.names : n => 1 if var.secret}", "{...}"},
                    {"null[*]", "[]"},
                    {"var.env[*]", "[\"prod\"]"},
                });
}

TEST_CASE("tf eval: merge keeps known keys and provenance; unknown maps open it") {
  Harness h;
  check_rows(h, {
                    {"merge(local.common, { Team = \"x\" })", "{CostCenter=\"CC-1\", Owner=\"ops\", Team=\"x\"}"},
                    {"merge(local.common, { Owner = \"me\" })", "{CostCenter=\"CC-1\", Owner=\"me\"}"},
                    {"merge(local.common, null)", "{CostCenter=\"CC-1\", Owner=\"ops\"}"},
                    {"merge(local.unknown_map, { Team = \"x\" })", "{Team=\"x\", ...}"},
                    {"merge({ Team = \"x\" }, local.unknown_map)", "{Team=?, ...}"},
                    {"merge(local.partial, { A = 1 })", "{A=1, Known=\"k\", Unknown=?}"},
                    {"merge(\"x\")", "?"},
                });
  std::string src = "merge(local.common, { Team = \"x\" })";
  Value v = h.eval_raw(src);
  CHECK(v.as_map().at("Team").key_span.begin == 4 + src.find("Team"));
  CHECK(v.as_map().at("Owner").key_span.begin != 0);
  Value open = h.eval_raw("merge({ Team = \"x\" }, local.unknown_map)");
  CHECK(open.map_open());
  CHECK(open.as_map().at("Team").value.unknown_reason().find("may be overridden") == 0);
}

TEST_CASE("tf eval: try and can") {
  Harness h;
  check_rows(h, {
                    {"try(var.tags.Missing, \"fallback\")", "\"fallback\""},
                    {"try(var.tags.Team, \"fallback\")", "\"payments\""},
                    {"try(var.secret, \"fallback\")", "?"},
                    {"try(var.names[10], var.names[0])", "\"a\""},
                    {"try(tonumber(\"x\"), 0)", "0"},
                    {"can(var.tags.Team)", "true"},
                    {"can(var.tags.Nope)", "false"},
                    {"can(regex(\"^a\", \"abc\"))", "true"},
                    {"can(regex(\"^z\", \"abc\"))", "false"},
                    {"try(var.tags.Nope)", "?"},
                });
}

TEST_CASE("tf eval: string functions") {
  Harness h;
  check_rows(h, {
                    {"lower(\"AbC\")", "\"abc\""},
                    {"upper(\"abc\")", "\"ABC\""},
                    {"title(\"hello world-foo_bar\")", "\"Hello World-Foo_bar\""},
                    {"trimspace(\"  x \\n\")", "\"x\""},
                    {"trim(\"?!hello?!\", \"!?\")", "\"hello\""},
                    {"trimprefix(\"helloworld\", \"hello\")", "\"world\""},
                    {"trimsuffix(\"helloworld\", \"world\")", "\"hello\""},
                    {"chomp(\"x\\n\\n\")", "\"x\""},
                    {"startswith(\"hello\", \"he\")", "true"},
                    {"endswith(\"hello\", \"lo\")", "true"},
                    {"replace(\"a-b-c\", \"-\", \"_\")", "\"a_b_c\""},
                    {"replace(\"hello world\", \"/w(or)ld/\", \"W$1\")", "\"hello Wor\""},
                    {"replace(\"a1b22\", \"/[0-9]+/\", \"#\")", "\"a#b#\""},
                    {"substr(\"hello\", 1, 3)", "\"ell\""},
                    {"substr(\"hello\", -3, -1)", "\"llo\""},
                    {"substr(\"h\xc3\xa9llo\", 0, 2)", "\"h\xc3\xa9\""},
                    {"split(\",\", \"a,b,,c\")", "[\"a\", \"b\", \"\", \"c\"]"},
                    {"join(\"-\", [\"a\", \"b\"], [\"c\"])", "\"a-b-c\""},
                    {"join(\"-\", [var.secret])", "?"},
                    {"length(\"h\xc3\xa9\")", "2"},
                    {"tostring(1.5)", "\"1.5\""},
                    {"tonumber(\"42\")", "42"},
                    {"tonumber(\"x\")", "?"},
                    {"tobool(\"true\")", "true"},
                    {"base64encode(\"hello\")", "\"aGVsbG8=\""},
                    {"base64decode(\"aGVsbG8=\")", "\"hello\""},
                    {"base64decode(\"!!\")", "?"},
                    {"regex(\"[a-z]+\", \"123abc456\")", "\"abc\""},
                    {"regex(\"(\\\\d+)-(\\\\d+)\", \"10-20\")", "[\"10\", \"20\"]"},
                    {"regex(\"(?P<a>\\\\d+)-(?P<b>\\\\d+)\", \"10-20\")", "{a=\"10\", b=\"20\"}"},
                    {"regexall(\"[0-9]\", \"a1b2\")", "[\"1\", \"2\"]"},
                    {"regex(\"(?i)ABC\", \"xabcx\")", "\"abc\""},
                    {"regex(\"\\\\pL\", \"x\")", "?"},
                });
}

TEST_CASE("tf eval: format and formatlist") {
  Harness h;
  check_rows(h, {
                    {"format(\"%s-%d\", \"a\", 5)", "\"a-5\""},
                    {"format(\"%05d|%-4s|%4s|\", 42, \"ab\", \"cd\")", "\"00042|ab  |  cd|\""},
                    {"format(\"%.2f %f\", 3.14159, 1)", "\"3.14 1.000000\""},
                    {"format(\"%q %v %t %%\", \"x\", 1.5, true)", "\"\"x\" 1.5 true %\""},
                    {"format(\"%v\", [1, \"a\"])", "\"[1,\"a\"]\""},
                    {"format(\"%x %X %o %b\", 255, 255, 8, 5)", "\"ff FF 10 101\""},
                    {"format(\"%[2]s %[1]s\", \"a\", \"b\")", "\"b a\""},
                    {"format(\"%d\", 1.5)", "?"},
                    {"format(\"%s %s\", \"a\")", "?"},
                    {"format(\"%s\", var.secret)", "?"},
                    {"formatlist(\"%s=%s\", [\"a\", \"b\"], \"x\")", "[\"a=x\", \"b=x\"]"},
                    {"formatlist(\"%s%s\", [\"a\"], [\"b\", \"c\"])", "?"},
                });
}

TEST_CASE("tf eval: collection functions") {
  Harness h;
  check_rows(h, {
                    {"lookup(var.tags, \"Team\", \"d\")", "\"payments\""},
                    {"lookup(var.tags, \"Nope\", \"d\")", "\"d\""},
                    {"lookup(var.tags, \"Nope\")", "?"},
                    {"lookup(local.unknown_map, \"Team\", \"d\")", "?"},
                    {"concat([1], [2, 3], [])", "[1, 2, 3]"},
                    {"concat([var.secret], [1])", "[?, 1]"},
                    {"coalesce(\"\", null, \"x\")", "\"x\""},
                    {"coalesce(null, var.secret, \"x\")", "?"},
                    {"coalesce(\"a\", var.secret)", "\"a\""},
                    {"coalescelist([], [1])", "[1]"},
                    {"tomap({a = 1})", "{a=1}"},
                    {"tolist([1])", "[1]"},
                    {"toset([\"b\", \"a\", \"b\"])", "[\"a\", \"b\"]"},
                    {"zipmap([\"a\", \"b\"], [1, 2])", "{a=1, b=2}"},
                    {"keys(var.tags)", "[\"Env\", \"Team\"]"},
                    {"values(var.tags)", "[\"dev\", \"payments\"]"},
                    {"keys(local.unknown_map)", "?"},
                    {"flatten([[1, [2]], 3, []])", "[1, 2, 3]"},
                    {"distinct([1, 2, 1, 3])", "[1, 2, 3]"},
                    {"contains(var.names, \"b\")", "true"},
                    {"contains(var.names, \"z\")", "false"},
                    {"element(var.names, 4)", "\"b\""},
                    {"length(var.names)", "3"},
                    {"length(var.tags)", "2"},
                    {"length([var.secret])", "1"},
                    {"index(var.names, \"c\")", "2"},
                    {"one([])", "null"},
                    {"one([5])", "5"},
                    {"one([1, 2])", "?"},
                    {"sum([1, 2, 3.5])", "6.5"},
                    {"min(3, 1, 2)", "1"},
                    {"max(3, 1, 2)", "3"},
                    {"max(var.names...)", "?"},
                    {"max([4, 9]...)", "9"},
                    {"abs(-2)", "2"},
                    {"ceil(1.2)", "2"},
                    {"floor(1.8)", "1"},
                    {"sort([\"b\", \"a\", \"c\"])", "[\"a\", \"b\", \"c\"]"},
                    {"reverse([1, 2, 3])", "[3, 2, 1]"},
                    {"range(3)", "[0, 1, 2]"},
                    {"range(1, 7, 2)", "[1, 3, 5]"},
                    {"range(3, 0)", "[3, 2, 1]"},
                    {"range(100000)", "?"},
                    {"setunion([\"b\"], [\"a\", \"b\"])", "[\"a\", \"b\"]"},
                    {"setintersection([\"a\", \"b\"], [\"b\", \"c\"])", "[\"b\"]"},
                    {"slice(var.names, 1, 3)", "[\"b\", \"c\"]"},
                    {"slice(var.names, 2, 5)", "?"},
                    {"compact([\"a\", \"\", null, \"b\"])", "[\"a\", \"b\"]"},
                    {"jsonencode({b = [1, true, null], a = \"<x>\"})", "\"{\"a\":\"\\u003cx\\u003e\",\"b\":[1,true,null]}\""},
                    {"jsondecode(\"{\\\"a\\\": [1, \\\"x\\\", true]}\")", "{a=[1, \"x\", true]}"},
                    {"jsondecode(\"{\")", "?"},
                    {"yamldecode(\"a: 1\\nb: [x, y]\\n\")", "{a=1, b=[\"x\", \"y\"]}"},
                });
}

TEST_CASE("tf eval: unsupported, provider and failing functions are unknown with a reason") {
  Harness h;
  Value v = h.eval_raw("md5(\"x\")");
  CHECK(v.is_unknown());
  CHECK(v.unknown_reason() == "function md5 is not evaluated");
  Value p = h.eval_raw("provider::aws::arn_parse(\"x\")");
  CHECK(p.unknown_reason() == "provider function provider::aws::arn_parse is not evaluated");
  Value e = h.eval_raw("upper(1, 2)");
  CHECK(e.is_unknown());
  CHECK(e.unknown_reason().find("wrong number of arguments") != std::string::npos);
  Value u = h.eval_raw("upper(var.secret)");
  CHECK(u.unknown_reason() == "var.secret is not known statically");
}

TEST_CASE("tf eval: the step budget bounds every evaluation") {
  Harness h;
  h.budget_ = 1000;
  Value v = h.eval_raw("[for i in range(1000) : [for j in range(1000) : i * j]]");
  CHECK(v.is_unknown());
  Value s = h.eval_raw("[for i in range(1000) : i]");
  CHECK(!s.is_wholly_known());
  h.budget_ = 200'000;
  CHECK(h.eval("length([for i in range(1000) : i])") == "1000");
}

TEST_CASE("tf eval: values carry spans") {
  Harness h;
  Value v = h.eval_raw("upper(\"a\")");
  CHECK(v.span().begin == 4);
  CHECK(v.span().end == 14);
  Value t = h.eval_raw("var.tags");
  // The variable's value keeps the span where it was written (its own file).
  CHECK(t.as_map().at("Team").key_span.valid());
}

TEST_CASE("tf eval: supported_functions lists what is implemented") {
  const auto& names = supported_functions();
  CHECK(std::is_sorted(names.begin(), names.end()));
  for (const char* n : {"merge", "lookup", "try", "can", "format", "regex", "yamldecode"}) {
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
  }
}

TEST_CASE("tf eval: references lists what an expression depends on") {
  hcl::ParseResult r = hcl::parse_hcl(
      0, "x = merge(local.common, { Env = var.env, Name = \"${each.key}-x\" }, "
         "{ for k, v in var.extra : k => v if k != count.index }, aws_s3_bucket.b[*].tags, "
         "module.m[\"out\"], path[\"root\"])\n");
  REQUIRE(r.errors.empty());
  std::vector<Reference> refs = references(*r.file->body.attribute("x")->expr);
  std::vector<std::string> got;
  for (const Reference& ref : refs) got.push_back(ref.root + "." + ref.attr);
  CHECK(got == std::vector<std::string>{"local.common", "var.env", "each.key", "var.extra",
                                        "count.index", "aws_s3_bucket.b", "module.m", "path.root"});
}

TEST_CASE("tf eval: value_from_doc keeps spans and takes strings literally") {
  std::string json = R"({"tags": {"Team": "a", "Tmpl": "${x}"}, "n": 2, "l": [true, null]})";
  DocResult d = parse_json(5, json);
  REQUIRE(d.root);
  Value v = value_from_doc(*d.root);
  CHECK(render(v) == "{l=[true, null], n=2, tags={Team=\"a\", Tmpl=\"${x}\"}}");
  const MapEntry& team = v.as_map().at("tags").value.as_map().at("Team");
  CHECK(team.key_span.file == 5);
  CHECK(json.substr(team.key_span.begin, 6) == "\"Team\"");
  CHECK(json.substr(team.value.span().begin, 3) == "\"a\"");
}

TEST_CASE("tf eval: more functions") {
  Harness h;
  check_rows(h, {
                    {"alltrue([true, \"true\"])", "true"},
                    {"alltrue([])", "true"},
                    {"anytrue([false, true])", "true"},
                    {"basename(\"foo/bar/baz.txt\")", "\"baz.txt\""},
                    {"basename(\"\")", "\".\""},
                    {"dirname(\"foo/bar/baz.txt\")", "\"foo/bar\""},
                    {"dirname(\"baz.txt\")", "\".\""},
                    {"setsubtract([\"a\", \"b\", \"c\"], [\"a\", \"c\"])", "[\"b\"]"},
                    {"setproduct([\"a\", \"b\"], [1, 2])", "[[\"a\", 1], [\"a\", 2], [\"b\", 1], [\"b\", 2]]"},
                    {"strrev(\"abc\")", "\"cba\""},
                    {"pow(2, 10)", "1024"},
                    {"signum(-3)", "-1"},
                    {"parseint(\"ff\", 16)", "255"},
                    {"parseint(\"-101\", 2)", "-5"},
                    {"parseint(\"zz\", 10)", "?"},
                    {"indent(2, \"a\\nb\")", "\"a\n  b\""},
                    {"urlencode(\"a b&c\")", "\"a+b%26c\""},
                    {"chunklist([1, 2, 3], 2)", "[[1, 2], [3]]"},
                    {"matchkeys([\"i1\", \"i2\"], [\"a\", \"b\"], [\"b\"])", "[\"i2\"]"},
                    {"transpose({a = [\"1\", \"2\"], b = [\"2\"]})", "{1=[\"a\"], 2=[\"a\", \"b\"]}"},
                    {"sensitive(var.env)", "\"prod\""},
                    {"nonsensitive(var.secret)", "?"},
                });
}

TEST_CASE("tf eval: file and templatefile read through the context") {
  Harness h;
  check_rows(h, {
                    {"yamldecode(file(\"tags.yaml\"))", "{Team=\"payments\", Tier=\"1\"}"},
                    {"file(\"missing.txt\")", "?"},
                    {"templatefile(\"name.tftpl\", { prefix = \"p\", names = [\"a\", \"b\"] })",
                     "\"p-a p-b \""},
                    {"templatefile(\"bad.tftpl\", {})", "?"},
                    {"try(templatefile(\"bad.tftpl\", {}), \"fallback\")", "\"fallback\""},
                    {"templatefile(\"name.tftpl\", { prefix = var.secret, names = [\"a\"] })", "?"},
                });
  Value v = h.eval_raw("file(\"missing.txt\")");
  CHECK(v.unknown_reason() == "file \"missing.txt\" is not read");
}

TEST_CASE("tf eval: comparison with null is known even when the other side holds unknowns") {
  // Regression: `for_each = var.x != null ? ... : {}` stayed unknown when var.x was a known
  // object with one unknown attribute (43 corpus resources); Terraform decides null first.
  Harness h;
  check_rows(h, {
                    {"{a = var.secret} != null", "true"},
                    {"[var.secret] == null", "false"},
                    {"null == null", "true"},
                    {"var.secret == null", "?"},
                    {"{a = var.secret} == {a = 1}", "?"},
                });
}

TEST_CASE("value_from_doc: the one JSON/YAML-to-value converter keeps spans, or gives every value one") {
  SourceManager sources;
  FileId id = sources.add("v.json", R"({"a": 1, "b": [true, null, "s"], "a": 2.5, "n": 1e999999})");
  DocResult doc = parse_json(id, sources.file(id).contents());
  REQUIRE(doc.root);
  tf::Value v = tf::value_from_doc(*doc.root);
  const auto& m = v.as_map();
  CHECK(m.at("a").value.as_number() == 2.5);  // last spelling wins
  CHECK(m.at("a").duplicate_key_spans.size() == 1);
  CHECK(span_text(sources, m.at("a").value.span()) == "2.5");
  CHECK(m.at("b").value.as_list()[1].is_null());
  CHECK(m.at("n").value.kind() == tf::Value::Kind::kString);  // not a double: kept as written
  Span at{id, 0, 1};
  tf::Value w = tf::value_from_doc(*doc.root, at);
  CHECK(w.as_map().at("a").duplicate_key_spans.empty());
  CHECK(w.as_map().at("b").value.as_list()[2].span().end == 1);
}
