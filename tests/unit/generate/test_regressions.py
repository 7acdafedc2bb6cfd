"""How the generated code behaves for the generator bugs the corpus harness found.

tests/golden/regressions pins the text (and its ruff/mypy cleanliness); these tests import
the generated package and run it: a model must accept every value the JSON Schema accepts,
since the runtime validates against the schema first and answers 500 when the model then
refuses ("a generator bug").
"""

from __future__ import annotations

import asyncio
import importlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx
import pytest
from click.testing import CliRunner
from pydantic import TypeAdapter, ValidationError

from tests.unit.generate._package import imported_package
from toolkit.cli import cli
from toolkit.runtime import Settings

REPO = Path(__file__).resolve().parents[3]
SPEC = REPO / "tests" / "golden" / "regressions" / "spec.yaml"
PACKAGE = "ctk_regressions_pkg"


def generate(spec: Path, out: Path) -> None:
    result = CliRunner().invoke(cli, ["generate", str(spec), "--out", str(out)])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    with imported_package(SPEC, tmp_path_factory.mktemp("regressions"), PACKAGE) as package:
        yield package


def _models(package: ModuleType) -> Any:
    return importlib.import_module(f"{PACKAGE}.models")


def _body_model(package: ModuleType, handler: str) -> Any:
    op = next(op for op in package.OPERATIONS if op.handler == handler)
    return op.body.model


def test_open_body_accepts_every_json_value(package: ModuleType) -> None:
    """gen-untyped-object: `properties` without `type` accepts any JSON value."""
    models = _models(package)
    adapter: TypeAdapter[Any] = TypeAdapter(_body_model(package, "create_thing"))
    assert adapter.validate_python({"name": "x"}) == models.CreateThingRequest(name="x")
    for value in (None, 1, 1.5, True, "text", [1, "a"]):
        result = adapter.validate_python(value)
        assert result == value and type(result) is type(value)


def test_open_property_accepts_every_json_value(package: ModuleType) -> None:
    models = _models(package)
    owner = models.Owner.model_validate({"email": "a@b.c", "address": {"street": "Main"}})
    assert owner.address == models.Address(street="Main")
    for value in (None, 7, "Main Street 1", ["a"]):
        assert models.Owner.model_validate({"email": "a@b.c", "address": value}).address == value


def test_tagged_union_accepts_schema_valid_values_and_picks_the_tagged_branch(
    package: ModuleType,
) -> None:
    """gen-tagged-union: the discriminator is a hint; oneOf decides what is valid."""
    models = _models(package)
    assert type(models.Pet.model_validate({"kind": "cat"}).root) is models.Cat
    assert type(models.Pet.model_validate({"kind": "dog", "bark": True}).root) is models.Dog
    # No mapping for "zzz", but the Cat branch matches: the JSON Schema accepts it.
    assert type(models.Pet.model_validate({"kind": "zzz"}).root) is models.Cat


def test_discriminated_base_accepts_the_base_and_keeps_subclass_fields(
    package: ModuleType,
) -> None:
    """The schema validates only the base; a subclass is chosen when it sets more fields."""
    models = _models(package)

    def props(value: dict[str, Any]) -> Any:
        return models.ServerForCreate.model_validate({"properties": value}).properties

    assert type(props({"createMode": "Default"})) is models.PropsForCreate
    assert props({"createMode": "Default", "login": "x"}) == models.PropsForDefault(
        createMode="Default", login="x"
    )
    assert type(props({"createMode": "GeoRestore", "source": "s"})) is models.PropsForGeo


def test_email_and_byte_formats_keep_the_text(package: ModuleType) -> None:
    """gen-email-strict, gen-base64str: what the JSON Schema accepts, as sent."""
    models = _models(package)
    owner = models.Owner.model_validate({"email": "someone@example.test", "key": "nA=="})
    assert (owner.email, owner.key) == ("someone@example.test", "nA==")


