"""`ctk generate SPEC --out generated/<package>`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli._common import load_options, resolve_config
from toolkit.config import Config, GenerateTarget
from toolkit.errors import Diagnostic, Location, Severity, UsageError
from toolkit.model.names import snake

if TYPE_CHECKING:
    from toolkit.generate.write import Scaffold


@click.command()
@click.argument("spec", required=False, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Package folder to generate (its name is the package name); default: the folder "
    "[tool.ctk.generate] gives SPEC, else generated/<SPEC's stem>.",
)
@click.option("--check", is_flag=True, help="Exit 1 and show a diff when the output is stale.")
@click.option(
    "--scaffold",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write an implementation skeleton here, once (never overwritten).",
)
@click.option("--force", is_flag=True, help="Write even into a folder holding foreign files.")
@click.option(
    "--client",
    is_flag=True,
    help="Also write client.py: a typed httpx client, sync and async (or `client = true` on a "
    "[tool.ctk.generate] target).",
)
@load_options
def generate(
    spec: Path | None,
    out: Path | None,
    check: bool,
    scaffold: Path | None,
    force: bool,
    client: bool,
    config_path: Path | None,
    max_bytes: int | None,
    allow_outside_root: bool | None,
    allow_remote_refs: bool | None,
) -> None:
    """Generate models, a service Protocol and an ASGI app from SPEC.

    Without SPEC, every target of [tool.ctk.generate] is generated (or checked).
    """
    config = resolve_config(config_path, max_bytes, allow_outside_root, allow_remote_refs)
    if spec is not None:
        targets: tuple[GenerateTarget, ...] = (
            GenerateTarget(
                spec, out or _default_out(spec, config), client or _client(spec, config)
            ),
        )
    elif out is None:
        targets = config.generate.targets
        if client:
            targets = tuple(GenerateTarget(t.spec, t.out, True) for t in targets)
        if not targets:
            raise click.UsageError("give SPEC (and --out), or set [tool.ctk.generate] targets")
    else:
        raise click.UsageError("--out needs SPEC (without both, the config's targets are used)")
    stale = False
    for target in targets:
        stale |= _one(target, check=check, scaffold=scaffold, force=force, config=config)
    if stale:
        raise SystemExit(1)


def _default_out(spec: Path, config: Config) -> Path:
    """The folder [tool.ctk.generate] gives `spec`, else `generated/<stem as a module>`."""
    return config.generate.out_for(spec) or Path("generated") / snake(spec.stem, fallback="api")


def _client(spec: Path, config: Config) -> bool:
    """Whether the [tool.ctk.generate] target of `spec` asks for a client."""
    return any(t.client and t.spec.resolve() == spec.resolve() for t in config.generate.targets)


def _one(
    target: GenerateTarget, *, check: bool, scaffold: Path | None, force: bool, config: Config
) -> bool:
    from toolkit.generate import (  # deferred: `ctk lint` should not pay for the generator
        compare,
        fingerprint,
        module_name,
        render_package,
        unchanged_inputs,
        write_package,
        write_scaffold,
    )
    from toolkit.load import load_document

    started = time.perf_counter()
    name = target.out.name
    if not name.isidentifier():
        raise UsageError(
            f"{name!r} is not a valid Python package name",
            Location(str(target.out)),
            hint="name the output folder like a module, e.g. generated/petstore",
        )
    document = load_document(target.spec, config.load)
    overrides = config.generate.error_mappings
    expected = fingerprint(document, name, overrides, client=target.client)
    if not check and scaffold is None and unchanged_inputs(target.out, expected):
        click.echo(f"{target.out} is up to date ({time.perf_counter() - started:.2f} s)")
        return False
    package = render_package(
        document, name, overrides, module=module_name(target.out), client=target.client
    )
    _report(package.diagnostics, document.display)
    if check:
        freshness = compare(target.out, package.files)
        if freshness.fresh:
            click.echo(f"{target.out} is fresh")
            return False
        for diff in freshness.stale.values():
            click.echo(diff, nl=False)
        click.echo(
            f"{target.out} is stale: {len(freshness.stale)} file(s) differ; run `ctk generate`",
            err=True,
        )
        return True
    changed = write_package(target.out, package.files, force=force)
    elapsed = time.perf_counter() - started
    click.echo(f"generated {target.out}: {len(changed)} file(s) written ({elapsed:.2f} s)")
    if scaffold is not None:
        _scaffold(write_scaffold(scaffold, package.scaffold, package.methods), scaffold)
    return False


def _scaffold(done: Scaffold, path: Path) -> None:
    if done.written:
        click.echo(f"wrote the implementation skeleton {path}")
    elif not done.missing:
        click.echo(f"kept {path}: it is yours once written, and defines every protocol method")
    else:
        lines = "".join(
            f"    async def {name}(self, *, {', '.join(args)}) -> ...\n"
            for name, args in done.missing
        )
        click.echo(
            f"kept {path}; the protocol has {len(done.missing)} method(s) it does not define "
            f"yet, add:\n{lines}",
            err=True,
            nl=False,
        )


def _report(diagnostics: tuple[Diagnostic, ...], target: str) -> None:
    """What generation decided that the user should review (the guessed error mappings)."""
    if not diagnostics:
        return
    from toolkit.outcome import Outcome
    from toolkit.report.text import render_text

    outcome = Outcome("ctk generate", (target,), diagnostics)
    click.echo(render_text(outcome, fail_on=Severity.ERROR), err=True, nl=False)
