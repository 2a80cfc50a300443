"""Each step of :func:`impacteval.roles.prepare`, tested on its own.

``prepare`` runs these steps in order; the end-to-end behaviour is covered by
``test_validation.py`` and ``test_bad_input.py``. Here each step gets the inputs that
reach it and must either return exactly what the next step needs or raise the
impacteval error that names the column.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impacteval import errors
from impacteval import roles as R


@pytest.fixture
def panel():
    return pd.DataFrame({
        "id": [1, 1, 2, 2, 3, 3, 4, 4],
        "t": [0, 1] * 4,
        "y": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
        "g": ["p", "p", "p", "p", "c", "c", "w", "w"],
        "x": [1, 1, 2, 2, 3, 3, 4, 4],
    })


def _roles(**kw):
    base = dict(outcome="y", unit=None, group=None, period=None, cluster=None, weights=None)
    base.update(kw)
    return base


def test_step_arguments():
    with pytest.raises(errors.ArgumentError, match="DataFrame"):
        R._check_arguments([1, 2], _roles(), "unknown", ())
    with pytest.raises(errors.ArgumentError, match="assignment='coin'"):
        R._check_arguments(pd.DataFrame(), _roles(), "coin", ())
    with pytest.raises(errors.ArgumentError, match="one column name"):
        R._check_arguments(pd.DataFrame(), _roles(unit=["a", "b"]), "unknown", ())
    with pytest.raises(errors.ArgumentError, match="needs the role period"):
        R._check_arguments(pd.DataFrame(), _roles(), "unknown", ("period",))
    with pytest.raises(errors.ArgumentError, match="outcome=... .* is required"):
        R._check_arguments(pd.DataFrame(), _roles(outcome=None), "unknown", ())
    assert R._check_arguments(pd.DataFrame(), _roles(), "randomized", ()) is None


def test_step_columns(panel):
    covs, named = R._resolve_columns(panel, _roles(unit="id", group="g"), ["x"])
    assert covs == ["x"]
    assert named == {"outcome": "y", "unit": "id", "group": "g", "covariate x": "x"}
    with pytest.raises(errors.MissingColumnError, match="Did you mean 'y'"):
        R._resolve_columns(panel, _roles(outcome="Y"), None)
    with pytest.raises(errors.ArgumentError, match="both as outcome and as covariate"):
        R._resolve_columns(panel, _roles(), ["y"])
    with pytest.raises(errors.ArgumentError, match="more than once"):
        R._resolve_columns(panel, _roles(), ["x", "x"])
    with pytest.raises(errors.DataError, match="no rows"):
        R._resolve_columns(panel.iloc[:0], _roles(), None)
    twice = pd.concat([panel[["y"]], panel[["y"]]], axis=1)
    with pytest.raises(errors.DataError, match="occurs 2 times"):
        R._resolve_columns(twice, _roles(), None)


def test_step_key_columns(panel):
    bad = panel.astype({"t": float})
    bad.loc[3, "t"] = np.nan
    with pytest.raises(errors.DataError, match="period column 't' has 1 missing"):
        R._check_key_columns(bad, _roles(period="t"))
    bad.loc[3, "t"] = np.inf
    with pytest.raises(errors.DataError, match="1 infinite"):
        R._check_key_columns(bad, _roles(period="t"))
    assert R._check_key_columns(panel, _roles(unit="id", period="t", group="g")) is None


def test_step_numeric_roles(panel):
    d = panel.assign(y=[1, 2, 3, 4, 5, 6, 7, 8], w=[True] * 8)
    R._numeric_roles(d, "y", "w")
    assert d["y"].dtype == float and d["w"].dtype == float
    with pytest.raises(errors.ColumnTypeError, match="outcome column 'y' .* decimal commas"):
        R._numeric_roles(panel.assign(y=["1,5"] * 8), "y", None)
    with pytest.raises(errors.DataError, match="weights column 'w' has 1 negative"):
        R._numeric_roles(panel.assign(w=[-1.0] + [1.0] * 7), "y", "w")
    with pytest.raises(errors.DataError, match="no positive value"):
        R._numeric_roles(panel.assign(w=0.0), "y", "w")


def test_step_groups(panel):
    d, lab, controls, mode = R._resolve_groups(panel.copy(), "g", "p", None, True)
    assert (lab, controls, mode) == ("p", ("c", "w"), "pooled")
    assert d[R.TREATED_COL].tolist() == [1, 1, 1, 1, 0, 0, 0, 0]
    d, lab, controls, mode = R._resolve_groups(panel.copy(), "g", "p", ["c", "w"], True)
    assert mode == "each" and list(d[R.ARM_COL].unique()) == ["treated", "c", "w"]
    d, _, controls, mode = R._resolve_groups(panel.copy(), "g", "p", "c", True)
    assert mode == "pooled" and controls == ("c",) and len(d) == 6  # 'w' not asked for
    with pytest.raises(errors.ArgumentError, match="includes the treated label"):
        R._resolve_groups(panel.copy(), "g", "p", ["p"], True)
    only = panel[panel["g"] == "p"].copy()
    with pytest.raises(errors.NoComparisonGroupError, match="only the treated value"):
        R._resolve_groups(only, "g", "p", None, True)
    d, lab, controls, mode = R._resolve_groups(only, "g", "p", None, False)
    assert controls == () and mode == "pooled"
    d, lab, controls, mode = R._resolve_groups(panel.copy(), None, None, None, True)
    assert (lab, controls, mode) == (None, (), "none") and d[R.TREATED_COL].eq(1).all()


def test_step_periods(panel):
    d, pre, post, lost = R._select_periods(panel, "t", "id", [0], [1])
    assert (pre, post, lost, len(d)) == ((0,), (1,), 0, 8)
    extra = pd.concat([panel, pd.DataFrame({"id": [9], "t": [2], "y": [1.0], "g": ["c"],
                                            "x": [1]})], ignore_index=True)
    d, _, _, lost = R._select_periods(extra, "t", "id", [0], [1])
    assert lost == 1 and len(d) == 8  # unit 9 has rows only in period 2: counted
    with pytest.raises(errors.ArgumentError, match="more than once"):
        R._select_periods(panel, "t", "id", [0, 0], [1])
    with pytest.raises(errors.ArgumentError, match="both as pre and as post"):
        R._select_periods(panel, "t", "id", [0, 1], [1])
    with pytest.raises(errors.ArgumentError, match="post= is empty"):
        R._select_periods(panel, "t", "id", [0], [])
    with pytest.raises(errors.ArgumentError, match="need period="):
        R._select_periods(panel, None, "id", [0], None)
    with pytest.raises(errors.LabelError):
        R._select_periods(panel, "t", "id", [0], [7])


def test_step_covariates(panel):
    d = panel.assign(b=[True, False] * 4, s=["a", "b"] * 4)
    R._convert_covariates(d, ["x", "b", "s"])
    assert d["x"].dtype == float and d["b"].dtype == float and d["s"].tolist() == ["a", "b"] * 4
    with pytest.raises(errors.ColumnTypeError, match="holds dates"):
        R._convert_covariates(panel.assign(x=pd.Timestamp("2020-01-01")), ["x"])
    with pytest.raises(errors.ColumnTypeError, match="numbers stored as text"):
        R._convert_covariates(panel.assign(x=["1,5"] * 8), ["x"])


def test_step_missing(panel):
    d = panel.assign(y=[np.nan] + [1.0] * 7, x=[1.0, np.nan] + [1.0] * 6)
    with pytest.warns(errors.DroppedRowsWarning, match="2 of 8 rows left out"):
        out, dropped = R._drop_missing(d, "y", ["x"], None, 8)
    assert dropped == {"missing outcome": 1, "missing covariate x": 1} and len(out) == 6
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, dropped = R._drop_missing(panel, "y", [], None, 8)
    assert dropped == {} and len(out) == 8


def test_step_duplicates(panel):
    with pytest.raises(errors.DuplicateRowsError, match="share the same id and t"):
        R._check_duplicates(pd.concat([panel, panel.iloc[:1]]), "id", "t")
    with pytest.raises(errors.DuplicateRowsError, match="one row."):
        R._check_duplicates(panel, "id", None)
    with pytest.raises(errors.ArgumentError, match="needs unit="):
        R._check_duplicates(panel, None, "t")
    # integer column names are fine in the message
    ints = panel.rename(columns={"id": 0, "t": 1})
    with pytest.raises(errors.DuplicateRowsError, match="share the same 0 and 1"):
        R._check_duplicates(pd.concat([ints, ints.iloc[:1]]), 0, 1)


def test_step_group_sizes(panel):
    d, lab, controls, mode = R._resolve_groups(panel.copy(), "g", "p", ["c", "w"], True)
    R._check_group_sizes(d, "g", "id", lab, controls, mode, 1, True)
    with pytest.raises(errors.InsufficientDataError, match="comparison group 'c' has 1"):
        R._check_group_sizes(d, "g", "id", lab, controls, mode, 2, True)
    with pytest.raises(errors.InsufficientDataError, match="treated group 'p' has 2"):
        R._check_group_sizes(d, "g", "id", lab, controls, mode, 3, True)
    d, lab, controls, mode = R._resolve_groups(panel.copy(), "g", "p", "c", True)
    with pytest.raises(errors.InsufficientDataError, match="'c' has 1 unit"):
        R._check_group_sizes(d, "g", "id", lab, controls, mode, 2, True)
    R._check_group_sizes(d, "g", "id", lab, controls, mode, 2, False)  # no comparison asked


def test_prepare_runs_the_steps_in_order(panel):
    """The assembled result: one check that the steps feed each other."""
    extra = pd.concat([panel, pd.DataFrame({"id": [9], "t": [2], "y": [1.0], "g": ["c"],
                                            "x": [1]})], ignore_index=True)
    with pytest.warns(errors.DroppedRowsWarning, match="1 unit"):
        st = R.prepare(extra, outcome="y", unit="id", group="g", treated="p", period="t",
                       pre=[0], post=[1], covariates=["x"], min_units=1)
    assert st.dropped == {R.LOST_UNITS: 1}
    assert (st.pre, st.post, st.controls, st.control_mode) == ((0,), (1,), ("c", "w"), "pooled")
    assert st.data["x"].dtype == float and not st.binary
    assert list(extra.columns) == ["id", "t", "y", "g", "x"]  # the caller's frame untouched
