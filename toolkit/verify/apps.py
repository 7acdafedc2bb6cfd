"""The generated app around a user's implementation, exactly as `ctk serve --impl` builds it."""

from __future__ import annotations

import inspect
import os
from pathlib import Path
from typing import Any

from toolkit._imports import generated_package, import_object
from toolkit.config import Config
from toolkit.errors import Location, UsageError


def impl_app(
    spec: Path,
    impl: str,
    package: str | None,
    config: Config,
    *,
    validate_responses: bool,
    verifier: str | None = None,
    cors_origins: tuple[str, ...] = (),
) -> Any:
    """`create_app(service)` of the generated package; `impl` may name an instance, a class
    or a factory function (called without arguments). `verifier` names the security
    verifier (a `toolkit.runtime.Verifier`, or a class or factory called without
    arguments that returns one); without it every secured operation answers 401."""
    from toolkit.runtime import Settings

    package = package or generated_package(spec, config)
    create_app = import_object(f"{package}.app:create_app", "--package")
    service = import_object(impl, "--impl")
    if inspect.isclass(service) or inspect.isfunction(service):
        try:
            service = service()
        except Exception as exc:  # the user's constructor or factory raised: input, not findings
            raise UsageError(
                f"--impl: building {impl!r} raised {type(exc).__name__}: {exc}",
                hint="give an instance, or a class or factory that takes no arguments",
            ) from None
    from toolkit.runtime import CorsPolicy

    settings = Settings(
        validate_responses=validate_responses,
        verifier=None if verifier is None else load_verifier(verifier),
        cors=CorsPolicy(origins=cors_origins) if cors_origins else None,
    )
    return create_app(service, settings=settings)


def load_verifier(target: str) -> Any:
    """The `Verifier` `target` names: an instance, or a class or zero-argument factory."""
    found = import_object(target, "--verifier")
    if not _is_verifier(found) and callable(found):
        try:
            found = found()
        except Exception as exc:  # the user's factory raised
            raise UsageError(
                f"--verifier: calling {target!r} raised {type(exc).__name__}: {exc}",
                hint="give a Verifier instance, or a factory that takes no arguments",
            ) from None
    if not _is_verifier(found):
        raise UsageError(
            f"--verifier {target} is not a toolkit.runtime Verifier "
            f"(got {type(found).__name__}: it has no async verify() method)",
            hint="e.g. --verifier examples.prompt_library.auth:load_verifier",
        )
    return found


def _is_verifier(candidate: Any) -> bool:
    return not inspect.isclass(candidate) and inspect.iscoroutinefunction(
        getattr(candidate, "verify", None)
    )


def served_document(app: Any) -> Any:
    """The document `app` serves at `/openapi.json` (called in process, no lifespan: the
    route is built in), or None when it serves none."""
    import asyncio
    import json

    async def call() -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/openapi.json",
            "raw_path": b"/openapi.json",
            "root_path": "",
            "query_string": b"",
            "headers": [(b"host", b"127.0.0.1")],
            "client": ("127.0.0.1", 0),
            "server": ("127.0.0.1", 80),
        }
        status, chunks = 0, []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await app(scope, receive, send)
        return status, b"".join(chunks)

    try:
        status, body = asyncio.run(call())
        return json.loads(body) if status == 200 else None
    except Exception:  # not a ctk app, or one that cannot answer without its lifespan
        return None


def check_serves(app: Any, spec: Path, bundled: Any, *, built: bool) -> None:
    """UsageError unless `app` serves SPEC as it is now (`bundled`: its bundled data): a
    stale generated package (`built`: made by --impl) or an --app built from another
    document would serve another contract."""
    served = served_document(app)
    if served is None or served == bundled:
        return
    raise UsageError(
        f"{spec} is not the document the app serves at /openapi.json",
        Location(str(spec)),
        hint="run `ctk generate` (the generated package is stale)"
        if built
        else "build the app from this document's generated package, or pass its own SPEC",
    )


_ENVIRONMENT = "CTK_SERVE_"


def serve_environment(
    spec: Path,
    impl: str,
    package: str | None,
    config: Path | None,
    *,
    validate_responses: bool,
    verifier: str | None = None,
    cors_origins: tuple[str, ...] = (),
) -> dict[str, str]:
    """What `app_from_environment` needs, as environment variables a worker inherits."""
    values = {
        "SPEC": str(spec.resolve()),
        "IMPL": impl,
        "PACKAGE": package or "",
        "CONFIG": str(config.resolve()) if config is not None else "",
        "VALIDATE_RESPONSES": "1" if validate_responses else "",
        "CORS_ORIGINS": " ".join(cors_origins),
        "VERIFIER": verifier or "",
    }
    return {_ENVIRONMENT + key: value for key, value in values.items()}


def app_from_environment() -> Any:
    """The `--impl` app, rebuilt in a uvicorn worker or reloader process (`ctk serve
    --workers N` / `--reload`) from `serve_environment`'s variables."""
    from toolkit.config import load_config

    env = os.environ
    config_path = env.get(_ENVIRONMENT + "CONFIG") or None
    config = load_config(Path(config_path) if config_path else None)
    return impl_app(
        Path(env[_ENVIRONMENT + "SPEC"]),
        env[_ENVIRONMENT + "IMPL"],
        env.get(_ENVIRONMENT + "PACKAGE") or None,
        config,
        validate_responses=bool(env.get(_ENVIRONMENT + "VALIDATE_RESPONSES")),
        verifier=env.get(_ENVIRONMENT + "VERIFIER") or None,
        cors_origins=tuple(env.get(_ENVIRONMENT + "CORS_ORIGINS", "").split()),
    )


def log_config(logger_name: str = "ctk.access") -> dict[str, Any]:
    """uvicorn's logging setup, plus the app's JSON access log as plain lines on stdout."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["json_line"] = {"format": "%(message)s"}
    config["handlers"]["json_line"] = {
        "formatter": "json_line",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
    }
    config["loggers"][logger_name] = {
        "handlers": ["json_line"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def secured_schemes(document: Any, bundle: Any) -> list[str]:
    """The security schemes the operations require (a request needs a verifier for them)."""
    from toolkit.model import build_api

    api = build_api(document, bundle)
    return sorted(
        {
            name
            for op in api.operations
            for alternative in op.security or ()
            for name, _ in alternative
        }
    )
