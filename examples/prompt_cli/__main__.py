"""`python -m examples.prompt_cli`: the same program as the `prompt-cli` command."""

from __future__ import annotations

from .cli import main

main()
