"""The `Prefer` request header, as Prism reads it: `code=404`, `example=name`, `dynamic=true`.

RFC 7240 preferences, comma separated (`;` parameters are read the same way); a preference
the mock does not know is ignored, as the RFC asks. A known one with a value the operation
cannot honour is the client's mistake: a 400 problem, never a silent fallback.
"""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.runtime import HTTPProblem


@dataclass(frozen=True, slots=True)
class Preference:
    code: int | None = None
    example: str | None = None
    dynamic: bool | None = None  # None: the mock's default


NONE = Preference()


def parse(header: str | None) -> Preference:
    """The preferences in a `Prefer` header; HTTPProblem(400) for a malformed known one."""
    if not header:
        return NONE
    found: dict[str, str] = {}
    for part in header.replace(";", ",").split(","):
        name, sep, value = part.partition("=")
        name = name.strip().lower()
        if name:
            found.setdefault(name, value.strip().strip('"') if sep else "")
    code: int | None = None
    if "code" in found:
        text = found["code"]
        if not (text.isascii() and text.isdigit() and len(text) == 3 and 100 <= int(text) <= 599):
            raise HTTPProblem(400, detail=f"Prefer: code={text!r} is not an HTTP status code")
        code = int(text)
    dynamic: bool | None = None
    if "dynamic" in found:
        text = found["dynamic"].lower()
        if text not in ("true", "false"):
            raise HTTPProblem(400, detail=f"Prefer: dynamic={text!r} is not true or false")
        dynamic = text == "true"
    example = found.get("example") or None
    return Preference(code, example, dynamic)
