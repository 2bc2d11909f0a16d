"""The repository as the audit reads it: confined to itself, and a declared stage that is never guessed."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from prodready.audit.engine import audit_repository
from prodready.audit.portfolio import audit_many, discover, to_html
from prodready.audit.repo import Failure, Repo, as_date
from prodready.audit.report import FORMATS
from prodready.errors import InputError

from .conftest import MakeRepo
from .helpers import TODAY, outcome, run, text, write
from .poc import FILES, OWNERSHIP

# -- confinement ------------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A directory beside the repositories, holding what must never be read."""
    return write(tmp_path / "outside", {"secret.txt": "secret\n", "checklist.yaml": "items: []\n"})


def link(repo: Repo, name: str, target: str | Path) -> None:
    path = repo.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def test_files_and_links_inside_the_repository_are_read(make_repo: MakeRepo) -> None:
    repo = make_repo({"docs/a.md": "a\n"})
    link(repo, "b.md", "docs/a.md")
    link(repo, "alias", "docs")
    assert repo.text("b.md") == "a\n" and repo.text("alias/a.md") == "a\n"
    assert repo.locate("docs") == Path(repo.real_root) / "docs" and repo.locate("missing.md") is None


@pytest.mark.parametrize(
    ("relative", "reason"),
    [
        ("../outside/secret.txt", "`../outside/secret.txt` climbs out of the repository with `..`"),
        ("docs/../../outside/secret.txt", "climbs out of the repository with `..`"),
        ("/etc/passwd", "`/etc/passwd` is an absolute path, not a file of the repository"),
        ("C:\\Windows\\win.ini", "is an absolute path"),
        ("a\x00b", "is not a file name"),
        ("", "is not a file name"),
    ],
)
def test_paths_named_in_files_must_stay_inside(make_repo: MakeRepo, relative: str, reason: str) -> None:
    located = make_repo({"docs/a.md": "a\n"}).locate(relative)
    assert isinstance(located, Failure) and reason in located and located.file == relative


def test_links_that_leave_are_refused_whether_or_not_their_target_exists(make_repo: MakeRepo, outside: Path) -> None:
    repo = make_repo({})
    link(repo, "ownership.yaml", outside / "secret.txt")
    link(repo, "governance", outside)
    link(repo, "gone.yaml", outside / "missing.yaml")
    for name in ("ownership.yaml", "governance/checklist.yaml", "governance/missing.yaml", "gone.yaml", "governance"):
        located = repo.locate(name)
        assert isinstance(located, Failure) and "symbolic link leaving the repository" in located, name
    assert repo.text("governance/checklist.yaml") is None
    assert repo.listing("governance", (".yaml",)) == repo.locate("governance")
    failure = repo.yaml("governance/checklist.yaml")
    assert isinstance(failure, Failure) and failure.file == "governance/checklist.yaml"


def test_a_symbolic_link_loop_is_a_finding(make_repo: MakeRepo) -> None:
    repo = make_repo({})
    link(repo, "ownership.yaml", "ownership.yaml")
    link(repo, "a.yaml", "b.yaml")
    link(repo, "b.yaml", "a.yaml")
    for name in ("ownership.yaml", "a.yaml"):
        located = repo.locate(name)
        assert isinstance(located, Failure) and "symbolic link loop" in located
    assert outcome(run("OWN001", repo)) == (
        "failed",
        "`ownership.yaml` is a symbolic link loop; it is not followed",
        "ownership.yaml",
        None,
    )


def test_only_regular_files_are_read(make_repo: MakeRepo) -> None:
    repo = make_repo({"docs/a.md": "a\n"})
    assert repo.path("docs") is None and repo.read("docs") == Failure("`docs` is not a regular file", "docs")
    link(repo, "zero", "/dev/zero")
    assert isinstance(repo.read("zero"), Failure)


def test_discovery_reads_markers_as_the_audit_does(tmp_path: Path, outside: Path) -> None:
    write(tmp_path / "fleet" / "real", {"ownership.yaml": "project: x\n"})
    write(tmp_path / "fleet" / "tool", {"pyproject.toml": "[tool.prodready]\n"})
    (tmp_path / "fleet" / "linked").mkdir()
    (tmp_path / "fleet" / "linked" / "ownership.yaml").symlink_to(outside / "secret.txt")
    found = [path.name for path in discover(tmp_path / "fleet")]
    assert found == ["real", "tool"]


