"""Every command that reads YAML, fed arbitrary documents: an exit code, never a traceback.

Hypothesis writes YAML-ish documents (nested mappings and lists of scalars: huge
integers, NaN and infinities, dates and timestamps, text with control characters and
terminal escapes, paths that climb out, deep nesting), either from scratch or as one
value of a valid file replaced, and each command runs in-process through click's
``CliRunner``: it must end with exit 0, 1 or 2, and nothing but ``SystemExit`` may escape.

The audit runs on a minimal POC written once from inline files (``tests/audit/poc.py``),
one of its files replaced per example; nothing is rendered, except by the few
``prodready new`` examples whose answers all name questions.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import math
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prodready.cli import main
from prodready.core.escape import toml_str

from .audit.helpers import write
from .audit.poc import FILES, TICKETS_CSV
from .helpers import ROOT, example

FUZZ = settings(
    max_examples=80,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

# -- documents --------------------------------------------------------------------------------

#: Text that means something to a shell, a terminal, a path, a template or a parser.
HOSTILE_TEXT = [
    "../outside/secret.txt",
    "/etc/passwd",
    "governance/../../x",
    "ext::sh -c touch% pwned",
    "\x1b[2J\x1b]0;title\x07",
    "\x9b31m",
    "<script>alert(1)</script>",
    "\u202egnp.exe",
    "${{ secrets.TOKEN }}",
    "{{ 7 * 7 }}",
    "1e30",
    "-1e30",
    "1e-300",
    "NaN",
    "Production",
    "poc",
    "2026-02-30",
    "a\x00b",
    "",
    " ",
    "x" * 3000,
]
HUGE_INTEGERS = [10**12 + 1, 10**26, -(10**26), 2**63, 10**300, 10**4000]
SPECIAL_FLOATS = [math.nan, math.inf, -math.inf, 1e308, 1e-308, -0.0, 1.0e26]


def _text() -> st.SearchStrategy[str]:
    characters = st.characters(codec="utf-8", exclude_categories=("Cs",))
    controls = st.sampled_from(["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\ufeff"])
    fragments = st.one_of(st.text(characters, max_size=12), controls, st.sampled_from(HOSTILE_TEXT))
    return st.lists(fragments, max_size=4).map("".join)


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from(HUGE_INTEGERS),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(SPECIAL_FLOATS),
        st.dates(min_value=date(1, 1, 1)),
        st.datetimes(timezones=st.none() | st.just(UTC)),
        _text(),
    )


KEYS = st.one_of(_text(), st.integers(-5, 5), st.booleans(), st.none(), st.dates())


def _values() -> st.SearchStrategy[Any]:
    return st.recursive(
        _scalars(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
        max_leaves=20,
    )


@st.composite
def _deep(draw: st.DrawFn) -> Any:
    """A value nested past the YAML loader's depth limit, or just under it."""
    value = draw(_scalars())
    for _ in range(draw(st.sampled_from([10, 63, 70, 200]))):
        value = [value] if draw(st.booleans()) else {"k": value}
    return value


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*prefix, index))


@st.composite
def _mutated(draw: st.DrawFn, base: Any) -> Any:
    """``base`` with one to three values replaced (or removed): deep in an otherwise valid file."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        paths = [path for path in _paths(data) if path]
        if not paths:
            return draw(_values())
        path = draw(st.sampled_from(paths))
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        if isinstance(parent, dict) and draw(st.booleans()) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(st.one_of(_values(), _deep()))
    return data


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=80)


def documents(base: Any = None) -> st.SearchStrategy[str | bytes]:
    """YAML text: from scratch, or a valid ``base`` document mutated, or not YAML at all."""
    structured = [_values(), _deep()] + ([_mutated(base)] * 3 if base is not None else [])
    raw = st.one_of(
        st.text(max_size=200),
        st.binary(max_size=64),
        st.just("a: &a [*a]\n"),
        st.just("x: &a [1, 2]\ny: [*a, *a, *a]\n" * 3),
        st.just("- " * 200 + "1\n"),
        st.just("key: [unclosed\n"),
        st.just("\tkey: value\n"),
        st.just("a: 2026-02-30\n"),
        st.just("a: !!python/object/apply:os.system ['echo pwned']\n"),
    )
    return st.one_of(st.one_of(*structured).map(_dump), raw)


# -- the runner -------------------------------------------------------------------------------


def invoke(args: list[str]) -> Result:
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{result.output[-2000:]}"
    )
    assert result.exit_code in (0, 1, 2), result.output[-2000:]
    assert "Traceback" not in result.output
    return result


def put(path: Path, content: str | bytes) -> None:
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")


def _load(name: str) -> Any:
    return yaml.safe_load(FILES[name])


# -- a repository written once ------------------------------------------------------------------


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal POC; each example replaces one file and restores it."""
    return write(tmp_path_factory.mktemp("fuzz") / "poc", dict(FILES))


