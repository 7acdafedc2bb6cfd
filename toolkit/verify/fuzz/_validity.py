"""An independent second opinion on a request: is it valid by the spec, as sent?

schemathesis decides "positive" or "negative" when it generates a case; shrinking and
serialization can change that afterwards (schemathesis#4332, #2726, #2900). openapi-core
validates the exact request that went over the wire against the spec, so a disagreement
is evidence, not a message pattern. It is slow (milliseconds per request), so it only
looks at the few requests that failed a check.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Mapping
from typing import Any

from toolkit.verify.fuzz.results import Request

# media types openapi-core must read as JSON (it knows only application/json by default)
_JSON_SUFFIX = "+json"


class RequestValidity:
    def __init__(self, data: Mapping[str, Any], base_url: str) -> None:
        self._data = data
        self._base_url = base_url
        self._openapi: Any | None = None
        self._broken = False

    def _spec(self) -> Any | None:
        if not str(self._data.get("openapi", "")).startswith("3."):
            return None  # openapi-core reads OpenAPI 3.x only
        if self._openapi is None and not self._broken:
            try:
                from openapi_core import Config, OpenAPI

                spec = copy.deepcopy(dict(self._data))
                spec["servers"] = [{"url": self._base_url}]
                config = Config(extra_media_type_deserializers=self._json_media(spec))
                with warnings.catch_warnings():  # "Unsupported scheme type" and the like
                    warnings.simplefilter("ignore")
                    self._openapi = OpenAPI.from_dict(spec, config=config)
            except Exception:  # a spec openapi-core cannot read gives no second opinion
                self._broken = True
        return self._openapi

    @staticmethod
    def _json_media(spec: Mapping[str, Any]) -> dict[str, Any]:
        found = {m for m in _media_types(spec) if m.endswith(_JSON_SUFFIX)}
        return dict.fromkeys(found, json.loads)

    def errors(self, request: Request) -> list[str] | None:
        """The reasons the request is invalid ([] when valid), or None when openapi-core
        cannot tell (no such path, a spec it cannot read)."""
        openapi = self._spec()
        if openapi is None:
            return None
        import requests
        from openapi_core.contrib.requests import RequestsOpenAPIRequest
        from openapi_core.templating.paths.exceptions import PathError
        from openapi_core.validation.exceptions import ValidationError

        prepared = requests.Request(
            request.method, request.url, headers=dict(request.headers), data=request.body
        ).prepare()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                openapi.validate_request(RequestsOpenAPIRequest(prepared))
        except PathError:
            return None
        except ValidationError as exc:
            return [_describe(exc)]
        except Exception:  # openapi-core's own failure on odd input: no opinion
            return None
        return []


def _describe(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}"
    cause = error.__cause__ or error.__context__
    details = getattr(error, "schema_errors", None) or getattr(cause, "schema_errors", None)
    if details:
        text += " (" + "; ".join(str(getattr(e, "message", e)) for e in list(details)[:3]) + ")"
    elif cause is not None:
        text += f" ({cause})"
    return text[:500]


def _media_types(node: Any) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            content = item.get("content")
            if isinstance(content, dict):
                found.update(str(k).lower() for k in content)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
