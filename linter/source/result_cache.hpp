// The result cache: what a unit of work (a root module, a template, a cloud assembly) came to,
// kept in the user's cache folder so that a re-run over unchanged files takes it from there
// instead of reading, parsing and evaluating again.
//
// A unit's result depends on the run's options and on the files it looked at. The options go
// into a key (the build, every option, the text of every file an option names, the consumer's
// schema); the files are recorded as the unit asks its Reader (RecordingReader): every file it
// read, with a digest of the text, and every folder it listed, every path it asked about. An
// entry is used only when the key is the same and every recorded question still gets the same
// answer, so a stale entry is never used: a changed, added or removed file in a folder the unit
// listed, or a changed answer to is_file(), makes it miss. A read file or listed folder whose
// stamp (size, times, inode) is the one recorded is taken as unchanged without reading it (a
// folder's times change with every entry added, removed or renamed), unless it was modified
// less than two seconds before the entry was written (git's "racily clean" case: the clock tick
// may hide a second write); otherwise it is read again and compared by digest.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "linter/source/reader.hpp"
#include "linter/source/sha1.hpp"

namespace tagwarden {

/// Writes the cache's binary encoding: unsigned numbers as LEB128 varints, strings with their
/// length first.
class ByteWriter {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void varint(std::uint64_t v);
  void svarint(std::int64_t v) { varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63)); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void str(std::string_view s);
  /// A path as what it shares with `before` (the path written before it, usually in the same
  /// folder) and the rest; `before` becomes `path`.
  void path(std::string_view path, std::string& before);
  void raw(std::string_view s) { out_.append(s); }
  std::string& out() { return out_; }
  std::string_view view() const { return out_; }

 private:
  std::string out_;
};

/// Reads what ByteWriter wrote. Never reads past the end: a short or malformed input makes
/// ok() false and every later read return zero or empty.
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  std::uint8_t u8();
  std::uint64_t varint();
  std::int64_t svarint();
  bool boolean() { return u8() != 0; }
  std::string str() { return std::string(view()); }
  std::string_view view();
  /// What ByteWriter::path wrote after `before`; `before` becomes the path.
  const std::string& path(std::string& before);
  std::string_view raw(std::size_t n);
  /// A varint that must fit `T` (else the input is malformed).
  template <class T>
  T number() {
    std::uint64_t v = varint();
    if (v > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) fail();
    return ok_ ? static_cast<T>(v) : T{};
  }
  /// A count of items each at least one byte long (bounds what a malformed count allocates).
  std::size_t count();
  void fail() { ok_ = false; }
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

/// One question a unit of work asked its Reader and a digest of the answer.
inline constexpr std::size_t kObservationOps = 8;
struct Observation {
  enum class Op : std::uint8_t { kRead, kIsFile, kIsDir, kIsSymlink, kList, kEntries, kRealPath, kReadBytes };
  Op op = Op::kRead;
  std::string path;
  Sha1 answer{};
  /// kRead, kList, kEntries: the file's or folder's stamp, taken before it was read (none when
  /// it cannot vouch for the answer: a listing with links, an error)
  std::optional<FileStamp> stamp;
};

class RunRecording;

/// A Reader that answers from `base` and records each distinct question with its answer's
/// digest. For one unit of work, on one thread at a time; or, recording into a RunRecording, for
/// a whole run on any number of threads.
class RecordingReader final : public Reader {
 public:
  explicit RecordingReader(const Reader& base) : base_(base) {}
  /// Records into `run` (RunRecording::add) instead of keeping the observations.
  RecordingReader(const Reader& base, RunRecording& run) : base_(base), run_(&run) {}
  std::optional<std::string> read(const std::string& path, std::string* error) const override;
  std::optional<FileBytes> read_bytes(const std::string& path, std::string* error) const override;
  bool is_file(const std::string& path) const override;
  bool is_dir(const std::string& path) const override;
  std::vector<std::string> list_dir(const std::string& path, std::string* error = nullptr) const override;
  bool is_symlink(const std::string& path) const override;
  std::vector<DirEntry> list_entries(const std::string& path, std::string* error = nullptr) const override;
  std::optional<std::string> real_path(const std::string& path) const override;
  std::optional<FileStamp> stamp(const std::string& path) const override { return base_.stamp(path); }

