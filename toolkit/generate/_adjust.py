"""Edits of the generator's model objects before it renders them (never of its text).

Run from `_dmcg._Parser._process_single_module`, after the generator's own per-module
passes (field names, aliases and enum defaults are final) and before it renders. What the
schema copy can say itself is said there instead (`schemas.py`: a default of another JSON
type widens the type; a string default its format refuses drops the format).
"""

from __future__ import annotations

from typing import Any

from datamodel_code_generator.model.pydantic_v2 import BaseModel, RootModel, RootModelTypeAlias

# Types the generator gives a formatted string (or number); a default written as JSON text
# is a `str` to mypy, so the field takes it from a factory, validated into the type.
SCALAR_TYPES = frozenset(
    [
        "AnyUrl",
        "AwareDatetime",
        "NaiveDatetime",
        "datetime",
        "date",
        "time",
        "timedelta",
        "Decimal",
        "UUID",
        "IPv4Address",
        "IPv6Address",
        "bytes",
    ]
)


class _Factory:
    """A `default_factory` as the generator writes it: `str()` of the value it holds."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __str__(self) -> str:
        return self._text

    __repr__ = __str__


def adjust_models(parser: Any, models: list[Any]) -> None:
    """Each edit says why in its helper."""
    kinds = {model.class_name: model for model in models}
    for model in models:
        changed = _keeps_data(model)
        changed = _typed_extras(model) or changed
        for field in model.fields:
            changed = _typed_default(field, kinds) or changed
        if changed:
            model.invalidate_render_caches()


def _keeps_data(model: Any) -> bool:
    """A model never drops data silently: it is built by field name as well as by alias
    (`ImportRequest(user_name="bob")`, not an empty model), and a schema that allows other
    properties (JSON Schema's default) keeps them (`extra="allow"`, in `model_extra`)
    instead of dropping them; `additionalProperties: false` stays `extra="forbid"`."""
    if not isinstance(model, BaseModel) or isinstance(model, RootModel):
        return False
    config = model.extra_template_data.get("config")
    items = dict(config.model_dump(exclude_unset=True)) if config is not None else {}
    before = dict(items)
    items.setdefault("extra", "'allow'")
    if any(field.alias for field in model.fields):
        items["validate_by_name"] = "True"
    if items == before:
        return False
    model._set_config(items)  # the generator's own writer of model_config
    return True


def _typed_extras(model: Any) -> bool:
    """Typed `additionalProperties` beside `properties`: a plain `__pydantic_extra__:
    dict[str, X]` annotation, as pydantic documents it, instead of the generator's
    `__annotations__ = {...: Dict[...]}` for Python < 3.14 (ruff UP006/UP035)."""
    if any(getattr(f, "is_pydantic_extra_field", False) for f in model.fields):
        model.extra_template_data["pydantic_extra_plain_annotation"] = True
        return True
    return False


def _core(data_type: Any) -> Any:
    """The one type of `T` or `T | None`, else None."""
    if data_type.type is not None or data_type.reference is not None:
        return data_type
    members = [d for d in data_type.data_types if d.type != "None"]
    return members[0] if len(members) == 1 else None


def _typed_default(field: Any, kinds: dict[str, Any]) -> bool:
    """A default mypy would refuse for the field's type becomes a factory, same value.

    - A model-typed field: the generator writes `margin: Annotated[Margin,
      Field(validate_default=True)] = {...}`, right at run time but a dict to mypy; the
      factory builds the model (`lambda: Margin.model_validate({...})`), fresh per instance.
    - A formatted scalar (`since: AwareDatetime = '2020-...'`): a str to mypy, and handed
      to the handler unvalidated; the factory returns the text and `validate_default`
      turns it into the type.
    """
    if not field.has_default or field.default is None or not _is_json(field.default):
        return False
    core = _core(field.data_type)
    if core is None or core.is_list or core.is_dict:
        return False
    literal = repr(field.default)
    if core.reference is not None:
        target = kinds.get(core.reference.short_name)
        # a class with `model_validate` (not an enum, not a `TypeAliasType`)
        if not isinstance(target, BaseModel) or isinstance(target, RootModelTypeAlias):
            return False
        factory = f"lambda: {target.class_name}.model_validate({literal})"
        field.extras.pop("validate_default", None)
    elif core.type in SCALAR_TYPES and isinstance(field.default, str):
        factory = f"lambda: {literal}"
        field.extras["validate_default"] = True
    else:
        return False
    field.extras["default_factory"] = _Factory(factory)
    field.default = None
    return True


def _is_json(value: Any) -> bool:
    """A plain JSON value (the generator's enum members and sentinels are not)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_is_json(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)
