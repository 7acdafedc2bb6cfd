"""Bytes -> plain JSON-compatible data, refusing anything unsafe with a located error.

JSON goes through the stdlib C decoder (fast, exact line/column on errors); YAML through
PyYAML's C parser with a YAML 1.2-style resolver (no `yes`/`no` booleans, no timestamps,
no object-constructing tags). Aliases are kept shared, never expanded here; `measure`
bounds their expanded size afterwards so an alias bomb costs nothing to refuse.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

import yaml

from toolkit.config import LoadOptions
from toolkit.errors import LoadError, Location

Format = Literal["json", "yaml"]

_BOM = b"\xef\xbb\xbf"


def read_bytes(path: Path, options: LoadOptions, *, display: str | None = None) -> bytes:
    """Read a file, refusing before reading when it is larger than the configured bound."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise LoadError("not a regular file", Location(name), hint="pass an OpenAPI file")
        if size > options.max_bytes:
            raise LoadError(
                f"file is {size:,} bytes, over the limit of {options.max_bytes:,}",
                Location(name),
                hint="raise [tool.ctk.load] max-bytes (or --max-bytes) if this file is trusted",
            )
        with path.open("rb") as handle:
            data = handle.read(options.max_bytes + 1)
    except FileNotFoundError:
        raise LoadError("file not found", Location(name), hint="check the path") from None
    except IsADirectoryError:
        raise LoadError("is a directory", Location(name), hint="pass an OpenAPI file") from None
    except PermissionError:
        raise LoadError("permission denied", Location(name)) from None
    except OSError as exc:
        raise LoadError(f"cannot read file: {exc.strerror}", Location(name)) from None
    if len(data) > options.max_bytes:  # the file grew while we read it
        raise LoadError(f"file is over the limit of {options.max_bytes:,} bytes", Location(name))
    return data


def decode(data: bytes, name: str) -> str:
    """UTF-8 with or without a BOM; invalid bytes are reported with their line and column."""
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoadError(
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            Location(name, line=line, column=column),
            hint="OpenAPI documents must be UTF-8; re-save the file as UTF-8",
        ) from None


def sniff(text: str, path: Path) -> Format:
    """JSON when it looks like JSON (fast path), YAML otherwise (YAML is a superset)."""
    head = text.lstrip()[:1]
    if head in ("{", "[") or (not head and path.suffix.lower() == ".json"):
        return "json"
    return "yaml"


def parse(text: str, name: str, fmt: Format, *, max_nodes: int | None = None) -> Any:
    if max_nodes is not None:
        if fmt == "json":
            _bound_json_nodes(text, name, max_nodes)
        else:
            _bound_yaml_nodes(text, name, max_nodes)
    data = _parse_json(text, name) if fmt == "json" else _parse_yaml(text, name)
    _refuse_lone_surrogates(data, text, name)
    return data


# A `\uD800`-style escape can decode to half a surrogate pair, which no UTF-8 output can hold.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    r"|\\U0000[dD][89a-fA-F][0-9a-fA-F]{2}"
)


def _refuse_lone_surrogates(data: Any, text: str, name: str) -> None:
    """Refuse strings holding a lone surrogate (only an escape can make one; checked only then)."""
    if _SURROGATE_ESCAPE.search(text) is None:
        return
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                match = _LONE_SURROGATE_ESCAPE.search(text)
                offset = match.start() if match else None
                raise LoadError(
                    "a string holds a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF escape)",
                    _location(name, text, offset),
                    hint="escape the whole character as a surrogate pair, or write it as UTF-8",
                ) from None
        elif isinstance(node, dict | list) and id(node) not in seen:
            seen.add(id(node))
            stack.extend(node if isinstance(node, list) else [*node.keys(), *node.values()])


def _location(name: str, text: str, offset: int | None) -> Location:
    if offset is None:
        return Location(name)
    line = text.count("\n", 0, offset) + 1
    return Location(name, line=line, column=offset - (text.rfind("\n", 0, offset) + 1) + 1)


_JSON_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'


def _find_outside_strings(text: str, pattern: str) -> int | None:
    """Best effort: the offset of the first match of `pattern` that is not inside a JSON string."""
    for match in re.finditer(_JSON_STRING + "|(" + pattern + ")", text):
        if match.group(1) is not None:
            return match.start(1)
    return None


# -- JSON ------------------------------------------------------------------------------------


