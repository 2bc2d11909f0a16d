"""The people every POC names, and who may not be whom.

The answer rules (at generation) and the audit's OWN002/OWN003 (on every commit) read
these tables, so a POC that generation accepts cannot fail its first audit for the
same fact, and a rule added here is enforced in both places at once.
"""

from __future__ import annotations

#: (role key, human label): every role needs a real name and e-mail address.
ROLES: tuple[tuple[str, str], ...] = (
    ("production_owner", "production owner"),
    ("business_owner", "business-outcome owner"),
    ("technical_lead", "technical lead"),
    ("executive_sponsor", "executive sponsor"),
    ("kill_authority", "kill authority"),
)
ROLE_KEYS: tuple[str, ...] = tuple(key for key, _ in ROLES)
LABELS: dict[str, str] = dict(ROLES)
#: Roles the POC's data requires whose sign-off is first due later: declared at
#: generation (ownership.yaml holds the role, its person left null and marked so), and
#: named by the stage given here, when the audit asks for the person.
#: role key -> (human label, the stage by which a person must hold it).
LATER_ROLES: dict[str, tuple[str, str]] = {
    # Signs the data protection impact assessment (GOV-015) of a POC processing personal data.
    "privacy_lead": ("privacy or legal lead (the data protection officer where one is designated)", "pilot"),
    # The people whose agreement production needs, and who are usually found too late.
    "security_lead": ("security lead (the threat model, keys and secrets, the data flows)", "pilot"),
    "it_lead": ("IT infrastructure lead (hosting, capacity, network access)", "pilot"),
    "compliance_lead": ("compliance lead (model governance)", "production"),
    "operations_lead": ("operations lead (change management in the teams whose work changes)", "production"),
    "affected_team_lead": (
        "lead of a team whose work changes (with the workers' representatives where roles change)",
        "production",
    ),
}
PRIVACY_LEAD = "privacy_lead"
#: The roles named later that every POC declares, whatever its data: production needs
#: security, IT, compliance, operations and the teams whose work changes to agree.
EVERY_POC_LATER_ROLES: tuple[str, ...] = (
    "security_lead",
    "it_lead",
    "compliance_lead",
    "operations_lead",
    "affected_team_lead",
)

#: Roles that must be held by someone other than the technical lead, and why.
NOT_THE_TECHNICAL_LEAD: dict[str, str] = {
    "kill_authority": "who cannot be expected to stop their own project",
    "production_owner": "who builds the model and cannot also be the one who runs it at 3 a.m.",
}
#: The role the separation rules compare against.
TECHNICAL_LEAD = "technical_lead"
#: The roles that may approve a waiver of a check, by the check's family; the technical
#: lead, who builds the POC, never waives its checks.
WAIVER_APPROVERS: dict[str, tuple[str, ...]] = {
    # A business check waived is a decision deferred: only who may kill the POC defers it.
    "business": ("kill_authority",),
}
DEFAULT_WAIVER_APPROVERS: tuple[str, ...] = ("kill_authority", "production_owner", "executive_sponsor")
#: Who usually holds each separated role instead, for the refusal's "accepted" part.
USUALLY: dict[str, str] = {
    "kill_authority": "someone other than the technical lead, usually the business owner or sponsor",
    "production_owner": "someone other than the technical lead, usually the head of the operating team",
}


def normalise(value: str) -> str:
    """Fold case, inner spacing and surrounding punctuation: "  Mei Tanaka. " is "mei tanaka"."""
    return " ".join(value.strip().strip(".!,;:<>[]()\"'`*_").lower().split())


def same_person(a_name: str, a_email: str, b_name: str, b_email: str) -> bool:
    """Whether two role holders are one person: the same e-mail, or the same real name.

    Both are compared through ``normalise``, at generation and in the audit alike; an
    empty value never matches (a missing name is a different rule's refusal).
    """
    if normalise(a_email) and normalise(a_email) == normalise(b_email):
        return True
    return bool(normalise(a_name)) and normalise(a_name) == normalise(b_name)


def separation_problems(holders: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """(role, problem) for each role held by the technical lead; ``holders`` maps role -> (name, e-mail)."""
    lead = holders.get(TECHNICAL_LEAD)
    if lead is None:
        return []
    problems = []
    for role, why in NOT_THE_TECHNICAL_LEAD.items():
        holder = holders.get(role)
        if holder is not None and same_person(*holder, *lead):
            problems.append((role, f"the {LABELS[role]} is the technical lead, {why}"))
    return problems
