"""Facts about the study that several rungs read, computed once per evaluation:
attrition, the one-cluster rule, group means before and after, and the DiD
diagnostics (baseline g, the pre-period slope test, the placebo test, the dip and
waitlist contamination).

The pre-trend statistic here is today's ladder definition, kept as it was; one
shared definition in :mod:`impacteval.diagnostics` is planned.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..diagnostics import pretrend_slope, unit_slopes
from ..errors import ImpactEvalError
from ..estimators import did
from ..periods import chronological, period_key, to_keys
from ..results import Estimate
from ..roles import TREATED_COL, _as_list
from .context import Context, quiet

__all__ = ["attrition", "one_cluster_rule", "descriptives", "did_diagnostics", "outcome_sd",
           "pre_post_r2", "with_design_losses"]


def attrition(ctx: Context) -> dict[str, Any]:
    """Units with a pre row (or any row) but no post outcome, overall and by group."""
    r = ctx.roles
    d = ctx.df
    y = ctx.outcome
    study = ctx.study
    unit = r["unit"]
    if unit is None:
        if r["group"] is None:
            miss = d[y].isna()
            return {"overall": float(miss.mean()), "differential": 0.0, "n_units": int(len(d))}
        g = d[r["group"]]
        t = (g == study.treated).to_numpy()
        miss = d[y].isna().to_numpy()
        keep = t | (g.isin(list(study.controls)).to_numpy() if ctx.label is None or
                    study.control_mode != "each" else (g.astype(str) == ctx.label).to_numpy())
        rt = float(miss[t].mean()) if t.any() else 0.0
        rc = float(miss[keep & ~t].mean()) if (keep & ~t).any() else 0.0
        return {"overall": float(miss[keep].mean()), "treated": rt, "control": rc,
                "differential": rt - rc, "n_units": int(keep.sum())}
    units = d[[unit] + ([r["group"]] if r["group"] else [])].drop_duplicates(unit)
    # the unit column of the rows with an outcome after the start (not every column)
    seen = d[y].notna()
    if r["period"] is not None and _as_list(r["post"]):
        seen = seen & d[r["period"]].isin(study.post)
    post = d.loc[seen.to_numpy(), unit].unique()
    del seen
    lost = ~units[unit].isin(post)
    if r["group"] is None:
        return {"overall": float(lost.mean()), "differential": 0.0, "n_units": int(len(units))}
    g = units[r["group"]]
    t = (g == study.treated).to_numpy()
    if study.control_mode == "each" and ctx.label is not None:
        c = (g.astype(str) == ctx.label).to_numpy()
    else:
        c = g.isin(list(study.controls)).to_numpy()
    return attrition_rates(lost.to_numpy(), t, c)


def attrition_rates(lost: np.ndarray, t: np.ndarray, c: np.ndarray) -> dict[str, Any]:
    """Attrition overall and per group from one flag per unit (``lost``) and the masks of
    the participants (``t``) and this context's comparison units (``c``)."""
    keep = t | c
    rt = float(lost[t].mean()) if t.any() else 0.0
    rc = float(lost[c].mean()) if c.any() else 0.0
    return {"overall": float(lost[keep].mean()), "treated": rt, "control": rc,
            "differential": rt - rc, "n_units": int(keep.sum()),
            "n_lost": int(lost[keep].sum()), "n_treated_units": int(t.sum()),
            "n_lost_treated": int(lost[t].sum())}


def with_design_losses(att: dict[str, Any], est: Any) -> dict[str, Any]:
    """Attrition including the participants the chosen design left out although they had
    an outcome after the start (e.g. a matched DiD needs every period; a caliper leaves
    some participants without a twin): they count as lost in the rating, the text and
    ``n_lost``, the same everywhere. Comparison units a design does not use (matching
    picks twins) are not losses."""
    n_t = att.get("n_treated_units")
    if not n_t or est is None or not getattr(est, "n_treated", None):
        return att
    extra = max(0, n_t - int(att.get("n_lost_treated", 0)) - int(est.n_treated))
    out = {**att, "n_lost_by_design": extra}
    if extra:
        lost_t = int(att["n_lost_treated"]) + extra
        rt = lost_t / n_t
        n_lost = int(att.get("n_lost", 0)) + extra
        out.update({"treated": rt, "n_lost_treated": lost_t, "n_lost": n_lost,
                    "overall": n_lost / att["n_units"] if att.get("n_units") else rt,
                    "differential": rt - float(att.get("control", 0.0))})
    return out


def one_cluster_rule(ctx: Context) -> str | None:
    c = ctx.roles["cluster"]
    if c is None or ctx.roles["group"] is None:
        return None
    d = ctx.study.data
    per = d.groupby(TREATED_COL)[c].nunique()
    if per.get(1, 0) == 1 or per.get(0, 0) == 1:
        return (f"one cluster ({c!r}) per condition: the effect cannot be separated from that "
                "cluster (WWC)")
    return None


