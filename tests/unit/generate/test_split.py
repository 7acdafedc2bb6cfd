"""A large document's models come from two generator runs merged into one module (ADR 0009).

The split is forced on small documents here (`SPLIT_MIN_NODES = 0`) so every case of the
merge runs through the real generator: names decided by ctk, stand-ins, enum copies,
nullable references and classes the generator merged.
"""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.golden._checks import assert_ruff_and_mypy_pass
from toolkit.generate import _split
from toolkit.generate.package import render_package
from toolkit.load import load_document


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _spec(openapi: str = "3.0.3") -> dict[str, Any]:
    nullable: dict[str, Any] = (
        {"type": ["object", "null"]} if openapi.startswith("3.1") else {"nullable": True}
    )
    owner_fields = {f"note{i}": {"type": "string", "maxLength": 10} for i in range(30)}
    return {
        "openapi": openapi,
        "info": {"title": "split", "version": "1"},
        "paths": {
            "/owners": {
                "post": {
                    "operationId": "createOwner",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("Owner")}},
                    },
                    "responses": {
                        "201": {
                            "description": "made",
                            "content": {"application/json": {"schema": _ref("Owner")}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Status": {"type": "string", "enum": ["open", "closed"]},
                "Pet": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {"type": "string"},
                        "permissions": {
                            "type": "object",
                            "properties": {"read": {"type": "boolean"}},
                        },
                        "kind": {"type": "string", "enum": ["cat", "dog"]},
                    },
                },
                "NPet": {**nullable, "properties": {"x": {"type": "integer"}}},
                "Owner": {
                    "type": "object",
                    "required": ["np"],
                    "properties": {
                        "status": {"allOf": [_ref("Status")], "default": "open"},
                        "pet": _ref("Pet"),
                        "np": _ref("NPet"),
                        # AWS writes every property so; the generator cannot resolve it
                        # through a stand-in
                        "favourite": {"allOf": [_ref("Pet"), {"description": "the one"}]},
                        # the same inline enum as Pet's: one class across the parts
                        "kind": {"type": "string", "enum": ["cat", "dog"]},
                        # the same nested name as Pet's, another shape: a second class
                        "permissions": {
                            "type": "object",
                            "properties": {"write": {"type": "boolean"}},
                        },
                        **owner_fields,
                    },
                },
            }
        },
    }


@pytest.fixture
def forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_split, "SPLIT_MIN_NODES", 0)


