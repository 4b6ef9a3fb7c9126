#include "linter/report/finding_diff.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "linter/report/json_parts.hpp"
#include "linter/report/markdown_text.hpp"
#include "linter/report/report.hpp"
#include "linter/source/sha1.hpp"
#include "rules/rule.hpp"

namespace tagwarden {
namespace {

/// The key a diff entry is about: the schema's spelling (a TW003 on `project` is about
/// `Project`), else the finding's one key, else "" (findings about no key, like TW004).
std::vector<std::string> entry_keys(const Finding& f) {
  if (!f.schema_key.empty()) return {f.schema_key};
  if (!f.tag_keys.empty()) return f.tag_keys;
  return {f.tag_key};
}

/// One finding per key: a TW001 that lists CostCenter and Owner is two entries, so a schema that
/// adds Owner adds one entry and keeps the other.
std::vector<Finding> per_key(std::vector<Finding> findings) {
  std::vector<Finding> out;
  out.reserve(findings.size());
  for (auto& f : findings) {
    const std::vector<std::string> keys = entry_keys(f);
    if (keys.empty()) continue;
    // The rule's message names every key; each entry says which one it is about.
    const std::string message = keys.size() > 1 ? f.message : std::string();
    auto add = [&](Finding&& e, const std::string& k) {
      if (keys.size() > 1) e.message = fmt::format("`{}`: {}", k, message);
      e.tag_key = k;
      e.tag_keys = k.empty() ? std::vector<std::string>{} : std::vector<std::string>{k};
      out.push_back(std::move(e));
    };
    for (std::size_t i = 0; i + 1 < keys.size(); ++i) add(Finding(f), keys[i]);
    add(std::move(f), keys.back());  // the last entry takes the finding over: an estate's findings are not copied
  }
  return out;
}

/// What makes two entries the same: rule, resource (root and address), key and value; for a
/// finding about no resource (a module that cannot be read, a suppression comment), also its
/// place. Not the message (a schema that widens a value list still flags the same value, in
/// other words), nor the resource's variants: a key missing in two deploys of a template is
/// one entry, however the rule words its findings. `key` stands for the entry's key. As one
/// string: the first 15 bytes of the SHA-1 of the fields (each text with its length in front,
/// then the place), which a string holds without allocating (a diff of an estate keeps one per
/// entry both schemas make); two identities share it with odds of about n^2 / 2^121.
std::string identity_of(const Finding& f, const std::string& key) {
  const bool placed = f.address.empty();
  std::string out;
  auto text = [&](std::string_view t) {
    const auto n = static_cast<std::uint32_t>(t.size());
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out.append(t);
  };
  text(f.rule_id);
  text(f.root);
  text(f.address);
  text(key);
  out += f.value ? '1' : '0';
  if (f.value) text(*f.value);
  const std::uint32_t place[2] = {placed ? f.primary.file : kNoFile, placed ? f.primary.begin : 0};
  out.append(reinterpret_cast<const char*>(place), sizeof place);
  const Sha1 digest = sha1(out);
  return std::string(reinterpret_cast<const char*>(digest.data()), 15);
}

std::string identity(const Finding& entry) { return identity_of(entry, entry.tag_key); }

/// The first entry of each identity, in input order (the inputs are sorted, so it is the first
/// place the entry is reported).
std::unordered_map<std::string, const Finding*> distinct(const std::vector<Finding>& entries) {
  std::unordered_map<std::string, const Finding*> out;
  for (const auto& e : entries) out.emplace(identity(e), &e);
  return out;
}

struct Tally {
  std::size_t added = 0, removed = 0;
};

std::string rule_label(const std::string& id) {
  const Rule* r = find_rule(id);
  return r ? fmt::format("{} {}", id, r->name) : id;
}

std::size_t distinct_resources(const std::vector<Finding>& fs) {
  std::set<std::pair<std::string, std::string>> s;
  for (const auto& f : fs) s.emplace(f.root, f.address);
  return s.size();
}

void tallies(const FindingDiff& d, std::map<std::string, Tally>& by_rule, std::map<std::string, Tally>& by_key) {
  for (const auto& f : d.added) {
    ++by_rule[f.rule_id].added;
    if (!f.tag_key.empty()) ++by_key[f.tag_key].added;
  }
  for (const auto& f : d.removed) {
    ++by_rule[f.rule_id].removed;
    if (!f.tag_key.empty()) ++by_key[f.tag_key].removed;
  }
}

std::string headline(const FindingDiff& d) {
  return fmt::format(
      "{} resource{} checked; the new schema ({}) against the old ({}): {} finding{} added on {} resource{}, {} "
      "removed on {}, "
      "{} unchanged",
      d.resources, d.resources == 1 ? "" : "s", fmt::join(d.new_schema, " "), fmt::join(d.old_schema, " "),
      d.added.size(), d.added.size() == 1 ? "" : "s", distinct_resources(d.added),
      distinct_resources(d.added) == 1 ? "" : "s", d.removed.size(), distinct_resources(d.removed), d.unchanged);
}

}  // namespace

std::vector<std::string> diff_entry_identities(const Finding& f) {
  std::vector<std::string> out;
  for (const auto& key : entry_keys(f)) out.push_back(identity_of(f, key));
  return out;
}

void drop_entries_both_make(std::vector<Finding>& old_findings, std::vector<Finding>& new_findings,
                            std::vector<std::string>& dropped) {
  std::vector<Finding>* lists[2] = {&old_findings, &new_findings};
  std::vector<std::vector<std::string>> ids[2];  // per finding, its entries' identities
  std::unordered_set<std::string> made[2];
  for (std::size_t c = 0; c < 2; ++c) {
    for (const auto& f : *lists[c]) {
      ids[c].push_back(diff_entry_identities(f));
      made[c].insert(ids[c].back().begin(), ids[c].back().end());
    }
  }
  std::vector<std::string> both;
  for (const auto& id : made[0]) {
    if (made[1].count(id)) both.push_back(id);
  }
  if (both.empty()) return;
  for (std::size_t c = 0; c < 2; ++c) {
    const std::unordered_set<std::string>& other = made[c == 0 ? 1 : 0];
    std::vector<Finding>& list = *lists[c];
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& entry_ids = ids[c][i];
      if (std::all_of(entry_ids.begin(), entry_ids.end(), [&](const std::string& id) { return other.count(id) > 0; }))
        continue;
      if (kept != i) list[kept] = std::move(list[i]);
      ++kept;
    }
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(kept), list.end());
  }
  for (auto& id : both) dropped.push_back(std::move(id));
}

