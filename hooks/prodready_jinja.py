"""Jinja extensions shared by cookiecutter (``_extensions``) and copier (``_jinja_extensions``).

``ProdreadyExtension`` gives both generators the same filters and globals, so a file
renders identically whichever generator runs it. ``CookiecutterNamespace`` is copier's
side only: the template's files are written for cookiecutter
(``{{ cookiecutter.project_slug }}``), and this context hook gives copier the same
namespace, as scientific-python/cookie does. It also applies prodready's answer rules
once every answer is known and before any file is rendered, raising copier's
``UserMessageError`` so the copier CLI prints the same message as the cookiecutter hook
and exits non-zero; copier then removes the half-made destination
(``cleanup_on_error``).

The rules themselves live in the ``prodready`` package; this file loads them by path
from the template, because the generator's environment need not have prodready
installed (and if it has, it may be another version than the template's).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from jinja2 import Environment, pass_context
from jinja2.ext import Extension
from jinja2.runtime import Context

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
# In a checkout the package is src/prodready; in the installed wheel the template is
# prodready/_template, inside the package itself.
PACKAGE_DIR = TEMPLATE_DIR / "src" / "prodready"
if not PACKAGE_DIR.is_dir():
    PACKAGE_DIR = TEMPLATE_DIR.parent


def load(name: str) -> ModuleType:
    """Load ``prodready.core.<name>`` from this checkout (or wheel) as a private package.

    ``core`` holds only standard-library modules, so it loads without prodready (or its
    dependencies) installed, and its modules' relative imports resolve inside the
    private package.
    """
    # One private package per template location: a process that renders from two
    # templates (a test suite, a fleet update) must not import one's modules from the other.
    package = f"_prodready_template_core_{hashlib.sha1(str(PACKAGE_DIR).encode()).hexdigest()[:12]}"
    if package not in sys.modules:
        core = PACKAGE_DIR / "core"
        spec = importlib.util.spec_from_file_location(
            package, core / "__init__.py", submodule_search_locations=[str(core)]
        )
        assert spec is not None and spec.loader is not None, f"cannot load prodready.core from {core}"
        module = importlib.util.module_from_spec(spec)
        sys.modules[package] = module
        spec.loader.exec_module(module)
    return importlib.import_module(f"{package}.{name}")


def prodready_version() -> str:
    """The version of the prodready package in this checkout (the generated repo pins it)."""
    text = (PACKAGE_DIR / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    assert match, "src/prodready/__init__.py has no __version__"
    return match.group(1)


def _run_git(*args: str) -> str:
    try:
        proc = subprocess.run(
            ["git", "-C", str(TEMPLATE_DIR), *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _git(*args: str) -> str:
    """A git query about the template being rendered ("" when it is not a git checkout).

    Only a repository whose top level is the template counts: the wheel's copy inside a
    virtual environment inside some project's checkout is not that project's release.
    """
    top = _run_git("rev-parse", "--show-toplevel")
    if not top or Path(top).resolve() != TEMPLATE_DIR:
        return ""
    return _run_git(*args)


def template_commit() -> str:
    """The commit of the template being rendered ("" when it is not a git checkout)."""
    return _git("rev-parse", "--verify", "HEAD")


def release_ref() -> str:
    """The ref a POC installs prodready at: the release it is rendered from.

    The tag at the template's HEAD when there is one (a release), else the commit (a
    render between releases); a copy that is not a git checkout (the wheel's, used by
    ``prodready new``) is the release of its own version.
    """
    tag = _git("describe", "--tags", "--exact-match", "HEAD")
    return tag or template_commit() or load("release").release_tag(prodready_version())


@pass_context
def template_source(context: Context) -> str:
    """Where this POC's template comes from, as the answers file records it.

    ``PRODREADY_TEMPLATE_SOURCE`` (the platform's configured template, which ``prodready
    new`` sets from its option) wins; otherwise the source the generator was given:
    copier's ``_src_path``, cookiecutter's and cruft's ``_template``.
    """
    release = load("release")
    configured = os.environ.get("PRODREADY_TEMPLATE_SOURCE", "").strip()
    copier = context.get("_copier_answers") or {}
    cookiecutter = context.get("cookiecutter") or {}
    given = configured or str(copier.get("_src_path") or cookiecutter.get("_template") or TEMPLATE_DIR)
    problem = release.source_problem(release.git_url(given))
    if problem:
        raise ValueError(f"template source {given!r} {problem}")
    return str(release.recordable(given))


@pass_context
def prodready_requirement(context: Context) -> str:
    """How the POC's noxfile, pre-commit hook and CI install prodready (one string, one rule)."""
    release = load("release")
    # The choices are cookiecutter.json's; every route but the index is the template's repository.
    if (context.get("cookiecutter") or {}).get("prodready_install") == "package-index":
        return str(release.index_requirement(prodready_version()))
    return str(release.requirement(template_source(context), release_ref()))


