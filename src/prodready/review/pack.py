"""The review pack: what the kill authority reads before the go/no-go meeting.

One Markdown document (also the evidence under each decision record) and one
self-contained HTML page (inline style and SVG chart, no script, no external asset,
readable offline and safe to attach to an e-mail). Every value from the repository is
escaped: a project name or a KPI source is another team's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from ..audit.engine import Finding
from ..core.escape import md
from ..results import printable
from .evidence import Evidence

#: Statuses of checklist items, in the order the pack counts them.
ITEM_ORDER = ("done", "not-applicable", "awaiting-sign-off", "todo")


def _money(value: float | None, currency: str | None) -> str:
    return "unknown" if value is None else f"{value:,.0f} {currency or ''}".strip()


def _versus(spent: float | None, budget: float | None, currency: str | None) -> str:
    """ "23,525 EUR of a 15,000 EUR budget (157%, over)"."""
    if spent is None or budget is None:
        return "unknown"
    share = f" ({spent / budget:.0%}{', over' if spent > budget else ''})" if budget > 0 else ""
    return f"{_money(spent, currency)} of a {_money(budget, currency)} budget{share}"


def _failing(evidence: Evidence) -> list[Finding]:
    return [f for f in evidence.audit.findings if f.status == "failed"]


def _counts(evidence: Evidence) -> str:
    counts = {status: 0 for status in ITEM_ORDER}
    for item in evidence.items:
        counts[item.status] = counts.get(item.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n)


def _data_lines(evidence: Evidence) -> list[str]:
    """The contract check and drift status, from the reports given (or why there are none)."""
    lines = []
    if evidence.contracts is None:
        lines.append("Contract check: no report given (prodready review --contracts-report).")
    else:
        statuses = ", ".join(f"{n} {s}" for s, n in sorted(evidence.contracts["statuses"].items())) or "no checks"
        failed = evidence.contracts["failed"]
        lines.append(f"Contract check: {statuses}" + (f"; failed: {', '.join(failed[:10])}" if failed else "") + ".")
    if evidence.drift is None:
        lines.append("Drift: no report given (prodready review --drift-report).")
    else:
        drift = evidence.drift
        drifted = ", ".join(drift["drifted"]) or "none"
        verdict = "dataset drift" if drift["dataset_drift"] else "no dataset drift"
        lines.append(f"Drift: {verdict} over {drift['rows']} rows; columns drifting: {drifted}.")
    return lines


def _md_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], empty: str) -> list[str]:
    """The lines of a Markdown table of already escaped cells, or ``empty`` (no line when "") without rows."""
    if not rows:
        return [empty] if empty else []
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def to_markdown(evidence: Evidence, *, heading_level: int = 2) -> str:
    """The pack as Markdown (``heading_level``: the level of its section headings)."""
    h = "#" * heading_level
    kpi = evidence.kpi
    verdict, why = evidence.recommendation()
    lines = [
        f"{h} Recommendation: {verdict}",
        "",
        md(why),
        "",
        "Derived from the kill criteria, the KPI actuals and the dates; the decision is the kill authority's.",
        "",
        f"{h} Business case",
        "",
        f"- Problem: {md(evidence.problem)}",
        f"- KPI: {md(kpi.name)}: baseline {_g(kpi.baseline)}, target {_g(kpi.target)}, "
        f"kill threshold {_g(kpi.kill_threshold, 'not set (business.kpi.kill_threshold)')}",
        f"- Kill criteria: {md(evidence.kill_criteria)}",
        f"- Stage {evidence.stage}; next decision {evidence.decision_date or 'unknown'}; "
        f"kill authority {md(evidence.kill_authority)}",
        "",
        f"{h} KPI actuals",
        "",
    ]
    if kpi.actuals:
        lines += ["| date | value | source |", "|---|---:|---|"]
        lines += [f"| {when} | {value:g} | {md(source)} |" for when, value, source in kpi.actuals]
    else:
        lines.append("None recorded in kpi/actuals.csv.")
    lines += [
        "",
        f"{h} Cost",
        "",
        f"- POC: {_versus(evidence.poc_total, evidence.budget_poc, evidence.currency)}",
        f"- Production, year one: {_versus(evidence.year_one_total, evidence.budget_year1, evidence.currency)}",
        f"- Production, per month: {_money(evidence.production_monthly, evidence.currency)}",
        *(f"- {md(note)}" for note in evidence.notes),
        "",
        f"{h} Data",
        "",
        *(f"- {line}" for line in _data_lines(evidence)),
        "",
        f"{h} Audit",
        "",
        f"Level reached: {evidence.audit.level or 'none'} (declared stage {evidence.audit.declared}).",
        "",
    ]
    lines += _md_table(
        ("check", "due at", "finding"),
        [(f.id, f.stage, md(f.message or f.title)) for f in _failing(evidence)],
        "No check fails.",
    )
    lines += ["", f"{h} Governance", "", f"Checklist: {_counts(evidence) or 'no items'}.", ""]
    lines += _md_table(
        ("item", "due at", "status", "signed by"),
        [
            (f"{md(i.id)} {md(i.title)}", md(i.required_stage), md(i.status), md(i.signed_by) or "—")
            for i in evidence.items
        ],
        "",
    )
    lines += ["", f"{h} Waivers", ""]
    lines += _md_table(
        ("check", "reason", "expires", "approver"),
        [(md(w["check"]), md(w["reason"]), md(w["expires"]), md(w["approver"])) for w in evidence.waivers],
        "None.",
    )
    lines += ["", f"{h} Decisions so far", ""]
    lines += _md_table(
        ("record", "decision", "by", "reason"),
        [
            (md(d.file), f"{d.kind} ({d.taken_on})", f"{md(d.name)} ({d.role})", md(d.reason))
            for d in evidence.decisions
        ],
        "None recorded in decisions/.",
    )
    return "\n".join(lines) + "\n"


def _g(value: float | None, missing: str = "unknown") -> str:
    return missing if value is None else f"{value:g}"


def document(evidence: Evidence) -> str:
    """The Markdown pack as a document of its own, with its title."""
    return (
        f"# Review pack: {md(evidence.project)}\n\nPrepared {evidence.today} by `prodready review`.\n\n"
        + to_markdown(evidence)
    )


# -- HTML -------------------------------------------------------------------------------------

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:64rem;color:#1b1f24}
body{padding:0 1rem}h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.15rem;margin-top:1.8rem;border-bottom:1px solid #d0d7de}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.num{text-align:right}
.verdict{font-size:1.25rem;font-weight:600;padding:.6rem 1rem;border-radius:6px}
.v-kill,.v-decommission{background:#ffebe9;color:#82071e}.v-go{background:#dafbe1;color:#116329}
.v-continue{background:#ddf4ff;color:#0a3069}.v-decide-now,.v-measure-first{background:#fff8c5;color:#6f4e00}
.muted{color:#57606a}.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.chart{width:100%;height:auto}
"""


