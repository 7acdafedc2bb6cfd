"""A deployed generated app needs only the runtime's declared dependencies: not the
generator, not the command-line tools (ADR 0013).

Two checks. Statically, every third-party module that `toolkit.runtime` (and the core it
uses) or `generated/prompt_library` imports belongs to a distribution in
`[project] dependencies`. Dynamically, the reference service is built and answers real
requests in a fresh interpreter where every installed distribution outside the runtime's
dependency closure (and the examples' database drivers) fails to import, as it would in a
slim image.
"""

from __future__ import annotations

import ast
import importlib.metadata as md
import json
import subprocess
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_SOURCES = [
    *sorted((ROOT / "toolkit" / "runtime").rglob("*.py")),
    ROOT / "toolkit" / "__init__.py",
    ROOT / "toolkit" / "errors.py",
    ROOT / "toolkit" / "pointer.py",
    *sorted((ROOT / "generated" / "prompt_library").glob("*.py")),
]
# imported inside `toolkit.runtime.running()` only, which a deployment does not call: it
# brings its own ASGI server (`contract-toolkit[server]` is uvicorn)
# imported lazily by the runtime, each declared in an extra: module -> (extra, distribution)
OPTIONAL_EXTRAS = {
    "uvicorn": ("server", "uvicorn"),
    "jwt": ("jwt", "pyjwt"),
    "opentelemetry": ("tracing", "opentelemetry-api"),
    "redis": ("redis", "redis"),
}
OPTIONAL = set(OPTIONAL_EXTRAS)


def _declared(extra: str | None = None) -> list[Requirement]:
    project = PYPROJECT["project"]
    found = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [Requirement(text) for text in found]


def _names(requirements: list[Requirement]) -> set[str]:
    return {canonicalize_name(r.name) for r in requirements}


def _closure(requirements: list[Requirement]) -> set[str]:
    """The distributions `requirements` need, transitively, with the extras they ask for."""
    seen: set[tuple[str, str]] = set()
    todo = [(canonicalize_name(r.name), extra) for r in requirements for extra in ("", *r.extras)]
    while todo:
        name, extra = todo.pop()
        if (name, extra) in seen:
            continue
        seen.add((name, extra))
        for text in md.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": extra}):
                todo.extend(
                    (canonicalize_name(requirement.name), wanted)
                    for wanted in ("", *requirement.extras)
                )
    return {name for name, _ in seen}


def _third_party_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in ("toolkit",)}


def test_the_runtime_imports_only_declared_dependencies() -> None:
    owners = md.packages_distributions()
    runtime = _closure(_declared())
    undeclared = {}
    for path in RUNTIME_SOURCES:
        for module in _third_party_imports(path) - OPTIONAL - {"generated"}:
            distributions = {canonicalize_name(d) for d in owners.get(module, [module])}
            if not distributions & runtime:
                undeclared[module] = str(path.relative_to(ROOT))
    assert undeclared == {}


def test_a_generated_client_needs_only_the_core_and_the_client_extra() -> None:
    owners = md.packages_distributions()
    allowed = _closure([*_declared(), *_declared("client")])
    sources = [*sorted((ROOT / "toolkit" / "client").rglob("*.py")), *RUNTIME_SOURCES[1:3]]
    undeclared = {}
    for path in [*sources, ROOT / "generated" / "prompt_library" / "client.py"]:
        for module in _third_party_imports(path):
            distributions = {canonicalize_name(d) for d in owners.get(module, [module])}
            if not distributions & allowed:
                undeclared[module] = str(path.relative_to(ROOT))
    assert undeclared == {}
    assert "httpx" in _names(_declared("client"))


def test_optional_runtime_imports_are_declared_in_their_extras() -> None:
    for extra, distribution in OPTIONAL_EXTRAS.values():
        assert distribution in _names(_declared(extra)), (extra, distribution)


def test_the_build_tools_are_not_runtime_dependencies() -> None:
    runtime = _closure(_declared())
    for tool in ("datamodel-code-generator", "click", "rich", "pyyaml", "schemathesis"):
        assert tool not in runtime, tool
    assert {"starlette", "email-validator"}.isdisjoint(runtime)  # dead: removed
    assert _names(_declared("cli")) >= {
        "click",
        "datamodel-code-generator",
        "uvicorn",
        "pact-python",
    }


