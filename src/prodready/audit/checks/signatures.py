"""Who may sign, and whether a line of the repository was committed (and signed) by them.

Sign-offs (GOV007), decision records (BUS004) and waivers (the engine) all name a
person of ownership.yaml and are believed only from that person's own commit: one
``people`` fixture and one ``commit_problem`` serve all three.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...core.signoffs import DATA_OWNER
from ..git import OPENPGP_BLOCK, GitError, blame, history_problem, key_format, signed_by
from ..repo import Failure, Repo
from .base import YamlFile, fixture


@dataclass(frozen=True)
class Person:
    """Someone ownership.yaml names for a role: who may sign what that role signs."""

    name: str
    email: str
    signing_key: str | None


@fixture
def people(ownership: YamlFile | Failure) -> dict[str, list[Person]]:
    """Role -> the people holding it in ownership.yaml (``data_owner``: every data set's owner)."""
    if isinstance(ownership, Failure):
        return {}
    found: dict[str, list[Person]] = {}
    for role, person in ownership.section("roles").items():
        if isinstance(person, dict):
            key = person.get("signing_key")
            found[str(role)] = [
                Person(str(person.get("name") or ""), str(person.get("email") or "").lower(), str(key) if key else None)
            ]
    owners = [d for d in ownership.section("data").values() if isinstance(d, dict)]
    found[DATA_OWNER] = [Person("", str(d.get("owner_email") or "").lower(), None) for d in owners]
    return found


#: How a verification that cannot run at all begins (no history, a shallow clone).
UNVERIFIABLE = "cannot be verified"


def commit_problem(
    repo: Repo, file: str, lines: set[int | None], who: Person, people: dict[str, list[Person]]
) -> str | None:
    """Why the commits that last changed ``lines`` of ``file`` are not ``who``'s own (signed, where they have a key).

    Shared by sign-offs (GOV007) and waivers: "was committed by eve@... (1a2b3c4)".
    """
    problem = history_problem(repo.root)
    if problem is not None:
        return f"{UNVERIFIABLE}: {problem}"
    try:
        blamed = blame(repo.root, file)
    except GitError as error:
        return f"{UNVERIFIABLE}: {error}"
    commits = [blamed[n] for n in sorted(n for n in lines if n is not None) if n in blamed]
    if not commits:
        return "is not committed"
    keys = {p.email: p.signing_key for holders in people.values() for p in holders if p.signing_key}
    if who.signing_key and key_format(who.signing_key) is None:
        return (
            f"by {who.name} cannot be verified: their signing_key in ownership.yaml is neither an SSH public key "
            f"line nor an OpenPGP public key block ({OPENPGP_BLOCK})"
        )
    for commit in commits:
        if commit.author_email != who.email:
            return f"by {who.name} was committed by {commit.author_email} ({commit.sha[:7]})"
        if who.signing_key and signed_by(repo.root, commit.sha, keys) != who.email:
            return f"by {who.name} is in commit {commit.sha[:7]}, not signed with {who.name}'s signing_key"
    return None
