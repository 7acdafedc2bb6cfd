"""What `ctk fuzz` talks to: an ASGI app in-process, a generated app around an
implementation, or a running server over HTTP (loopback only unless allowed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit._imports import import_object
from toolkit.config import Config, FuzzOptions
from toolkit.errors import UsageError
from toolkit.verify.apps import NO_LIMITS, impl_app
from toolkit.verify.urls import check_url

# The app routes the spec's paths as they are; the host is never dialled.
IN_PROCESS_BASE = "http://localhost"


@dataclass(frozen=True)
class Target:
    kind: str  # "app" | "impl" | "url" | "mock"
    name: str  # the module:attr or URL the user gave ("SPEC" for the mock)
    app: Any | None
    base_url: str
    headers: tuple[str, ...] = ()  # sent unless --header names them (the mock's credential)

    def describe(self) -> str:
        return "--mock" if self.kind == "mock" else f"--{self.kind} {self.name}"


def resolve_target(spec: Path, options: FuzzOptions, config: Config) -> Target:
    """Exactly one of --app/--impl/--url; import errors and refused hosts are exit 2."""
    given = [
        (k, v)
        for k, v in (
            ("app", options.app),
            ("impl", options.impl),
            ("url", options.url),
            ("mock", "SPEC" if options.mock else None),
        )
        if v
    ]
    if len(given) != 1:
        raise UsageError(
            "give exactly one of --app MODULE:ATTR, --impl MODULE:ATTR, --url URL or --mock",
            hint="or set one of them in [tool.ctk.fuzz]",
        )
    kind, value = given[0]
    if kind == "mock":
        return _mock_target(spec, config)
    if kind == "url":
        return Target(
            "url",
            value,
            None,
            check_url(
                value,
                options.allow_hosts,
                why="fuzzing sends thousands of hostile requests",
                instead="fuzz it in-process with --app/--impl",
            ),
        )
    if kind == "app":
        app = import_object(value, "--app")
    else:
        # one fuzzer is one client sending thousands of requests: the spec's rate limits
        # would answer most of them 429 (fuzz --app/--url tests an app as deployed)
        app = impl_app(
            spec, value, options.package, config, validate_responses=False, rate_limit=NO_LIMITS
        )
    if not callable(app):
        raise UsageError(f"--{kind} {value} is not an ASGI application (not callable)")
    return Target(kind, value, app, IN_PROCESS_BASE)


def _mock_target(spec: Path, config: Config) -> Target:
    """`ctk mock SPEC --stateful` in-process (stateful checks need created resources to
    stay), and its credential as headers for the schemes the spec declares."""
    from toolkit.load import load_document
    from toolkit.mock import MockOptions, build_mock, credential_headers

    document = load_document(spec, config.load)
    mock = build_mock(document, MockOptions(stateful=True, access_log=False))
    return Target("mock", "SPEC", mock.app, IN_PROCESS_BASE, credential_headers(mock))
