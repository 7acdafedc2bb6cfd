"""`[tool.ctk]` in pyproject.toml, read once into frozen dataclasses (one sub-table per stage)."""

from __future__ import annotations

import dataclasses
import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import ConfigError, Location, Severity, UsageError

RULE_OFF = "off"
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class LoadOptions:
    """Every bound and permission of loading, in one place (also `[tool.ctk.load]`)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    # Nesting deeper than this is not an API description; it is an attack or a bug.
    max_depth: int = 256
    # Values in a document, YAML aliases expanded (the "billion laughs" bound). GitHub's
    # 13 MB REST spec has 258k; PyYAML costs ~1 KB and ~10 us per node, so this bounds YAML
    # at ~1.5 GB worst case before the estimate in `parse` refuses earlier.
    max_nodes: int = 1_500_000
    max_files: int = 1_000
    allow_outside_root: bool = False
    allow_remote_refs: bool = False
    remote_timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class Ignore:
    """Silence `rules` (all when empty) at JSON pointers matching `pointer` (a glob)."""

    pointer: str
    rules: frozenset[str] = frozenset()

    def matches(self, rule: str, pointer: str) -> bool:
        if self.rules and rule not in self.rules:
            return False
        return fnmatch.fnmatchcase(pointer, self.pointer) or fnmatch.fnmatchcase(
            pointer, self.pointer.rstrip("/") + "/*"
        )


@dataclass(frozen=True, slots=True)
class LintConfig:
    fail_on: Severity = Severity.ERROR
    # rule id -> severity, or None for "off"
    rules: dict[str, Severity | None] = field(default_factory=dict)
    ignores: tuple[Ignore, ...] = ()


@dataclass(frozen=True, slots=True)
class GenerateTarget:
    spec: Path
    out: Path


@dataclass(frozen=True, slots=True)
class GenerateConfig:
    targets: tuple[GenerateTarget, ...] = ()


FUZZ_PHASES = ("examples", "coverage", "fuzzing", "stateful")
FUZZ_MODES = ("positive", "negative", "all")
FUZZ_REPORTS = ("junit", "json", "html")


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """Every option of `ctk fuzz`; `[tool.ctk.fuzz]` holds the same keys (dashed), and the
    command line wins. Targets are `module:attr` strings, resolved by the fuzz stage."""

    spec: Path | None = None
    app: str | None = None
    url: str | None = None
    impl: str | None = None
    package: str | None = None
    allow_hosts: tuple[str, ...] = ()
    phases: tuple[str, ...] = FUZZ_PHASES
    mode: str = "all"
    max_examples: int = 100
    seed: int | None = None
    max_time: int | None = None
    checks: tuple[str, ...] = ()
    exclude_checks: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    include_path: tuple[str, ...] = ()
    include_method: tuple[str, ...] = ()
    include_tag: tuple[str, ...] = ()
    include_operation_id: tuple[str, ...] = ()
    exclude_path: tuple[str, ...] = ()
    exclude_method: tuple[str, ...] = ()
    exclude_tag: tuple[str, ...] = ()
    exclude_operation_id: tuple[str, ...] = ()
    shard: str | None = None
    out: Path = Path(".ctk/fuzz")
    reports: tuple[str, ...] = ()
    strict: bool = False
    infer_links: bool = True


CONTRACT_REPORTS = ("junit", "json")


@dataclass(frozen=True, slots=True)
class ContractConfig:
    """`[tool.ctk.contract]`: defaults for `ctk contract check` (spec, sources, fail-on) and
    `ctk contract verify` (the provider, its states, reports). Broker options are
    command-line only: CI passes them per job, with the token from the environment."""

    spec: Path | None = None
    sources: tuple[str, ...] = ()
    provider: str | None = None
    app: str | None = None
    impl: str | None = None
    url: str | None = None
    package: str | None = None
    verifier: str | None = None
    states: str | None = None
    allow_hosts: tuple[str, ...] = ()
    timeout: float | None = None
    reports: tuple[str, ...] = ()
    out: Path | None = None
    fail_on: str | None = None


@dataclass(frozen=True, slots=True)
class Config:
    lint: LintConfig = field(default_factory=LintConfig)
    load: LoadOptions = field(default_factory=LoadOptions)
    generate: GenerateConfig = field(default_factory=GenerateConfig)
    fuzz: FuzzOptions = field(default_factory=FuzzOptions)
    contract: ContractConfig = field(default_factory=ContractConfig)
    source: str | None = None


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> Config:
    """Read `[tool.ctk]` from `path`, or from the nearest pyproject.toml above `start`."""
    path = path or find_pyproject((start or Path.cwd()).absolute())
    if path is None:
        return Config()
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}", Location(str(path))) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"malformed TOML: {exc}", Location(str(path))) from None
    section = document.get("tool", {}).get("ctk", {})
    if not isinstance(section, dict):
        raise ConfigError("[tool.ctk] must be a table", Location(str(path)))
    return Config(
        lint=_lint_config(section.get("lint", {}), path),
        load=_load_options(section.get("load", {}), path),
        generate=_generate_config(section.get("generate", {}), path),
        fuzz=_fuzz_options(section.get("fuzz", {}), path),
        contract=_contract_config(section.get("contract", {}), path),
        source=str(path),
    )


def _where(path: Path, key: str) -> Location:
    return Location(str(path), pointer=f"/tool/ctk/{key}")


def _lint_config(table: Any, path: Path) -> LintConfig:
    if not isinstance(table, dict):
        raise ConfigError("[tool.ctk.lint] must be a table", _where(path, "lint"))
    known = {"fail-on", "rules", "ignore"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [tool.ctk.lint]: {', '.join(unknown)}",
            _where(path, "lint"),
            hint=f"known keys: {', '.join(sorted(known))}",
        )
    try:
        fail_on = Severity.parse(str(table.get("fail-on", "error")))
    except UsageError as exc:
        raise ConfigError(
            f"fail-on: {exc.message}", _where(path, "lint/fail-on"), hint=exc.hint
        ) from None
    rules: dict[str, Severity | None] = {}
    raw_rules = table.get("rules", {})
    if not isinstance(raw_rules, dict):
        raise ConfigError("[tool.ctk.lint.rules] must be a table", _where(path, "lint/rules"))
    for rule_id, value in raw_rules.items():
        text = str(value).lower()
        try:
            rules[rule_id] = None if text in (RULE_OFF, "false") else Severity.parse(text)
        except UsageError as exc:
            raise ConfigError(
                f"rule {rule_id!r}: {exc.message}", _where(path, "lint/rules"), hint=exc.hint
            ) from None
    ignores = []
    for index, entry in enumerate(table.get("ignore", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("pointer"), str):
            raise ConfigError(
                "each [[tool.ctk.lint.ignore]] needs a `pointer` glob",
                _where(path, f"lint/ignore/{index}"),
                hint='e.g. pointer = "/paths/~1legacy*", rules = ["path-no-verbs"]',
            )
        ignores.append(Ignore(entry["pointer"], frozenset(entry.get("rules", []))))
    return LintConfig(fail_on, rules, tuple(ignores))


def _generate_config(table: Any, path: Path) -> GenerateConfig:
    """`targets = [{spec = "specs/x.yaml", out = "generated/x"}]`, relative to pyproject.toml."""
    where = _where(path, "generate")
    if not isinstance(table, dict) or set(table) - {"targets"}:
        raise ConfigError(
            "[tool.ctk.generate] takes only `targets`",
            where,
            hint='targets = [{spec = "specs/api.yaml", out = "generated/api"}]',
        )
    targets = []
    for entry in table.get("targets", []):
        if not (isinstance(entry, dict) and set(entry) == {"spec", "out"}):
            raise ConfigError(
                "each generate target needs exactly `spec` and `out`",
                where,
                hint='targets = [{spec = "specs/api.yaml", out = "generated/api"}]',
            )
        targets.append(GenerateTarget(path.parent / entry["spec"], path.parent / entry["out"]))
    return GenerateConfig(tuple(targets))


def _load_options(table: Any, path: Path) -> LoadOptions:
    if not isinstance(table, dict):
        raise ConfigError("[tool.ctk.load] must be a table", _where(path, "load"))
    names = {
        "max-bytes": "max_bytes",
        "max-depth": "max_depth",
        "max-nodes": "max_nodes",
        "max-files": "max_files",
        "allow-outside-root": "allow_outside_root",
        "allow-remote-refs": "allow_remote_refs",
    }
    unknown = sorted(set(table) - set(names))
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [tool.ctk.load]: {', '.join(unknown)}",
            _where(path, "load"),
            hint=f"known keys: {', '.join(sorted(names))}",
        )
    values = {names[k]: v for k, v in table.items()}
    for key, value in values.items():
        expected = bool if key.startswith("allow") else int
        if not isinstance(value, expected) or (expected is int and value <= 0):
            raise ConfigError(
                f"[tool.ctk.load] {key.replace('_', '-')} must be a positive "
                f"{'boolean' if expected is bool else 'integer'}",
                _where(path, "load"),
            )
    return LoadOptions(**values)


def _fuzz_options(table: Any, path: Path) -> FuzzOptions:
    """`[tool.ctk.fuzz]`: the option names of `ctk fuzz` without dashes in front; list
    options take a list of strings, paths are relative to pyproject.toml."""
    where = _where(path, "fuzz")
    if not isinstance(table, dict):
        raise ConfigError("[tool.ctk.fuzz] must be a table", where)
    fields = {f.name: f for f in dataclasses.fields(FuzzOptions)}
    known = {name.replace("_", "-"): name for name in fields}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [tool.ctk.fuzz]: {', '.join(unknown)}",
            where,
            hint=f"known keys: {', '.join(sorted(known))}",
        )
    defaults = FuzzOptions()
    values: dict[str, Any] = {}
    for key, raw in table.items():
        name = known[key]
        default = getattr(defaults, name)
        at = _where(path, f"fuzz/{key}")
        if isinstance(default, tuple):
            if not (isinstance(raw, list) and all(isinstance(v, str) for v in raw)):
                raise ConfigError(f"[tool.ctk.fuzz] {key} must be a list of strings", at)
            values[name] = tuple(raw)
        elif isinstance(default, bool):
            if not isinstance(raw, bool):
                raise ConfigError(f"[tool.ctk.fuzz] {key} must be true or false", at)
            values[name] = raw
        elif name in ("max_examples", "seed", "max_time"):
            if not isinstance(raw, int) or isinstance(raw, bool) or raw < (name != "seed"):
                raise ConfigError(f"[tool.ctk.fuzz] {key} must be a positive integer", at)
            values[name] = raw
        elif not isinstance(raw, str):
            raise ConfigError(f"[tool.ctk.fuzz] {key} must be a string", at)
        elif name in ("spec", "out"):
            values[name] = path.parent / raw
        else:
            values[name] = raw
    return check_fuzz_options(FuzzOptions(**values), where)


def check_fuzz_options(options: FuzzOptions, where: Location | None = None) -> FuzzOptions:
    """Refuse values no run could use (shared by the config file and the command line)."""
    error = ConfigError if where is not None else UsageError
    for phase in options.phases:
        if phase not in FUZZ_PHASES:
            raise error(
                f"unknown phase {phase!r}", where, hint=f"use some of: {', '.join(FUZZ_PHASES)}"
            )
    if options.mode not in FUZZ_MODES:
        raise error(
            f"unknown mode {options.mode!r}", where, hint=f"use one of: {', '.join(FUZZ_MODES)}"
        )
    for report in options.reports:
        if report not in FUZZ_REPORTS:
            raise error(
                f"unknown report {report!r}", where, hint=f"use some of: {', '.join(FUZZ_REPORTS)}"
            )
    return options


def _contract_config(table: Any, path: Path) -> ContractConfig:
    """`[tool.ctk.contract]`, keys as the options are spelled; paths (spec, out and sources
    that are not URLs) relative to pyproject.toml."""
    where = _where(path, "contract")
    if not isinstance(table, dict):
        raise ConfigError("[tool.ctk.contract] must be a table", where)
    known = {f.name.replace("_", "-"): f.name for f in dataclasses.fields(ContractConfig)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigError(
            f"unknown key(s) in [tool.ctk.contract]: {', '.join(unknown)}",
            where,
            hint=f"known keys: {', '.join(sorted(known))}",
        )
    values: dict[str, Any] = {}
    for key, raw in table.items():
        name, at = known[key], _where(path, f"contract/{key}")
        if name in ("sources", "allow_hosts", "reports"):
            if not (isinstance(raw, list) and all(isinstance(v, str) for v in raw)):
                raise ConfigError(f"[tool.ctk.contract] {key} must be a list of strings", at)
            if name == "sources":
                raw = [v if "://" in v else str(path.parent / v) for v in raw]
            values[name] = tuple(raw)
        elif name == "timeout":
            if not isinstance(raw, int | float) or isinstance(raw, bool) or raw < 0.1:
                raise ConfigError(f"[tool.ctk.contract] {key} must be a number >= 0.1", at)
            values[name] = float(raw)
        elif not isinstance(raw, str):
            raise ConfigError(f"[tool.ctk.contract] {key} must be a string", at)
        else:
            values[name] = path.parent / raw if name in ("spec", "out") else raw
    unusable = [r for r in values.get("reports", ()) if r not in CONTRACT_REPORTS] + [
        f for f in [values.get("fail_on")] if f not in (None, "error", "warning")
    ]
    if unusable:
        raise ConfigError(
            f"[tool.ctk.contract]: {unusable[0]!r} is not a choice",
            where,
            hint=f"reports: {', '.join(CONTRACT_REPORTS)}; fail-on: error or warning",
        )
    return ContractConfig(**values)
