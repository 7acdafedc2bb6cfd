"""`ctk serve SPEC --impl module:attr`: the generated app around your implementation, on uvicorn."""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import Any

import click

from toolkit._imports import import_object
from toolkit.cli._common import resolve_config
from toolkit.config import CorsOptions, RateLimitOptions, ServeOptions
from toolkit.errors import Location, UsageError
from toolkit.model.build import METHODS
from toolkit.verify.apps import (
    check_serves,
    documents,
    limits_summary,
    log_config,
    options_app,
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
            if not documents(op, status):
                raise UsageError(
                    f"GET {path} answered {status}, which the spec does not document",
                    Location(str(spec)),
                )
            probed += 1
    return operations, probed


@click.command()
@click.argument(
    "spec", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--impl", help="Your service object (or a class/factory): module:attr.")
@click.option(
    "--app",
    "app_target",
    help="A complete ASGI app built with create_app (your settings, lifespan): module:attr.",
)
@click.option("--package", help="The generated package (default: from [tool.ctk.generate]).")
@click.option("--host", help="Interface to bind.  [default: 127.0.0.1]")
@click.option("--port", type=click.IntRange(0, 65535), help="Port.  [default: 8000]")
@click.option(
    "--validate-responses",
    is_flag=True,
    default=None,
    help="Check every response against the spec.",
)
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
@click.option(
    "--rate-limit",
    help="Limit every operation the spec does not limit more specifically, per client: "
    "'600/minute', '10/second', or 'off' for no limits at all (spec's included).",
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
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The pyproject.toml whose [tool.ctk.serve] to read (default: the nearest).",
)
def serve(
    spec: Path | None,
    impl: str | None,
    app_target: str | None,
    package: str | None,
    host: str | None,
    port: int | None,
    validate_responses: bool | None,
    verifier: str | None,
    cors_origins: tuple[str, ...],
    rate_limit: str | None,
    reload: bool,
    workers: int,
    check: bool,
    config_path: Path | None,
) -> None:
    """Serve SPEC with your implementation of its generated service protocol.

    Every option can live in [tool.ctk.serve] (with its cors and rate-limit tables); the
    command line wins."""
    import uvicorn

    config = resolve_config(config_path, None, None, None)
    given: dict[str, Any] = {
        "spec": spec,
        "package": package,
        "host": host,
        "port": port,
        "validate_responses": validate_responses,
        "verifier": verifier,
    }
    options = dataclasses.replace(
        config.serve, **{key: value for key, value in given.items() if value is not None}
    )
    if impl is not None or app_target is not None:  # the command line picks the target
        options = dataclasses.replace(options, impl=impl, app=app_target)
    if cors_origins:
        cors = options.cors or CorsOptions(origins=())
        options = dataclasses.replace(options, cors=dataclasses.replace(cors, origins=cors_origins))
    if rate_limit is not None:
        options = dataclasses.replace(options, rate_limit=_rate_limit(options, rate_limit))
    if options.spec is None:
        raise click.UsageError("give SPEC, or spec in [tool.ctk.serve]")
    if (options.impl is None) == (options.app is None):
        raise click.UsageError("give exactly one of --impl (a service) or --app (a built app)")
    spec = options.spec
    if not spec.is_file():
        raise UsageError(f"{spec}: no such file", hint="check spec in [tool.ctk.serve]")
    from toolkit.load import bundle_document, load_document

    document = load_document(spec, config.load)  # once, for both startup checks below
    bundle = bundle_document(document)
    if options.app is not None:
        # a built app carries its own package and settings: a flag for them would do nothing
        flags = (
            ("--package", package),
            ("--validate-responses", validate_responses),
            ("--cors-origin", cors_origins),
            ("--verifier", verifier),
            ("--rate-limit", rate_limit),
        )
        ignored = [flag for flag, value in flags if value]
        if ignored:
            raise click.UsageError(
                f"{' and '.join(ignored)} only apply with --impl; with --app, "
                "build the app with them (create_app(service, settings=Settings(...)))"
            )
        app = import_object(options.app, "--app")
    else:
        app = options_app(options, config)
        unverified = secured_schemes(document, bundle) if options.verifier is None else []
        if unverified:
            click.echo(
                f"warning: no --verifier: the security scheme(s) {', '.join(unverified)} accept "
                "no credential, so every secured operation answers 401 "
                "(e.g. --verifier toolkit.runtime.verifiers:from_environment)",
                err=True,
            )
        click.echo(limits_summary(app), err=True)
    check_serves(app, spec, bundle.data, built=options.impl is not None)
    if check:
        _smoke(app, spec)
        return
    target = options.impl or options.app
    where = f"http://{options.host}:{options.port}"
    click.echo(f"serving {spec} with {target} on {where} (docs at /docs)")
    uvicorn_options: dict[str, Any] = {
        "host": options.host,
        "port": options.port,
        "log_level": "info",
        # the app's own JSON access log (one line a request) replaces uvicorn's
        "access_log": False,
        "log_config": log_config(),
    }
    if not reload and workers == 1:
        uvicorn.run(app, **uvicorn_options)
        return
    # more processes (or a reloader) import the app themselves: by its import string, or,
    # for --impl, through a factory that rebuilds it from the environment
    if options.app is not None:
        uvicorn.run(options.app, reload=reload, workers=workers, **uvicorn_options)
        return
    os.environ.update(serve_environment(options, config_path))
    factory = "toolkit.verify.apps:app_from_environment"
    uvicorn.run(factory, factory=True, reload=reload, workers=workers, **uvicorn_options)


def _rate_limit(options: ServeOptions, text: str) -> RateLimitOptions:
    """`--rate-limit LIMIT|off` over `[tool.ctk.serve.rate-limit]`."""
    if text.strip().lower() == "off":
        return dataclasses.replace(options.rate_limit, enabled=False)
    from toolkit.rate_limit import Limit

    try:
        Limit.parse(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--rate-limit") from None
    return dataclasses.replace(options.rate_limit, default=text, enabled=True)
