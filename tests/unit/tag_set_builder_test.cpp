// The specification of tag precedence (linter/model/tag_set_builder.hpp): each row gives the
// layers as written, lowest first, and the effective tags every front end must get from them.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "linter/model/tag_set_builder.hpp"

using namespace tagwarden;

namespace {

/// One operation in a row: `begin` opens a layer (with its null meaning); `set`/`add` write a
/// value ("?" marks an unknown value); `null` writes a null; `unknown` makes the key set
/// unknown; `ignore`/`prefix` are ignore_tags.
struct Op {
  enum Kind { kBegin, kSet, kAdd, kNull, kUnknownKeys, kIgnore, kPrefix } kind;
  std::string key;
  std::string value;
  NullMeans null_means = NullMeans::kRemove;
};

Op begin(NullMeans n = NullMeans::kRemove) { return Op{Op::kBegin, "", "", n}; }
Op set(std::string k, std::string v) { return Op{Op::kSet, std::move(k), std::move(v)}; }
Op add(std::string k, std::string v) { return Op{Op::kAdd, std::move(k), std::move(v)}; }
Op null(std::string k) { return Op{Op::kNull, std::move(k), ""}; }
Op unknown_keys(std::string why) { return Op{Op::kUnknownKeys, "", std::move(why)}; }
Op ignore(std::string k) { return Op{Op::kIgnore, std::move(k), ""}; }
Op prefix(std::string p) { return Op{Op::kPrefix, std::move(p), ""}; }

struct Row {
  const char* name;
  std::vector<Op> ops;
  std::string expected;  ///< "k=v k2=? ..." in result order; then " keys:unknown(reason)" when unknown
};

std::string run(const std::vector<Op>& ops) {
  TagSetBuilder b;
  int layer = 0;
  for (const Op& op : ops) {
    TagEntry e;
    e.key = op.key;
    e.origin.detail = "layer " + std::to_string(layer);
    if (op.value == "?")
      e.unknown_reason = "not known";
    else
      e.value = op.value;
    switch (op.kind) {
      case Op::kBegin:
        b.begin_layer(op.null_means);
        ++layer;
        break;
      case Op::kSet:
        b.set(std::move(e));
        break;
      case Op::kAdd:
        b.add(std::move(e));
        break;
      case Op::kNull:
        b.set_null(std::move(e));
        break;
      case Op::kUnknownKeys:
        b.keys_unknown(op.value, {});
        break;
      case Op::kIgnore:
        b.ignore_keys({op.key});
        break;
      case Op::kPrefix:
        b.ignore_key_prefixes({op.key});
        break;
    }
  }
  TagSet t = std::move(b).build();
  std::string out;
  for (const auto& e : t.entries) {
    if (!out.empty()) out += ' ';
    out += e.key + "=" + (e.value ? *e.value : "?") + "@" + e.origin.detail.substr(6);
  }
  if (!t.keys_known) out += " keys:unknown(" + t.keys_unknown_reason + ")";
  return out;
}

const Row kRows[] = {
    {"a higher layer wins per key",
     {set("Env", "dev"), set("Team", "a"), begin(), set("Env", "prod")},
     "Env=prod@1 Team=a@0"},
    {"keys are case-sensitive: a case variant is another tag",
     {set("Owner", "a"), begin(), set("owner", "b")},
     "Owner=a@0 owner=b@1"},
    {"an unknown value in a higher layer still wins", {set("Env", "dev"), begin(), set("Env", "?")}, "Env=?@1"},
    {"a known value in a higher layer replaces an unknown one",
     {set("Env", "?"), begin(), set("Env", "prod")},
     "Env=prod@1"},
    {"map semantics: within a layer the last write wins", {set("Env", "a"), set("Env", "b")}, "Env=b@0"},
    {"list semantics: a duplicate within a layer is kept", {add("Env", "a"), add("Env", "b")}, "Env=a@0 Env=b@0"},
    {"list semantics: a higher layer replaces every lower entry of the key",
     {add("Env", "a"), add("Env", "b"), begin(), add("Env", "c")},
     "Env=c@1"},
    {"null that removes: drops the lower layer's value",
     {set("Env", "dev"), set("Team", "a"), begin(NullMeans::kRemove), null("Env")},
     "Team=a@0"},
    {"null that is not set: the lower layer's value stays",
     {set("Env", "dev"), begin(NullMeans::kNotSet), null("Env")},
     "Env=dev@0"},
    {"null that is the empty string", {set("Env", "dev"), begin(NullMeans::kEmpty), null("Env")}, "Env=@1"},
    {"null in the lowest layer is no tag", {null("Env"), begin(), set("Team", "a")}, "Team=a@1"},
    {"a removed key can be set again by a higher layer",
     {set("Env", "dev"), begin(), null("Env"), begin(), set("Env", "prod")},
     "Env=prod@2"},
    {"ignore_tags removes a key whatever layer wrote it",
     {set("Env", "dev"), begin(), set("Env", "prod"), set("Team", "a"), ignore("Env")},
     "Team=a@1"},
    {"ignore_tags prefixes", {set("kubernetes.io/x", "1"), set("kube", "2"), prefix("kubernetes.io/")}, "kube=2@0"},
    {"unknown keys: the known keys are still listed, the first reason is kept",
     {set("Env", "dev"), unknown_keys("default_tags unknown"), begin(), unknown_keys("tags unknown"), set("Team", "a")},
     "Env=dev@0 Team=a@1 keys:unknown(default_tags unknown)"},
    {"entries come out sorted by key", {set("b", "1"), set("a", "2"), begin(), set("C", "3")}, "C=3@1 a=2@0 b=1@0"},
};

}  // namespace

TEST_CASE("tag precedence table") {
  for (const Row& row : kRows) {
    CAPTURE(row.name);
    CHECK(run(row.ops) == row.expected);
  }
}

TEST_CASE("an entry keeps its spans, origin and trail through the builder") {
  TagSetBuilder b;
  TagEntry e;
  e.key = "Env";
  e.value = "prod";
  e.key_span = Span{1, 10, 13, true};
  e.value_span = Span{1, 16, 22, true};
  e.origin = Origin{OriginKind::kProviderDefaultTags, "provider aws", Span{1, 0, 40, true}};
  e.trail.push_back(Related{Span{1, 2, 5, true}, "local.tags"});
  b.set(e);
  TagSet t = std::move(b).build();
  REQUIRE(t.entries.size() == 1);
  CHECK(t.entries[0].key_span == e.key_span);
  CHECK(t.entries[0].value_span == e.value_span);
  CHECK(t.entries[0].origin.kind == OriginKind::kProviderDefaultTags);
  CHECK(t.entries[0].trail.size() == 1);
  CHECK(t.keys_known);
}
