"""One walk over loaded data: bound its expanded size and depth, and find every `$ref`.

YAML aliases make shared (even cyclic) object graphs; each distinct container is visited
once and its expanded size is computed from its children's, so a billion-laughs document
is measured, and refused, in microseconds. JSON has no sharing and takes a lighter path.
"""

from __future__ import annotations

from typing import Any

from toolkit.config import LoadOptions
from toolkit.errors import LoadError, Location
from toolkit.pointer import escape

_Chain = tuple[Any, "_Chain"] | None


def _pointer(chain: _Chain) -> str:
    tokens: list[str] = []
    while chain is not None:
        key, chain = chain
        tokens.append(escape(key))
    return "".join("/" + t for t in reversed(tokens))


class RefSite:
    """A `$ref` found in a file: where it stands and what it says. The pointer is built on
    first use: a 13 MB spec has 10,000 refs and almost none is ever reported."""

    __slots__ = ("_chain", "_pointer", "has_siblings", "ref")

    def __init__(self, chain: _Chain | str, ref: str, has_siblings: bool) -> None:
        """`chain` is the scan's (key, parent) chain, or a ready pointer string."""
        self._chain: _Chain = None if isinstance(chain, str) else chain
        self._pointer: str | None = chain if isinstance(chain, str) else None
        self.ref = ref
        self.has_siblings = has_siblings

    @property
    def pointer(self) -> str:
        if self._pointer is None:
            self._pointer = _pointer(self._chain)
        return self._pointer

    def __repr__(self) -> str:
        return f"RefSite({self.pointer!r}, {self.ref!r}, {self.has_siblings!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RefSite):
            return NotImplemented
        return (self.pointer, self.ref, self.has_siblings) == (
            other.pointer,
            other.ref,
            other.has_siblings,
        )

    def __hash__(self) -> int:
        return hash((self.pointer, self.ref, self.has_siblings))


def scan(data: Any, name: str, options: LoadOptions, *, shared: bool) -> list[RefSite]:
    """Return the `$ref` sites of `data`; raise LoadError when it is too big, deep or cyclic."""
    if shared:
        return _scan_graph(data, name, options)
    return _scan_tree(data, name, options)


def _too_many(name: str, chain: _Chain, limit: int, *, aliases: bool) -> LoadError:
    return LoadError(
        f"expands to more than {limit:,} nodes (YAML alias bomb?)"
        if aliases
        else f"has more than {limit:,} nodes",
        Location(name, pointer=_pointer(chain)),
        hint=("avoid deeply nested aliases" if aliases else "split the document")
        + "; raise [tool.ctk.load] max-nodes if trusted",
    )


def _too_deep(name: str, chain: _Chain, limit: int) -> LoadError:
    return LoadError(
        f"nesting deeper than {limit} levels",
        Location(name, pointer=_pointer(chain)[:200]),
        hint="this is not a realistic API description; raise [tool.ctk.load] max-depth if trusted",
    )


def _scan_tree(data: Any, name: str, options: LoadOptions) -> list[RefSite]:
    refs: list[RefSite] = []
    max_depth, max_nodes = options.max_depth, options.max_nodes
    nodes = 1  # every later stage holds a copy per node: bound JSON as YAML is bounded
    stack: list[tuple[Any, _Chain, int]] = [(data, None, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, chain, depth = pop()
        if depth > max_depth:
            raise _too_deep(name, chain, max_depth)
        nodes += len(node)
        if nodes > max_nodes:
            raise _too_many(name, chain, max_nodes, aliases=False)
        if type(node) is dict:
            ref = node.get("$ref")
            if type(ref) is str:
                refs.append(RefSite(chain, ref, len(node) > 1))
            for key, value in node.items():
                if type(value) is dict or type(value) is list:
                    push((value, (key, chain), depth + 1))
        else:
            for index, value in enumerate(node):
                if type(value) is dict or type(value) is list:
                    push((value, (index, chain), depth + 1))
    return refs


def _scan_graph(data: Any, name: str, options: LoadOptions) -> list[RefSite]:
    refs: list[RefSite] = []
    measured: dict[int, tuple[int, int]] = {}  # id -> (expanded nodes, height)
    on_path: set[int] = set()
    stack: list[tuple[Any, _Chain, bool]] = [(data, None, False)]
    while stack:
        node, chain, done = stack.pop()
        key = id(node)
        children = list(node.values()) if isinstance(node, dict) else node
        if done:
            on_path.discard(key)
            size, height = 1, 0
            for child in children:
                if isinstance(child, dict | list):
                    child_size, child_height = measured[id(child)]
                    size += child_size
                    height = max(height, child_height)
                else:
                    size += 1
            if size > options.max_nodes:
                raise _too_many(name, chain, options.max_nodes, aliases=True)
            if height + 1 > options.max_depth:
                raise _too_deep(name, chain, options.max_depth)
            measured[key] = (size, height + 1)
            continue
        if key in measured:
            continue
        if key in on_path:
            raise LoadError(
                "a YAML alias refers to its own ancestor (infinitely recursive data)",
                Location(name, pointer=_pointer(chain)),
                hint="use $ref for recursive structures, not YAML anchors",
            )
        on_path.add(key)
        stack.append((node, chain, True))
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                refs.append(RefSite(chain, ref, len(node) > 1))
            items: Any = node.items()
        else:
            items = enumerate(node)
        for child_key, child in items:
            if isinstance(child, dict | list):
                stack.append((child, (child_key, chain), False))
    return refs
