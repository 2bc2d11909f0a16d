"""Data contracts: an ODCS contract per input data set, checked beyond the sample (CON001-CON006)."""

from __future__ import annotations

from collections.abc import Callable

from ...contracts.model import SAMPLE_ENVIRONMENTS
from ..repo import Failure, Repo
from .base import Check, Result, YamlFile, every, fixture, load

DIRECTORY = "contracts"
SUFFIXES = (".odcs.yaml", ".odcs.yml")
#: The customProperties entry by which the template marks its example schema as a placeholder.
PLACEHOLDER = "prodreadyPlaceholder"


@fixture
def contracts(prodready: Repo) -> list[YamlFile | Failure]:
    """Every contracts/*.odcs.yaml, by file name, parsed (or why it cannot be read).

    A contracts directory that cannot be listed (a link out of the repository) is one
    Failure, at the directory.
    """
    files = prodready.listing(DIRECTORY, SUFFIXES)
    if isinstance(files, Failure):
        return [files]
    # ODCS is JSON Schema: an unquoted date is the text written, not a YAML timestamp.
    return [load(prodready, file, timestamps=False) for file in files if prodready.locate(file) is not None]


def each(contracts: list[YamlFile | Failure], rule: Callable[[YamlFile], list[Failure]], what: str) -> Result:
    """Apply ``rule`` to every contract: every problem of every contract, at the first.

    Not applicable when a contract cannot be read (CON002 says why).
    """
    if any(isinstance(contract, Failure) for contract in contracts):
        return None
    return every(
        [failure for contract in contracts if isinstance(contract, YamlFile) for failure in rule(contract)], what
    )


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
    """Every contract is valid against the ODCS JSON Schema of its apiVersion

    Only a standard contract can be checked by prodready, datacontract-cli and the
    rest of the ecosystem. Fix: run `prodready contracts lint` and correct what it
    reports.
    """

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        from ...contracts.lint import schema_findings

        found = []
        for contract in contracts:
            if isinstance(contract, Failure):
                found.append(contract)
                continue
            found += [
                Failure(f.message, contract.file, f.line) for f in schema_findings(contract.document, contract.file)
            ]
        return every(found, "schema violations")


def _promises(contract: YamlFile) -> list[Failure]:
    """What a contract does not promise: a team, quality rules, an SLA."""
    data = contract.data
    found = []
    if not data.get("team"):
        found.append(contract.fail("the contract names no team", []))
    objects = data.get("schema") or []
    rules = [q for obj in objects for q in obj.get("quality") or []]
    rules += [q for obj in objects for p in obj.get("properties") or [] for q in p.get("quality") or []]
    if not rules:
        found.append(contract.fail("the contract has no quality rules", ["schema"]))
    if not data.get("slaProperties"):
        found.append(contract.fail("the contract has no SLA (slaProperties)", []))
    return found


class CON003(Check, family="contracts", requires={"CON002"}):
    """Every contract has a team, quality rules and an SLA

    A contract without an owner, rules or a service level describes data but promises
    nothing. Fix: add team.members, quality rules on the objects or properties, and
    slaProperties (latency or freshness).
    """

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        return each(contracts, _promises, "missing promises")


def _unclassified(contract: YamlFile) -> list[Failure]:
    """Every property of the contract that looks personal and is not classified (lint rule ODCS004)."""
    from ...contracts.lint import semantic_findings

    findings = semantic_findings(contract.document, contract.file)
    return [Failure(f.message, contract.file, f.line) for f in findings if f.rule == "ODCS004"]


class CON004(Check, family="contracts", requires={"CON002"}):
    """Personal-data properties are classified

    Columns holding personal data must be classified so that samples, logs and reports
    never show them. Fix: set classification: restricted (or confidential) on them.
    """

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        return each(contracts, _unclassified, "unclassified personal-data properties")


def _sample_only(contract: YamlFile) -> list[Failure]:
    servers = [s for s in contract.data.get("servers") or [] if isinstance(s, dict)]
    if not any(str(s.get("environment", "")).lower() not in SAMPLE_ENVIRONMENTS for s in servers):
        return [contract.fail("only sample servers are declared", ["servers"])]
    return []


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
        return each(contracts, _sample_only, "contracts declare only sample servers")


def _placeholder(contract: YamlFile) -> list[Failure]:
    """The contract, when it still carries the template's placeholder mark."""
    entries = contract.data.get("customProperties")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if isinstance(entry, dict) and entry.get("property") == PLACEHOLDER and entry.get("value") not in (False, None):
            dataset = contract.file.rsplit("/", 1)[-1].split(".odcs.")[0]
            return [
                contract.fail(
                    f"{contract.file} is still the template's placeholder schema, not the data set's; fix: "
                    f"`prodready contracts infer EXTRACT --name {dataset}` and keep its properties (or generate "
                    "the POC again with `prodready new --sample EXTRACT`), then remove the placeholder entry",
                    ["customProperties", index],
                )
            ]
    return []


class CON006(Check):
    __doc__ = f"""No contract is the template's placeholder

    A POC generated without an extract of its data gets the template's example schema,
    marked with the custom property `{PLACEHOLDER}`: checks that pass on it say nothing
    about the team's data. Fix: describe the real data set (`prodready contracts infer
    EXTRACT --name DATASET`, or generate with `prodready new --sample EXTRACT`), then
    remove the `{PLACEHOLDER}` entry.
    """

    family = "contracts"
    stage = "pilot"
    requires = frozenset({"CON001"})

    @staticmethod
    def check(contracts: list[YamlFile | Failure]) -> Result:
        return each(contracts, _placeholder, "contracts are the template's placeholder")
