"""Issue 14, must show 3: a POC generated from an extract of the team's data.

The contract describes the extract (its columns and types), lints clean in prodready and
in datacontract-cli, and passes ``contracts check`` on the extract and on the committed
sample, which is synthetic: no protected value of the extract is in any file of the POC.
Without an extract the contract is the template's placeholder, which the audit refuses
from the pilot stage and accepts at poc.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from prodready.audit.engine import Audit, audit_repository
from prodready.cli import main
from prodready.contracts.lint import lint_contract
from prodready.contracts.run import check_contract
from prodready.template.new import cookiecutter_context, generate, load_answers

from .helpers import ANSWER_FILES, example, render, tool, tree

DATASET = "support_tickets"
CONTRACT = f"contracts/{DATASET}.odcs.yaml"
SAMPLE = f"tests/data/{DATASET}.csv"
#: The extract's columns and the logical type the contract must give each.
COLUMNS = {
    "ticket_id": "integer",
    "opened_at": "timestamp",
    "channel": "string",
    "customer_email": "string",
    "complaint_text": "string",
    "amount": "number",
    "priority": "string",
}
PROTECTED = ("customer_email", "complaint_text")
WORDS = ("refund", "late", "parcel", "broken", "screen", "invoice", "wrong", "address", "charged", "twice", "help")
NAMES = ("amara", "lucas", "mei", "sofia", "jonas", "priya", "tomas", "ines", "olga", "kwame")


def write_extract(path: Path) -> dict[str, list[str]]:
    """An extract with an e-mail column and a free-text column; returns the protected values written."""
    rng = random.Random(7)
    protected: dict[str, list[str]] = {name: [] for name in PROTECTED}
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for i in range(60):
            email = f"{NAMES[i % 10]}.{i}@customers.test"
            text = f"{' '.join(rng.choice(WORDS) for _ in range(6))} order {4000 + i}"
            protected["customer_email"].append(email)
            protected["complaint_text"].append(text)
            opened = f"2025-11-{1 + i % 28:02d}T{8 + i % 10:02d}:{i % 60:02d}:00Z"
            amount = round(rng.uniform(5, 500), 2)
            writer.writerow([1000 + i, opened, rng.choice(["web", "mail"]), email, text, amount, rng.choice("AB")])
    return protected


def answers(**extra: str) -> dict[str, str]:
    """The support assistant's answers, with data classified internal so only the protected columns are."""
    return {**example("support-assistant"), "data_classification": "internal", **extra}


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    path = tmp_path_factory.mktemp("extract") / "tickets_export.csv"
    return path, write_extract(path)


@pytest.fixture(scope="module")
def generated(
    tmp_path_factory: pytest.TempPathFactory, template_repo: Path, extract: tuple[Path, dict[str, list[str]]]
) -> dict[str, Path]:
    """The POC from the extract, by generator: cookiecutter through ``prodready new --sample``,
    copier through ``primary_dataset_sample`` in an answers file (relative to it)."""
    path, _ = extract
    out = tmp_path_factory.mktemp("sampled")
    answers_file = path.parent / "answers.yaml"
    answers_file.write_text(yaml.safe_dump(answers(primary_dataset_sample=path.name)), encoding="utf-8")
    cookiecutter = out / "cookiecutter"
    command = [tool("prodready"), "new", "--answers", str(answers_file), "-o", str(cookiecutter)]
    command += ["--template", str(template_repo), "--sample", str(path)]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return {
        "cookiecutter": next(cookiecutter.iterdir()),
        "copier": generate(load_answers(answers_file), "copier", out / "copier", template_repo),
    }


@pytest.fixture(scope="module")
def placeholder(tmp_path_factory: pytest.TempPathFactory, template_repo: Path) -> Path:
    return generate(answers(), "cookiecutter", tmp_path_factory.mktemp("placeholder"), template_repo)


GENERATORS = ["cookiecutter", "copier"]


