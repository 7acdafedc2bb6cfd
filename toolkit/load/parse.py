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


def parse(text: str, name: str, fmt: Format) -> Any:
    return _parse_json(text, name) if fmt == "json" else _parse_yaml(text, name)


# -- JSON ------------------------------------------------------------------------------------


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
    raise ValueError(f"{name} is not valid JSON")


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
    except ValueError as exc:
        raise LoadError(
            f"malformed JSON: {exc}", Location(name), hint="use null or a string"
        ) from None
    except RecursionError:
        raise LoadError(
            "nesting is too deep to be an API description",
            Location(name),
            hint="flatten the document or use $ref",
        ) from None


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

_CParser = getattr(yaml, "CParser", None)
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


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe constructor that also refuses duplicate keys and non-JSON types."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(
                    None, None, "mapping keys must be scalars", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(self.construct_scalar(node)).replace("_", "")
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)  # YAML 1.2: a leading zero is not octal

    def refuse(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"tag {node.tag!r} is not allowed in an API description (only JSON-compatible data)",
            node.start_mark,
        )


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
    loader = _Loader(text)
    try:
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
    except yaml.YAMLError as exc:
        raise LoadError(f"malformed YAML: {exc}", Location(name)) from None
    except RecursionError:
        raise LoadError(
            "nesting is too deep to be an API description", Location(name), hint="use $ref"
        ) from None
    finally:
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
