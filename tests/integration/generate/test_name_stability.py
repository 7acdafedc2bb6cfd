"""Class names depend on the schema's own position only (ADR 0015), on real documents.

Each real document of ../shared/corpus is generated as it is and changed in ways that must
rename nothing: one unrelated schema added, 1,000 padding schemas added (with nested
models of their own), components and paths reordered, and a small document cut out of a
big one (the same shapes, the same names).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from toolkit.generate.models import Models, render_models
from toolkit.load import bundle_document, load_document
from toolkit.model import build_api

# the variants are bench/name_stability.py's (the same probe, run there on GitHub's spec)
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from name_stability import cut, padding

pytestmark = pytest.mark.corpus

REAL = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "real"
DOCUMENTS = [
    "flat.io.json",
    "twilio.com__twilio_insights_v1.json",
    "adyen.com__BinLookupService.json",
]

if not REAL.is_dir():
    pytest.skip(f"shared corpus not found: {REAL} does not exist", allow_module_level=True)


def _models(tmp_path: Path, name: str, data: dict[str, Any]) -> Models:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    document = load_document(path)
    bundle = bundle_document(document)
    return render_models(bundle.data, build_api(document, bundle), str(path))


def _original(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REAL / name).read_text(encoding="utf-8"))
    return data


def _renamed(before: Models, after: Models) -> dict[str, tuple[str, str | None]]:
    return {
        pointer: (name, after.names.get(pointer))
        for pointer, name in before.names.items()
        if after.names.get(pointer) != name
    }


@pytest.fixture(scope="module", params=DOCUMENTS)
def original(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    name = request.param
    models = _models(tmp_path_factory.mktemp("original"), "doc", _original(name))
    assert len(models.names) > 10  # the document has models to rename
    return name, models


def test_adding_schemas_renames_nothing(original: Any, tmp_path: Path) -> None:
    name, before = original
    one = _original(name)
    one["components"]["schemas"] = {"Unrelated": {"type": "object"}, **one["components"]["schemas"]}
    assert _renamed(before, _models(tmp_path, "one", one)) == {}
    padded = _original(name)
    padded["components"]["schemas"] = {**padding(1000), **padded["components"]["schemas"]}
    after = _models(tmp_path, "padded", padded)
    assert len(after.names) >= len(before.names) + 2000
    assert _renamed(before, after) == {}
    assert after.classes == before.classes


def test_reordering_renames_nothing(original: Any, tmp_path: Path) -> None:
    name, before = original
    data = _original(name)
    schemas = list(data["components"]["schemas"].items())
    data["components"]["schemas"] = dict(reversed(schemas))
    paths = list(data["paths"].items())
    random.Random(7).shuffle(paths)
    data["paths"] = dict(paths)
    after = _models(tmp_path, "reordered", data)
    assert _renamed(before, after) == {}
    assert after.classes == before.classes


def test_a_small_document_cut_from_a_big_one_names_the_same_shapes_alike(
    original: Any, tmp_path: Path
) -> None:
    """A component and what it refers to, alone in a document of their own."""
    name, before = original
    small = cut(_original(name))
    after = _models(tmp_path, "small", small)
    shared = {p: n for p, n in before.names.items() if p in after.names}
    assert shared, "the cut shares schemas with the original"
    assert {p: after.names[p] for p in shared} == shared
