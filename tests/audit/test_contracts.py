"""CON001-CON006 on inline ODCS v3.1.0 contracts."""

from __future__ import annotations

from prodready.contracts.model import SAMPLE_ENVIRONMENTS

from .conftest import MakeRepo
from .helpers import NOT_APPLICABLE, PASSED, line_of, outcome, run

FILE = "contracts/tickets.odcs.yaml"

CONTRACT = """
    apiVersion: v3.1.0
    kind: DataContract
    id: ticket-triage-tickets
    version: 0.1.0
    status: draft
    team:
      name: Customer Platform SRE
      members:
        - username: jonas.berg@acme.io
          role: data owner
    schema:
      - name: tickets
        logicalType: object
        properties:
          - name: ticket_id
            logicalType: integer
            required: true
          - name: customer_email
            logicalType: string
            classification: restricted
            tags: [personal-data]
        quality:
          - metric: rowCount
            mustBeGreaterThan: 0
    servers:
      - server: ci
        type: local
        environment: ci
        format: csv
        path: tests/data/tickets.csv
      - server: production
        type: postgres
        environment: prod
        host: db.acme.io
        port: 5432
        database: support
        schema: public
    slaProperties:
      - property: latency
        value: 24
        unit: h
    """


def contract(old: str = "", new: str = "") -> str:
    assert old in CONTRACT, old
    return CONTRACT.replace(old, new, 1)


PRODUCTION_SERVER = """\
      - server: production
        type: postgres
        environment: prod
        host: db.acme.io
        port: 5432
        database: support
        schema: public
"""
SAMPLE_ONLY = contract(PRODUCTION_SERVER)


def test_con001_passes_with_a_contract(make_repo: MakeRepo) -> None:
    assert outcome(run("CON001", make_repo({FILE: CONTRACT}))) == PASSED


def test_con001_fails_without_contracts(make_repo: MakeRepo) -> None:
    repo = make_repo({"contracts/README.md": "Contracts go here.\n", "contracts/tickets.yaml": CONTRACT})
    assert outcome(run("CON001", repo)) == ("failed", "no contracts/*.odcs.yaml", "contracts", None)


def test_con002_passes_on_a_standard_contract(make_repo: MakeRepo) -> None:
    assert outcome(run("CON002", make_repo({FILE: CONTRACT, "contracts/other.odcs.yml": CONTRACT}))) == PASSED


def test_con002_fails_at_the_line_of_the_schema_violation(make_repo: MakeRepo) -> None:
    damaged = contract("apiVersion: v3.1.0", "apiVersion: v9")
    finding = run("CON002", make_repo({FILE: damaged}))
    assert (finding.status, finding.file, finding.line) == ("failed", FILE, line_of(damaged, "apiVersion"))
    assert finding.message.startswith('apiVersion: "v9" is not one of "v3.1.0"')


def test_con002_fails_on_a_contract_that_cannot_be_read(make_repo: MakeRepo) -> None:
    finding = run("CON002", make_repo({FILE: CONTRACT, "contracts/bad.odcs.yaml": b"\x00\x01"}))
    message = "`contracts/bad.odcs.yaml`: the file is binary, not text. Fix: name the YAML text file"
    assert outcome(finding) == ("failed", message, "contracts/bad.odcs.yaml", None)


def test_con002_names_every_violation_of_every_contract(make_repo: MakeRepo) -> None:
    first = contract("apiVersion: v3.1.0", "apiVersion: v9")
    second = contract("status: draft", "status: [draft]")
    repo = make_repo({"contracts/a.odcs.yaml": first, "contracts/b.odcs.yaml": second, FILE: CONTRACT})
    finding = run("CON002", repo)
    assert (finding.status, finding.file, finding.line) == ("failed", "contracts/a.odcs.yaml", 1)
    assert finding.message.startswith('2 schema violations: contracts/a.odcs.yaml:1: apiVersion: "v9" is not one of')
    assert f"; contracts/b.odcs.yaml:{line_of(second, 'status:')}: status: " in finding.message


