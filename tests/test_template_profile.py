"""The template's reference profile is what `prodready drift profile` writes of the rendered sample.

The generated drift session checks the committed sample against
monitoring/reference_profile.json, which the template carries as a Jinja file written
by tools/template_profile.py. Rendered for every example, and for the cases the
examples leave out, it must equal the profile of the rendered sample with its
contract (but for when and by which version it was written, and the key that says it
is the template's), so the two cannot drift.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tools.template_profile import PLACEHOLDER

from prodready.cli import main
from prodready.drift.profile import read_profile

from .helpers import EXAMPLES, example, render

pytestmark = pytest.mark.slow

#: The examples, and answers that reach the cases no example answers.
VARIANTS = {
    **{path.stem: (path.stem, {}) for path in EXAMPLES},
    "classical-internal-no-personal": ("churn-model", {"data_classification": "internal", "personal_data": "no"}),
    "text-internal-personal": ("support-assistant", {"data_classification": "internal"}),
    "text-restricted-no-personal": ("support-assistant", {"data_classification": "restricted", "personal_data": "no"}),
    "rag-personal": ("docs-assistant", {"personal_data": "yes", "privacy_regimes": "gdpr"}),
    "rag-restricted": ("docs-assistant", {"data_classification": "restricted"}),
}
#: When and by which prodready the profile was written: the only keys that may differ.
WRITTEN = ("created", "prodready")


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_the_shipped_profile_is_the_profile_of_the_rendered_sample(variant, template_repo, tmp_path, monkeypatch):
    name, answers = VARIANTS[variant]
    answers = {**example(name), **answers}
    result = render("cookiecutter", template_repo, answers, tmp_path / "out")
    assert result.returncode == 0, result.output
    project, dataset = result.destination, answers["primary_dataset"]
    shipped_path = project / "monitoring" / "reference_profile.json"
    shipped = read_profile(shipped_path)  # valid JSON, a profile prodready reads
    assert shipped.pop("placeholder") == PLACEHOLDER  # until the team commits its own
    monkeypatch.chdir(project)
    written = tmp_path / "written.json"
    cli = CliRunner().invoke(
        main,
        [
            "drift",
            "profile",
            f"tests/data/{dataset}.csv",
            "--contract",
            f"contracts/{dataset}.odcs.yaml",
            "-o",
            str(written),
        ],
    )
    assert cli.exit_code == 0, cli.output
    expected = json.loads(written.read_text(encoding="utf-8"))
    for key in WRITTEN:
        shipped.pop(key), expected.pop(key)
    assert shipped == expected, "run `python tools/template_profile.py` and commit the template's profile"
    # the committed sample does not drift from its own profile: the drift session passes on it
    check = CliRunner().invoke(main, ["drift", "check", "--profile", str(shipped_path), f"tests/data/{dataset}.csv"])
    assert check.exit_code == 0, check.output
