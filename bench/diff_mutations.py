"""Precision and recall of `ctk diff` per rule family, on the labelled mutation corpus.

Not a test (tests/unit/diff/test_mutations.py asserts every case): a tally. Each case of
`tests/unit/diff/mutations` (a real spec, one labelled change: the rule and class it must
be found under, or none for a refactor) is diffed against its mutated copy. A case is
"breaking expected" when its label is an error; "breaking found" when ctk reports any
error. Per family (the expected rule's prefix; refactors apart):

* precision = cases whose expected breaking rule was found as an error / breaking found
* recall    = the same / breaking expected
* compat→breaking = cases labelled compatible (info) or refactor that got any error
* exact     = cases whose expected rule and class were found (refactors: nothing at all)
* other errors = error findings under another rule than the expected one (over-reporting
  that a case-level count would hide)

    python bench/diff_mutations.py [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.unit.diff.mutations import CASES, FAMILIES, Case, run_case  # noqa: E402
from toolkit.diff import DiffOutcome  # noqa: E402
from toolkit.errors import Severity  # noqa: E402


@dataclass
class Tally:
    family: str
    cases: int = 0
    breaking_expected: int = 0
    breaking_found: int = 0
    true_breaking: int = 0
    compatible_as_breaking: int = 0
    exact: int = 0
    other_errors: int = 0

    def add(self, case: Case, outcome: DiffOutcome) -> None:
        found = {(d.rule, d.severity) for d in outcome.diagnostics}
        errors = [d for d in outcome.diagnostics if d.severity is Severity.ERROR]
        self.other_errors += sum(d.rule != case.expect for d in errors)
        self.cases += 1
        expected = case.level is Severity.ERROR
        reported = any(level is Severity.ERROR for _, level in found)
        self.breaking_expected += expected
        self.breaking_found += reported
        self.true_breaking += expected and (case.expect, Severity.ERROR) in found
        self.compatible_as_breaking += case.level in (Severity.INFO, None) and reported
        self.exact += (case.expect, case.level) in found if case.expect else not found

    def row(self) -> str:
        precision = _ratio(self.true_breaking, self.breaking_found)
        recall = _ratio(self.true_breaking, self.breaking_expected)
        cells = (
            self.family, self.cases, self.breaking_expected, self.breaking_found,
            precision, recall, self.compatible_as_breaking, f"{self.exact}/{self.cases}",
            self.other_errors,
        )  # fmt: skip
        return "| " + " | ".join(str(c) for c in cells) + " |"


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def tally() -> tuple[list[Tally], list[str]]:
    rows = {family: Tally(family) for family in FAMILIES}
    total = Tally("**all**")
    misses = []
    with tempfile.TemporaryDirectory(prefix="ctk-diff-mutations-") as scratch:
        for index, case in enumerate(CASES):
            folder = Path(scratch) / str(index)
            folder.mkdir()
            outcome = run_case(case, folder)
            rows[case.family].add(case, outcome)
            total.add(case, outcome)
            found = {(d.rule, d.severity) for d in outcome.diagnostics}
            if ((case.expect, case.level) not in found) if case.expect else found:
                misses.append(f"{case.name}: expected {case.expect}, found {sorted(found)}")
    return [*(r for r in rows.values() if r.cases), total], misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--json", type=Path, help="also write the tallies here")
    args = parser.parse_args()
    started = time.perf_counter()
    rows, misses = tally()
    documents = sorted({c.base.name for c in CASES})
    print(f"{len(CASES)} labelled mutations of {len(documents)} documents: {', '.join(documents)}")
    print(f"({time.perf_counter() - started:.1f} s)\n")
    print(
        "| family | cases | breaking expected | breaking found | precision | recall "
        "| compat→breaking | exact | other errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row.row())
    for miss in misses:
        print(f"- miss: {miss}")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n")


if __name__ == "__main__":
    main()
