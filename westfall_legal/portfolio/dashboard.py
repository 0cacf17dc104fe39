"""``portfolio.html``: one self-contained page (inline SVG drawn here, no script, nothing
fetched) with the portfolio's plots: contract types, governing law, the key clauses
(change of control, anti-assignment, exclusivity first), expiry and renewal by year, and
findings by severity. Every bar is a link to the list of contracts behind it, further down
the same page, and each contract in a list links to its HTML review.

:class:`Dashboard` takes the rows one at a time and keeps only the counts and, per bar,
the names and review links of its contracts.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from westfall_legal.categories import TOP_CATEGORIES
from westfall_legal.portfolio.rows import SEVERITIES, Row
from westfall_legal.report import write_atomic

KEY_FIRST = ("Change Of Control", "Anti-Assignment", "Exclusivity")
KEY_CLAUSES = KEY_FIRST + tuple(c for c in TOP_CATEGORIES if c not in KEY_FIRST)
MOST_BARS = 15  # bars per plot; the rest are summed into "others"
COLOURS = {"bar": "#3465a4", "key": "#c4501b", "renewal": "#75a832", "high": "#c0392b",
           "medium": "#e08e0b", "low": "#6c8ebf", "none": "#9a9a9a"}  # fmt: skip
BAR_H, LABEL_W, PLOT_W = 22, 190, 260


@dataclass
class Plot:
    """One plot: bars by key, and the contracts behind each bar."""

    id: str
    title: str
    order: tuple[str, ...] = ()  # a fixed order of bars (otherwise: largest first)
    counts: Counter[str] = field(default_factory=Counter)
    members: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, key: str, name: str, review: str) -> None:
        self.counts[key] += 1
        self.members[key].append((name, review))

    def bars(self) -> list[tuple[str, int]]:
        if self.order:
            return [(k, self.counts[k]) for k in self.order]
        ranked = self.counts.most_common()
        if len(ranked) <= MOST_BARS:
            return ranked
        return [*ranked[: MOST_BARS - 1], ("others", sum(n for _, n in ranked[MOST_BARS - 1 :]))]


def anchor(plot: str, key: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in key.lower())
    return f"list-{plot}-{safe}"


class Dashboard:
    def __init__(self) -> None:
        self.contracts = 0
        self.errors: list[tuple[str, str]] = []
        self.types = Plot("type", "Contract types")
        self.law = Plot("law", "Governing law")
        self.key = Plot("clause", "Contracts with each key clause", order=KEY_CLAUSES)
        self.expiry = Plot("expiry", "Expiry by year (renewal terms in green)")
        self.renewal = Plot("renewal", "Contracts with a renewal term, by expiry year")
        self.findings = Plot("findings", "Contracts by their worst finding",
                             order=(*SEVERITIES, "none"))  # fmt: skip

    def add(self, row: Row) -> None:
        v = row.values
        name = f"{v['Folder']}/{v['File']}" if v.get("Folder") else str(v["File"])
        if row.error:
            self.errors.append((name, row.error))
            return
        self.contracts += 1
        self.types.add(v.get("Type") or "unknown", name, row.review)
        self.law.add(v.get("Governing law") or "not found", name, row.review)
        for category in KEY_CLAUSES:
            if v.get(category) == "yes":
                self.key.add(category, name, row.review)
        year = str(v.get("Expiration date") or "")[:4]
        year = year if year.isdigit() else "no date found"
        self.expiry.add(year, name, row.review)
        if v.get("Renewal term"):
            self.renewal.add(year, name, row.review)
        worst = next((s for s in SEVERITIES if v.get(f"Findings {s}")), "none")
        self.findings.add(worst, name, row.review)

    def html(self, title: str) -> str:
        years = sorted(k for k in self.expiry.counts if k.isdigit())
        self.expiry.order = (*years, *(["no date found"] if "no date found" in self.expiry.counts
                                       else []))  # fmt: skip
        parts = [
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
            f"<h1>{html.escape(title)}</h1>",
            f"<p>{self.contracts} contracts reviewed; {len(self.errors)} files with an error "
            f"(<a href='#list-errors'>list</a>). Every bar links to its contracts; the sheet "
            "is <a href='portfolio.xlsx'>portfolio.xlsx</a>.</p><div class='grid'>",
        ]
        for plot in (self.key, self.findings, self.types, self.law):
            parts.append(_bar_plot(plot))
        parts.append(_timeline(self.expiry, self.renewal))
        parts.append("</div><h2>The lists behind the plots</h2>")
        for plot in (self.types, self.law, self.key, self.findings, self.expiry, self.renewal):
            parts.extend(_lists(plot))
        parts.append("<section id='list-errors'><h3>Files with an error</h3><ul>")
        parts += [f"<li>{html.escape(n)}: {html.escape(why)}</li>" for n, why in self.errors] or [
            "<li>none</li>"
        ]
        parts.append("</ul></section></body></html>")
        return "\n".join(parts)

    def write(self, path: Path, title: str) -> None:
        write_atomic(path, self.html(title))


def _bar_plot(plot: Plot) -> str:
    bars = plot.bars()
    top = max((n for _, n in bars), default=0) or 1
    height = BAR_H * max(len(bars), 1) + 10
    out = [f"<figure><figcaption>{html.escape(plot.title)}</figcaption>",
           f"<svg width='{LABEL_W + PLOT_W + 60}' height='{height}' role='img' "
           f"aria-label='{html.escape(plot.title, quote=True)}'>"]  # fmt: skip
    for i, (key, count) in enumerate(bars):
        y = i * BAR_H + 4
        width = round(PLOT_W * count / top, 1)
        colour = COLOURS.get(key) or (COLOURS["key"] if key in KEY_FIRST else COLOURS["bar"])
        link = f"#{anchor(plot.id, key)}" if key != "others" else f"#list-{plot.id}"
        label = html.escape(key if len(key) <= 32 else key[:31] + "…")
        out.append(
            f"<a href='{link}'><title>{html.escape(key)}: {count}</title>"
            f"<text x='{LABEL_W - 6}' y='{y + 14}' text-anchor='end'>{label}</text>"
            f"<rect x='{LABEL_W}' y='{y}' width='{width}' height='{BAR_H - 6}' "
            f"fill='{colour}'/><text x='{LABEL_W + width + 4}' y='{y + 14}'>{count}</text></a>"
        )
    out.append("</svg></figure>")
    return "".join(out)


def _timeline(expiry: Plot, renewal: Plot) -> str:
    """Expiry by year as columns, the contracts with a renewal term as a green part of each."""
    bars = expiry.bars()
    top = max((n for _, n in bars), default=0) or 1
    col, plot_h = 34, 200
    width = max(len(bars), 1) * col + 40
    out = [
        f"<figure class='wide'><figcaption>{html.escape(expiry.title)}</figcaption>",
        f"<svg width='{width}' height='{plot_h + 70}' role='img' aria-label='expiry'>",
    ]
    for i, (year, count) in enumerate(bars):
        x = 20 + i * col
        h = round(plot_h * count / top, 1)
        colour = COLOURS["bar"] if year.isdigit() else COLOURS["none"]
        renewing = renewal.counts.get(year, 0)
        rh = round(plot_h * renewing / top, 1)
        label = year if year.isdigit() else "none"
        out.append(
            f"<a href='#{anchor(expiry.id, year)}'><title>expiring {year}: {count}</title>"
            f"<rect x='{x}' y='{plot_h - h + 20}' width='{col - 6}' height='{h}' "
            f"fill='{colour}'/><text x='{x + (col - 6) / 2}' y='{plot_h - h + 16}' "
            f"text-anchor='middle'>{count}</text></a>"
        )
        if renewing:
            out.append(
                f"<a href='#{anchor(renewal.id, year)}'><title>with a renewal term, expiring "
                f"{year}: {renewing}</title><rect x='{x}' y='{plot_h - rh + 20}' "
                f"width='{col - 6}' height='{rh}' fill='{COLOURS['renewal']}'/></a>"
            )
        out.append(
            f"<text x='{x + (col - 6) / 2}' y='{plot_h + 36}' text-anchor='end' "
            f"transform='rotate(-60 {x + (col - 6) / 2} {plot_h + 36})'>{label}</text>"
        )
    out.append("</svg></figure>")
    return "".join(out)


def _lists(plot: Plot) -> list[str]:
    out = [f"<section id='list-{plot.id}'><h3>{html.escape(plot.title)}</h3>"]
    for key, _ in plot.bars() if plot.order else plot.counts.most_common():
        members = plot.members.get(key, [])
        out.append(
            f"<div id='{anchor(plot.id, key)}'><h4>{html.escape(key)} ({len(members)})</h4><ul>"
        )
        for name, review in members:
            link = f"<a href='{html.escape(review, quote=True)}'>" if review else "<a>"
            out.append(f"<li>{link}{html.escape(name)}</a></li>")
        out.append("</ul></div>")
    out.append("</section>")
    return out


CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; }
h1 { font-size: 22px; } h2 { margin-top: 32px; }
.grid { display: flex; flex-wrap: wrap; gap: 16px; }
figure { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; margin: 0; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg text { font-size: 12px; fill: #333; }
svg a:hover rect { opacity: 0.75; }
section div h4 { margin: 12px 0 4px; }
ul { margin: 0; columns: 2; }
"""