void diff_findings(std::vector<Finding> old_findings, std::vector<Finding> new_findings, FindingDiff& out,
                   const std::unordered_set<std::string>& in_both) {
  std::vector<Finding> old_entries = per_key(std::move(old_findings)), new_entries = per_key(std::move(new_findings));
  auto olds = distinct(old_entries), news = distinct(new_entries);
  auto in_old = [&](const std::string& id) { return olds.count(id) > 0 || in_both.count(id) > 0; };
  auto in_new = [&](const std::string& id) { return news.count(id) > 0 || in_both.count(id) > 0; };
  // Each identity both make counts once, whether its findings were kept or dropped before.
  out.unchanged += in_both.size();
  // Walk the entries, not the maps, so that added and removed keep the sorted order. An entry
  // is moved out once looked up: the maps compare entries by address, never read them again.
  for (auto& e : new_entries) {
    auto it = news.find(identity(e));
    if (it == news.end() || it->second != &e) continue;  // a later repeat of an identity
    if (in_both.count(it->first)) continue;              // counted above
    if (in_old(it->first))
      ++out.unchanged;
    else
      out.added.push_back(std::move(e));
  }
  for (auto& e : old_entries) {
    auto it = olds.find(identity(e));
    if (it != olds.end() && it->second == &e && !in_new(it->first)) out.removed.push_back(std::move(e));
  }
}

void write_diff_json(const SourceManager& sm, const FindingDiff& d, const std::function<void(std::string_view)>& out) {
  nlohmann::ordered_json root;
  root["old"] = d.old_schema;
  root["new"] = d.new_schema;
  // A diff over an estate has tens of thousands of entries: written one at a time.
  root["added"] = nlohmann::ordered_json::array();
  root["removed"] = nlohmann::ordered_json::array();
  std::vector<StreamedArray> arrays{streamed_findings("\n  \"added\": []", sm, d.added, true, false),
                                    streamed_findings("\n  \"removed\": []", sm, d.removed, true, false)};
  std::map<std::string, Tally> by_rule, by_key;
  tallies(d, by_rule, by_key);
  nlohmann::ordered_json summary{{"resources", d.resources},
                                 {"added", d.added.size()},
                                 {"removed", d.removed.size()},
                                 {"unchanged", d.unchanged},
                                 {"resources_newly_flagged", distinct_resources(d.added)},
                                 {"resources_no_longer_flagged", distinct_resources(d.removed)},
                                 {"input_errors", d.errors.size()}};
  summary["by_rule"] = nlohmann::ordered_json::object();
  for (const auto& [id, t] : by_rule) summary["by_rule"][id] = {{"added", t.added}, {"removed", t.removed}};
  summary["by_key"] = nlohmann::ordered_json::object();
  for (const auto& [k, t] : by_key) summary["by_key"][k] = {{"added", t.added}, {"removed", t.removed}};
  root["summary"] = summary;
  root["errors"] = nlohmann::ordered_json::array();
  for (const auto& e : d.errors) root["errors"].push_back(location_string(sm, e.span, e.file_hint) + ": " + e.message);
  dump_streamed(root, arrays, out);
}

