"""Write copier.yml from cookiecutter.json, the questionnaire's single source.

cookiecutter.json holds the questions, their defaults and their prompts; copier needs
the same questions in its own syntax. Writing one from the other (instead of keeping
two hand-edited files) means they cannot drift; ``tests/test_questions.py`` fails if
the committed copier.yml is not what this script writes. Run ``nox -s sync`` after
editing cookiecutter.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent

HEADER = """\
# Generated from cookiecutter.json by tools/sync_copier_yml.py: edit cookiecutter.json
# and run `nox -s sync`. A test fails when this file drifts from cookiecutter.json.
#
# Copier renders the cookiecutter directory as it is: every file is a template
# (_templates_suffix: ""), and hooks/prodready_jinja.py gives copier the `cookiecutter`
# namespace and applies prodready's answer rules before any file is written. Both need
# copier-template-extensions and `copier copy --trust`.
"""

SETTINGS: dict[str, Any] = {
    "_min_copier_version": "9.4.0",
    "_subdirectory": "{% raw %}{{cookiecutter.project_slug | prodready_dirname}}{% endraw %}",
    "_templates_suffix": "",
    "_answers_file": ".copier-answers.yml",
    "_jinja_extensions": [
        "copier_template_extensions.TemplateExtensionLoader",
        "hooks/prodready_jinja.py:ProdreadyExtension",
        "hooks/prodready_jinja.py:CookiecutterNamespace",
    ],
}


def copier_default(value: str) -> str:
    """Cookiecutter defaults refer to ``cookiecutter.x``; copier's to plain ``x``."""
    return value.replace("cookiecutter.", "")


def questions(cookiecutter: dict[str, Any]) -> dict[str, Any]:
    """The copier question for each cookiecutter variable, in the same order."""
    prompts = cookiecutter.get("__prompts__", {})
    result: dict[str, Any] = {}
    for key, value in cookiecutter.items():
        if key.startswith("_"):
            continue
        question: dict[str, Any] = {"type": "str", "help": prompts[key]}
        if isinstance(value, list):
            question["choices"] = list(value)
            question["default"] = value[0]
        else:
            question["default"] = copier_default(value)
        result[key] = question
    return result


def render(cookiecutter: dict[str, Any]) -> str:
    """The full text of copier.yml for the given cookiecutter.json content."""
    dump = {"sort_keys": False, "allow_unicode": True, "width": 1000}
    return HEADER + "\n" + yaml.safe_dump(SETTINGS, **dump) + "\n" + yaml.safe_dump(questions(cookiecutter), **dump)


def main() -> int:
    cookiecutter = json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8"))
    target = ROOT / "copier.yml"
    text = render(cookiecutter)
    if "--check" in sys.argv[1:]:
        if target.read_text(encoding="utf-8") != text:
            print("copier.yml is out of date with cookiecutter.json: run `nox -s sync`", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
