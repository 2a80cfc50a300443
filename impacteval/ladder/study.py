"""Facts about the study that several rungs read, computed once per evaluation, from
the rows: attrition, the one-cluster rule, group means before and after, the outcome's
SD for the MDES, and with ``start=`` the waitlist
contamination and the participants' start cohorts.

A panel with periods before and after reads its facts from the unit summary instead
(:mod:`.summary`: one pass over the rows for every design); the row versions here serve
cross-sections and repeated cross-sections.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..periods import chronological, period_key, to_keys
from ..roles import TREATED_COL, _as_list
from .context import Context

__all__ = ["attrition", "one_cluster_rule", "descriptives", "start_facts", "outcome_sd",
           "with_design_losses"]


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


def start_facts(ctx: Context) -> dict[str, Any]:
    """With ``start=``: comparison units that started the project before the end of the
    post-periods (contamination, waitlists), the participants' start cohorts (staggered
    entry) and the number of comparison units. The other DiD diagnostics come from the
    unit summary (:func:`.summary.did_diagnostics`)."""
    r = ctx.roles
    study = ctx.study
    u = r["unit"]
    post_max = period_key(chronological(study.post)[-1])
    st = ctx.df.groupby(u)[ctx.start].first()
    grp = ctx.df.groupby(u)[r["group"]].first()
    ctrl_units = grp[grp != study.treated].index
    if study.control_mode == "each" and ctx.label is not None:
        ctrl_units = grp[grp.astype(str) == ctx.label].index
    s = to_keys(st.reindex(ctrl_units))
    # participants who start in waves (staggered entry)
    ts = to_keys(st.reindex(grp[grp == study.treated].index)).dropna()
    return {"contaminated": int((s.notna() & (s <= post_max)).sum()),
            "participant_cohorts": int(ts[ts <= post_max].nunique()),
            "n_control_units": int(len(ctrl_units))}


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
