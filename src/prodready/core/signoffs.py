"""Who may sign each item of the governance checklist, and the states an item passes through.

One table, the governance catalogue's signers (obligations.toml), for the template
(which renders each item's ``signers`` from it) and the audit (which accepts a
sign-off only by a role the table names for that item, whatever the repository's copy
says): a team cannot widen who may attest an item by editing its own checklist. An
item the table does not know (a team's own) is signed by the roles its ``signers``
lists.

Standard library only: the template's hooks load this module without prodready installed.
"""

from __future__ import annotations

from .obligations import catalogue
from .stages import DECISIONS

#: The pseudo-role of the owner of an input data set (``data.<name>.owner_email`` in
#: ownership.yaml): the person who answers for the data, not a role of ``roles``.
DATA_OWNER = "data_owner"

#: Item id -> the roles of ownership.yaml that may sign it off (the catalogue's signers).
SIGNERS: dict[str, tuple[str, ...]] = {item.id: item.signers for item in catalogue()}

#: The roles that may take each decision ``prodready decide`` records (``stages.DECISIONS``): the
#: go/no-go belongs to the kill authority, whatever it decides.
DECIDERS: dict[str, tuple[str, ...]] = {kind: ("kill_authority",) for kind in DECISIONS}
#: How far past the stage's first decision date extensions may move it, unless
#: [tool.prodready] max_extension_days says otherwise (about six months).
MAX_EXTENSION_DAYS = 183

#: An item nobody has attested yet.
TODO = "todo"
#: An item whose evidence the generator made and the audit checks (ownership.yaml names
#: the roles, the KPI, the decision date), which still waits for a person to sign it.
AWAITING = "awaiting-sign-off"
#: Items a person has signed: done, or not applicable with a rationale.
SETTLED: tuple[str, ...] = ("done", "not-applicable")
STATUSES: tuple[str, ...] = (TODO, AWAITING, *SETTLED)


#: How many days ahead a waiver may expire, unless [tool.prodready] max_waiver_days says otherwise.
MAX_WAIVER_DAYS = 90
