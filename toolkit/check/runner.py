"""Run the planned stages, API by API, in the pipeline's order; report each as it ends."""

from __future__ import annotations

import time
from collections.abc import Callable

from toolkit.check.plan import Plan
from toolkit.check.results import Case, CheckResult, StageResult, Status
from toolkit.check.stages import STAGES, Context
from toolkit.config import Config
from toolkit.errors import ToolkitError, UsageError

# (api, stage, None) when a stage starts; (api, stage, result) when it ends
Listener = Callable[[str, str, StageResult | None], None]


def run_check(plan: Plan, config: Config, listener: Listener | None = None) -> CheckResult:
    """Every stage runs even after another failed (one report shows everything); a stage
    that raises a toolkit error failed with that error as its reason (a usage or config
    error among them makes the run exit 2)."""
    started = time.perf_counter()
    result = CheckResult(root=str(plan.root))
    for api in plan.apis:
        context = Context(api, plan, config)
        for stage in plan.stages:
            if listener is not None:
                listener(api.name, stage, None)
            began = time.perf_counter()
            try:
                outcome = STAGES[stage](context)
            except ToolkitError as error:
                text = error.message + (f" ({error.hint})" if error.hint else "")
                outcome = StageResult(
                    api.name,
                    stage,
                    Status.FAILED,
                    text,
                    [Case(stage, False, text, error.location)],
                    reason=text,
                    usage_error=isinstance(error, UsageError),
                )
                if stage == "start":
                    context.started = False
            outcome.elapsed = time.perf_counter() - began
            result.stages.append(outcome)
            if listener is not None:
                listener(api.name, stage, outcome)
    result.elapsed = time.perf_counter() - started
    return result
