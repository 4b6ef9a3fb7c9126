// Baselines: today's findings recorded by a stable fingerprint so later runs report only what
// is new. A fingerprint is the finding's identity, never its line: rule, the resource's root
// (module directory, template, stack) relative to the baseline's folder, resource address,
// tag key, and for findings about a value the value. Moving or reformatting code keeps it;
// changing the offending tag changes it. docs/configuration.md ("Baselines") describes the file.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// What fingerprint paths are relative to.
struct FingerprintFrame {
  std::string anchor;             ///< a folder: the baseline's, or the working directory ("" or ".": ".")
  std::string working_directory;  ///< absolute; empty: display paths are taken as they are
};

/// The parts of a finding's identity, one set per key (missing-required-tag lists several
/// keys; each is its own baseline entry, so fixing one key leaves the others baselined). A
/// finding about no resource is identified by what it is about instead: a module call by its
/// address in its root module, a tag entry written outside resources (grouped) by the folder
/// of the module that writes it and what holds it (`provider.aws` for default_tags).
struct FindingIdentity {
  std::string rule;
  std::string root;  ///< relative to the frame's anchor; the primary file when the finding has no root (a
                     ///< directive of tagwarden:ignore-file)
  std::string address;
  std::string key;
  std::optional<std::string> value;

  std::string fingerprint() const;  ///< 16 hex digits (FNV-1a 64 of the parts)
};

/// Identities and fingerprints of many findings in one frame, one finding after another: the
/// anchor's absolute path is worked out once, and the root of the last finding is kept (a run's
/// findings come file by file, so most share the root of the one before). One per thread.
class Fingerprinter {
 public:
  Fingerprinter(const SourceManager& sources, FingerprintFrame frame);
  /// One identity per key of `f` (one without a key when it has none).
  std::vector<FindingIdentity> identities(const Finding& f);
  /// One fingerprint for the whole finding (all its keys): SARIF partialFingerprints.
  std::string fingerprint(const Finding& f);

 private:
  /// The finding's root (or file), relative to the anchor.
  const std::string& root_of(const Finding& f);

  const SourceManager& sources_;
  FingerprintFrame frame_;
  std::string anchor_;        ///< the anchor, absolute (or normalized, without a working directory)
  std::string last_display_;  ///< the display path root_of last anchored ("" at first), and what it gave
  std::string last_root_;
};

struct Baseline {
  std::vector<FindingIdentity> entries;   ///< with repeats: two equal findings are two entries
  std::vector<std::string> fingerprints;  ///< parallel to `entries`, as read from the file
};

/// Reads a baseline file registered in `sources`. Errors are positioned; nullopt when unusable.
std::optional<Baseline> read_baseline(const SourceManager& sources, FileId file, std::vector<Error>& errors);
/// The baseline file for `entries`: JSON, sorted, one entry per line group, stable across runs.
std::string render_baseline(std::vector<FindingIdentity> entries);

}  // namespace tagwarden
