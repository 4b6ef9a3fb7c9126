// Text made safe for GitHub-flavoured Markdown, shared by every Markdown report.
#pragma once
#include <string>
#include <string_view>

namespace tagwarden {

/// Text safe inside a Markdown table cell or list item: no line breaks, `|` escaped, and
/// characters that would start Markdown or HTML markup escaped with a backslash.
std::string md_text(std::string_view s);
/// Inline code that holds any text: a run of backticks longer than any inside it
/// (CommonMark, "Code spans").
std::string md_code(std::string_view s);

}  // namespace tagwarden
