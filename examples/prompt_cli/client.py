"""`PromptClient`: the operations `prompt-cli` uses, over the generated client.

The HTTP work (typed models, timeouts, retries with full jitter within a budget, one
idempotency key reused across a create's retries, typed error answers) is
`generated/prompt_library/client.py`, made by `ctk generate --client` from the same spec the
service implements; this module adds what the CLI wants on top: the headers it shows (ETag,
Location, Idempotent-Replayed) next to the typed body, and one error family
(`PromptClientError`, `errors.py`) so callers never handle httpx, pydantic or
`toolkit.client` exceptions. Credentials travel as `X-API-Key`, the scheme of the service's
development key. Results are read tolerantly: members a newer service adds are ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from pydantic import ValidationError

from generated.prompt_library import models
from generated.prompt_library.client import PromptLibraryAPIClient
from toolkit.client import ApiError, Captured, Timeouts, TransportError
from toolkit.client import UnexpectedResponseError as ContractBroken

from .errors import InvalidRequestError, UnexpectedResponseError, UnreachableError, problem_from
from .models import CreatedPrompt, PromptPage, Variable, VersionedPrompt

__all__ = ["PromptClient"]

_T = TypeVar("_T")


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
        self._base_url = base_url
        self._api = PromptLibraryAPIClient(
            base_url,
            api_key=api_key,
            timeouts=Timeouts(connect=timeout, read=timeout, write=timeout, pool=timeout),
            transport=transport,
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
        self._api.close()

    # -- operations -----------------------------------------------------------------------

    def list_prompts(self, *, limit: int | None = None, cursor: str | None = None) -> PromptPage:
        """One page, newest first; pass the page's `next_cursor` to get the next one."""
        return self._do(lambda: self._api.list_prompts(limit=limit, cursor=cursor))

    def get_prompt(self, prompt_id: str) -> VersionedPrompt:
        with self._seen() as seen:
            prompt = self._do(lambda: self._api.get_prompt(prompt_id=prompt_id))
        return VersionedPrompt(prompt, _header(seen, "ETag"))

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
        request returns the first answer (`replayed=True`) instead of a second prompt;
        without one the client makes one key for this call and reuses it on its retries."""
        fields: dict[str, Any] = {"name": name, "template": template}
        optional = {"description": description, "changelog": changelog}
        fields |= {key: value for key, value in optional.items() if value is not None}
        if variables:
            fields["variables"] = list(variables)
        if tags:
            fields["tags"] = list(tags)
        body = _body(models.PromptCreate, fields)
        with self._seen() as seen:
            prompt = self._do(
                lambda: self._api.create_prompt(body=body, idempotency_key=idempotency_key)
            )
        return CreatedPrompt(
            prompt=prompt,
            etag=_header(seen, "ETag"),
            location=_header(seen, "Location"),
            replayed=seen.headers.get("Idempotent-Replayed", "").lower() == "true",
        )

    def update_prompt(
        self, prompt_id: str, changes: Mapping[str, object], *, if_match: str
    ) -> VersionedPrompt:
        """Apply a JSON merge patch of `name`, `description`, `tags` (`None` clears) if the
        prompt still has the ETag `if_match`; `PreconditionFailedError` if it changed."""
        body = _body(models.PromptPatch, dict(changes))
        with self._seen() as seen:
            prompt = self._do(
                lambda: self._api.update_prompt(prompt_id=prompt_id, if_match=if_match, body=body)
            )
        return VersionedPrompt(prompt, _header(seen, "ETag"))

    def delete_prompt(self, prompt_id: str, *, if_match: str | None = None) -> None:
        self._do(lambda: self._api.delete_prompt(prompt_id=prompt_id, if_match=if_match))

    # -- errors ---------------------------------------------------------------------------

    @contextmanager
    def _seen(self) -> Iterator[Captured]:
        with self._api.capture() as seen:
            yield seen

    def _do(self, call: Callable[[], _T]) -> _T:
        """`call`, its failures as `PromptClientError`s."""
        try:
            return call()
        except TransportError as exc:
            raise UnreachableError(f"could not reach {self._base_url}: {exc}") from None
        except ApiError as exc:
            raise problem_from(exc) from None
        except ContractBroken as exc:
            raise UnexpectedResponseError(str(exc)) from None


def _body(model: type[_T], fields: dict[str, Any]) -> _T:
    """The request body, checked against the spec before it is sent."""
    try:
        return model(**fields)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": str(exc)}
        where = ".".join(str(step) for step in first["loc"]) or "body"
        raise InvalidRequestError(f"{where}: {first['msg']}") from None


def _header(seen: Captured, name: str) -> str:
    value: str | None = seen.headers.get(name)
    if value is None:
        raise UnexpectedResponseError(f"the response has no {name} header")
    return value
