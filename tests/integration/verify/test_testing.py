"""`toolkit.testing`: ctk fuzz inside a project's own pytest suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.verify.buggy import app as buggy
from toolkit.errors import UsageError
from toolkit.testing import assert_fuzz_clean, fuzz, fuzz_operations

SPEC = Path(__file__).parent / "buggy" / "spec.yaml"
FAST = {"max_examples": 15, "seed": 1}


def test_operations_are_listed_for_parametrize() -> None:
    assert fuzz_operations(SPEC) == [
        "GET /things",
        "POST /things",
        "GET /things/{thingId}",
        "DELETE /things/{thingId}",
    ]


@pytest.mark.parametrize("operation", fuzz_operations(SPEC))
def test_each_operation_of_the_clean_app_passes(operation: str, tmp_path: Path) -> None:
    result = assert_fuzz_clean(
        SPEC, app=buggy.create_app(), operation=operation, out=tmp_path, **FAST
    )
    assert list(result.operations) == [operation]
    assert result.phase_status["stateful"] in ("success", "skipped"), result.notes
    assert result.operations[operation].cases > 0


def test_a_failing_operation_raises_with_the_report(tmp_path: Path) -> None:
    app = buggy.create_app("server-error")
    with pytest.raises(AssertionError) as caught:
        assert_fuzz_clean(SPEC, app=app, operation="POST /things", out=tmp_path, **FAST)
    report = str(caught.value)
    assert "not_a_server_error" in report and "POST /things" in report
    assert "FAILED: " in report


def test_a_module_attr_string_is_imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).parents[3])
    result = fuzz(
        SPEC,
        app="tests.integration.verify.buggy.app:clean",
        operation="GET /things",
        out=tmp_path,
        **FAST,
    )
    assert not result.failed() and result.target == "--app tests.integration.verify.buggy.app:clean"


def test_unknown_options_are_refused() -> None:
    with pytest.raises(UsageError, match="max_exampels"):
        fuzz(SPEC, app=buggy.create_app(), max_exampels=3)
