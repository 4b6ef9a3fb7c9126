#include "linter/frontend/terraform/module_dir.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "linter/engine/thread_pool.hpp"
#include "linter/frontend/terraform/syntax.hpp"

namespace tagwarden::terraform {

bool is_terraform_file(const std::string& name, bool* json) {
  if (has_suffix(name, ".tf.json")) {
    *json = true;
    return true;
  }
  *json = false;
  return has_suffix(name, ".tf");
}

void collect_blocks(ModuleDir& m) {
  for (const auto& f : m.files) {
    for (const auto& b : f->body.blocks) {
      if (b.type == "resource" && b.labels.size() == 2) {
        m.resources.push_back(&b);
      } else if (b.type == "data" && b.labels.size() == 2) {
        m.data_sources.push_back(&b);
      } else if (b.type == "provider" && b.labels.size() == 1) {
        m.providers.push_back(&b);
      } else if (b.type == "variable" && b.labels.size() == 1) {
        m.variables.push_back(&b);
      } else if (b.type == "module" && b.labels.size() == 1) {
        m.module_calls.push_back(&b);
      } else if (b.type == "output" && b.labels.size() == 1) {
        m.outputs.push_back(&b);
      } else if (b.type == "locals") {
        for (const auto& a : b.body.attributes) m.locals.emplace(a.name, &a);
      } else if (b.type == "terraform") {
        for (const hcl::Block* rp : blocks_of(b.body, "required_providers")) {
          for (const auto& a : rp->body.attributes) {
            if (!a.expr || a.expr->kind != hcl::ExprKind::kObject) continue;
            const auto& kids = a.expr->children;
            for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
              if (!kids[i] || literal_string(kids[i]) != std::optional<std::string>("configuration_aliases")) continue;
              if (!kids[i + 1] || kids[i + 1]->kind != hcl::ExprKind::kTuple) continue;
              for (const auto& item : kids[i + 1]->children)
                if (auto ref = provider_ref(item)) m.configuration_aliases.insert(*ref);
            }
          }
        }
      }
    }
  }
  for (const auto& [name, attr] : m.locals) m.locals_by_position.push_back(attr);
  std::sort(m.locals_by_position.begin(), m.locals_by_position.end(),
            [](const hcl::Attribute* a, const hcl::Attribute* b) {
              return std::make_pair(a->span.file, a->span.begin) < std::make_pair(b->span.file, b->span.begin);
            });
}

const hcl::Attribute* local_holding(const ModuleDir& m, const Span& s) {
  if (!s.valid()) return nullptr;
  const auto& v = m.locals_by_position;
  auto it = std::upper_bound(v.begin(), v.end(), std::make_pair(s.file, s.begin),
                             [](const std::pair<FileId, std::uint32_t>& key, const hcl::Attribute* a) {
                               return key < std::make_pair(a->span.file, a->span.begin);
                             });
  if (it == v.begin()) return nullptr;
  --it;
  return span_contains((*it)->span, s) ? *it : nullptr;
}

void load_module_dirs(const LoadContext& ctx, const ParseFn& parse, const std::vector<std::string>& wanted,
                      ModuleDirs& dirs, std::vector<Error>& errors) {
  struct Task {
    ModuleDir* mod;
    FileId file;
    bool json;
    hcl::ParseResult result;
  };
  std::vector<Task> tasks;
  std::vector<ModuleDir*> fresh;
  for (const auto& d : wanted) {
    if (dirs.count(d)) continue;
    auto m = std::make_unique<ModuleDir>();
    m->dir = d;
    // Read and register files in sorted order on this thread, so FileIds do not depend on
    // thread timing; only the parsing runs in parallel.
    std::string unreadable;
    std::vector<DirEntry> entries = ctx.reader.list_entries(d, &unreadable);
    if (!unreadable.empty())
      errors.push_back(Error{Span{}, display_path(d), unreadable + "; its files are not checked"});
    for (const auto& entry : entries) {
      bool json = false;
      if (!is_terraform_file(entry.name, &json) || entry.kind != DirEntry::Kind::kFile) continue;
      std::string path = path_join(d, entry.name);
      FileId id = read_source(ctx, path, errors);
      m->has_files = true;
      if (id == kNoFile) continue;
      check_utf8(ctx.sources, id, errors);
      tasks.push_back(Task{m.get(), id, json, {}});
    }
    fresh.push_back(m.get());
    dirs.emplace(d, std::move(m));
  }
  std::size_t bytes = 0;
  for (const auto& t : tasks) bytes += ctx.sources.file(t.file).contents().size();
  parallel_for(tasks.size(), jobs_for_bytes(ctx.options.jobs, bytes), [&](std::size_t i) {
    Task& t = tasks[i];
    try {
      t.result = parse(t.file, ctx.sources.file(t.file).contents(), t.json);
    } catch (const std::exception& ex) {
      t.result = {};
      t.result.errors.push_back(
          Error{Span::whole_file(t.file), "",
                fmt::format("internal error while parsing (a bug, please report it): {}", ex.what()), true});
    }
  });
  for (auto& t : tasks) {
    for (auto& e : t.result.errors) errors.push_back(std::move(e));
    for (const auto& c : t.result.comments) {
      if (auto s = parse_suppression_comment(c.text, c.span, !t.json)) t.mod->suppressions.push_back(std::move(*s));
    }
    if (t.result.file) t.mod->files.push_back(std::move(t.result.file));
  }
  for (ModuleDir* m : fresh) collect_blocks(*m);
}

}  // namespace tagwarden::terraform
