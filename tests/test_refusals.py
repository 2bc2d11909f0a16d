"""Each refused answer set, through the cookiecutter and copier command lines.

Both must exit non-zero, print the same refusal lines, and leave nothing on disk but
the answers given, saved in one file beside the output with the command that resumes
from it, not even when the refused slug tries to climb out of the output directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prodready.core.answers import slugify
from prodready.core.escape import path_component
from prodready.template.new import load_answers

from .helpers import render, run, tool
from .refusal_cases import CASES, base_answers


def refusal_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("prodready refused", "  - "))]


@pytest.mark.parametrize(("case", "overrides", "expected"), CASES, ids=[c[0] for c in CASES])
def test_both_generators_refuse_alike(case, overrides, expected, template_repo, tmp_path):
    messages = {}
    for generator in ("cookiecutter", "copier"):
        out = tmp_path / generator / "out"
        result = render(generator, template_repo, {**base_answers(), **overrides}, out)
        assert result.returncode != 0, f"{generator} accepted {case}"
        for fragment in expected:
            assert fragment in result.output, f"{generator}: {fragment!r} not in\n{result.output}"
        messages[generator] = refusal_lines(result.output)
        answers = {**base_answers(), **overrides}
        saved = out / f"{path_component(answers.get('project_slug') or slugify(answers['project_name']))}.answers.yaml"
        leftovers = [p for p in (tmp_path / generator).rglob("*") if p not in (out, saved)]
        assert list(out.iterdir()) == [saved] and leftovers == [], f"{generator} left {leftovers}"
        # Every answer given, and the derived ones (package_name, decision_date) as rendered.
        assert load_answers(saved).items() >= answers.items()
        assert f"resume with\n  prodready new --answers {saved}" in result.output
    assert messages["cookiecutter"] == messages["copier"]


@pytest.mark.parametrize("generator", ["cookiecutter", "copier"])
def test_no_answers_lists_what_must_be_answered(generator, template_repo, tmp_path):
    if generator == "cookiecutter":
        proc = run([tool("cookiecutter"), "--no-input", "-o", str(tmp_path), str(template_repo)])
    else:
        proc = run(
            [tool("copier"), "copy", "--trust", "--defaults", "--quiet", str(template_repo), str(tmp_path / "poc")]
        )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    for key in (
        "project_name",
        "production_owner_name",
        "kill_authority_email",
        "business_kpi",
        "production_budget_year1",
    ):
        assert f"  - {key}: got ''" in output
    assert [path.name for path in Path(tmp_path).iterdir()] == ["poc.answers.yaml"]
