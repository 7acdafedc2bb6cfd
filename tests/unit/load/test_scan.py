"""One walk over loaded data: `$ref` sites, and the node and depth bounds for JSON and YAML."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.config import LoadOptions
from toolkit.errors import LoadError
from toolkit.load.parse import parse
from toolkit.load.scan import RefSite, scan
from toolkit.load.source import source_from_text

DOC = '{"a": {"$ref": "#/b", "description": "d"}, "b": [{"$ref": "x.yaml"}, 1], "c/d": {"$ref": 5}}'


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_ref_sites(fmt: str) -> None:
    data = parse(DOC, "t", "json")
    sites = scan(data, "t", LoadOptions(), shared=fmt == "yaml")
    assert sorted(sites, key=lambda s: s.pointer) == [
        RefSite("/a", "#/b", has_siblings=True),
        RefSite("/b/0", "x.yaml", has_siblings=False),
    ]


@pytest.mark.parametrize("shared", [False, True])
def test_node_bound_is_the_same_for_json_and_yaml(shared: bool) -> None:
    data = parse(DOC, "t", "json")  # values are counted, not keys
    nodes = 1 + 3 + 2 + 2 + 1 + 1  # root; a, b, c/d; a's 2; b's 2; b[0]'s 1; c/d's 1
    assert scan(data, "t", LoadOptions(max_nodes=nodes), shared=shared)
    with pytest.raises(LoadError, match=f"more than {nodes - 1:,} nodes"):
        scan(data, "t", LoadOptions(max_nodes=nodes - 1), shared=shared)


@pytest.mark.parametrize("shared", [False, True])
def test_depth_bound(shared: bool) -> None:
    data = parse("[" * 10 + "]" * 10, "t", "json")
    assert scan(data, "t", LoadOptions(max_depth=10), shared=shared) == []
    with pytest.raises(LoadError, match="nesting deeper than 9 levels") as info:
        scan(data, "t", LoadOptions(max_depth=9), shared=shared)
    assert info.value.location is not None
    # the tree walk names the first node too deep, the graph walk the node whose subtree is
    assert ("/0" * 9).startswith(info.value.location.pointer)


def test_alias_bomb_is_measured_not_expanded() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    data = parse("\n".join(lines), "t", "yaml")  # 9**30 nodes once expanded
    with pytest.raises(LoadError, match="alias bomb"):
        scan(data, "t", LoadOptions(), shared=True)


def test_shared_but_acyclic_aliases_are_fine() -> None:
    data = parse("a: &a {k: 1}\nb: [*a, *a, {c: *a}]\n", "t", "yaml")
    assert scan(data, "t", LoadOptions(max_nodes=12), shared=True) == []


def test_scan_errors_get_a_line_and_column() -> None:
    text = "openapi: 3.1.0\nx:\n  y: &y [*y]\n"
    with pytest.raises(LoadError, match="own ancestor") as info:
        source_from_text(Path("t.yaml"), text, LoadOptions())
    assert info.value.location is not None
    assert (info.value.location.line, info.value.location.column) == (3, 6)  # the anchor


def test_yaml_flow_document_in_a_yaml_file_is_yaml() -> None:
    source = source_from_text(Path("t.yaml"), "{openapi: 3.1.0, paths: {}}\n", LoadOptions())
    assert source.format == "yaml"
    assert source.data == {"openapi": "3.1.0", "paths": {}}


def test_json_errors_in_a_json_file_stay_json_errors() -> None:
    with pytest.raises(LoadError, match="malformed JSON"):
        source_from_text(Path("t.json"), "{openapi: 3.1.0}\n", LoadOptions())


def test_json_in_a_yaml_file_takes_the_json_path() -> None:
    source = source_from_text(Path("t.yaml"), '{"openapi": "3.1.0"}', LoadOptions())
    assert source.format == "json"


def test_a_json_flood_in_a_yaml_file_is_not_retried_as_yaml() -> None:
    text = "[" + "[]," * 2000 + "1]"
    with pytest.raises(LoadError, match="has more than 1,000 nodes"):
        source_from_text(Path("t.yaml"), text, LoadOptions(max_nodes=1000))
