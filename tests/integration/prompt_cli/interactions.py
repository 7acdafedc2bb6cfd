"""The interactions `prompt-cli` has with `prompt-library`, each declared on its own pact and
exercised with the real `PromptClient` against pact's mock server.

A `Case` declares one interaction and returns the check that drives the client through it.
`record(case, directory)` serves the pact, runs the check (the mock server fails the test
if the client's request differs from the declared one) and merges the interaction into the
pact file in `directory`. The parametrized consumer tests record one case each; the
contract-file test records them all, so the file it compares never depends on which other
tests ran.

Matchers, deliberately:
* values the consumer chose (request bodies, the provider-state parameters) come back
  verbatim: `name`, the patched `description` and `tags`, the state prompt's `id`;
* values the provider makes up are matched by shape: ids and `Location` by regex, ETags by
  the spec's pattern, timestamps by the format (see TIMESTAMP_PATTERN), the rest by type;
* the client is the generated one (`ctk generate --client`), which reads whole models: a
  representation holds every member the spec requires of it (read-only ones too: the
  provider makes them up), optional members only where the client reads them; problem
  documents only `type` and `title` (an error body the model refuses is still read).

Provider states (the provider's handlers are written against these names and parameters;
every interaction starts from an empty database):
* `prompts exist` {count: 3}: three prompts; returns {"cursor": next_cursor of
  GET /prompts?limit=2}, injected into the request where `${cursor}` stands;
* `a prompt with id <id> exists` {id, name}: the prompt `PROMPT` at revision 1;
* `no prompt with id <id> exists` {id};
* `a prompt was created with Idempotency-Key <key>` {key, body}: the create `body` with that
  key was already made, as the dev-key principal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pact import Pact, generate, match
from pact.interaction import HttpInteraction

from examples.prompt_cli import (
    CreatedPrompt,
    NotFoundError,
    PreconditionFailedError,
    PromptClient,
    UnauthorizedError,
    Variable,
)

CONSUMER = "prompt-cli"
PROVIDER = "prompt-library"
PACT_FILE = f"{CONSUMER}-{PROVIDER}.json"
DEV_KEY = "dev-key"

ULID = r"^[0-9A-HJKMNP-TV-Z]{26}$"
ETAG = r'^(W/)?"[\x21\x23-\x7E]*"$'  # the spec's ETag header pattern
LOCATION = r"^(https?://[^/]+)?/prompts/[0-9A-HJKMNP-TV-Z]{26}$"  # relative or absolute
CURSOR = r"^[A-Za-z0-9_-]+$"  # the spec's cursor parameter pattern
# RFC 3339 in UTC as the service writes it: the fraction is left out when it is zero, so a
# time the service stamps is matched by this regex (pact's datetime patterns have no
# optional parts); a time the provider states wrote always has one (states.py) and is
# matched as a datetime of this format.
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
TIMESTAMP = "2024-11-21T08:00:00.123456Z"

PROMPT_ID = "01JD8Y3K5V9Q2W7XH4M6N0PZRS"  # the prompt of `a prompt with id ... exists`
MISSING_ID = "01JDBX4N2P6Q8R0S2T4V6W8X9Y"
CREATED_ID = "01JD9A7C2M4T6R8W0Y3B5D7F9H"  # an example of an id the provider makes up
CURSOR_EXAMPLE = "eyJpZCI6IjAxSkQ4WTNLNVY5UTJXN1hINE02TjBQWlJTIn0"
IDEMPOTENCY_KEY = "7f1c9a52-3b0e-4d8e-9a61-2c5f8e0b4d13"

NAME = "greeting"
TEMPLATE = "Say hello to {{who}}."
# The exact body `create_prompt(NAME, TEMPLATE, variables=[Variable(name="who",
# required=True)])` sends (the generated models send what was set, defaults left out).
CREATE_BODY: dict[str, Any] = {
    "name": NAME,
    "template": TEMPLATE,
    "variables": [{"name": "who", "required": True}],
}
PATCH = {"description": "Greets someone by name.", "tags": ["smalltalk"]}

Check = Callable[[str], None]  # drives a client at the mock server's base URL


@dataclass(frozen=True, slots=True)
class Case:
    description: str
    declare: Callable[[HttpInteraction], Check]


CASES: list[Case] = []


def interaction(description: str) -> Callable[[Callable[[HttpInteraction], Check]], Case]:
    def register(declare: Callable[[HttpInteraction], Check]) -> Case:
        case = Case(description, declare)
        CASES.append(case)
        return case

    return register


def record(case: Case, directory: Path) -> None:
    """Declare `case` on a new pact, run its check against the mock server, and merge the
    interaction into the pact file in `directory`."""
    pact = Pact(CONSUMER, PROVIDER).with_specification("V4")
    check = case.declare(pact.upon_receiving(case.description))
    with pact.serve() as server:
        check(str(server.url))
    pact.write_file(directory, overwrite=False)


def client(base_url: str, *, api_key: str | None = DEV_KEY) -> PromptClient:
    return PromptClient(base_url, api_key=api_key, timeout=5.0)


# -- expected representations ---------------------------------------------------------------


def timestamp() -> match.AbstractMatcher[str]:
    """A time the service stamps (now)."""
    return match.regex(TIMESTAMP, regex=TIMESTAMP_PATTERN)


def state_timestamp() -> match.AbstractMatcher[str]:
    """A time a provider state wrote."""
    return match.datetime(TIMESTAMP, format=TIMESTAMP_FORMAT)


def listed_prompt() -> dict[str, object]:
    """A prompt of a page: whatever the provider stored, so everything by shape."""
    return {
        "id": match.regex(PROMPT_ID, regex=ULID),
        "name": match.like(NAME),
        "description": None,  # the states store none
        "template": match.like(TEMPLATE),
        "variables": match.each_like({"name": match.like("who")}),
        "tags": [],
        "latest_version": match.int(1),
        "created_at": state_timestamp(),
        "updated_at": state_timestamp(),
    }


def state_prompt(**changes: object) -> dict[str, object]:
    """The prompt of `a prompt with id PROMPT_ID exists`, with `changes` applied."""
    return {
        "id": PROMPT_ID,
        "name": NAME,
        "description": None,
        "template": match.like(TEMPLATE),
        # `required` is optional in the spec (default true) and the client defaults it.
        "variables": match.each_like({"name": match.like("who")}),
        "tags": [],
        "latest_version": match.int(1),
        "created_at": state_timestamp(),
        "updated_at": state_timestamp(),
        **changes,
    }


def created_prompt() -> dict[str, object]:
    """The prompt `CREATE_BODY` makes: what the request said comes back verbatim."""
    return {
        "id": match.regex(CREATED_ID, regex=ULID),
        "name": NAME,
        "template": TEMPLATE,
        "description": None,  # not sent: none
        "variables": [{"name": "who"}],  # `required` may be left out: it defaults to true
        "tags": [],
        "latest_version": 1,
        "created_at": timestamp(),
        "updated_at": timestamp(),
    }


def problem(type_: str, title: str) -> dict[str, object]:
    return {"type": match.like(type_), "title": match.like(title)}


def etag(example: str) -> match.AbstractMatcher[str]:
    return match.regex(example, regex=ETAG)


def exists(prompt_id: str) -> tuple[str, dict[str, object]]:
    return f"a prompt with id {prompt_id} exists", {"id": prompt_id, "name": NAME}


# -- listing --------------------------------------------------------------------------------


@interaction("list the first page of prompts")
def first_page(request: HttpInteraction) -> Check:
    (
        request.given("prompts exist", {"count": 3})
        .with_request("GET", "/prompts")
        .with_query_parameter("limit", "2")
        .with_header("X-API-Key", DEV_KEY)
        .will_respond_with(200)
        .with_body(
            {
                "items": match.each_like(listed_prompt()),
                "next_cursor": match.regex(CURSOR_EXAMPLE, regex=CURSOR),
            },
            content_type="application/json",
        )
    )

    def check(base_url: str) -> None:
        with client(base_url) as prompts:
            page = prompts.list_prompts(limit=2)
        assert [item.id for item in page.items] == [PROMPT_ID]
        assert page.items[0].created_at.microsecond == 123456
        assert page.next_cursor == CURSOR_EXAMPLE

    return check


@interaction("list the next page of prompts with a cursor")
def next_page(request: HttpInteraction) -> Check:
    # The cursor is the provider's own: its state handler returns {"cursor": ...} and pact
    # puts it where the expression `${cursor}` stands; the mock accepts any string.
    cursor = match.type(CURSOR_EXAMPLE, generator=generate.provider_state("${cursor}"))
    (
        request.given("prompts exist", {"count": 3})
        .with_request("GET", "/prompts")
        .with_query_parameter("limit", "2")
        .with_query_parameter("cursor", cursor)
        .with_header("X-API-Key", DEV_KEY)
        .will_respond_with(200)
        .with_body(
            {"items": match.each_like(listed_prompt()), "next_cursor": None},
            content_type="application/json",
        )
    )

    def check(base_url: str) -> None:
        with client(base_url) as prompts:
            page = prompts.list_prompts(limit=2, cursor=CURSOR_EXAMPLE)
        assert len(page.items) == 1
        assert page.next_cursor is None  # the last page: a pager stops here

    return check


@interaction("list prompts without credentials")
def no_credentials(request: HttpInteraction) -> Check:
    (
        request.with_request("GET", "/prompts")
        .will_respond_with(401)
        .with_body(problem("about:blank", "Unauthorized"), content_type="application/problem+json")
    )

    def check(base_url: str) -> None:
        with client(base_url, api_key=None) as prompts, pytest.raises(UnauthorizedError) as caught:
            prompts.list_prompts()
        assert (caught.value.status, caught.value.title) == (401, "Unauthorized")

    return check


# -- one prompt -----------------------------------------------------------------------------


@interaction("get a prompt")
def get_prompt(request: HttpInteraction) -> Check:
    (
        request.given(*exists(PROMPT_ID))
        .with_request("GET", f"/prompts/{PROMPT_ID}")
        .with_header("X-API-Key", DEV_KEY)
        .will_respond_with(200)
        .with_header("ETag", etag(f'"{PROMPT_ID}-1"'))
        .with_body(state_prompt(), content_type="application/json")
    )

    def check(base_url: str) -> None:
        with client(base_url) as prompts:
            fetched = prompts.get_prompt(PROMPT_ID)
        assert fetched.etag == f'"{PROMPT_ID}-1"'
        assert (fetched.prompt.id, fetched.prompt.name) == (PROMPT_ID, NAME)
        assert fetched.prompt.variables == [Variable(name="who")]
        assert (fetched.prompt.description, fetched.prompt.tags) == (None, [])

    return check


@interaction("get a missing prompt")
def get_missing(request: HttpInteraction) -> Check:
    (
        request.given(f"no prompt with id {MISSING_ID} exists", {"id": MISSING_ID})
        .with_request("GET", f"/prompts/{MISSING_ID}")
        .with_header("X-API-Key", DEV_KEY)
        .will_respond_with(404)
        .with_body(
            problem("https://prompts.example.com/problems/not-found", "Not found"),
            content_type="application/problem+json",
        )
    )

    def check(base_url: str) -> None:
        with client(base_url) as prompts, pytest.raises(NotFoundError) as caught:
            prompts.get_prompt(MISSING_ID)
        assert caught.value.status == 404
        assert caught.value.type.endswith("/not-found")

    return check


@interaction("update a prompt with its current ETag")
def update_current(request: HttpInteraction) -> Check:
    (
        request.given(*exists(PROMPT_ID))
        .with_request("PATCH", f"/prompts/{PROMPT_ID}")
        .with_header("X-API-Key", DEV_KEY)
        .with_header("If-Match", f'"{PROMPT_ID}-1"')
        .with_body(PATCH, content_type="application/merge-patch+json")
        .will_respond_with(200)
        .with_header("ETag", etag(f'"{PROMPT_ID}-2"'))
        .with_body(state_prompt(**PATCH, updated_at=timestamp()), content_type="application/json")
    )

    def check(base_url: str) -> None:
        with client(base_url) as prompts:
            updated = prompts.update_prompt(PROMPT_ID, PATCH, if_match=f'"{PROMPT_ID}-1"')
        assert updated.etag == f'"{PROMPT_ID}-2"'
        assert updated.prompt.description == PATCH["description"]
        assert [tag.root for tag in updated.prompt.tags] == ["smalltalk"]

    return check


@interaction("update a prompt with a stale ETag")
def update_stale(request: HttpInteraction) -> Check:
    (
        request.given(*exists(PROMPT_ID))
        .with_request("PATCH", f"/prompts/{PROMPT_ID}")
        .with_header("X-API-Key", DEV_KEY)
        .with_header("If-Match", f'"{PROMPT_ID}-0"')
        .with_body(PATCH, content_type="application/merge-patch+json")
        .will_respond_with(412)
        .with_body(
            problem(
                "https://prompts.example.com/problems/precondition-failed", "Precondition failed"
            ),
            content_type="application/problem+json",
        )
    )

    def check(base_url: str) -> None:
        with client(base_url) as prompts, pytest.raises(PreconditionFailedError) as caught:
            prompts.update_prompt(PROMPT_ID, PATCH, if_match=f'"{PROMPT_ID}-0"')
        assert (caught.value.status, caught.value.title) == (412, "Precondition failed")

    return check


@interaction("delete a prompt")
def delete_prompt(request: HttpInteraction) -> Check:
    (
        request.given(*exists(PROMPT_ID))
        .with_request("DELETE", f"/prompts/{PROMPT_ID}")
        .with_header("X-API-Key", DEV_KEY)
        .will_respond_with(204)
    )

    def check(base_url: str) -> None:
        with client(base_url) as prompts:
            prompts.delete_prompt(PROMPT_ID)  # a 204: nothing to read back

    return check


# -- creating -------------------------------------------------------------------------------


def create_request(request: HttpInteraction) -> HttpInteraction:
    return (
        request.with_request("POST", "/prompts")
        .with_header("X-API-Key", DEV_KEY)
        .with_header("Idempotency-Key", IDEMPOTENCY_KEY)
        .with_body(CREATE_BODY, content_type="application/json")
        .will_respond_with(201)
        .with_header("ETag", etag(f'"{CREATED_ID}-1"'))
        .with_header("Location", match.regex(f"/prompts/{CREATED_ID}", regex=LOCATION))
        .with_body(created_prompt(), content_type="application/json")
    )


def create(base_url: str) -> CreatedPrompt:
    with client(base_url) as prompts:
        return prompts.create_prompt(
            NAME,
            TEMPLATE,
            variables=[Variable(name="who", required=True)],
            idempotency_key=IDEMPOTENCY_KEY,
        )


@interaction("create a prompt with an idempotency key")
def create_first(request: HttpInteraction) -> Check:
    create_request(request)

    def check(base_url: str) -> None:
        created = create(base_url)
        assert created.replayed is False
        assert (created.prompt.id, created.etag) == (CREATED_ID, f'"{CREATED_ID}-1"')
        assert created.location == f"/prompts/{CREATED_ID}"
        assert created.prompt.latest_version == 1

    return check


@interaction("replay a create with the same idempotency key")
def create_replayed(request: HttpInteraction) -> Check:
    state = f"a prompt was created with Idempotency-Key {IDEMPOTENCY_KEY}"
    request.given(state, {"key": IDEMPOTENCY_KEY, "body": CREATE_BODY})
    create_request(request).with_header("Idempotent-Replayed", "true")

    def check(base_url: str) -> None:
        created = create(base_url)
        assert created.replayed is True
        assert created.prompt.id == CREATED_ID

    return check
