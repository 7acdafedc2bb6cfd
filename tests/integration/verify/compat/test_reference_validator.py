"""openapi-core, the reference validator, agrees with the check on the requests the verifier
will send: the clean pact's requests pass openapi-core, and the request errors the check
reports, openapi-core reports too.

Responses are not comparable: a pact's response body is the subset the consumer reads, read
through its matchers, and openapi-core validates a whole body as written (it would refuse
`{"status": 401}` for lacking `type` and `title`, which the consumer simply does not read).
"""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml

from toolkit.load.pact import Interaction, load_pact
from toolkit.verify.compat import check_contracts

ROOT = Path(__file__).resolve().parents[4]
SPEC = ROOT / "specs" / "prompt-library.yaml"
BASE = Path(__file__).parent / "base_pact.json"
HOST = "http://127.0.0.1"


@pytest.fixture(scope="module")
def openapi() -> Any:
    from openapi_core import Config, OpenAPI

    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    data["servers"] = [{"url": HOST}]
    config = Config(extra_media_type_deserializers={"application/problem+json": json.loads})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return OpenAPI.from_dict(data, config=config)


def request_errors(openapi: Any, interaction: Interaction) -> list[str]:
    from openapi_core.testing import MockRequest

    request = interaction.request
    body = request.body
    data = json.dumps(body.value).encode() if body is not None else None
    mock = MockRequest(
        HOST,
        request.method.lower(),
        request.path,
        args={k: v[0] for k, v in request.query.items()},
        headers={k: ", ".join(v) for k, v in request.headers.items()},
        data=data,
    )
    return _errors(lambda: openapi.validate_request(mock))


def _errors(call: Any) -> list[str]:
    from openapi_core.validation.exceptions import ValidationError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
    except ValidationError as exc:
        return [f"{type(exc).__name__}: {exc}"]
    return []


def test_the_clean_pact_passes_openapi_core_too(openapi: Any) -> None:
    pact = load_pact(BASE)
    for interaction in pact.interactions:
        assert request_errors(openapi, interaction) == [], interaction.description


def test_literal_errors_are_errors_for_openapi_core_as_well(openapi: Any, tmp_path: Path) -> None:
    data = json.loads(BASE.read_text(encoding="utf-8"))
    broken = copy.deepcopy(data)
    del broken["interactions"][2]["request"]["body"]["template"]  # a required field
    broken["interactions"][1]["request"]["query"]["limit"] = ["many"]  # not an integer
    broken["interactions"][0]["request"]["path"] += "x"  # not a ULID
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    ours = {d.location.pointer.split("/")[2] for d in check_contracts(SPEC, [path]).diagnostics}
    pact = load_pact(path)
    reference = {str(i.index) for i in pact.interactions if request_errors(openapi, i)}
    assert ours == reference == {"0", "1", "2"}
