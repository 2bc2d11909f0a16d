"""The team's own schema at generation: a contract inferred from an extract, a synthetic sample.

A POC that starts with someone else's schema (the template's support tickets) never meets
its own messy data until the pilot. Given an extract or a table of the primary data set
(``prodready new --sample``), the template's contract gets the properties ``contracts
infer`` measures there, classified with the team's answers, and the committed sample is
made from that contract alone (``contracts.synthetic``), never copied from the extract.

What may be committed is decided here: a protected column (personal data by name or by
its values, and free text in a POC that processes personal data) is classified
restricted and keeps no value of the extract: no valid values, no range. The extract's
location is a generation input only: it is written nowhere.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlglot import exp

from ..contracts.infer import infer
from ..contracts.model import is_protected, protected_classification
from ..contracts.synthetic import sample_csv
from ..data.sources import open_source, redacted
from ..data.sql import as_text, count_where, run, scan
from ..data.sql import column as sql_column
from ..drift.profile import EMAIL_SHARE, FREE_TEXT_LENGTH, profile_text
from ..drift.profile import profile as drift_profile

#: The tag and classification of a column that holds personal data.
PERSONAL_TAG = "personal-data"
RESTRICTED = "restricted"


@dataclass(frozen=True)
class TextFacts:
    """What decides whether a text column is personal data or free text."""

    present: int
    average_length: float
    with_space: int
    email_like: int

    @property
    def emails(self) -> bool:
        return self.present > 0 and self.email_like >= EMAIL_SHARE * self.present

    @property
    def free_text(self) -> bool:
        return self.present > 0 and self.average_length >= FREE_TEXT_LENGTH and 2 * self.with_space >= self.present


def _text_facts(source: str, table: str | None, names: list[str]) -> dict[str, TextFacts]:
    """One aggregate scan of the text columns: non-null count, mean length, values with a space, e-mail shapes."""
    if not names:
        return {}
    measures: list[exp.Expr] = []
    for name in names:
        text = as_text(sql_column(name))
        email = exp.and_(
            exp.Like(this=text, expression=exp.Literal.string("%_@_%._%")),
            exp.Not(this=exp.Like(this=text, expression=exp.Literal.string("% %"))),
        )
        measures += [
            exp.func("COUNT", sql_column(name)),
            exp.Avg(this=exp.Length(this=text)),
            count_where(exp.Like(this=text, expression=exp.Literal.string("% %"))),
            count_where(email),
        ]
    with open_source(source, table) as opened:
        (row,) = run(opened.engine, opened.relation, scan(*measures))
    return {
        name: TextFacts(
            int(row[4 * i] or 0), float(row[4 * i + 1] or 0), int(row[4 * i + 2] or 0), int(row[4 * i + 3] or 0)
        )
        for i, name in enumerate(names)
    }


def _protect(prop: dict[str, Any], regimes: str, level: str = RESTRICTED) -> None:
    """Classify a property ``level`` and drop every value of the extract it carried."""
    prop["classification"] = level
    prop["quality"] = [q for q in prop.get("quality", []) if q.get("metric") != "invalidValues"]
    if not prop["quality"]:
        del prop["quality"]
    options = {k: v for k, v in prop.get("logicalTypeOptions", {}).items() if k not in ("minimum", "maximum")}
    if options:
        prop["logicalTypeOptions"] = options
    else:
        prop.pop("logicalTypeOptions", None)
    under = f" under {regimes}" if regimes and regimes != "none" else ""
    prop["description"] = f"Protected{under}; never copied into samples, logs, profiles or audit records."


def classified(
    properties: list[dict[str, Any]], facts: dict[str, TextFacts], classification: str, personal: bool, regimes: str
) -> list[dict[str, Any]]:
    """The inferred properties with the team's classification; protected ones keep no value of the extract.

    Personal data (by name, as ``infer`` tags it, or by values that look like e-mail
    addresses) is restricted and tagged; in a POC that processes personal data, free
    text is restricted too (people write their names and addresses into it). Numbers,
    times and free text that happen to be distinct in one extract are not promised
    unique: drift would take them for identifiers and never score them.
    """
    result = []
    for inferred in properties:
        prop = dict(inferred)
        fact = facts.get(str(prop["name"]))
        personal_column = PERSONAL_TAG in prop.get("tags", []) or (fact is not None and fact.emails)
        if personal_column:
            prop["tags"] = [PERSONAL_TAG]
        if fact is not None and fact.emails:
            prop.setdefault("logicalTypeOptions", {})["format"] = "email"
        if prop.get("logicalType") not in ("integer", "string") or (fact is not None and fact.free_text):
            prop.pop("unique", None)  # distinct by chance in one extract, not a promise (amounts, times, text)
        if personal_column or (fact is not None and fact.free_text and personal) or is_protected(prop):
            _protect(prop, regimes)
        elif protected_classification(classification):
            _protect(prop, regimes, classification)
        else:
            prop["classification"] = classification
        result.append(prop)
    key = next((p for p in result if p.get("required") and p.get("unique") and not is_protected(p)), None)
    if key is not None:
        key.update(primaryKey=True, primaryKeyPosition=1)
    return result


@dataclass(frozen=True)
class Sampled:
    """The template's share of an extract: classified properties and a synthetic CSV sample."""

    properties: list[dict[str, Any]]
    csv: str

    def properties_yaml(self, indent: int) -> str:
        """The properties as a YAML list, indented to sit under ``properties:`` in the contract."""
        text = yaml.safe_dump(self.properties, sort_keys=False, allow_unicode=True, width=2**16)
        return "\n".join(" " * indent + line for line in text.splitlines())

    @property
    def primary_key(self) -> str | None:
        return next((str(p["name"]) for p in self.properties if p.get("primaryKey")), None)

    @property
    def event_time(self) -> str | None:
        """The first timestamp column: the one the contract's latency SLA is measured on."""
        return next((str(p["name"]) for p in self.properties if p.get("logicalType") == "timestamp"), None)

    def reference_profile(self, dataset: str, sample_path: str, placeholder: str = "") -> str:
        """The drift reference profile of the synthetic sample, as ``prodready drift profile`` writes it.

        Profiled with these properties as its contract, so protected columns hold no raw
        value and keys are not scored; ``sample_path`` is the source it names, and the
        date of generation its time of creation, so every generator writes the same file.
        ``placeholder`` (the template's note that this is not a profile of the real data,
        which MON003 reads) follows the time of creation when given.
        """
        contract = {"schema": [{"name": dataset, "properties": self.properties}]}
        with tempfile.TemporaryDirectory(prefix="prodready-sample-") as directory:
            csv_path, contract_path = Path(directory) / "sample.csv", Path(directory) / "contract.odcs.yaml"
            csv_path.write_text(self.csv, encoding="utf-8")
            contract_path.write_text(yaml.safe_dump(contract), encoding="utf-8")
            reference = drift_profile(str(csv_path), contract=contract_path)
        reference.update(source=sample_path, created=f"{date.today().isoformat()}T00:00:00+00:00")
        if placeholder:
            keys = list(reference)
            at = keys.index("created") + 1
            reference = {**{k: reference[k] for k in keys[:at]}, "placeholder": placeholder, **reference}
        return profile_text(reference)


def from_extract(
    source: str, table: str | None, dataset: str, *, classification: str, personal: bool, regimes: str
) -> Sampled:
    """Infer the properties of ``source`` (a file, URL, or PostgreSQL URL with ``table``) and make a sample."""
    contract = infer(source, dataset, table)
    properties = contract["schema"][0]["properties"]
    texts = [str(p["name"]) for p in properties if p.get("logicalType") == "string"]
    facts = _text_facts(source, table, texts)
    final = classified(properties, facts, classification, personal, regimes)
    return Sampled(final, sample_csv(final, redacted(source)))
