// CDK cloud assemblies: stacks with their manifest stack tags, nested stages and nested stacks,
// evaluated by the CloudFormation front end; resource locations from creation-stack metadata.
// See docs/cdk.md for the choices made here (addresses, stack tag precedence, locations).
#include "linter/frontend/cdk/cdk_frontend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "linter/frontend/cdk/creation_stack.hpp"
#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"
#include "linter/frontend/cloudformation/parameter_values.hpp"

namespace tagwarden {
namespace {

/// Nested stages (`cdk:cloud-assembly` artifacts) followed at most this deep.
constexpr int kMaxAssemblyDepth = 8;
/// Nested stacks followed at most this deep (a chain of templates).
constexpr int kMaxNestedStackDepth = 8;
/// At most this many frames of one creation stack are looked at.
constexpr std::size_t kMaxFramesPerConstruct = 64;
/// At most this many construct-path components are walked up when looking for a location.
constexpr int kMaxAncestorSteps = 256;

std::string strip_slash(std::string_view p) {
  while (!p.empty() && p.front() == '/') p.remove_prefix(1);
  return std::string(p);
}

std::string parent_path(const std::string& p) {
  std::size_t slash = p.rfind('/');
  return slash == std::string::npos ? std::string() : p.substr(0, slash);
}

bool under_scope(const std::string& path, const std::string& scope) {
  return scope.empty() ||
         (path.size() > scope.size() && path.compare(0, scope.size(), scope) == 0 && path[scope.size()] == '/');
}

/// The construct metadata of one stack artifact (manifest `metadata` plus its
/// `additionalMetadataFile`), keyed by construct path without the leading slash.
struct StackMetadata {
  std::map<std::string, std::vector<std::string>> frames;        ///< creation stack (or logicalId trace)
  std::vector<std::pair<std::string, std::string>> logical_ids;  ///< (construct path, logical id)
  std::map<std::string, std::string> template_scopes;            ///< template file -> construct path of its stack
  std::vector<StackTag> stack_tags;                              ///< `aws:cdk:stack-tags` entries

  void add(const DocNode& metadata, const std::string& stack_name) {
    if (!metadata.is_map()) return;
    for (std::size_t i = 0; i < metadata.keys.size(); ++i) {
      const DocNode& entries = metadata.items[i];
      if (!entries.is_seq()) continue;
      std::string path = strip_slash(metadata.keys[i]);
      for (const DocNode& e : entries.items) {
        const DocNode* type = e.is_map() ? e.get("type") : nullptr;
        if (!type || !type->is_string()) continue;
        const DocNode* data = e.get("data");
        if (type->scalar == "aws:cdk:creationStack" && data && data->is_seq()) {
          set_frames(path, *data, true);
        } else if (type->scalar == "aws:cdk:logicalId") {
          if (data && data->is_string()) logical_ids.emplace_back(path, data->scalar);
          // Older CDK versions (and CDK_DEBUG runs) keep the trace on the logicalId entry.
          if (const DocNode* trace = e.get("trace"); trace && trace->is_seq()) set_frames(path, *trace, false);
        } else if (type->scalar == "aws:cdk:templateFile" && data && data->is_string()) {
          template_scopes.emplace(data->scalar, path);
        } else if (type->scalar == "aws:cdk:stack-tags" && data && data->is_seq()) {
          for (const DocNode& t : data->items) {
            const DocNode* k = t.is_map() ? t.get("key") : nullptr;
            const DocNode* v = t.is_map() ? t.get("value") : nullptr;
            if (k && k->is_string() && v && v->is_scalar() && v->kind != DocNode::Kind::kNull)
              stack_tags.push_back(StackTag{
                  k->scalar, v->scalar, t.span, fmt::format("stack tag of {} (cdk metadata)", stack_name), {}});
          }
        }
      }
    }
  }

  void set_frames(const std::string& path, const DocNode& list, bool preferred) {
    auto it = frames.find(path);
    if (it != frames.end() && !preferred) return;
    std::vector<std::string> out;
    for (const DocNode& f : list.items) {
      if (out.size() >= kMaxFramesPerConstruct) break;
      if (f.is_string()) out.push_back(f.scalar);
    }
    frames[path] = std::move(out);
  }

