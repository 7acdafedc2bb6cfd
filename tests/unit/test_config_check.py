"""`[tool.ctk.check]`: the APIs, stages, base and report folder of `ctk check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config import CHECK_STAGES, CheckApi, CheckConfig, load_config
from toolkit.errors import ConfigError


def _config(tmp_path: Path, body: str) -> CheckConfig:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.ctk.check]\n" + body, encoding="utf-8")
    return load_config(path).check


def test_defaults(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    check = load_config(tmp_path / "pyproject.toml").check
    assert check == CheckConfig()
    assert check.stages == CHECK_STAGES and check.out == Path(".ctk/report")


def test_apis_and_paths_relative_to_pyproject(tmp_path: Path) -> None:
    check = _config(
        tmp_path,
        'base = "origin/release"\nstages = ["drift", "lint"]\nout = "build/report"\n'
        "fast-examples = 3\n"
        '[[tool.ctk.check.apis]]\nname = "orders"\nspec = "specs/orders.yaml"\n'
        'app = "orders.main:app"\nheaders = ["X-Key: ${KEY}"]\n'
        'pacts = ["contracts/orders", "https://broker.example/pacts/x"]\n',
    )
    assert (check.base, check.stages, check.fast_examples) == (
        "origin/release",
        ("drift", "lint"),
        3,
    )
    assert check.out == tmp_path / "build/report"
    assert check.apis == (
        CheckApi(
            name="orders",
            spec=tmp_path / "specs/orders.yaml",
            app="orders.main:app",
            headers=("X-Key: ${KEY}",),
            pacts=(str(tmp_path / "contracts/orders"), "https://broker.example/pacts/x"),
        ),
    )


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('stages = ["lint", "smoke"]\n', "check"),
        ("fast-examples = 0\n", "check"),
        ('colour = "red"\n', "check"),
        ('[[tool.ctk.check.apis]]\nspec = "a.yaml"\n', "apis"),
        ('[[tool.ctk.check.apis]]\nname = "a"\nspec = "a.yaml"\nport = 1\n', "apis"),
    ],
)
def test_bad_values_are_located_config_errors(tmp_path: Path, body: str, where: str) -> None:
    with pytest.raises(ConfigError) as raised:
        _config(tmp_path, body)
    assert raised.value.location is not None
    assert "/tool/ctk/check" in raised.value.location.pointer
    assert where in raised.value.location.pointer
