"""Turning one finding into a `Diagnostic`: located in the pact (file, line, JSON pointer),
with the spec's location beside it, and deduplicated across the items of arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.errors import Diagnostic, Location, Severity
from toolkit.load.pact import WILDCARD, Interaction, PactFile, Token
from toolkit.pointer import join
from toolkit.verify.compat.findings import RULES
from toolkit.verify.compat.spec import ContractSpec


def json_path(path: tuple[Token, ...]) -> str:
    """("items", 0, "id") → `$.items[0].id`; keys that are not identifiers are quoted."""
    out = "$"
    for token in path:
        if isinstance(token, int) or token == WILDCARD:
            out += f"[{token}]"
        elif token.isidentifier():
            out += f".{token}"
        else:
            out += "['" + token.replace("'", "\\'") + "']"
    return out


@dataclass
class Findings:
    pact: PactFile
    spec: ContractSpec
    interaction: Interaction
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _seen: set[tuple[str, str, str]] = field(default_factory=set)

    def add(
        self,
        rule: str,
        message: str,
        pact_pointer: str,
        spec_pointer: str | None,
        *,
        severity: Severity | None = None,
        hint: str = "",
        key: str = "",
    ) -> None:
        """`key` deduplicates: the same rule at the same wildcarded path is said once."""
        if key:
            mark = (rule, key, pact_pointer.split("/body", 1)[0])
            if mark in self._seen:
                return
            self._seen.add(mark)
        related = (self.spec_location(spec_pointer),) if spec_pointer is not None else ()
        self.diagnostics.append(
            Diagnostic(
                rule=rule,
                severity=severity or RULES[rule].severity,
                message=f"{self.interaction.description!r}: {message}",
                location=self.pact.location(pact_pointer),
                hint=hint,
                related=related,
            )
        )

    def spec_location(self, pointer: str) -> Location:
        uri, inner = self.spec.bundle.origin(pointer)
        return self.spec.document.location(inner, uri)


def body_pointer(base: str, path: tuple[Token, ...]) -> str:
    return join(base, *(str(t) for t in path))


def wildcard_key(path: tuple[Token, ...]) -> str:
    return json_path(tuple(WILDCARD if isinstance(t, int) else t for t in path))
