"""The behaviour generated clients share: auth from the spec's schemes, timeouts, retries
(`retry.py`), idempotency keys, typed results and typed errors, cursor pagination.

`Client` (httpx.Client) and `AsyncClient` (httpx.AsyncClient) differ only in how they wait
and send; what to send, whether to retry and what an answer means is decided once here.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import random
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any, ClassVar, Self, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import ClientError, TransportError, error_class
from .operation import Operation, Request, build
from .retry import RETRY_STATUSES, RetryBudget, RetryPolicy

T = TypeVar("T")
# (scheme type, where, name): ("apiKey", "header", "X-API-Key"), ("http", "bearer", ""), ...
Scheme = tuple[str, str, str]


class UnexpectedResponseError(ClientError):
    """A success answer whose body the contract does not allow (a provider bug)."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    connect: float = 5.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0

    def httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


class Captured:
    """The last HTTP response a call made inside `client.capture()` (headers such as ETag,
    Location or RateLimit that the typed result does not carry)."""

    response: httpx.Response | None = None

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers if self.response is not None else httpx.Headers()

    @property
    def status(self) -> int | None:
        return self.response.status_code if self.response is not None else None


_CAPTURE: contextvars.ContextVar[Captured | None] = contextvars.ContextVar(
    "ctk_client_capture", default=None
)


class _Core:
    """Request building and answer reading, shared by both clients."""

    SECURITY: ClassVar[tuple[Scheme, ...]] = ()

    @staticmethod
    @contextlib.contextmanager
    def capture() -> Iterator[Captured]:
        """`with client.capture() as seen: client.get_prompt(...)`, then `seen.headers`;
        per thread and per task (a context variable), so concurrent calls do not mix."""
        seen = Captured()
        token = _CAPTURE.set(seen)
        try:
            yield seen
        finally:
            _CAPTURE.reset(token)

    def _setup(
        self,
        *,
        api_key: str | None,
        token: str | None,
        basic: tuple[str, str] | None,
        retry: RetryPolicy | None,
        seed: int | None,
        strict: bool = False,
    ) -> tuple[dict[str, str], list[tuple[str, str]], httpx.BasicAuth | None]:
        self.strict = strict
        self.retry = retry or RetryPolicy()
        self._budget = RetryBudget(self.retry)
        self._rng = random.Random(seed)  # noqa: S311 - jitter, not a secret
        headers: dict[str, str] = {"Accept": "application/json, application/problem+json, */*"}
        params: list[tuple[str, str]] = []
        cookies: list[str] = []
        schemes = self.SECURITY
        if api_key is not None:
            for kind, where, name in schemes:
                if kind != "apiKey":
                    continue
                if where == "header":
                    headers[name] = api_key
                elif where == "query":
                    params.append((name, api_key))
                else:
                    cookies.append(f"{name}={api_key}")
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        auth = httpx.BasicAuth(*basic) if basic is not None else None
        return headers, params, auth

    def _prepare(self, op: Operation[Any], arguments: Mapping[str, Any], body: Any) -> Request:
        request = build(op, arguments, body)
        if op.idempotency_header and op.idempotency_header not in request.headers:
            # one key per logical call, the same on every retry: the server sees one request
            request.headers[op.idempotency_header] = uuid.uuid4().hex
        if request.cookies:
            cookie = "; ".join(f"{k}={v}" for k, v in request.cookies.items())
            request.headers["Cookie"] = cookie
        return request

    def _wait(
        self, op: Operation[Any], retry: int, response: httpx.Response | None
    ) -> float | None:
        """Seconds before retry number `retry`, or None: answer (or raise) now."""
        if response is not None:
            if response.status_code not in RETRY_STATUSES or not op.retry_safe:
                return None
            status, after = response.status_code, response.headers.get("Retry-After")
        else:
            status, after = None, None
        delay = self.retry.delay(retry, status, after, self._rng)
        if delay is None or not self._budget.allow_retry():
            return None
        return delay

    def _answer(self, op: Operation[T], response: httpx.Response, attempts: int) -> T:
        seen = _CAPTURE.get()
        if seen is not None:
            seen.response = response
        status = response.status_code
        if 200 <= status < 300:
            try:
                if not response.content or status in (204, 205):
                    return op.result.validate_python(None)
                return _read(op.result, response.content, self.strict)
            except ValidationError as error:
                raise UnexpectedResponseError(
                    f"{op.id} answered {status} with a body its contract does not allow: "
                    f"{error.errors()[0]['msg'] if error.errors() else error}"
                ) from None
        adapter = op.error_body(status)
        body: Any = response.text
        documented = adapter is not None
        if response.content:
            try:
                body = _read(adapter, response.content, self.strict) if adapter else response.json()
            except (ValidationError, ValueError):
                try:
                    body = response.json()
                except ValueError:
                    body = response.text
        raise error_class(status)(
            op.id, status, body, response.headers, documented=documented, attempts=attempts
        )


