"""A fuzz result as the `Outcome` every stage hands to `report/` (findings as diagnostics)."""

from __future__ import annotations

from pathlib import Path

from toolkit.errors import Diagnostic, Severity
from toolkit.outcome import Outcome, RuleInfo
from toolkit.verify.fuzz.results import Finding, FuzzResult, Verdict

SEVERITY = {
    Verdict.BUG: Severity.ERROR,
    Verdict.CONTRACT: Severity.WARNING,
    Verdict.TOOL: Severity.INFO,
}


def diagnostic(finding: Finding, replay: str = "") -> Diagnostic:
    request, response = finding.failing.request, finding.failing.response
    got = " -> no response"
    if response is not None:
        body = " ".join(response.text(160).split())
        got = f" -> {response.status}" + (f" {body}" if body else "")
    sent = f"{request.method} {request.url}{got}"
    message = f"{finding.operation}: {finding.title} ({finding.verdict.value}): {sent}"
    if finding.count > 1:
        message += f" [{finding.count} cases]"
    if finding.also:
        message += f" (also fails {', '.join(finding.also)})"
    if finding.evidence is not None:
        hint = finding.evidence.proof
        if finding.evidence.reference:
            hint += f" (upstream: {finding.evidence.reference})"
    else:
        hint = (
            f"reproduce: bash {replay}.sh; regression test: test_{Path(replay).name}.py"
            if replay
            else ""
        )
    rule = (
        finding.check if finding.evidence is None else f"{finding.check}/{finding.evidence.reason}"
    )
    return Diagnostic(rule, SEVERITY[finding.verdict], message, finding.location, hint)


def fuzz_outcome(result: FuzzResult, replays: dict[str, str] | None = None) -> Outcome:
    """`replays` maps a finding key to its replay files' stem (without extension)."""
    replays = replays or {}
    diagnostics = tuple(diagnostic(f, replays.get(f.key, "")) for f in result.findings)
    rules = {
        d.rule: RuleInfo(d.rule, f"schemathesis check {d.rule.split('/')[0]}", d.severity)
        for d in diagnostics
    }
    sources = {}
    spec = Path(result.spec)
    try:
        sources[result.spec] = spec.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        pass
    return Outcome(
        tool="ctk fuzz",
        targets=(result.spec,),
        diagnostics=diagnostics,
        rules=rules,
        sources=sources,
        elapsed=result.elapsed,
    )
