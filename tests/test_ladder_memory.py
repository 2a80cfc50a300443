"""Memory of the ladder (issue #21, register scale): what ``ie.evaluate`` holds besides
the caller's data, the frames it does not keep, and the columns it does not copy."""

from __future__ import annotations

import gc
import tracemalloc
import weakref

import numpy as np
import pandas as pd
import pytest
from _bench import load  # benchmarks/ by path (not on sys.path)
from numpy.testing import assert_allclose

import impacteval as ie
from impacteval.roles import (
    ARM_COL,
    TREATED_COL,
    _checked,
    _mark_checked,
    checked_frames,
    inherit_checks,
    prepare,
)

make_data = load("ladder_speed").make_data  # the benchmark's register-shaped panel

COVS = [f"x{j}" for j in range(1, 6)]


def _evaluate(df: pd.DataFrame, n_periods: int, **kw):
    half = n_periods // 2
    return ie.evaluate(df, outcome="y", unit="id", group="g", treated=1, period="period",
                       pre=list(range(half)), post=list(range(half, n_periods)),
                       covariates=COVS, ci="analytic", control=[0, 2], **kw)


def test_peak_memory_is_bounded_by_the_data():
    """Two comparison groups evaluated one at a time: the largest amount the ladder holds
    at once (numpy and Python allocations) stays below twice the data's own size. Before
    the frames were freed per group and the facts read under row masks it was 3.1 times
    (measured at these settings on 781e975), 1.6 times after."""
    df = make_data(5_000, 12, n_cov=5)
    data_bytes = int(df.memory_usage(deep=True).sum())
    gc.collect()
    tracemalloc.start()
    try:
        evs = _evaluate(df, 12)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [e.design for e in evs] == ["did", "did"]
    assert peak < 2.0 * data_bytes, f"peak {peak / data_bytes:.2f} x the data"


def test_checked_frames_hold_no_frame():
    """The once-per-frame unit checks keep a weak reference: a frame checked inside
    ``checked_frames`` is freed when its owner lets it go, and a new frame (even one that
    reuses its id) is not vouched for."""
    df = make_data(200, 4, n_cov=5)
    with checked_frames():
        sub = df[df["g"] != 2].copy()
        prepare(sub, outcome="y", unit="id", group="g", treated=1, period="period",
                pre=[0, 1], post=[2, 3])
        assert _checked(sub, ("rows", "id", "period"))
        ref = weakref.ref(sub)
        del sub
        gc.collect()
        assert ref() is None
        other = df.copy()
        assert not _checked(other, ("rows", "id", "period"))
        _mark_checked(other, ("rows", "id", "period"))
        assert _checked(other, ("rows", "id", "period"))
        assert not _checked(df, ("rows", "id", "period"))


def test_rows_of_a_checked_frame_inherit_its_checks():
    """One comparison group's rows, taken from a frame whose units were checked on all its
    rows, are not checked again; a frame checked on part of its rows vouches for nothing."""
    df = make_data(200, 4, n_cov=5)
    roles = dict(outcome="y", unit="id", group="g", treated=1, period="period")
    keys = [("rows", "id", "period"), ("group", "id", "g")]
    with checked_frames():
        prepare(df, pre=[0, 1], post=[2, 3], **roles)
        sub = df.loc[df["g"] != 2, ["id", "g", "period", "y"]]
        assert not any(_checked(sub, k) for k in keys)
        inherit_checks(df, sub)
        assert all(_checked(sub, k) for k in keys)
        part = df.copy()
        prepare(part, pre=[0], post=[1], **roles)  # periods 2 and 3 left out: not vouched
        assert not _checked(part, keys[0])
        sub2 = part[part["g"] != 2]
        inherit_checks(part, sub2)
        assert not _checked(sub2, keys[0])
    # outside checked_frames nothing is kept
    inherit_checks(df, sub)
    assert not _checked(sub, keys[0])