@pytest.fixture
def replaced(repo: Path) -> Iterator[Callable[[str, str | bytes], Path]]:
    """``replaced(name, content)``: write one file of the repository; every file is restored afterwards."""
    touched: set[str] = set()

    def replace(name: str, content: str | bytes) -> Path:
        touched.add(name)
        path = repo / name
        path.unlink(missing_ok=True)
        put(path, content)
        return path

    yield replace
    for name in touched:
        (repo / name).write_text(FILES[name], encoding="utf-8")


# -- contracts --------------------------------------------------------------------------------

CONTRACT = "contracts/tickets.odcs.yaml"


@FUZZ
@given(document=documents(_load(CONTRACT)))
def test_contracts_lint(document, replaced):
    invoke(["contracts", "lint", str(replaced(CONTRACT, document))])


def _answers_file(tmp_path: Path, **changes: str) -> str:
    put(tmp_path / "answers.yaml", _dump({**EXAMPLE, **changes}))
    return str(tmp_path / "answers.yaml")


@pytest.mark.parametrize(
    "command",
    [
        ["contracts", "lint", CONTRACT, "0: 1\n"],
        ["contracts", "lint", CONTRACT, "x: 2026-01-01\n"],
        ["contracts", "check", CONTRACT, "x: !!binary aGk=\n"],
        ["new", "--answers", "ai_system_type", "nonsense"],
    ],
    ids=["int-key", "date", "binary", "choice"],
)
def test_what_the_fuzz_found_first(command, replaced, tmp_path):
    """YAML values JSON has not, and an answer outside its choices: tracebacks once, errors now."""
    if command[0] == "new":
        args = ["new", "--answers", _answers_file(tmp_path, **{command[2]: command[3]}), "-o", str(tmp_path / "out")]
    else:
        args = [*command[:2], str(replaced(command[2], command[3]))]
    assert invoke(args).exit_code in (1, 2)


@settings(FUZZ, max_examples=60)
@given(document=documents(_load(CONTRACT)))
def test_contracts_check_on_a_small_csv(document, replaced):
    invoke(["contracts", "check", str(replaced(CONTRACT, document))])  # the sample: tests/data/tickets.csv


# -- cost -------------------------------------------------------------------------------------

COST = "cost/cost_model.yaml"


@FUZZ
@given(document=documents(_load(COST)))
def test_cost(document, replaced):
    model = replaced(COST, document)
    for output_format in ("table", "json"):
        invoke(["cost", str(model), "--format", output_format])


NUMBERS = st.one_of(
    st.sampled_from(HUGE_INTEGERS + SPECIAL_FLOATS),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False).map(float),
)


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


#: Where each figure of the cost model is (the paths of its numbers).
FIGURES = [path for path in _paths(_load(COST)) if isinstance(_get(_load(COST), path), int | float)]


@settings(FUZZ, max_examples=100)
@given(figures=st.lists(st.tuples(st.sampled_from(FIGURES), NUMBERS), min_size=1, max_size=6))
def test_cost_figures_of_any_size(figures, replaced):
    """Every figure within bounds projects; none, however large or small, raises a decimal error."""
    data = _load(COST)
    for path, number in figures:
        _get(data, path[:-1])[path[-1]] = number
    model = replaced(COST, _dump(data))
    invoke(["cost", str(model), "--format", "json"])


# -- the audit ----------------------------------------------------------------------------------

