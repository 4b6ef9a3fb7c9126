#include "linter/source/source_manager.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "linter/source/reader.hpp"

namespace tagwarden {

namespace {

constexpr std::size_t kCheckpoint = 256;  ///< bytes between code point checkpoints

bool is_lead_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

const std::string& empty_text() {
  static const std::string kEmpty;
  return kEmpty;
}

void sort_unique(std::vector<std::uint32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

const std::string& SourceFile::contents() const { return text_ ? *text_ : empty_text(); }

void SourceFile::set_text(std::shared_ptr<const std::string> text) {
  text_ = std::move(text);
  if (text_) {
    index_ = std::make_unique<Index>();
  } else {
    index_.reset();
  }
}

void SourceFile::build_index() const {
  if (!index_) return;
  std::lock_guard<std::mutex> lock(index_->mu);
  if (!index_->line_starts.empty() || !text_) return;
  const std::string& text = *text_;
  // Sized up front, then two passes the compiler and libc make fast: line breaks by memchr,
  // code points a checkpoint's worth of bytes at a time.
  std::vector<std::uint32_t>& starts = index_->line_starts;
  starts.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  starts.push_back(0);
  for (std::size_t i = text.find('\n'); i != std::string::npos; i = text.find('\n', i + 1))
    starts.push_back(static_cast<std::uint32_t>(i + 1));
  std::vector<std::uint32_t>& checkpoints = index_->code_points_at;
  checkpoints.reserve(text.size() / kCheckpoint + 1);
  std::uint32_t code_points = 0;
  for (std::size_t at = 0; at < text.size(); at += kCheckpoint) {
    checkpoints.push_back(code_points);
    const std::size_t end = std::min(text.size(), at + kCheckpoint);
    std::uint32_t lead = 0;
    for (std::size_t i = at; i < end; ++i) lead += is_lead_byte(text[i]) ? 1u : 0u;
    code_points += lead;
  }
}

std::uint32_t SourceFile::code_points_before(const std::string& text, std::uint32_t offset) const {
  // A checkpoint every kCheckpoint bytes, then at most that many bytes counted: a column is
  // O(1) however long its line (a minified template is one line).
  const std::vector<std::uint32_t>& at = index_->code_points_at;
  std::size_t k = offset / kCheckpoint;
  if (k >= at.size()) k = at.empty() ? 0 : at.size() - 1;
  std::uint32_t n = at.empty() ? 0 : at[k];
  for (std::size_t i = k * kCheckpoint; i < offset; ++i) n += is_lead_byte(text[i]) ? 1u : 0u;
  return n;
}

std::uint32_t SourceFile::line_count() const {
  if (!text_) return 0;
  build_index();
  return static_cast<std::uint32_t>(index_->line_starts.size());
}

LineCol SourceFile::compute_line_col(const std::string& text, std::uint32_t offset) const {
  build_index();
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  const std::vector<std::uint32_t>& starts = index_->line_starts;
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  auto line = static_cast<std::uint32_t>(it - starts.begin());
  std::uint32_t start = starts[line - 1];
  // Columns count code points (UTF-8 continuation bytes are skipped).
  return {line, code_points_before(text, offset) - code_points_before(text, start) + 1};
}

LineCol SourceFile::line_col(std::uint32_t offset) const {
  if (text_) return compute_line_col(*text_, offset);
  if (!kept_) return {};
  const auto& positions = kept_->positions;
  auto it = std::lower_bound(positions.begin(), positions.end(), offset,
                             [](const auto& p, std::uint32_t o) { return p.first < o; });
  if (it != positions.end() && it->first == offset) return it->second;
  return {};
}

std::uint32_t SourceFile::line_start(std::uint32_t line) const {
  if (!text_) return 0;
  build_index();
  if (line == 0) return 0;
  if (line > index_->line_starts.size()) return static_cast<std::uint32_t>(text_->size());
  return index_->line_starts[line - 1];
}

std::string_view SourceFile::compute_line_text(const std::string& text, std::uint32_t line) const {
  build_index();
  const std::vector<std::uint32_t>& starts = index_->line_starts;
  if (line == 0 || line > starts.size()) return {};
  std::uint32_t b = starts[line - 1];
  std::uint32_t e = line < starts.size() ? starts[line] : static_cast<std::uint32_t>(text.size());
  std::string_view v(text.data() + b, e - b);
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  return v;
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (text_) return compute_line_text(*text_, line);
  if (!kept_) return {};
  const auto& lines = kept_->lines;
  auto it =
      std::lower_bound(lines.begin(), lines.end(), line, [](const auto& p, std::uint32_t l) { return p.first < l; });
  if (it != lines.end() && it->first == line) return it->second;
  return {};
}

SourceFile::Kept SourceFile::collect(const std::vector<std::uint32_t>& offsets,
                                     const std::vector<std::uint32_t>& line_offsets) const {
  Kept k;
  if (!text_ || (offsets.empty() && line_offsets.empty())) return k;
  const std::string& text = *text_;
  k.positions.reserve(offsets.size());
  for (std::uint32_t o : offsets) k.positions.emplace_back(o, compute_line_col(text, o));
  for (std::uint32_t o : line_offsets) {
    std::uint32_t line = compute_line_col(text, o).line;
    if (k.lines.empty() || k.lines.back().first != line)
      k.lines.emplace_back(line, std::string(compute_line_text(text, line)));
  }
  return k;
}

void SourceFile::retain(const std::vector<std::uint32_t>& offsets, const std::vector<std::uint32_t>& line_offsets) {
  keep(collect(offsets, line_offsets));
}

void SourceFile::keep(Kept more) {
  std::vector<std::pair<std::uint32_t, LineCol>>& pos = more.positions;
  std::vector<std::pair<std::uint32_t, std::string>>& new_lines = more.lines;
  if (pos.empty() && new_lines.empty()) return;
  if (!kept_) kept_ = std::make_unique<Kept>();
  auto& positions = kept_->positions;
  auto& lines = kept_->lines;
  // Merged with what earlier releases kept (another unit may have pointed into this file).
  std::vector<std::pair<std::uint32_t, LineCol>> merged;
  merged.reserve(positions.size() + pos.size());
  std::merge(positions.begin(), positions.end(), pos.begin(), pos.end(), std::back_inserter(merged),
             [](const auto& a, const auto& b) { return a.first < b.first; });
  merged.erase(
      std::unique(merged.begin(), merged.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
      merged.end());
  positions = std::move(merged);
  for (auto& [line, text] : new_lines) {
    auto it =
        std::lower_bound(lines.begin(), lines.end(), line, [](const auto& p, std::uint32_t l) { return p.first < l; });
    if (it == lines.end() || it->first != line) lines.emplace(it, line, std::move(text));
  }
}

void SourceFile::drop() { set_text(nullptr); }

void FileUses::append(FileUses&& other) {
  ids.insert(ids.end(), other.ids.begin(), other.ids.end());
  other.ids.clear();
}

void Retain::position(const Span& span) {
  if (!span.valid() || !span.has_range) return;
  auto& w = files_[span.file];
  w.offsets.push_back(span.begin);
  w.offsets.push_back(span.end);
}

void Retain::with_line(const Span& span) {
  if (!span.valid() || !span.has_range) return;
  position(span);
  files_[span.file].line_offsets.push_back(span.begin);
}

void Retain::whole(FileId file) {
  if (file != kNoFile) files_[file].whole = true;
}

void SourceManager::Lock::lock() {
  for (int spin = 0; spin < 2000; ++spin) {
    if (mu_.try_lock()) return;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  mu_.lock();
}

void SourceManager::hold(FileId id, std::shared_ptr<const std::string> contents, FileUses* uses) {
  SourceFile& f = at(id);
  if (contents && !f.text_) {
    f.set_text(std::move(contents));
    f.loaded_ = true;
  }
  if (uses) {
    ++f.uses_;
    uses->ids.push_back(id);
  } else {
    f.permanent_ = true;
  }
}

FileId SourceManager::add_impl(std::string display, std::shared_ptr<const std::string> contents, bool loaded,
                               FileUses* uses) {
  // Made before taking the lock (most registrations are new files); dropped if the path is known.
  auto made = std::make_unique<SourceFile>(std::move(display), nullptr, false);
  std::lock_guard<Lock> lock(mu_);
  auto it = by_path_.find(made->path_);
  FileId id;
  if (it != by_path_.end()) {
    id = it->second;
  } else {
    const std::size_t n = size_.load(std::memory_order_relaxed);
    static_assert(kMaxChunks * kChunkSize < kNoFile, "every slot has an id");
    if (n >= kMaxChunks * kChunkSize) throw std::length_error("too many files for one run");
    auto& chunk = chunks_[n >> kChunkBits];
    if (!chunk) chunk = std::make_unique<std::unique_ptr<SourceFile>[]>(kChunkSize);
    id = static_cast<FileId>(n);
    chunk[n & (kChunkSize - 1)] = std::move(made);
    by_path_.emplace(at(id).path_, id);
    size_.store(n + 1, std::memory_order_release);
  }
  if (loaded) hold(id, std::move(contents), uses);
  return id;
}

FileId SourceManager::add(std::string display_path, std::string contents, FileUses* uses) {
  return add_impl(std::move(display_path), std::make_shared<const std::string>(std::move(contents)), true, uses);
}

FileId SourceManager::add_unloaded(std::string display_path) {
  return add_impl(std::move(display_path), nullptr, false, nullptr);
}

FileId SourceManager::declare(std::string display_path) {
  return add_impl(std::move(display_path), nullptr, false, nullptr);
}

void SourceManager::reserve(std::size_t files) {
  std::lock_guard<Lock> lock(mu_);
  by_path_.reserve(files);
}

void SourceManager::fill(FileId id, std::string contents, FileUses* uses) {
  if (id >= size()) throw std::out_of_range("SourceManager::fill: no such file");
  std::lock_guard<Lock> lock(mu_);
  hold(id, std::make_shared<const std::string>(std::move(contents)), uses);
}

std::optional<FileId> SourceManager::find(const std::string& display) const {
  std::lock_guard<Lock> lock(mu_);
  auto it = by_path_.find(display);
  if (it == by_path_.end()) return std::nullopt;
  return it->second;
}

const SourceFile& SourceManager::file(FileId id) const {
  if (id >= size()) throw std::out_of_range("SourceManager::file: no such file");
  return at(id);
}

std::size_t SourceManager::size() const { return size_.load(std::memory_order_acquire); }

LineCol SourceManager::begin_of(const Span& span) const {
  if (!span.valid() || !span.has_range) return {};
  return file(span.file).line_col(span.begin);
}

LineCol SourceManager::end_of(const Span& span) const {
  if (!span.valid() || !span.has_range) return {};
  return file(span.file).line_col(span.end);
}

void SourceManager::release(FileUses& uses, const Retain& retain) {
  // What the report needs first, while this unit still holds the texts. For the files it holds
  // (their text cannot be dropped or replaced meanwhile) the positions and lines are worked out
  // without the lock: that builds each file's line index, a pass over its whole text, and other
  // workers wait on the lock. The others are worked out under it, as they may be released.
  std::vector<FileId> held = uses.ids;
  sort_unique(held);
  struct Pending {
    FileId id;
    std::vector<std::uint32_t> offsets, lines;
  };
  std::vector<Pending> outside, inside;
  {
    std::lock_guard<Lock> lock(mu_);
    for (const auto& [id, wanted] : retain.files()) {
      if (id >= size()) continue;
      SourceFile& f = at(id);
      if (wanted.whole && f.text_) f.permanent_ = true;
      if (f.permanent_ || !f.text_) continue;
      Pending p{id, wanted.offsets, wanted.line_offsets};
      sort_unique(p.offsets);
      sort_unique(p.lines);
      (std::binary_search(held.begin(), held.end(), id) ? outside : inside).push_back(std::move(p));
    }
  }
  std::vector<SourceFile::Kept> collected;
  collected.reserve(outside.size());
  for (const Pending& p : outside) collected.push_back(at(p.id).collect(p.offsets, p.lines));
  std::lock_guard<Lock> lock(mu_);
  for (std::size_t i = 0; i < outside.size(); ++i) {
    at(outside[i].id).keep(std::move(collected[i]));
  }
  for (const Pending& p : inside) at(p.id).retain(p.offsets, p.lines);
  for (FileId id : uses.ids) {
    SourceFile& f = at(id);
    if (--f.uses_ == 0 && !f.permanent_) f.drop();
  }
  uses.ids.clear();
}

KeptFile SourceManager::kept(FileId id, const Retain::Wanted& wanted) const {
  if (id >= size()) throw std::out_of_range("SourceManager::kept: no such file");
  std::lock_guard<Lock> lock(mu_);
  const SourceFile& f = at(id);
  KeptFile k;
  k.path = f.path_;
  k.loaded = f.loaded_;
  std::vector<std::uint32_t> offsets = wanted.offsets, line_offsets = wanted.line_offsets;
  sort_unique(offsets);
  sort_unique(line_offsets);
  for (std::uint32_t o : offsets) k.positions.emplace_back(o, f.line_col(o));
  for (std::uint32_t o : line_offsets) {
    std::uint32_t line = f.line_col(o).line;
    if (line != 0 && (k.lines.empty() || k.lines.back().first != line))
      k.lines.emplace_back(line, std::string(f.line_text(line)));
  }
  if (wanted.whole && f.text_) k.whole = *f.text_;
  return k;
}

FileId SourceManager::restore(const KeptFile& k) {
  FileId id = add_impl(k.path, nullptr, false, nullptr);
  std::lock_guard<Lock> lock(mu_);
  SourceFile& f = at(id);
  f.loaded_ = f.loaded_ || k.loaded;
  if (k.whole) {
    if (!f.text_) f.set_text(std::make_shared<const std::string>(*k.whole));
    f.permanent_ = true;
  }
  f.keep(SourceFile::Kept{k.positions, k.lines});
  return id;
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
    // The working directory does not change during a run: asked once, not per file.
    static const std::string cwd = [] {
      std::error_code ec;
      fs::path p = fs::current_path(ec);
      return ec ? std::string() : path_normalize(p.generic_string());
    }();
    if (!cwd.empty() && norm.compare(0, cwd.size() + 1, cwd + "/") == 0) return norm.substr(cwd.size() + 1);
  }
  return norm;
}

}  // namespace tagwarden
