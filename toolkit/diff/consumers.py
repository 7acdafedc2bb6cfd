"""`ctk diff --pacts`: which known consumers rely on what a change touches.

A pact interaction relies on a change when it calls the operation (method and the old path
template, under any server path prefix) and, by the change's side: sends the parameter (or,
for a parameter that became required, does not send it); sends the body member (or lacks a
member that became required); expects the response status and reads the member in the body
it expects (arrays: any item); reads the response header. The pacts are read by the same
parser as `ctk contract` (`toolkit.load.pact`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from toolkit.load.pact import Interaction, PactFile

from .schemas import Change

_MISSING = object()


@dataclass(frozen=True)
class Reliance:
    pact: PactFile
    interaction: Interaction
    why: str  # "reads body.items[].tags", "sends query parameter limit", ...


def server_prefixes(document: Any) -> list[str]:
    """The path part of each server URL (`/v1`), longest first, and the root."""
    found = {""}
    servers = document.get("servers") if isinstance(document, dict) else None
    for server in servers if isinstance(servers, list) else ():
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            path = urlsplit(re.sub(r"\{[^}]*\}", "x", server["url"])).path.rstrip("/")
            found.add(path)
    return sorted(found, key=len, reverse=True)


def reliances(
    change: Change, pacts: Sequence[PactFile], prefixes: Sequence[str]
) -> Iterator[Reliance]:
    where = change.where
    if not where.method:
        return
    pattern = re.compile(
        "".join(
            "[^/]+" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[^}/]*\})", where.path)
        )
    )
    for pact in pacts:
        for interaction in pact.interactions:
            request = interaction.request
            if request.method != where.method:
                continue
            path = request.path.split("?", 1)[0]
            if not any(
                path.startswith(p) and pattern.fullmatch(path[len(p) :] or "/") for p in prefixes
            ):
                continue
            why = _why(change, interaction)
            if why:
                yield Reliance(pact, interaction, why)


def _why(change: Change, interaction: Interaction) -> str:
    where, rule = change.where, change.rule
    request, response = interaction.request, interaction.response
    needs = rule in ("parameter-added-required", "parameter-now-required")
    if where.side == "operation":
        return f"calls {where.method} {where.path}"
    if where.side == "parameter" and where.param is not None:
        location, name = where.param
        sent = _sent(interaction, location, name)
        if needs:
            return "" if sent else f"does not send {location} parameter {name}"
        return f"sends {location} parameter {name}" if sent else ""
    if where.side == "request":
        body = request.body.value if request.body is not None else _MISSING
        if body is _MISSING:
            return ""
        member = _path(where.trail)
        if rule in ("property-added-required", "property-now-required"):
            return "" if _has(body, where.trail) else f"does not send body.{member}"
        if not where.trail:
            return "sends a request body"
        return f"sends body.{member}" if _has(body, where.trail) else ""
    if not _status(where.status, response.status):
        return ""
    if where.side == "header" and where.param is not None:
        return f"reads header {where.param[1]}" if where.param[1] in response.headers else ""
    if where.side == "response":
        if not where.trail:
            return f"expects {response.status}"
        body = response.body.value if response.body is not None else _MISSING
        member = _path(where.trail)
        return f"reads body.{member}" if _has(body, where.trail) else ""
    return ""


def _path(trail: tuple[str, ...]) -> str:
    return ".".join(trail).replace(".[]", "[]").replace(".*", "{*}")


def _sent(interaction: Interaction, location: str, name: str) -> bool:
    request = interaction.request
    if location == "query":
        return name in request.query
    if location == "header":
        return name.lower() in request.headers
    if location == "cookie":
        return any(f"{name}=" in c for c in request.headers.get("cookie", []))
    return True  # a path parameter is always sent


def _status(documented: str, status: int) -> bool:
    if documented in ("", "DEFAULT"):
        return True
    if documented.endswith("XX"):
        return str(status)[:1] == documented[:1]
    return documented == str(status)


def _has(value: Any, trail: tuple[str, ...]) -> bool:
    if not trail:
        return value is not _MISSING
    step, rest = trail[0], trail[1:]
    if step == "[]":
        return isinstance(value, list) and any(_has(item, rest) for item in value)
    if step == "*":
        return isinstance(value, dict) and any(_has(item, rest) for item in value.values())
    return isinstance(value, dict) and step in value and _has(value[step], rest)
