"""`ctk bundle SPEC -o OUT`."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit._files import write_atomic
from toolkit.cli._common import load_options, resolve_config
from toolkit.errors import Location, UsageError
from toolkit.load import bundle_document, load_document
from toolkit.load.bundle import dump_bundle


@click.command()
@click.argument("spec", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the bundle; .json writes JSON, .yaml/.yml YAML.",
)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists with other content.")
@load_options
def bundle(
    spec: Path,
    output: Path,
    force: bool,
    config_path: Path | None,
    max_bytes: int | None,
    allow_outside_root: bool | None,
    allow_remote_refs: bool | None,
) -> None:
    """Resolve the external $refs of SPEC into one deterministic document."""
    suffix = output.suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise UsageError(
            f"cannot tell the format of {output}",
            Location(str(output)),
            hint="end it in .json or .yaml",
        )
    if output.exists() and spec.exists() and output.resolve() == spec.resolve():
        raise UsageError(
            "OUTPUT is the input spec", Location(str(output)), hint="choose another file"
        )
    config = resolve_config(config_path, max_bytes, allow_outside_root, allow_remote_refs)
    document = load_document(spec, config.load)
    text = dump_bundle(bundle_document(document), "json" if suffix == ".json" else "yaml")
    if output.exists():
        if output.read_text(encoding="utf-8", errors="replace") == text:
            click.echo(f"{output} is up to date")
            return
        if not force:
            raise UsageError(
                f"{output} exists and would change",
                Location(str(output)),
                hint="pass --force to overwrite it",
            )
    write_atomic(output, text)
    click.echo(f"wrote {output} ({len(document.resolver.files)} file(s) bundled)")
