"""Regressions found by the API fuzz suite (tests/test_fuzz_api.py), one named test each."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.errors import DataError
from impacteval.estimators.matching import _near_singular


def _tiny_panel(seed: int, n_per_group: int = 2, n_periods: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(2 * n_per_group):
        base, x = rng.normal(1000, 300), rng.normal(40, 10)
        for t in range(n_periods):
            rows.append({"id": 900_000_001 + 7 * i, "g": i < n_per_group,
                         "p": pd.Timestamp(2020, t + 1, 1),
                         "y": int(base + rng.integers(-50, 50)), "x": x})
            rng.random()  # the fuzz generator's missingness draw (none here)
    return pd.DataFrame(rows)


ROLES = dict(outcome="y", unit="id", group="g", treated=True, period="p",
             pre=[pd.Timestamp(2020, t, 1) for t in (1, 2, 3)], post=[pd.Timestamp(2020, 4, 1)])


def _outcome(df):
    """The estimate, or the class of the impacteval error raised."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return round(ie.match(df, **ROLES, covariates=["x"]).estimate, 9)
        except DataError as exc:
            return type(exc).__name__


@pytest.mark.parametrize("seed", [0, 1, 2, 99, 181])
def test_match_singular_covariance_does_not_depend_on_row_order_or_ids(seed):
    # Fuzz finding: 2 + 2 units matched on x and three pre-period outcomes (4 variables,
    # pooled covariance of rank <= 2). Whether the Cholesky factorisation failed depended on
    # rounding, so relabelling the ids turned a result into a DataError (seeds 0, 99 and 181
    # did before the fix).
    df = _tiny_panel(seed)
    ref = _outcome(df)
    assert ref == "DataError"  # 4 matching variables cannot be estimated from 4 units
    rng = np.random.default_rng(seed)
    for k in range(8):
        shuffled = df.sample(frac=1.0, random_state=k).reset_index(drop=True)
        assert _outcome(shuffled) == ref
        ids = df["id"].unique()
        new = dict(zip(ids, [f"P{j:05d}" for j in rng.permutation(len(ids)) * 13 + 7],
                       strict=True))
        assert _outcome(df.assign(id=df["id"].map(new))) == ref


def test_match_singular_message_names_the_counts():
    with pytest.raises(DataError, match="4 matching variables for 4 units"):
        ie.match(_tiny_panel(0), **ROLES, covariates=["x"])


@pytest.mark.parametrize("seed", range(5))
def test_near_singular_agrees_with_numpy_rank(seed):
    rng = np.random.default_rng(seed)
    n, p = 12, 4
    X = rng.normal(size=(n, p)) * np.array([1e-3, 1.0, 1e4, 1e8])  # wildly different scales
    S = np.cov(X, rowvar=False)
    assert not _near_singular(S, n)
    assert np.linalg.matrix_rank(S / np.sqrt(np.outer(np.diag(S), np.diag(S)))) == p
    X[:, 3] = 2e7 * X[:, 0] / 1e-3 - 5 * X[:, 1]  # exact linear dependence
    S = np.cov(X, rowvar=False)
    R = S / np.sqrt(np.outer(np.diag(S), np.diag(S)))
    assert np.linalg.matrix_rank(R, tol=1e-10) < p
    assert _near_singular(S, n)
    assert _near_singular(np.cov(X[:4, :3], rowvar=False), 4)  # 3 variables, 4 units


def test_match_still_runs_when_the_covariance_is_full_rank():
    df = _tiny_panel(1, n_per_group=6)
    est = ie.match(df, **ROLES, covariates=["x"])
    assert np.isfinite(est.estimate)


# ---- issue #19 crashes that escaped as raw pandas/linearmodels/numpy errors ----------

def _panel():
    from conftest import make_panel
    return make_panel()


PANEL_ROLES = dict(outcome="y", unit="id", group="grp", treated="p", period="period")


def test_issue19_item10_empty_post_is_an_argument_error():
    from impacteval.errors import ArgumentError
    with pytest.raises(ArgumentError, match="post= is empty"):
        ie.did(_panel(), **PANEL_ROLES, pre=[0, 1], post=[])


@pytest.mark.parametrize("pre, post, which", [([0, 0], [2, 3], "pre"), ([0, 1], [3, 3], "post")])
def test_issue19_item11_a_period_named_twice_is_an_argument_error(pre, post, which):
    from impacteval.errors import ArgumentError
    with pytest.raises(ArgumentError, match=rf"{which}= names the period\(s\) \d more than once"):
        ie.did(_panel(), **PANEL_ROLES, pre=pre, post=post)


@pytest.mark.parametrize("distance", ["mahalanobis", "propensity"])
def test_issue19_item13_nobody_within_the_caliper(distance):
    from impacteval.errors import InsufficientDataError
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(InsufficientDataError, match="has a match within the caliper"):
            ie.match(_panel(), **PANEL_ROLES, pre=[0, 1], post=[2, 3], covariates=["x1"],
                     distance=distance, caliper=1e-9)


def test_match_with_a_post_period_without_any_outcome():
    # Fuzz finding: every outcome of the post period missing -> KeyError from pandas.
    from impacteval.errors import ImpactEvalError
    rows = [{"id": 900_000_001 + 7 * i, "g": i < 2, "p": pd.Timestamp(2020, t + 1, 1),
             "y": 5.0 if t == 0 else np.nan, "x": 30.0 + 11 * i} for i in range(4) for t in range(2)]
    df = pd.DataFrame(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(ImpactEvalError):
            ie.match(df, outcome="y", unit="id", group="g", treated=True, period="p",
                     pre=[pd.Timestamp(2020, 1, 1)], post=[pd.Timestamp(2020, 2, 1)],
                     covariates=["x"])


def test_evaluate_survives_an_outcome_constant_within_units():
    # Fuzz finding (#19 item 9 through evaluate): the ladder's shared pre-trend facts ran the
    # event-time DiD outside any rung, and its singular Wald test escaped as LinAlgError.
    rows = [{"id": f"QZ{i:03d}X", "g": i < 4, "p": t, "y": float(i % 2), "x": float(i)}
            for i in range(8) for t in range(4)]
    df = pd.DataFrame(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, outcome="y", unit="id", group="g", treated=True, period="p",
                         pre=[0, 1, 2], post=[3], covariates=["x"], seed=3, n_boot=199)
    assert ev.design in set(ev.steps["design"])