def test_model_typed_defaults_are_instances(package: ModuleType) -> None:
    """gen-default-literal: defaults of model, RootModel, Enum and list-of-Enum fields."""
    models = _models(package)
    thing = models.Thing()
    assert thing.margin == models.Margin(top=1)
    assert thing.label == models.Label("plain")
    assert thing.color is models.Color.red
    assert thing.colors == [models.Color.green]
    assert models.Thing().margin is not thing.margin  # a fresh default per instance
    assert thing.flag is True
    with pytest.raises(ValidationError):  # the string branch has no default of its own
        models.ThingFlagAnyOf1()


def test_enum_values_are_deduplicated_and_str_method_names_kept_apart(
    package: ModuleType,
) -> None:
    models = _models(package)
    assert [m.value for m in models.ThingSize] == [1, "x"]
    assert models.ThingField("count").value == "count"
    assert models.ThingField("count").count("o") == 1  # str.count is not shadowed


def test_identical_inline_shapes_share_one_class_under_every_name(package: ModuleType) -> None:
    models = _models(package)
    # the first place in pointer order (Billing < Shipping) holds the class
    assert models.ShippingAddress is models.BillingAddress
    assert models.BillingTagsItem is models.BillingAddress
    assert models.ShippingKind is models.BillingKind
    shipping = models.Shipping.model_validate({"address": {"city": "c"}, "kind": "home"})
    assert isinstance(shipping.address, models.ShippingAddress)
    assert shipping.kind is models.ShippingKind.home


def test_models_never_drop_data(package: ModuleType) -> None:
    """Issue 11 item 2: built by field name as well as by alias; other properties, which
    the schema allows, are kept; `additionalProperties: false` still refuses them."""
    models = _models(package)
    built = models.ImportRequest(user_name="bob")
    assert built.model_dump(by_alias=True, exclude_unset=True) == {"user-name": "bob"}
    wire = models.ImportRequest.model_validate({"user-name": "b", "note": 1})
    assert wire.user_name == "b"
    assert wire.model_extra == {"note": 1}
    assert wire.model_dump(by_alias=True, exclude_unset=True) == {"user-name": "b", "note": 1}
    with pytest.raises(ValidationError):
        models.Thing.model_validate({"extras": {"x": 1}})  # additionalProperties: false


def test_typed_extras_are_enforced(package: ModuleType) -> None:
    models = _models(package)
    assert models.Problem.model_validate({"x": {}}).model_extra == {"x": {}}
    with pytest.raises(ValidationError):
        models.Problem.model_validate({"x": {"a": 1}})


def test_child_retyping_a_base_property_holds_the_child_type(package: ModuleType) -> None:
    models = _models(package)
    collection = models.ItemCollection.model_validate({"items": [{"n": 1}], "kind": "items"})
    assert collection.items == [models.Item(n=1)]


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    async def create_thing(self, **kwargs: Any) -> None:
        kwargs.pop("context")
        self.calls.append(kwargs)

    async def create_broker(self, **kwargs: Any) -> None:
        raise NotImplementedError

    put_owner = post_pet = get_collection = put_server = create_broker
    post_props = create_thing


