"""Which URLs verification may reach: loopback by default (nothing `ctk` does by default
leaves the machine), another host only when the user allows it by name."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from toolkit.errors import UsageError

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})


def allowed_host(url: str, allow_hosts: tuple[str, ...], *, label: str, why: str) -> str:
    """The URL's host, once the URL is http(s) and the host loopback or allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(
            f"{label} must be an http(s) URL, got {url!r}", hint="e.g. http://127.0.0.1:8000"
        )
    host = parts.hostname
    if host not in LOOPBACK_HOSTS and host not in allow_hosts:
        raise UsageError(
            f"{label} {url}: {host} is not a loopback address",
            hint=f"{why}; if {host} is yours, add --allow-host {host}",
        )
    return host


def check_url(url: str, allow_hosts: tuple[str, ...], *, why: str, instead: str) -> str:
    """`--url`: the base URL without a trailing slash, once its host is allowed and answers
    TCP (a server that is not there is a usage error, not a run of failures)."""
    host = allowed_host(url, allow_hosts, label="--url", why=why)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((host, port), timeout=3):
            pass
    except OSError as exc:
        raise UsageError(
            f"--url {url}: cannot connect to {host}:{port} ({exc.strerror or exc})",
            hint=f"start the service first, or {instead}",
        ) from None
    return url.rstrip("/")
