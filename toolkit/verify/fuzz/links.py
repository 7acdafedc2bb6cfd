"""The links schemathesis inferred for the stateful phase, listed so a user sees them.

schemathesis infers links from its dependency analysis of the schemas (POST /things ->
GET/PATCH/DELETE /things/{id}, the id from a response field of a matching name) and from
`Location` headers seen during the run; it marks them `x-schemathesis: {is_inferred:
true}` in the schema it tests. ctk does not infer on its own (ADR 0010); `--no-infer-links`
turns schemathesis' inference off, leaving the spec's own links.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from toolkit import pointer as jp
from toolkit.model.build import raw_operations
from toolkit.verify.fuzz.results import InferredLink

EXTENSION = "x-schemathesis"


def inferred_links(schema: Any) -> list[InferredLink]:
    document = schema.raw_schema
    labels = _labels_by_id(document)
    found = []
    for source, link in _links(document):
        if not (isinstance(link.get(EXTENSION), dict) and link[EXTENSION].get("is_inferred")):
            continue
        target = labels.get(str(link.get("operationId")), "") or _by_ref(
            str(link.get("operationRef", ""))
        )
        parameters = {str(k): str(v) for k, v in (link.get("parameters") or {}).items()}
        if "requestBody" in link:
            parameters["(body)"] = str(link["requestBody"])
        found.append(InferredLink(source, target, parameters))
    return sorted(found, key=lambda x: (x.source, x.target, sorted(x.parameters.items())))


def _links(document: Mapping[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, method, operation in raw_operations(document):
        for status, response in (operation.get("responses") or {}).items():
            response = jp.follow(document, response)[0]
            links = response.get("links") if isinstance(response, dict) else None
            for link in (links or {}).values():
                link = jp.follow(document, link)[0]
                if isinstance(link, dict):
                    yield f"{method.upper()} {path} -> {status}", link


def _labels_by_id(document: Mapping[str, Any]) -> dict[str, str]:
    return {
        str(op["operationId"]): f"{method.upper()} {path}"
        for path, method, op in raw_operations(document)
        if "operationId" in op
    }


def _by_ref(ref: str) -> str:
    """`#/paths/~1things~1{id}/get` -> "GET /things/{id}"."""
    target = jp.from_ref(ref)
    tokens = jp.split(target) if target else []
    if len(tokens) == 3 and tokens[0] == "paths":
        return f"{tokens[2].upper()} {tokens[1]}"
    return ref