  /// The construct path of `logical_id` in the template whose stack is at `scope`, skipping
  /// constructs that belong to a nested stack inside it.
  std::string path_of(const std::string& logical_id, const std::string& scope) const {
    for (const auto& entry : logical_ids) {
      const std::string& path = entry.first;  // a plain reference: clang 14 cannot capture bindings
      if (entry.second != logical_id || !under_scope(path, scope)) continue;
      bool nested = std::any_of(template_scopes.begin(), template_scopes.end(), [&](const auto& ts) {
        return ts.second.size() > scope.size() && under_scope(ts.second, scope) && under_scope(path, ts.second);
      });
      if (!nested) return path;
    }
    return {};
  }
};

struct StackContext {
  std::string assembly_dir;
  std::string stack_name;  ///< display name: the stack's construct path
  const StackMetadata* metadata = nullptr;
  const std::map<std::string, std::string>* assets = nullptr;  ///< asset id -> source path
};

class AssemblyLoader {
 public:
  explicit AssemblyLoader(const LoadContext& ctx) : ctx_(ctx) {
    std::vector<Error> errors;
    cli_stack_tags_ = command_line_stack_tags(ctx, errors);
    given_ = std::make_unique<ParameterValues>(ctx, errors);
    for (auto& e : errors) out_.errors.push_back(std::move(e));
  }

  /// Reads one assembly given by the user, and the stages inside it.
  void load_top(const std::string& dir) {
    mapper_ = std::make_unique<cdk::FrameMapper>(ctx_.reader, roots(ctx_, dir));
    load_assembly(dir, 0);
  }

  FrontendResult take() { return std::move(out_); }

 private:
  void load_assembly(const std::string& dir, int depth) {
    std::string norm = path_normalize(dir);
    if (!visited_.insert(norm).second) return;
    std::string manifest_path = path_join(dir, "manifest.json");
    auto root = parse_file(manifest_path);
    if (!root) return;
    const DocNode* artifacts = root->root->get("artifacts");
    if (!artifacts) return;  // an assembly with no artifacts has nothing to check
    if (!artifacts->is_map()) {
      out_.errors.push_back(Error{artifacts->span, {}, "manifest.json: artifacts is not a map"});
      return;
    }
    // Asset manifests first: nested stack templates are found through them.
    std::map<std::string, std::string> assets;
    for (std::size_t i = 0; i < artifacts->keys.size(); ++i) {
      const DocNode& a = artifacts->items[i];
      const DocNode* type = a.is_map() ? a.get("type") : nullptr;
      if (!type || !type->is_string() || type->scalar != "cdk:asset-manifest") continue;
      const DocNode* props = a.get("properties");
      const DocNode* file = props && props->is_map() ? props->get("file") : nullptr;
      if (file && file->is_string()) read_asset_manifest(path_join(dir, file->scalar), assets);
    }
    for (std::size_t i = 0; i < artifacts->keys.size(); ++i) {
      const DocNode& a = artifacts->items[i];
      const DocNode* type = a.is_map() ? a.get("type") : nullptr;
      if (!type || !type->is_string()) continue;
      if (type->scalar == "aws:cloudformation:stack") {
        load_stack(dir, artifacts->keys[i], a, assets);
      } else if (type->scalar == "cdk:cloud-assembly") {
        const DocNode* props = a.get("properties");
        const DocNode* sub = props && props->is_map() ? props->get("directoryName") : nullptr;
        if (!sub || !sub->is_string()) {
          out_.errors.push_back(
              Error{a.span, {}, fmt::format("nested assembly {} has no properties.directoryName", artifacts->keys[i])});
        } else if (depth + 1 > kMaxAssemblyDepth) {
          out_.errors.push_back(Error{a.span,
                                      {},
                                      fmt::format("nested assembly {} is more than {} stages deep; not followed",
                                                  artifacts->keys[i], kMaxAssemblyDepth)});
        } else {
          std::string subdir = path_join(dir, sub->scalar);
          if (!ctx_.reader.is_file(path_join(subdir, "manifest.json"))) {
            out_.errors.push_back(
                Error{sub->span, {}, fmt::format("nested assembly {} has no manifest.json", display_path(subdir))});
          } else {
            load_assembly(subdir, depth + 1);
          }
        }
      }
    }
  }

