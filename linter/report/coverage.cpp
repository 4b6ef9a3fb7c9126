#include "linter/report/coverage.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "linter/model/text.hpp"
#include "linter/report/markdown_text.hpp"
#include "linter/source/reader.hpp"

namespace tagwarden {

void KeyCounts::add(KeyStatus s) {
  switch (s) {
    case KeyStatus::kNotApplicable:
      return;
    case KeyStatus::kCompliant:
      ++compliant;
      break;
    case KeyStatus::kInvalid:
      ++invalid;
      break;
    case KeyStatus::kMissing:
      ++missing;
      break;
    case KeyStatus::kAbsent:
      ++absent;
      break;
    case KeyStatus::kUnknown:
      ++unknown;
      break;
  }
  ++total;
}

void KeyCounts::add(const KeyCounts& o) {
  compliant += o.compliant;
  invalid += o.invalid;
  missing += o.missing;
  unknown += o.unknown;
  absent += o.absent;
  total += o.total;
}

void ResourceCounts::add(const ResourceCounts& o) {
  total += o.total;
  compliant += o.compliant;
  failing += o.failing;
  unknown += o.unknown;
  for (const auto& [k, c] : o.keys) keys[k].add(c);
}

namespace {

/// How bad a status is, to pick the worst over a resource's variants: one deploy that lacks a
/// key is enough for the resource to fail, as it is for `check`.
int badness(KeyStatus s) {
  switch (s) {
    case KeyStatus::kNotApplicable:
      return 0;
    case KeyStatus::kCompliant:
      return 1;
    case KeyStatus::kAbsent:
      return 2;
    case KeyStatus::kUnknown:
      return 3;
    case KeyStatus::kMissing:
      return 4;
    case KeyStatus::kInvalid:
      return 5;
  }
  return 0;
}

/// What is wrong with `spec` on a tag set where it is invalid: the value written, or the
/// other spelling of the key.
ViolationKey invalid_detail(const TagSpec& spec, const TagSet& tags) {
  std::string folded = fold_case(spec.key);
  const TagEntry* variant = nullptr;
  for (const auto& e : tags.entries) {
    if (spec.matches_key(e.key)) return {spec.key, "value", e.value.value_or("")};
    if (!variant && fold_case(e.key) == folded) variant = &e;
  }
  return {spec.key, "key_case", variant ? variant->key : std::string()};
}

/// The value of tag `key` (exact) that groups resource `r`: "(none)" when absent, "(unknown)"
/// when it cannot be known, "(varies)" when its variants disagree.
std::string tag_group(const Resource& r, const std::string& key) {
  std::optional<std::string> group;
  for (const auto& v : r.variants) {
    std::string g = v.keys_known ? "(none)" : "(unknown)";
    for (const auto& e : v.entries)
      if (e.key == key) {
        g = e.value ? *e.value : "(unknown)";
        break;
      }
    if (group && *group != g) return "(varies)";
    group = g;
  }
  return group.value_or("(none)");
}

/// The first folder under the PATH a root was found in ("." for one at the PATH itself).
std::string top_folder(const std::string& root, bool root_is_dir, const std::vector<std::string>& paths) {
  std::string dir = root_is_dir ? root : path_dirname(root);
  std::string best;
  bool found = false;
  for (const auto& raw : paths) {
    std::string p = display_path(raw);
    bool under = p == "." ? (dir.empty() || dir[0] != '/') : (dir == p || dir.starts_with(p + "/"));
    if (under && (!found || p.size() > best.size())) {
      best = p;
      found = true;
    }
  }
  std::string rest = dir;
  if (found && best != ".") rest = dir.size() > best.size() ? dir.substr(best.size() + 1) : std::string();
  if (rest.empty() || rest == ".") return ".";
  return rest.substr(0, rest.find('/'));
}

}  // namespace

KeyStatus resource_key_status(const Schema& schema, const TagSpec& spec, const Resource& r) {
  KeyStatus worst = KeyStatus::kNotApplicable;
  for (const auto& v : r.variants) {
    KeyStatus s = key_status(schema, spec, r, v);
    if (badness(s) > badness(worst)) worst = s;
  }
  return worst;
}

Coverage compute_coverage(const Schema& schema, const std::vector<Resource>& resources, const SourceManager& sources,
                          const CoverageOptions& options) {
  Coverage c;
  for (const auto& spec : schema.tags) c.keys.push_back(spec.key);
  for (const auto& r : resources) {
    if (r.taggable == Taggable::kNo || r.variants.empty()) continue;
    std::set<std::string> keys_here;
    for (const auto& v : r.variants)
      for (const auto& e : v.entries)
        if (!has_aws_prefix(e.key)) keys_here.insert(e.key);
    for (const auto& k : keys_here) ++c.tag_keys[k];
    if (!schema.covers(r)) continue;

    ResourceCounts one;
    FailingResource fr;
    for (const auto& spec : schema.tags) {
      KeyStatus s = resource_key_status(schema, spec, r);
      if (s == KeyStatus::kNotApplicable) continue;
      one.keys[spec.key].add(s);
      if (s == KeyStatus::kMissing) {
        fr.missing.push_back(spec.key);
        ++c.violations[{spec.key, "missing", ""}];
      } else if (s == KeyStatus::kInvalid) {
        fr.invalid.push_back(spec.key);
        for (const auto& v : r.variants)
          if (key_status(schema, spec, r, v) == KeyStatus::kInvalid) {
            ++c.violations[invalid_detail(spec, v)];
            break;
          }
      } else if (s == KeyStatus::kUnknown) {
        fr.unknown.push_back(spec.key);
      }
    }
    if (one.keys.empty()) continue;  // no key of the schema applies to this type
    one.total = 1;
    bool failing = !fr.missing.empty() || !fr.invalid.empty();
    (failing ? one.failing : !fr.unknown.empty() ? one.unknown : one.compliant) = 1;

    std::string root = !r.root.empty() ? r.root : span_path(sources, r.span, r.file_hint);
    c.resources.add(one);
    c.groups["type"][r.type].add(one);
    c.groups["root"][root].add(one);
    c.groups["folder"][top_folder(root, r.format == "terraform" && !r.root.empty(), options.paths)].add(one);
    for (const auto& key : options.group_by) c.groups["tag:" + key][tag_group(r, key)].add(one);
    if (failing) {
      fr.root = root;
      fr.address = r.address;
      fr.type = r.type;
      fr.file = span_path(sources, r.span, r.file_hint);
      fr.line = r.span.valid() && r.span.has_range ? sources.begin_of(r.span).line : 0;
      c.failing.push_back(std::move(fr));
    }
  }
  sort_failing(c);
  return c;
}

void sort_failing(Coverage& c) {
  std::stable_sort(c.failing.begin(), c.failing.end(), [](const FailingResource& a, const FailingResource& b) {
    return std::tie(a.root, a.address, a.file, a.line) < std::tie(b.root, b.address, b.file, b.line);
  });
}

void add_unit_coverage(Coverage& into, Coverage&& unit) {
  if (into.keys.empty()) into.keys = unit.keys;
  into.resources.add(unit.resources);
  for (auto& [dim, groups] : unit.groups)
    for (auto& [name, counts] : groups) into.groups[dim][name].add(counts);
  for (const auto& [v, n] : unit.violations) into.violations[v] += n;
  into.failing.insert(into.failing.end(), std::make_move_iterator(unit.failing.begin()),
                      std::make_move_iterator(unit.failing.end()));
  for (const auto& [k, n] : unit.tag_keys) into.tag_keys[k] += n;
}

bool merge_coverage(Coverage& into, const Coverage& other, std::string& why) {
  if (into.keys != other.keys) {
    why =
        fmt::format("made with other schema keys ({} here, {} before); reports of different schemas cannot be added up",
                    fmt::join(other.keys, ", "), fmt::join(into.keys, ", "));
    return false;
  }
  for (const auto& f : other.schema_files)
    if (std::find(into.schema_files.begin(), into.schema_files.end(), f) == into.schema_files.end())
      into.schema_files.push_back(f);
  into.resources.add(other.resources);
  for (const auto& [dim, groups] : other.groups)
    for (const auto& [name, counts] : groups) into.groups[dim][name].add(counts);
  for (const auto& [v, n] : other.violations) into.violations[v] += n;
  into.failing.insert(into.failing.end(), other.failing.begin(), other.failing.end());
  std::stable_sort(into.failing.begin(), into.failing.end(), [](const FailingResource& a, const FailingResource& b) {
    return std::tie(a.root, a.address, a.file, a.line) < std::tie(b.root, b.address, b.file, b.line);
  });
  for (const auto& [k, n] : other.tag_keys) into.tag_keys[k] += n;
  // A key is left inactive by a merge when any report found it inactive.
  into.cost_allocation_given |= other.cost_allocation_given;
  std::set<std::string> inactive(into.required_not_active.begin(), into.required_not_active.end());
  inactive.insert(other.required_not_active.begin(), other.required_not_active.end());
  into.required_not_active.assign(inactive.begin(), inactive.end());
  into.errors.insert(into.errors.end(), other.errors.begin(), other.errors.end());
  into.files_seen += other.files_seen;
  into.reports += other.reports;
  return true;
}

void label_coverage(Coverage& c, const std::string& label) {
  auto labelled = [&](const std::string& p) {
    if (p.empty() || p == ".") return label;
    return p[0] == '/' ? p : label + "/" + p;
  };
  for (const char* dim : {"root", "folder"}) {
    auto it = c.groups.find(dim);
    if (it == c.groups.end()) continue;
    std::map<std::string, ResourceCounts> renamed;
    for (auto& [name, counts] : it->second) renamed[labelled(name)].add(counts);
    it->second = std::move(renamed);
  }
  if (!c.groups.count("report")) c.groups["report"][label] = c.resources;
  for (auto& f : c.failing) {
    f.root = labelled(f.root);
    f.file = labelled(f.file);
  }
  for (auto& e : c.errors) e = labelled(e);
}

// ---- JSON -------------------------------------------------------------------------------

namespace {

using ordered = nlohmann::ordered_json;

ordered key_counts_json(const KeyCounts& k) {
  return {{"compliant", k.compliant}, {"invalid", k.invalid}, {"missing", k.missing},
          {"unknown", k.unknown},     {"absent", k.absent},   {"total", k.total}};
}

ordered counts_json(const ResourceCounts& r, const std::vector<std::string>& keys) {
  ordered j{{"total", r.total}, {"compliant", r.compliant}, {"failing", r.failing}, {"unknown", r.unknown}};
  j["keys"] = ordered::object();
  for (const auto& k : keys)
    if (auto it = r.keys.find(k); it != r.keys.end()) j["keys"][k] = key_counts_json(it->second);
  return j;
}

/// Violations, most frequent first (then key, kind, value).
std::vector<std::pair<ViolationKey, std::size_t>> violations_by_count(const Coverage& c) {
  std::vector<std::pair<ViolationKey, std::size_t>> v(c.violations.begin(), c.violations.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return v;
}

std::size_t count_of(const nlohmann::json& j, const char* name) { return j.at(name).get<std::size_t>(); }

KeyCounts key_counts_from(const nlohmann::json& j) {
  KeyCounts k;
  k.compliant = count_of(j, "compliant");
  k.invalid = count_of(j, "invalid");
  k.missing = count_of(j, "missing");
  k.unknown = count_of(j, "unknown");
  k.absent = count_of(j, "absent");
  k.total = count_of(j, "total");
  return k;
}

ResourceCounts counts_from(const nlohmann::json& j) {
  ResourceCounts r;
  r.total = count_of(j, "total");
  r.compliant = count_of(j, "compliant");
  r.failing = count_of(j, "failing");
  r.unknown = count_of(j, "unknown");
  for (const auto& [k, v] : j.at("keys").items()) r.keys[k] = key_counts_from(v);
  return r;
}

}  // namespace

std::string render_coverage_json(const Coverage& c) {
  ordered root;
  root["schema"] = {{"files", c.schema_files}, {"keys", c.keys}};
  ordered res = counts_json(c.resources, c.keys);
  ordered keys = res["keys"];
  res.erase("keys");
  root["resources"] = res;
  root["keys"] = keys;
  root["groups"] = ordered::object();
  for (const auto& [dim, groups] : c.groups) {
    root["groups"][dim] = ordered::object();
    for (const auto& [name, counts] : groups) root["groups"][dim][name] = counts_json(counts, c.keys);
  }
  root["violations"] = ordered::array();
  for (const auto& [v, n] : violations_by_count(c))
    root["violations"].push_back({{"key", v.key}, {"kind", v.kind}, {"value", v.value}, {"resources", n}});
  root["failing"] = ordered::array();
  for (const auto& f : c.failing) {
    ordered j{{"root", f.root}, {"address", f.address}, {"type", f.type}, {"file", f.file}};
    j["line"] = f.line ? ordered(f.line) : ordered(nullptr);
    j["missing"] = f.missing;
    j["invalid"] = f.invalid;
    j["unknown"] = f.unknown;
    root["failing"].push_back(j);
  }
  root["tag_keys"] = {
      {"distinct", c.tag_keys.size()}, {"cost_allocation_quota", kCostAllocationKeyQuota}, {"keys", c.tag_keys}};
  root["tag_keys"]["required_not_active"] = c.cost_allocation_given ? ordered(c.required_not_active) : ordered(nullptr);
  root["errors"] = c.errors;
  root["summary"] = {{"files_seen", c.files_seen}, {"input_errors", c.errors.size()}, {"reports", c.reports}};
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

bool coverage_from_json(const std::string& text, Coverage& out, std::string& why) {
  try {
    nlohmann::json j = nlohmann::json::parse(text);
    Coverage c;
    c.schema_files = j.at("schema").at("files").get<std::vector<std::string>>();
    c.keys = j.at("schema").at("keys").get<std::vector<std::string>>();
    nlohmann::json res = j.at("resources");
    res["keys"] = j.at("keys");
    c.resources = counts_from(res);
    for (const auto& [dim, groups] : j.at("groups").items())
      for (const auto& [name, counts] : groups.items()) c.groups[dim][name] = counts_from(counts);
    for (const auto& v : j.at("violations"))
      c.violations[{v.at("key").get<std::string>(), v.at("kind").get<std::string>(),
                    v.at("value").get<std::string>()}] += count_of(v, "resources");
    for (const auto& f : j.at("failing")) {
      FailingResource fr;
      fr.root = f.at("root").get<std::string>();
      fr.address = f.at("address").get<std::string>();
      fr.type = f.at("type").get<std::string>();
      fr.file = f.at("file").get<std::string>();
      fr.line = f.at("line").is_null() ? 0 : f.at("line").get<std::uint32_t>();
      fr.missing = f.at("missing").get<std::vector<std::string>>();
      fr.invalid = f.at("invalid").get<std::vector<std::string>>();
      fr.unknown = f.at("unknown").get<std::vector<std::string>>();
      c.failing.push_back(std::move(fr));
    }
    c.tag_keys = j.at("tag_keys").at("keys").get<std::map<std::string, std::size_t>>();
    const auto& inactive = j.at("tag_keys").at("required_not_active");
    c.cost_allocation_given = !inactive.is_null();
    if (c.cost_allocation_given) c.required_not_active = inactive.get<std::vector<std::string>>();
    c.errors = j.at("errors").get<std::vector<std::string>>();
    c.files_seen = count_of(j.at("summary"), "files_seen");
    c.reports = count_of(j.at("summary"), "reports");
    out = std::move(c);
    return true;
  } catch (const nlohmann::json::exception& e) {
    // nlohmann's messages name the byte offset or the missing member.
    why = fmt::format("not a `tagwarden report --format json` report: {}", e.what());
    return false;
  }
}

// ---- text and Markdown -----------------------------------------------------------------

namespace {

constexpr std::size_t kMaxGroupRows = 20;
constexpr std::size_t kMaxViolations = 10;
constexpr std::size_t kMaxFailing = 100;

std::string percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string violation_text(const ViolationKey& v, bool markdown) {
  auto quote = [&](const std::string& s) { return markdown ? md_code(s) : fmt::format("`{}`", s); };
  if (v.kind == "missing") return fmt::format("{} missing", quote(v.key));
  if (v.kind == "key_case") return fmt::format("{} written {}", quote(v.key), quote(v.value));
  return fmt::format("{} = {} not allowed", quote(v.key), quote(v.value));
}

/// Groups of one dimension, most resources first (then by name).
std::vector<std::pair<std::string, const ResourceCounts*>> groups_by_size(
    const std::map<std::string, ResourceCounts>& g) {
  std::vector<std::pair<std::string, const ResourceCounts*>> v;
  for (const auto& [name, counts] : g) v.emplace_back(name, &counts);
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second->total > b.second->total; });
  return v;
}

std::string dimension_title(const std::string& dim) {
  if (dim == "type") return "resource type";
  if (dim == "root") return "root module or stack";
  if (dim == "folder") return "top-level folder";
  if (dim == "report") return "report (repository)";
  if (dim.starts_with("tag:")) return fmt::format("tag {}", dim.substr(4));
  return dim;
}

/// Dimensions in the order reports show them: tags asked for first, then folder, root, type.
std::vector<std::string> dimension_order(const Coverage& c) {
  std::vector<std::string> out;
  for (const auto& [dim, g] : c.groups)
    if (dim.starts_with("tag:")) out.push_back(dim);
  for (const char* d : {"report", "folder", "root", "type"})
    if (c.groups.count(d)) out.emplace_back(d);
  return out;
}

std::string failing_keys(const FailingResource& f) {
  std::vector<std::string> parts;
  if (!f.missing.empty()) parts.push_back(fmt::format("missing {}", fmt::join(f.missing, ", ")));
  if (!f.invalid.empty()) parts.push_back(fmt::format("invalid {}", fmt::join(f.invalid, ", ")));
  if (!f.unknown.empty()) parts.push_back(fmt::format("unknown {}", fmt::join(f.unknown, ", ")));
  return fmt::format("{}", fmt::join(parts, "; "));
}

std::string headline(const Coverage& c) {
  const ResourceCounts& r = c.resources;
  std::string out =
      fmt::format("{} resource{} checked against {}: {} compliant ({}), {} failing, {} unknown", r.total,
                  r.total == 1 ? "" : "s", c.keys.empty() ? "no keys" : fmt::format("{}", fmt::join(c.keys, ", ")),
                  r.compliant, percent(r.compliant, r.total), r.failing, r.unknown);
  if (c.reports > 1) out += fmt::format(" ({} reports merged)", c.reports);
  return out;
}

std::string tag_keys_line(const Coverage& c) {
  std::string out = fmt::format(
      "{} distinct user tag key{} written on resources (AWS Billing activates at most {} for cost allocation){}",
      c.tag_keys.size(), c.tag_keys.size() == 1 ? "" : "s", kCostAllocationKeyQuota,
      c.tag_keys.size() > kCostAllocationKeyQuota ? ": more than can be active" : "");
  if (c.cost_allocation_given) {
    out += c.required_not_active.empty() ? "; every required key is active for cost allocation"
                                         : fmt::format("; required but not active for cost allocation: {}",
                                                       fmt::join(c.required_not_active, ", "));
  }
  return out;
}

}  // namespace

std::string render_coverage_text(const Coverage& c) {
  if (c.keys.empty() && !c.errors.empty()) {
    // The schema could not be read: there is nothing to count, only what went wrong.
    std::string out;
    for (const auto& e : c.errors) out += fmt::format("error: {}\n", e);
    return out + "no coverage report: the schema could not be read\n";
  }
  std::string out = headline(c) + "\n\n";
  std::size_t width = 3;
  for (const auto& k : c.keys) width = std::max(width, code_point_count(k));
  out += fmt::format("{:<{}}  {:>9}  {:>7}  {:>7}  {:>7}  {:>7}  {:>7}  {:>7}\n", "key", width, "compliant", "invalid",
                     "missing", "unknown", "absent", "total", "%");
  for (const auto& k : c.keys) {
    auto it = c.resources.keys.find(k);
    KeyCounts n = it == c.resources.keys.end() ? KeyCounts{} : it->second;
    out += fmt::format("{:<{}}  {:>9}  {:>7}  {:>7}  {:>7}  {:>7}  {:>7}  {:>7}\n", k, width, n.compliant, n.invalid,
                       n.missing, n.unknown, n.absent, n.total, percent(n.compliant, n.total));
  }
  for (const auto& dim : dimension_order(c)) {
    auto rows = groups_by_size(c.groups.at(dim));
    out += fmt::format("\nBy {} ({} group{}):\n", dimension_title(dim), rows.size(), rows.size() == 1 ? "" : "s");
    std::size_t shown = 0;
    for (const auto& [name, n] : rows) {
      if (shown++ == kMaxGroupRows) {
        out += fmt::format("  ... {} more (the JSON report has them all)\n", rows.size() - kMaxGroupRows);
        break;
      }
      out += fmt::format("  {}/{} compliant ({}), {} failing, {} unknown  {}\n", n->compliant, n->total,
                         percent(n->compliant, n->total), n->failing, n->unknown, name);
    }
  }
  auto violations = violations_by_count(c);
  if (!violations.empty()) {
    out += "\nMost common violations:\n";
    for (std::size_t i = 0; i < violations.size() && i < kMaxViolations; ++i)
      out += fmt::format("  {:>6}  {}\n", violations[i].second, violation_text(violations[i].first, false));
  }
  if (!c.failing.empty()) {
    out += fmt::format("\nFailing resources ({}):\n", c.failing.size());
    for (std::size_t i = 0; i < c.failing.size() && i < kMaxFailing; ++i) {
      const auto& f = c.failing[i];
      out += fmt::format("  {}{}: {} ({}): {}\n", f.file, f.line ? fmt::format(":{}", f.line) : std::string(),
                         f.address, f.root, failing_keys(f));
    }
    if (c.failing.size() > kMaxFailing)
      out += fmt::format("  ... {} more (the JSON report has them all)\n", c.failing.size() - kMaxFailing);
  }
  out += "\n" + tag_keys_line(c) + "\n";
  for (const auto& e : c.errors) out += fmt::format("error: {}\n", e);
  if (!c.errors.empty())
    out += fmt::format("{} input error{}: the figures leave out what could not be read\n", c.errors.size(),
                       c.errors.size() == 1 ? "" : "s");
  return out;
}

std::string render_coverage_markdown(const Coverage& c) {
  // GitHub drops a step summary over 1 MiB: stay well under it, as render_markdown does.
  constexpr std::size_t kBudget = 900 * 1024;
  std::string out = "## tagwarden coverage\n\n";
  if (c.keys.empty() && !c.errors.empty()) {
    out += "No coverage report: the schema could not be read.\n\n";
    for (const auto& e : c.errors) out += fmt::format("- {}\n", md_text(e));
    return out;
  }
  out += md_text(headline(c)) + ".\n\n";
  if (!c.errors.empty())
    out += fmt::format("**{} input error{}**: the figures leave out what could not be read.\n\n", c.errors.size(),
                       c.errors.size() == 1 ? "" : "s");
  out +=
      "| key | compliant | invalid | missing | unknown | absent | total | % compliant "
      "|\n|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& k : c.keys) {
    auto it = c.resources.keys.find(k);
    KeyCounts n = it == c.resources.keys.end() ? KeyCounts{} : it->second;
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", md_code(k), n.compliant, n.invalid, n.missing,
                       n.unknown, n.absent, n.total, percent(n.compliant, n.total));
  }
  for (const auto& dim : dimension_order(c)) {
    auto rows = groups_by_size(c.groups.at(dim));
    out +=
        fmt::format("\n### By {}\n\n| {} | compliant | failing | unknown | % compliant |\n|---|---:|---:|---:|---:|\n",
                    md_text(dimension_title(dim)), md_text(dim.starts_with("tag:") ? dim.substr(4) : dim));
    std::size_t shown = 0;
    for (const auto& [name, n] : rows) {
      if (shown++ == kMaxGroupRows) {
        out += fmt::format("| ({} more) | | | | |\n", rows.size() - kMaxGroupRows);
        break;
      }
      out += fmt::format("| {} | {}/{} | {} | {} | {} |\n", md_code(name), n->compliant, n->total, n->failing,
                         n->unknown, percent(n->compliant, n->total));
    }
  }
  auto violations = violations_by_count(c);
  if (!violations.empty()) {
    out += "\n### Most common violations\n\n| resources | violation |\n|---:|---|\n";
    for (std::size_t i = 0; i < violations.size() && i < kMaxViolations; ++i)
      out += fmt::format("| {} | {} |\n", violations[i].second, violation_text(violations[i].first, true));
  }
  if (!c.failing.empty()) {
    out += fmt::format("\n### Failing resources ({})\n\n| resource | root | file | problem |\n|---|---|---|---|\n",
                       c.failing.size());
    std::size_t shown = 0;
    for (const auto& f : c.failing) {
      std::string row =
          fmt::format("| {} | {} | {} | {} |\n", md_code(f.address), md_code(f.root),
                      md_code(f.line ? fmt::format("{}:{}", f.file, f.line) : f.file), md_text(failing_keys(f)));
      if (shown == kMaxFailing || out.size() + row.size() > kBudget) break;
      out += row;
      ++shown;
    }
    if (shown < c.failing.size())
      out += fmt::format("\n{} more not listed here; the JSON report has them all.\n", c.failing.size() - shown);
  }
  out += "\n" + md_text(tag_keys_line(c)) + ".\n";
  return out;
}

}  // namespace tagwarden
