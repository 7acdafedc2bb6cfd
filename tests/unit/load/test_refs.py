"""`$ref` resolution: targets, chains, cycles, dangling pointers and the folder policy."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from toolkit.config import LoadOptions
from toolkit.errors import LoadError, RefError
from toolkit.load import load_document
from toolkit.load.refs import RefResolver, Site, Target
from toolkit.load.source import load_source

HEAD = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def schemas(*lines: str) -> str:
    return HEAD + "components:\n  schemas:\n" + "".join(f"    {line}\n" for line in lines)


def resolver_for(path: Path, options: LoadOptions | None = None, **kwargs: object) -> RefResolver:
    options = options or LoadOptions()
    return RefResolver(load_source(path, options), options, **kwargs)  # type: ignore[arg-type]


def refused(path: Path, options: LoadOptions | None = None) -> RefError:
    with pytest.raises(RefError) as info:
        load_document(path, options)
    return info.value


# -- targets ---------------------------------------------------------------------------------


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write(tmp_path / "spec", "api.yaml", HEAD)


@pytest.mark.parametrize(
    ("ref", "file", "pointer"),
    [
        ("#/components/schemas/A", "api.yaml", "/components/schemas/A"),
        ("#/paths/~1pets~1%7Bid%7D", "api.yaml", "/paths/~1pets~1{id}"),
        ("#/a%20b", "api.yaml", "/a b"),
        ("#", "api.yaml", ""),
        ("", "api.yaml", ""),
        ("other.yaml", "other.yaml", ""),
        ("other.yaml#/X", "other.yaml", "/X"),
        ("./sub/../other.yaml#/X", "other.yaml", "/X"),
        ("sub/x%20y.yaml", "sub/x y.yaml", ""),
    ],
)
def test_targets(root: Path, ref: str, file: str, pointer: str) -> None:
    resolver = resolver_for(root)
    target = resolver.target(ref, resolver.root, "/here")
    expected = str(root.absolute()) if file == "api.yaml" else str(root.parent.resolve() / file)
    assert target == Target(expected, pointer)


def test_file_uri_inside_the_folder_is_allowed(root: Path) -> None:
    resolver = resolver_for(root)
    other = root.parent.resolve() / "other.yaml"
    assert resolver.target(f"file://{other}#/X", resolver.root, "") == Target(str(other), "/X")


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("../outside.yaml", "escapes the spec's folder"),
        ("/etc/passwd", "escapes the spec's folder"),
        ("file:///etc/passwd", "escapes the spec's folder"),
        ("http://example.com/x.yaml", "points at a URL, which is never fetched"),
        ("https://example.com/x.yaml#/A", "points at a URL"),
        ("ftp://example.com/x.yaml", "unsupported scheme 'ftp'"),
        ("urn:uuid:1234", "unsupported scheme 'urn'"),
        ("#Name", "plain-name fragment"),
        ("other.yaml#Name", "plain-name fragment"),
        ("http://[::1", "not a valid URI reference"),
        ("a\x00b.yaml", "cannot be resolved"),
    ],
)
def test_refused_targets(root: Path, ref: str, message: str) -> None:
    resolver = resolver_for(root)
    with pytest.raises(RefError, match=message) as info:
        resolver.target(ref, resolver.root, "/paths")
    assert info.value.location is not None
    assert info.value.location.file == str(root)
    assert info.value.location.line == 3  # where /paths is written


def test_symlink_out_of_the_folder_is_refused(root: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "outside.yaml", "X: {type: string}\n")
    (root.parent / "link.yaml").symlink_to(outside)
    resolver = resolver_for(root)
    with pytest.raises(RefError, match="escapes"):
        resolver.target("link.yaml#/X", resolver.root, "")


def test_outside_root_is_allowed_when_asked(tmp_path: Path) -> None:
    write(tmp_path, "shared/defs.yaml", "X: {type: string}\n")
    spec = write(tmp_path, "spec/api.yaml", schemas("A: {$ref: '../shared/defs.yaml#/X'}"))
    assert "escapes" in refused(spec).message
    document = load_document(spec, LoadOptions(allow_outside_root=True))
    assert len(document.resolver.files) == 2
    value, uri, _ = document.deref(document.data["components"]["schemas"]["A"])
    assert value == {"type": "string"}
    assert uri == str((tmp_path / "shared" / "defs.yaml").resolve())


# -- chains and cycles -----------------------------------------------------------------------


def test_follow_a_chain_to_its_value(tmp_path: Path) -> None:
    write(tmp_path, "b.yaml", "B: {$ref: 'sub/c.yaml#/C'}\n")
    write(tmp_path, "sub/c.yaml", "C: {$ref: '#/D'}\nD: {type: integer}\n")
    spec = write(
        tmp_path,
        "api.yaml",
        schemas("A: {$ref: 'b.yaml#/B'}", "Z: {$ref: '#/components/schemas/A'}"),
    )
    document = load_document(spec)
    resolver = document.resolver
    target = resolver.target("#/components/schemas/Z", resolver.root, "")
    final, value = resolver.follow(target, Site(resolver.root, ""))
    assert final == Target(str((tmp_path / "sub" / "c.yaml").resolve()), "/D")
    assert value == {"type": "integer"}
    assert len(resolver.files) == 3


def test_follow_again_gives_the_same_answer(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        schemas(
            "A: {$ref: '#/components/schemas/B'}",
            "B: {$ref: '#/components/schemas/C'}",
            "C: {type: string}",
        ),
    )
    resolver = load_document(spec).resolver
    site = Site(resolver.root, "")
    for name in ("A", "B", "C", "A"):
        target = resolver.target(f"#/components/schemas/{name}", resolver.root, "")
        assert resolver.follow(target, site) == (
            Target(str(spec.absolute()), "/components/schemas/C"),
            {"type": "string"},
        )


def test_long_chain_is_checked_in_linear_time(tmp_path: Path) -> None:
    n = 20_000
    lines = [f"A{i}: {{$ref: '#/components/schemas/A{i + 1}'}}" for i in range(n)]
    spec = write(tmp_path, "api.yaml", schemas(*lines, f"A{n}: {{type: string}}"))
    resolver = resolver_for(spec)
    started = time.perf_counter()
    resolver.check_all()
    assert time.perf_counter() - started < 5  # was cubic: hours


def test_pure_cycle_is_refused_with_its_chain(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        schemas(
            "A: {$ref: '#/components/schemas/B'}",
            "B: {$ref: '#/components/schemas/C'}",
            "C: {$ref: '#/components/schemas/A'}",
        ),
    )
    error = refused(spec)
    assert error.message == "$ref cycle: the chain of references never reaches a value"
    assert error.location is not None
    assert error.location.line is not None
    chain = next(note for note in error.notes if note.startswith("chain: "))
    steps = chain.removeprefix("chain: ").split(" -> ")
    assert len(steps) == 4
    assert steps[0] == steps[-1]
    assert set(steps) == {f"#/components/schemas/{name}" for name in "ABC"}


def test_cycle_across_files_names_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a.yaml", "A: {$ref: 'b.yaml#/B'}\n")
    write(tmp_path, "b.yaml", "B: {$ref: 'a.yaml#/A'}\n")
    spec = write(tmp_path, "api.yaml", schemas("X: {$ref: 'a.yaml#/A'}"))
    error = refused(Path("api.yaml"))
    assert "chain: a.yaml#/A -> b.yaml#/B -> a.yaml#/A" in error.notes
    assert spec.exists()


def test_self_reference_is_a_cycle(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", schemas("A: {$ref: '#/components/schemas/A'}"))
    assert "cycle" in refused(spec).message


def test_recursive_schemas_are_not_cycles(tmp_path: Path) -> None:
    write(
        tmp_path,
        "node.yaml",
        "type: object\nproperties: {next: {$ref: '#'}, list: {$ref: 'list.yaml'}}\n",
    )
    write(tmp_path, "list.yaml", "type: array\nitems: {$ref: 'node.yaml'}\n")
    spec = write(
        tmp_path,
        "api.yaml",
        schemas(
            "Node: {type: object, properties: {kids: {items: {$ref: '#/components/schemas/Node'}}}}",
            "Ext: {$ref: 'node.yaml'}",
        ),
    )
    assert len(load_document(spec).resolver.files) == 3


# -- dangling --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ref", "missing"),
    [
        ("#/components/schemas/Nope", "Nope"),
        ("#/components/schemos/Nope", "schemos"),
        ("#/components/schemas/A/properties", "properties"),  # pointers do not follow $refs
        ("#/openapi/0", "0"),
        ("#/components/schemas/L/01", "01"),
    ],
)
def test_dangling_pointer_names_the_missing_token(tmp_path: Path, ref: str, missing: str) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        schemas(
            "A: {$ref: '#/components/schemas/B'}",
            "B: {type: object}",
            "L: [1, 2]",
            f"X: {{$ref: '{ref}'}}",
        ),
    )
    error = refused(spec)
    assert f"(no {missing!r})" in error.message
    assert error.location is not None
    assert error.location.line == 9  # where X is written


def test_dangling_pointer_into_another_file(tmp_path: Path) -> None:
    write(tmp_path, "defs.yaml", "A: {type: string}\n")
    spec = write(tmp_path, "api.yaml", schemas("X: {$ref: 'defs.yaml#/B'}"))
    error = refused(spec)
    assert "/B does not exist in" in error.message
    assert "defs.yaml" in error.message


def test_every_problem_is_reported_together(tmp_path: Path) -> None:
    spec = write(
        tmp_path,
        "api.yaml",
        schemas("A: {$ref: '#/nope1'}", "B: {$ref: '../x.yaml'}", "C: {$ref: 'http://x/y'}"),
    )
    error = refused(spec)
    also = [note for note in error.notes if note.startswith("also: ")]
    assert len(also) == 2


def test_missing_file_notes_where_it_was_referenced(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", schemas("A: {$ref: 'missing.yaml#/A'}"))
    with pytest.raises(LoadError, match="file not found") as info:
        load_document(spec)
    assert any(note.startswith("referenced from ") and ":6:5" in note for note in info.value.notes)


def test_max_files_bounds_the_files_read(tmp_path: Path) -> None:
    for i in range(5):
        write(tmp_path, f"f{i}.yaml", f"X: {{$ref: 'f{i + 1}.yaml#/X'}}\n")
    write(tmp_path, "f5.yaml", "X: {type: string}\n")
    spec = write(tmp_path, "api.yaml", schemas("A: {$ref: 'f0.yaml#/X'}"))
    assert len(load_document(spec).resolver.files) == 7
    assert "more than 3 files" in refused(spec, LoadOptions(max_files=3)).message


# -- remote ----------------------------------------------------------------------------------


def test_remote_refs_use_the_fetcher_only_when_allowed(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", schemas("A: {$ref: 'https://example.com/defs/a.yaml#/A'}"))
    fetched: list[str] = []
    pages = {
        "https://example.com/defs/a.yaml": b"A: {$ref: '../common/b.yaml#/B'}\n",
        "https://example.com/common/b.yaml": b"B: {type: string}\n",
    }

    def fetch(url: str, options: LoadOptions) -> bytes:
        fetched.append(url)
        return pages[url]

    with pytest.raises(RefError, match="never fetched"):
        resolver_for(spec, fetch=fetch).check_all()
    assert fetched == []

    resolver = resolver_for(spec, LoadOptions(allow_remote_refs=True), fetch=fetch)
    resolver.check_all()
    assert fetched == list(pages)
    target = resolver.target("#/components/schemas/A", resolver.root, "")
    assert resolver.follow(target, Site(resolver.root, ""))[1] == {"type": "string"}


def test_remote_file_cannot_point_at_local_files(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", schemas("A: {$ref: 'https://example.com/a.yaml#/A'}"))

    def fetch(url: str, options: LoadOptions) -> bytes:
        return b"A: {$ref: 'file:///etc/passwd'}\n"

    resolver = resolver_for(spec, LoadOptions(allow_remote_refs=True), fetch=fetch)
    with pytest.raises(RefError, match="escapes the spec's folder") as info:
        resolver.check_all()
    assert info.value.location is not None
    assert info.value.location.file == "https://example.com/a.yaml"


def test_remote_hostile_content_is_refused(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", schemas("A: {$ref: 'https://example.com/a.yaml#/A'}"))

    def fetch(url: str, options: LoadOptions) -> bytes:
        return b"A: &a [*a]\n"

    resolver = resolver_for(spec, LoadOptions(allow_remote_refs=True), fetch=fetch)
    with pytest.raises(LoadError, match="refers to its own ancestor") as info:
        resolver.check_all()
    assert any(note.startswith("referenced from ") for note in info.value.notes)
