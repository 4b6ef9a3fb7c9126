// edit_distance: the Levenshtein distance in code points that "did you mean" hints and the
// misspelt-key and near-miss value findings rest on, capped so long strings cost little.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "linter/model/text.hpp"

using tagwarden::edit_distance;

namespace {
/// The textbook full-matrix distance over code points, uncapped: what edit_distance must agree
/// with below its cap.
std::size_t reference_distance(const std::vector<char32_t>& x, const std::vector<char32_t>& y) {
  std::vector<std::vector<std::size_t>> d(x.size() + 1, std::vector<std::size_t>(y.size() + 1));
  for (std::size_t i = 0; i <= x.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= y.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    for (std::size_t j = 1; j <= y.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
    }
  }
  return d[x.size()][y.size()];
}
}  // namespace

TEST_CASE("edit distance: insertions, deletions and substitutions each count one") {
  CHECK(edit_distance("CostCenter", "CostCenter") == 0);
  CHECK(edit_distance("CostCenter", "CostCentre") == 2);
  CHECK(edit_distance("Enviroment", "Environment") == 1);
  CHECK(edit_distance("Owner", "Owners") == 1);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("edit distance counts code points, not bytes") {
  CHECK(edit_distance("Café", "Cafe") == 1);  // é is two bytes
  CHECK(edit_distance("Ærø", "Aero") == 3);
  CHECK(edit_distance("日本", "日本語") == 1);
}

TEST_CASE("edit distance stops at the cap: anything farther is cap + 1") {
  CHECK(edit_distance("a", "abcdefghijklmnop", 2) == 3);
  CHECK(edit_distance("abcd", "wxyz", 2) == 3);
  CHECK(edit_distance("abcd", "abxy", 2) == 2);
  CHECK(edit_distance(std::string(300, 'a'), std::string(300, 'b')) == 9);  // default cap 8
}

TEST_CASE("edit distance agrees with the full-matrix distance, short and long, ASCII and not") {
  std::mt19937 rng(20261201);
  const std::vector<char32_t> alphabet{U'a', U'b', U'c', U'A', U'é', U'ß', U'日'};
  auto encode = [](const std::vector<char32_t>& cps) {
    std::string out;
    for (char32_t c : cps) tagwarden::append_utf8(out, static_cast<std::uint32_t>(c));
    return out;
  };
  for (int round = 0; round < 2000; ++round) {
    const bool ascii = round % 2 == 0;
    auto word = [&](std::size_t max_len) {
      std::vector<char32_t> w(rng() % (max_len + 1));
      for (auto& c : w) c = alphabet[rng() % (ascii ? 4 : alphabet.size())];
      return w;
    };
    const std::size_t max_len = round % 10 == 0 ? 90 : 12;  // beyond 64: rows off the stack
    std::vector<char32_t> x = word(max_len);
    std::vector<char32_t> y = x;
    for (std::size_t edits = rng() % 6; edits > 0; --edits) {  // near neighbours, mostly
      if (!y.empty() && rng() % 2) y.erase(y.begin() + static_cast<std::ptrdiff_t>(rng() % y.size()));
      y.insert(y.begin() + static_cast<std::ptrdiff_t>(rng() % (y.size() + 1)), alphabet[rng() % alphabet.size()]);
    }
    if (round % 3 == 0) y = word(max_len);
    const std::size_t cap = 1 + rng() % 8;
    const std::size_t want = std::min(reference_distance(x, y), cap + 1);
    CAPTURE(encode(x));
    CAPTURE(encode(y));
    CAPTURE(cap);
    REQUIRE(edit_distance(encode(x), encode(y), cap) == want);
  }
}
