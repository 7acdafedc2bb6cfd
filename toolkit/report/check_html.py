"""`ctk check` as one self-contained page: stage verdicts, findings with their spec
location and the offending lines, fuzz failures with curl and replay files, every pact
interaction, and charts drawn as inline SVG. No script, no CDN, every value escaped."""

from __future__ import annotations

from html import escape
from typing import Any

from toolkit.check import CheckResult
from toolkit.report.check_data import check_data

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;color:#1d2330;max-width:1150px;
padding:0 1rem}h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2.2rem;
border-bottom:2px solid #e3e6ee}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;
padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f4f5f9}
.num{text-align:right;white-space:nowrap}
.badge{font-size:.8rem;font-weight:700;padding:.1rem .5rem;border-radius:3px;color:#fff;
text-transform:uppercase}.passed{background:#1e7d32}.failed{background:#c0392b}
.skipped{background:#7f8c8d}.verdict{font-size:1.1rem}
pre{background:#f7f7fa;padding:.5rem;overflow:auto;white-space:pre-wrap;
word-break:break-all;margin:.3rem 0}
.finding{border:1px solid #e6c3bf;border-left:4px solid #c0392b;border-radius:4px;
margin:.7rem 0;padding:.4rem .8rem}.where{color:#4a5468;font-family:monospace}
svg text{font:12px system-ui,sans-serif;fill:#1d2330}
.note{color:#4a5468}details summary{cursor:pointer;color:#4a5468}
"""


def render_check_html(result: CheckResult) -> str:
    data = check_data(result)
    verdict = "failed" if data["failed"] else "passed"
    counts = {
        s: sum(1 for x in data["stages"] if x["status"] == s)
        for s in ("passed", "failed", "skipped")
    }
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>ctk check: {verdict}</title><style>{_STYLE}</style></head><body>",
        f"<h1>ctk check <span class='badge verdict {verdict}' id='verdict'>{verdict}</span></h1>",
        f"<p class='note'>{escape(data['root'])} · {len(data['stages'])} stages: "
        f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped"
        f" · {data['elapsed']:.1f} s</p>",
        _stages(data["stages"]),
        _timings(data["stages"]),
        _failures(data["stages"]),
        _fuzz(data["stages"]),
        _pacts(data["stages"]),
        "</body></html>\n",
    ]
    return "".join(parts)


def _badge(status: str) -> str:
    return f"<span class='badge {escape(status)}'>{escape(status)}</span>"


def _stages(stages: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"<tr id='stage-{escape(s['api'])}-{escape(s['stage'])}'><td>{escape(s['api'])}</td>"
        f"<td>{escape(s['stage'])}</td><td>{_badge(s['status'])}</td>"
        f"<td>{escape(s['summary'])}</td>"
        f"<td class='num'>{s['failures']} / {s['tests']}</td>"
        f"<td class='num'>{s['elapsed']:.2f} s</td></tr>"
        for s in stages
    )
    return (
        "<h2>Stages</h2><table><tr><th>API</th><th>stage</th><th>status</th><th>result</th>"
        f"<th class='num'>failed / cases</th><th class='num'>time</th></tr>{rows}</table>"
    )


def _bars(rows: list[tuple[str, list[tuple[float, str]], str]], unit: str) -> str:
    """A horizontal bar chart: per row, stacked (value, colour) segments and a label."""
    most = max((sum(v for v, _ in segments) for _, segments, _ in rows), default=0) or 1
    height, label_width, width = 20, 330, 420
    body = []
    for index, (label, segments, text) in enumerate(rows):
        y = index * height
        body.append(f"<text x='0' y='{y + 14}'>{escape(label[:48])}</text>")
        x = float(label_width)
        for value, colour in segments:
            w = width * value / most
            body.append(
                f"<rect x='{x:.1f}' y='{y + 3}' width='{w:.1f}' height='{height - 6}' "
                f"fill='{colour}'/>"
            )
            x += w
        body.append(f"<text x='{x + 6:.1f}' y='{y + 14}'>{escape(text)}</text>")
    total = max(len(rows), 1) * height
    return (
        f"<svg role='img' aria-label='{escape(unit)}' width='{label_width + width + 160}' "
        f"height='{total}' viewBox='0 0 {label_width + width + 160} {total}' "
        f"xmlns='http://www.w3.org/2000/svg'>{''.join(body)}</svg>"
    )


def _timings(stages: list[dict[str, Any]]) -> str:
    colour = {"passed": "#2e8b57", "failed": "#c0392b", "skipped": "#aab2bd"}
    rows = [
        (
            f"{s['api']}: {s['stage']}",
            [(s["elapsed"], colour[s["status"]])],
            f"{s['elapsed']:.2f} s",
        )
        for s in stages
    ]
    return "<h2>Stage timings</h2>" + _bars(rows, "seconds per stage")


def _failures(stages: list[dict[str, Any]]) -> str:
    parts = []
    for s in stages:
        if s["status"] == "skipped":
            parts.append(
                f"<h3>{escape(s['api'])}: {escape(s['stage'])} {_badge('skipped')}</h3>"
                f"<p class='note'>{escape(s['reason'])}</p>"
            )
            continue
        failed = [c for c in s["cases"] if not c["passed"]]
        if not failed:
            continue
        parts.append(f"<h3>{escape(s['api'])}: {escape(s['stage'])} {_badge('failed')}</h3>")
        for case in failed:
            where = case["location"]["text"] if case["location"] else ""
            parts.append(
                "<div class='finding'>"
                f"<p><b>{escape(case['name'])}</b><br>{escape(case['message'])}</p>"
                + (f"<p class='where'>{escape(where)}</p>" if where else "")
                + (f"<pre>{escape(case['snippet'])}</pre>" if case["snippet"] else "")
                + _detail(case["detail"])
                + "</div>"
            )
    body = "".join(parts) or "<p>None: every stage that ran passed.</p>"
    return "<h2>Failures and skipped stages</h2>" + body


def _detail(text: str, shown: int = 12) -> str:
    """Short details inline; a long one (a stale file's diff) folded, its size in the fold."""
    if not text:
        return ""
    lines = text.count("\n") + 1
    if lines <= shown:
        return f"<pre>{escape(text)}</pre>"
    return f"<details><summary>{lines} lines</summary><pre>{escape(text)}</pre></details>"


def _fuzz(stages: list[dict[str, Any]]) -> str:
    parts = []
    for s in stages:
        fuzz = s.get("fuzz")
        if fuzz is None:
            continue
        rows = [
            (
                op["operation"],
                [(op["cases"] - op["failures"], "#4a7bd0"), (op["failures"], "#c0392b")],
                f"{op['cases']} cases" + (f", {op['failures']} failed" if op["failures"] else ""),
            )
            for op in fuzz["operations"]
        ]
        parts.append(
            f"<h3>{escape(s['api'])}: {fuzz['cases']} cases, seed {escape(str(fuzz['seed']))},"
            f" phases {escape(', '.join(fuzz['phases']))}</h3>"
            + _bars(rows, "fuzz cases and failures per operation")
        )
        for f in fuzz["findings"]:
            where = f["location"]
            place = f"{where['file']}:{where['line'] or '?'} ({where['pointer']})"
            replay = (
                f"<p>replay: <code>ctk fuzz --replay {escape(f['replay'])}.json</code></p>"
                if f["replay"]
                else ""
            )
            parts.append(
                "<div class='finding'>"
                f"<p><b>{escape(f['verdict'])}: {escape(f['operation'])}: "
                f"{escape(f['title'])}</b> ({f['count']} case(s), check {escape(f['check'])})</p>"
                f"<p class='where'>{escape(place)}</p><pre>{escape(f['message'])}</pre>"
                + (f"<p>curl:</p><pre>{escape(f['curl'])}</pre>" if f["curl"] else "")
                + replay
                + "</div>"
            )
    if not parts:
        return ""
    return "<h2>Fuzzing</h2>" + "".join(parts)


_PACT_BADGE = {"passed": "passed", "failed": "failed", "pending": "failed"}


def _pacts(stages: list[dict[str, Any]]) -> str:
    rows = []
    for s in stages:
        for pact in s.get("pacts", []):
            for i in pact["interactions"]:
                problems = [f"{d['kind']} {d['path']}: {d['message']}" for d in i["differences"]]
                problems += [
                    f"state {f['state']!r} {f['action']}: {f['error']}: {f['message']}"
                    for f in i["state_failures"]
                ]
                rows.append(
                    f"<tr><td>{escape(pact['consumer'])}</td><td>{escape(i['description'])}</td>"
                    f"<td>{escape(', '.join(i['states']))}</td>"
                    f"<td>{_badge(_PACT_BADGE.get(i['status'], 'skipped'))}</td>"
                    f"<td>{'<br>'.join(escape(p) for p in problems)}</td></tr>"
                )
    if not rows:
        return ""
    return (
        "<h2>Pact interactions</h2><table><tr><th>consumer</th><th>interaction</th>"
        f"<th>provider states</th><th>result</th><th>differences</th></tr>{''.join(rows)}</table>"
    )
