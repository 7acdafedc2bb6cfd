"""`ctk mock`'s app over real HTTP on loopback: validation as a generated server does it,
answers from valid examples or generated data, Prefer, credentials, CORS, --stateful."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from toolkit.load import load_document
from toolkit.mock import MockOptions, build_mock
from toolkit.runtime import CorsPolicy, running

SPECS = Path(__file__).resolve().parents[2] / "unit" / "mock"
THINGS = SPECS / "things.yaml"
AUTH = {"Authorization": "Bearer mock-token"}
THING_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


@contextmanager
def _mocked(spec: Path, options: MockOptions | None = None) -> Iterator[httpx.Client]:
    """A client of `ctk mock SPEC` served on loopback."""
    mock = build_mock(load_document(spec), options or MockOptions(access_log=False))
    with running(mock.app) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client


def _spec(tmp_path: Path, text: str) -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def _serve(options: MockOptions) -> Iterator[httpx.Client]:
    with _mocked(THINGS, options) as client:
        yield client


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    origins = ("https://app.example",)
    yield from _serve(MockOptions(access_log=False, cors=CorsPolicy(origins=origins)))


@pytest.fixture
def stateful() -> Iterator[httpx.Client]:
    yield from _serve(MockOptions(access_log=False, stateful=True))


def test_a_valid_named_example_is_the_answer(client: httpx.Client) -> None:
    response = client.post("/things", json={"name": "a"}, headers=AUTH)
    assert response.status_code == 201
    assert response.json() == {"id": THING_ID, "name": "small", "size": 1}
    assert response.headers["X-Rate"] == "5"  # a required header, from its example


def test_without_examples_the_body_is_generated_and_valid(client: httpx.Client) -> None:
    response = client.get(f"/things/{THING_ID}", headers=AUTH)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "name", "size", "note"}  # the whole shape, no write-only
    assert 1 <= len(body["name"]) <= 20 and 1 <= body["size"] <= 10
    assert client.get(f"/things/{THING_ID}", headers=AUTH).json() == body  # deterministic


def test_requests_are_validated_like_a_generated_server(client: httpx.Client) -> None:
    response = client.post("/things", json={"name": ""}, headers=AUTH)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["pointer"] == "/name"  # into the body (ADR 0007)
    assert client.get("/things/not-a-uuid", headers=AUTH).status_code == 400
    assert client.put("/things", headers=AUTH).status_code == 405


def test_credentials_known_ones_only(client: httpx.Client) -> None:
    missing = client.get("/things")
    assert missing.status_code == 401
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/things", headers={"Authorization": "Bearer junk"}).status_code == 401
    assert client.get("/health").text == "ok"  # public


def test_any_credential_accepts_well_formed_ones() -> None:
    for client in _serve(MockOptions(access_log=False, any_credential=True)):
        assert client.get("/things", headers={"Authorization": "Bearer junk"}).status_code == 200
        assert client.get("/things", headers={"Authorization": "Basic junk"}).status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "prefer", "status", "check"),
    [
        (
            "GET",
            f"/things/{THING_ID}",
            "code=404",
            404,
            lambda b: b == {"title": "Not found", "status": 404},
        ),
        (
            "POST",
            "/things",
            "code=401",
            401,
            lambda b: b["status"] == 404,
        ),  # its example, as written
        ("POST", "/things", "example=small", 201, lambda b: b["name"] == "small"),
    ],
)
def test_prefer_picks_the_answer(
    client: httpx.Client, method: str, path: str, prefer: str, status: int, check: Any
) -> None:
    body = {"json": {"name": "a"}} if method == "POST" else {}
    response = client.request(method, path, headers={**AUTH, "Prefer": prefer}, **body)
    assert response.status_code == status
    assert check(response.json())


def test_prefer_for_an_undocumented_answer_is_a_400(client: httpx.Client) -> None:
    response = client.post("/things", json={"name": "a"}, headers={**AUTH, "Prefer": "code=418"})
    assert response.status_code == 400
    assert "documents no such response (documented: 201, 400, 401)" in response.json()["detail"]
    response = client.post(
        "/things", json={"name": "a"}, headers={**AUTH, "Prefer": "example=broken"}
    )
    assert response.status_code == 400
    assert "no such valid example (valid: small)" in response.json()["detail"]


def test_prefer_dynamic_generates_a_new_body_each_time(client: httpx.Client) -> None:
    bodies = [
        client.get(f"/things/{THING_ID}", headers={**AUTH, "Prefer": "dynamic=true"}).json()
        for _ in range(3)
    ]
    assert len({repr(b) for b in bodies}) == 3


def test_204_has_no_body_and_cors_answers(client: httpx.Client) -> None:
    deleted = client.delete(f"/things/{THING_ID}", headers=AUTH)
    assert (deleted.status_code, deleted.content) == (204, b"")
    preflight = client.options(
        "/things",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "https://app.example"


def test_stateful_lifecycle(stateful: httpx.Client) -> None:
    client = stateful
    assert client.get("/things", headers=AUTH).json() == {"items": [], "next_cursor": None}
    created = client.post("/things", json={"name": "lamp", "size": 3, "secret": "s"}, headers=AUTH)
    assert created.status_code == 201
    thing = created.json()
    assert thing["name"] == "lamp" and thing["size"] == 3 and "secret" not in thing
    assert created.headers["Location"] == f"/things/{thing['id']}"
    assert client.get(created.headers["Location"], headers=AUTH).json() == thing
    patched = client.patch(
        f"/things/{thing['id']}",
        content=b'{"size": 9, "note": null}',
        headers={**AUTH, "Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200 and patched.json()["size"] == 9
    second = client.post("/things", json={"name": "desk"}, headers=AUTH).json()
    assert second["id"] != thing["id"]
    page = client.get("/things", params={"limit": 1}, headers=AUTH).json()
    assert [t["name"] for t in page["items"]] == ["lamp"] and page["next_cursor"] == "1"
    page = client.get("/things", params={"limit": 1, "cursor": "1"}, headers=AUTH).json()
    assert [t["name"] for t in page["items"]] == ["desk"] and page["next_cursor"] is None
    part = client.post(f"/things/{thing['id']}/parts", json={"label": "leg"}, headers=AUTH)
    assert part.status_code == 201 and part.json()["thing_id"] == thing["id"]
    assert client.delete(f"/things/{thing['id']}", headers=AUTH).status_code == 204
    assert client.get(f"/things/{thing['id']}", headers=AUTH).status_code == 404
    # what lives below a deleted item is gone with it
    assert client.get(part.headers["Location"], headers=AUTH).status_code == 404
    orphan = client.post(f"/things/{thing['id']}/parts", json={"label": "x"}, headers=AUTH)
    assert orphan.status_code == 404


def test_stateful_idempotency_key_replays(stateful: httpx.Client) -> None:
    headers = {**AUTH, "Idempotency-Key": "key-0001"}
    first = stateful.post("/things", json={"name": "one"}, headers=headers)
    again = stateful.post("/things", json={"name": "one"}, headers=headers)
    assert first.json() == again.json() and first.headers["Location"] == again.headers["Location"]
    assert len(stateful.get("/things", headers=AUTH).json()["items"]) == 1


def test_warm_prepares_the_generated_answers_once() -> None:
    mock = build_mock(load_document(THINGS), MockOptions(access_log=False))
    assert mock.warm(budget=30.0) >= 2  # getThing's and listThings' bodies are generated
    started = time.perf_counter()
    assert mock.warm(budget=30.0) >= 2  # cached now: no search again
    assert time.perf_counter() - started < 0.5
    assert mock.warm(budget=0.0) == 0  # no time, nothing prepared


def test_stateful_lists_page_by_offset_and_by_number() -> None:
    with _mocked(SPECS / "pages.yaml", MockOptions(access_log=False, stateful=True)) as client:
        for text in ("a", "b", "c"):
            assert client.post("/notes", json={"text": text}).status_code == 201
            assert client.post("/tags", json={"name": text}).status_code == 201
        first = client.get("/notes").json()  # the spec's default limit: 2
        assert [n["text"] for n in first["data"]] == ["a", "b"]
        assert (first["total"], first["offset"], first["limit"]) == (3, 0, 2)
        rest = client.get("/notes", params={"offset": 2, "limit": 5}).json()
        assert [n["text"] for n in rest["data"]] == ["c"] and rest["offset"] == 2
        second = client.get("/tags", params={"page": 2}).json()
        assert [t["name"] for t in second["items"]] == ["c"]
        assert second["meta"] == {"page": 2, "totalPages": 2, "hasMore": False}
        assert client.get("/tags").json()["meta"]["hasMore"] is True


def test_a_text_answer_with_a_structured_schema_is_its_json_text(tmp_path: Path) -> None:
    """`text/plain` documented with `type: object` (google.home's API): a valid value,
    written as JSON text, not a 500."""
    spec = _spec(
        tmp_path,
        """openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /reboot:
    post:
      operationId: reboot
      responses:
        "200":
          description: done
          content:
            text/plain:
              schema: {type: object, required: [ok], properties: {ok: {type: boolean}}}
""",
    )
    with _mocked(spec) as client:
        answer = client.post("/reboot")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/plain")
    assert isinstance(answer.json()["ok"], bool)


def test_a_shared_error_response_with_an_inline_schema_keeps_its_shape(tmp_path: Path) -> None:
    """422 is `$ref: components/responses/Unprocessable`, whose JSON schema is written inline
    there (telnyx): the refusal is sent in that shape, as when the schema is a component."""
    spec = _spec(
        tmp_path,
        """openapi: 3.0.0
info: {title: t, version: "1"}
components:
  responses:
    Unprocessable:
      description: refused
      content:
        application/json:
          schema:
            type: object
            required: [errors]
            properties:
              errors:
                type: array
                items:
                  type: object
                  required: [code, title]
                  properties: {code: {type: string}, title: {type: string}, detail: {type: string}}
paths:
  /accounts:
    post:
      operationId: create
      requestBody:
        required: true
        content: {application/json: {schema: {type: object}}}
      responses:
        "200": {description: ok}
        "422": {$ref: "#/components/responses/Unprocessable"}
""",
    )
    with _mocked(spec) as client:
        refused = client.post("/accounts")
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/json"
    assert refused.json()["errors"][0]["title"] == "Unprocessable Entity"


def test_a_refusal_documented_in_a_vendor_json_type_is_sent_in_it(tmp_path: Path) -> None:
    """400 documents only `application/vnd.goa.error` with an object schema (Goa's
    convention, waterlinked's API): the refusal goes out in that type, valid against it."""
    spec = _spec(
        tmp_path,
        """openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /poi:
    post:
      operationId: create
      requestBody:
        required: true
        content: {application/json: {schema: {type: object}}}
      responses:
        "201": {description: created}
        "400":
          description: bad
          content:
            application/vnd.goa.error:
              schema: {type: object, properties: {detail: {type: string}}}
""",
    )
    with _mocked(spec) as client:
        refused = client.post("/poi")
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/vnd.goa.error"
    assert refused.json()["detail"] == "the request body is required"
