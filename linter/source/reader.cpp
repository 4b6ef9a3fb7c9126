#include "linter/source/reader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace tagwarden {
namespace fs = std::filesystem;

namespace {

class DiskReader final : public Reader {
 public:
  std::optional<std::string> read(const std::string& path, std::string* error) const override {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      if (error) *error = "cannot open file";
      return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) {
      if (error) *error = "read error";
      return std::nullopt;
    }
    return std::move(ss).str();
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
  std::vector<std::string> list_dir(const std::string& path) const override {
    std::vector<std::string> out;
    std::error_code ec;
    fs::directory_iterator it(path, ec), end;
    for (; !ec && it != end; it.increment(ec)) out.push_back(it->path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }
};

}  // namespace

std::unique_ptr<Reader> make_disk_reader() { return std::make_unique<DiskReader>(); }

std::optional<std::string> MemoryReader::read(const std::string& path, std::string* error) const {
  auto it = files_.find(path_normalize(path));
  if (it == files_.end()) {
    if (error) *error = "no such file";
    return std::nullopt;
  }
  return it->second;
}

bool MemoryReader::is_file(const std::string& path) const {
  return files_.count(path_normalize(path)) != 0;
}

bool MemoryReader::is_dir(const std::string& path) const {
  std::string p = path_normalize(path);
  if (p == ".") return !files_.empty();
  std::string prefix = p + "/";
  auto it = files_.lower_bound(prefix);
  return it != files_.end() && it->first.compare(0, prefix.size(), prefix) == 0;
}

std::vector<std::string> MemoryReader::list_dir(const std::string& path) const {
  std::string p = path_normalize(path);
  std::string prefix = p == "." ? "" : p + "/";
  std::set<std::string> names;
  for (const auto& [name, _] : files_) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string rest = name.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('/')));
  }
  return {names.begin(), names.end()};
}

std::string path_normalize(const std::string& p) {
  if (p.empty()) return ".";
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
  if (out.empty()) out = absolute ? "/" : ".";
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

}  // namespace tagwarden
