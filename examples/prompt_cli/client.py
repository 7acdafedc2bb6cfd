"""`PromptClient`: the Prompt Library API over `httpx.Client`, one method per operation used.

Every method returns typed values (`models.py`) and raises only `PromptClientError`s
(`errors.py`), so callers never handle httpx or pydantic exceptions. Credentials travel as
`X-API-Key`, the scheme the service's development key uses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from .errors import UnexpectedResponseError, UnreachableError, problem_from
from .models import CreatedPrompt, Prompt, PromptPage, Variable, VersionedPrompt

__all__ = ["PromptClient"]

MERGE_PATCH_JSON = "application/merge-patch+json"  # what PATCH accepts (415 otherwise)

_Model = TypeVar("_Model", bound=BaseModel)


class PromptClient:
    """A client of one Prompt Library service; close it (or use `with`) when done."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {"Accept": "application/json, application/problem+json"}
        if api_key is not None:
            headers["X-API-Key"] = api_key
        self._http = httpx.Client(
            base_url=base_url, headers=headers, timeout=timeout, transport=transport
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # -- operations -----------------------------------------------------------------------

    def list_prompts(self, *, limit: int | None = None, cursor: str | None = None) -> PromptPage:
        """One page, newest first; pass the page's `next_cursor` to get the next one."""
        params = {
            name: str(value)
            for name, value in (("limit", limit), ("cursor", cursor))
            if value is not None
        }
        response = self._send("GET", "/prompts", expect=200, params=params)
        return _parse(PromptPage, response)

    def get_prompt(self, prompt_id: str) -> VersionedPrompt:
        response = self._send("GET", _prompt_path(prompt_id), expect=200)
        return VersionedPrompt(_parse(Prompt, response), _header(response, "ETag"))

    def create_prompt(
        self,
        name: str,
        template: str,
        *,
        description: str | None = None,
        variables: Sequence[Variable] = (),
        tags: Sequence[str] = (),
        changelog: str | None = None,
        idempotency_key: str | None = None,
    ) -> CreatedPrompt:
        """Create a prompt (its version 1). With an `idempotency_key` a retry of the same
        request returns the first answer (`replayed=True`) instead of a second prompt."""
        body: dict[str, Any] = {"name": name, "template": template}
        if description is not None:
            body["description"] = description
        if variables:
            body["variables"] = [_variable_json(variable) for variable in variables]
        if tags:
            body["tags"] = list(tags)
        if changelog is not None:
            body["changelog"] = changelog
        headers = {} if idempotency_key is None else {"Idempotency-Key": idempotency_key}
        response = self._send("POST", "/prompts", expect=201, json=body, headers=headers)
        return CreatedPrompt(
            prompt=_parse(Prompt, response),
            etag=_header(response, "ETag"),
            location=_header(response, "Location"),
            replayed=response.headers.get("Idempotent-Replayed", "").lower() == "true",
        )

    def update_prompt(
        self, prompt_id: str, changes: Mapping[str, object], *, if_match: str
    ) -> VersionedPrompt:
        """Apply a JSON merge patch of `name`, `description`, `tags` (`None` clears) if the
        prompt still has the ETag `if_match`; `PreconditionFailedError` if it changed."""
        response = self._send(
            "PATCH",
            _prompt_path(prompt_id),
            expect=200,
            content=json.dumps(dict(changes), ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": MERGE_PATCH_JSON, "If-Match": if_match},
        )
        return VersionedPrompt(_parse(Prompt, response), _header(response, "ETag"))

    def delete_prompt(self, prompt_id: str, *, if_match: str | None = None) -> None:
        headers = {} if if_match is None else {"If-Match": if_match}
        self._send("DELETE", _prompt_path(prompt_id), expect=204, headers=headers)

    # -- transport ------------------------------------------------------------------------

    def _send(self, method: str, url: str, *, expect: int, **options: Any) -> httpx.Response:
        try:
            response = self._http.request(method, url, **options)
        except httpx.TransportError as exc:
            raise UnreachableError(f"could not reach {self._http.base_url}: {exc}") from exc
        if response.status_code == expect:
            return response
        if response.is_success:
            raise UnexpectedResponseError(
                f"{method} {response.url}: expected status {expect}, got {response.status_code}"
            )
        raise problem_from(response)


def _prompt_path(prompt_id: str) -> str:
    return "/prompts/" + quote(prompt_id, safe="")


def _variable_json(variable: Variable) -> dict[str, Any]:
    """A declaration as the service expects it: optional members only when set."""
    declared: dict[str, Any] = {"name": variable.name, "required": variable.required}
    if variable.description is not None:
        declared["description"] = variable.description
    if variable.default is not None:
        declared["default"] = variable.default
    return declared


def _parse(model: type[_Model], response: httpx.Response) -> _Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        where = f"{response.request.method} {response.url}"
        raise UnexpectedResponseError(f"{where}: not a {model.__name__}: {exc}") from None


def _header(response: httpx.Response, name: str) -> str:
    value: str | None = response.headers.get(name)
    if value is None:
        where = f"{response.request.method} {response.url}"
        raise UnexpectedResponseError(f"{where}: the response has no {name} header")
    return value
