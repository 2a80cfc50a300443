"""Adjusted comparison with a high-cardinality categorical covariate: absorbed, never
expanded into dummies.

Data: ``n`` units, a 0/1 group (30 % participants), one numeric covariate and a text
covariate of ``levels`` levels (every level holds at least two units, so no singleton is
dropped), an effect of 1.0. Compared, each in its own subprocess:

* ``impacteval`` — ``ie.difference(df, outcome="y", group="g", treated=1,
  covariates=["x", "cat"])``: validation, the within transformation on the levels of
  ``cat`` (more than 20 levels are absorbed), the treatment coefficient with its HC2
  standard error (leverages as row sums), Hedges' g and the diagnostics;
* ``pyfixest`` — ``pf.feols("y ~ g + x | cat", vcov="hetero")`` (HC1: pyfixest has no
  HC2 with absorbed effects).

Each gets one small warm-up fit on the first 5,000 rows before the timed one (pyfixest's
numba compilation; our lazy imports of a first call).

The point estimates agree; the standard errors differ by the HC2/HC1 choice only.

Usage::

    python benchmarks/run_all.py --only categorical
"""

from __future__ import annotations

import time

import run_all  # noqa: F401  (benchmarks/ is on the path: this file's folder)


def make_data(n: int, levels: int, seed: int = 20240605):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    lev = np.r_[np.arange(levels), np.arange(levels), rng.integers(0, levels, n - 2 * levels)]
    rng.shuffle(lev)
    eff = rng.normal(0, 1, levels)
    g = (rng.random(n) < 0.3 + 0.2 * (eff[lev] > 0)).astype(np.int64)
    x = rng.normal(size=n)
    y = eff[lev] + 0.5 * x + 1.0 * g + rng.normal(size=n)
    cat = pd.Categorical.from_codes(lev, categories=[f"k{j:05d}" for j in range(levels)])
    return pd.DataFrame({"g": g, "x": x, "cat": pd.Series(cat).astype(str), "y": y})


def child(method: str, n: int, levels: int) -> dict:
    df = make_data(n, levels)
    out: dict = {}
    if method == "impacteval":
        import impacteval as ie

        # the same small warm-up fit as pyfixest gets (ours: the lazy imports of the first
        # call, about 0.2 s; theirs: numba compilation)
        ie.difference(df.iloc[:5000], outcome="y", group="g", treated=1, covariates=["x", "cat"])
        run_all.reset_peak()
        t0 = time.perf_counter()
        r = ie.difference(df, outcome="y", group="g", treated=1, covariates=["x", "cat"])
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = r.estimate, r.std_error
    elif method == "pyfixest":
        import pyfixest as pf

        pf.feols("y ~ g + x | cat", data=df.iloc[:5000], vcov="hetero")  # JIT warm-up
        run_all.reset_peak()
        t0 = time.perf_counter()
        fit = pf.feols("y ~ g + x | cat", data=df, vcov="hetero")
        est, se = float(fit.coef()["g"]), float(fit.se()["g"])
        out["seconds"] = time.perf_counter() - t0
        out["estimate"], out["std_error"] = est, se
    else:
        raise SystemExit(f"unknown method {method}")
    return out
