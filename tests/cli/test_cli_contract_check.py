"""`ctk contract check` through click's CliRunner: exit code and output together."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "specs" / "prompt-library.yaml"
BASE = ROOT / "tests" / "integration" / "verify" / "compat" / "base_pact.json"


@pytest.fixture(autouse=True)
def _outside_the_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["contract", "check", *args])
    return result.exit_code, result.stdout, result.stderr


def broken_pact(tmp_path: Path) -> Path:
    data = json.loads(BASE.read_text(encoding="utf-8"))
    data["interactions"][0]["response"]["body"]["nickname"] = "x"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_a_clean_pact_exits_0() -> None:
    code, out, _ = run(str(SPEC), str(BASE))
    assert code == 0, out
    assert "No findings in 5 interactions of 1 pact" in out


def test_contracts_folder_is_the_default(tmp_path: Path) -> None:
    (tmp_path / "contracts").mkdir()
    shutil.copy(broken_pact(tmp_path), tmp_path / "contracts" / "a.json")
    code, out, _ = run(str(SPEC))
    assert code == 1
    assert "contracts/a.json:" in out
    assert "contract-unknown-response-field" in out
    assert "see " in out and "prompt-library.yaml:" in out  # the spec's side of the finding


def test_findings_exit_1_and_every_format_renders(tmp_path: Path) -> None:
    pact = broken_pact(tmp_path)
    code, out, _ = run(str(SPEC), str(pact), "-f", "json")
    assert code == 1
    document = json.loads(out)
    (finding,) = document["diagnostics"]
    assert finding["pointer"] == "/interactions/0/response/body/nickname"
    assert finding["related"][0]["pointer"] == "/components/schemas/Prompt"
    code, out, _ = run(str(SPEC), str(pact), "-f", "sarif")
    result = json.loads(out)["runs"][0]["results"][0]
    assert code == 1 and result["relatedLocations"][0]["physicalLocation"]["region"]["startLine"]
    code, out, _ = run(str(SPEC), str(pact), "-f", "junit")
    assert code == 1 and "<failure" in out and "see " in out
    code, out, _ = run(str(SPEC), str(pact), "-f", "github")
    assert code == 1 and out.startswith("::error file=") and "prompt-library.yaml" in out
    report = tmp_path / "report.sarif"
    code, _, _ = run(str(SPEC), str(pact), "-f", "sarif", "-o", str(report))
    assert code == 1 and json.loads(report.read_text())["runs"]


def test_warnings_fail_only_when_asked(tmp_path: Path) -> None:
    data = json.loads(BASE.read_text(encoding="utf-8"))
    data["interactions"][0]["response"]["headers"]["X-Cache"] = "hit"
    pact = tmp_path / "warn.json"
    pact.write_text(json.dumps(data), encoding="utf-8")
    assert run(str(SPEC), str(pact))[0] == 0
    assert run(str(SPEC), str(pact), "--fail-on", "warning")[0] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json at all", "not JSON"),
        ('{"consumer": {"name": "c"}}', "`provider` is an object"),
        ('{"consumer": 1', "malformed JSON"),
    ],
)
def test_bad_pacts_exit_2_with_a_located_message(
    tmp_path: Path, content: str, message: str
) -> None:
    pact = tmp_path / "bad.json"
    pact.write_text(content, encoding="utf-8")
    code, out, err = run(str(SPEC), str(pact))
    assert code == 2
    assert message in err and "bad.json" in err
    assert "Traceback" not in out + err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, _, err = run()
    assert code == 2 and "SPEC" in err
    code, _, err = run(str(SPEC), str(tmp_path / "nope"))
    assert code == 2 and "no such file or folder" in err
    code, _, err = run(str(SPEC))  # no contracts/ here
    assert code == 2 and "contracts" in err
    code, _, err = run(str(SPEC), str(BASE), "--max-pact-bytes", "10")
    assert code == 2 and "over the limit" in err


def test_list_rules() -> None:
    code, out, _ = run("--list-rules")
    assert code == 0
    assert "contract-optional-field" in out and "warning" in out
