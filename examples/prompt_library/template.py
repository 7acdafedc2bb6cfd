"""The template language: `{{name}}` placeholders and nothing else.

* A placeholder is `{{`, optional spaces or tabs, a variable name (a letter or underscore
  followed by up to 63 letters, digits or underscores — the spec's `Variable.name` pattern),
  optional spaces or tabs, and `}}`: `{{article}}`, `{{ max_words }}`. Names are
  case-sensitive.
* Any other text is literal, including braces that do not form a placeholder (`{{ 1 }}`,
  `{{}}`, `{ x }`). There is no escape syntax: to put a literal `{{name}}` into the output,
  pass it as a variable value — values are inserted verbatim and never scanned again.
* Every placeholder must name a declared variable and declared names must be unique; both
  are checked when a version is created (422). A declared variable need not be used.
* Rendering: a required variable must be supplied (its `default` is not used); an optional
  one falls back to its `default`, or to the empty string when it has none; a value for an
  undeclared name is refused. The rendered text is capped at `MAX_RENDERED_CHARS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "MAX_RENDERED_CHARS",
    "PLACEHOLDER",
    "Declared",
    "FieldError",
    "TemplateError",
    "check_declarations",
    "placeholders",
    "render",
]

PLACEHOLDER = re.compile(r"\{\{[ \t]*([A-Za-z_][A-Za-z0-9_]{0,63})[ \t]*\}\}")
MAX_RENDERED_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class Declared:
    """A variable as a version declares it."""

    name: str
    required: bool = True
    default: str | None = None


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem, located by a JSON pointer into the request body."""

    pointer: str
    detail: str


class TemplateError(ValueError):
    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.pointer}: {e.detail}" for e in self.errors))


def placeholders(template: str) -> list[str]:
    """The names the template uses, in order of first appearance."""
    return list(dict.fromkeys(m.group(1) for m in PLACEHOLDER.finditer(template)))


def check_declarations(template: str, variables: Iterable[Declared]) -> list[FieldError]:
    """What is wrong with a version's template and variable list (empty when valid)."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for index, variable in enumerate(variables):
        if variable.name in seen:
            errors.append(
                FieldError(
                    f"/variables/{index}/name", f"variable {variable.name!r} is declared twice"
                )
            )
        seen.add(variable.name)
    undeclared = [name for name in placeholders(template) if name not in seen]
    if undeclared:
        names = ", ".join(f"{{{{{name}}}}}" for name in undeclared)
        errors.append(
            FieldError(
                "/template",
                f"the template uses undeclared variables: {names}; declare them in `variables`",
            )
        )
    return errors


def render(template: str, variables: Iterable[Declared], values: Mapping[str, str]) -> str:
    """The template with every placeholder replaced; raises TemplateError (422) otherwise."""
    declared = {v.name: v for v in variables}
    errors = [
        FieldError(f"/variables/{name}", f"{name!r} is not a variable of this version")
        for name in values
        if name not in declared
    ]
    errors.extend(
        FieldError("/variables", f"the required variable {name!r} is missing")
        for name, variable in declared.items()
        if variable.required and name not in values
    )
    if errors:
        raise TemplateError(errors)
    resolved = {
        name: values.get(name, variable.default or "") for name, variable in declared.items()
    }
    matches = list(PLACEHOLDER.finditer(template))
    # A placeholder without a declaration (impossible for stored versions) stays literal.
    size = len(template) + sum(
        len(resolved.get(m.group(1), m.group(0))) - len(m.group(0)) for m in matches
    )
    if size > MAX_RENDERED_CHARS:
        raise TemplateError(
            [
                FieldError(
                    "/variables",
                    f"the rendered text would be {size} characters; "
                    f"the limit is {MAX_RENDERED_CHARS}",
                )
            ]
        )
    return PLACEHOLDER.sub(lambda m: resolved.get(m.group(1), m.group(0)), template)
