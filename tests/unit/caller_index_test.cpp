// The caller index of `--changed` (linter/engine/caller_index.hpp): which folders hold Terraform
// files and which folders call each one. A warm pre-commit run reads it instead of the git index
// and the module-calls cache, so what it answers must be what was built, and a saved text that
// is damaged or was saved for another git index must never be used.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "linter/engine/caller_index.hpp"

using namespace tagwarden;

namespace {

std::map<std::string, CallerIndexFolder> monorepo() {
  std::map<std::string, CallerIndexFolder> f;
  f["roots/a"] = {{"main.tf", "variables.tf"}, {}};
  f["roots/b"] = {{"main.tf"}, {}};
  f["modules/net"] = {{"main.tf"}, {"roots/a", "roots/b"}};
  f["modules/shared"] = {{"main.tf"}, {"modules/net"}};
  f["modules/missing"] = {{}, {"roots/b"}};  // called, but holds no Terraform file
  // Names git allows and a line-based format must survive.
  f["odd\tdir\\x"] = {{"tab\tname.tf", "new\nline.tf"}, {"back\\slash"}};
  return f;
}

}  // namespace

TEST_CASE("caller index: folders, their files and their callers, as built") {
  CallerIndex index = CallerIndex::build("key", monorepo());
  CHECK(index.has_files("roots/a"));
  CHECK(index.has_files("modules/net"));
  CHECK_FALSE(index.has_files("modules/missing"));
  CHECK_FALSE(index.has_files("nowhere"));
  CHECK(index.lists("roots/a", "variables.tf"));
  CHECK_FALSE(index.lists("roots/a", "variables"));
  CHECK_FALSE(index.lists("roots/b", "variables.tf"));
  CHECK(index.callers("modules/net") == std::set<std::string>{"roots/a", "roots/b"});
  CHECK(index.callers("modules/missing") == std::set<std::string>{"roots/b"});
  CHECK(index.callers("roots/a").empty());
  CHECK(index.callers("nowhere").empty());
  CHECK(index.lists("odd\tdir\\x", "tab\tname.tf"));
  CHECK(index.lists("odd\tdir\\x", "new\nline.tf"));
  CHECK(index.callers("odd\tdir\\x") == std::set<std::string>{"back\\slash"});
  CHECK(index.folders_with_files() ==
        std::vector<std::string>{"modules/net", "modules/shared", "odd\tdir\\x", "roots/a", "roots/b"});
}

TEST_CASE("caller index: the saved text reads back the same, only under its own key") {
  CallerIndex built = CallerIndex::build("abc123 .", monorepo());
  std::string text(built.text());
  auto read = CallerIndex::read(FileBytes(text), "abc123 .");
  REQUIRE(read);
  CHECK(read->text() == text);
  CHECK(read->callers("modules/shared") == std::set<std::string>{"modules/net"});
  CHECK(read->lists("odd\tdir\\x", "new\nline.tf"));
  // Another git index, or the same index listed under another search root.
  CHECK_FALSE(CallerIndex::read(FileBytes(text), "abc124 ."));
  CHECK_FALSE(CallerIndex::read(FileBytes(text), "abc123 infra"));
}

TEST_CASE("caller index: backslashes, tabs and line breaks are escaped wherever they stand") {
  // At the start and end of a name, one after another, and alone.
  std::map<std::string, CallerIndexFolder> folders;
  folders["\\a\t"] = {{"\n\n.tf\\", "\\"}, {"x\ty\n"}};
  CallerIndex built = CallerIndex::build("k\t", folders);
  CHECK(built.text() == "tagwarden callers 1\nk\\t\n\\\\a\\t\t\\n\\n.tf\\\\/\\\\\tx\\ty\\n\n");
  auto read = CallerIndex::read(FileBytes(std::string(built.text())), "k\t");
  REQUIRE(read);
  CHECK(read->lists("\\a\t", "\n\n.tf\\"));
  CHECK(read->lists("\\a\t", "\\"));
  CHECK(read->callers("\\a\t") == std::set<std::string>{"x\ty\n"});
}

TEST_CASE("caller index: a damaged text is not used") {
  std::string text(CallerIndex::build("k", monorepo()).text());
  CHECK(CallerIndex::read(FileBytes(text), "k"));
  CHECK_FALSE(CallerIndex::read(FileBytes(text.substr(0, text.size() - 1)), "k"));  // a truncated last line
  CHECK_FALSE(CallerIndex::read(FileBytes(""), "k"));
  CHECK_FALSE(CallerIndex::read(FileBytes("tagwarden callers 2\nk\n"), "k"));
  CHECK(CallerIndex::read(FileBytes("tagwarden callers 1\nk\n"), "k"));  // an empty search root
  CHECK_FALSE(CallerIndex::read(FileBytes("tagwarden callers 1\nk\nb\tmain.tf\na\tmain.tf\n"), "k"));  // unsorted
  CHECK_FALSE(CallerIndex::read(FileBytes("tagwarden callers 1\nk\na\tmain.tf\na\tx.tf\n"), "k"));     // twice
  CHECK_FALSE(CallerIndex::read(FileBytes("tagwarden callers 1\nk\nno-tab\n"), "k"));
}
