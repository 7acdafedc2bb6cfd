"""Bundling a multi-file spec: deterministic, valid, and every pointer maps back to its file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from openapi_spec_validator import validate

from toolkit import pointer as jp
from toolkit.errors import LoadError
from toolkit.load import bundle_document, load_document
from toolkit.load.bundle import BUNDLED_AREA, Bundle, dump_bundle, json_text

API = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: the pets
          content:
            application/json:
              schema:
                $ref: schemas/pet.yaml#/Pet
                description: a $ref with a sibling keeps it
  /trees:
    get:
      operationId: listTrees
      responses:
        "200":
          description: the trees
          content:
            application/json:
              schema: {type: array, items: {$ref: schemas/tree.yaml}}
  /cats:
    get:
      operationId: listCats
      responses:
        "200":
          $ref: schemas/responses.yaml#/Ok
          description: a non-schema $ref with a sibling is set aside
components:
  schemas:
    Pet: {$ref: schemas/pet.yaml#/Pet}
    Tree: {$ref: schemas/tree.yaml}
    Name: {type: string}
"""

PET = """\
Pet:
  type: object
  required: [name]
  properties:
    name: {$ref: ../api.yaml#/components/schemas/Name}
    tags: {type: array, items: {$ref: '#/Tag'}}
    home: {$ref: tree.yaml}
Tag: {type: string, enum: [a, b]}
"""

TREE = """\
type: object
properties:
  label: {type: string}
  children:
    type: array
    items: {$ref: '#'}
  owner: {$ref: pet.yaml#/Pet}
"""

RESPONSES = """\
Ok: {description: ok}
"""


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    (tmp_path / "schemas").mkdir()
    (tmp_path / "api.yaml").write_text(API, encoding="utf-8")
    (tmp_path / "schemas" / "pet.yaml").write_text(PET, encoding="utf-8")
    (tmp_path / "schemas" / "tree.yaml").write_text(TREE, encoding="utf-8")
    (tmp_path / "schemas" / "responses.yaml").write_text(RESPONSES, encoding="utf-8")
    return tmp_path / "api.yaml"


def bundled(spec: Path) -> Bundle:
    return bundle_document(load_document(spec))


