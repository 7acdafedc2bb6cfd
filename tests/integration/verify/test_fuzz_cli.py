"""Acceptance of `ctk fuzz`: a planted bug of each kind is caught alone, in-process and over
HTTP; the clean variant passes; stored failures replay (fail on the bug, pass once fixed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.integration.verify.buggy import app as buggy
from toolkit.cli import cli
from toolkit.runtime import running

ROOT = Path(__file__).resolve().parents[3]
SPEC = "tests/integration/verify/buggy/spec.yaml"
MODULE = "tests.integration.verify.buggy.app"
EXPECTED = buggy.CAUGHT_BY  # the one check that catches each planted bug
FAST = ["--max-examples", "25", "--seed", "1"]


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def fuzz(*args: str) -> tuple[int, str]:
    config = str(ROOT / "tests" / "integration" / "verify" / "buggy" / "pyproject.toml")
    result = CliRunner().invoke(
        cli, ["fuzz", SPEC, "--config", config, *args], catch_exceptions=False
    )
    return result.exit_code, result.output


def attr(bug: str | None) -> str:
    return "clean" if bug is None else "bug_" + bug.replace("-", "_")


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str | None, str]]:
    """Every variant on its own loopback port, as a deployed service would be."""
    with ExitStack() as stack:
        yield {v: stack.enter_context(running(buggy.create_app(v))) for v in [None, *EXPECTED]}


def _report(out: Path) -> dict[str, Any]:
    return dict(json.loads((out / "report.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("kind", ["app", "url"])
def test_the_clean_variant_passes(
    kind: str, tmp_path: Path, servers: dict[str | None, str]
) -> None:
    target = ["--app", f"{MODULE}:clean"] if kind == "app" else ["--url", servers[None]]
    code, output = fuzz(*target, *FAST, "--out", str(tmp_path), "--report", "json")
    assert code == 0, output
    report = _report(tmp_path)
    assert report["findings"] == [] and report["errors"] == []
    assert set(report["phase_status"]) == {"examples", "coverage", "fuzzing", "stateful"}
    assert all(op["cases"] > 0 for op in report["operations"])


@pytest.mark.parametrize("kind", ["app", "url"])
@pytest.mark.parametrize("bug", list(EXPECTED))
def test_each_planted_bug_is_caught(
    bug: str, kind: str, tmp_path: Path, servers: dict[str | None, str]
) -> None:
    target = ["--app", f"{MODULE}:{attr(bug)}"] if kind == "app" else ["--url", servers[bug]]
    code, output = fuzz(*target, *FAST, "--out", str(tmp_path), "--report", "json")
    assert code == 1, output
    bugs = [f for f in _report(tmp_path)["findings"] if f["verdict"] == "implementation-bug"]
    assert {f["check"] for f in bugs} == {EXPECTED[bug]}, output
    for finding in bugs:
        assert finding["location"]["line"] is not None and finding["location"][
            "pointer"
        ].startswith("/paths/")
        assert Path(finding["replay"] + ".json").is_file()
        assert Path(finding["replay"] + ".sh").is_file()


def test_an_exception_in_the_app_carries_its_traceback(tmp_path: Path) -> None:
    code, _ = fuzz(
        "--app", f"{MODULE}:bug_raises", *FAST, "--out", str(tmp_path), "--report", "json"
    )
    assert code == 1
    (finding,) = _report(tmp_path)["findings"]
    assert finding["check"] == "not_a_server_error"
    # the server's plain-text 500 also breaks the documented media type: one crash, one finding
    assert finding["also"] == ["content_type_conformance"]
    assert "Traceback (most recent call last)" in finding["traceback"]
    assert "app.py" in finding["traceback"]


@pytest.mark.parametrize("bug", list(EXPECTED))
def test_replay_fails_on_the_bug_and_passes_once_fixed(bug: str, tmp_path: Path) -> None:
    code, _ = fuzz("--app", f"{MODULE}:{attr(bug)}", *FAST, "--out", str(tmp_path))
    assert code == 1
    failures = tmp_path / "failures"
    still = CliRunner().invoke(cli, ["fuzz", "--replay", str(failures)], catch_exceptions=False)
    assert still.exit_code == 1, still.output
    assert "FAIL" in still.output
    fixed = CliRunner().invoke(
        cli, ["fuzz", "--replay", str(failures), "--app", f"{MODULE}:clean"], catch_exceptions=False
    )
    assert fixed.exit_code == 0, fixed.output


def test_the_written_pytest_file_is_a_regression_test(tmp_path: Path) -> None:
    code, _ = fuzz("--app", f"{MODULE}:bug_schema", *FAST, "--out", str(tmp_path))
    assert code == 1
    (test_file,) = (tmp_path / "failures").glob("test_*.py")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(test_file)]
    broken = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    fixed = subprocess.run(
        command,
        cwd=ROOT,
        env={**env, "CTK_FUZZ_APP": f"{MODULE}:clean"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def test_four_shards_run_every_operation_exactly_once(tmp_path: Path) -> None:
    ran: list[str] = []
    stateful = []
    for index in range(1, 5):
        out = tmp_path / str(index)
        code, output = fuzz(
            "--app",
            f"{MODULE}:clean",
            *FAST,
            "--shard",
            f"{index}/4",
            "--out",
            str(out),
            "--report",
            "json",
        )
        assert code == 0, output
        report = _report(out)
        ran.extend(op["operation"] for op in report["operations"] if op["cases"] > 0)
        stateful.append("stateful" in report["phase_status"])
    assert sorted(ran) == sorted(
        ["GET /things", "POST /things", "GET /things/{thingId}", "DELETE /things/{thingId}"]
    )
    assert stateful == [True, True, True, True]  # each runs its share of the scenarios


def test_a_time_budget_says_what_did_not_run(tmp_path: Path) -> None:
    code, output = fuzz(
        "--app",
        f"{MODULE}:clean",
        "--max-time",
        "1",
        "--max-examples",
        "100000",
        "--out",
        str(tmp_path),
    )
    assert code == 0, output
    assert "the run is partial" in output and "stopped at --max-time" in output


def test_inferred_links_are_listed_and_can_be_turned_off(tmp_path: Path) -> None:
    code, output = fuzz(
        "--app", f"{MODULE}:clean", *FAST, "--out", str(tmp_path / "on"), "--report", "json"
    )
    assert code == 0, output
    links = _report(tmp_path / "on")["inferred_links"]
    assert links and "inferred links" in output
    assert all(link["source"] and link["target"] and link["parameters"] for link in links)
    code, output = fuzz(
        "--app",
        f"{MODULE}:clean",
        *FAST,
        "--no-infer-links",
        "--out",
        str(tmp_path / "off"),
        "--report",
        "json",
    )
    assert code == 0, output
    report = _report(tmp_path / "off")
    assert report["inferred_links"] == [] and "inferred links" not in output
    assert report["phase_status"]["stateful"] == "success"  # the spec's own links still run
