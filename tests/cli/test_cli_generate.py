"""`ctk generate` and `ctk serve` through click's CliRunner."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "tests" / "golden" / "features" / "spec.yaml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "gen" / "zoo"


def test_generate_then_noop_then_check(out: Path) -> None:
    code, output = run("generate", str(SPEC), "--out", str(out))
    assert code == 0, output
    assert "7 file(s) written" in output
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    code, output = run("generate", str(SPEC), "--out", str(out))
    assert code == 0
    assert "is up to date" in output
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == before
    assert run("generate", str(SPEC), "--out", str(out), "--check")[0] == 0


def test_check_shows_a_diff_when_stale(out: Path) -> None:
    run("generate", str(SPEC), "--out", str(out))
    service = out / "service.py"
    service.write_text(service.read_text(encoding="utf-8").replace("list_pets", "listpets"))
    code, output = run("generate", str(SPEC), "--out", str(out), "--check")
    assert code == 1
    assert "--- a/service.py" in output
    assert "+    async def list_pets(" in output
    # A plain run repairs it (the manifest digest no longer matches).
    assert run("generate", str(SPEC), "--out", str(out))[0] == 0
    assert run("generate", str(SPEC), "--out", str(out), "--check")[0] == 0


def test_foreign_files_are_never_overwritten(out: Path) -> None:
    out.mkdir(parents=True)
    mine = out / "handlers.py"
    mine.write_text("# my code\n", encoding="utf-8")
    code, output = run("generate", str(SPEC), "--out", str(out))
    assert code == 2
    assert "holds files ctk did not generate: handlers.py" in output
    assert mine.read_text(encoding="utf-8") == "# my code\n"
    assert sorted(p.name for p in out.iterdir()) == ["handlers.py"]


def test_scaffold_is_written_once_then_only_read(out: Path, tmp_path: Path) -> None:
    """Issue 11 item 9: a re-run keeps the file (exit 0, a note); only methods the protocol
    gained are reported, as the signatures to add."""
    skeleton = tmp_path / "impl.py"
    assert run("generate", str(SPEC), "--out", str(out), "--scaffold", str(skeleton))[0] == 0
    text = skeleton.read_text(encoding="utf-8")
    assert "class Service(FeatureZooService):" in text
    assert "async def create_pet(" in text
    code, output = run("generate", str(SPEC), "--out", str(out), "--scaffold", str(skeleton))
    assert code == 0, output
    assert "defines every protocol method" in output
    assert skeleton.read_text(encoding="utf-8") == text
    skeleton.write_text(text.replace("async def create_pet(", "async def make_pet("))
    code, output = run("generate", str(SPEC), "--out", str(out), "--scaffold", str(skeleton))
    assert code == 0, output
    assert "1 method(s) it does not define yet" in output
    assert "async def create_pet(self, *, body, context) -> ..." in output
    assert "make_pet" in skeleton.read_text(encoding="utf-8")  # never overwritten


def test_scaffold_imports_a_src_layout_package_by_its_import_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run(
        "generate", str(SPEC), "--out", "src/myapp/api", "--scaffold", "src/myapp/impl.py"
    )
    assert code == 0, output
    text = (tmp_path / "src" / "myapp" / "impl.py").read_text(encoding="utf-8")
    assert "from myapp.api.app import create_app" in text
    assert "src.myapp" not in text


def test_removed_operations_remove_their_files_only(out: Path, tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    shutil.copy(SPEC, spec)
    run("generate", str(spec), "--out", str(out))
    assert (out / "models.py").exists()
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("operationId: getTree", "operationId: fetchTree"))
    assert run("generate", str(spec), "--out", str(out))[0] == 0
    assert "fetch_tree" in (out / "service.py").read_text(encoding="utf-8")


def test_swagger_2_generates_from_its_openapi_3_equivalent(tmp_path: Path) -> None:
    spec = ROOT.parent / "shared" / "corpus" / "examples" / "2.0-petstore-simple.yaml"
    code, output = run("generate", str(spec), "--out", str(tmp_path / "pets"), "--client")
    assert code == 0, output
    models = (tmp_path / "pets" / "models.py").read_text(encoding="utf-8")
    assert "class Pet(" in models  # from `definitions`
    served = json.loads((tmp_path / "pets" / "openapi.json").read_text(encoding="utf-8"))
    assert served["openapi"] == "3.0.3" and "components" in served


@pytest.fixture
def reference_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """`examples.prompt_library:app` on a database of its own, run from the repo root."""
    import examples.prompt_library as prompt_library

    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PROMPT_LIBRARY_DB", str(tmp_path / "db.sqlite3"))
    yield "examples.prompt_library:app"
    for name in ("app", "service"):  # built lazily from the environment: forget ours
        vars(prompt_library).pop(name, None)


def test_serve_check_probes_the_reference_service(reference_app: str) -> None:
    code, output = run("serve", "specs/prompt-library.yaml", "--app", reference_app, "--check")
    assert code == 0, output
    assert "9 operations" in output
    assert "1 parameterless GET(s) answered with documented statuses" in output


def test_serve_needs_exactly_one_of_impl_and_app() -> None:
    code, output = run("serve", str(SPEC))
    assert code == 2
    assert "exactly one of --impl" in output


def test_without_out_the_package_goes_to_generated_stem(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11 item 10: `ctk generate SPEC` alone works; the stem becomes a module name."""
    spec = tmp_path / "pet-store.v2.yaml"
    shutil.copy(SPEC, spec)
    monkeypatch.chdir(tmp_path)
    code, output = run(
        "generate", str(spec), "--config", str(ROOT / "tests/cli/no_ctk_config.toml")
    )
    assert code == 0, output
    assert (tmp_path / "generated" / "pet_store_v2" / "models.py").is_file()


