"""Data contracts: an ODCS contract per input data set, checked beyond the sample (CON001-CON005)."""

from __future__ import annotations

from collections.abc import Callable

from ...contracts.model import SAMPLE_ENVIRONMENTS
from ..repo import Failure, Repo
from .base import Check, Result, YamlFile, fixture, load

DIRECTORY = "contracts"
SUFFIXES = (".odcs.yaml", ".odcs.yml")


@fixture
def contracts(prodready: Repo) -> list[YamlFile | Failure]:
    """Every contracts/*.odcs.yaml, by file name, parsed (or why it cannot be read).

    A contracts directory that cannot be listed (a link out of the repository) is one
    Failure, at the directory.
    """
    files = prodready.listing(DIRECTORY, SUFFIXES)
    if isinstance(files, Failure):
        return [files]
    return [load(prodready, file) for file in files if prodready.locate(file) is not None]


def each(contracts: list[YamlFile | Failure], rule: Callable[[YamlFile], Failure | None]) -> Result:
    """Apply ``rule`` to every contract in turn; not applicable at one that cannot be read (CON002 says why)."""
    for contract in contracts:
        if isinstance(contract, Failure):
            return None
        failure = rule(contract)
        if failure is not None:
            return failure
    return True


class CON001(Check, family="contracts"):
    """At least one data contract exists

    The data quality gap (curated demo data, messy production data) is closed by a
    contract per input data set. Fix: add contracts/<dataset>.odcs.yaml, for example
    with `prodready contracts infer`.
    """

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        unlisted = next((c for c in contracts if isinstance(c, Failure) and c.file == DIRECTORY), None)
        if unlisted is not None:
            return unlisted
        return True if contracts else Failure("no contracts/*.odcs.yaml", DIRECTORY, None)


class CON002(Check, family="contracts", requires={"CON001"}):
    """Every contract is valid against the ODCS v3.1.0 JSON Schema

    Only a standard contract can be checked by prodready, datacontract-cli and the
    rest of the ecosystem. Fix: run `prodready contracts lint` and correct what it
    reports.
    """

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        from ...contracts.lint import schema_findings

        for contract in contracts:
            if isinstance(contract, Failure):
                return contract
            findings = schema_findings(contract.document, contract.file)
            if findings:
                return Failure(findings[0].message, contract.file, findings[0].line)
        return True


def _promises(contract: YamlFile) -> Failure | None:
    data = contract.data
    if not data.get("team"):
        return contract.fail("the contract names no team", [])
    objects = data.get("schema") or []
    rules = [q for obj in objects for q in obj.get("quality") or []]
    rules += [q for obj in objects for p in obj.get("properties") or [] for q in p.get("quality") or []]
    if not rules:
        return contract.fail("the contract has no quality rules", ["schema"])
    if not data.get("slaProperties"):
        return contract.fail("the contract has no SLA (slaProperties)", [])
    return None


class CON003(Check, family="contracts", requires={"CON002"}):
    """Every contract has a team, quality rules and an SLA

    A contract without an owner, rules or a service level describes data but promises
    nothing. Fix: add team.members, quality rules on the objects or properties, and
    slaProperties (latency or freshness).
    """

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        return each(contracts, _promises)


def _unclassified(contract: YamlFile) -> Failure | None:
    from ...contracts.lint import semantic_findings

    for finding in semantic_findings(contract.document, contract.file):
        if finding.rule == "ODCS004":
            return Failure(finding.message, contract.file, finding.line)
    return None


class CON004(Check, family="contracts", requires={"CON002"}):
    """Personal-data properties are classified

    Columns holding personal data must be classified so that samples, logs and reports
    never show them. Fix: set classification: restricted (or confidential) on them.
    """

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        return each(contracts, _unclassified)


def _sample_only(contract: YamlFile) -> Failure | None:
    servers = [s for s in contract.data.get("servers") or [] if isinstance(s, dict)]
    if not any(str(s.get("environment", "")).lower() not in SAMPLE_ENVIRONMENTS for s in servers):
        return contract.fail("only sample servers are declared", ["servers"])
    return None


class CON005(Check):
    __doc__ = f"""Every contract declares a server beyond the committed sample

    A pilot with real users must be checked against the real data, not the sample the
    POC was built on. Fix: add a server (for example `production`) whose environment is
    not {"/".join(sorted(SAMPLE_ENVIRONMENTS))}, and schedule `nox -s contracts -- production`.
    """

    family = "contracts"
    stage = "pilot"
    requires = frozenset({"CON002"})

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        return each(contracts, _sample_only)
