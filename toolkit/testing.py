"""`ctk fuzz` inside a project's own pytest suite.

    from toolkit.testing import fuzz_operations, assert_fuzz_clean

    SPEC = "specs/api.yaml"

    @pytest.mark.parametrize("operation", fuzz_operations(SPEC))
    def test_operation_keeps_the_contract(operation: str) -> None:
        assert_fuzz_clean(SPEC, app="myservice.main:app", operation=operation)

`assert_fuzz_clean` raises `AssertionError` carrying the same report `ctk fuzz` prints;
`replay_failure` is what the regression tests `ctk fuzz` writes call.
`assert_pacts_compatible` is `ctk contract check` (pacts against the spec, offline).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from toolkit.config import FuzzOptions, check_fuzz_options, load_config
from toolkit.errors import Severity, UsageError
from toolkit.load.bundle import bundle_document
from toolkit.load.document import load_document
from toolkit.model.build import raw_operations
from toolkit.outcome import Outcome
from toolkit.report.fuzz_text import render_fuzz_text
from toolkit.report.text import render_text
from toolkit.verify.compat import check_contracts
from toolkit.verify.fuzz.engine import run_fuzz
from toolkit.verify.fuzz.outcome import fuzz_outcome
from toolkit.verify.fuzz.replay import read_record, replay
from toolkit.verify.fuzz.results import FuzzResult
from toolkit.verify.fuzz.target import resolve_target

__all__ = [
    "assert_fuzz_clean",
    "assert_pacts_compatible",
    "fuzz",
    "fuzz_operations",
    "replay_failure",
]


def fuzz_operations(spec: str | Path) -> list[str]:
    """Every operation of the spec as "METHOD /path", for `pytest.mark.parametrize`."""
    data = bundle_document(load_document(spec)).data
    return [f"{method.upper()} {path}" for path, method, _ in raw_operations(data)]


def fuzz(
    spec: str | Path,
    *,
    app: Any = None,
    url: str | None = None,
    impl: str | None = None,
    operation: str | None = None,
    **options: Any,
) -> FuzzResult:
    """Run `ctk fuzz` and return its result. `app` may be an ASGI app object or a
    "module:attr" string; `operation` ("GET /things") restricts the run to one operation;
    other keywords are `FuzzOptions` fields (max_examples, seed, phases, headers, …)."""
    from toolkit.verify.fuzz.target import IN_PROCESS_BASE, Target

    config = load_config()
    fields = {f.name for f in dataclasses.fields(FuzzOptions)}
    unknown = sorted(set(options) - fields)
    if unknown:
        raise UsageError(f"unknown fuzz option(s): {', '.join(unknown)}")
    base = dataclasses.replace(config.fuzz, app=None, impl=None, url=None)
    if operation is not None:
        method, _, path = operation.partition(" ")
        options.update(include_method=(method,), include_path=(path,))
    chosen = check_fuzz_options(
        dataclasses.replace(
            base,
            spec=Path(spec),
            app=app if isinstance(app, str) else None,
            url=url,
            impl=impl,
            **options,
        )
    )
    if app is not None and not isinstance(app, str):
        target = Target(
            "app", getattr(app, "__qualname__", type(app).__name__), app, IN_PROCESS_BASE
        )
    else:
        target = resolve_target(Path(spec), chosen, config)
    return run_fuzz(Path(spec), chosen, target, load=config.load)


def assert_fuzz_clean(spec: str | Path, *, strict: bool = False, **kwargs: Any) -> FuzzResult:
    """`fuzz(...)`, raising AssertionError with the report when the run fails."""
    result = fuzz(spec, **kwargs)
    if result.failed(strict=strict):
        raise AssertionError(render_fuzz_text(result, fuzz_outcome(result), strict=strict))
    return result


def replay_failure(path: str | Path) -> None:
    """Replay a failure `ctk fuzz` stored; AssertionError while it still fails.

    The target is the one the failure was found on, unless CTK_FUZZ_APP, CTK_FUZZ_IMPL or
    CTK_FUZZ_URL names another."""
    record = read_record(Path(path))
    if record is None:
        raise UsageError(f"{path} is not a ctk fuzz replay file")
    options = record.options()
    app, impl, url = (os.environ.get(f"CTK_FUZZ_{k}") for k in ("APP", "IMPL", "URL"))
    if app or impl or url:
        options = dataclasses.replace(options, app=app, impl=impl, url=url)
    spec = record.spec_path()
    target = resolve_target(spec, options, load_config())
    outcome = replay(record, target, spec)
    if not outcome.passed:
        raise AssertionError(
            f"{outcome.operation}: {outcome.check} still fails (status {outcome.status}):\n"
            f"{outcome.detail}"
        )


def assert_pacts_compatible(
    spec: str | Path, *pacts: str | Path, fail_on: str = "error"
) -> Outcome:
    """Every HTTP interaction of the pacts (files or folders; default `contracts/`) fits
    the spec, read through the consumer's matchers; raises `AssertionError` with the same
    report `ctk contract check` prints when a finding reaches `fail_on`."""
    threshold = Severity.parse(fail_on)
    sources = [Path(p) for p in pacts] or [Path("contracts")]
    outcome = check_contracts(Path(spec), sources)
    if outcome.failed(threshold):
        raise AssertionError("\n" + render_text(outcome, fail_on=threshold))
    return outcome
