"""Drift: PSI and Jensen-Shannon against hand-computed values, shifted windows, SQL pushdown."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import psycopg
import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from prodready.cli import main
from prodready.drift.profile import profile, read_profile, validate_profile
from prodready.drift.report import to_html, to_markdown, to_prometheus, to_table
from prodready.drift.score import ColumnDrift, DriftReport, check, js_distance, psi
from prodready.drift.thresholds import Thresholds
from prodready.errors import InputError
from prodready.io.yamlio import load_yaml


def test_psi_by_hand():
    expected, actual = [0.5, 0.5], [0.25, 0.75]
    by_hand = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.75 - 0.5) * math.log(0.75 / 0.5)
    assert psi(expected, actual) == pytest.approx(by_hand) == pytest.approx(0.27465307)
    assert psi([0.1] * 10, [0.1] * 10) == 0


def test_js_distance_by_hand():
    assert js_distance([1.0, 0.0], [0.0, 1.0]) == pytest.approx(1.0)
    assert js_distance([0.5, 0.5], [0.5, 0.5]) == 0
    # KL(p||m) = .5 log2(.5/.7) + .5 log2(.5/.3) = 0.12577; KL(q||m) = .9 log2(.9/.7) + .1 log2(.1/.3) = 0.16781;
    # JSD = (0.12577 + 0.16781) / 2 = 0.14679; distance = sqrt(0.14679) = 0.3831.
    p, q = [0.5, 0.5], [0.9, 0.1]
    m = [0.7, 0.3]
    divergence = 0.5 * sum(a * math.log2(a / b) for a, b in zip(p, m, strict=True)) + 0.5 * sum(
        a * math.log2(a / b) for a, b in zip(q, m, strict=True)
    )
    assert js_distance(p, q) == pytest.approx(math.sqrt(divergence)) == pytest.approx(0.3831, abs=1e-4)


@pytest.fixture(scope="module")
def windows(tmp_path_factory) -> dict[str, Path]:
    """A reference and current windows with three known shifted columns out of six."""
    folder = tmp_path_factory.mktemp("windows")
    connection = duckdb.connect()
    connection.execute("SELECT setseed(0.42)")
    base = "SELECT i, (i * 7919 % 1000) / 10.0 AS a, (i * 104729 % 1000) / 10.0 AS b, (i % 50) AS c, ['x','y','z'][1 + i % 3] AS d, ['p','q'][1 + i % 2] AS e FROM range(20000) t(i)"
    shifted = "SELECT i, (i * 7919 % 1000) / 10.0 + 40 AS a, (i * 104729 % 1000) / 10.0 AS b, (i % 50) AS c, ['x','x','w'][1 + i % 3] AS d, ['p','q'][1 + i % 2] AS e FROM range(20000) t(i)"
    paths = {}
    for name, query in (("reference", base), ("same", base), ("shifted", shifted)):
        paths[name] = folder / f"{name}.parquet"
        connection.execute(f"COPY ({query}) TO '{paths[name]}' (FORMAT parquet)")
    # the third shifted column: nulls appear in e
    paths["nulls"] = folder / "nulls.parquet"
    connection.execute(
        f"COPY (SELECT i, a, b, c, d, CASE WHEN i % 4 = 0 THEN NULL ELSE e END AS e FROM ({shifted})) TO '{paths['nulls']}' (FORMAT parquet)"
    )
    return paths


def test_identical_windows_do_not_drift(windows):
    reference = profile(str(windows["reference"]))
    report = check(reference, str(windows["same"]))
    assert all(c.score == pytest.approx(0, abs=1e-12) and c.status == "ok" for c in report.columns)
    assert not report.alert and not report.dataset_drift


def test_shifted_columns_are_flagged_and_others_are_not(windows):
    reference = profile(str(windows["reference"]))
    assert reference["columns"]["a"]["kind"] == "numeric" and len(reference["columns"]["a"]["edges"]) == 9
    assert reference["columns"]["d"]["categories"] == ["x", "y", "z"]
    report = check(reference, str(windows["nulls"]))
    status = {c.column: c.status for c in report.columns}
    # a moves by 40, d swaps categories, e loses a quarter of its values to nulls (all of them "p").
    assert status["a"] == "alert" and status["d"] == "alert" and status["e"] == "alert"
    assert status["b"] == status["c"] == "ok"
    # i, distinct in every row, is an identifier: listed as excluded, not scored.
    assert "i" not in status and reference["excluded"]["i"].startswith("identifier (100% of its 20000 values")
    assert report.excluded == reference["excluded"]
    columns = {c.column: c for c in report.columns}
    assert columns["d"].unseen_categories == 1
    assert columns["e"].null_rate_reference == 0 and columns["e"].null_rate_current == pytest.approx(0.25)
    assert report.share_drifted == pytest.approx(0.6) and report.dataset_drift and report.alert
    assert not check(reference, str(windows["nulls"]), thresholds=Thresholds(dataset_share=0.7)).dataset_drift


def test_per_column_overrides(windows):
    reference = profile(str(windows["reference"]))
    thresholds = Thresholds(columns={"a": {"ignore": True}, "d": {"js_distance_alert": 0.9}})
    status = {c.column: c.status for c in check(reference, str(windows["shifted"]), thresholds=thresholds).columns}
    assert status["a"] == "ignored" and status["d"] == "ok"


def test_postgres_pushdown_agrees_with_duckdb(windows, postgres, monkeypatch):
    monkeypatch.setenv("PGUSER", str(postgres["user"]))
    rows = duckdb.connect().execute(f"SELECT * FROM read_parquet('{windows['shifted']}')").fetchall()
    with psycopg.connect(
        host=postgres["host"], port=postgres["port"], user=postgres["user"], dbname="postgres", autocommit=True
    ) as pg:
        pg.execute("DROP TABLE IF EXISTS public.current_window")
        pg.execute(
            "CREATE TABLE public.current_window (i BIGINT, a DOUBLE PRECISION, b DOUBLE PRECISION, c BIGINT, d TEXT, e TEXT)"
        )
        with pg.cursor() as cursor:
            cursor.executemany("INSERT INTO public.current_window VALUES (%s, %s, %s, %s, %s, %s)", rows)
    reference = profile(str(windows["reference"]))
    url = f"postgresql://{postgres['user']}@{postgres['host']}:{postgres['port']}/postgres"
    on_postgres = check(reference, url, table="current_window")
    on_duckdb = check(reference, str(windows["shifted"]))
    assert [(c.column, c.status, round(c.score, 9)) for c in on_postgres.columns] == [
        (c.column, c.status, round(c.score, 9)) for c in on_duckdb.columns
    ]
    pg_profile = profile(url, table="current_window")
    assert pg_profile["columns"]["d"]["categories"] == ["x", "w"]


def test_prometheus_exposition_parses(windows):
    report = check(profile(str(windows["reference"])), str(windows["shifted"]))
    families = {f.name: f for f in text_string_to_metric_families(to_prometheus(report))}
    scores = {s.labels["column"]: s.value for s in families["prodready_drift_score"].samples}
    assert scores["a"] > 0.25 and families["prodready_dataset_drift"].samples[0].value in (0, 1)
    html = to_html(report)
    assert (
        html.count("<svg") == 5
        and "<script" not in html
        and "http" not in html.replace("http://www.w3.org/2000/svg", "")
    )


def test_cli(windows, tmp_path):
    profile_file = tmp_path / "profile.json"
    assert (
        CliRunner().invoke(main, ["drift", "profile", str(windows["reference"]), "-o", str(profile_file)]).exit_code
        == 0
    )
    data = json.loads(profile_file.read_text())
    assert {"version", "prodready", "source", "rows", "created", "columns"} <= set(data)
    same = CliRunner().invoke(main, ["drift", "check", "--profile", str(profile_file), str(windows["same"])])
    assert same.exit_code == 0, same.output
    shifted = CliRunner().invoke(
        main,
        [
            "drift",
            "check",
            "--profile",
            str(profile_file),
            str(windows["shifted"]),
            "--format",
            "json",
            "--output",
            f"prometheus={tmp_path / 'drift.prom'}",
        ],
    )
    assert shifted.exit_code == 1 and json.loads(shifted.output)["alert"] is True
    assert (tmp_path / "drift.prom").read_text().startswith("# HELP")
    (tmp_path / "bad.json").write_text("{not json")
    bad = CliRunner().invoke(main, ["drift", "check", "--profile", str(tmp_path / "bad.json"), str(windows["same"])])
    assert bad.exit_code == 2 and "not JSON" in bad.output
    missing = CliRunner().invoke(
        main, ["drift", "profile", str(tmp_path / "none.parquet"), "-o", str(tmp_path / "p.json")]
    )
    assert missing.exit_code == 2 and not (tmp_path / "p.json").exists()


def test_monitoring_lint(rendered, tmp_path):
    project = rendered[("support-assistant", "cookiecutter")].destination
    assert CliRunner().invoke(main, ["monitoring", "lint", str(project)]).exit_code == 0
    bad = tmp_path / "monitoring.yaml"
    bad.write_text(
        (project / "monitoring" / "monitoring.yaml").read_text().replace("psi_alert: 0.25", "psi_alert: 0.05")
    )
    result = CliRunner().invoke(main, ["monitoring", "lint", str(bad)])
    assert (
        result.exit_code == 1
        and "psi_warn must be below drift.psi_alert" in result.output
        and f"{bad}:" in result.output
    )


# -- what a profile and the thresholds must be before any query is built ----------------------

VALID = {
    "version": 2,
    "columns": {
        "amount": {"kind": "numeric", "edges": [1.0, 2.0], "shares": [0.2, 0.3, 0.5], "null_rate": 0.0},
        "channel": {"kind": "categorical", "categories": ["web"], "shares": [0.9, 0.1], "tail": [], "null_rate": 0.05},
    },
}


def _with(column: str, **changes) -> dict:
    data = json.loads(json.dumps(VALID))
    data["columns"][column].update(changes)
    return data


@pytest.mark.parametrize(
    ("profile_data", "message"),
    [
        ([], "the profile is list, not a JSON object"),
        ({"version": 2, "columns": {}}, "the profile has no columns"),
        ({"columns": {}}, "the profile's version is None, not 2"),
        (_with("amount", kind="text"), "columns.\"amount\".kind is 'text', not one of numeric, categorical"),
        (_with("amount", edges=[2.0, 1.0]), 'columns."amount".edges is not in ascending order'),
        (_with("amount", edges=[1.0, float("nan")]), 'columns."amount".edges[1] is nan, not a finite number'),
        (_with("amount", edges=["1) OR (1=1"]), "edges[0] is '1) OR (1=1', not a number"),
        (_with("amount", shares=[0.5, 0.5]), "has 2 values; it needs one per bucket, 3"),
        (_with("amount", shares=[0.2, 1.5, 0.5]), "shares[1] is 1.5, not a number from 0 to 1"),
        (_with("amount", null_rate=True), "null_rate is True, not a number"),
        (_with("channel", categories=[1]), 'columns."channel".categories is not a list of at most 1000 strings'),
        ({"version": 2, "columns": {"x": {"kind": "numeric"}}}, 'columns."x".shares is missing'),
        (_with("channel", tail=["'); DROP TABLE t; --"]), 'tail[0] is "\'); DROP TABLE t; --", not 16 hex digits'),
        (_with("channel", tail="x"), "tail is not null or a list of at most 1000 hashes"),
        (_with("channel", kind="hashed"), 'columns."channel".length_edges is missing'),
        (_with("channel", kind="calendar"), "has 2 values; it needs one per bucket, 31"),
    ],
)
def test_a_profile_is_validated_before_scoring(profile_data, message, tmp_path):
    with pytest.raises(InputError) as raised:
        validate_profile(profile_data, "p.json")
    assert str(raised.value).startswith("p.json: ") and message in str(raised.value), str(raised.value)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile_data), encoding="utf-8")
    with pytest.raises(InputError, match=r"Fix: write (the profile|it again) with `prodready drift profile"):
        read_profile(path)


def test_a_profile_that_json_cannot_hold_is_an_input_error(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"version": 2, "columns": ' + "9" * 5000 + "}", encoding="utf-8")
    with pytest.raises(InputError, match="not a profile"):
        read_profile(path)
    path.write_text("[" * 100_000, encoding="utf-8")
    with pytest.raises(InputError):
        read_profile(path)
    assert validate_profile(VALID) is VALID["columns"]


def _document(text: str, tmp_path: Path):
    path = tmp_path / "monitoring.yaml"
    path.write_text(text, encoding="utf-8")
    return load_yaml(path)


@pytest.mark.parametrize(
    ("drift", "message", "line"),
    [
        ("  psi_alert: abc", "drift.psi_alert is 'abc' (str), not a number", 3),
        ("  psi_alert: [0.2]", "drift.psi_alert is [0.2] (list), not a number", 3),
        ("  psi_alert: .nan", "drift.psi_alert is nan, not a finite number", 3),
        ("  dataset_drift_share: 1.5", "drift.dataset_drift_share is 1.5; it must be at most 1", 3),
        ("  psi_warn: 0", "drift.psi_warn is 0; it must be greater than 0", 3),
        ("  psi_warn: " + "9" * 400, "drift.psi_warn is too large a number", 3),
        ("  columns: {a: {ignore: 1}}", "drift.columns.a.ignore is 1, not true or false", 3),
        ("  columns: {a: {psi: 1}}", "drift.columns.a.psi is not a threshold (psi_warn, psi_alert", 3),
    ],
)
def test_thresholds_are_validated_with_their_line(drift, message, line, tmp_path):
    with pytest.raises(InputError) as raised:
        Thresholds.read(_document(f"schema_version: 1\ndrift:\n{drift}\n", tmp_path))
    assert f"monitoring.yaml:{line}: {message}" in str(raised.value), str(raised.value)


def test_thresholds_are_read_with_their_defaults(tmp_path):
    assert Thresholds.read(_document("schema_version: 1\n", tmp_path)) == Thresholds()
    read = Thresholds.read(_document("drift: {psi_alert: 0.3, columns: {a: {ignore: true}}}\n", tmp_path))
    assert read.psi_alert == 0.3 and read.psi_warn == 0.1 and read.for_column("a")[3] is True
    with pytest.raises(InputError, match="the monitoring config is list, not a mapping"):
        Thresholds.read(_document("- 1\n", tmp_path))


def test_reports_strip_control_characters_and_escape_markup():
    column = ColumnDrift("a\x1b[2J<b>x</b>", "categorical", "js_distance", 0.5, "alert", 0, 0, 0, [1.0], [1.0], ["<i>"])
    report = DriftReport(1, [column], True, 1.0, Thresholds())
    table, markdown, html = to_table(report), to_markdown(report), to_html(report)
    assert "\x1b" not in table + markdown + html and "a[2J<b>x</b>" in table
    assert "\\<b>" in markdown and "<b>" not in html and "&lt;i&gt;" in html


# -- drift that is safe and quiet: protected values, identifiers, timestamps, the tail ------------

TICKETS = """
SELECT i AS ticket_id,
       TIMESTAMP '2026-01-05 08:00:00' + INTERVAL (i % 70) DAY + INTERVAL (i % 9) HOUR + INTERVAL (i % 53) MINUTE AS opened_at,
       ['web', 'email', 'phone', 'chat'][1 + i % 4] AS channel,
       'customer' || (i % 60) || '@example.org' AS email,
       'please look at ticket number ' || (i * 7919 % 100003) || ' about my ' || ['invoice', 'login', 'upload'][1 + i % 3] AS request_text,
       ['tier-gold', 'tier-silver', 'tier-bronze'][1 + i % 3] AS segment,
       (i * 7919 % 1000) / 10.0 AS amount