def _post(app: Any, url: str, body: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.post(url, content=json.dumps(body).encode(), headers=_JSON)

    return asyncio.run(send())


_JSON = {"content-type": "application/json"}


def test_app_passes_content_parameters_and_open_bodies(package: ModuleType) -> None:
    """A `content` (JSON) parameter reaches the handler parsed; an open body as sent."""
    models = _models(package)
    service = _Recorder()
    app = package.create_app(service, settings=Settings(access_log=False))
    assert _post(app, '/things?filter={"n": 1}', None).status_code == 204
    assert _post(app, "/things", "text").status_code == 204
    assert _post(app, "/things", {"name": "x"}).status_code == 204
    assert _post(app, '/things?filter={"n": "x"}', None).status_code == 400
    assert service.calls == [
        {"filter": {"n": 1}, "body": None},
        {"body": "text"},  # an absent optional parameter is not passed
        {"body": models.CreateThingRequest(name="x")},
    ]


def _service(tmp_path: Path, operation: dict[str, Any], schemas: dict[str, Any]) -> str:
    spec = tmp_path / "api.json"
    document = {
        "openapi": "3.0.3",
        "info": {"title": "Ping", "version": "1"},
        "paths": {"/ping": {"post": {"operationId": "ping", **operation}}},
        "components": {"schemas": schemas},
    }
    spec.write_text(json.dumps(document), encoding="utf-8")
    generate(spec, tmp_path / "ping_pkg")
    return (tmp_path / "ping_pkg" / "service.py").read_text(encoding="utf-8")


def test_service_imports_reply_only_when_a_result_names_it(tmp_path: Path) -> None:
    """gen-unused-import: every result is Any (no schema), so `Reply` is not imported."""
    untyped = {"description": "ok", "content": {"application/json": {}}}
    service = _service(tmp_path, {"responses": {"200": untyped}}, {})
    assert "from typing import Any, Protocol\n" in service
    assert "from toolkit.runtime import RequestContext\n" in service
    assert "from . import models" not in service


def test_service_imports_any_only_for_typing_any(tmp_path: Path) -> None:
    """gen-unused-import: a model named `AnywhereCache` is no use of typing.Any."""
    ref = {"$ref": "#/components/schemas/AnywhereCache"}
    ok = {"description": "ok", "content": {"application/json": {"schema": ref}}}
    schemas = {"AnywhereCache": {"type": "object", "properties": {"id": {"type": "string"}}}}
    service = _service(tmp_path, {"responses": {"200": ok}}, schemas)
    assert "from typing import Protocol\n" in service
    assert "-> models.AnywhereCache | Reply:" in service


def test_an_enum_default_stays_on_its_own_property(package: ModuleType) -> None:
    """gen-enum-default-leak: datamodel-code-generator merged two identical inline enums and
    gave the first one's default to the other property too (a PATCH would then send a value
    the client never set)."""
    models = _models(package)
    assert models.CreateSetting().mode == "enabled"
    update = models.UpdateSetting()
    assert "mode" not in update.model_dump(exclude_unset=True)
    assert update.model_dump(exclude_defaults=True) == {}
    with pytest.raises(ValidationError):
        models.UpdateSetting(mode=None)  # the schema does not admit null


def test_a_body_typed_by_a_discriminated_base_keeps_the_subclass_fields(
    package: ModuleType,
) -> None:
    """gen-base-body: the body was built as the base model alone, dropping `source`."""
    models = _models(package)
    adapter: TypeAdapter[Any] = TypeAdapter(_body_model(package, "post_props"))
    geo = adapter.validate_python({"createMode": "GeoRestore", "source": "s"})
    assert type(geo) is models.PropsForGeo and geo.source == "s"
    assert type(adapter.validate_python({"createMode": "Default"})) is models.PropsForCreate


def test_app_hands_a_subclass_body_to_the_handler_whole(package: ModuleType) -> None:
    models = _models(package)
    recorder = _Recorder()
    app = package.create_app(recorder, settings=Settings(access_log=False))
    response = _post(app, "/props", {"createMode": "GeoRestore", "source": "backup-1"})
    assert response.status_code == 204, response.text
    assert recorder.calls == [
        {"body": models.PropsForGeo(createMode="GeoRestore", source="backup-1")}
    ]


def test_a_field_named_like_its_class_keeps_the_property_name_as_alias(
    package: ModuleType,
) -> None:
    """gen-field-shadows-class: `Parallelism: Parallelism` named the field in its own
    annotation (mypy: not valid as a type)."""
    models = _models(package)
    scaling = models.Scaling.model_validate({"Parallelism": 2})
    assert scaling.Parallelism_1 == models.Parallelism(2)
    assert scaling.model_dump(by_alias=True) == {"Parallelism": 2}


def test_scalar_defaults_are_typed_values(package: ModuleType) -> None:
    """gen-scalar-default: `since: AwareDatetime = '2020-...'` failed mypy and handed the
    handler a str; a default its own schema refuses widens the type instead of failing."""
    models = _models(package)
    window = models.Window()
    assert window.since == datetime(2020, 1, 1, tzinfo=UTC)
    assert str(window.link) == "https://example.test/"
    assert window.id == UUID("6a2f41a3-c54c-4ce8-82d2-0324e1c32e22")
    assert window.broken == ""  # the spec's own (invalid) default, as written
    assert window.unset is None
