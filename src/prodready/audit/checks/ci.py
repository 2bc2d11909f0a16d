"""CI: the tests, the contract check and the audit run on every change (CI001-CI002)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..repo import Failure, Repo
from .base import Check, Result, every, fixture

PRE_COMMIT = ".pre-commit-config.yaml"
#: What CI must run, and the commands (or Action) that run it.
REQUIRED_STEPS = (
    ("tests", r"nox -s tests|pytest"),
    ("contract check", r"nox -s contracts|prodready contracts check"),
    ("audit gate", r"nox -s audit|prodready audit|uses: .*prodready"),
)


#: Where CI configuration lives, in the order it is read: a directory of workflow files, or a file.
CI_PLACES = (".github/workflows/", ".gitlab-ci.yml", ".gitlab/ci/")
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class CiConfig:
    """Every CI file (GitHub workflows, GitLab CI) as one text, and the first of them ("" when none)."""

    text: str
    file: str
    #: Every CI file or directory that could not be read (a link out of the repository, ...).
    unreadable: tuple[Failure, ...] = ()


@fixture
def ci(prodready: Repo) -> CiConfig:
    """The repository's CI configuration."""
    files: list[str] = []
    problems: list[Failure] = []
    for place in CI_PLACES:
        if not place.endswith("/"):
            files += [place] if prodready.locate(place) is not None else []
            continue
        listed = prodready.listing(place.rstrip("/"), YAML_SUFFIXES)
        if isinstance(listed, Failure):
            problems.append(listed)
        else:
            files += listed
    texts = [prodready.read(f) for f in files]
    problems += [text for text in texts if isinstance(text, Failure)]
    readable = [text for text in texts if not isinstance(text, Failure)]
    return CiConfig("\n".join(readable), files[0] if files else "", tuple(problems))


class CI001(Check, family="ci"):
    """CI runs the tests, the contract check and the audit gate

    Checks that run only on a laptop stop running. Fix: keep the CI steps of the
    template: `nox -s tests`, `nox -s contracts` and `nox -s audit` (or the prodready
    Action).
    """

    @staticmethod
    def check(ci: CiConfig) -> Result:
        if ci.unreadable:
            return every(ci.unreadable, "CI files cannot be read")
        if not ci.file:
            return Failure("no CI configuration (.github/workflows/*.yml or .gitlab-ci.yml)", ".github/workflows", None)
        absent = [needed for needed, pattern in REQUIRED_STEPS if not re.search(pattern, ci.text)]
        if absent:
            steps = [f"the {needed}" for needed in absent]
            named = f"{', '.join(steps[:-1])} or {steps[-1]}" if len(steps) > 1 else steps[0]
            return Failure(f"CI does not run {named}", ci.file, None)
        return True


class CI002(Check, family="ci"):
    """pre-commit runs the prodready audit hook

    The audit is cheapest before a commit. Fix: keep the prodready-audit hook in
    .pre-commit-config.yaml.
    """

    @staticmethod
    def check(prodready: Repo) -> Result:
        text = prodready.read(PRE_COMMIT)
        if isinstance(text, Failure):
            return text
        return True if "prodready-audit" in text else Failure("no prodready-audit hook", PRE_COMMIT, None)
