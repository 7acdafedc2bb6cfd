"""`--header 'Name: value'`, with `${VAR}` taken from the environment (secrets stay out of
command lines and config files)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping

from toolkit.errors import UsageError

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def parse_headers(
    values: Iterable[str], environ: Mapping[str, str] | None = None
) -> dict[str, str]:
    environ = os.environ if environ is None else environ
    headers: dict[str, str] = {}
    for raw in values:
        name, sep, value = raw.partition(":")
        name, value = name.strip(), value.strip()
        if not sep or not _TOKEN.fullmatch(name):
            raise UsageError(f"--header must look like 'Name: value', got {raw!r}")

        def expand(match: re.Match[str], raw: str = raw) -> str:
            variable = match[1]
            if variable not in environ:
                raise UsageError(
                    f"--header {raw.partition(':')[0]}: ${{{variable}}} is not set",
                    hint=f"export {variable}=... before running ctk fuzz",
                )
            return environ[variable]

        value = _VARIABLE.sub(expand, value)
        if any(c in value for c in "\r\n\0"):
            raise UsageError(f"--header {name}: the value holds a line break or NUL")
        headers[name] = value
    return headers