def test_con003_passes_when_the_contract_promises_something(make_repo: MakeRepo) -> None:
    assert outcome(run("CON003", make_repo({FILE: CONTRACT}))) == PASSED


def test_con003_fails_without_a_team(make_repo: MakeRepo) -> None:
    team = "    team:\n      name: Customer Platform SRE\n      members:\n"
    damaged = contract(team + "        - username: jonas.berg@acme.io\n          role: data owner\n")
    finding = run("CON003", make_repo({FILE: damaged}))
    assert outcome(finding) == ("failed", "the contract names no team", FILE, 1)


def test_con003_fails_without_quality_rules(make_repo: MakeRepo) -> None:
    damaged = contract("    quality:\n          - metric: rowCount\n            mustBeGreaterThan: 0\n")
    finding = run("CON003", make_repo({FILE: damaged}))
    assert outcome(finding) == ("failed", "the contract has no quality rules", FILE, line_of(damaged, "schema:"))


def test_con003_fails_without_an_sla(make_repo: MakeRepo) -> None:
    damaged = contract("slaProperties:\n      - property: latency\n        value: 24\n        unit: h\n")
    finding = run("CON003", make_repo({FILE: damaged}))
    assert outcome(finding) == ("failed", "the contract has no SLA (slaProperties)", FILE, 1)


def test_con003_names_every_missing_promise_of_every_contract(make_repo: MakeRepo) -> None:
    team = "    team:\n      name: Customer Platform SRE\n      members:\n"
    no_team = contract(team + "        - username: jonas.berg@acme.io\n          role: data owner\n")
    bare = no_team.replace("slaProperties:\n      - property: latency\n        value: 24\n        unit: h\n", "")
    finding = run("CON003", make_repo({"contracts/a.odcs.yaml": bare, "contracts/b.odcs.yaml": no_team}))
    message = (
        "3 missing promises: contracts/a.odcs.yaml:1: the contract names no team; "
        "contracts/a.odcs.yaml:1: the contract has no SLA (slaProperties); "
        "contracts/b.odcs.yaml:1: the contract names no team"
    )
    assert outcome(finding) == ("failed", message, "contracts/a.odcs.yaml", 1)


def test_con003_has_nothing_to_say_about_a_contract_that_cannot_be_read(make_repo: MakeRepo) -> None:
    assert outcome(run("CON003", make_repo({FILE: "schema: [\n"}))) == NOT_APPLICABLE


def test_con004_passes_when_personal_data_is_classified(make_repo: MakeRepo) -> None:
    assert outcome(run("CON004", make_repo({FILE: CONTRACT}))) == PASSED


def test_con004_fails_on_unclassified_personal_data(make_repo: MakeRepo) -> None:
    damaged = contract("classification: restricted", "classification: public")
    finding = run("CON004", make_repo({FILE: damaged}))
    assert (finding.status, finding.file) == ("failed", FILE)
    assert finding.message.startswith("property 'customer_email' looks like personal data but is classified public")
    assert finding.line == line_of(damaged, "- name: customer_email")


def test_con004_names_every_unclassified_property(make_repo: MakeRepo) -> None:
    damaged = contract("classification: restricted", "classification: public").replace(
        "          - name: ticket_id",
        "          - name: phone_number\n            logicalType: string\n          - name: ticket_id",
    )
    finding = run("CON004", make_repo({FILE: damaged}))
    assert (finding.status, finding.line) == ("failed", line_of(damaged, "- name: phone_number"))
    assert finding.message.startswith("2 unclassified personal-data properties: ")
    assert f"line {line_of(damaged, '- name: phone_number')}: property 'phone_number'" in finding.message
    assert f"; line {line_of(damaged, '- name: customer_email')}: property 'customer_email'" in finding.message


def test_con005_passes_with_a_production_server(make_repo: MakeRepo) -> None:
    assert outcome(run("CON005", make_repo({FILE: CONTRACT}))) == PASSED


