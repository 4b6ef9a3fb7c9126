// Creation-stack frames: which are the user's, and where they are in the linted tree.
#include <doctest/doctest.h>

#include "linter/frontend/cdk/creation_stack.hpp"

using namespace tagwarden;
using namespace tagwarden::cdk;

TEST_CASE("a frame in the user's code gives its file, line and column") {
  auto f = parse_user_frame("new StorageStack (/home/runner/work/app/app/lib/storage-stack.js:12:18)");
  REQUIRE(f);
  CHECK(f->file == "/home/runner/work/app/app/lib/storage-stack.js");
  CHECK(f->line == 12);
  CHECK(f->column == 18);

  auto bare = parse_user_frame("    at /home/runner/work/app/app/app.js:3:1");
  REQUIRE(bare);
  CHECK(bare->file == "/home/runner/work/app/app/app.js");
  CHECK(bare->line == 3);

  auto anon = parse_user_frame("<anonymous> (/x/bin/app.js:8:1)");
  REQUIRE(anon);
  CHECK(anon->file == "/x/bin/app.js");

  auto no_column = parse_user_frame("Object.<anonymous> (/x/app.js:7)");
  REQUIRE(no_column);
  CHECK(no_column->line == 7);
  CHECK(no_column->column == 0);
}

TEST_CASE("Windows paths and file URLs lose what cannot be matched here") {
  auto win = parse_user_frame("new Stack (C:\\Users\\me\\app\\bin\\app.js:5:3)");
  REQUIRE(win);
  CHECK(win->file == "/Users/me/app/bin/app.js");
  auto esm = parse_user_frame("file:///home/runner/work/app/app/bin/app.mjs:2:7");
  REQUIRE(esm);
  CHECK(esm->file == "/home/runner/work/app/app/bin/app.mjs");
}

TEST_CASE("library, runtime and summary frames are not the user's") {
  CHECK_FALSE(parse_user_frame("...new Bucket2 in aws-cdk-lib..."));
  CHECK_FALSE(parse_user_frame("...node internals..."));
  CHECK_FALSE(parse_user_frame("(no user code in 10 frames, use --stack-trace-limit to capture more)"));
  CHECK_FALSE(parse_user_frame("new Bucket (/src/node_modules/aws-cdk-lib/aws-s3/lib/bucket.js:1:2)"));
  CHECK_FALSE(parse_user_frame("Module._compile (node:internal/modules/cjs/loader:1105:14)"));
  CHECK_FALSE(parse_user_frame("async Promise.all (index 0)"));
  CHECK_FALSE(parse_user_frame("new Foo (<anonymous>)"));
  CHECK_FALSE(parse_user_frame(""));
  CHECK_FALSE(parse_user_frame(std::string(10000, 'x') + ".js:1:1"));
}

TEST_CASE("frames map onto the linted tree by the longest existing path suffix") {
  MemoryReader reader;
  reader.add("repo/lib/stack.js", "x\n");
  reader.add("repo/stack.js", "y\n");
  reader.add("other/app/bin/app.js", "z\n");
  reader.add("repo/bin/app.js", "w\n");
  FrameMapper mapper(reader, {"repo", "other"});
  // lib/stack.js is longer than stack.js.
  CHECK(mapper.map("/home/runner/work/app/app/lib/stack.js") == std::optional<std::string>("repo/lib/stack.js"));
  // The longer suffix wins across roots, whatever their order.
  CHECK(mapper.map("/ci/app/bin/app.js") == std::optional<std::string>("other/app/bin/app.js"));
  // Nothing of the name anywhere: no location.
  CHECK_FALSE(mapper.map("/home/runner/work/app/app/lib/missing.js"));
  // A suffix never climbs out of a root.
  CHECK(mapper.map("/a/../../stack.js") == std::optional<std::string>("repo/stack.js"));
  // Cached answers are the same answers.
  CHECK(mapper.map("/home/runner/work/app/app/lib/stack.js") == std::optional<std::string>("repo/lib/stack.js"));
}

TEST_CASE("a line and column become a span to the end of that line") {
  SourceManager sm;
  // "é" is two bytes: column 3 of line 2 is after "é" and "x".
  FileId f = sm.add("a.js", "first\n\xc3\xa9xnew Bucket();  \nlast");
  auto span = span_of_line(sm, f, 2, 3);
  REQUIRE(span);
  CHECK(span_text(sm, *span) == "new Bucket();");
  CHECK(sm.begin_of(*span).line == 2);
  CHECK(sm.begin_of(*span).column == 3);
  auto whole = span_of_line(sm, f, 3, 0);
  REQUIRE(whole);
  CHECK(span_text(sm, *whole) == "last");
  CHECK_FALSE(span_of_line(sm, f, 4, 1));  // the file changed since the synth
  CHECK_FALSE(span_of_line(sm, f, 0, 1));
  auto past_end = span_of_line(sm, f, 1, 99);
  REQUIRE(past_end);
  CHECK(span_text(sm, *past_end).empty());
}
