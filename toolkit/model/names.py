"""Spec strings -> safe, unique Python identifiers (the only names generated code uses)."""

from __future__ import annotations

import keyword
import re
import unicodedata

_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
RESERVED = frozenset({"self", "context", "body", "cls", "typing", "Any", "Reply", "MISSING"})


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    return _WORDS.findall(_ascii(text))


def snake(text: str, *, fallback: str = "value") -> str:
    name = "_".join(w.lower() for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in RESERVED:
        name += "_"
    return name


def pascal(text: str, *, fallback: str = "Model") -> str:
    name = "".join(w[:1].upper() + w[1:] for w in words(text)) or fallback
    if name[0].isdigit():
        name = f"{fallback}{name}"
    if keyword.iskeyword(name) or name in RESERVED:
        name += "_"
    return name


class Namer:
    """Hands out unique names in one namespace, deterministically (first come, plain name).

    `joined` numbers without an underscore (`Pet2`, not `Pet_2`): class names for
    datamodel-code-generator, which rewrites `Pet_2` to `Pet2`.
    """

    def __init__(self, taken: frozenset[str] | set[str] = frozenset(), *, joined: bool = False):
        self._taken = set(taken)
        self._joined = joined

    def claim(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self._taken:
            n += 1
            joined = self._joined or name.endswith("_")
            candidate = f"{name}{n}" if joined else f"{name}_{n}"
        self._taken.add(candidate)
        return candidate
