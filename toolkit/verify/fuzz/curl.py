"""A curl command that sends exactly the recorded request, byte for byte (bash).

Generated curl lines break on hostile data (schemathesis#2966). Here every argument is
quoted for bash: plain printable ASCII in single quotes, anything else in `$'...'` with
hex escapes; a body that is not printable text is piped in through `printf` with octal
escapes (argv cannot carry NUL). `--globoff` stops curl from expanding `[]{}` in URLs,
`--path-as-is` keeps `/../` as sent, and a body is never read from a file by accident
(`@` only ever means stdin here).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from toolkit.verify.fuzz.results import Request

# curl computes these itself; sending both would corrupt the request
_SKIPPED_HEADERS = frozenset({"content-length", "transfer-encoding", "host"})
_PLAIN = frozenset(range(0x20, 0x7F))
BASE_VARIABLE = "CTK_BASE_URL"


def quote(value: str | bytes) -> str:
    """One bash word that expands to exactly `value`'s bytes (str is encoded as UTF-8).
    NUL cannot be in an argument; callers keep it out (see `curl_command`)."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    if all(b in _PLAIN for b in data):
        return "'" + data.decode("ascii").replace("'", "'\\''") + "'"
    out = []
    for b in data:
        if b == 0x5C:
            out.append("\\\\")
        elif b == 0x27:
            out.append("\\'")
        elif b in _PLAIN:
            out.append(chr(b))
        else:
            out.append(f"\\x{b:02x}")
    return "$'" + "".join(out) + "'"


def printf_literal(data: bytes) -> str:
    """A `printf` format (single-quoted) that prints exactly `data`, NUL included."""
    out = []
    for b in data:
        if b == 0x25:
            out.append("%%")
        elif b == 0x5C:
            out.append("\\\\")
        elif b in _PLAIN and b != 0x27:
            out.append(chr(b))
        else:
            out.append(f"\\{b:03o}")
    return "'" + "".join(out) + "'"


def curl_command(request: Request, base_url: str) -> str:
    """The request against `base_url` (overridable with $CTK_BASE_URL when it runs)."""
    parts = urlsplit(request.url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    url = f'"${{{BASE_VARIABLE}:-{_double_quoted(base_url.rstrip("/"))}}}"{quote(target)}'
    words = ["curl", "--globoff", "--path-as-is", "-sS", "-i", "-X", quote(request.method)]
    for name, value in request.headers:
        if name.lower() in _SKIPPED_HEADERS:
            continue
        header = f"{name};" if value == "" else f"{name}: {value}"
        words += ["-H", quote(header.encode("latin-1", "replace"))]
    body = request.body
    prefix = ""
    if body:
        if all(b in _PLAIN or b in (0x09, 0x0A, 0x0D) for b in body) and not body.startswith(b"@"):
            words += ["--data-binary", quote(body)]
        else:
            prefix = f"printf {printf_literal(body)} | "
            words += ["--data-binary", "@-"]
    elif body is not None and request.method.upper() not in ("GET", "HEAD", "DELETE"):
        words += ["--data-binary", "''"]
    words.append(url)
    return prefix + " ".join(words)


def _double_quoted(text: str) -> str:
    """Text inside "..." in bash: escape what would expand."""
    return "".join("\\" + c if c in '"$`\\' else c for c in text)
