// Which local modules each Terraform file calls, remembered by the file's content (its git
// object name) in the user's cache folder, so `--changed` in a big monorepo reads only the
// files that changed since the last run instead of every .tf file (linter/engine/changed_files).
// Keyed by content, never by path or time: a stale entry cannot exist, only an unused one.
#pragma once
#include <cstddef>
#include <cstring>
#include <string>
#include <unordered_map>
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

struct ContentKeyHash {
  std::size_t operator()(const ContentKey& k) const {
    std::size_t h;  // the object name is a hash already: its first bytes are enough
    std::memcpy(&h, k.object.data(), sizeof h);
    return h ^ static_cast<std::size_t>(k.json);
  }
};

class ModuleCallsCache {
 public:
  /// Reads the cache of one work tree from `file` (a missing or malformed file: empty cache).
  ModuleCallsCache(const Reader& reader, std::string file);

  /// The local module sources (as written, e.g. "../modules/x") of the content `key`, or
  /// nullptr when unknown. A hit is remembered as used.
  const std::vector<std::string>* find(const ContentKey& key);
  void put(const ContentKey& key, std::vector<std::string> sources);

  /// Rewrites the file with the entries this run used or added, sorted, when anything was
  /// added or some entries went unused; atomically (a temporary file renamed). Failures are
  /// ignored: the cache only saves time.
  void save() const;

 private:
  struct Entry {
    std::vector<std::string> sources;
    bool used = false;
  };
  std::string file_;
  std::unordered_map<ContentKey, Entry, ContentKeyHash> entries_;
  std::size_t added_ = 0;
};

/// The cache file for a work tree: `<cache_dir>/module-calls-<16 hex digits of its path>`.
std::string module_calls_cache_file(const std::string& cache_dir, const std::string& work_tree_top);

}  // namespace tagwarden
