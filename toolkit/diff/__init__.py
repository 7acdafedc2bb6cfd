"""`ctk diff OLD NEW`: what changed between two versions of a spec, and what it breaks.

Stages: each side loaded (a file or `git:REF:path`, sources.py) and bundled as OpenAPI 3
(`bundle_as_openapi3`: Swagger 2.0 is read as its 3.0 equivalent), its operations viewed by
meaning (view.py), compared operation by operation (compare.py) and schema by schema in
the direction data flows (schemas.py). Every change becomes a Diagnostic under a stable
rule (rules.py): error = breaking, warning = potentially breaking, info = compatible,
located on the new side (the old one for removals) with the other side as related.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import replace
from pathlib import Path

from toolkit.config import LoadOptions
from toolkit.errors import Diagnostic, LoadError, Location
from toolkit.load import Document, load_document
from toolkit.load.bundle import Bundle
from toolkit.load.upgrade import bundle_as_openapi3
from toolkit.outcome import Outcome

from .compare import compare
from .rules import RULES
from .schemas import Change
from .sources import materialize

__all__ = ["RULES", "Change", "diff_documents", "diff_specs"]

TOOL = "ctk diff"


def diff_specs(old: str, new: str, options: LoadOptions | None = None) -> Outcome:
    """Load both sides (LoadError, exit 2, when one cannot be) and diff them."""
    with tempfile.TemporaryDirectory(prefix="ctk-diff-") as scratch:
        documents = []
        for index, spec in enumerate((old, new)):
            folder = Path(scratch) / str(index)
            folder.mkdir()
            path = materialize(spec, folder)
            documents.append(load_document(path, options, display=spec))
        return diff_documents(documents[0], documents[1])


def diff_documents(old: Document, new: Document) -> Outcome:
    started = time.perf_counter()
    old_doc, old_bundle = bundle_as_openapi3(old)
    new_doc, new_bundle = bundle_as_openapi3(new)
    _same_api(old_doc, old_bundle, new_doc, new_bundle)
    changes = compare(
        old_bundle.data,
        new_bundle.data,
        not old_doc.version.is_31_or_later,
        not new_doc.version.is_31_or_later,
    )
    diagnostics = _diagnostics(changes, old_doc, old_bundle, new_doc, new_bundle)
    return Outcome(
        tool=TOOL,
        targets=(old.display, new.display),
        diagnostics=tuple(sorted(diagnostics, key=Diagnostic.sort_key)),
        rules=RULES,
        sources={old.display: old.root.text, new.display: new.root.text},
        elapsed=time.perf_counter() - started,
        scope=_scope(changes, old_bundle, new_bundle),
    )


def _same_api(old: Document, old_bundle: Bundle, new: Document, new_bundle: Bundle) -> None:
    """Refuse to compare two different APIs: no path in common and another title."""
    from .view import operations

    def title(bundle: Bundle) -> str:
        info = bundle.data.get("info")
        return str(info.get("title", "")) if isinstance(info, dict) else ""

    before, after = operations(old_bundle.data), operations(new_bundle.data)
    shared = {path for _, path in before} & {path for _, path in after}
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
    return {p: replace(loc) for p, loc in zip(pointers, located, strict=True)}


def _scope(changes: list[Change], old: Bundle, new: Bundle) -> str:
    from .view import operations

    before, after = operations(old.data), operations(new.data)
    return f"{len(before)} → {len(after)} operations ({len(changes)} change(s))"
