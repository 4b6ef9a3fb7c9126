#include "linter/source/reader.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

namespace tagwarden {
namespace fs = std::filesystem;

namespace {

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

/// Opens `path` for reading if it is a regular file of at most kMaxFileBytes: its descriptor
/// and size, or -1 with `*error` set.
int open_regular(const std::string& path, std::size_t& size, std::string* error) {
  auto fail = [&](std::string why) {
    if (error) *error = std::move(why);
    return -1;
  };
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return fail(errno == ENOENT ? "no such file" : std::string("cannot open file: ") + std::strerror(errno));
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail(std::string("cannot read file: ") + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail("is a directory");
  if (!S_ISREG(st.st_mode)) return fail("not a regular file (a FIFO, socket or device); not read");
  if (static_cast<std::uint64_t>(st.st_size) > kMaxFileBytes) {
    return fail("file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB; not read");
  }
  size = static_cast<std::size_t>(st.st_size);
  closer.fd = -1;
  return fd;
}

/// The whole text behind an open descriptor of a file `size` bytes long (it may grow or
/// shrink while read), or nullopt with `*error` set.
std::optional<std::string> read_all(int fd, std::size_t size, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<std::string> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  std::string out;
  out.reserve(size);
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return fail(std::string("read error: ") + std::strerror(errno));
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    // A file that grows while read (or a /proc file whose size says 0) stays bounded.
    if (out.size() > kMaxFileBytes) {
      return fail("file is larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB; not read");
    }
  }
  return out;
}

class DiskReader final : public Reader {
 public:
  std::optional<std::string> read(const std::string& path, std::string* error) const override {
    std::size_t size = 0;
    int fd = open_regular(path, size, error);
    if (fd < 0) return std::nullopt;
    FdCloser closer{fd};
    return read_all(fd, size, error);
  }
  std::optional<FileBytes> read_bytes(const std::string& path, std::string* error) const override {
    std::size_t size = 0;
    int fd = open_regular(path, size, error);
    if (fd < 0) return std::nullopt;
    FdCloser closer{fd};
    // A big file is mapped, its pages made in one call (MAP_POPULATE) and shared with the page
    // cache: no copy, no fault per page. A mapped file that shrinks under the reader would
    // fault (SIGBUS), so this is only for files replaced by renaming a new one into place,
    // never rewritten in place: a git index (git writes index.lock and renames it) and
    // tagwarden's own caches (ModuleCallsCache::save). Small files are read through the same
    // descriptor.
    if (size >= (64u << 10)) {
      void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (map != MAP_FAILED) return FileBytes::adopt_mapping(static_cast<char*>(map), size);
    }
    auto text = read_all(fd, size, error);
    if (!text) return std::nullopt;
    return FileBytes(std::move(*text));
  }
  std::optional<std::string> read_tail(const std::string& path, std::size_t n, std::string* error) const override {
    std::size_t size = 0;
    int fd = open_regular(path, size, error);
    if (fd < 0) return std::nullopt;
    FdCloser closer{fd};
    std::string out(std::min(n, size), '\0');
    const auto at = static_cast<off_t>(size - out.size());
    for (;;) {
      ssize_t got = ::pread(fd, out.data(), out.size(), at);
      if (got < 0 && errno == EINTR) continue;
      if (got < 0) {
        if (error) *error = std::string("read error: ") + std::strerror(errno);
        return std::nullopt;
      }
      out.resize(static_cast<std::size_t>(got));  // a file that shrank since fstat: what is there
      return out;
    }
  }
  bool is_file(const std::string& path) const override {
    std::error_code ec;
    return fs::is_regular_file(path, ec);
  }
  bool is_dir(const std::string& path) const override {
    std::error_code ec;
    return fs::is_directory(path, ec);
  }
  bool is_symlink(const std::string& path) const override {
    std::error_code ec;
    return fs::is_symlink(path, ec);
  }
  std::vector<std::string> list_dir(const std::string& path, std::string* error = nullptr) const override {
    std::vector<std::string> out;
    for (auto& e : list_entries(path, error)) out.push_back(std::move(e.name));
    return out;
  }
  std::vector<DirEntry> list_entries(const std::string& path, std::string* error = nullptr) const override {
    std::vector<DirEntry> out;
    const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      // Not a directory (or gone) is simply empty; a directory that cannot be read is said.
      if (error && errno != ENOTDIR && errno != ENOENT)
        *error = std::string("cannot read folder: ") + std::strerror(errno);
      return out;
    }
    FdCloser closer{fd};
    auto kind_of = [](const struct stat& st) {
      return S_ISREG(st.st_mode)   ? DirEntry::Kind::kFile
             : S_ISDIR(st.st_mode) ? DirEntry::Kind::kDir
                                   : DirEntry::Kind::kOther;
    };
    // getdents64 into a buffer each thread keeps: opendir() allocates 32 KB per folder, and a
    // monorepo's walk lists thousands.
    alignas(8) static thread_local char buf[32 << 10];
    for (;;) {
      ssize_t n = ::getdents64(fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        if (error) *error = std::string("cannot read folder: ") + std::strerror(errno);
        break;
      }
      if (n == 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* e = reinterpret_cast<const struct dirent64*>(buf + at);
        at += e->d_reclen;
        std::string_view name = e->d_name;
        if (name == "." || name == "..") continue;
        DirEntry entry{std::string(name), DirEntry::Kind::kOther, false};
        struct stat st {};
        switch (e->d_type) {
          case DT_REG:
            entry.kind = DirEntry::Kind::kFile;
            break;
          case DT_DIR:
            entry.kind = DirEntry::Kind::kDir;
            break;
          case DT_LNK:
            entry.symlink = true;
            if (::fstatat(fd, e->d_name, &st, 0) == 0) entry.kind = kind_of(st);
            break;
          case DT_UNKNOWN:  // file systems that do not fill d_type
            if (::fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
              entry.symlink = S_ISLNK(st.st_mode);
              if (entry.symlink && ::fstatat(fd, e->d_name, &st, 0) != 0) break;
              entry.kind = kind_of(st);
            }
            break;
          default:
            break;  // FIFOs, sockets, devices
        }
        out.push_back(std::move(entry));
      }
    }
    std::sort(out.begin(), out.end(), [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
    return out;
  }
  std::optional<FileStamp> stamp(const std::string& path) const override {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    FileStamp s;
    s.size = static_cast<std::uint64_t>(st.st_size);
    s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    s.ctime_ns = static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec;
    s.inode = static_cast<std::uint64_t>(st.st_ino);
    s.device = static_cast<std::uint64_t>(st.st_dev);
    return s;
  }
  std::optional<std::string> real_path(const std::string& path) const override {
    char* r = ::realpath(path.c_str(), nullptr);
    if (r == nullptr) return std::nullopt;
    std::string out(r);
    std::free(r);
    return out;
  }
};

}  // namespace

std::unique_ptr<Reader> make_disk_reader() { return std::make_unique<DiskReader>(); }

bool write_file_atomically(const std::string& path, std::string_view text) {
  return write_file_atomically(path, std::vector<std::string_view>{text});
}

bool write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  // Process and call apart: workers store entries at the same time.
  static std::atomic<unsigned> serial{0};
  std::string tmp = path + ".tmp." + std::to_string(static_cast<long>(::getpid())) + "." + std::to_string(serial++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = true;
  for (std::string_view text : pieces) {
    for (std::size_t at = 0; ok && at < text.size();) {
      ssize_t n = ::write(fd, text.data() + at, text.size() - at);
      if (n < 0 && errno == EINTR) continue;
      ok = n > 0;
      if (ok) at += static_cast<std::size_t>(n);
    }
  }
  ok = ::close(fd) == 0 && ok;
  if (ok) ok = ::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) ::unlink(tmp.c_str());
  return ok;
}

FileBytes FileBytes::adopt_mapping(char* map, std::size_t size) {
  FileBytes b;
  b.map_ = map;
  b.size_ = size;
  return b;
}

FileBytes::FileBytes(FileBytes&& o) noexcept
    : text_(std::move(o.text_)), map_(std::exchange(o.map_, nullptr)), size_(std::exchange(o.size_, 0)) {}

FileBytes& FileBytes::operator=(FileBytes&& o) noexcept {
  if (this != &o) {
    if (map_) ::munmap(map_, size_);
    text_ = std::move(o.text_);
    map_ = std::exchange(o.map_, nullptr);
    size_ = std::exchange(o.size_, 0);
  }
  return *this;
}

FileBytes::~FileBytes() {
  if (map_) ::munmap(map_, size_);
}

std::optional<FileBytes> Reader::read_bytes(const std::string& path, std::string* error) const {
  auto text = read(path, error);
  if (!text) return std::nullopt;
  return FileBytes(std::move(*text));
}

std::optional<FileStamp> Reader::stamp(const std::string&) const { return std::nullopt; }

std::optional<std::string> Reader::read_tail(const std::string& path, std::size_t n, std::string* error) const {
  auto text = read(path, error);
  if (text && text->size() > n) text->erase(0, text->size() - n);
  return text;
}

std::vector<DirEntry> Reader::list_entries(const std::string& path, std::string* error) const {
  std::vector<DirEntry> out;
  for (auto& name : list_dir(path, error)) {
    std::string p = path_join(path, name);
    DirEntry e{std::move(name), DirEntry::Kind::kOther, is_symlink(p)};
    e.kind = is_dir(p) ? DirEntry::Kind::kDir : is_file(p) ? DirEntry::Kind::kFile : DirEntry::Kind::kOther;
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

/// A MemoryReader path: normalised, with "/" as the tree's root ("/a/b" is "a/b").
std::string memory_key(const std::string& path) {
  std::string p = path_normalize(path);
  if (!p.empty() && p[0] == '/') p.erase(0, 1);
  return p.empty() ? "." : p;
}

}  // namespace

std::optional<std::string> MemoryReader::real_path(const std::string& path) const {
  std::string p = path_normalize(path);
  while (p.rfind("../", 0) == 0) p.erase(0, 3);  // ".." of the root is the root
  if (p == "..") p.clear();
  if (!p.empty() && p[0] == '/') p.erase(0, 1);
  if (p.empty()) p.push_back('.');  // (not `p = "."`: GCC 12 warns of a false -Wrestrict)
  if (!is_file(p) && !is_dir(p)) return std::nullopt;
  return p == "." ? "/" : "/" + p;
}

std::optional<std::string> MemoryReader::read(const std::string& path, std::string* error) const {
  auto it = files_.find(memory_key(path));
  if (it == files_.end()) {
    if (error) *error = "no such file";
    return std::nullopt;
  }
  return it->second;
}

bool MemoryReader::is_file(const std::string& path) const { return files_.count(memory_key(path)) != 0; }

bool MemoryReader::is_dir(const std::string& path) const {
  std::string p = memory_key(path);
  if (p == ".") return !files_.empty();
  std::string prefix = p + "/";
  auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::string> MemoryReader::list_dir(const std::string& path, std::string*) const {
  std::string p = memory_key(path);
  std::string prefix = p == "." ? "" : p + "/";
  std::set<std::string> names;
  for (const auto& [name, _] : files_) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string rest = name.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('/')));
  }
  return {names.begin(), names.end()};
}

