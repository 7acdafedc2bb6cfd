"""`$ref` resolution under a safety policy: local files under the spec's folder only.

A reference is resolved to a `Target` (file + pointer). Files outside the root folder
and URLs are refused unless the options allow them; even then URLs are fetched only with
`allow_remote_refs`. Every reachable reference is checked once up front, so later stages
can follow refs without re-checking, and every problem is reported together.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit import pointer as jp
from toolkit.config import LoadOptions
from toolkit.errors import LoadError, Location, RefError
from toolkit.load.parse import decode
from toolkit.load.scan import RefSite
from toolkit.load.source import SourceFile, load_source, source_from_text

_REMOTE_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class Site:
    """Where a reference was written; turned into a Location only when something fails."""

    source: SourceFile
    written_at: str | RefSite  # a RefSite builds its pointer only if something fails

    @property
    def pointer(self) -> str:
        return self.written_at if isinstance(self.written_at, str) else self.written_at.pointer

    def location(self) -> Location:
        return self.source.location(self.pointer)


@dataclass(frozen=True, slots=True)
class Target:
    uri: str
    pointer: str

    def __str__(self) -> str:
        return f"{self.uri}#{self.pointer}"


class RefResolver:
    """Owns every file of one document and answers `$ref`s between them."""

    def __init__(
        self,
        root: SourceFile,
        options: LoadOptions,
        fetch: Callable[[str, LoadOptions], bytes] | None = None,
    ) -> None:
        self.root = root
        self.options = options
        self.root_dir = root.path.absolute().parent.resolve()
        self.files: dict[str, SourceFile] = {root.uri: root}
        self._fetch = fetch or _fetch_url
        # target -> the target holding the value a chain of bare `$ref`s from it ends at
        self._final: dict[Target, Target] = {}

    # -- targets ---------------------------------------------------------------------------

    def target(self, ref: str, base: SourceFile, site: str | RefSite) -> Target:
        """Where `ref` (found at `site` in `base`) points; raises RefError when refused."""
        if ref.startswith("#/") and "%" not in ref:  # the common case, kept cheap
            return Target(base.uri, ref[1:])
        try:
            split = urllib.parse.urlsplit(ref)
        except ValueError as exc:  # e.g. an unclosed IPv6 host
            raise RefError(
                f"$ref {ref!r} is not a valid URI reference ({exc})",
                base.location(_pointer_of(site)),
                hint="use a relative file path or a '#/...' pointer",
            ) from None
        fragment = urllib.parse.unquote(split.fragment)
        if fragment and not fragment.startswith("/"):
            raise RefError(
                f"$ref {ref!r} uses a plain-name fragment, which is not supported",
                base.location(_pointer_of(site)),
                hint="point at the schema with a JSON pointer, e.g. '#/components/schemas/Name'",
            )
        if split.scheme in _REMOTE_SCHEMES or (not split.scheme and base.uri.startswith("http")):
            url = urllib.parse.urljoin(
                base.uri, urllib.parse.urlunsplit(split._replace(fragment=""))
            )
            if not url:
                return Target(base.uri, fragment)
            if not self.options.allow_remote_refs:
                raise RefError(
                    f"$ref {ref!r} points at a URL, which is never fetched by default",
                    base.location(_pointer_of(site)),
                    hint="vendor the file next to the spec, or pass --allow-remote-refs",
                )
            return Target(url, fragment)
        if split.scheme and split.scheme != "file":
            raise RefError(
                f"$ref {ref!r} uses the unsupported scheme {split.scheme!r}",
                base.location(_pointer_of(site)),
                hint="use a relative file path or a '#/...' pointer",
            )
        if not split.path:
            return Target(base.uri, fragment)
        raw = urllib.parse.unquote(split.path)
        path = Path(raw) if split.scheme == "file" else base.path.absolute().parent / raw
        try:
            resolved = path.resolve()
        except (OSError, ValueError, RuntimeError) as exc:  # a symlink loop, a NUL byte...
            raise RefError(
                f"$ref {ref!r} names a file that cannot be resolved ({exc})",
                base.location(_pointer_of(site)),
                hint="use a relative path to a regular file under the spec's folder",
            ) from None
        if not resolved.is_relative_to(self.root_dir) and not self.options.allow_outside_root:
            raise RefError(
                f"$ref {ref!r} escapes the spec's folder ({self.root_dir})",
                base.location(_pointer_of(site)),
                hint="keep referenced files under the spec's folder, or pass --allow-outside-root",
            )
        return Target(str(resolved), fragment)

    # -- files and values ------------------------------------------------------------------

    def source(self, target: Target, cause: Site) -> SourceFile:
        known = self.files.get(target.uri)
        if known is not None:
            return known
        if len(self.files) >= self.options.max_files:
            raise RefError(
                f"more than {self.options.max_files} files are referenced",
                cause.location(),
                hint="raise [tool.ctk.load] max-files if this is intended",
            )
        try:
            if target.uri.startswith(_REMOTE_SCHEMES):
                text = decode(self._fetch(target.uri, self.options), target.uri)
                parsed = urllib.parse.urlsplit(target.uri)
                source = source_from_text(
                    Path(parsed.path or "/remote"), text, self.options, display=target.uri
                )
            else:
                path = Path(target.uri)
                try:
                    display = str(path.relative_to(Path.cwd()))
                except ValueError:
                    display = str(path)
                source = load_source(path, self.options, display=display)
        except LoadError as exc:
            exc.notes.append(f"referenced from {cause.location()}")
            raise
        source.uri = target.uri
        self.files[target.uri] = source
        return source

    def value(self, target: Target, cause: Site) -> Any:
        source = self.source(target, cause)
        try:
            return jp.resolve(source.data, target.pointer)
        except (KeyError, ValueError) as exc:
            raise RefError(
                f"$ref target {target.pointer or '#'} does not exist in {source.display}"
                f" (no {exc.args[0] if exc.args else ''!r})",
                cause.location(),
                hint="fix the pointer or add the missing component",
            ) from None

    def follow(self, target: Target, cause: Site) -> tuple[Target, Any]:
        """Follow a chain of bare `$ref` objects to a real value; refuse pure cycles."""
        chain = [target]
        on_chain = {target}
        value = self.value(target, cause)
        while isinstance(value, dict) and isinstance(value.get("$ref"), str):
            final = self._final.get(target)
            if final is not None:  # followed before: a long chain is walked once, not per ref
                target, value = final, self.value(final, cause)
                break
            source = self.files[target.uri]
            target = self.target(value["$ref"], source, target.pointer)
            if target in on_chain:
                steps = " -> ".join(str(self._short(t)) for t in [*chain, target])
                raise RefError(
                    "$ref cycle: the chain of references never reaches a value",
                    cause.location(),
                    notes=[f"chain: {steps}"],
                    hint="point one of the references at a real schema",
                )
            chain.append(target)
            on_chain.add(target)
            value = self.value(target, cause)
        for step in chain:
            self._final[step] = target
        return target, value

    def _short(self, target: Target) -> str:
        source = self.files.get(target.uri)
        name = source.display if source and source is not self.root else ""
        return f"{name}#{target.pointer}"

    # -- checking --------------------------------------------------------------------------

    def check_all(self) -> None:
        """Resolve every reachable `$ref` once; raise one RefError listing every problem."""
        problems: list[LoadError] = []
        pending = [self.root]
        seen: set[str] = {self.root.uri}
        followed: set[Target] = set()
        while pending:
            source = pending.pop()
            for site in source.refs:
                cause = Site(source, site)
                try:
                    target = self.target(site.ref, source, site)
                    if target in followed:
                        continue
                    followed.add(target)
                    self.follow(target, cause)
                except LoadError as exc:
                    if not isinstance(exc, RefError):
                        raise
                    problems.append(exc)
                    if len(problems) >= 50:
                        break
                    continue
                for uri, file in list(self.files.items()):
                    if uri not in seen:
                        seen.add(uri)
                        pending.append(file)
        if problems:
            first = problems[0]
            for other in problems[1:]:
                first.notes.append(f"also: {other.location}: {other.message}")
            raise first

    def iter_files(self) -> Iterator[SourceFile]:
        return iter(self.files.values())


def _fetch_url(url: str, options: LoadOptions) -> bytes:
    """Fetch a remote `$ref` target; only reached with --allow-remote-refs."""
    request = urllib.request.Request(url, headers={"User-Agent": "contract-toolkit"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=options.remote_timeout) as response:  # noqa: S310
            data: bytes = response.read(options.max_bytes + 1)
    except OSError as exc:
        raise RefError(f"cannot fetch {url}: {exc}", Location(url)) from None
    if len(data) > options.max_bytes:
        raise RefError(f"{url} is over the limit of {options.max_bytes:,} bytes", Location(url))
    return data


def _pointer_of(site: str | RefSite) -> str:
    return site if isinstance(site, str) else site.pointer
