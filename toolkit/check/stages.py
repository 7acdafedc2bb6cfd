"""One function per stage of `ctk check`. Each composes the stage that `ctk <command>`
runs (lint_files, render_package + compare, diff_specs, run_fuzz, verify_contracts,
check_contracts) and turns its typed result into cases; none re-implements a stage."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit._imports import import_object
from toolkit.check.drift import (
    Drift,
    DriftItem,
    compare_tables,
    declared,
    probe,
    route_table,
    shape,
)
from toolkit.check.plan import Plan
from toolkit.check.results import Case, StageResult, Status
from toolkit.config import CheckApi, Config
from toolkit.errors import LoadError, Location, Severity
from toolkit.outcome import Outcome


@dataclass(slots=True)
class Context:
    api: CheckApi
    plan: Plan
    config: Config
    started: bool | None = None  # did the app start (None: the start stage did not run)
    located: Any = None  # the spec loaded and bundled once, for start and drift

    def result(self, stage: str, status: Status, summary: str, **more: Any) -> StageResult:
        return StageResult(self.api.name, stage, status, summary, **more)

    def skipped(self, stage: str, reason: str) -> StageResult:
        return StageResult(
            self.api.name, stage, Status.SKIPPED, f"skipped: {reason}", reason=reason
        )

    def pacts(self) -> list[Path]:
        """The local pact files of this API (URLs are for `ctk contract verify` alone)."""
        found: list[Path] = []
        for source in self.api.pacts:
            path = Path(source)
            if "://" in source:
                continue
            found.extend(
                sorted(path.glob("*.json")) if path.is_dir() else [path] if path.is_file() else []
            )
        return found


def _diagnostic_cases(outcome: Outcome, fail_on: Severity) -> list[Case]:
    return [
        Case(
            f"{d.rule} {d.location.pointer or d.location.file}",
            d.severity < fail_on,
            f"{d.severity.label}: {d.message}",
            d.location,
            d.hint,
        )
        for d in outcome.diagnostics
    ]


def _counts(outcome: Outcome) -> str:
    parts = [
        f"{outcome.count(s)} {s.label}(s)"
        for s in (Severity.ERROR, Severity.WARNING)
        if outcome.count(s)
    ]
    return ", ".join(parts) or "no findings"


def lint(ctx: Context) -> StageResult:
    from toolkit.lint import lint_files

    outcome, failures = lint_files([ctx.api.spec], ctx.config)
    fail_on = ctx.config.lint.fail_on
    cases = _diagnostic_cases(outcome, fail_on)
    cases += [Case("load", False, str(exc)) for exc in failures]
    if not cases:
        cases = [Case(f"lint {ctx.api.spec}", True, "no findings")]
    failed = outcome.failed(fail_on) or bool(failures)
    summary = "the spec does not load" if failures else _counts(outcome)
    return ctx.result(
        "lint", Status.FAILED if failed else Status.PASSED, summary, cases=cases, payload=outcome
    )


def generated(ctx: Context) -> StageResult:
    from toolkit.generate import compare, module_name, render_package
    from toolkit.load import load_document

    target = next(
        (t for t in ctx.config.generate.targets if t.spec.resolve() == ctx.api.spec.resolve()), None
    )
    if target is None:
        return ctx.skipped("generated", "no [tool.ctk.generate] target for this spec")
    document = load_document(target.spec, ctx.config.load)
    package = render_package(
        document,
        target.out.name,
        ctx.config.generate.error_mappings,
        module=module_name(target.out),
        client=target.client,
    )
    stale = compare(target.out, package.files).stale
    cases = [
        Case(
            str(target.out / name),
            name not in stale,
            "stale: run `ctk generate`" if name in stale else "fresh",
            Location(str(target.out / name)),
            stale.get(name, ""),
        )
        for name in sorted(package.files)
    ]
    status = Status.FAILED if stale else Status.PASSED
    summary = (
        f"{len(stale)} of {len(package.files)} file(s) stale"
        if stale
        else f"{len(package.files)} files fresh"
    )
    return ctx.result("generated", status, summary, cases=cases)


def diff(ctx: Context) -> StageResult:
    from toolkit.diff import diff_specs

    base = ctx.plan.base
    if base.ref is None:
        return ctx.skipped("diff", base.reason)
    spec = os.path.relpath(ctx.api.spec, Path.cwd())
    try:
        outcome = diff_specs(
            f"git:{base.ref}:{spec}", str(ctx.api.spec), ctx.config.load, pacts=ctx.pacts()
        )
    except LoadError as error:
        if "does not exist at" in error.message:
            return ctx.skipped("diff", f"{spec} is new since {base.label}")
        raise
    cases = _diagnostic_cases(outcome, Severity.ERROR) or [
        Case(f"{spec} against {base.label}", True, "no change")
    ]
    breaking = outcome.count(Severity.ERROR)
    summary = (
        f"{breaking} breaking, {outcome.count(Severity.WARNING)} potentially breaking, "
        f"{outcome.count(Severity.INFO)} compatible against {base.label}"
    )
    return ctx.result(
        "diff", Status.FAILED if breaking else Status.PASSED, summary, cases=cases, payload=outcome
    )


def start(ctx: Context) -> StageResult:
    from toolkit.runtime import running

    if ctx.api.app is None:
        ctx.started = False
        return ctx.skipped("start", "no app: set app in [[tool.ctk.check.apis]] or [tool.ctk.fuzz]")
    app = import_object(ctx.api.app, f"API {ctx.api.name!r}: app")
    document = _document(ctx)
    headers = _headers(ctx)
    cases: list[Case] = []
    try:
        with running(app) as base:
            cases.append(Case(f"start {ctx.api.app}", True, f"listening on {base}"))
            cases += _probe_gets(base, document, headers)
    except RuntimeError as error:
        cases.append(Case(f"start {ctx.api.app}", False, str(error)))
    ctx.started = cases[0].passed
    failed = [c for c in cases if not c.passed]
    summary = f"answered {len(cases) - 1} probe(s)" if not failed else failed[0].message
    return ctx.result("start", Status.FAILED if failed else Status.PASSED, summary, cases=cases)


def _probe_gets(base: str, document: Any, headers: dict[str, str]) -> list[Case]:
    """GET every operation that needs no parameters: its status must be documented."""
    from toolkit.check.drift import call
    from toolkit.verify.apps import documents

    cases = []
    for pointer, (method, path, op) in _operations(document.data).items():
        required = [
            p for p in op.get("parameters", []) if isinstance(p, dict) and p.get("required")
        ]
        if method != "get" or "{" in path or required:
            continue
        status, _, _ = call(base, "GET", path, headers, 10.0)
        ok = documents(op, status)
        message = f"GET {path} answered {status}" + (
            "" if ok else ", which the spec does not document"
        )
        cases.append(Case(f"GET {path}", ok, message, document.location(pointer)))
    return cases


def _operations(data: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    found = {}
    for (method, path), pointer in declared(data).items():
        found[pointer] = (method.lower(), path, data["paths"][path][method.lower()])
    return found


def fuzz(ctx: Context) -> StageResult:
    from toolkit.verify.fuzz.artifacts import write_failures
    from toolkit.verify.fuzz.engine import run_fuzz
    from toolkit.verify.fuzz.results import Verdict
    from toolkit.verify.fuzz.target import resolve_target

    base = ctx.config.fuzz
    own = base.spec is None or base.spec.resolve() == ctx.api.spec.resolve()
    configured = own and bool(base.app or base.impl or base.url or base.mock)
    # no implementation yet: fuzz `ctk mock SPEC`, which shows whether the contract is
    # self-consistent (examples that fit their schemas, links that resolve)
    mocked = not ctx.api.app and not configured
    changes: dict[str, Any] = {
        "spec": ctx.api.spec,
        "out": ctx.plan.out / ctx.api.name / "fuzz",
        "reports": (),
        "headers": ctx.api.headers or base.headers,
    }
    if ctx.api.app or mocked:
        changes.update(app=ctx.api.app, impl=None, url=None, mock=mocked)
    if ctx.plan.fast:
        changes["max_examples"] = ctx.config.check.fast_examples
    options = dataclasses.replace(base, **changes)
    target = resolve_target(ctx.api.spec, options, ctx.config)
    result = run_fuzz(ctx.api.spec, options, target, load=ctx.config.load)
    written = write_failures(
        result, options.out, target, str(ctx.api.spec), options.headers, options.package
    )
    replays = {f.key: str(p.with_suffix("")) for f, p in zip(result.findings, written, strict=True)}
    cases = []
    for op in result.operations.values():
        bugs = [f for f in result.findings if f.operation == op.label and f.verdict is Verdict.BUG]
        message = f"{op.cases} case(s)" + (
            f", {len(bugs)} implementation bug(s): " + "; ".join(f.title for f in bugs)
            if bugs
            else ""
        )
        cases.append(Case(op.label, not bugs, message))
    cases += [
        Case(f"{e.operation}: {e.title}", e.evidence is not None and not options.strict, e.message)
        for e in result.errors
    ]
    failed = result.failed(strict=options.strict)
    counts = {v: len(result.of(v)) for v in Verdict}
    summary = (
        ("against `ctk mock` (no app configured): " if mocked else "")
        + f"{result.cases} cases on {len(result.operations)} operations: "
        f"{counts[Verdict.BUG]} bug(s), {counts[Verdict.CONTRACT]} contract defect(s), "
        f"{counts[Verdict.TOOL]} tool limitation(s)"
    )
    return ctx.result(
        "fuzz",
        Status.FAILED if failed else Status.PASSED,
        summary,
        cases=cases,
        payload=result,
        extra={"replays": replays, "strict": options.strict},
    )


def pacts(ctx: Context) -> StageResult:
    from toolkit.verify.contract.engine import verify_contracts
    from toolkit.verify.contract.options import contract_options

    files = ctx.pacts()
    if not files:
        return ctx.skipped("pacts", "no pact files (contracts/ is empty or missing)")
    given = _provider(ctx)
    if given is None:
        return ctx.skipped(
            "pacts", "no provider: set impl/app in [tool.ctk.contract] or app for this API"
        )
    options = contract_options(sources=tuple(str(f) for f in files), **given)
    result = verify_contracts(options, ctx.config)
    cases = []
    for pact in result.pacts:
        for interaction in pact.interactions:
            differences = "\n".join(
                f"{d.kind} {d.path}: {d.message}".replace("  ", " ")
                for d in interaction.differences
            )
            failures = "\n".join(
                f"state {f.state!r} {f.action} failed: {f.error}: {f.message} ({f.location})"
                for f in interaction.state_failures
            )
            cases.append(
                Case(
                    f"{pact.consumer}: {interaction.description}",
                    not interaction.failed,
                    interaction.status.value,
                    None,
                    "\n".join(x for x in (differences, failures) if x),
                )
            )
    cases += [Case("run", False, error) for error in result.errors]
    failed = sum(1 for c in cases if not c.passed)
    summary = (
        f"{len(result.interactions)} interaction(s) of {len(result.pacts)} pact(s): {failed} failed"
    )
    return ctx.result(
        "pacts",
        Status.FAILED if result.failed() else Status.PASSED,
        summary,
        cases=cases,
        payload=result,
    )


def _provider(ctx: Context) -> dict[str, Any] | None:
    """The configured provider when it is this API's (states included), else its app."""
    contract = ctx.config.contract
    same_spec = contract.spec is None or contract.spec.resolve() == ctx.api.spec.resolve()
    common: dict[str, Any] = {"provider": contract.provider, "timeout": contract.timeout}
    if same_spec and (contract.app or contract.impl or contract.url):
        return {
            **common,
            "app": contract.app,
            "impl": contract.impl,
            "url": contract.url,
            "spec": contract.spec if contract.impl else None,
            "package": contract.package if contract.impl else None,
            "verifier": contract.verifier if contract.impl else None,
            "states": contract.states,
            "allow_hosts": contract.allow_hosts,
        }
    if ctx.api.app:
        return {**common, "app": ctx.api.app}
    return None


