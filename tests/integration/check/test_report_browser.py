"""`ctk check`'s report.html in a real headless Chromium (Debian's, driven by
playwright): it renders, logs no console error, and the failure is visible on screen."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from playwright.sync_api import ConsoleMessage, sync_playwright

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT / "specs" / "prompt-library.yaml"
PACT = ROOT / "contracts" / "prompt-cli-prompt-library.json"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian's chromium is needed: apt-get install chromium (README Quick start)"
    return found


def _failing_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose spec lost an operation since its last commit and whose pact expects
    a status the spec does not document."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    (repo / "contracts").mkdir()
    spec = repo / "specs" / "api.yaml"
    shutil.copy(SPEC, spec)
    pact = json.loads(PACT.read_text())
    pact["interactions"][2]["response"]["status"] = 410
    (repo / "contracts" / PACT.name).write_text(json.dumps(pact))
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    for args in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run([*git, *args], cwd=repo, check=True, capture_output=True)
    document = yaml.safe_load(spec.read_text())
    del document["paths"]["/prompts/{prompt_id}"]["delete"]
    spec.write_text(yaml.safe_dump(document, sort_keys=False))
    (repo / "pyproject.toml").write_text(
        '[[tool.ctk.check.apis]]\nname = "prompts"\nspec = "specs/api.yaml"\n'
        'pacts = ["contracts"]\n'
    )
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "--config",
            "pyproject.toml",
            "--stages",
            "lint,diff,pact-spec,drift",
            "--base",
            "HEAD",
        ],
    )
    assert result.exit_code == 1, result.output
    return repo / ".ctk" / "report" / "report.html"


def test_the_report_renders_without_console_errors_and_shows_the_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _failing_report(tmp_path, monkeypatch)
    errors: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("console", console)
            page.on("pageerror", lambda error: errors.append(str(error)))
            failed_requests: list[str] = []
            page.on("requestfailed", lambda request: failed_requests.append(request.url))
            page.goto(report.as_uri())
            page.wait_for_load_state("load")
            assert page.title() == "ctk check: failed"
            assert page.locator("#verdict").inner_text().lower() == "failed"
            removed = page.get_by_text("operation-removed", exact=False).first
            assert removed.is_visible()
            location = page.get_by_text("git:HEAD:specs/api.yaml:", exact=False).first
            assert location.is_visible()
            assert page.get_by_text("does not document status 410", exact=False).first.is_visible()
            skipped = page.locator("#stage-prompts-drift")
            assert "skipped" in skipped.inner_text().lower()
            assert page.locator("svg").count() >= 1 and page.locator("svg rect").count() >= 4
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert failed_requests == []
    assert (tmp_path / "report.png").stat().st_size > 10_000