def descriptives(ctx: Context) -> dict[str, Any]:
    """Group means before and after and their percent changes (for the plain text).

    Read from the prepared columns under row masks: one column's selected values at a
    time are copied, never the rows of the frame."""
    r = ctx.roles
    out: dict[str, Any] = {}
    if r["period"] is None or not _as_list(r["pre"]) or not _as_list(r["post"]):
        return out
    d = ctx.study.data
    arm = ctx.arm_mask()
    t = d[TREATED_COL].to_numpy()
    yv = d[ctx.outcome]
    is_pre = d[r["period"]].isin(ctx.study.pre).to_numpy()
    is_post = d[r["period"]].isin(ctx.study.post).to_numpy()
    nonneg = yv.to_numpy() >= 0
    nonneg = bool(nonneg.all() if arm is None else nonneg[arm].all())
    for key, value in (("treated", 1), ("control", 0)):
        rows = t == value
        if arm is not None:
            rows = rows & arm
        if not rows.any():
            continue
        m0 = float(yv[rows & is_pre].mean())
        m1 = float(yv[rows & is_post].mean())
        out[key] = {"pre": m0, "post": m1,
                    "pct_change": 100 * (m1 / m0 - 1) if m0 else float("nan"),
                    "nonnegative": nonneg,
                    "n": int(d[r["unit"]][rows].nunique()) if r["unit"]
                    else int(np.count_nonzero(rows))}
    return out


def did_diagnostics(ctx: Context) -> dict[str, Any]:
    """Baseline g, pre-trend slope test (unit slopes, Welch), placebo test, dip, contamination."""

    from ..estimators._common import cox_index, hedges_g

    r = ctx.roles
    study = ctx.study
    u, p, y = r["unit"], r["period"], ctx.outcome
    out: dict[str, Any] = {}
    d = study.data
    arm = ctx.arm_mask()
    pre_rows = d[p].isin(study.pre).to_numpy()
    if arm is not None:
        pre_rows = pre_rows & arm
    order = chronological(study.pre)
    sd = float(d[y][pre_rows].std(ddof=1))
    # the event-time DiD first, before this function copies any rows (its peak memory and
    # theirs do not add up)
    placebo = (_placebo_p(ctx) if len(order) >= 2 and sd > 0 else None)
    pre = d.loc[pre_rows, [u, p, y, TREATED_COL]]
    means = pre.groupby(u).agg(y=(y, "mean"), t=(TREATED_COL, "first"))
    y0t = means.loc[means.t == 1, "y"].to_numpy(float)
    y0c = means.loc[means.t == 0, "y"].to_numpy(float)
    del means
    if len(y0t) >= 2 and len(y0c) >= 2 and np.std(np.r_[y0t, y0c]) > 0:
        out["baseline_g"] = (cox_index(y0t, y0c).value if study.binary
                             else hedges_g(y0t, y0c).value)
    if len(order) >= 2 and sd > 0:
        code = {v: i for i, v in enumerate(order)}
        ids, slopes = unit_slopes(pre[y].to_numpy(float), pre[u].to_numpy(),
                                  pre[p].map(code).to_numpy(float))
        g = pre.groupby(u, sort=False)[TREATED_COL].first().reindex(ids).to_numpy()
        res = pretrend_slope(slopes[g == 1], slopes[g == 0], sd)
        if res is not None:
            out.update(slope_test_facts(ctx, res, sd))
        if placebo is not None:
            out["placebo_p"] = placebo
        # pre-programme dip (Ashenfelter 1978): how far participants' last pre-period
        # departs from their earlier pre-periods, beyond the comparison group's own change
        # over the same months (a common trend is not a dip)
        if len(order) >= 3:
            def jump(grp):
                return float(grp.loc[grp[p] == order[-1], y].mean()
                             - grp.loc[grp[p].isin(order[:-1]), y].mean())

            jt = jump(pre.loc[pre[TREATED_COL] == 1, [p, y]])
            jc = (jump(pre.loc[pre[TREATED_COL] == 0, [p, y]])
                  if (pre[TREATED_COL] == 0).any() else 0.0)
            out["dip"] = (jt - (jc if np.isfinite(jc) else 0.0)) / sd
    if ctx.start is not None:
        post_max = period_key(chronological(study.post)[-1])
        st = ctx.df.groupby(u)[ctx.start].first()
        grp = ctx.df.groupby(u)[r["group"]].first()
        ctrl_units = grp[grp != study.treated].index
        if study.control_mode == "each" and ctx.label is not None:
            ctrl_units = grp[grp.astype(str) == ctx.label].index
        s = to_keys(st.reindex(ctrl_units))
        out["contaminated"] = int((s.notna() & (s <= post_max)).sum())
        # participants who start in waves (staggered entry)
        ts = to_keys(st.reindex(grp[grp == study.treated].index)).dropna()
        out["participant_cohorts"] = int(ts[ts <= post_max].nunique())
        out["n_control_units"] = int(len(ctrl_units))
    del pre
    out.update(_composition(d, arm, study, u, p, y))
    return out