def pact_spec(ctx: Context) -> StageResult:
    from toolkit.verify.compat import check_contracts

    files = ctx.pacts()
    if not files:
        return ctx.skipped("pact-spec", "no pact files (contracts/ is empty or missing)")
    outcome = check_contracts(ctx.api.spec, files, ctx.config.load)
    fail_on = Severity.parse(ctx.config.contract.fail_on or "error")
    cases = _diagnostic_cases(outcome, fail_on) or [
        Case(outcome.scope or "pacts", True, "every interaction fits the spec")
    ]
    status = Status.FAILED if outcome.failed(fail_on) else Status.PASSED
    return ctx.result(
        "pact-spec", status, f"{outcome.scope}: {_counts(outcome)}", cases=cases, payload=outcome
    )


def drift(ctx: Context) -> StageResult:
    from toolkit.runtime import running

    if ctx.api.app is None:
        return ctx.skipped("drift", "no app: set app in [[tool.ctk.check.apis]] or [tool.ctk.fuzz]")
    if ctx.started is False:
        return ctx.skipped("drift", "the app did not start")
    app = import_object(ctx.api.app, f"API {ctx.api.name!r}: app")
    document = _document(ctx)
    spec_ops = declared(document.data)
    table, note = route_table(app)
    items = compare_tables(spec_ops, table) if table is not None else []
    with running(app) as base:
        probes, probed = probe(base, spec_ops, _headers(ctx), table_known=table is not None)
    # one drift, one item: a route in the table that a probe also reached is reported once
    seen = {_drift_key(i) for i in items}
    items += [i for i in probed if _drift_key(i) not in seen]
    result = Drift(len(spec_ops), None if table is None else len(table), note, probes, items)
    located = [
        dataclasses.replace(i, location=document.location(spec_ops[(i.method, i.path)]))
        if (i.method, i.path) in spec_ops
        else i
        for i in items
    ]
    result.items = located
    cases = []
    for (method, path), pointer in sorted(spec_ops.items()):
        mine = [
            i
            for i in located
            if i.kind == "unserved-operation" and (i.method, shape(i.path)) == (method, shape(path))
        ]
        cases.append(
            Case(
                f"{method} {path}",
                not mine,
                "; ".join(i.evidence for i in mine) or "served",
                document.location(pointer),
            )
        )
    cases += [
        Case(f"{i.method} {i.path}", False, f"{i.kind}: {i.evidence}", i.location)
        for i in located
        if i.kind != "unserved-operation"
    ]
    failed = sum(1 for c in cases if not c.passed)
    summary = f"{len(spec_ops)} operation(s), {probes} probe(s); {note}: {failed} drift(s)"
    return ctx.result(
        "drift", Status.FAILED if failed else Status.PASSED, summary, cases=cases, payload=result
    )


def _drift_key(item: DriftItem) -> tuple[bool, str, str]:
    return item.kind == "unserved-operation", item.method, shape(item.path)


def _document(ctx: Context) -> Any:
    from toolkit.load import bundle_document, load_document

    if ctx.located is None:
        document = load_document(ctx.api.spec, ctx.config.load)
        ctx.located = _Located(document, bundle_document(document).data)
    return ctx.located


@dataclass(frozen=True, slots=True)
class _Located:
    """The bundled data (refs inside paths resolved) with the source's locations."""

    source: Any
    data: dict[str, Any]

    def location(self, pointer: str) -> Location:
        location: Location = self.source.location(pointer)
        return location


def _headers(ctx: Context) -> dict[str, str]:
    from toolkit.verify.fuzz.headers import parse_headers

    return parse_headers(ctx.api.headers or ctx.config.fuzz.headers)


STAGES: dict[str, Callable[[Context], StageResult]] = {
    "lint": lint,
    "generated": generated,
    "diff": diff,
    "start": start,
    "fuzz": fuzz,
    "pacts": pacts,
    "pact-spec": pact_spec,
    "drift": drift,
}
