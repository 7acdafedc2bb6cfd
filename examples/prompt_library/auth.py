"""API keys and bearer tokens: a `Verifier` over a static table read from the environment.

`PROMPT_LIBRARY_API_KEYS` lists `key=scope scope ...` entries separated by `;`, for example
`PROMPT_LIBRARY_API_KEYS="ci-reader=prompts:read;ops-4f1c=prompts:read prompts:write"`.
Each credential is accepted both as an `X-API-Key` header (the `apiKey` scheme) and as an
`Authorization: Bearer ...` token (the `oauth2` scheme: tokens are opaque strings mapped to
scopes here; no token endpoint, no network). Scopes are `prompts:read` and `prompts:write`.

When the variable is not set at all, one development key is active: `dev-key`, with both
scopes (`DEV_KEYS`), and a warning is logged. Set the variable — to an empty string to
refuse every request — anywhere but on a developer's machine.

The principal's subject (what `created_by` shows and what idempotency keys are scoped to)
is `key-` and the first 12 hex digits of the key's SHA-256, so keys never appear in data.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping

from toolkit.runtime import Principal, StaticKeys

__all__ = ["DEV_KEYS", "ENV_VAR", "SCOPES", "load_verifier", "parse_api_keys", "subject_for"]

ENV_VAR = "PROMPT_LIBRARY_API_KEYS"
DEV_KEYS = "dev-key=prompts:read prompts:write"
SCOPES = frozenset({"prompts:read", "prompts:write"})

_log = logging.getLogger(__name__)


def parse_api_keys(text: str) -> dict[str, frozenset[str]]:
    """`key=scope scope;key2=scope` → {key: scopes}; raises ValueError naming the entry."""
    keys: dict[str, frozenset[str]] = {}
    for number, entry in enumerate(text.split(";"), start=1):
        if not entry.strip():
            continue
        key, sep, scopes_text = entry.partition("=")
        key = key.strip()
        where = f"{ENV_VAR} entry {number}"  # never echo the key itself
        if not sep or not key:
            raise ValueError(f"{where}: expected key=scope scope ...")
        scopes = frozenset(scopes_text.split())
        unknown = sorted(scopes - SCOPES)
        if unknown:
            known = ", ".join(sorted(SCOPES))
            raise ValueError(f"{where}: unknown scopes {', '.join(unknown)} (known: {known})")
        if key in keys:
            raise ValueError(f"{where}: the key is listed twice")
        keys[key] = scopes
    return keys


def subject_for(key: str) -> str:
    return "key-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


def load_verifier(env: Mapping[str, str] | None = None) -> StaticKeys:
    """The verifier for `env` (default: the process environment)."""
    env = os.environ if env is None else env
    text = env.get(ENV_VAR)
    if text is None:
        _log.warning("%s is not set: accepting the development key 'dev-key'", ENV_VAR)
        text = DEV_KEYS
    grants = parse_api_keys(text)
    # scheme="": the same credential is accepted under apiKey and oauth2 alike.
    return StaticKeys(
        {key: Principal(subject_for(key), scopes, scheme="") for key, scopes in grants.items()}
    )
