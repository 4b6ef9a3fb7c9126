#include "linter/source/result_cache.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>

namespace tagwarden {

namespace {

constexpr std::string_view kMagic = "TWRC";
constexpr std::uint8_t kFormat = 4;
/// A file modified less than this before its entry was written may have been written again
/// within the same clock tick: its stamp is not trusted, its text is compared.
constexpr std::int64_t kRacyNs = 2'000'000'000;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string question(Observation::Op op, const std::string& path) {
  std::string q(1, static_cast<char>(op));
  q += path;
  return q;
}

void write_stamp(ByteWriter& w, const FileStamp& s) {
  w.varint(s.size);
  w.svarint(s.mtime_ns);
  w.svarint(s.ctime_ns);
  w.varint(s.inode);
  w.varint(s.device);
}

FileStamp read_stamp(ByteReader& r) {
  FileStamp s;
  s.size = r.varint();
  s.mtime_ns = r.svarint();
  s.ctime_ns = r.svarint();
  s.inode = r.varint();
  s.device = r.varint();
  return s;
}

Sha1 read_sha1(ByteReader& r) {
  Sha1 d{};
  std::string_view v = r.raw(d.size());
  for (std::size_t i = 0; i < v.size(); ++i) d[i] = static_cast<std::uint8_t>(v[i]);
  return d;
}

std::string_view sha1_bytes(const Sha1& d) { return {reinterpret_cast<const char*>(d.data()), d.size()}; }

/// The answers to kList and kEntries about folder `path`, from one listing.
std::pair<Sha1, Sha1> listing_answers(const Reader& reader, const std::string& path) {
  std::string why;
  std::vector<DirEntry> entries = reader.list_entries(path, &why);
  std::vector<std::string> names;
  names.reserve(entries.size());
  for (const auto& e : entries) names.push_back(e.name);
  return {list_answer(names, why), entries_answer(entries, why)};
}

/// One question of an entry: op, path (after the one before), answer, stamp.
void write_observation(ByteWriter& w, const Observation& o, std::string& before) {
  w.u8(static_cast<std::uint8_t>(o.op));
  w.path(o.path, before);
  w.raw(sha1_bytes(o.answer));
  w.boolean(o.stamp.has_value());
  if (o.stamp) write_stamp(w, *o.stamp);
}

/// Reads what write_observation wrote into `o` (whose path is the one before); false when
/// malformed.
bool read_observation(ByteReader& r, Observation& o) {
  std::uint8_t op = r.u8();
  if (op > static_cast<std::uint8_t>(Observation::Op::kReadBytes)) return false;
  o.op = static_cast<Observation::Op>(op);
  r.path(o.path);
  o.stamp.reset();
  o.answer = read_sha1(r);
  if (r.boolean()) o.stamp = read_stamp(r);
  return r.ok();
}

/// A checksum against a torn or corrupted entry (not a digest: nothing depends on it being hard
/// to forge), 8 bytes at a time so checking a whole cache costs little; of pieces taken together
/// (a whole run's entry is written in pieces: RunRecording).
class Checksum {
 public:
  explicit Checksum(std::size_t total) : h_(0x243F6A8885A308D3ull ^ total) {}
  void update(std::string_view s) {
    while (!s.empty()) {
      std::size_t take = std::min(s.size(), 8 - pending_);
      std::memcpy(reinterpret_cast<char*>(&word_) + pending_, s.data(), take);
      pending_ += take;
      s.remove_prefix(take);
      if (pending_ == 8) {
        h_ = (h_ ^ word_) * kMul;
        h_ ^= h_ >> 32;
        word_ = 0;
        pending_ = 0;
      }
    }
  }
  /// The checksum as 8 bytes, least significant first.
  std::string bytes() const {
    std::uint64_t h = (h_ ^ word_) * kMul;
    h ^= h >> 29;
    std::string out(8, '\0');
    for (std::size_t i = 0; i < 8; ++i) out[i] = static_cast<char>(h >> (8 * i));
    return out;
  }

