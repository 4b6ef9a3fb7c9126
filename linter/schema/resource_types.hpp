// AWS resource types across the three naming schemes tagwarden meets: Terraform types
// (aws_instance), CloudFormation types (AWS::EC2::Instance) and AWS Organizations tag-policy
// types (ec2:instance), with what tag policies support per type. Built from the embedded
// data/aws_resource_types.tsv (tools/gen_aws_types.py) and data/sam_resource_types.tsv (the
// CloudFormation type each SAM type becomes). Also the glob language that schema
// scopes and the per-service tag rules use to name types.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tagwarden {

struct PolicyType {
  std::string name;                    ///< as AWS spells it: "ec2:instance", "s3:ALL_SUPPORTED"
  std::vector<std::string> cfn;        ///< CloudFormation types it covers
  std::vector<std::string> terraform;  ///< Terraform AWS types it covers
  bool listed = false;                 ///< on AWS's table of tag-policy types (else only in the mapping)
  bool basic_reporting = false;        ///< compliance reporting of key case and values
  bool enforceable = false;            ///< allowed in `enforced_for`
  bool required_reporting = false;     ///< allowed in `report_required_tag_for`
  bool iac_enforcement = false;        ///< required keys enforced by the CloudFormation hook / Terraform provider

  std::string_view service() const;  ///< "ec2"
  bool is_all_supported() const;     ///< "<service>:ALL_SUPPORTED"
  bool mapped() const { return !cfn.empty() || !terraform.empty(); }
};

class ResourceTypes {
 public:
  /// The table built into the binary.
  static const ResourceTypes& aws();

  /// The tag-policy type named `name`, compared case-insensitively (AWS's page writes
  /// lowercase, the Terraform provider's table camelCase), or nullptr.
  const PolicyType* find(std::string_view name) const;
  /// True when some tag-policy type belongs to `service` ("ec2").
  bool has_service(std::string_view service) const;
  /// The `<service>:ALL_SUPPORTED` entry of a service, or nullptr.
  const PolicyType* all_supported(std::string_view service) const;
  /// Every tag-policy type whose name matches `pattern` (a `<service>:*` or
  /// `<service>:ALL_SUPPORTED` wildcard, or an exact name), ALL_SUPPORTED entries excluded.
  std::vector<const PolicyType*> expand(std::string_view pattern) const;
  /// The names a resource of `type` (Terraform or CloudFormation) answers to in scope globs:
  /// the type itself, its tag-policy types, and the other format's types that share them. A
  /// SAM type (AWS::Serverless::Function) answers to its own name and to every name of the
  /// CloudFormation type the transform makes of it (AWS::Lambda::Function, lambda:function,
  /// aws_lambda_function); the other way round, no type answers to a SAM name.
  std::vector<std::string> names_for(std::string_view type) const;
  /// True when a resource of `type` has an AWS tag-policy type (so tag-policy globs can reach it).
  bool has_policy_type(std::string_view type) const;
  /// The CloudFormation type the SAM transform makes of SAM type `type`, or "" (not a SAM type
  /// in the table).
  std::string_view sam_target(std::string_view type) const;
  const std::vector<PolicyType>& all() const { return types_; }

  /// Builds the table from the text of data/aws_resource_types.tsv and of
  /// data/sam_resource_types.tsv (`sam_type<TAB>cfn_type` lines).
  static ResourceTypes parse(std::string_view tsv, std::string_view sam_tsv = {});

  // The lookups below are views into types_' strings: a copy would point into the original.
  ResourceTypes(const ResourceTypes&) = delete;
  ResourceTypes& operator=(const ResourceTypes&) = delete;
  ResourceTypes(ResourceTypes&&) = default;  // a moved vector keeps its elements where they are
  ResourceTypes& operator=(ResourceTypes&&) = default;

 private:
  ResourceTypes() = default;
  /// (type, index into types_) for every CloudFormation or Terraform type a tag-policy type
  /// covers, sorted by type: searched by binary search (built once, no node per entry).
  using TypeIndex = std::vector<std::pair<std::string_view, std::size_t>>;
  /// The indices of the tag-policy types covering `type` (exact), in types_ order.
  template <typename Fn>
  void for_each_covering(std::string_view type, Fn&& fn) const;

  std::vector<PolicyType> types_;                        ///< sorted by name ignoring ASCII case
  TypeIndex by_cfn_;                                     ///< exact CloudFormation type
  TypeIndex by_tf_;                                      ///< exact Terraform type
  std::map<std::string, std::string, std::less<>> sam_;  ///< SAM type -> CloudFormation type
};

/// True when the scope glob `pattern` matches any of `names` (from ResourceTypes::names_for).
/// `*` matches any run of characters; comparison ignores ASCII case; `<service>:ALL_SUPPORTED`
/// means `<service>:*`.
bool scope_glob_match(std::string_view pattern, const std::vector<std::string>& names);
/// Case-insensitive `*` glob on one string (also used for resource addresses).
bool glob_match_icase(std::string_view pattern, std::string_view text);

}  // namespace tagwarden
