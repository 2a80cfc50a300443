"""Figures: the numbers drawn equal hand computations; suppression; grayscale; languages."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from conftest import make_panel
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from numpy.testing import assert_allclose

import impacteval as ie
from impacteval import plots
from impacteval.errors import ArgumentError, ImpactEvalWarning, MissingColumnError
from impacteval.results import Estimate


@pytest.fixture(scope="module")
def did_eval():
    df = ie.datasets.load_teaching("did")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        ev = ie.evaluate(df, outcome="welfare_ksek", unit="household_id", group="group",
                         treated="participant", period="period", pre="pre", post="post",
                         covariates=["age"])
    return df, ev


def _small_group_panel():
    df = make_panel(n_t=12, n_c=20, periods=(1, 2, 3, 4), post_from=3, seed=3)
    ids = df["id"].unique()
    # three comparison units form their own small group
    df.loc[df["id"].isin(ids[-3:]), "grp"] = "pilot"
    return df


def _all_colours_gray(fig: Figure) -> bool:
    cols = []
    for ax in fig.axes:
        for ln in ax.lines:
            cols += [ln.get_color(), ln.get_markerfacecolor(), ln.get_markeredgecolor()]
        for p in ax.patches:
            cols += [p.get_facecolor(), p.get_edgecolor()]
        for c in ax.collections:
            cols += [tuple(x) for x in np.atleast_2d(c.get_facecolor())]
            cols += [tuple(x) for x in np.atleast_2d(c.get_edgecolor())]
    for c in cols:
        if isinstance(c, str) and c in ("none", "None"):
            continue
        r, g, b, alpha = to_rgba(c)
        if alpha > 0 and not (abs(r - g) < 1e-9 and abs(g - b) < 1e-9):
            return False
    return True


# ------------------------------------------------------------------ group means
def test_group_means_equal_hand_computation():
    df = _small_group_panel()
    t = plots.group_means(df, outcome="y", unit="id", group="grp", treated="p",
                          control=["c", "pilot"], period="period", pre=[1, 2], post=[3, 4])
    for (g, p), sub in df.groupby(["grp", "period"]):
        row = t[(t["group"] == g) & (t["period"] == p)].iloc[0]
        assert row["n"] == sub["id"].nunique()
        if g == "pilot":
            assert row["suppressed"] and np.isnan(row["mean"])
        else:
            assert not row["suppressed"]
            assert_allclose(row["mean"], sub["y"].mean(), rtol=1e-12)
    assert list(t["phase"].iloc[:4]) == ["pre", "pre", "post", "post"]
    assert t["treated"].sum() == 4


def test_group_means_threshold_is_configurable_and_input_untouched():
    df = _small_group_panel()
    before = df.copy()
    t = plots.group_means(df, outcome="y", unit="id", group="grp", treated="p",
                          control=["c", "pilot"], period="period", suppress_below=3)
    assert not t["suppressed"].any()  # 3 people are enough when the threshold is 3
    pd.testing.assert_frame_equal(df, before)


def test_group_means_plot_draws_the_means_and_hides_small_groups():
    df = _small_group_panel()
    fig = plots.group_means_plot(df, outcome="y", unit="id", group="grp", treated="p",
                                 control=["c", "pilot"], period="period", pre=[1, 2],
                                 post=[3, 4], units="kSEK")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.lines if not ln.get_label().startswith("_")}
    hand = df[df.grp == "p"].groupby("period")["y"].mean()
    assert_allclose(lines["participants (p)"].get_ydata(), hand.to_numpy(), rtol=1e-12)
    assert np.isnan(lines["pilot"].get_ydata()).all()
    assert "kSEK" in ax.get_ylabel()
    assert any("not shown" in t.get_text() for t in ax.texts)
    assert _all_colours_gray(fig)


def test_group_means_plot_text_periods_and_swedish():
    df = ie.datasets.load_teaching("did_excel_sv")
    fig = plots.group_means_plot(df, outcome="försörjningsstöd_tkr", unit="hushåll",
                                 group="grupp", treated="projekt", period="mätning",
                                 pre="före", post="efter", lang="sv", units="tkr per år")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["före", "efter"]
    assert "per grupp" in ax.get_title()
    assert "tkr per år" in ax.get_ylabel()


def test_group_means_errors_name_the_column():
    df = _small_group_panel()
    with pytest.raises(MissingColumnError, match="'nope'"):
        plots.group_means_plot(df, outcome="nope", unit="id", group="grp", treated="p",
                               period="period")
    with pytest.raises(ArgumentError, match="lang"):
        plots.group_means_plot(df, outcome="y", unit="id", group="grp", treated="p",
                               period="period", lang="de")


# ------------------------------------------------------------------ ladder plot
def test_ladder_plot_positions_every_estimated_design(did_eval):
    _, ev = did_eval
    fig = plots.ladder_plot(ev, units="kSEK per year")
    ax = fig.axes[0]
    first = ev.steps.groupby("design", sort=False).first()
    shown = first[(first.index != "follow_up") & first["estimate"].notna()]
    markers = [ln for ln in ax.lines if len(ln.get_xdata()) == 1]
    assert len(markers) == len(shown)
    assert_allclose(sorted(m.get_xdata()[0] for m in markers), sorted(shown["estimate"]),
                    rtol=1e-12)
    chosen = [m for m in markers if m.get_label() == "chosen"]
    assert len(chosen) == 1
    assert_allclose(chosen[0].get_xdata()[0], ev.estimate.estimate, rtol=1e-12)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "difference-in-differences"  # strongest design at the top
    assert "kSEK per year" in ax.get_xlabel()
    assert _all_colours_gray(fig)
    assert "per prövad design" in plots.ladder_plot(ev, lang="sv").axes[0].get_title()


def test_ladder_plot_needs_an_evaluation():
    with pytest.raises(ArgumentError, match="Evaluation"):
        plots.ladder_plot(object())


# -------------------------------------------------------------------- love plot
def test_love_plot_draws_absolute_smds():
    bal = pd.DataFrame({"covariate": ["age", "sex=male", "earlier"],
                        "smd_before": [-0.57, 0.04, -0.63], "smd_after": [-0.18, 0.05, 0.13]})
    fig = plots.love_plot(bal)
    ax = fig.axes[0]
    before = [ln for ln in ax.lines if ln.get_label() == "before matching"][0]
    after = [ln for ln in ax.lines if ln.get_label() == "after matching"][0]
    assert_allclose(before.get_xdata(), [0.57, 0.04, 0.63], rtol=1e-12)
    assert_allclose(after.get_xdata(), [0.18, 0.05, 0.13], rtol=1e-12)
    vlines = sorted(ln.get_xdata()[0] for ln in ax.lines if ln.get_label() in ("0.1", "0.25"))
    assert_allclose(vlines, [0.10, 0.25], rtol=1e-12)
    assert _all_colours_gray(fig)
    with pytest.raises(MissingColumnError, match="smd_after"):
        plots.love_plot(bal.drop(columns="smd_after"))


# ----------------------------------------------------------------- overlap plot
def test_overlap_histogram_shares_and_suppression():
    rng = np.random.default_rng(7)
    s = np.r_[rng.beta(4, 2, 30), rng.beta(2, 4, 200)]
    t = np.r_[np.ones(30, bool), np.zeros(200, bool)]
    fig = plots.overlap_plot(s, t, bins=8, suppress_below=5)
    ax = fig.axes[0]
    edges = np.histogram_bin_edges(s, bins=8)
    ct, _ = np.histogram(s[t], bins=edges)
    cc, _ = np.histogram(s[~t], bins=edges)
    filled = [p for p in ax.patches if p.get_fill()]
    heights = np.array([p.get_height() for p in filled])
    exp_t = np.where((ct > 0) & (ct < 5), 0, 100 * ct / 30)
    exp_c = np.where((cc > 0) & (cc < 5), 0, 100 * cc / 200)
    assert_allclose(heights, np.r_[exp_t, -exp_c], atol=1e-12)
    hatched = [p for p in ax.patches if not p.get_fill()]
    assert len(hatched) == int(((ct > 0) & (ct < 5)).sum() + ((cc > 0) & (cc < 5)).sum())
    # a suppressed bar is drawn at the upper bound, never at its real height
    for p in hatched:
        assert abs(p.get_height()) in (pytest.approx(100 * 4 / 30), pytest.approx(100 * 4 / 200))
    assert _all_colours_gray(fig)


def test_overlap_from_table_and_errors():
    tab = pd.DataFrame({"column": ["age", "n_children"], "share_treated_outside": [0.0, 0.1]})
    fig = plots.overlap_plot(tab)
    widths = [p.get_width() for p in fig.axes[0].patches]
    assert_allclose(widths, [0.0, 10.0], atol=1e-12)
    with pytest.raises(ArgumentError, match="treated"):
        plots.overlap_plot(np.array([0.1, 0.2]))
    with pytest.raises(ArgumentError, match="2 scores but 3"):
        plots.overlap_plot(np.array([0.1, 0.2]), np.array([True, False, True]))


# --------------------------------------------------------------- bootstrap plot
def test_bootstrap_plot_histogram_holds_every_draw():
    df = ie.datasets.load_teaching("comparison")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        est = ie.difference(df, outcome="merit", group="group", treated="participant",
                            ci="percentile", n_boot=999, seed=3)
    assert est.draws is not None
    fig = plots.bootstrap_plot(est, units="merit points")
    ax = fig.axes[0]
    total = sum(p.get_height() for c in ax.containers for p in c)
    assert total == np.isfinite(est.draws).sum()
    est_line = [ln for ln in ax.lines if ln.get_label() == "estimate"][0]
    assert_allclose(est_line.get_xdata()[0], est.estimate, rtol=1e-12)
    assert "merit points" in ax.get_xlabel()
    no_draws = Estimate(estimate=1.0, std_error=0.5, conf_low=0.0, conf_high=2.0, n_treated=5,
                        design="comparison", estimand="ATT", outcome="y")
    with pytest.raises(ArgumentError, match="no draws"):
        plots.bootstrap_plot(no_draws)


# -------------------------------------------------------------- event-time plot
def test_event_time_plot_matches_the_table():
    df = make_panel(n_t=20, n_c=30, periods=(1, 2, 3, 4, 5), post_from=4, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        est = ie.did(df, outcome="y", unit="id", group="grp", treated="p", period="period",
                     pre=[1, 2, 3], post=[4, 5])
    tab = est.tables["event_time"]
    fig = plots.event_time_plot(est, units="points", period="period")
    ax = fig.axes[0]
    post = tab[~tab["pre"].astype(bool)]
    pts = [ln for ln in ax.lines if ln.get_label() == "_nolegend_" or True]
    xs = np.concatenate([ln.get_xdata() for ln in pts if ln.get_linestyle() == "None"
                         and ln.get_marker() == "o"])
    assert set(np.round(xs, 9)) == set(np.round(tab["period"].astype(float), 9))
    ys = np.concatenate([ln.get_ydata() for ln in pts if ln.get_marker() == "o"
                         and ln.get_linestyle() == "None" and ln.get_markerfacecolor() != "white"])
    assert_allclose(np.sort(ys), np.sort(post["estimate"].to_numpy()), rtol=1e-12)
    assert "points" in ax.get_ylabel()
    assert _all_colours_gray(fig)
    with pytest.raises(ArgumentError, match="event_time"):
        plots.event_time_plot(Estimate(estimate=1.0, std_error=0.5, conf_low=0.0, conf_high=2.0,
                                       n_treated=5, design="did", estimand="ATT", outcome="y"))


def test_text_and_date_periods_make_readable_ticks_and_one_name_per_group():
    """#18 point 6: 24 text months or dates: at most 12 tick labels, no time of day, turned
    labels, and a group called "Deltagare" is not "deltagare (Deltagare)"."""
    import pandas as pd

    rng = np.random.default_rng(0)
    months = [f"{y}-{m:02d}" for y in (2012, 2013) for m in range(1, 13)]
    rows = [{"id": i, "g": "Deltagare" if i < 10 else "Jämförelsegrupp", "p": m,
             "y": rng.normal()} for i in range(30) for m in months]
    df = pd.DataFrame(rows)
    for periods, pre, post in (
            (df, months[:12], months[12:]),
            (df.assign(p=pd.to_datetime(df["p"] + "-01")),
             list(pd.to_datetime([m + "-01" for m in months[:12]])),
             list(pd.to_datetime([m + "-01" for m in months[12:]])))):
        fig = ie.plots.group_means_plot(periods, outcome="y", unit="id", group="g",
                                        treated="Deltagare", period="p", pre=pre, post=post,
                                        lang="sv")
        ax = fig.axes[0]
        labels = [t.get_text() for t in ax.get_xticklabels()]
        assert 2 <= len(labels) <= 12 and labels[0] == "2012-01"
        assert all("00:00" not in s for s in labels)
        assert all(t.get_rotation() > 0 for t in ax.get_xticklabels())
        names = [t.get_text() for t in ax.get_legend().get_texts()]
        assert names == ["Deltagare", "Jämförelsegrupp"]
