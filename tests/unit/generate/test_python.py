"""Rendering helpers: imports follow from names used, wrapped the way ruff's isort wants."""

from __future__ import annotations

from toolkit.generate.python import import_from, mentions


def test_mentions_finds_names_not_substrings_attributes_or_string_contents() -> None:
    assert mentions("body: list[Any] | None", "Any")
    assert not mentions("-> models.AnywhereCache | Reply", "Any")
    assert not mentions("x: models.Any2", "Any")
    assert not mentions("path='/Any', q: str = 'it\\'s Any'", "Any")
    assert mentions("-> models.ReplyData | Reply", "Reply")
    assert not mentions("-> models.ReplyData", "Reply")


def test_import_from_wraps_past_88_columns() -> None:
    assert import_from(".service", ["PetsService"]) == "from .service import PetsService\n"
    name = "A" * 70 + "Service"
    assert import_from(".service", [name]) == f"from .service import (\n    {name},\n)\n"
