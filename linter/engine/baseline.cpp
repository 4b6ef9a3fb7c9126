#include "linter/engine/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "linter/load/doc.hpp"
#include "linter/source/reader.hpp"

namespace tagwarden {
namespace {

constexpr std::string_view kFormatKey = "tagwarden_baseline";
constexpr int kFormatVersion = 1;

std::string fnv_hex(std::string_view s) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return fmt::format("{:016x}", h);
}

/// A display path (relative to the working directory, or absolute) relative to the anchor.
std::string anchored(const std::string& display, const FingerprintFrame& frame) {
  if (display.empty()) return display;
  auto absolute = [&](const std::string& p) {
    return frame.working_directory.empty() ? path_normalize(p) : path_join(frame.working_directory, p);
  };
  std::string anchor = frame.anchor.empty() ? std::string(".") : frame.anchor;
  return path_relative(absolute(display), absolute(anchor));
}

std::string root_of(const Finding& f, const SourceManager& sources, const FingerprintFrame& frame) {
  return anchored(f.root.empty() ? span_path(sources, f.primary, f.file_hint) : f.root, frame);
}

}  // namespace

std::string FindingIdentity::fingerprint() const {
  // Unit and record separators keep the parts apart whatever they contain.
  return fnv_hex(fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", rule, root, address, key, value ? "=" + *value : "\x1e"));
}

std::vector<FindingIdentity> finding_identities(const Finding& f, const SourceManager& sources,
                                                const FingerprintFrame& frame) {
  std::vector<FindingIdentity> out;
  std::string root = root_of(f, sources, frame);
  if (f.tag_keys.empty()) {
    out.push_back(FindingIdentity{f.rule_id, root, f.address, f.tag_key, f.value});
  } else {
    for (const auto& k : f.tag_keys) out.push_back(FindingIdentity{f.rule_id, root, f.address, k, f.value});
  }
  return out;
}

std::string finding_fingerprint(const Finding& f, const SourceManager& sources, const FingerprintFrame& frame) {
  std::string keys;
  for (const auto& k : f.tag_keys) keys += (keys.empty() ? "" : ",") + k;
  if (keys.empty()) keys = f.tag_key;
  return FindingIdentity{f.rule_id, root_of(f, sources, frame), f.address, keys, f.value}.fingerprint();
}

std::optional<Baseline> read_baseline(const SourceManager& sources, FileId file, std::vector<Error>& errors) {
  DocResult doc = parse_json(file, sources.file(file).contents());
  for (auto& e : doc.errors) errors.push_back(std::move(e));
  if (!doc.root) return std::nullopt;
  auto fail = [&](const Span& at, std::string message) {
    errors.push_back(Error{at, {}, std::move(message)});
    return std::nullopt;
  };
  const DocNode& root = *doc.root;
  const DocNode* version = root.get(kFormatKey);
  if (!root.is_map() || version == nullptr) {
    return fail(root.span,
                fmt::format("not a tagwarden baseline (no `{}` field); write one with --write-baseline", kFormatKey));
  }
  if (version->kind != DocNode::Kind::kNumber || version->scalar != std::to_string(kFormatVersion)) {
    return fail(version->span, fmt::format("unsupported baseline version {} (this tagwarden reads version {})",
                                           version->scalar, kFormatVersion));
  }
  const DocNode* entries = root.get("entries");
  if (entries == nullptr || !entries->is_seq()) return fail(root.span, "a baseline needs an `entries` list");
  Baseline out;
  for (const DocNode& e : entries->items) {
    const DocNode* fp = e.is_map() ? e.get("fingerprint") : nullptr;
    if (fp == nullptr || !fp->is_string() || fp->scalar.size() != 16) {
      errors.push_back(Error{e.span, {}, "a baseline entry needs a `fingerprint` of 16 hex digits; entry skipped"});
      continue;
    }
    FindingIdentity id;
    auto text = [&](const char* name) {
      const DocNode* n = e.get(name);
      return n && n->is_string() ? n->scalar : std::string();
    };
    id.rule = text("rule");
    id.root = text("root");
    id.address = text("address");
    id.key = text("key");
    if (const DocNode* v = e.get("value"); v && v->is_string()) id.value = v->scalar;
    out.entries.push_back(std::move(id));
    out.fingerprints.push_back(fp->scalar);
  }
  return out;
}

std::string render_baseline(std::vector<FindingIdentity> entries) {
  auto key = [](const FindingIdentity& i) { return std::tie(i.root, i.address, i.rule, i.key, i.value); };
  std::sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  nlohmann::ordered_json root;
  root[std::string(kFormatKey)] = kFormatVersion;
  root["entries"] = nlohmann::ordered_json::array();
  for (const auto& i : entries) {
    nlohmann::ordered_json j;
    j["fingerprint"] = i.fingerprint();
    j["rule"] = i.rule;
    j["root"] = i.root;
    j["address"] = i.address;
    j["key"] = i.key;
    j["value"] = i.value ? nlohmann::ordered_json(*i.value) : nlohmann::ordered_json(nullptr);
    root["entries"].push_back(std::move(j));
  }
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace tagwarden
