"""The coverage study's machinery (benchmarks/coverage.py), the interval helpers it
uses, and ``ci="auto"`` (AUTO_TABLE) — checks of the machinery, not of the numbers."""

import importlib.util
import math
import sys
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import impacteval as ie
from impacteval import inference as inf
from impacteval.estimators._common import CI_METHODS
from impacteval.estimators.difference import diff_plan
from impacteval.inference import (
    AUTO_TABLE,
    SumStatistic,
    bootstrap_draws,
    bootstrap_intervals,
    choose_auto,
    permutation_test,
    resample_interval,
)

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"_ie_bench_{name}",
                                                  ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses need their module registered
    spec.loader.exec_module(mod)
    return mod


cov = _load("coverage")


# ------------------------------------------------------------ data and truth
@pytest.mark.parametrize("outcome", cov.OUTCOMES)
def test_population_means_match_large_samples(outcome):
    rng = np.random.default_rng(1)
    z = rng.standard_normal(400_000)
    for state in ("base", "trend", "treated"):
        y = cov.transform(z, outcome, state)
        se = y.std() / math.sqrt(len(y))
        assert abs(y.mean() - cov.population_mean(outcome, state)) < 5 * se + 1e-12
    if outcome == "zero_inflated":
        assert np.mean(cov.transform(z, outcome, "base") == 0) == pytest.approx(0.8, abs=0.005)
    if outcome == "binary":
        assert set(np.unique(cov.transform(z, outcome, "base"))) == {0.0, 1.0}


def test_pairs_are_correlated_and_keep_their_marginals():
    rng = np.random.default_rng(2)
    y0, y1 = cov.pair(rng, 200_000, "lognormal", "base", "treated")
    # corr(log y0, log y1) = RHO (the copula's normal scores)
    assert np.corrcoef(np.log(y0), np.log(y1))[0, 1] == pytest.approx(cov.RHO, abs=0.01)
    assert y1.mean() == pytest.approx(0.5 * math.exp(0.5), rel=0.02)
    assert np.log(y0).std() == pytest.approx(1.0, rel=0.01)


@pytest.mark.parametrize("design", cov.DESIGNS)
@pytest.mark.parametrize("outcome", ["normal", "zero_inflated", "binary"])
def test_truth_is_what_large_samples_estimate(design, outcome):
    """The estimand of each design, checked against 200,000 simulated units."""
    c = cov.Cell(design, outcome, 200_000, 0 if design == "before_after" else 200_000)
    a, b = cov.simulate(c, np.random.default_rng(3))
    est = a.mean() if b is None else a.mean() - b.mean()
    se = math.sqrt(a.var() / len(a) + (0 if b is None else b.var() / len(b)))
    assert abs(est - cov.truth(c)) < 5 * se


# --------------------------------------------------------- interval helpers
def test_hall_interval_inverts_halls_transformation():
    est, se, lam = 1.3, 0.4, 0.35
    lo, hi = cov.hall_interval(est, se, lam)

    def g(t):  # Hall (1992), written plainly
        return t + lam * t**2 / 3 + lam**2 * t**3 / 27 + lam / 6

    z = stats.norm.ppf(0.975)
    # the interval's ends are where the transformed t statistic equals ∓z
    assert g((est - lo) / se) == pytest.approx(z, rel=1e-12)
    assert g((est - hi) / se) == pytest.approx(-z, rel=1e-12)
    # no skewness: the normal interval
    assert cov.hall_interval(est, se, 0.0) == pytest.approx((est - z * se, est + z * se), rel=1e-12)


def test_skewness_from_jackknife_equals_third_cumulant_of_difference():
    rng = np.random.default_rng(4)
    yt, yc = rng.lognormal(0, 1, 25), rng.lognormal(0, 1, 40)
    lam = 6 * cov.acceleration(diff_plan(yt, yc).jackknife())
    m3 = [np.mean((y - y.mean()) ** 3) for y in (yt, yc)]
    m2 = [np.var(y) for y in (yt, yc)]
    k3 = m3[0] / 25**2 - m3[1] / 40**2
    sd = math.sqrt(m2[0] / 25 + m2[1] / 40)
    assert lam == pytest.approx(k3 / sd**3, rel=1e-10)


