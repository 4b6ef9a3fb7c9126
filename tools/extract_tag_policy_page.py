#!/usr/bin/env python3
"""Extracts the resource-type table of AWS's tag-policy "supported resources" page.

Input: a saved copy of the AWS Organizations User Guide page "Services and resource types that
support enforcement" (orgs_manage_policies_supported-resources-enforcement.html), either the HTML
page or a Markdown rendering that keeps the table as HTML (<tr>/<td>). The table's columns are:
service (a rowspan cell on the first row of each service), tag-policy type, CloudFormation
aliases, then "Basic compliance rules" reporting / enforcement and "Required tag keys" reporting /
enforce-for-IaC as Yes/No.

Output (stdout): tools/data-sources/tag-policy-supported-resources.tsv, one row per table row in
page order: type, comma-separated CloudFormation aliases (`-` for N/A), and the four columns as
yes/no. Only facts are kept; no prose of the page.

Usage: tools/extract_tag_policy_page.py PAGE.html > tools/data-sources/tag-policy-supported-resources.tsv
"""
import html
import re
import sys

HEADER = """# One row per row of the table in AWS Organizations User Guide, "Services and resource types that
# support enforcement" (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_supported-resources-enforcement.html).
# Facts only (type names, CloudFormation aliases, Yes/No columns), extracted by
# tools/extract_tag_policy_page.py; see data/README.md.
# type\tcfn_aliases\tbasic_reporting\tbasic_enforcement\trequired_reporting\trequired_iac
"""


def cell_text(cell: str) -> str:
    text = re.sub(r"<[^>]+>", " ", cell)
    text = html.unescape(text).replace("\\_", "_").replace("`", " ").replace("+", " ")
    return " ".join(text.split())


def main() -> int:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    page = open(sys.argv[1], encoding="utf-8").read()
    body = page[page.find("<tbody"):] if "<tbody" in page else page
    out = [HEADER]
    for row in re.findall(r"<tr\b.*?</tr>", body, flags=re.S):
        cells = re.findall(r"<td\b[^>]*>(.*?)</td>", row, flags=re.S)
        if len(cells) == 7:  # first row of a service: drop the service cell
            cells = cells[1:]
        if len(cells) != 6:
            continue  # header rows and anything else that is not a type row
        type_name = cell_text(cells[0])
        aliases = re.findall(r"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+", html.unescape(cells[1]))
        flags = [cell_text(c).lower() for c in cells[2:]]
        if any(f not in ("yes", "no") for f in flags):
            sys.exit(f"unexpected Yes/No cell in row for {type_name!r}: {flags}")
        out.append("\t".join([type_name, ",".join(aliases) or "-"] + flags) + "\n")
    sys.stdout.write("".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
