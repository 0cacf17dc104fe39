"""Sections of the evaluation page: where the model is weak, the feedback pool's corrections
per group, and LegalBench beside the published LLM figures."""

from __future__ import annotations

import html
from typing import Any

from westfall_legal.training.groups import KINDS, METRICS

e = html.escape
KIND_TITLES = {"contract_type": "contract type", "source": "source", "length": "length",
               "year": "year"}  # fmt: skip
METRIC_TITLES = {"doc_f1": "document F1", "span_aupr": "span AUPR",
                 "fact_accuracy": "key-fact accuracy"}  # fmt: skip


def _f(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def interval_svg(
    fig: dict[str, float | None], overall: float | None, weak: bool = False, width: int = 64
) -> str:
    """A small bar: the group's interval and value on [0, 1], the overall figure as a tick."""
    lo, hi, v = fig.get("low"), fig.get("high"), fig.get("value")
    if lo is None or hi is None or v is None:
        return ""
    colour = "#b3261e" if weak else "#1f5fa8"
    tick = "" if overall is None else (
        f"<line x1='{overall * width:.1f}' x2='{overall * width:.1f}' y1='0' y2='12' "
        "stroke='#222' stroke-width='1.2'/>"
    )  # fmt: skip
    return (
        f"<svg width='{width}' height='12' role='img' aria-label='interval'>"
        f"<rect x='0' y='5' width='{width}' height='2' fill='#e3e6ee'/>"
        f"<rect x='{lo * width:.1f}' y='3' width='{max(1.0, (hi - lo) * width):.1f}' height='6' "
        f"fill='{colour}' opacity='.45'/><circle cx='{v * width:.1f}' cy='6' r='2.6' "
        f"fill='{colour}'/>{tick}</svg>"
    )


def _cell(fig: dict[str, float | None]) -> str:
    low, high = _f(fig["low"]), _f(fig["high"])
    return f"{_f(fig['value'])} <span class='ci'>{low}–{high}</span>"


def groups_section(groups: dict[str, Any]) -> str:
    overall = groups["overall"]
    if overall is None:
        return "<h2>Where the model is weak</h2><p>No contract was read: no group table.</p>"
    head = "".join(f"<th colspan='2'>{METRIC_TITLES[m]}</th>" for m in METRICS)
    out = [
        "<h2>Where the model is weak: figures per group of contracts</h2>",
        f"<p class='note'>Each figure with its {e(groups['interval'])} "
        f"({groups['resamples']} draws). A group is flagged (red) when its interval lies wholly "
        "below the overall figure (the black tick); groups of fewer than "
        f"{groups.get('min_flag_size', 0)} contracts (grey) are not judged.</p>",
    ]
    if groups["warnings"]:
        items = "".join(f"<li>warning: {e(w)}</li>" for w in groups["warnings"])
        out.append(f"<ul class='warn'>{items}</ul>")
    else:
        out.append("<p>No group is below the overall figure by more than its interval.</p>")
    out.append(f"<table class='groups'><tr><th>group</th><th>contracts</th>{head}</tr>")
    cells = "".join(
        f"<td>{_cell(overall[m])}</td><td>{interval_svg(overall[m], overall[m]['value'])}</td>"
        for m in METRICS
    )
    n = max((sum(r["contracts"] for r in rows) for rows in groups["groups"].values()), default=0)
    out.append(f"<tr><td><b>all contracts</b></td><td>{n}</td>{cells}</tr>")
    for kind in KINDS:
        rows = groups["groups"].get(kind, [])
        out.append(f"<tr><th colspan='{2 + 2 * len(METRICS)}'>by {KIND_TITLES[kind]}</th></tr>")
        for r in rows:
            tds = []
            for m in METRICS:
                fig = r[m]
                cls = " class='weak'" if m in r["flags"] else ""
                svg = interval_svg(fig, overall[m]["value"], m in r["flags"])
                tds.append(f"<td{cls}>{_cell(fig)}</td><td>{svg}</td>")
            style = " class='weak'" if r["flags"] else " class='few'" if r.get("too_few") else ""
            out.append(f"<tr{style}><td>{e(r['group'])}</td><td>{r['contracts']}</td>"
                       f"{''.join(tds)}</tr>")  # fmt: skip
    out.append("</table>")
    return "\n".join(out)


def feedback_groups_section(table: dict[str, Any]) -> str:
    out = [
        "<h2>Where reviewers correct most: the feedback pool per group</h2>",
        f"<p>{table['documents']} documents, {table['corrections']} corrections.</p>",
        "<table><tr><th>group</th><th>documents</th><th>corrections</th>"
        "<th>per document</th><th>share</th></tr>",
    ]
    for kind in KINDS:
        out.append(f"<tr><th colspan='5'>by {KIND_TITLES[kind]}</th></tr>")
        for r in table["groups"].get(kind, []):
            out.append(f"<tr><td>{e(r['group'])}</td><td>{r['documents']}</td>"
                       f"<td>{r['corrections']}</td><td>{r['per_document']}</td>"
                       f"<td>{_f(r['share'])}</td></tr>")  # fmt: skip
    out.append("</table>")
    return "\n".join(out)


def _ba(fig: dict[str, Any] | None) -> str:
    return _f(fig.get("balanced_accuracy")) if fig else "–"


def legalbench_section(lb: dict[str, Any]) -> str:
    macro = lb["macro"]
    out = [
        "<h2>LegalBench: CUAD clause questions (isolated clauses)</h2>",
        f"<p class='note'>Scoring: {e(lb['scoring'])}. Thresholds: train = "
        f"{e(lb['thresholds']['train'])}; CUAD = {e(lb['thresholds']['cuad'])}. "
        f"Seen rows: {e(lb['seen']['rule'])} ({lb['seen']['rows']} of {lb['rows']} rows); "
        f"{lb['rows']} rows in {lb['seconds']:.1f} s.</p>",
        "<table><tr><th>stage (tasks)</th><th>BA all</th><th>acc all</th><th>BA seen</th>"
        "<th>BA unseen</th><th>acc unseen</th><th>ROC AUC unseen</th></tr>",
    ]
    for stage, parts in macro.items():
        if stage == "shipped":
            continue
        out.append(
            f"<tr><td>{e(stage)} ({parts['train']['tasks']})</td><td>{_ba(parts['train'])}</td>"
            f"<td>{_f(parts['train']['accuracy'])}</td><td>{_ba(parts.get('seen'))}</td>"
            f"<td>{_ba(parts.get('unseen'))}</td>"
            f"<td>{_f(parts.get('unseen', {}).get('accuracy'))}</td>"
            f"<td>{_f(parts.get('unseen', {}).get('roc_auc'))}</td></tr>"
        )
    shipped = macro["shipped"]
    out.append(
        f"<tr><td>as shipped, CUAD thresholds ({shipped['cuad']['tasks']})</td>"
        f"<td>{_ba(shipped['cuad'])}</td><td>{_f(shipped['cuad']['accuracy'])}</td>"
        f"<td>{_ba(shipped.get('seen_cuad'))}</td><td>{_ba(shipped.get('unseen_cuad'))}</td>"
        f"<td>{_f(shipped.get('unseen_cuad', {}).get('accuracy'))}</td>"
        f"<td>{_f(shipped.get('unseen_cuad', {}).get('roc_auc'))}</td></tr></table>"
    )
    absent = "".join(f"<li>{e(k)}: {e(v)}</li>" for k, v in lb["stages_absent"].items())
    out.append(f"<ul class='note'>{absent}</ul>")
    out.append(_published(lb["published"]))
    if "unfair_tos" in lb:
        out.append(_tos(lb["unfair_tos"]))
    out.append("<h3>Per task (n-gram stage unless noted)</h3><table><tr><th>task</th>"
               "<th>rows</th><th>seen</th><th>stage</th><th>BA</th><th>acc</th><th>BA unseen</th>"
               "<th>ROC AUC</th><th>BA CUAD thr.</th></tr>")  # fmt: skip
    for name, t in lb["tasks"].items():
        for stage, f in t["stages"].items():
            cuad = t["shipped"]["cuad"] if stage == t["shipped"]["stage"] else None
            out.append(
                f"<tr><td>{e(name)}</td><td>{f['train']['rows']}</td><td>{t['seen_rows']}</td>"
                f"<td>{e(stage)}</td><td>{_ba(f['train'])}</td><td>{_f(f['train']['accuracy'])}"
                f"</td><td>{_ba(f.get('unseen'))}</td><td>{_f(f['roc_auc'])}</td>"
                f"<td>{_ba(cuad)}</td></tr>"
            )
    out.append("</table>")
    return "\n".join(out)


def _published(pub: dict[str, Any]) -> str:
    models = pub["models"]
    head = "".join(f"<th>{e(m)}</th>" for m in models)
    rows = "".join(
        f"<tr><td>{e(r['task'])}</td><td>{r['our_rows']} / {r['hub_rows']}</td>"
        f"<td>{_f(r['ours_all'])}</td><td>{_f(r['ours_unseen'])}</td>"
        + "".join(f"<td>{_f(r.get(m))}</td>" for m in models)
        + "</tr>"
        for r in pub["rows"]
    )
    return (
        "<h3>Beside published large-LLM figures (balanced accuracy)</h3>"
        f"<table><tr><th>task</th><th>rows ours / theirs</th><th>ours, all</th>"
        f"<th>ours, unseen</th>{head}</tr>{rows}</table>"
        f"<p class='note'>Source of the LLM figures: LegalEvalHub "
        f"(legalevalhub.up.railway.app/task/TASK). {e(pub['paper'])}. "
        f"Comparability: {e(pub['comparability'])}</p>"
    )


def _tos(tos: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><td>{e(c)}</td><td>{v['rows']}</td><td>{e(', '.join(v['rules']) or 'none')}</td>"
        f"<td>{_f(v.get('recall'))}</td><td>{_f(v.get('other_flagged'))}</td>"
        f"<td>{_f(v.get('precision'))}</td><td>{_f(v.get('balanced_accuracy'))}</td></tr>"
        for c, v in tos["classes"].items()
    )
    renamed = " The test file's class names were corrected (pre-release permutation)." if tos.get(
        "labels_renamed") else ""  # fmt: skip
    return (
        "<h3>unfair_tos through the playbook's risk rules</h3>"
        f"<p>{tos['classes_covered']} of {tos['classes_total']} unfair classes have a rule; "
        f"they hold {_f(tos['unfair_rows_covered'])} of the {tos['unfair_rows']} unfair rows."
        f"{renamed}</p><table><tr><th>class</th><th>rows</th><th>rules</th><th>recall</th>"
        "<th>Other rows flagged</th><th>precision</th><th>BA</th></tr>"
        f"{rows}</table>"
    )
