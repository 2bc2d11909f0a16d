"""What the generated repositories contain, checked with the field's own validators.

ODCS contracts against the standard's JSON Schema, GitHub workflows and GitLab CI files
against check-jsonschema's vendored schemas, workflows through zizmor's offline audits,
catalog-info.yaml against Backstage's entity rules.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft201909Validator

import prodready
from prodready.audit.engine import audit_repository
from prodready.contracts.lint import lint_contract
from prodready.core.obligations import checklist_items
from prodready.core.signoffs import SIGNERS
from prodready.io.schemas import SCHEMAS

from .conftest import EXAMPLE_NAMES
from .helpers import example, render, run, tool

# Backstage: metadata.name is 1-63 characters of [a-zA-Z0-9] separated by [-_.].
BACKSTAGE_NAME = re.compile(r"^([A-Za-z0-9]+[-_.])*[A-Za-z0-9]+$")
BACKSTAGE_REF = re.compile(r"^((user|group):)?(default/)?[a-z0-9]+([-_.][a-z0-9]+)*$")


@pytest.fixture(params=EXAMPLE_NAMES)
def repo(request, rendered) -> Path:
    return rendered[(request.param, "cookiecutter")].destination


def load(repo: Path, relative: str):
    return yaml.safe_load((repo / relative).read_text(encoding="utf-8"))


def test_every_yaml_and_toml_file_parses(repo):
    for path in [*repo.rglob("*.yaml"), *repo.rglob("*.yml")]:
        assert yaml.safe_load(path.read_text(encoding="utf-8")) is not None, path
    pyproject = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["tool"]["prodready"]["stage"] == "poc"


def test_contracts_are_valid_odcs(repo):
    """The input data set's contract and the write-back contract of the decisions, one per system of the map."""
    contracts = sorted((repo / "contracts").glob("*.odcs.yaml"))
    systems = yaml.safe_load((repo / "integration" / "systems.yaml").read_text(encoding="utf-8"))["systems"]
    assert {f"contracts/{c.name}" for c in contracts} == {s["contract"] for s in systems if s["contract"]}
    assert [s["direction"] for s in systems] == ["in", "out"]
    # The reference implementation (python-jsonschema) on the bundled schema, besides lint's jsonschema-rs.
    schema = json.loads((Path(prodready.__file__).parent / "io" / "jsonschemas" / SCHEMAS["odcs"]).read_text())
    for contract in contracts:
        data = load(repo, f"contracts/{contract.name}")
        assert list(Draft201909Validator(schema).iter_errors(data)) == []
        assert lint_contract(contract, repo) == []
        assert data["team"]["members"] and data["slaProperties"]
        assert any(server["server"] == "ci" and (repo / server["path"]).is_file() for server in data["servers"])
    data = load(repo, f"contracts/{next(c for c in contracts if c.name != 'decisions.odcs.yaml').name}")
    properties = {p["name"]: p for p in data["schema"][0]["properties"]}
    if "customer_email" in properties:
        assert properties["customer_email"]["classification"] == "restricted"