AXIS = 'font-size="12" fill="#57606a"'


def _chart(evidence: Evidence) -> str:
    """An SVG line chart of the KPI actuals against baseline, target and kill threshold."""
    kpi = evidence.kpi
    points = kpi.actuals
    lines = [
        (kpi.baseline, "baseline", "#57606a"),
        (kpi.target, "target", "#1a7f37"),
        (kpi.kill_threshold, "kill threshold", "#cf222e"),
    ]
    values = [v for _, v, _ in points] + [v for v, _, _ in lines if v is not None]
    if not points:
        return '<p class="muted">No KPI value is recorded in kpi/actuals.csv yet: nothing to chart.</p>'
    width, height, left, right, top, bottom = 720, 280, 60, 120, 20, 40
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or 1.0
    low, high = low - pad, high + pad
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)

    def x(when: date) -> float:
        return (
            left + (when - first).days / span * (width - left - right)
            if len(points) > 1
            else (width - right + left) / 2
        )

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(printable(kpi.name))}: actuals against baseline, target and kill threshold">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#8c959f"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#8c959f"/>',
    ]
    for value, label, colour in lines:
        if value is None:
            continue
        parts.append(
            f'<line x1="{left}" y1="{y(value):.1f}" x2="{width - right}" y2="{y(value):.1f}" stroke="{colour}" '
            f'stroke-dasharray="6 4"/><text x="{width - right + 6}" y="{y(value) + 4:.1f}" fill="{colour}" '
            f'font-size="12">{label} {value:g}</text>'
        )
    path = " ".join(f"{x(when):.1f},{y(value):.1f}" for when, value, _ in points)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#0969da" stroke-width="2"/>')
    for when, value, source in points:
        parts.append(
            f'<circle cx="{x(when):.1f}" cy="{y(value):.1f}" r="4" fill="#0969da">'
            f"<title>{when}: {value:g} ({escape(printable(source))})</title></circle>"
        )
    parts.append(f'<text x="{left}" y="{height - 12}" {AXIS}>{first}</text>')
    if len(points) > 1:
        parts.append(
            f'<text x="{width - right}" y="{height - 12}" font-size="12" fill="#57606a" text-anchor="end">{last}</text>'
        )
    for value in (low + pad, high - pad):
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" {AXIS} text-anchor="end">{value:g}</text>')
    return "".join(parts) + "</svg>"


