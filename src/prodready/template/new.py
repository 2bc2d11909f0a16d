"""``prodready new``: render the bundled template with cookiecutter, copier or cruft.

The generators themselves apply the answer rules (the cookiecutter hook and the copier
context hook both load ``answers.py``), so ``prodready new`` adds no rule of its own:
it reads an answers file, hands the answers to the chosen generator in that
generator's terms, and turns the generator's refusal into prodready's exit code.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from ..core.answers import Refusal, format_refusals, slugify
from ..core.escape import path_component
from ..core.questions import choices, questionnaire
from ..errors import InputError, ProdreadyError
from ..io.yamlio import load_yaml, require_mapping
from . import Generator

JINJA_MARKERS = ("{{", "{%", "{#")


class GenerationRefused(ProdreadyError):
    """The generator refused the answers; the message lists every refusal.

    Exit 1, not 2: the questionnaire's checks ran and found problems, as a failed audit does.
    """

    exit_code = 1
    prefix = ""  # the message is the generators' own refusal list


def template_dir() -> Path:
    """The template: the repository checkout when run from one, else the wheel's copy."""
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "cookiecutter.json").is_file() and (checkout / "hooks").is_dir():
        return checkout
    return Path(str(resources.files("prodready") / "_template"))


def example_answers(name: str) -> Path:
    """The answers file of a bundled example (examples/NAME.yaml), or an input error."""
    examples = template_dir() / "examples"
    path = examples / f"{name}.yaml"
    if not name.replace("-", "").isalnum() or not path.is_file():
        known = ", ".join(sorted(p.stem for p in examples.glob("*.yaml")))
        raise InputError("--example", f"no example named {name!r}", f"choose one of: {known}")
    return path


def _as_answer(key: str, value: Any, path: Path, line: int | None) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str | int | float):
        return str(value)
    raise InputError(
        path,
        f"answer {key!r} is a {type(value).__name__}",
        "give a single value (quote it if it contains ': ')",
        line=line,
    )


def load_answers(path: Path) -> dict[str, str]:
    """Read a flat YAML answers file (as in examples/) into answer strings."""
    document = load_yaml(path, "answers file")
    data = require_mapping(document, "answers file")
    questions = json.loads((template_dir() / "cookiecutter.json").read_text(encoding="utf-8"))
    answers: dict[str, str] = {}
    for key, value in data.items():
        line = document.line_of([key])
        if not isinstance(key, str) or key.startswith("_") or key not in questions:
            raise InputError(
                path,
                f"unknown question {key!r}",
                "use the question names of cookiecutter.json (see the questionnaire docs)",
                line=line,
            )
        answers[key] = _as_answer(key, value, path, line)
    return answers


def protect_for_cookiecutter(value: str) -> str:
    """Keep cookiecutter from rendering an answer as a template.

    Cookiecutter renders every value it is given without prompting as Jinja, so an
    answer containing ``{{`` would be evaluated. Such a value is handed over as a Jinja
    string literal expression that renders back to exactly the original text.
    """
    if not any(marker in value for marker in JINJA_MARKERS):
        return value
    return "{{ " + json.dumps(value, ensure_ascii=False) + " }}"


def cookiecutter_context(answers: Mapping[str, str]) -> dict[str, str]:
    """Answers as cookiecutter ``extra_context``."""
    return {key: protect_for_cookiecutter(value) for key, value in answers.items()}


def destination_name(answers: Mapping[str, str]) -> str:
    """The directory the generators create, from the slug or the project name.

    The template names it through the same ``path_component`` filter, so even a slug the
    hooks will refuse (``../x``, a NUL) names a directory one level inside the output.
    """
    return path_component(answers.get("project_slug") or slugify(answers.get("project_name", "")))


def generate(
    answers: Mapping[str, str] | None, generator: Generator, output_dir: Path, template: Path | None = None
) -> Path:
    """Render a POC repository; ``answers=None`` asks the questions interactively.

    The generator renders into a staging directory beside the destination, which is
    moved into place only once complete: a refusal, a crash or Ctrl-C leaves nothing,
    and an existing project is never written into.
    """
    template = template or template_dir()
    if answers is not None:
        _refuse_unknown_choices(answers)
        _refuse_existing(output_dir / destination_name(answers))
    output_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".prodready-new-", dir=output_dir))
    try:
        if generator == "copier":
            rendered = _copier(answers, staging, template)
        else:
            rendered = _cookiecutter(answers, generator, staging, template)
        for cache in [p for p in rendered.rglob("__pycache__") if p.is_dir()]:
            shutil.rmtree(cache)  # the hooks' bytecode, not the team's files
        destination = output_dir / rendered.name
        _refuse_existing(destination)
        rendered.rename(destination)
        return destination
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _refuse_unknown_choices(answers: Mapping[str, str]) -> None:
    """Refuse a choice answer that is not one of its choices, as the answer rules would.

    cookiecutter raises on such a value before its hooks (and so the rules) run.
    """
    refusals = [
        Refusal(key, str(answers[key]), "is not one of the choices", ", ".join(choices(key)))
        for key, default in questionnaire().items()
        if isinstance(default, list) and key in answers and str(answers[key]) not in choices(key)
    ]
    if refusals:
        raise GenerationRefused(format_refusals(refusals))


def _refuse_existing(destination: Path) -> None:
    if destination.is_symlink() or (destination.exists() and (not destination.is_dir() or any(destination.iterdir()))):
        raise InputError(
            destination,
            "the destination already exists and is not empty; nothing was written",
            "choose another --output-dir or project_slug, or move the existing directory away",
        )
    if destination.is_dir():
        destination.rmdir()  # empty: the rename below takes its place


def _cookiecutter(answers: Mapping[str, str] | None, generator: Generator, output_dir: Path, template: Path) -> Path:
    from cookiecutter.exceptions import FailedHookException

    # Cookiecutter logs a traceback when a hook refuses; the hook's own message is the news.
    logger = logging.getLogger("cookiecutter")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())  # once, not one more per generation
    logger.propagate = False
    context = cookiecutter_context(answers) if answers is not None else None
    try:
        if generator == "cruft":
            from cruft import create

            return Path(
                create(str(template), output_dir=output_dir, no_input=answers is not None, extra_context=context)
            )
        from cookiecutter.main import cookiecutter

        return Path(
            cookiecutter(str(template), no_input=answers is not None, extra_context=context, output_dir=str(output_dir))
        )
    except FailedHookException as error:
        raise GenerationRefused(
            "the template's pre-generation hook refused the answers (its message is above)"
        ) from error


def _copier(answers: Mapping[str, str] | None, output_dir: Path, template: Path) -> Path:
    from copier import run_copy
    from copier.errors import UserMessageError

    if answers is None:
        raise InputError(
            "--answers",
            "copier needs a destination name before asking the questions",
            "pass --answers FILE, or use --generator cookiecutter for interactive questions",
        )
    destination = output_dir / destination_name(answers)
    try:
        run_copy(str(template), destination, data=dict(answers), defaults=True, unsafe=True, quiet=True)
    except UserMessageError as error:
        raise GenerationRefused(str(error)) from error
    return destination
