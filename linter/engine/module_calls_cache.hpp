// Which local modules each Terraform file calls, remembered by the file's content (its git
// object name) in the user's cache folder, so `--changed` in a big monorepo reads only the
// files that changed since the last run instead of every .tf file (linter/engine/changed_files).
// Keyed by content, never by path or time: a stale entry cannot exist, only an unused one.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/source/reader.hpp"
#include "linter/source/sha1.hpp"

namespace tagwarden {

/// A file's content and how it is read (HCL, or JSON for .tf.json).
struct ContentKey {
  Sha1 object{};
  bool json = false;
  bool operator==(const ContentKey& o) const { return object == o.object && json == o.json; }
};

/// The order of the cache file's lines: object name, then JSON (`j`) before HCL (`t`).
struct ContentKeyLess {
  bool operator()(const ContentKey& a, const ContentKey& b) const {
    // The first 8 bytes as a big-endian number decide almost every comparison without a call.
    std::uint64_t x = prefix(a), y = prefix(b);
    if (x != y) return x < y;
    int c = std::memcmp(a.object.data() + 8, b.object.data() + 8, a.object.size() - 8);
    return c != 0 ? c < 0 : a.json && !b.json;
  }
  static std::uint64_t prefix(const ContentKey& k) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < 8; ++i) v = v << 8 | k.object[i];  // one load and a byte swap, compiled
    return v;
  }
};

class ModuleCallsCache {
 public:
  /// Reads the cache of one work tree from `file` (a missing or malformed file: empty cache).
  /// The file is kept as read and searched by binary search: a monorepo's tens of thousands of
  /// entries cost no allocation each, and only the entries looked up are taken apart.
  ModuleCallsCache(const Reader& reader, std::string file);
  ModuleCallsCache(const ModuleCallsCache&) = delete;  // entries point into text_
  ModuleCallsCache& operator=(const ModuleCallsCache&) = delete;

  /// Sets `sources` to the local module sources (as written, e.g. "../modules/x") of the content
  /// `key` and returns true, or returns false when it is unknown. A hit is remembered as used.
  bool find(const ContentKey& key, std::vector<std::string>& sources);
  void put(const ContentKey& key, std::vector<std::string> sources);

  /// Rewrites the file with the entries this run used or added, sorted, when anything was
  /// added or some entries went unused; atomically (a temporary file renamed). Failures are
  /// ignored: the cache only saves time.
  void save() const;

 private:
  struct Entry {
    ContentKey key;
    std::string_view sources;  ///< the rest of its line in text_: a tab before each source
  };
  std::string file_;
  std::optional<FileBytes> text_;  ///< the file as read
  std::vector<Entry> entries_;     ///< sorted by ContentKeyLess, one per key (the file's last line for it)
  std::vector<char> used_;         ///< per entry of entries_
  std::map<ContentKey, std::vector<std::string>, ContentKeyLess> added_;
};

/// The cache file for a work tree: `<cache_dir>/module-calls-<16 hex digits of its path>`.
std::string module_calls_cache_file(const std::string& cache_dir, const std::string& work_tree_top);

}  // namespace tagwarden
