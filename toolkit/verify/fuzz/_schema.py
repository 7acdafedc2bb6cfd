"""ctk options -> a loaded schemathesis schema (config, filters, shard, target)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from toolkit.config import FuzzOptions
from toolkit.errors import UsageError
from toolkit.model.build import raw_operations
from toolkit.verify.fuzz.shard import Shard

# schemathesis' own default for positive_data_acceptance; ctk adds what each operation documents.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
# negative data may also be refused as too large, unsupported, or rate limited, or by the
# server in front of the app (414 URI too long, 431 headers too large)
REJECTED = [
    "400",
    "401",
    "403",
    "404",
    "405",
    "406",
    "409",
    "413",
    "414",
    "415",
    "422",
    "428",
    "429",
    "431",
    "5xx",
]
_STANDALONE = {"extra-data-sources": {"responses": False}}


def config_data(
    options: FuzzOptions,
    document: Mapping[str, Any],
    *,
    base_url: str,
    headers: Mapping[str, str],
    seed: int,
    phases: tuple[str, ...],
    skip: frozenset[str] = frozenset(),
    shard: Shard | None = None,
) -> dict[str, Any]:
    """The schemathesis configuration of one run (`schemathesis.Config.from_dict`)."""
    checks: dict[str, Any] = {
        "negative_data_rejection": {"expected-statuses": REJECTED},
    }
    if options.checks:
        checks["enabled"] = False
        for name in options.checks:
            checks.setdefault(name, {})["enabled"] = True
    for name in options.exclude_checks:
        checks.setdefault(name, {})["enabled"] = False
    data: dict[str, Any] = {
        "seed": seed,
        "workers": 1,
        "continue-on-failure": True,
        # a followed redirect is judged against the wrong operation; a 3xx is an answer
        "max-redirects": 0,
        "base-url": base_url,
        "suppress-health-check": ["all"],
        "cache": {"enabled": False},
        "generation": {
            "mode": options.mode,
            "max-examples": options.max_examples,
            "deterministic": options.seed is not None,
            "database": "none",
        },
        "checks": checks,
        "phases": {
            # Stateless cases stand alone: no ids drawn from earlier responses, so each
            # stored failure replays on a fresh server; the stateful phase covers real
            # resources with recorded chains (ADR 0010).
            "examples": {"enabled": "examples" in phases, **_STANDALONE},
            "coverage": {"enabled": "coverage" in phases, **_STANDALONE},
            "fuzzing": {"enabled": "fuzzing" in phases, **_STANDALONE},
            "stateful": {
                "enabled": "stateful" in phases,
                "max-steps": 20,
            },
        },
        # Selection is config, not `schema.include()`: schemathesis ORs a programmatic
        # filter with the one its `[[operations]]` entries build, so both would run all.
        "operations": [
            *({"include-name": label, "enabled": False} for label in sorted(skip)),
            *_documented_refusals(document),
        ],
    }
    if not options.infer_links:
        data["phases"]["stateful"]["inference"] = {"algorithms": []}
    if shard is not None:
        # each shard runs its share of the stateful scenarios, from its own seed
        share = shard.share(options.max_examples)
        data["phases"]["stateful"]["generation"] = {"max-examples": share}
        data["seed"] = seed + shard.index - 1
    if headers:
        data["headers"] = dict(headers)
    if options.max_time is not None:
        data["max-time"] = options.max_time
    return data


def _documented_refusals(document: Mapping[str, Any]) -> Any:
    """Per operation: a schema-valid request may be refused with a 4xx the operation
    documents (a business rule the schema cannot express); ctk counts those refusals
    instead of failing them (ADR 0010)."""
    for path, method, operation in raw_operations(document):
        documented = [str(s).lower() for s in operation.get("responses") or {}]
        extra = sorted({s for s in documented if s[:1] == "4" and s not in ACCEPTED})
        if extra:
            yield {
                "include-name": f"{method.upper()} {path}",
                "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED + extra}},
            }


def load_schema(data: Mapping[str, Any], config: Mapping[str, Any], app: Any | None) -> Any:
    import schemathesis
    from schemathesis.config import ConfigError
    from schemathesis.core.errors import LoaderError

    try:
        schema = schemathesis.openapi.from_dict(
            copy.deepcopy(dict(data)), config=schemathesis.Config.from_dict(dict(config))
        )
    except LoaderError as exc:
        raise UsageError(f"schemathesis cannot load the spec: {exc}") from None
    except ConfigError as exc:
        raise UsageError(f"schemathesis refused the options: {exc}") from None
    except (ValueError, TypeError, KeyError) as exc:  # config values schemathesis refuses
        raise UsageError(f"schemathesis refused the options: {exc}") from None
    if app is not None:
        schema.app = app
    return schema


def select(
    data: Mapping[str, Any], options: FuzzOptions, shard: Shard | None
) -> tuple[list[str], set[str], set[str]]:
    """(every operation, the selected ones, this shard's share of them), by label.

    Read off the document (building schemathesis' operations costs ~0.3 s a process);
    each filter kind narrows the selection, values are exact (methods in any case)."""
    keys: dict[str, dict[str, set[str]]] = {}
    for path, method, operation in raw_operations(data):
        keys[f"{method.upper()} {path}"] = {
            "path": {path},
            "method": {method.upper()},
            "tag": {str(t) for t in operation.get("tags") or []},
            "operation_id": {str(operation.get("operationId", ""))},
        }
    filters = {
        "path": (options.include_path, options.exclude_path),
        "method": (options.include_method, options.exclude_method),
        "tag": (options.include_tag, options.exclude_tag),
        "operation_id": (options.include_operation_id, options.exclude_operation_id),
    }
    selected = set(keys)
    for key, (include, exclude) in filters.items():
        wanted = {v.upper() for v in include} if key == "method" else set(include)
        unwanted = {v.upper() for v in exclude} if key == "method" else set(exclude)
        if wanted:
            selected = {label for label in selected if keys[label][key] & wanted}
        if unwanted:
            selected = {label for label in selected if not keys[label][key] & unwanted}
    if not selected:
        raise UsageError(
            "no operation is left to fuzz after the filters",
            hint="compare the --include-*/--exclude-* options with the spec's operations",
        )
    return list(keys), selected, shard.select(selected) if shard else selected
