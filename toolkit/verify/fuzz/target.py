"""What `ctk fuzz` talks to: an ASGI app in-process, a generated app around an
implementation, or a running server over HTTP (loopback only unless allowed)."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from toolkit._imports import import_object
from toolkit.config import Config, FuzzOptions
from toolkit.errors import UsageError
from toolkit.verify.apps import impl_app

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# The app routes the spec's paths as they are; the host is never dialled.
IN_PROCESS_BASE = "http://localhost"


@dataclass(frozen=True)
class Target:
    kind: str  # "app" | "impl" | "url"
    name: str  # the module:attr or URL the user gave
    app: Any | None
    base_url: str

    def describe(self) -> str:
        return f"--{self.kind} {self.name}"


def resolve_target(spec: Path, options: FuzzOptions, config: Config) -> Target:
    """Exactly one of --app/--impl/--url; import errors and refused hosts are exit 2."""
    given = [
        (k, v) for k, v in (("app", options.app), ("impl", options.impl), ("url", options.url)) if v
    ]
    if len(given) != 1:
        raise UsageError(
            "give exactly one of --app MODULE:ATTR, --impl MODULE:ATTR or --url URL",
            hint="or set one of them in [tool.ctk.fuzz]",
        )
    kind, value = given[0]
    if kind == "url":
        return Target("url", value, None, check_url(value, options.allow_hosts))
    if kind == "app":
        app = import_object(value, "--app")
    else:
        app = impl_app(spec, value, options.package, config, validate_responses=False)
    if not callable(app):
        raise UsageError(f"--{kind} {value} is not an ASGI application (not callable)")
    return Target(kind, value, app, IN_PROCESS_BASE)


def check_url(url: str, allow_hosts: tuple[str, ...]) -> str:
    """The base URL without a trailing slash, once its host is allowed and answers TCP."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"--url must be an http(s) URL, got {url!r}", hint="e.g. http://127.0.0.1:8000"
        )
    host = parts.hostname
    if host not in LOOPBACK_HOSTS and host not in allow_hosts:
        raise UsageError(
            f"--url {url}: {host} is not a loopback address",
            hint=f"fuzzing sends thousands of hostile requests; if {host} is yours, add "
            f"--allow-host {host}",
        )
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=3):
            pass
    except OSError as exc:
        raise UsageError(
            f"--url {url}: cannot connect to {host}:{port} ({exc.strerror or exc})",
            hint="start the service first, or fuzz it in-process with --app/--impl",
        ) from None
    return url.rstrip("/")
