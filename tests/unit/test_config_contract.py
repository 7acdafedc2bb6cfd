"""`[tool.ctk.contract]`: defaults for `ctk contract check` and `verify`, checked when read,
and merged under the command line (a provider given there brings its own settings)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from toolkit.cli.contract_verify import _with_defaults
from toolkit.config import ContractConfig, load_config
from toolkit.errors import ConfigError


def _config(tmp_path: Path, body: str) -> ContractConfig:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.ctk.contract]\n" + body, encoding="utf-8")
    return load_config(path).contract


def test_every_kind_of_value(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        'spec = "specs/api.yaml"\nsources = ["pacts", "https://pacts.example/p.json"]\n'
        'impl = "svc:Service"\nstates = "svc.states"\nverifier = "svc:keys"\n'
        'timeout = 3\nreports = ["junit"]\nout = "build/contract"\nfail-on = "warning"\n'
        'allow-hosts = ["pacts.example"]\n',
    )
    assert config.spec == tmp_path / "specs/api.yaml"
    assert config.out == tmp_path / "build/contract"
    assert config.sources == (str(tmp_path / "pacts"), "https://pacts.example/p.json")
    assert (config.impl, config.states, config.verifier) == (
        "svc:Service",
        "svc.states",
        "svc:keys",
    )
    assert (config.timeout, config.reports, config.fail_on) == (3.0, ("junit",), "warning")
    assert config.allow_hosts == ("pacts.example",)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('brokr-url = "x"\n', "unknown key(s) in [tool.ctk.contract]: brokr-url"),
        ('sources = "contracts"\n', "sources must be a list of strings"),
        ("timeout = 0\n", "timeout must be at least 0.1"),
        ("impl = 3\n", "impl must be a string"),
        ('reports = ["html"]\n', "reports.0 'html' is not a choice; use 'junit' or 'json'"),
        ('fail-on = "info"\n', "fail-on 'info' is not a choice"),
    ],
)
def test_bad_values_are_located_config_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        _config(tmp_path, body)
    assert info.value.location is not None
    assert info.value.location.file == str(tmp_path / "pyproject.toml")


CONFIGURED = ContractConfig(
    spec=Path("api.yaml"),
    impl="svc:Service",
    verifier="svc:keys",
    states="svc.states",
    sources=("contracts",),
    timeout=3.0,
)


def test_the_configuration_fills_what_the_command_line_leaves_out() -> None:
    merged = _with_defaults({"app": None, "impl": None, "url": None, "timeout": None}, CONFIGURED)
    assert merged["impl"] == "svc:Service" and merged["verifier"] == "svc:keys"
    assert merged["spec"] == Path("api.yaml") and merged["timeout"] == 3.0
    assert (merged["states"], merged["sources"]) == ("svc.states", ("contracts",))


def test_a_provider_on_the_command_line_drops_the_configured_ones_settings() -> None:
    merged = _with_defaults({"url": "http://127.0.0.1:9"}, CONFIGURED)
    assert "impl" not in merged and "verifier" not in merged and "spec" not in merged
    assert merged["states"] == "svc.states"  # states are the provider team's, whatever the target
    other_impl = _with_defaults({"impl": "other:Service"}, CONFIGURED)
    assert other_impl["impl"] == "other:Service"
    assert "verifier" not in other_impl  # the configured verifier belongs to svc:Service
    assert other_impl["spec"] == Path("api.yaml")