  const std::vector<Observation>& observations() const { return seen_; }
  /// False when one question got two different answers during the unit (a file changed while
  /// it was read): such a unit's result is not kept.
  bool stable() const { return stable_; }

 private:
  void note(Observation::Op op, const std::string& path, const Sha1& answer,
            std::optional<FileStamp> stamp = std::nullopt) const;
  const Reader& base_;
  RunRecording* run_ = nullptr;
  mutable std::mutex mu_;
  mutable std::vector<Observation> seen_;
  mutable std::unordered_map<std::string, std::size_t> index_;  ///< op byte + path -> seen_
  mutable bool stable_ = true;
};

/// The digest each Reader answer is recorded as (RecordingReader, and the cache's validation).
Sha1 read_answer(std::optional<std::string_view> text, const std::string& error);
Sha1 bool_answer(bool v);
Sha1 list_answer(const std::vector<std::string>& names, const std::string& error);
Sha1 entries_answer(const std::vector<DirEntry>& entries, const std::string& error);
Sha1 real_path_answer(const std::optional<std::string>& path);

/// A unit being recorded for the cache: its identity, the reader it reads through, and what the
/// front end keeps with the result (its own bytes: a root module's local module calls).
struct UnitRecording {
  UnitRecording(std::string identity_, const Reader& base) : identity(std::move(identity_)), reader(base) {}
  std::string identity;
  RecordingReader reader;
  std::string meta;
};

/// A unit's entry, found valid: the front end's bytes and the consumer's.
struct CachedUnit {
  std::string meta;
  std::string payload;
};

/// What a whole run asked of the file system, for a whole-run entry (linter/engine/check_cache.hpp):
/// the questions asked through reader() (the directory walk, deployment files, units the cache
/// does not keep) and those of every unit entry the run took from the cache or stored
/// (ResultCache::collect_into). A question answered two ways during the run (a file changed
/// while it was read) or a unit whose recording was not stable leaves it incomplete: such a run
/// is not kept.
class RunRecording {
 public:
  explicit RunRecording(const Reader& base);
  /// The reader under the recording (what the unit cache and its recordings read through).
  const Reader& base() const { return base_; }
  /// The reader the run's own questions go through.
  const Reader& reader() const { return reader_; }
  /// When the run started, before its first question: an entry of the whole run is taken as
  /// written then (the racily-clean rule measures files' times from it).
  std::int64_t started_ns() const { return started_ns_; }
  /// Adds the questions of a unit entry found or stored.
  void add(const std::vector<Observation>& seen);
  /// Adds one question the run asked itself (its reader()).
  void add(const Observation& o);
  void set_incomplete() { complete_ = false; }
  /// False when the run is incomplete (see above). Once every unit is done, records() holds
  /// every distinct question the run asked.
  bool complete() const { return complete_; }
  /// The questions, encoded as in an entry (in the order they were added, in pieces), and
  /// their number.
  std::vector<std::string_view> records() const {
    std::vector<std::string_view> v;
    for (const auto& piece : records_) v.push_back(piece.view());
    return v;
  }
  std::size_t count() const { return count_; }
  /// Frees what tells which questions were asked: no question may be added after it.
  void forget_answers();
  /// records() decoded (for tests).
  std::vector<Observation> observations() const;

 private:
  /// Adds `o` unless its question is there already; false when it is there with another answer.
  bool add_locked(const Observation& o);
  const Reader& base_;
  RecordingReader reader_;
  std::int64_t started_ns_;
  std::mutex mu_;
  // A run asks every file and folder of the tree: the questions are kept encoded (about 60
  // bytes each), and which were asked by a 128-bit digest of op and path with the first 8
  // bytes of the answer's, not as objects (about 600 bytes each: 150 MB for 8 copies of the
  // corpus monorepo).
  struct Key {
    std::uint64_t hi, lo;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const { return k.lo; }
  };
  std::unordered_map<Key, std::uint64_t, KeyHash> answers_;
  std::vector<ByteWriter> records_;
  std::string before_;  ///< the last path encoded
  std::size_t count_ = 0;
  std::atomic<bool> complete_{true};
};

