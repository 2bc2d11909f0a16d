"""``prodready new``: render the bundled template with cookiecutter, copier or cruft.

The generators themselves apply the answer rules (the cookiecutter hook and the copier
context hook both load ``answers.py``), so ``prodready new`` adds no rule of its own:
it reads an answers file, hands the answers to the chosen generator in that
generator's terms, and turns the generator's refusal into prodready's exit code.

The POC records where its template lives and at which release, never the directory it
was rendered from (the wheel's copy in site-packages): the configured template source
(``--template-source``, ``PRODREADY_TEMPLATE_SOURCE``, else the repository in the
package metadata) at the release of this package's version. ``copier update``, ``cruft
update`` and ``prodready update`` read that record later. cookiecutter and cruft both
render through cookiecutter here, and the template writes ``.cruft.json`` as cruft does.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from .. import __version__
from ..core.answers import Refusal, format_refusals, slugify
from ..core.escape import path_component
from ..core.project import repository_url
from ..core.questions import GENERATION_INPUTS, choices, questionnaire
from ..core.release import git_url, recordable, release_tag, source_problem
from ..errors import InputError, ProdreadyError
from ..io.outputs import write_atomic
from ..io.yamlio import load_yaml, parse_yaml, require_mapping
from . import Generator
from .source import COPIER_ANSWERS

JINJA_MARKERS = ("{{", "{%", "{#")
SAMPLE, SAMPLE_TABLE = GENERATION_INPUTS
#: An extract of the primary data set (a file, glob, URL or PostgreSQL URL) and its table ("" for files).
Sample = tuple[str, str]


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
    """Read a flat YAML answers file (as in examples/) into answer strings.

    The generation inputs (``primary_dataset_sample`` and its table) are read too; a
    relative extract path is relative to the answers file. ``generation_inputs`` takes
    them out before the answers reach a generator.
    """
    document = load_yaml(path, "answers file")
    data = require_mapping(document, "answers file")
    questions = json.loads((template_dir() / "cookiecutter.json").read_text(encoding="utf-8"))
    answers: dict[str, str] = {}
    for key, value in data.items():
        line = document.line_of([key])
        if key in GENERATION_INPUTS:
            answers[key] = _as_answer(key, value, path, line)
            continue
        if not isinstance(key, str) or key.startswith("_") or key not in questions:
            raise InputError(
                path,
                f"unknown question {key!r}",
                "use the question names of cookiecutter.json (see the questionnaire docs)",
                line=line,
            )
        answers[key] = _as_answer(key, value, path, line)
    sample = answers.get(SAMPLE, "").strip()
    if sample and "://" not in sample:
        answers[SAMPLE] = str((path.parent / sample).absolute())
    return answers


def generation_inputs(answers: Mapping[str, str]) -> tuple[dict[str, str], Sample | None]:
    """The answers a generator records, and the extract (source, table) to infer the contract from.

    The extract is handed to the generators' rendering through the environment
    (``core.questions.GENERATION_INPUTS``), never as an answer: an answers file, a
    ``.copier-answers.yml`` or a ``.cruft.json`` must not hold a local path or a URL
    with a password.
    """
    kept = {key: value for key, value in answers.items() if key not in GENERATION_INPUTS}
    source = answers.get(SAMPLE, "").strip()
    return kept, (source, answers.get(SAMPLE_TABLE, "").strip()) if source else None


def sample_location(source: str) -> str:
    """An extract as the generators' rendering reads it: a local path made absolute, a URL as given."""
    return source if "://" in source else str(Path(source).absolute())


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


def template_source(given: str | None, template: Path | None) -> str:
    """The source a new POC records: as given, else the ``--template`` checkout, else the metadata's.

    Refused like an answers file's source would be: never a remote helper, ``git://``
    or ``http://`` (see ``core.release.source_problem``).
    """
    source = (given or "").strip() or (str(template) if template else repository_url())
    if not source:
        raise InputError(
            "--template-source",
            "no template source is configured and the package metadata names no repository",
            "pass --template-source URL or set PRODREADY_TEMPLATE_SOURCE",
        )
    problem = source_problem(git_url(source))
    if problem:
        fix = "give the template's https:// or ssh:// URL, or a path"
        raise InputError("--template-source", f"{source!r} {problem}", fix)
    return recordable(source)