def test_vs_basic_equals_basic_on_the_stabilised_scale():
    rng = np.random.default_rng(5)
    theta = rng.normal(2.0, 0.3, 4000)
    alpha, beta = -1.0, 0.8
    se_star = np.exp((alpha + beta * theta) / 2)  # an exact log-linear variance function
    lo, hi = cov.vs_basic_interval(2.0, theta, se_star)

    def h(x):
        return -(2 / beta) * np.exp(-(alpha + beta * x) / 2)

    q1, q2 = np.quantile(h(theta) - h(2.0), [0.025, 0.975])
    assert h(lo) == pytest.approx(h(2.0) - q2, rel=1e-9)
    assert h(hi) == pytest.approx(h(2.0) - q1, rel=1e-9)


def test_bootstrap_intervals_equal_resample_interval_for_every_method():
    rng = np.random.default_rng(6)
    yt, yc = rng.lognormal(0, 1, 20), rng.lognormal(0, 1, 35)
    plan = diff_plan(yt, yc)
    theta, se_star, _ = bootstrap_draws(plan, 999, 7, studentize=True)
    est, se = plan.value(), plan.se()
    many = bootstrap_intervals(theta, se_star, estimate=est, std_error=se,
                               methods=inf.BOOT_METHODS, jackknife=plan.jackknife())
    for m in inf.BOOT_METHODS:
        one = resample_interval(plan, ci=m, n_boot=999, seed=7)
        assert many[m] == pytest.approx((one.conf_low, one.conf_high), rel=1e-12, abs=1e-12)
    # the symmetric bootstrap-t written plainly
    t = (theta - est) / se_star
    q = np.quantile(np.abs(t), 0.95)
    assert many["symmetric"] == pytest.approx((est - q * se, est + q * se), rel=1e-12)


@pytest.mark.parametrize("p", [1, 2, 3, 5])
def test_packed_gather_equals_plain_resample_sums(p):
    """Blocks gather two columns per complex value; the sums are the plain ones."""
    rng = np.random.default_rng(8)
    x = rng.normal(size=(37, p))
    sizes = rng.integers(1, 5, 37).astype(float)
    plan = SumStatistic([x, x[:11] * 2], lambda s, n: s[0][:, 0] / n[0] + s[1][:, -1] / n[1],
                        sizes=[sizes, np.ones(11)])
    child = np.random.SeedSequence(9)
    theta, _ = inf._draw_block(plan, child, 50, False)
    r = np.random.default_rng(child)
    i0 = r.integers(0, 37, size=(50, 37))
    i1 = r.integers(0, 11, size=(50, 11))
    # the plan holds its rows in canonical (sorted) order: draws index that order
    x0, z0, x1 = plan.strata[0], plan.sizes[0], plan.strata[1]
    assert sorted(map(tuple, x0)) == sorted(map(tuple, x))
    ref = x0[i0][:, :, 0].sum(1) / z0[i0].sum(1) + x1[i1][:, :, -1].sum(1) / 11
    np.testing.assert_allclose(theta, ref, rtol=1e-12, atol=1e-12)


def test_permutation_inversion_shift_shortcut_equals_recomputation():
    """perm(δ) = perm(0) − δ·slope: the p-value at δ equals the test on shifted data."""
    rng = np.random.default_rng(10)
    yt, yc = rng.normal(1, 1, 15), rng.normal(0, 1.3, 21)
    r = permutation_test(yt, yc, n_perm=1999, seed=3)
    for end in (r.conf_low, r.conf_high, 0.4):
        direct = permutation_test(yt - end, yc, n_perm=1999, seed=3, invert=False)
        # the inverted interval's ends sit where the p-value crosses 0.05
        assert 0.0 < direct.p_value <= 1.0
    inside = permutation_test(yt - 0.5 * (r.conf_low + r.conf_high), yc, n_perm=1999, seed=3,
                              invert=False)
    assert inside.p_value > 0.05
    outside = permutation_test(yt - (r.conf_high + 0.05), yc, n_perm=1999, seed=3, invert=False)
    assert outside.p_value < 0.05 + 1e-12
    d = rng.normal(0.5, 1, 14)
    rp = permutation_test(d, None, n_perm=1999, seed=4)
    assert permutation_test(d - (rp.conf_high + 0.05), None, seed=4, invert=False).p_value < 0.05
    assert permutation_test(d - d.mean(), None, seed=4, invert=False).p_value > 0.05


# ------------------------------------------------------------ the study run
SMALL = [cov.Cell("difference", "normal", 10, 10), cov.Cell("before_after", "lognormal", 10, 0),
         cov.Cell("did", "binary", 10, 12), cov.Cell("difference", "binary", 12, 15),
         cov.Cell("did", "zero_inflated", 10, 10)]


