"""The readiness stages a POC walks, lowest first.

One tuple for the whole package: the cost model (a volume and a
team per stage), the audit's gate and the CLI's ``--require`` choices all read it.
"""

from __future__ import annotations

#: poc (formalised POC), pilot (real users), production (scaled deployment).
STAGES: tuple[str, ...] = ("poc", "pilot", "production")

#: The kill authority's decisions on a POC (``prodready decide``), each recorded in decisions/.
DECISIONS: tuple[str, ...] = ("go", "extend", "pilot", "production", "kill")

#: Days between a decision that sets a stage and that stage's next review (the
#: ``decision_date`` of ownership.yaml): a pilot or a production system is reviewed too,
#: so nothing lingers at any stage. A POC's first date is the one answered at generation.
REVIEW_DAYS: dict[str, int] = {"pilot": 90, "production": 180}
