"""Minimal reproductions of the toolkit bugs the corpus harness found (see README.md).

    .venv/bin/python tests/integration/generate/repros/repro.py [NAME ...]

Each check generates one tiny spec of this folder into a scratch folder, then shows what
goes wrong (observed) next to what should happen (expected). Exit status 0 always: this
is a report, not a test.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[3]
SCRATCH = Path(tempfile.mkdtemp(prefix="ctk-repro-"))
sys.path.insert(0, str(SCRATCH))


def generate(name: str) -> Path:
    out = SCRATCH / name
    subprocess.run(
        [
            sys.executable,
            "-m",
            "toolkit",
            "generate",
            str(HERE / f"{name}.yaml"),
            "--out",
            str(out),
        ],
        cwd=SCRATCH,
        check=True,
        capture_output=True,
    )
    return out


def tool(*args: str) -> str:
    env = {**os.environ, "MYPYPATH": f"{SCRATCH}{os.pathsep}{REPO}"}
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=SCRATCH,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return (done.stdout + done.stderr).strip()


def show(title: str, command: str, observed: str, expected: str) -> None:
    print(f"\n### {title}\n$ {command}\nobserved: {observed}\nexpected: {expected}")


def checks_generator() -> None:
    out = generate("security_wrap")
    try:
        compile((out / "app.py").read_text(encoding="utf-8"), "app.py", "exec")
        observed = "compiles"
    except SyntaxError as error:
        observed = f"SyntaxError: {error.msg} (app.py line {error.lineno})"
    show(
        "security literal wrapped into invalid Python",
        "ctk generate security_wrap.yaml --out wrap && python -c 'import wrap'",
        observed,
        "app.py compiles (the long security tuple wrapped at tuple boundaries)",
    )
    try:
        generate("missing_classes")
        observed = "generated"
    except subprocess.CalledProcessError as error:
        observed = f"exit {error.returncode}: {error.stderr.decode().strip()}"
    show(
        "hoisted body name clashes with a component name",
        "ctk generate missing_classes.yaml --out missing_classes",
        observed,
        "generated: the inline body gets a name datamodel-code-generator keeps (fixed)",
    )
    for name, expected in (
        ("unused_imports", "no F401: service.py imports Reply only when a signature uses it"),
        ("any_substring", "no F401: service.py imports Any only when a signature uses it"),
        ("long_title", "no I001: the long `from .service import ...` wrapped as isort does"),
        ("enums", "no PIE796: enum values de-duplicated"),
    ):  # all fixed: each prints "All checks passed!"
        generate(name)
        show(
            f"ruff on generated code ({name}.yaml)",
            f"ruff check --isolated {name}",
            tool("ruff", "check", "--isolated", "--no-cache", "--output-format", "concise", name),
            expected,
        )
    show(
        "mypy --strict on an enum default (enums.yaml)",
        "MYPYPATH=.:REPO mypy --strict -p enums",
        tool("mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull, "-p", "enums"),
        "Success: the default is rendered as `Color.red`, not 'red'",
    )


class Service:
    """Every handler answers a bare None (the operation's documented no-content status)."""

    def __getattr__(self, name: str) -> Callable[..., Any]:
        async def handle(**kwargs: Any) -> None:
            return None

        return handle


async def _send(app: Any, method: str, url: str, **kwargs: Any) -> str:
    import httpx

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.request(method, url, **kwargs)
    kind = response.headers.get("content-type", "")
    return f"{response.status_code} {kind} {response.text[:160]}"


def request(package: str, method: str, url: str, **kwargs: Any) -> str:
    from toolkit.runtime import Settings

    module = importlib.import_module(package)
    methods = {op.handler: getattr(Service(), op.handler) for op in module.OPERATIONS}
    service = type("S", (), {k: staticmethod(v) for k, v in methods.items()})()
    app = module.create_app(service, settings=Settings(validate_responses=True, access_log=False))
    return asyncio.run(_send(app, method, url, **kwargs))


def checks_runtime() -> None:
    generate("runtime")
    cases = [
        ("format: email vs pydantic EmailStr", "POST", "/users",
         {"json": {"email": "someone@example.test"}},
         "204 (fixed: format email is a plain str; EmailStr refused special-use domains)"),
        ("form body validated (rt-nonjson-body, fixed)", "POST", "/forms",
         {"content": b"n=abc", "headers": {"content-type": "application/x-www-form-urlencoded"}},
         "422 (n must be an integer)"),
        ("error body when the operation documents its own 400 schema", "GET", "/errors?limit=11",
         {}, "fixed (ADR 0007): 400 application/json matching the documented {code, message}"),
        ("missing required body when only 422 is documented", "POST", "/strict", {},
         "fixed (ADR 0007): 422 (the documented client-error status)"),
        ("schema with properties but no type: object", "POST", "/untyped",
         {"content": b"null", "headers": {"content-type": "application/json"}},
         "204 (fixed: null is valid for that schema; the body type is Model | other JSON values)"),
        ("oneOf + discriminator, tag matching no mapping", "POST", "/pets",
         {"json": {"kind": "zzz"}}, "204 (fixed: the oneOf accepts it, Cat matches; the discriminator is not a pydantic tag)"),
        ("format: byte vs pydantic Base64Str", "PUT", "/policies", {"json": {"etag": "nA=="}},
         "204 (fixed: format byte is a plain str; Base64Str refused base64 of non-UTF-8 bytes)"),
        ("empty text/plain body (rt-empty-text-body, fixed)", "PUT", "/notes",
         {"content": b"", "headers": {"content-type": "text/plain"}},
         "204 ('' is a valid string body)"),
    ]  # fmt: skip
    for title, method, url, kwargs, expected in cases:
        show(title, f"{method} {url}", request("runtime", method, url, **kwargs), expected)
    generate("content_param")
    for value in ('{"n": 1}', '{"n": "x"}'):
        show(
            "a parameter described by `content` (JSON) instead of `schema`",
            f"GET /search?filter={value}",
            request("content_param", "GET", "/search", params={"filter": value}),
            '204 with filter={\'n\': 1} passed to the handler, and 400 for {"n": "x"} (fixed: '
            "app.py renders Param(media_type=...); before, the runtime read `filter` as a "
            "form-style object, found no `n` key, and dropped the value)",
        )
    generate("no_responses")
    show(
        "3.1 operation without responses, validate_responses=True",
        "GET /ping",
        request("no_responses", "GET", "/ping"),
        "fixed (ADR 0007): the reply passes, the operation promises nothing",
    )


if __name__ == "__main__":
    wanted = set(sys.argv[1:]) or {"generator", "runtime"}
    if "generator" in wanted:
        checks_generator()
    if "runtime" in wanted:
        checks_runtime()
    print(f"\n(scratch: {SCRATCH})")
