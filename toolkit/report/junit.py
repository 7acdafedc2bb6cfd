"""JUnit XML, so CI systems that only understand test reports still show findings."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from toolkit.errors import Diagnostic, Severity, pointer_to_path
from toolkit.outcome import Outcome
from toolkit.report._grouping import by_file

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'

# Characters XML 1.0 cannot carry even escaped; ElementTree would write them verbatim.
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit(outcome: Outcome, *, fail_on: Severity) -> str:
    """One suite per file, one case per finding; findings at or above `fail_on` fail.
    A file without findings gets one passing case so CI counts it."""
    suite_name = _suite_name(outcome.tool)
    root = ET.Element("testsuites", name=suite_name)
    tests = failures = 0
    for file, diagnostics in by_file(outcome.diagnostics, outcome.targets).items():
        suite = ET.SubElement(root, "testsuite", name=suite_name)
        if diagnostics:
            for diagnostic in diagnostics:
                _case(suite, diagnostic, fail_on)
        else:
            ET.SubElement(suite, "testcase", classname=xml_safe(file), name="no findings")
        suite_failures = sum(1 for d in diagnostics if d.severity >= fail_on)
        suite_tests = max(len(diagnostics), 1)
        _counts(suite, suite_tests, suite_failures)
        tests += suite_tests
        failures += suite_failures
    _counts(root, tests, failures)
    root.set("time", f"{outcome.elapsed:.3f}")
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _suite_name(tool: str) -> str:
    return tool if tool.split(" ", 1)[0] == "ctk" else f"ctk {tool}"


def _case(suite: ET.Element, diagnostic: Diagnostic, fail_on: Severity) -> None:
    location = diagnostic.location
    if location.pointer:
        name = f"{diagnostic.rule} at {pointer_to_path(location.pointer)}"
    elif location.line is not None:
        name = f"{diagnostic.rule} at line {location.line}"
    else:
        name = diagnostic.rule
    case = ET.SubElement(suite, "testcase", classname=xml_safe(location.file), name=xml_safe(name))
    detail = [f"{location}: {diagnostic.message}"]
    detail.extend(f"see {related}" for related in diagnostic.related)
    if diagnostic.hint:
        detail.append(f"hint: {diagnostic.hint}")
    if diagnostic.severity >= fail_on:
        failure = ET.SubElement(
            case, "failure", message=xml_safe(diagnostic.message), type=diagnostic.severity.label
        )
        failure.text = xml_safe("\n".join(detail))
    else:
        output = ET.SubElement(case, "system-out")
        output.text = xml_safe(
            "\n".join([f"{diagnostic.severity.label}: {detail[0]}", *detail[1:]])
        )


def _counts(element: ET.Element, tests: int, failures: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", "0")
    element.set("skipped", "0")


def xml_safe(text: str) -> str:
    return _ILLEGAL.sub("\ufffd", text)
