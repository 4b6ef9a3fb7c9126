#include "linter/source/git_index.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace tagwarden {
namespace {

std::uint32_t be32(std::string_view d, std::size_t at) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(d[at])) << 24 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(d[at + 1])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(d[at + 2])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(d[at + 3]));
}
std::uint16_t be16(std::string_view d, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(d[at]) << 8 | static_cast<unsigned char>(d[at + 1]));
}

constexpr std::size_t kIndexHeader = 12, kIndexTrailer = 20;

/// The checksum at the end of an index's `tail`, or nullopt when git left it out: with
/// `index.skipHash` (git-config(1)) it writes zeros.
std::optional<Sha1> trailer_checksum(std::string_view tail) {
  Sha1 sum;
  std::memcpy(sum.data(), tail.data() + tail.size() - kIndexTrailer, kIndexTrailer);
  if (std::all_of(sum.begin(), sum.end(), [](std::uint8_t b) { return b == 0; })) return std::nullopt;
  return sum;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string find_dot_git_dir(const Reader& reader, const std::string& dir, const std::vector<std::string>& ceilings) {
  std::string d = path_normalize(dir);
  for (int guard = 0; guard < 4096 && !d.empty(); ++guard) {
    std::string dot_git = path_join(d, ".git");
    if (reader.is_dir(dot_git) || reader.is_file(dot_git)) return d;
    std::string parent = path_dirname(d);
    if (parent == d || parent == "." || parent.empty()) break;
    if (std::find(ceilings.begin(), ceilings.end(), parent) != ceilings.end()) break;
    d = parent;
  }
  return {};
}

std::optional<GitWorkTree> find_git_work_tree(const Reader& reader, const std::string& dir,
                                              const std::string& index_file, const std::string& cwd) {
  std::string top = find_dot_git_dir(reader, dir);
  if (top.empty()) return std::nullopt;
  std::string dot_git = path_join(top, ".git"), git_dir = dot_git;
  if (!reader.is_dir(dot_git)) {
    std::string err;
    auto text = reader.read(dot_git, &err);
    if (!text || text->rfind("gitdir:", 0) != 0) return std::nullopt;
    std::string target = trim(text->substr(7));
    while (!target.empty() && target.front() == ' ') target.erase(0, 1);
    git_dir = !target.empty() && target.front() == '/' ? target : path_join(top, target);
  }
  GitWorkTree w{top, path_join(git_dir, "index")};
  // `extensions.objectFormat = sha256` in the repository's config; a linked work tree's
  // git dir names the common one (with the config) in its `commondir` file.
  std::string err, config_dir = git_dir;
  if (auto common = reader.read(path_join(git_dir, "commondir"), &err)) {
    std::string c = trim(*common);
    config_dir = !c.empty() && c.front() == '/' ? c : path_join(git_dir, c);
  }
  if (auto config = reader.read(path_join(config_dir, "config"), &err)) {
    std::string lower;
    for (char c : *config) lower.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
    std::size_t k = lower.find("objectformat");
    w.sha256 = k != std::string::npos && lower.find("sha256", k) < lower.find('\n', k);
  }
  if (!index_file.empty()) w.index_path = index_file.front() == '/' ? index_file : path_join(cwd, index_file);
  return w;
}

std::optional<Sha1> git_index_checksum(const Reader& reader, const std::string& path) {
  std::string err;
  auto tail = reader.read_tail(path, kIndexTrailer, &err);
  if (!tail || tail->size() != kIndexTrailer) return std::nullopt;
  if (auto sum = trailer_checksum(*tail)) return sum;
  auto whole = reader.read_bytes(path, &err);
  if (!whole || whole->view().size() < kIndexHeader + kIndexTrailer) return std::nullopt;
  return sha1(whole->view());
}

std::optional<GitIndex> read_git_index(FileBytes data_in, std::string* why) {
  auto fail = [&](const char* reason) {
    if (why) *why = reason;
    return std::nullopt;
  };
  GitIndex index;
  index.data_.emplace(std::move(data_in));
  const std::string_view data = index.data_->view();
  constexpr std::size_t kHeader = kIndexHeader, kTrailer = kIndexTrailer, kFixed = 62;  // stat 40 + name 20 + flags 2
  if (data.size() < kHeader + kTrailer || data.compare(0, 4, "DIRC") != 0) return fail("not a git index");
  auto trailer = trailer_checksum(data);
  index.checksum_ = trailer ? *trailer : sha1(data);
  std::uint32_t version = be32(data, 4);
  if (version < 2 || version > 4) return fail("unsupported git index version");
  std::uint32_t count = be32(data, 8);
  const std::size_t end = data.size() - kTrailer;
  std::vector<GitIndexEntry>& out = index.entries_;
  out.reserve(std::min<std::size_t>(count, data.size() / kFixed));  // the count is the file's word, not a size
  // Version 4 names are stored relative to the previous one: rebuilt into one buffer, and the
  // entries' views made once it has stopped growing (their offsets meanwhile).
  std::string names;
  std::vector<std::pair<std::size_t, std::size_t>> name_at;  // offset and size in `names`
  std::size_t at = kHeader;
  std::size_t previous_at = 0, previous_size = 0, total_names = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::size_t start = at;
    if (at + kFixed > end) return fail("truncated git index");
    std::uint32_t mode = be32(data, at + 24);
    GitIndexEntry e;
    std::memcpy(e.object.data(), data.data() + at + 40, 20);
    std::uint16_t flags = be16(data, at + 60);
    at += kFixed;
    bool skip_worktree = false;
    if (flags & 0x4000) {  // extended flags (version 3 and later)
      if (version < 3 || at + 2 > end) return fail("malformed git index entry");
      skip_worktree = (be16(data, at) & 0x4000) != 0;
      at += 2;
    }
    if (((flags >> 12) & 3) != 0) return fail("git index has unresolved merge conflicts");
    std::size_t name_size;
    if (version == 4) {
      // A varint of how many bytes to drop from the previous name, then the rest of the name.
      if (at >= end) return fail("truncated git index");
      std::uint64_t drop = static_cast<unsigned char>(data[at]) & 127u;
      while (static_cast<unsigned char>(data[at++]) & 128u) {
        if (at >= end || drop > previous_size) return fail("malformed git index entry");
        drop = ((drop + 1) << 7) | (static_cast<unsigned char>(data[at]) & 127u);
      }
      if (drop > previous_size) return fail("malformed git index entry");
      std::size_t nul = data.find('\0', at);
      if (nul == std::string::npos || nul >= end) return fail("truncated git index");
      std::size_t kept = previous_size - drop;
      name_size = kept + (nul - at);
      // Checked before the name is built: a small hostile index could stand for huge names.
      if (name_size > 4096) return fail("git index names too long");
      std::size_t here = names.size();
      names.append(names, previous_at, kept);
      names.append(data, at, nul - at);
      previous_at = here;
      previous_size = name_size;
      at = nul + 1;
    } else {
      std::size_t nul = data.find('\0', at);
      if (nul == std::string::npos || nul >= end) return fail("truncated git index");
      e.path = data.substr(at, nul - at);
      name_size = e.path.size();
      // 1-8 NUL bytes pad the entry to a multiple of eight.
      at = start + ((nul + 1 - start + 7) / 8) * 8;
    }
    // No real path is longer than PATH_MAX, and a real index's names never add up to many
    // times its size.
    total_names += name_size;
    if (name_size > 4096 || total_names > 16 * data.size() + (1u << 20)) return fail("git index names too long");
    std::uint32_t type = mode >> 12;
    if (type == 04) return fail("sparse git index");  // a directory entry stands for many files
    if (type == 010 && !skip_worktree) {              // regular files only
      if (version == 4) name_at.emplace_back(previous_at, previous_size);
      out.push_back(e);
    }
  }
  if (version == 4) {
    // Only now is the buffer final: point each entry into it.
    index.names_ = std::make_unique<std::string>(std::move(names));
    std::string_view all(*index.names_);
    for (std::size_t i = 0; i < out.size(); ++i) out[i].path = all.substr(name_at[i].first, name_at[i].second);
  }
  // Extensions: a split index keeps most entries in another file.
  while (at + 8 <= end) {
    if (data.compare(at, 4, "link") == 0) return fail("split git index");
    std::uint32_t size = be32(data, at + 4);
    if (size > end - at - 8) break;
    at += 8 + size;
  }
  return index;
}

}  // namespace tagwarden
