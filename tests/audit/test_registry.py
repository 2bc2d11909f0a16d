"""How checks and fixtures are found: registration by subclassing, resolution by name, entry points."""

from __future__ import annotations

import functools
import graphlib
import importlib
import importlib.metadata
import inspect
import re
import tomllib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from prodready.audit import checks
from prodready.audit.checks import CHECKS, FAMILIES, FIXTURES, Check
from prodready.audit.checks.base import REGISTRY
from prodready.audit.engine import Fixtures, audit_repository, compute_check
from prodready.audit.repo import Repo
from prodready.core.project import documentation_url
from prodready.core.stages import STAGES

from .conftest import MakeRepo

ROOT = Path(__file__).resolve().parents[2]
FAMILY_MODULES = [getattr(checks, family) for family in FAMILIES]


def test_every_check_is_registered_in_family_then_id_order() -> None:
    expected = sorted(CHECKS, key=lambda check_id: (FAMILIES[CHECKS[check_id].family]["order"], check_id))
    assert list(CHECKS) == expected
    families = list(dict.fromkeys(cls.family for cls in CHECKS.values()))
    assert families == sorted(FAMILIES, key=lambda family: FAMILIES[family]["order"])
    defined = {
        name: cls
        for module in FAMILY_MODULES
        for name, cls in vars(module).items()
        if isinstance(cls, type) and issubclass(cls, Check) and "check" in vars(cls)
    }
    assert defined == CHECKS == REGISTRY


def test_each_family_module_holds_its_own_checks() -> None:
    for check_id, cls in CHECKS.items():
        assert cls.__module__ == f"prodready.audit.checks.{cls.family}", check_id
        assert cls.id() == check_id and cls.url == f"https://prodready.readthedocs.io/checks/#{check_id.lower()}"
        assert cls.stage in STAGES and cls.title() and cls.explanation()


def test_check_links_come_from_the_package_metadata_and_land_on_the_check() -> None:
    """The link's page is docs/checks.md as MkDocs builds it (/checks/), its fragment the check's heading id."""
    assert checks.DOCS.removesuffix("/checks/") == documentation_url()
    reference = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    headings = dict(re.findall(r"^### (\w+): .* \{#([a-z0-9]+)\}$", reference, re.MULTILINE))
    assert headings == {check_id: cls.url.split("#")[1] for check_id, cls in CHECKS.items()}


