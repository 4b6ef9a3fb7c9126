// Maintainer tool: proves that grammars/patches change no parse. Every input is parsed with the
// HCL grammar exactly as pinned (tree_sitter_hcl_upstream) and with the patched grammar that
// tagwarden is built from (tree_sitter_hcl), and the results are compared:
//   - the tree-sitter trees, node by node: type, grammar type, named/extra/missing/error flags,
//     has_error, field name, byte range, row/column range, child counts and parse states;
//   - the hcl:: AST, every Span and every error of linter/load/hcl (parse_hcl, and
//     parse_template_string / parse_expression_string on the whole text), converted by the
//     same converter source compiled once against each grammar.
// The fast parser (linter/load/hcl/fast_parser.hpp) is checked on every input too: what it
// reads must be free of syntax errors under tree-sitter and give the same AST and comments.
// With --mutants N, each file is also compared in N broken copies (seeded random byte
// deletions, insertions, duplications and truncations). Usage: see usage() below.
#include <fmt/format.h>
#include <tree_sitter/api.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "linter/load/hcl/ast_diff.hpp"
#include "linter/load/hcl/fast_parser.hpp"
#include "linter/load/hcl/hcl_parser.hpp"

extern "C" const TSLanguage* tree_sitter_hcl(void);
extern "C" const TSLanguage* tree_sitter_hcl_upstream(void);

// The same converter (linter/load/hcl/hcl_parser.cpp) built against the unpatched grammar
// (tools/CMakeLists.txt renames its entry points).
namespace tagwarden::hcl {
ParseResult parse_hcl_tree_sitter_upstream(FileId file, std::string_view text, const ParseLimits& limits);
Expr* parse_template_string_upstream(AstArena& arena, std::string_view text, Span where, std::vector<Error>& errors);
Expr* parse_expression_string_upstream(AstArena& arena, std::string_view text, Span where, std::vector<Error>& errors);
}  // namespace tagwarden::hcl

using namespace tagwarden;

namespace {

void usage() {
  std::cerr << "usage: hcl_tree_diff [--mutants N] [--seed S] [--sample K] [--save-failures DIR] PATH...\n"
               "  PATH: .tf/.tfvars files, or folders searched for them (sorted, hidden folders skipped)\n"
               "  --mutants N   also compare N seeded broken copies of each file (default 0)\n"
               "  --seed S      mutation seed (default 1)\n"
               "  --sample K    only K files, spread evenly over the sorted list (deterministic)\n"
               "  --save-failures DIR  write every input that differs to DIR for reproduction\n"
               "  --verbose     also list inputs with syntax errors whose results differ (allowed)\n"
               "  --show        print both trees of every input whose trees differ\n"
               "Inputs without syntax errors must give identical trees, ASTs and errors; inputs with\n"
               "syntax errors must have errors under both grammars (error recovery may differ: see\n"
               "grammars/patches/README.md). Exit status: 0 when that holds, 1 when not, 2 usage or I/O error.\n";
}

// ---------------------------------------------------------------- deterministic randomness

/// splitmix64: the same sequence on every platform (std distributions are not).
struct Rng {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform-enough integer in [0, n); n > 0.
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ull;
  }
  return h;
}

/// Fragments that matter to the grammar's external scanner and to HCL structure.
constexpr std::string_view kFragments[] = {"\"",
                                           "${",
                                           "%{",
                                           "}",
                                           "{",
                                           "$${",
                                           "%%{",
                                           "\\",
                                           "\\\"",
                                           "\\u00e9",
                                           "\\u12",
                                           "\\q",
                                           "\n",
                                           "\r\n",
                                           "<<EOT\n",
                                           "<<-EOT\n",
                                           "EOT\n",
                                           "  EOT",
                                           "<<",
                                           "#",
                                           "//",
                                           "/*",
                                           "*/",
                                           "[",
                                           "]",
                                           "(",
                                           ")",
                                           "=",
                                           ",",
                                           ":",
                                           " ",
                                           "\t",
                                           "~",
                                           "~}",
                                           "%{ if x }",
                                           "%{ endif }",
                                           "%{ for a in b }",
                                           "%{ endfor }",
                                           "${x}",
                                           "...",
                                           "=>",
                                           "?",
                                           "null",
                                           "\xc3",
                                           "\xe9",
                                           "\xff",
                                           std::string_view("\0", 1)};