_SLIM = r"""
import asyncio, importlib.abc, json, sys

BLOCKED = set(json.loads(sys.argv[1]))


class Slim(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.split(".")[0]
        if top in BLOCKED:
            raise ModuleNotFoundError(f"{top} is not installed in a slim image", name=top)
        return None


sys.meta_path.insert(0, Slim())

"""

_SERVE = (
    _SLIM
    + r"""
from examples.prompt_library import create_app, create_service


async def call(app, method, path, body=b"", headers=()):
    sent = []
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": [(b"x-api-key", b"dev-key"), *headers],
        "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
    }
    chunks = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return chunks.pop(0) if chunks else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"]


async def main():
    app = create_app(create_service())
    lifespan = asyncio.Queue()
    await lifespan.put({"type": "lifespan.startup"})
    replies = asyncio.Queue()
    task = asyncio.create_task(
        app({"type": "lifespan", "asgi": {"version": "3.0"}}, lifespan.get, replies.put)
    )
    assert (await replies.get())["type"] == "lifespan.startup.complete"
    body = json.dumps(
        {"name": "greeting", "template": "Say hello to {{who}}.", "variables": [{"name": "who"}]}
    ).encode()
    created = await call(app, "POST", "/prompts", body, [(b"content-type", b"application/json")])
    listed = await call(app, "GET", "/prompts")
    missing = await call(app, "GET", "/prompts/01JDBX4N2P6Q8R0S2T4V6W8X9Y")
    await lifespan.put({"type": "lifespan.shutdown"})
    await task
    blocked = sorted(m for m in ("click", "datamodel_code_generator", "yaml", "rich", "uvicorn")
                     if m in sys.modules)
    print(json.dumps({"statuses": [created, listed, missing], "imported_tools": blocked}))


asyncio.run(main())
"""
)


def test_the_reference_service_serves_with_only_runtime_dependencies(tmp_path: Path) -> None:
    owners = md.packages_distributions()
    drivers = [r for r in _declared("examples") if r.name in ("sqlalchemy", "aiosqlite")]
    allowed_distributions = _closure([*_declared(), *drivers])
    blocked = {
        module
        for module, distributions in owners.items()
        if not {canonicalize_name(d) for d in distributions} & allowed_distributions
    } - {"toolkit", "generated", "examples"}
    assert {"click", "datamodel_code_generator", "yaml", "uvicorn", "schemathesis"} <= blocked
    done = subprocess.run(
        [sys.executable, "-c", _SERVE, json.dumps(sorted(blocked))],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PROMPT_LIBRARY_DB": ":memory:", "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {"statuses": [201, 200, 404], "imported_tools": []}


def test_ctk_without_its_tools_says_what_to_install() -> None:
    blocked = ["click", "rich", "yaml", "datamodel_code_generator"]
    script = (
        _SLIM
        + "\nimport runpy; sys.argv = ['ctk', '--version']; runpy.run_module('toolkit', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, json.dumps(blocked)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "pip install 'contract-toolkit[cli]'" in done.stderr


def test_a_fresh_venv_with_only_the_runtime_serves_the_reference_service(
    tmp_path: Path,
) -> None:
    """The real thing: `pip install contract-toolkit` (no extras, pinned by the constraints
    CI uses) plus the examples' database drivers, from the registry, into a new venv."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    drivers = [str(r) for r in _declared("examples") if r.name in ("sqlalchemy", "aiosqlite")]
    install = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    constraints = ["-c", str(ROOT / ".ci" / "constraints.txt")]
    done = subprocess.run(
        [*install, *constraints, str(ROOT), *drivers],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    listed = subprocess.run(
        [str(python), "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    installed = {canonicalize_name(p["name"]) for p in json.loads(listed.stdout)}
    assert {"click", "datamodel-code-generator", "pyyaml", "rich", "uvicorn"}.isdisjoint(installed)
    app = tmp_path / "app"  # the service and its generated package, not the checkout's toolkit
    app.mkdir()
    for name in ("examples", "generated"):
        (app / name).symlink_to(ROOT / name, target_is_directory=True)
    served = subprocess.run(
        [str(python), "-c", _SERVE, "[]"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PROMPT_LIBRARY_DB": ":memory:", "PYTHONPATH": str(app)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert served.returncode == 0, served.stderr[-3000:]
    result = json.loads(served.stdout.strip().splitlines()[-1])
    assert result == {"statuses": [201, 200, 404], "imported_tools": []}
    where = subprocess.run(
        [str(python), "-c", "import toolkit; print(toolkit.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(venv))  # it was the installed runtime that served
