// Command-line pieces: --output specs, "did you mean", the git top level.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "linter/cli/cli_support.hpp"

using namespace tagwarden;

TEST_CASE("--output FILE:FORMAT splits at the last colon only when a format follows") {
  std::vector<std::string> formats{"text", "json", "sarif", "github"};
  auto spec = parse_output_spec("results.sarif:sarif", formats, "text");
  CHECK(spec.path == "results.sarif");
  CHECK(spec.format == "sarif");
  spec = parse_output_spec("-:github", formats, "text");
  CHECK(spec.path == "-");
  CHECK(spec.format == "github");
  spec = parse_output_spec("report.txt", formats, "json");
  CHECK(spec.path == "report.txt");
  CHECK(spec.format == "json");
  spec = parse_output_spec("c:/out:weird", formats, "text");  // not a format: all of it is the file
  CHECK(spec.path == "c:/out:weird");
  CHECK(spec.format == "text");
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
