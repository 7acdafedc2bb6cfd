"""Schema-valid values for the mock's responses: the spec's own examples when they validate,
else data generated from the schema by schemathesis' JSON Schema strategies (hypothesis).

Every value is checked by the validator the generated server's `validate_responses` uses
(the runtime's compiled view of the document: 3.0 `nullable`, integer formats, the response
view of `readOnly`/`writeOnly`), so a mock never answers what the contract forbids.

Generation is deterministic: one `random.Random` per (seed, schema), and hypothesis' search
with no database. Values are the simplest
the search finds (hypothesis shrinks them: `""`, `0`, the first enum member), so they read
as placeholders, like Prism's static mode. They are *rich*: every declared property is asked for (a
copy of the document where `required` lists every property), so a consumer sees the whole
shape; where that cannot be met (recursion, `maxProperties`, ...) the plain schema is used.
"""

from __future__ import annotations

import copy
import json
import random
import zlib
from collections.abc import Callable, Collection, Mapping
from typing import Any
from urllib.parse import quote

from toolkit.errors import ToolkitError
from toolkit.pointer import escape, resolve
from toolkit.runtime._schemas import Schemas, Validator, errors_of, is_legacy
from toolkit.runtime._views import RESPONSE, strip

Accept = Callable[[Any], bool]
# hypothesis' search budget per value: enough for patterns, formats and small unions
_MAX_EXAMPLES = 400


class NoValueError(ToolkitError):
    """No value the schema accepts could be found (unsatisfiable, or beyond the search)."""


class Values:
    """Values for pointers into `document` (the bundled spec the mock serves)."""

    def __init__(self, document: Mapping[str, Any], pointers: list[str], seed: int) -> None:
        self.schemas = Schemas(document, pointers)
        self.seed = seed
        self._legacy = is_legacy(document)
        self._rich: dict[str, Any] | None = None
        self._cache: dict[tuple[str, bool], Any] = {}

    def validator(self, pointer: str) -> Validator:
        return self.schemas.validator(pointer, RESPONSE)

    def problems(self, pointer: str, value: Any) -> list[tuple[str, str]]:
        """How `value` breaks the response view of the schema at `pointer` ([] = valid)."""
        validator = self.validator(pointer)
        return [] if validator.is_valid(value) else errors_of(validator, value, limit=3)

    def strip_write_only(self, value: Any, pointer: str) -> None:
        """In place: members the schema at `pointer` marks write-only leave `value`."""
        _strip_write_only(value, self.schemas.resource, pointer)

    def static(self, pointer: str, accept: Accept | None = None) -> Any:
        """The value for `pointer` under this seed, computed once (NoValueError when none)."""
        key = (pointer, accept is None)
        if key not in self._cache:
            try:
                self._cache[key] = self.generate(pointer, self._random(pointer), accept)
            except NoValueError as error:
                self._cache[key] = error
        found = self._cache[key]
        if isinstance(found, NoValueError):
            raise found
        return found

    def fresh(self, pointer: str, used: Collection[str], accept: Accept | None = None) -> Any:
        """The simplest value for `pointer` whose JSON text is not in `used`: new ids for
        `--stateful`, and a new body per request for `Prefer: dynamic=true`."""

        def new(value: Any) -> bool:
            return canonical(value) not in used and (accept is None or accept(value))

        return self.generate(pointer, self._random(pointer, len(used)), new)

    def _random(self, pointer: str, counter: int = 0) -> random.Random:
        seed = zlib.crc32(f"{self.seed}:{counter}:{pointer}".encode())
        return random.Random(seed)  # noqa: S311 - test data, reproducible on purpose

    def generate(self, pointer: str, rng: random.Random, accept: Accept | None = None) -> Any:
        """A value the response view of the schema accepts: rich first, then plain."""
        validator = self.validator(pointer)

        def valid(value: Any) -> bool:
            return validator.is_valid(value) and (accept is None or accept(value))

        try:
            return self._find(self._rich_document(), pointer, rng, valid)
        except NoValueError:
            return self._find(self.schemas.resource, pointer, rng, valid)

    def _find(
        self, document: Mapping[str, Any], pointer: str, rng: random.Random, valid: Accept
    ) -> Any:
        import jsonschema_rs
        from hypothesis import HealthCheck, Phase, Verbosity, find, settings
        from hypothesis import strategies as st
        from hypothesis.errors import NoSuchExample, Unsatisfiable
        from schemathesis.generation.jsonschema.builder import build
        from schemathesis.specs.openapi.formats import get_default_format_strategies

        root = dict(document)
        root.pop("$schema", None)
        root["$ref"] = "#" + quote(pointer, safe="/~-._")
        draft = jsonschema_rs.Draft4 if self._legacy else jsonschema_rs.Draft202012
        # `format: binary` in a JSON or text body is a string
        formats = {**get_default_format_strategies(), "binary": st.text(max_size=8)}

        def accepted(value: Any) -> bool:
            shown = copy.deepcopy(value)
            _strip_write_only(shown, document, pointer)
            return valid(shown)

        try:
            strategy = build(root, draft=draft, formats=formats)
            found = find(
                strategy,
                accepted,
                settings=settings(
                    database=None,
                    max_examples=_MAX_EXAMPLES,
                    phases=[Phase.generate, Phase.shrink],
                    suppress_health_check=list(HealthCheck),
                    deadline=None,
                    verbosity=Verbosity.quiet,
                ),
                random=rng,
            )
        except (NoSuchExample, Unsatisfiable):
            raise NoValueError(f"no value found for the schema at {pointer}") from None
        except Exception as error:  # the strategy builder's own limits (unsupported keywords)
            raise NoValueError(f"the schema at {pointer} cannot be generated: {error}") from None
        _strip_write_only(found, document, pointer)
        return found

    def _rich_document(self) -> Mapping[str, Any]:
        if self._rich is None:
            self._rich = copy.deepcopy(self.schemas.resource)
            _require_all(self._rich)
        return self._rich


def _strip_write_only(value: Any, document: Mapping[str, Any], pointer: str) -> None:
    """Write-only members never appear in a response (ADR 0017)."""
    try:
        strip(value, resolve(document, pointer), document, RESPONSE)
    except LookupError:
        pass


def _require_all(node: Any) -> None:
    """In place: every object schema requires each property it declares."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, dict):
            properties = item.get("properties")
            if isinstance(properties, dict) and properties and _is_schema(item):
                required = item.get("required")
                names = list(required) if isinstance(required, list) else []
                names += [str(name) for name in properties if name not in names]
                item["required"] = names
            stack.extend(v for v in item.values() if isinstance(v, dict | list))
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, dict | list))


def _is_schema(node: Mapping[str, Any]) -> bool:
    """A `properties` member that is itself a map of schemas (not a property named so)."""
    properties = node.get("properties")
    return isinstance(properties, dict) and all(
        isinstance(v, dict | bool) for v in properties.values()
    )


def canonical(value: Any) -> str:
    """One text per JSON value (key order ignored): what `fresh` compares."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def schema_pointers(document: Any) -> list[str]:
    """Every `schema` member's pointer (parameters, media types, headers), anywhere: the
    runtime converts what these reach (3.0 `nullable`, integer formats)."""
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        node, at = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                child = f"{at}/{escape(str(key))}"
                if key == "schema" and isinstance(value, dict):
                    found.append(child)
                stack.append((value, child))
        elif isinstance(node, list):
            stack.extend((value, f"{at}/{i}") for i, value in enumerate(node))
    return found
