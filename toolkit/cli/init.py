"""`ctk init`: scaffold contract-first work into an existing project, overwriting nothing."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--spec",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Your existing spec, relative to the project (default: a starter specs/api.yaml).",
)
@click.option("--app", help="Your ASGI app for fuzz, drift and pacts: module:attr.")
@click.option(
    "--dir",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The project's root.",
)
def init(spec: Path | None, app: str | None, root: Path) -> None:
    """Write what `ctk check` needs: specs/, contracts/, generated/, [tool.ctk] in
    pyproject.toml, a GitHub Actions workflow and .pre-commit-config.yaml.

    Nothing that exists is overwritten: it is kept and listed as kept; [tool.ctk] is
    appended to a pyproject.toml that has none.
    """
    from toolkit.check.init import init_project

    done = init_project(root, spec=spec, app=app)
    for item in done:
        mark = "wrote" if item.written else "kept "
        click.echo(f"{mark} {item.path}  ({item.what})")
    written = sum(1 for item in done if item.written)
    click.echo(
        f"{written} written, {len(done) - written} kept. Next: ctk generate, set `app` in "
        "[tool.ctk.fuzz], then ctk check"
    )
