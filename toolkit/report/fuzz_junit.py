"""JUnit for a fuzz run: one testcase per operation x check, so CI dashboards show what was
checked, not only what failed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from toolkit.report.junit import DECLARATION, xml_safe
from toolkit.verify.fuzz.results import FuzzResult, Verdict


def render_fuzz_junit(result: FuzzResult, *, strict: bool = False) -> str:
    root = ET.Element("testsuites", name="ctk fuzz")
    suite = ET.SubElement(root, "testsuite", name=f"ctk fuzz {result.spec}")
    tests = failures = errors = 0
    for operation in result.operations.values():
        for check in result.checks:
            tests += 1
            case = ET.SubElement(suite, "testcase", classname=xml_safe(operation.label), name=check)
            found = [
                f for f in result.findings if f.operation == operation.label and f.check == check
            ]
            notes = []
            for finding in found:
                text = f"{finding.title}: {finding.message}"
                failing = finding.verdict is Verdict.BUG or (
                    strict and finding.verdict is Verdict.CONTRACT
                )
                if failing:
                    failures += 1
                    element = ET.SubElement(
                        case, "failure", message=xml_safe(finding.title), type=finding.verdict.value
                    )
                    element.text = xml_safe(
                        f"{finding.location}\n{text}\n{finding.traceback}".strip()
                    )
                else:
                    proof = finding.evidence.proof if finding.evidence else ""
                    notes.append(f"{finding.verdict.value}: {finding.title}: {proof}")
            if notes:
                ET.SubElement(case, "system-out").text = xml_safe("\n".join(notes))
    for error in result.errors:
        tests += 1
        case = ET.SubElement(
            suite, "testcase", classname=xml_safe(error.operation or "run"), name="error"
        )
        if error.evidence is None:
            errors += 1
            element = ET.SubElement(case, "error", message=xml_safe(error.title))
        elif strict:
            failures += 1
            element = ET.SubElement(case, "failure", message=xml_safe(error.title))
        else:
            element = ET.SubElement(case, "system-out")
        proof = f"\n{error.evidence.proof}" if error.evidence else ""
        element.text = xml_safe(error.message + proof)
    for element in (root, suite):
        element.set("tests", str(tests))
        element.set("failures", str(failures))
        element.set("errors", str(errors))
        element.set("time", f"{result.elapsed:.3f}")
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("schemathesis", result.schemathesis_version),
        ("seed", str(result.seed)),
        ("checks", ",".join(result.checks)),
    ):
        ET.SubElement(properties, "property", name=name, value=xml_safe(value))
    suite.insert(0, suite[-1])
    del suite[-1]
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