 private:
  static constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;
  std::uint64_t h_;
  std::uint64_t word_ = 0;
  std::size_t pending_ = 0;
};

std::string checksum_bytes(std::string_view s) {
  Checksum c(s.size());
  c.update(s);
  return c.bytes();
}

}  // namespace

void ByteWriter::varint(std::uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void ByteWriter::str(std::string_view s) {
  varint(s.size());
  out_.append(s);
}

void ByteWriter::path(std::string_view path, std::string& before) {
  std::size_t shared = 0;
  while (shared < before.size() && shared < path.size() && before[shared] == path[shared]) ++shared;
  varint(shared);
  str(path.substr(shared));
  before = path;
}

std::uint8_t ByteReader::u8() {
  if (!ok_ || pos_ >= in_.size()) {
    ok_ = false;
    return 0;
  }
  return static_cast<std::uint8_t>(in_[pos_++]);
}

std::uint64_t ByteReader::varint() {
  std::uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    std::uint8_t b = u8();
    if (!ok_) return 0;
    v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
    if ((b & 0x80) == 0) return v;
  }
  ok_ = false;
  return 0;
}

std::int64_t ByteReader::svarint() {
  std::uint64_t u = varint();
  return static_cast<std::int64_t>(u >> 1) ^ -static_cast<std::int64_t>(u & 1);
}

std::string_view ByteReader::raw(std::size_t n) {
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  std::string_view v = in_.substr(pos_, n);
  pos_ += n;
  return v;
}

std::string_view ByteReader::view() {
  std::uint64_t n = varint();
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return {};
  }
  return raw(static_cast<std::size_t>(n));
}

const std::string& ByteReader::path(std::string& before) {
  std::uint64_t shared = varint();
  if (shared > before.size()) {
    ok_ = false;
    shared = 0;
  }
  before.resize(static_cast<std::size_t>(shared));
  before += view();
  return before;
}

std::size_t ByteReader::count() {
  std::uint64_t n = varint();
  if (!ok_ || n > in_.size() - pos_) {
    ok_ = false;
    return 0;
  }
  return static_cast<std::size_t>(n);
}

Sha1 read_answer(std::optional<std::string_view> text, const std::string& error) {
  return text ? sha1("R", *text) : sha1("E", error);
}

Sha1 bool_answer(bool v) {
  static const Sha1 kYes = sha1("1"), kNo = sha1("0");
  return v ? kYes : kNo;
}

Sha1 list_answer(const std::vector<std::string>& names, const std::string& error) {
  ByteWriter w;
  w.str(error);
  for (const auto& n : names) w.str(n);
  return sha1(w.out());
}

Sha1 entries_answer(const std::vector<DirEntry>& entries, const std::string& error) {
  ByteWriter w;
  w.str(error);
  for (const auto& e : entries) {
    w.str(e.name);
    w.u8(static_cast<std::uint8_t>(e.kind));
    w.boolean(e.symlink);
  }
  return sha1(w.out());
}

Sha1 real_path_answer(const std::optional<std::string>& path) { return sha1(path ? "1" + *path : std::string("0")); }

void RecordingReader::note(Observation::Op op, const std::string& path, const Sha1& answer,
                           std::optional<FileStamp> stamp) const {
  if (run_) {
    run_->add(Observation{op, path, answer, stamp});
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, fresh] = index_.emplace(question(op, path), seen_.size());
  if (!fresh) {
    if (seen_[it->second].answer != answer) stable_ = false;
    return;
  }
  seen_.push_back(Observation{op, path, answer, stamp});
}

std::optional<std::string> RecordingReader::read(const std::string& path, std::string* error) const {
  // The stamp first: a file written after it was taken has a newer stamp, so the entry cannot
  // vouch for the new text by an old stamp.
  std::optional<FileStamp> stamp = base_.stamp(path);
  std::string why;
  std::optional<std::string> text = base_.read(path, &why);
  note(Observation::Op::kRead, path, read_answer(text, why), text ? stamp : std::nullopt);
  if (!text && error) *error = why;
  return text;
}

