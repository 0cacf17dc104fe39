"""The accuracy report (:mod:`.accuracy_report`) as one self-contained HTML page: tables and
inline SVG plots, no script, no outside file."""

from __future__ import annotations

from html import escape

from westfall_legal.feedback.accuracy_report import OUTCOMES, AccuracyReport, Tally

COLOURS = {"agreed": "#27864a", "rejected": "#c0392b", "relabelled": "#d4860b",
           "span": "#8e44ad", "missed": "#1f5fa8"}  # fmt: skip
STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}
table{border-collapse:collapse;margin:0.5em 0 1.5em}
td,th{border:1px solid #ccd;padding:3px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}
.warn{background:#fde8e6} .note{color:#555} h2{margin-top:1.6em}
"""


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _interval(t: Tally) -> str:
    ci = t.interval()
    return "–" if ci is None else f"{100 * ci[0]:.0f}–{100 * ci[1]:.0f}%"


def weekly_svg(per_week: dict[str, Tally], expected: float | None, width: int = 760) -> str:
    """Agreement per week (points joined by a line, the count under each), and the
    evaluation's figure as a dashed line."""
    height, pad = 260, 44
    weeks = list(per_week)
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    step = inner_w / max(1, len(weeks) - 1) if len(weeks) > 1 else 0.0

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + (i * step if len(weeks) > 1 else inner_w / 2)
        return x, pad + (1 - v) * inner_h

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
             "role='img' aria-label='agreement per week'>",
             f"<rect x='{pad}' y='{pad}' width='{inner_w}' height='{inner_h}' fill='#fafbfd' "
             "stroke='#99a'/>"]  # fmt: skip
    for t in range(0, 11, 2):
        y = pad + (1 - t / 10) * inner_h
        parts.append(f"<text x='{pad - 6}' y='{y + 3:.0f}' font-size='10' text-anchor='end'>"
                     f"{10 * t}%</text>")  # fmt: skip
    if expected is not None:
        y = xy(0, expected)[1]
        parts.append(f"<line x1='{pad}' x2='{pad + inner_w}' y1='{y:.1f}' y2='{y:.1f}' "
                     "stroke='#555' stroke-dasharray='5,4'/>"
                     f"<text x='{pad + inner_w - 4}' y='{y - 4:.1f}' font-size='10' "
                     f"text-anchor='end'>evaluation {100 * expected:.0f}%</text>")  # fmt: skip
    points = [(i, t.agreement, t.judged, w) for i, (w, t) in enumerate(per_week.items())]
    line = " ".join(
        f"{xy(i, a)[0]:.1f},{xy(i, a)[1]:.1f}" for i, a, _, _ in points if a is not None
    )
    parts.append(f"<polyline fill='none' stroke='{COLOURS['agreed']}' stroke-width='2' "
                 f"points='{line}'/>")  # fmt: skip
    for i, agreement, n, week in points:
        x = xy(i, 0)[0]
        parts.append(f"<text x='{x:.1f}' y='{height - pad + 14}' font-size='10' "
                     f"text-anchor='middle'>{escape(week)}</text>"
                     f"<text x='{x:.1f}' y='{height - pad + 26}' font-size='9' fill='#555' "
                     f"text-anchor='middle'>n={n}</text>")  # fmt: skip
        if agreement is not None:
            cx, cy = xy(i, agreement)
            parts.append(f"<circle cx='{cx:.1f}' cy='{cy:.1f}' r='3.5' "
                         f"fill='{COLOURS['agreed']}'/>")  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def corrected_svg(rows: list[tuple[str, Tally]], width: int = 760) -> str:
    """The most corrected categories: one bar each, split by kind of change."""
    label_w, bar_h, top = 260, 18, 24
    height = top + len(rows) * (bar_h + 6) + 10
    most = max((t.changes for _, t in rows), default=1) or 1
    scale = (width - label_w - 60) / most
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
             "role='img' aria-label='corrections per category'>"]  # fmt: skip
    x = float(label_w)
    for kind in OUTCOMES[1:]:
        parts.append(f"<rect x='{x}' y='4' width='10' height='10' fill='{COLOURS[kind]}'/>"
                     f"<text x='{x + 14}' y='13' font-size='11'>{kind}</text>")  # fmt: skip
        x += 90
    for r, (category, tally) in enumerate(rows):
        y = top + r * (bar_h + 6)
        parts.append(f"<text x='{label_w - 6}' y='{y + 13}' font-size='11' text-anchor='end'>"
                     f"{escape(category[:40])}</text>")  # fmt: skip
        x = float(label_w)
        for kind in OUTCOMES[1:]:
            w = tally.counts[kind] * scale
            if w:
                parts.append(f"<rect x='{x:.1f}' y='{y}' width='{w:.1f}' height='{bar_h}' "
                             f"fill='{COLOURS[kind]}'><title>{kind}: {tally.counts[kind]}"
                             "</title></rect>")  # fmt: skip
            x += w
        parts.append(f"<text x='{x + 4:.1f}' y='{y + 13}' font-size='11'>{tally.changes}</text>")
    parts.append("</svg>")
    return "".join(parts)


