"""`ctk check`: every stage of the contract pipeline for every configured API, composed
(lint, generated code fresh, diff against a base, start, fuzz, pacts verified, pacts
against the spec, drift), each stage's result typed for `report/`."""

from toolkit.check.plan import Base, Plan, make_plan
from toolkit.check.results import Case, CheckResult, StageResult, Status
from toolkit.check.runner import Listener, run_check

__all__ = [
    "Base",
    "Case",
    "CheckResult",
    "Listener",
    "Plan",
    "StageResult",
    "Status",
    "make_plan",
    "run_check",
]
