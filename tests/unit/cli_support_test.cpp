// Command-line pieces: --output specs, "did you mean", the git top level.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "linter/cli/cli_support.hpp"

using namespace tagwarden;

TEST_CASE("--output FILE:FORMAT splits at the last colon; text after it that is no format name belongs to the file") {
  std::vector<std::string> formats{"text", "json", "sarif", "github"};
  auto none = [](const std::string&) { return false; };
  std::string error;
  auto spec = *parse_output_spec("results.sarif:sarif", formats, "text", none, &error);
  CHECK(spec.path == "results.sarif");
  CHECK(spec.format == "sarif");
  spec = *parse_output_spec("-:github", formats, "text", none, &error);
  CHECK(spec.path == "-");
  CHECK(spec.format == "github");
  spec = *parse_output_spec("report.txt", formats, "json", none, &error);
  CHECK(spec.path == "report.txt");
  CHECK(spec.format == "json");
  // What follows the last ':' is no format name: all of it is the file.
  spec = *parse_output_spec("runs/12:30.sarif", formats, "sarif", none, &error);
  CHECK(spec.path == "runs/12:30.sarif");
  CHECK(spec.format == "sarif");
  spec = *parse_output_spec("a:b/out", formats, "text", none, &error);
  CHECK(spec.path == "a:b/out");
  // A file name ending in a word takes its format explicitly.
  spec = *parse_output_spec("c:/out:weird:text", formats, "json", none, &error);
  CHECK(spec.path == "c:/out:weird");
  CHECK(spec.format == "text");
  spec = *parse_output_spec("C::sarif", formats, "text", none, &error);
  CHECK(spec.path == "C:");
  CHECK(spec.format == "sarif");
}

TEST_CASE(
    "--output: a mistyped format is an error naming the formats (regression: x:sarf was a text file named x:sarf)") {
  std::vector<std::string> formats{"text", "json", "sarif", "github"};
  auto none = [](const std::string&) { return false; };
  std::string error;
  CHECK_FALSE(parse_output_spec("x:sarf", formats, "text", none, &error).has_value());
  CHECK(error.find("unknown format 'sarf', did you mean 'sarif'?") != std::string::npos);
  CHECK(error.find("text, json, sarif, github") != std::string::npos);
  CHECK(error.find("x:sarf:text") != std::string::npos);
  CHECK_FALSE(parse_output_spec("C:", formats, "text", none, &error).has_value());
  CHECK(error.find("no format after ':'") != std::string::npos);
  CHECK_FALSE(parse_output_spec("c:/out:weird", formats, "text", none, &error).has_value());
  // ... unless the whole text names an existing file or folder.
  auto exists = [](const std::string& p) { return p == "x:sarf"; };
  auto spec = parse_output_spec("x:sarf", formats, "json", exists, &error);
  REQUIRE(spec.has_value());
  CHECK(spec->path == "x:sarf");
  CHECK(spec->format == "json");
}

TEST_CASE("did you mean: close typos get a suggestion, unrelated words none") {
  std::vector<std::string> names{"--schema", "--format", "--fail-level", "--var-file", "--output"};
  CHECK(closest_match("--shema", names) == std::optional<std::string>("--schema"));
  CHECK(closest_match("--FORMAT", names) == std::optional<std::string>("--format"));
  CHECK(closest_match("--varfile", names) == std::optional<std::string>("--var-file"));
  CHECK_FALSE(closest_match("--banana-split", names).has_value());
  CHECK(closest_match("chek", {"check", "tags", "rules"}) == std::optional<std::string>("check"));
}

TEST_CASE("the git top level is found by walking up to a .git directory or file, not past a ceiling") {
  namespace fs = std::filesystem;
  fs::path base = fs::temp_directory_path() / "tagwarden-gittop-test";
  fs::remove_all(base);
  fs::create_directories(base / "repo/.git");
  fs::create_directories(base / "repo/infra/envs");
  fs::create_directories(base / "wt/sub");
  std::ofstream(base / "wt/.git") << "gitdir: /elsewhere\n";
  std::string b = base.generic_string();
  CHECK(find_git_top_level(b + "/repo/infra/envs", {}) == b + "/repo");
  CHECK(find_git_top_level(b + "/wt/sub", {}) == b + "/wt");
  CHECK(find_git_top_level(b + "/repo/infra/envs", {b + "/repo/infra"}).empty());
  fs::remove_all(base);
}
