"""The evaluation report as one self-contained HTML page with inline SVG plots."""

from __future__ import annotations

import html
from typing import Any

_PALETTE = ["#1f5fa8", "#c0392b", "#27864a", "#8e44ad", "#d4860b", "#16a2a2", "#6b4f2a"]


def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def pr_curves_svg(curves: dict[str, Any], categories: list[str], size: int = 420) -> str:
    """Interpolated precision-recall curves of the given categories, one colour each."""
    pad = 40
    inner = size - 2 * pad
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{size + 220}' height='{size}' "
        f"role='img' aria-label='precision-recall curves'>",
        f"<rect x='{pad}' y='{pad}' width='{inner}' height='{inner}' fill='#fafbfd' "
        "stroke='#99a'/>",
    ]
    for t in range(0, 11, 2):
        v = t / 10
        x = pad + v * inner
        y = pad + (1 - v) * inner
        parts.append(f"<text x='{x:.0f}' y='{size - pad + 16}' font-size='10' "
                     f"text-anchor='middle'>{v:.1f}</text>")  # fmt: skip
        parts.append(f"<text x='{pad - 6}' y='{y + 3:.0f}' font-size='10' "
                     f"text-anchor='end'>{v:.1f}</text>")  # fmt: skip
    parts.append(f"<text x='{size / 2:.0f}' y='{size - 6}' font-size='11' "
                 "text-anchor='middle'>recall</text>")  # fmt: skip
    parts.append(f"<text x='12' y='{size / 2:.0f}' font-size='11' transform='rotate(-90 12 "
                 f"{size / 2:.0f})' text-anchor='middle'>precision</text>")  # fmt: skip
    for i, category in enumerate(categories):
        curve = curves.get(category)
        if not curve or not curve["recall"]:
            continue
        colour = _PALETTE[i % len(_PALETTE)]
        best = 0.0
        interp = []
        for p in reversed(curve["precision"]):
            best = max(best, p)
            interp.append(best)
        interp.reverse()
        pts = [(0.0, interp[0]), *zip(curve["recall"], interp, strict=True)]
        path = " ".join(f"{pad + r * inner:.1f},{pad + (1 - p) * inner:.1f}" for r, p in pts)
        parts.append(f"<polyline fill='none' stroke='{colour}' stroke-width='1.6' "
                     f"points='{path}'/>")  # fmt: skip
        parts.append(f"<rect x='{size + 4}' y='{pad + i * 16}' width='10' height='10' "
                     f"fill='{colour}'/>")  # fmt: skip
        parts.append(f"<text x='{size + 18}' y='{pad + i * 16 + 9}' font-size='11'>"
                     f"{html.escape(category)}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def bar_chart_svg(values: dict[str, float | None], label: str, width: int = 760) -> str:
    """A horizontal bar per category."""
    row = 15
    left = 250
    items = sorted(values.items(), key=lambda kv: -(kv[1] or 0.0))
    height = row * len(items) + 30
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"role='img' aria-label='{html.escape(label)}'>"
    ]
    scale = width - left - 60
    for i, (name, value) in enumerate(items):
        y = 10 + i * row
        v = value or 0.0
        parts.append(f"<text x='{left - 6}' y='{y + 10}' font-size='11' text-anchor='end'>"
                     f"{html.escape(name)}</text>")  # fmt: skip
        parts.append(f"<rect x='{left}' y='{y + 2}' width='{v * scale:.1f}' height='{row - 4}' "
                     "fill='#1f5fa8'/>")  # fmt: skip
        parts.append(f"<text x='{left + v * scale + 4:.1f}' y='{y + 10}' font-size='10'>"
                     f"{_fmt(value)}</text>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def reliability_table(rows: list[dict[str, float]]) -> str:
    body = "".join(
        f"<tr><td>{r['bin']:.1f}</td><td>{r['count']:.0f}</td><td>{r['confidence']:.3f}</td>"
        f"<td>{r['accuracy']:.3f}</td></tr>"
        for r in rows
    )
    return (
        "<table><tr><th>confidence from</th><th>clauses</th><th>mean confidence</th>"
        f"<th>fraction correct</th></tr>{body}</table>"
    )


_HEAD = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Westfall Legal: clause model evaluation</title>
<style>body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#1d2430}
table{border-collapse:collapse;font-size:.9em}td,th{border-bottom:1px solid #e3e6ee;
padding:.25em .6em;text-align:right}td:first-child,th:first-child{text-align:left}
th{background:#f3f5f9}tr.weak td{background:#fdecea}td.weak{color:#b3261e;font-weight:600}
.warn{color:#b3261e}.note{color:#555;font-size:.9em}table.groups td{white-space:nowrap}
tr.few td{color:#8a8f99}.ci{color:#667;font-size:.8em}</style></head><body>
"""


def evaluation_html(report: dict[str, Any], curves: dict[str, Any]) -> str:
    """The whole page: the CUAD evaluation, the per-group table, the feedback pool's
    corrections per group and LegalBench, each where the report has it."""
    from westfall_legal.training.evaluate_sections import (
        feedback_groups_section,
        groups_section,
        legalbench_section,
    )

    parts = [_HEAD]
    if "per_category" in report:
        parts.append(cuad_section(report, curves))
    else:
        parts.append("<h1>Clause model evaluation</h1>")
    if "groups" in report:
        parts.append(groups_section(report["groups"]))
    if "feedback_groups" in report:
        parts.append(feedback_groups_section(report["feedback_groups"]))
    if "legalbench" in report:
        parts.append(legalbench_section(report["legalbench"]))
    parts.append("</body></html>\n")
    return "".join(parts)


def cuad_section(report: dict[str, Any], curves: dict[str, Any]) -> str:
    e = html.escape
    per = report["per_category"]
    macro = report["macro"]
    ranked = sorted(per, key=lambda c: -(per[c]["support"] or 0))
    rows = "".join(
        f"<tr><td>{e(c)}</td><td>{per[c]['support']}</td><td>{_fmt(per[c]['doc_precision'])}</td>"
        f"<td>{_fmt(per[c]['doc_recall'])}</td><td>{_fmt(per[c]['doc_f1'])}</td>"
        f"<td>{_fmt(per[c]['span_aupr'])}</td><td>{_fmt(per[c]['span_p_at_80r'])}</td>"
        f"<td>{_fmt(per[c]['span_p_at_90r'])}</td></tr>"
        for c in sorted(per)
    )
    facts = report.get("facts", {})
    fact_rows = "".join(
        f"<tr><td>{e(k)}</td><td>{_fmt(v)}</td><td>{facts.get(k + '_support', '')}</td></tr>"
        for k, v in facts.items()
        if not k.endswith("_support")
    )
    return f"""<h1>Clause model evaluation</h1>
<p>Model {e(str(report["model"]["id"]))} · source {e(report["model"]["source"])} ·
split {e(report["model"]["split"])} · {report["documents"]} documents
({len(report["failed_documents"])} failed) · {_fmt(report["seconds_per_page"])} s/page ·
peak {report["peak_rss_mb"]:.0f} MB</p>
<h2>Macro averages</h2><table><tr><th>metric</th><th>value</th></tr>
{"".join(f"<tr><td>{e(k)}</td><td>{_fmt(v)}</td></tr>" for k, v in macro.items())}
<tr><td>contract_type_accuracy</td><td>{_fmt(report["contract_type_accuracy"])}</td></tr>
<tr><td>calibration error (ECE)</td><td>{_fmt(report["calibration"]["ece"])}</td></tr>
</table>
<h2>Reliability of the confidences (all ranked clauses)</h2>
{reliability_table(report["calibration"]["reliability"])}
<h2>Precision-recall curves (the seven categories with most gold spans)</h2>
{pr_curves_svg(curves, ranked[:7])}
<h2>Span AUPR per category</h2>
{bar_chart_svg({c: per[c]["span_aupr"] for c in per if per[c]["support"]}, "span AUPR")}
<h2>Per category</h2><table><tr><th>category</th><th>gold spans</th><th>doc P</th>
<th>doc R</th><th>doc F1</th><th>AUPR</th><th>P@80%R</th><th>P@90%R</th></tr>{rows}</table>
<h2>Key facts (exact match after normalisation)</h2>
<table><tr><th>fact</th><th>accuracy</th><th>contracts with a gold answer</th></tr>
{fact_rows}</table>
<p>Metric definitions: see docs/accuracy.md. Span metrics here are more lenient than CUAD's
own answer-level metric; compare with CUAD's published baselines only as a rough guide.</p>
"""
