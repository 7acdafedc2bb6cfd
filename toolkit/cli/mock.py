"""`ctk mock SPEC`: serve the spec from its examples and schemas, no generate step."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from toolkit.cli._common import resolve_config
from toolkit.config import LoadOptions
from toolkit.errors import ToolkitError, UsageError


def build(spec: Path, load: LoadOptions, options: Any) -> tuple[Any, list[Path]]:
    """Load SPEC and build its mock; also the local files it was read from (`--watch`).
    Toolkit errors propagate (exit 2)."""
    from toolkit.load import load_document
    from toolkit.mock import build_mock

    document = load_document(spec, load)
    files = [s.path for s in document.resolver.iter_files() if s.path.is_file()]
    return build_mock(document, options), files or [spec]


def describe(mock: Any, options: Any, spec: Path) -> list[str]:
    """What a user should know at startup: what is served and how to get in."""
    lines = [f"mock: {spec}: {mock.operations} operations"]
    for diagnostic in mock.diagnostics:
        lines.append(f"warning: {diagnostic.location}: {diagnostic.message} [{diagnostic.rule}]")
    if mock.secured:
        if options.any_credential:
            accepted = "any well-formed credential"
        else:
            accepted = " or ".join(repr(c) for c in options.credentials)
        lines.append(
            f"security ({', '.join(mock.secured)}): accepts {accepted} as the API key, the "
            "bearer token or the basic password; every scope is granted"
        )
    if options.stateful:
        if mock.resources:
            lines.append(f"stateful: {len(mock.resources)} resource(s) inferred:")
            lines.extend(f"  {resource.describe()}" for resource in mock.resources)
        else:
            lines.append("stateful: no resource inferred; every operation answers statelessly")
    return lines


class Reloading:
    """An ASGI app that rebuilds the mock when a file of the spec changes (`--watch`). A
    spec that no longer loads keeps the last good mock serving and says why."""

    def __init__(
        self,
        files: list[Path],
        rebuild: Callable[[], tuple[Any, list[Path]]],
        app: Any,
        report: Callable[[str], None],
        interval: float = 0.5,
    ) -> None:
        self.app = app
        self.files = files
        self._rebuild = rebuild
        self._report = report
        self._interval = interval
        self._stamps = self._stat()
        self.stop = threading.Event()
        threading.Thread(target=self._watch, daemon=True).start()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)

    def _stat(self) -> dict[Path, float]:
        stamps = {}
        for path in self.files:
            try:
                stamps[path] = path.stat().st_mtime
            except OSError:
                stamps[path] = -1.0
        return stamps

    def _watch(self) -> None:
        while not self.stop.wait(self._interval):
            stamps = self._stat()
            if stamps == self._stamps:
                continue
            try:
                mock, self.files = self._rebuild()
            except ToolkitError as error:
                self._stamps = stamps
                self._report(f"reload failed, still serving the last good spec:\n{error}")
                continue
            self._stamps = self._stat()
            self.app = mock.app
            self._report(f"reloaded: {mock.operations} operations")


def check_port(host: str, port: int) -> None:
    """Exit 2 now, with the reason, when the port cannot be bound (uvicorn would exit 1)."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            raise UsageError(
                f"cannot listen on {host}:{port}: {error.strerror or error}",
                hint="choose another --port (is another mock or server running there?)",
            ) from None


@click.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=4010, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of generated data.")
@click.option(
    "--stateful",
    is_flag=True,
    help="Keep resources in memory: POST creates, GET reads, PUT/PATCH update, DELETE removes.",
)
@click.option("--dynamic", is_flag=True, help="A new generated body per request (no examples).")
@click.option(
    "--credential",
    "credentials",
    multiple=True,
    help="A credential the mock accepts (repeatable).  [default: mock-token]",
)
@click.option(
    "--any-credential",
    is_flag=True,
    help="Accept every well-formed credential (Prism's behaviour) instead of known ones.",
)
@click.option(
    "--cors",
    "cors_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Answer CORS for browsers on this origin (repeatable; '*' for any).",
)
@click.option(
    "--watch", is_flag=True, help="Reload when the spec (or a file it refers to) changes."
)
@click.option(
    "--check",
    is_flag=True,
    help="Build the mock, report what it would serve, and stop (no server).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The pyproject.toml whose [tool.ctk.load] to read (default: the nearest).",
)
def mock(
    spec: Path,
    host: str,
    port: int,
    seed: int,
    stateful: bool,
    dynamic: bool,
    credentials: tuple[str, ...],
    any_credential: bool,
    cors_origins: tuple[str, ...],
    watch: bool,
    check: bool,
    config_path: Path | None,
) -> None:
    """Serve SPEC as a mock: requests validated as a generated server validates them,
    answers from the spec's valid examples, else schema-generated data.

    The Prefer header picks an answer: `code=404`, `example=NAME`, `dynamic=true`."""
    import uvicorn

    from toolkit.mock import DEFAULT, MockOptions
    from toolkit.runtime import CorsPolicy
    from toolkit.verify.apps import log_config

    config = resolve_config(config_path, None, None, None)
    try:
        cors = CorsPolicy(origins=cors_origins) if cors_origins else None
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--cors") from None
    options = MockOptions(
        seed=seed,
        stateful=stateful,
        credentials=credentials or (DEFAULT,),
        any_credential=any_credential,
        dynamic=dynamic,
        cors=cors,
    )
    built, files = build(spec, config.load, options)
    for line in describe(built, options, spec):
        click.echo(line, err=line.startswith("warning"))
    if check:
        return
    check_port(host, port)
    started = time.perf_counter()
    made = built.warm(budget=10.0)
    click.echo(f"prepared {made} generated answer(s) in {time.perf_counter() - started:.2f} s")
    app: Any = built.app
    if watch:
        app = Reloading(
            files,
            lambda: build(spec, config.load, options),
            built.app,
            lambda text: click.echo(text, err=True),
        )
    click.echo(f"mocking {spec} on http://{host}:{port} (docs at /docs)")
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
        log_config=log_config(),
    )
