"""Audit many POCs at once: discovery, parallel audits, an offline HTML report, JSON facts.

A platform team with fifty POCs wants one page: which are at which level, who owns
them, when each must be decided, what each will cost in production, what blocks it.
The HTML is self-contained (inline CSS and a few lines of JavaScript to sort), so it
can be attached to a CI run or mailed and read offline.

Discovery skips templates (the template a platform team forks sits beside its POCs, and
its ``{{cookiecutter.project_slug}}`` directory looks like a POC full of placeholders).
With several repositories, each is named by its path relative to the folder they share,
so ``team-a/churn`` and ``team-b/churn`` stay two POCs in every report.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

from ..core.stages import STAGES
from ..errors import ProdreadyError
from ..results import printable
from .engine import Audit, Finding, audit_repository, unauditable
from .repo import PYPROJECT, Repo
from .report import as_dict

MAX_DEPTH = 3
SKIP_DIRS = frozenset({".git", ".nox", ".venv", "node_modules", "__pycache__", ".tox", "build", "dist"})
#: Files at the root of a cookiecutter or copier template (a generated POC has none of them).
TEMPLATE_MARKERS = ("cookiecutter.json", "copier.yml", "copier.yaml")


def is_template(path: Path) -> bool:
    """A template, not a repository made from one: a template's root, or a directory still named by a Jinja expression.

    Only names are looked at (``lexists``): a marker that is a link, a FIFO or a huge file
    is never opened.
    """
    return "{{" in path.name or any(os.path.lexists(path / marker) for marker in TEMPLATE_MARKERS)


def is_repository(path: Path) -> bool:
    """A POC repository: it has an ownership.yaml, or a pyproject.toml that mentions [tool.prodready].

    Read as the audit reads: a marker file that is a symbolic link leaving the folder,
    a FIFO or a huge file is not opened.
    """
    repo = Repo(path)
    if repo.path("ownership.yaml") is not None:
        return True
    return "[tool.prodready]" in (repo.text(PYPROJECT) or "")


def discover(root: Path) -> list[Path]:
    """Repositories at or below ``root`` (up to three levels deep), sorted; templates below it are skipped.

    ``root`` itself is audited when it is a repository: the user named it.
    """
    if is_repository(root):
        return [root]
    found = []
    for current, dirs, _ in os.walk(root):
        depth = len(Path(current).relative_to(root).parts)
        dirs[:] = sorted(d for d in dirs if _walkable(Path(current) / d))
        if depth and is_repository(Path(current)):
            found.append(Path(current))
            dirs[:] = []
        elif depth >= MAX_DEPTH:
            dirs[:] = []
    return sorted(found)


def _walkable(path: Path) -> bool:
    """A directory discovery looks into: not a tool's (``SKIP_DIRS``), not a symbolic link, not a template."""
    return path.name not in SKIP_DIRS and not path.is_symlink() and not is_template(path)


def names(roots: list[Path]) -> list[str]:
    """What the reports call each repository: alone, its directory's name; else its path from their common folder.

    In portfolio mode the common folder is the one given (or the deepest folder below it
    that holds every repository found). Relative paths of distinct directories differ, so
    two POCs both called ``churn`` in different team folders are told apart.
    """
    if len(roots) <= 1:
        return [root.resolve().name for root in roots]
    absolute = [os.path.abspath(root) for root in roots]
    base = os.path.commonpath(absolute)
    relative = [os.path.relpath(path, base) for path in absolute]
    return [Path(path).as_posix() if path != os.curdir else Path(base).name for path in relative]


