"""`ctk check` end to end with CliRunner: green on the reference service, exit 1 with the
failure located in the report for each planted bug, exit 2 for bad configuration."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "prompt-library.yaml"
PACT = ROOT / "contracts" / "prompt-cli-prompt-library.json"
APP = "examples.prompt_library:unlimited_app"
KEY = "X-API-Key: dev-key"


@pytest.fixture(autouse=True)
def _own_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test's reference service on its own SQLite file, built afresh and closed after
    (`ctk contract verify --impl` leaves a service's pool to the process's exit)."""
    import examples.prompt_library as module

    monkeypatch.setenv("PROMPT_LIBRARY_DB", str(tmp_path / "prompts.sqlite3"))
    for name in ("service", "app", "unlimited_app"):
        monkeypatch.delitem(vars(module), name, raising=False)
    yield
    built = vars(module).get("service")
    if built is not None:
        asyncio.run(built.aclose())


def _project(tmp_path: Path, *, check: str, contract: bool = False) -> Path:
    """A pyproject.toml of its own: only [tool.ctk.check] (and the reference provider)."""
    text = f"[tool.ctk.check]\n{check}\n"
    if contract:
        text += (
            "[tool.ctk.contract]\n"
            f'spec = "{SPEC}"\nimpl = "examples.prompt_library:service"\n'
            'states = "examples.prompt_library.states"\n'
            'verifier = "examples.prompt_library.states:dev_verifier"\n'
            'package = "generated.prompt_library"\n'
        )
    path = tmp_path / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _api(
    spec: Path, app: str | None = APP, pacts: Path | None = None, name: str = "prompts"
) -> str:
    fields = [f'name = "{name}"', f'spec = "{spec}"', f'headers = ["{KEY}"]']
    if app:
        fields.append(f'app = "{app}"')
    if pacts:
        fields.append(f'pacts = ["{pacts}"]')
    return "[[tool.ctk.check.apis]]\n" + "\n".join(fields) + "\n"


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["check", *args])


