"""CI: the tests, the contract check and the audit run on every change (CI001-CI002)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..repo import Failure, Repo
from .base import Check, Result, fixture, missing

PRE_COMMIT = ".pre-commit-config.yaml"
#: What CI must run, and the commands (or Action) that run it.
REQUIRED_STEPS = (
    ("tests", r"nox -s tests|pytest"),
    ("contract check", r"nox -s contracts|prodready contracts check"),
    ("audit gate", r"nox -s audit|prodready audit|uses: .*prodready"),
)


@dataclass(frozen=True)
class CiConfig:
    """Every CI file (GitHub workflows, GitLab CI) as one text, and the first of them ("" when none)."""

    text: str
    file: str


@fixture
def ci(prodready: Repo) -> CiConfig:
    """The repository's CI configuration."""
    root = prodready.root
    files = sorted(str(p.relative_to(root)) for p in (root / ".github" / "workflows").glob("*.y*ml"))
    files += [f for f in (".gitlab-ci.yml",) if prodready.exists(f)]
    files += sorted(str(p.relative_to(root)) for p in (root / ".gitlab" / "ci").glob("*.y*ml"))
    return CiConfig("\n".join(prodready.text(f) or "" for f in files), files[0] if files else "")


class CI001(Check, family="ci"):
    """CI runs the tests, the contract check and the audit gate

    Checks that run only on a laptop stop running. Fix: keep the CI steps of the
    template: `nox -s tests`, `nox -s contracts` and `nox -s audit` (or the prodready
    Action).
    """

    @staticmethod
    def check(ci: CiConfig) -> Result:
        if not ci.file:
            return Failure("no CI configuration (.github/workflows/*.yml or .gitlab-ci.yml)", ".github/workflows", None)
        for needed, pattern in REQUIRED_STEPS:
            if not re.search(pattern, ci.text):
                return Failure(f"CI does not run the {needed}", ci.file, None)
        return True


class CI002(Check, family="ci"):
    """pre-commit runs the prodready audit hook

    The audit is cheapest before a commit. Fix: keep the prodready-audit hook in
    .pre-commit-config.yaml.
    """

    @staticmethod
    def check(prodready: Repo) -> Result:
        text = prodready.text(PRE_COMMIT)
        if text is None:
            return missing(PRE_COMMIT)
        return True if "prodready-audit" in text else Failure("no prodready-audit hook", PRE_COMMIT, None)