@pass_context
def cruft_state(context: Context) -> str:
    """.cruft.json for a cookiecutter render, as cruft writes it, so ``cruft update`` works later.

    cruft writes its own over it; plain cookiecutter (and ``prodready new``) records none
    otherwise. The commit is the template's HEAD, or for a copy that is not a git
    checkout the release tag (cruft checks tags out as it checks out commits).
    """
    answers = {
        key: value
        for key, value in dict(context.get("cookiecutter") or {}).items()
        if key not in ("_output_dir", "_repo_dir")  # paths of this machine's render, not answers
    }
    source = template_source(context)
    commit = template_commit() or release_ref()
    answers.update(_template=source, _commit=commit)
    state = {
        "template": source,
        "commit": commit,
        "checkout": answers.get("_checkout"),
        "context": {"cookiecutter": answers},
        "directory": None,
    }
    return json.dumps(state, ensure_ascii=False, indent=2, separators=(",", ": ")) + "\n"


def source_refusal(context: Mapping[str, Any]) -> str | None:
    """The one-line refusal of a template source no POC may record (None when it may).

    Checked before anything is written, by both generators' hooks, so a hostile
    ``PRODREADY_TEMPLATE_SOURCE`` or template argument is a refusal, not a traceback
    from the middle of rendering.
    """
    try:
        template_source(context)  # type: ignore[arg-type]  # a mapping answers .get as a Context does
    except ValueError as error:
        return f"prodready refused the template source; nothing was generated: {error}"
    return None


def check_answers(answers: dict[str, Any]) -> tuple[str | None, str | None]:
    """The refusal message (None when accepted) and the budget warning (None when covered).

    Both generators call this, so they refuse and warn in the same words.
    """
    rules = load("answers")
    refusals = rules.validate(answers)
    if refusals:
        return rules.format_refusals(refusals), None
    cost_model = load("cost_model")
    try:
        model = cost_model.parse(load("cost_defaults").model_from_answers(answers))
        projection = load("costing").project(model, with_sensitivity=False)
    except (cost_model.CostModelError, ArithmeticError, ValueError) as error:
        # The answer rules bound every figure, so this is a rule missing there: still a
        # refusal in the same shape, never a traceback.
        return (
            "prodready refused the answers; nothing was generated:\n"
            f"  - the cost projection from the answers cannot be computed: {error}"
        ), None
    currency, kind = answers["currency"], answers["ai_system_type"]
    warnings = []
    if projection.poc_overrun > 0:
        warnings.append(
            f"prodready warning: poc_budget ({plain_number(answers['poc_budget'])} {currency}) is below the POC's "
            f"projected spend ({projection.poc_total} {currency} over {projection.model.poc_months} months, from "
            f"prodready's defaults for {kind} systems, people included): raise the budget or cut the figures in "
            "cost/cost_model.yaml. `prodready audit` fails (COS005) until the budget covers the spend."
        )
    coverage = projection.budget_coverage
    if coverage is not None and coverage < 1:
        warnings.append(
            f"prodready warning: production_budget_year1 ({plain_number(answers['production_budget_year1'])} "
            f"{currency}) is below the projected first-year cost ({projection.year_one_total} {currency}, from "
            f"prodready's defaults for {kind} systems): revisit the budget or the figures in cost/cost_model.yaml. "
            "From the pilot stage on, `prodready audit` fails until the budget covers the cost."
        )
    return None, "\n".join(warnings) or None


