#include "linter/source/source_manager.hpp"

#include <algorithm>
#include <filesystem>

#include "linter/source/reader.hpp"

namespace tagwarden {

namespace {

constexpr std::size_t kCheckpoint = 256;  ///< bytes between code point checkpoints

bool is_lead_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

}  // namespace

void SourceFile::build_index() const {
  std::call_once(index_once_, [this] {
    line_starts_.push_back(0);
    std::uint32_t code_points = 0;
    for (std::size_t i = 0; i < contents_.size(); ++i) {
      if (i % kCheckpoint == 0) code_points_at_.push_back(code_points);
      if (contents_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
      if (is_lead_byte(contents_[i])) ++code_points;
    }
  });
}

std::uint32_t SourceFile::code_points_before(std::uint32_t offset) const {
  // A checkpoint every kCheckpoint bytes, then at most that many bytes counted: a column is
  // O(1) however long its line (a minified template is one line).
  std::size_t k = offset / kCheckpoint;
  if (k >= code_points_at_.size()) k = code_points_at_.empty() ? 0 : code_points_at_.size() - 1;
  std::uint32_t n = code_points_at_.empty() ? 0 : code_points_at_[k];
  for (std::size_t i = k * kCheckpoint; i < offset; ++i) n += is_lead_byte(contents_[i]) ? 1u : 0u;
  return n;
}

std::uint32_t SourceFile::line_count() const {
  build_index();
  return static_cast<std::uint32_t>(line_starts_.size());
}

LineCol SourceFile::line_col(std::uint32_t offset) const {
  build_index();
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(contents_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  std::uint32_t start = line_starts_[line - 1];
  // Columns count code points (UTF-8 continuation bytes are skipped).
  return {line, code_points_before(offset) - code_points_before(start) + 1};
}

std::uint32_t SourceFile::line_start(std::uint32_t line) const {
  build_index();
  if (line == 0) return 0;
  if (line > line_starts_.size()) return static_cast<std::uint32_t>(contents_.size());
  return line_starts_[line - 1];
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  build_index();
  if (line == 0 || line > line_starts_.size()) return {};
  std::uint32_t b = line_starts_[line - 1];
  std::uint32_t e = line < line_starts_.size() ? line_starts_[line] : static_cast<std::uint32_t>(contents_.size());
  std::string_view v(contents_.data() + b, e - b);
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

FileId SourceManager::add_impl(std::string display, std::string contents, bool loaded) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_path_.find(display);
  if (it != by_path_.end()) {
    SourceFile& f = *files_[it->second];
    if (loaded && !f.loaded()) f.fill(std::move(contents));
    return it->second;
  }
  auto id = static_cast<FileId>(files_.size());
  by_path_.emplace(display, id);
  files_.push_back(std::make_unique<SourceFile>(std::move(display), std::move(contents), loaded));
  return id;
}

FileId SourceManager::add(std::string display_path, std::string contents) {
  return add_impl(std::move(display_path), std::move(contents), true);
}

FileId SourceManager::add_unloaded(std::string display_path) { return add_impl(std::move(display_path), {}, false); }

FileId SourceManager::declare(std::string display_path) { return add_impl(std::move(display_path), {}, false); }

void SourceManager::fill(FileId id, std::string contents) {
  std::lock_guard<std::mutex> lock(mu_);
  SourceFile& f = *files_.at(id);
  if (!f.loaded()) f.fill(std::move(contents));
}

std::optional<FileId> SourceManager::find(const std::string& display) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_path_.find(display);
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

const SourceFile& SourceManager::file(FileId id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return *files_.at(id);
}

std::size_t SourceManager::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return files_.size();
}

LineCol SourceManager::begin_of(const Span& span) const {
  if (!span.valid() || !span.has_range) return {};
  return file(span.file).line_col(span.begin);
}

LineCol SourceManager::end_of(const Span& span) const {
  if (!span.valid() || !span.has_range) return {};
  return file(span.file).line_col(span.end);
}

std::string span_path(const SourceManager& sm, const Span& span, const std::string& hint) {
  return span.valid() ? sm.file(span.file).path() : hint;
}

std::string_view span_text(const SourceManager& sm, const Span& span) {
  if (!span.valid() || !span.has_range) return {};
  const auto& c = sm.file(span.file).contents();
  if (span.begin > c.size() || span.end > c.size() || span.end < span.begin) return {};
  return std::string_view(c).substr(span.begin, span.end - span.begin);
}

std::string display_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::string norm = path_normalize(path);
  if (!norm.empty() && norm[0] == '/') {
    std::error_code ec;
    fs::path cwd = fs::current_path(ec);
    if (!ec) {
      std::string c = path_normalize(cwd.generic_string());
      if (norm.compare(0, c.size() + 1, c + "/") == 0) return norm.substr(c.size() + 1);
    }
  }
  return norm;
}

}  // namespace tagwarden