  struct Parsed {
    FileId file = kNoFile;
    std::shared_ptr<const DocNode> root;
  };

  /// Where frames are looked for: the CDK app's root folder first (the assembly's parent, where
  /// `cdk.out` conventionally sits, so `tagwarden check cdk.out` still finds lib/stack.js and
  /// two apps in one tree each find their own bin/app.js), then the paths the user gave.
  static std::vector<std::string> roots(const LoadContext& ctx, const std::string& assembly_dir) {
    std::vector<std::string> out;
    auto add = [&](std::string p) {
      p = path_normalize(p);
      if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(std::move(p));
    };
    add(path_dirname(path_normalize(assembly_dir)));
    for (const auto& p : ctx.options.paths) add(ctx.reader.is_dir(p) ? p : path_dirname(p));
    if (ctx.options.paths.empty()) add(".");
    return out;
  }

  std::optional<Parsed> parse_file(const std::string& path) {
    FileId id = read_source(ctx_, path, out_.errors);
    if (id == kNoFile) return std::nullopt;
    const std::string& text = ctx_.sources.file(id).contents();
    bool yaml = path.ends_with(".yaml") || path.ends_with(".yml");
    DocResult r = yaml ? parse_yaml(id, text) : parse_json(id, text);
    for (auto& e : r.errors) out_.errors.push_back(std::move(e));
    if (!r.root) return std::nullopt;
    if (!r.root->is_map()) {
      out_.errors.push_back(Error{r.root->span, {}, "expected a JSON object"});
      return std::nullopt;
    }
    return Parsed{id, std::shared_ptr<const DocNode>(std::move(r.root))};
  }

  void read_asset_manifest(const std::string& path, std::map<std::string, std::string>& assets) {
    if (!ctx_.reader.is_file(path)) return;  // assets are optional for our purposes
    auto doc = parse_file(path);
    if (!doc) return;
    const DocNode* files = doc->root->get("files");
    if (!files || !files->is_map()) return;
    for (std::size_t i = 0; i < files->keys.size(); ++i) {
      const DocNode* source = files->items[i].is_map() ? files->items[i].get("source") : nullptr;
      const DocNode* p = source && source->is_map() ? source->get("path") : nullptr;
      if (p && p->is_string()) assets.emplace(files->keys[i], p->scalar);
    }
  }