FROM range(3000) t(i)
"""
CONTRACT = """apiVersion: v3.1.0
kind: DataContract
id: tickets
version: 1.0.0
status: active
schema:
  - name: tickets
    properties:
      - {name: ticket_id, logicalType: integer, primaryKey: true}
      - {name: opened_at, logicalType: timestamp}
      - {name: channel, logicalType: string}
      - {name: email, logicalType: string, tags: [personal-data]}
      - {name: request_text, logicalType: string}
      - {name: segment, logicalType: string, classification: restricted}
      - {name: amount, logicalType: number}
"""


def _copy(connection, query: str, path: Path) -> Path:
    connection.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet)")
    return path


@pytest.fixture(scope="module")
def tickets(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tickets")
    connection = duckdb.connect()
    paths = {"reference": _copy(connection, TICKETS, folder / "reference.parquet")}
    # the same rows, a month later, with new ids
    moved = f"SELECT * REPLACE (ticket_id + 1000000 AS ticket_id, opened_at + INTERVAL 1 MONTH AS opened_at) FROM ({TICKETS})"
    paths["next_month"] = _copy(connection, moved, folder / "next_month.parquet")
    weeks = f"SELECT * REPLACE (opened_at + INTERVAL 28 DAY AS opened_at) FROM ({TICKETS})"
    paths["four_weeks"] = _copy(connection, weeks, folder / "four_weeks.parquet")
    night = f"SELECT * REPLACE (opened_at + INTERVAL 9 HOUR AS opened_at) FROM ({TICKETS})"
    paths["nine_hours"] = _copy(connection, night, folder / "nine_hours.parquet")
    longer = f"SELECT * REPLACE (request_text || repeat(' and more', 20) AS request_text) FROM ({TICKETS})"
    paths["longer"] = _copy(connection, longer, folder / "longer.parquet")
    paths["contract"] = folder / "tickets.odcs.yaml"
    paths["contract"].write_text(CONTRACT, encoding="utf-8")
    return paths


def _values(path: Path, name: str) -> set[str]:
    rows = duckdb.connect().execute(f"SELECT DISTINCT CAST(\"{name}\" AS TEXT) FROM read_parquet('{path}')").fetchall()
    return {str(value) for (value,) in rows if value is not None}


@pytest.mark.parametrize("with_contract", [True, False])
def test_a_profile_of_protected_columns_holds_no_raw_value(tickets, tmp_path, with_contract):
    arguments = ["drift", "profile", str(tickets["reference"]), "-o", str(tmp_path / "p.json")]
    if with_contract:
        arguments += ["--contract", str(tickets["contract"])]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    written = (tmp_path / "p.json").read_text(encoding="utf-8")
    columns = json.loads(written)["columns"]
    # e-mails (repeated, so not an identifier) and free text are protected with or without a contract
    protected = ["email", "request_text", *(["segment"] if with_contract else [])]
    for name in protected:
        assert columns[name]["kind"] == "hashed" and len(columns[name]["shares"]) == 16, columns[name]
        values = _values(tickets["reference"], name)
        assert len(values) >= 3 and not [v for v in values if v in written], name
        # nor any part of a value longer than a number
        assert not [v for v in values if any(part in written for part in v.split() if len(part) > 6)], name
    if with_contract:
        assert (
            columns["email"]["protected"] == columns["segment"]["protected"] == "the contract's classification or tags"
        )
    else:  # a restricted column only a contract can name
        assert columns["segment"]["categories"] == ["tier-bronze", "tier-gold", "tier-silver"]
    assert check(json.loads(written), str(tickets["reference"])).alert is False
    # longer texts move the length buckets: the protected column alerts on them, still without values
    longer = {c.column: c for c in check(json.loads(written), str(tickets["longer"])).columns}
    assert longer["request_text"].metric == "length_psi" and longer["request_text"].status == "alert"
    assert longer["email"].status == "ok"


@pytest.mark.parametrize("with_contract", [True, False])
def test_new_ids_and_dates_a_month_later_do_not_alert(tickets, with_contract):
    contract = tickets["contract"] if with_contract else None
    reference = profile(str(tickets["reference"]), contract=contract)
    assert set(reference["excluded"]) == {"ticket_id", "opened_at"}
    if with_contract:
        assert reference["excluded"] == {
            "ticket_id": "identifier (the contract's primaryKey)",
            "opened_at": "timestamp (the contract's logicalType timestamp; "
            "--timestamps calendar profiles its weekdays and hours)",
        }
    report = check(reference, str(tickets["next_month"]))
    assert not report.alert and {c.status for c in report.columns} == {"ok"}, to_table(report)
    assert "ticket_id: not scored, identifier" in to_table(report)


def test_timestamps_as_calendar_features(tickets, tmp_path):
    reference = profile(str(tickets["reference"]), timestamps="calendar")
    spec = reference["columns"]["opened_at"]
    assert spec["kind"] == "calendar" and len(spec["shares"]) == 31 and sum(spec["shares"]) == pytest.approx(1)
    assert "ticket_id" in reference["excluded"] and "opened_at" not in reference["excluded"]
    same_weekdays = {c.column: c for c in check(reference, str(tickets["four_weeks"])).columns}
    assert same_weekdays["opened_at"].score == pytest.approx(0, abs=1e-12)
    shifted = {c.column: c for c in check(reference, str(tickets["nine_hours"])).columns}
    assert shifted["opened_at"].status == "alert" and shifted["opened_at"].labels[7] == "00h"
    cli = CliRunner().invoke(
        main,
        [
            "drift",
            "check",
            "--reference",
            str(tickets["reference"]),
            "--timestamps",
            "calendar",
            str(tickets["nine_hours"]),
        ],
    )
    assert cli.exit_code == 1 and "opened_at     calendar" in cli.output


def test_a_value_of_the_reference_tail_is_not_unseen(tmp_path, monkeypatch):
    connection = duckdb.connect()
    # 12 categories: v0..v9 in the top ten, v10 and v11 in the tail
    reference = _copy(connection, "SELECT 'v' || (i % 12) AS v FROM range(1200) t(i)", tmp_path / "r.parquet")
    current = _copy(
        connection,
        "SELECT CASE WHEN i % 12 = 0 THEN 'v11' WHEN i % 12 = 1 THEN 'new' ELSE 'v' || (i % 12) END AS v FROM range(1200) t(i)",
        tmp_path / "c.parquet",
    )
    spec = profile(str(reference))["columns"]["v"]
    assert len(spec["categories"]) == 10 and len(spec["tail"]) == 2
    assert not any(value in json.dumps(spec["tail"]) for value in ("v10", "v11"))
    (drift,) = check(profile(str(reference)), str(current)).columns
    assert drift.unseen_categories == 1  # "new"; v11 was in the reference's tail
    # a tail too long to list: unseen values are not counted rather than miscounted
    monkeypatch.setattr("prodready.drift.profile.MAX_TAIL", 1)
    untold = profile(str(reference))
    assert untold["columns"]["v"]["tail"] is None
    assert check(untold, str(current)).columns[0].unseen_categories == 0


def test_an_older_profile_fails_with_one_line_naming_the_fix(windows, tmp_path):
    old = profile(str(windows["reference"]))
    old["version"] = 1
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    result = CliRunner().invoke(main, ["drift", "check", "--profile", str(path), str(windows["same"])])
    assert result.exit_code == 2
    assert "the profile is version 1, written by an older prodready" in result.output
    assert "Fix: write it again with `prodready drift profile SOURCE -o PROFILE.json" in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