def slope_test_facts(ctx: Context, res: Any, sd: float) -> dict[str, Any]:
    """The ladder's facts from the pre-trend slope test ``res`` (outcome SD ``sd``): the
    test, the slope difference in SD, its p-value and smallest detectable slope, and the
    lever (how far, in periods, the post window lies from the pre window: a trend
    difference b that went on would shift the DiD by b × lever)."""
    from scipy import stats

    study = ctx.study
    z = stats.norm.ppf(1 - ctx.th.pretrend_alpha / 2) + stats.norm.ppf(ctx.th.power)
    allp = chronological(set(study.pre) | set(study.post))
    rank = {v: i for i, v in enumerate(allp)}
    return {"pretrend": res, "slope_diff_sd": float(res.slope_sd),
            "slope_p": float(2 * stats.t.sf(abs(res.t), res.df)),
            "slope_mde_sd": float(z * res.std_error / sd),
            "lever": float(np.mean([rank[v] for v in study.post])
                           - np.mean([rank[v] for v in study.pre]))}


def _placebo_p(ctx: Context) -> float | None:
    """The joint placebo test (p-value) of the event-time DiD model."""
    r = ctx.roles
    try:
        e = quiet(did, ctx.df, outcome=ctx.outcome, unit=r["unit"], group=r["group"],
                  treated=r["treated"], control=r["control"], period=r["period"],
                  pre=r["pre"], post=r["post"], method="panel", ci="analytic")
        e = e[0] if not isinstance(e, Estimate) else e
        if "pretrend_p_value" in e.diagnostics:
            return float(e.diagnostics["pretrend_p_value"])
    except (ImpactEvalError, np.linalg.LinAlgError, ValueError):
        # the placebo p-value is only reported: a degenerate panel (an outcome that never
        # changes within a unit, no residual degrees of freedom) leaves it out, and the
        # DiD rung reports its own failure
        pass
    return None


def _composition(d: pd.DataFrame, arm: Any, study: Any, u: str, p: str, y: str
                 ) -> dict[str, Any]:
    """Participants' share of the units measured before and of those measured after, and
    the change in percentage points (a changing mix can pass for an effect). ``d`` is the
    prepared data and ``arm`` the boolean mask of this context's rows (None: all)."""
    seen = d[y].notna().to_numpy()
    if arm is not None:
        seen = seen & arm
    shares = []
    for periods in (study.pre, study.post):
        rows = seen & d[p].isin(periods).to_numpy()
        units = d.loc[rows, [u, TREATED_COL]].groupby(u)[TREATED_COL].first()
        if not len(units):
            return {}
        shares.append(float(units.mean()))
    return {"composition_change_pp": 100 * (shares[1] - shares[0])}


def outcome_sd(ctx: Context) -> float:
    d = ctx.study.data
    if ctx.roles["period"] is not None and _as_list(ctx.roles["post"]):
        rows = d[ctx.roles["period"]].isin(ctx.study.post).to_numpy()
        if ctx.roles["unit"] is not None:
            # the columns it reads, not every column of the rows
            d = d.loc[rows, [ctx.roles["unit"], ctx.outcome]]
            d = d.groupby(ctx.roles["unit"])[ctx.outcome].mean().to_frame()
        else:
            d = d.loc[rows, [ctx.outcome]]
    return float(d[ctx.outcome].std(ddof=1))


def pre_post_r2(ctx: Context) -> float:
    r = ctx.roles
    d = ctx.study.data
    u, y = r["unit"], ctx.outcome

    def mean_in(periods: Any) -> pd.Series:
        # the unit and outcome columns of those rows only
        rows = d[r["period"]].isin(periods).to_numpy()
        return d.loc[rows, [u, y]].groupby(u)[y].mean()

    pre = mean_in(ctx.study.pre)
    post = mean_in(ctx.study.post)
    t = d[[u, TREATED_COL]].groupby(u)[TREATED_COL].first()
    w = pd.DataFrame({"pre": pre, "post": post, "t": t}).dropna()
    if len(w) < 4:
        return 0.0
    # within-group correlation (pooled over groups)
    w["pre_c"] = w["pre"] - w.groupby("t")["pre"].transform("mean")
    w["post_c"] = w["post"] - w.groupby("t")["post"].transform("mean")
    den = math.sqrt(float((w.pre_c**2).sum() * (w.post_c**2).sum()))
    if den == 0:
        return 0.0
    rho = float((w.pre_c * w.post_c).sum()) / den
    return float(min(max(rho**2, 0.0), 0.99))
