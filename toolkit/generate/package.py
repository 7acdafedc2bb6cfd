"""Document -> {relative path: text} for one generated package. Pure: nothing touches disk."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from toolkit.config import ErrorMappingOverride
from toolkit.errors import Diagnostic, Location, Severity
from toolkit.generate.app import render_app
from toolkit.generate.client import render_client
from toolkit.generate.layout import ruff_layout
from toolkit.generate.models import GENERATOR_OPTIONS, GenerateError, render_models
from toolkit.generate.python import import_from
from toolkit.generate.schemas import Shapes
from toolkit.generate.service import HEADER, protocol_name, render_scaffold, render_service
from toolkit.load import Document
from toolkit.load.bundle import Bundle, json_text
from toolkit.load.upgrade import bundle_as_openapi3
from toolkit.model import ApiModel, build_api
from toolkit.model.api import OperationModel
from toolkit.model.error_mappings import decide_mappings
from toolkit.model.error_shapes import Plan

MANIFEST = "_manifest.json"


@dataclass(frozen=True)
class Package:
    name: str
    files: dict[str, str]
    scaffold: str  # an implementation skeleton, written only by --scaffold
    # the protocol's methods: name -> the keyword arguments the runtime passes it
    methods: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # what the user should know: the error mappings that were guessed (ADR 0014)
    diagnostics: tuple[Diagnostic, ...] = ()


def fingerprint(
    document: Document,
    package: str,
    error_mappings: tuple[ErrorMappingOverride, ...] = (),
    *,
    client: bool = False,
) -> dict[str, object]:
    """What the output depends on: every source file's bytes, the tool and generator
    versions, and the error mappings configured."""
    root = document.resolver.root_dir
    sources = {}
    for source in document.resolver.iter_files():
        try:
            key = source.path.resolve().relative_to(root).as_posix()
        except ValueError:  # outside the root (allowed by option) or remote: its full name
            key = source.uri
        sources[key] = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    sources = dict(sorted(sources.items()))
    return {
        "package": package,
        "sources": sources,
        "tools": {
            "contract-toolkit": _version("contract-toolkit"),
            "generator-code": _generator_digest(),
            "datamodel-code-generator": _version("datamodel-code-generator"),
            "options": sorted(GENERATOR_OPTIONS),
        },
        **(
            {"error-mappings": [{"schema": o.schema, "fields": o.fields} for o in error_mappings]}
            if error_mappings
            else {}
        ),
        **({"client": True} if client else {}),
    }


def _generator_digest() -> str:
    """A digest of the generator's own code: a changed generator is never 'up to date'."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for folder in (here, here.parent / "model"):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _version(name: str) -> str:
    try:
        return version(name)
    except Exception:  # a source checkout without metadata
        return "unknown"


def render_package(
    document: Document,
    package: str,
    error_mappings: tuple[ErrorMappingOverride, ...] = (),
    *,
    module: str | None = None,
    client: bool = False,
) -> Package:
    """Every file of the package; a configured error mapping that does not apply is a
    GenerateError (exit 2). `module` is the package's import path for the scaffold
    (default: its name)."""
    document, bundle = bundle_as_openapi3(document)  # 2.0: its 3.0 equivalent (ADR 0021)
    api = build_api(document, bundle)
    decided = decide_mappings(bundle.data, error_mappings, _locator(document, bundle))
    for problem in decided.diagnostics:
        if problem.severity is Severity.ERROR:
            raise GenerateError(problem.message, problem.location, hint=problem.hint)
    models = render_models(bundle.data, api, document.display)
    files = _render_code(
        api, json_text(bundle.data), package, models.classes, models.shapes, decided.mappings
    )
    scaffold = render_scaffold(api, models.classes, module or package, models.shapes)
    files["models.py"] = models.text
    if client:
        text = render_client(api, models.classes, models.shapes, bundle.data, models.names)
        files["client.py"] = ruff_layout(text, "client.py", sort_imports=False)
    manifest = fingerprint(document, package, error_mappings, client=client) | {
        "files": {path: _digest(text) for path, text in sorted(files.items())}
    }
    files[MANIFEST] = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    methods = tuple((op.handler, _arguments(op)) for op in api.operations)
    return Package(package, files, scaffold, methods, decided.diagnostics)


def _arguments(op: OperationModel) -> tuple[str, ...]:
    """The keyword arguments the runtime passes the handler (runtime/_handlers.py)."""
    names = [p.param.arg for p in op.params]
    if op.body is not None:
        names.append(op.body.body.arg)
    return (*names, "context")


def _locator(document: Document, bundle: Bundle) -> Callable[[Sequence[str]], list[Location]]:
    def locate(pointers: Sequence[str]) -> list[Location]:
        return document.locations([bundle.origin(pointer) for pointer in pointers])

    return locate


def _render_code(
    api: ApiModel,
    openapi: str,
    package: str,
    classes: dict[str, str],
    shapes: Shapes,
    mappings: dict[str, tuple[Plan, ...]],
) -> dict[str, str]:
    service = protocol_name(api)
    return {
        "__init__.py": HEADER
        + f'"""Generated server package for {_safe(api.title)} {_safe(api.version)}."""\n\n'
        + "from .app import OPERATIONS, create_app\n"
        + import_from(".service", [service])
        + "\n"
        + f'__all__ = ["OPERATIONS", "{service}", "create_app"]\n',
        "models.py": "",
        "service.py": render_service(api, classes, shapes),
        "app.py": render_app(api, classes, shapes, mappings),
        "openapi.json": openapi,
        "py.typed": "",
    }


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _safe(text: str) -> str:
    from toolkit.generate.python import comment

    return comment(text, limit=80).replace("\\", "").replace('"', "'")
