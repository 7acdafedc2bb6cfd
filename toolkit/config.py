"""`[tool.ctk]` in pyproject.toml, read once into frozen dataclasses (one sub-table per stage)."""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit._config_tables import (
    CHECK_STAGES,
    CONTRACT_REPORTS,
    FUZZ_MODES,
    FUZZ_PHASES,
    FUZZ_REPORTS,
    CheckTable,
    ContractTable,
    CtkTable,
    FuzzTable,
    GenerateTable,
    LintTable,
    LoadTable,
    ServeTable,
    Table,
    checked,
)
from toolkit.errors import ConfigError, Location, Severity, UsageError

__all__ = ["CHECK_STAGES", "CONTRACT_REPORTS", "FUZZ_MODES", "FUZZ_PHASES", "FUZZ_REPORTS"]

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
    client: bool = False  # also client.py: a typed httpx client (`ctk generate --client`)


@dataclass(frozen=True, slots=True)
class ErrorMappingOverride:
    """How a problem fills an error schema (by its pointer): property → problem member, or
    {"value": constant} (ADR 0014)."""

    schema: str
    fields: dict[str, str | dict[str, Any]]


@dataclass(frozen=True, slots=True)
class GenerateConfig:
    targets: tuple[GenerateTarget, ...] = ()
    error_mappings: tuple[ErrorMappingOverride, ...] = ()

    def out_for(self, spec: Path) -> Path | None:
        """The folder a target generates `spec` into, or None when none is configured."""
        return next((t.out for t in self.targets if t.spec.resolve() == spec.resolve()), None)


@dataclass(frozen=True, slots=True)
class FuzzOptions:
    """Every option of `ctk fuzz`; `[tool.ctk.fuzz]` holds the same keys (dashed), and the
    command line wins. Targets are `module:attr` strings, resolved by the fuzz stage."""

    spec: Path | None = None
    app: str | None = None
    url: str | None = None
    impl: str | None = None
    mock: bool = False  # fuzz `ctk mock SPEC` in-process: is the contract self-consistent?
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
class CorsOptions:
    """`[tool.ctk.serve.cors]`: the runtime's `CorsPolicy`, as data."""

    origins: tuple[str, ...]
    methods: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    expose: tuple[str, ...] = ("X-Request-ID",)
    credentials: bool = False
    max_age: int = 600


@dataclass(frozen=True, slots=True)
class RateLimitOptions:
    """`[tool.ctk.serve.rate-limit]`: the runtime's `RateLimits`, as data. Limits are
    strings (`"600/minute"`) or False (exempt), checked when read."""

    enabled: bool = True
    default: str | bool | None = None
    operations: tuple[tuple[str, str | bool], ...] = ()
    tags: tuple[tuple[str, str | bool], ...] = ()
    key: str = "principal"
    redis: str | None = None


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """`ctk serve`'s settings: `[tool.ctk.serve]`, then the command line over it."""

    spec: Path | None = None
    impl: str | None = None
    app: str | None = None
    package: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    validate_responses: bool = False
    verifier: str | None = None
    cors: CorsOptions | None = None
    rate_limit: RateLimitOptions = field(default_factory=RateLimitOptions)


