"""Operation selection: each filter kind narrows, values are exact, shards split the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config import FuzzOptions
from toolkit.errors import UsageError
from toolkit.load.document import load_document
from toolkit.verify.fuzz._schema import select
from toolkit.verify.fuzz.shard import Shard

SPEC = """
openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /things:
    get: {operationId: listThings, tags: [things], responses: {"200": {description: ok}}}
    post: {operationId: createThing, tags: [things, write], responses: {"201": {description: ok}}}
  /things/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    get: {operationId: getThing, tags: [things], responses: {"200": {description: ok}}}
    delete: {operationId: deleteThing, tags: [write], responses: {"204": {description: ok}}}
  /health:
    get: {operationId: health, responses: {"200": {description: ok}}}
"""


@pytest.fixture
def data(tmp_path: Path) -> dict[str, object]:
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return load_document(path).data


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (
            {},
            {
                "GET /things",
                "POST /things",
                "GET /things/{id}",
                "DELETE /things/{id}",
                "GET /health",
            },
        ),
        ({"include_path": ("/things",), "include_method": ("get",)}, {"GET /things"}),
        (
            {"include_tag": ("things",), "exclude_tag": ("write",)},
            {"GET /things", "GET /things/{id}"},
        ),
        (
            {"include_operation_id": ("health", "deleteThing")},
            {"GET /health", "DELETE /things/{id}"},
        ),
        ({"exclude_method": ("GET",)}, {"POST /things", "DELETE /things/{id}"}),
        ({"include_path": ("/thing",)}, None),  # exact, not a prefix
    ],
)
def test_filters_narrow(
    data: dict[str, object], options: dict[str, tuple[str, ...]], expected: set[str] | None
) -> None:
    if expected is None:
        with pytest.raises(UsageError, match="no operation is left"):
            select(data, FuzzOptions(**options), None)  # type: ignore[arg-type]
        return
    everything, selected, mine = select(data, FuzzOptions(**options), None)  # type: ignore[arg-type]
    assert len(everything) == 5
    assert selected == expected == mine


def test_a_shard_takes_its_share_of_the_selection(data: dict[str, object]) -> None:
    shares = [select(data, FuzzOptions(exclude_method=("DELETE",)), Shard(i, 2))[2] for i in (1, 2)]
    assert shares[0] | shares[1] == {
        "GET /things",
        "POST /things",
        "GET /things/{id}",
        "GET /health",
    }
    assert not shares[0] & shares[1]