def _tally_cells(t: Tally) -> str:
    counts = "".join(f"<td>{t.counts[o]}</td>" for o in OUTCOMES)
    return f"<td>{t.judged}</td>{counts}<td>{_pct(t.agreement)}</td><td>{_interval(t)}</td>"


HEAD = ("<th>judged</th>" + "".join(f"<th>{o}</th>" for o in OUTCOMES)
        + "<th>agreement</th><th>95% interval</th>")  # fmt: skip


def accuracy_html(report: AccuracyReport) -> str:
    expected = report.expected
    macro = expected.get("macro")
    o = report.overall
    flagged = set(report.flagged)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Accuracy report since {escape(report.since)}</title><style>{STYLE}</style>",
        "</head><body>",
        f"<h1>Accuracy report: {escape(report.since)} to {escape(report.until)}</h1>",
        f"<p>{o.judged} of the model's clauses judged by reviewers; agreement "
        f"<b>{_pct(o.agreement)}</b> (95% interval {_interval(o)}); {o.changes} corrections, "
        f"{o.counts['missed']} of them clauses the model missed.</p>",
        "<p class='note'>Agreement: accepted unchanged / judged (rejected, relabelled and span "
        "changes count against the model's category; missed clauses are counted apart). "
        "Undone corrections do not count.</p>",
    ]
    if flagged:
        parts.append("<p class='warn'>Below the model's evaluation: "
                     + escape(", ".join(sorted(flagged))) + "</p>")  # fmt: skip
    parts += ["<h2>Agreement per week</h2>", weekly_svg(report.per_week, macro),
              f"<table><tr><th>week</th>{HEAD}</tr>"]  # fmt: skip
    parts += [f"<tr><td>{escape(w)}</td>{_tally_cells(t)}</tr>" for w, t in report.per_week.items()]
    parts.append("</table><h2>Most corrected categories</h2>")
    most = report.most_corrected()
    parts.append(corrected_svg(most) if most else "<p>No corrections in this period.</p>")
    source = escape(report.expected_source or "no evaluation figures given")
    parts += ["<h2>Per category, against the model's evaluation</h2>",
              f"<p class='note'>Evaluation figure: document precision ({source}), the nearest "
              "measured figure to reviewers' agreement; a category is flagged where it lies above "
              "the agreement's interval.</p>",
              f"<table><tr><th>category</th>{HEAD}<th>evaluation</th></tr>"]  # fmt: skip
    for category, t in report.per_category.items():
        cls = " class='warn'" if category in flagged else ""
        parts.append(f"<tr{cls}><td>{escape(category)}</td>{_tally_cells(t)}"
                     f"<td>{_pct(expected.get(category))}</td></tr>")  # fmt: skip
    weeks = list(report.per_week)
    parts += ["</table><h2>Agreement per category and week</h2><table><tr><th>category</th>"
              + "".join(f"<th>{escape(w)}</th>" for w in weeks) + "</tr>"]  # fmt: skip
    for category, by_week in report.per_category_week.items():
        cells = "".join(
            f"<td>{_pct(by_week[w].agreement)} ({by_week[w].judged})</td>" if w in by_week
            else "<td></td>" for w in weeks
        )  # fmt: skip
        parts.append(f"<tr><td>{escape(category)}</td>{cells}</tr>")
    parts += ["</table><h2>Drift: changes per proposed clause, per model and month</h2>",
              "<table><tr><th>model</th><th>month</th><th>reviews</th><th>clauses</th>"
              "<th>changed</th><th>rate</th><th>accepted</th></tr>"]  # fmt: skip
    for r in report.drift:
        parts.append(f"<tr><td>{escape(r.model)}</td><td>{r.month}</td><td>{r.reviews}</td>"
                     f"<td>{r.clauses}</td><td>{r.changes}</td><td>{_pct(r.rate)}</td>"
                     f"<td>{r.accepts}</td></tr>")  # fmt: skip
    parts.append("</table></body></html>")
    return "\n".join(parts)
