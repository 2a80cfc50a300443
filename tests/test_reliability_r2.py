"""Issue #19 (reliability round 2), the items fixed in this round, each as its probe."""

from __future__ import annotations

import decimal
import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.errors import DataError, DuplicateRowsError

ROLES = dict(unit="household_id", group="group", treated="participant", period="period",
             pre="pre", post="post")


@pytest.fixture(scope="module")
def did_data() -> pd.DataFrame:
    return ie.datasets.load_teaching("did")


def test_item19_integer_column_names_in_evaluate(did_data):
    cols = list(did_data.columns)
    d = did_data.copy()
    d.columns = range(len(cols))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(d, outcome=cols.index("welfare_ksek"), unit=cols.index("household_id"),
                         group=cols.index("group"), treated="participant",
                         period=cols.index("period"), pre="pre", post="post")
        ref = ie.evaluate(did_data, outcome="welfare_ksek", **ROLES)
    assert ev.estimate.estimate == pytest.approx(ref.estimate.estimate, rel=1e-12)


@pytest.mark.parametrize("kind", ["category", "object", "decimal", "text"])
def test_item20_numbers_stored_as_categories_objects_or_decimals(did_data, kind):
    d = did_data.copy()
    y = d["welfare_ksek"]
    d["welfare_ksek"] = {"category": lambda: y.astype("category"),
                         "object": lambda: y.astype(object),
                         "decimal": lambda: [decimal.Decimal(str(v)) for v in y],
                         "text": lambda: y.map(lambda v: f"{v:.1f}")}[kind]()
    got = ie.did(d, outcome="welfare_ksek", **ROLES)
    ref = ie.did(did_data, outcome="welfare_ksek", **ROLES)
    assert got.estimate == pytest.approx(ref.estimate, rel=1e-12)
    assert got.std_error == pytest.approx(ref.std_error, rel=1e-12)


def test_item20_float32_conf_level(did_data):
    r = ie.did(did_data, outcome="welfare_ksek", conf_level=np.float32(0.95), **ROLES)
    ref = ie.did(did_data, outcome="welfare_ksek", **ROLES)
    assert r.conf_low == pytest.approx(ref.conf_low, rel=1e-6)


def test_item22_covariate_with_a_large_offset_is_not_collinear(did_data):
    rng = np.random.default_rng(0)
    d = did_data[did_data["period"] == "post"].copy()
    d["x"] = rng.normal(0, 10, len(d))
    shifted = d.assign(x=d["x"] + 1e8)
    a = ie.difference(d, outcome="welfare_ksek", group="group", treated="participant",
                      covariates=["x"])
    b = ie.difference(shifted, outcome="welfare_ksek", group="group", treated="participant",
                      covariates=["x"])
    assert b.estimate == pytest.approx(a.estimate, rel=1e-7)
    assert b.std_error == pytest.approx(a.std_error, rel=1e-6)


def test_item23_cluster_that_varies_within_a_unit_is_refused(did_data):
    d = did_data.assign(cl=np.where(did_data["period"] == "pre", "A", "B")
                        + did_data["district"].astype(str))
    with pytest.raises(DataError, match="more than one cluster of column 'cl'"):
        ie.did(d, outcome="welfare_ksek", cluster="cl", **ROLES)


def test_item23_unit_in_the_treated_and_an_unrequested_group_is_refused(did_data):
    d = did_data.astype({"group": str, "period": str})
    u0 = d.loc[d["group"] == "participant", "household_id"].iloc[0]
    extra = d[d["household_id"] == u0].assign(group="other", period="extra")
    d = pd.concat([d, extra], ignore_index=True)
    with pytest.raises(DataError, match="more than one group"):
        ie.did(d, outcome="welfare_ksek", control="comparison", **ROLES)


def test_item23_a_duplicate_row_with_a_missing_outcome_is_still_a_duplicate(did_data):
    dup = did_data.iloc[[0]].assign(welfare_ksek=np.nan)
    d = pd.concat([did_data, dup], ignore_index=True)
    with pytest.raises(DuplicateRowsError, match="share the same household_id and period"):
        ie.did(d, outcome="welfare_ksek", **ROLES)


@pytest.mark.parametrize("ci", ["permutation", "studentized_permutation"])
def test_permutation_with_more_assignments_than_a_float_holds(ci):
    """math.comb(1100, 550) overflows a float: the count is reported as inf, not raised
    (found by helper H on a 12-month Servicetrainee frame)."""
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"g": [1] * 550 + [0] * 550, "y": rng.normal(size=1100)})
    r = ie.difference(df, outcome="y", group="g", ci=ci, seed=1, n_boot=199)
    assert np.isfinite(r.conf_low) and np.isfinite(r.conf_high)
    assert r.inference["n_assignments"] == np.inf


def test_item20_a_large_object_column_of_numbers_is_read_as_numbers():
    """More than 10,000 distinct numbers stored as objects: all read, none called text."""
    rng = np.random.default_rng(0)
    n = 30_000
    y = rng.normal(size=n)
    df = pd.DataFrame({"g": np.r_[np.ones(n // 2, int), np.zeros(n // 2, int)], "y": y})
    ref = ie.difference(df, outcome="y", group="g")
    got = ie.difference(df.astype({"y": object}), outcome="y", group="g")
    assert got.estimate == pytest.approx(ref.estimate, rel=1e-12)