def test_con005_fails_with_sample_servers_only(make_repo: MakeRepo) -> None:
    finding = run("CON005", make_repo({FILE: SAMPLE_ONLY}))
    assert outcome(finding) == ("failed", "only sample servers are declared", FILE, line_of(SAMPLE_ONLY, "servers:"))


def test_con005_counts_every_sample_environment_as_a_sample(make_repo: MakeRepo) -> None:
    for environment in sorted(SAMPLE_ENVIRONMENTS):
        damaged = contract("environment: prod", f"environment: {environment.upper()}")
        assert run("CON005", make_repo({FILE: damaged})).status == "failed", environment


def test_con001_fails_on_a_contracts_directory_linked_outside(make_repo: MakeRepo, tmp_path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "x.odcs.yaml").write_text(CONTRACT, encoding="utf-8")
    repo = make_repo({"README.md": "# POC\n"})
    (repo.root / "contracts").symlink_to(tmp_path / "elsewhere")
    finding = run("CON001", repo)
    assert finding.status == "failed" and finding.file == "contracts"
    assert "symbolic link leaving the repository" in finding.message


def test_con002_fails_on_a_contract_linked_outside(make_repo: MakeRepo) -> None:
    repo = make_repo({FILE: CONTRACT})
    (repo.root / "contracts" / "etc.odcs.yaml").symlink_to("/etc/hostname")
    finding = run("CON002", repo)
    assert finding.status == "failed" and finding.file == "contracts/etc.odcs.yaml"
    assert "symbolic link leaving the repository" in finding.message


def test_con002_validates_yaml_dates_as_text(make_repo: MakeRepo) -> None:
    dated = contract("version: 0.1.0", "version: 0.1.0\n    contractCreatedTs: 2026-01-01")
    finding = run("CON002", make_repo({FILE: dated}))
    assert "could not run" not in finding.message
    assert outcome(finding) == PASSED  # read as the text written, as ODCS's schema wants it


PLACEHOLDER = """
    customProperties:
      - property: prodreadyPlaceholder
        value: true
        description: The schema is the template's example.
"""


def test_con006_passes_on_the_data_sets_own_contract(make_repo: MakeRepo) -> None:
    other = CONTRACT + "    customProperties:\n      - property: owner\n        value: prodreadyPlaceholder\n"
    assert outcome(run("CON006", make_repo({FILE: CONTRACT, "contracts/other.odcs.yaml": other}))) == PASSED


def test_con006_fails_on_the_templates_placeholder_at_its_mark(make_repo: MakeRepo) -> None:
    marked = CONTRACT + PLACEHOLDER
    finding = run("CON006", make_repo({FILE: marked}))
    assert (finding.status, finding.stage, finding.file) == ("failed", "pilot", FILE)
    assert finding.line == line_of(marked, "- property: prodreadyPlaceholder")
    assert finding.message.startswith(f"{FILE} is still the template's placeholder schema")
    assert "`prodready contracts infer EXTRACT --name tickets`" in finding.message
    assert "prodready new --sample EXTRACT" in finding.message


def test_con006_names_every_placeholder_and_ignores_a_mark_set_false(make_repo: MakeRepo) -> None:
    unmarked = CONTRACT + PLACEHOLDER.replace("value: true", "value: false")
    files = {"contracts/a.odcs.yaml": CONTRACT + PLACEHOLDER, "contracts/b.odcs.yaml": CONTRACT + PLACEHOLDER}
    finding = run("CON006", make_repo({**files, FILE: unmarked}))
    assert finding.message.startswith("2 contracts are the template's placeholder: contracts/a.odcs.yaml:")
    assert "contracts/b.odcs.yaml:" in finding.message and "tickets.odcs.yaml" not in finding.message


def test_con006_has_nothing_to_say_about_a_contract_that_cannot_be_read(make_repo: MakeRepo) -> None:
    repo = make_repo({FILE: CONTRACT + PLACEHOLDER, "contracts/bad.odcs.yaml": b"\x00\x01"})
    assert outcome(run("CON006", repo)) == NOT_APPLICABLE