@contextmanager
def _hook_settings(source: str, answers_given: bool, output_dir: Path, sample: Sample | None) -> Iterator[None]:
    """Tell the template's hooks what ``prodready new`` knows, for the length of one render.

    The hooks render the source into the POC's requirement on prodready, save refused
    interactive answers in the output directory (not the staging one) and leave the next
    steps to ``prodready new``, which prints them once the POC is in place. The extract
    to infer the contract from (or none: the placeholder) goes the same way, so no
    generator records it.
    """
    extract, table = sample or ("", "")
    settings = {
        "PRODREADY_TEMPLATE_SOURCE": source,
        "PRODREADY_QUIET_HOOKS": "1",
        "PRODREADY_SAVE_ANSWERS": "0" if answers_given else "1",
        "PRODREADY_ANSWERS_DIR": str(output_dir.absolute()),
        GENERATION_INPUTS[SAMPLE]: sample_location(extract) if extract else "",
        GENERATION_INPUTS[SAMPLE_TABLE]: table,
    }
    saved = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def generate(
    answers: Mapping[str, str] | None,
    generator: Generator,
    output_dir: Path,
    template: Path | None = None,
    source: str | None = None,
    sample: Sample | None = None,
) -> Path:
    """Render a POC repository; ``answers=None`` asks the questions interactively.

    ``sample`` (an extract and its table) gives the contract the data set's own schema
    and the POC a synthetic sample made from it; an answers file may name it too
    (``primary_dataset_sample``), and ``sample`` wins. The generator renders into a
    staging directory beside the destination, which is moved into place only once
    complete: a refusal, a crash or Ctrl-C leaves nothing, and an existing project is
    never written into.
    """
    recorded = template_source(source, template)
    template = template or template_dir()
    if answers is not None:
        answers, given = generation_inputs(answers)
        sample = sample or given
        _refuse_unknown_choices(answers)
        _refuse_existing(output_dir / destination_name(answers))
    output_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".prodready-new-", dir=output_dir))
    try:
        with _hook_settings(recorded, answers is not None, output_dir, sample):
            if generator == "copier":
                rendered = _copier(answers, staging, template)
                _record_copier_origin(rendered, recorded)
            else:
                rendered = _cookiecutter(answers, staging, template)
        for cache in [p for p in rendered.rglob("__pycache__") if p.is_dir()]:
            shutil.rmtree(cache)  # the hooks' bytecode, not the team's files
        destination = output_dir / rendered.name
        try:
            _refuse_existing(destination)
        except InputError as error:
            if answers is not None:
                raise
            # Asked interactively: the questions are answered, so keep the answers.
            hint = _save_interactive_answers(rendered, template, output_dir)
            raise InputError(error.file, error.message, error.fix + hint) from None
        rendered.rename(destination)
        return destination
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _record_copier_origin(project: Path, source: str) -> None:
    """Record the configured source, and the release when copier rendered a copy that is not git.

    copier records the directory it read (the wheel's copy) and, for a git checkout,
    ``git describe`` of it; the wheel's copy is this package's release. Only those two
    lines change: the rest stays byte for byte as copier writes it, so a later ``copier
    update`` rewrites nothing it did not change.
    """
    path = project / COPIER_ANSWERS
    text = path.read_text(encoding="utf-8")
    data = require_mapping(parse_yaml(text, path), "copier answers file")
    commit = str(data.get("_commit") or release_tag(__version__))
    lines = [line for line in text.splitlines() if not line.startswith(("_src_path:", "_commit:"))]
    recorded = yaml.safe_dump({"_commit": commit, "_src_path": source}, allow_unicode=True, width=2**16)
    first = next((i for i, line in enumerate(lines) if line and not line.startswith("#")), len(lines))
    write_atomic(path, "\n".join([*lines[:first], *recorded.splitlines(), *lines[first:]]) + "\n")


def _save_interactive_answers(rendered: Path, template: Path, output_dir: Path) -> str:
    """Save the answers of an interactive render that cannot be moved into place ("" if none).

    The template's own hook code writes the file, so it is the same answers file a
    refusal leaves; the answers are read from the ``.cruft.json`` the render wrote.
    """
    import importlib.util

    try:
        answers = json.loads((rendered / ".cruft.json").read_text(encoding="utf-8"))["context"]["cookiecutter"]
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    spec = importlib.util.spec_from_file_location("_prodready_jinja", template / "hooks" / "prodready_jinja.py")
    if spec is None or spec.loader is None:
        return ""
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    saved: str = hooks.save_refused(answers, output_dir.absolute())
    return "; " + " ".join(saved.split()) if saved else ""


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


def _cookiecutter(answers: Mapping[str, str] | None, output_dir: Path, template: Path) -> Path:
    """Render with cookiecutter: the ``cookiecutter`` and the ``cruft`` route alike.

    cruft's ``create`` is cookiecutter plus ``.cruft.json``, which the template writes
    itself, so a copy that is not a git repository (the wheel's) renders for cruft too.
    """
    from cookiecutter.exceptions import FailedHookException
    from cookiecutter.main import cookiecutter

    # Cookiecutter logs a traceback when a hook refuses; the hook's own message is the news.
    logger = logging.getLogger("cookiecutter")
    if not any(isinstance(handler, logging.NullHandler) for handler in logger.handlers):
        logger.addHandler(logging.NullHandler())  # once, not one more per generation
    logger.propagate = False
    context = cookiecutter_context(answers) if answers is not None else None
    try:
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
