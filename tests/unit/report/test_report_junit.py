from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from toolkit.errors import Diagnostic, Location, Severity
from toolkit.outcome import Outcome
from toolkit.report import render_junit


@pytest.mark.parametrize(
    ("fail_on", "failures"),
    [(Severity.ERROR, 1), (Severity.WARNING, 2), (Severity.INFO, 3)],
)
def test_failures_follow_fail_on(outcome: Outcome, fail_on: Severity, failures: int) -> None:
    root = ET.fromstring(render_junit(outcome, fail_on=fail_on))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("4", str(failures))
    spec, other = root.findall("testsuite")
    assert (spec.get("tests"), spec.get("failures")) == ("3", str(failures))
    assert len(spec.findall("testcase/failure")) == failures
    assert (other.get("tests"), other.get("failures")) == ("1", "0")


def test_cases(outcome: Outcome) -> None:
    root = ET.fromstring(render_junit(outcome, fail_on=Severity.WARNING))
    spec, other = root.findall("testsuite")
    assert spec.get("name") == other.get("name") == "ctk lint"
    cases = [(c.get("classname"), c.get("name")) for c in spec.iter("testcase")]
    assert cases == [
        ("spec.yaml", "operation-id at paths./pets.get"),
        ("spec.yaml", "info-contact at info"),
        ("spec.yaml", "servers"),
    ]
    failure = spec.find("testcase/failure")
    assert failure is not None
    assert failure.attrib == {"message": "Operation has no operationId", "type": "error"}
    assert failure.text == (
        "spec.yaml:4:5 (paths./pets.get): Operation has no operationId\nhint: add an operationId"
    )
    passed = spec.findall("testcase")[2]
    assert passed.find("failure") is None
    assert passed.findtext("system-out") == "info: spec.yaml: no servers listed"
    [none] = other.findall("testcase")
    assert none.attrib == {"classname": "other.yaml", "name": "no findings"}


def test_declaration_and_clean_snapshot(clean: Outcome) -> None:
    assert render_junit(clean, fail_on=Severity.ERROR) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="ctk lint" tests="2" failures="0" errors="0" skipped="0" '
        'time="0.100">\n'
        '  <testsuite name="ctk lint" tests="1" failures="0" errors="0" skipped="0">\n'
        '    <testcase classname="a.yaml" name="no findings" />\n'
        "  </testsuite>\n"
        '  <testsuite name="ctk lint" tests="1" failures="0" errors="0" skipped="0">\n'
        '    <testcase classname="b.json" name="no findings" />\n'
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_content_is_escaped_and_xml_safe() -> None:
    message = 'expected <int> & "str"\x00\x1b end'
    diagnostic = Diagnostic("r", Severity.ERROR, message, Location('a&<"b>.yaml', "/a~1b"))
    xml = render_junit(Outcome("lint", ("other.yaml",), (diagnostic,)), fail_on=Severity.ERROR)
    root = ET.fromstring(xml)  # would raise on raw control characters
    assert root.get("name") == "ctk lint"
    # a diagnostic in a file outside the targets still gets its own suite, after the targets
    other, outside = root.findall("testsuite")
    assert other.findall("testcase")[0].get("name") == "no findings"
    case = outside.find("testcase")
    assert case is not None
    assert case.get("classname") == 'a&<"b>.yaml'
    assert case.get("name") == "r at a/b"
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == 'expected <int> & "str"\ufffd\ufffd end'
