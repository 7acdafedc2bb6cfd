"""Entity tags and `If-Match` (RFC 9110 §8.8.3, §13.1.1).

A prompt's ETag is `"<id>-<revision>"`; the revision starts at 1 and grows with every change
(new version or metadata patch), so it equals `latest_version` until the first patch. A
version is immutable, so its ETag `"<id>-v<version>"` never changes. Both are strong.
"""

from __future__ import annotations

import re

__all__ = ["if_match_allows", "prompt_etag", "version_etag"]

_TAG = r'(?:W/)?"[\x21\x23-\x7E\x80-\xFF]*"'
_ENTITY_TAG = re.compile(_TAG)
_TAG_LIST = re.compile(rf"[ \t,]*{_TAG}(?:[ \t]*,[ \t,]*{_TAG})*[ \t,]*")


def prompt_etag(prompt_id: str, revision: int) -> str:
    return f'"{prompt_id}-{revision}"'


def version_etag(prompt_id: str, version: int) -> str:
    return f'"{prompt_id}-v{version}"'


def if_match_allows(header: str, current: str) -> bool:
    """Whether an `If-Match` value matches the current strong ETag of an existing resource.

    `*` matches anything; otherwise one of the listed entity tags must equal `current` by
    strong comparison (a weak tag never matches). A malformed list matches nothing.
    """
    value = header.strip(" \t")
    if value == "*":
        return True
    if not _TAG_LIST.fullmatch(value):
        return False
    return any(tag.group(0) == current for tag in _ENTITY_TAG.finditer(value))
