#include "linter/frontend/terraform/expansion.hpp"

#include <fmt/format.h>

#include <set>

#include "linter/frontend/terraform/syntax.hpp"

namespace tagwarden::terraform {

using tf::Value;

Expansion expand_instances(const hcl::Body& body, const ExprEval& eval) {
  Expansion ex;
  auto& out = ex.instances;
  const hcl::Attribute* count = find_attr(body, "count");
  const hcl::Attribute* for_each = find_attr(body, "for_each");
  if (count == nullptr && for_each == nullptr) {
    out.emplace_back("", Iter{});
    return ex;
  }
  auto unknown_one = [&](const std::string& why, Span at) {
    Iter it;
    if (count) {
      it.count_index = Value::unknown(why, at);
    } else {
      it.each_key = Value::unknown(why, at);
      it.each_value = Value::unknown(why, at);
    }
    out.clear();
    out.emplace_back("", std::move(it));
    ex.expanded = false;
    return ex;
  };
  if (count != nullptr) {
    Value v = eval(count->expr, nullptr);
    if (v.is_unknown()) return unknown_one(fmt::format("count is not known: {}", v.unknown_reason()), count->span);
    if (v.kind() != Value::Kind::kNumber || v.as_number() < 0)
      return unknown_one("count is not a whole number", count->span);
    if (v.as_number() > static_cast<double>(kMaxInstances))
      return unknown_one(fmt::format("count is over {}", kMaxInstances), count->span);
    auto n = static_cast<std::size_t>(v.as_number());
    for (std::size_t i = 0; i < n; ++i) {
      Iter it;
      it.count_index = Value::number(static_cast<double>(i), count->span);
      out.emplace_back(fmt::format("[{}]", i), std::move(it));
    }
    return ex;
  }
  Value v = eval(for_each->expr, nullptr);
  if (v.is_unknown()) return unknown_one(fmt::format("for_each is not known: {}", v.unknown_reason()), for_each->span);
  if (v.kind() == Value::Kind::kMap) {
    if (v.map_open()) return unknown_one("for_each has keys that are not known", for_each->span);
    if (v.as_map().size() > kMaxInstances) return unknown_one("for_each is too large", for_each->span);
    for (const auto& [k, entry] : v.as_map()) {
      Iter it;
      it.each_key = Value::string(k, entry.key_span);
      it.each_value = entry.value;
      out.emplace_back(instance_key(Value::string(k)), std::move(it));
    }
    return ex;
  }
  if (v.kind() == Value::Kind::kList) {
    // A set of strings: each.key and each.value are both the element.
    std::set<std::string> seen;
    for (const auto& item : v.as_list()) {
      if (item.is_unknown()) return unknown_one("for_each has elements that are not known", for_each->span);
      auto s = item.to_string();
      if (!s) return unknown_one("for_each over a set that does not hold strings", for_each->span);
      if (!seen.insert(*s).second) continue;
    }
    if (seen.size() > kMaxInstances) return unknown_one("for_each is too large", for_each->span);
    for (const auto& s : seen) {
      Iter it;
      it.each_key = Value::string(s, for_each->span);
      it.each_value = it.each_key;
      out.emplace_back(instance_key(Value::string(s)), std::move(it));
    }
    return ex;
  }
  if (v.is_null()) return ex;  // Terraform rejects this; no instances
  return unknown_one("for_each is not a map or set", for_each->span);
}

}  // namespace tagwarden::terraform