# -- the declared stage -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pyproject", "message", "line"),
    [
        (
            '[tool.prodready]\nstage = "Production"\n',
            "[tool.prodready] stage is 'Production', not a readiness stage",
            2,
        ),
        ("[tool.prodready]\n\nstage = 2\n", "[tool.prodready] stage is 2, not a readiness stage", 3),
        ("[tool.prodready\n", "is not valid TOML (Expected ']' at the end of a table declaration)", 1),
        ('[tool]\nprodready = "pilot"\n', "[tool.prodready] is not a table", 2),
        ("tool = 3\n", "`tool` is not a table", 1),
        (b"[tool.prodready]\nstage = '\xff'\n", "cannot be read, so the stage it declares is unknown", 2),
        ("x = " + "9" * 5000 + "\n", "is not valid TOML", None),
    ],
)
def test_a_stage_that_cannot_be_known_is_an_input_error(
    make_repo: MakeRepo, pyproject: str | bytes, message: str, line: int | None
) -> None:
    repo = make_repo({"pyproject.toml": pyproject})
    with pytest.raises(InputError) as raised:
        audit_repository(repo.root, today=TODAY)
    error = raised.value
    assert (error.file, error.line) == (str(repo.root / "pyproject.toml"), line) and message in error.message
    if "stage is" in message:
        assert error.fix == "set stage to one of poc, pilot, production"


def test_a_pyproject_that_leaves_the_repository_is_an_input_error(make_repo: MakeRepo, outside: Path) -> None:
    repo = make_repo({"ownership.yaml": "project: x\n"})
    link(repo, "pyproject.toml", outside / "secret.txt")
    with pytest.raises(InputError, match="symbolic link leaving the repository"):
        audit_repository(repo.root, today=TODAY)


def test_no_pyproject_or_no_stage_declares_poc(make_repo: MakeRepo) -> None:
    assert make_repo({}).stage == "poc"
    assert make_repo({"pyproject.toml": "[tool.prodready]\n"}).stage == "poc"
    assert make_repo({"pyproject.toml": '[tool.prodready]\nstage = "pilot"\n'}).stage == "pilot"


@pytest.mark.parametrize(
    ("expires", "status", "fragment"),
    [
        ("2026-07-01T10:00:00", "waived", "waived until 2026-07-01"),
        ("2026-07-01 10:00:00+02:00", "waived", "waived until 2026-07-01"),
        ("2026-01-01T10:00:00", "failed", "waiver expired on 2026-01-01"),
        ("10:00:00", "failed", "expires datetime.time(10, 0) is not a date"),
        ("[2027]", "failed", "expires [2027] is not a date"),
    ],
)
def test_waiver_expiry_of_any_toml_type(make_repo: MakeRepo, expires: str, status: str, fragment: str) -> None:
    approver = '{role = "production_owner", name = "Amara Okafor"}'
    waiver = f'GOV005 = {{reason = "later", expires = {expires}, approver = {approver}}}\n'
    files = {"ownership.yaml": text(OWNERSHIP), "governance/model_card.md": "TODO\n"}
    repo = make_repo({"pyproject.toml": f"[tool.prodready]\n\n[tool.prodready.waivers]\n{waiver}", **files})
    finding = next(f for f in audit_repository(repo.root, today=TODAY).findings if f.id == "GOV005")
    assert finding.status == status and fragment in finding.message
    if status == "failed":
        assert (finding.file, finding.line) == ("pyproject.toml", 4)


APPROVER = '{role = "production_owner", name = "Amara Okafor"}'


def waived(make_repo: MakeRepo, waiver: str, settings: str = "", check_id: str = "GOV005") -> Any:
    """The finding of ``check_id`` (failing) in a repository whose pyproject.toml holds ``waiver``."""
    pyproject = f"[tool.prodready]\n{settings}\n[tool.prodready.waivers]\n{check_id} = {waiver}\n"
    files = {"pyproject.toml": pyproject, "ownership.yaml": text(OWNERSHIP), "governance/model_card.md": "TODO\n"}
    repo = make_repo(files)
    return next(f for f in audit_repository(repo.root, today=TODAY).findings if f.id == check_id)


