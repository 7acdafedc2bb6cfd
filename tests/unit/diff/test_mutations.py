"""Issue 13's acceptance corpus (`mutations/`): every labelled mutation is found under its
rule and class, refactors report nothing; and the meaning-preserving syntax a case cannot
express (JSON vs YAML, 3.0 `nullable` vs 3.1 type lists, variants matched by coverage)."""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.diff import diff_specs
from toolkit.errors import Severity

from .mutations import CASES, Case, diff_mutated, run_case
from .mutations.kit import CORPUS, PROMPTS, REFACTOR, Doc, at

ERR = Severity.ERROR


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_mutation(case: Case, tmp_path: Path) -> None:
    if not case.base.exists():
        pytest.skip(f"shared corpus not found: {case.base} does not exist (../shared/corpus)")
    outcome = run_case(case, tmp_path)
    found = {(d.rule, d.severity) for d in outcome.diagnostics}
    if case.expect is None:
        assert not outcome.diagnostics, [d.message for d in outcome.diagnostics]
        return
    assert (case.expect, case.level) in found, [(d.rule, d.message) for d in outcome.diagnostics]
    assert not {rule for rule, _ in found} & set(case.absent), outcome.diagnostics
    if case.level is not ERR:  # a compatible or doubtful change is not called breaking
        assert not [d for d in outcome.diagnostics if d.severity is ERR], outcome.diagnostics


def test_30_nullable_and_31_type_list_mean_the_same(tmp_path: Path) -> None:
    old = {
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"type": "object", "properties": {
                "note": {"type": "string", "nullable": True}}}}}}}}}},
    }  # fmt: skip
    new = copy.deepcopy(old)
    new["openapi"] = "3.1.0"
    note = new["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]
    note["schema"]["properties"]["note"] = {"type": ["string", "null"]}
    (tmp_path / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    assert diff_specs(str(tmp_path / "old.json"), str(tmp_path / "new.json")).diagnostics == ()
    note["schema"]["properties"]["note"] = {"type": "string"}  # not nullable any more
    (tmp_path / "new.json").write_text(json.dumps(new), encoding="utf-8")
    found = diff_specs(str(tmp_path / "old.json"), str(tmp_path / "new.json")).diagnostics
    assert [d.rule for d in found] == ["schema-nullable-compatible"]  # a response never null


def test_json_against_yaml_is_no_change(tmp_path: Path) -> None:
    outcome = diff_mutated(PROMPTS, lambda d: None, tmp_path, fmt="json")
    assert outcome.diagnostics == ()


def _version(text: str) -> str:
    data = yaml.safe_load(text)
    return str(data.get("swagger") or data.get("openapi"))


def test_the_corpus_has_its_families() -> None:
    assert len(CASES) >= 80
    refactors = [c for c in CASES if c.expect is None]
    assert len(refactors) >= 8  # and JSON vs YAML, 3.0 nullable vs 3.1 type lists below
    others = [c for c in CASES if c.base != PROMPTS and c.base.name != "3.0-petstore.yaml"]
    assert len(others) >= 25
    if not CORPUS.exists():
        pytest.skip(f"shared corpus not found: {CORPUS} does not exist (../shared/corpus)")
    documents = {c.base: c.base.read_text(encoding="utf-8") for c in others}
    assert len(documents) >= 3
    versions = {_version(text) for text in documents.values()}
    assert "2.0" in versions and "3.1.0" in versions, versions
    assert any("oneOf" in text for text in documents.values())
    assert any("discriminator" in text for text in documents.values())
    families = Counter(c.family for c in others)
    for family in ("operation", "parameter", "schema/property", "request body", "response",
                   "security", "servers", REFACTOR):  # fmt: skip
        assert families[family], family


_VARIANTS: Doc = {
    "openapi": "3.1.0", "info": {"title": "labels", "version": "1"},
    "paths": {"/l": {"post": {
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "properties": {"labels": {"oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
            ]}}}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
            {"type": "object", "properties": {"b": {"type": "integer"}}, "required": ["b"]},
        ]}}}}},
    }}},
}  # fmt: skip
_LABELS = [
    "paths",
    "/l",
    "post",
    "requestBody",
    "content",
    "application/json",
    "schema",
    "properties",
    "labels",
]
_ANSWER = ["paths", "/l", "post", "responses", "200", "content", "application/json", "schema"]


@pytest.mark.parametrize(
    ("name", "mutate", "breaking"),
    [
        # two request variants merged into one that takes both: no client breaks (GitHub labels)
        (
            "merged wider",
            lambda d: at(d, _LABELS).__setitem__(
                "oneOf",
                [
                    {
                        "type": "array",
                        "items": {
                            "anyOf": [
                                {"type": "string"},
                                {"type": "object", "properties": {"name": {"type": "string"}}},
                            ]
                        },
                    }
                ],
            ),
            None,
        ),
        (
            "request variant removed",
            lambda d: at(d, _LABELS)["oneOf"].pop(1),
            "schema-variants-removed",
        ),
        (
            "response variant added",
            lambda d: at(d, _ANSWER)["oneOf"].append(
                {"type": "object", "properties": {"c": {"type": "boolean"}}, "required": ["c"]}
            ),
            "schema-variants-added",
        ),
        ("response variants reordered", lambda d: at(d, _ANSWER)["oneOf"].reverse(), None),
        (
            "request anyOf of requirements: a new constraint",
            lambda d: at(d, _LABELS[:-2]).__setitem__(
                "anyOf", [{"required": ["labels"]}, {"required": ["other"]}]
            ),
            "schema-variants-constrained",
        ),
    ],
)
def test_variants_are_matched_by_coverage(
    name: str, mutate: Callable[[Doc], None], breaking: str | None, tmp_path: Path
) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    changed = copy.deepcopy(_VARIANTS)
    mutate(changed)
    old.write_text(json.dumps(_VARIANTS), encoding="utf-8")
    new.write_text(json.dumps(changed), encoding="utf-8")
    errors = [d.rule for d in diff_specs(str(old), str(new)).diagnostics if d.severity is ERR]
    assert (errors[:1] == [breaking]) if breaking else not errors, (name, errors)


@pytest.mark.parametrize(
    ("schema", "before", "after", "changed"),
    [
        ({"type": "string", "enum": ["true", "false", "legacy"]}, True, "true", False),  # GitHub
        ({"type": "string"}, 1, "1", False),
        ({"type": "number"}, 1, 1.0, False),
        ({"type": "string"}, True, "false", True),
        ({"type": ["string", "integer"]}, 1, "1", True),  # both valid, two values
    ],
)
def test_a_default_is_read_as_its_type(
    schema: Doc, before: Any, after: Any, changed: bool, tmp_path: Path
) -> None:
    def document(default: Any) -> Doc:
        param = {"name": "q", "in": "query", "schema": {**schema, "default": default}}
        return {
            "openapi": "3.1.0", "info": {"title": "defaults", "version": "1"},
            "paths": {"/d": {"get": {"parameters": [param], "responses": {"204": {"description": "ok"}}}}},
        }  # fmt: skip

    (tmp_path / "old.json").write_text(json.dumps(document(before)), encoding="utf-8")
    (tmp_path / "new.json").write_text(json.dumps(document(after)), encoding="utf-8")
    found = diff_specs(str(tmp_path / "old.json"), str(tmp_path / "new.json")).diagnostics
    assert [d.rule for d in found] == (["schema-default-changed"] if changed else [])
