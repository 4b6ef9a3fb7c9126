#!/usr/bin/env python3
"""Generates data/aws_resource_types.tsv: the cross-walk between AWS Organizations tag-policy
resource types, CloudFormation types and Terraform AWS types, with what AWS supports per type.

Sources:
 1. The type mapping of the Terraform AWS provider,
    internal/tags/tagpolicy/tagris-cfn-terraform-mapping.csv at hashicorp/terraform-provider-aws
    commit ba3b2fa841b3fed55f4e14308e76650ef900d2c7 (MPL-2.0), as copied byte for byte into
    /work/shared/data/aws-type-mapping.csv (sha256 8476f8ff0e10...; see that folder's README).
    Columns: CloudFormation type, tag-policy type, Terraform type (empty when the provider had
    none). This is the only source of Terraform types.
 2. AWS's own table of tag-policy resource types ("Services and resource types that support
    enforcement", AWS Organizations User Guide), as extracted into
    tools/data-sources/tag-policy-supported-resources.tsv: which types AWS knows, their
    CloudFormation aliases, and whether each supports basic-compliance reporting, enforcement
    (`enforced_for`), required-tag reporting (`report_required_tag_for`) and IaC enforcement.
 3. tools/data-sources/type-mapping-additions.tsv: mappings neither source gives (RDS and
    Neptune clusters under rds:cluster, API Gateway REST API types), each row with its source.
    Only added to types on AWS's table.

Tag-policy types are matched case-insensitively (the provider's table spells some in camelCase,
e.g. appmesh:mesh/virtualNode, where AWS's page writes appmesh:mesh/virtualnode); the page's
spelling is kept. CloudFormation aliases are the union of both sources.

Output columns: tag_policy_type, cfn_types (comma-separated, `-` when none), terraform_types
(comma-separated, `-` when none), then basic_reporting, enforcement, required_reporting,
required_iac as yes/no (`-` for a type the page does not list). Sorted by type.

Usage: tools/gen_aws_types.py [MAPPING_CSV] [PAGE_TSV] [ADDITIONS_TSV] > data/aws_resource_types.tsv
"""
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CSV = "/work/shared/data/aws-type-mapping.csv"
DEFAULT_PAGE = os.path.join(ROOT, "tools", "data-sources", "tag-policy-supported-resources.tsv")
DEFAULT_ADDITIONS = os.path.join(ROOT, "tools", "data-sources", "type-mapping-additions.tsv")


class Row:
    def __init__(self, name):
        self.name = name
        self.cfn = []
        self.tf = []
        self.flags = None  # [basic_reporting, enforcement, required_reporting, required_iac]

    def add(self, items, value):
        if value and value not in items:
            items.append(value)


def tsv_rows(path, ncols, what):
    """The rows of a tab-separated file with `ncols` columns; `#` lines and empty lines skipped."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if len(cols) != ncols:
                sys.exit(f"{path}: malformed row ({what}): {line!r}")
            yield line, cols


def main() -> int:
    csv_path = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CSV
    page_path = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_PAGE
    additions_path = sys.argv[3] if len(sys.argv) > 3 else DEFAULT_ADDITIONS
    rows = {}

    def row(name):
        key = name.lower()
        if key not in rows:
            rows[key] = Row(name)
        return rows[key]

    skipped = []
    for line, cols in tsv_rows(page_path, 6, "type, aliases, four yes/no"):
        name, aliases, *flags = cols
        if any(v not in ("yes", "no") for v in flags):
            sys.exit(f"{page_path}: bad yes/no column: {line!r}")
        service, _, resource = name.partition(":")
        if not service or not resource or "::" in name:
            skipped.append(name)  # e.g. a CloudFormation name in the type column
            continue
        r = row(name)
        for a in aliases.split(","):
            if a != "-":
                r.add(r.cfn, a)
        # A type listed on several rows (one per CloudFormation alias) supports what any
        # of its rows says.
        yes = [v == "yes" for v in flags]
        r.flags = yes if r.flags is None else [a or b for a, b in zip(r.flags, yes)]

    with open(csv_path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if header != ["CFN Alias", "Tag Policies Alias", "Terraform Resource Type"]:
            sys.exit(f"{csv_path}: unexpected header {header}")
        for cfn, policy_type, tf in reader:
            r = row(policy_type)
            r.add(r.cfn, cfn)
            r.add(r.tf, tf)

    for line, cols in tsv_rows(additions_path, 4, "type, cfn, terraform, source"):
        name, cfn, tf, source = cols
        if not source:
            sys.exit(f"{additions_path}: a row without its source: {line!r}")
        if name.lower() not in rows or rows[name.lower()].flags is None:
            sys.exit(f"{additions_path}: {name} is not on AWS's table of tag-policy types")
        r = rows[name.lower()]
        for c in cfn.split(","):
            if c != "-":
                r.add(r.cfn, c)
        for t in tf.split(","):
            if t != "-":
                r.add(r.tf, t)

    out = sys.stdout
    out.write("# Generated by tools/gen_aws_types.py from the Terraform AWS provider's tag-policy type mapping\n"
              "# (ba3b2fa841b3), AWS's table of tag-policy resource types and tools/data-sources/type-mapping-additions.tsv;\n"
              "# see data/README.md. Do not edit.\n")
    out.write("# tag_policy_type\tcfn_types\tterraform_types\tbasic_reporting\tenforcement\trequired_reporting\trequired_iac\n")
    for key in sorted(rows):
        r = rows[key]
        flags = ["-"] * 4 if r.flags is None else ["yes" if v else "no" for v in r.flags]
        out.write("\t".join([r.name, ",".join(r.cfn) or "-", ",".join(r.tf) or "-"] + flags) + "\n")
    for name in skipped:
        print(f"gen_aws_types: skipped page row {name!r} (not a service:resource type)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
