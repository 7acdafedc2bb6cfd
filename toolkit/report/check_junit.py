"""`ctk check` as JUnit XML: one testsuite per API and stage, one testcase per case; a
skipped stage is one skipped case carrying its reason."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from toolkit.check import CheckResult, Status
from toolkit.report.junit import DECLARATION, xml_safe


def render_check_junit(result: CheckResult) -> str:
    root = ET.Element("testsuites", name="ctk check")
    total = failed = skipped = 0
    for stage in result.stages:
        suite = ET.SubElement(root, "testsuite", name=xml_safe(f"{stage.api}: {stage.stage}"))
        suite.set("time", f"{stage.elapsed:.3f}")
        if stage.status is Status.SKIPPED:
            case = ET.SubElement(suite, "testcase", classname=stage.api, name=stage.stage)
            ET.SubElement(case, "skipped", message=xml_safe(stage.reason))
            tests, failures, skips = 1, 0, 1
        else:
            for item in stage.cases:
                case = ET.SubElement(
                    suite,
                    "testcase",
                    classname=xml_safe(f"{stage.api}.{stage.stage}"),
                    name=xml_safe(item.name),
                )
                if not item.passed:
                    text = "\n".join(
                        x for x in (str(item.location or ""), item.message, item.detail) if x
                    )
                    failure = ET.SubElement(case, "failure", message=xml_safe(item.message))
                    failure.text = xml_safe(text)
            tests, failures, skips = len(stage.cases), stage.failures, 0
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suite.set("skipped", str(skips))
        total, failed, skipped = total + tests, failed + failures, skipped + skips
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    root.set("time", f"{result.elapsed:.3f}")
    ET.indent(root)
    return DECLARATION + ET.tostring(root, encoding="unicode") + "\n"