/// Applies 1-4 random edits to `text`; `what` describes them for reports.
std::string mutate(std::string text, Rng& rng, std::string& what) {
  std::size_t edits = 1 + rng.below(4);
  for (std::size_t e = 0; e < edits; ++e) {
    std::size_t pos = text.empty() ? 0 : rng.below(text.size() + 1);
    switch (rng.below(8)) {
      case 0:
      case 1: {  // delete 1-8 bytes
        std::size_t n = std::min<std::size_t>(1 + rng.below(8), text.size() - std::min(pos, text.size()));
        text.erase(pos, n);
        what += fmt::format(" del@{}+{}", pos, n);
        break;
      }
      case 2:
      case 3:
      case 4: {  // insert a fragment
        std::string_view f = kFragments[rng.below(std::size(kFragments))];
        text.insert(pos, f);
        what += fmt::format(" ins@{}:{:?}", pos, std::string(f));
        break;
      }
      case 5: {  // insert a random byte
        char c = static_cast<char>(rng.below(256));
        text.insert(text.begin() + static_cast<std::ptrdiff_t>(pos), c);
        what += fmt::format(" byte@{}:{:#04x}", pos, static_cast<unsigned char>(c));
        break;
      }
      case 6: {  // copy 1-64 bytes from elsewhere (unbalanced quotes, braces, heredocs)
        if (text.empty()) break;
        std::size_t from = rng.below(text.size());
        std::size_t n = std::min<std::size_t>(1 + rng.below(64), text.size() - from);
        std::string piece = text.substr(from, n);
        text.insert(pos, piece);
        what += fmt::format(" dup@{}<-{}+{}", pos, from, n);
        break;
      }
      default: {  // truncate
        text.resize(pos);
        what += fmt::format(" cut@{}", pos);
        break;
      }
    }
  }
  return text;
}

// ---------------------------------------------------------------- tree comparison

std::string describe(TSNode n) {
  TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
  return fmt::format("{}{} [{}-{}] ({}:{}-{}:{})", ts_node_is_missing(n) ? "MISSING " : "", ts_node_type(n),
                     ts_node_start_byte(n), ts_node_end_byte(n), s.row + 1, s.column + 1, e.row + 1, e.column + 1);
}

/// The tree as an indented outline with byte ranges (for --show).
std::string outline(TSTree* tree) {
  std::string out;
  TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(tree));
  for (int depth = 0;;) {
    const char* field = ts_tree_cursor_current_field_name(&c);
    out += fmt::format("{:{}}{}{}\n", "", 2 * depth, field ? fmt::format("{}: ", field) : "",
                       describe(ts_tree_cursor_current_node(&c)));
    if (ts_tree_cursor_goto_first_child(&c)) {
      ++depth;
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&c)) {
      if (!ts_tree_cursor_goto_parent(&c)) {
        ts_tree_cursor_delete(&c);
        return out;
      }
      --depth;
    }
  }
}

/// The first difference between two nodes' own properties, or "".
std::string node_difference(TSTreeCursor& ca, TSTreeCursor& cb) {
  TSNode a = ts_tree_cursor_current_node(&ca), b = ts_tree_cursor_current_node(&cb);
  auto diff = [&](const char* what) {
    return fmt::format("{} differs: upstream {} / patched {}", what, describe(a), describe(b));
  };
  if (std::strcmp(ts_node_type(a), ts_node_type(b)) != 0) return diff("type");
  if (std::strcmp(ts_node_grammar_type(a), ts_node_grammar_type(b)) != 0) return diff("grammar type");
  if (ts_node_is_named(a) != ts_node_is_named(b)) return diff("named flag");
  if (ts_node_is_extra(a) != ts_node_is_extra(b)) return diff("extra flag");
  if (ts_node_is_missing(a) != ts_node_is_missing(b)) return diff("missing flag");
  if (ts_node_is_error(a) != ts_node_is_error(b)) return diff("error flag");
  if (ts_node_has_error(a) != ts_node_has_error(b)) return diff("has_error");
  if (ts_node_start_byte(a) != ts_node_start_byte(b) || ts_node_end_byte(a) != ts_node_end_byte(b)) {
    return diff("byte range");
  }
  TSPoint as = ts_node_start_point(a), bs = ts_node_start_point(b);
  TSPoint ae = ts_node_end_point(a), be = ts_node_end_point(b);
  if (as.row != bs.row || as.column != bs.column || ae.row != be.row || ae.column != be.column) {
    return diff("row/column range");
  }
  if (ts_node_child_count(a) != ts_node_child_count(b)) return diff("child count");
  if (ts_node_named_child_count(a) != ts_node_named_child_count(b)) return diff("named child count");
  if (ts_tree_cursor_current_field_id(&ca) != ts_tree_cursor_current_field_id(&cb)) return diff("field");
  return {};
}

