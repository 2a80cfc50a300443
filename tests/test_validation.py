"""The validation layer: clear errors naming the column, and the caller's data untouched."""

import numpy as np
import pytest
from conftest import make_panel

import impacteval as ie
from impacteval import errors as E

CALLS = {
    "did": lambda df, **kw: ie.did(df, **{**dict(outcome="y", unit="id", group="grp",
                                                  treated="p", period="period", pre=1, post=2), **kw}),
    "difference": lambda df, **kw: ie.difference(df, **{**dict(outcome="y", group="grp",
                                                                treated="p", unit="id",
                                                                period="period", post=2), **kw}),
    "before_after": lambda df, **kw: ie.before_after(df, **{**dict(outcome="y", unit="id",
                                                                    period="period", pre=1, post=2,
                                                                    group="grp", treated="p"), **kw}),
    "follow_up": lambda df, **kw: ie.follow_up(df, **{**dict(outcome="y", group="grp",
                                                              treated="p", unit="id",
                                                              period="period", post=2), **kw}),
    "benchmark": lambda df, **kw: ie.benchmark(df, **{**dict(outcome="y", group="grp",
                                                              treated="p", unit="id",
                                                              period="period", post=2,
                                                              reference=10.0), **kw}),
}


@pytest.fixture
def df():
    return make_panel(n_t=6, n_c=7, seed=1)


@pytest.mark.parametrize("name", list(CALLS))
def test_missing_column_named(df, name):
    copy = df.copy()
    with pytest.raises(E.MissingColumnError, match="'yy'"):
        CALLS[name](df, outcome="yy")
    assert df.equals(copy)


@pytest.mark.parametrize("name", list(CALLS))
def test_unknown_treated_label_named(df, name):
    copy = df.copy()
    with pytest.raises(E.LabelError, match="'grp'"):
        CALLS[name](df, treated="nobody")
    assert df.equals(copy)


@pytest.mark.parametrize("name", list(CALLS))
def test_text_outcome_named(df, name):
    bad = df.copy()
    bad["y"] = bad["y"].map(lambda v: f"{v:.2f}".replace(".", ","))
    copy = bad.copy()
    with pytest.raises(E.ColumnTypeError, match="'y'.*decimal comma"):
        CALLS[name](bad)
    assert bad.equals(copy)


@pytest.mark.parametrize("name", ["did", "difference"])
def test_group_with_single_unit_named(df, name):
    one = df[(df.grp == "p") | (df.id == df[df.grp == "c"].id.iloc[0])]
    copy = one.copy()
    with pytest.raises(E.InsufficientDataError, match="'grp'"):
        CALLS[name](one)
    assert one.equals(copy)


def test_errors_are_value_errors():
    assert issubclass(E.ImpactEvalError, ValueError)
    for cls in (E.MissingColumnError, E.LabelError, E.ColumnTypeError, E.DuplicateRowsError,
                E.InsufficientDataError, E.ArgumentError, E.MethodError):
        assert issubclass(cls, E.ImpactEvalError)


def test_duplicated_unit_period_rows(df):
    import pandas as pd

    dup = pd.concat([df, df[df.period == 1].iloc[[0]]])
    with pytest.raises(E.DuplicateRowsError, match="id and period"):
        CALLS["did"](dup)


def test_missing_outcome_rows_are_counted_not_silent(df):
    d = df.copy()
    d.loc[d[d.period == 2].index[:3], "y"] = np.nan
    copy = d.copy()
    with pytest.warns(E.DroppedRowsWarning, match="3 of"):
        r = CALLS["difference"](d)
    assert r.diagnostics["dropped"]["missing outcome"] == 3
    assert d.equals(copy)


def test_missing_group_value_is_an_error(df):
    d = df.copy()
    d["grp"] = d["grp"].astype(object)
    d.loc[d.index[0], "grp"] = None
    with pytest.raises(E.DataError, match="group column 'grp' has 1 missing"):
        CALLS["did"](d)


def test_pre_equals_post(df):
    with pytest.raises(E.ArgumentError, match="both as pre and as post"):
        CALLS["did"](df, pre=2, post=2)


def test_unknown_period_value(df):
    with pytest.raises(E.LabelError, match="'period'"):
        CALLS["did"](df, post=99)


def test_constant_outcome(df):
    d = df.copy()
    d["y"] = 5.0
    with pytest.raises(E.InsufficientDataError, match="constant"):
        CALLS["difference"](d)


def test_invalid_ci_and_conf_level(df):
    with pytest.raises(E.ArgumentError, match="ci='nope'"):
        CALLS["did"](df, ci="nope")
    with pytest.raises(E.ArgumentError, match="conf_level"):
        CALLS["did"](df, conf_level=95)


def test_permutation_for_benchmark_is_refused(df):
    with pytest.raises(E.MethodError, match="permutation"):
        CALLS["benchmark"](df, ci="permutation")


def test_unit_in_two_groups(df):
    d = df.copy()
    i = d[d.period == 1].index[0]
    d.loc[i, "grp"] = "c" if d.loc[i, "grp"] == "p" else "p"
    with pytest.raises(E.DataError, match="more than one group"):
        CALLS["did"](d)


def test_labels_given_as_text_are_matched(df):
    d = df.copy()
    d["grp"] = (d.grp == "p").astype(int)
    r = ie.did(d, outcome="y", unit="id", group="grp", treated="1", period="period",
               pre="1", post="2")
    assert r.n_treated == 6