def test_without_out_a_configured_target_keeps_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "zoo.yaml"
    shutil.copy(SPEC, spec)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.ctk.generate]\ntargets = [{spec = "zoo.yaml", out = "src/zoo_api"}]\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code, output = run("generate", "zoo.yaml")
    assert code == 0, output
    assert (tmp_path / "src" / "zoo_api" / "app.py").is_file()
    assert not (tmp_path / "generated").exists()


def test_out_without_spec_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run("generate", "--out", str(tmp_path / "x"))
    assert code == 2
    assert "--out needs SPEC" in output


@pytest.mark.parametrize(
    "flag",
    [["--validate-responses"], ["--package", "generated.x"], ["--cors-origin", "https://a.b"]],
)
def test_serve_refuses_flags_an_app_built_already_ignores(flag: list[str]) -> None:
    """Issue 11 item 7: with --app these did nothing, silently."""
    code, output = run("serve", str(SPEC), "--app", "examples.prompt_library:app", *flag)
    assert code == 2
    assert f"{flag[0]} only apply with --impl" in output


def test_serve_refuses_an_app_that_serves_another_spec(reference_app: str) -> None:
    """Issue 11 item 7: SPEC is checked against the document the app serves."""
    code, output = run("serve", str(SPEC), "--app", reference_app, "--check")
    assert code == 2
    assert "is not the document the app serves at /openapi.json" in output


def test_serve_says_which_schemes_have_no_verifier(reference_app: str) -> None:
    """Issue 11 item 6: without --verifier every secured operation answers 401: say so."""
    impl = ["--impl", "examples.prompt_library:service", "--package", "generated.prompt_library"]
    code, output = run("serve", "specs/prompt-library.yaml", *impl, "--check")
    assert code == 0, output
    assert "warning: no --verifier: the security scheme(s) apiKey, oauth2" in output
    verifier = ["--verifier", "examples.prompt_library.auth:load_verifier"]
    code, output = run("serve", "specs/prompt-library.yaml", *impl, *verifier, "--check")
    assert code == 0, output
    assert "no --verifier" not in output