class ResultCache {
 public:
  /// Entries live under `folder` (created when the first is stored); `key` is everything the
  /// units' results depend on besides the files they read (see run_cache_key in
  /// linter/frontend/frontend.hpp and the consumer's part).
  /// Entries are named by `scope` (the working directory) and the unit: runs from another
  /// folder, where "." is another root, keep entries of their own.
  ResultCache(const Reader& reader, std::string folder, std::string scope, std::string_view key);

  /// The entry of unit `identity` when there is one for this key and every observation it
  /// recorded still holds.
  std::optional<CachedUnit> find(const std::string& identity) const;
  /// Runs fn(i) for every i in [0, n), possibly in parallel; false when some call failed
  /// (the engine's parallel_for, linter/engine/thread_pool.hpp).
  using ParallelFor = std::function<bool(std::size_t n, const std::function<void(std::size_t)>& fn)>;
  /// As find(), for an entry whose questions no other entry of the run shares (a whole run's):
  /// they are asked in blocks through `parallel`, and the answers are not kept for other entries.
  std::optional<CachedUnit> find_alone(const std::string& identity, const ParallelFor& parallel) const;
  /// A recording for a unit about to run (read it through `->reader`).
  std::shared_ptr<UnitRecording> record(std::string identity) const;
  /// Keeps a unit's result: written to a temporary file and renamed into place, so a reader
  /// never sees half an entry. Failures are ignored (the cache only saves time), and so is a
  /// unit whose recording is not stable().
  void store(const UnitRecording& unit, std::string_view payload) const;
  /// Keeps a whole run's result under `identity`, taken as written when it started, with
  /// every question it asked (RunRecording::records); nothing when it is incomplete.
  /// False when it was not kept.
  bool store_run(const std::string& identity, RunRecording& run, std::string_view payload) const;
  /// From now on, the questions of every entry found and every unit stored are added to `run`.
  void collect_into(RunRecording* run) { run_ = run; }

  struct Counts {
    std::size_t hits = 0, misses = 0, stored = 0;
  };
  Counts counts() const { return Counts{hits_.load(), misses_.load(), stored_.load()}; }

 private:
  std::string entry_path(const std::string& identity) const;
  std::optional<CachedUnit> find_impl(const std::string& identity, const ParallelFor* parallel) const;
  bool holds(const Observation& o, std::int64_t written_ns, bool memo) const;
  /// Writes an entry whose questions are `count` records (write_observation) in the pieces of
  /// `records`.
  bool write_entry(const std::string& identity, std::int64_t written_ns, std::size_t count,
                   const std::vector<std::string_view>& records, std::string_view meta, std::string_view payload) const;
  /// The current answer to `o`'s question, asked once per run.
  Sha1 answer_now(const Observation& o) const;
  std::optional<FileStamp> stamp_now(const std::string& path) const;
  /// What answer_now asks, without the memo.
  Sha1 ask(const Observation& o) const;

  /// What the run found out about one path: asked once per run, whichever unit asks.
  struct PathFacts {
    bool stamped = false;
    std::optional<FileStamp> stamp;
    std::array<std::optional<Sha1>, kObservationOps> answers;  ///< by Observation::Op
  };
  /// Paths are spread over shards with a lock each: the workers validate entries at once.
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, PathFacts> paths;
  };
  Shard& shard(const std::string& path) const { return shards_[std::hash<std::string>{}(path) % shards_.size()]; }

  const Reader& reader_;
  std::string folder_;
  std::string scope_;
  Sha1 key_{};
  mutable std::array<Shard, 64> shards_;
  mutable std::atomic<std::size_t> hits_{0}, misses_{0}, stored_{0};
  RunRecording* run_ = nullptr;
};

}  // namespace tagwarden
