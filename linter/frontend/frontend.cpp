#include "linter/frontend/frontend.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "linter/model/text.hpp"

namespace tagwarden {

void FrontendResult::append(FrontendResult&& other) {
  for (auto& r : other.resources) resources.push_back(std::move(r));
  for (auto& e : other.errors) errors.push_back(std::move(e));
  for (auto& f : other.facts) facts.push_back(std::move(f));
  for (auto& s : other.suppressions) suppressions.push_back(std::move(s));
  uses.append(std::move(other.uses));
}

void RootInputs::append(const RootInputs& later) {
  var_files.insert(var_files.end(), later.var_files.begin(), later.var_files.end());
  vars.insert(vars.end(), later.vars.begin(), later.vars.end());
  parameters.insert(parameters.end(), later.parameters.begin(), later.parameters.end());
  stack_tags.insert(stack_tags.end(), later.stack_tags.begin(), later.stack_tags.end());
  stack_tag_files.insert(stack_tag_files.end(), later.stack_tag_files.begin(), later.stack_tag_files.end());
}

namespace {

void write_pairs(ByteWriter& w, const std::vector<std::pair<std::string, std::string>>& pairs) {
  w.varint(pairs.size());
  for (const auto& [k, v] : pairs) {
    w.str(k);
    w.str(v);
  }
}

/// A file an option names goes into the key with its text (or why it cannot be read).
void write_files(ByteWriter& w, const LoadContext& ctx, const std::vector<std::string>& paths) {
  w.varint(paths.size());
  for (const auto& p : paths) {
    w.str(p);
    std::string why;
    std::optional<std::string> text = ctx.reader.read(p, &why);
    w.boolean(text.has_value());
    w.str(text ? *text : why);
  }
}

void write_inputs(ByteWriter& w, const LoadContext& ctx, const RootInputs& in) {
  write_files(w, ctx, in.var_files);
  write_pairs(w, in.vars);
  write_pairs(w, in.parameters);
  write_pairs(w, in.stack_tags);
  write_files(w, ctx, in.stack_tag_files);
}

}  // namespace

std::string run_cache_key(const LoadContext& ctx) {
  const RunOptions& o = ctx.options;
  // A run over a change (pre-commit) re-checks the roots the change touched, whose files are
  // not what any entry saw: it would only add entries, each naming the run's changed files.
  if (o.cache_dir.empty() || o.build_identity.empty() || !o.changed_files.empty()) return {};
  ByteWriter w;
  w.str(o.build_identity);
  w.varint(o.paths.size());
  for (const auto& p : o.paths) w.str(p);
  w.varint(o.exclude.size());
  for (const auto& p : o.exclude) w.str(p);
  w.boolean(o.force_exclude);
  w.boolean(o.env_provider_tags);
  w.varint(o.env.size());
  for (const auto& [k, v] : o.env) {
    w.str(k);
    w.str(v);
  }
  write_inputs(w, ctx, RootInputs{o.var_files, o.vars, o.parameters, o.stack_tags, o.stack_tag_files});
  write_files(w, ctx, o.parameter_files);
  w.varint(o.root_inputs.size());
  for (const auto& rule : o.root_inputs) {
    w.str(rule.pattern);
    write_inputs(w, ctx, rule.inputs);
  }
  w.str(o.working_directory);
  w.str(o.source_root);
  return std::move(w.out());
}

std::optional<FrontendResult> unit_from_cache(const LoadContext& ctx, const std::string& identity, std::string* meta) {
  if (ctx.cache == nullptr) return std::nullopt;
  std::optional<CachedUnit> hit = ctx.cache->find(identity);
  if (!hit) return std::nullopt;
  FrontendResult r;
  if (meta) *meta = std::move(hit->meta);
  r.cached = std::make_shared<const CachedUnit>(std::move(*hit));
  return r;
}

std::shared_ptr<UnitRecording> record_unit(const LoadContext& ctx, std::string identity) {
  if (ctx.cache == nullptr) return nullptr;
  return ctx.cache->record(std::move(identity));
}

bool RootInputs::empty() const {
  return var_files.empty() && vars.empty() && parameters.empty() && stack_tags.empty() && stack_tag_files.empty();
}

namespace {

/// A path as the root_inputs and exclude globs see it: absolute when the working directory
/// is known.
std::string glob_subject(const RunOptions& o, const std::string& path) {
  return o.working_directory.empty() ? path_normalize(path) : path_join(o.working_directory, path);
}

}  // namespace

RootInputs RunOptions::configured_inputs_for(const std::string& root_path) const {
  RootInputs out;
  std::string subject = glob_subject(*this, root_path);
  for (const auto& rule : root_inputs) {
    if (path_glob_match(rule.pattern, subject)) out.append(rule.inputs);
  }
  return out;
}

RootInputs RunOptions::inputs_for(const std::string& root_path) const {
  RootInputs out = configured_inputs_for(root_path);
  out.append(RootInputs{var_files, vars, parameters, stack_tags, stack_tag_files});
  return out;
}

bool RunOptions::has_root_inputs(const std::string& root_path) const {
  std::string subject = glob_subject(*this, root_path);
  return std::any_of(root_inputs.begin(), root_inputs.end(),
                     [&](const RootInputsRule& r) { return path_glob_match(r.pattern, subject); });
}

bool RunOptions::excluded(const std::string& path) const {
  if (exclude.empty()) return false;
  std::string subject = glob_subject(*this, path);
  return std::any_of(exclude.begin(), exclude.end(), [&](const std::string& g) { return path_glob_match(g, subject); });
}

bool RunOptions::excluded_here_or_above(const std::string& path) const {
  if (exclude.empty()) return false;
  for (std::string p = path_normalize(path);; p = path_dirname(p)) {
    if (excluded(p)) return true;
    if (p == "." || p == "/" || path_dirname(p) == p) return false;
  }
}

std::optional<std::string> read_text(const LoadContext& ctx, const std::string& path, std::string* why) {
  std::string err;
  auto raw = ctx.reader.read(path, &err);
  if (!raw) {
    if (why) *why = "cannot read file: " + err;
    return std::nullopt;
  }
  if (raw->size() > kMaxFileBytes) {
    if (why) *why = fmt::format("file is larger than {} MiB; not read", kMaxFileBytes >> 20);
    return std::nullopt;
  }
  std::string what;
  auto text = decode_text_file(*raw, &what);
  if (!text && why) *why = "cannot read file: it is " + what;
  return text;
}

FileId read_source(const LoadContext& ctx, const std::string& path, std::vector<Error>& errors) {
  std::string why;
  auto text = read_text(ctx, path, &why);
  std::string shown = display_path(path);
  if (!text) {
    errors.push_back(Error{Span{}, shown, why});
    return kNoFile;
  }
  return ctx.sources.add(shown, std::move(*text), ctx.uses);
}

void check_utf8(const SourceManager& sources, FileId id, std::vector<Error>& errors) {
  const std::string& text = sources.file(id).contents();
  std::size_t bad = utf8_invalid_offset(text);
  if (bad == std::string::npos) return;
  errors.push_back(Error{Span{id, static_cast<std::uint32_t>(bad), static_cast<std::uint32_t>(bad + 1)}, "",
                         fmt::format("invalid UTF-8 (byte 0x{:02X}); the file must be UTF-8 text",
                                     static_cast<unsigned char>(text[bad]))});
}

std::vector<std::string> linted_tree_roots(const LoadContext& ctx) {
  std::vector<std::string> roots;
  for (const auto& p : ctx.options.paths) {
    std::optional<std::string> real = ctx.reader.real_path(p);
    if (!real) continue;
    std::string start = ctx.reader.is_dir(*real) ? *real : path_dirname(*real);
    std::string root = start;
    for (std::string d = start;; d = path_dirname(d)) {
      std::string git = path_join(d, ".git");
      if (ctx.reader.is_dir(git) || ctx.reader.is_file(git)) {
        root = d;
        break;
      }
      if (d == "/" || d == ".") break;
    }
    roots.push_back(root);
  }
  return roots;
}

namespace {

bool path_inside(const std::string& path, const std::string& root) {
  if (root == "/") return !path.empty() && path[0] == '/';
  return path == root ||
         (path.size() > root.size() && path.compare(0, root.size(), root) == 0 && path[root.size()] == '/');
}

}  // namespace

ReferencedFile stat_referenced_file(const LoadContext& ctx, const std::string& path, std::string* why) {
  std::vector<std::string> roots = linted_tree_roots(ctx);
  auto inside = [&](const std::string& real) {
    return std::any_of(roots.begin(), roots.end(), [&](const std::string& r) { return path_inside(real, r); });
  };
  auto outside = [&] {
    if (why) *why = "it is outside the linted tree; tagwarden reads no file outside it";
    return ReferencedFile::kNotLooked;
  };
  std::optional<std::string> real = ctx.reader.real_path(path);
  if (!real) {
    // Whether a path outside the tree exists is not looked at either: the nearest folder above
    // it that exists decides where it is.
    std::string d = path_dirname(path);
    std::optional<std::string> dir = ctx.reader.real_path(d);
    while (!dir && d != "/" && d != "." && !d.empty()) {
      d = path_dirname(d);
      dir = ctx.reader.real_path(d);
    }
    if (!dir || !inside(*dir)) return outside();
    if (why) *why = "it does not exist";
    return ReferencedFile::kMissing;
  }
  if (!inside(*real)) return outside();
  if (!ctx.reader.is_file(*real)) {
    if (why) *why = ctx.reader.is_dir(*real) ? "it is a directory, not a file" : "it is not a regular file";
    return ReferencedFile::kNotRegular;
  }
  return ReferencedFile::kRegular;
}

std::optional<std::string> read_referenced_file(const LoadContext& ctx, const std::string& path, std::size_t max_bytes,
                                                std::string* why) {
  auto fail = [&](std::string reason) -> std::optional<std::string> {
    if (why) *why = std::move(reason);
    return std::nullopt;
  };
  std::string reason;
  if (stat_referenced_file(ctx, path, &reason) != ReferencedFile::kRegular) return fail(reason);
  std::optional<std::string> real = ctx.reader.real_path(path);
  std::string err;
  auto text = real ? ctx.reader.read(*real, &err) : std::nullopt;
  if (!text) return fail(err);
  if (text->size() > max_bytes) return fail(fmt::format("it is larger than {} KiB", max_bytes >> 10));
  return text;
}

}  // namespace tagwarden
