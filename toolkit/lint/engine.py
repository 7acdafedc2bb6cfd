"""Run structural validation and every enabled rule; apply severities and ignores."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from toolkit import pointer as jp
from toolkit.config import Config, LintConfig
from toolkit.errors import Diagnostic, Location, Severity, ToolkitError
from toolkit.lint import rules as _rules  # noqa: F401  (registers the built-in rules)
from toolkit.lint.context import LintContext
from toolkit.lint.registry import RULES, Finding, Rule
from toolkit.lint.structural import COVERED_BY_RULES, STRUCTURE_RULE, validate_structure
from toolkit.load import Document, load_document
from toolkit.load.bundle import Bundle, bundle_document
from toolkit.outcome import Outcome, RuleInfo

IGNORE_KEY = "x-ctk-ignore"
STRUCTURE_INFO = RuleInfo(
    STRUCTURE_RULE, "The document is valid against the OpenAPI schema.", Severity.ERROR
)


def rule_catalog() -> dict[str, RuleInfo]:
    catalog = {r.id: RuleInfo(r.id, r.summary, r.severity) for r in RULES}
    catalog[STRUCTURE_RULE] = STRUCTURE_INFO
    return catalog


def _severity(rule_id: str, default: Severity, config: LintConfig) -> Severity | None:
    if rule_id in config.rules:
        return config.rules[rule_id]
    return default


def active_rules(document: Document, config: LintConfig) -> list[tuple[Rule, Severity]]:
    active = []
    for rule in RULES:
        severity = _severity(rule.id, rule.severity, config)
        if severity is not None and document.version.line in rule.versions:
            active.append((rule, severity))
    return active


def lint_document(document: Document, config: LintConfig | None = None) -> list[Diagnostic]:
    """Every finding for one loaded document, located in the file it came from."""
    config = config or LintConfig()
    bundle = bundle_document(document)
    context = LintContext(document, bundle)
    active = active_rules(document, config)
    # Structural validation first: its memory is freed before the rules need theirs.
    results: list[tuple[str, Severity, Finding]] = []
    structural_severity = _severity(STRUCTURE_RULE, Severity.ERROR, config)
    if structural_severity is not None:
        running = {rule.id for rule, _ in active}
        sites = lambda: ((s.pointer, s.data) for s in context.schemas)  # noqa: E731
        for kind, finding in validate_structure(bundle.data, document.version, sites):
            if COVERED_BY_RULES.get(kind) not in running:
                results.append((STRUCTURE_RULE, structural_severity, finding))
    for rule, severity in active:
        results.extend((rule.id, severity, finding) for finding in rule.check(context))
    kept = [
        (rule_id, severity, finding)
        for rule_id, severity, finding in results
        if not (finding.uri is None and _ignored(bundle.data, finding.pointer, rule_id))
        and not any(i.matches(rule_id, finding.pointer) for i in config.ignores)
    ]
    locations = _locate_all(document, bundle, [finding for _, _, finding in kept])
    diagnostics = {
        Diagnostic(rule_id, severity, finding.message, location, finding.hint)
        for (rule_id, severity, finding), location in zip(kept, locations, strict=True)
    }
    return sorted(diagnostics, key=Diagnostic.sort_key)


def _locate_all(document: Document, bundle: Bundle, findings: list[Finding]) -> list[Location]:
    """Locate every finding, one batch per file (a JSON file is then scanned once)."""
    return document.locations(
        [(f.uri, f.pointer) if f.uri is not None else bundle.origin(f.pointer) for f in findings]
    )


def _ignored(data: Any, pointer: str, rule_id: str) -> bool:
    """`x-ctk-ignore: [rule-id, ...]` (or `true` for all) on the node or any ancestor."""
    node = data
    tokens = jp.split(pointer) if pointer else []
    for depth in range(len(tokens) + 1):
        if isinstance(node, dict):
            mark = node.get(IGNORE_KEY)
            if mark is True or (isinstance(mark, list) and rule_id in mark):
                return True
        if depth == len(tokens):
            break
        token = tokens[depth]
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            break
    return False


def lint_files(paths: list[Path], config: Config) -> tuple[Outcome, list[Exception]]:
    """Lint several files; load failures are returned, not raised, so the others still run."""
    started = time.perf_counter()
    diagnostics: list[Diagnostic] = []
    sources: dict[str, str] = {}
    failures: list[Exception] = []
    for path in paths:
        try:
            document = load_document(path, config.load)
        except ToolkitError as exc:
            failures.append(exc)
            continue
        diagnostics.extend(lint_document(document, config.lint))
        sources.update({f.display: f.text for f in document.resolver.iter_files()})
    outcome = Outcome(
        tool="lint",
        targets=tuple(str(p) for p in paths),
        diagnostics=tuple(diagnostics),
        rules=rule_catalog(),
        sources=sources,
        elapsed=time.perf_counter() - started,
    )
    return outcome, failures