def _report(out: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return data


def _stage(report: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in report["stages"] if s["stage"] == name)
    return found


def _junit_matches(out: Path, report: dict[str, Any]) -> None:
    """Every stage is one testsuite whose counts are the report's."""
    suites = ET.parse(out / "junit.xml").getroot().findall("testsuite")
    assert [s.get("name") for s in suites] == [
        f"{s['api']}: {s['stage']}" for s in report["stages"]
    ]
    for suite, stage in zip(suites, report["stages"], strict=True):
        cases = suite.findall("testcase")
        failed = [c for c in cases if c.find("failure") is not None]
        skipped = [c for c in cases if c.find("skipped") is not None]
        assert int(suite.get("tests", "-1")) == len(cases)
        assert int(suite.get("failures", "-1")) == len(failed) == stage["failures"]
        assert len(skipped) == (1 if stage["status"] == "skipped" else 0)
        if stage["status"] != "skipped":
            assert len(cases) == stage["tests"]


def test_the_reference_service_passes_every_stage(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = _run("--fast", "--base", "HEAD", "--out", str(out))
    assert result.exit_code == 0, result.output
    report = _report(out)
    assert [(s["stage"], s["status"]) for s in report["stages"]] == [
        (stage, "passed")
        for stage in ("lint", "generated", "diff", "start", "fuzz", "pacts", "pact-spec", "drift")
    ]
    assert _stage(report, "pacts")["tests"] == len(json.loads(PACT.read_text())["interactions"])
    assert _stage(report, "fuzz")["fuzz"]["cases"] > 100
    _junit_matches(out, report)
    sarif = json.loads((out / "sarif.json").read_text())
    assert [r["automationDetails"]["id"] for r in sarif["runs"]] == [
        f"ctk-check/prompt-library/{stage}/" for stage in ("lint", "diff", "pact-spec")
    ]
    assert "passed: 8 passed, 0 failed, 0 skipped" in result.output
    html = (out / "report.html").read_text()
    assert (
        "id='verdict'>passed<" in html
        and "<script" not in html
        and "http" not in html.split("<body>")[0]
    )


def test_a_schema_violating_response_fails_fuzz_with_its_spec_location(tmp_path: Path) -> None:
    config = _project(tmp_path, check=_api(SPEC, "tests.cli.check_planted:corrupting_app"))
    out = tmp_path / "report"
    result = _run("--config", str(config), "--stages", "fuzz", "--fast", "--out", str(out))
    assert result.exit_code == 1, result.output
    fuzz = _stage(_report(out), "fuzz")
    assert fuzz["status"] == "failed"
    failed = [c["name"] for c in fuzz["cases"] if not c["passed"]]
    assert "GET /prompts/{prompt_id}" in failed
    bugs = [f for f in fuzz["fuzz"]["findings"] if f["verdict"] == "implementation-bug"]
    assert bugs and all(f["operation"] == "GET /prompts/{prompt_id}" for f in bugs)
    where = bugs[0]["location"]
    assert where["file"].endswith("prompt-library.yaml") and where["line"]
    html = (out / "report.html").read_text()
    assert "GET /prompts/{prompt_id}" in html and f"prompt-library.yaml:{where['line']}" in html
    assert "curl" in bugs[0]["curl"] and "ctk fuzz --replay" in html
    _junit_matches(out, _report(out))


def test_a_broken_pact_expectation_fails_both_pact_stages(tmp_path: Path) -> None:
    pacts = tmp_path / "contracts"
    pacts.mkdir()
    pact = json.loads(PACT.read_text())
    missing = next(i for i in pact["interactions"] if i["description"] == "get a missing prompt")
    missing["response"]["status"] = 410  # the provider answers 404, as the spec says
    (pacts / PACT.name).write_text(json.dumps(pact))
    config = _project(tmp_path, check=_api(SPEC, pacts=pacts), contract=True)
    out = tmp_path / "report"
    result = _run("--config", str(config), "--stages", "pacts,pact-spec", "--out", str(out))
    assert result.exit_code == 1, result.output
    report = _report(out)
    verified = _stage(report, "pacts")
    assert verified["status"] == "failed" and verified["failures"] == 1
    (case,) = [c for c in verified["cases"] if not c["passed"]]
    assert case["name"] == "prompt-cli: get a missing prompt" and "410" in case["detail"]
    offline = _stage(report, "pact-spec")
    assert offline["status"] == "failed"
    located = [c for c in offline["cases"] if not c["passed"]]
    assert located and located[0]["location"]["file"].endswith(PACT.name)
    html = (out / "report.html").read_text()
    assert "get a missing prompt" in html and "410" in html
    _junit_matches(out, report)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_an_operation_removed_against_the_base_is_breaking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    spec = repo / "specs" / "api.yaml"
    shutil.copy(SPEC, spec)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    document = yaml.safe_load(spec.read_text())
    del document["paths"]["/prompts/{prompt_id}"]["delete"]
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    config = _project(repo, check=_api(Path("specs/api.yaml"), app=None))
    monkeypatch.chdir(repo)
    out = repo / "report"
    result = _run(
        "--config", str(config), "--stages", "lint,diff", "--base", "HEAD", "--out", str(out)
    )
    assert result.exit_code == 1, result.output
    diff = _stage(_report(out), "diff")
    assert diff["status"] == "failed"
    (removed,) = [c for c in diff["cases"] if c["name"].startswith("operation-removed")]
    assert not removed["passed"] and removed["location"]["text"].startswith(
        "git:HEAD:specs/api.yaml:"
    )
    assert "delete:" in removed["snippet"]
    html = (out / "report.html").read_text()
    assert "operation-removed" in html and "git:HEAD:specs/api.yaml:" in html


def test_without_a_base_or_pacts_those_stages_say_why_they_were_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _project(tmp_path, check=_api(SPEC, app=None))
    monkeypatch.chdir(tmp_path)  # not a git repository
    out = tmp_path / "report"
    result = _run("--config", str(config), "--stages", "diff,pacts,drift", "--out", str(out))
    assert result.exit_code == 0, result.output
    report = _report(out)
    reasons = {s["stage"]: (s["status"], s["reason"]) for s in report["stages"]}
    assert reasons == {
        "diff": ("skipped", "not a git repository"),
        "pacts": ("skipped", "no pact files (contracts/ is empty or missing)"),
        "drift": ("skipped", "no app: set app in [[tool.ctk.check.apis]] or [tool.ctk.fuzz]"),
    }
    _junit_matches(out, report)


def test_a_route_the_spec_lacks_is_drift(tmp_path: Path) -> None:
    document = yaml.safe_load(SPEC.read_text())
    del document["paths"]["/prompts/{prompt_id}"]["delete"]
    spec = tmp_path / "narrower.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    config = _project(tmp_path, check=_api(spec))
    out = tmp_path / "report"
    result = _run("--config", str(config), "--stages", "start,drift", "--out", str(out))
    assert result.exit_code == 1, result.output
    drift = _stage(_report(out), "drift")
    failed = [(c["name"], c["message"]) for c in drift["cases"] if not c["passed"]]
    assert failed == [
        (
            "DELETE /prompts/{prompt_id}",
            "undeclared-route: in the app's route table, not in the spec",
        )
    ]
    assert "undeclared-route" in (out / "report.html").read_text()


def test_drift_probes_an_app_that_lists_no_routes(tmp_path: Path) -> None:
    config = _project(tmp_path, check=_api(SPEC, "tests.cli.check_planted:opaque_app"))
    out = tmp_path / "report"
    result = _run("--config", str(config), "--stages", "drift", "--out", str(out))
    assert result.exit_code == 1, result.output
    drift = _stage(_report(out), "drift")
    assert "lists no routes" in drift["summary"]
    failed = {c["name"]: c["message"] for c in drift["cases"] if not c["passed"]}
    assert set(failed) == {"GET /prompts/{prompt_id}/versions", "PUT /prompts"}
    assert "answered 405" in failed["GET /prompts/{prompt_id}/versions"]
    assert failed["PUT /prompts"].startswith("undeclared-method: PUT /prompts answered 200")


@pytest.mark.parametrize(
    ("args", "check", "message"),
    [
        (["--stages", "lint,fuzzz"], "", "unknown stage 'fuzzz'"),
        ([], 'stages = ["lint", "smoke"]', "stages"),
        ([], _api(Path("/no/such/spec.yaml")), "no such spec: /no/such/spec.yaml"),
        ([], _api(SPEC, "examples.prompt_library:no_such_app"), "has no attribute 'no_such_app'"),
        ([], _api(SPEC, "no_such_module:app"), "cannot import 'no_such_module'"),
        ([], _api(SPEC, "examples.prompt_library"), "must look like package.module:attribute"),
        (["--base", "no-such-ref-anywhere"], _api(SPEC), "no commit 'no-such-ref-anywhere'"),
        (["--api", "other"], _api(SPEC), "no API named 'other'"),
        ([], _api(SPEC) + _api(SPEC), "the name 'prompts' is used twice"),
        ([], "", "no API to check"),
    ],
)
def test_bad_configuration_is_exit_2_with_a_clear_message(
    tmp_path: Path, args: list[str], check: str, message: str
) -> None:
    config = _project(tmp_path, check=check)
    result = _run("--config", str(config), "--out", str(tmp_path / "report"), *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "report").exists()
