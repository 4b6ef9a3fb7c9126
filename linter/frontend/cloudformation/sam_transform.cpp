#include "linter/frontend/cloudformation/sam_transform.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "linter/source/sha1.hpp"

namespace tagwarden::sam {
namespace {

constexpr std::string_view kServerless = "AWS::Serverless::";

std::string_view section_of(std::string_view type) {
  return type.starts_with(kServerless) ? type.substr(kServerless.size()) : std::string_view{};
}

const DocNode* globals_section(const DocNode* globals, std::string_view section) {
  const DocNode* sec = globals && globals->is_map() && !section.empty() ? globals->get(section) : nullptr;
  return sec && sec->is_map() ? sec : nullptr;
}

const DocNode* properties(const DocNode* body) {
  const DocNode* p = body && body->is_map() ? body->get("Properties") : nullptr;
  return p && p->is_map() ? p : nullptr;
}

// A property as the Globals plugin leaves it: the resource's own, else its Globals section's
// (SAM Developer Guide, Globals section: the resource's value wins).
// Only properties the Globals plugin supports in that section are asked for here (its
// supported_properties: PropagateTags everywhere, Domain for the APIs, OperatorRole for
// capacity providers; StageName nowhere).
const DocNode* effective(const DocNode* globals, std::string_view type, const DocNode* body, std::string_view name) {
  if (const DocNode* p = properties(body); p && p->get(name)) return p->get(name);
  const DocNode* sec = globals_section(globals, section_of(type));
  return sec ? sec->get(name) : nullptr;
}

bool is_true(const DocNode* n) { return n && n->is_scalar() && n->scalar == "true"; }

bool non_empty_map(const DocNode* n) { return n && n->is_map() && !n->keys.empty(); }

// Python's str.isalnum() on ASCII text, which is what SAM's stage logical ids test.
bool is_alnum(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// SAM's LogicalIdGenerator(prefix, data).gen(): the prefix, then the first 10 hex digits of
// the SHA-1 of the data (none for empty data); a string is hashed as it is.
std::string logical_id(std::string_view prefix, std::string_view data) {
  if (data.empty()) return std::string(prefix);
  return fmt::format("{}{}", prefix, to_hex(sha1(data)).substr(0, 10));
}

// A stage's logical id (samtranslator api generators, _construct_stage): `<Api><Name>Stage`
// for an alphanumeric name, `<Api>Stage` for a name given by an intrinsic, else the name's hash;
// HttpApi's `$default` stage is `<Api>ApiGatewayDefaultStage`. Nullopt: a name SAM hashes but
// that we do not (non-ASCII text, which Python encodes before hashing).
std::optional<std::string> rest_or_http_stage_id(std::string_view api, const DocNode* name, bool http) {
  std::string text = name && name->is_scalar() && !cfn::as_call(*name) ? name->scalar : std::string();
  if (http && !name) text = "$default";
  if (is_alnum(text)) return fmt::format("{}{}Stage", api, text);
  if (http && text == "$default") return fmt::format("{}ApiGatewayDefaultStage", api);
  if (!is_ascii(text)) return std::nullopt;
  return logical_id(fmt::format("{}Stage", api), text);
}

// The value SAM hashes for a custom domain's logical id: the `DomainName` after it resolved
// parameter references (samtranslator's resolve_parameter_refs; Defaults count as values).
// Nullopt when that depends on the deploy: a parameter without Default or given value, any
// other intrinsic.
std::optional<std::string> domain_name_text(const DocNode* n, const cfn::TemplateFacts& facts) {
  if (!n) return std::nullopt;
  auto call = cfn::as_call(*n);
  if (!call) {
    if (n->is_scalar() && n->kind != DocNode::Kind::kNull && is_ascii(n->scalar)) return n->scalar;
    return std::nullopt;
  }
  if (call->name != "Ref" || !call->arg->is_scalar()) return std::nullopt;
  const std::string& p = call->arg->scalar;
  if (auto it = facts.overrides.find(p); it != facts.overrides.end()) return it->second;
  const DocNode* decl = facts.parameters && facts.parameters->is_map() ? facts.parameters->get(p) : nullptr;
  const DocNode* def = decl && decl->is_map() ? decl->get("Default") : nullptr;
  if (def && def->is_scalar() && def->kind != DocNode::Kind::kNull && is_ascii(def->scalar)) return def->scalar;
  return std::nullopt;
}

// An HttpApi's OpenAPI definition is one SAM can add tags to (samtranslator OpenApiEditor.is_valid:
// a map with `paths` a map and `openapi` a 3.x version); without DefinitionBody and
// DefinitionUri SAM writes such a definition itself.
bool http_definition_takes_tags(const DocNode* props) {
  const DocNode* body = props ? props->get("DefinitionBody") : nullptr;
  if (!body) return !(props && props->get("DefinitionUri"));
  if (!body->is_map() || cfn::as_call(*body)) return false;
  const DocNode* paths = body->get("paths");
  const DocNode* version = body->get("openapi");
  if (!paths || !paths->is_map() || !version || !version->is_scalar()) return false;
  // ^3\.\d+(\.\d+)?$
  const std::string& v = version->scalar;
  if (!v.starts_with("3.")) return false;
  std::size_t i = 2, digits = 0;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i, ++digits;
  if (digits == 0) return false;
  if (i == v.size()) return true;
  if (v[i] != '.') return false;
  std::size_t more = 0;
  for (++i; i < v.size() && v[i] >= '0' && v[i] <= '9'; ++i) ++more;
  return more > 0 && i == v.size();
}

// The function has tags, its own or its Globals section's (SAM propagates none otherwise).
bool has_user_tags(const SamResource& r) {
  const DocNode* p = properties(r.body);
  const DocNode* sec = globals_section(r.globals, section_of(r.type));
  auto any = [](const DocNode* n) { return non_empty_map(n) || (n && cfn::as_call(*n)); };
  return any(p ? p->get("Tags") : nullptr) || any(sec ? sec->get("Tags") : nullptr);
}

// A DeploymentPreference that is there and enabled. SAM resolves an `Enabled` given by a
// parameter to its value (given, else Default) and reads `true`/`false` in any case
// (SamFunction._resolve_property_to_boolean); anything else it rejects, and we report no
// deployment resources.
bool deployment_enabled(const DocNode* preference, const cfn::TemplateFacts& facts) {
  if (!preference || !preference->is_map()) return false;
  const DocNode* enabled = preference->get("Enabled");
  if (!enabled) return true;
  std::string text;
  if (auto call = cfn::as_call(*enabled)) {
    if (call->name != "Ref" || !call->arg->is_scalar()) return false;
    const std::string& p = call->arg->scalar;
    const DocNode* decl = facts.parameters && facts.parameters->is_map() ? facts.parameters->get(p) : nullptr;
    const DocNode* def = decl && decl->is_map() ? decl->get("Default") : nullptr;
    if (auto it = facts.overrides.find(p); it != facts.overrides.end())
      text = it->second;
    else if (def && def->is_scalar())
      text = def->scalar;
    else
      return false;
  } else if (enabled->is_scalar()) {
    text = enabled->scalar;
  }
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  return text == "true";
}

Generated make(std::string id, std::string type, std::string why, bool user, bool framework) {
  Generated g;
  g.id = std::move(id);
  g.type = std::move(type);
  g.why = std::move(why);
  g.tags.user_tags = user;
  g.tags.framework_tag = framework;
  return g;
}

// A custom domain name (`Domain` of an Api, HttpApi or WebSocketApi): REST APIs get
// `ApiGatewayDomainName<hash>` (`ApiGatewayDomainNameV2<hash>`, AWS::ApiGateway::DomainNameV2,
// for a PRIVATE endpoint), HTTP and WebSocket APIs `ApiGatewayDomainNameV2<hash>`.
void add_domain(const SamResource& r, bool rest, bool user, bool framework, std::vector<Generated>& out) {
  const DocNode* domain = effective(r.globals, r.type, r.body, "Domain");
  if (!domain || !domain->is_map() || !domain->get("CertificateArn")) return;
  auto text = domain_name_text(domain->get("DomainName"), r.facts);
  if (!text) return;  // its logical id depends on the deploy (docs/cloudformation.md)
  const DocNode* endpoint = domain->get("EndpointConfiguration");
  const bool private_rest = rest && endpoint && endpoint->is_scalar() && endpoint->scalar == "PRIVATE";
  std::string type = !rest          ? "AWS::ApiGatewayV2::DomainName"
                     : private_rest ? "AWS::ApiGateway::DomainNameV2"
                                    : "AWS::ApiGateway::DomainName";
  std::string prefix = rest && !private_rest ? "ApiGatewayDomainName" : "ApiGatewayDomainNameV2";
  out.push_back(make(logical_id(prefix, *text), std::move(type), fmt::format("the custom domain name of {}", r.id),
                     user, framework));
}

}  // namespace

TagPlan own_tags(const SamResource& r) {
  TagPlan plan;
  const DocNode* props = properties(r.body);
  if (r.type == "AWS::Serverless::Api") {
    // The RestApi gets the Api's Tags only with PropagateTags; its stage always gets them
    // (tests/translator/output/api_with_stage_tags.json, api_with_propagate_tags.json).
    plan.user_tags = is_true(effective(r.globals, r.type, r.body, "PropagateTags"));
  } else if (r.type == "AWS::Serverless::HttpApi") {
    // SAM writes an HttpApi's tags into its OpenAPI definition, which it can only do for an
    // inline one (http_api_generator._add_tags).
    plan.user_tags = plan.framework_tag = http_definition_takes_tags(props);
  } else if (r.type == "AWS::Serverless::Application") {
    // The nested stack of an application from the Serverless Application Repository also gets
    // its id and version (sam_resources.SamApplication._get_application_tags;
    // tests/translator/output/basic_application.json).
    const DocNode* loc = props ? props->get("Location") : nullptr;
    if (loc && loc->is_map() && !cfn::as_call(*loc)) {
      const DocNode* app = loc->get("ApplicationId");
      const DocNode* version = loc->get("SemanticVersion");
      if (app && app->kind != DocNode::Kind::kNull) plan.added.emplace_back("serverlessrepo:applicationId", app);
      if (version && version->kind != DocNode::Kind::kNull)
        plan.added.emplace_back("serverlessrepo:semanticVersion", version);
    }
  }
  return plan;
}

std::vector<Generated> generated_by(const SamResource& r) {
  std::vector<Generated> out;
  const DocNode* props = properties(r.body);
  const bool propagate = is_true(effective(r.globals, r.type, r.body, "PropagateTags"));
  if (r.type == "AWS::Serverless::Api") {
    // The stage gets the Api's Tags whatever PropagateTags says; the custom domain name only
    // with it (api_generator._construct_stage, SamApi.to_cloudformation's propagate_tags).
    const DocNode* name = props ? props->get("StageName") : nullptr;
    if (name) {
      if (auto id = rest_or_http_stage_id(r.id, name, false))
        out.push_back(make(*id, "AWS::ApiGateway::Stage", fmt::format("the stage of {}", r.id), true, false));
    }
    add_domain(r, true, propagate, false, out);
  } else if (r.type == "AWS::Serverless::HttpApi") {
    // Its tags and `httpapi:createdBy` go to the stage and the custom domain name as long as
    // the definition is inline (SamHttpApi.to_cloudformation); the domain name has
    // `httpapi:createdBy` in any case (apiv2_generator._construct_api_domain).
    const bool inline_definition = http_definition_takes_tags(props);
    if (auto id = rest_or_http_stage_id(r.id, props ? props->get("StageName") : nullptr, true))
      out.push_back(make(*id, "AWS::ApiGatewayV2::Stage", fmt::format("the stage of {}", r.id), inline_definition,
                         inline_definition));
    add_domain(r, false, inline_definition, true, out);
  } else if (r.type == "AWS::Serverless::WebSocketApi") {
    // Stage and custom domain name have `websocketapi:createdBy`; with PropagateTags the API's
    // tags too (websocket_api_generator._construct_stage, SamWebSocketApi.to_cloudformation).
    const DocNode* name = props ? props->get("StageName") : nullptr;
    std::optional<std::string> id;
    if (!name)
      id = fmt::format("{}DefaultStage", r.id);
    else if (cfn::as_call(*name) || !name->is_scalar())
      id = fmt::format("{}Stage", r.id);
    else if (name->scalar != "$default")  // SAM rejects `$default` for WebSocket APIs
      id = fmt::format("{}{}Stage", r.id, name->scalar == "default" ? "Default" : name->scalar);
    if (id) out.push_back(make(*id, "AWS::ApiGatewayV2::Stage", fmt::format("the stage of {}", r.id), propagate, true));
    add_domain(r, false, propagate, true, out);
  } else if (r.type == "AWS::Serverless::CapacityProvider") {
    // Without OperatorRole SAM creates `<Id>OperatorRole` with `lambda:createdBy`, and with
    // PropagateTags the provider's tags too (capacity_provider/generators.py,
    // tests/translator/output/capacity_provider_full.json).
    if (!effective(r.globals, r.type, r.body, "OperatorRole"))
      out.push_back(make(fmt::format("{}OperatorRole", r.id), "AWS::IAM::Role",
                         fmt::format("the operator role of {}", r.id), propagate, true));
  } else if (r.type == "AWS::Serverless::Function") {
    // PropagateTags gives the function's tags to every resource SAM generates for it that has
    // Tags (SamFunction.to_cloudformation's propagate_tags;
    // tests/translator/output/function_with_events_and_propagate_tags.json): an IoTRule
    // event's topic rule `<Id><EventId>`, a ScheduleV2 event's role `<Id><EventId>Role` (unless
    // it has RoleArn), the deployment group `<Id>DeploymentGroup` of an enabled
    // DeploymentPreference. Without PropagateTags they have no tags.
    const bool tagged = propagate && has_user_tags(r);
    const DocNode* events = props ? props->get("Events") : nullptr;
    for (std::size_t i = 0; events && events->is_map() && i < events->keys.size(); ++i) {
      const DocNode& event = events->items[i];
      const DocNode* et = event.is_map() ? event.get("Type") : nullptr;
      if (!et || !et->is_string()) continue;
      const DocNode* ep = event.get("Properties");
      const std::string& name = events->keys[i];
      if (et->scalar == "IoTRule")
        out.push_back(make(fmt::format("{}{}", r.id, name), "AWS::IoT::TopicRule",
                           fmt::format("the topic rule of event {} of {}", name, r.id), tagged, false));
      else if (et->scalar == "ScheduleV2" && !(ep && ep->is_map() && ep->get("RoleArn")))
        out.push_back(make(fmt::format("{}{}Role", r.id, name), "AWS::IAM::Role",
                           fmt::format("the role of event {} of {}", name, r.id), tagged, false));
    }
    if (deployment_enabled(effective(r.globals, r.type, r.body, "DeploymentPreference"), r.facts))
      out.push_back(make(fmt::format("{}DeploymentGroup", r.id), "AWS::CodeDeploy::DeploymentGroup",
                         fmt::format("the CodeDeploy deployment group of {}", r.id), tagged, false));
  } else if (r.type == "AWS::Serverless::StateMachine") {
    // Event sources that start the state machine get a role `<Id><EventId>Role`, which
    // PropagateTags gives the state machine's tags (stepfunctions/events.py _construct_role;
    // tests/translator/output/state_machine_with_api_and_propagate_tags.json). A Schedule
    // with RoleArn uses that role instead. Without PropagateTags they have no tags.
    const bool tagged = propagate && non_empty_map(props ? props->get("Tags") : nullptr);
    const DocNode* events = props ? props->get("Events") : nullptr;
    for (std::size_t i = 0; events && events->is_map() && i < events->keys.size(); ++i) {
      const DocNode& event = events->items[i];
      const DocNode* et = event.is_map() ? event.get("Type") : nullptr;
      if (!et || !et->is_string()) continue;
      const std::string& t = et->scalar;
      const DocNode* ep = event.get("Properties");
      const bool own_role = t == "Schedule" && ep && ep->is_map() && ep->get("RoleArn");
      if ((t == "Api" || t == "CloudWatchEvent" || t == "EventBridgeRule" || t == "Schedule") && !own_role)
        out.push_back(make(fmt::format("{}{}Role", r.id, events->keys[i]), "AWS::IAM::Role",
                           fmt::format("the role of event {} of {}", events->keys[i], r.id), tagged, false));
    }
  }
  return out;
}

std::vector<Generated> shared_resources(const cfn::TemplateFacts& facts, const DocNode* globals) {
  std::vector<Generated> out;
  const DocNode* resources = facts.resources;
  if (!resources || !resources->is_map()) return out;
  // Functions with an enabled DeploymentPreference share one CodeDeploy application
  // `ServerlessDeploymentApplication` and, unless every one names its Role, one service role
  // `CodeDeployServiceRole`; both get the tags of those with PropagateTags, each function's
  // tags over its Globals', a later function winning (deployment_preference_collection.py
  // get_codedeploy_application, get_codedeploy_iam_role). When each has a Condition they
  // exist under those: not modelled then.
  {
    const DocNode* fsec = globals_section(globals, "Function");
    std::vector<const DocNode*> merged;
    bool any = false, unconditional = false, service_role = false;
    for (std::size_t i = 0; i < resources->keys.size(); ++i) {
      const DocNode& body = resources->items[i];
      const DocNode* type = body.is_map() ? body.get("Type") : nullptr;
      if (!type || !type->is_string() || type->scalar != "AWS::Serverless::Function") continue;
      const DocNode* pref = effective(globals, type->scalar, &body, "DeploymentPreference");
      if (!deployment_enabled(pref, facts)) continue;
      any = true;
      unconditional = unconditional || !body.get("Condition");
      service_role = service_role || !pref->get("Role");
      const SamResource f{facts, globals, resources->keys[i], type->scalar, &body};
      if (!is_true(effective(globals, type->scalar, &body, "PropagateTags")) || !has_user_tags(f)) continue;
      if (fsec && fsec->get("Tags")) merged.push_back(fsec->get("Tags"));
      if (const DocNode* p = properties(&body); p && p->get("Tags")) merged.push_back(p->get("Tags"));
    }
    if (any && unconditional) {
      auto shared = [&](std::string id, std::string type, std::string why) {
        Generated g = make(std::move(id), std::move(type), std::move(why), true, false);
        g.tags.propagated = merged;
        out.push_back(std::move(g));
      };
      shared("ServerlessDeploymentApplication", "AWS::CodeDeploy::Application",
             "the CodeDeploy application of the functions' deployment preferences");
      if (service_role)
        shared("CodeDeployServiceRole", "AWS::IAM::Role",
               "the CodeDeploy service role of the functions' deployment preferences");
    }
  }
  struct Implicit {
    std::string id, event_type, api_property, section;
    std::vector<const DocNode*> tags;
    bool used = false, unconditional = false;
    std::vector<const DocNode*> conditions;  ///< of the functions that have one
  };
  std::array<Implicit, 2> apis{Implicit{"ServerlessRestApi", "Api", "RestApiId", "Api", {}, false, false, {}},
                               Implicit{"ServerlessHttpApi", "HttpApi", "ApiId", "HttpApi", {}, false, false, {}}};
  for (std::size_t i = 0; i < resources->keys.size(); ++i) {
    const DocNode& body = resources->items[i];
    const DocNode* type = body.is_map() ? body.get("Type") : nullptr;
    if (!type || !type->is_string()) continue;
    const std::string& t = type->scalar;
    if (t != "AWS::Serverless::Function" && t != "AWS::Serverless::StateMachine") continue;
    const DocNode* props = properties(&body);
    const DocNode* events = props ? props->get("Events") : nullptr;
    if (!events || !events->is_map()) continue;
    // What the function propagates (implicit_api_plugin._add_tags_to_implicit_api_if_necessary):
    // its own Tags or else its Globals section's, when its own or its Globals section's
    // PropagateTags is true.
    const DocNode* sec = globals_section(globals, section_of(t));
    const DocNode* own_tags = props->get("Tags");
    const DocNode* tags = non_empty_map(own_tags) ? own_tags : (sec ? sec->get("Tags") : nullptr);
    const bool propagate = is_true(props->get("PropagateTags")) || is_true(sec ? sec->get("PropagateTags") : nullptr);
    const DocNode* condition = body.get("Condition");
    for (const DocNode& event : events->items) {
      const DocNode* et = event.is_map() ? event.get("Type") : nullptr;
      if (!et || !et->is_string()) continue;
      for (Implicit& api : apis) {
        if (et->scalar != api.event_type) continue;
        if (t == "AWS::Serverless::StateMachine" && api.event_type != "Api") continue;
        const DocNode* ep = event.get("Properties");
        // REST events without Properties are skipped; HttpApi events without them are the
        // `$default` route (implicit_rest_api_plugin / implicit_http_api_plugin).
        if (api.event_type == "Api" && !non_empty_map(ep)) continue;
        if (ep && ep->is_map() && ep->get(api.api_property)) continue;
        api.used = true;
        if (condition)
          api.conditions.push_back(condition);
        else
          api.unconditional = true;
        if (propagate && non_empty_map(tags)) api.tags.push_back(tags);
      }
    }
  }
  for (Implicit& api : apis) {
    // A template that defines the id itself keeps its own resource there when no event needs
    // the implicit API; with events, we do not model the clash.
    if (!api.used || resources->get(api.id)) continue;
    // When every function with such events has a Condition, the API exists under them: one
    // Condition when they share it, else their Fn::Or, which one resource Condition cannot
    // say: not modelled then (implicit_api_plugin._maybe_add_condition_to_implicit_api).
    const DocNode* condition = nullptr;
    if (!api.unconditional) {
      condition = api.conditions.front();
      const bool one = condition->is_scalar() &&
                       std::all_of(api.conditions.begin(), api.conditions.end(),
                                   [&](const DocNode* c) { return c->is_scalar() && c->scalar == condition->scalar; });
      if (!one) continue;
    }
    const DocNode* sec = globals_section(globals, api.section);
    auto plan = [&](bool user, bool framework) {
      TagPlan p;
      p.user_tags = user;
      p.framework_tag = framework;
      p.globals_section = api.section;
      p.propagated = api.tags;
      return p;
    };
    if (api.event_type == "Api") {
      // SAM's implicit Api has StageName Prod, and PropagateTags once a function propagated its
      // tags to it (or from Globals).
      const bool propagate = !api.tags.empty() || is_true(sec ? sec->get("PropagateTags") : nullptr);
      Generated rest =
          make(api.id, "AWS::ApiGateway::RestApi", "the implicit API of the functions' Api events", false, false);
      rest.tags = plan(propagate && !api.tags.empty(), false);
      rest.condition = condition;
      out.push_back(std::move(rest));
      Generated stage = make(api.id + "ProdStage", "AWS::ApiGateway::Stage",
                             fmt::format("the stage of the implicit API {}", api.id), false, false);
      stage.tags = plan(true, false);
      stage.condition = condition;
      out.push_back(std::move(stage));
    } else {
      Generated http =
          make(api.id, "AWS::ApiGatewayV2::Api", "the implicit API of the functions' HttpApi events", false, false);
      http.tags = plan(true, true);
      http.condition = condition;
      out.push_back(std::move(http));
      // Its StageName is SAM's default, `$default` (Globals cannot set it).
      if (auto id = rest_or_http_stage_id(api.id, nullptr, true)) {
        Generated stage = make(*id, "AWS::ApiGatewayV2::Stage", fmt::format("the stage of the implicit API {}", api.id),
                               false, false);
        stage.tags = plan(true, true);
        stage.condition = condition;
        out.push_back(std::move(stage));
      }
    }
  }
  return out;
}

}  // namespace tagwarden::sam
