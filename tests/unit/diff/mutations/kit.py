"""What a labelled mutation is, the small edits cases are made of, and how one is run."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from toolkit.diff import DiffOutcome, diff_specs
from toolkit.errors import Severity

ROOT = Path(__file__).resolve().parents[4]
PROMPTS = ROOT / "specs" / "prompt-library.yaml"
CORPUS = ROOT.parent / "shared" / "corpus"

Doc = dict[str, Any]
Mutation = Callable[[Doc], None]
ERR, WARN, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
S = ["components", "schemas"]
P = ["components", "parameters"]

# the family of a rule, by its prefix (the first that matches); refactors are their own
_FAMILIES = (
    ("operation-", "operation"),
    ("parameter-", "parameter"),
    ("request-body-", "request body"),
    ("request-media-", "request body"),
    ("response-", "response"),
    ("security-", "security"),
    ("servers-", "servers"),
    ("", "schema/property"),
)
REFACTOR = "refactor (no change)"
FAMILIES = (*dict.fromkeys(name for _, name in _FAMILIES), REFACTOR)


@dataclass(frozen=True)
class Case:
    name: str
    mutate: Mutation
    expect: str | None  # a rule that must be reported; None: a refactor, nothing may be
    level: Severity | None = ERR  # the rule's class (None with expect=None)
    base: Path = PROMPTS
    absent: tuple[str, ...] = ()  # rules that must not be reported (the false positive fixed)

    @property
    def family(self) -> str:
        if self.expect is None:
            return REFACTOR
        return next(name for prefix, name in _FAMILIES if self.expect.startswith(prefix))


def run_case(case: Case, folder: Path) -> DiffOutcome:
    """`ctk diff` of the case's document against its mutated copy (written in the same
    format as the original, into `folder`)."""
    return diff_mutated(case.base, case.mutate, folder)


def diff_mutated(base: Path, mutate: Mutation, folder: Path, fmt: str = "") -> DiffOutcome:
    text = base.read_text(encoding="utf-8")
    fmt = fmt or ("json" if base.suffix == ".json" else "yaml")
    data = json.loads(text) if base.suffix == ".json" else yaml.safe_load(text)
    changed = copy.deepcopy(data)
    mutate(changed)
    new = folder / f"new.{fmt}"
    written = (
        json.dumps(changed, indent=1) if fmt == "json" else yaml.safe_dump(changed, sort_keys=False)
    )
    new.write_text(written, encoding="utf-8")
    return diff_specs(str(base), str(new))


# -- edits ---------------------------------------------------------------------------------


def schemas(d: Doc) -> Doc:
    found: Doc = d["components"]["schemas"]
    return found


def operation(d: Doc, path: str, method: str) -> Doc:
    found: Doc = d["paths"][path][method]
    return found


def drop_required(schema: Doc, name: str) -> None:
    schema["required"] = [r for r in schema.get("required", []) if r != name]


def reorder_keys(d: Doc) -> None:
    reordered = json.loads(json.dumps(d, sort_keys=True))
    d.clear()
    d.update(reordered)


def rename_component(d: Doc, old: str, new: str, kind: str = "schemas") -> None:
    """Component `old` called `new`, every reference to it too."""
    d["components"][kind][new] = d["components"][kind].pop(old)
    text = json.dumps(d).replace(f'"#/components/{kind}/{old}"', f'"#/components/{kind}/{new}"')
    d.clear()
    d.update(json.loads(text))


def at(d: Doc, path: Sequence[str | int]) -> Any:
    node: Any = d
    for step in path:
        node = node[step]
    return node


def put(path: Sequence[str | int], value: Any) -> Mutation:
    def mutate(d: Doc) -> None:
        node: Any = d
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = copy.deepcopy(value)

    return mutate


def drop(path: Sequence[str | int]) -> Mutation:
    def mutate(d: Doc) -> None:
        node: Any = d
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]

    return mutate


def both(*steps: Mutation) -> Mutation:
    def mutate(d: Doc) -> None:
        for step in steps:
            step(d)

    return mutate
