"""Provider states of the items service, for the contract tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

from toolkit.verify.contract import provider_state

from .provider import ITEMS

EVENTS: list[str] = []  # what ran, in order
LOOPS: list[asyncio.AbstractEventLoop] = []  # the loop the async handler ran on


@provider_state("items exist")
async def items_exist(count: int) -> AsyncIterator[dict[str, Any]]:
    LOOPS.append(asyncio.get_running_loop())
    for number in range(1, count + 1):
        ITEMS[number] = {"id": number, "name": f"item {number}"}
    EVENTS.append(f"setup items exist {count}")
    yield {"cursor": f"c-{count}"}
    ITEMS.clear()
    EVENTS.append("teardown items exist")


@provider_state("an item with id {id} exists")
def item_exists(id: int, name: str = "widget") -> Iterator[None]:
    ITEMS[id] = {"id": id, "name": name}
    EVENTS.append(f"setup item {id!r} {name}")
    yield
    ITEMS.clear()
    EVENTS.append(f"teardown item {id!r}")


@provider_state("the store is broken")
def store_is_broken() -> None:
    raise RuntimeError("the database is down")


@provider_state("a flaky teardown")
def flaky_teardown() -> Iterator[None]:
    yield
    raise ConnectionError("lost the connection while cleaning up")


@provider_state("")
def no_state() -> Iterator[None]:
    yield
    ITEMS.clear()
    EVENTS.append("teardown (no state)")
