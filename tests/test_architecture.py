"""The pipeline's import direction, asserted (see ARCHITECTURE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import toolkit

PACKAGE = Path(toolkit.__file__).parent
# A stage may import itself and anything to its right.
# `runtime` is what generated servers import: a leaf beside the core, importing no stage.
ORDER = [
    "cli",
    "testing",
    "report",
    "check",  # composes the stages below it; only report/ and cli/ see its results
    "verify",
    "mock",
    "diff",
    "generate",
    "model",
    "lint",
    "load",
    "core",
    "runtime",
    "client",  # what generated clients import: a leaf too, importing no stage
]
CORE = {
    "errors",
    "config",
    "_config_tables",
    "outcome",
    "pointer",
    "_files",
    "_imports",
    "rate_limit",
    "__init__",
    "__main__",
}


def stage_of(module: str) -> str:
    part = module.split(".")[1] if module.count(".") else "__init__"
    return "core" if part in CORE else part


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("toolkit"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("toolkit"))
    return found


def test_imports_flow_one_way() -> None:
    violations = []
    for path in PACKAGE.rglob("*.py"):
        module = "toolkit." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        source = stage_of(module)
        if path.name == "__main__.py" or module in ("toolkit.__init__",):
            continue
        for imported in imports_of(path):
            target = stage_of(imported)
            if imported == "toolkit" and source == "core":
                continue
            if source == "runtime" and target == "core":
                continue  # the runtime may use the core (errors)
            if (
                source != "runtime"
                and target == "runtime"
                and source
                in (
                    "cli",
                    "check",
                    "verify",
                    "mock",
                )
            ):
                # `ctk serve` starts generated apps; verification and `ctk check` run them;
                # a mock is one
                continue
            if source == "model" and imported == "toolkit.runtime.operation":
                continue  # one set of operation types: the model holds the runtime's own
            if ORDER.index(target) < ORDER.index(source):
                violations.append(f"{module} ({source}) imports {imported} ({target})")
    assert violations == []


def test_public_api() -> None:
    assert sorted(toolkit.__all__) == [
        "Diagnostic",
        "Location",
        "Severity",
        "ToolkitError",
        "__version__",
    ]
    for name in toolkit.__all__:
        assert hasattr(toolkit, name)


def test_testing_api() -> None:
    import toolkit.testing

    assert sorted(toolkit.testing.__all__) == [
        "assert_fuzz_clean",
        "assert_pacts_compatible",
        "fuzz",
        "fuzz_operations",
        "replay_failure",
    ]
    for name in toolkit.testing.__all__:
        assert callable(getattr(toolkit.testing, name))


def test_verify_jobs_are_independent() -> None:
    """fuzz, compat (pact vs spec) and contract (pact verification) share only the modules
    at the top of `verify/` (how targets are resolved), never each other's insides."""
    jobs = {p.name for p in (PACKAGE / "verify").iterdir() if (p / "__init__.py").is_file()}
    assert {"fuzz", "compat", "contract"} <= jobs
    violations = []
    for job in sorted(jobs):
        for path in (PACKAGE / "verify" / job).rglob("*.py"):
            for imported in imports_of(path):
                parts = imported.split(".")
                other = parts[2] if parts[:2] == ["toolkit", "verify"] and len(parts) > 2 else job
                if other in jobs and other != job:
                    violations.append(f"verify/{job}/{path.name} imports {imported}")
    assert violations == []


def test_the_pact_parser_is_part_of_loading() -> None:
    """`load.pact` reads files for every stage; it imports nothing beyond load and the core."""
    for path in (PACKAGE / "load" / "pact").rglob("*.py"):
        for imported in imports_of(path):
            assert stage_of(imported) in ("load", "core"), f"{path.name} imports {imported}"


def test_every_folder_is_a_regular_package() -> None:
    """A folder without __init__.py is a namespace package: an editable install then puts a
    path-hook placeholder on sys.path, which importlib.metadata opens relative to the working
    directory (a read outside the spec's folder, tests/hostile)."""
    folders = [p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"]
    assert [str(p) for p in folders if not (p / "__init__.py").is_file()] == []
