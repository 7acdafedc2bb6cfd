"""`ctk contract check` on the reference spec: a clean pact finds nothing, and each planted
incompatibility is reported once, at the right place in both files, with no false alarm
on the rest of the pact."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.errors import Diagnostic, Severity
from toolkit.verify.compat import check_contracts

ROOT = Path(__file__).resolve().parents[4]
SPEC = ROOT / "specs" / "prompt-library.yaml"
BASE = json.loads((Path(__file__).parent / "base_pact.json").read_text(encoding="utf-8"))
GET, LIST, CREATE, MISSING, ANONYMOUS = range(5)

Mutation = Callable[[dict[str, Any]], None]


def check(tmp_path: Path, mutate: Mutation | None = None) -> tuple[Diagnostic, ...]:
    data = copy.deepcopy(BASE)
    if mutate is not None:
        mutate(data)
    pact = tmp_path / "pact.json"
    pact.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return check_contracts(SPEC, [pact]).diagnostics


def interaction(data: dict[str, Any], index: int) -> dict[str, Any]:
    found: dict[str, Any] = data["interactions"][index]
    return found


def test_the_base_pact_is_clean(tmp_path: Path) -> None:
    assert check(tmp_path) == ()


def _add_field(data: dict[str, Any]) -> None:
    interaction(data, GET)["response"]["body"]["nickname"] = "greeter"


def _undocumented_status(data: dict[str, Any]) -> None:
    interaction(data, MISSING)["response"]["status"] = 418


def _wrong_type_under_type_matcher(data: dict[str, Any]) -> None:
    interaction(data, GET)["response"]["body"]["name"] = 42


def _unknown_path(data: dict[str, Any]) -> None:
    interaction(data, GET)["request"]["path"] = "/prompt/01JD8Y3K5V9Q2W7XH4M6N0PZRS"


def _missing_required_body_field(data: dict[str, Any]) -> None:
    del interaction(data, CREATE)["request"]["body"]["template"]


def _undeclared_query(data: dict[str, Any]) -> None:
    interaction(data, LIST)["request"]["query"]["sort"] = ["name"]


def _optional_field(data: dict[str, Any]) -> None:
    interaction(data, GET)["response"]["body"]["variables"][0]["required"] = True


def _unknown_method(data: dict[str, Any]) -> None:
    interaction(data, LIST)["request"]["method"] = "PUT"


def _problem_as_plain_json(data: dict[str, Any]) -> None:
    interaction(data, MISSING)["response"]["headers"]["Content-Type"] = "application/json"


def _undeclared_response_header(data: dict[str, Any]) -> None:
    interaction(data, GET)["response"]["headers"]["X-Cache"] = "hit"


def _invalid_parameter(data: dict[str, Any]) -> None:
    interaction(data, LIST)["request"]["query"]["limit"] = ["many"]


def _literal_outside_enum_or_pattern(data: dict[str, Any]) -> None:
    interaction(data, CREATE)["response"]["body"]["name"] = "Not A Slug!"  # no matcher


def _regex_the_schema_cannot_satisfy(data: dict[str, Any]) -> None:
    body = interaction(data, GET)["response"]
    body["body"]["id"] = "abc"
    body["matchingRules"]["body"]["$.id"] = {"matchers": [{"match": "regex", "regex": "^[a-z]+$"}]}


def _no_credentials(data: dict[str, Any]) -> None:
    del interaction(data, GET)["request"]["headers"]["X-API-Key"]


def _undeclared_request_header(data: dict[str, Any]) -> None:
    interaction(data, GET)["request"]["headers"]["X-Tenant"] = "acme"


CASES = [
    (
        _add_field,
        "contract-unknown-response-field",
        "error",
        "/interactions/0/response/body/nickname",
        "/components/schemas/Prompt",
    ),
    (
        _undocumented_status,
        "contract-undocumented-status",
        "error",
        "/interactions/3/response/status",
        "/paths/~1prompts~1{prompt_id}/get/responses",
    ),
    (
        _wrong_type_under_type_matcher,
        "contract-invalid-response-body",
        "error",
        "/interactions/0/response/body/name",
        "/components/schemas/Prompt/properties/name",
    ),
    (_unknown_path, "contract-unknown-path", "error", "/interactions/0/request/path", "/paths"),
    (
        _missing_required_body_field,
        "contract-invalid-request-body",
        "error",
        "/interactions/2/request/body",
        "/components/schemas/PromptCreate",
    ),
    (
        _undeclared_query,
        "contract-undeclared-query",
        "error",
        "/interactions/1/request/query",
        "/paths/~1prompts/get",
    ),
    (
        _optional_field,
        "contract-optional-field",
        "warning",
        "/interactions/0/response/body/variables/0/required",
        "/components/schemas/Variable/properties/required",
    ),
    (
        _unknown_method,
        "contract-unknown-method",
        "error",
        "/interactions/1/request/method",
        "/paths/~1prompts",
    ),
    (
        _problem_as_plain_json,
        "contract-response-content-type",
        "error",
        "/interactions/3/response/headers",
        "/components/responses/NotFound",
    ),
    (
        _undeclared_response_header,
        "contract-undeclared-response-header",
        "warning",
        "/interactions/0/response/headers",
        "/paths/~1prompts~1{prompt_id}/get/responses/200",
    ),
    (
        _invalid_parameter,
        "contract-invalid-parameter",
        "error",
        "/interactions/1/request/query",
        "/components/parameters/Limit",
    ),
    (
        _literal_outside_enum_or_pattern,
        "contract-invalid-response-body",
        "error",
        "/interactions/2/response/body/name",
        "/components/schemas/Prompt/properties/name",
    ),
    (
        _regex_the_schema_cannot_satisfy,
        "contract-regex",
        "warning",
        "/interactions/0/response/body/id",
        "/components/schemas/Prompt/properties/id",
    ),
    (
        _no_credentials,
        "contract-missing-credentials",
        "warning",
        "/interactions/0/request",
        "/paths/~1prompts~1{prompt_id}/get",
    ),
    (
        _undeclared_request_header,
        "contract-undeclared-header",
        "warning",
        "/interactions/0/request/headers",
        "/paths/~1prompts~1{prompt_id}/get",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "rule", "severity", "pact_pointer", "spec_pointer"),
    CASES,
    ids=[case[1] + ":" + case[0].__name__.strip("_") for case in CASES],
)
def test_each_incompatibility_is_found_once_and_located(
    tmp_path: Path, mutate: Mutation, rule: str, severity: str, pact_pointer: str, spec_pointer: str
) -> None:
    found = check(tmp_path, mutate)
    assert [(d.rule, d.severity.label, d.location.pointer) for d in found] == [
        (rule, severity, pact_pointer)
    ], [str(d.message) for d in found]
    diagnostic = found[0]
    assert diagnostic.location.line is not None  # a line in the pact file
    (related,) = diagnostic.related
    assert related.file.endswith("prompt-library.yaml")
    assert related.pointer == spec_pointer
    assert related.line is not None
    description = BASE["interactions"][int(pact_pointer.split("/")[2])]["description"]
    assert repr(description) in diagnostic.message


def test_a_type_matcher_needs_the_type_not_the_literal(tmp_path: Path) -> None:
    """`name` is type-matched: an example outside the schema's pattern is the consumer's
    sample, not a promise it relies on, so nothing is reported."""

    def mutate(data: dict[str, Any]) -> None:
        interaction(data, GET)["response"]["body"]["name"] = "Not A Slug!"

    assert check(tmp_path, mutate) == ()


def test_each_like_items_are_checked_once_per_shape(tmp_path: Path) -> None:
    def mutate(data: dict[str, Any]) -> None:
        items = interaction(data, LIST)["response"]["body"]["items"]
        items.extend([{**items[0], "colour": "red"}, {**items[0], "colour": "blue"}])
        items[0]["colour"] = "green"

    found = check(tmp_path, mutate)
    assert [(d.rule, d.location.pointer) for d in found] == [
        ("contract-unknown-response-field", "/interactions/1/response/body/items/0/colour")
    ]


def test_errors_fail_and_warnings_do_not_by_default(tmp_path: Path) -> None:
    pact = tmp_path / "pact.json"
    data = copy.deepcopy(BASE)
    _optional_field(data)
    pact.write_text(json.dumps(data), encoding="utf-8")
    outcome = check_contracts(SPEC, [pact])
    assert not outcome.failed(Severity.ERROR)
    assert outcome.failed(Severity.WARNING)


def test_assert_pacts_compatible_for_a_projects_own_suite(tmp_path: Path) -> None:
    from toolkit.testing import assert_pacts_compatible

    clean = tmp_path / "clean.json"
    clean.write_text(json.dumps(BASE), encoding="utf-8")
    assert assert_pacts_compatible(SPEC, clean).diagnostics == ()
    broken = copy.deepcopy(BASE)
    _add_field(broken)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(AssertionError, match="contract-unknown-response-field"):
        assert_pacts_compatible(SPEC, path)
    _optional_field(broken)
    del broken["interactions"][0]["response"]["body"]["nickname"]
    path.write_text(json.dumps(broken), encoding="utf-8")
    assert_pacts_compatible(SPEC, path)  # a warning passes by default
    with pytest.raises(AssertionError, match="contract-optional-field"):
        assert_pacts_compatible(SPEC, path, fail_on="warning")
