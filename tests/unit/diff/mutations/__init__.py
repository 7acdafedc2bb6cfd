"""Issue 13's acceptance corpus: labelled mutations of real specs. Each small change must be
found under its rule and class, and refactors that change no meaning must report nothing.
`tests/unit/diff/test_mutations.py` asserts every case; `bench/diff_mutations.py` tallies
precision and recall per rule family."""

from __future__ import annotations

from .corpus import CASES as CORPUS_CASES
from .kit import FAMILIES, Case, diff_mutated, run_case
from .prompts import CASES as PROMPT_CASES

CASES = [*PROMPT_CASES, *CORPUS_CASES]

__all__ = ["CASES", "FAMILIES", "Case", "diff_mutated", "run_case"]