def _generate(tmp_path: Path, spec: dict[str, Any], package: str = "splitpkg") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    source = tmp_path / "spec.yaml"
    source.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    files = render_package(load_document(source), package).files
    out = tmp_path / "pkgs" / package
    out.mkdir(parents=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    return out


def test_partition_keeps_part_a_closed_under_refs_and_stands_in_for_it(forced: None) -> None:
    schemas = _spec()["components"]["schemas"]
    parts = _split.partition(schemas, openapi31=False)
    assert len(parts) == 2
    a, b = parts
    assert "Owner" in b.schemas and "Owner" not in a.schemas
    assert {"Status", "Pet", "NPet"} <= set(a.schemas)
    # what B uses of A: the enum copied whole, the others as imports
    assert b.copies == {"Status"} and b.schemas["Status"] == schemas["Status"]
    assert b.schemas["Pet"] == {"x-python-import": {"module": "_ctk_part_a", "name": "Pet"}}
    # a reference to a nullable schema says so where it is used
    assert b.schemas["Owner"]["properties"]["np"] == {"allOf": [_ref("NPet")], "nullable": True}
    assert schemas["Owner"]["properties"]["np"] == _ref("NPet")  # the input is untouched


def test_partition_keeps_a_cycle_in_one_part(forced: None) -> None:
    many = {f"p{i}": {"type": "string"} for i in range(9)}
    schemas = {
        "A": {"type": "object", "properties": {"b": _ref("B"), **many}},
        "B": {"type": "object", "properties": {"a": _ref("A"), **many}},
        "C": {"type": "object", "properties": {"a": _ref("A")}},
    }
    parts = _split.partition(schemas, openapi31=True)
    assert len(parts) == 2
    assert set(parts[0].schemas) == {"A", "B"}
    assert set(parts[1].schemas) == {"A", "C"} and "x-python-import" in parts[1].schemas["A"]


def test_partition_marks_nullable_references_the_3_1_way(forced: None) -> None:
    schemas = _spec("3.1.0")["components"]["schemas"]
    parts = _split.partition(schemas, openapi31=True)
    assert len(parts) == 2
    np = parts[1].schemas["Owner"]["properties"]["np"]
    assert np == {"anyOf": [_ref("NPet"), {"type": "null"}]}


def test_partition_leaves_small_documents_whole() -> None:
    schemas = _spec()["components"]["schemas"]
    parts = _split.partition(schemas, openapi31=False)
    assert len(parts) == 1 and parts[0].schemas is schemas and not parts[0].copies


@pytest.mark.parametrize("openapi", ["3.0.3", "3.1.0"])
def test_split_models_behave_like_the_schemas(
    forced: None, tmp_path: Path, openapi: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _generate(tmp_path, _spec(openapi), package=f"split{openapi[2]}")
    text = (out / "models.py").read_text(encoding="utf-8")
    assert "QzA" not in text and "QzB" not in text and "_ctk_part_a" not in text
    assert text.count("class Status(") == 1  # the copy in part B is dropped
    monkeypatch.syspath_prepend(str(out.parent))
    models = importlib.import_module(f"{out.name}.models")
    owner = models.Owner.model_validate({"np": None})
    assert owner.np is None  # nullable through the stand-in
    assert owner.status is models.Status.open  # enum default, as a member
    # both nested `permissions` shapes exist, under names ctk chose
    fields = models.Owner.model_fields["permissions"].annotation
    assert "write" in str(models.Owner.model_validate({"np": None, "permissions": {"write": 1}}))
    assert fields is not None
    favourite = models.Owner.model_validate({"np": None, "favourite": {"name": "rex"}})
    assert type(favourite.favourite) is models.Pet
    assert models.Owner.model_fields["favourite"].description == "the one"
    kinds = {
        models.Owner.model_fields["kind"].annotation,
        models.Pet.model_fields["kind"].annotation,
    }
    assert len(kinds) == 1, kinds
    pet = models.Pet.model_validate({"name": "rex", "permissions": {"read": True}})
    assert pet.permissions.read is True
    assert (
        type(pet.permissions).__name__
        != type(models.Owner.model_validate({"np": None, "permissions": {}}).permissions).__name__
    )


_FORKED = """
import sys
from pathlib import Path
from toolkit.generate import _fork, _split
from toolkit.generate.package import render_package
from toolkit.load import load_document
_split.SPLIT_MIN_NODES = 0
assert _fork._fork_is_safe(), "a fresh interpreter is expected to fork"
files = render_package(load_document(sys.argv[1]), "splitpkg").files
Path(sys.argv[2]).write_text(files["models.py"], encoding="utf-8")
"""


def test_split_output_passes_ruff_and_mypy_and_is_the_same_without_fork(
    forced: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CTK_NO_FORK", "1")
    out = _generate(tmp_path, _spec())
    # the same document in a fresh interpreter, where both runs are forked children
    forked = tmp_path / "forked.py"
    env = {k: v for k, v in os.environ.items() if k != "CTK_NO_FORK"}
    done = subprocess.run(
        [sys.executable, "-c", _FORKED, str(tmp_path / "spec.yaml"), str(forked)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert forked.read_bytes() == (out / "models.py").read_bytes()
    assert_ruff_and_mypy_pass(out)


def test_generator_messages_name_the_schemas_not_the_marked_copies() -> None:
    message = "Error at schema path '#/components/schemas/QzcPet': QzAQzcPet, QzBQzBOwnerEnum"
    assert (
        _split.unmarked(message)
        == "Error at schema path '#/components/schemas/Pet': Pet, OwnerEnum"
    )