def test_ci_files_validate_against_their_schemas(repo):
    workflows = sorted((repo / ".github" / "workflows").glob("*.yml"))
    gitlab = [
        p
        for p in (
            repo / ".gitlab-ci.yml",
            repo / ".gitlab" / "ci" / "checks.yml",
            repo / ".gitlab" / "ci" / "contracts-production.yml",
        )
        if p.exists()
    ]
    assert bool(workflows) != bool(gitlab), "exactly one CI provider"
    if workflows:
        proc = run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, workflows)])
        assert proc.returncode == 0, proc.stdout + proc.stderr
        audit = run([tool("zizmor"), "--offline", "--no-progress", *map(str, workflows)])
        assert audit.returncode == 0, audit.stdout + audit.stderr
        assert "No findings to report" in audit.stdout + audit.stderr
        assert "${{ github.workflow }}-${{ github.ref }}" in workflows[0].read_text(), "GitHub expressions must survive"
        assert [p.name for p in workflows] == ["ci.yml", "contracts-production.yml"]
        scheduled = load(repo, ".github/workflows/contracts-production.yml")
        assert scheduled["jobs"]["production-contracts"]["if"] == "${{ vars.PRODREADY_PRODUCTION_CHECKS == 'true' }}"
        workflow = load(repo, ".github/workflows/ci.yml")
        assert workflow["permissions"] == {} and workflow["jobs"]["checks"]["permissions"] == {"contents": "read"}
    else:
        proc = run([tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", *map(str, gitlab)])
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_catalog_info_is_a_backstage_component(repo):
    entity = load(repo, "catalog-info.yaml")
    ownership = load(repo, "ownership.yaml")
    assert entity["apiVersion"] == "backstage.io/v1alpha1" and entity["kind"] == "Component"
    name = entity["metadata"]["name"]
    assert BACKSTAGE_NAME.match(name) and len(name) <= 63
    assert entity["spec"]["lifecycle"] == "experimental"
    assert entity["spec"]["type"] and BACKSTAGE_REF.match(entity["spec"]["owner"])
    annotations = entity["metadata"]["annotations"]
    assert annotations["prodready.dev/production-owner"] == ownership["roles"]["production_owner"]["email"]
    assert all(isinstance(value, str) for value in annotations.values())


def test_codeowners_come_from_ownership(repo):
    ownership = load(repo, "ownership.yaml")
    emails = {role["email"] for role in ownership["roles"].values()} | {
        ownership["data"][d]["owner_email"] for d in ownership["data"]
    }
    (codeowners,) = [p for p in (repo / ".github" / "CODEOWNERS", repo / ".gitlab" / "CODEOWNERS") if p.exists()]
    rules = [line.split() for line in codeowners.read_text().splitlines() if line and not line.startswith("#")]
    assert rules[0][0] == "*"
    for rule in rules:
        assert rule[1:] and set(rule[1:]) <= emails, rule


def test_monitoring_routes_alerts_to_oncall(repo):
    monitoring = load(repo, "monitoring/monitoring.yaml")
    ownership = load(repo, "ownership.yaml")
    assert monitoring["alerts"]["route"] == ownership["oncall"]["email"]
    assert monitoring["retraining"]["owner"] == ownership["roles"]["technical_lead"]["email"]
    assert 0 < monitoring["drift"]["psi_warn"] < monitoring["drift"]["psi_alert"]
    assert monitoring["fallback"]["behaviour"]
    slos = monitoring["slos"]
    # An online service answers within a latency; a batch job within its window, never both.
    assert (slos.get("latency_p95_seconds", 0) > 0) != (slos.get("batch_window_hours", 0) > 0)
    assert monitoring["records"]["owner"] == ownership["roles"]["production_owner"]["email"]


def test_governance_checklist_grows_with_risk(rendered):
    for name in EXAMPLE_NAMES:
        repo = rendered[(name, "cookiecutter")].destination
        checklist = load(repo, "governance/checklist.yaml")
        items = {item["id"]: item for item in checklist["items"]}
        for item in items.values():
            keys = {"id", "title", "frameworks", "required_stage", "status", "owner", "signers", "evidence", "sign_off"}
            assert keys <= set(item)
            assert item["required_stage"] in ("poc", "pilot", "production")
            assert set(item["frameworks"]) == {"eu_ai_act", "nist_ai_rmf", "nist_ai_600_1", "iso_42001"}
            # Nothing is attested at generation: no item is signed, none is done.
            assert item["sign_off"] is None and item["status"] in ("todo", "awaiting-sign-off"), item["id"]
            assert item["signers"] == list(SIGNERS[item["id"]])
            if item["status"] == "awaiting-sign-off":
                assert item["required_stage"] == "poc" and (repo / item["evidence"]).exists()
        # The checklist is what the catalogue requires for the recorded answers, no more, no less.
        assert list(items) == [item["id"] for item in checklist_items(example(name))], name
        articles = {ref.split("(")[0] for item in items.values() for ref in item["frameworks"]["eu_ai_act"]}
        high = checklist["risk_tier"] == "high"
        assert ({f"Article {n}" for n in range(9, 16)} <= articles) == high, name
        assert (repo / "governance" / "risk_assessment.md").exists() == high
        assert ("GOV-015" in items) == (checklist["personal_data"] == "yes")
        for document in ("model_card.md", "decommission_plan.md"):
            assert (repo / "governance" / document).read_text().strip()


def test_cost_model_carries_the_answers(rendered):

    for name in EXAMPLE_NAMES:
        answers = example(name)
        model = load(rendered[(name, "cookiecutter")].destination, "cost/cost_model.yaml")
        assert model["currency"] == answers["currency"]
        assert model["volumes"]["poc"]["requests_per_month"] == int(answers["poc_monthly_requests"])
        assert model["volumes"]["production"]["requests_per_month"] == int(answers["production_monthly_requests"])
        assert model["budgets"] == {
            "poc": int(answers["poc_budget"]),
            "production_year1": int(answers["production_budget_year1"]),
        }


#: The code each example's kind and serving mode shape (beside what every POC has).
KIND_FILES = {
    "support-assistant": {"llm.py", "app.py", "scoring.py", "service.py"},
    "docs-assistant": {"llm.py", "rag.py", "app.py", "scoring.py", "service.py"},
    "churn-model": {"model.py", "app.py", "scoring.py", "batch.py"},
}
COMMON_FILES = {
    "__init__.py",
    "predictor.py",
    "runtime.py",
    "feedback.py",
    "golden.py",
    "evaluate.py",
    "loadtest.py",
    "integration.py",
}


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
@pytest.mark.parametrize("generator", ["cookiecutter", "copier"])
def test_the_code_is_shaped_by_the_kind(rendered, name: str, generator: str) -> None:
    """Each kind gets its own code, service or batch job, and evaluation; no empty directory is left."""
    repo = rendered[(name, generator)].destination
    (package,) = (repo / "src").iterdir()
    assert {p.name for p in package.glob("*.py")} == COMMON_FILES | KIND_FILES[name]
    online = "service.py" in KIND_FILES[name]
    assert (repo / "api" / "openapi.json").is_file() == online == (repo / "load" / "locustfile.py").is_file()
    description = json.loads((repo / "api" / "openapi.json").read_text(encoding="utf-8")) if online else {}
    assert {"/predict", "/feedback", "/health"} <= set(description.get("paths", {})) or not online
    assert ((repo / "corpus").is_dir() and any((repo / "corpus").iterdir())) == (name == "docs-assistant")
    evaluation = load(repo, "evaluation/eval.yaml")
    assert evaluation["metric"] == {"support-assistant": "pass_rate", "docs-assistant": "citation_match"}.get(
        name, "recall"
    )
    assert (repo / evaluation["golden_set"]).is_file() and evaluation["thresholds_set_by"] is None
    slos = load(repo, "monitoring/monitoring.yaml")["slos"]
    assert ("batch_window_hours" in slos) != online
    assert not [d for d in repo.rglob("*") if d.is_dir() and ".git" not in d.parts and not any(d.iterdir())]


@pytest.mark.parametrize("generator", ["cookiecutter", "copier"])
def test_other_systems_join_the_map_the_catalog_and_the_runbook(generator, template_repo, tmp_path):
    """The systems listed at generation are mapped with what is not yet known left null, and found by the audit."""
    answers = {**example("docs-assistant"), "other_systems": "crm:out, pricing-api:in"}
    result = render(generator, template_repo, answers, tmp_path)
    assert result.returncode == 0, result.output
    repo = result.destination
    systems = yaml.safe_load((repo / "integration" / "systems.yaml").read_text(encoding="utf-8"))["systems"]
    assert [(s["name"], s["direction"]) for s in systems] == [
        ("handbook-questions", "in"),
        ("decisions", "out"),
        ("crm", "out"),
        ("pricing-api", "in"),
    ]
    crm = systems[2]
    assert (crm["owner"], crm["contract"], crm["environment"]) == (None, None, "mocked")
    catalog = yaml.safe_load((repo / "catalog-info.yaml").read_text(encoding="utf-8"))
    assert "resource:default/crm" in catalog["spec"]["dependsOn"]
    assert catalog["spec"]["providesApis"] == ["api:default/engineering-handbook-assistant"]
    assert "- Downstream: `crm` (owner not yet named; contract not yet written; mocked)." in (
        repo / "docs" / "runbook.md"
    ).read_text(encoding="utf-8")
    audit = audit_repository(repo)
    findings = {f.id: f for f in audit.findings}
    assert findings["INT001"].status == "passed"
    assert "crm: owner.team, protocol, auth, failure, contract not stated" in findings["INT003"].message
