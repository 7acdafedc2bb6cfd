"""`prompt-cli` as a pact consumer: each interaction of `interactions.py`, on its own pact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .interactions import CASES, PACT_FILE, Case, record


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.description.replace(" ", "-"))
def test_interaction(case: Case, tmp_path: Path) -> None:
    record(case, tmp_path)
    written = json.loads((tmp_path / PACT_FILE).read_text(encoding="utf-8"))
    assert [i["description"] for i in written["interactions"]] == [case.description]


def test_descriptions_are_unique() -> None:
    """Pact merges interactions by description (and states): a duplicate would overwrite."""
    descriptions = [case.description for case in CASES]
    assert len(set(descriptions)) == len(descriptions) == 10