std::string render_diff_json(const SourceManager& sm, const FindingDiff& d) {
  return collect([&](const std::function<void(std::string_view)>& out) { write_diff_json(sm, d, out); });
}

std::string render_diff_text(const SourceManager& sm, const FindingDiff& d) {
  std::string out = headline(d) + "\n";
  std::map<std::string, Tally> by_rule, by_key;
  tallies(d, by_rule, by_key);
  if (!by_rule.empty()) {
    out += fmt::format("\n{:<32} {:>7} {:>7}\n", "rule", "added", "removed");
    for (const auto& [id, t] : by_rule) out += fmt::format("{:<32} {:>7} {:>7}\n", rule_label(id), t.added, t.removed);
  }
  if (!by_key.empty()) {
    out += fmt::format("\n{:<32} {:>7} {:>7}\n", "key", "added", "removed");
    for (const auto& [k, t] : by_key) out += fmt::format("{:<32} {:>7} {:>7}\n", k, t.added, t.removed);
  }
  auto list = [&](const std::vector<Finding>& fs, char sign) {
    for (const auto& f : fs)
      out += fmt::format("{} {}: {}[{}] {}\n", sign, location_string(sm, f.primary, f.file_hint), level_name(f.level),
                         f.rule_id, f.message);
  };
  if (!d.added.empty() || !d.removed.empty()) out += "\n";
  list(d.added, '+');
  list(d.removed, '-');
  for (const auto& e : d.errors)
    out += fmt::format("{}: error: {}\n", location_string(sm, e.span, e.file_hint), e.message);
  return out;
}

std::string render_diff_markdown(const SourceManager& sm, const FindingDiff& d) {
  constexpr std::size_t kBudget = 900 * 1024;  // GitHub's 1 MiB step-summary limit, with room
  constexpr std::size_t kMaxRows = 200;
  std::string out = "## tagwarden schema diff\n\n" + md_text(headline(d)) + ".\n\n";
  if (!d.errors.empty())
    out += fmt::format("**{} input error{}**: findings in what could not be read are not compared.\n\n",
                       d.errors.size(), d.errors.size() == 1 ? "" : "s");
  std::map<std::string, Tally> by_rule, by_key;
  tallies(d, by_rule, by_key);
  if (!by_rule.empty()) {
    out += "| rule | added | removed |\n|---|---:|---:|\n";
    for (const auto& [id, t] : by_rule)
      out += fmt::format("| {} | {} | {} |\n", md_text(rule_label(id)), t.added, t.removed);
    out += "\n";
  }
  if (!by_key.empty()) {
    out += "| key | added | removed |\n|---|---:|---:|\n";
    for (const auto& [k, t] : by_key) out += fmt::format("| {} | {} | {} |\n", md_code(k), t.added, t.removed);
    out += "\n";
  }
  auto table = [&](const std::vector<Finding>& fs, const char* title) {
    if (fs.empty()) return;
    out += fmt::format("### {} ({})\n\n| location | rule | message |\n|---|---|---|\n", title, fs.size());
    std::size_t shown = 0;
    for (const auto& f : fs) {
      std::string row = fmt::format("| {} | {} | {} |\n", md_code(location_string(sm, f.primary, f.file_hint)),
                                    f.rule_id, md_text(f.message));
      if (shown == kMaxRows || out.size() + row.size() > kBudget) break;
      out += row;
      ++shown;
    }
    if (shown < fs.size())
      out += fmt::format("\n{} more not listed here; the JSON report has them all.\n", fs.size() - shown);
    out += "\n";
  };
  table(d.added, "Newly flagged");
  table(d.removed, "No longer flagged");
  return out;
}

}  // namespace tagwarden
