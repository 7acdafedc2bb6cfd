"""`ctk contract check`: every pact against one OpenAPI document, offline, as one `Outcome`."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from toolkit.config import LoadOptions
from toolkit.errors import Diagnostic, Severity
from toolkit.load import load_document
from toolkit.load.pact import PACT_MAX_BYTES, PactFile, load_pact, pact_paths
from toolkit.outcome import Outcome
from toolkit.verify.compat.check import check_interaction
from toolkit.verify.compat.findings import RULES
from toolkit.verify.compat.spec import ContractSpec

TOOL = "ctk contract check"


def check_contracts(
    spec_path: Path,
    sources: Sequence[Path],
    options: LoadOptions | None = None,
    *,
    pact_max_bytes: int = PACT_MAX_BYTES,
) -> Outcome:
    """Load the spec and the pacts (LoadError, exit 2, when one cannot be read), then check
    every HTTP interaction. Pacts for other providers are checked all the same: the
    caller chose the files."""
    started = time.perf_counter()
    options = options or LoadOptions()
    document = load_document(spec_path, options)
    pact_options = LoadOptions(max_bytes=pact_max_bytes, max_nodes=options.max_nodes)
    pacts = [load_pact(path, pact_options) for path in pact_paths(sources)]
    spec = ContractSpec(document)
    diagnostics: list[Diagnostic] = []
    for pact in pacts:
        diagnostics.extend(check_pact(spec, pact))
    sources_text = {pact.display: pact.text for pact in pacts}
    sources_text[document.display] = document.root.text
    return Outcome(
        tool=TOOL,
        targets=(document.display, *(p.display for p in pacts)),
        diagnostics=tuple(diagnostics),
        rules=RULES,
        sources=sources_text,
        elapsed=time.perf_counter() - started,
        scope=_scope(pacts),
    )


def _scope(pacts: Sequence[PactFile]) -> str:
    checked = sum(len(p.interactions) for p in pacts)
    interactions = "interaction" if checked == 1 else "interactions"
    files = "pact" if len(pacts) == 1 else "pacts"
    return f"{checked} {interactions} of {len(pacts)} {files}"


def check_pact(spec: ContractSpec, pact: PactFile) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for interaction in pact.interactions:
        found.extend(check_interaction(spec, pact, interaction).diagnostics)
    for skipped in pact.skipped:
        found.append(
            Diagnostic(
                rule="contract-not-checked",
                severity=Severity.INFO,
                message=f"{skipped.description!r} ({skipped.kind}): {skipped.reason}",
                location=pact.location(skipped.pointer),
            )
        )
    return found
