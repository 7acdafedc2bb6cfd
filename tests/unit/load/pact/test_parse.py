"""Pact files of every specification version, and malformed ones: each refused with a
located error (exit 2 at the CLI), never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from toolkit.config import LoadOptions
from toolkit.errors import LoadError
from toolkit.load.pact import load_pact, pact_paths

SHARED = Path(__file__).resolve().parents[4].parent / "shared" / "pacts"


def write(tmp_path: Path, data: Any, name: str = "pact.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), "utf-8")
    return path


def minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "consumer": {"name": "c"},
        "provider": {"name": "p"},
        "interactions": [
            {
                "description": "d",
                "request": {"method": "get", "path": "/x"},
                "response": {"status": 200},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    data.update(changes)
    return data


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/pacts is not beside the repo")
def test_every_shared_pact_parses() -> None:
    summary = {}
    for path in sorted(SHARED.glob("*.json")):
        pact = load_pact(path)
        summary[path.name] = (pact.version, len(pact.interactions), len(pact.skipped))
    assert summary == {
        "v1-alice-service.json": ("1.0", 1, 0),
        "v2-userserviceclient-userservice.json": ("2.0", 2, 0),
        "v3-old-format-matchers.json": ("3.0", 1, 0),
        "v3-todoapp-todoservicev3.json": ("3.0", 2, 0),
        "v4-http-binary-body.json": ("4.0", 1, 0),
        "v4-mixed-http-and-messages.json": ("4.0", 1, 2),
    }


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/pacts is not beside the repo")
def test_shapes_of_each_version_are_normalised() -> None:
    alice = load_pact(SHARED / "v1-alice-service.json").interactions[0]
    assert alice.request.query == {"name": ["ron"], "status": ["good"]}  # V1 query string
    assert alice.response.body is not None and alice.response.body.kind == "text"
    old = load_pact(SHARED / "v3-old-format-matchers.json").interactions[0]
    assert old.request.query == {"q": ["p", "p2"], "r": ["s"]}
    assert old.response.rules.find("body", ("responsetest",))[0] is not None
    assert old.states[0].name == "test state"
    todo = load_pact(SHARED / "v3-todoapp-todoservicev3.json").interactions[1]
    assert todo.response.body is not None
    assert (todo.response.body.kind, todo.response.body.content_type) == ("text", "application/xml")
    gif = load_pact(SHARED / "v4-http-binary-body.json").interactions[0]
    assert gif.response.body is not None and gif.response.body.kind == "binary"
    assert gif.response.body.value.startswith(b"GIF87a")
    assert gif.response.headers == {"content-type": ["image/gif"]}
    mixed = load_pact(SHARED / "v4-mixed-http-and-messages.json")
    assert [s.kind for s in mixed.skipped] == ["Asynchronous/Messages", "Synchronous/Messages"]
    assert mixed.interactions[0].request.method == "GET"


def test_v4_bodies_and_provider_state_params(tmp_path: Path) -> None:
    data = minimal(metadata={"pactSpecification": {"version": "4.0"}})
    interaction = data["interactions"][0]
    interaction["type"] = "Synchronous/HTTP"
    interaction["providerStates"] = [{"name": "a thing with id {id}", "params": {"id": 7}}]
    interaction["response"]["body"] = {
        "content": {"a": 1},
        "contentType": "application/json",
        "encoded": False,
    }
    pact = load_pact(write(tmp_path, data))
    (only,) = pact.interactions
    assert only.states[0].params == {"id": 7}
    assert only.response.body is not None
    assert only.response.body.value == {"a": 1}
    assert only.response.body.pointer == "/interactions/0/response/body/content"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("name: not json\n", "not JSON", 1),
        ("[1, 2]", "a pact is a JSON object", None),
        (
            '{"consumer": {"name": "c"},\n "provider": {"name": "p"},\n "interactions": [}',
            "malformed JSON",
            3,
        ),
    ],
)
def test_not_a_pact(tmp_path: Path, text: str, message: str, line: int | None) -> None:
    with pytest.raises(LoadError, match=message) as caught:
        load_pact(write(tmp_path, text))
    assert caught.value.location is not None
    if line is not None:
        assert caught.value.location.line == line


@pytest.mark.parametrize(
    ("changes", "pointer", "message"),
    [
        ({"consumer": "c"}, "/consumer", "`consumer` is an object with a `name`"),
        ({"interactions": {}}, "/interactions", "`interactions` is a list"),
        ({"interactions": [1]}, "/interactions/0", "an interaction is an object"),
        (
            {"metadata": {"pactSpecification": {"version": "9.1.0"}}},
            "/metadata/pactSpecification/version",
            "unknown pact specification version",
        ),
        (
            {"interactions": [{"description": "d", "request": {"path": "/"}, "response": {}}]},
            "/interactions/0/request",
            "needs a `method`",
        ),
        (
            {
                "interactions": [
                    {"description": "d", "request": {"method": "GET"}, "response": {"status": 9}}
                ]
            },
            "/interactions/0/response/status",
            "HTTP status code",
        ),
        (
            {
                "interactions": [
                    {
                        "description": "d",
                        "request": {"method": "GET", "path": "/"},
                        "response": {"matchingRules": {"body": {"$.a[": {"match": "type"}}}},
                    }
                ]
            },
            "/interactions/0/response/matchingRules",
            "unreadable matching rule",
        ),
    ],
)
def test_wrong_shapes_are_located(
    tmp_path: Path, changes: dict[str, Any], pointer: str, message: str
) -> None:
    with pytest.raises(LoadError, match=message) as caught:
        load_pact(write(tmp_path, minimal(**changes)))
    location = caught.value.location
    assert location is not None
    assert location.pointer == pointer
    assert location.line is not None


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"}")
    with pytest.raises(LoadError, match="over the limit") as caught:
        load_pact(path)
    assert caught.value.location is not None and caught.value.location.file == str(path)
    small = LoadOptions(max_bytes=10)
    with pytest.raises(LoadError, match="over the limit"):
        load_pact(write(tmp_path, minimal(), "ok.json"), small)


def test_sources_expand_folders_and_refuse_nothing_to_check(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    write(tmp_path / "b", minimal(), "two.json")
    write(tmp_path, minimal(), "one.json")
    assert pact_paths([tmp_path]) == [tmp_path / "b" / "two.json", tmp_path / "one.json"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(LoadError, match=r"no pact files"):
        pact_paths([tmp_path / "empty"])
    with pytest.raises(LoadError, match="no such file"):
        pact_paths([tmp_path / "missing.json"])