  void load_stack(const std::string& dir, const std::string& artifact_id, const DocNode& artifact,
                  const std::map<std::string, std::string>& assets) {
    const DocNode* props = artifact.get("properties");
    const DocNode* template_file = props && props->is_map() ? props->get("templateFile") : nullptr;
    if (!template_file || !template_file->is_string()) {
      out_.errors.push_back(
          Error{artifact.span, {}, fmt::format("stack {} has no properties.templateFile", artifact_id)});
      return;
    }
    std::string name = artifact_id;
    if (const DocNode* dn = artifact.get("displayName"); dn && dn->is_string() && !dn->scalar.empty())
      name = dn->scalar;

    StackMetadata metadata;
    if (const DocNode* md = artifact.get("metadata")) metadata.add(*md, name);
    if (const DocNode* extra = artifact.get("additionalMetadataFile"); extra && extra->is_string()) {
      std::string mpath = path_join(dir, extra->scalar);
      if (auto doc = parse_file(mpath)) metadata.add(*doc->root, name);
    }

    // Stack tags: the manifest's `properties.tags` (older assemblies: the aws:cdk:stack-tags
    // metadata entry). The CDK deploys them as the stack's tags, and CloudFormation propagates
    // stack-level tags to the resources of the stack that support tags (Template Reference,
    // "CloudFormation resource tagging"; CDK Developer Guide, "Tags and the AWS CDK").
    std::vector<StackTag> tags;
    const DocNode* manifest_tags = props->get("tags");
    if (manifest_tags && manifest_tags->is_map()) {
      for (std::size_t i = 0; i < manifest_tags->keys.size(); ++i) {
        const DocNode& v = manifest_tags->items[i];
        if (!v.is_scalar() || v.kind == DocNode::Kind::kNull) {
          out_.errors.push_back(
              Error{v.span, {}, fmt::format("stack tag {} of {} has no string value", manifest_tags->keys[i], name)});
          continue;
        }
        Span s = manifest_tags->key_spans[i];
        s.end = std::max(s.end, v.span.end);
        tags.push_back(
            StackTag{manifest_tags->keys[i], v.scalar, s, fmt::format("stack tag of {} (cdk manifest)", name), {}});
      }
    } else {
      tags = metadata.stack_tags;
    }
    // Stack tags given on the command line are deployed with the stack too; they win over the
    // manifest's on a key collision (docs/cdk.md, "Stack tags").
    for (const auto& t : cli_stack_tags_) {
      auto it = std::find_if(tags.begin(), tags.end(), [&](const StackTag& u) { return u.key == t.key; });
      if (it != tags.end())
        *it = t;
      else
        tags.push_back(t);
    }

    std::string scope;
    if (auto it = metadata.template_scopes.find(template_file->scalar); it != metadata.template_scopes.end())
      scope = it->second;
    else
      scope = name;

    StackContext sc{dir, name, &metadata, &assets};
    std::set<std::string> chain;
    evaluate(sc, path_join(dir, template_file->scalar), name + "/", scope, StackTags{std::move(tags), {}, {}}, chain,
             0);
  }

  /// The stack tags a stack's resources get: the manifest's (and the command line's) for a
  /// top-level stack, the AWS::CloudFormation::Stack resource's effective tags for a nested one.
  struct StackTags {
    std::vector<StackTag> tags;
    std::string keys_unknown_reason;  ///< non-empty: not every key can be listed
    Span keys_unknown_span;
  };

  /// A nested stack found in a template, evaluated once the parent's resources are out.
  struct Pending {
    std::string path;
    std::string prefix;
    std::string scope;
    StackTags tags;
  };

  void evaluate(const StackContext& sc, const std::string& template_path, const std::string& prefix,
                const std::string& scope, StackTags stack_tags, std::set<std::string>& chain, int depth) {
    std::string norm = path_normalize(template_path);
    if (!chain.insert(norm).second) {
      out_.errors.push_back(
          Error{Span{}, display_path(template_path), "nested stack template includes itself; not followed again"});
      return;
    }
    auto parsed = parse_file(template_path);
    if (!parsed) {
      chain.erase(norm);
      return;
    }
    ParsedDoc doc{parsed->file, template_path, parsed->root};
    TemplateOptions options;
    options.address_prefix = prefix;
    options.stack_tags = std::move(stack_tags.tags);
    options.stack_keys_unknown_reason = std::move(stack_tags.keys_unknown_reason);
    options.stack_keys_unknown_span = stack_tags.keys_unknown_span;
    options.parameters = given_->for_template(template_path);
    FrontendResult result = evaluate_template(ctx_, doc, options);

    const DocNode* resources = doc.root->get("Resources");
    for (Resource& r : result.resources) {
      r.format = "cdk";
      std::string logical_id = r.address.substr(std::min(prefix.size(), r.address.size()));
      if (r.cdk_path.empty()) r.cdk_path = sc.metadata->path_of(logical_id, scope);
      locate(r, *sc.metadata);
    }

    // Nested stacks: each AWS::CloudFormation::Stack whose template is in the assembly.
    std::vector<Pending> nested;
    if (resources && resources->is_map()) {
      for (std::size_t i = 0; i < resources->keys.size(); ++i) {
        const DocNode& body = resources->items[i];
        const DocNode* type = body.is_map() ? body.get("Type") : nullptr;
        if (!type || !type->is_string() || type->scalar != "AWS::CloudFormation::Stack") continue;
        std::string file = nested_template_file(body, *sc.assets);
        if (file.empty()) continue;  // a stack from elsewhere (a URL): its template is not here
        const std::string& id = resources->keys[i];
        std::string nested_path = path_join(sc.assembly_dir, file);
        if (!ctx_.reader.is_file(nested_path)) {
          out_.errors.push_back(
              Error{resources->key_spans[i],
                    {},
                    fmt::format("nested stack {} refers to {}, which is not in the assembly", id, file)});
          continue;
        }
        if (depth + 1 > kMaxNestedStackDepth) {
          out_.errors.push_back(Error{
              resources->key_spans[i],
              {},
              fmt::format("nested stack {} is more than {} stacks deep; not followed", id, kMaxNestedStackDepth)});
          continue;
        }
        auto parent = std::find_if(result.resources.begin(), result.resources.end(),
                                   [&](const Resource& r) { return r.address == prefix + id; });
        if (parent == result.resources.end()) continue;  // its Condition is false: not created
        std::string nested_scope;
        if (auto it = sc.metadata->template_scopes.find(file); it != sc.metadata->template_scopes.end())
          nested_scope = it->second;
        else
          nested_scope = parent->cdk_path;
        nested.push_back(Pending{nested_path, prefix + id + "/", nested_scope, nested_stack_tags(*parent)});
      }
    }
    out_.append(std::move(result));
    // Nested stacks after the parent's resources (recursion bounded by kMaxNestedStackDepth).
    for (auto& p : nested) evaluate(sc, p.path, p.prefix, p.scope, std::move(p.tags), chain, depth + 1);
    chain.erase(norm);
  }

