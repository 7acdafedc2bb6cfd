"""JUnit for a contract run: one testsuite per pact (consumer), one testcase per interaction,
the failure's message the first difference and its text all of them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from toolkit.report._contract import headline, interaction_lines
from toolkit.report.junit import DECLARATION, xml_safe
from toolkit.verify.contract.results import ContractResult, PactResult, Status


def render_contract_junit(result: ContractResult) -> str:
    root = ET.Element("testsuites", name="ctk contract verify")
    totals = [0, 0, 0, 0]  # tests, failures, errors, skipped
    for pact in result.pacts:
        counts = _suite(root, pact)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    if result.errors:
        suite = ET.SubElement(root, "testsuite", name="ctk contract verify: run")
        for error in result.errors:
            case = ET.SubElement(suite, "testcase", classname="run", name="error")
            ET.SubElement(case, "error", message=xml_safe(error.splitlines()[0])).text = xml_safe(
                error
            )
        _counts(suite, [len(result.errors), 0, len(result.errors), 0])
        totals[0] += len(result.errors)
        totals[2] += len(result.errors)
    _counts(root, totals)
    root.set("time", f"{result.elapsed:.3f}")
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _suite(root: ET.Element, pact: PactResult) -> list[int]:
    suite = ET.SubElement(root, "testsuite", name=xml_safe(f"{pact.consumer} -> {pact.provider}"))
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="source", value=xml_safe(pact.source))
    seconds = 0.0
    for interaction in pact.interactions:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=xml_safe(pact.consumer),
            name=xml_safe(interaction.description),
        )
        if interaction.seconds is not None:
            case.set("time", f"{interaction.seconds:.3f}")
            seconds += interaction.seconds
        detail = xml_safe("\n".join(interaction_lines(interaction)))
        if interaction.status is Status.FAILED:
            failure = ET.SubElement(
                case, "failure", message=xml_safe(headline(interaction)), type="contract"
            )
            failure.text = detail
        elif interaction.status is Status.SKIPPED:
            ET.SubElement(case, "skipped", message="left out by a filter")
        elif interaction.status is Status.PENDING:
            ET.SubElement(case, "system-out").text = "pending (not fatal):\n" + detail
    counts = [
        len(pact.interactions),
        pact.count(Status.FAILED),
        0,
        pact.count(Status.SKIPPED),
    ]
    _counts(suite, counts)
    suite.set("time", f"{seconds:.3f}")
    return counts


def _counts(element: ET.Element, counts: list[int]) -> None:
    for name, value in zip(("tests", "failures", "errors", "skipped"), counts, strict=True):
        element.set(name, str(value))
