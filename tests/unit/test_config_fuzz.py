"""`[tool.ctk.fuzz]`: every option of `ctk fuzz`, checked when read."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config import FuzzOptions, load_config
from toolkit.errors import ConfigError


def _config(tmp_path: Path, body: str) -> FuzzOptions:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.ctk.fuzz]\n" + body, encoding="utf-8")
    return load_config(path).fuzz


def test_defaults_without_a_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    options = load_config(tmp_path / "pyproject.toml").fuzz
    assert options == FuzzOptions()
    assert options.phases == ("examples", "coverage", "fuzzing", "stateful")
    assert options.max_examples == 100 and options.infer_links and not options.strict


def test_every_kind_of_value(tmp_path: Path) -> None:
    options = _config(
        tmp_path,
        'spec = "specs/api.yaml"\napp = "svc.main:app"\nphases = ["fuzzing", "stateful"]\n'
        'mode = "negative"\nmax-examples = 7\nseed = 3\nmax-time = 30\n'
        'headers = ["X-Key: ${KEY}"]\ninclude-tag = ["things"]\nshard = "2/4"\n'
        'out = "build/fuzz"\nreports = ["junit", "html"]\nstrict = true\ninfer-links = false\n',
    )
    assert options.spec == tmp_path / "specs/api.yaml"
    assert options.out == tmp_path / "build/fuzz"
    assert options.app == "svc.main:app"
    assert options.phases == ("fuzzing", "stateful")
    assert (options.mode, options.max_examples, options.seed, options.max_time) == (
        "negative",
        7,
        3,
        30,
    )
    assert options.headers == ("X-Key: ${KEY}",)
    assert options.include_tag == ("things",)
    assert options.shard == "2/4" and options.reports == ("junit", "html")
    assert options.strict and not options.infer_links


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("max-exampels = 3\n", "unknown key"),
        ('phases = ["fuzz"]\n', "phases.0 'fuzz' is not a choice; use 'examples', 'coverage'"),
        ('mode = "both"\n', "mode 'both' is not a choice"),
        ('reports = ["pdf"]\n', "reports.0 'pdf' is not a choice"),
        ("max-examples = 0\n", "positive integer"),
        ('max-examples = "10"\n', "positive integer"),
        ("max-time = -1\n", "positive integer"),
        ("max-time = 2.5\n", "positive integer"),
        ("seed = -1\n", "seed must be at least 0"),
        ('strict = "yes"\n', "true or false"),
        ('phases = "fuzzing"\n', "list of strings"),
        ("app = 3\n", "must be a string"),
    ],
)
def test_bad_values_are_located_config_errors(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as caught:
        _config(tmp_path, body)
    assert caught.value.location is not None
    assert caught.value.location.file.endswith("pyproject.toml")
    assert caught.value.exit_code == 2