/// Walks both trees in pre-order, in lockstep. Returns the first difference, or "".
std::string tree_difference(TSTree* a, TSTree* b) {
  if ((a == nullptr) != (b == nullptr)) return a == nullptr ? "upstream gave no tree" : "patched gave no tree";
  if (a == nullptr) return {};
  TSTreeCursor ca = ts_tree_cursor_new(ts_tree_root_node(a));
  TSTreeCursor cb = ts_tree_cursor_new(ts_tree_root_node(b));
  std::string result;
  for (bool done = false; !done && result.empty();) {
    result = node_difference(ca, cb);
    if (!result.empty()) break;
    bool da = ts_tree_cursor_goto_first_child(&ca), db = ts_tree_cursor_goto_first_child(&cb);
    if (da != db) {
      result = "children differ";
      break;
    }
    if (da) continue;
    for (;;) {
      bool sa = ts_tree_cursor_goto_next_sibling(&ca), sb = ts_tree_cursor_goto_next_sibling(&cb);
      if (sa != sb) {
        result = "siblings differ";
        break;
      }
      if (sa) break;
      bool pa = ts_tree_cursor_goto_parent(&ca), pb = ts_tree_cursor_goto_parent(&cb);
      if (pa != pb) {
        result = "parents differ";
        break;
      }
      if (!pa) {
        done = true;
        break;
      }
    }
  }
  ts_tree_cursor_delete(&ca);
  ts_tree_cursor_delete(&cb);
  return result;
}

// ---------------------------------------------------------------- AST comparison

std::string span_text(const Span& s) {
  return s.has_range ? fmt::format("{}-{}", s.begin, s.end) : std::string("whole file");
}

std::string errors_difference(const std::vector<Error>& a, const std::vector<Error>& b, const std::string& what) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i >= a.size() || i >= b.size()) {
      return fmt::format("{} errors: upstream has {}, patched {}", what, a.size(), b.size());
    }
    if (!(a[i].span == b[i].span) || a[i].message != b[i].message || a[i].file_hint != b[i].file_hint) {
      return fmt::format("{} error {} differs: upstream {} {:?} / patched {} {:?}", what, i, span_text(a[i].span),
                         a[i].message, span_text(b[i].span), b[i].message);
    }
  }
  return {};
}

// ---------------------------------------------------------------- driver

/// One way of parsing, compared over every input: inputs that both grammars parse without a
/// syntax error must give identical results; inputs with syntax errors must have errors under
/// both grammars, and how often their results are still identical is counted.
struct Tally {
  const char* name;
  std::size_t valid = 0, valid_identical = 0;
  std::size_t broken = 0, broken_identical = 0, broken_same_first_error = 0;
  std::size_t disagreements = 0;  // one grammar reports a syntax error, the other does not
};

/// What one comparison found.
struct Outcome {
  bool errors_upstream = false, errors_patched = false;
  std::string difference;  // "" when identical
  bool same_first_error = true;
};

struct Totals {
  std::size_t files = 0, mutants = 0, bytes = 0;
  Tally trees{"tree-sitter trees"}, files_ast{"parse_hcl"}, templates{"parse_template_string"},
      expressions{"parse_expression_string"};
  double parse_upstream = 0, parse_patched = 0;  // seconds in ts_parser_parse_string
  // The fast parser (linter/load/hcl/fast_parser.hpp) against parse_hcl_tree_sitter (patched):
  // inputs it read, of those without syntax errors; inputs it read that tree-sitter rejects or
  // reads otherwise (each a failure); seconds in each of the two over the inputs it read.
  std::size_t fast_read = 0, fast_wrong = 0;
  double fast_seconds = 0, fast_tree_sitter_seconds = 0;
  std::size_t failures = 0;
};

