"""A minimal POC repository that reaches the poc level, written from inline text (never rendered).

Shared by the hostile-input and fuzz tests, which damage one file of it at a time. Dates
are relative to ``TODAY`` of ``helpers`` (pass ``--today`` to the audit) except the
decision date, which is far enough out for any day the suite runs on.
"""

from __future__ import annotations

import json

from prodready.core.obligations import checklist_items

from .helpers import text

OWNERSHIP = """
    schema_version: 1
    project: ticket-triage
    last_reviewed: "2026-05-20"
    roles:
      production_owner: {name: Amara Okafor, email: amara.okafor@acme.io}
      business_owner: {name: Lucas Bernard, email: lucas.bernard@acme.io}
      technical_lead: {name: Mei Tanaka, email: mei.tanaka@acme.io}
      executive_sponsor: {name: Sofia Rossi, email: sofia.rossi@acme.io}
      kill_authority: {name: Jonas Berg, email: jonas.berg@acme.io}
      security_lead: {description: Threat model and keys., name: null, email: null}
      it_lead: {description: Hosting and network access., name: null, email: null}
      compliance_lead: {description: Model governance., name: null, email: null}
      operations_lead: {description: Change management., name: null, email: null}
      affected_team_lead: {description: Tier-1 support lead., name: null, email: null}
    oncall:
      team: Customer Platform SRE
      email: platform-oncall@acme.io
    data:
      tickets: {owner_email: jonas.berg@acme.io, contract: contracts/tickets.odcs.yaml}
    business:
      problem: Agents spend a third of their day routing tickets by hand.
      kpi: {name: Median hours to first response, baseline: "9", target: "4"}
      process_retired: Manual ticket routing by tier-1 agents
      decision_date: "2099-01-01"
      kill_criteria: KPI not improved by 20% at the decision date.
    """

CATALOG = """
    apiVersion: backstage.io/v1alpha1
    kind: Component
    metadata:
      name: ticket-triage
      tags: [ai-poc, risk-minimal]
      annotations:
        prodready.dev/production-owner: amara.okafor@acme.io
        prodready.dev/kill-authority: jonas.berg@acme.io
    spec:
      type: service
      lifecycle: experimental
      owner: group:default/support
    """

CODEOWNERS = """
    *           mei.tanaka@acme.io amara.okafor@acme.io
    /contracts/ jonas.berg@acme.io
    """

WORKFLOW = """
    name: ci
    on:
      push:
      schedule:
        - cron: "23 5 * * 1"
    jobs:
      checks:
        runs-on: ubuntu-latest
        steps:
          - run: nox -s tests
          - run: nox -s eval
          - run: nox -s load
          - run: nox -s integration
          - run: nox -s contracts
          - run: nox -s audit
    """

PRE_COMMIT = """
    repos:
      - repo: local
        hooks:
          - {id: prodready-audit, name: prodready audit, entry: prodready audit, language: python}
    """

CONTRACT = """
    apiVersion: v3.1.0
    kind: DataContract
    id: ticket-triage-tickets
    name: tickets
    version: 0.1.0
    status: draft
    team:
      name: Support
      members:
        - {username: jonas.berg@acme.io, role: data owner}
    schema:
      - name: tickets
        physicalName: tickets
        logicalType: object
        properties:
          - {name: ticket_id, logicalType: integer, required: true, classification: internal}
          - name: channel
            logicalType: string
            classification: internal
            quality:
              - {metric: invalidValues, arguments: {validValues: [web, email]}, mustBe: 0}
        quality:
          - {metric: rowCount, mustBeGreaterThan: 0}
    servers:
      - {server: ci, type: local, environment: ci, format: csv, path: tests/data/tickets.csv}
    slaProperties:
      - {property: latency, value: 24, unit: h}
    """

#: The contract's sample: what ``contracts check`` reads.
TICKETS_CSV = "ticket_id,channel\n1,web\n2,email\n3,web\n"

