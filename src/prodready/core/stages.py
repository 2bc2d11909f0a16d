"""The readiness stages a POC walks, lowest first.

One tuple for the whole package: the cost model (a volume and a
team per stage), the audit's gate and the CLI's ``--require`` choices all read it.
"""

from __future__ import annotations

#: poc (formalised POC), pilot (real users), production (scaled deployment).
STAGES: tuple[str, ...] = ("poc", "pilot", "production")
