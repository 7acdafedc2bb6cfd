"""Verification reaches loopback only, unless the user names another host."""

from __future__ import annotations

import pytest

from toolkit.errors import UsageError
from toolkit.verify.urls import allowed_host, check_url


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost/x", "http://[::1]:9/", "https://localhost"]
)
def test_loopback_is_allowed(url: str) -> None:
    assert allowed_host(url, (), label="--url", why="w") in ("127.0.0.1", "localhost", "::1")


def test_another_host_needs_allow_host_and_says_why() -> None:
    with pytest.raises(UsageError) as info:
        allowed_host("http://api.example.com", (), label="--url", why="it sends requests")
    assert "api.example.com is not a loopback address" in str(info.value)
    assert (
        info.value.hint
        == "it sends requests; if api.example.com is yours, add --allow-host api.example.com"
    )
    assert allowed_host("http://api.example.com", ("api.example.com",), label="x", why="w")


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "127.0.0.1:8000", "http://"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(UsageError, match="must be an http"):
        allowed_host(url, (), label="--url", why="w")


def test_a_closed_port_is_a_usage_error_with_the_alternative() -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(UsageError, match=f"cannot connect to 127.0.0.1:{port}") as info:
        check_url(f"http://127.0.0.1:{port}", (), why="w", instead="run it in-process")
    assert info.value.hint == "start the service first, or run it in-process"