/// The first ERROR or MISSING node in pre-order, described, or "".
std::string first_error_node(TSTree* tree) {
  TSNode root = ts_tree_root_node(tree);
  if (!ts_node_has_error(root)) return {};
  TSTreeCursor c = ts_tree_cursor_new(root);
  std::string found;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&c);
    if (ts_node_is_error(n) || ts_node_is_missing(n)) {
      found = describe(n);
      break;
    }
    if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&c)) continue;
    bool moved = false;
    while (!(moved = ts_tree_cursor_goto_next_sibling(&c))) {
      if (!ts_tree_cursor_goto_parent(&c)) break;
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&c);
  return found;
}

bool same_first(const std::vector<Error>& a, const std::vector<Error>& b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty();
  return a[0].span == b[0].span && a[0].message == b[0].message;
}

class Comparer {
 public:
  Comparer(Totals& totals, std::string save_dir, bool show, bool verbose)
      : totals_(totals), save_dir_(std::move(save_dir)), show_(show), verbose_(verbose) {
    upstream_ = ts_parser_new();
    patched_ = ts_parser_new();
    ts_parser_set_language(upstream_, tree_sitter_hcl_upstream());
    ts_parser_set_language(patched_, tree_sitter_hcl());
  }
  ~Comparer() {
    ts_parser_delete(upstream_);
    ts_parser_delete(patched_);
  }
  Comparer(const Comparer&) = delete;
  Comparer& operator=(const Comparer&) = delete;

  /// Compares both grammars and both converters on `text`; counts and reports differences.
  void compare(const std::string& text, const std::string& label) {
    totals_.bytes += text.size();
    std::vector<std::string> reports;
    bool failed = false;
    auto record = [&](Tally& tally, const Outcome& o) {
      std::string line;
      if (o.errors_upstream != o.errors_patched) {
        ++tally.disagreements;
        failed = true;
        line = fmt::format("{}: syntax errors under the {} grammar only", tally.name,
                           o.errors_upstream ? "upstream" : "patched");
      } else if (!o.errors_upstream) {
        ++tally.valid;
        if (o.difference.empty()) {
          ++tally.valid_identical;
        } else {
          failed = true;
          line = fmt::format("{} (no syntax error): {}", tally.name, o.difference);
        }
      } else {
        ++tally.broken;
        if (o.difference.empty()) ++tally.broken_identical;
        if (o.same_first_error) ++tally.broken_same_first_error;
        if (!o.difference.empty() && verbose_) {
          line = fmt::format("{} (syntax errors, allowed): {}", tally.name, o.difference);
        }
      }
      if (!line.empty()) reports.push_back(std::move(line));
    };
    record(totals_.trees, compare_trees(text, label));
    compare_converter(text, record);
    if (std::string wrong = compare_fast(text); !wrong.empty()) {
      failed = true;
      reports.push_back("fast parser: " + wrong);
    }
    if (failed) ++totals_.failures;
    if (reports.empty()) return;
    std::cout << (failed ? "FAIL " : "DIFF ") << label << "\n";
    for (const auto& r : reports) std::cout << "  " << r << "\n";
    if (!save_dir_.empty()) {
      std::string name = fmt::format("{}/{}-{:05}.tf", save_dir_, failed ? "fail" : "diff", ++saved_);
      std::ofstream(name, std::ios::binary) << text;
      std::cout << "  saved as " << name << "\n";
    }
  }

 private:
  Outcome compare_trees(const std::string& text, const std::string& label) {
    auto len = static_cast<std::uint32_t>(text.size());
    auto t0 = std::chrono::steady_clock::now();
    TSTree* ta = ts_parser_parse_string(upstream_, nullptr, text.data(), len);
    auto t1 = std::chrono::steady_clock::now();
    TSTree* tb = ts_parser_parse_string(patched_, nullptr, text.data(), len);
    auto t2 = std::chrono::steady_clock::now();
    totals_.parse_upstream += std::chrono::duration<double>(t1 - t0).count();
    totals_.parse_patched += std::chrono::duration<double>(t2 - t1).count();
    Outcome o;
    o.difference = tree_difference(ta, tb);
    if (ta != nullptr && tb != nullptr) {
      o.errors_upstream = ts_node_has_error(ts_tree_root_node(ta));
      o.errors_patched = ts_node_has_error(ts_tree_root_node(tb));
      o.same_first_error = first_error_node(ta) == first_error_node(tb);
      if (show_ && !o.difference.empty()) {
        std::cout << "UPSTREAM " << label << "\n" << outline(ta) << "PATCHED " << label << "\n" << outline(tb);
      }
    }
    ts_tree_delete(ta);
    ts_tree_delete(tb);
    return o;
  }

