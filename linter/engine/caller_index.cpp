#include "linter/engine/caller_index.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace tagwarden {
namespace {

// Line 1 is the header, line 2 the key; then one line per folder, sorted by its escaped path:
// the path, a tab, the names of its Terraform files joined by '/' (a name never holds one), then
// a tab before each calling folder. Backslashes, tabs and line breaks in paths are escaped
// (\\, \t, \n), so a line always splits the same way.
constexpr std::string_view kHeader = "tagwarden callers 1";

/// Where the first character the text escapes (a backslash, a tab, a line break) stands in
/// `s` from `from` on; npos for none. Three memchr calls, which scan many bytes per step, rather
/// than a test per character: paths rarely hold any, and a monorepo's index has tens of
/// thousands of names.
std::size_t next_escaped(std::string_view s, std::size_t from) {
  if (from >= s.size()) return std::string_view::npos;  // (memchr is not given a null pointer)
  std::size_t at = s.size();
  for (char c : {'\\', '\t', '\n'}) {
    if (const void* p = std::memchr(s.data() + from, c, at - from))
      at = static_cast<std::size_t>(static_cast<const char*>(p) - s.data());
  }
  return at == s.size() ? std::string_view::npos : at;
}

/// Appends `s` to `out` with backslashes, tabs and line breaks escaped.
void append_escaped(std::string& out, std::string_view s) {
  std::size_t run = 0;  // where the run not yet appended starts
  for (std::size_t at = next_escaped(s, 0); at != std::string_view::npos; at = next_escaped(s, run)) {
    out.append(s, run, at - run);
    out += s[at] == '\t' ? "\\t" : s[at] == '\n' ? "\\n" : "\\\\";
    run = at + 1;
  }
  out.append(s, run);
}

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  append_escaped(out, s);
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

/// The folder field of a record line (up to its first tab).
std::string_view folder_of(std::string_view line) { return line.substr(0, line.find('\t')); }

/// Calls `fn` with each tab-separated field of `fields` (which starts with a tab, or is empty).
template <typename Fn>
void each_field(std::string_view fields, Fn&& fn) {
  for (std::size_t tab = fields.find('\t'); tab != std::string_view::npos;) {
    std::size_t next = fields.find('\t', tab + 1);
    fn(fields.substr(tab + 1, next == std::string_view::npos ? next : next - tab - 1));
    tab = next;
  }
}

}  // namespace

CallerIndex CallerIndex::build(std::string_view key, const std::map<std::string, CallerIndexFolder>& folders) {
  auto append_line = [](std::string& out, const std::string& dir, const CallerIndexFolder& folder) {
    append_escaped(out, dir);
    out += '\t';
    for (std::size_t i = 0; i < folder.files.size(); ++i) {
      if (i > 0) out += '/';
      append_escaped(out, folder.files[i]);
    }
    for (const auto& caller : folder.callers) {
      out += '\t';
      append_escaped(out, caller);
    }
    out += '\n';
  };
  std::string text(kHeader);
  text += '\n';
  append_escaped(text, key);
  text += '\n';
  // (Not find_first_of: libstdc++ searches the set once per character.)
  bool plain = std::none_of(folders.begin(), folders.end(),
                            [](const auto& f) { return next_escaped(f.first, 0) != std::string_view::npos; });
  if (plain) {
    // The map's order is the escaped paths' order: written as they come (a monorepo's index is
    // built on every run whose git index changed).
    for (const auto& [dir, folder] : folders) append_line(text, dir, folder);
  } else {
    // Escaping can change the order of two paths: sorted as written.
    std::vector<std::string> lines;
    lines.reserve(folders.size());
    for (const auto& [dir, folder] : folders) append_line(lines.emplace_back(), dir, folder);
    std::sort(lines.begin(), lines.end(),
              [](const std::string& x, const std::string& y) { return folder_of(x) < folder_of(y); });
    for (const auto& l : lines) text += l;
  }
  CallerIndex index{FileBytes(std::move(text))};
  index.index_lines(escape(key));
  return index;
}

std::optional<CallerIndex> CallerIndex::read(FileBytes text, std::string_view key) {
  CallerIndex index{std::move(text)};
  if (!index.index_lines(escape(key))) return std::nullopt;
  return index;
}

bool CallerIndex::index_lines(std::string_view key) {
  lines_.clear();
  std::string_view all = text_.view();
  auto take_line = [&](std::string_view& line) {
    std::size_t eol = all.find('\n');
    if (eol == std::string_view::npos) return false;  // a truncated last line: damaged
    line = all.substr(0, eol);
    all.remove_prefix(eol + 1);
    return true;
  };
  std::string_view header, key_line;
  if (!take_line(header) || header != kHeader || !take_line(key_line) || key_line != key) return false;
  std::string_view line;
  while (!all.empty()) {
    if (!take_line(line) || line.find('\t') == std::string_view::npos) return false;
    // Strictly sorted, one line per folder: what build() writes; anything else is damaged.
    if (!lines_.empty() && !(folder_of(lines_.back()) < folder_of(line))) return false;
    lines_.push_back(line);
  }
  return true;
}

std::optional<std::string_view> CallerIndex::record(std::string_view dir) const {
  std::string key = escape(dir);
  auto it = std::lower_bound(lines_.begin(), lines_.end(), std::string_view(key),
                             [](std::string_view line, std::string_view k) { return folder_of(line) < k; });
  if (it == lines_.end() || folder_of(*it) != key) return std::nullopt;
  return it->substr(key.size() + 1);
}

bool CallerIndex::has_files(std::string_view dir) const {
  auto r = record(dir);
  return r && !r->empty() && r->front() != '\t';
}

bool CallerIndex::lists(std::string_view dir, std::string_view name) const {
  auto r = record(dir);
  if (!r) return false;
  std::string_view files = r->substr(0, r->find('\t'));
  std::string want = escape(name);
  for (std::size_t at = 0; at <= files.size();) {
    std::size_t slash = files.find('/', at);
    if (slash == std::string_view::npos) slash = files.size();
    if (files.substr(at, slash - at) == want) return true;
    at = slash + 1;
  }
  return false;
}

std::set<std::string> CallerIndex::callers(std::string_view dir) const {
  std::set<std::string> out;
  auto r = record(dir);
  if (!r) return out;
  std::size_t tab = r->find('\t');
  if (tab != std::string_view::npos) each_field(r->substr(tab), [&](std::string_view f) { out.insert(unescape(f)); });
  return out;
}

std::vector<std::string> CallerIndex::folders_with_files() const {
  std::vector<std::string> out;
  for (std::string_view line : lines_) {
    std::string_view dir = folder_of(line);
    if (line.size() > dir.size() + 1 && line[dir.size() + 1] != '\t') out.push_back(unescape(dir));
  }
  return out;
}

std::string caller_index_key(const Sha1& git_index_checksum, std::string_view search_root) {
  return to_hex(git_index_checksum) + " " + std::string(search_root);
}

std::string caller_index_file(const std::string& cache_dir, const std::string& work_tree_top) {
  return path_join(cache_dir, "callers-" + to_hex(sha1(work_tree_top)).substr(0, 16));
}

}  // namespace tagwarden
