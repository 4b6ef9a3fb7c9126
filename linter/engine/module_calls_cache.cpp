#include "linter/engine/module_calls_cache.hpp"

#include <algorithm>
#include <iterator>
#include <optional>
#include <string_view>

namespace tagwarden {
namespace {

// Line 1 is the header; then one line per content: 40 hex digits of the object name, `t` (HCL)
// or `j` (JSON), then each local source after a tab. Sources with a tab or a line break are
// not cached (put refuses them), so the format needs no escaping.
constexpr std::string_view kHeader = "tagwarden module-calls 1";

bool storable(const std::string& s) { return !s.empty() && s.find_first_of("\t\r\n") == std::string::npos; }

std::optional<ContentKey> parse_key(std::string_view s) {
  if (s.size() != 41 || (s[40] != 't' && s[40] != 'j')) return std::nullopt;
  std::optional<Sha1> object = sha1_from_hex(s.substr(0, 40));
  if (!object) return std::nullopt;
  return ContentKey{*object, s[40] == 'j'};
}

/// Appends each source of an entry's `sources` text (a tab before each) to `out`.
void split_sources(std::string_view text, std::vector<std::string>& out) {
  for (std::size_t tab = text.find('\t'); tab != std::string_view::npos;) {
    std::size_t next = text.find('\t', tab + 1);
    out.emplace_back(text.substr(tab + 1, next == std::string_view::npos ? next : next - tab - 1));
    tab = next;
  }
}

}  // namespace

ModuleCallsCache::ModuleCallsCache(const Reader& reader, std::string file) : file_(std::move(file)) {
  std::string err;
  auto text = reader.read_bytes(file_, &err);
  if (!text) return;
  text_.emplace(std::move(*text));
  std::string_view all = text_->view();
  if (all.substr(0, kHeader.size()) != kHeader || all.size() <= kHeader.size() || all[kHeader.size()] != '\n') return;
  entries_.reserve(static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')));
  bool sorted = true;
  for (std::size_t at = kHeader.size() + 1; at < all.size();) {
    std::size_t eol = all.find('\n', at);
    if (eol == std::string_view::npos) break;  // a truncated last line is dropped
    std::string_view line = all.substr(at, eol - at);
    at = eol + 1;
    std::size_t tab = line.find('\t');
    auto key = parse_key(line.substr(0, tab));
    if (!key) continue;
    if (!entries_.empty() && !ContentKeyLess{}(entries_.back().key, *key)) sorted = false;
    entries_.push_back(Entry{*key, tab == std::string_view::npos ? std::string_view{} : line.substr(tab)});
  }
  // save() writes the lines sorted, one per key; another file is put in that shape (the last
  // line for a key wins).
  if (!sorted) {
    auto less = [](const Entry& a, const Entry& b) { return ContentKeyLess{}(a.key, b.key); };
    std::stable_sort(entries_.begin(), entries_.end(), less);
    std::vector<Entry> unique;
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (i + 1 == entries_.size() || less(entries_[i], entries_[i + 1])) unique.push_back(entries_[i]);
    entries_ = std::move(unique);
  }
  used_.assign(entries_.size(), 0);
}

bool ModuleCallsCache::find(const ContentKey& key, std::vector<std::string>& sources) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                             [](const Entry& e, const ContentKey& k) { return ContentKeyLess{}(e.key, k); });
  if (it != entries_.end() && it->key == key) {
    used_[static_cast<std::size_t>(it - entries_.begin())] = 1;
    sources.clear();
    split_sources(it->sources, sources);
    return true;
  }
  auto added = added_.find(key);
  if (added == added_.end()) return false;
  sources = added->second;
  return true;
}

void ModuleCallsCache::put(const ContentKey& key, std::vector<std::string> sources) {
  if (!std::all_of(sources.begin(), sources.end(), storable)) return;
  added_[key] = std::move(sources);
}

void ModuleCallsCache::save() const {
  bool stale = std::find(used_.begin(), used_.end(), 0) != used_.end();
  if (file_.empty() || (added_.empty() && !stale)) return;
  std::string out(kHeader);
  out += '\n';
  auto write_key = [&](const ContentKey& k) {
    out += to_hex(k.object);
    out += k.json ? 'j' : 't';
  };
  // The used entries read and the added ones, merged in key order (an added one replaces a
  // read one with the same key).
  auto added = added_.begin();
  auto write_added_before = [&](const ContentKey* limit) {
    for (; added != added_.end() && (!limit || !ContentKeyLess{}(*limit, added->first)); ++added) {
      write_key(added->first);
      for (const auto& s : added->second) {
        out += '\t';
        out += s;
      }
      out += '\n';
    }
  };
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (!used_[i]) continue;
    write_added_before(&entries_[i].key);
    if (added != added_.begin() && std::prev(added)->first == entries_[i].key) continue;
    write_key(entries_[i].key);
    out += entries_[i].sources;
    out += '\n';
  }
  write_added_before(nullptr);
  write_file_atomically(file_, out);
}

std::string module_calls_cache_file(const std::string& cache_dir, const std::string& work_tree_top) {
  return path_join(cache_dir, "module-calls-" + to_hex(sha1(work_tree_top)).substr(0, 16));
}

}  // namespace tagwarden
