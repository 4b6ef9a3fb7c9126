// Specification of the directory walk (discover_inputs, linter/engine/engine.hpp): what it finds
// and the order of its findings and errors are those of a depth-first walk, whatever the number
// of threads that list the folders.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "linter/engine/engine.hpp"
#include "linter/source/reader.hpp"
#include "linter/source/source_manager.hpp"

using namespace tagwarden;

namespace {

struct Walked {
  LoadInputs inputs;
  std::vector<std::string> errors;
};

Walked walk_with(const MemoryReader& reader, unsigned jobs, std::vector<std::string> paths = {"t"}) {
  RunOptions options;
  options.paths = std::move(paths);
  options.jobs = jobs;
  SourceManager sources;
  LoadContext ctx{options, sources, reader};
  Walked w;
  std::vector<Error> errors;
  w.inputs = discover_inputs(ctx, errors);
  for (const auto& e : errors) w.errors.push_back(e.file_hint + ": " + e.message);
  return w;
}

/// The walk of `reader` at 2 and 8 jobs finds what `one` (the walk at 1 job) found, in its order.
void check_same_with_threads(const MemoryReader& reader, const Walked& one) {
  for (unsigned jobs : {2u, 8u}) {
    CAPTURE(jobs);
    Walked many = walk_with(reader, jobs);
    CHECK(many.inputs.data_files == one.inputs.data_files);
    CHECK(many.inputs.terraform_dirs == one.inputs.terraform_dirs);
    CHECK(many.inputs.files == one.inputs.files);
    CHECK(many.errors == one.errors);
  }
}

/// A tree wide enough that its levels are listed on several threads.
MemoryReader wide_tree() {
  MemoryReader r;
  for (int i = 0; i < 120; ++i) {
    std::string dir = "t/d" + std::to_string(100 + i);
    r.add(dir + "/main.tf", "resource \"x\" \"y\" {}\n");
    if (i % 7 == 0) r.add(dir + "/template.yaml", "Resources: {}\n");
    if (i % 11 == 0) r.add(dir + "/deeper/more/params.json", "{}\n");
    if (i % 13 == 0) r.add(dir + "/.hidden/x.yaml", "Resources: {}\n");
    if (i % 17 == 0) r.add(dir + "/node_modules/m/y.json", "{}\n");
  }
  r.add("t/top.yml", "Resources: {}\n");
  r.add("t/readme.md", "not an input\n");
  return r;
}

}  // namespace

TEST_CASE("walk: finds the same inputs in depth-first order with one thread or many") {
  MemoryReader reader = wide_tree();
  Walked one = walk_with(reader, 1);
  CHECK(one.errors.empty());
  CHECK(one.inputs.terraform_dirs.size() == 120);
  // 120 .tf files, 18 templates, 11 parameter files, t/top.yml and t/readme.md; hidden folders and
  // node_modules are not walked.
  CHECK(one.inputs.files == 120 + 18 + 11 + 2);
  REQUIRE(one.inputs.data_files.size() == 18 + 11 + 1);
  // Depth first, in listing order: t/d100's files and subfolders before t/d101, t/top.yml last.
  CHECK(one.inputs.data_files[0] == "t/d100/deeper/more/params.json");
  CHECK(one.inputs.data_files[1] == "t/d100/template.yaml");
  CHECK(one.inputs.data_files.back() == "t/top.yml");
  check_same_with_threads(reader, one);
}

TEST_CASE("walk: folders nested more than 64 deep are reported once and not walked") {
  MemoryReader reader;
  std::string dir = "t";
  for (int i = 0; i < 70; ++i) {
    dir += "/n";
    if (i == 3) reader.add(dir + "/shallow.tf", "");
  }
  reader.add(dir + "/deep.tf", "");
  reader.add("t/a/x.yaml", "Resources: {}\n");
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    Walked w = walk_with(reader, jobs);
    REQUIRE(w.errors.size() == 1);
    CHECK(w.errors[0].find("directory nesting is too deep") != std::string::npos);
    // The folder at depth 65 below t: t followed by 65 `/n`.
    std::string too_deep = "t";
    for (int i = 0; i < 65; ++i) too_deep += "/n";
    CHECK(w.errors[0].rfind(too_deep + ": ", 0) == 0);
    CHECK(w.inputs.terraform_dirs.size() == 1);  // shallow.tf only
    CHECK(w.inputs.data_files == std::vector<std::string>{"t/a/x.yaml"});
  }
}

TEST_CASE("walk: below a wide level, each thread walks whole subtrees and the result is the same") {
  // 40 folders at the first level (the threads share them), one of which nests past 64 levels
  // and others with subfolders of their own: inputs and errors in the order of one thread.
  MemoryReader reader;
  for (int i = 0; i < 40; ++i) {
    std::string dir = "t/w" + std::to_string(10 + i);
    reader.add(dir + "/main.tf", "");
    if (i % 3 == 0) reader.add(dir + "/sub/a/template.json", "{}\n");
    if (i % 5 == 0) reader.add(dir + "/sub/b/c/main.tf", "");
    if (i == 20) {
      std::string deep = dir;
      for (int k = 0; k < 70; ++k) deep += "/n";
      reader.add(deep + "/deep.tf", "");
      reader.add(dir + "/n/n/x.yaml", "Resources: {}\n");
    }
  }
  Walked one = walk_with(reader, 1);
  REQUIRE(one.errors.size() == 1);
  CHECK(one.errors[0].find("directory nesting is too deep") != std::string::npos);
  CHECK(one.inputs.terraform_dirs.size() == 40 + 8);
  REQUIRE(one.inputs.data_files.size() == 14 + 1);
  CHECK(one.inputs.data_files[0] == "t/w10/sub/a/template.json");
  check_same_with_threads(reader, one);
}
