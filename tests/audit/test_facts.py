"""One rule per fact: the checks import roles, stages, sample environments and limits, never copy them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from prodready.audit.checks import CHECKS, FAMILIES
from prodready.contracts.model import PROTECTED_CLASSES, SAMPLE_ENVIRONMENTS
from prodready.core import people
from prodready.core.costing import PRICE_AGE_WARNING_DAYS
from prodready.core.people import ROLE_KEYS
from prodready.core.stages import STAGES

from .conftest import MakeRepo
from .helpers import PASSED, outcome, run

CHECKS_DIR = Path(__file__).resolve().parents[2] / "src" / "prodready" / "audit" / "checks"
TESTS_DIR = Path(__file__).resolve().parent

#: Facts with one home: a literal collection of the same strings in a check module is a copy.
FACTS: dict[str, frozenset[str]] = {
    "the roles (prodready.core.people.ROLE_KEYS)": frozenset(ROLE_KEYS),
    "the stages (prodready.core.stages.STAGES)": frozenset(STAGES),
    "the sample environments (prodready.contracts.model.SAMPLE_ENVIRONMENTS)": frozenset(SAMPLE_ENVIRONMENTS),
    "the protected classes (prodready.contracts.model.PROTECTED_CLASSES)": frozenset(PROTECTED_CLASSES),
}


def copied_facts(source: str) -> list[str]:
    """Each literal tuple, list or set of strings (or dict keys) in ``source`` that equals a fact."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            elements: list[ast.expr | None] = list(node.elts)
        elif isinstance(node, ast.Dict):
            elements = list(node.keys)
        else:
            continue
        strings = {e.value for e in elements if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        if len(strings) < 2 or len(strings) != len(elements):
            continue
        found += [f"line {node.lineno}: {what}" for what, fact in FACTS.items() if strings == fact]
    return found


def copied_limits(source: str) -> list[str]:
    """Each literal of the price-age limit (a number, or "<limit> days" in a string)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Constant) or isinstance(node.value, bool):
            continue
        if node.value == PRICE_AGE_WARNING_DAYS or f"{PRICE_AGE_WARNING_DAYS} days" in str(node.value):
            found.append(f"line {node.lineno}: the price-age limit (PRICE_AGE_WARNING_DAYS)")
    return found


@pytest.mark.parametrize("module", sorted(CHECKS_DIR.glob("*.py")), ids=lambda path: path.name)
def test_check_modules_copy_no_fact(module: Path) -> None:
    source = module.read_text(encoding="utf-8")
    assert copied_facts(source) + copied_limits(source) == []


@pytest.mark.parametrize(
    "snippet",
    [
        'ROLES = ("production_owner", "business_owner", "technical_lead", "executive_sponsor", "kill_authority")',
        'for stage in ["poc", "pilot", "production"]: pass',
        'if env in {"ci", "test", "sample", "fixture"}: pass',
        'SAMPLES = frozenset(("fixture", "sample", "test", "ci"))',
        'WHY = {"kill_authority": "a", "production_owner": "b", "technical_lead": "c", "business_owner": "d", "executive_sponsor": "e"}',
        f"if age > {PRICE_AGE_WARNING_DAYS}: pass",
        f'"""Prices were checked in the last {PRICE_AGE_WARNING_DAYS} days"""',
    ],
)
def test_the_copy_detector_catches_copies(snippet: str) -> None:
    assert copied_facts(snippet) + copied_limits(snippet)


def test_the_checks_share_the_facts_objects() -> None:
    from prodready.audit.checks import base, contracts, cost, ownership

    assert ownership.ROLE_KEYS is people.ROLE_KEYS and ownership.separation_problems is people.separation_problems
    assert base.STAGES is STAGES and contracts.SAMPLE_ENVIRONMENTS is SAMPLE_ENVIRONMENTS
    assert cost.PRICE_AGE_WARNING_DAYS is PRICE_AGE_WARNING_DAYS
    assert not hasattr(ownership, "ROLES")


def test_a_separation_rule_added_to_core_people_is_enforced_by_own003(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    ownership = """
        roles:
          technical_lead: {name: Mei Tanaka, email: mei.tanaka@acme.io}
          executive_sponsor: {name: Mei Tanaka, email: mei.tanaka@acme.io}
          kill_authority: {name: Lucas Bernard, email: lucas.bernard@acme.io}
          production_owner: {name: Amara Okafor, email: amara.okafor@acme.io}
        """
    repo = make_repo({"ownership.yaml": ownership})
    assert outcome(run("OWN003", repo)) == PASSED
    monkeypatch.setitem(people.NOT_THE_TECHNICAL_LEAD, "executive_sponsor", "who cannot sponsor their own work")
    finding = run("OWN003", repo)
    assert (finding.status, finding.message, finding.line) == ("failed", "`executive_sponsor` is the technical lead", 3)


def test_derived_titles_state_the_limits() -> None:
    assert CHECKS["COS004"].title() == f"The cost model's prices were checked in the last {PRICE_AGE_WARNING_DAYS} days"
    assert "/".join(sorted(SAMPLE_ENVIRONMENTS)) in CHECKS["CON005"].explanation()


@pytest.mark.parametrize("family", FAMILIES)
def test_every_check_has_unit_tests_in_its_family_module(family: str) -> None:
    tests = (TESTS_DIR / f"test_{family}.py").read_text(encoding="utf-8")
    for check_id in (check_id for check_id, cls in CHECKS.items() if cls.family == family):
        assert tests.count(f'"{check_id}"') >= 2, f"{check_id} needs a passing and a failing test in test_{family}.py"
