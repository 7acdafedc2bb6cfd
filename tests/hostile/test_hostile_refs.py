"""Hostile `$ref`s: escaping the spec's folder, reaching the network, dangling or cyclic.

Refused references must be refused *before* anything is opened or fetched: the audit hook of
the `ctk` fixture fails a test on any read outside spec/ and on any socket call, and FIFOs
stand in for files whose opening would hang the run.
"""

from __future__ import annotations

import functools
import http.server
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile._helpers import assert_accepted, assert_refused, with_schemas, write
from tests.hostile.conftest import CtkRunner, Put

OUTSIDE = "Outside: {type: object, properties: {secret: {type: string}}}\n"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A valid fragment next to (not inside) the spec's folder."""
    return write(tmp_path, "outside.yaml", OUTSIDE)


def ref_spec(put: Put, ref: str, name: str = "root.yaml") -> str:
    return put(name, with_schemas(f"Pet: {{$ref: '{ref}'}}"))


# -- escaping the folder ---------------------------------------------------------------------

ESCAPES = [
    "../outside.yaml#/Outside",
    "sub/../../outside.yaml#/Outside",
    "%2e%2e/outside.yaml#/Outside",
    "link.yaml#/Outside",  # a symlink inside spec/ that points outside
    "linked-dir/outside.yaml#/Outside",  # a symlinked folder inside spec/
    "/etc/passwd",
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "//127.0.0.1:9/x.yaml",  # a network-path reference is a path here, and outside
    "../../../../../../../../../../etc/passwd",
]


@pytest.mark.parametrize("ref", ESCAPES)
def test_refs_that_escape_the_folder_are_refused_unread(
    ctk: CtkRunner, put: Put, spec_dir: Path, outside: Path, ref: str
) -> None:
    (spec_dir / "link.yaml").symlink_to(outside)
    (spec_dir / "linked-dir").symlink_to(outside.parent)
    spec = ref_spec(put, ref)
    run = ctk("lint", spec)  # the fixture fails the test if anything outside spec/ was read
    assert_refused(run, spec, "escapes the spec's folder", "--allow-outside-root", position=(7, 5))


def test_escaping_ref_to_a_fifo_is_refused_without_opening_it(
    ctk: CtkRunner, put: Put, tmp_path: Path
) -> None:
    """Opening a FIFO blocks until a writer comes: a run that opened it would time out."""
    os.mkfifo(tmp_path / "outside.fifo")
    spec = ref_spec(put, "../outside.fifo")
    assert_refused(ctk("lint", spec), spec, "escapes the spec's folder")


def test_fifo_inside_the_folder_is_refused_without_opening_it(
    ctk: CtkRunner, put: Put, spec_dir: Path
) -> None:
    os.mkfifo(spec_dir / "pipe.yaml")
    spec = ref_spec(put, "pipe.yaml#/Pet")
    assert_refused(ctk("lint", spec), "spec/pipe.yaml", "not a regular file", "referenced from")


def test_allow_outside_root_reads_outside_files(ctk: CtkRunner, put: Put, outside: Path) -> None:
    """The opt-in works, and the audit hook does see the read (so the tests above mean it)."""
    spec = ref_spec(put, "../outside.yaml#/Outside")
    run = ctk("lint", "--allow-outside-root", spec, allowed=(outside,))
    assert_accepted(run)
    assert outside.resolve() in [p.resolve() for p in run.reads]


def test_escaping_ref_in_a_referenced_file_is_refused(
    ctk: CtkRunner, put: Put, outside: Path
) -> None:
    put("sub/part.yaml", "Part: {$ref: '../../outside.yaml#/Outside'}\n")
    spec = ref_spec(put, "sub/part.yaml#/Part")
    assert_refused(ctk("lint", spec), "spec/sub/part.yaml", "escapes the spec's folder")


# -- remote references -----------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP port that accepts connections but never answers; we check nobody knocked."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.setblocking(False)
        yield server


@pytest.mark.parametrize(
    "template",
    [
        "http://127.0.0.1:{port}/x.yaml#/Pet",
        "https://127.0.0.1:{port}/x.yaml",
        "HTTP://127.0.0.1:{port}/x.yaml",
        "http://127.0.0.1:9/x.yaml",
    ],
)
def test_remote_refs_are_refused_without_touching_the_network(
    ctk: CtkRunner, put: Put, listener: socket.socket, template: str
) -> None:
    spec = ref_spec(put, template.format(port=listener.getsockname()[1]))
    run = ctk("lint", spec)  # the fixture fails the test on any socket call
    assert_refused(run, spec, "points at a URL", "--allow-remote-refs", position=(7, 5))
    with pytest.raises(BlockingIOError):
        listener.accept()


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("ftp://127.0.0.1/x.yaml", "unsupported scheme 'ftp'"),
        ("jar:file:///x.jar!/a.yaml", "unsupported scheme 'jar'"),
        ("http://[::1/x.yaml", "not a valid URI reference"),
        ("#plain-name", "plain-name fragment"),
    ],
)
def test_other_uri_forms_are_refused(ctk: CtkRunner, put: Put, ref: str, message: str) -> None:
    spec = ref_spec(put, ref)
    assert_refused(ctk("lint", spec), spec, message, position=(7, 5))


