"""`ctk mock`: what it says at startup, bad input as exit 2, --watch, and `ctk fuzz --mock`."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from toolkit.cli import cli
from toolkit.cli.mock import Reloading, build
from toolkit.config import LoadOptions
from toolkit.mock import MockOptions
from toolkit.runtime import running

ROOT = Path(__file__).resolve().parents[2]
THINGS = ROOT / "tests" / "unit" / "mock" / "things.yaml"
PROMPTS = ROOT / "specs" / "prompt-library.yaml"
CORPUS = ROOT.parent / "shared" / "corpus"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_check_says_what_would_be_served() -> None:
    code, output = run("mock", str(THINGS), "--stateful", "--check")
    assert code == 0, output
    assert f"mock: {THINGS}: 8 operations" in output
    assert "things.yaml:44:19" in output and "[example-valid]" in output  # a skipped example
    assert "security (bearer): accepts 'mock-token'" in output
    assert "/things/{thingId} (id: thingId = body.id; create, list, read, update, delete)" in output


def test_credentials_named_on_the_command_line() -> None:
    code, output = run("mock", str(THINGS), "--credential", "s3cret", "--check")
    assert code == 0 and "accepts 's3cret'" in output
    code, output = run("mock", str(THINGS), "--any-credential", "--check")
    assert code == 0 and "accepts any well-formed credential" in output


def test_a_spec_that_does_not_load_is_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.1.0\ninfo: [\n", encoding="utf-8")
    code, output = run("mock", str(broken), "--check")
    assert code == 2
    assert "broken.yaml:" in output and "Traceback" not in output


def test_swagger_2_is_served_as_its_openapi_3_equivalent() -> None:
    spec = CORPUS / "examples" / "2.0-petstore-simple.yaml"
    code, output = run("mock", str(spec), "--check")
    assert code == 0, output
    assert "2.0-petstore-simple.yaml: 3 operations" in output
    assert "security (api_key, petstore_auth)" in output


def test_swagger_2_mock_answers_like_a_3x_one() -> None:
    from toolkit.load import load_document
    from toolkit.mock import build_mock

    spec = CORPUS / "examples" / "2.0-petstore-with-external-docs.yaml"
    mock = build_mock(load_document(spec), MockOptions(access_log=False))
    # paths are served from the root, as for a 3.x document's `servers` (basePath: /api)
    with running(mock.app) as base, httpx.Client(base_url=base) as client:
        listed = client.get("/pets", params={"limit": 2})
        assert listed.status_code == 200 and isinstance(listed.json(), list), listed.text
        assert client.get("/pets", params={"limit": "many"}).status_code == 400
        created = client.post("/pets", json={"name": "Rex"})
        assert created.status_code == 200 and "name" in created.json(), created.text
        assert client.post("/pets", json={"name": 3}).status_code in (400, 422)


def test_a_port_in_use_is_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = run("mock", str(THINGS), "--port", str(port))
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in output
    assert "choose another --port" in output


def test_watch_reloads_and_keeps_the_last_good_spec(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    document = {
        "openapi": "3.1.0",
        "info": {"title": "w", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}},
    }
    spec.write_text(json.dumps(document), encoding="utf-8")
    options = MockOptions(access_log=False)
    mock, files = build(spec, LoadOptions(), options)
    said: list[str] = []
    app = Reloading(files, lambda: build(spec, LoadOptions(), options), mock.app, said.append, 0.05)
    try:
        with running(app) as base:
            assert httpx.get(base + "/b").status_code == 404
            document["paths"]["/b"] = document["paths"]["/a"]
            time.sleep(0.05)  # a new mtime, even on coarse file systems
            spec.write_text(json.dumps(document), encoding="utf-8")
            _wait(lambda: "reloaded: 2 operations" in said)
            assert httpx.get(base + "/b").status_code == 200
            spec.write_text("openapi: [", encoding="utf-8")
            _wait(lambda: any("reload failed" in text for text in said))
            assert httpx.get(base + "/b").status_code == 200  # still the last good mock
    finally:
        app.stop.set()


def _wait(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_fuzz_mock_on_things_passes(tmp_path: Path) -> None:
    code, output = run(
        "fuzz", str(THINGS), "--mock", "--max-examples", "10", "--seed", "1", "--out", str(tmp_path)
    )
    assert code == 0, output
    assert "--mock" in output and "0 implementation bug(s)" in output


@pytest.mark.parametrize("name", ["2.0-petstore-simple", "2.0-petstore-with-external-docs"])
def test_fuzz_mock_of_swagger_2_finds_no_bug(name: str, tmp_path: Path) -> None:
    """The 2.0 mocks keep their contract under every phase: stateful ones (`Pet` is an
    `allOf` holding the id) included; an undocumented refusal's media type, which 2.0's
    `produces` binds, is the status' contract defect, not a bug."""
    spec = CORPUS / "examples" / f"{name}.yaml"
    out = tmp_path / "out"
    args = ["--max-examples", "10", "--seed", "1", "--out", str(out), "--report", "json"]
    code, output = run("fuzz", str(spec), "--mock", *args)
    assert code == 0, output
    findings = json.loads((out / "report.json").read_text(encoding="utf-8"))["findings"]
    assert all(f["verdict"] != "implementation-bug" for f in findings), findings
    for finding in findings:
        if finding["check"] == "content_type_conformance" and finding["title"] != (
            "Missing Content-Type header"  # a 204's: st-content-type-without-body
        ):
            assert finding["verdict"] == "contract-defect", finding
            assert "`produces` binds every answer's media type" in finding["evidence"]["proof"]
    if name == "2.0-petstore-simple":  # GET /pet/{petId} is secured and documents no 401
        reasons = {(f["check"], (f["evidence"] or {}).get("reason")) for f in findings}
        assert ("content_type_conformance", "security-401") in reasons, reasons


def test_stateful_mock_of_the_reference_spec_passes_the_stateful_phase(tmp_path: Path) -> None:
    """Issue 12: create -> get -> update -> delete -> get 404, as schemathesis drives it."""
    code, output = run(
        "fuzz",
        str(PROMPTS),
        "--mock",
        "--phases",
        "stateful",
        "--max-examples",
        "20",
        "--seed",
        "3",
        "--out",
        str(tmp_path),
    )
    assert code == 0, output
    assert "passed:" in output and "0 implementation bug(s)" in output


@pytest.mark.parametrize("flag", ["--app", "--url"])
def test_fuzz_mock_is_one_target_among_the_others(flag: str) -> None:
    code, output = run("fuzz", str(THINGS), "--mock", flag, "x:y")
    assert code == 2
    assert "give exactly one of" in output
