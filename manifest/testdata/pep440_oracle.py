"""Answers PEP 440 questions with the packaging library, for the
differential test in pep440_diff_test.go.

Each input line is a JSON array: ["version", v], ["compare", a, b] or
["admits", spec, v]. Each output line answers the input line of the same
number: "ok"/"invalid" for a version, -1/0/1 for a comparison ("invalid" when a side is not a version), and
"true"/"false"/"invalid-spec" for a specifier set asked about a version.
"""

import json
import sys

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version


def answer(q):
    kind = q[0]
    if kind == "version":
        try:
            Version(q[1])
        except InvalidVersion:
            return "invalid"
        return "ok"
    if kind == "compare":
        try:
            a, b = Version(q[1]), Version(q[2])
        except InvalidVersion:
            return "invalid"
        return str((a > b) - (a < b))
    if kind == "admits":
        try:
            spec = SpecifierSet(q[1])
        except InvalidSpecifier:
            return "invalid-spec"
        return "true" if spec.contains(q[2], prereleases=True) else "false"
    raise ValueError(kind)


def main():
    import packaging

    out = ["packaging " + packaging.__version__]
    for line in sys.stdin:
        out.append(answer(json.loads(line)))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