  /// The nested template of an AWS::CloudFormation::Stack resource: its `aws:asset:path`
  /// metadata, else the asset whose object key its TemplateURL names.
  static std::string nested_template_file(const DocNode& body, const std::map<std::string, std::string>& assets) {
    if (const DocNode* md = body.get("Metadata"); md && md->is_map()) {
      if (const DocNode* p = md->get("aws:asset:path"); p && p->is_string() && p->scalar.ends_with(".json"))
        return p->scalar;
    }
    const DocNode* props = body.get("Properties");
    const DocNode* url = props && props->is_map() ? props->get("TemplateURL") : nullptr;
    if (!url) return {};
    std::string found;
    find_asset_key(*url, assets, found, 0);
    return found;
  }

  static void find_asset_key(const DocNode& n, const std::map<std::string, std::string>& assets, std::string& found,
                             int depth) {
    if (!found.empty() || depth > 16) return;
    if (n.is_string()) {
      for (const auto& [id, path] : assets) {
        if (path.ends_with(".json") && n.scalar.find(id + ".json") != std::string::npos) {
          found = path;
          return;
        }
      }
      return;
    }
    for (const DocNode& c : n.items) find_asset_key(c, assets, found, depth + 1);
  }

  /// The stack tags of a nested stack: the effective tags of the AWS::CloudFormation::Stack
  /// resource, that is the parent's stack tags overlaid by its own `Tags`. CloudFormation
  /// "propagates these tags to the resources created in this stack" (Template Reference,
  /// AWS::CloudFormation::Stack, Tags). Values that are unknown, or differ between condition
  /// variants, are passed on as unknown entries.
  static StackTags nested_stack_tags(const Resource& parent) {
    StackTags out;
    if (parent.variants.empty()) return out;
    for (const TagEntry& e : parent.variants.front().entries) {
      bool same = e.value.has_value();
      for (std::size_t v = 1; v < parent.variants.size() && same; ++v) {
        const auto& entries = parent.variants[v].entries;
        same = std::any_of(entries.begin(), entries.end(),
                           [&](const TagEntry& o) { return o.key == e.key && o.value == e.value; });
      }
      std::string source = fmt::format("tag of nested stack {}", parent.address);
      if (same) {
        if (e.origin.kind == OriginKind::kStackTag) {
          out.tags.push_back(StackTag{e.key, *e.value, e.origin.span, e.origin.detail, {}});
        } else {
          out.tags.push_back(StackTag{e.key, *e.value, e.key_span, std::move(source), {}});
        }
      } else {
        std::string why = e.unknown_reason.empty()
                              ? fmt::format("the tag of nested stack {} depends on conditions", parent.address)
                              : e.unknown_reason;
        out.tags.push_back(StackTag{e.key, std::nullopt, e.key_span, std::move(source), std::move(why)});
      }
    }
    for (const TagSet& s : parent.variants) {
      if (!s.keys_known && out.keys_unknown_reason.empty()) {
        out.keys_unknown_reason = fmt::format("the tags of nested stack {} cannot all be determined", parent.address);
        out.keys_unknown_span = s.keys_unknown_span.valid() ? s.keys_unknown_span : parent.span;
      }
    }
    return out;
  }