def audit_many(
    roots: list[Path],
    *,
    require: str | None = None,
    today: date | None = None,
    jobs: int | None = None,
    progress: Callable[[Iterable[Audit], int], Iterable[Audit]] | None = None,
    template_version: str | None = None,
    template_source: str | None = None,
    keep_going: bool = False,
) -> list[Audit]:
    """Audit each repository, in parallel processes when there are many.

    With ``keep_going`` (portfolio mode), a repository that cannot be audited (its
    declared stage is unknown) is an ``Audit`` with ``error`` set, failed, instead of
    an error that would hide every other repository's result.
    """
    one = partial(
        _audit_one if keep_going else audit_repository,
        require=require,
        today=today,
        template_version=template_version,
        template_source=template_source,
    )
    workers = min(jobs or os.cpu_count() or 1, max(1, len(roots) // 50))
    if workers <= 1:
        results: Iterable[Audit] = map(one, roots)
        audits = list(progress(results, len(roots)) if progress else results)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = pool.map(one, roots, chunksize=max(1, len(roots) // (workers * 8)))
            audits = list(progress(results, len(roots)) if progress else results)
    for audit, name in zip(audits, names(roots), strict=True):
        audit.name = name
    return audits


def _audit_one(root: Path, *, require: str | None = None, **options: Any) -> Audit:
    try:
        return audit_repository(root, require=require, **options)
    except ProdreadyError as error:
        return unauditable(root, error, require)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "repository"


def write_facts(audits: list[Audit], directory: Path) -> list[Path]:
    """One JSON file of facts per repository, for a developer portal to ingest."""
    from ..io.outputs import write_atomic

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    names: set[str] = set()
    for audit in audits:
        name = _slug(audit.name)
        while name in names:
            name += "-1"
        names.add(name)
        data = {**as_dict(audit), "failing_checks": [f.id for f in audit.findings if f.status == "failed"]}
        path = directory / f"{name}.json"
        write_atomic(path, json.dumps(data, indent=2, default=str) + "\n")
        written.append(path)
    return written


STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.4rem} p.summary{color:#555}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.45rem .6rem;text-align:left;vertical-align:top}
th{background:#f4f4f6;cursor:pointer;user-select:none;position:sticky;top:0}
th:after{content:" \\2195";color:#aaa} td.num{text-align:right;font-variant-numeric:tabular-nums}
.level{font-weight:600;padding:.1rem .45rem;border-radius:.3rem}
.level-none{background:#fde2e1;color:#9b1c1c} .level-poc{background:#fff4d6;color:#7a5300}
.level-pilot{background:#e0efff;color:#0b4a8b} .level-production{background:#dcf5e3;color:#135c2c}
.below{color:#9b1c1c;font-weight:600} code{font-size:.85em}
"""

SCRIPT = """
document.querySelectorAll('th').forEach(function(th, column){
  th.addEventListener('click', function(){
    var table = th.closest('table'), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var ascending = th.dataset.order !== 'asc'; th.dataset.order = ascending ? 'asc' : 'desc';
    rows.sort(function(a, b){
      var x = a.cells[column].dataset.sort || a.cells[column].textContent;
      var y = b.cells[column].dataset.sort || b.cells[column].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return ascending ? c : -c;
    });
    rows.forEach(function(r){ body.appendChild(r); });
  });
});
"""

#: Sort order of the level column: none below every stage.
LEVEL_RANK: dict[str | None, int] = {None: 0} | {stage: rank for rank, stage in enumerate(STAGES, 1)}


def _h(text: object) -> str:
    """Text from a repository as HTML: control characters removed, markup escaped (quotes too)."""
    return escape(printable(text))


def _cell(text: object, sort: object | None = None, css: str = "") -> str:
    attributes = (f' data-sort="{_h(sort)}"' if sort is not None else "") + (f' class="{css}"' if css else "")
    return f"<td{attributes}>{text}</td>"


def _failing(audit: Audit, finding: Finding) -> str:
    """A failed check's id, its message on hover; red when it gates (the severity every format shows)."""
    css = ' class="below"' if audit.gates(finding) else ""
    return f'<span{css} title="{_h(finding.message)}">{_h(finding.id)}</span>'


def _row(audit: Audit) -> str:
    facts = audit.facts
    owners = facts.get("owners") or {}
    failing = [f for f in audit.findings if f.status == "failed"]
    level = audit.level or "none"
    badge = f'<span class="level level-{_h(level)}">{_h(level)}</span>'
    if not audit.passed:
        badge += ' <span class="below">below stage</span>'
    cost = facts.get("production_monthly_cost")
    cost_text = f"{float(cost):,.0f} {facts.get('currency')}" if cost else ""
    failing_text = ", ".join(_failing(audit, f) for f in failing)
    if audit.error is not None:
        failing_text = f'<span class="below">cannot be audited</span>: {_h(audit.error)}'
    project = _h(facts.get("project") or audit.name)
    owner = owners if isinstance(owners, dict) else {}
    cells = [
        _cell(f"{project}<br><code>{_h(audit.name)}</code>"),
        _cell(_h(audit.declared or "unknown")),
        _cell(badge, LEVEL_RANK.get(audit.level, 0)),
        _cell(_h(owner.get("production_owner") or "")),
        _cell(_h(owner.get("kill_authority") or "")),
        _cell(_h(facts.get("decision_date") or "")),
        _cell(_h(cost_text), cost or -1, "num"),
        _cell(failing_text, len(failing) if audit.error is None else 1000),
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def to_html(audits: list[Audit], generated: date | None = None) -> str:
    """A self-contained, sortable HTML page: no external assets, readable offline."""
    below = sum(not a.passed for a in audits)
    broken = sum(a.error is not None for a in audits)
    unaudited = f" ({broken} could not be audited)" if broken else ""
    rows = [_row(audit) for audit in audits]
    header = "".join(
        f"<th>{escape(h)}</th>"
        for h in (
            "POC",
            "stage",
            "level",
            "production owner",
            "kill authority",
            "decision date",
            "production cost / month",
            "failing checks",
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>prodready portfolio</title><style>{STYLE}</style></head><body>"
        f"<h1>prodready portfolio: {len(audits)} POCs</h1>"
        f'<p class="summary">{len(audits) - below} meet their declared stage, {below} are below it{unaudited}. '
        f"Generated {escape((generated or date.today()).isoformat())}. Click a column to sort.</p>"
        f'<table id="portfolio"><thead><tr>{header}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
        f"<script>{SCRIPT}</script></body></html>\n"
    )
