"""CI: the tests, the contract check and the audit run on every change and on a schedule (CI001-CI003)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..repo import Failure, Repo
from .base import Check, Result, every, fixture

PRE_COMMIT = ".pre-commit-config.yaml"
#: What CI must run, and the commands (or Action) that run it.
REQUIRED_STEPS = (
    ("tests", r"nox -s tests|pytest"),
    ("contract check", r"nox -s contracts|prodready contracts check"),
    ("audit gate", r"nox -s audit|prodready audit|uses: .*prodready"),
)
AUDIT_STEP = REQUIRED_STEPS[-1][1]
#: A GitHub workflow's scheduled trigger.
SCHEDULE = re.compile(r"(?m)^\s*schedule\s*:")
#: GitLab job keys that are not jobs.
GITLAB_KEYWORDS = frozenset({"default", "include", "stages", "variables", "workflow", "image", "services", "cache"})


def session_step(session: str, module: str) -> re.Pattern[str]:
    """A CI step running the POC's ``nox -s session``, or the module of the POC behind it directly."""
    return re.compile(rf"nox -s {session}\b|nox --session {session}\b|-m [\w.]+\.{module}\b")


#: Where CI configuration lives, in the order it is read: a directory of workflow files, or a file.
CI_PLACES = (".github/workflows/", ".gitlab-ci.yml", ".gitlab/ci/")
YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class CiConfig:
    """Every CI file (GitHub workflows, GitLab CI) as one text, and the first of them ("" when none)."""

    text: str
    file: str
    #: (relative path, text) of each readable CI file, in the order read.
    files: tuple[tuple[str, str], ...] = ()
    #: Every CI file or directory that could not be read (a link out of the repository, ...).
    unreadable: tuple[Failure, ...] = ()


def unrun(ci: CiConfig, step: re.Pattern[str], what: str, session: str) -> Failure | None:
    """That no CI step runs ``what``, at the CI file (None: one does, or there is no CI: CI001's finding)."""
    if ci.file and not step.search(ci.text):
        return Failure(f"no CI step runs {what} (`nox -s {session}`)", ci.file, None)
    return None


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
    readable = [(name, text) for name, text in zip(files, texts, strict=True) if not isinstance(text, Failure)]
    first = files[0] if files else ""
    return CiConfig("\n".join(text for _, text in readable), first, tuple(readable), tuple(problems))


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


def _runs_in_scheduled_pipelines(job: dict[str, Any]) -> bool:
    """Whether a GitLab job is allowed to run in a pipeline started by a schedule.

    ``only``/``except`` name the pipeline sources (``schedules``); with ``rules`` a job
    runs in a scheduled pipeline when a rule could match one: a rule without ``if``,
    or whose ``if`` allows the source ``schedule`` (it names it with ``==``, or does not
    test ``CI_PIPELINE_SOURCE`` at all). ``when: never`` rules never let a job run.
    """
    only, excepted = job.get("only"), job.get("except")
    if only is not None and "schedules" not in str(only):
        return False
    if excepted is not None and "schedules" in str(excepted):
        return False
    rules = job.get("rules")
    if not isinstance(rules, list):
        return True
    for rule in rules:
        if not isinstance(rule, dict) or rule.get("when") == "never":
            continue
        condition = str(rule.get("if") or "")
        if "CI_PIPELINE_SOURCE" not in condition or re.search(r"==\s*[\"']schedule[\"']", condition):
            return True
    return False


def _gitlab_audit_jobs(prodready: Repo, name: str) -> list[tuple[str, dict[str, Any]]]:
    """The jobs of a GitLab CI file whose script runs the audit."""
    document = prodready.yaml(name)
    if document is None or isinstance(document, Failure) or not isinstance(document.data, dict):
        return []
    return [
        (job_name, job)
        for job_name, job in document.data.items()
        if isinstance(job, dict)
        and job_name not in GITLAB_KEYWORDS
        and re.search(AUDIT_STEP, "\n".join(map(str, job.get("script") or [])))
    ]


class CI003(Check, family="ci", requires={"CI001"}):
    """The audit also runs on a schedule, when nobody pushes

    A dormant POC is the zombie prodready exists to stop: nobody pushes, so an audit
    that runs only on push never sees its decision date pass, its KPI actuals go stale
    or its waivers expire. Fix: keep the template's weekly `schedule:` trigger in the
    GitHub workflow that runs the audit (GitHub pauses the schedules of a public
    repository after 60 days without activity: the portfolio job is the backstop). On
    GitLab a schedule is a project setting the repository does not hold, so this check
    sees only that a job running the audit is allowed in scheduled pipelines: create a
    weekly pipeline schedule (Build > Pipeline schedules) for the default branch.
    """

    @staticmethod
    def check(prodready: Repo, ci: CiConfig) -> Result:
        github = [(name, text) for name, text in ci.files if name.startswith(".github/")]
        for _, text in github:
            if SCHEDULE.search(text) and re.search(AUDIT_STEP, text):
                return True
        gitlab = [name for name, _ in ci.files if not name.startswith(".github/")]
        jobs = [(name, job_name, job) for name in gitlab for job_name, job in _gitlab_audit_jobs(prodready, name)]
        if any(_runs_in_scheduled_pipelines(job) for _, _, job in jobs):
            return True
        if jobs:
            name, job_name, _ = jobs[0]
            return Failure(f"the audit job `{job_name}` does not run in scheduled pipelines", name, None)
        auditing = next((name for name, text in github if re.search(AUDIT_STEP, text)), ci.file)
        text = dict(ci.files).get(auditing, "")
        line = next((n for n, row in enumerate(text.splitlines(), 1) if re.match(r"\s*['\"]?on['\"]?\s*:", row)), None)
        return Failure("the audit runs only when someone pushes: no `schedule:` trigger", auditing, line)
