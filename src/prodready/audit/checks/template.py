"""Template: linked to the template by an answers file, and on its newest release (TPL001-TPL002)."""

from __future__ import annotations

from ...template.source import (
    ANSWER_FILES,
    COPIER_ANSWERS,
    CRUFT_STATE,
    Origin,
    TemplateSourceError,
    currency,
    parse_origin,
)
from ..repo import Failure, Repo, Skip
from .base import Check, Result, fixture


@fixture
def template_origin(prodready: Repo) -> Origin | Failure | None:
    """Where the repository was generated from, by its answers file (None: no answers file)."""
    texts: list[str | None] = []
    for name in ANSWER_FILES:
        if prodready.locate(name) is None:
            texts.append(None)
            continue
        text = prodready.read(name)  # refused when it is a link out of the repository, binary, ...
        if isinstance(text, Failure):
            return text
        texts.append(text)
    try:
        return parse_origin(*texts)
    except ValueError as error:
        return Failure(f"the template answers file cannot be read: {error}", COPIER_ANSWERS, None)


class TPL001(Check, family="template", stage="pilot"):
    """The template's answers file is present

    .copier-answers.yml (copier) or .cruft.json (cruft) is what lets the platform team's
    template improvements reach this repository; every generation route writes one
    (copier the first, cookiecutter, cruft and `prodready new` the second). Fix: link an
    existing repository with `cruft link` or `copier copy --overwrite`.
    """

    @staticmethod
    def check(prodready: Repo) -> Result:
        for name in ANSWER_FILES:
            located = prodready.locate(name)
            if isinstance(located, Failure):
                return located
            if located is not None:
                return True if located.is_file() else prodready.absent(name)
        return Failure(f"neither {COPIER_ANSWERS} nor {CRUFT_STATE}", COPIER_ANSWERS, None)


class TPL002(Check, family="template", stage="pilot", requires={"TPL001"}):
    """The repository is on the newest template version

    Template releases carry new governance items, CI steps and fixes to every POC; a
    repository several versions behind misses them and drifts further with each release.
    The newest version is the highest PEP 440 tag of the recorded template source (or
    `--template-source`), or `--template-version`. Fix: `prodready update .` (or
    `copier update` / `cruft update`), resolve any conflicts, commit.
    """

    @staticmethod
    def check(template_origin: Origin | Failure | None, prodready: Repo) -> Result:
        origin = template_origin
        if origin is None or isinstance(origin, Failure):
            return origin
        if not origin.versioned:
            return Failure(origin.unversioned(), origin.answers_file, None)
        try:
            state = currency(origin, prodready.template_version, prodready.template_source)
        except TemplateSourceError as error:
            return Skip(f"newest template version unknown ({error}); pass --template-version or --template-source")
        if state.up_to_date:
            return True
        if state.current is None:
            return Failure(
                f"made from {origin.ref[:12]}, which is not a release tag; newest release is {state.newest}",
                origin.answers_file,
                None,
            )
        count = f"{state.behind} version{'s' * (state.behind != 1)}" if state.behind > 0 else "versions"
        return Failure(
            f"{count} behind the template: at {state.current}, newest {state.newest}", origin.answers_file, None
        )