@pytest.fixture
def http_root(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 serving tmp_path/www; yields (base URL, paths asked)."""
    www = tmp_path / "www"
    www.mkdir()
    asked: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    handler = functools.partial(Handler, directory=str(www))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_remote_refs_are_fetched_only_when_allowed(
    ctk: CtkRunner, put: Put, tmp_path: Path, http_root: tuple[str, list[str]]
) -> None:
    base, asked = http_root
    write(
        tmp_path / "www", "pets.yaml", "Pet: {type: object, properties: {id: {$ref: 'id.yaml'}}}\n"
    )
    write(tmp_path / "www", "id.yaml", "type: integer\nformat: int64\n")
    spec = ref_spec(put, f"{base}/pets.yaml#/Pet")

    assert_refused(ctk("lint", spec), spec, "points at a URL")
    assert asked == []

    run = ctk("lint", "--allow-remote-refs", spec, network=True)
    assert_accepted(run)
    assert asked == ["/pets.yaml", "/id.yaml"]  # the relative ref resolved against the URL
    assert any(event.startswith("socket.connect") for event in run.network)


def test_remote_file_cannot_reach_local_files(
    ctk: CtkRunner, put: Put, tmp_path: Path, http_root: tuple[str, list[str]]
) -> None:
    base, _ = http_root
    write(tmp_path / "www", "evil.yaml", "Pet: {$ref: 'file:///etc/passwd'}\n")
    spec = ref_spec(put, f"{base}/evil.yaml#/Pet")
    run = ctk("lint", "--allow-remote-refs", spec, network=True)
    assert_refused(run, f"{base}/evil.yaml", "escapes the spec's folder", position=(1, 1))
    assert "/etc/passwd" not in {str(p) for p in run.reads}


def test_missing_remote_file_is_refused(
    ctk: CtkRunner, put: Put, http_root: tuple[str, list[str]]
) -> None:
    base, _ = http_root
    spec = ref_spec(put, f"{base}/missing.yaml#/Pet")
    run = ctk("lint", "--allow-remote-refs", spec, network=True)
    assert_refused(run, f"{base}/missing.yaml", "cannot fetch", "404", f"referenced from {spec}")


# -- dangling, cyclic, recursive -------------------------------------------------------------


def test_dangling_local_pointer_names_the_missing_token(ctk: CtkRunner, put: Put) -> None:
    spec = ref_spec(put, "#/components/schemas/Nope")
    run = ctk("lint", spec)
    assert_refused(run, spec, "/components/schemas/Nope does not exist", "(no 'Nope')")
    assert_refused(run, spec, position=(7, 5))


def test_dangling_pointer_into_another_file(ctk: CtkRunner, put: Put) -> None:
    put("sub/defs.yaml", "Pet: {type: object}\n")
    spec = ref_spec(put, "sub/defs.yaml#/Pets/0")
    assert_refused(ctk("lint", spec), spec, "does not exist in spec/sub/defs.yaml", "(no 'Pets')")


def test_pure_ref_cycle_shows_the_chain(ctk: CtkRunner, put: Put) -> None:
    spec = put(
        "cycle.yaml",
        with_schemas("A: {$ref: '#/components/schemas/B'}", "B: {$ref: '#/components/schemas/A'}"),
    )
    run = ctk("lint", spec)
    assert_refused(run, spec, "$ref cycle", position=True)
    chain = "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A"
    chain_b = "#/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B"
    assert chain in run.stderr or chain_b in run.stderr, str(run)


def test_ref_cycle_across_files_shows_the_chain(ctk: CtkRunner, put: Put) -> None:
    put("a.yaml", "A: {$ref: 'b.yaml#/B'}\n")
    put("b.yaml", "B: {$ref: 'a.yaml#/A'}\n")
    spec = ref_spec(put, "a.yaml#/A")
    run = ctk("lint", spec)
    assert_refused(run, spec, "$ref cycle", "spec/a.yaml#/A -> spec/b.yaml#/B -> spec/a.yaml#/A")


def test_self_ref_is_a_cycle(ctk: CtkRunner, put: Put) -> None:
    spec = put("self.yaml", with_schemas("A: {$ref: '#/components/schemas/A'}"))
    assert_refused(ctk("lint", spec), spec, "$ref cycle")


def test_long_ref_chain_is_resolved_in_linear_time(ctk: CtkRunner, put: Put) -> None:
    """A chain of 900 bare refs; resolving each from scratch used to take cubic time."""
    n = 900
    lines = [f"A{i}: {{$ref: '#/components/schemas/A{i + 1}'}}" for i in range(n)]
    spec = put("chain.yaml", with_schemas(*lines, f"A{n}: {{type: string}}"))
    run = ctk("lint", spec)
    assert_accepted(run)
    assert run.seconds < 5


def test_very_long_ref_chain_is_not_a_traceback(ctk: CtkRunner, put: Put) -> None:
    n = 5000
    lines = [f"A{i}: {{$ref: '#/components/schemas/A{i + 1}'}}" for i in range(n)]
    spec = put("chain.yaml", with_schemas(*lines, f"A{n}: {{type: string}}"))
    run = ctk("lint", spec)
    assert run.returncode in (0, 1, 2)


def test_recursive_schema_is_accepted(ctk: CtkRunner, put: Put) -> None:
    spec = put(
        "tree.yaml",
        with_schemas(
            "Node:",
            "  type: object",
            "  properties:",
            "    children: {type: array, items: {$ref: '#/components/schemas/Node'}}",
        ),
    )
    assert_accepted(ctk("lint", spec))


def test_recursive_schema_across_files_is_accepted(ctk: CtkRunner, put: Put) -> None:
    put(
        "sub/node.yaml",
        "Node: {type: object, properties: {children: {type: array, items: {$ref: '#/Node'}},"
        " parent: {$ref: 'node.yaml#/Node'}}}\n",
    )
    spec = ref_spec(put, "sub/node.yaml#/Node")
    assert_accepted(ctk("lint", spec))


def test_ref_to_a_file_in_a_subfolder_is_accepted(ctk: CtkRunner, put: Put) -> None:
    put("schemas/pet.yaml", "type: object\nproperties: {name: {type: string}}\n")
    assert_accepted(ctk("lint", ref_spec(put, "schemas/pet.yaml")))


def test_ref_to_a_directory_is_refused(ctk: CtkRunner, put: Put, spec_dir: Path) -> None:
    (spec_dir / "schemas").mkdir()
    spec = ref_spec(put, "schemas")
    run = ctk("lint", spec)
    assert_refused(run, "spec/schemas", "not a regular file", f"referenced from {spec}:7:5")


def test_ref_to_a_missing_file_is_refused(ctk: CtkRunner, put: Put) -> None:
    spec = ref_spec(put, "missing.yaml#/Pet")
    run = ctk("lint", spec)
    assert_refused(run, "spec/missing.yaml", "file not found", f"referenced from {spec}:7:5")


def test_ref_to_a_hostile_file_is_refused_and_located(ctk: CtkRunner, put: Put) -> None:
    put("bomb.yaml", "a: &a [*a]\n")
    spec = ref_spec(put, "bomb.yaml#/a")
    run = ctk("lint", spec)
    assert_refused(run, "spec/bomb.yaml", "refers to its own ancestor", f"referenced from {spec}")


def test_ref_through_a_symlink_loop_is_refused(ctk: CtkRunner, put: Put, spec_dir: Path) -> None:
    (spec_dir / "loop.yaml").symlink_to("loop.yaml")
    spec = ref_spec(put, "loop.yaml#/Pet")
    assert_refused(ctk("lint", spec), spec, "cannot be resolved", position=(7, 5))


def test_ref_with_a_nul_byte_is_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put(
        "nul.json",
        '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},\n'
        ' "components": {"schemas": {"Pet": {"$ref": "a\\u0000b.yaml"}}}}',
    )
    assert_refused(ctk("lint", spec), spec, "cannot be resolved", position=(2, 29))


def test_ref_with_a_too_long_name_is_refused(ctk: CtkRunner, put: Put) -> None:
    name = "x" * 5000 + ".yaml"
    spec = ref_spec(put, name)
    assert_refused(ctk("lint", spec), f"spec/{name}", "File name too long", "referenced from")


# -- bundle refuses what lint refuses --------------------------------------------------------


@pytest.mark.parametrize(
    "ref",
    [
        "../outside.yaml#/Outside",
        "link.yaml#/Outside",
        "/etc/passwd",
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.yaml",
    ],
)
def test_bundle_refuses_escaping_and_remote_refs(
    ctk: CtkRunner, put: Put, spec_dir: Path, tmp_path: Path, outside: Path, ref: str
) -> None:
    (spec_dir / "link.yaml").symlink_to(outside)
    spec = ref_spec(put, ref)
    out = tmp_path / "out" / "bundle.yaml"
    run = ctk("bundle", spec, "-o", out)
    assert_refused(run, spec, position=(7, 5))
    assert "escapes the spec's folder" in run.stderr or "points at a URL" in run.stderr
    assert not out.exists()


def test_bundle_of_a_good_multi_file_spec_works(ctk: CtkRunner, put: Put, tmp_path: Path) -> None:
    put("schemas/pet.yaml", "type: object\nproperties: {name: {type: string}}\n")
    spec = ref_spec(put, "schemas/pet.yaml")
    out = tmp_path / "out" / "bundle.json"
    run = ctk("bundle", spec, "-o", out)
    assert run.returncode == 0, str(run)
    assert "schemas/pet.yaml" not in out.read_text(encoding="utf-8")
