"""Plain `assert`s in `interactions.py` report their operands, as in test modules."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite(__name__.rpartition(".")[0] + ".interactions")
