"""models.py from one or two generator runs, merged into one module under names ctk decides.

datamodel-code-generator is single-threaded and ~90% of `ctk generate` on a large spec.
The schemas are split by their references (ADR 0009): part A is closed under `$ref`, part B
is the rest and refers to part A's classes through `x-python-import` stand-ins. A smaller
document is one part, through the same merge.

Each run prefixes its class names (`QzA`, `QzB`) and sees every schema under a marked name
(`QzcPet`), so ctk, not the generator, decides every final name: each schema keeps its own
(the generator could give it to a nested model met first, and then merge the schema into
an identical model of another name), and nested models are named in text order, numbered
where taken. The split depends on the document alone, never on the machine, so the output
is the same on one core or many.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from typing import Any

from toolkit import pointer as jp
from toolkit.generate._defaults import typed_defaults
from toolkit.generate._shadow import unshadow
from toolkit.generate.python import import_from
from toolkit.model.build import SCHEMAS_PREFIX
from toolkit.model.names import Namer

# A document whose schemas have fewer nodes than this is generated in one run: below it,
# a second process costs more than it saves.
SPLIT_MIN_NODES = 20_000
# class name prefixes of the runs: short, and unlikely in a spec (only exact class names
# are renamed, so a description that happens to hold one is the only thing changed)
PREFIXES = ("QzA", "QzB")
MARK = "Qzc"  # before every schema's name in the generator's input
STAND_IN_MODULE = "_ctk_part_a"
_REF = "#" + SCHEMAS_PREFIX


@dataclass(frozen=True)
class Part:
    schemas: dict[str, Any]
    # part A's schemas copied whole into part B (enums: the generator needs their members
    # for defaults); their copies in part B's output are dropped when merging
    copies: frozenset[str]


def _target(ref: Any) -> str | None:
    if isinstance(ref, str) and ref.startswith(_REF):
        head = ref[len(_REF) :].split("/", 1)[0]
        return jp.unescape(head)
    return None


def _walk(schema: Any) -> tuple[set[str], int]:
    """The schema names `schema` refers to, and its size in nodes."""
    refs: set[str] = set()
    nodes = 0
    stack = [schema]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # a YAML alias: shared, counted once
            continue
        seen.add(id(node))
        nodes += 1
        if isinstance(node, dict):
            target = _target(node.get("$ref"))
            if target is not None:
                refs.add(target)
            stack.extend(v for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return refs, nodes


def _components(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components, dependencies first (Tarjan's, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for root, edges_of_root in graph.items():
        if root in index:
            continue
        work = [(root, iter(sorted(edges_of_root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    out.append(component)
    return out


def partition(schemas: dict[str, Any], *, openapi31: bool) -> list[Part]:
    """Two parts of about equal size, or one when the document is too small to split."""
    whole = [Part(schemas, frozenset())]
    walked = {name: _walk(schema) for name, schema in schemas.items()}
    total = sum(nodes for _, nodes in walked.values())
    if total < SPLIT_MIN_NODES:
        return whole
    graph = {name: refs for name, (refs, _) in walked.items()}
    part_a: set[str] = set()
    size = 0
    half = total / 2
    for component in _components(graph):
        grown = size + sum(walked[name][1] for name in component)
        if grown - half > half - size:  # adding it would leave the parts further apart
            break
        part_a.update(component)
        size = grown
    rest = [name for name in schemas if name not in part_a]
    if not part_a or not rest:
        return whole
    needed = {target for name in rest for target in graph[name] if target in part_a}
    copies = {name for name in needed if _copyable(schemas[name], graph[name])}
    stand_ins = needed - copies
    nullable = {name for name in stand_ins if _admits_null(schemas[name], openapi31)}
    done: dict[int, Any] = {}
    b: dict[str, Any] = {}
    for name, schema in schemas.items():
        if name in copies or name in rest:
            b[name] = _at_sites(schema, stand_ins, nullable, openapi31, done)
        elif name in needed:
            b[name] = {"x-python-import": {"module": STAND_IN_MODULE, "name": name}}
    a = {name: schema for name, schema in schemas.items() if name in part_a}
    return [Part(a, frozenset()), Part(b, frozenset(copies))]


def _copyable(schema: Any, refs: set[str]) -> bool:
    """An enum without references: small, and the generator needs its members."""
    return isinstance(schema, dict) and "enum" in schema and not refs


def _admits_null(schema: Any, openapi31: bool) -> bool:
    """Whether a schema accepts null (a stand-in hides it from the generator)."""
    if not isinstance(schema, dict):
        return False
    kind = schema.get("type")
    if schema.get("nullable") is True and not openapi31:
        return True
    if kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    if None in (schema.get("enum") or ()) or ("const" in schema and schema["const"] is None):
        return True
    return any(
        _admits_null(branch, openapi31)
        for key in ("oneOf", "anyOf")
        for branch in (schema.get(key) or ())
    )


# keywords that only annotate a schema: an allOf part made of them adds no type
_ANNOTATIONS = frozenset(
    ["description", "title", "example", "examples", "deprecated", "externalDocs", "xml"]
)


def _at_sites(
    node: Any,
    stand_ins: set[str],
    nullable: set[str],
    openapi31: bool,
    done: dict[int, Any] | None = None,
) -> Any:
    """`node` with each use of a stand-in made something the generator reads as a use of an
    imported class: a `$ref` to a schema that admits null made nullable (the stand-in hides
    that), and `allOf: [{$ref: stand-in}, {description: ...}]` (AWS writes every property so)
    made `allOf: [{$ref}]` with the annotations beside it (the generator cannot resolve the
    first form). Copied only where something changes, a shared (YAML alias) node once."""
    if not isinstance(node, dict | list):
        return node
    done = {} if done is None else done
    if id(node) in done:
        return done[id(node)]
    out: Any = node
    if isinstance(node, dict):
        target = _target(node.get("$ref"))
        if target in nullable:
            site = {"$ref": node["$ref"]}
            rest = {k: v for k, v in node.items() if k != "$ref"}
            if openapi31:
                out = {**rest, "anyOf": [site, {"type": "null"}]}
            else:
                out = {**rest, "allOf": [site], "nullable": True}
        else:
            changed = {
                k: _at_sites(v, stand_ins, nullable, openapi31, done) for k, v in node.items()
            }
            if any(changed[k] is not node[k] for k in node):
                out = changed
            out = _annotations_beside(out, stand_ins)
    else:
        items = [_at_sites(v, stand_ins, nullable, openapi31, done) for v in node]
        if any(a is not b for a, b in zip(items, node, strict=True)):
            out = items
    done[id(node)] = out
    return out


def _annotations_beside(node: dict[str, Any], stand_ins: set[str]) -> dict[str, Any]:
    parts = node.get("allOf")
    if not isinstance(parts, list):
        return node
    refs = [p for p in parts if isinstance(p, dict) and _target(p.get("$ref")) in stand_ins]
    notes = [p for p in parts if p not in refs]
    if len(refs) != 1 or not notes:
        return node
    if not all(isinstance(p, dict) and set(p) <= _ANNOTATIONS for p in notes):
        return node
    moved: dict[str, Any] = {}
    for note in notes:
        moved.update(note)
    return {**moved, **node, "allOf": refs}


# -- merging ------------------------------------------------------------------------------

_TOP = re.compile(r"^(?:class[ \t]+(\w+)|(\w+)[ \t]*(?::|=(?!=)))")


def _split_module(text: str) -> tuple[str, str, str]:
    """(header comment, import block, body) of one generated module."""
    lines = text.split("\n")
    start = 0
    while start < len(lines) and (lines[start].startswith("#") or not lines[start].strip()):
        start += 1
    end = start
    while end < len(lines):
        line = lines[end]
        if line and not line.startswith((" ", ")", "from ", "import ")) and _TOP.match(line):
            break
        end += 1
    return "\n".join(lines[:start]), "\n".join(lines[start:end]), "\n".join(lines[end:])


def statements(body: str) -> list[tuple[str | None, str]]:
    """Top-level statements: (defined name or None, text)."""
    out: list[tuple[str | None, list[str]]] = []
    for line in body.split("\n"):
        match = _TOP.match(line) if line[:1].isalpha() else None
        if match or not out:
            name = (match.group(1) or match.group(2)) if match else None
            out.append((name, [line]))
        else:
            out[-1][1].append(line)
    return [(name, "\n".join(lines)) for name, lines in out]


def _imports(block: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for node in ast.parse(block).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = {a.name if a.asname is None else f"{a.name} as {a.asname}" for a in node.names}
            found.setdefault(node.module, set()).update(names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found.setdefault("", set()).add(alias.name)
    return found


def _render_imports(found: dict[str, set[str]]) -> str:
    """isort's layout: __future__, the standard library, then third parties."""
    plain = sorted(found.pop("", set()))
    sections: list[list[str]] = [[], [], []]
    for module in sorted(found):
        top = module.split(".", 1)[0]
        index = 0 if module == "__future__" else 1 if top in sys.stdlib_module_names else 2
        names = sorted(found[module], key=_name_key)
        sections[index].append(import_from(module, names).rstrip("\n"))
    sections[1] = sorted([f"import {name}" for name in plain] + sections[1], key=_isort_key)
    return "\n\n".join("\n".join(s) for s in sections if s)