_JSON_STRING_OR_SPACE = re.compile(_JSON_STRING + r"|\s+")


def _bound_yaml_nodes(text: str, name: str, limit: int) -> None:
    """Refuse YAML that is plainly too big before libyaml and PyYAML build it (they cost
    ~1 KB per node). An estimate: almost every node starts a line or follows a ',' or opens
    a flow collection; real specs stay far below (GitHub's spec as YAML: ~0.4M)."""
    estimate = text.count("\n") + text.count(",") + text.count("[") + text.count("{")
    if estimate > limit:
        raise LoadError(
            f"has about {estimate:,} nodes, more than the limit of {limit:,}",
            Location(name),
            hint="split the document with $ref, or raise [tool.ctk.load] max-nodes if trusted",
        )


def _bound_json_nodes(text: str, name: str, limit: int) -> None:
    """Refuse JSON with more than `limit` values before parsing builds them all (`scan` counts
    the same way). Every value but the root follows a ',' or opens a non-empty container, so
    counting those characters bounds it; strings are skipped only when the fast bound fails."""
    if 1 + text.count(",") + text.count("[") + text.count("{") <= limit:
        return
    bare = _JSON_STRING_OR_SPACE.sub("", text)
    empty = bare.count("[]") + bare.count("{}")
    if 1 + bare.count(",") + bare.count("[") + bare.count("{") - empty <= limit:
        return
    raise LoadError(
        f"has more than {limit:,} nodes",
        Location(name),
        hint="split the document; raise [tool.ctk.load] max-nodes if trusted",
    )


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return result


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _reject_constant(name: str) -> Any:
    raise _ConstantError(name)


class _ConstantError(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is not valid JSON")


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_object, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"malformed JSON: {exc.msg}",
            Location(name, line=exc.lineno, column=exc.colno),
            hint="fix the syntax at the position shown",
        ) from None
    except _DuplicateKeyError as exc:
        line, column = _find_duplicate_json_key(text, exc.key)
        raise LoadError(
            f"duplicate key {exc.key!r} in one object",
            Location(name, line=line, column=column),
            hint="JSON objects must not repeat a key; merge or rename them",
        ) from None
    except _ConstantError as exc:
        raise LoadError(
            f"malformed JSON: {exc}",
            _location(name, text, _find_outside_strings(text, r"-?Infinity|NaN")),
            hint="use null or a string",
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise LoadError(
            f"malformed JSON: {str(exc).split(';', 1)[0]}",
            _location(name, text, _find_outside_strings(text, r"-?[0-9]{4301,}")),
            hint="write huge numbers as strings",
        ) from None
    except RecursionError:
        raise LoadError(
            "nesting is too deep to be an API description",
            _location(name, text, _too_deep_offset(text)),
            hint="flatten the document or use $ref",
        ) from None


def _too_deep_offset(text: str, limit: int = 256) -> int | None:
    """Best effort: where JSON brackets first nest deeper than `limit` (strings skipped)."""
    depth = 0
    for match in re.finditer(_JSON_STRING + r"|[\[{]|[\]}]", text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif char in "]}":
            depth -= 1
    return None


def _find_duplicate_json_key(text: str, key: str) -> tuple[int | None, int | None]:
    """Best effort: the second occurrence of the key is the duplicate."""
    needle = json.dumps(key) + ":"
    matches = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
    if len(matches) < 2 and needle not in text:
        return None, None
    offset = matches[1] if len(matches) >= 2 else matches[0]
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# -- YAML ------------------------------------------------------------------------------------

# `yaml.CParser` is not exported at the top level; libyaml's parser lives in `yaml.cyaml`.
_CParser = getattr(getattr(yaml, "cyaml", None), "CParser", None)
_YAML_ERRORS = (yaml.YAMLError,)


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema: what JSON can represent, and nothing that surprises."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


_MERGE = "tag:yaml.org,2002:merge"


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe constructor that also refuses duplicate keys and non-JSON types.

    Keys are always strings, as in JSON: a plain `200:` or `true:` key keeps the text written.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)  # raises "expected a mapping"
        # Merge keys (`<<`) first, the earlier of several maps winning; then the node's own
        # keys, which override merged ones and may not repeat. (PyYAML's `flatten_mapping`
        # lets a nested merge's keys win over the overrides of the map that merged it.)
        mapping: dict[str, Any] = {}
        own: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                own.append((key_node, value_node))
                continue
            merged = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in reversed(merged):
                if not isinstance(source, yaml.MappingNode):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"expected a mapping or list of mappings for merging, found {source.id}",
                        source.start_mark,
                    )
                mapping.update(self.construct_object(source, deep=True))
        seen: set[str] = set()
        for key_node, value_node in own:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                if not isinstance(key_node, yaml.ScalarNode) or not (
                    key is None or isinstance(key, int | float)  # bool is an int
                ):
                    raise yaml.constructor.ConstructorError(
                        None, None, "mapping keys must be scalars", key_node.start_mark
                    )
                key = str(key_node.value)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(self.construct_scalar(node)).replace("_", "")
        sign, digits = (value[0], value[1:]) if value[:1] in ("-", "+") else ("", value)
        try:
            if digits.startswith("0o"):
                return int(sign + digits[2:], 8)
            if digits.startswith("0x"):
                return int(sign + digits[2:], 16)
            return int(value, 10)  # YAML 1.2: a leading zero is not octal
        except ValueError as exc:
            raise self._not_a(node, "integer", exc) from None

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        try:
            return super().construct_yaml_float(node)
        except ValueError as exc:
            raise self._not_a(node, "number", exc) from None

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> bool:
        try:
            return super().construct_yaml_bool(node)
        except KeyError as exc:
            raise self._not_a(node, "boolean", exc) from None

    @staticmethod
    def _not_a(node: yaml.Node, kind: str, exc: Exception) -> yaml.constructor.ConstructorError:
        reason = str(exc).split(";", 1)[0] if isinstance(exc, ValueError) else "unknown value"
        shown = str(node.value) if len(str(node.value)) <= 40 else f"{str(node.value)[:37]}..."
        return yaml.constructor.ConstructorError(
            None, None, f"{shown!r} is not a valid {kind} ({reason})", node.start_mark
        )

    def refuse(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"tag {node.tag!r} is not allowed in an API description (only JSON-compatible data)",
            node.start_mark,
        )