def _table(header: tuple[str, ...] | None, rows: Sequence[tuple[object, ...]], empty: str) -> str:
    """An HTML table (``header`` None: a key-value table without a heading row), or ``empty`` when no rows."""
    if not rows:
        return f'<p class="muted">{escape(empty)}</p>'
    head = "" if header is None else "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead>"
    body = "".join("<tr>" + "".join(f"<td>{escape(printable(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{head}<tbody>{body}</tbody></table>"


def to_html(evidence: Evidence) -> str:
    """The pack as one self-contained HTML page."""
    e = escape
    kpi = evidence.kpi
    verdict, why = evidence.recommendation()
    failing = _failing(evidence)
    data = "".join(f"<li>{e(printable(line))}</li>" for line in _data_lines(evidence))
    cost = [
        ("POC", _versus(evidence.poc_total, evidence.budget_poc, evidence.currency)),
        ("production, year one", _versus(evidence.year_one_total, evidence.budget_year1, evidence.currency)),
        ("production, per month", _money(evidence.production_monthly, evidence.currency)),
    ]
    sections = [
        f"<h1>Review pack: {e(printable(evidence.project))}</h1>",
        f'<p class="muted">Prepared {evidence.today} by prodready review. Stage {e(evidence.stage)}; next decision '
        f"{evidence.decision_date or 'unknown'}; kill authority {e(printable(evidence.kill_authority))}.</p>",
        f'<p class="verdict v-{verdict.replace(" ", "-")}">Recommendation: {e(verdict)}</p>',
        f"<p>{e(printable(why))}</p>",
        '<p class="muted">Derived from the kill criteria, the KPI actuals and the dates; the decision is the '
        "kill authority's.</p>",
        "<h2>Business case</h2>",
        _table(
            None,
            [
                ("problem", evidence.problem),
                ("KPI", kpi.name),
                ("baseline → target", f"{_g(kpi.baseline)} → {_g(kpi.target)}"),
                ("kill threshold", _g(kpi.kill_threshold, "not set (business.kpi.kill_threshold)")),
                ("kill criteria", evidence.kill_criteria),
            ],
            "",
        ),
        "<h2>KPI actuals</h2>",
        _chart(evidence),
        _table(("date", "value", "source"), [(w, f"{v:g}", s) for w, v, s in kpi.actuals], "None recorded."),
        '<div class="grid"><div><h2>Cost against budget</h2>',
        _table(None, cost, "") + "".join(f'<p class="muted">{e(printable(n))}</p>' for n in evidence.notes),
        f"</div><div><h2>Data in production</h2><ul>{data}</ul></div></div>",
        f"<h2>Audit: level {e(evidence.audit.level or 'none')} of declared stage {e(evidence.audit.declared)}</h2>",
        _table(
            ("check", "due at", "finding"), [(f.id, f.stage, f.message or f.title) for f in failing], "No check fails."
        ),
        f"<h2>Governance: {e(_counts(evidence) or 'no items')}</h2>",
        _table(
            ("item", "title", "due at", "status", "signed by"),
            [(i.id, i.title, i.required_stage, i.status, i.signed_by or "—") for i in evidence.items],
            "The checklist cannot be read.",
        ),
        "<h2>Open waivers</h2>",
        _table(
            ("check", "reason", "expires", "approver"),
            [(w["check"], w["reason"], w["expires"], w["approver"]) for w in evidence.waivers],
            "None.",
        ),
        "<h2>Decisions so far</h2>",
        _table(
            ("record", "decision", "date", "by", "reason"),
            [(d.file, d.kind, d.taken_on, f"{d.name} ({d.role})", d.reason) for d in evidence.decisions],
            "None recorded in decisions/.",
        ),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Review pack: {e(printable(evidence.project))}</title><style>{STYLE}</style></head><body>"
        + "".join(sections)
        + "</body></html>\n"
    )
