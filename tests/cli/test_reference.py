"""The README's command reference is the click help of every command, as it is now."""

from __future__ import annotations

from pathlib import Path

from toolkit.cli.reference import END, START, render_reference, updated

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_reference_is_current() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1
    assert updated(text) == text, "run: python -m toolkit.cli.reference --update README.md"


def test_every_command_is_in_it() -> None:
    reference = render_reference()
    for command in (
        "lint",
        "bundle",
        "generate",
        "serve",
        "fuzz",
        "mock",
        "diff",
        "check",
        "init",
        "contract check",
        "contract verify",
    ):
        assert f"### `ctk {command}`" in reference
    assert "Usage: ctk check [OPTIONS]" in reference