def contract_of(project: Path) -> dict:
    return yaml.safe_load((project / CONTRACT).read_text(encoding="utf-8"))


@pytest.mark.parametrize("generator", GENERATORS)
def test_the_contract_describes_the_extract(generated, generator):
    contract = contract_of(generated[generator])
    properties = {p["name"]: p for p in contract["schema"][0]["properties"]}
    assert {name: p["logicalType"] for name, p in properties.items()} == COLUMNS
    assert list(properties) == list(COLUMNS)
    for name in PROTECTED:
        assert properties[name]["classification"] == "restricted", name
        assert "quality" not in properties[name], name  # no valid values of a protected column
    assert properties["customer_email"]["tags"] == ["personal-data"]
    assert properties["channel"]["classification"] == "internal"
    assert properties["ticket_id"]["primaryKey"] is True
    assert "customProperties" not in contract  # not the placeholder
    # The team's own contract: the template's team, servers and SLA, not infer's.
    assert contract["team"]["name"] == answers()["oncall_team"]
    assert [s["server"] for s in contract["servers"]] == ["ci"]
    assert contract["slaProperties"][0]["element"] == f"{DATASET}.opened_at"


@pytest.mark.parametrize("generator", GENERATORS)
def test_the_contract_lints_clean_in_prodready_and_datacontract_cli(generated, generator):
    path = generated[generator] / CONTRACT
    assert [f for f in lint_contract(path) if f.severity == "error"] == []
    datacontract = tool("datacontract")  # a missing linter is a failure, not a skip
    proc = subprocess.run([datacontract, "lint", str(path)], capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def failed(results) -> list:
    return [r for r in results if r.passed is False]


@pytest.mark.parametrize("generator", GENERATORS)
def test_the_contract_passes_on_the_committed_sample_and_on_the_extract(generated, extract, generator, tmp_path):
    project = generated[generator]
    on_sample = check_contract(project / CONTRACT, "ci")
    assert on_sample and not failed(on_sample)
    # The same contract, pointed at the extract (a static file, as the ci sample is).
    contract = contract_of(project)
    contract["servers"] = [
        {"server": "extract", "type": "local", "environment": "sample", "format": "csv", "path": str(extract[0])}
    ]
    copy = tmp_path / "contract.odcs.yaml"
    copy.write_text(yaml.safe_dump(contract, sort_keys=False), encoding="utf-8")
    on_extract = check_contract(copy, "extract", allow_outside_paths=True)
    assert on_extract and not failed(on_extract), [str(r) for r in failed(on_extract)]


@pytest.mark.parametrize("generator", GENERATORS)
def test_the_committed_reference_profile_is_the_synthetic_samples(generated, generator, monkeypatch):
    """The POC's drift session compares its window with a profile of its own columns, still marked the template's."""
    project = generated[generator]
    reference = json.loads((project / "monitoring" / "reference_profile.json").read_text(encoding="utf-8"))
    assert set(reference["columns"]) | set(reference["excluded"]) == set(COLUMNS)
    assert "placeholder" in reference  # synthetic rows: MON003 still asks for a profile of the real data at pilot
    monkeypatch.chdir(project)
    dataset = f"tests/data/{DATASET}.csv"
    cli = CliRunner().invoke(main, ["drift", "check", dataset, "--profile", "monitoring/reference_profile.json"])
    assert cli.exit_code == 0, cli.output


@pytest.mark.parametrize("generator", GENERATORS)
def test_no_protected_value_of_the_extract_is_in_the_poc(generated, extract, generator):
    project, protected = generated[generator], extract[1]
    files = {name: data.decode("utf-8", "replace") for name, data in tree(project).items()}
    files.update(
        {name: (project / name).read_text(encoding="utf-8") for name in ANSWER_FILES if (project / name).exists()}
    )
    for name, text in files.items():
        for value in protected["customer_email"] + protected["complaint_text"]:
            assert value not in text, f"{value!r} is in {name}"
        assert "@customers.test" not in text, name
        assert str(extract[0].name) not in text, f"the extract's location is recorded in {name}"
    with (project / SAMPLE).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 20 <= len(rows) <= 50
    assert all(row["customer_email"].endswith("@example.invalid") for row in rows if row["customer_email"])


def test_both_generators_write_the_same_poc_from_the_extract(generated):
    assert tree(generated["cookiecutter"]) == tree(generated["copier"])


def test_the_pocs_own_repository_tests_pass_on_its_sample(generated):
    project = generated["cookiecutter"]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_repository.py"]
    proc = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def audit(project: Path, stage: str) -> Audit:
    from prodready import __version__

    return audit_repository(project, require=stage, template_version=__version__)


def con006(result: Audit):
    return next(f for f in result.findings if f.id == "CON006")


def test_a_placeholder_contract_fails_con006_at_pilot_and_passes_the_poc_audit(placeholder):
    contract = contract_of(placeholder)
    assert contract["customProperties"][0]["property"] == "prodreadyPlaceholder"
    assert "PLACEHOLDER" in contract["description"]["limitations"]
    at_poc = audit(placeholder, "poc")
    assert at_poc.passed, [(f.id, f.message) for f in at_poc.findings if at_poc.gates(f)]
    finding = con006(at_poc)
    assert finding.status == "failed" and not at_poc.gates(finding)  # shown, due at pilot
    at_pilot = audit(placeholder, "pilot")
    assert at_pilot.gates(con006(at_pilot))
    assert finding.file == CONTRACT and finding.line is not None
    assert CONTRACT in finding.message and "prodready contracts infer" in finding.message


def test_gov_004_waits_for_the_data_owner_at_pilot(placeholder, generated):
    for project in (placeholder, generated["cookiecutter"]):
        checklist = yaml.safe_load((project / "governance" / "checklist.yaml").read_text(encoding="utf-8"))
        (item,) = [i for i in checklist["items"] if i["id"] == "GOV-004"]
        assert (item["status"], item["required_stage"], item["sign_off"]) == ("todo", "pilot", None)
        assert item["evidence"] == CONTRACT


def test_a_contract_from_an_extract_passes_con006(generated):
    assert con006(audit(generated["cookiecutter"], "pilot")).status == "passed"


def test_a_postgresql_table_gives_the_contract_and_no_credential_is_written(tmp_path, template_repo, postgres, extract):
    """The table route: the extract loaded into PostgreSQL, named by a URL whose password is written nowhere."""
    import psycopg

    with psycopg.connect(
        host=postgres["host"], port=postgres["port"], user=postgres["user"], dbname="postgres", autocommit=True
    ) as connection:
        connection.execute("DROP SCHEMA IF EXISTS intake CASCADE")
        connection.execute("CREATE SCHEMA intake")
        connection.execute(
            "CREATE TABLE intake.tickets (ticket_id bigint NOT NULL, opened_at timestamptz NOT NULL, channel text, "
            "customer_email text, complaint_text text, amount double precision, priority text)"
        )
        with (extract[0]).open(newline="", encoding="utf-8") as handle, connection.cursor() as cursor:
            rows = [tuple(row.values()) for row in csv.DictReader(handle)]
            cursor.executemany("INSERT INTO intake.tickets VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
    password = "pw-never-written-7"
    url = f"postgresql://{postgres['user']}:{password}@{postgres['host']}:{postgres['port']}/postgres?schema=intake"
    project = generate(answers(), "copier", tmp_path, template_repo, sample=(url, "tickets"))
    properties = contract_of(project)["schema"][0]["properties"]
    assert {p["name"]: p["logicalType"] for p in properties} == COLUMNS
    assert not failed(check_contract(project / CONTRACT, "ci"))
    for name, data in tree(project).items():
        assert password.encode() not in data, name
        assert b"@customers.test" not in data, name
    assert password not in (project / ".copier-answers.yml").read_text(encoding="utf-8")


def test_an_unreadable_extract_is_one_refusal_without_its_password(tmp_path, template_repo):
    url = "postgresql://someone:hunter2-secret@127.0.0.1:9/none"
    command = [tool("prodready"), "new", "--example", "support-assistant", "-o", str(tmp_path / "out")]
    command += ["--template", str(template_repo), "--sample", url, "--sample-table", "tickets"]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode != 0
    assert "primary_dataset_sample" in proc.stderr and "Traceback" not in proc.stderr
    assert "hunter2-secret" not in proc.stdout + proc.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_plain_cookiecutter_without_prodready_refuses_and_leaves_nothing(tmp_path, template_repo, extract):
    """The generator's environment has no prodready: one line naming the answer and the fix."""
    blocked = "import sys; sys.modules['prodready'] = None; from cookiecutter.cli import main; main()"
    pairs = [f"{k}={v}" for k, v in cookiecutter_context(example("support-assistant")).items()]
    out = tmp_path / "out"
    command = [sys.executable, "-c", blocked, "--no-input", "-o", str(out), str(template_repo), *pairs]
    env = {**os.environ, "PRODREADY_SAMPLE": str(extract[0])}
    proc = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, env=env)
    assert proc.returncode != 0
    refusal = [line for line in proc.stderr.splitlines() if line.startswith("prodready refused")]
    assert len(refusal) == 1, proc.stderr
    assert "primary_dataset_sample" in refusal[0] and "pip install prodready" in refusal[0]
    assert not out.exists() or not any(out.iterdir())


def test_the_reference_profile_of_the_synthetic_sample_holds_no_protected_value(extract):
    """What the template's monitoring/reference_profile.json is rendered from when an extract is given."""

    from prodready.drift.profile import validate_profile
    from prodready.template.sample import from_extract

    sampled = from_extract(str(extract[0]), None, DATASET, classification="internal", personal=True, regimes="gdpr")
    text = sampled.reference_profile(DATASET, SAMPLE, "a profile of synthetic rows")
    reference = json.loads(text)
    assert list(reference)[:6] == ["version", "prodready", "source", "rows", "created", "placeholder"]
    assert validate_profile(reference)
    assert reference["source"] == SAMPLE and reference["rows"] == 30
    assert set(reference["columns"]) | set(reference["excluded"]) == set(COLUMNS)
    for name in PROTECTED:  # hashed buckets, or not profiled at all (a unique column is no feature)
        assert name in reference["excluded"] or reference["columns"][name]["kind"] == "hashed", name
    for value in extract[1]["customer_email"] + extract[1]["complaint_text"]:
        assert value not in text
    assert "@example.invalid" not in text and "synthetic text" not in text  # not even the sample's made-up values


@pytest.mark.parametrize("generator", GENERATORS)
def test_the_generators_own_command_lines_take_the_extract_and_record_it_nowhere(
    generator, generated, template_repo, extract, tmp_path, monkeypatch
):
    """copier's ``--data primary_dataset_sample=...``, plain cookiecutter's ``PRODREADY_SAMPLE``: the same POC."""
    given = answers()
    if generator == "copier":
        given["primary_dataset_sample"] = str(extract[0])  # through copier's --data-file
    else:
        monkeypatch.setenv("PRODREADY_SAMPLE", str(extract[0]))
    result = render(generator, template_repo, given, tmp_path)
    assert result.returncode == 0, result.output
    assert tree(result.destination) == tree(generated[generator])
    records = [result.destination / name for name in ANSWER_FILES if (result.destination / name).exists()]
    if generator == "cookiecutter":  # and cookiecutter's replay of the answers
        records.append(Path.home() / ".cookiecutter_replay" / f"{template_repo.name}.json")
    assert records
    for record in records:
        assert extract[0].name not in record.read_text(encoding="utf-8"), record
