// Baseline for bench/: parse every file named on stdin (one path a line) with the raw
// tree-sitter HCL parser and do nothing else, on N threads (-j N, default 1). Prints the file
// count, bytes and the number of trees with errors, so the work can be checked.
#include <tree_sitter/api.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern "C" const TSLanguage* tree_sitter_hcl(void);

int main(int argc, char** argv) {
  unsigned jobs = 1;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "-j") == 0) jobs = static_cast<unsigned>(std::stoul(argv[i + 1]));
  }
  if (jobs == 0) jobs = 1;
  std::vector<std::string> paths;
  for (std::string line; std::getline(std::cin, line);) {
    if (!line.empty()) paths.push_back(line);
  }
  std::atomic<std::size_t> next{0}, bytes{0}, with_errors{0};
  auto worker = [&] {
    TSParser* parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_hcl());
    for (std::size_t i = next++; i < paths.size(); i = next++) {
      std::ifstream in(paths[i], std::ios::binary);
      std::ostringstream ss;
      ss << in.rdbuf();
      std::string text = std::move(ss).str();
      bytes += text.size();
      TSTree* tree = ts_parser_parse_string(parser, nullptr, text.data(), static_cast<uint32_t>(text.size()));
      if (tree && ts_node_has_error(ts_tree_root_node(tree))) ++with_errors;
      ts_tree_delete(tree);
    }
    ts_parser_delete(parser);
  };
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
  for (auto& t : threads) t.join();
  std::printf("files=%zu bytes=%zu trees_with_errors=%zu\n", paths.size(), bytes.load(), with_errors.load());
  return 0;
}
