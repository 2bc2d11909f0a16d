"""Drift reports: table, JSON, Markdown, Prometheus text exposition, self-contained HTML.

Column names and categories come from the data and the profile: the table, Markdown,
Prometheus and HTML reports pass them through ``printable`` (no terminal escape
sequence, no control character), Markdown escapes them with ``md``, HTML with
``html.escape``; JSON escapes them itself.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from html import escape

from ..core.escape import md
from ..results import printable
from .score import ColumnDrift, DriftReport

STATUS_VALUE = {"ok": 0, "warn": 1, "alert": 2, "ignored": -1}


def to_table(report: DriftReport) -> str:
    names = [printable(c.column) for c in report.columns]
    width = max([len(name) for name in names] + [6])
    lines = [f"{'column'.ljust(width)}  kind         metric       score   status  nulls (ref -> now)"]
    for name, c in zip(names, report.columns, strict=True):
        unseen = f", {c.unseen_categories} unseen" if c.unseen_categories else ""
        lines.append(
            f"{name.ljust(width)}  {c.kind:<11}  {c.metric:<11}  {c.score:6.3f}  {c.status:<6}  "
            f"{c.null_rate_reference:.1%} -> {c.null_rate_current:.1%}{unseen}"
        )
    lines += [f"{printable(name)}: not scored, {printable(why)}" for name, why in report.excluded.items()]
    verdict = "DATASET DRIFT" if report.dataset_drift else "no dataset drift"
    lines.append(f"{report.rows} rows; {report.share_drifted:.0%} of columns drifted: {verdict}")
    return "\n".join(lines) + "\n"


def to_json(report: DriftReport) -> str:
    data = {
        "rows": report.rows,
        "dataset_drift": report.dataset_drift,
        "share_drifted": report.share_drifted,
        "alert": report.alert,
        "thresholds": asdict(report.thresholds),
        "columns": [asdict(c) for c in report.columns],
        "excluded": report.excluded,
    }
    return json.dumps(data, indent=2) + "\n"


def to_markdown(report: DriftReport) -> str:
    verdict = "⚠️ dataset drift" if report.dataset_drift else "no dataset drift"
    lines = [
        f"## Drift: {verdict}",
        "",
        "| column | metric | score | status | nulls reference → current |",
        "|---|---|---:|---|---|",
    ]
    for c in report.columns:
        nulls = f"{c.null_rate_reference:.1%} → {c.null_rate_current:.1%}"
        lines.append(f"| {md(printable(c.column))} | {c.metric} | {c.score:.3f} | {c.status} | {nulls} |")
    if report.excluded:
        lines += [
            "",
            "Not scored: " + "; ".join(f"{md(printable(n))} ({md(printable(w))})" for n, w in report.excluded.items()),
        ]
    lines += ["", f"{report.rows} rows; {report.share_drifted:.0%} of columns drifted."]
    return "\n".join(lines) + "\n"


def _label(value: str) -> str:
    return printable(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def to_prometheus(report: DriftReport) -> str:
    """Prometheus text exposition, for node-exporter's textfile collector."""
    lines = [
        "# HELP prodready_drift_score Drift score per column "
        "(PSI for numeric, Jensen-Shannon distance for categorical).",
        "# TYPE prodready_drift_score gauge",
    ]
    lines += [
        f'prodready_drift_score{{column="{_label(c.column)}",metric="{c.metric}"}} {c.score:.6f}'
        for c in report.columns
    ]
    lines += [
        "# HELP prodready_drift_status Column drift status (0 ok, 1 warn, 2 alert, -1 ignored).",
        "# TYPE prodready_drift_status gauge",
    ]
    lines += [f'prodready_drift_status{{column="{_label(c.column)}"}} {STATUS_VALUE[c.status]}' for c in report.columns]
    lines += [
        "# HELP prodready_drift_null_rate Share of null values in the current window.",
        "# TYPE prodready_drift_null_rate gauge",
    ]
    lines += [
        f'prodready_drift_null_rate{{column="{_label(c.column)}"}} {c.null_rate_current:.6f}' for c in report.columns
    ]
    lines += [
        "# HELP prodready_dataset_drift 1 when at least the configured share of columns drifted.",
        "# TYPE prodready_dataset_drift gauge",
        f"prodready_dataset_drift {int(report.dataset_drift)}",
        "# HELP prodready_drift_rows Rows in the current window.",
        "# TYPE prodready_drift_rows gauge",
        f"prodready_drift_rows {report.rows}",
    ]
    return "\n".join(lines) + "\n"


def _h(text: str) -> str:
    """Text from the data or the profile as HTML: control characters removed, markup escaped."""
    return escape(printable(text))


def _bars(c: ColumnDrift) -> str:
    """An inline SVG bar chart: reference shares (blue) beside current shares (orange)."""
    width, height, pad = 460, 140, 24
    peak = max([*c.reference, *c.current, 0.01])
    slot = (width - pad) / max(1, len(c.labels))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" '
        f'role="img" aria-label="{_h(c.column)}">'
    ]
    for i, (ref, cur) in enumerate(zip(c.reference, c.current, strict=True)):
        x = pad + i * slot
        label, short = _h(c.labels[i]), _h(printable(c.labels[i])[:10])
        for offset, share, colour in ((0.1, ref, "#8da0cb"), (0.5, cur, "#fc8d62")):
            h = height * share / peak
            parts.append(
                f'<rect x="{x + slot * offset:.1f}" y="{height - h:.1f}" width="{slot * 0.38:.1f}" '
                f'height="{h:.1f}" fill="{colour}"><title>{label}: {share:.1%}</title></rect>'
            )
        parts.append(
            f'<text x="{x + slot / 2:.1f}" y="{height + 14}" font-size="9" text-anchor="middle">{short}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def to_html(report: DriftReport) -> str:
    """A self-contained page: a bar chart per column, reference (blue) against current (orange)."""
    sections = []
    for c in report.columns:
        unseen = f"; {c.unseen_categories} unseen categories" if c.unseen_categories else ""
        nulls = f"nulls {c.null_rate_reference:.1%} → {c.null_rate_current:.1%}"
        sections.append(
            f'<section><h2>{_h(c.column)} <span class="{_h(c.status)}">{_h(c.status)}</span></h2>'
            f"<p>{_h(c.metric)} {c.score:.3f}; {nulls}{unseen}</p>{_bars(c)}</section>"
        )
    style = (
        "body{font-family:system-ui,sans-serif;margin:2rem} section{margin-bottom:1.5rem}"
        " .alert{color:#b00020} .warn{color:#b36b00} .ok{color:#1b7f3b} .ignored{color:#777}"
    )
    verdict = "dataset drift" if report.dataset_drift else "no dataset drift"
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>prodready drift</title><style>{style}</style></head>"
    )
    summary = (
        f"<p>{report.rows} rows; {report.share_drifted:.0%} of columns drifted. "
        "Blue: reference; orange: current window.</p>"
    )
    return f"{head}<body><h1>Drift report: {verdict}</h1>{summary}{''.join(sections)}</body></html>\n"


FORMATS = {"table": to_table, "json": to_json, "markdown": to_markdown, "prometheus": to_prometheus, "html": to_html}
