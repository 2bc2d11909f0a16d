"""Write the template's monitoring/reference_profile.json: the drift profile of its committed sample.

The generated repository's drift session checks the current window against a committed
reference profile, so the template ships one: what ``prodready drift profile`` writes of
the placeholder sample ``tests/data/<dataset>.csv`` with its contract (protected columns
hashed, the primary key and the timestamp excluded). The sample and the contract vary
with three answers (classical ML or text, personal data or not, a protected
classification or not), so the file is a Jinja template with a JSON block per column
and case. This script renders an example in each case, profiles its sample and writes
the blocks; ``tests/test_template_profile.py`` fails when the file is not what a profile
of the rendered sample holds. Run it after changing the sample, the contract or the
profile format: ``python tools/template_profile.py``.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from prodready.drift.profile import profile_text

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "{{cookiecutter.project_slug | prodready_dirname}}" / "monitoring" / "reference_profile.json"
#: The same moment in every rendering: the profile's text does not change with the day it is rendered.
CREATED = "2026-12-01T00:00:00+00:00"
#: What says the profile is the template's, not the team's (MON003 reads it at pilot): the
#: one key ``prodready drift profile`` does not write.
PLACEHOLDER = (
    "the template's profile of its synthetic sample, so that the drift session runs from day one: "
    "profile the data the model is built on and commit that profile here"
)

#: Each case: an example and the answers that put it in the case.
CASES = {
    "classical": ("churn-model", {"data_classification": "internal", "personal_data": "yes"}),
    "classical-protected": ("churn-model", {"data_classification": "confidential", "personal_data": "yes"}),
    "text": ("support-assistant", {"data_classification": "internal", "personal_data": "no"}),
    "text-personal": ("support-assistant", {"data_classification": "internal", "personal_data": "yes"}),
    "text-protected": ("support-assistant", {"data_classification": "restricted", "personal_data": "yes"}),
    "rag": ("docs-assistant", {"data_classification": "internal", "personal_data": "no"}),
    "rag-personal": (
        "docs-assistant",
        {"data_classification": "internal", "personal_data": "yes", "privacy_regimes": "gdpr"},
    ),
    "rag-protected": (
        "docs-assistant",
        {"data_classification": "restricted", "personal_data": "yes", "privacy_regimes": "gdpr"},
    ),
}

#: The template; ``<<case:column,...>>`` becomes those columns of the case's profile, each
#: followed by a comma but the last of the object (``|last``).
SKELETON = """\
{#- Written by tools/template_profile.py: the profile `prodready drift profile` writes of
    tests/data/<dataset>.csv with its contract. Edit the script, not this file. -#}
{%- set classical = cookiecutter.ai_system_type == 'classical-ml' -%}
{%- set personal = cookiecutter.personal_data == 'yes' -%}
{%- set rag = cookiecutter.ai_system_type == 'rag' -%}
{%- set protected = cookiecutter.data_classification in ['confidential', 'restricted'] -%}
{%- set sample = prodready_sample() -%}
{%- if sample -%}
{%- set sample_path = "tests/data/" ~ cookiecutter.primary_dataset ~ ".csv" -%}
{{ sample.reference_profile(cookiecutter.primary_dataset, sample_path, <<placeholder>>) }}
{%- else -%}
{
  "version": <<version>>,
  "prodready": <<prodready>>,
  "source": {{ ("tests/data/" ~ cookiecutter.primary_dataset ~ ".csv") | tojson }},
  "rows": {{ <<rows:classical>> if classical else <<rows:rag>> if rag else <<rows:text>> }},
  "created": <<created>>,
  "placeholder": <<placeholder>>,
  "columns": {
{%- if classical and protected %}
<<classical-protected:segment,tenure_months,monthly_spend>>
{%- elif classical %}
<<classical:segment,tenure_months,monthly_spend>>
{%- elif rag and protected %}
<<rag-protected:channel,request_text>>
{%- elif rag and personal %}
<<rag-personal:channel,request_text>>
{%- elif rag %}
<<rag:channel,request_text>>
{%- elif protected %}
<<text-protected:channel,request_text>>
{%- elif personal %}
<<text-personal:channel,request_text>>
{%- else %}
<<text:channel,request_text>>
{%- endif %}
{%- if personal and classical %}
<<classical:customer_email>>
{%- elif personal and rag %}
<<rag-personal:customer_email>>
{%- elif personal %}
<<text-personal:customer_email>>
{%- endif %}
{%- if classical and protected %}
<<classical-protected:label|last>>
{%- elif classical %}
<<classical:label|last>>
{%- elif rag and protected %}
<<rag-protected:label|last>>
{%- elif rag %}
<<rag:label|last>>
{%- elif protected %}
<<text-protected:label|last>>
{%- else %}
<<text:label|last>>
{%- endif %}
  },
  "excluded": <<excluded>>
}
{% endif -%}
"""


def _render(example: str, answers: dict[str, str], out: Path) -> Path:
    """The project the example renders to with ``answers``, by cookiecutter from this checkout."""
    from cookiecutter.main import cookiecutter

    os.environ["PRODREADY_QUIET_HOOKS"] = "1"  # no next steps and budget warnings for each case
    from prodready.template.new import cookiecutter_context

    data = yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text(encoding="utf-8"))
    context = {key: str(value) for key, value in data.items()} | answers
    return Path(cookiecutter(str(ROOT), no_input=True, extra_context=cookiecutter_context(context), output_dir=out))


def profile_of(project: Path, dataset: str) -> dict[str, Any]:
    """What ``prodready drift profile`` writes of a rendered project's sample, run in the project."""
    from prodready.drift.profile import profile

    here = Path.cwd()
    os.chdir(project)
    try:
        return profile(f"tests/data/{dataset}.csv", contract=Path(f"contracts/{dataset}.odcs.yaml"))
    finally:
        os.chdir(here)


def _columns(reference: dict[str, Any], names: list[str], *, last: bool) -> str:
    """Columns of a profile as JSON members at the depth of ``columns``, with the commas between them."""
    members = []
    for name in names:
        text = profile_text({name: reference["columns"][name]}).rstrip("\n")
        members.append("\n".join("  " + line for line in text.splitlines()[1:-1]))
    return ",\n".join(members) + ("" if last else ",")


def template_text(profiles: dict[str, dict[str, Any]]) -> str:
    """The Jinja template of the reference profile, from the profile of each case."""
    first = profiles["classical"]

    def fill(match: re.Match[str]) -> str:
        key, _, names = match.group(1).removesuffix("|last").partition(":")
        if key == "rows":
            return str(profiles[names]["rows"])
        if key in ("version", "prodready", "excluded"):
            return json.dumps(first[key], indent=2).replace("\n", "\n  ")
        if key == "created":
            return json.dumps(CREATED)
        if key == "placeholder":
            return json.dumps(PLACEHOLDER)
        return _columns(profiles[key], names.split(","), last=match.group(1).endswith("|last"))

    return re.sub(r"<<([^>]+)>>", fill, SKELETON)


def main() -> int:
    profiles = {}
    with tempfile.TemporaryDirectory(prefix="prodready-profile-") as folder:
        for case, (example, answers) in CASES.items():
            project = _render(example, answers, Path(folder) / case)
            dataset = yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text(encoding="utf-8"))
            profiles[case] = profile_of(project, str(dataset["primary_dataset"]))
    TARGET.write_text(template_text(profiles), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
