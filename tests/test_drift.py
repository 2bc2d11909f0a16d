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
    assert status["i"] == status["b"] == status["c"] == "ok"
    columns = {c.column: c for c in report.columns}
    assert columns["d"].unseen_categories == 1
    assert columns["e"].null_rate_reference == 0 and columns["e"].null_rate_current == pytest.approx(0.25)
    assert report.share_drifted == pytest.approx(0.5) and report.dataset_drift and report.alert
    assert not check(reference, str(windows["nulls"]), thresholds=Thresholds(dataset_share=0.6)).dataset_drift


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
        html.count("<svg") == 6
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
    "columns": {
        "amount": {"kind": "numeric", "edges": [1.0, 2.0], "shares": [0.2, 0.3, 0.5], "null_rate": 0.0},
        "channel": {"kind": "categorical", "categories": ["web"], "shares": [0.9, 0.1], "null_rate": 0.05},
    }
}


def _with(column: str, **changes) -> dict:
    data = json.loads(json.dumps(VALID))
    data["columns"][column].update(changes)
    return data


@pytest.mark.parametrize(
    ("profile_data", "message"),
    [
        ([], "the profile is list, not a JSON object"),
        ({"columns": {}}, "the profile has no columns"),
        (_with("amount", kind="text"), "columns.\"amount\".kind is 'text', not one of numeric, categorical"),
        (_with("amount", edges=[2.0, 1.0]), 'columns."amount".edges is not in ascending order'),
        (_with("amount", edges=[1.0, float("nan")]), 'columns."amount".edges[1] is nan, not a finite number'),
        (_with("amount", edges=["1) OR (1=1"]), "edges[0] is '1) OR (1=1', not a number"),
        (_with("amount", shares=[0.5, 0.5]), "has 2 values; it needs one per bucket, 3"),
        (_with("amount", shares=[0.2, 1.5, 0.5]), "shares[1] is 1.5, not a number from 0 to 1"),
        (_with("amount", null_rate=True), "null_rate is True, not a number"),
        (_with("channel", categories=[1]), 'columns."channel".categories is not a list of at most 1000 strings'),
        ({"columns": {"x": {"kind": "numeric"}}}, 'columns."x".shares is missing'),
    ],
)
def test_a_profile_is_validated_before_scoring(profile_data, message, tmp_path):
    with pytest.raises(InputError) as raised:
        validate_profile(profile_data, "p.json")
    assert str(raised.value).startswith("p.json: ") and message in str(raised.value), str(raised.value)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(profile_data), encoding="utf-8")
    with pytest.raises(InputError, match="Fix: write the profile with `prodready drift profile`"):
        read_profile(path)


def test_a_profile_that_json_cannot_hold_is_an_input_error(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"columns": ' + "9" * 5000 + "}", encoding="utf-8")
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