_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)  # type: ignore[type-var]
_Constructor.add_constructor("tag:yaml.org,2002:float", _Constructor.construct_yaml_float)  # type: ignore[type-var]
_Constructor.add_constructor("tag:yaml.org,2002:bool", _Constructor.construct_yaml_bool)  # type: ignore[type-var]
for _tag in ("timestamp", "binary", "set", "omap", "pairs"):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _Constructor.refuse)  # type: ignore[type-var]
_Constructor.add_constructor(None, _Constructor.refuse)  # type: ignore[type-var]


def _loader_class() -> type[Any]:
    if _CParser is not None:

        class CLoader(_CParser, _Constructor, _Resolver):  # type: ignore[misc,valid-type]
            def __init__(self, stream: str) -> None:
                _CParser.__init__(self, stream)  # type: ignore[misc]
                _Constructor.__init__(self)
                _Resolver.__init__(self)

        return CLoader

    class PyLoader(
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Constructor,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Constructor.__init__(self)
            _Resolver.__init__(self)

    return PyLoader


_Loader = _loader_class()


def _parse_yaml(text: str, name: str) -> Any:
    loader = None
    try:
        loader = _Loader(text)  # the pure-Python reader checks the characters right here
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "malformed YAML"
        if "expected a single document" in str(exc):
            problem = "more than one YAML document in the file"
        raise LoadError(
            f"malformed YAML: {problem}",
            Location(name, line=mark.line + 1, column=mark.column + 1) if mark else Location(name),
            hint=_yaml_hint(problem),
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character: position is an offset
        raise LoadError(
            f"malformed YAML: unacceptable character #x{exc.character:04x}"
            " (control characters are not allowed)",
            _location(name, text, exc.position if isinstance(exc.position, int) else None),
            hint="remove the character, or write it as an escape in a double-quoted string",
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"malformed YAML: {exc}", Location(name)) from None
    except RecursionError:
        raise LoadError(
            "nesting is too deep to be an API description", Location(name), hint="use $ref"
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data


def _yaml_hint(problem: str) -> str:
    if "duplicate key" in problem:
        return "a mapping must not repeat a key; merge or rename them"
    if "tag" in problem:
        return "remove the tag; API descriptions hold only JSON-compatible data"
    if "nesting" in problem:
        return "flatten the document or use $ref"
    return "fix the syntax at the position shown"
