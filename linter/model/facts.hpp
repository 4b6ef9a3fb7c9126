// What a front end saw besides resources and their tags, recorded as plain facts: a module it
// could not read, resources it could not explore. Front ends never make findings; the rules
// module-not-inspectable and unknown-tag-value turn these facts into findings, and the
// engine's summary counts them (STYLE.md section 1).
#pragma once
#include <string>

#include "linter/source/span.hpp"

namespace tagwarden {

struct Fact {
  enum class Kind {
    /// A Terraform module call whose source cannot be read. `subject` is the source as
    /// written, `reason` why it cannot be read.
    kModuleNotInspectable,
    /// A resource entry whose tags (or whose resources) were not explored: `reason` says what
    /// was left out (more condition combinations than the cap, a pre-processor's module).
    kUnexplored,
    /// A resource that exists in no combination explored (its `Condition` is false): left out
    /// of the check on purpose and counted in the run's summary. `subject` is the summary's
    /// category ("its Condition is false for the parameter values given"), `reason` the
    /// resource's own sentence.
    kLeftOut,
    /// A tag entry CloudFormation, the SAM transform or the service will reject (a missing
    /// required Value, a value that cannot be a string, a reserved key). `subject` is the key
    /// (may be empty), `reason` the sentence; `span` the entry or its value.
    kInvalidTagEntry,
    /// A Terraform module call block in a file with suppression comments, once per module
    /// instance that makes it (`span` the block, `address` the call's, "module.net.module.vpc"):
    /// comments written above or inside it apply to findings about the call
    /// (module-not-inspectable). No rule reports it.
    kModuleCall,
  };
  Kind kind = Kind::kUnexplored;
  Span span;            ///< where: the module call, the resource
  std::string address;  ///< the module call's or resource's address
  std::string subject;  ///< what the fact is about (a module source)
  std::string reason;   ///< a sentence fragment people can act on
  /// The root module, template or stack the fact was seen from (Resource::root): with the
  /// address, the identity of the finding a rule makes of it (baseline fingerprints).
  std::string root;
};

}  // namespace tagwarden
