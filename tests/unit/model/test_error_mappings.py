"""Error mappings are decided when the code is generated (ADR 0014): each guess is reported
at the schema it concerns, a configured override replaces it (and silences the report), a
bad override is a located error, and the runtime writes errors exactly as the mapping says."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from tests.unit.runtime.conftest import operations_from
from toolkit.cli import cli
from toolkit.config import ErrorMappingOverride
from toolkit.errors import Location, Severity
from toolkit.load import load_document
from toolkit.model.error_mappings import decide_mappings
from toolkit.runtime import HTTPProblem
from toolkit.runtime._errors import ErrorReplier
from toolkit.runtime._reply import Replier
from toolkit.runtime._schemas import Schemas

SPEC = Path(__file__).resolve().parents[2] / "golden" / "error-envelopes" / "spec.yaml"
ERROR = "/components/schemas/Error"
NOT_FOUND = HTTPProblem(404, detail="no thing 7")


def _locate(pointers: Sequence[str]) -> list[Location]:
    return [Location("spec.yaml", pointer=pointer) for pointer in pointers]


def _document() -> dict[str, Any]:
    data: dict[str, Any] = load_document(SPEC).data
    return data


def test_every_guess_is_reported_once_per_schema_with_its_users() -> None:
    decided = decide_mappings(_document(), (), _locate)
    assert sorted(decided.mappings) == [
        "/components/schemas/Envelope",
        ERROR,
        "/paths/~1things~1{id}/get/responses/default/content/application~1json/schema",
    ]
    by_pointer = {d.location.pointer: d for d in decided.diagnostics}
    error = by_pointer[ERROR]
    assert (error.rule, error.severity) == ("error-mapping-guessed", Severity.INFO)
    assert error.message.startswith("errors of GET /things/{id} and 1 more are written")
    assert "code <- code, message <- message or detail or title" in error.message
    assert f'schema = "{ERROR}"' in error.hint


def _render(mappings: dict[str, Any], problem: HTTPProblem) -> Any:
    doc = _document()
    op = next(o for o in operations_from(doc) if o.id == "getThing")
    schemas = Schemas(doc, [r.schema for r in op.responses if r.schema])
    errors = ErrorReplier(op, Replier(op, schemas, False).lookup, schemas, None, mappings)
    status, headers, payload = errors.render(problem, "/things/7", "req-1", None)
    assert dict(headers)[b"content-type"] == b"application/json"
    return status, orjson.loads(payload)


def test_the_runtime_writes_what_the_guess_says() -> None:
    decided = decide_mappings(_document(), (), _locate)
    assert _render(decided.mappings, NOT_FOUND) == (
        404,
        {"code": 404, "message": "no thing 7", "source\"'); import os #": "api"},
    )


def test_an_override_takes_effect_and_is_not_reported_again() -> None:
    override = ErrorMappingOverride(
        ERROR, {"message": "title", "retryable": {"value": False}, "code": "status"}
    )
    decided = decide_mappings(_document(), (override,), _locate)
    assert ERROR not in {d.location.pointer for d in decided.diagnostics}
    assert _render(decided.mappings, NOT_FOUND) == (
        404,
        {
            "code": 404,
            "message": "Not Found",  # the title now, not the detail
            "source\"'); import os #": "api",  # not named: the guess stays
            "retryable": False,
        },
    )


def test_without_a_mapping_the_runtime_guesses_nothing() -> None:
    """The problem does not fit Error and no mapping is given: the runtime sends the
    problem as application/problem+json rather than inventing an envelope."""
    doc = _document()
    op = next(o for o in operations_from(doc) if o.id == "getThing")
    schemas = Schemas(doc, [r.schema for r in op.responses if r.schema])
    errors = ErrorReplier(op, Replier(op, schemas, False).lookup, schemas, None, None)
    _, headers, payload = errors.render(NOT_FOUND, "/things/7", "req-1", None)
    assert dict(headers)[b"content-type"] == b"application/problem+json"
    assert orjson.loads(payload)["detail"] == "no thing 7"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        (ErrorMappingOverride(ERROR, {"nope": "detail"}), "the schema has no property 'nope'"),
        (ErrorMappingOverride(ERROR, {"code": "statuss"}), "code = 'statuss' is no problem member"),
        (ErrorMappingOverride("/components/schemas/Thing", {}), "which no operation documents"),
    ],
)
def test_a_bad_override_is_an_error(override: ErrorMappingOverride, message: str) -> None:
    decided = decide_mappings(_document(), (override,), _locate)
    errors = [d for d in decided.diagnostics if d.severity is Severity.ERROR]
    assert [message in d.message for d in errors] == [True], [d.message for d in errors]


def _generate(tmp_path: Path, config: str) -> tuple[int, str, str]:
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    out = tmp_path / "envelopes"
    result = CliRunner().invoke(
        cli,
        ["generate", str(SPEC), "--out", str(out), "--config", str(tmp_path / "pyproject.toml")],
    )
    app = (out / "app.py").read_text(encoding="utf-8") if (out / "app.py").exists() else ""
    return result.exit_code, result.output, app


def test_ctk_generate_reports_guesses_and_applies_configured_overrides(tmp_path: Path) -> None:
    code, output, app = _generate(tmp_path, "[project]\nname = 'x'\n")
    assert code == 0, output
    assert output.count("error-mapping-guessed") == 3
    assert "'message': {" in app and "'from': ['message', 'detail', 'title']" in app
    config = (
        "[[tool.ctk.generate.error-mappings]]\n"
        f'schema = "{ERROR}"\n'
        'fields = { message = "title", retryable = { value = true } }\n'
    )
    code, output, app = _generate(tmp_path, config)
    assert code == 0, output
    assert output.count("error-mapping-guessed") == 2  # the configured one is confirmed
    mapping = app[app.index("'/components/schemas/Error'") :]
    assert "'message': {'from': ['title']" in mapping
    assert "'retryable': {'else': True}" in mapping
    manifest = json.loads((tmp_path / "envelopes" / "_manifest.json").read_text("utf-8"))
    assert manifest["error-mappings"][0]["schema"] == ERROR  # a config change regenerates


def test_a_bad_override_stops_ctk_generate_with_a_located_error(tmp_path: Path) -> None:
    config = (
        "[[tool.ctk.generate.error-mappings]]\n"
        f'schema = "{ERROR}"\n'
        'fields = { colour = "detail" }\n'
    )
    code, output, _ = _generate(tmp_path, config)
    assert code == 2, output
    assert "the schema has no property 'colour'" in output
    assert "spec.yaml" in output and "Traceback" not in output