std::optional<FileBytes> RecordingReader::read_bytes(const std::string& path, std::string* error) const {
  std::string why;
  std::optional<FileBytes> bytes = base_.read_bytes(path, &why);
  note(Observation::Op::kReadBytes, path,
       read_answer(bytes ? std::optional<std::string_view>(bytes->view()) : std::nullopt, why));
  if (!bytes && error) *error = why;
  return bytes;
}

bool RecordingReader::is_file(const std::string& path) const {
  bool v = base_.is_file(path);
  note(Observation::Op::kIsFile, path, bool_answer(v));
  return v;
}

bool RecordingReader::is_dir(const std::string& path) const {
  bool v = base_.is_dir(path);
  note(Observation::Op::kIsDir, path, bool_answer(v));
  return v;
}

bool RecordingReader::is_symlink(const std::string& path) const {
  bool v = base_.is_symlink(path);
  note(Observation::Op::kIsSymlink, path, bool_answer(v));
  return v;
}

std::vector<std::string> RecordingReader::list_dir(const std::string& path, std::string* error) const {
  // A folder's times change when an entry is added, removed or renamed: its stamp vouches for
  // the names in it, as a file's does for its text.
  std::optional<FileStamp> stamp = base_.stamp(path);
  std::string why;
  std::vector<std::string> names = base_.list_dir(path, &why);
  note(Observation::Op::kList, path, list_answer(names, why), why.empty() ? stamp : std::nullopt);
  if (error && !why.empty()) *error = why;
  return names;
}

std::vector<DirEntry> RecordingReader::list_entries(const std::string& path, std::string* error) const {
  std::optional<FileStamp> stamp = base_.stamp(path);
  std::string why;
  std::vector<DirEntry> entries = base_.list_entries(path, &why);
  // Not for the kinds of links' targets, which change without the folder changing.
  bool links = std::any_of(entries.begin(), entries.end(), [](const DirEntry& e) { return e.symlink; });
  note(Observation::Op::kEntries, path, entries_answer(entries, why), why.empty() && !links ? stamp : std::nullopt);
  if (error && !why.empty()) *error = why;
  return entries;
}

std::optional<std::string> RecordingReader::real_path(const std::string& path) const {
  std::optional<std::string> r = base_.real_path(path);
  note(Observation::Op::kRealPath, path, real_path_answer(r));
  return r;
}

ResultCache::ResultCache(const Reader& reader, std::string folder, std::string scope, std::string_view key)
    : reader_(reader), folder_(std::move(folder)), scope_(std::move(scope)), key_(sha1(key)) {}

std::string ResultCache::entry_path(const std::string& identity) const {
  // One entry per unit: a run with other options replaces it rather than adding another, so
  // the folder holds at most one entry per unit of each folder tagwarden runs in.
  std::string name = to_hex(sha1(scope_ + '\n', identity));
  return folder_ + "/" + name.substr(0, 2) + "/" + name.substr(2, 30);
}

std::optional<FileStamp> ResultCache::stamp_now(const std::string& path) const {
  Shard& sh = shard(path);
  {
    std::lock_guard<std::mutex> lock(sh.mu);
    PathFacts& p = sh.paths[path];
    if (p.stamped) return p.stamp;
  }
  std::optional<FileStamp> s = reader_.stamp(path);
  std::lock_guard<std::mutex> lock(sh.mu);
  PathFacts& p = sh.paths[path];
  p.stamped = true;
  p.stamp = s;
  return s;
}

Sha1 ResultCache::ask(const Observation& o) const {
  std::string why;
  switch (o.op) {
    case Observation::Op::kRead:
      return read_answer(reader_.read(o.path, &why), why);
    case Observation::Op::kReadBytes: {
      std::optional<FileBytes> b = reader_.read_bytes(o.path, &why);
      return read_answer(b ? std::optional<std::string_view>(b->view()) : std::nullopt, why);
    }
    case Observation::Op::kIsFile:
      return bool_answer(reader_.is_file(o.path));
    case Observation::Op::kIsDir:
      return bool_answer(reader_.is_dir(o.path));
    case Observation::Op::kIsSymlink:
      return bool_answer(reader_.is_symlink(o.path));
    case Observation::Op::kList:
      return listing_answers(reader_, o.path).first;
    case Observation::Op::kEntries:
      return listing_answers(reader_, o.path).second;
    case Observation::Op::kRealPath:
      return real_path_answer(reader_.real_path(o.path));
  }
  return Sha1{};
}