AUDITED = ["ownership.yaml", "governance/checklist.yaml", "monitoring/monitoring.yaml", COST]


@pytest.mark.parametrize("name", AUDITED)
@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_audit(name, data, replaced, repo):
    replaced(name, data.draw(documents(_load(name)), label=name))
    for output_format in ("text", "json", "markdown", "sarif"):
        invoke(["audit", str(repo), "--format", output_format, "--template-version", "0.1.0", "--today", "2026-06-01"])


def toml_value(value: Any, depth: int = 0) -> str:
    """A value in TOML syntax (TOML has no null: None becomes an empty inline table)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 2**63 else toml_str(str(value))
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, str):
        return toml_str(value)
    if isinstance(value, list) and depth < 20:
        return "[" + ", ".join(toml_value(item, depth + 1) for item in value) + "]"
    if isinstance(value, dict) and depth < 20:
        pairs = (f"{toml_str(str(key))} = {toml_value(item, depth + 1)}" for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    return "{}"


TOML_SCALARS = st.one_of(
    _scalars(),
    st.times(),
    st.sampled_from(["poc", "pilot", "production", "Production", " poc", "POC"]),
)


@st.composite
def pyprojects(draw: st.DrawFn) -> str | bytes:
    """pyproject.toml: [tool.prodready] with a fuzzed stage, project name and waivers, or not TOML at all."""
    settings_ = {
        "stage": draw(TOML_SCALARS | _values()),
        "project_name": draw(_text()),
        "waivers": draw(
            st.dictionaries(
                st.sampled_from(["OWN007", "GOV005", "COS003", "MON003"]) | _text(),
                st.fixed_dictionaries({"reason": _text() | _scalars(), "expires": TOML_SCALARS | _values()})
                | _values(),
                max_size=3,
            )
        ),
    }
    kept = {key: value for key, value in settings_.items() if draw(st.booleans())}
    body = "[tool.prodready]\n" + "".join(f"{key} = {toml_value(value)}\n" for key, value in kept.items())
    return draw(st.one_of(st.just(body), st.just(body) | st.text(max_size=100) | st.binary(max_size=32)))


@settings(FUZZ, max_examples=100)
@given(pyproject=pyprojects())
def test_audit_pyproject(pyproject, replaced, repo):
    replaced("pyproject.toml", pyproject)
    result = invoke(["audit", str(repo), "--template-version", "0.1.0", "--today", "2026-06-01"])
    if result.exit_code == 0:  # a pass is only ever at a stage the repository really declares
        assert ": level poc; meets the required stage poc" in result.output


# -- monitoring and drift -----------------------------------------------------------------------

MONITORING = "monitoring/monitoring.yaml"


@FUZZ
@given(document=documents(_load(MONITORING)))
def test_monitoring_lint(document, replaced, repo):
    replaced(MONITORING, document)
    invoke(["monitoring", "lint", str(repo / MONITORING)])
    invoke(["monitoring", "lint", str(repo)])


PROFILE = {
    "version": 1,
    "columns": {
        "channel": {"kind": "categorical", "categories": ["web", "email"], "shares": [0.6, 0.4, 0.0], "null_rate": 0.0},
        "ticket_id": {"kind": "numeric", "edges": [1.5, 2.5], "shares": [0.3, 0.3, 0.4], "null_rate": 0.0},
    },
}


@pytest.fixture(scope="module")
def window(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("drift")
    (folder / "data.csv").write_text(TICKETS_CSV, encoding="utf-8")
    (folder / "profile.json").write_text(json.dumps(PROFILE), encoding="utf-8")
    return folder


@FUZZ
@given(document=documents({"drift": _load(MONITORING)["drift"] | {"columns": {"channel": {"psi_warn": 0.2}}}}))
def test_drift_check_with_thresholds(document, window):
    put(window / "monitoring.yaml", document)
    invoke(
        [
            "drift",
            "check",
            str(window / "data.csv"),
            "--profile",
            str(window / "profile.json"),
            "--monitoring",
            str(window / "monitoring.yaml"),
        ]
    )


def _json(data: Any) -> str:
    """JSON of YAML-ish data: keys as text, dates as text, NaN and infinities as JSON's readers accept them."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(key): plain(item) for key, item in value.items()}
        if isinstance(value, list):
            return [plain(item) for item in value]
        return value

    return json.dumps(plain(data), default=str)


