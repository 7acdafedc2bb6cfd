"""The shape of each `[tool.ctk.*]` table, checked by pydantic (`extra="forbid"`, strict
types: TOML says what it means, so `"yes"` is not a boolean), and its first error turned
into a `ConfigError` located at the key, in words a user reads.

`config.py` turns a checked table into the frozen dataclasses the stages use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.errors import ConfigError, Location

Phase = Literal["examples", "coverage", "fuzzing", "stateful"]
Mode = Literal["positive", "negative", "all"]
FuzzReport = Literal["junit", "json", "html"]
ContractReport = Literal["junit", "json"]
CheckStage = Literal["lint", "generated", "diff", "start", "fuzz", "pacts", "pact-spec", "drift"]
FUZZ_PHASES: tuple[str, ...] = get_args(Phase)
FUZZ_MODES: tuple[str, ...] = get_args(Mode)
FUZZ_REPORTS: tuple[str, ...] = get_args(FuzzReport)
CONTRACT_REPORTS: tuple[str, ...] = get_args(ContractReport)
CHECK_STAGES: tuple[str, ...] = get_args(CheckStage)


def _dashed(name: str) -> str:
    return name.replace("_", "-")


class Table(BaseModel):
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, alias_generator=_dashed, populate_by_name=False
    )


class LintIgnore(Table):
    pointer: str
    rules: list[str] = []


class LintTable(Table):
    fail_on: str = "error"
    rules: dict[str, str | bool] = {}
    ignore: list[LintIgnore] = []


class GenerateTarget(Table):
    spec: str
    out: str
    client: bool = False


class ErrorConstant(Table):
    value: str | int | float | bool | list[Any] | dict[str, Any] | None


class ErrorMappingEntry(Table):
    at: str = Field(alias="schema", pattern=r"^/")
    fields: dict[str, str | ErrorConstant]


class GenerateTable(Table):
    targets: list[GenerateTarget] = []
    error_mappings: list[ErrorMappingEntry] = []


class LoadTable(Table):
    max_bytes: int | None = Field(default=None, gt=0)
    max_depth: int | None = Field(default=None, gt=0)
    max_nodes: int | None = Field(default=None, gt=0)
    max_files: int | None = Field(default=None, gt=0)
    allow_outside_root: bool | None = None
    allow_remote_refs: bool | None = None


class FuzzTable(Table):
    spec: str | None = None
    app: str | None = None
    url: str | None = None
    impl: str | None = None
    mock: bool | None = None
    package: str | None = None
    allow_hosts: list[str] | None = None
    phases: list[Phase] | None = None
    mode: Mode | None = None
    max_examples: int | None = Field(default=None, gt=0)
    seed: int | None = Field(default=None, ge=0)
    max_time: int | None = Field(default=None, gt=0)
    checks: list[str] | None = None
    exclude_checks: list[str] | None = None
    headers: list[str] | None = None
    include_path: list[str] | None = None
    include_method: list[str] | None = None
    include_tag: list[str] | None = None
    include_operation_id: list[str] | None = None
    exclude_path: list[str] | None = None
    exclude_method: list[str] | None = None
    exclude_tag: list[str] | None = None
    exclude_operation_id: list[str] | None = None
    shard: str | None = None
    out: str | None = None
    reports: list[FuzzReport] | None = None
    strict: bool | None = None
    infer_links: bool | None = None


class ContractTable(Table):
    spec: str | None = None
    sources: list[str] | None = None
    provider: str | None = None
    app: str | None = None
    impl: str | None = None
    url: str | None = None
    package: str | None = None
    verifier: str | None = None
    states: str | None = None
    allow_hosts: list[str] | None = None
    timeout: float | None = Field(default=None, ge=0.1)
    reports: list[ContractReport] | None = None
    out: str | None = None
    fail_on: Literal["error", "warning"] | None = None


class CheckApiTable(Table):
    name: str
    spec: str
    app: str | None = None
    headers: list[str] | None = None
    pacts: list[str] | None = None


class CheckTable(Table):
    base: str | None = None
    stages: list[CheckStage] | None = None
    out: str | None = None
    fast_examples: int | None = Field(default=None, ge=1)
    apis: list[CheckApiTable] | None = None


class CorsTable(Table):
    origins: list[str]
    methods: list[str] | None = None
    headers: list[str] | None = None
    expose: list[str] | None = None
    credentials: bool | None = None
    max_age: int | None = Field(default=None, ge=0)


class RateLimitTable(Table):
    enabled: bool | None = None
    default: str | Literal[False] | None = None
    operations: dict[str, str | Literal[False]] | None = None
    tags: dict[str, str | Literal[False]] | None = None
    key: Literal["principal", "ip"] | None = None
    redis: str | None = Field(default=None, pattern=r"^rediss?://")


class ServeTable(Table):
    spec: str | None = None
    impl: str | None = None
    app: str | None = None
    package: str | None = None
    host: str | None = None
    port: int | None = Field(default=None, ge=0, le=65535)
    validate_responses: bool | None = None
    verifier: str | None = None
    cors: CorsTable | None = None
    rate_limit: RateLimitTable | None = None


class CtkTable(BaseModel):
    """`[tool.ctk]` itself: its sub-tables, each checked on its own."""

    model_config = ConfigDict(extra="forbid", strict=True)
    lint: dict[str, Any] = {}
    load: dict[str, Any] = {}
    generate: dict[str, Any] = {}
    fuzz: dict[str, Any] = {}
    contract: dict[str, Any] = {}
    serve: dict[str, Any] = {}
    check: dict[str, Any] = {}


T = TypeVar("T", bound=BaseModel)

_PHRASES = {
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "int_type": "must be an integer",
    "float_type": "must be a number",
    "list_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "missing": "is required",
}


def checked(model: type[T], table: Any, path: Path, section: str) -> T:
    """`table` as `model`, or a ConfigError at the first offending key."""
    try:
        return model.model_validate(table)
    except ValidationError as exc:
        raise _config_error(model, exc, path, section) from None


def _field(model: type[BaseModel], alias: str) -> Any:
    return next((f for f in model.model_fields.values() if f.alias == alias), None)


def _of_tables(field: Any) -> bool:
    """Whether a list field holds tables (`[[...]]`), not strings."""
    stack = [field.annotation]
    while stack:
        kind = stack.pop()
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            return True
        stack.extend(get_args(kind))
    return False


def _positive(field: Any) -> bool:
    return field is not None and any(getattr(m, "gt", None) == 0 for m in field.metadata)


def _config_error(
    model: type[BaseModel], exc: ValidationError, path: Path, section: str
) -> ConfigError:
    name = f"[tool.ctk.{section}]" if section else "[tool.ctk]"
    errors = exc.errors()
    first = errors[0]
    loc = [str(part) for part in first["loc"]]
    pointer = "/tool/ctk" + "".join(f"/{part}" for part in [section, *loc] if part)
    where = Location(str(path), pointer=pointer)
    unknown = [str(e["loc"][-1]) for e in errors if e["type"] == "extra_forbidden"]
    if unknown and len(first["loc"]) == 1:
        known = sorted(field.alias or key for key, field in model.model_fields.items())
        return ConfigError(
            f"unknown key(s) in {name}: {', '.join(sorted(unknown))}",
            where,
            hint=f"known keys: {', '.join(known)}",
        )
    if not loc:
        return ConfigError(f"{name} must be a table", where)
    context = first.get("ctx") or {}
    phrase = _PHRASES.get(first["type"], first["msg"])
    field = _field(model, loc[0])
    if first["type"] == "list_type" and len(loc) == 1:
        phrase = "must be a list of tables" if _of_tables(field) else "must be a list of strings"
    elif first["type"] in ("int_type", "greater_than") and _positive(field):
        phrase = "must be a positive integer"
    elif first["type"] in ("greater_than", "greater_than_equal"):
        phrase = f"must be at least {context.get('gt', context.get('ge'))}"
    elif first["type"] == "literal_error":
        phrase = f"{first['input']!r} is not a choice; use {context.get('expected', '')}"
    elif first["type"] == "extra_forbidden":
        phrase = "is not a known key"
    return ConfigError(f"{name} {'.'.join(loc)} {phrase}", where)
