#include "linter/engine/baseline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <tuple>

#include "linter/load/doc.hpp"
#include "linter/source/reader.hpp"

namespace tagwarden {
namespace {

constexpr std::string_view kFormatKey = "tagwarden_baseline";
constexpr int kFormatVersion = 1;

/// FNV-1a 64 over `parts`, written as 16 lowercase hex digits.
std::string fnv_hex(std::initializer_list<std::string_view> parts) {
  std::uint64_t h = 1469598103934665603ull;
  for (std::string_view s : parts) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kDigits[h & 0xf];
  return out;
}

}  // namespace

std::string FindingIdentity::fingerprint() const {
  // Unit and record separators keep the parts apart whatever they contain.
  constexpr std::string_view us = "\x1f";
  if (value) return fnv_hex({rule, us, root, us, address, us, key, us, "=", *value});
  return fnv_hex({rule, us, root, us, address, us, key, us, "\x1e"});
}

Fingerprinter::Fingerprinter(const SourceManager& sources, FingerprintFrame frame)
    : sources_(sources), frame_(std::move(frame)) {
  const std::string anchor = frame_.anchor.empty() ? std::string(".") : frame_.anchor;
  anchor_ = frame_.working_directory.empty() ? path_normalize(anchor) : path_join(frame_.working_directory, anchor);
}

const std::string& Fingerprinter::root_of(const Finding& f) {
  std::string display = f.root.empty() ? span_path(sources_, f.primary, f.file_hint) : f.root;
  // An empty display path has the empty root, which is also where the cache starts.
  if (display == last_display_) return last_root_;
  if (display.empty()) {
    last_root_.clear();
  } else {
    last_root_ = path_relative(
        frame_.working_directory.empty() ? path_normalize(display) : path_join(frame_.working_directory, display),
        anchor_);
  }
  last_display_ = std::move(display);
  return last_root_;
}

std::vector<FindingIdentity> Fingerprinter::identities(const Finding& f) {
  std::vector<FindingIdentity> out;
  const std::string& root = root_of(f);
  if (f.tag_keys.empty()) {
    out.push_back(FindingIdentity{f.rule_id, root, f.address, f.tag_key, f.value});
  } else {
    for (const auto& k : f.tag_keys) out.push_back(FindingIdentity{f.rule_id, root, f.address, k, f.value});
  }
  return out;
}

std::string Fingerprinter::fingerprint(const Finding& f) {
  std::string keys;
  for (const auto& k : f.tag_keys) keys += (keys.empty() ? "" : ",") + k;
  if (keys.empty()) keys = f.tag_key;
  return FindingIdentity{f.rule_id, root_of(f), f.address, keys, f.value}.fingerprint();
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