  /// Points the resource at the line of the user's code that created it: the innermost
  /// user frame of its creation stack, else of the nearest ancestor construct that has one.
  /// The template location stays as a related location.
  void locate(Resource& r, const StackMetadata& md) {
    std::string path = r.cdk_path;
    for (int step = 0; !path.empty() && step < kMaxAncestorSteps; ++step, path = parent_path(path)) {
      // An ancestor that is not itself a CloudFormation element (an L2 construct) is located
      // by its default child (`Resource` or `Default`, as the constructs library's
      // `node.defaultChild`): the element the construct wraps, created on the same user line.
      auto it = md.frames.find(path);
      if (it == md.frames.end() && path != r.cdk_path) it = md.frames.find(path + "/Resource");
      if (it == md.frames.end() && path != r.cdk_path) it = md.frames.find(path + "/Default");
      if (it == md.frames.end()) continue;
      for (const std::string& text : it->second) {
        auto frame = cdk::parse_user_frame(text);
        if (!frame) continue;
        auto local = mapper_->map(frame->file);
        if (!local) continue;
        FileId id = source_file(*local);
        if (id == kNoFile) continue;
        auto span = cdk::span_of_line(ctx_.sources, id, frame->line, frame->column);
        if (!span) continue;
        std::string message = fmt::format("{} in the synthesised template", r.address);
        if (path != r.cdk_path) message += fmt::format(" (its source line is that of construct {})", path);
        r.related.insert(r.related.begin(), Related{r.span, std::move(message)});
        r.span = *span;
        return;
      }
    }
  }

  FileId source_file(const std::string& path) {
    std::string shown = display_path(path);
    if (auto id = ctx_.sources.find(shown)) return *id;
    if (auto it = unreadable_.find(shown); it != unreadable_.end()) return kNoFile;
    // Construct source locations come from the assembly's metadata: only files inside the
    // linted tree are read.
    std::string why;
    constexpr std::size_t kMaxSourceSize = 16u << 20;
    auto text = read_referenced_file(ctx_, path, kMaxSourceSize, &why);
    if (!text) {
      unreadable_.insert(shown);
      return kNoFile;
    }
    return ctx_.sources.add(shown, std::move(*text), ctx_.uses);
  }

  const LoadContext& ctx_;
  std::unique_ptr<cdk::FrameMapper> mapper_;  ///< of the assembly being read
  std::vector<StackTag> cli_stack_tags_;
  std::unique_ptr<ParameterValues> given_;  ///< --parameter, --parameters
  FrontendResult out_;
  std::set<std::string> visited_;
  std::set<std::string> unreadable_;
};

}  // namespace

bool is_cdk_assembly(const LoadContext& ctx, const std::string& dir) {
  std::string path = path_join(dir, "manifest.json");
  if (!ctx.reader.is_file(path)) return false;
  std::string why;
  auto text = ctx.reader.read(path, &why);
  if (!text) return false;
  DocResult r = parse_json(kNoFile, *text);
  return r.root && r.root->is_map() && r.root->get("artifacts") != nullptr && r.root->get("artifacts")->is_map();
}

FrontendResult load_cdk(const LoadContext& ctx, const std::vector<std::string>& assembly_dirs) {
  std::vector<std::string> dirs = assembly_dirs;
  std::sort(dirs.begin(), dirs.end());
  AssemblyLoader loader(ctx);
  for (const auto& d : dirs) loader.load_top(d);
  return loader.take();
}

}  // namespace tagwarden
