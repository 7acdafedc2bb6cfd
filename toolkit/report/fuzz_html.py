"""A self-contained HTML page of a fuzz run: no script, no CDN, every value escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from toolkit.report.fuzz_data import fuzz_data
from toolkit.verify.fuzz.results import FuzzResult

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d2330;max-width:1100px}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;padding:.3rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f5f9}.num{text-align:right;white-space:nowrap}
.bar{background:#4a7bd0;height:.7rem;display:inline-block}.bad{background:#c0392b}
.passed{color:#1e7d32;font-weight:600}.failed{color:#c0392b;font-weight:600}
details{border:1px solid #dde;border-radius:4px;margin:.6rem 0;padding:.4rem .7rem}
summary{cursor:pointer;font-weight:600}pre{background:#f7f7fa;padding:.5rem;overflow:auto;
white-space:pre-wrap;word-break:break-all}
.tag{font-size:.8rem;padding:.05rem .4rem;border-radius:3px;color:#fff}
.implementation-bug{background:#c0392b}.contract-defect{background:#b9770e}
.tool-limitation{background:#5d6d7e}
"""


def render_fuzz_html(
    result: FuzzResult, *, strict: bool = False, replays: dict[str, str] | None = None
) -> str:
    data = fuzz_data(result, strict=strict, replays=replays)
    verdict = "failed" if data["failed"] else "passed"
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>ctk fuzz: {escape(data['spec'])}</title><style>{_STYLE}</style></head><body>",
        f"<h1>ctk fuzz: {escape(data['spec'])} <span class='{verdict}'>{verdict}</span></h1>",
        "<p>",
        f"target <code>{escape(data['target'])}</code>",
        f" · schemathesis {escape(data['schemathesis'])}",
        f" · seed {escape(str(data['seed']))} · {data['cases']} cases in {data['elapsed']:.1f} s",
        "</p>",
        f"<p>phases: {escape(', '.join(f'{k}: {v}' for k, v in data['phase_status'].items()))}</p>",
        f"<p>checks: {escape(', '.join(data['checks']))}</p>",
        _operations(data),
        _findings(data),
        _links(data),
        _errors(data),
        "</body></html>\n",
    ]
    return "".join(parts)


def _operations(data: dict[str, Any]) -> str:
    most = max((op["cases"] for op in data["operations"]), default=1) or 1
    rows = []
    for op in data["operations"]:
        width = 200 * op["cases"] // most
        bar = f"<span class='bar' style='width:{width}px'></span>"
        if op["failures"]:
            bar += f" <span class='bar bad' style='width:{12 * op['failures']}px'></span>"
        refusals = ", ".join(f"{n} x {s}" for s, n in op["documented_refusals"].items())
        rows.append(
            f"<tr><td>{escape(op['operation'])}</td><td class='num'>{op['cases']}</td>"
            f"<td class='num'>{op['failures']}</td><td class='num'>{op['seconds']:.2f} s</td>"
            f"<td>{bar}</td><td>{escape(refusals)}</td></tr>"
        )
    return (
        "<h2>Operations</h2><table><tr><th>operation</th><th>cases</th><th>failures</th>"
        "<th>time</th><th>cases / failures</th><th>documented refusals</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _findings(data: dict[str, Any]) -> str:
    if not data["findings"]:
        return "<h2>Findings</h2><p>None.</p>"
    items = []
    for f in data["findings"]:
        where = f["location"]
        place = f"{where['file']}:{where['line'] or '?'} ({where['pointer']})"
        request = f["request"]
        lines = [f"{request['method']} {request['url']}"]
        lines += [f"{k}: {v}" for k, v in request["headers"]]
        request_text = "\n".join(lines) + ("\n\n" + request["body"] if request["body"] else "")
        response = f["response"]
        response_text = "(no response)"
        if response is not None:
            head = [f"{response['status']}"] + [f"{k}: {v}" for k, v in response["headers"]]
            response_text = "\n".join(head) + "\n\n" + response["body"]
        evidence = f["evidence"]
        extra = ""
        if evidence:
            ref = evidence["reference"]
            link = f" <a href='{escape(ref)}'>{escape(ref)}</a>" if ref else ""
            extra += (
                f"<p><b>{escape(evidence['reason'])}</b>: {escape(evidence['proof'])}{link}</p>"
            )
        if f["replay"]:
            stem = escape(f["replay"])
            extra += f"<p>replay: <code>{stem}.sh</code>, <code>{stem}.json</code></p>"
        if f["traceback"]:
            extra += f"<p>traceback:</p><pre>{escape(f['traceback'])}</pre>"
        items.append(
            f"<details><summary><span class='tag {escape(f['verdict'])}'>"
            f"{escape(f['verdict'])}</span> "
            f"{escape(f['operation'])}: {escape(f['check'])}: {escape(f['title'])}"
            f" ({f['count']} case{'s' if f['count'] != 1 else ''})</summary>"
            f"<p>spec: <code>{escape(place)}</code> · phase {escape(f['phase'])}</p>"
            f"<pre>{escape(f['message'])}</pre>{extra}"
            f"<p>request:</p><pre>{escape(request_text)}</pre>"
            f"<p>response:</p><pre>{escape(response_text)}</pre></details>"
        )
    return "<h2>Findings</h2>" + "".join(items)


def _links(data: dict[str, Any]) -> str:
    if not data["inferred_links"]:
        return ""
    rows = "".join(
        f"<tr><td>{escape(link['source'])}</td><td>{escape(link['target'])}</td>"
        f"<td>{escape(', '.join(f'{k} = {v}' for k, v in link['parameters'].items()))}</td></tr>"
        for link in data["inferred_links"]
    )
    return (
        "<h2>Inferred links</h2><table><tr><th>from</th><th>to</th><th>parameters</th></tr>"
        + rows
        + "</table>"
    )


def _errors(data: dict[str, Any]) -> str:
    if not data["errors"]:
        return ""
    rows = []
    for e in data["errors"]:
        evidence = e["evidence"]
        kind = (
            "run error"
            if evidence is None
            else f"contract defect ({escape(evidence['reason'])}): {escape(evidence['proof'])}"
        )
        rows.append(
            f"<li>{escape(e['operation'])} {escape(e['title'])} <i>{kind}</i>"
            f"<pre>{escape(e['message'])}</pre></li>"
        )
    return f"<h2>Errors</h2><ul>{''.join(rows)}</ul>"