@pytest.mark.parametrize(
    ("waiver", "message"),
    [
        (
            '{reason = "later", expires = 2026-07-01}',
            "the waiver of GOV005 has no approver: it needs approver = {role, name} of one of "
            "kill_authority, production_owner, executive_sponsor",
        ),
        (
            '{reason = "later", expires = 2026-07-01, approver = {role = "technical_lead", name = "Mei Tanaka"}}',
            "the waiver of GOV005 has role 'technical_lead': it needs approver = {role, name} of one of "
            "kill_authority, production_owner, executive_sponsor",
        ),
        (
            '{reason = "later", expires = 2026-07-01, approver = {role = "production_owner", name = "Bob"}}',
            "the waiver of GOV005 is approved by 'Bob', who is not the production_owner of ownership.yaml",
        ),
        (
            f'{{reason = "later", expires = 2030-01-01, approver = {APPROVER}}}',
            "the waiver of GOV005 expires 2030-01-01, 1310 days ahead: a waiver lasts at most 90 days "
            "(max_waiver_days)",
        ),
    ],
    ids=["no-approver", "technical-lead", "not-the-person", "over-90-days"],
)
def test_a_waiver_nobody_entitled_approved_or_too_long_fails_at_its_line(
    make_repo: MakeRepo, waiver: str, message: str
) -> None:
    finding = waived(make_repo, waiver)
    assert outcome(finding) == ("failed", message, "pyproject.toml", 4)


def test_max_waiver_days_is_configurable(make_repo: MakeRepo) -> None:
    waiver = f'{{reason = "after the audit", expires = 2026-12-01, approver = {APPROVER}}}'
    assert waived(make_repo, waiver).status == "failed"
    assert waived(make_repo, waiver, "max_waiver_days = 200\n").status == "waived"


def test_only_the_kill_authority_waives_a_business_check(make_repo: MakeRepo) -> None:
    """A waived BUS002 defers the go/no-go decision: the production owner cannot."""
    settings = 'stage = "poc"\n'
    owner = waived(make_repo, f'{{reason = "busy", expires = 2026-07-01, approver = {APPROVER}}}', settings, "BUS002")
    assert "it needs approver = {role, name} of one of kill_authority" in owner.message
    kill = '{reason = "busy", expires = 2026-07-01, approver = {role = "kill_authority", name = "Jonas Berg"}}'
    assert waived(make_repo, kill, settings, "BUS002").status in ("waived", "passed")


def test_from_the_pilot_a_waiver_is_committed_by_its_approver(tmp_path: Path) -> None:
    waiver = f'GOV005 = {{reason = "later", expires = 2026-07-01, approver = {APPROVER}}}\n'
    pyproject = f'[tool.prodready]\nstage = "pilot"\n\n[tool.prodready.waivers]\n{waiver}'
    files = {"pyproject.toml": pyproject, "ownership.yaml": text(OWNERSHIP), "governance/model_card.md": "TODO\n"}

    def committed(by: str) -> Any:
        root = write(tmp_path / by.split("@")[0], files)
        config = ["-c", f"user.name={by}", "-c", f"user.email={by}", "-c", "commit.gpgsign=false"]
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        subprocess.run(["git", *config, "add", "-A"], cwd=root, check=True)
        subprocess.run(["git", *config, "commit", "-qm", "waiver"], cwd=root, check=True)
        return next(f for f in audit_repository(root, today=TODAY).findings if f.id == "GOV005")

    intruder = committed("mei.tanaka@acme.io")
    assert outcome(intruder)[0] == "failed" and outcome(intruder)[2:] == ("pyproject.toml", 5)
    assert intruder.message.startswith("the waiver of GOV005 by Amara Okafor was committed by mei.tanaka@acme.io (")
    assert committed("amara.okafor@acme.io").status == "waived"


def test_as_date_takes_a_datetime_as_its_day() -> None:
    assert (
        as_date(datetime(2026, 5, 1, 23, 59)) == date(2026, 5, 1) == as_date("2026-05-01") == as_date(date(2026, 5, 1))
    )
    assert as_date("2026-02-30") is None and as_date(None) is None and as_date([2026]) is None


# -- portfolio mode: one broken repository does not hide the others --------------------------------


def test_a_broken_repository_is_reported_failed_in_every_format(tmp_path: Path) -> None:
    good = write(tmp_path / "fleet" / "good", dict(FILES))
    broken = write(tmp_path / "fleet" / "broken", {**FILES, "pyproject.toml": '[tool.prodready]\nstage = "prod"\n'})
    audits = audit_many([broken, good], today=TODAY, template_version="0.1.0", keep_going=True)
    assert [(a.name, a.passed, a.level) for a in audits] == [("broken", False, None), ("good", True, "poc")]
    assert audits[0].error is not None and "stage is 'prod'" in audits[0].error
    for name, render in FORMATS.items():
        assert "stage is 'prod'" in render(audits) or name in ("sarif",), name
    assert "cannot be audited" in FORMATS["text"](audits) and "cannot be audited" in to_html(audits)
    with pytest.raises(InputError):
        audit_many([broken], today=TODAY)