#: Where the generator was started: cookiecutter renders from inside the template, so a
#: relative path to an extract is resolved against this directory, as the user meant it.
STARTED_IN = os.getcwd()
#: Extracts already measured in this process, by input and the answers that shape the
#: result: the contract, the sample and the hook all ask, the extract is read once.
_SAMPLED: dict[tuple[str, ...], Any] = {}


class SampleRefused(Exception):
    """The extract named by ``primary_dataset_sample`` cannot give the POC its contract."""


def sample_input(context: Mapping[str, Any]) -> tuple[str, str] | None:
    """(source, table) of the extract to infer the contract from, or None for the placeholder.

    copier's ``--data primary_dataset_sample=...`` (never recorded: it is not a question)
    or the environment (``PRODREADY_SAMPLE``, ``PRODREADY_SAMPLE_TABLE``), which
    ``prodready new --sample`` sets and plain cookiecutter and cruft read.
    """
    values = []
    for key, variable in load("questions").GENERATION_INPUTS.items():
        given = context.get(key)
        values.append(str(given if given not in (None, "") else os.environ.get(variable, "")).strip())
    source, table = values
    if not source:
        return None
    if "://" not in source and not os.path.isabs(source):
        source = os.path.join(STARTED_IN, source)
    return source, table


def _measure(source: str, table: str, answers: Mapping[str, Any]) -> Any:
    """prodready's inference on the extract, or SampleRefused in one line (never with a password)."""
    try:
        from prodready.data.sources import redacted
        from prodready.errors import ProdreadyError
        from prodready.template.sample import from_extract

        try:
            return from_extract(
                source,
                table or None,
                str(answers.get("primary_dataset") or ""),
                classification=str(answers.get("data_classification") or "internal"),
                personal=answers.get("personal_data") == "yes",
                regimes=str(answers.get("privacy_regimes") or ""),
            )
        except ProdreadyError as error:
            raise SampleRefused(str(error).replace(source, redacted(source))) from None
        except ImportError:
            raise
        except Exception as error:  # a driver's own error: its first line, without the password
            first = (str(error).strip().splitlines() or [""])[0]
            raise SampleRefused(
                f"{redacted(source)} cannot be read: {first.replace(source, redacted(source))}"
            ) from None
    except ImportError as error:
        raise SampleRefused(
            "inferring the contract from an extract needs prodready and its data dependencies in the "
            f"generator's environment ({error}). Fix: install prodready there (pip install prodready), "
            "or generate with `prodready new --sample FILE|URL`"
        ) from None


@pass_context
def sample(context: Context) -> Any:
    """The extract's share of the POC (classified properties, synthetic CSV), or None without one."""
    given = sample_input(context)
    if given is None:
        return None
    answers = dict(context.get("cookiecutter") or {})
    facts = ("primary_dataset", "data_classification", "personal_data", "privacy_regimes")
    key = (*given, *(str(answers.get(fact)) for fact in facts))
    if key not in _SAMPLED:
        _SAMPLED[key] = _measure(*given, answers)
    return _SAMPLED[key]


@pass_context
def sample_refusal(context: Mapping[str, Any]) -> str | None:
    """The one-line refusal of an extract the contract cannot be inferred from (None: fine, or none given).

    Both generators' hooks ask before anything is written.
    """
    try:
        sample(context)  # type: ignore[arg-type]  # a mapping answers .get as a Context does
    except SampleRefused as error:
        return f"prodready refused primary_dataset_sample; nothing was generated: {error}"
    return None


#: Set to "0" by ``prodready new --answers FILE``: the answers are in a file already.
SAVE_SWITCH = "PRODREADY_SAVE_ANSWERS"
#: Where refused answers are saved (``prodready new`` names its output directory).
SAVE_DIR = "PRODREADY_ANSWERS_DIR"


