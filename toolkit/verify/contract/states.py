"""Provider states as Python functions: `@provider_state(template)` marks a function, and
the registry of one `--states` module collects the marked functions and matches each pact
state to one of them.

The decorator only marks (no registry at import time), so two runs in one process never
share state. A template's `{name}` placeholders match any text of the pact's state name, or
the placeholder itself; the pact's `params` are merged over what the name gave.
"""

from __future__ import annotations

import difflib
import inspect
import os
import re
import string
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from toolkit._imports import import_module
from toolkit.errors import Location, ToolkitError, UsageError
from toolkit.verify.contract._convert import ConversionError, convert

F = TypeVar("F", bound=Callable[..., Any])

_MARK = "__ctk_provider_states__"


class StateError(ToolkitError):
    """A pact state that cannot be set up: no handler, ambiguous, or bad arguments."""


def provider_state(template: str) -> Callable[[F], F]:
    """Mark a function as the handler of the pact states `template` matches.

    `"a prompt with id {id} exists"` matches `"a prompt with id 01J9 exists"` (id="01J9")
    and the template itself. Values from the name and the state's `params` (which win) are
    passed by name and converted to the function's annotations. A plain or `async`
    function sets the state up; a generator (or async generator) sets up until its
    `yield` and tears down after it. A dict it returns or yields becomes the values pact
    injects into the request (`fromProviderState`). Stack the decorator for more templates.
    """
    if not isinstance(template, str):
        raise TypeError("provider_state() takes the state's name template, e.g. 'a user {id}'")

    def mark(function: F) -> F:
        _parse(template, function)  # refuse a malformed template where it is written
        marked = getattr(function, _MARK, ())
        setattr(function, _MARK, (*marked, template))
        return function

    return mark