def _name_key(name: str) -> tuple[int, str]:
    """isort's order by type: CONSTANTS, then Classes, then functions and variables."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2), name


def _isort_key(line: str) -> tuple[str, int]:
    module = line.split()[1]
    return module, 0 if line.startswith("import ") else 1


def merge(
    texts: list[str], parts: list[Part], reserved: frozenset[str], imported: frozenset[str]
) -> str:
    """One module from the runs' outputs, with every class under its final name.

    `reserved`: the schemas' names and what a module may not redefine; a nested model
    named like one of the `imported` names becomes `<name>Model`, as the generator does.
    """
    split = [_split_module(text) for text in texts]
    aliases = [_stand_in_aliases(block) for _, block, _ in split]
    taken = reserved | imported | {alias for found in aliases for alias in found}
    namer = Namer(taken, joined=True)
    final_of: list[dict[str, str]] = []
    drop: list[set[str]] = []
    shared: dict[tuple[str, str], str] = {}  # (name stem, shape) -> class, across parts
    for prefix, (_, _, body), part in zip(PREFIXES, split, parts, strict=False):
        names: dict[str, str] = {}
        dropped: set[str] = set()
        shapes: dict[str, str] = {}  # schema name -> its class, renamed `_`
        for name, text in statements(body):
            if name is None or name in names or not name.startswith(prefix):
                continue
            base = name
            while base.startswith(prefix):  # `Enum` of a prefixed name: prefixed twice
                base = base[len(prefix) :]
            own = base[len(MARK) :] if base.startswith(MARK) else None
            if own is not None and own in part.schemas and _generated_here(part, own):
                names[name] = own
                shapes[own] = _shape(text)
                if own in part.copies:
                    dropped.add(name)
                continue
            nested = (base if own is None else own) or "Model"
            # a nested copy of a schema defined above, named like it: that schema's class,
            # as the generator itself merges two identical models of one name
            stem, shape = nested.rstrip("0123456789"), _shape(text)
            if shapes.get(stem) == shape:
                names[name] = stem
                dropped.add(name)
                continue
            # the same across the parts, for a class that names no other (an enum, say):
            # the generator would have merged the two in one run (and a subclass in part B
            # could not override a field of its part A base with the other copy)
            portable = (stem, shape) if not _PREFIXED.search(shape) else None
            if portable is not None and portable in shared:
                names[name] = shared[portable]
                dropped.add(name)
                continue
            names[name] = namer.claim(nested + "Model" if nested in imported else nested)
            if portable is not None:
                shared[portable] = names[name]
        final_of.append(names)
        drop.append(dropped)
    found: dict[str, set[str]] = {}
    bodies: list[str] = []
    for index, (_, block, body) in enumerate(split):
        for module, names_of in _imports(block).items():
            if module != STAND_IN_MODULE:
                found.setdefault(module, set()).update(names_of)
        kept = "\n".join(text for name, text in statements(body) if name not in drop[index])
        # a class imported under another name stays reachable by that name
        lines = "".join(f"{alias} = {name}\n" for alias, name in sorted(aliases[index].items()))
        bodies.append(lines + _rename(kept, final_of[index]).strip("\n"))
    classes = frozenset(name for names in final_of for name in names.values())
    for index, body in enumerate(bodies):
        fixed = [_fixed(text, classes) for _, text in statements(body)]
        bodies[index] = "\n".join(text for text, _ in fixed)
        if any(needs for _, needs in fixed):
            found.setdefault("typing", set()).add("Annotated")
            found.setdefault("pydantic", set()).add("Field")
    header = split[0][0].rstrip("\n")
    return header + "\n\n" + _render_imports(found) + "\n\n\n" + "\n\n\n".join(bodies) + "\n"


def _fixed(block: str, classes: frozenset[str]) -> tuple[str, bool]:
    """A class block after the two fixes the merged module needs (see their modules)."""
    block, renamed = unshadow(block, classes)
    block, typed = typed_defaults(block)
    return block, renamed or typed


_CLASS_NAME = re.compile(r"^class \w+")


def _shape(block: str) -> str:
    """A class block without its name (two classes of one shape are the same type)."""
    return (
        _CLASS_NAME.sub("class _", block, count=1).rstrip() if block.startswith("class ") else block
    )


def _generated_here(part: Part, name: str) -> bool:
    """Whether `name` is generated by this part (not a stand-in for another part's class)."""
    schema = part.schemas[name]
    return not (isinstance(schema, dict) and "x-python-import" in schema)


def _stand_in_aliases(block: str) -> dict[str, str]:
    """alias -> class, for the stand-ins the generator imported under another name."""
    out = {}
    for node in ast.parse(block).body:
        if isinstance(node, ast.ImportFrom) and node.module == STAND_IN_MODULE:
            out.update({a.asname: a.name for a in node.names if a.asname})
    return out


_PREFIXED = re.compile(r"\b(?:" + "|".join(PREFIXES) + r")\w*")


_MARKED = re.compile(r"\b(?:" + "|".join(PREFIXES) + r")+(?:" + MARK + ")?|(?<=/schemas/)" + MARK)


def unmarked(message: str) -> str:
    """A generator message with the schemas' and classes' own names (no prefix or mark)."""
    return _MARKED.sub("", message)


def _rename(text: str, names: dict[str, str]) -> str:
    return _PREFIXED.sub(lambda m: names.get(m.group(0), m.group(0)), text)
