"""`ctk serve SPEC --impl module:attr`: the generated app around your implementation, on uvicorn."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import click

from toolkit._imports import import_object
from toolkit.cli._common import resolve_config
from toolkit.errors import Location, UsageError
from toolkit.model.build import METHODS
from toolkit.verify.apps import (
    check_serves,
    impl_app,
    log_config,
    secured_schemes,
    serve_environment,
)


def _smoke(app: Any, spec: Path) -> None:
    """Prove the app starts and answers, as CI and the Quick start want, without blocking."""
    import json
    import urllib.request

    from toolkit.runtime import running

    started = time.perf_counter()
    with running(app) as base:
        for path in ("/healthz", "/readyz", "/openapi.json"):
            with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                body = response.read()
                if response.status != 200:
                    raise UsageError(f"{path} answered {response.status}", Location(str(spec)))
        document = json.loads(body)
        operations, probed = _probe_gets(base, document, spec)
    elapsed = time.perf_counter() - started
    click.echo(
        f"ok: {spec} served on {base} ({operations} operations; healthz, readyz, openapi.json"
        f" and {probed} parameterless GET(s) answered with documented statuses in {elapsed:.2f} s)"
    )


def _probe_gets(base: str, document: dict[str, Any], spec: Path) -> tuple[int, int]:
    """GET every operation that needs no parameters; its status must be a documented one."""
    import urllib.error
    import urllib.request

    operations = probed = 0
    for path, item in document.get("paths", {}).items():
        for method, op in item.items():
            if method not in METHODS:
                continue
            operations += 1
            if method != "get" or "{" in path:
                continue
            try:
                with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            documented = {str(code).upper() for code in op.get("responses", {})}
            ranged = f"{str(status)[0]}XX"
            if not documented & {str(status), ranged, "DEFAULT"}:
                raise UsageError(
                    f"GET {path} answered {status}, which the spec does not document",
                    Location(str(spec)),
                )
            probed += 1
    return operations, probed


@click.command()
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--impl", help="Your service object (or a class/factory): module:attr.")
@click.option(
    "--app",
    "app_target",
    help="A complete ASGI app built with create_app (your settings, lifespan): module:attr.",
)
@click.option("--package", help="The generated package (default: from [tool.ctk.generate]).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--validate-responses", is_flag=True, help="Check every response against the spec.")
@click.option(
    "--verifier",
    help="Turns credentials into principals: module:attr (a Verifier, or a class/factory), "
    "e.g. toolkit.runtime.verifiers:from_environment. Without it secured operations answer 401.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Allow browsers on this origin (repeatable; '*' for any): CORS answers and preflights.",
)
@click.option("--reload", is_flag=True, help="Restart when Python files change (development).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes (uvicorn's; each builds the app).",
)
@click.option(
    "--check",
    is_flag=True,
    help="Start on a free loopback port, probe health, readiness and the spec, then stop.",
)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
def serve(
    spec: Path,
    impl: str | None,
    app_target: str | None,
    package: str | None,
    host: str,
    port: int,
    validate_responses: bool,
    verifier: str | None,
    cors_origins: tuple[str, ...],
    reload: bool,
    workers: int,
    check: bool,
    config_path: Path | None,
) -> None:
    """Serve SPEC with your implementation of its generated service protocol."""
    import uvicorn

    if (impl is None) == (app_target is None):
        raise click.UsageError("give exactly one of --impl (a service) or --app (a built app)")
    config = resolve_config(config_path, None, None, None)
    from toolkit.load import bundle_document, load_document

    document = load_document(spec, config.load)  # once, for both startup checks below
    bundle = bundle_document(document)
    if app_target is not None:
        # a built app carries its own package and settings: a flag for them would do nothing
        given = (
            ("--package", package),
            ("--validate-responses", validate_responses),
            ("--cors-origin", cors_origins),
            ("--verifier", verifier),
        )
        ignored = [flag for flag, value in given if value]
        if ignored:
            raise click.UsageError(
                f"{' and '.join(ignored)} only apply with --impl; with --app, "
                "build the app with them (create_app(service, settings=Settings(...)))"
            )
        app = import_object(app_target, "--app")
    else:
        assert impl is not None
        app = impl_app(
            spec,
            impl,
            package,
            config,
            validate_responses=validate_responses,
            verifier=verifier,
            cors_origins=cors_origins,
        )
        unverified = secured_schemes(document, bundle) if verifier is None else []
        if unverified:
            click.echo(
                f"warning: no --verifier: the security scheme(s) {', '.join(unverified)} accept "
                "no credential, so every secured operation answers 401 "
                "(e.g. --verifier toolkit.runtime.verifiers:from_environment)",
                err=True,
            )
    check_serves(app, spec, bundle.data, built=impl is not None)
    if check:
        _smoke(app, spec)
        return
    click.echo(f"serving {spec} with {impl or app_target} on http://{host}:{port} (docs at /docs)")
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        # the app's own JSON access log (one line a request) replaces uvicorn's
        "access_log": False,
        "log_config": log_config(),
    }
    if not reload and workers == 1:
        uvicorn.run(app, **options)
        return
    # more processes (or a reloader) import the app themselves: by its import string, or,
    # for --impl, through a factory that rebuilds it from the environment
    if app_target is not None:
        uvicorn.run(app_target, reload=reload, workers=workers, **options)
        return
    assert impl is not None
    os.environ.update(
        serve_environment(
            spec,
            impl,
            package,
            config_path,
            validate_responses=validate_responses,
            verifier=verifier,
            cors_origins=cors_origins,
        )
    )
    target = "toolkit.verify.apps:app_from_environment"
    uvicorn.run(target, factory=True, reload=reload, workers=workers, **options)
