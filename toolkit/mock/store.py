"""`--stateful`: the resources' items in memory, and the handlers that keep them.

POST on a collection creates (its success status, `Location`, the stored item; a repeated
`Idempotency-Key` replays the first answer), GET on the item answers what was stored or
404, PUT replaces, PATCH merges (RFC 7396), DELETE removes, GET on the collection lists the
items in the list body's shape. Every stored or served value is checked against the
response view of its schema: a request member that would make the item invalid (a type the
response spells differently, say) is left out rather than served. A request with
`Prefer: code=` or `example=` is answered statelessly, as asked.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from toolkit import pointer as jp
from toolkit.runtime import HTTPProblem, Reply

from . import paging, prefer
from .answers import Answers
from .paging import Paging
from .resources import Resource
from .service import Handler, Responder
from .values import NoValueError, Values, canonical

_IDEMPOTENCY = "idempotency-key"


@dataclass
class Store:
    """Items per (resource item path, parent ids), in insertion order; replays per key."""

    items: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = field(default_factory=dict)
    # (item path, Idempotency-Key) -> (the id it created, the reply to repeat)
    replays: dict[tuple[str, str], tuple[str, Reply]] = field(default_factory=dict)
    ids: dict[str, set[str]] = field(default_factory=dict)

    def bucket(self, resource: Resource, scope: tuple[str, ...]) -> dict[str, Any]:
        return self.items.setdefault((resource.item, scope), {})

    def count(self) -> int:
        return sum(len(bucket) for bucket in self.items.values())


@dataclass(frozen=True)
class _Op:
    """What a stateful handler needs to know about its operation."""

    answers: Answers
    args: Mapping[str, str]  # path parameter name -> handler argument
    body_arg: str | None
    idempotency_arg: str | None
    paging: Paging


def _op(answers: Answers) -> _Op:
    op = answers.op
    path_args = {p.param.name: p.param.arg for p in op.params if p.param.location == "path"}
    header = next(
        (
            p.param.arg
            for p in op.params
            if p.param.location == "header" and p.param.name.lower() == _IDEMPOTENCY
        ),
        None,
    )
    query = {p.param.name: p.param.arg for p in op.params if p.param.location == "query"}
    body = op.body.body.arg if op.body is not None else None
    return _Op(answers, path_args, body, header, Paging.of(query))


def stateful_handlers(
    resources: tuple[Resource, ...],
    answers: Mapping[str, Answers],
    responder: Responder,
    store: Store,
    values: Values,
    stateless: Mapping[str, Handler],
) -> dict[str, Handler]:
    """The handlers of every resource operation; and every operation below an item (a
    resource's sub-collections, actions like `/prompts/{id}/renders`) answers 404 while
    that item does not exist."""
    handlers: dict[str, Handler] = dict(stateless)
    keepers = [_Keeper(resource, responder, store, values) for resource in resources]
    for keeper in keepers:
        resource = keeper.resource
        for verb, name in (
            ("create", resource.create),
            ("read", resource.read),
            ("replace", resource.replace),
            ("update", resource.update),
            ("delete", resource.delete),
            ("list", resource.list),
        ):
            if name is not None:
                handlers[name] = keeper.handler(verb, _op(answers[name]))
    for name, handler in list(handlers.items()):
        op = answers[name].op
        parents = [k for k in keepers if op.path.startswith(k.resource.item + "/")]
        if parents:
            handlers[name] = _guarded(handler, parents, _op(answers[name]))
    return handlers


def _guarded(handler: Handler, parents: list[_Keeper], op: _Op) -> Handler:
    async def handle(self_: object, **arguments: Any) -> Reply:
        wanted = prefer.parse(arguments["context"].headers.get("prefer"))
        if wanted.code is None and wanted.example is None:
            for keeper in parents:
                try:
                    keeper.find(op, arguments)
                except _NotFound as missing:
                    return missing.reply
        result: Reply = await handler(self_, **arguments)
        return result

    return handle


class _Keeper:
    def __init__(
        self, resource: Resource, responder: Responder, store: Store, values: Values
    ) -> None:
        self.resource = resource
        self.responder = responder
        self.store = store
        self.values = values
        self.validator = values.validator(resource.schema)
        self.parents = [
            name[1:-1]
            for name in resource.collection.split("/")
            if name.startswith("{") and name.endswith("}")
        ]

    def handler(self, verb: str, op: _Op) -> Handler:
        run = getattr(self, verb)

        async def handle(self_: object, **arguments: Any) -> Reply:
            wanted = prefer.parse(arguments["context"].headers.get("prefer"))
            if wanted.code is not None or wanted.example is not None:
                return self.responder.reply(op.answers, wanted)
            try:
                result: Reply = run(op, wanted, arguments)
            except _NotFound as missing:
                return missing.reply
            return result

        return handle

    # -- verbs ------------------------------------------------------------------------------

    def create(self, op: _Op, wanted: prefer.Preference, arguments: dict[str, Any]) -> Reply:
        scope = self._scope(op, arguments)
        key = arguments.get(op.idempotency_arg) if op.idempotency_arg else None
        bucket = self.store.bucket(self.resource, scope)
        replay = self.store.replays.get((self.resource.item, str(key))) if key else None
        if replay is not None and replay[0] in bucket:  # it lasts while what it made does
            return _replayed(replay[1], True)
        item = self._compose(self._base(op, wanted), arguments.get(op.body_arg or ""))
        item[self.resource.id_field] = self._new_id(bucket)
        for param, name in self.resource.parent_fields:  # `prompt_id` of a version
            trial = {**item, name: arguments.get(op.args.get(param, ""))}
            if self.validator.is_valid(trial):
                item = trial
        if not self.validator.is_valid(item):
            raise HTTPProblem(500, detail="the mock could not build a valid item")
        bucket[_key(item[self.resource.id_field])] = item
        reply = self._reply(op, wanted, item)
        location = self._item_path(arguments, op, item[self.resource.id_field])
        headers = {**reply.headers, "Location": location}
        reply = Reply(reply.status, reply.body, headers, reply.media_type)
        if key is not None:  # kept whole: a replay says so in its documented header
            ident = _key(item[self.resource.id_field])
            self.store.replays[(self.resource.item, str(key))] = (ident, reply)
        return _replayed(reply, False)

    def read(self, op: _Op, wanted: prefer.Preference, arguments: dict[str, Any]) -> Reply:
        return self._reply(op, wanted, self.find(op, arguments))

    def replace(self, op: _Op, wanted: prefer.Preference, arguments: dict[str, Any]) -> Reply:
        bucket, ident, current = self._found(op, arguments)
        item = self._compose(self._base(op, wanted), arguments.get(op.body_arg or ""))
        item[self.resource.id_field] = current[self.resource.id_field]
        bucket[ident] = item if self.validator.is_valid(item) else current
        return self._reply(op, wanted, bucket[ident])

    def update(self, op: _Op, wanted: prefer.Preference, arguments: dict[str, Any]) -> Reply:
        bucket, ident, current = self._found(op, arguments)
        patch = arguments.get(op.body_arg or "")
        item = copy.deepcopy(current)
        if isinstance(patch, dict):
            for name, value in patch.items():
                if name == self.resource.id_field:
                    continue
                trial = copy.deepcopy(item)
                if value is None:
                    trial.pop(name, None)  # RFC 7396: null removes
                    if not self.validator.is_valid(trial):
                        trial[name] = None  # a nullable member the schema requires
                else:
                    trial[name] = value
                if self.validator.is_valid(trial):
                    item = trial
        self.values.strip_write_only(item, self.resource.schema)
        bucket[ident] = item
        return self._reply(op, wanted, item)

    def delete(self, op: _Op, wanted: prefer.Preference, arguments: dict[str, Any]) -> Reply:
        bucket, ident, _ = self._found(op, arguments)
        del bucket[ident]
        return self.responder.reply(op.answers, wanted)

    def list(self, op: _Op, wanted: prefer.Preference, arguments: dict[str, Any]) -> Reply:
        items = list(self.store.bucket(self.resource, self._scope(op, arguments)).values())
        window = op.paging.window(arguments, len(items))
        page = items[window.start : window.end]
        chosen, _ = self.responder.answer(op.answers, wanted)
        if chosen is None or chosen.schema is None:
            return self.responder.reply(op.answers, wanted)
        field_name = self.resource.list_field
        validator = self.values.validator(chosen.schema)
        if field_name == "":
            body: Any = page
        else:
            base = self.responder.reply(op.answers, wanted).body
            body = copy.deepcopy(base) if isinstance(base, dict) else {}
            body[field_name] = page
            body = paging.annotate(body, window, validator.is_valid)
        if not validator.is_valid(body):
            return self.responder.reply(op.answers, wanted)
        return self.responder.reply(op.answers, wanted, body=body)

    # -- helpers ----------------------------------------------------------------------------

    def _scope(self, op: _Op, arguments: Mapping[str, Any]) -> tuple[str, ...]:
        return tuple(_key(arguments.get(op.args.get(name, ""))) for name in self.parents)

    def _found(
        self, op: _Op, arguments: Mapping[str, Any]
    ) -> tuple[dict[str, Any], str, dict[str, Any]]:
        bucket = self.store.bucket(self.resource, self._scope(op, arguments))
        ident = _key(arguments.get(op.args.get(self.resource.param, "")))
        if ident not in bucket:
            raise self._missing(op)
        return bucket, ident, bucket[ident]

    def find(self, op: _Op, arguments: Mapping[str, Any]) -> dict[str, Any]:
        return self._found(op, arguments)[2]

    def _missing(self, op: _Op) -> Exception:
        found = op.answers.for_status(404)
        if found is not None and found.key != "default":
            return _NotFound(self.responder.reply(op.answers, prefer.Preference(code=404)))
        return HTTPProblem(404, detail=f"no such item at {self.resource.item}")

    def _base(self, op: _Op, wanted: prefer.Preference) -> dict[str, Any]:
        """A valid item to start from: the item GET's example or generated value."""
        try:
            value = self.values.static(self.resource.schema)
        except NoValueError:
            value = {}
        return copy.deepcopy(value) if isinstance(value, dict) else {}

    def _compose(self, base: dict[str, Any], body: Any) -> dict[str, Any]:
        """`base` with each member of the request body that keeps it valid; write-only
        members are taken by the server, never shown (ADR 0017)."""
        item = copy.deepcopy(base)
        for name, value in body.items() if isinstance(body, dict) else ():
            trial = {**item, name: value}
            if self.validator.is_valid(trial):
                item = trial
        self.values.strip_write_only(item, self.resource.schema)
        return item

    def _new_id(self, bucket: Mapping[str, Any]) -> Any:
        """A new id its schema accepts: a counter in the forms ids usually take (1, "1",
        "0001" padded to the minimum length, a UUID), checked by the validator; only an id
        none of those fits costs a search (hypothesis, ~0.1 s)."""
        used = self.store.ids.setdefault(self.resource.item, set())
        pointer = self._id_pointer()
        if pointer is None:
            value: Any = str(len(used) + 1)
        else:
            validator = self.values.validator(pointer)
            try:
                seed = self.values.static(pointer)  # searched once, then cached
            except NoValueError:
                seed = None
            value = next(
                (
                    v
                    for v in _counted(len(used) + 1, self.values.schemas.schema(pointer), seed)
                    if canonical(v) not in used and validator.is_valid(v)
                ),
                None,
            )
            if value is None:
                value = self.values.fresh(pointer, used)
        used.add(canonical(value))
        return value

    def _id_pointer(self) -> str | None:
        """Where the id property's schema is: in the item schema or one of its `allOf`
        parts (`Pet: allOf [NewPet, {properties: {id}}]`)."""
        document = self.values.schemas.resource
        todo: list[str] = [self.resource.schema]
        seen: set[str] = set()
        while todo:
            pointer = todo.pop(0)
            if pointer in seen or len(seen) > 64:
                continue
            seen.add(pointer)
            target, at = jp.follow(document, jp.resolve(document, pointer), pointer)
            if not isinstance(target, dict):
                continue
            properties = target.get("properties")
            if isinstance(properties, dict) and self.resource.id_field in properties:
                return jp.join(at, "properties", self.resource.id_field)
            parts = target.get("allOf")
            todo += (
                [jp.join(at, "allOf", i) for i in range(len(parts))]
                if isinstance(parts, list)
                else []
            )
        return None

    def _reply(self, op: _Op, wanted: prefer.Preference, item: dict[str, Any]) -> Reply:
        chosen, _ = self.responder.answer(op.answers, wanted)
        if chosen is None or chosen.schema is None:
            return self.responder.reply(op.answers, wanted)
        if self.values.validator(chosen.schema).is_valid(item):
            return self.responder.reply(op.answers, wanted, body=item)
        return self.responder.reply(op.answers, wanted)

    def _item_path(self, arguments: Mapping[str, Any], op: _Op, ident: Any) -> str:
        path = self.resource.item
        for name, arg in op.args.items():
            path = path.replace("{" + name + "}", quote(_key(arguments.get(arg)), safe=""))
        return path.replace("{" + self.resource.param + "}", quote(_key(ident), safe=""))


class _NotFound(Exception):  # noqa: N818 - a signal carrying the documented 404 reply
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


def _key(value: Any) -> str:
    return value if isinstance(value, str) else canonical(value)


def _counted(number: int, schema: Any, seed: Any) -> Iterator[Any]:
    """The usual spellings of the `number`-th id, and the schema's own simplest value with
    the number written over its end (`"0000…0042"` for a ULID pattern)."""
    yield number
    yield str(number)
    if isinstance(seed, str) and len(seed) >= len(str(number)):
        yield seed[: len(seed) - len(str(number))] + str(number)
        yield seed + str(number)
    if isinstance(schema, dict):
        width = schema.get("minLength")
        if isinstance(width, int) and 0 < width <= 64:
            yield str(number).zfill(width)
    yield str(uuid.UUID(int=number, version=4))


def _replayed(reply: Reply, replayed: bool) -> Reply:
    """`Idempotent-Replayed` (Stripe's convention) says the truth when the response
    documents it: `true` on a replay, absent on a fresh create."""
    headers = {
        name: "true" if name.lower() == "idempotent-replayed" else value
        for name, value in reply.headers.items()
        if replayed or name.lower() != "idempotent-replayed"
    }
    return Reply(reply.status, reply.body, headers, reply.media_type)