def test_mkdocs_gives_each_check_heading_the_anchor_of_its_link() -> None:
    """Rendered as mkdocs.yml configures Python-Markdown (attr_list and toc), MkDocs' own renderer."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    assert {"attr_list", "toc"} <= set(extensions)
    html = markdown.markdown((ROOT / "docs" / "checks.md").read_text(encoding="utf-8"), extensions=["attr_list", "toc"])
    assert re.findall(r'<h3 id="([^"]+)"', html) == [cls.url.split("#")[1] for cls in CHECKS.values()]


def test_every_prerequisite_is_a_check_and_none_is_circular() -> None:
    graph = {check_id: cls.requires for check_id, cls in CHECKS.items()}
    assert {needed for needed in set().union(*graph.values())} <= CHECKS.keys()
    list(graphlib.TopologicalSorter(graph).static_order())


@pytest.mark.parametrize(
    ("attributes", "problem"),
    [
        ({"family": "ownership", "stage": "beta"}, "stage 'beta' is not one of poc, pilot, production"),
        ({"family": "luck", "stage": "poc"}, "family 'luck' is not one of ownership"),
        ({"family": "ownership", "__doc__": None}, "it has no docstring"),
    ],
)
def test_a_malformed_check_is_refused(attributes: dict[str, Any], problem: str) -> None:
    body: dict[str, Any] = {"__doc__": "A title\n\nWhy.", **attributes, "check": staticmethod(lambda: True)}
    with pytest.raises(TypeError, match=problem):
        type("ZZZ999", (Check,), body)
    assert "ZZZ999" not in REGISTRY


def test_a_class_without_check_is_not_a_check() -> None:
    type("Helper", (Check,), {"family": "ownership", "__doc__": "Not a check."})
    assert "Helper" not in REGISTRY


def parameters(function: Callable[..., Any]) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_every_parameter_names_a_fixture_and_fixtures_form_no_cycle() -> None:
    known = {"prodready", *FIXTURES}
    for check_id, cls in CHECKS.items():
        assert set(parameters(cls.check)) <= known, check_id  # type: ignore[attr-defined]
    graph = {name: parameters(function) for name, function in FIXTURES.items()}
    assert set().union(*graph.values()) <= known
    list(graphlib.TopologicalSorter(graph).static_order())


def test_fixtures_are_computed_once_and_resolved_through_their_parameters() -> None:
    calls: list[str] = []

    def base(prodready: str) -> str:
        calls.append("base")
        return prodready.upper()

    def derived(base: str, prodready: str) -> str:
        calls.append("derived")
        return f"{base}+{prodready}"

    fixtures = Fixtures({"base": base, "derived": derived}, prodready="repo")
    assert fixtures.call(lambda derived, base: (derived, base)) == ("REPO+repo", "REPO")
    assert fixtures["derived"] == "REPO+repo" and calls == ["base", "derived"]


def test_a_fixture_that_raises_fails_each_check_that_needs_it_without_a_rerun() -> None:
    calls = []

    def broken(prodready: str) -> str:
        calls.append(1)
        raise ValueError("no luck")

    fixtures = Fixtures({"broken": broken}, prodready="repo")
    for _ in range(2):
        with pytest.raises(ValueError, match="no luck"):
            fixtures.call(lambda broken: broken)
    assert len(calls) == 1
    with pytest.raises(LookupError, match="unknown fixture 'nowhere'"):
        fixtures["nowhere"]
    cycle = Fixtures({"a": lambda b: b, "b": lambda a: a})
    with pytest.raises(RecursionError, match="fixture cycle: a -> b -> a"):
        cycle["a"]


def test_a_check_whose_fixture_raises_is_a_failure_not_a_traceback(
    make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exploding(prodready: Repo) -> Any:
        raise KeyError("boom")

    monkeypatch.setitem(FIXTURES, "monitoring", exploding)
    finding = compute_check("MON001", prodready=make_repo({"monitoring/monitoring.yaml": "slos: {}\n"}))
    assert (finding.status, finding.message) == ("failed", "the check could not run: KeyError: 'boom'")


def test_an_audit_computes_each_fixture_once(make_repo: MakeRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    counts = dict.fromkeys(FIXTURES, 0)

    def counted(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(**kwargs: Any) -> Any:
            counts[name] += 1
            return function(**kwargs)

        return wrapper

    for name, function in list(FIXTURES.items()):
        monkeypatch.setitem(FIXTURES, name, counted(name, function))
    audit = audit_repository(make_repo({"ownership.yaml": "roles: {}\n"}).root)
    # Computed on first request only: no check that reads owner_emails,
    # template_origin, evaluation_results, load_results or integration_results runs here
    # (OWN002, TPL001, EVL001, MON001, COS001 and INT001 fail before them).
    lazy = {"owner_emails", "template_origin", "evaluation_results", "load_results", "integration_results"}
    assert counts == {name: int(name not in lazy) for name in FIXTURES}
    assert [f.id for f in audit.findings] == list(CHECKS)


# -- repo-review ----------------------------------------------------------------------------


def declared_fixtures() -> dict[str, str]:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, str] = pyproject["project"]["entry-points"]["repo_review.fixtures"]
    return table


def load(reference: str) -> Any:
    module, _, attribute = reference.partition(":")
    return getattr(importlib.import_module(module), attribute)


def test_pyproject_declares_an_entry_point_for_every_fixture() -> None:
    declared = declared_fixtures()
    assert set(declared) == {"prodready", *FIXTURES}
    assert all(load(declared[name]) is function for name, function in FIXTURES.items())


def test_the_installed_entry_points_are_the_declared_ones() -> None:
    installed = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="repo_review.fixtures")}
    declared = declared_fixtures()
    stale = {name: value for name, value in declared.items() if installed.get(name) != value}
    assert not stale, f"reinstall prodready (`uv pip install -e .`): entry points out of date: {stale}"


REPO_REVIEW_FILES = {
    "ownership.yaml": "roles:\n  technical_lead: {name: Mei Tanaka, email: mei.tanaka@acme.io}\n",
    "contracts/tickets.odcs.yaml": "apiVersion: v3.1.0\n",
    ".pre-commit-config.yaml": "repos: [{repo: local, hooks: [{id: prodready-audit}]}]\n",
}


def test_repo_review_runs_every_check_with_the_same_fixtures(make_repo: MakeRepo) -> None:
    processor = pytest.importorskip("repo_review.processor")
    repo = make_repo(REPO_REVIEW_FILES)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "modified the input fixtures" would be a warning
        families, results = processor.process(repo.root)
    by_id = {result.name: result for result in results if result.family in FAMILIES}
    assert list(by_id) == list(CHECKS) and "ownership" in families
    assert (by_id["OWN001"].result, by_id["OWN002"].result) == (True, False)
    assert by_id["OWN002"].err_msg == (
        "2 problems: roles `production_owner`, `business_owner`, `executive_sponsor`, `kill_authority` are missing; "
        "the on-call team needs a name and a valid e-mail"
    )
    assert by_id["OWN003"].result is None  # needs OWN002
    assert (by_id["CI002"].result, by_id["MON001"].result) == (True, False)
    assert by_id["MON001"].err_msg == "`monitoring/monitoring.yaml` is missing"


def test_repo_review_lists_the_checks_without_a_repository() -> None:
    processor = pytest.importorskip("repo_review.processor")
    collected = processor.collect_all()
    assert set(CHECKS) <= set(collected.checks) and set(FAMILIES) <= set(collected.families)
