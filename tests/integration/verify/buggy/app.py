"""A raw ASGI implementation of `spec.yaml` (the Things API), with planted bugs.

`create_app()` is the correct server: schemathesis finds nothing wrong with it in any phase,
with positive and negative data. `create_app(bug)` plants one bug from `BUGS`; each breaks
exactly one promise of the contract, so a fuzzer reports exactly one kind of failure (the
schemathesis check named in `CAUGHT_BY`):

- `server-error`: a thing of size 0 (the default) divides by zero, so creating one answers 500.
- `schema`: reading a thing answers its `size` as a string.
- `undocumented-status`: creating a thing answers 200 instead of the documented 201.
- `missing-header`: creating a thing leaves out the required `X-Request-Id` response header.
- `accepts-invalid`: a new thing without a `name` is created (named "Unnamed") instead of refused.
- `stateful`: deleting a thing answers 204 but keeps it, so reading it afterwards answers 200.
- `content-type`: the list is answered as `text/plain` instead of `application/json`.

Module attributes name every variant for `--app module:attribute`: `clean`, and one per bug
with underscores (`bug_server_error`, `bug_schema`, ...).

An exception in a handler is answered with a documented 500 problem, as Starlette's
`ServerErrorMiddleware` would, so a crash reads the same in-process and behind uvicorn and
fails only `not_a_server_error`. (Left to propagate, schemathesis' in-process transport reports
it as an error rather than a failed check, and uvicorn's own 500 is `text/plain`.)
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BUGS = (
    "server-error",
    "schema",
    "undocumented-status",
    "missing-header",
    "accepts-invalid",
    "stateful",
    "content-type",
)
# The one schemathesis (4.32) check each bug fails; no other check fails on it.
CAUGHT_BY = {
    "server-error": "not_a_server_error",
    "schema": "response_schema_conformance",
    "undocumented-status": "status_code_conformance",
    "missing-header": "response_headers_conformance",
    "accepts-invalid": "negative_data_rejection",
    "stateful": "use_after_free",
    "content-type": "content_type_conformance",
}

JSON = "application/json"
PROBLEM = "application/problem+json"
# `^...$` of the spec, without Python's `$` matching before a trailing newline.
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.-]*")
UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
INTEGER = re.compile(r"-?[0-9]+")
NEW_THING_FIELDS = frozenset({"name", "size"})
DEFAULT_LIMIT = 20
TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
}

logger = logging.getLogger(__name__)


class Reply:
    """A complete response: status, headers and body."""

    __slots__ = ("body", "headers", "status")

    def __init__(
        self, status: int, body: bytes = b"", headers: list[tuple[str, str]] | None = None
    ) -> None:
        self.status = status
        self.body = body
        self.headers = headers or []


class RequestError(Exception):
    """The request cannot be served as sent; answered as a problem document."""

    def __init__(
        self, status: int, detail: str, headers: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or []


def json_reply(
    status: int,
    data: object,
    *,
    content_type: str = JSON,
    headers: list[tuple[str, str]] | None = None,
) -> Reply:
    body = json.dumps(data).encode()
    return Reply(status, body, [("content-type", content_type), *(headers or [])])


def problem(status: int, detail: str, headers: list[tuple[str, str]] | None = None) -> Reply:
    document = {"type": "about:blank", "title": TITLES[status], "status": status, "detail": detail}
    return json_reply(status, document, content_type=PROBLEM, headers=headers)


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def parse_json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise RequestError(400, f"the body is not JSON: {exc}") from None


def media_type(headers: list[tuple[bytes, bytes]]) -> str | None:
    for key, value in headers:
        if key.lower() == b"content-type":
            return value.decode("latin-1").split(";", 1)[0].strip().lower()
    return None


def parse_limit(query_string: bytes) -> int:
    query = parse_qs(query_string.decode("latin-1"), keep_blank_values=True)
    values = query.get("limit")
    if values is None:
        return DEFAULT_LIMIT
    if len(values) != 1 or INTEGER.fullmatch(values[0]) is None:
        raise RequestError(422, "limit: must be one integer")
    limit = int(values[0])
    if not 1 <= limit <= 100:
        raise RequestError(422, "limit: must be between 1 and 100")
    return limit


def as_integer(value: object) -> int | None:
    """The JSON Schema integer `value` is, if it is one (`2.0` is, `true` is not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def validate_new_thing(data: object, *, require_name: bool = True) -> tuple[str, int]:
    """`(name, size)` of a `NewThing`, or `RequestError(422)` naming the first violation."""
    if not isinstance(data, dict):
        raise RequestError(422, "body: must be an object")
    extra = sorted(set(data) - NEW_THING_FIELDS)
    if extra:
        raise RequestError(422, f"body: unknown properties {extra}")
    if "name" in data or require_name:
        if "name" not in data:
            raise RequestError(422, "name: is required")
        name = data["name"]
        if not isinstance(name, str):
            raise RequestError(422, "name: must be a string")
        if not 1 <= len(name) <= 50:
            raise RequestError(422, "name: must be 1 to 50 characters long")
        if NAME.fullmatch(name) is None:
            raise RequestError(422, "name: must match ^[A-Za-z0-9][A-Za-z0-9 _.-]*$")
    else:
        name = "Unnamed"
    size = 0
    if "size" in data:
        integer = as_integer(data["size"])
        if integer is None:
            raise RequestError(422, "size: must be an integer")
        if not 0 <= integer <= 1000:
            raise RequestError(422, "size: must be between 0 and 1000")
        size = integer
    return name, size


class ThingsApp:
    """The Things API over an in-memory store; `bug` plants one of `BUGS`."""

    def __init__(self, bug: str | None = None, *, propagate: bool = False) -> None:
        if bug is not None and bug not in BUGS:
            raise ValueError(f"unknown bug {bug!r}; expected one of {', '.join(BUGS)}")
        self.bug = bug
        self.propagate = propagate  # let a handler's exception reach the server
        self.things: dict[str, dict[str, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        if scope["type"] != "http":
            raise RuntimeError(f"unsupported ASGI scope type {scope['type']!r}")
        body = await read_body(receive)
        try:
            reply = self.handle(scope, body)
        except RequestError as exc:
            reply = problem(exc.status, exc.detail, exc.headers)
        except Exception:
            if self.propagate:
                raise
            # What a server's error middleware does; the traceback is the bug's report.
            logger.exception("unhandled error in %s %s", scope["method"], scope["path"])
            reply = problem(500, "the server failed")
        await send(
            {
                "type": "http.response.start",
                "status": reply.status,
                "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in reply.headers],
            }
        )
        await send({"type": "http.response.body", "body": reply.body})

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    def handle(self, scope: Scope, body: bytes) -> Reply:
        path: str = scope["path"]
        method: str = scope["method"]
        if path == "/things":
            if method == "GET":
                return self.list_things(scope["query_string"])
            if method == "POST":
                return self.create_thing(scope["headers"], body)
            raise RequestError(405, f"{method} is not allowed here", [("allow", "GET, POST")])
        prefix = "/things/"
        if path.startswith(prefix) and "/" not in path[len(prefix) :]:
            thing_id = path[len(prefix) :]
            if method == "GET":
                return self.get_thing(thing_id)
            if method == "DELETE":
                return self.delete_thing(thing_id)
            raise RequestError(405, f"{method} is not allowed here", [("allow", "GET, DELETE")])
        raise RequestError(404, "no such resource")

    def list_things(self, query_string: bytes) -> Reply:
        limit = parse_limit(query_string)
        items = list(self.things.values())[:limit]
        content_type = "text/plain; charset=utf-8" if self.bug == "content-type" else JSON
        return json_reply(200, {"items": items}, content_type=content_type)

    def create_thing(self, headers: list[tuple[bytes, bytes]], body: bytes) -> Reply:
        if media_type(headers) != JSON:
            raise RequestError(415, "the body must be application/json")
        data = parse_json(body)
        name, size = validate_new_thing(data, require_name=self.bug != "accepts-invalid")
        if self.bug == "server-error":
            # The planted crash: ZeroDivisionError for a thing of size 0.
            _ = 1000 // size
        thing_id = str(uuid.uuid4())
        thing: dict[str, Any] = {"id": thing_id, "name": name, "size": size}
        self.things[thing_id] = thing
        response_headers = [("location", f"/things/{thing_id}")]
        if self.bug != "missing-header":
            response_headers.append(("x-request-id", str(uuid.uuid4())))
        status = 200 if self.bug == "undocumented-status" else 201
        return json_reply(status, thing, headers=response_headers)

    def get_thing(self, thing_id: str) -> Reply:
        thing = self.things.get(check_thing_id(thing_id))
        if thing is None:
            raise RequestError(404, "no such thing")
        if self.bug == "schema":
            thing = {**thing, "size": str(thing["size"])}
        return json_reply(200, thing)

    def delete_thing(self, thing_id: str) -> Reply:
        key = check_thing_id(thing_id)
        if key not in self.things:
            raise RequestError(404, "no such thing")
        if self.bug != "stateful":
            del self.things[key]
        return Reply(204)


def check_thing_id(thing_id: str) -> str:
    if UUID.fullmatch(thing_id) is None:
        raise RequestError(422, "thingId: must be a UUID")
    return thing_id.lower()


async def read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def create_app(bug: str | None = None) -> ASGIApp:
    """The Things API, correct or with one planted bug from `BUGS`."""
    return ThingsApp(bug)


clean = create_app()
bug_server_error = create_app("server-error")
bug_schema = create_app("schema")
bug_undocumented_status = create_app("undocumented-status")
bug_missing_header = create_app("missing-header")
bug_accepts_invalid = create_app("accepts-invalid")
bug_stateful = create_app("stateful")
bug_content_type = create_app("content-type")
# the server-error bug without error middleware: the exception escapes the app
bug_raises = ThingsApp("server-error", propagate=True)
