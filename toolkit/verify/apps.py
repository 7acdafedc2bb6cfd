"""The generated app around a user's implementation, exactly as `ctk serve --impl` builds it."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os
from pathlib import Path
from typing import Any, Literal

from toolkit._imports import generated_package, import_object
from toolkit.config import Config, CorsOptions, RateLimitOptions, ServeOptions
from toolkit.errors import Location, UsageError

# `ctk fuzz --impl` and `ctk contract verify --impl`: the spec's rate limits off
NO_LIMITS = RateLimitOptions(enabled=False)


def impl_app(
    spec: Path,
    impl: str,
    package: str | None,
    config: Config,
    *,
    validate_responses: bool,
    verifier: str | None = None,
    cors: CorsOptions | None = None,
    rate_limit: RateLimitOptions | None = None,
) -> Any:
    """`create_app(service)` of the generated package; `impl` may name an instance, a class
    or a factory function (called without arguments). `verifier` names the security
    verifier (a `toolkit.runtime.Verifier`, or a class or factory called without
    arguments that returns one); without it every secured operation answers 401.
    `rate_limit` None: the spec's limits, in memory."""
    from toolkit.runtime import CorsPolicy, Settings

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
    try:
        settings = Settings(
            validate_responses=validate_responses,
            verifier=None if verifier is None else load_verifier(verifier),
            cors=None if cors is None else CorsPolicy(**dataclasses.asdict(cors)),
            rate_limits=None if rate_limit is None else rate_limits(rate_limit),
        )
    except ValueError as exc:  # a CORS policy the runtime refuses
        raise UsageError(str(exc), hint="see [tool.ctk.serve.cors] in the README") from None
    return create_app(service, settings=settings)


def rate_limits(options: RateLimitOptions) -> Any:
    """The runtime's `RateLimits` from `[tool.ctk.serve.rate-limit]` (limits already
    checked); with `redis`, a `RedisStore` that must answer now."""
    from toolkit.rate_limit import Limit, parse_extension
    from toolkit.runtime import RateLimits, RedisStore

    store = None
    if options.redis:
        store = RedisStore(options.redis)
        store.check()
    default: Limit | Literal[False] | None = None
    if options.default is not None:
        default = parse_extension(options.default) or False
    return RateLimits(
        default=default,
        operations={name: parse_extension(value) for name, value in options.operations},
        tags={name: parse_extension(value) for name, value in options.tags},
        key="ip" if options.key == "ip" else "principal",
        store=store,
        enabled=options.enabled,
    )


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


_ENVIRONMENT = "CTK_SERVE_OPTIONS"


def serve_environment(options: ServeOptions, config: Path | None) -> dict[str, str]:
    """What `app_from_environment` needs, as one environment variable a worker inherits."""
    data = dataclasses.asdict(options)
    data["spec"] = str(Path(data["spec"]).resolve())
    data["config"] = str(config.resolve()) if config is not None else None
    return {_ENVIRONMENT: json.dumps(data)}


def app_from_environment() -> Any:
    """The `--impl` app, rebuilt in a uvicorn worker or reloader process (`ctk serve
    --workers N` / `--reload`) from `serve_environment`'s variable."""
    from toolkit.config import load_config

    data = json.loads(os.environ[_ENVIRONMENT])
    config_path = data.pop("config")
    config = load_config(Path(config_path) if config_path else None)
    cors = data.pop("cors")
    limits = data.pop("rate_limit")
    options = ServeOptions(
        **{**data, "spec": Path(data["spec"])},
        cors=None if cors is None else CorsOptions(**_tuples(cors)),
        rate_limit=RateLimitOptions(**_tuples(limits)),
    )
    return options_app(options, config)


def _tuples(data: dict[str, Any]) -> dict[str, Any]:
    """JSON lists back to the tuples the option dataclasses hold (pairs stay pairs)."""
    return {
        key: tuple(tuple(v) if isinstance(v, list) else v for v in value)
        if isinstance(value, list)
        else value
        for key, value in data.items()
    }


def options_app(options: ServeOptions, config: Config) -> Any:
    """`impl_app` for `ctk serve --impl`'s options."""
    assert options.spec is not None and options.impl is not None
    return impl_app(
        options.spec,
        options.impl,
        options.package,
        config,
        validate_responses=options.validate_responses,
        verifier=options.verifier,
        cors=options.cors,
        rate_limit=options.rate_limit,
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


def limits_summary(app: Any) -> str:
    """One line for `ctk serve`'s start: the rate-limit policies and what each covers."""
    limiter = getattr(app, "limiter", None)
    decided = getattr(limiter, "decided", None)
    if not decided:
        return "rate limits: none"
    by_policy: dict[tuple[str, str], list[str]] = {}
    for operation, (policy, limit) in decided.items():
        by_policy.setdefault((policy, str(limit)), []).append(operation)
    parts = [
        f"{policy} {limit} ({len(ops)} operation{'s' if len(ops) != 1 else ''})"
        for (policy, limit), ops in by_policy.items()
    ]
    store = getattr(limiter, "store", None)
    url = getattr(store, "url", None)
    where = "in memory" if url is None else f"Redis at {url}"
    return f"rate limits per client, {where}: " + "; ".join(parts)


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


def documents(operation: dict[str, Any], status: int) -> bool:
    """Whether the operation's responses cover `status`: exactly, by its range, or default."""
    keys = {str(code).upper() for code in operation.get("responses", {})}
    return bool(keys & {str(status), f"{str(status)[0]}XX", "DEFAULT"})
