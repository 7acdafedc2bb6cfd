"""How many class names change when a document changes around them (ADR 0015: expected 0).

Not a test (tests/integration/generate/test_name_stability.py runs the same checks on the
corpus): a probe for big documents such as GitHub's. For SPEC it generates models for the
document as it is and for four variants, and counts the pointers whose class name changed:

* `padded`: 1,000 unrelated schemas (each with a nested object and an enum) put first;
* `reversed`: components/schemas in reverse order;
* `shuffled`: paths shuffled (seed 7);
* `cut`: the richest component and what it refers to, alone in a small document.

    python bench/name_stability.py SPEC [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.generate.models import Models, render_models  # noqa: E402
from toolkit.load import bundle_document, load_document  # noqa: E402
from toolkit.model import build_api  # noqa: E402


def _models(work: Path, name: str, data: dict[str, Any]) -> tuple[Models, float]:
    path = work / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    started = time.perf_counter()
    document = load_document(path)
    bundle = bundle_document(document)
    models = render_models(bundle.data, build_api(document, bundle), str(path))
    return models, time.perf_counter() - started


def padding(count: int) -> dict[str, Any]:
    """`count` unrelated schemas, each with a nested object and an enum of its own."""
    return {
        f"Pad{i:04d}": {
            "type": "object",
            "properties": {
                "inner": {"type": "object", "properties": {"n": {"type": "integer"}}},
                "kind": {"type": "string", "enum": ["a", "b"]},
            },
        }
        for i in range(count)
    }


def cut(data: dict[str, Any]) -> dict[str, Any]:
    """The richest component and what it refers to, alone in a document of their own."""
    schemas = data["components"]["schemas"]
    start = max(schemas, key=lambda key: len(json.dumps(schemas[key])))
    kept: dict[str, Any] = {}
    stack = [start]
    while stack:
        key = stack.pop()
        if key in kept or key not in schemas:
            continue
        kept[key] = schemas[key]
        text = json.dumps(schemas[key])
        stack.extend(k for k in schemas if f'"#/components/schemas/{k}"' in text)
    return {
        "openapi": data["openapi"],
        "info": {"title": "cut", "version": "1"},
        "paths": {},
        "components": {"schemas": kept},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    original = json.loads(args.spec.read_text(encoding="utf-8"))
    variants: dict[str, dict[str, Any]] = {}
    padded = json.loads(json.dumps(original))
    padded["components"]["schemas"] = {**padding(1000), **padded["components"]["schemas"]}
    variants["padded"] = padded
    reordered = json.loads(json.dumps(original))
    reordered["components"]["schemas"] = dict(reversed(reordered["components"]["schemas"].items()))
    variants["reversed"] = reordered
    shuffled = json.loads(json.dumps(original))
    paths = list(shuffled["paths"].items())
    random.Random(7).shuffle(paths)
    shuffled["paths"] = dict(paths)
    variants["shuffled"] = shuffled
    variants["cut"] = cut(original)
    rows: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="ctk-names-") as scratch:
        work = Path(scratch)
        base, seconds = _models(work, "original", original)
        rows["original"] = {"names": len(base.names), "seconds": round(seconds, 1)}
        print(f"original: {len(base.names)} named places ({seconds:.1f} s)", flush=True)
        for name, data in variants.items():
            models, seconds = _models(work, name, data)
            shared = [p for p in base.names if p in models.names]
            renamed = [p for p in shared if models.names[p] != base.names[p]]
            rows[name] = {
                "names": len(models.names),
                "compared": len(shared),
                "renamed": len(renamed),
                "examples": [(p, base.names[p], models.names[p]) for p in renamed[:5]],
                "seconds": round(seconds, 1),
            }
            print(f"{name}: {len(renamed)} of {len(shared)} compared names changed "
                  f"({len(models.names)} named places, {seconds:.1f} s)", flush=True)  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