  /// The fast parser on `text`: when it reads the text, tree-sitter must find no syntax error
  /// in it and the ASTs and comments must be identical. Returns the failure, or "".
  std::string compare_fast(const std::string& text) {
    auto t0 = std::chrono::steady_clock::now();
    std::optional<hcl::ParseResult> fast = hcl::parse_hcl_fast(0, text);
    auto t1 = std::chrono::steady_clock::now();
    if (!fast) return {};
    hcl::ParseResult reference = hcl::parse_hcl_tree_sitter(0, text, {});
    auto t2 = std::chrono::steady_clock::now();
    ++totals_.fast_read;
    totals_.fast_seconds += std::chrono::duration<double>(t1 - t0).count();
    totals_.fast_tree_sitter_seconds += std::chrono::duration<double>(t2 - t1).count();
    std::string wrong;
    if (!reference.errors.empty()) {
      wrong = fmt::format("read an input tree-sitter rejects ({})", reference.errors.front().message);
    } else if (std::string d = hcl::body_difference(reference.file->body, fast->file->body, ""); !d.empty()) {
      wrong = "AST differs (tree-sitter / fast): " + d;
    } else if (std::string c = hcl::comments_difference(reference.comments, fast->comments); !c.empty()) {
      wrong = "comments differ (tree-sitter / fast): " + c;
    }
    if (!wrong.empty()) ++totals_.fast_wrong;
    return wrong;
  }

  template <typename Record>
  void compare_converter(const std::string& text, Record& record) {
    {
      hcl::ParseResult a = hcl::parse_hcl_tree_sitter_upstream(0, text, {});
      hcl::ParseResult b = hcl::parse_hcl_tree_sitter(0, text, {});
      Outcome o{!a.errors.empty(), !b.errors.empty(), errors_difference(a.errors, b.errors, "parse_hcl"),
                same_first(a.errors, b.errors)};
      if (o.difference.empty()) o.difference = hcl::body_difference(a.file->body, b.file->body, "");
      record(totals_.files_ast, o);
    }
    using SnippetParser = hcl::Expr* (*)(hcl::AstArena&, std::string_view, Span, std::vector<Error>&);
    auto snippet = [&](SnippetParser upstream, SnippetParser patched, const char* what, Tally& tally) {
      Span where{0, 0, static_cast<std::uint32_t>(text.size())};
      std::vector<Error> ea, eb;
      hcl::AstArena arena_a, arena_b;
      const hcl::Expr* xa = upstream(arena_a, text, where, ea);
      const hcl::Expr* xb = patched(arena_b, text, where, eb);
      Outcome o{!ea.empty(), !eb.empty(), errors_difference(ea, eb, what), same_first(ea, eb)};
      if (o.difference.empty()) o.difference = hcl::expr_difference(xa, xb, what);
      record(tally, o);
    };
    snippet(&hcl::parse_template_string_upstream, &hcl::parse_template_string, "template", totals_.templates);
    snippet(&hcl::parse_expression_string_upstream, &hcl::parse_expression_string, "expression", totals_.expressions);
  }

  Totals& totals_;
  std::string save_dir_;
  bool show_ = false, verbose_ = false;
  std::size_t saved_ = 0;
  TSParser* upstream_ = nullptr;
  TSParser* patched_ = nullptr;
};

bool is_hcl_file(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  return ext == ".tf" || ext == ".tfvars";
}