MONITORING = """
    schema_version: 1
    service: ticket-triage
    slos: {window_days: 28, latency_p95_seconds: 0.3, availability: 0.99, error_rate: 0.02}
    drift:
      reference_profile: monitoring/reference_profile.json
      psi_warn: 0.1
      psi_alert: 0.25
      js_distance_alert: 0.1
      dataset_drift_share: 0.5
    kpi:
      name: Median hours to first response
      owner: lucas.bernard@acme.io
      source: The ticketing system.
      cadence: weekly
    alerts: {route: platform-oncall@acme.io}
    fallback: {behaviour: Hand the ticket to an agent., latency_budget_seconds: 1.0}
    retraining: {trigger: Dataset drift., owner: mei.tanaka@acme.io}
    load: {business_hours_per_month: 220, peak_factor: 3, duration_seconds: 15}
    """

CHECKLIST = """
    schema_version: 1
    risk_tier: minimal
    items:
      - id: GOV-001
        title: Accountable roles are named
        frameworks: {eu_ai_act: null}
        required_stage: poc
        status: awaiting-sign-off
        evidence: ownership.yaml
        sign_off: null
      - id: GOV-011
        title: Risk assessment of likely harms
        required_stage: pilot
        status: todo
      - id: GOV-020
        title: Decommission plan is agreed
        required_stage: production
        status: todo
    """


def catalogue_items(answers: dict[str, str], skip: tuple[str, ...] = ()) -> str:
    """Checklist items (flow mappings indented for the fixtures' dedent) for what the catalogue requires."""
    return "".join(
        f"      - {{id: {item['id']}, title: {json.dumps(item['title'])}, required_stage: {item['required_stage']}, "
        f"status: {item['status']}, evidence: {json.dumps(item['evidence'])}, sign_off: null}}\n"
        for item in checklist_items(answers)
        if item["id"] not in skip
    )


#: The rest of what the catalogue requires of a minimal-risk POC, so that GOV001 passes.
CHECKLIST = (
    CHECKLIST.rstrip(" ")
    + catalogue_items(
        {"risk_tier": "minimal", "ai_act_role": "provider-and-deployer"}, skip=("GOV-001", "GOV-011", "GOV-020")
    )
    + "    "
)

COST_MODEL = """
    schema_version: 1
    currency: EUR
    price_date: "2026-05-01"
    system_kind: hosted_llm
    volumes:
      poc: {requests_per_month: 2000, active_users: 100, outcomes_per_month: 500}
      pilot: {requests_per_month: 40000, active_users: 2000, outcomes_per_month: 10000}
      production: {requests_per_month: 400000, active_users: 20000, outcomes_per_month: 100000}
    timeline: {poc_months: 3, pilot_months: 3, ramp_months: 3}
    unit_costs:
      hosted_llm:
        input_tokens_per_request: 1500
        output_tokens_per_request: 400
        input_price_per_million: 2.50
        output_price_per_million: 10.00
    fixed_monthly: {serving_baseline: 150}
    people:
      loaded_annual_cost: 150000
      fte:
        maintenance: {poc: 0.5, pilot: 0.3, production: 0.4}
    value: {value_per_outcome: 10}
    budgets: {poc: 20000, production_year1: 450000}
    """

PYPROJECT = """
    [project]
    name = "ticket-triage"
    version = "0.1.0"

    [tool.prodready]
    # The readiness stage this repository claims.
    stage = "poc"
    project_name = "Ticket triage"
    """

EVALUATION = """
    schema_version: 1
    golden_set: tests/data/tickets.csv
    metric: recall
    threshold: 0.5
    baseline: majority-class
    min_margin: 0.2
    min_cases: 10
    thresholds_set_by: null
    kpi_link:
      proxy_metric: share of tickets routed right first time (feedback)
      kpi: Median time to first response (hours)
      assumed_relation: fewer misrouted tickets mean a faster first response
      pilot_design: ab
    """

