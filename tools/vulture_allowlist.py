"""Names that look unused to vulture but are used from outside the code it reads.

The lint session runs ``vulture`` (configured in pyproject.toml) over the package with
this file, so dead code fails CI; every name here says who uses it.
"""

from prodready.audit import engine, plugin
from prodready.contracts import compile as contract_compile
from prodready.core import cost_defaults, obligations, plan, questions
from prodready.template import sample

plugin.repo_review_checks  # entry point: repo_review.checks
plugin.repo_review_families  # entry point: repo_review.families
engine.compute_check  # the audit's unit-test API, as repo-review's compute_check
cost_defaults.model_from_answers  # the template (cost_model.yaml) and the generation hooks
obligations.checklist_items  # hooks/prodready_jinja.py: the generated checklist's items
plan.from_answers  # hooks/prodready_jinja.py: the milestones of plan/milestones.yaml
plan.MEANINGS  # hooks/prodready_jinja.py: each milestone's comment in plan/milestones.yaml
questions.answer_keys  # hooks/prodready_jinja.py (copier's cookiecutter namespace)
sample.from_extract  # hooks/prodready_jinja.py: a contract and a sample from --sample
sample.Sampled.properties_yaml  # the template's contract renders it
sample.Sampled.event_time  # the template's contract: the latency SLA's element
sample.Sampled.reference_profile  # the template's monitoring/reference_profile.json
contract_compile.CheckResult.failed_rows  # a field of the JSON report (dataclasses.asdict)
_.order  # repo-review sorts families by it (audit.checks.base.Family)
_.description  # repo-review shows it under a family's name
_.read_only  # psycopg's Connection.read_only: every transaction of a check is read-only
# core/release.py: read by the template's hooks (hooks/prodready_jinja.py loads core by path).
INDEX_VARIABLE
requirement
index_requirement
# core/answers.py: the template's Jinja global prodready_online (hooks/prodready_jinja.py).
online
