"""`--shard I/N`: a stable split of operations over N CI jobs.

Operations are sorted by label ("METHOD /path") and dealt round-robin, so each lands in
exactly one shard, shard sizes differ by at most one, and every job computes the same split
from the same spec and filters. The stateful phase needs every operation at once, so each
shard runs its share of the stateful scenarios over all of them, from its own seed: the
shards together run as many scenarios as one job would (ADR 0010).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from toolkit.errors import UsageError


@dataclass(frozen=True, slots=True)
class Shard:
    index: int  # 1-based
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"

    def select(self, labels: Iterable[str]) -> set[str]:
        ordered = sorted(set(labels))
        return {label for i, label in enumerate(ordered) if i % self.total == self.index - 1}

    def share(self, count: int) -> int:
        """This shard's part of `count` (the parts add up to `count`; at least 1)."""
        return max(1, count // self.total + (1 if self.index <= count % self.total else 0))


def parse_shard(text: str) -> Shard:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise UsageError(f"--shard must look like I/N (e.g. 2/4), got {text!r}")
    index, total = int(match[1]), int(match[2])
    if total < 1 or not 1 <= index <= total:
        raise UsageError(
            f"--shard {text}: the index must be between 1 and the shard count",
            hint=f"use 1/{max(total, 1)} … {max(total, 1)}/{max(total, 1)}",
        )
    return Shard(index, total)
