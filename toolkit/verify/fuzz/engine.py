"""Run schemathesis' engine and fold its events into a `FuzzResult`.

schemathesis does the generation, shrinking, stateful testing and checks; ctk chooses the
configuration, keeps the exact failing exchanges (not a seed), deduplicates failures by
operation + check + cause, and reports progress as typed `Progress` values.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from toolkit.config import FuzzOptions, LoadOptions
from toolkit.load.bundle import bundle_document
from toolkit.load.document import load_document
from toolkit.verify.fuzz._collect import Collector, Progress, ProgressHook
from toolkit.verify.fuzz._guard import Guard
from toolkit.verify.fuzz._schema import config_data, load_schema, select
from toolkit.verify.fuzz.checks import available_checks
from toolkit.verify.fuzz.classify import classify
from toolkit.verify.fuzz.headers import parse_headers
from toolkit.verify.fuzz.links import inferred_links
from toolkit.verify.fuzz.results import FuzzResult
from toolkit.verify.fuzz.shard import Shard, parse_shard
from toolkit.verify.fuzz.target import Target

__all__ = ["Progress", "ProgressHook", "run_fuzz"]


def run_fuzz(
    spec: Path,
    options: FuzzOptions,
    target: Target,
    *,
    load: LoadOptions | None = None,
    progress: ProgressHook | None = None,
) -> FuzzResult:
    import schemathesis

    document = load_document(spec, load)
    data = bundle_document(document).data
    shard = parse_shard(options.shard) if options.shard else None
    headers = parse_headers(target.headers)
    headers.update(parse_headers(options.headers))
    seed = options.seed if options.seed is not None else random.randrange(1, 2**31)  # noqa: S311 - a seed, not a secret
    guard = Guard(target.app) if target.app is not None else None
    started = time.perf_counter()
    phases = options.phases

    everything, selected, mine = select(data, options, shard)

    def schema_for(run_phases: tuple[str, ...], run: set[str]) -> Any:
        config = config_data(
            options,
            data,
            base_url=target.base_url,
            headers=headers,
            seed=seed,
            phases=run_phases,
            skip=frozenset(everything) - run,
            shard=shard,
        )
        return load_schema(data, config, guard)

    result = FuzzResult(
        spec=str(spec),
        target=target.describe(),
        checks=(),
        phases=phases,
        schemathesis_version=schemathesis.__version__,
        seed=seed,
        shard=str(shard) if shard else None,
    )
    collector = Collector(result, document, data, guard)
    collector.list_operations([label for label in everything if label in mine])
    runs = _plan(schema_for, phases, selected, mine, shard)
    with _hypothesis_home(options.out):
        for schema, scope in runs:
            result.checks = _check_names(schema)
            collector.consume(schema, progress)
            if "stateful" in phases and scope == "all":
                result.inferred_links = inferred_links(schema)
    _note_unrun_phases(result, options, time.perf_counter() - started)
    if shard is not None and target.kind == "url" and "stateful" in phases:
        result.notes.append(
            "every shard runs stateful scenarios: give each shard its own instance of the "
            "service (shards sharing one server delete each other's resources)"
        )
    if guard is not None:
        _stop_lifespans()
    classify(result, document, data, target.base_url, headers)
    result.elapsed = time.perf_counter() - started
    return result


def _plan(
    schema_for: Callable[[tuple[str, ...], set[str]], Any],
    phases: tuple[str, ...],
    selected: set[str],
    mine: set[str],
    shard: Shard | None,
) -> list[tuple[Any, str]]:
    """One run, or with a shard: the shard's operations in the stateless phases, then its
    share of the stateful scenarios over every selected operation (ADR 0010)."""
    if shard is None:
        return [(schema_for(phases, selected), "all")]
    stateless = tuple(p for p in phases if p != "stateful")
    runs: list[tuple[Any, str]] = []
    if stateless:
        runs.append((schema_for(stateless, mine), "shard"))
    if "stateful" in phases:
        runs.append((schema_for(("stateful",), selected), "all"))
    return runs


def _note_unrun_phases(result: FuzzResult, options: FuzzOptions, elapsed: float) -> None:
    """A phase asked for that did not run, or was cut short, is said, never passed over.
    schemathesis marks a phase the budget cut short as a success, so time tells."""
    unrun = [p for p in result.phases if result.phase_status.get(p, "skip") == "skip"]
    budget = options.max_time
    if budget is not None and (unrun or elapsed >= budget):
        result.stopped_at_max_time = True
        cut = f"; not run: {', '.join(unrun)}" if unrun else ""
        result.notes.append(
            f"--max-time {budget} s ran out after {result.cases} cases: the run is partial{cut}"
        )
    elif unrun:
        result.notes.append(f"schemathesis skipped: {', '.join(unrun)}")


def _check_names(schema: Any) -> tuple[str, ...]:
    config = schema.config.checks
    return tuple(n for n in available_checks() if config.get_by_name(name=n).enabled)


def _stop_lifespans() -> None:
    from schemathesis.python import asgi

    try:
        asgi.shutdown_lifespans()
    except Exception:  # the app's own shutdown failed; nothing a fuzz result can hold
        return


@contextmanager
def _hypothesis_home(out: Path) -> Iterator[None]:
    """Hypothesis keeps its files in `.hypothesis/` of the cwd; ctk keeps them in --out."""
    from hypothesis import configuration

    configuration.set_hypothesis_home_dir(out / ".hypothesis")
    try:
        yield
    finally:
        configuration.set_hypothesis_home_dir(None)
