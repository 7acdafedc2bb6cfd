"""`readOnly`/`writeOnly` with `required` (issue 11 item 1, ADR 0017): a required read-only
property is required in responses only, a write-only one in requests only; a read-only
value a client sends is accepted and removed before the handler; the model agrees."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.unit.generate._package import imported_package

SPEC = Path(__file__).parent / "specs" / "read-write-only.yaml"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with imported_package(SPEC, tmp_path_factory.mktemp("rwo"), "ctk_rwo_pkg") as package:
        yield package


class _Accounts:
    def __init__(self, models: Any, answer_id: bool = True) -> None:
        self.models = models
        self.seen: list[Any] = []
        self.answer_id = answer_id

    async def create_account(self, *, body: Any, context: Any) -> Any:
        self.seen.append(body)
        owner = self.models.Owner(key="k1", email=body.owner.email)
        if not self.answer_id:
            return self.models.Account(name=body.name, owner=owner)
        return self.models.Account(id=7, name=body.name, owner=owner)


def _post(app: Any, body: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post("/accounts", json=body)

    return asyncio.run(send())


def _app(package: ModuleType, service: _Accounts) -> Any:
    from toolkit.runtime import Settings

    return package.create_app(service, settings=Settings(validate_responses=True))


def test_a_request_needs_no_read_only_member_and_a_response_no_write_only_one(
    package: ModuleType,
) -> None:
    service = _Accounts(package.models)
    answer = _post(_app(package, service), {"name": "n", "password": "p", "owner": {"email": "e"}})
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"id": 7, "name": "n", "owner": {"key": "k1", "email": "e"}}


def test_a_write_only_member_is_still_required_in_requests(package: ModuleType) -> None:
    answer = _post(_app(package, _Accounts(package.models)), {"name": "n", "owner": {"email": "e"}})
    assert answer.status_code == 422
    assert {"pointer": "/password", "detail": '"password" is a required property'} in answer.json()[
        "errors"
    ]


def test_a_read_only_member_sent_is_accepted_and_removed(package: ModuleType) -> None:
    service = _Accounts(package.models)
    sent = {"id": 99, "name": "n", "password": "p", "owner": {"key": "x", "email": "e"}}
    answer = _post(_app(package, service), sent)
    assert answer.status_code == 201, answer.text
    body = service.seen[0]
    assert "id" not in body.model_fields_set and "key" not in body.owner.model_fields_set
    assert body.password == "p"
    # ... but it must still fit its schema
    answer = _post(_app(package, service), {**sent, "id": "not a number"})
    assert answer.status_code == 422


def test_a_read_only_member_is_still_required_in_responses(package: ModuleType) -> None:
    service = _Accounts(package.models, answer_id=False)
    answer = _post(_app(package, service), {"name": "n", "password": "p", "owner": {"email": "e"}})
    assert answer.status_code == 500  # validate_responses: the handler broke the contract


def test_the_model_requires_neither(package: ModuleType) -> None:
    models = package.models
    assert models.Account(name="n", owner=models.Owner(email="e")).name == "n"
    assert models.Account.model_fields["name"].is_required()
    assert not models.Account.model_fields["id"].is_required()
    assert not models.Account.model_fields["password"].is_required()
