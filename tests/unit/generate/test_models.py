"""What datamodel-code-generator is given: renamed and hoisted schemas, the bundle untouched."""

from __future__ import annotations

import ast
import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from toolkit.generate import render_package
from toolkit.generate.models import (
    GenerateError,
    Models,
    Prepared,
    _defined_names,
    _narrowed,
    prepare,
    render_models,
)
from toolkit.load import bundle_document, load_document
from toolkit.model import build_api

GOLDEN = Path(__file__).parents[2] / "golden"

SPEC = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      operationId: add-pet
      requestBody:
        content:
          application/json: &body
            schema:
              type: object
              properties:
                OWNER
      responses:
        "201":
          description: made
          content:
            application/json:
              schema: {$ref: '#/components/schemas/pet-owner'}
    put:
      operationId: replace-pet
      requestBody:
        content:
          application/json: *body
      responses:
        "204": {description: done}
components:
  schemas:
    pet-owner:
      type: object
      properties:
        friend: {$ref: '#/components/schemas/pet-owner'}
        tags: {type: array, items: {type: string}}
"""


REF = "owner: {$ref: '#/components/schemas/pet-owner'}"


def _prepared(tmp_path: Path, owner: str = REF) -> tuple[dict[str, Any], Prepared, Models]:
    path = tmp_path / "api.yaml"
    path.write_text(SPEC.replace("OWNER", owner), encoding="utf-8")
    document = load_document(path)
    bundle = bundle_document(document)
    before = copy.deepcopy(bundle.data)
    api = build_api(document, bundle)
    prepared = prepare(bundle.data, api)
    models = render_models(bundle.data, api, str(path))
    assert bundle.data == before, "the bundle (served as openapi.json) must not change"
    return bundle.data, prepared, models


POST = "/paths/~1pets/post/requestBody/content/application~1json/schema"
PUT = "/paths/~1pets/put/requestBody/content/application~1json/schema"


def test_refs_are_renamed_and_bodies_hoisted_on_a_copy(tmp_path: Path) -> None:
    data, prepared, models = _prepared(tmp_path)
    doc = prepared.doc
    schemas = doc["components"]["schemas"]
    assert list(schemas) == ["PetOwner", "Inline", "Inline2"]
    assert schemas["PetOwner"]["properties"]["friend"] == {"$ref": "#/components/schemas/PetOwner"}
    assert schemas["Inline"]["properties"]["owner"] == {"$ref": "#/components/schemas/PetOwner"}
    body = doc["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Inline2"}  # (a YAML alias)
    # each place maps back to where it is in the user's document ...
    assert prepared.original("/components/schemas/Inline/properties/x") == PUT + "/properties/x"
    assert prepared.original("/components/schemas/PetOwner") == "/components/schemas/pet-owner"
    # ... which is what names the classes (ADR 0015), not the keys the generator saw
    assert models.classes == {
        POST: "AddPetRequest",
        PUT: "ReplacePetRequest",
        "/paths/~1pets/post/responses/201/content/application~1json/schema": "PetOwner",
    }
    # outside the schemas (which `adjust` edits in place, so they are copied), what nothing
    # changed is shared with the bundle, not copied
    assert doc["info"] is data["info"]
    tags = schemas["PetOwner"]["properties"]["tags"]
    original = data["components"]["schemas"]["pet-owner"]["properties"]["tags"]
    assert tags == original and tags is not original


@pytest.mark.parametrize("owner", [REF, "owner: {type: string}"], ids=["renamed", "unchanged"])
def test_a_shared_yaml_alias_is_changed_once_as_on_a_deep_copy(tmp_path: Path, owner: str) -> None:
    _, prepared, models = _prepared(tmp_path, owner)
    doc = prepared.doc
    post = doc["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]
    put = doc["paths"]["/pets"]["put"]["requestBody"]["content"]["application/json"]
    # the copy of the aliased body is shared as the alias was: the second operation finds
    # the first one's hoisted schema already replaced, as on a deep copy changed in place
    assert post is put
    schemas = doc["components"]["schemas"]
    assert schemas["Inline2"] == {"$ref": "#/components/schemas/Inline"}
    assert "class AddPetRequest(RootModel[ReplacePetRequest])" in models.text


@pytest.mark.parametrize("models", sorted(GOLDEN.glob("*/expected/models.py")), ids=str)
def test_defined_names_match_the_syntax_tree(models: Path) -> None:
    text = models.read_text(encoding="utf-8")
    expected: set[str] = set()
    for node in ast.parse(text).body:
        if isinstance(node, ast.ClassDef):
            expected.add(node.name)
        elif isinstance(node, ast.Assign):
            expected.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            expected.add(node.target.id)
    assert _defined_names(text) == expected
    assert expected


BROKEN = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Pet: {type: object, properties: [name]}
"""