def save_refused(answers: dict[str, Any], directory: str | os.PathLike[str] | None) -> str:
    """Save the answers given so far beside the output and say how to resume (or "").

    A refusal after 38 questions must not cost the team 38 answers: the file is a flat
    answers file like the bundled examples, which ``prodready new --answers`` reads. It
    is written whole (temporary file, then rename) and never through a symbolic link.
    """
    directory = os.environ.get(SAVE_DIR) or directory
    if os.environ.get(SAVE_SWITCH) == "0" or not directory:
        return ""
    import yaml  # both generators depend on PyYAML; only a refusal needs it

    keys = load("questions").answer_keys()
    kept = {key: str(answers[key]) for key in keys if key in answers}
    name = load("escape").path_component(str(kept.get("project_slug") or "poc")) + ".answers.yaml"
    target = Path(directory) / name
    if target.is_symlink() or (target.exists() and not target.is_file()):
        return ""
    text = "# prodready answers saved after a refusal: correct the refused ones, then\n"
    text += f"#   prodready new --answers {name}\n" + yaml.safe_dump(kept, allow_unicode=True, sort_keys=False)
    temporary = target.with_name(f".{name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    except OSError:
        temporary.unlink(missing_ok=True)
        return ""
    return (
        f"\nYour answers are saved in {target} (correct any refused above); resume with\n"
        f"  prodready new --answers {target}"
    )


def plain_number(value: object) -> str:
    """A validated numeric answer in plain decimal notation ("1e5" -> "100000").

    YAML 1.1 readers take ``1e5`` for a string; plain notation is a number everywhere.
    """
    number = Decimal(str(value).strip())
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class ProdreadyExtension(Extension):
    """Escaping filters and the few computed defaults the questionnaire needs."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        escape = load("escape")
        answers = load("answers")
        plan = load("plan")
        environment.filters.update(
            yaml_str=escape.yaml_str,
            toml_str=escape.toml_str,
            md=escape.md,
            gha_str=escape.gha_str,
            prodready_dirname=escape.path_component,
            prodready_slug=answers.slugify,
            prodready_number=plain_number,
        )
        environment.globals.update(
            # Where this template is, for the pre-generation hook: cruft renders from a
            # clone and does not set cookiecutter's ``_repo_dir``.
            prodready_template_dir=str(TEMPLATE_DIR),
            prodready_default_decision_date=answers.default_decision_date,
            prodready_today=lambda: date.today().isoformat(),
            prodready_cost_model=load("cost_defaults").model_from_answers,
            prodready_requirement=prodready_requirement,
            prodready_cruft_state=cruft_state,
            prodready_index_variable=load("release").INDEX_VARIABLE,
            prodready_next_steps=load("next_steps").next_steps,
            prodready_sample=sample,
            # Served online (an HTTP service) or run as a batch job: from the kind and serving_mode.
            prodready_online=answers.online,
            # The integration map the POC starts with: the systems it reads from and writes to.
            prodready_systems=load("integration").systems,
            # The milestones a new POC's plan starts with, and what each means.
            prodready_milestones=plan.from_answers,
            prodready_milestone_meanings=plan.MEANINGS,
            prodready_reference_months=plan.REFERENCE_MONTHS,
            prodready_sample_refusal=sample_refusal,
            # The checklist's items for the answers, from the governance catalogue.
            prodready_checklist=lambda answers: load("obligations").checklist_items(answers),
        )


try:  # copier only: cookiecutter users need not have copier's extension package
    from copier.errors import UserMessageError
    from copier_template_extensions import ContextHook
except ImportError:  # pragma: no cover - exercised by cookiecutter-only environments
    pass
else:
    ANSWER_KEYS = load("questions").answer_keys()

    class CookiecutterNamespace(ContextHook):
        """Expose the answers as ``cookiecutter.*`` and refuse unaccountable ones."""

        checked = False  # the hook runs for every file; check and warn once

        def hook(self, context: dict[str, Any]) -> None:
            context["cookiecutter"] = {key: context[key] for key in ANSWER_KEYS if key in context}
            if str(context.get("_copier_phase")) == "render" and not self.checked:
                problem = source_refusal(context)
                if problem:
                    raise UserMessageError(problem)
                refusal, warning = check_answers(context["cookiecutter"])
                if refusal:
                    conf = context.get("_copier_conf")  # a lazy mapping
                    destination = conf.get("dst_path") if isinstance(conf, Mapping) else None
                    parent = Path(destination).absolute().parent if destination else None
                    raise UserMessageError(refusal + save_refused(context["cookiecutter"], parent))
                problem = sample_refusal(context)
                if problem:
                    raise UserMessageError(problem)
                if warning:
                    print(warning, file=sys.stderr)
                self.checked = True