@dataclass(frozen=True)
class StateHandler:
    template: str
    function: Callable[..., Any]
    names: tuple[str, ...]
    pattern: re.Pattern[str]
    literal: int  # characters outside placeholders: more is more specific

    @property
    def location(self) -> Location:
        return function_location(self.function)

    def match(self, state: str) -> dict[str, str] | None:
        """The placeholder values `state` gives (a placeholder written as itself gives none),
        or None when the template does not match."""
        found = self.pattern.fullmatch(state)
        if found is None:
            return None
        return {k: v for k, v in found.groupdict().items() if v != "{" + k + "}"}

    def arguments(
        self, state: str, given: Mapping[str, str], params: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Keyword arguments for the function: the name's values and `params` merged,
        converted to the annotations; a conflict, a missing or unconvertible value raises."""
        values: dict[str, Any] = dict(given)
        for key, value in params.items():
            if key in values and values[key] != _as_text(value):
                raise StateError(
                    f"state {state!r}: {key} is {values[key]!r} in the state's name but "
                    f"{value!r} in its params",
                    self.location,
                    hint="the consumer's pact names two different values; make them agree",
                )
            values[key] = value
        signature = inspect.signature(self.function)
        hints = _hints(self.function)
        kwargs: dict[str, Any] = {}
        missing = []
        for name, parameter in signature.parameters.items():
            if parameter.kind is inspect.Parameter.VAR_KEYWORD:
                kwargs.update({k: v for k, v in values.items() if k not in signature.parameters})
            elif parameter.kind is inspect.Parameter.VAR_POSITIONAL:
                continue  # values go by name only
            elif name in values:
                annotation = hints.get(name, parameter.annotation)
                try:
                    kwargs[name] = convert(values[name], annotation)
                except ConversionError as exc:
                    raise StateError(
                        f"state {state!r}: parameter {name!r} of {self.function.__name__}() "
                        f"expects {exc.expected}, got {values[name]!r}",
                        self.location,
                    ) from None
            elif parameter.default is inspect.Parameter.empty:
                missing.append(name)
        if missing:
            provided = ", ".join(sorted(values)) or "nothing (no placeholders, no params)"
            raise StateError(
                f"state {state!r}: {self.function.__name__}() needs {', '.join(missing)}; "
                f"the pact provides {provided}",
                self.location,
                hint="give the parameter a default, or take **kwargs",
            )
        return kwargs


@dataclass(frozen=True)
class StateRegistry:
    module: str | None  # the --states module; None when none was given
    handlers: tuple[StateHandler, ...]

    @property
    def templates(self) -> list[str]:
        """The state names handled; the empty one (interactions without a state) aside."""
        return [h.template for h in self.handlers if h.template]

    def find(self, state: str) -> tuple[StateHandler, dict[str, str]] | None:
        """The most specific handler for `state` and the values its name gives; None only
        for the empty state pact sends around interactions that name none."""
        matches = [(h, given) for h in self.handlers if (given := h.match(state)) is not None]
        if not matches:
            if state == "":
                return None
            raise self._unknown(state)
        matches.sort(key=lambda m: (m[0].template != state, -m[0].literal))
        best = matches[0]
        rivals = [h for h, _ in matches[1:] if h.literal == best[0].literal]
        if rivals and best[0].template != state:
            where = ", ".join(f"{h.template!r} ({h.location})" for h in [best[0], *rivals])
            raise StateError(
                f"state {state!r} matches more than one handler: {where}",
                best[0].location,
                hint="make one template more specific",
            )
        return best

    def _unknown(self, state: str) -> StateError:
        if self.module is None:
            return StateError(
                f"the pact names the provider state {state!r}, and no --states module was given",
                hint="pass --states MODULE with a @provider_state function for it",
            )
        known = self.templates
        close = difflib.get_close_matches(state, known, n=1, cutoff=0.6)
        return StateError(
            f"no handler in {self.module} for the provider state {state!r}",
            notes=[f"known states: {', '.join(repr(t) for t in known)}"],
            hint=f"did you mean {close[0]!r}?"
            if close
            else "add a @provider_state function for it",
        )


def load_states(module_name: str | None) -> StateRegistry:
    """The registry of the functions `module_name` marks (its own and those it imports)."""
    if module_name is None:
        return StateRegistry(None, ())
    module = import_module(module_name, "--states")
    handlers: list[StateHandler] = []
    seen: dict[str, StateHandler] = {}
    for value in list(vars(module).values()):
        for template in getattr(value, _MARK, ()) if callable(value) else ():
            handler = _parse(template, value)
            if template in seen:
                if seen[template].function is value:
                    continue  # the same function under two names
                raise UsageError(
                    f"--states {module_name}: two handlers for {template!r}: "
                    f"{seen[template].location} and {handler.location}",
                    handler.location,
                )
            seen[template] = handler
            handlers.append(handler)
    if not handlers:
        raise UsageError(
            f"--states {module_name}: no @provider_state function found",
            hint="decorate the handlers with toolkit.verify.contract.provider_state",
        )
    return StateRegistry(module_name, tuple(handlers))


def function_location(function: Callable[..., Any]) -> Location:
    target = inspect.unwrap(function)
    try:
        file = inspect.getsourcefile(target) or "<unknown>"
        line = target.__code__.co_firstlineno
    except (TypeError, AttributeError):
        return Location(getattr(target, "__qualname__", repr(target)))
    return Location(display_path(file), line=line)


def display_path(file: str) -> str:
    """`file` relative to the working directory when it is inside it."""
    try:
        return Path(os.path.relpath(file)).as_posix() if Path(file).is_absolute() else file
    except ValueError:  # another drive (Windows)
        return file


def _parse(template: str, function: Callable[..., Any]) -> StateHandler:
    where = function_location(function)
    parts, names = [], []
    try:
        pieces = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise UsageError(
            f"provider_state({template!r}): {exc}",
            where,
            hint="placeholders are {name}; write {{ and }} for literal braces",
        ) from None
    literal = 0
    for text, field, spec, conversion in pieces:
        parts.append(re.escape(text))
        literal += len(text)
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion or field in names:
            raise UsageError(
                f"provider_state({template!r}): bad placeholder {{{field}}}",
                where,
                hint="placeholders are distinct Python names: {id}, {name}",
            )
        names.append(field)
        parts.append(f"(?P<{field}>.+?)")
    signature = inspect.signature(function)
    if any(p.kind is inspect.Parameter.POSITIONAL_ONLY for p in signature.parameters.values()):
        raise UsageError(
            f"provider_state({template!r}): {function.__name__}() takes positional-only "
            "parameters; values are passed by name",
            where,
        )
    return StateHandler(
        template, function, tuple(names), re.compile("".join(parts), re.DOTALL), literal
    )


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    try:
        return typing.get_type_hints(function)
    except Exception:  # an annotation that does not resolve: use the raw ones
        return {}


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


__all__ = ["StateError", "StateHandler", "StateRegistry", "load_states", "provider_state"]