def test_a_generator_failure_is_a_generate_error(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(GenerateError, match=r"datamodel-code-generator failed: .*Pet") as caught:
        render_package(load_document(path), "pkg")
    assert caught.value.hint.startswith("lint the spec")


def test_the_generator_is_given_schemas_only_unless_a_ref_leads_elsewhere() -> None:
    schemas = {"Pet": {"type": "object"}, "Box": {"$ref": "#/components/schemas/Pet"}}
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {}}}},
        "components": {"schemas": schemas, "parameters": {"p": {"name": "p", "in": "query"}}},
        "x-ctk-bundled": {"Aside": {"type": "string"}},
    }
    assert _narrowed(doc) == {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": schemas},
        "x-ctk-bundled": {"Aside": {"type": "string"}},
    }
    for ref in ("#/paths/~1a/get", "#/%70aths/x", "other.yaml#/X"):
        schemas["Box"] = {"$ref": ref}
        assert _narrowed(doc) is doc, ref
    schemas["Box"] = {"$ref": "#/x-ctk-bundled/Aside"}
    assert "paths" not in _narrowed(doc)
    # another component (GitHub's schemas refer to examples): that entry comes along
    schemas["Box"] = {"$ref": "#/components/parameters/p"}
    narrowed = _narrowed(doc)
    assert narrowed["components"] == {
        "schemas": schemas,
        "parameters": {"p": doc["components"]["parameters"]["p"]},
    }
    assert "paths" not in narrowed


def test_models_do_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The generator's formatter reads line length (and more) from ./pyproject.toml; ctk
    pins them, so a run from a project with other settings writes the same bytes."""
    spec = tmp_path / "api.yaml"
    spec.write_text(SPEC.replace("OWNER", REF), encoding="utf-8")
    outputs = []
    for name, pyproject in (("plain", ""), ("narrow", NARROW_PYPROJECT)):
        cwd = tmp_path / name
        cwd.mkdir()
        (cwd / "pyproject.toml").write_text(pyproject, encoding="utf-8")
        monkeypatch.chdir(cwd)
        models = render_models(*_inputs(spec))
        outputs.append(models.text)
    assert outputs[0] == outputs[1]
    assert max(len(line) for line in outputs[0].splitlines()) > 40  # the narrow one would wrap


NARROW_PYPROJECT = """\
[tool.black]
line-length = 40
skip-string-normalization = true

[tool.ruff]
line-length = 40
"""


def _inputs(spec: Path) -> tuple[dict[str, Any], Any, str]:
    document = load_document(spec)
    bundle = bundle_document(document)
    return bundle.data, build_api(document, bundle), str(spec)


def test_generator_warnings_do_not_reach_the_user(tmp_path: Path) -> None:
    """datamodel-code-generator warns that AnyUrl takes no pattern; the runtime checks the
    pattern anyway, and the warning named internal copies of the schemas."""
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n"
        "  schemas:\n    Link:\n      type: object\n      properties:\n"
        "        href: {type: string, format: uri, pattern: '^https:'}\n"
        "        nwo: {type: string, format: repo.nwo}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "toolkit", "generate", str(spec), "--out", str(tmp_path / "w")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "class Link(BaseModel)" in (tmp_path / "w" / "models.py").read_text(encoding="utf-8")