@dataclass(frozen=True, slots=True)
class CheckApi:
    """One API `ctk check` checks: its spec, the ASGI app implementing it, the headers a
    client sends (credentials) and its consumers' pacts."""

    name: str
    spec: Path
    app: str | None = None
    headers: tuple[str, ...] = ()
    pacts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """`[tool.ctk.check]`; without `apis`, one API is made of the other tables (check.py)."""

    base: str | None = None
    stages: tuple[str, ...] = CHECK_STAGES
    out: Path = Path(".ctk/report")
    fast_examples: int = 10
    apis: tuple[CheckApi, ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    lint: LintConfig = field(default_factory=LintConfig)
    load: LoadOptions = field(default_factory=LoadOptions)
    generate: GenerateConfig = field(default_factory=GenerateConfig)
    fuzz: FuzzOptions = field(default_factory=FuzzOptions)
    contract: ContractConfig = field(default_factory=ContractConfig)
    serve: ServeOptions = field(default_factory=ServeOptions)
    check: CheckConfig = field(default_factory=CheckConfig)
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
    tool = document.get("tool", {})
    section = checked(CtkTable, tool.get("ctk", {}) if isinstance(tool, dict) else {}, path, "")
    return Config(
        lint=_lint_config(section.lint, path),
        load=_load_options(section.load, path),
        generate=_generate_config(section.generate, path),
        fuzz=_fuzz_options(section.fuzz, path),
        contract=_contract_config(section.contract, path),
        serve=_serve_options(section.serve, path),
        check=_check_config(section.check, path),
        source=str(path),
    )


def _values(table: Table, path: Path, paths: tuple[str, ...] = ()) -> dict[str, Any]:
    """The keys a checked table sets, lists as tuples, `paths` relative to pyproject.toml."""
    values: dict[str, Any] = {}
    for name, value in table.model_dump(exclude_none=True, exclude_unset=True).items():
        if name in paths:
            value = path.parent / value
        values[name] = tuple(value) if isinstance(value, list) else value
    return values


def _severity(text: str, path: Path, key: str) -> Severity:
    try:
        return Severity.parse(text)
    except UsageError as exc:
        where = Location(str(path), pointer=f"/tool/ctk/lint/{key}")
        raise ConfigError(f"[tool.ctk.lint] {key}: {exc.message}", where, hint=exc.hint) from None


def _lint_config(raw: Any, path: Path) -> LintConfig:
    table = checked(LintTable, raw, path, "lint")
    rules: dict[str, Severity | None] = {}
    for rule_id, value in table.rules.items():
        text = str(value).lower()
        off = text in (RULE_OFF, "false")
        rules[rule_id] = None if off else _severity(text, path, f"rules/{rule_id}")
    ignores = tuple(Ignore(entry.pointer, frozenset(entry.rules)) for entry in table.ignore)
    return LintConfig(_severity(table.fail_on, path, "fail-on"), rules, ignores)


def _generate_config(raw: Any, path: Path) -> GenerateConfig:
    """`targets = [{spec = "specs/x.yaml", out = "generated/x"}]`, relative to pyproject.toml."""
    table = checked(GenerateTable, raw, path, "generate")
    overrides = tuple(
        ErrorMappingOverride(
            entry.at,
            {
                name: source if isinstance(source, str) else {"value": source.value}
                for name, source in entry.fields.items()
            },
        )
        for entry in table.error_mappings
    )
    return GenerateConfig(
        tuple(
            GenerateTarget(path.parent / t.spec, path.parent / t.out, t.client)
            for t in table.targets
        ),
        overrides,
    )


def _load_options(raw: Any, path: Path) -> LoadOptions:
    return LoadOptions(**_values(checked(LoadTable, raw, path, "load"), path))


def _fuzz_options(raw: Any, path: Path) -> FuzzOptions:
    """`[tool.ctk.fuzz]`: the option names of `ctk fuzz` without dashes in front."""
    return FuzzOptions(**_values(checked(FuzzTable, raw, path, "fuzz"), path, ("spec", "out")))


def _contract_config(raw: Any, path: Path) -> ContractConfig:
    """`[tool.ctk.contract]`; sources that are not URLs are relative to pyproject.toml."""
    values = _values(checked(ContractTable, raw, path, "contract"), path, ("spec", "out"))
    if "sources" in values:
        values["sources"] = tuple(
            v if "://" in v else str(path.parent / v) for v in values["sources"]
        )
    return ContractConfig(**values)


def _check_config(raw: Any, path: Path) -> CheckConfig:
    """`[tool.ctk.check]`; paths relative to pyproject.toml, like every other table's."""
    table = checked(CheckTable, raw, path, "check")
    values = _values(table, path, ("out",))
    values.pop("apis", None)
    apis = tuple(
        CheckApi(
            name=api.name,
            spec=path.parent / api.spec,
            app=api.app,
            headers=tuple(api.headers or ()),
            pacts=tuple(p if "://" in p else str(path.parent / p) for p in api.pacts or ()),
        )
        for api in table.apis or ()
    )
    return CheckConfig(**values, apis=apis)


def _serve_options(raw: Any, path: Path) -> ServeOptions:
    """`[tool.ctk.serve]`, with its `cors` and `rate-limit` sub-tables; every limit is
    parsed now, so a typo is a located config error, not a failed start."""
    table = checked(ServeTable, raw, path, "serve")
    values = _values(table, path, ("spec",))
    if table.cors is not None:
        values["cors"] = CorsOptions(**_values(table.cors, path))
    if table.rate_limit is not None:
        limits = table.rate_limit
        for key, value in _limit_values(limits):
            _check_limit(value, path, f"rate-limit/{key}")
        values["rate_limit"] = RateLimitOptions(
            **{
                **_values(limits, path),
                "operations": tuple((limits.operations or {}).items()),
                "tags": tuple((limits.tags or {}).items()),
            }
        )
    return ServeOptions(**values)


def _limit_values(table: Any) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if table.default is not None:
        found.append(("default", table.default))
    for group in ("operations", "tags"):
        found.extend((f"{group}/{k}", v) for k, v in (getattr(table, group) or {}).items())
    return found


def _check_limit(value: Any, path: Path, key: str) -> None:
    from toolkit.rate_limit import parse_extension

    try:
        parse_extension(value)
    except ValueError as exc:
        where = Location(str(path), pointer=f"/tool/ctk/serve/{key}")
        raise ConfigError(f"[tool.ctk.serve] {key}: {exc}", where) from None


def check_fuzz_options(options: FuzzOptions) -> FuzzOptions:
    """Refuse values no run could use, given on the command line or in Python (the config
    file's are checked when read, by `FuzzTable`)."""
    for phase in options.phases:
        if phase not in FUZZ_PHASES:
            raise UsageError(
                f"unknown phase {phase!r}", hint=f"use some of: {', '.join(FUZZ_PHASES)}"
            )
    if options.mode not in FUZZ_MODES:
        raise UsageError(
            f"unknown mode {options.mode!r}", hint=f"use one of: {', '.join(FUZZ_MODES)}"
        )
    for report in options.reports:
        if report not in FUZZ_REPORTS:
            raise UsageError(
                f"unknown report {report!r}", hint=f"use some of: {', '.join(FUZZ_REPORTS)}"
            )
    return options
