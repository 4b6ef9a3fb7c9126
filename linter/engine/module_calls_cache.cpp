#include "linter/engine/module_calls_cache.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <system_error>

namespace tagwarden {
namespace {

// Line 1 is the header; then one line per content: 40 hex digits of the object name, `t` (HCL)
// or `j` (JSON), then each local source after a tab. Sources with a tab or a line break are
// not cached (put refuses them), so the format needs no escaping.
constexpr std::string_view kHeader = "tagwarden module-calls 1";

bool storable(const std::string& s) { return !s.empty() && s.find_first_of("\t\r\n") == std::string::npos; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<ContentKey> parse_key(std::string_view s) {
  if (s.size() != 41 || (s[40] != 't' && s[40] != 'j')) return std::nullopt;
  ContentKey k;
  for (std::size_t i = 0; i < 20; ++i) {
    int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    k.object[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  k.json = s[40] == 'j';
  return k;
}

}  // namespace

ModuleCallsCache::ModuleCallsCache(const Reader& reader, std::string file) : file_(std::move(file)) {
  std::string err;
  auto text = reader.read(file_, &err);
  if (!text) return;
  std::string_view all(*text);
  if (all.substr(0, kHeader.size() + 1) != std::string(kHeader) + "\n") return;
  entries_.reserve(static_cast<std::size_t>(std::count(all.begin(), all.end(), '\n')));
  for (std::size_t at = kHeader.size() + 1; at < all.size();) {
    std::size_t eol = all.find('\n', at);
    if (eol == std::string_view::npos) break;  // a truncated last line is dropped
    std::string_view line = all.substr(at, eol - at);
    at = eol + 1;
    std::size_t tab = line.find('\t');
    auto key = parse_key(line.substr(0, tab));
    if (!key) continue;
    Entry e;
    while (tab != std::string_view::npos) {
      std::size_t next = line.find('\t', tab + 1);
      e.sources.emplace_back(line.substr(tab + 1, next == std::string_view::npos ? next : next - tab - 1));
      tab = next;
    }
    entries_[*key] = std::move(e);
  }
}

const std::vector<std::string>* ModuleCallsCache::find(const ContentKey& key) {
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  it->second.used = true;
  return &it->second.sources;
}

void ModuleCallsCache::put(const ContentKey& key, std::vector<std::string> sources) {
  if (!std::all_of(sources.begin(), sources.end(), storable)) return;
  entries_[key] = Entry{std::move(sources), true};
  ++added_;
}

void ModuleCallsCache::save() const {
  bool stale = std::any_of(entries_.begin(), entries_.end(), [](const auto& kv) { return !kv.second.used; });
  if (file_.empty() || (added_ == 0 && !stale)) return;
  std::vector<std::pair<std::string, const Entry*>> kept;
  for (const auto& [key, e] : entries_)
    if (e.used) kept.emplace_back(to_hex(key.object) + (key.json ? "j" : "t"), &e);
  std::sort(kept.begin(), kept.end());
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(file_).parent_path(), ec);
  std::string tmp = file_ + ".tmp." + std::to_string(static_cast<long>(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out << kHeader << '\n';
    for (const auto& [key, e] : kept) {
      out << key;
      for (const auto& s : e->sources) out << '\t' << s;
      out << '\n';
    }
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, file_, ec);
  if (ec) fs::remove(tmp, ec);
}

std::string module_calls_cache_file(const std::string& cache_dir, const std::string& work_tree_top) {
  return path_join(cache_dir, "module-calls-" + to_hex(sha1(work_tree_top)).substr(0, 16));
}

}  // namespace tagwarden
