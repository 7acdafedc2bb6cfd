from __future__ import annotations

import pytest

from toolkit.errors import UsageError
from toolkit.verify.fuzz.shard import Shard, parse_shard

LABELS = [f"GET /things/{i}" for i in range(11)] + ["POST /things", "DELETE /things/{id}"]


@pytest.mark.parametrize("total", [1, 2, 3, 4, 7, 13, 20])
def test_shards_cover_every_operation_exactly_once(total: int) -> None:
    seen: list[str] = []
    sizes = []
    for index in range(1, total + 1):
        mine = Shard(index, total).select(LABELS)
        seen.extend(mine)
        sizes.append(len(mine))
    assert sorted(seen) == sorted(LABELS)
    assert max(sizes) - min(sizes) <= 1


def test_the_split_does_not_depend_on_input_order() -> None:
    assert Shard(2, 4).select(LABELS) == Shard(2, 4).select(list(reversed(LABELS)))


@pytest.mark.parametrize(("count", "total"), [(100, 4), (7, 3), (3, 4), (1, 1), (50, 7)])
def test_stateful_shares_add_up(count: int, total: int) -> None:
    shares = [Shard(i, total).share(count) for i in range(1, total + 1)]
    assert all(share >= 1 for share in shares)
    # together as many as one job runs (every shard runs at least one when there are fewer)
    assert sum(shares) == max(count, total)
    assert max(shares) - min(shares) <= 1


@pytest.mark.parametrize("text", ["", "1", "0/4", "5/4", "a/b", "1/0", "-1/4", "1/4/2"])
def test_bad_shards_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_shard(text)


def test_parse_shard() -> None:
    assert parse_shard(" 3 / 4 ") == Shard(3, 4)
    assert str(Shard(3, 4)) == "3/4"