@pytest.fixture(scope="module")
def quick():
    return cov.run_study(SMALL, reps=6, n_boot=99, seed=11, n_jobs=1, chunk=4)


def test_quick_study_has_every_cell_and_method(quick):
    assert len(quick.groupby(["design", "outcome", "n_treated", "n_control"])) == len(SMALL)
    for (d, o), g in quick.groupby(["design", "outcome"]):
        expected = set(cov.METHODS) - ({"permutation"} if o != "normal" else set())
        if d == "before_after":  # one group: no labels to permute
            expected -= {"studentized_permutation"}
        assert set(g["method"]) == expected, (d, o)
    # only auto withholds intervals (thin data, as the estimators do)
    assert (quick["n_reps"] + quick["n_withheld"] == 6).all() and (quick["n_boot"] == 99).all()
    assert (quick.loc[quick.method != "auto", "n_withheld"] == 0).all()
    assert quick["coverage"].between(0, 1).all()
    total = (quick["coverage"] + quick["miss_low"] + quick["miss_high"]
             + quick["n_failed"] / quick["n_reps"])
    np.testing.assert_allclose(total, 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(quick["mc_se"],
                               np.sqrt(quick["coverage"] * (1 - quick["coverage"])
                                       / quick["n_reps"]),
                               rtol=1e-12, atol=0)


def test_auto_row_is_the_chosen_methods_row(quick):
    checked = 0
    for _, g in quick.groupby(["design", "outcome", "n_treated", "n_control"]):
        auto = g[g.method == "auto"].iloc[0]
        if "/" in auto["auto_choice"] or auto["n_withheld"]:
            continue  # a fallback or withheld intervals: not one method's row
        checked += 1
        chosen = g[g.method == auto["auto_choice"]].iloc[0]
        for col in ("coverage", "miss_low", "miss_high", "mean_width"):
            assert auto[col] == pytest.approx(chosen[col], rel=1e-12, nan_ok=True)
    assert checked >= len(SMALL) - 3


def test_auto_as_estimators_withholds_thin_data_and_falls_back():
    thin = (np.r_[np.zeros(18), 1.0, 2.0], np.r_[np.zeros(15), np.arange(1.0, 6.0)])
    out = {"symmetric": (-1.0, 1.0), "analytic": (-2.0, 2.0)}
    ci, used, withheld, flag = cov.auto_as_estimators("difference", False, thin, out,
                                                      "symmetric")
    assert withheld and flag == "thin_data" and np.isnan(ci).all()
    rng = np.random.default_rng(0)
    fine = (rng.normal(size=30), rng.normal(size=30))
    out = {"symmetric": (-np.inf, 1.0), "analytic": (-2.0, 2.0)}
    ci, used, withheld, flag = cov.auto_as_estimators("difference", False, fine, out,
                                                      "symmetric")
    assert (ci, used, withheld, flag) == ((-2.0, 2.0), "analytic", False, "")
    # the same thin data through the estimator: no interval (the rule the study mirrors)
    import impacteval as ie

    df = pd.DataFrame({"y": np.r_[thin[0], thin[1]], "g": np.r_[np.ones(20), np.zeros(20)]})
    est = ie.difference(df, outcome="y", group="g")
    assert np.isnan(est.conf_low) and est.diagnostics["interval_withheld"] == "thin_data"


def test_study_is_reproducible_with_one_or_two_workers(quick):
    # threads: worker processes could not import this path-loaded module
    with joblib.parallel_config(backend="threading"):
        again = cov.run_study(SMALL[:2], reps=6, n_boot=99, seed=11, n_jobs=2, chunk=3)
    mine = quick.merge(again, on=["design", "outcome", "n_treated", "n_control", "method"])
    assert len(mine) == len(again)
    np.testing.assert_array_equal(mine["coverage_x"], mine["coverage_y"])
    np.testing.assert_array_equal(mine["mean_width_x"], mine["mean_width_y"])


def test_markdown_and_csv_outputs(quick, tmp_path):
    md = cov.markdown(quick, "header line")
    assert md.startswith("header line")
    assert "**difference — normal**" in md and "| 10/10 |" in md and "| 10 |" in md
    assert "[" in md  # auto's choice named
    path = tmp_path / "c.csv"
    quick.to_csv(path, index=False)
    back = pd.read_csv(path)
    assert list(back.columns) == list(quick.columns)
    docs = tmp_path / "d.md"
    docs.write_text("intro\n<!-- coverage:start -->\nold\n<!-- coverage:end -->\nafter\n")
    cov.update_docs(md, docs)
    text = docs.read_text()
    assert "old" not in text and "header line" in text and text.endswith("after\n")


# ------------------------------------------------------------------- auto
def test_auto_table_is_complete_and_uses_known_methods():
    for fam in ("difference", "before_after", "did", "regression", "follow_up", "benchmark"):
        for binary in (False, True):
            rules = AUTO_TABLE[(fam, binary)]
            # the last rule catches every size
            assert rules[-1][:2] == (math.inf, math.inf)
            assert all(m in CI_METHODS and m != "auto" for *_, m in rules)


def test_choose_auto_follows_the_table_and_the_size_cap():
    assert choose_auto("difference", False, (20, 20)) == "symmetric"
    assert choose_auto("difference", False, (30, 366)) == "studentized_permutation"
    assert choose_auto("difference", False, (10, 10)) == "studentized_permutation"
    assert choose_auto("before_after", False, (10, 0)) == "analytic"
    assert choose_auto("before_after", False, (20, 0)) == "symmetric"
    # resamples without spread likely (16 zeros of 20): no bootstrap-t for one group;
    # two balanced groups keep it (an unbounded result falls back to Welch)
    zi = np.r_[np.zeros(16), 1.0, 2.0, 3.0, 4.0]
    assert choose_auto("difference", False, (20, 20), data=(zi, zi)) == "symmetric"
    assert choose_auto("before_after", False, (20, 0), data=(zi,)) == "analytic"
    # DiD: Welch with groups of similar size, symmetric bootstrap-t when unbalanced
    assert choose_auto("did", False, (20, 20)) == "analytic"
    assert choose_auto("did", False, (20, 30)) == "analytic"
    assert choose_auto("did", False, (30, 366)) == "symmetric"
    assert choose_auto("did", False, (366, 30)) == "symmetric"
    for fam in ("difference", "before_after", "did", "follow_up", "benchmark", "regression"):
        assert choose_auto(fam, True, (30, 366)) == "analytic"
    # the design names map onto the families
    assert choose_auto("comparison", False, (20, 20)) == choose_auto("difference", False, (20, 20))
    assert choose_auto("randomized", True, (20, 20)) == choose_auto("difference", True, (20, 20))
    assert choose_auto("adjusted_comparison", False, (20, 20)) == "analytic"
    # above the resampling cap, auto stays analytic (the bootstrap would cost seconds)
    big = inf.AUTO_RESAMPLE_MAX_UNITS
    assert choose_auto("difference", False, (big, 1)) == "analytic"
    assert choose_auto("difference", False, (big // 2, big // 2)) == "symmetric"
    assert choose_auto("difference", False, (big // 4, 3 * big)) == "analytic"
    assert choose_auto("unknown_design", False, (20, 20)) == "analytic"


def test_docs_table_lists_the_auto_table():
    text = (ROOT / "docs" / "inference.md").read_text(encoding="utf-8")
    section = text.split("<!-- auto:start -->")[1].split("<!-- auto:end -->")[0]
    for (fam, binary), rules in AUTO_TABLE.items():
        row = [ln for ln in section.splitlines()
               if ln.startswith(f"| {fam} | {'binary' if binary else 'continuous'} |")]
        assert len(row) == 1, (fam, binary)
        for *_, method in rules:
            assert f"`{method}`" in row[0]


def test_shipped_coverage_table_matches_the_auto_table():
    """The published CSVs were made with the AUTO_TABLE in the code (docs and code agree)."""
    res = pd.read_csv(ROOT / "benchmarks" / "results" / "coverage.csv")
    costs = pd.read_csv(ROOT / "benchmarks" / "results" / "coverage_costs.csv")
    for r in res[res.method == "auto"].itertuples():
        nc = 0 if r.design == "before_after" else r.n_control
        now = choose_auto(r.design, r.outcome == "binary", (r.n_treated, nc))
        if r.n_reps == 0:
            continue  # every interval withheld (thin data)
        # the rule's method, or the analytic interval where the data made it fall back
        assert now in str(r.auto_choice).split("/") or str(r.auto_choice) == "analytic", r
    for r in costs[costs.method == "auto"].itertuples():
        design = {"difference": "difference", "paired": "before_after",
                  "level": "follow_up"}[r.kind]
        now = cov.cost_auto(cov.CostCell(r.kind, r.dist, r.scenario, r.n_treated, r.n_control),
                            0.0)
        if r.n_reps == 0:
            continue
        used = str(r.auto_choice).split("/")
        assert now in used or {"analytic", "analytic_log"} & set(used), (design, r)
    assert (res["n_reps"] + res["n_withheld"] >= 2000).all()
    assert (costs["n_reps"] + costs["n_withheld"] >= 2000).all()


def test_estimators_use_the_auto_choice():
    rng = np.random.default_rng(12)
    df = pd.DataFrame({"g": [1] * 20 + [0] * 20, "y": rng.lognormal(0, 1, 40)})
    r = ie.difference(df, outcome="y", group="g", n_boot=999, seed=1)
    chosen = choose_auto("comparison", False, (20, 20))
    assert r.inference["chosen_by"] == "auto"
    if chosen != "analytic":
        assert r.inference["method"] == chosen
        ref = ie.difference(df, outcome="y", group="g", ci=chosen, n_boot=999, seed=1)
        assert (r.conf_low, r.conf_high) == (ref.conf_low, ref.conf_high)
    df["w"] = (rng.random(40) < 0.4).astype(int)
    rb = ie.difference(df, outcome="w", group="g", n_boot=999, seed=1)
    if choose_auto("comparison", True, (20, 20)) == "analytic":
        assert rb.inference["method"].startswith("Newcombe")


def test_same_seed_identical_interval_with_one_or_two_workers():
    rng = np.random.default_rng(13)
    plan = diff_plan(rng.lognormal(0, 1, 30), rng.lognormal(0, 1, 366))
    a = resample_interval(plan, ci="symmetric", n_boot=4999, seed=5, n_jobs=1)
    with joblib.parallel_config(backend="threading"):
        b = resample_interval(plan, ci="symmetric", n_boot=4999, seed=5, n_jobs=2)
        c = resample_interval(plan, ci="symmetric", n_boot=4999, seed=5, n_jobs=2, batch_blocks=1)
    for o in (b, c):
        assert (o.conf_low, o.conf_high) == (a.conf_low, a.conf_high)


def test_cost_study_mirrors_the_estimators_auto():
    cells = [cov.CostCell("difference", "zi_lognormal", "null", 10, 10),
             cov.CostCell("level", "zi_lognormal", "null", 12, 0),
             cov.CostCell("level", "lognormal", "null", 30, 0)]
    raw = pd.DataFrame([r for c in cells for r in cov._cost_chunk(c, 3, range(12), 99)])
    auto = raw[raw.method == "auto"]
    # the level of a non-negative outcome is made on the log scale, as follow_up does
    lvl = auto[[c.kind == "level" for c in auto["cell"]]]
    assert set(lvl["auto_method"]) <= {"analytic_log", "symmetric_log"}
    assert (lvl.loc[~lvl["withheld"], "lo"] > 0).all()
    # a withheld interval is exactly a sample the thin-data flag fires on
    assert (auto["withheld"] == (auto["flag"] == "thin_data")).all()
    assert auto["withheld"].any()
    res = cov.summarise_costs(raw, 99, 3)
    a = res[res.method == "auto"].set_index("n_treated")
    assert (a["n_reps"] + a["n_withheld"] == 12).all()
    flags = cov.flag_summary(raw)
    assert {"kind", "code", "samples", "coverage"} <= set(flags.columns)
    given = flags[~flags["code"].str.startswith("thin_data")]
    assert given["samples"].sum() == int((~auto["withheld"] & ~auto["failed"]).sum())
    md = cov.flag_markdown(flags)
    assert "| kind | flag |" in md


def test_flag_figures_are_the_published_studys():
    """Every range an honesty flag quotes is the published cost study's (whole percent)."""
    from impacteval.estimators._common import COVERAGE_REGIMES

    flags = pd.read_csv(Path(cov.__file__).parent / "results" / "coverage_flags.csv")
    rows = {("difference", "thin_data"): "thin_data",
            ("difference", "participants_more_dispersed"): "participants_more_dispersed",
            ("paired", "paired_zero_inflated"): "paired_zero_inflated",
            ("paired", "paired_zero_inflated (n ≤ 12)"): "paired_zero_inflated_small",
            ("level", "skewed_level"): "skewed_level"}
    assert set(rows.values()) == set(COVERAGE_REGIMES)
    for (kind, code), key in rows.items():
        r = flags[(flags.kind == kind) & (flags.code == code)].iloc[0]
        low, high = COVERAGE_REGIMES[key][:2]
        assert round(100 * r["low"]) == round(100 * low), key
        assert round(100 * r["high"]) == round(100 * high), key
        assert r["samples"] >= 1000  # a figure from a handful of samples would not be quoted
