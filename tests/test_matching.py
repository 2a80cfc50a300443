"""Tests of impacteval.estimators.matching.match.

Every point estimate is compared with a brute-force matcher written plainly
below (all pairwise distances, loops, no trees); the Abadie–Imbens standard
error with the published formula (Abadie & Imbens 2006, Theorem 7) written out
by hand, including a worked tiny example computed with pencil and paper.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

import impacteval as ie
from impacteval.errors import (
    ArgumentError,
    AssumptionWarning,
    DataError,
    MethodError,
    MissingColumnError,
)
from impacteval.estimators import matching as mmod
from impacteval.estimators.matching import match
from impacteval.results import Estimate, EstimateCollection


# ----------------------------------------------------------------- brute force
def pooled_cov(xt, xc):
    nt, nc = len(xt), len(xc)
    st = np.atleast_2d(np.cov(xt, rowvar=False))
    sc = np.atleast_2d(np.cov(xc, rowvar=False))
    return ((nt - 1) * st + (nc - 1) * sc) / (nt + nc - 2)


def maha(a, b, sinv):
    d = a - b
    return math.sqrt(float(d @ sinv @ d))


def brute_sets(q, pool, k, dist_fn, caliper=math.inf, cell_q=None, cell_p=None, exclude=None):
    """For each query row: all pool rows at distance <= k-th smallest (ties), within caliper."""
    sets = []
    for i in range(len(q)):
        cand = [j for j in range(len(pool))
                if (cell_q is None or cell_q[i] == cell_p[j]) and (exclude is None or exclude[i] != j)]
        if not cand:
            sets.append([])
            continue
        ds = sorted((dist_fn(q[i], pool[j]), j) for j in cand)
        kth = ds[min(k, len(ds)) - 1][0]
        sets.append([j for d, j in ds if d <= kth * (1 + 1e-9) + 1e-300 and d <= caliper])
    return sets


def brute_effect(sets, yq, yp, target_treated=True):
    taus = []
    for i, s in enumerate(sets):
        if s:
            yhat = sum(yp[j] for j in s) / len(s)
            taus.append(yq[i] - yhat if target_treated else yhat - yq[i])
    return taus


def brute_sigma2(x, y, j_nn, dist_fn):
    """Own-group conditional variance J/(J+1)(y − mean of J nearest)² (ties included)."""
    sets = brute_sets(x, x, j_nn, dist_fn, exclude=list(range(len(x))))
    out = []
    for i, s in enumerate(sets):
        jj = len(s)
        out.append(jj / (jj + 1) * (y[i] - sum(y[j] for j in s) / jj) ** 2)
    return np.array(out)


def make_data(seed=0, nt=40, nc=70, p=2, effect=1.0):
    rng = np.random.default_rng(seed)
    xt = rng.normal(0.5, 1.0, size=(nt, p))
    xc = rng.normal(0.0, 1.2, size=(nc, p))
    x = np.vstack([xt, xc])
    g = np.r_[np.ones(nt, int), np.zeros(nc, int)]
    y = x @ np.arange(1, p + 1) + effect * g + rng.normal(size=nt + nc)
    df = pd.DataFrame(x, columns=[f"x{j}" for j in range(p)])
    df["g"] = g
    df["y"] = y
    df["sex"] = rng.integers(0, 2, nt + nc)
    return df


def split(df, cols):
    t, c = df[df.g == 1], df[df.g == 0]
    return t[cols].to_numpy(float), c[cols].to_numpy(float), t.y.to_numpy(), c.y.to_numpy()


COLS = ["x0", "x1"]


def run(df, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return match(df, outcome="y", group="g", treated=1, covariates=COLS, **kw)


# ------------------------------------------------------------------- estimates
@pytest.mark.parametrize("k", [1, 2, 4])
def test_att_mahalanobis_equals_brute_force(k):
    df = make_data(1)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    sets = brute_sets(xt, xc, k, lambda a, b: maha(a, b, sinv))
    res = run(df, k=k)
    assert_allclose(res.estimate, np.mean(brute_effect(sets, yt, yc)), rtol=0, atol=1e-12)
    assert res.design == "matched" and res.estimand == "ATT"
    assert res.n_control == len({j for s in sets for j in s})


def test_att_caliper_and_unmatched_ids():
    df = make_data(2)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    sets = brute_sets(xt, xc, 1, lambda a, b: maha(a, b, sinv), caliper=0.15)
    with pytest.warns(AssumptionWarning, match="the result covers"):
        res = match(df, outcome="y", group="g", covariates=COLS, caliper=0.15)
    taus = brute_effect(sets, yt, yc)
    assert_allclose(res.estimate, np.mean(taus), rtol=0, atol=1e-12)
    t_index = df.index[df.g == 1]
    want = [int(t_index[i]) for i, s in enumerate(sets) if not s]
    assert 0 < len(want) < len(sets)
    assert list(res.diagnostics["unmatched_ids"]) == want
    assert res.diagnostics["n_matched"] == len(taus)
    assert any(f"covers {len(taus)} of {len(sets)} participants" in n for n in res.notes)


def test_exact_matching_equals_brute_force():
    df = make_data(3)
    xt, xc, yt, yc = split(df, COLS)
    st, sc = df.sex[df.g == 1].to_numpy(), df.sex[df.g == 0].to_numpy()
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    sets = brute_sets(xt, xc, 2, lambda a, b: maha(a, b, sinv), cell_q=st, cell_p=sc)
    res = run(df, k=2, exact=["sex"])
    assert_allclose(res.estimate, np.mean(brute_effect(sets, yt, yc)), rtol=0, atol=1e-12)
    for i, s in enumerate(sets):
        assert all(sc[j] == st[i] for j in s)


def test_propensity_with_caliper_equals_brute_force():
    df = make_data(4, nt=60, nc=90)
    xt, xc, yt, yc = split(df, COLS)
    x = df[COLS].to_numpy(float)
    fit = sm.Logit(df.g.to_numpy(), sm.add_constant(x)).fit(disp=0, tol=1e-12, maxiter=200)
    lin = sm.add_constant(x) @ fit.params
    lt, lc = lin[df.g == 1], lin[df.g == 0]
    sd = math.sqrt((np.var(lt, ddof=1) + np.var(lc, ddof=1)) / 2)
    sets = brute_sets(lt[:, None], lc[:, None], 1, lambda a, b: abs(a[0] - b[0]), caliper=0.05 * sd)
    res = run(df, distance="propensity", caliper=0.05)
    assert res.diagnostics["n_unmatched"] == sum(1 for s in sets if not s) > 0
    assert_allclose(res.estimate, np.mean(brute_effect(sets, yt, yc)), rtol=0, atol=1e-12)
    bal = res.tables["balance"].set_index("covariate")
    assert "propensity_logit" in bal.index
    assert "propensity" in res.inference


@pytest.mark.parametrize("estimand", ["ATC", "ATE"])
def test_atc_ate_equal_brute_force(estimand):
    df = make_data(5)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    f = lambda a, b: maha(a, b, sinv)  # noqa: E731
    tc = brute_effect(brute_sets(xc, xt, 2, f), yc, yt, target_treated=False)
    tt = brute_effect(brute_sets(xt, xc, 2, f), yt, yc)
    want = np.mean(tc) if estimand == "ATC" else np.mean(tt + tc)
    res = run(df, k=2, estimand=estimand)
    assert_allclose(res.estimate, want, rtol=0, atol=1e-12)
    assert res.estimand == estimand


def test_ties_use_every_unit_at_the_kth_distance_and_ignore_row_order():
    rng = np.random.default_rng(6)
    n = 120
    df = pd.DataFrame({"x0": rng.integers(0, 4, n).astype(float),
                       "x1": rng.integers(0, 3, n).astype(float),
                       "g": (rng.random(n) < 0.35).astype(int)})
    df["y"] = df.x0 + df.x1 + df.g + rng.normal(size=n)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    for k in (1, 3):
        sets = brute_sets(xt, xc, k, lambda a, b: maha(a, b, sinv))
        assert max(len(s) for s in sets) > k  # the data really have ties
        res = run(df, k=k)
        assert_allclose(res.estimate, np.mean(brute_effect(sets, yt, yc)), rtol=0, atol=1e-12)
        assert res.diagnostics["n_ties"] == sum(len(s) > k for s in sets)
        shuffled = run(df.sample(frac=1.0, random_state=3), k=k)
        assert_allclose(shuffled.estimate, res.estimate, rtol=0, atol=1e-12)
        assert_allclose(shuffled.std_error, res.std_error, rtol=1e-12, atol=0)


def test_without_replacement_greedy_equals_brute_force():
    df = make_data(7, nt=30, nc=80)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    for k, cal in ((1, math.inf), (2, math.inf), (1, 0.3)):
        used, taus = set(), []
        for i in range(len(xt)):  # rows in data order
            ds = sorted((maha(xt[i], xc[j], sinv), j) for j in range(len(xc)) if j not in used)
            pick = [j for d, j in ds if d <= cal][:k]
            used.update(pick)
            if pick:
                taus.append(yt[i] - np.mean(yc[pick]))
        res = run(df, k=k, replace=False, caliper=None if math.isinf(cal) else cal)
        assert_allclose(res.estimate, np.mean(taus), rtol=0, atol=1e-12)
        assert res.diagnostics["max_control_reuse"] == 1
        # paired-difference t interval
        d = np.array(taus)
        se = d.std(ddof=1) / math.sqrt(len(d))
        assert_allclose(res.std_error, se, rtol=1e-12, atol=0)
        assert res.df == len(d) - 1


def test_optimal_pairs_minimise_total_distance():
    df = make_data(8, nt=6, nc=8)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    best, best_perm = math.inf, None
    for perm in itertools.permutations(range(len(xc)), len(xt)):
        tot = sum(maha(xt[i], xc[j], sinv) for i, j in enumerate(perm))
        if tot < best:
            best, best_perm = tot, perm
    want = np.mean([yt[i] - yc[j] for i, j in enumerate(best_perm)])
    res = run(df, method="optimal", replace=False)
    assert_allclose(res.estimate, want, rtol=0, atol=1e-12)
    res2 = run(df, method="optimal")  # replace defaults to False for optimal
    assert_allclose(res2.estimate, want, rtol=0, atol=1e-12)


def test_optimal_limit_and_replace_conflict(monkeypatch):
    df = make_data(9, nt=10, nc=20)
    monkeypatch.setattr(mmod, "OPTIMAL_LIMIT", 100)
    with pytest.raises(ArgumentError, match="optimal"):
        run(df, method="optimal")
    with pytest.raises(ArgumentError, match="without replacement"):
        run(df, method="optimal", replace=True)


def test_cem_equals_hand_computation():
    df = make_data(10, nt=60, nc=150)
    n = len(df)
    nb = math.ceil(math.log2(n) + 1)  # Sturges
    keys = []
    for c in COLS:
        x = df[c].to_numpy()
        edges = np.linspace(x.min(), x.max(), nb + 1)
        b = np.minimum(((x - x.min()) / (edges[1] - edges[0])).astype(int), nb - 1)
        keys.append(b)
    cell = [tuple(v) for v in np.column_stack(keys)]
    t = df.g.to_numpy() == 1
    y = df.y.to_numpy()
    cells = {}
    for i, c in enumerate(cell):
        cells.setdefault(c, {"t": [], "c": []})["t" if t[i] else "c"].append(i)
    num = den = 0.0
    w = np.zeros(n)
    for grp in cells.values():
        if grp["t"] and grp["c"]:
            num += len(grp["t"]) * (y[grp["t"]].mean() - y[grp["c"]].mean())
            den += len(grp["t"])
            w[grp["t"]] = 1.0
            w[grp["c"]] = len(grp["t"]) / len(grp["c"])
    res = run(df, method="cem")
    assert_allclose(res.estimate, num / den, rtol=0, atol=1e-12)
    # HC2 sandwich of the weighted regression of y on [1, treated], by hand
    u = w > 0
    X = np.column_stack([np.ones(u.sum()), t[u].astype(float)])
    W = w[u]
    bread = np.linalg.inv(X.T @ (W[:, None] * X))
    beta = bread @ X.T @ (W * y[u])
    e = y[u] - X @ beta
    h = W * np.einsum("ij,jk,ik->i", X, bread, X)
    meat = X.T @ ((W**2 * e**2 / (1 - h))[:, None] * X)
    se = math.sqrt((bread @ meat @ bread)[1, 1])
    assert_allclose(res.std_error, se, rtol=1e-10, atol=0)
    # user bins: 2 bins per covariate gives fewer, larger cells
    coarse = run(df, method="cem", bins=2)
    assert coarse.inference["n_cells"] <= 4


def test_bias_correction_equals_hand_computation():
    df = make_data(11)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    sets = brute_sets(xt, xc, 2, lambda a, b: maha(a, b, sinv))
    kw = np.zeros(len(xc))
    for s in sets:
        for j in s:
            kw[j] += 1 / len(s)
    u = kw > 0
    X = np.column_stack([np.ones(u.sum()), xc[u]])
    beta = np.linalg.solve(X.T @ (kw[u][:, None] * X), X.T @ (kw[u] * yc[u]))[1:]
    taus = [yt[i] - np.mean([yc[j] + (xt[i] - xc[j]) @ beta for j in s]) for i, s in enumerate(sets)]
    res = run(df, k=2, bias_correction=True)
    assert_allclose(res.estimate, np.mean(taus), rtol=0, atol=1e-10)
    assert res.inference["bias_correction"] is True


def test_matched_did_equals_brute_force():
    rng = np.random.default_rng(12)
    nt, nc = 25, 60
    n = nt + nc
    g = np.r_[np.ones(nt, int), np.zeros(nc, int)]
    age = rng.normal(40, 8, n) + 3 * g
    lvl = rng.normal(0, 1, n) + 0.5 * g
    rows = []
    for i in range(n):
        for p in (1, 2, 3, 4):
            y = lvl[i] + 0.1 * p + (1.5 if (g[i] and p >= 3) else 0) + rng.normal(0, 0.5)
            rows.append({"id": f"u{i}", "t": p, "grp": "P" if g[i] else "R", "age": age[i], "y": y})
    long = pd.DataFrame(rows)
    wide = long.pivot(index="id", columns="t", values="y").loc[[f"u{i}" for i in range(n)]]
    ch = (wide[[3, 4]].mean(axis=1) - wide[[1, 2]].mean(axis=1)).to_numpy()
    feats = np.column_stack([age, wide[1].to_numpy(), wide[2].to_numpy()])
    ft, fc = feats[g == 1], feats[g == 0]
    sinv = np.linalg.inv(pooled_cov(ft, fc))
    sets = brute_sets(ft, fc, 1, lambda a, b: maha(a, b, sinv))
    want = np.mean(brute_effect(sets, ch[g == 1], ch[g == 0]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = match(long, outcome="y", group="grp", treated="P", covariates=["age"], unit="id",
                    period="t", pre=[1, 2], post=[3, 4])
    assert res.design == "matched_did"
    assert_allclose(res.estimate, want, rtol=0, atol=1e-12)
    assert {"y[1]", "y[2]", "age"} <= set(res.tables["balance"].covariate)
    # the mean of the pre periods as one matching column
    f2 = np.column_stack([age, wide[[1, 2]].mean(axis=1).to_numpy()])
    sinv2 = np.linalg.inv(pooled_cov(f2[g == 1], f2[g == 0]))
    sets2 = brute_sets(f2[g == 1], f2[g == 0], 1, lambda a, b: maha(a, b, sinv2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res2 = match(long, outcome="y", group="grp", treated="P", covariates=["age"], unit="id",
                     period="t", pre=[1, 2], post=[3, 4], pre_outcomes="mean")
    assert_allclose(res2.estimate, np.mean(brute_effect(sets2, ch[g == 1], ch[g == 0])),
                    rtol=0, atol=1e-12)


# ------------------------------------------------------ Abadie–Imbens variance
def test_abadie_imbens_se_worked_example():
    # One covariate; participants x = 1, 4, 3.7 (y = 5, 9, 8); comparison units
    # x = 0, 1.8, 3.5, 7, 12 (y = 1, 2, 6, 4, 3). With M = 1: participant 1 -> x=1.8
    # (y=2), participants 2 and 3 -> x=3.5 (y=6). Unit differences 3, 3, 2, so
    # ATT = 8/3; sum of squared deviations = 2·(1/3)² + (2/3)² = 2/3.
    # K(x=3.5) = 2, so its factor K(K−1)/M² = 2; the others have K = 1 (factor 0).
    # J = 1: the nearest comparison unit of x=3.5 is x=1.8 (y=2):
    #   σ² = 1/2·(6 − 2)² = 8        -> V = (2/3 + 2·8)/3² = 50/27.
    # J = 2: its nearest are x=1.8 (1.7 away), then x=7 and x=0 tied at 3.5, so all
    # three are used (ties kept, as Stata/Matching do): mean y = (2 + 4 + 1)/3 = 7/3,
    #   σ² = 3/4·(6 − 7/3)² = 121/12 -> V = (2/3 + 2·121/12)/3² = 125/54.
    df = pd.DataFrame({"x0": [1, 4, 3.7, 0, 1.8, 3.5, 7, 12],
                       "g": [1, 1, 1, 0, 0, 0, 0, 0],
                       "y": [5, 9, 8, 1, 2, 6, 4, 3.0]})
    r1 = match(df, outcome="y", group="g", covariates=["x0"], var_matches=1)
    assert_allclose(r1.estimate, 8 / 3, rtol=0, atol=1e-12)
    assert_allclose(r1.std_error, math.sqrt(50 / 27), rtol=1e-10, atol=0)
    r2 = match(df, outcome="y", group="g", covariates=["x0"])
    assert_allclose(r2.std_error, math.sqrt(125 / 54), rtol=1e-10, atol=0)
    assert r2.inference["std_error"] == "abadie-imbens-2006"
    assert r2.df is None  # normal reference as in Stata
    assert_allclose(r2.conf_low, 8 / 3 - 1.959963984540054 * math.sqrt(125 / 54), rtol=1e-10, atol=0)


@pytest.mark.parametrize("m", [1, 2])
def test_abadie_imbens_se_att_published_formula(m):
    df = make_data(13, nt=35, nc=60)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    f = lambda a, b: maha(a, b, sinv)  # noqa: E731
    sets = brute_sets(xt, xc, m, f)
    assert all(len(s) == m for s in sets)  # continuous data: no ties
    taus = np.array(brute_effect(sets, yt, yc))
    tau = taus.mean()
    K = np.zeros(len(xc))
    for s in sets:
        for j in s:
            K[j] += 1
    s2 = brute_sigma2(xc, yc, 2, f)
    # Abadie & Imbens (2006) Theorem 7 / Abadie et al. (2004) eq. for the ATT
    v = (np.sum((taus - tau) ** 2) + np.sum(K * (K - 1) / m**2 * s2)) / len(xt) ** 2
    res = run(df, k=m)
    assert_allclose(res.std_error, math.sqrt(v), rtol=1e-10, atol=0)


def test_abadie_imbens_se_ate_published_formula():
    m = 2
    df = make_data(14, nt=30, nc=45)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    f = lambda a, b: maha(a, b, sinv)  # noqa: E731
    st, sc = brute_sets(xt, xc, m, f), brute_sets(xc, xt, m, f)
    taus = np.array(brute_effect(st, yt, yc) + brute_effect(sc, yc, yt, target_treated=False))
    tau = taus.mean()
    kt, kc = np.zeros(len(xt)), np.zeros(len(xc))
    for s in st:
        for j in s:
            kc[j] += 1
    for s in sc:
        for j in s:
            kt[j] += 1
    s2t, s2c = brute_sigma2(xt, yt, 2, f), brute_sigma2(xc, yc, 2, f)

    def factor(kk):  # (K/M)² + ((2M − 1)/M)(K/M)
        return (kk / m) ** 2 + (2 * m - 1) / m * (kk / m)

    n = len(xt) + len(xc)
    v = (np.sum((taus - tau) ** 2) + np.sum(factor(kt) * s2t) + np.sum(factor(kc) * s2c)) / n**2
    res = run(df, k=m, estimand="ATE")
    assert_allclose(res.std_error, math.sqrt(v), rtol=1e-10, atol=0)


def test_abadie_imbens_se_with_ties_generalisation():
    # with ties the weights are 1/#J(i); the factor K(K−1)/M² becomes K² − Σ_l w_lu²
    rng = np.random.default_rng(15)
    n = 90
    df = pd.DataFrame({"x0": rng.integers(0, 5, n).astype(float),
                       "x1": rng.integers(0, 2, n).astype(float),
                       "g": (rng.random(n) < 0.4).astype(int)})
    df["y"] = df.x0 + df.g + rng.normal(size=n)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    f = lambda a, b: maha(a, b, sinv)  # noqa: E731
    sets = brute_sets(xt, xc, 1, f)
    taus = np.array(brute_effect(sets, yt, yc))
    K, K2 = np.zeros(len(xc)), np.zeros(len(xc))
    for s in sets:
        for j in s:
            K[j] += 1 / len(s)
            K2[j] += 1 / len(s) ** 2
    s2 = brute_sigma2(xc, yc, 2, f)
    v = (np.sum((taus - taus.mean()) ** 2) + np.sum((K**2 - K2) * s2)) / len(xt) ** 2
    res = run(df)
    assert_allclose(res.std_error, math.sqrt(v), rtol=1e-10, atol=0)


# ------------------------------------------------------ balance & diagnostics
def test_balance_table_equals_hand_computed_smd():
    df = make_data(16)
    xt, xc, yt, yc = split(df, COLS)
    sinv = np.linalg.inv(pooled_cov(xt, xc))
    sets = brute_sets(xt, xc, 1, lambda a, b: maha(a, b, sinv))
    w = np.zeros(len(xc))
    for s in sets:
        for j in s:
            w[j] += 1 / len(s)
    res = run(df)
    bal = res.tables["balance"].set_index("covariate")
    for j, c in enumerate(COLS):
        sd = math.sqrt((np.var(xt[:, j], ddof=1) + np.var(xc[:, j], ddof=1)) / 2)
        before = (xt[:, j].mean() - xc[:, j].mean()) / sd
        after = (xt[:, j].mean() - np.sum(w * xc[:, j]) / w.sum()) / sd
        assert_allclose(bal.loc[c, "smd_before"], before, rtol=1e-12, atol=0)
        assert_allclose(bal.loc[c, "smd_after"], after, rtol=1e-10, atol=1e-14)
    d = res.diagnostics
    assert_allclose(d["max_abs_smd_after"], bal["smd_after"].abs().max(), rtol=1e-12, atol=0)
    assert d["max_control_reuse"] == int(max(sum(j in s for s in sets) for j in range(len(xc))))
    assert_allclose(d["effective_n_controls"], w.sum() ** 2 / np.sum(w**2), rtol=1e-12, atol=0)
    assert d["share_matched"] == 1.0
    assert "overlap" in res.tables


def test_confounded_data_interval_covers_truth_and_raw_difference_does_not():
    rng = np.random.default_rng(2024)
    nt, nc = 150, 900
    n = nt + nc
    g = np.r_[np.ones(nt, int), np.zeros(nc, int)]
    x = rng.normal(0, 1, (n, 3)) + 0.6 * g[:, None]
    y = 2.0 * x[:, 0] + 1.0 * x[:, 1] - 1.0 * x[:, 2] + 1.0 * g + rng.normal(0, 1, n)
    df = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "c": x[:, 2], "g": g, "y": y})
    raw = y[g == 1].mean() - y[g == 0].mean()
    raw_se = math.sqrt(y[g == 1].var(ddof=1) / nt + y[g == 0].var(ddof=1) / nc)
    assert not (raw - 1.96 * raw_se <= 1.0 <= raw + 1.96 * raw_se)
    res = match(df, outcome="y", group="g", covariates=["a", "b", "c"], k=1)
    assert res.conf_low <= 1.0 <= res.conf_high
    assert (res.tables["balance"]["smd_after"].abs() < 0.1).all()
    assert (res.tables["balance"]["smd_before"].abs() > 0.4).all()


# ----------------------------------------------------------------- inference
def test_bootstrap_refused_with_replacement():
    df = make_data(17)
    for ci in ("bca", "percentile", "basic", "studentized"):
        with pytest.raises(MethodError) as err:
            run(df, ci=ci)
        msg = str(err.value)
        assert "analytic" in msg and "auto" in msg and "Abadie & Imbens 2008" in msg
        assert "replace=False" in msg


def test_pair_bootstrap_without_replacement_is_seeded():
    df = make_data(18)
    a = run(df, replace=False, ci="percentile", n_boot=999, seed=5)
    b = run(df, replace=False, ci="percentile", n_boot=999, seed=5)
    assert a.conf_low == b.conf_low and a.conf_high == b.conf_high
    assert a.inference["method"] == "percentile" and a.draws is not None
    assert_allclose([a.conf_low, a.conf_high], np.quantile(a.draws, [0.025, 0.975]),
                    rtol=1e-12, atol=0)
    # the bootstrap SE of a mean of matched differences ≈ the paired SE
    assert_allclose(a.inference["bootstrap_std_error"], a.std_error, rtol=0.15, atol=0)
    c = run(df, replace=False, ci="bca", n_boot=999, seed=5)
    assert c.conf_low < c.estimate < c.conf_high


# ---------------------------------------------------------- roles and errors
def test_several_comparison_groups_give_a_collection():
    df = make_data(19, nt=30, nc=80)
    df["grp"] = np.where(df.g == 1, "P", np.where(np.arange(len(df)) % 2 == 0, "W", "R"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = match(df, outcome="y", group="grp", treated="P", control=["W", "R"], covariates=COLS)
        one = match(df, outcome="y", group="grp", treated="P", control="W", covariates=COLS)
    assert isinstance(res, EstimateCollection) and res.comparisons == ["W", "R"]
    assert isinstance(one, Estimate)
    assert_allclose(res["W"].estimate, one.estimate, rtol=0, atol=1e-12)
    assert_allclose(res["W"].std_error, one.std_error, rtol=1e-12, atol=0)


def test_input_is_not_modified_and_bad_input_is_named():
    df = make_data(20)
    before = df.copy()
    run(df)
    pd.testing.assert_frame_equal(df, before)
    with pytest.raises(MissingColumnError, match="nope"):
        match(df, outcome="y", group="g", covariates=["nope"])
    with pytest.raises(ArgumentError, match="k="):
        run(df, k=0)
    with pytest.raises(ArgumentError, match="caliper"):
        run(df, caliper=-1)
    with pytest.raises(ArgumentError, match="ATE"):
        run(df, estimand="ATE", replace=False)
    with pytest.raises(ArgumentError, match="distance"):
        run(df, distance="euclid")
    with pytest.raises(ArgumentError, match="unit="):
        match(df, outcome="y", group="g", covariates=COLS, period="x0", pre=1, post=2)
    with pytest.raises(ArgumentError, match="covariates"):
        match(df, outcome="y", group="g")
    with pytest.raises(MethodError, match="permutation"):
        run(df, ci="permutation")
    const = df.assign(z=1.0)
    with pytest.raises(DataError, match="'z'"):
        match(const, outcome="y", group="g", covariates=["x0", "z"])
    coll = df.assign(z=2 * df.x0)
    with pytest.raises(DataError, match="collinear"):
        match(coll, outcome="y", group="g", covariates=["x0", "z"])


def test_missing_covariates_are_counted_not_silently_dropped():
    df = make_data(21)
    df.loc[[0, 50], "x0"] = np.nan
    with pytest.warns(Warning, match="2 of"):
        res = match(df, outcome="y", group="g", covariates=COLS)
    assert res.diagnostics["dropped"] == {"missing covariate x0": 2}


def test_text_covariate_is_dummy_coded():
    df = make_data(22)
    df["lang"] = np.where(df.x1 > 0, "sv", "other")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r2 = match(df, outcome="y", group="g", covariates=["x0", "lang"])
    assert "lang=sv" in set(r2.tables["balance"].covariate)
    # same as matching on the 0/1 dummy written by hand
    d = df.assign(**{"lang=sv": (df.lang == "sv").astype(float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r3 = match(d, outcome="y", group="g", covariates=["x0", "lang=sv"])
    assert_allclose(r2.estimate, r3.estimate, rtol=0, atol=1e-12)


def test_estimates_equal_causalinference_package():
    # causalinference (Whitney 2015) matches with ties on an inverse-variance metric, which
    # on one covariate orders neighbours as Mahalanobis does; its SE is a homoskedastic
    # "conservative" one, so only the point estimates are compared.
    ci_mod = pytest.importorskip("causalinference")
    rng = np.random.default_rng(23)
    n = 300
    x = rng.normal(size=n)
    g = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    y = 2 * x + g + rng.normal(size=n)
    df = pd.DataFrame({"x": x, "g": g, "y": y})
    for m in (1, 2):
        cm = ci_mod.CausalModel(y, g, x[:, None])
        cm.est_via_matching(matches=m, bias_adj=False)
        for est in ("ATT", "ATC", "ATE"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = match(df, outcome="y", group="g", covariates=["x"], k=m, estimand=est)
            assert_allclose(r.estimate, cm.estimates["matching"][est.lower()], rtol=0, atol=1e-12)


def test_nobody_within_the_caliper_is_a_clear_error():
    # issue #19 item 13: a raw pandas "Encountered all NA values" escaped before
    df = ie.datasets.load_teaching("matched_did")
    with pytest.raises(ie.errors.InsufficientDataError, match="within the caliper"):
        ie.match(df, outcome="earnings_ksek", unit="person_id", group="group",
                 treated="participant", period="period", pre="pre", post="post",
                 covariates=["age"], caliper=1e-9)