Sha1 ResultCache::answer_now(const Observation& o) const {
  Shard& sh = shard(o.path);
  const auto op = static_cast<std::size_t>(o.op);
  {
    std::lock_guard<std::mutex> lock(sh.mu);
    if (const auto& a = sh.paths[o.path].answers[op]) return *a;
  }
  if (o.op == Observation::Op::kList || o.op == Observation::Op::kEntries) {
    // One listing answers both questions (a root module's folder is asked both).
    auto [l, f] = listing_answers(reader_, o.path);
    std::lock_guard<std::mutex> lock(sh.mu);
    PathFacts& p = sh.paths[o.path];
    p.answers[static_cast<std::size_t>(Observation::Op::kList)] = l;
    p.answers[static_cast<std::size_t>(Observation::Op::kEntries)] = f;
    return o.op == Observation::Op::kList ? l : f;
  }
  Sha1 a = ask(o);
  std::lock_guard<std::mutex> lock(sh.mu);
  sh.paths[o.path].answers[op] = a;
  return a;
}

bool ResultCache::holds(const Observation& o, std::int64_t written_ns, bool memo) const {
  if (o.stamp && o.stamp->mtime_ns < written_ns - kRacyNs && o.stamp->ctime_ns < written_ns - kRacyNs) {
    std::optional<FileStamp> now = memo ? stamp_now(o.path) : reader_.stamp(o.path);
    if (now && *now == *o.stamp) return true;
  }
  return (memo ? answer_now(o) : ask(o)) == o.answer;
}

std::optional<CachedUnit> ResultCache::find(const std::string& identity) const { return find_impl(identity, nullptr); }

std::optional<CachedUnit> ResultCache::find_alone(const std::string& identity, const ParallelFor& parallel) const {
  return find_impl(identity, &parallel);
}

std::optional<CachedUnit> ResultCache::find_impl(const std::string& identity, const ParallelFor* parallel) const {
  // Entries of units share questions (a module many roots call): answers are kept for the run.
  const bool memo = parallel == nullptr;
  // Entries are tagwarden's own files, on the local disk whatever the inputs are read from.
  static const std::unique_ptr<Reader> disk = make_disk_reader();
  std::string why;
  std::optional<std::string> text = disk->read(entry_path(identity), &why);
  auto miss = [&]() -> std::optional<CachedUnit> {
    ++misses_;
    return std::nullopt;
  };
  if (!text || text->size() < kMagic.size() + 1 + 8) return miss();
  // The last 8 bytes are the checksum of the rest: a torn or corrupt entry is a miss.
  std::string_view body(text->data(), text->size() - 8);
  if (std::string_view(*text).substr(body.size()) != checksum_bytes(body)) return miss();
  ByteReader r(body);
  if (r.raw(kMagic.size()) != kMagic || r.u8() != kFormat) return miss();
  if (read_sha1(r) != key_ || r.view() != identity) return miss();
  const std::int64_t written = r.svarint();
  const std::size_t n = r.count();
  std::vector<Observation> seen;
  if (run_ || parallel) seen.reserve(n);
  Observation o;
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    if (!read_observation(r, o)) return miss();
    // Asked as they are read, stopping at the first that does not hold; or, in parallel, once
    // all are read.
    if (!parallel && !holds(o, written, memo)) return miss();
    if (run_ || parallel) seen.push_back(o);
  }
  CachedUnit unit;
  unit.meta = r.str();
  unit.payload = r.str();
  if (!r.ok() || !r.at_end()) return miss();
  if (parallel) {
    constexpr std::size_t kBlock = 512;
    std::atomic<bool> failed{false};
    bool ran = (*parallel)((seen.size() + kBlock - 1) / kBlock, [&](std::size_t b) {
      for (std::size_t i = b * kBlock; i < std::min(seen.size(), (b + 1) * kBlock) && !failed; ++i) {
        if (!holds(seen[i], written, memo)) failed = true;
      }
    });
    if (!ran || failed) return miss();
  }
  // Each question holds now, as this run's own would (its stamp, when it has one, was taken
  // before the text it vouches for was digested, by this run or by the one that wrote it).
  if (run_) run_->add(seen);
  ++hits_;
  return unit;
}

