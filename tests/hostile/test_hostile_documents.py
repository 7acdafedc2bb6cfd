"""Hostile documents: every one is refused with exit 2 and a located message, fast and small.

Each case is a real `python -m toolkit lint` subprocess (see conftest: timeout, no traceback,
peak memory, no network, no read outside the spec's folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hostile._helpers import HEADER, assert_accepted, assert_refused, write
from tests.hostile.conftest import CtkRunner, Put
from toolkit.load import load_document

# -- size and shape bombs --------------------------------------------------------------------


def test_yaml_alias_bomb_is_refused_without_expanding(ctk: CtkRunner, put: Put) -> None:
    """Billion laughs: 9 levels of 9 aliases expand to 9**9 (387 M) nodes."""
    lines = [HEADER.rstrip("\n"), 'x-a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"x-a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    spec = put("bomb.yaml", "\n".join(lines) + "\n")
    run = ctk("lint", spec)
    assert_refused(run, spec, "alias bomb", "nodes", position=True)
    assert run.seconds < 5


def test_recursive_yaml_alias_is_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put("recursive.yaml", HEADER + "x-loop: &a [*a]\n")
    assert_refused(ctk("lint", spec), spec, "refers to its own ancestor", position=(5, 9))


def test_recursive_yaml_alias_in_a_mapping_is_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put("recursive-map.yaml", HEADER + "x-loop: &a {self: *a}\n")
    assert_refused(ctk("lint", spec), spec, "refers to its own ancestor", position=True)


def test_deeply_nested_json_is_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put("deep.json", "[" * 100_000 + "]" * 100_000)
    assert_refused(ctk("lint", spec), spec, "nesting is too deep", position=(1, 257))


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("flow.yaml", "x-deep: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("flow-doc.yaml", "[" * 100_000 + "]" * 100_000 + "\n"),  # looks like JSON at first
        ("flow-map.yaml", "x-deep: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n"),
        ("block-seq.yaml", "x-deep:\n" + "- " * 100_000 + "leaf\n"),
        ("block-map.yaml", "x-deep:\n" + "".join("  " * i + "a:\n" for i in range(1, 1100))),
    ],
)
def test_deeply_nested_yaml_is_refused(ctk: CtkRunner, put: Put, name: str, text: str) -> None:
    spec = put(name, text)
    assert_refused(ctk("lint", spec), spec, "nesting", position=True)


@pytest.mark.parametrize(
    ("name", "deep"),
    [
        ("deep300.yaml", "x-deep: " + "[" * 300 + "]" * 300),
        ("deep300-block.yaml", "x-deep:\n" + "".join("  " * i + "a:\n" for i in range(1, 300))),
        ("deep300.json", None),
    ],
)
def test_nesting_past_max_depth_is_refused(
    ctk: CtkRunner, put: Put, name: str, deep: str | None
) -> None:
    """Deeper than [tool.ctk.load] max-depth (256) but shallow enough for the parsers."""
    if deep is None:
        text = '{"openapi": "3.1.0", "x-deep": ' + "[" * 300 + "]" * 300 + "}"
    else:
        text = HEADER + deep + "\n"
    spec = put(name, text)
    assert_refused(ctk("lint", spec), spec, "nesting deeper than 256 levels", position=True)


def test_json_node_flood_is_refused_before_parsing(
    ctk: CtkRunner, put: Put, tmp_path: Path
) -> None:
    config = write(tmp_path, "pyproject.toml", "[tool.ctk.load]\nmax-nodes = 1000\n")
    spec = put("flood.json", '{"openapi": "3.1.0", "x": [' + "[]," * 5000 + "1]}")
    run = ctk("lint", "--config", config, spec, allowed=(config,))
    assert_refused(run, spec, "more than 1,000 nodes")


def test_json_value_flood_is_refused(ctk: CtkRunner, put: Put, tmp_path: Path) -> None:
    """Values hidden in strings do not count; the 5000 real ones do."""
    config = write(tmp_path, "pyproject.toml", "[tool.ctk.load]\nmax-nodes = 1000\n")
    spec = put("values.json", '{"openapi": "3.1.0", "x": [' + '"[,{",' * 5000 + "1]}")
    run = ctk("lint", "--config", config, spec, allowed=(config,))
    assert_refused(run, spec, "more than 1,000 nodes")


def test_strings_full_of_commas_do_not_count_as_nodes(
    ctk: CtkRunner, put: Put, tmp_path: Path
) -> None:
    config = write(tmp_path, "pyproject.toml", "[tool.ctk.load]\nmax-nodes = 1000\n")
    text = '{"openapi": "3.1.0", "info": {"title": "t", "version": "1", "description": "%s"}}'
    spec = put("commas.json", text % ("," * 5000 + "[{" * 2000 + '\\"]'))
    assert_accepted(ctk("lint", "--config", config, spec, allowed=(config,)))


# -- size limits -----------------------------------------------------------------------------


def test_file_over_max_bytes_is_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put("big.yaml", HEADER + "x-pad: " + "a" * 2000 + "\n")
    run = ctk("lint", "--max-bytes", "1000", spec)
    assert_refused(run, spec, "over the limit of 1,000", "--max-bytes")


def test_sparse_file_over_100_mb_is_refused_before_reading(ctk: CtkRunner, spec_dir: Path) -> None:
    """A 200 MB sparse file costs nothing on disk; reading it would cost 200 MB of memory."""
    path = spec_dir / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(HEADER.encode())
    os.truncate(path, 200 * 1024 * 1024)
    run = ctk("lint", "spec/huge.yaml")
    assert_refused(run, "spec/huge.yaml", "209,715,200 bytes", "over the limit of 104,857,600")
    assert path.resolve() not in [p.resolve() for p in run.reads], "the file was opened"
    assert run.seconds < 5
    assert run.peak_kb is not None
    assert run.peak_kb < 200 * 1024


def test_referenced_file_over_max_bytes_is_refused(ctk: CtkRunner, put: Put) -> None:
    put("big-part.yaml", "Big: {type: string, description: " + "a" * 2000 + "}\n")
    spec = put("root.yaml", HEADER + "components: {schemas: {B: {$ref: 'big-part.yaml#/Big'}}}\n")
    run = ctk("lint", "--max-bytes", "1000", spec)
    assert_refused(run, "spec/big-part.yaml", "over the limit", f"referenced from {spec}:5")


# -- encodings -------------------------------------------------------------------------------


def test_invalid_utf8_is_located(ctk: CtkRunner, put: Put) -> None:
    spec = put("latin1.yaml", HEADER.encode() + b"x-name: caf\xe9 au lait\n")
    run = ctk("lint", spec)
    assert_refused(run, spec, "invalid UTF-8", "0xe9", position=(5, 12))


def test_utf8_bom_is_accepted(ctk: CtkRunner, put: Put) -> None:
    assert_accepted(ctk("lint", put("bom.yaml", b"\xef\xbb\xbf" + HEADER.encode())))


def test_utf8_bom_is_accepted_in_json(ctk: CtkRunner, put: Put) -> None:
    text = '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}'
    assert_accepted(ctk("lint", put("bom.json", b"\xef\xbb\xbf" + text.encode())))


@pytest.mark.parametrize(("char", "column"), [("\x00", 10), ("\x07", 10)])
def test_control_characters_in_yaml_are_located(
    ctk: CtkRunner, put: Put, char: str, column: int
) -> None:
    spec = put("control.yaml", HEADER + f"x-name: a{char}b\n")
    assert_refused(ctk("lint", spec), spec, "control characters", position=(5, column))


def test_lone_surrogate_escape_in_json_is_located(ctk: CtkRunner, put: Put) -> None:
    spec = put("surrogate.json", '{"openapi": "3.1.0",\n "x": "ok \\ud83d\\ude00 bad \\ud800"}')
    assert_refused(ctk("lint", spec), spec, "lone UTF-16 surrogate", position=(2, 28))


def test_lone_surrogate_escape_in_yaml_is_located(ctk: CtkRunner, put: Put) -> None:
    spec = put("surrogate.yaml", HEADER + 'x-name: "\\udc00"\n')
    assert_refused(ctk("lint", spec), spec, position=True)


# -- duplicates and non-mappings -------------------------------------------------------------


def test_duplicate_key_in_yaml_is_located(ctk: CtkRunner, put: Put) -> None:
    spec = put("dup.yaml", HEADER + "x-a: 1\nx-a: 2\n")
    assert_refused(ctk("lint", spec), spec, "duplicate key 'x-a'", position=(6, 1))


def test_duplicate_key_spelled_differently_in_yaml_is_located(ctk: CtkRunner, put: Put) -> None:
    """`200` and `"200"` are the same key once keys are strings, as in JSON."""
    spec = put("dup-code.yaml", HEADER + "x-codes:\n  200: a\n  '200': b\n")
    assert_refused(ctk("lint", spec), spec, "duplicate key '200'", position=(7, 3))


def test_duplicate_key_in_json_is_located(ctk: CtkRunner, put: Put) -> None:
    spec = put("dup.json", '{"openapi": "3.1.0",\n  "paths": {},\n  "paths": {}}')
    assert_refused(ctk("lint", spec), spec, "duplicate key 'paths'", position=(3, 3))


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("list.yaml", "- openapi: 3.1.0\n", "list"),
        ("list.json", '[{"openapi": "3.1.0"}]', "list"),
        ("scalar.yaml", "openapi 3.1.0\n", "str"),
        ("number.json", "42", "int"),
        ("null.yaml", "null\n", "null"),
        ("tilde.yaml", "~\n", "null"),
        ("empty.yaml", "", "null"),
        ("comment.yaml", "# only a comment\n", "null"),
        ("empty.json", "", None),
    ],
)
def test_non_mapping_documents_are_refused(
    ctk: CtkRunner, put: Put, name: str, text: str, kind: str | None
) -> None:
    spec = put(name, text)
    run = ctk("lint", spec)
    if kind is None:  # an empty .json file is not even JSON
        assert_refused(run, spec, "malformed JSON", position=(1, 1))
    else:
        assert_refused(run, spec, f"is a {kind}, not a mapping", position=(1, 1))


# -- YAML tags and implicit types ------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['touch PWNED']",
        "!!python/object/new:os.system ['touch PWNED']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!binary aGVsbG8=",
        "!!timestamp 2020-01-01",
        "!!set {a, b}",
        "!!omap [a: 1]",
        "!custom {a: 1}",
    ],
)
def test_object_constructing_and_non_json_tags_are_refused(
    ctk: CtkRunner, put: Put, tmp_path: Path, value: str
) -> None:
    spec = put("tags.yaml", HEADER + f"x-evil: {value}\n")
    assert_refused(ctk("lint", spec), spec, "is not allowed", position=(5, 9))
    assert not (tmp_path / "PWNED").exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("!!int abc", "'abc' is not a valid integer"),
        ("!!float abc", "'abc' is not a valid number"),
        ("!!bool maybe", "'maybe' is not a valid boolean"),
        ("9" * 5000, "is not a valid integer"),
    ],
)
def test_bad_scalars_are_located(ctk: CtkRunner, put: Put, value: str, message: str) -> None:
    spec = put("scalar.yaml", HEADER + f"x-value: {value}\n")
    assert_refused(ctk("lint", spec), spec, message, position=(5, 10))


def test_huge_integer_in_json_is_located(ctk: CtkRunner, put: Put) -> None:
    spec = put("huge-int.json", '{"openapi": "3.1.0",\n "x": "9999", "y": ' + "9" * 5000 + "}")
    assert_refused(ctk("lint", spec), spec, "4300 digits", position=(2, 20))


def test_unquoted_dates_and_yaml11_words_stay_strings(
    ctk: CtkRunner, put: Put, spec_dir: Path
) -> None:
    spec = put(
        "dates.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: 2020-01-01}\npaths: {}\n"
        "x-when: 2001-12-14t21:59:43.10-05:00\nx-flags: [yes, no, on, off, y, n]\n"
        "x-mode: 0755\n",
    )
    assert_accepted(ctk("lint", spec))
    data = load_document(spec_dir / "dates.yaml").data
    assert data["info"]["version"] == "2020-01-01"
    assert data["x-when"] == "2001-12-14t21:59:43.10-05:00"
    assert data["x-flags"] == ["yes", "no", "on", "off", "y", "n"]
    assert data["x-mode"] == 755


def test_non_string_keys_become_the_text_written(ctk: CtkRunner, put: Put, spec_dir: Path) -> None:
    """Unquoted status codes are everywhere in real specs; keys are strings, as in JSON."""
    spec = put(
        "codes.yaml",
        HEADER.replace("paths: {}\n", "")
        + "paths:\n  /things:\n    get:\n      operationId: listThings\n      responses:\n"
        "        200: {description: ok}\n        404: {description: missing}\n"
        "x-keys: {true: a, ~: b, 1.5: c, 0x1F: d}\n",
    )
    assert_accepted(ctk("lint", spec))
    data = load_document(spec_dir / "codes.yaml").data
    assert list(data["paths"]["/things"]["get"]["responses"]) == ["200", "404"]
    assert list(data["x-keys"]) == ["true", "~", "1.5", "0x1F"]


def test_merge_keys_may_be_overridden(ctk: CtkRunner, put: Put, spec_dir: Path) -> None:
    spec = put(
        "merge.yaml",
        HEADER + "x-base: &base {a: 1, b: 2}\nx-more: &more {c: 3}\n"
        "x-child: {<<: [*base, *more], b: 20}\n",
    )
    assert_accepted(ctk("lint", spec))
    assert load_document(spec_dir / "merge.yaml").data["x-child"] == {"a": 1, "b": 20, "c": 3}


def test_merge_of_a_scalar_is_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put("merge-scalar.yaml", HEADER + "x-child: {<<: 5}\n")
    assert_refused(ctk("lint", spec), spec, "for merging", position=True)


def test_complex_keys_are_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put("complex-key.yaml", HEADER + "? [a, b]\n: 1\n")
    assert_refused(ctk("lint", spec), spec, "mapping keys must be scalars", position=(5, 3))


def test_several_yaml_documents_are_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put("multi.yaml", HEADER + "---\n" + HEADER)
    assert_refused(ctk("lint", spec), spec, "more than one YAML document", position=(5, 1))


def test_yaml_flow_mapping_document_is_yaml_not_json(ctk: CtkRunner, put: Put) -> None:
    spec = put("flow.yaml", '{openapi: 3.1.0, info: {title: t, version: "1"}, paths: {}}\n')
    assert_accepted(ctk("lint", spec))


def test_malformed_yaml_is_located(ctk: CtkRunner, put: Put) -> None:
    spec = put("tabs.yaml", HEADER + "x-a:\n\t- b\n")
    assert_refused(ctk("lint", spec), spec, "malformed YAML", position=(6, 1))


# -- not OpenAPI, or a version we cannot check -----------------------------------------------


def test_document_that_is_not_openapi_is_refused(ctk: CtkRunner, put: Put) -> None:
    spec = put("foo.json", '{"foo": 1}')
    assert_refused(ctk("lint", spec), spec, "not an OpenAPI document", position=(1, 1))


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("openapi: 4.0.0\n", "unknown OpenAPI version '4.0.0'", (1, 1)),
        ("openapi: 3.0\n", "quote the version", (1, 1)),
        ("openapi: 3\n", "`openapi` must be a string", (1, 1)),
        ("openapi: '3.1'\n", "unknown OpenAPI version '3.1'", (1, 1)),
        ('swagger: "1.2"\n', "unknown Swagger version '1.2'", (1, 1)),
        ("swagger: 2.0\n", "unknown Swagger version 2.0", (1, 1)),
        ("info: {title: t}\nopenapi: [3.1.0]\n", "must be a string", (2, 1)),
    ],
)
def test_unknown_versions_are_refused(
    ctk: CtkRunner, put: Put, text: str, message: str, position: tuple[int, int]
) -> None:
    spec = put("version.yaml", text + "paths: {}\n")
    assert_refused(ctk("lint", spec), spec, message, position=position)


@pytest.mark.parametrize(("constant", "column"), [("NaN", 7), ("Infinity", 7), ("-Infinity", 7)])
def test_nan_and_infinity_in_json_are_located(
    ctk: CtkRunner, put: Put, constant: str, column: int
) -> None:
    spec = put("nan.json", '{"openapi": "3.1.0", "x": "NaN",\n "y": ' + constant + "}")
    assert_refused(ctk("lint", spec), spec, f"{constant} is not valid JSON", position=(2, column))


# -- what is not a file ----------------------------------------------------------------------


def test_missing_spec_is_refused(ctk: CtkRunner) -> None:
    assert_refused(ctk("lint", "spec/nope.yaml"), "spec/nope.yaml", "file not found")


def test_directory_as_spec_is_refused(ctk: CtkRunner, spec_dir: Path) -> None:
    assert_refused(ctk("lint", "spec"), "spec", "not a regular file")


def test_fifo_as_spec_is_refused_without_opening_it(ctk: CtkRunner, spec_dir: Path) -> None:
    os.mkfifo(spec_dir / "pipe.yaml")  # opening it would block until a writer comes
    assert_refused(ctk("lint", "spec/pipe.yaml"), "spec/pipe.yaml", "not a regular file")


def test_device_as_spec_is_refused(ctk: CtkRunner) -> None:
    run = ctk("lint", "/dev/zero")
    assert_refused(run, "/dev/zero", "not a regular file")


def test_one_bad_spec_does_not_hide_the_others(ctk: CtkRunner, put: Put) -> None:
    good = put("good.yaml", HEADER)
    bad = put("bad.yaml", HEADER + "x-a: &a [*a]\n")
    run = ctk("lint", good, bad)
    assert_refused(run, bad, "refers to its own ancestor")
    assert "1 file" in run.stdout


# -- loadable but malformed shapes: findings, never a traceback ------------------------------

_INFO = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"


@pytest.mark.parametrize(
    "text",
    [
        _INFO + "paths: {/a: null}\n",
        _INFO + "paths: {/a: 5}\n",
        _INFO + "paths: {/a: {parameters: 5}}\n",
        _INFO + "paths: {/a: {parameters: [5]}}\n",
        _INFO + "paths: {}\ncomponents: {schemas: 5}\n",
        _INFO + "paths: {}\ntags: [5]\n",
        _INFO + "paths: {'/a/{': {get: {responses: {'200': {description: x}}}}}\n",
        _INFO
        + "paths: {}\ncomponents: {schemas: {A: "
        + "{items: " * 100
        + "{}"
        + "}" * 100
        + "}}\n",
    ],
    ids=[
        "path-null",
        "path-int",
        "parameters-int",
        "parameter-int",
        "schemas-int",
        "tag-int",
        "path-brace",
        "schema-100-deep",
    ],
)
def test_malformed_shapes_are_findings_not_tracebacks(ctk: CtkRunner, put: Put, text: str) -> None:
    spec = put("shape.yaml", text)
    run = ctk("lint", spec)  # the fixture fails on a traceback
    assert run.returncode in (1, 2)
