"""`ctk diff OLD NEW`: what changed between two versions of a spec, and what it breaks.

Stages: each side loaded (a file or `git:REF:path`, sources.py) and bundled as OpenAPI 3
(`bundle_as_openapi3`: Swagger 2.0 is read as its 3.0 equivalent), its operations viewed by
meaning (view.py), compared operation by operation (compare.py) and schema by schema in
the direction data flows (schemas.py). Every change becomes a Diagnostic under a stable
rule (rules.py): error = breaking, warning = potentially breaking, info = compatible,
located on the new side (the old one for removals) with the other side as related.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.config import LoadOptions
from toolkit.errors import Diagnostic, LoadError, Location, Severity
from toolkit.load import Document, load_document
from toolkit.load.bundle import Bundle
from toolkit.load.pact import PactFile, load_pact, pact_paths
from toolkit.load.upgrade import bundle_as_openapi3
from toolkit.outcome import Outcome

from .compare import compare
from .consumers import Reliance, reliances, server_prefixes
from .ignore import apply, load_ignores
from .rules import RULES
from .schemas import Change
from .sources import materialize
from .view import Operations, operations

__all__ = ["RULES", "Change", "DiffOutcome", "diff_documents", "diff_specs"]

TOOL = "ctk diff"


@dataclass(frozen=True)
class DiffOutcome(Outcome):
    """An Outcome whose diagnostics may carry which known consumers rely on them."""

    relied: tuple[bool, ...] = ()  # per diagnostic, with --pacts: a consumer relies on it
    pacts: tuple[str, ...] = ()

    def consumers_broken(self) -> bool:
        """A breaking change some known consumer relies on."""
        pairs = zip(self.diagnostics, self.relied, strict=False)
        return any(d.severity is Severity.ERROR and relied for d, relied in pairs)


def diff_specs(
    old: str,
    new: str,
    options: LoadOptions | None = None,
    pacts: Sequence[Path] = (),
    ignore: Path | None = None,
    today: dt.date | None = None,
) -> DiffOutcome:
    """Load both sides (LoadError, exit 2, when one cannot be) and diff them; with `pacts`
    (files or folders), say which consumer interactions rely on each change; with `ignore`,
    apply its accepted changes (ignore.py) as of `today`."""
    with tempfile.TemporaryDirectory(prefix="ctk-diff-") as scratch:
        documents = []
        for index, spec in enumerate((old, new)):
            folder = Path(scratch) / str(index)
            folder.mkdir()
            path = materialize(spec, folder)
            documents.append(load_document(path, options, display=spec))
        loaded = [load_pact(path) for path in pact_paths(pacts)] if pacts else []
        outcome = diff_documents(documents[0], documents[1], loaded if pacts else None)
    if ignore is None:
        return outcome
    source, accepted = load_ignores(ignore, options)
    kept = apply(outcome.diagnostics, accepted, today or dt.date.today())
    relied = (*outcome.relied, *([False] * (len(kept) - len(outcome.diagnostics))))
    return replace(
        outcome,
        diagnostics=tuple(kept),
        relied=relied,
        sources={**outcome.sources, source.display: source.text},
    )


def diff_documents(
    old: Document, new: Document, pacts: Sequence[PactFile] | None = None
) -> DiffOutcome:
    started = time.perf_counter()
    old_doc, old_bundle = bundle_as_openapi3(old)
    new_doc, new_bundle = bundle_as_openapi3(new)
    views = operations(old_bundle.data), operations(new_bundle.data)
    _same_api(old_doc, old_bundle, new_doc, new_bundle, views)
    changes = compare(
        old_bundle.data,
        new_bundle.data,
        not old_doc.version.is_31_or_later,
        not new_doc.version.is_31_or_later,
        views,
    )
    groups = _groups(changes)
    diagnostics = _diagnostics([g[0] for g in groups], old_doc, old_bundle, new_doc, new_bundle)
    diagnostics = [_also(d, group) for d, group in zip(diagnostics, groups, strict=True)]
    relied = [False] * len(diagnostics)
    sources = {old.display: old.root.text, new.display: new.root.text}
    if pacts is not None:
        prefixes = server_prefixes(old_bundle.data)
        for index, group in enumerate(groups):
            if RULES[group[0].rule].severity is Severity.INFO:
                continue
            found = [r for change in group for r in reliances(change, pacts, prefixes)]
            diagnostics[index] = _with_consumers(diagnostics[index], found)
            relied[index] = bool(found)
        sources |= {pact.display: pact.text for pact in pacts}
    order = sorted(range(len(diagnostics)), key=lambda i: diagnostics[i].sort_key())
    return DiffOutcome(
        tool=TOOL,
        targets=(old.display, new.display),
        diagnostics=tuple(diagnostics[i] for i in order),
        rules=RULES,
        sources=sources,
        elapsed=time.perf_counter() - started,
        scope=f"{len(views[0])} → {len(views[1])} operations ({len(groups)} change(s))",
        relied=tuple(relied[i] for i in order),
        pacts=tuple(p.display for p in pacts or ()),
    )


def _groups(changes: list[Change]) -> list[list[Change]]:
    """One finding per change of the documents: a shared schema's change, met under several
    operations, is one finding that names them (and whose consumers are all of theirs)."""
    found: dict[tuple[str, str | None, str | None], list[Change]] = {}
    for change in changes:
        found.setdefault((change.rule, change.old, change.new), []).append(change)
    return list(found.values())


def _also(diagnostic: Diagnostic, group: list[Change]) -> Diagnostic:
    others = sorted({c.operation for c in group[1:]} - {group[0].operation} - {""})
    if not others:
        return diagnostic
    shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
    return replace(diagnostic, message=f"{diagnostic.message} (also {shown})")


def _with_consumers(diagnostic: Diagnostic, found: list[Reliance]) -> Diagnostic:
    if not found:
        return replace(diagnostic, hint="no known consumer relies on this")
    names = sorted({f"{r.pact.consumer} {r.interaction.description!r} ({r.why})" for r in found})
    shown = "; ".join(names[:3]) + (f"; and {len(names) - 3} more" if len(names) > 3 else "")
    unique = {(r.pact.display, r.interaction.pointer): r for r in found}
    places = tuple(r.pact.location(r.interaction.pointer) for r in list(unique.values())[:3])
    return replace(
        diagnostic,
        message=f"{diagnostic.message} [relied on by {shown}]",
        related=(*diagnostic.related, *places),
    )


def _same_api(
    old: Document,
    old_bundle: Bundle,
    new: Document,
    new_bundle: Bundle,
    views: tuple[Operations, Operations],
) -> None:
    """Refuse to compare two different APIs: no path in common (the root aside) and another
    title."""

    def title(bundle: Bundle) -> str:
        info = bundle.data.get("info")
        return str(info.get("title", "")) if isinstance(info, dict) else ""

    before, after = views
    shared = ({path for _, path in before} & {path for _, path in after}) - {"/"}
    if before and after and not shared and title(old_bundle) != title(new_bundle):
        raise LoadError(
            f"{old.display} ({title(old_bundle)!r}) and {new.display} ({title(new_bundle)!r}) "
            "look like two different APIs: no path in common and another title",
            Location(new.display),
            hint="compare two versions of one API",
        )


def _diagnostics(
    changes: list[Change],
    old: Document,
    old_bundle: Bundle,
    new: Document,
    new_bundle: Bundle,
) -> list[Diagnostic]:
    old_places = {c.old for c in changes if c.old is not None}
    new_places = {c.new for c in changes if c.new is not None}
    old_located = _locate(old, old_bundle, sorted(old_places))
    new_located = _locate(new, new_bundle, sorted(new_places))
    found = []
    for change in changes:
        rule = RULES[change.rule]
        here = new_located.get(change.new) if change.new is not None else None
        there = old_located.get(change.old) if change.old is not None else None
        removal = change.new is None or change.rule.endswith("removed")
        primary, other = (there, here) if removal and there is not None else (here, there)
        location = primary or other or Location(new.display)
        related = tuple(x for x in (other,) if x is not None and x != location)
        message = (
            f"{change.operation}: {change.message}"
            if change.operation and not change.message.startswith(change.operation)
            else change.message
        )
        found.append(Diagnostic(change.rule, rule.severity, message, location, related=related))
    return found


def _locate(document: Document, bundle: Bundle, pointers: list[str]) -> dict[str, Location]:
    located = document.locations([bundle.origin(p) for p in pointers])
    return dict(zip(pointers, located, strict=True))