std::shared_ptr<UnitRecording> ResultCache::record(std::string identity) const {
  return std::make_shared<UnitRecording>(std::move(identity), reader_);
}

void ResultCache::store(const UnitRecording& unit, std::string_view payload) const {
  if (!unit.reader.stable()) {
    if (run_) run_->set_incomplete();
    return;
  }
  if (run_) run_->add(unit.reader.observations());
  ByteWriter records;
  std::string before;
  for (const auto& o : unit.reader.observations()) write_observation(records, o, before);
  write_entry(unit.identity, now_ns(), unit.reader.observations().size(), {records.view()}, unit.meta, payload);
  ++stored_;
}

bool ResultCache::store_run(const std::string& identity, RunRecording& run, std::string_view payload) const {
  if (!run.complete()) return false;
  run.forget_answers();  // the entry is written at the end of the run, when its memory peaks
  return write_entry(identity, run.started_ns(), run.count(), run.records(), {}, payload);
}

bool ResultCache::write_entry(const std::string& identity, std::int64_t written_ns, std::size_t count,
                              const std::vector<std::string_view>& records, std::string_view meta,
                              std::string_view payload) const {
  ByteWriter head, tail;
  head.raw(kMagic);
  head.u8(kFormat);
  head.raw(sha1_bytes(key_));
  head.str(identity);
  head.svarint(written_ns);
  head.varint(count);
  tail.str(meta);
  tail.str(payload);
  std::vector<std::string_view> pieces{head.view()};
  pieces.insert(pieces.end(), records.begin(), records.end());
  pieces.push_back(tail.view());
  std::size_t total = 0;
  for (auto p : pieces) total += p.size();
  Checksum sum(total);
  for (auto p : pieces) sum.update(p);
  std::string end = sum.bytes();
  pieces.push_back(end);
  return write_file_atomically(entry_path(identity), pieces);
}

RunRecording::RunRecording(const Reader& base) : base_(base), reader_(base, *this), started_ns_(now_ns()) {}

bool RunRecording::add_locked(const Observation& o) {
  Sha1 q = sha1(std::string_view(reinterpret_cast<const char*>(&o.op), 1), o.path);
  Key key{};
  std::memcpy(&key.hi, q.data(), 8);
  std::memcpy(&key.lo, q.data() + 8, 8);
  std::uint64_t answer = 0;
  std::memcpy(&answer, o.answer.data(), 8);
  auto [it, fresh] = answers_.try_emplace(key, answer);
  if (!fresh) return it->second == answer;
  // In pieces of about a megabyte: one buffer would be copied as it doubles, and hold up to
  // twice what it needs.
  constexpr std::size_t kPiece = 1u << 20;
  if (records_.empty() || records_.back().view().size() > kPiece) {
    records_.emplace_back();
    records_.back().out().reserve(kPiece + 4096);
  }
  write_observation(records_.back(), o, before_);
  ++count_;
  return true;
}

void RunRecording::add(const std::vector<Observation>& seen) {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& o : seen) {
    if (!add_locked(o)) complete_ = false;  // two answers: something changed during the run
  }
}

void RunRecording::forget_answers() {
  std::lock_guard<std::mutex> lock(mu_);
  decltype(answers_)().swap(answers_);
}

void RunRecording::add(const Observation& o) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!add_locked(o)) complete_ = false;
}

std::vector<Observation> RunRecording::observations() const {
  std::vector<Observation> out;
  std::string all;
  for (const auto& piece : records_) all += piece.view();
  ByteReader r(all);
  Observation o;
  for (std::size_t i = 0; i < count_ && read_observation(r, o); ++i) out.push_back(o);
  return out;
}

}  // namespace tagwarden
