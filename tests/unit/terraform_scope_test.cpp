// Stage "scope" of the Terraform loader: what references resolve to in a module instance
// (linter/frontend/terraform/scope.hpp).
#include <doctest/doctest.h>

#include "linter/frontend/terraform/scope.hpp"
#include "tests/unit/terraform_stages_support.hpp"

using namespace tagwarden;
using namespace tagwarden::terraform;

namespace {

struct Fixture {
  tw_test::Module m;
  MemoryReader reader;
  RunOptions options;
  std::vector<Error> errors;
  std::set<std::pair<FileId, std::uint32_t>> reported;
  Instance in;
  explicit Fixture(const std::string& text) : m(text) { in.mod = &m.dir; }
  tf::Value eval(const std::string& local, const Iter* it = nullptr) {
    LoadContext ctx{options, m.sources, reader};
    Scope scope(
        ctx, "m", "ws", [](Instance&, const std::string& name, Span) { return tf::Value::string("module " + name); },
        errors, reported);
    return scope.eval(in, m.dir.locals.at(local)->expr, it);
  }
};

}  // namespace

TEST_CASE("scope: references resolve as Terraform does") {
  Fixture f(R"(
locals {
  var     = var.v
  nodecl  = var.nope
  local   = local.var
  module  = module.net.out
  pmod    = path.module
  proot   = path.root
  ws      = terraform.workspace
  each    = each.key
  count   = count.index
  other   = aws_vpc.v.id
  self    = local.self
  file    = file("x.txt")
}
)");
  f.in.vars["v"] = tf::Value::string("value");
  f.reader.add("m/x.txt", "contents");
  f.options.paths = {"m"};  // file() reads only inside the linted tree
  CHECK(f.eval("var").as_string() == "value");
  CHECK(f.eval("nodecl").unknown_reason() == "var.nope is not declared");
  CHECK(f.eval("local").as_string() == "value");
  CHECK(f.eval("pmod").as_string() == ".");  // the root module, relative to itself
  CHECK(f.eval("proot").as_string() == ".");
  CHECK(f.eval("ws").as_string() == "ws");
  CHECK(f.eval("each").unknown_reason() == "each.key is used without for_each");
  Iter it;
  it.count_index = tf::Value::number(3);
  CHECK(f.eval("count", &it).as_number() == 3);
  CHECK(f.eval("other").is_unknown());
  CHECK(f.eval("file").as_string() == "contents");
  CHECK(f.eval("self").unknown_reason() == "local.self refers to itself");
  REQUIRE(f.errors.size() == 1);
  CHECK(f.errors[0].message == "local.self refers to itself");
  f.in.local_cache.clear();
  f.eval("self");
  CHECK(f.errors.size() == 1);  // reported once
}

TEST_CASE("scope: path.cwd and abspath() are the root directory under the working directory") {
  Fixture f("locals {\n  cwd = path.cwd\n  abs = abspath(\"x/../y\")\n}\n");
  CHECK(f.eval("cwd").is_unknown());
  CHECK(f.eval("abs").is_unknown());
  f.in.local_cache.clear();
  f.options.working_directory = "/home/u";
  CHECK(f.eval("cwd").as_string() == "/home/u/m");
  CHECK(f.eval("abs").as_string() == "/home/u/m/y");
}

TEST_CASE("scope: path.module of a child is relative to the root") {
  Fixture f("locals {\n  p = path.module\n}\n");
  terraform::ModuleDir child;
  child.dir = "m/modules/x";
  child.locals = f.m.dir.locals;
  f.in.mod = &child;
  CHECK(f.eval("p").as_string() == "modules/x");
  terraform::ModuleDir sibling;
  sibling.dir = "other";
  sibling.locals = f.m.dir.locals;
  f.in.mod = &sibling;
  f.in.local_cache.clear();
  CHECK(f.eval("p").as_string() == "../other");
}

TEST_CASE("scope: data.aws_default_tags and data.aws_region read the provider configuration") {
  Fixture f(R"(
data "aws_default_tags" "d" {}
data "aws_region" "r" {}
data "aws_region" "later" {
  depends_on = [aws_vpc.v]
}
locals {
  team   = data.aws_default_tags.d.tags["Team"]
  region = data.aws_region.r.name
  later  = data.aws_region.later.name
  other  = data.aws_ami.x.id
}
)");
  auto pc = std::make_shared<terraform::ProviderConfig>();
  tf::MapData dt;
  dt["Team"] = tf::MapEntry{tf::Value::string("t"), {}, {}};
  pc->default_tags = tf::Value::map(dt);
  pc->region = tf::Value::string("eu-west-1");
  f.in.providers["aws"] = pc;
  CHECK(f.eval("team").as_string() == "t");
  CHECK(f.eval("region").as_string() == "eu-west-1");
  CHECK(f.eval("later").unknown_reason() == "data.aws_region.later is read during apply (depends_on)");
  CHECK(f.eval("other").is_unknown());
}