namespace {
/// True when `p` is already what path_normalize makes of it: no empty, `.` or `..` segment, no
/// backslash, no trailing slash. Most paths the walk and the loaders build are; they are then
/// copied, not split into parts and joined again.
bool is_normal_path(std::string_view p) {
  if (p == "." || p == "/") return true;
  std::size_t at = !p.empty() && p[0] == '/' ? 1 : 0;
  while (true) {
    std::size_t end = p.find_first_of("/\\", at);
    std::string_view part = p.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (part.empty() || part == "." || part == "..") return false;
    if (end == std::string_view::npos) return true;
    if (p[end] == '\\') return false;
    at = end + 1;
  }
}
}  // namespace

std::string path_normalize(const std::string& p) {
  if (p.empty()) return ".";
  if (is_normal_path(p)) return p;
  bool absolute = p[0] == '/';
  std::vector<std::string> parts;
  std::string cur;
  auto flush = [&] {
    if (cur.empty() || cur == ".") {
    } else if (cur == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back("..");
      }
    } else {
      parts.push_back(cur);
    }
    cur.clear();
  };
  for (char c : p) {
    if (c == '/' || c == '\\') {
      flush();
    } else {
      cur += c;
    }
  }
  flush();
  std::string out = absolute ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  if (out.empty()) out.push_back(absolute ? '/' : '.');
  return out;
}