void collect(const std::filesystem::path& root, std::vector<std::string>& out) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(root, ec)) {
    out.push_back(root.string());
    return;
  }
  auto it = std::filesystem::recursive_directory_iterator(root, ec);
  if (ec) {
    std::cerr << "hcl_tree_diff: cannot read " << root.string() << ": " << ec.message() << "\n";
    return;
  }
  for (auto end = std::filesystem::recursive_directory_iterator(); it != end; it.increment(ec)) {
    if (ec) break;
    std::string name = it->path().filename().string();
    if (it->is_directory(ec) && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec) && is_hcl_file(it->path())) out.push_back(it->path().string());
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mutants = 0, sample = 0;
  std::uint64_t seed = 1;
  std::string save_dir;
  bool show = false, verbose = false;
  std::vector<std::string> roots;
  try {
    for (int i = 1; i < argc; ++i) {
      std::string_view a = argv[i];
      auto value = [&]() -> std::string {
        if (i + 1 >= argc) throw std::invalid_argument(std::string(a) + " needs a value");
        return argv[++i];
      };
      if (a == "--mutants") {
        mutants = std::stoul(value());
      } else if (a == "--seed") {
        seed = std::stoull(value());
      } else if (a == "--sample") {
        sample = std::stoul(value());
      } else if (a == "--save-failures") {
        save_dir = value();
      } else if (a == "--show") {
        show = true;
      } else if (a == "--verbose") {
        verbose = true;
      } else if (a == "-h" || a == "--help") {
        usage();
        return 0;
      } else if (!a.empty() && a[0] == '-') {
        throw std::invalid_argument("unknown option " + std::string(a));
      } else {
        roots.emplace_back(a);
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "hcl_tree_diff: " << e.what() << "\n";
    usage();
    return 2;
  }
  if (roots.empty()) {
    usage();
    return 2;
  }
  std::vector<std::string> paths;
  for (const auto& r : roots) collect(r, paths);
  std::sort(paths.begin(), paths.end());
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  if (sample > 0 && sample < paths.size()) {
    std::vector<std::string> picked;
    for (std::size_t k = 0; k < sample; ++k) picked.push_back(paths[k * paths.size() / sample]);
    paths = std::move(picked);
  }
  if (paths.empty()) {
    std::cerr << "hcl_tree_diff: no .tf or .tfvars files found\n";
    return 2;
  }
  if (!save_dir.empty()) std::filesystem::create_directories(save_dir);

  Totals totals;
  Comparer comparer(totals, save_dir, show, verbose);
  for (const auto& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "hcl_tree_diff: cannot read " << path << "\n";
      return 2;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text = std::move(ss).str();
    ++totals.files;
    comparer.compare(text, path);
    Rng rng{seed ^ fnv1a(path)};
    for (std::size_t m = 0; m < mutants; ++m) {
      std::string what;
      std::string broken = mutate(text, rng, what);
      ++totals.mutants;
      comparer.compare(broken, fmt::format("{} mutant {} (seed {}):{}", path, m, seed, what));
    }
  }
  std::size_t inputs = totals.files + totals.mutants;
  std::cout << fmt::format("hcl_tree_diff: {} files + {} mutants = {} inputs, {} bytes\n", totals.files, totals.mutants,
                           inputs, totals.bytes);
  std::cout << fmt::format("  {:<24} {:>21} | {:>30} {:>12} {:>18}\n", "",
                           "no syntax error:", "with syntax errors:", "", "");
  std::cout << fmt::format("  {:<24} {:>21} | {:>30} {:>12} {:>18}\n", "", "identical", "errors under both grammars",
                           "identical", "same first error");
  for (const Tally* t : {&totals.trees, &totals.files_ast, &totals.templates, &totals.expressions}) {
    std::cout << fmt::format("  {:<24} {:>21} | {:>30} {:>12} {:>18}\n", t->name,
                             fmt::format("{}/{}", t->valid_identical, t->valid),
                             fmt::format("{}/{}", t->broken, t->broken + t->disagreements),
                             fmt::format("{}/{}", t->broken_identical, t->broken),
                             fmt::format("{}/{}", t->broken_same_first_error, t->broken));
  }
  std::cout << fmt::format("  tree-sitter parse time: upstream {:.2f} s, patched {:.2f} s (patched/upstream {:.2f})\n",
                           totals.parse_upstream, totals.parse_patched,
                           totals.parse_upstream > 0 ? totals.parse_patched / totals.parse_upstream : 0.0);
  std::size_t valid = totals.files_ast.valid;
  std::cout << fmt::format(
      "  fast parser: read {} of the {} inputs without syntax errors ({:.1f}%), {} of them read wrong; on those "
      "it took {:.2f} s, parse_hcl_tree_sitter {:.2f} s ({:.2f}x)\n",
      totals.fast_read, valid,
      valid > 0 ? 100.0 * static_cast<double>(totals.fast_read) / static_cast<double>(valid) : 0.0, totals.fast_wrong,
      totals.fast_seconds, totals.fast_tree_sitter_seconds,
      totals.fast_tree_sitter_seconds > 0 ? totals.fast_seconds / totals.fast_tree_sitter_seconds : 0.0);
  std::cout << (totals.failures == 0 ? "hcl_tree_diff: OK\n"
                                     : fmt::format("hcl_tree_diff: FAILED on {} inputs\n", totals.failures));
  return totals.failures == 0 ? 0 : 1;
}
