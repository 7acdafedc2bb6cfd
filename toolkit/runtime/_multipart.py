"""multipart/form-data → parts, with python-multipart (the parser Starlette uses).

The body is already in memory and bounded by `Settings.max_body_bytes` (413 before any
parsing), so the parser runs over it once. A malformed message (bad boundary, truncated,
oversized headers, a part without a name) is a 400 problem, never a 500 or a hang.
"""

from __future__ import annotations

from dataclasses import dataclass

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from .problem import HTTPProblem

MAX_PARTS = 1000  # as Starlette's max_files + max_fields; a body of tiny parts costs little


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart/form-data body, as handed to the handler: the part's
    `filename` (None when the client sent none), its `content_type` (the part's
    Content-Type, `application/octet-stream` when absent) and its bytes (`data`)."""

    filename: str | None
    content_type: str
    data: bytes

    def __len__(self) -> int:
        return len(self.data)


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    filename: str | None
    content_type: str | None  # the part's Content-Type essence; None when absent
    charset: str | None
    data: bytes


def _malformed(why: str) -> HTTPProblem:
    return HTTPProblem(400, detail=f"the multipart/form-data body is malformed: {why}")


def boundary_of(content_type: str) -> bytes:
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise _malformed("the Content-Type has no boundary")
    return boundary


class _Collector:
    """python-multipart callbacks that gather each part's headers and bytes."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self.ended = False
        self._field = bytearray()
        self._value = bytearray()
        self._headers: dict[bytes, bytes] = {}
        self._data: list[bytes] = []

    def on_part_begin(self) -> None:
        if len(self.parts) >= MAX_PARTS:
            raise _malformed(f"more than {MAX_PARTS} parts")
        self._headers = {}
        self._data = []

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._data.append(data[start:end])

    def on_part_end(self) -> None:
        disposition, options = parse_options_header(self._headers.get(b"content-disposition"))
        name = options.get(b"name")
        if disposition != b"form-data" or name is None:
            raise _malformed("a part without `Content-Disposition: form-data; name=...`")
        filename = options.get(b"filename")
        kind, params = parse_options_header(self._headers.get(b"content-type"))
        charset = params.get(b"charset")
        self.parts.append(
            Part(
                name=name.decode("utf-8", "replace"),
                filename=None if filename is None else filename.decode("utf-8", "replace"),
                content_type=kind.decode("latin-1") or None,
                charset=None if charset is None else charset.decode("latin-1"),
                data=b"".join(self._data),
            )
        )

    def on_end(self) -> None:
        self.ended = True


def parse_multipart(raw: bytes, content_type: str) -> list[Part]:
    """The parts of a multipart/form-data body, in order; HTTPProblem(400) when malformed."""
    collector = _Collector()
    try:
        parser = MultipartParser(
            boundary_of(content_type),
            {
                "on_part_begin": collector.on_part_begin,
                "on_header_field": collector.on_header_field,
                "on_header_value": collector.on_header_value,
                "on_header_end": collector.on_header_end,
                "on_part_data": collector.on_part_data,
                "on_part_end": collector.on_part_end,
                "on_end": collector.on_end,
            },
        )
        parser.write(raw)
        parser.finalize()
    except FormParserError as error:
        raise _malformed(str(error) or type(error).__name__) from None
    if not collector.ended:
        raise _malformed("it ends before the closing boundary")
    return collector.parts
