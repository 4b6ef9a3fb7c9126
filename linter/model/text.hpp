// Unicode-aware text helpers for tag keys and values: code point counting, case folding for
// case-insensitive comparison, and AWS's allowed tag character set.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tagwarden {

/// Appends the UTF-8 encoding of code point `cp` (surrogates and values past U+10FFFF become
/// U+FFFD).
void append_utf8(std::string& out, std::uint32_t cp);
/// The one UTF-8 decoder: decodes the character at byte `pos` of `s` (pos < s.size()) into
/// `*cp` and returns its length in bytes. A byte that does not start a well-formed sequence
/// (stray continuation bytes, truncated sequences, overlong forms, surrogates, values past
/// U+10FFFF) decodes as U+FFFD with length 1 and sets `*valid` (when given) to false.
std::size_t utf8_next(std::string_view s, std::size_t pos, char32_t* cp, bool* valid = nullptr);
/// Decodes UTF-8 into code points; invalid bytes decode as U+FFFD.
std::vector<char32_t> utf8_decode(std::string_view s);
/// The byte offset of the first byte that is not well-formed UTF-8, or npos.
std::size_t utf8_invalid_offset(std::string_view s);
/// `s` with every byte that is not well-formed UTF-8 replaced by U+FFFD.
std::string utf8_sanitize(std::string_view s);
/// Text read from a file as UTF-8: a UTF-8 byte order mark is dropped, and UTF-16 or UTF-32
/// text with a byte order mark is converted. nullopt when the bytes cannot be text in those
/// encodings (NUL bytes without a byte order mark: a binary file; a malformed UTF-16/32 body);
/// `*what` then says why, else names the encoding converted from ("" for UTF-8).
std::optional<std::string> decode_text_file(std::string_view raw, std::string* what);
/// Number of Unicode code points in a UTF-8 string.
std::size_t code_point_count(std::string_view s);
/// Simple case folding (ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic) for comparing keys
/// and values that "differ only by case".
std::string fold_case(std::string_view s);
/// True for a code point AWS allows in tag keys and values: Unicode letters and digits,
/// whitespace, and `punctuation` (AWS tagging docs: "letters, numbers, and spaces
/// representable in UTF-8, and the following characters: _ . : / = + - @"; some services
/// document another set, see data/tag_rules.tsv).
bool is_allowed_tag_char(char32_t c, std::string_view punctuation = "_.:/=+-@");
/// True when `s` holds an uppercase (lowercase) letter, in any script.
bool has_upper(std::string_view s);
bool has_lower(std::string_view s);
/// "U+00A7 '§'"-style description of a code point for messages.
std::string describe_char(char32_t c);
/// `a` equals `b` when ASCII letters are compared without regard to case (rule ids and names,
/// command words): `tw001` equals `TW001`.
bool ascii_iequal(std::string_view a, std::string_view b);
/// `s` starts with `prefix`, ASCII letters compared without regard to case.
bool ascii_istarts_with(std::string_view s, std::string_view prefix);
/// Case-insensitive "starts with aws:".
bool has_aws_prefix(std::string_view key);
/// The pieces of `s` between `sep` characters (an empty `s` gives one empty piece).
std::vector<std::string_view> split_view(std::string_view s, char sep);
/// The non-empty pieces of `s` between `sep` characters ("a,,b," -> {"a", "b"}).
std::vector<std::string> split_nonempty(std::string_view s, char sep);
/// Glob match where '*' matches any run of characters (iterative, linear in practice);
/// `ascii_ignore_case` compares A-Z as a-z.
bool glob_match(std::string_view pattern, std::string_view text, bool ascii_ignore_case = false);
/// Levenshtein distance on code points (for "did you mean" suggestions), capped at `cap`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap = 8);

/// A hash for pairs of strings, the keys of grouping tables (a resource's root and address, a
/// tag key and its folded value).
struct StringPairHash {
  std::size_t operator()(const std::pair<std::string_view, std::string_view>& p) const noexcept {
    const std::size_t h = std::hash<std::string_view>()(p.first);
    return h ^ (std::hash<std::string_view>()(p.second) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2));
  }
};

}  // namespace tagwarden