OPENAPI = json.dumps(
    {
        "openapi": "3.0.3",
        "info": {"title": "ticket-triage", "version": "0.1.0"},
        "paths": {
            "/predict": {"post": {"responses": {"200": {"description": "the decision"}}}},
            "/feedback": {"post": {"responses": {"201": {"description": "recorded"}}}},
            "/health": {"get": {"responses": {"200": {"description": "up"}}}},
        },
    }
)

PLAN = """# Decommission plan

| # | step | owner | due (days after the kill) | done |
|---|---|---|---|---|
| 1 | Switch traffic to the fallback. | production_owner | 0 | |
| 2 | Delete the data copies. | technical_lead | 30 | |
"""

SYSTEMS = """
    schema_version: 1
    systems:
      - name: tickets
        direction: in
        protocol: file
        owner: {team: Support Data, contact: jonas.berg@acme.io}
        auth: null
        environment: mocked
        failure: retry
        contract: contracts/tickets.odcs.yaml
      - name: decisions
        direction: out
        protocol: null
        owner: {team: null, contact: lucas.bernard@acme.io}
        auth: null
        environment: mocked
        failure: dead-letter
        contract: null
    """

ADOPTION_PLAN = """---
schema_version: 1
change_owner: {name: null, email: null}
affected_roles:
  - role: Tier-1 agents who route tickets by hand
    headcount: null
    change: null
    retrained: null
    reassigned: null
training: {literacy_item: GOV-010, dates: []}
adoption_metric: {name: null, target: null, direction: null, actuals: kpi/adoption.csv}
---
# Adoption plan
"""

MILESTONES = """
    schema_version: 1
    reference_months: 8
    rationale: null
    milestones:
      - {name: poc-start, date: "2026-05-01"}
      - {name: decision, date: "2099-01-01"}
      - {name: integration-sandbox, date: "2099-01-31"}
      - {name: load-test, date: "2099-02-15"}
      - {name: pilot-start, date: "2099-03-03"}
      - {name: production, date: "2099-06-02"}
    """

#: The files of the repository, by path relative to its root.
FILES: dict[str, str] = {
    name: text(content)
    for name, content in {
        "ownership.yaml": OWNERSHIP,
        "catalog-info.yaml": CATALOG,
        ".github/CODEOWNERS": CODEOWNERS,
        ".github/workflows/ci.yml": WORKFLOW,
        ".pre-commit-config.yaml": PRE_COMMIT,
        "contracts/tickets.odcs.yaml": CONTRACT,
        "monitoring/monitoring.yaml": MONITORING,
        "governance/checklist.yaml": CHECKLIST,
        "governance/model_card.md": "# Model card\n\nTODO: intended use.\n",
        "docs/ai_literacy.md": "# AI literacy\n\n| person | role | trained on | by |\n|---|---|---|---|\n| Amara Okafor | production owner | | |\n",
        "governance/decommission_plan.md": PLAN,
        "cost/cost_model.yaml": COST_MODEL,
        "pyproject.toml": PYPROJECT,
        "tests/data/tickets.csv": TICKETS_CSV,
        "evaluation/eval.yaml": EVALUATION,
        "api/openapi.json": OPENAPI,
        "integration/systems.yaml": SYSTEMS,
        "docs/adoption_plan.md": ADOPTION_PLAN,
        "kpi/adoption.csv": "date,value,source\n",
        "plan/milestones.yaml": MILESTONES,
    }.items()
}


def files(prefix: str = "", **replaced: str | bytes) -> dict[str, str | bytes]:
    """The repository's files under ``prefix``, with some replaced (``files(**{"ownership.yaml": "x"})``)."""
    merged: dict[str, str | bytes] = {**FILES, **replaced}
    return {f"{prefix}{name}": content for name, content in merged.items()}