std::string path_join(const std::string& a, const std::string& b) {
  if (b.empty()) return path_normalize(a);
  if (b[0] == '/' || a.empty() || a == ".") return path_normalize(b);
  return path_normalize(a + "/" + b);
}

std::string path_dirname(const std::string& p) {
  std::string n = path_normalize(p);
  auto pos = n.rfind('/');
  if (pos == std::string::npos) return ".";
  if (pos == 0) return "/";
  return n.substr(0, pos);
}

std::string path_basename(const std::string& p) {
  std::string n = path_normalize(p);
  auto pos = n.rfind('/');
  return pos == std::string::npos ? n : n.substr(pos + 1);
}

std::string path_relative(const std::string& path, const std::string& base) {
  auto split = [](const std::string& p) {
    std::vector<std::string> parts;
    std::string n = path_normalize(p);
    if (n == "." || n == "/") return parts;
    std::size_t start = n[0] == '/' ? 1 : 0;
    while (start <= n.size()) {
      std::size_t slash = n.find('/', start);
      parts.push_back(n.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return parts;
  };
  std::vector<std::string> p = split(path), b = split(base);
  std::size_t common = 0;
  while (common < p.size() && common < b.size() && p[common] == b[common] && b[common] != "..") ++common;
  std::string out;
  for (std::size_t i = common; i < b.size(); ++i) out += out.empty() ? ".." : "/..";
  for (std::size_t i = common; i < p.size(); ++i) out += (out.empty() ? "" : "/") + p[i];
  return out.empty() ? "." : out;
}

namespace {

/// Matches one path component against a pattern component with `*` and `?`.
bool component_match(std::string_view pat, std::string_view s) {
  std::size_t p = 0, v = 0, star = std::string_view::npos, mark = 0;
  while (v < s.size()) {
    if (p < pat.size() && (pat[p] == '?' || pat[p] == s[v])) {
      ++p, ++v;
    } else if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = v;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

std::vector<std::string_view> components(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t slash = s.find('/', start);
    std::string_view c = s.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!c.empty() && c != ".") out.push_back(c);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

bool path_glob_match(std::string_view pattern, std::string_view path) {
  std::vector<std::string_view> pat = components(pattern), parts = components(path);
  // Iterative matching with backtracking to the last `**` (which matches zero or more parts).
  std::size_t p = 0, v = 0, star = std::string_view::npos, mark = 0;
  while (v < parts.size()) {
    if (p < pat.size() && pat[p] == "**") {
      star = p++;
      mark = v;
    } else if (p < pat.size() && component_match(pat[p], parts[v])) {
      ++p, ++v;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == "**") ++p;
  return p == pat.size();
}

}  // namespace tagwarden
