"""Issue 10's rule, kept: `toolkit/generate/` makes code, it never repairs code as text.

The generator's output is changed through its model objects (`_adjust.py`), and our own
renderers write code right the first time. So nothing in the package may substitute by
regular expression, parse rendered code to splice it, or rename by text. The one
substitution left cleans *spec text* before it becomes a literal (python.py `_CONTROL`).
"""

from __future__ import annotations

import ast
from pathlib import Path

import toolkit.generate

PACKAGE = Path(toolkit.generate.__file__).parent
# (module, the pattern substituted): spec text made safe before rendering, never code
ALLOWED_SUBSTITUTIONS = {("python.py", "_CONTROL")}
RETIRED = ["_split.py", "_fork.py", "rewrite.py", "_defaults.py", "_annotated.py", "_shadow.py"]


def _modules() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


def test_the_text_repair_modules_are_gone() -> None:
    assert not [name for name in RETIRED if (PACKAGE / name).exists()]


def test_no_regex_substitution_over_rendered_code() -> None:
    found = []
    for module in _modules():
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in ("sub", "subn"):
                continue
            owner = node.func.value
            name = owner.id if isinstance(owner, ast.Name) else ast.unparse(owner)
            if (module.name, name) not in ALLOWED_SUBSTITUTIONS:
                found.append(f"{module.name}:{node.lineno} {ast.unparse(node.func)}")
    assert found == []


# modules that parse code to read it, never to edit it: the user's own scaffold, checked
# for the protocol's methods it lacks
READS_USER_CODE = {"write.py"}


def test_no_parsing_of_rendered_code_to_splice_it() -> None:
    """The text repairs parsed the generator's output with `ast` to splice fields; only
    python.py's `mentions` reads rendered code, with `tokenize`, and changes nothing."""
    found = []
    for module in _modules():
        if module.name in READS_USER_CODE:
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if "ast" in names:
                    found.append(f"{module.name}:{node.lineno}")
    assert found == []


def test_the_package_does_not_grow_back() -> None:
    """2,511 lines before the second design, 2,021 after it (ADR 0016): the ~950 lines of
    text repair are gone; what replaced them (the hooks, object adjustments, shared classes,
    ruff layout) is about half as much. Features since (issue 11: read-only views, the
    scaffold re-run) brought it to ~2,110; a repair layer coming back would show here. The
    client generator (client.py, issue 12) is a new output, not repair: counted apart."""
    lines = sum(
        len(m.read_text(encoding="utf-8").splitlines()) for m in _modules() if m.name != "client.py"
    )
    assert lines < 2200, lines
