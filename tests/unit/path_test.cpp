// Path spelling: what path_normalize makes of the paths users and loaders write. Most paths are
// already normal and come back as they are; the rest are split and joined again.
#include <doctest/doctest.h>

#include "linter/source/reader.hpp"

using tagwarden::path_normalize;

TEST_CASE("paths that are already normal come back unchanged") {
  for (const char* p : {".", "/", "a", "a/b", "/a/b.tf", "..a/b..", "a/.b/c.", "a b/c", "/x/y/z/w.tf.json"}) {
    CAPTURE(p);
    CHECK(path_normalize(p) == p);
  }
}

TEST_CASE("empty, dot and dot-dot parts, backslashes and trailing slashes are resolved") {
  CHECK(path_normalize("") == ".");
  CHECK(path_normalize("./a") == "a");
  CHECK(path_normalize("a/./b") == "a/b");
  CHECK(path_normalize("a//b/") == "a/b");
  CHECK(path_normalize("a/") == "a");
  CHECK(path_normalize("//") == "/");
  CHECK(path_normalize("a/..") == ".");
  CHECK(path_normalize("a/../../b") == "../b");
  CHECK(path_normalize("..") == "..");
  CHECK(path_normalize("/..") == "/");
  CHECK(path_normalize("/a/../..") == "/");
  CHECK(path_normalize("a\\b") == "a/b");
  CHECK(path_normalize("/a/b/../c") == "/a/c");
}
