"""The bad-input matrix (issue 9): every public estimator, ``ie.evaluate``, the
readers and the CLI fed each kind of bad data.

Each case has one documented behaviour (see ``docs/bad_data.md``): a specific
:class:`~impacteval.errors.ImpactEvalError` subclass whose message names the
column or value, or a result with a warning and the rows/units left out counted
in ``diagnostics["dropped"]``. After every case the caller's DataFrame must
equal its copy taken before the call.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import make_panel

import impacteval as ie
from impacteval import errors as E

# ----------------------------------------------------------------------------- fixtures
BASE = make_panel(n_t=8, n_c=10, seed=3)  # ids u000-u007 participants "p", u008-u017 "c"
BASE["x3"] = 2 * BASE["x1"] + 1  # exactly collinear with x1
POST_ROW = int(BASE.index[(BASE.period == 2) & (BASE.grp == "p")][0])
PANEL = dict(outcome="y", unit="id", group="grp", treated="p", period="period")
N_BOOT = 199

CALLS = {
    "follow_up": lambda d, **k: ie.follow_up(d, **{**PANEL, "post": 2, **k}),
    "benchmark": lambda d, **k: ie.benchmark(d, **{**PANEL, "post": 2, "reference": 10.0, **k}),
    "before_after": lambda d, **k: ie.before_after(d, **{**PANEL, "pre": 1, "post": 2, **k}),
    "difference": lambda d, **k: ie.difference(d, **{**PANEL, "post": 2, **k}),
    "adjusted": lambda d, **k: ie.difference(d, **{**PANEL, "post": 2, "covariates": ["x1"], **k}),
    "did": lambda d, **k: ie.did(d, **{**PANEL, "pre": [0, 1], "post": [2, 3], **k}),
    "did_2x2": lambda d, **k: ie.did(d, **{**PANEL, "pre": 1, "post": 2, **k}),
    "match": lambda d, **k: ie.match(d, **{**PANEL, "pre": [0, 1], "post": 2,
                                          "covariates": ["x1"], **k}),
    "evaluate": lambda d, **k: ie.evaluate(d, **{**PANEL, "pre": [0, 1], "post": [2, 3],
                                                "covariates": ["x1"], "n_boot": N_BOOT, "ci": "analytic",
                                                **k}),
}
ALL = tuple(CALLS)
DESCRIPTIVE = ("follow_up", "benchmark", "before_after")  # the group only selects participants
COMPARE = ("difference", "adjusted", "did", "did_2x2", "match", "evaluate")
WITH_COVS = ("adjusted", "match", "evaluate")
WITH_PRE = ("before_after", "did", "did_2x2", "match", "evaluate")


def _est(res):
    """The Estimate of a result (an Evaluation's chosen estimate)."""
    return res.estimate if isinstance(res, ie.Evaluation) else res


def _value(res) -> float:
    return float(_est(res).estimate)


def _level(res) -> float:
    """The estimate, or for a benchmark the participants' mean (the reference is fixed)."""
    e = _est(res)
    return float(e.diagnostics.get("participant_mean", e.estimate))


def _dropped(res) -> dict:
    return dict(_est(res).diagnostics.get("dropped", {}))


# ------------------------------------------------------------------------------ the cases
def _set(col, row, value):
    def f(d):
        d = d.copy()
        if value is np.inf and not pd.api.types.is_float_dtype(d[col]):
            d[col] = d[col].astype(float) if d[col].dtype != object else d[col]
        d.loc[row, col] = value
        return d
    return f


def _numeric_ids(d):
    d = d.copy()
    d["id"] = d["id"].str[1:].astype(float)
    return d


def _drop_unit_period(unit, period):
    return lambda d: d.drop(index=d[(d.id == unit) & (d.period == period)].index)


# Each case: make(df) -> df, extra keyword arguments, and the expected behaviour per call:
#   ("raise", ErrorClass, regex the message must match)
#   ("warn", WarningClass, regex of the warning, key that must be counted in diagnostics["dropped"])
#   ("ok", check(result, base_result) or None)
CASES: dict[str, dict] = {}


def case(name, make=lambda d: d, kw=None, expect=None, only=ALL):
    CASES[name] = dict(make=make, kw=kw or {}, expect=expect, only=only)


case("missing column", kw={"outcome": "welfare"},
     expect=("raise", E.MissingColumnError, r"outcome column 'welfare' is not in the data"))
case("text outcome (decimal commas)",
     make=lambda d: d.assign(y=d.y.map(lambda v: f"{v:.2f}".replace(".", ","))),
     expect=("raise", E.ColumnTypeError, r"outcome column 'y' must be numeric.*decimal comma"))
case("dates as strings in the outcome",
     make=lambda d: d.assign(y=[f"2021-01-{1 + i % 28:02d}" for i in range(len(d))]),
     expect=("raise", E.ColumnTypeError, r"outcome column 'y' must be numeric.*'2021-01-01'"))
case("dates in the outcome",
     make=lambda d: d.assign(y=pd.Timestamp("2021-01-01") + pd.to_timedelta(np.arange(len(d)), "D")),
     expect=("raise", E.ColumnTypeError, r"outcome column 'y' holds dates"))
case("dates as strings in the period (pre/post given as text)",
     make=lambda d: d.assign(period=d.period.map(lambda t: f"2021-0{t + 1}-01")),
     kw={"pre": "2021-02-01", "post": "2021-03-01"},
     expect=("ok", lambda r, b: math.isfinite(_value(r))), only=WITH_PRE)
case("datetime period, pre/post given as text",
     make=lambda d: d.assign(period=pd.to_datetime(d.period.map(lambda t: f"2021-0{t + 1}-01"))),
     kw={"pre": "2021-02-01", "post": "2021-03-01"},
     expect=("ok", lambda r, b: math.isfinite(_value(r))), only=("before_after", "did_2x2"))
case("NaN in the outcome", make=_set("y", POST_ROW, np.nan),
     expect=("warn", E.DroppedRowsWarning, r"1 of \d+ rows left out: 1 with missing outcome",
             "missing outcome"))
case("inf in the outcome", make=_set("y", POST_ROW, np.inf),
     expect=("raise", E.DataError, r"outcome column 'y' has 1 infinite value"))
case("NaN in a covariate", make=_set("x1", POST_ROW, np.nan),
     expect=("warn", E.DroppedRowsWarning, r"1 with missing covariate x1", "missing covariate x1"),
     only=("adjusted", "match"))
# evaluate reads a baseline covariate from each unit's first non-missing value: nothing lost
case("NaN in a covariate, later row", make=_set("x1", POST_ROW, np.nan),
     expect=("ok", lambda r, b: np.isclose(_value(r), _value(b), rtol=1e-12, atol=0)),
     only=("evaluate",))
case("inf in a covariate", make=_set("x1", POST_ROW, -np.inf),
     expect=("raise", E.DataError, r"covariate column 'x1' has 1 infinite value"), only=WITH_COVS)
case("NaN in the group", make=_set("grp", POST_ROW, None),
     expect=("raise", E.DataError, r"group column 'grp' has 1 missing value"))
case("inf in the group (numeric labels)",
     make=lambda d: _set("grp", POST_ROW, np.inf)(d.assign(grp=(d.grp == "p").astype(float))),
     kw={"treated": 1},
     expect=("raise", E.DataError, r"group column 'grp' has 1 infinite value"))
case("NaN in the unit", make=_set("id", POST_ROW, None),
     expect=("raise", E.DataError, r"unit column 'id' has 1 missing value"))
case("inf in the unit (numeric ids)",
     make=lambda d: _set("id", POST_ROW, np.inf)(_numeric_ids(d)),
     expect=("raise", E.DataError, r"unit column 'id' has 1 infinite value"))
case("NaN in the period", make=_set("period", POST_ROW, np.nan),
     expect=("raise", E.DataError, r"period column 'period' has 1 missing value"))
case("inf in the period", make=_set("period", POST_ROW, np.inf),
     expect=("raise", E.DataError, r"period column 'period' has 1 infinite value"))
case("unknown treated label", kw={"treated": "deltagare"},
     expect=("raise", E.LabelError, r"treated='deltagare' does not occur in column 'grp'.*'c', 'p'"))
case("unknown control label", kw={"control": "väntelista"},
     expect=("raise", E.LabelError, r"control='väntelista' does not occur in column 'grp'"),
     only=COMPARE)
case("unknown pre/post period", kw={"post": 9},
     expect=("raise", E.LabelError, r"post=9 does not occur in column 'period'.*0, 1, 2, 3"))
case("empty DataFrame", make=lambda d: d.iloc[:0],
     expect=("raise", E.DataError, r"the data have no rows"))
case("comparison group with 0 units", make=lambda d: d[d.grp == "p"],
     expect=("raise", E.InsufficientDataError,
             r"group column 'grp' has only the treated value 'p'; there is no comparison group"),
     only=tuple(c for c in COMPARE if c != "evaluate"))
case("comparison group with 0 units (the ladder falls back)", make=lambda d: d[d.grp == "p"],
     expect=("warn", E.ImpactEvalWarning, r"holds only participants: there is no comparison group",
             None), only=("evaluate",))
case("participants only (descriptive designs)", make=lambda d: d[d.grp == "p"],
     expect=("ok", lambda r, b: np.isclose(_value(r), _value(b), rtol=1e-12, atol=0)),
     only=DESCRIPTIVE)
case("comparison group with 1 unit", make=lambda d: d[(d.grp == "p") | (d.id == "u010")],
     expect=("raise", E.InsufficientDataError, r"group column 'grp': 'c' has 1 unit\(s\)"),
     only=COMPARE)
case("comparison group with 2 units",
     make=lambda d: d[(d.grp == "p") | d.id.isin(["u010", "u013"])],
     expect=("ok", lambda r, b: math.isfinite(_value(r)) and _est(r).n_control in (0, 2)))
case("treated group with 1 unit", make=lambda d: d[(d.grp == "c") | (d.id == "u001")],
     expect=("raise", E.InsufficientDataError,
             r"'p' has 1 unit\(s\) with data|1 participant|one participant"),
     only=("benchmark", "before_after", "difference", "adjusted", "match", "evaluate"))
# one treated unit: DiD with placebo-in-space inference (the ladder also tries synthetic control)
case("treated group with 1 unit (placebo inference)",
     make=lambda d: d[(d.grp == "c") | (d.id == "u001")],
     expect=("ok", lambda r, b: _est(r).n_treated == 1
             and "placebo" in _est(r).inference["method"]),
     only=("did", "did_2x2"))
case("all units treated", make=lambda d: d.assign(grp="p"),
     expect=("raise", E.InsufficientDataError, r"only the treated value 'p'"),
     only=tuple(c for c in COMPARE if c != "evaluate"))
case("all units treated (the ladder falls back)", make=lambda d: d.assign(grp="p"),
     expect=("warn", E.ImpactEvalWarning, r"holds only participants", None), only=("evaluate",))
case("constant outcome", make=lambda d: d.assign(y=5.0),
     expect=("raise", E.InsufficientDataError, r"constant|the same|'y\[0\]', 'y\[1\]'\] are constant"),
     only=("benchmark", "before_after", "difference", "adjusted", "did", "did_2x2"))
case("constant outcome (follow-up: level without interval)", make=lambda d: d.assign(y=5.0),
     expect=("warn", E.AssumptionWarning, r"every participant has the same 'y' \(5\)", None),
     only=("follow_up",))
case("constant outcome (ladder)", make=lambda d: d.assign(y=5.0),
     expect=("ok", lambda r, b: r.design == "follow_up"), only=("evaluate",))
case("constant covariate", make=lambda d: d.assign(x1=1.0),
     expect=("warn", E.AssumptionWarning, r"covariate\(s\) 'x1' have one value only", None),
     only=("adjusted",))
case("constant covariate (matching)", make=lambda d: d.assign(x1=1.0),
     expect=("raise", E.DataError, r"\['x1'\] are constant"), only=("match",))
case("perfectly collinear covariates", kw={"covariates": ["x1", "x3"]},
     expect=("raise", E.DataError, r"collinear.*'x1', 'x3'|'x1', 'x3'.*collinear"),
     only=("adjusted", "match"))
case("perfectly collinear covariates (ladder)", kw={"covariates": ["x1", "x3"]},
     expect=("ok", lambda r, b: r.design not in ("adjusted_comparison", "matched", "matched_did")),
     only=("evaluate",))
case("duplicated unit-period rows",
     make=lambda d: pd.concat([d, d.loc[[POST_ROW]]], ignore_index=True),
     expect=("raise", E.DuplicateRowsError, r"2 rows share the same id and period.*'u000'"))
case("unit with a period missing (unbalanced panel)",
     make=_drop_unit_period("u001", 2),
     expect=("warn", E.DroppedRowsWarning, r"1 unit|1 units without a post-period value",
             r"units without a (row in the periods analysed|post-period value)"),
     only=("follow_up", "benchmark", "before_after", "difference", "adjusted", "did_2x2"))
case("unbalanced panel (two-way FE keeps the unit)", make=_drop_unit_period("u001", 2),
     expect=("ok", lambda r, b: r.diagnostics["units_with_missing_periods"] == 1),
     only=("did",))
case("pre == post", kw={"pre": 2, "post": 2},
     expect=("raise", E.ArgumentError, r"period value\(s\) 2 are given both as pre and as post"),
     only=WITH_PRE)
case("covariates with no overlap at all",
     make=lambda d: d.assign(x1=np.where(d.grp == "p", d.x1 + 100, d.x1)),
     expect=("warn", E.AssumptionWarning, r"no overlap: .*share no values of 'x1'", None),
     only=("adjusted",))
case("covariates with no overlap (matching)",
     make=lambda d: d.assign(x1=np.where(d.grp == "p", d.x1 + 100, d.x1)),
     expect=("warn", E.AssumptionWarning, r"after matching \|SMD\| of 'x1' is \d+", None),
     only=("match",))
case("covariates with no overlap (ladder)",
     make=lambda d: d.assign(x1=np.where(d.grp == "p", d.x1 + 100, d.x1)),
     expect=("ok", lambda r, b: r.design not in ("adjusted_comparison", "matched", "matched_did")),
     only=("evaluate",))
case("negative weights", make=lambda d: d.assign(w=np.where(d.id == "u003", -1.0, 1.0)),
     kw={"weights": "w"},
     expect=("raise", E.DataError, r"weights column 'w' has 4 negative value"),
     only=("difference", "adjusted"))
case("all weights zero", make=lambda d: d.assign(w=0.0), kw={"weights": "w"},
     expect=("raise", E.DataError, r"weights column 'w' has no positive value"),
     only=("difference", "adjusted"))
case("10^12-sized values", make=lambda d: d.assign(y=d.y * 1e12),
     expect=("ok", lambda r, b: np.isclose(_level(r), 1e12 * _level(b), rtol=1e-9, atol=0)))
case("unicode labels and column names (å/ä/ö)",
     make=lambda d: d.assign(grp=d.grp.map({"p": "deltagare_åäö", "c": "jämförelse"}))
     .rename(columns={"y": "försörjningsstöd_kr", "id": "person_åäö"}),
     kw={"outcome": "försörjningsstöd_kr", "unit": "person_åäö", "treated": "deltagare_åäö"},
     expect=("ok", lambda r, b: np.isclose(_value(r), _value(b), rtol=1e-12, atol=0)))
case("duplicated column names", make=lambda d: d.rename(columns={"x2": "y"}),
     expect=("raise", E.DataError, r"outcome column 'y' occurs 2 times"))
case("a list where one column is expected", kw={"outcome": ["y"]},
     expect=("raise", E.ArgumentError, r"outcome=\['y'\] must be one column name"),
     only=tuple(c for c in ALL if c != "evaluate"))
case("numbers stored as text in a covariate",
     make=lambda d: d.assign(x1=d.x1.map(lambda v: f"{v:.3f}".replace(".", ","))),
     expect=("raise", E.ColumnTypeError, r"covariate column 'x1' holds numbers stored as text"),
     only=WITH_COVS)
case("index levels named like columns (set_index(drop=False))",
     make=lambda d: d.set_index(["id", "period"], drop=False),
     expect=("ok", lambda r, b: np.isclose(_value(r), _value(b), rtol=1e-12, atol=0)),
     only=tuple(c for c in ALL if c != "evaluate"))
case("a unit in two groups", make=_set("grp", int(BASE.index[(BASE.id == "u000")
                                                             & (BASE.period == 0)][0]), "c"),
     expect=("raise", E.DataError, r"1 unit\(s\) in column 'id' appear in more than one group"))

MATRIX = [(c, f) for c, spec in CASES.items() for f in spec["only"]]


@pytest.fixture(scope="module")
def base_results():
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for f in ALL:
            out[f] = CALLS[f](BASE.copy(), seed=1) if f != "evaluate" else CALLS[f](BASE.copy())
    return out


@pytest.mark.parametrize(("case_name", "call"), MATRIX, ids=[f"{c}|{f}" for c, f in MATRIX])
def test_bad_input_matrix(case_name, call, base_results):
    spec = CASES[case_name]
    df = spec["make"](BASE.copy())
    copy = df.copy(deep=True)
    kw = dict(spec["kw"])
    if call != "evaluate":
        kw.setdefault("seed", 1)
    kind = spec["expect"][0]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if kind == "raise":
            _, cls, pattern = spec["expect"]
            with pytest.raises(cls) as info:
                CALLS[call](df, **kw)
            assert re.search(pattern, str(info.value)), str(info.value)
        else:
            res = CALLS[call](df, **kw)
            if kind == "warn":
                _, wcls, pattern, key = spec["expect"]
                msgs = [str(w.message) for w in caught if issubclass(w.category, wcls)]
                assert any(re.search(pattern, m) for m in msgs), msgs
                if key is not None and call != "evaluate":
                    dropped = _dropped(res)
                    assert any(re.fullmatch(key, k) and v >= 1 for k, v in dropped.items()), dropped
                if call != "evaluate":
                    # the warning is also kept with the result
                    assert any(re.search(pattern, n) for n in _est(res).notes), _est(res).notes
            else:
                check = spec["expect"][1]
                assert check is None or check(res, base_results[call])
    # never a bare numpy/pandas warning leaking out either
    leaked = [str(w.message) for w in caught if w.category is RuntimeWarning]
    assert not leaked, leaked
    # the caller's DataFrame is never modified
    assert df.equals(copy)
    assert list(df.columns) == list(copy.columns) and df.index.equals(copy.index)


def test_matrix_covers_every_documented_row():
    """docs/bad_data.md lists exactly the cases of this matrix."""
    from pathlib import Path

    doc = (Path(__file__).parents[1] / "docs" / "bad_data.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([^|]+?) \|", doc, flags=re.M)
    documented = {r.strip() for r in rows} - {"bad input", "---"}
    assert documented == set(CASES) | set(READER_CASES) | set(POWER_CASES) | set(CLI_CASES)


def test_dropped_rows_are_counted_not_silent():
    d = BASE.copy()
    d.loc[d.index[(d.period == 2) & d.id.isin(["u001", "u009"])], "y"] = np.nan
    with pytest.warns(E.DroppedRowsWarning, match="2 of 72 rows left out: 2 with missing outcome"):
        r = ie.difference(d, **PANEL, post=2)
    assert r.diagnostics["dropped"] == {"missing outcome": 2}
    assert (r.n_treated, r.n_control) == (7, 9)


def test_non_dataframe_input():
    with pytest.raises(E.ArgumentError, match="must be a pandas DataFrame, got ndarray"):
        ie.difference(BASE.to_numpy(), outcome="y", group="grp")


# ---------------------------------------------------------------------------- readers
def _write(tmp_path, name, content: bytes):
    p = tmp_path / name
    p.write_bytes(content)
    return p


READER_CASES = {
    "file does not exist": (None, E.DataError, r"does not exist"),
    "a folder instead of a file": ("<dir>", E.DataError, r"is a folder"),
    "empty file": (b"", E.DataError, r"is empty"),
    "only blank lines": (b"\n\n  \n", E.DataError, r"is empty"),
    "header only": (b"id;grupp;utfall\n", E.DataError, r"has no data rows"),
    "binary file with a .csv name": (b"\x00\x01\x02PK\x03\x04" * 50, E.DataError, r"not a text"),
    "garbage with an .xlsx name": (b"not really excel", E.DataError, r"cannot read"),
    "garbage with a .parquet name": (b"not really parquet", E.DataError, r"cannot read"),
    "unbalanced quotes": (b'id,y\n1,"3\n2,4\n', E.DataError, r"cannot read"),
}


@pytest.mark.parametrize("name", list(READER_CASES))
def test_reader_bad_files(tmp_path, name):
    content, cls, pattern = READER_CASES[name]
    suffix = ".xlsx" if "xlsx" in name else ".parquet" if "parquet" in name else ".csv"
    if content is None:
        path = tmp_path / "saknas.csv"
    elif content == "<dir>":
        path = tmp_path / "mapp.csv"
        path.mkdir()
    else:
        path = _write(tmp_path, "data" + suffix, content)
    with pytest.raises(cls, match=pattern):
        ie.read_table(path)


def test_reader_swedish_excel_latin1(tmp_path):
    text = "id;grupp;utfall\n1;deltagare;1 234,5\n2;jämförelse;2,25\n"
    p = _write(tmp_path, "latin.csv", text.replace("1 234,5", "1234,5").encode("latin-1"))
    # Latin-1 and Windows-1252 agree on å, ä, ö: the file is read as Windows-1252
    with pytest.warns(ie.io.EncodingWarning, match="Windows-1252"):
        df = ie.read_table(p)
    assert df["grupp"].tolist() == ["deltagare", "jämförelse"]
    np.testing.assert_allclose(df["utfall"].to_numpy(float), [1234.5, 2.25], rtol=0, atol=0)


def test_reader_utf8_bom(tmp_path):
    p = _write(tmp_path, "bom.csv", "\ufeffid,y\n1,2.5\n2,3.5\n".encode())
    df = ie.read_table(p)
    assert list(df.columns) == ["id", "y"]


# ---------------------------------------------------------------------------- power()
POWER_CASES = {
    "power: fewer than 2 units": (dict(n_treated=1, n_control=30), r"at least 2 units"),
    "power: r2 outside [0, 1)": (dict(n_treated=30, n_control=30, r2=1.0), r"r2 must be"),
    "power: alpha outside (0, 1)": (dict(n_treated=30, n_control=30, alpha=5), r"alpha must be"),
    "power: base rate outside (0, 1)": (dict(n_treated=30, n_control=30, base_rate=1.2),
                                        r"base_rate must be"),
    "power: unknown design": (dict(n_treated=30, n_control=30, design="rct"),
                              r"design='rct' is not a design"),
}


@pytest.mark.parametrize("name", list(POWER_CASES))
def test_power_bad_arguments(name):
    kw, pattern = POWER_CASES[name]
    with pytest.raises(E.ArgumentError, match=pattern):
        ie.power(**kw)


# -------------------------------------------------------------------------------- CLI
CLI_ARGS = ["--outcome", "y", "--unit", "id", "--group", "grp", "--treated", "p",
            "--period", "period", "--pre", "0,1", "--post", "2,3", "--seed", "1"]

CLI_CASES = {
    "CLI: data file does not exist": (None, [], r"does not exist"),
    "CLI: missing column": ("ok", ["--outcome", "welfare"], r"'welfare'"),
    "CLI: text outcome": ("text", [], r"outcome column 'y'"),
    "CLI: unknown treated label": ("ok", ["--treated", "deltagare"], r"'deltagare'"),
    "CLI: empty file": ("empty", [], r"is empty"),
    "CLI: duplicated unit-period rows": ("dup", [], r"share the same id and period"),
}


def _cli_file(tmp_path, kind):
    p = tmp_path / "data.csv"
    if kind is None:
        return tmp_path / "saknas.csv"
    d = BASE.drop(columns=["x3"])
    if kind == "text":
        d = d.assign(y=d.y.map(lambda v: f"{v:.2f}".replace(".", ",")))
        d.to_csv(p, sep=",", index=False)
        return p
    if kind == "empty":
        p.write_bytes(b"")
        return p
    if kind == "dup":
        d = pd.concat([d, d.iloc[[POST_ROW]]])
    d.to_csv(p, sep=";", decimal=",", index=False)
    return p


@pytest.mark.parametrize("name", list(CLI_CASES))
def test_cli_bad_input_exit_2(tmp_path, capsys, name):
    from impacteval.cli import main

    kind, extra, pattern = CLI_CASES[name]
    path = _cli_file(tmp_path, kind)
    args = list(CLI_ARGS)
    for i in range(0, len(extra), 2):
        j = args.index(extra[i])
        args[j + 1] = extra[i + 1]
    code = main(["evaluate", str(path), *args])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    assert re.search(r"impacteval: error: .*" + pattern, err, flags=re.S), err


def test_cli_good_file_exit_0(tmp_path, capsys):
    from impacteval.cli import main

    path = _cli_file(tmp_path, "ok")
    code = main(["evaluate", str(path), *CLI_ARGS, "--json", "-"])
    out = capsys.readouterr().out
    assert code == 0
    assert '"design"' in out