@settings(FUZZ, max_examples=60)
@given(
    profile=st.one_of(_mutated(PROFILE).map(_json), _values().map(_json), st.text(max_size=100)),
    output_format=st.sampled_from(["table", "markdown", "html", "prometheus"]),
)
def test_drift_check_with_any_profile(profile, output_format, window):
    (window / "any-profile.json").write_text(profile, encoding="utf-8", errors="surrogatepass")
    profile_file = str(window / "any-profile.json")
    invoke(["drift", "check", str(window / "data.csv"), "--profile", profile_file, "--format", output_format])


# -- prodready new ------------------------------------------------------------------------------

QUESTIONS = sorted(json.loads((ROOT / "cookiecutter.json").read_text(encoding="utf-8")))
EXAMPLE = example("docs-assistant")


@FUZZ
@given(document=documents())
def test_new_answers(document, tmp_path_factory):
    """Any answers file: the ones naming a question that does not exist stop before the generator runs."""
    folder = tmp_path_factory.mktemp("new")
    put(folder / "answers.yaml", document)
    try:
        data = yaml.safe_load(document)
    except (yaml.YAMLError, ValueError):
        data = None
    if isinstance(data, dict) and set(map(str, data)) <= set(QUESTIONS):
        return  # would render: test_new_answers_that_reach_the_generator samples those
    invoke(["new", "--answers", str(folder / "answers.yaml"), "-o", str(folder / "out")])
    shutil.rmtree(folder)


@settings(FUZZ, max_examples=6)
@given(key=st.sampled_from(sorted(EXAMPLE)), value=_scalars() | st.sampled_from(HOSTILE_TEXT))
def test_new_answers_that_reach_the_generator(key, value, tmp_path_factory):
    """One answer of a valid file replaced: the generator's hook refuses (1) or renders (0), never a traceback."""
    folder = tmp_path_factory.mktemp("new")
    put(folder / "answers.yaml", _dump({**EXAMPLE, key: value}))
    result = invoke(["new", "--answers", str(folder / "answers.yaml"), "-o", str(folder / "out")])
    if result.exit_code != 0:
        out = folder / "out"
        assert not out.exists() or not any(out.iterdir()), "a refused generation left files"
    shutil.rmtree(folder)


def _hook() -> Any:
    """hooks/prodready_jinja.py, loaded by path as the cookiecutter hook loads it."""
    spec = importlib.util.spec_from_file_location("_prodready_jinja_fuzz", ROOT / "hooks" / "prodready_jinja.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: The money answers: what the hook projects costs from.
MONEY = ["poc_budget", "production_budget_year1", "poc_monthly_requests", "production_monthly_requests"]
NUMBER_TEXT = st.one_of(
    NUMBERS.map(str),
    st.sampled_from(["1e30", "1e12", "1e-9", "1e-10", "1E+999999", "0", "-0", "1" + "0" * 60, "9" * 199, ".5", "5."]),
)


@settings(FUZZ, max_examples=300)
@given(
    answers=st.dictionaries(
        st.sampled_from(sorted(EXAMPLE)),
        _text() | st.sampled_from(HOSTILE_TEXT) | NUMBER_TEXT,
        max_size=3,
    ),
    money=st.dictionaries(st.sampled_from(MONEY), NUMBER_TEXT, max_size=4),
)
def test_the_generation_hook_refuses_or_accepts(answers, money):
    """The check both generators run: a refusal or a warning, never an exception (decimal ones included)."""
    check_answers = _hook().check_answers
    complete = {
        **EXAMPLE,
        "project_slug": "handbook-assistant",
        "package_name": "handbook_assistant",
        "decision_date": (date.today() + timedelta(days=30)).isoformat(),
    }
    refusal, warning = check_answers({**complete, **answers, **money})
    assert refusal is None or refusal.startswith("prodready refused")
    assert warning is None or (refusal is None and warning.startswith("prodready warning"))
