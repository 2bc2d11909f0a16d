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
from dataclasses import dataclass
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
#
# _migrations (from MIGRATIONS in tools/sync_copier_yml.py) run hooks/migrate.py when a
# release renames a file or an answer, so `copier update` keeps the team's edits.
"""


@dataclass(frozen=True)
class Migration:
    """One rename carried out by hooks/migrate.py when updating across ``version``.

    ``operation`` is ``rename-answer`` (runs before copier reads the answers) or
    ``rename-file`` (runs after the update, moving the team's copy to the new name).
    """

    version: str
    operation: str
    old: str
    new: str

    def copier(self) -> dict[str, Any]:
        """The copier ``_migrations`` entry: a task run in the repository being updated."""
        stage = "before" if self.operation == "rename-answer" else "after"
        return {
            "version": self.version,
            "when": f"{{{{ _stage == '{stage}' }}}}",
            "command": [
                "{{ _copier_python }}",
                "{{ _copier_conf.src_path }}/hooks/migrate.py",
                self.operation,
                self.old,
                self.new,
            ],
        }


#: Renames between released versions, oldest first. None so far: the first entry goes
#: here with the release (PEP 440 tag) that makes the rename.
MIGRATIONS: list[Migration] = []

SETTINGS: dict[str, Any] = {
    "_min_copier_version": "9.4.0",
    "_subdirectory": "{% raw %}{{cookiecutter.project_slug | prodready_dirname}}{% endraw %}",
    "_templates_suffix": "",
    "_answers_file": ".copier-answers.yml",
    # The same next steps the generated README, the cookiecutter hook and `prodready new` give.
    "_message_after_copy": "Next steps:\n{{ prodready_next_steps(_copier_conf.dst_path | string) }}\n",
    "_jinja_extensions": [
        "copier_template_extensions.TemplateExtensionLoader",
        "hooks/prodready_jinja.py:ProdreadyExtension",
        "hooks/prodready_jinja.py:CookiecutterNamespace",
    ],
    # Copier's own exclusions, then the directories of one kind of POC, which the others
    # would get empty (cookiecutter's post-generation hook removes them there).
    "_exclude": [
        "copier.yaml",
        "copier.yml",
        "~*",
        "*.py[co]",
        "__pycache__",
        ".git",
        ".DS_Store",
        ".svn",
        "{% if ai_system_type != 'rag' %}corpus{% endif %}",
        "{% if ai_system_type == 'classical-ml' %}prompts{% endif %}",
        "{% if ai_system_type == 'classical-ml' and serving_mode == 'batch' %}api{% endif %}",
        "{% if ai_system_type == 'classical-ml' and serving_mode == 'batch' %}load{% endif %}",
    ],
}


def copier_default(value: str) -> str:
    """Cookiecutter defaults refer to ``cookiecutter.x``; copier's to plain ``x``."""
    return value.replace("cookiecutter.", "")


def questions(cookiecutter: dict[str, Any]) -> dict[str, Any]:
    """The copier question for each cookiecutter variable, in the same order."""
    prompts = cookiecutter.get("__prompts__", {})
    # Asked only where they apply (``_when``: copier expressions; cookiecutter, which
    # asks every question, ignores such an answer where it does not apply).
    conditions = cookiecutter.get("_when", {})
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
        if key in conditions:
            question["when"] = conditions[key]
        result[key] = question
    return result


def render(cookiecutter: dict[str, Any], migrations: list[Migration] = MIGRATIONS) -> str:
    """The full text of copier.yml for the given cookiecutter.json content."""
    dump = {"sort_keys": False, "allow_unicode": True, "width": 1000}
    settings = {**SETTINGS, "_migrations": [migration.copier() for migration in migrations]}
    return HEADER + "\n" + yaml.safe_dump(settings, **dump) + "\n" + yaml.safe_dump(questions(cookiecutter), **dump)


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