def _read(adapter: TypeAdapter[T], content: bytes, strict: bool) -> T:
    """The body as `adapter`'s type. A tolerant reader by default: members the model does
    not know (the provider added some; `additionalProperties: false` closes the generated
    model) are dropped and the rest validated; `strict=True` refuses them (contract tests).
    Anything else that breaks the model raises the original ValidationError."""
    try:
        return adapter.validate_json(content)
    except ValidationError as error:
        extras = [e["loc"] for e in error.errors() if e["type"] == "extra_forbidden"]
        if strict or not extras or len(extras) != len(error.errors()):
            raise
        data = json.loads(content)
        for loc in extras:
            parent = data
            for step in loc[:-1]:
                try:
                    parent = parent[step]
                except (KeyError, IndexError, TypeError):
                    raise error from None  # a union's tag in the path: not a plain member
            if not isinstance(parent, dict):
                raise error from None
            parent.pop(loc[-1], None)
        return adapter.validate_python(data)


def _transport_error(op: Operation[Any], error: httpx.HTTPError, attempts: int) -> TransportError:
    timeout = isinstance(error, httpx.TimeoutException)
    kind = "timed out" if timeout else f"failed ({type(error).__name__}: {error})"
    return TransportError(
        f"{op.id}: the request {kind} after {attempts} attempt(s)",
        attempts=attempts,
        timeout=timeout,
    )


def _resendable(op: Operation[Any], error: httpx.HTTPError) -> bool:
    """Nothing reached the server (connect failed), or a repeat is harmless."""
    return isinstance(error, httpx.ConnectError | httpx.ConnectTimeout) or op.retry_safe


def _field(page: Any, name: str) -> Any:
    """A page model's member by its JSON name (the model may spell it otherwise)."""
    if isinstance(page, BaseModel):
        for attribute, info in type(page).model_fields.items():
            if name in (attribute, info.alias):
                return getattr(page, attribute)
        return None
    return page.get(name) if isinstance(page, dict) else None


class Client(_Core):
    """Synchronous; close it (or use `with`)."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        token: str | None = None,
        basic: tuple[str, str] | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        seed: int | None = None,
        strict_results: bool = False,
    ) -> None:
        default, params, auth = self._setup(
            api_key=api_key, token=token, basic=basic, retry=retry, seed=seed,
            strict=strict_results,
        )  # fmt: skip
        self._http = httpx.Client(
            base_url=base_url,
            headers={**default, **(headers or {})},
            params=httpx.QueryParams(tuple(params)),
            auth=auth,
            timeout=(timeouts or Timeouts()).httpx(),
            transport=transport,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, op: Operation[T], arguments: Mapping[str, Any], body: Any = None) -> T:
        request = self._prepare(op, arguments, body)
        self._budget.request()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._http.request(
                    request.method,
                    request.url,
                    params=httpx.QueryParams(tuple(request.params)) if request.params else None,
                    headers=request.headers,
                    content=request.content,
                )
            except httpx.HTTPError as error:
                delay = self._wait(op, attempt, None) if _resendable(op, error) else None
                if delay is None:
                    raise _transport_error(op, error, attempt) from None
                time.sleep(delay)
                continue
            delay = self._wait(op, attempt, response)
            if delay is None:
                return self._answer(op, response, attempt)
            time.sleep(delay)

    def _pages(
        self, op: Operation[Any], arguments: Mapping[str, Any], cursor: str, next_: str, items: str
    ) -> Iterator[Any]:
        arguments = dict(arguments)
        while True:
            page = self._call(op, arguments)
            yield from _field(page, items) or ()
            following = _field(page, next_)
            if not following or following == arguments.get(cursor):
                return
            arguments[cursor] = following


class AsyncClient(_Core):
    """Asynchronous; close it (`await client.aclose()`, or use `async with`)."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        token: str | None = None,
        basic: tuple[str, str] | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        seed: int | None = None,
        strict_results: bool = False,
    ) -> None:
        default, params, auth = self._setup(
            api_key=api_key, token=token, basic=basic, retry=retry, seed=seed,
            strict=strict_results,
        )  # fmt: skip
        self._http = httpx.AsyncClient(
            base_url=base_url,
            headers={**default, **(headers or {})},
            params=httpx.QueryParams(tuple(params)),
            auth=auth,
            timeout=(timeouts or Timeouts()).httpx(),
            transport=transport,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, op: Operation[T], arguments: Mapping[str, Any], body: Any = None) -> T:
        request = self._prepare(op, arguments, body)
        self._budget.request()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._http.request(
                    request.method,
                    request.url,
                    params=httpx.QueryParams(tuple(request.params)) if request.params else None,
                    headers=request.headers,
                    content=request.content,
                )
            except httpx.HTTPError as error:
                delay = self._wait(op, attempt, None) if _resendable(op, error) else None
                if delay is None:
                    raise _transport_error(op, error, attempt) from None
                await asyncio.sleep(delay)
                continue
            delay = self._wait(op, attempt, response)
            if delay is None:
                return self._answer(op, response, attempt)
            await asyncio.sleep(delay)

    async def _pages(
        self, op: Operation[Any], arguments: Mapping[str, Any], cursor: str, next_: str, items: str
    ) -> AsyncIterator[Any]:
        arguments = dict(arguments)
        while True:
            page = await self._call(op, arguments)
            for item in _field(page, items) or ():
                yield item
            following = _field(page, next_)
            if not following or following == arguments.get(cursor):
                return
            arguments[cursor] = following
