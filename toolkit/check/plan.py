"""What `ctk check` will run: the APIs (from `[tool.ctk.check]`, or one made of the other
tables), the stages, and the base to diff against. Everything a run could trip on later
(an unknown stage, a missing spec, a `MODULE:ATTR` that does not import, a base ref that
does not exist) is refused here, before any stage starts: exit 2, not a failed check."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from toolkit._imports import import_object
from toolkit.config import CHECK_STAGES, CheckApi, Config
from toolkit.errors import ConfigError, Location, UsageError

DEFAULT_BASE = "origin/main"


@dataclass(frozen=True, slots=True)
class Base:
    """The commit the diff stage compares against, or why there is none."""

    ref: str | None
    reason: str = ""  # why there is none
    label: str = ""  # how findings name it: "origin/main", "merge base 1a2b3c4 with origin/main"


@dataclass(frozen=True, slots=True)
class Plan:
    apis: tuple[CheckApi, ...]
    stages: tuple[str, ...]
    base: Base
    fast: bool
    out: Path
    root: Path  # the project folder: pyproject.toml's, or the working directory


def make_plan(
    config: Config,
    *,
    api: str | None = None,
    stages: tuple[str, ...] = (),
    base: str | None = None,
    fast: bool = False,
    out: Path | None = None,
) -> Plan:
    root = Path(config.source).parent if config.source else Path.cwd()
    wanted = check_stages(stages or config.check.stages)
    apis = _apis(config, root)
    if api is not None:
        chosen = tuple(a for a in apis if a.name == api)
        if not chosen:
            raise UsageError(
                f"no API named {api!r}", hint=f"configured: {', '.join(a.name for a in apis)}"
            )
        apis = chosen
    for each in apis:
        _check_api(each, config)
    chosen_base = resolve_base(base or config.check.base, root)
    return Plan(apis, wanted, chosen_base, fast, out or config.check.out, root)


def check_stages(names: tuple[str, ...]) -> tuple[str, ...]:
    """The stages asked for, in the pipeline's order; an unknown name is a usage error."""
    for name in names:
        if name not in CHECK_STAGES:
            raise UsageError(
                f"unknown stage {name!r}", hint=f"use some of: {', '.join(CHECK_STAGES)}"
            )
    return tuple(stage for stage in CHECK_STAGES if stage in names)


def _apis(config: Config, root: Path) -> tuple[CheckApi, ...]:
    if config.check.apis:
        names = [a.name for a in config.check.apis]
        twice = {n for n in names if names.count(n) > 1}
        if twice:
            raise ConfigError(
                f"[tool.ctk.check] apis: the name {sorted(twice)[0]!r} is used twice",
                Location(config.source or "pyproject.toml", pointer="/tool/ctk/check/apis"),
            )
        return config.check.apis
    spec = config.fuzz.spec or config.contract.spec
    if spec is None and len(config.generate.targets) == 1:
        spec = config.generate.targets[0].spec
    if spec is None:
        raise ConfigError(
            "no API to check",
            Location(config.source or "pyproject.toml", pointer="/tool/ctk"),
            hint="add [[tool.ctk.check.apis]] with name and spec (and app), or run `ctk init`",
        )
    contracts = root / "contracts"
    pacts = config.contract.sources or ((str(contracts),) if contracts.is_dir() else ())
    return (
        CheckApi(
            name=spec.stem,
            spec=spec,
            app=config.fuzz.app or config.serve.app,
            headers=config.fuzz.headers,
            pacts=pacts,
        ),
    )


def _check_api(api: CheckApi, config: Config) -> None:
    where = Location(config.source or "pyproject.toml", pointer="/tool/ctk/check")
    if not api.spec.is_file():
        raise ConfigError(
            f"API {api.name!r}: no such spec: {api.spec}",
            where,
            hint="spec paths are relative to pyproject.toml",
        )
    if api.app is not None:
        import_object(api.app, f"API {api.name!r}: app")


def resolve_base(ref: str | None, root: Path) -> Base:
    """A ref given (option or config) must exist: a typo is exit 2, not a skipped diff.
    Without one: the merge base with origin/main, when there is one."""
    git = shutil.which("git")
    if ref is not None:
        verified = None if git is None else _git(git, root, "rev-parse", "--verify", "-q", ref)
        if verified is None:
            raise UsageError(
                f"no commit {ref!r} in this repository",
                hint="give --base a branch, tag or commit that exists locally (git fetch first)",
            )
        return Base(ref, label=ref)
    if git is None:
        return Base(None, "git is not installed")
    if _git(git, root, "rev-parse", "--git-dir") is None:
        return Base(None, "not a git repository")
    if _git(git, root, "rev-parse", "--verify", "--quiet", f"{DEFAULT_BASE}^{{commit}}") is None:
        return Base(None, f"no {DEFAULT_BASE} to compare with (give --base REF)")
    merge_base = _git(git, root, "merge-base", "HEAD", DEFAULT_BASE)
    if merge_base is None:
        return Base(None, f"HEAD and {DEFAULT_BASE} share no history (give --base REF)")
    return Base(merge_base, label=f"{DEFAULT_BASE} (merge base {merge_base[:10]})")


def _git(git: str, root: Path, *args: str) -> str | None:
    done = subprocess.run(  # noqa: S603 - git with fixed arguments, no shell
        [git, "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    return done.stdout.strip() if done.returncode == 0 else None
