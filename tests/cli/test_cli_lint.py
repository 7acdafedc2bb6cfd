"""`ctk lint` and `ctk bundle` through click's CliRunner: exit code and output together."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "specs" / "prompt-library.yaml"

BAD = """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /getThings:
    get:
      responses:
        "200": {description: ok}
"""


@pytest.fixture(autouse=True)
def _outside_the_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The repo's own pyproject.toml sets [tool.ctk]; tests must not depend on it."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def bad_spec(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_reference_spec_lints_clean() -> None:
    code, output = run("lint", str(REFERENCE), "--fail-on", "info")
    assert code == 0, output
    assert output.startswith("No findings in 1 file")


def test_text_report_snapshot(bad_spec: Path) -> None:
    code, output = run("lint", str(bad_spec), "--rule", "oas-structure=off")
    assert code == 1
    # Stable part of the report: the first finding, its snippet and the hint.
    expected_head = textwrap.dedent(
        f"""\
        {bad_spec}:1:1  warning  servers-defined  no `servers` are declared
            1 | openapi: 3.1.0
              | ^
            2 | info: {{title: T, version: "1"}}
          hint: add `servers` with at least one url
        """
    )
    assert output.startswith(expected_head), output
    assert "error  operation-id-missing  GET /getThings has no operationId" in output
    assert output.rstrip().splitlines()[-1].startswith("1 error, 5 warnings, 4 info in 1 file (")


def test_fail_on_controls_exit_code(bad_spec: Path) -> None:
    only_warnings = ["--rule", "operation-id-missing=warning"]
    assert run("lint", str(bad_spec), *only_warnings)[0] == 0
    assert run("lint", str(bad_spec), *only_warnings, "--fail-on", "warning")[0] == 1


def test_json_format(bad_spec: Path) -> None:
    code, output = run("lint", str(bad_spec), "-f", "json")
    report = json.loads(output)
    assert code == 1
    rules = {d["rule"] for d in report["diagnostics"]}
    assert {"operation-id-missing", "path-no-verbs", "operation-4xx-response"} <= rules
    assert all(d["line"] for d in report["diagnostics"])


def test_output_file_and_sarif(bad_spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    code, output = run("lint", str(bad_spec), "-f", "sarif", "-o", str(out))
    assert code == 1
    assert output == ""
    sarif = json.loads(out.read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"]


def test_config_from_pyproject(bad_spec: Path, tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text(
        textwrap.dedent(
            """\
            [tool.ctk.lint]
            fail-on = "error"
            rules = { "operation-id-missing" = "off", "oas-structure" = "off" }
            """
        ),
        encoding="utf-8",
    )
    code, output = run("lint", str(bad_spec), "--config", str(config))
    assert code == 0, output
    assert "operation-id-missing" not in output


def test_inline_ignore(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(BAD.replace("    get:\n", "    x-ctk-ignore: [path-no-verbs]\n    get:\n"))
    _, output = run("lint", str(spec), "-f", "json")
    rules = {d["rule"] for d in json.loads(output)["diagnostics"]}
    assert "path-no-verbs" not in rules
    assert "operation-id-missing" in rules


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lint"], "give at least one SPEC"),
        (["lint", "x.yaml", "--fail-on", "fatal"], "Invalid value for '--fail-on'"),
        (["lint", "x.yaml", "--rule", "nope=error"], "unknown rule 'nope'"),
        (["lint", "x.yaml", "--rule", "path-casing"], "--rule expects ID=LEVEL"),
        (["lint", "x.yaml", "--format", "xml"], "Invalid value for '-f' / '--format'"),
        (["lint", "does-not-exist.yaml"], "does-not-exist.yaml: file not found"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_errors_exit_2(args: list[str], message: str) -> None:
    code, output = run(*args)
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_list_rules() -> None:
    code, output = run("lint", "--list-rules")
    assert code == 0
    assert len(output.splitlines()) >= 25
    assert "example-valid" in output


def test_bundle_writes_once_and_refuses_to_overwrite(tmp_path: Path) -> None:
    (tmp_path / "schemas.yaml").write_text("Pet:\n  type: object\n", encoding="utf-8")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        BAD.replace(
            '"200": {description: ok}',
            '"200": {description: ok, content: {application/json: {schema: {$ref: "schemas.yaml#/Pet"}}}}',
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out" / "bundled.json"
    code, output = run("bundle", str(spec), "-o", str(out))
    assert code == 0, output
    bundled = json.loads(out.read_text(encoding="utf-8"))
    media = bundled["paths"]["/getThings"]["get"]["responses"]["200"]["content"]
    assert media["application/json"]["schema"] == {"$ref": "#/components/schemas/Pet"}
    assert bundled["components"]["schemas"]["Pet"] == {"type": "object"}
    assert run("bundle", str(spec), "-o", str(out))[0] == 0  # identical: nothing to do
    out.write_text("{}", encoding="utf-8")
    code, output = run("bundle", str(spec), "-o", str(out))
    assert code == 2
    assert "pass --force" in output
    assert out.read_text(encoding="utf-8") == "{}"
    assert run("bundle", str(spec), "-o", str(out), "--force")[0] == 0
