"""One result protocol: every result type answers summary(lang), tidy(), to_dict(include_ids)
and _repr_html_(), in the same way."""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval import economics as econ
from impacteval import sensitivity
from impacteval._protocol import Result
from impacteval.power import power


def _panel(seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(60):
        g = "part" if i < 20 else ("wait" if i < 40 else "reg")
        base = rng.normal(10, 2)
        for t in (0, 1):
            rows.append({"pid": f"ID-{9000 + i}", "g": g, "t": t,
                         "y": base + t + (1.5 if g == "part" and t else 0) + rng.normal()})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def results() -> dict[str, object]:
    df = _panel()
    roles = dict(outcome="y", unit="pid", group="g", treated="part", period="t", pre=0, post=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = ie.did(df, **roles, control="reg")
        coll = ie.did(df, **roles, control=["reg", "wait"])
        ev = ie.evaluate(df, **roles, control="reg")
        evs = ie.evaluate(df, **roles, control=["reg", "wait"])
        ce = econ.cost_effectiveness(est, 10_000)
        bc = econ.benefit_cost(est, cost=5_000, value_per_unit=2_000, horizon=3)
        qv = econ.qaly_value(0.1, (500_000, 1_300_000))
        cpq = econ.cost_per_qaly(np.random.default_rng(1).normal(50_000, 5_000, 200),
                                 np.random.default_rng(2).normal(0.1, 0.02, 200))
        rp = econ.repayment(np.random.default_rng(3).normal(1e6, 3e5, 200), 8e5,
                            econ.Conditional())
        evalue = sensitivity.e_value(3.9, 1.8, 8.7)
        pw = power(n_treated=20, n_control=40)
    return {"Estimate": est, "EstimateCollection": coll, "Evaluation": ev,
            "EvaluationCollection": evs, "CostEffectiveness": ce, "BenefitCost": bc,
            "QalyValue": qv, "CostPerQaly": cpq, "RepaymentResult": rp, "EValue": evalue,
            "PowerResult": pw}


NAMES = ["Estimate", "EstimateCollection", "Evaluation", "EvaluationCollection",
         "CostEffectiveness", "BenefitCost", "QalyValue", "CostPerQaly", "RepaymentResult",
         "EValue", "PowerResult"]


@pytest.mark.parametrize("name", NAMES)
def test_every_result_type_follows_the_protocol(results, name):
    r = results[name]
    assert type(r).__name__ == name
    assert isinstance(r, Result)
    en, sv = r.summary(), r.summary(lang="sv")
    assert isinstance(en, str) and isinstance(sv, str) and en and sv
    assert en != sv, f"{name}.summary(lang='sv') is the English text"
    assert r.summary(lang="en") == en == str(r)
    with pytest.raises(ie.errors.ArgumentError, match="lang="):
        r.summary(lang="de")
    t = r.tidy()
    assert isinstance(t, pd.DataFrame) and len(t) >= 1
    assert all(isinstance(c, str) and c == c.lower() for c in t.columns)
    d = r.to_dict()
    assert r.to_dict(include_ids=False) == d
    json.dumps(d)  # JSON-ready
    page = r._repr_html_()
    assert page.startswith("<pre>") and page.endswith("</pre>")
    # no unit id leaves through any of them
    for text in (en, sv, json.dumps(d, default=str), t.to_csv(), page):
        assert "ID-90" not in text


def test_swedish_summaries_use_decimal_commas(results):
    sv = results["Estimate"].summary(lang="sv")
    assert "Utfall:" in sv and "skattning" in sv and "Anmärkningar:" in sv
    assert "Förutsätter parallella trender" in sv
    first = next(ln for ln in sv.splitlines() if ln.startswith("effekt "))
    assert "," in first and not any(c.isdigit() and n == "." and m.isdigit()
                                    for c, n, m in zip(first, first[1:], first[2:], strict=False))
    bc = results["BenefitCost"].summary(lang="sv")
    assert "Nettonuvärde:" in bc and "Osäkerheten från:" in bc
    assert results["RepaymentResult"].summary(lang="sv").startswith("Villkorad:")


def test_include_ids_reaches_the_estimate():
    df = _panel()
    # an Estimate with unit ids in its diagnostics: only include_ids=True shows them
    est = ie.did(df, outcome="y", unit="pid", group="g", treated="part", period="t", pre=0,
                 post=1, control="reg")
    from dataclasses import replace

    leaky = replace(est, diagnostics={**est.diagnostics, "unmatched_ids": ["ID-9001"]})
    coll = ie.results.EstimateCollection([leaky])
    assert "ID-9001" not in json.dumps(coll.to_dict())
    assert "ID-9001" in json.dumps(coll.to_dict(include_ids=True))
