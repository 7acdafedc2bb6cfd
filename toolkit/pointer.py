"""RFC 6901 JSON pointers: the one way every stage names a place in a document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

_MISSING = object()


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape(t) for t in tokens)


def split(pointer: str) -> list[str]:
    """`/a/b~1c` -> ["a", "b/c"]; the empty pointer is the whole document."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"JSON pointer must start with '/': {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def from_tokens(tokens: Iterable[str | int]) -> str:
    return "".join("/" + escape(t) for t in tokens)


def parent(pointer: str) -> str:
    return pointer.rsplit("/", 1)[0] if pointer else ""


def resolve(document: Any, pointer: str) -> Any:
    """Return the value at `pointer`; raise KeyError naming the first token that is missing."""
    node = document
    for token in split(pointer):
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and is_index(token):
            index = int(token)
            node = node[index] if index < len(node) else _MISSING
        else:
            node = _MISSING
        if node is _MISSING:
            raise KeyError(token)
    return node


def follow(document: Any, value: Any, pointer: str = "") -> tuple[Any, str]:
    """(value, pointer) with a chain of in-document `$ref`s followed; (None, pointer of the
    missing target) when one dangles. For bundled documents, whose refs are all local.
    A `$ref` is a URI, so its fragment is percent-decoded (`~1%7Bid%7D` is `/{id}`)."""
    for _ in range(64):
        ref = value.get("$ref") if isinstance(value, dict) else None
        target = from_ref(ref) if isinstance(ref, str) else None
        if target is None:
            break
        pointer = target
        try:
            value = resolve(document, pointer)
        except (KeyError, ValueError):
            return None, pointer
    return value, pointer


def deref(document: Any, value: Any) -> Any:
    """`value` with its chain of in-document `$ref`s followed; None when one dangles."""
    return follow(document, value)[0]


def from_ref(ref: str) -> str | None:
    """The JSON pointer an in-document `$ref` names (`#/a/~1b%7Bc%7D` -> `/a/~1b{c}`), or
    None for a ref into another document."""
    return unquote(ref[1:]) if ref.startswith("#/") or ref == "#" else None


def is_index(token: str) -> bool:
    """RFC 6901 array index: ASCII digits, no leading zero (`"²".isdigit()` is True)."""
    return token.isascii() and token.isdigit() and (token == "0" or token[0] != "0")


def exists(document: Any, pointer: str) -> bool:
    try:
        resolve(document, pointer)
    except (KeyError, ValueError):
        return False
    return True
