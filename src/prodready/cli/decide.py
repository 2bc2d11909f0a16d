"""``prodready decide``: record the kill authority's go/no-go decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..core.stages import DECISIONS


@click.command()
@click.argument("kind", type=click.Choice(DECISIONS))
@click.argument("path", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--reason", required=True, help="Why, in a sentence: it goes into the record.")
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    help="extend only: the new decision date (at most max_extension_days past the stage's first date).",
)
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), hidden=True, help="Decide as of this date (for tests).")
def decide(kind: str, path: Path, reason: str, until: Any, today: Any) -> None:
    """Record a decision on the POC at PATH: go, extend, pilot, production or kill.

    Writes decisions/NNNN-DATE-KIND.md (who decided, why, what it set, and the evidence
    it was taken on) and sets what the decision sets: the stage (pilot, production), the
    next decision or review date (go, extend, pilot, production), or the start of the
    decommission plan (kill). The kill authority commits the record: from the pilot, the
    audit accepts it only from their commit.
    """
    from ..review.decide import decide as record

    done = record(
        path,
        kind,
        reason,
        until=until.date() if until else None,
        today=today.date() if today else None,
    )
    click.echo(f"wrote {done.record}")
    if done.decision_date is not None:
        click.echo(f"stage {done.stage}; next decision {done.decision_date} (ownership.yaml business.decision_date)")
    else:
        click.echo("the decommission plan is invoked: governance/decommission_plan.md's steps are now due (GOV006)")
    click.echo(
        f"commit it as {done.decider} <{done.email}>, signed where ownership.yaml holds their signing_key: "
        "from the pilot the audit accepts the record only from their own commit"
    )