def test_unused_columns_do_not_change_the_verdict():
    """Columns no role names (a register extract holds many) are not copied into the
    ladder's own frames and change nothing: same designs, estimates, sensitivity,
    attrition and descriptives as the data without them."""
    df = make_data(400, 6, n_cov=5)
    wide = df.assign(note=np.where(df["id"] % 3 == 0, "a", "b"), extra=np.arange(len(df)) * 0.5)
    wide = wide[["note"] + list(df.columns) + ["extra"]]
    for control in ([0, 2], None):
        kw = dict(outcome="y", unit="id", group="g", treated=1, period="period",
                  pre=[0, 1, 2], post=[3, 4, 5], covariates=COVS, ci="analytic",
                  control=control)
        a, b = ie.evaluate(df, **kw), ie.evaluate(wide, **kw)
        a = [a] if control is None else list(a)
        b = [b] if control is None else list(b)
        for x, y in zip(a, b, strict=True):
            assert x.design == y.design
            assert_allclose(x.estimate.estimate, y.estimate.estimate, rtol=1e-12, atol=0)
            assert_allclose(x.estimate.std_error, y.estimate.std_error, rtol=1e-12, atol=0)
            assert list(x.steps["design"]) == list(y.steps["design"])
            assert x.sensitivity.keys() == y.sensitivity.keys()
            assert x.attrition == y.attrition
            assert x.context["descriptives"] == y.context["descriptives"]
    assert list(wide.columns) == ["note"] + list(df.columns) + ["extra"]  # caller's frame


def test_internal_columns_take_one_byte_per_row():
    """The prepared study's participant indicator (int8) and arm label (categorical) take
    one byte per row each; the arm labels read as before."""
    df = make_data(300, 4, n_cov=5)
    s = prepare(df, outcome="y", unit="id", group="g", treated=1, control=[0, 2],
                period="period", pre=[0, 1], post=[2, 3])
    n = len(s.data)
    for col in (TREATED_COL, ARM_COL):
        assert s.data[col].memory_usage(index=False, deep=True) <= n + 1_000
    t = s.data[TREATED_COL].to_numpy()
    assert set(np.unique(t)) == {0, 1}
    expected = np.where(t == 1, "treated", s.data["g"].astype(str))
    assert list(s.data[ARM_COL].astype(object)) == list(expected)


@pytest.mark.parametrize("labels", [["treated", "c", "w"], [10, 20, 30]])
def test_arm_labels_read_the_same_as_text(labels):
    """A group label whose text is "treated" still gives one category per text."""
    rng = np.random.default_rng(3)
    g = rng.choice(labels, size=60)
    df = pd.DataFrame({"y": rng.normal(size=60), "g": g})
    s = prepare(df, outcome="y", group="g", treated=labels[0], control=labels[1:])
    expected = np.where(s.data[TREATED_COL].to_numpy() == 1, "treated",
                        s.data["g"].astype(str))
    assert list(s.data[ARM_COL].astype(object)) == list(expected)
    for lab in labels[1:]:
        assert int((s.data[ARM_COL] == str(lab)).sum()) == int((s.data["g"] == lab).sum())


def test_pre_placebo_equals_the_placebo_on_a_frame_of_the_pre_rows():
    """The placebo on the last pre-periods reads the context's own rows (no copy of the
    pre rows); it equals the same rung run on a frame that holds only the pre rows (how
    it was computed before), for both designs that use it and both comparison groups."""
    from dataclasses import replace

    from impacteval.ladder import core, pretrend
    from impacteval.ladder.registry import get

    df = make_data(400, 6, n_cov=5)
    roles = dict(unit="id", group="g", treated=1, control=[0, 2], period="period",
                 pre=[0, 1, 2], post=[3, 4, 5], covariates=COVS, cluster=None)
    settings = dict(assignment="unknown", start=None, reference=None, th=ie.Thresholds(),
                    conf_level=0.95, ci="analytic", n_boot=999, seed=1, scale="absolute")
    seen = 0
    with checked_frames():
        for ctx in core._contexts(df, "y", roles, settings):
            ctx = core._narrowed(ctx)
            for name in ("adjusted_comparison", "matched"):
                rung = get(name)
                run = rung.estimate if name == "adjusted_comparison" else rung._placebo_run
                got = pretrend.pre_placebo(ctx, name, run)
                pre, k = [0, 1, 2], 1
                fctx = replace(ctx, df=ctx.df[ctx.df["period"].isin(pre)],
                               study=replace(ctx.study, pre=tuple(pre[:-k]),
                                             post=tuple(pre[-k:])),
                               roles={**ctx.roles, "pre": pre[:-k], "post": pre[-k:]},
                               did_diag={}, attrition={}, descriptives={})
                fctx.__dict__.pop("_pre_placebo", None)
                want = run(fctx)
                if want is None:
                    assert got is None
                    continue
                seen += 1
                assert got["k"] == k
                assert_allclose([got["value"], got["lo"], got["hi"]],
                                [want.estimate, want.conf_low, want.conf_high],
                                rtol=1e-12, atol=0)
    assert seen >= 2
