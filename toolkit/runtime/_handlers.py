"""Handlers checked against what the runtime will pass them, at startup (issue 11 item 4).

A handler whose signature does not take the operation's keyword arguments failed every
request with a `TypeError` (a 500 each); `build_app` now refuses it, naming the method and
the signature the generated Protocol declares. Sync and async handlers are both served.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from .operation import Operation, OperationError

_KEYWORD = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)


def expected_arguments(op: Operation) -> list[str]:
    """The keyword arguments the runtime passes the handler of `op`, in Protocol order."""
    names = [p.arg for p in op.params]
    if op.body is not None:
        names.append(op.body.arg)
    return [*names, "context"]


def check_handler(op: Operation, handler: Callable[..., Any], owner: str) -> None:
    """OperationError unless `handler` takes exactly the keyword arguments of `op`: each
    one it will be given (or `**kwargs`), and no other it would need."""
    try:
        signature = inspect.signature(handler)
    except (TypeError, ValueError):  # a builtin or C callable: nothing to read
        return
    expected = expected_arguments(op)
    parameters = signature.parameters.values()
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)
    named = {p.name for p in parameters if p.kind in _KEYWORD}
    missing = [] if takes_any else [name for name in expected if name not in named]
    extra = [
        p.name
        for p in parameters
        if p.default is inspect.Parameter.empty
        and p.name not in expected
        and p.kind in (*_KEYWORD, inspect.Parameter.POSITIONAL_ONLY)
    ]
    if not missing and not extra:
        return
    problems = []
    if missing:
        problems.append(f"it does not take {', '.join(missing)}")
    if extra:
        problems.append(f"it requires {', '.join(extra)}, which the runtime never passes")
    raise OperationError(
        f"handler {owner}.{op.handler} for operation {op.id} does not match the service "
        f"protocol: {'; '.join(problems)}",
        hint=f"declare it as: async def {op.handler}(self, *, {', '.join(expected)})",
    )
