"""datamodel-code-generator driven through its parser objects: one run, our class names.

The hooks (docs/research/generate-second-design/README.md):
- at name time, `_Resolver.get_class_name` drops the generator's `duplicate_name`, so it
  never merges two models because their provisional names met;
- right after the parse (`parse_raw`), every model is renamed through the generator's own
  rename writer to the name its position gives (ADR 0015, `toolkit.model.class_names`);
- after the per-module passes (`_process_single_module`), `adjust` edits the model objects
  the templates render from. No text is edited afterwards.

These are private APIs of datamodel-code-generator 0.89: the version is pinned, and
tests/unit/generate/test_dmcg.py exercises each hook directly.
"""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from datamodel_code_generator import OpenAPIScope, TargetPydanticVersion
from datamodel_code_generator.enums import DataModelType
from datamodel_code_generator.format import PythonVersion
from datamodel_code_generator.model import get_data_model_types
from datamodel_code_generator.parser.openapi import OpenAPIParser
from datamodel_code_generator.reference import ClassName, ModelResolver, location_of

from toolkit.model.class_names import pascal_word, pointer_order, settle

# edits of the models of the module, before rendering
Adjust = Callable[[Any, list[Any]], None]


class _Resolver(ModelResolver):
    """Provisional names only: never a `duplicate_name`, so never a merge on a name."""

    def get_class_name(self, *args: Any, **kwargs: Any) -> ClassName:
        found = super().get_class_name(*args, **kwargs)
        return ClassName(name=found.name, duplicate_name=None)


class Positions(Protocol):
    """Where each model's schema is in the user's document, and what that place is called."""

    def locate(self, pointer: str) -> str:
        """The user's pointer of the schema at `pointer` in the document the generator reads."""

    def name(self, pointer: str) -> str | None:
        """The base name of the class at the user's `pointer` (ADR 0015), or None."""

    def copies(self, pointer: str) -> list[str]:
        """The user's pointers that share the class made at the user's `pointer`."""


@dataclass
class Naming:
    """What the settle decided."""

    # the user's pointer -> the name of its class, or of the alias naming that place
    by_pointer: dict[str, str] = field(default_factory=dict)
    # (alias, class): places that share another place's class (generate/shared.py)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    # models the generator made from no located schema object: named from its own name
    unlocated: list[str] = field(default_factory=list)


class _Parser(OpenAPIParser):
    _model_resolver_factory = staticmethod(_Resolver)

    def __init__(
        self, source: Any, *, positions: Positions, adjust: Adjust, **options: Any
    ) -> None:
        super().__init__(source, **options)
        self.ctk_positions = positions
        self.ctk_adjust = adjust
        self.ctk_naming = Naming()

    def parse_raw(self) -> None:
        super().parse_raw()
        self._settle_names()

    def _settle_names(self) -> None:
        """Every model and every place sharing a model's class, named together by the one
        collision rule, ordered by the user's pointers (never the generator's keys)."""
        positions = self.ctk_positions
        entries: list[tuple[str, str]] = []
        order: dict[str, tuple[tuple[int, str], str]] = {}
        located: dict[str, str] = {}  # entry key -> the user's pointer
        models: dict[str, Any] = {}
        targets: dict[str, str] = {}  # alias entry key -> the model's entry key
        for model in self.results:
            key = model.reference.path
            models[key] = model
            location = location_of(model.reference)
            pointer = positions.locate(location.pointer) if location is not None else None
            base = positions.name(pointer) if pointer is not None else None
            if pointer is None or base is None:
                self.ctk_naming.unlocated.append(key)
                entries.append((pascal_word(model.class_name), key))
                order[key] = ((2, ""), key)
                continue
            entries.append((base, key))
            order[key] = (pointer_order(pointer), key)
            located[key] = pointer
            for place in positions.copies(pointer):
                alias_base = positions.name(place)
                alias = "\0" + place  # never a generator path
                if alias_base is None or alias in targets:
                    continue
                entries.append((alias_base, alias))
                order[alias] = (pointer_order(place), alias)
                located[alias] = place
                targets[alias] = key
        names = settle(entries, sort_key=order.__getitem__)
        for key in sorted(names, key=order.__getitem__):
            name = names[key]
            if key in located:
                self.ctk_naming.by_pointer.setdefault(located[key], name)
            if key in targets:
                self.ctk_naming.aliases.append((name, names[targets[key]]))
                continue
            model = models[key]
            if model.reference.name != name or model.reference.duplicate_name:
                self._graph_builder.rename_model(
                    model, reference_name=name, clear_duplicate_name=True
                )
        self.model_resolver.refresh_reference_names()

    def _process_single_module(self, *args: Any, **kwargs: Any) -> Any:
        context = super()._process_single_module(*args, **kwargs)
        self.ctk_adjust(self, context.models)
        return context


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """The generator builds millions of acyclic objects that the cyclic collector keeps
    re-scanning for nothing (~20% of its time on GitHub's spec, for +3% peak memory)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run(
    source: str | dict[str, Any],
    *,
    positions: Positions,
    adjust: Adjust,
    options: dict[str, Any],
) -> tuple[str, Naming]:
    """models.py for the OpenAPI document `source` (JSON text or data), unformatted, and
    the names given."""
    types = get_data_model_types(DataModelType.PydanticV2BaseModel, PythonVersion.PY_311)
    parser = _Parser(
        source,
        positions=positions,
        adjust=adjust,
        data_model_type=types.data_model,
        data_model_root_type=types.root_model,
        data_model_field_type=types.field_model,
        data_type_manager_type=types.data_type_manager,
        dump_resolve_reference_action=types.dump_resolve_reference_action,
        target_python_version=PythonVersion.PY_311,
        target_pydantic_version=TargetPydanticVersion.V2_14,
        use_standard_collections=True,
        use_union_operator=True,
        openapi_scopes=[OpenAPIScope.Schemas],
        # names stay position-derived: no merging, collapsing or modules by dots
        reuse_model=False,
        collapse_root_models=False,
        treat_dot_as_module=False,
        **options,
    )
    # Its warnings are about the models alone ("pattern dropped on AnyUrl"), while the
    # runtime validates every body against the exact schema first.
    with warnings.catch_warnings(), no_cyclic_gc():
        warnings.simplefilter("ignore")
        out = parser.parse(format_=False)
    if not isinstance(out, str):  # treat_dot_as_module=False: one module, always
        raise TypeError(f"datamodel-code-generator returned {len(out)} modules")
    return out, parser.ctk_naming
