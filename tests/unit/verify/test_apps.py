"""`--verifier` for `--impl`: an instance, a factory or a class; anything else is exit 2."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from toolkit.config import Config, CorsOptions
from toolkit.errors import UsageError
from toolkit.runtime import StaticKeys
from toolkit.verify.apps import impl_app, load_verifier

MODULE = """
from toolkit.runtime import Principal, StaticKeys

keys = StaticKeys({"k": Principal("someone", frozenset(), scheme="")})

def factory():
    return keys

class Keys(StaticKeys):
    def __init__(self):
        super().__init__({})

def broken():
    raise OSError("no key file")

not_a_verifier = object()
"""


@pytest.fixture(autouse=True)
def _module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ctk_verifiers.py").write_text(MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "ctk_verifiers", raising=False)


@pytest.mark.parametrize("attr", ["keys", "factory", "Keys"])
def test_an_instance_a_factory_or_a_class(attr: str) -> None:
    assert isinstance(load_verifier(f"ctk_verifiers:{attr}"), StaticKeys)


@pytest.mark.parametrize(
    ("attr", "message"),
    [
        ("broken", "calling 'ctk_verifiers:broken' raised OSError: no key file"),
        ("not_a_verifier", "is not a toolkit.runtime Verifier (got object"),
        ("nope", "has no attribute 'nope'"),
    ],
)
def test_anything_else_is_a_usage_error(attr: str, message: str) -> None:
    with pytest.raises(UsageError) as error:
        load_verifier(f"ctk_verifiers:{attr}")
    assert message in str(error.value)


IMPLS = """
raise_at_import = False

class Broken:
    def __init__(self):
        raise ValueError("no database url")
"""


@pytest.mark.parametrize(
    ("module", "target", "message"),
    [
        (IMPLS, "ctk_impls:Broken", "--impl: building 'ctk_impls:Broken' raised ValueError"),
        (
            "raise RuntimeError('boom')",
            "ctk_impls:Impl",
            "importing 'ctk_impls' raised RuntimeError",
        ),
    ],
)
def test_an_impl_that_raises_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module: str, target: str, message: str
) -> None:
    """Issue 11 item 10: exit 2 with the cause, never a traceback or 'findings'."""
    (tmp_path / "ctk_impls.py").write_text(module, encoding="utf-8")
    monkeypatch.delitem(sys.modules, "ctk_impls", raising=False)
    config = Config()
    with pytest.raises(UsageError) as error:
        impl_app(
            Path("specs/prompt-library.yaml"),
            target,
            "generated.prompt_library",
            config,
            validate_responses=False,
        )
    assert message in str(error.value)


def test_an_impl_app_takes_the_cors_origins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ctk serve --impl ... --cors-origin O`: the app it builds answers O's preflights."""
    import asyncio

    import httpx

    import examples.prompt_library as prompt_library

    monkeypatch.setenv("PROMPT_LIBRARY_DB", str(tmp_path / "db.sqlite3"))
    app = impl_app(
        Path("specs/prompt-library.yaml"),
        "examples.prompt_library:service",
        "generated.prompt_library",
        Config(),
        validate_responses=False,
        cors=CorsOptions(origins=("https://app.example",)),
    )

    async def preflight() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.options(
                "/prompts",
                headers={
                    "Origin": "https://app.example",
                    "Access-Control-Request-Method": "POST",
                    "Access-Control-Request-Headers": "x-api-key, content-type",
                },
            )

    try:
        response = asyncio.run(preflight())
    finally:
        vars(prompt_library).pop("service", None)
    assert response.status_code == 204, response.text
    assert response.headers["access-control-allow-origin"] == "https://app.example"
    assert response.headers["access-control-allow-headers"] == "x-api-key, content-type"