def refs(data: Any, at: str = "") -> list[tuple[str, str]]:
    """Every (pointer, $ref) in data."""
    found: list[tuple[str, str]] = []
    if isinstance(data, dict):
        if isinstance(data.get("$ref"), str):
            found.append((at, data["$ref"]))
        for key, value in data.items():
            found.extend(refs(value, jp.join(at, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(refs(value, jp.join(at, index)))
    return found


def test_bundle_is_deterministic(spec: Path) -> None:
    for fmt in ("json", "yaml"):
        first = dump_bundle(bundled(spec), fmt)
        second = dump_bundle(bundled(spec), fmt)
        assert first == second
        assert first.endswith("\n")


def test_bundle_does_not_depend_on_the_hash_seed(spec: Path, tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"bundle-{seed}.yaml"
        subprocess.run(
            [sys.executable, "-m", "toolkit", "bundle", str(spec), "-o", str(out)],
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            capture_output=True,
            timeout=30,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_bundle_is_valid_openapi(spec: Path) -> None:
    validate(bundled(spec).data)


def test_bundle_has_only_internal_refs_that_resolve(spec: Path) -> None:
    data = bundled(spec).data
    found = refs(data)
    assert found
    for site, ref in found:
        assert ref.startswith("#"), (site, ref)
        jp.resolve(data, unquote(ref[1:]))


def test_bundle_shape(spec: Path) -> None:
    data = bundled(spec).data
    schemas = data["components"]["schemas"]
    media = data["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]
    # an external schema becomes a named component; a $ref with a sibling keeps it
    assert media["schema"] == {
        "$ref": "#/components/schemas/Pet",
        "description": "a $ref with a sibling keeps it",
    }
    # the root's `Pet: {$ref: pet.yaml#/Pet}` slot is where the target is inlined
    pet = schemas["Pet"]
    assert pet["required"] == ["name"]
    # a ref back into the root file stays a ref to the root's own component
    assert pet["properties"]["name"] == {"$ref": "#/components/schemas/Name"}
    # a file-local ref of pet.yaml becomes a component of its own, named after it
    assert pet["properties"]["tags"]["items"] == {"$ref": "#/components/schemas/Tag"}
    assert schemas["Tag"] == {"type": "string", "enum": ["a", "b"]}
    # the recursive tree lives in its reserved slot; its self-reference points there
    assert pet["properties"]["home"] == {"$ref": "#/components/schemas/Tree"}
    tree = schemas["Tree"]
    assert tree["properties"]["children"]["items"] == {"$ref": "#/components/schemas/Tree"}
    assert tree["properties"]["owner"] == {"$ref": "#/components/schemas/Pet"}
    items = data["paths"]["/trees"]["get"]["responses"]["200"]["content"]["application/json"]
    assert items["schema"]["items"] == {"$ref": "#/components/schemas/Tree"}
    # a non-schema $ref with siblings points at a copy set aside, and keeps its sibling
    cats = data["paths"]["/cats"]["get"]["responses"]["200"]
    assert cats == {
        "$ref": f"#/{BUNDLED_AREA}/responses_Ok",
        "description": "a non-schema $ref with a sibling is set aside",
    }
    assert data[BUNDLED_AREA]["responses_Ok"] == {"description": "ok"}
    validate(data)


def test_origin_maps_bundle_pointers_back_to_files(spec: Path) -> None:
    bundle = bundled(spec)
    root = str(spec.absolute())
    pet = str(spec.parent.resolve() / "schemas" / "pet.yaml")
    tree = str(spec.parent.resolve() / "schemas" / "tree.yaml")
    home = "/components/schemas/Pet"
    assert bundle.origin(home) == (pet, "/Pet")
    assert bundle.origin(home + "/properties/name") == (pet, "/Pet/properties/name")
    assert bundle.origin("/components/schemas/Tag") == (pet, "/Tag")
    assert bundle.origin("/components/schemas/Tag/enum/1") == (pet, "/Tag/enum/1")
    assert bundle.origin("/components/schemas/Tree") == (tree, "")
    assert bundle.origin("/components/schemas/Tree/properties/label/type") == (
        tree,
        "/properties/label/type",
    )
    assert bundle.origin("/components/schemas/Name") == (root, "/components/schemas/Name")
    assert bundle.origin("/paths/~1pets/get/operationId") == (root, "/paths/~1pets/get/operationId")
    assert bundle.origin("") == (root, "")


def test_origin_pointers_exist_in_their_files(spec: Path) -> None:
    document = load_document(spec)
    bundle = bundle_document(document)
    assert bundle.origins
    for out_ptr in bundle.origins:
        probe = out_ptr + ("/type" if "type" in jp.resolve(bundle.data, out_ptr) else "")
        uri, pointer = bundle.origin(probe)
        source = document.resolver.files[uri]
        assert jp.resolve(source.data, pointer) == jp.resolve(bundle.data, probe)


def test_single_file_bundle_is_the_document(tmp_path: Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "utf-8")
    document = load_document(path)
    bundle = bundle_document(document)
    assert bundle.data is document.data
    assert bundle.origin("/info/title") == (str(path.absolute()), "/info/title")


def test_existing_bundled_area_is_kept_and_not_overwritten(spec: Path) -> None:
    spec.write_text(
        API + f"{BUNDLED_AREA}:\n  responses_Ok: {{description: mine}}\n", encoding="utf-8"
    )
    data = bundled(spec).data
    assert data[BUNDLED_AREA]["responses_Ok"] == {"description": "mine"}
    assert data[BUNDLED_AREA]["responses_Ok_2"] == {"description": "ok"}
    validate(data)


def test_bundled_area_that_is_not_a_mapping_is_refused(spec: Path) -> None:
    spec.write_text(API + f"{BUNDLED_AREA}: 5\n", encoding="utf-8")
    with pytest.raises(LoadError, match="must be a mapping") as info:
        bundled(spec)
    assert info.value.location is not None
    assert info.value.location.line == API.count("\n") + 1


def test_yaml_dump_has_no_anchors_and_round_trips(spec: Path) -> None:
    bundle = bundled(spec)
    text = dump_bundle(bundle, "yaml")
    assert "&id" not in text
    assert "*id" not in text
    assert yaml.safe_load(text) == bundle.data


def test_json_dump_keeps_unicode(tmp_path: Path) -> None:
    path = tmp_path / "u.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            openapi: 3.1.0
            info: {title: "Café ☕", version: "1"}
            paths: {}
            """
        ),
        encoding="utf-8",
    )
    assert '"title": "Café ☕"' in dump_bundle(bundle_document(load_document(path)), "json")


@pytest.mark.parametrize(
    "data",
    [
        {"a": 1, "b": [True, None, 'é\u2028\x00\x1f\t"\\/'], "c": {}, "d": [], "e": [{}]},
        {"float": [0.1, 1.5, 100.0, 1e-7, 1e16, 1e22, 5e-324, float("inf"), float("nan")]},
        {"big": [2**63 - 1, -(2**63), 2**64 - 1, 2**64, -(2**63) - 1, 10**30]},
        {1: "integer key", False: "boolean key", None: "null key"},
        {"surrogate": "\ud800"},
        [],
        "text",
    ],
    ids=["plain", "floats", "big-ints", "non-str-keys", "surrogate", "list", "scalar"],
)
def test_json_text_is_json_dumps_byte_for_byte(data: object) -> None:
    assert json_text(data) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
