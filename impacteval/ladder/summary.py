"""The sufficient statistics of a panel, computed once per outcome and shared by the
designs and facts of the ladder, in memory and on Dask data alike.

One pass over the rows (:func:`impacteval._dask.unit_part`) gives

* one row per unit: its group label, the count and sum of its non-missing outcomes
  before and after the start, and its OLS slope over the pre-periods;
* per group label and period: the count and sum of the non-missing outcomes, and per
  label the (n, mean, M2) of its pre-period rows, its smallest outcome and whether every
  outcome is 0/1.

From these alone come the ladder's facts (attrition, the groups' means before and after,
baseline g, the pre-period slope test, the dip, the change in composition) and the
estimates of the designs that read only each unit's mean outcome before and after the
start: the comparison group after only, the benchmark, the before–after comparison,
the follow-up and the DiD of unit changes. Those estimators run on a table of two rows
per unit (:func:`unit_frame`), which gives the numbers they give on the rows. The
twins (matched, matched DiD, adjusted comparison) and the adjusted comparison's
regression run on one row per unit with its means (:func:`twin_changes`,
:func:`unit_post_table`, :func:`.context.unit_wide`) when no unit lacks the periods they
read. The event-time DiD model is fitted once per comparison group
(:func:`event_time_did`) and read by the DiD diagnostics (its joint placebo test), the
DiD design and the matched DiD's triangulation (:func:`plain_did`).

Written here (not in pandas or statsmodels): the bookkeeping that routes the designs
to these shared statistics; every number comes from the package's estimators.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ImpactEvalError
from ..notes import Note
from ..results import Estimate
from ..roles import _as_list
from .context import Context, per_study, quiet

__all__ = ["of", "unit_frame", "on_units", "facts", "attrition", "descriptives",
           "did_diagnostics", "event_time_did", "plain_did", "twin_changes",
           "unit_post_table", "placebo_split", "placebo_summary", "two_periods",
           "outcome_sd", "pre_post_r2", "unit_means"]

#: the group label column of the unit rows (as in :func:`impacteval._dask.unit_part`)
LABEL = "__label__"
#: the group column of the unit table when the data have no comparison group
_NO_GROUP = "__group__"


def of(ctx: Context) -> dict[str, Any] | None:
    """The unit summary of ``ctx``'s outcome: the one the Dask path read, or in memory
    one pass over the prepared rows, shared by every comparison group's context. ``None``
    when the data are not a panel with periods before and after the start (a
    cross-section, repeated cross-sections)."""
    s = ctx._memo.get("summary")
    if s is not None:
        return s
    r = ctx.roles
    if r["unit"] is None or r["period"] is None or not ctx.study.pre or not ctx.study.post:
        return None
    # a placebo's context (:func:`.pretrend.pre_placebo`) keeps its own, on its rows
    s = _from_rows(ctx) if ctx._memo.get("summary_here") else \
        per_study(ctx, "unit_summary", _from_rows)
    ctx._memo["summary"] = s
    return s


def _from_rows(ctx: Context) -> dict[str, Any]:
    """The unit summary of the frame the designs read (``ctx.df`` before it is narrowed
    to one comparison group: every row of the outcome, missing outcomes counted)."""
    from .._dask import combine_parts, unit_part
    from ..periods import chronological

    st = ctx.study
    order = chronological(st.pre) + chronological(st.post)
    codes = {v: i for i, v in enumerate(order)}
    split = placebo_split(st.pre, st.post) if ctx.has_group else None
    part = unit_part(ctx.df, st.unit, st.group, st.period, ctx.outcome, codes, len(st.pre),
                     late=None if split is None else [codes[v] for v in split[1]])
    s = combine_parts([part], order, len(st.pre))
    roles = {"unit": ctx.roles["unit"], "group": ctx.roles["group"] or _NO_GROUP,
             "period": ctx.roles["period"]}
    markers = (st.pre[0], st.post[0])
    frame = unit_frame(s["units"], ctx.outcome, roles, *markers)
    return {**s, "frame": frame, "markers": markers,
            "means_fit": means_fit(frame[ctx.outcome], bool(st.binary))}


def placebo_split(pre: Any, post: Any) -> tuple[list, list] | None:
    """The pre-period placebo's periods (:func:`.pretrend.pre_placebo`): the last ``k``
    pre-periods as if they were "after" (as many as the post-periods, at most half of
    the pre-periods) and the ones before them as "before"; ``None`` with fewer than two
    pre-periods."""
    pre = sorted(pre)
    if len(pre) < 2:
        return None
    k = max(1, min(len(_as_list(post)), len(pre) // 2))
    return pre[:-k], pre[-k:]


def placebo_summary(ctx: Context, fake_pre: Any, fake_post: Any) -> dict[str, Any] | None:
    """The unit summary of the placebo on the pre-periods (its "before" and "after" are
    ``fake_pre`` and ``fake_post``), from the evaluation's own pass over the rows (each
    unit's sums over the placebo's two windows, :func:`impacteval._dask.unit_part`'s
    ``late``): the same sums as a pass over the placebo's periods. ``None`` when the
    evaluation's summary does not hold that split."""
    s = of(ctx) if not ctx.rcs else None
    if s is None or "n_late" not in s["units"] or \
            placebo_split(ctx.study.pre, ctx.study.post) != (list(fake_pre), list(fake_post)):
        return None
    u = s["units"]
    units = pd.DataFrame({"unit": u["unit"].to_numpy(), LABEL: u[LABEL].to_numpy(),
                          "n_pre": u["n_early"].to_numpy(), "s_pre": u["s_early"].to_numpy(),
                          "n_post": u["n_late"].to_numpy(), "s_post": u["s_late"].to_numpy()})
    means = []
    for n, sm in (("n_pre", "s_pre"), ("n_post", "s_post")):
        has = units[n].to_numpy() > 0
        means.append(units[sm].to_numpy()[has] / units[n].to_numpy()[has])
    return {"units": units, "placebo": True,
            "means_fit": means_fit(pd.Series(np.concatenate(means)), bool(ctx.study.binary))}


def means_fit(means: pd.Series, binary: bool) -> bool:
    """Whether the estimators see the same kind of outcome in the unit means as in the
    rows: a 0/1 outcome whose unit means are not all 0/1 is read as a proportion by the
    estimators and gets other intervals, so its designs run on the rows."""
    v = means.to_numpy(float)
    return bool(len(v) and np.isin(v, (0.0, 1.0)).all()) == binary


def unit_frame(units: pd.DataFrame, y: Any, roles: dict, pre0: Any, post0: Any
               ) -> pd.DataFrame:
    """Each unit's mean outcome before (at period ``pre0``) and after (at ``post0``): the
    rows the post-only and before–after estimators reduce the data to."""
    u, g, p = roles["unit"], roles["group"], roles["period"]
    parts = []
    for n, s, at in (("n_pre", "s_pre", pre0), ("n_post", "s_post", post0)):
        has = units[n].to_numpy() > 0
        sub = units[has]
        # the period as pandas infers it from the value (as from a list of it, without
        # building one: a list of a million objects costs more than the rest)
        parts.append(pd.DataFrame({u: sub["unit"].to_numpy(), g: sub[LABEL].to_numpy(),
                                   p: pd.Series([at]).array.repeat(len(sub)),
                                   y: sub[s].to_numpy() / sub[n].to_numpy(),
                                   "__order__": np.flatnonzero(has) * 2 + len(parts)}))
    out = pd.concat(parts, ignore_index=True).sort_values("__order__", kind="stable")
    return out.drop(columns="__order__").reset_index(drop=True)


def on_units(fn: Any, kind: str) -> Any:
    """An estimator that averages each unit's rows first, run on the unit means (the same
    numbers as on the rows): ``kind`` is "post" (post-only designs), "paired"
    (before–after) or "changes" (the DiD of unit changes).

    The rows the estimator would have left out (missing outcomes, units without a row in
    its periods) are not in the unit table: they are counted from the summary and
    reported in its notes and diagnostics as the estimator reports them on the rows."""
    import functools

    from ..estimators._common import recorded_call, with_notes

    raw = getattr(fn, "__wrapped__", fn)  # the estimator without its note recording

    def run(ctx: Context) -> Estimate:
        s = of(ctx)
        r = ctx.roles
        pre0, post0 = s["markers"]
        kw: dict[str, Any] = dict(outcome=ctx.outcome, unit=r["unit"], period=r["period"],
                                  post=[post0], group=r["group"], treated=r["treated"])
        if fn.__name__ in ("difference", "did"):
            kw["control"] = r["control"]
        if fn.__name__ == "benchmark":
            kw["reference"] = ctx.reference
        if kind in ("paired", "changes"):
            kw["pre"] = [pre0]
        if kind == "changes":
            kw["cluster"] = r["cluster"]
        upstream, left_out = _left_out(ctx, s, kind)
        dip = _dip(ctx, s) if fn.__name__ == "before_after" else None

        def recorded(*args: Any, **kwargs: Any) -> Estimate:
            # the estimator's own notes recording, with the unit table's bookkeeping of
            # rows replaced by the rows' (not raised again: they describe the unit table)
            e, msgs = recorded_call(raw, args, kwargs, reemit=False)
            msgs = [m for m in msgs if getattr(m, "code", None) not in _ROW_NOTES]
            if dip is not None:  # warned after the units left out for want of a pair
                at = max((i + 1 for i, m in enumerate(msgs)
                          if getattr(m, "code", None) == "before_after_left_out"), default=0)
                msgs.insert(at, dip)
            return with_notes(e, (*upstream, *msgs))

        functools.update_wrapper(recorded, raw)
        est = ctx.call(recorded, s["frame"], **kw)
        diag = dict(est.diagnostics)
        dropped = {k: v for k, v in dict(diag.get("dropped") or {}).items()
                   if k.startswith("units without a p")}
        diag["dropped"] = {**left_out, **dropped}
        if "periods" in diag:
            diag["periods"] = tuple(str(p) for p in ctx.study.post)
        if kind == "changes" and ctx.n_pre > 1:  # the unit means stand for several
            est = replace(est, notes=tuple(n for n in est.notes  # pre-periods
                                           if getattr(n, "code", None) != "one_pre_period"))
        return replace(est, diagnostics=diag)

    return run


def _dip(ctx: Context, s: dict) -> Note | None:
    """The before–after estimator's warning of a pre-programme dip (its ``_warn_dip``:
    the participants' last pre-period mean more than 0.25 SD of their pre-period rows
    from the earlier pre-periods' mean), from the sums per label and period."""
    from .._dask import pre_sd

    k = s["n_pre"]
    if k < 3:
        return None
    t_lab = arm(ctx)[0]
    labs = [t_lab] if t_lab is not None else list(s["labels"])
    sd = pre_sd([p for lb in labs if lb in s["labels"] for p in s["labels"][lb]["parts"]])
    if not sd > 0:
        return None
    last = _mean(*_sums(s, labs, slice(k - 1, k)))
    earlier = _mean(*_sums(s, labs, slice(0, k - 1)))
    if abs(last - earlier) > 0.25 * sd:
        return Note("dip", outcome=ctx.outcome, sd=(last - earlier) / sd)
    return None


#: the notes of :func:`impacteval.roles.prepare` about rows it left out
_ROW_NOTES = ("rows_left_out", "units_no_row")


def _left_out(ctx: Context, s: dict, kind: str) -> tuple[list[Note], dict[str, int]]:
    """What :func:`impacteval.roles.prepare` leaves out of this context's rows in the
    periods a design of ``kind`` reads (after the start, or before and after): rows with
    a missing outcome, and units with no row in those periods; as its notes and its
    ``dropped`` counts."""
    from ..roles import LOST_UNITS, _show
    from ..texts import Count

    units = s["units"]
    t_lab, ctrl = arm(ctx)
    sel = units[LABEL].isin([t_lab, *ctrl]).to_numpy() if t_lab is not None \
        else np.ones(len(units), dtype=bool)
    rows = units["r_post"].to_numpy()[sel]
    seen = units["n_post"].to_numpy()[sel]
    periods = list(ctx.study.post)
    if kind != "post":
        rows = rows + units["r_pre"].to_numpy()[sel]
        seen = seen + units["n_pre"].to_numpy()[sel]
        periods = list(ctx.study.pre) + periods
    missing = int(rows.sum() - seen.sum())
    lost = int(np.count_nonzero(rows == 0))
    total = len(ctx.df) if isinstance(ctx.df, pd.DataFrame) else int(s["n_rows"])
    notes: list[Note] = []
    dropped: dict[str, int] = {}
    if missing:
        dropped["missing outcome"] = missing
        notes.append(Note("rows_left_out", n=Count(missing), total=Count(total),
                          detail=(Note("part_missing_outcome", n=Count(missing),
                                       column=ctx.outcome),)))
    if lost:
        notes.append(Note("units_no_row", n=Count(lost), unit=ctx.roles["unit"],
                          periods=_show(periods)))
        dropped[LOST_UNITS] = lost
    return notes, dropped


def unit_means(ctx: Context) -> pd.DataFrame | None:
    """Each unit's count and sum of non-missing outcomes before and after the start,
    indexed by unit (for :func:`.context.unit_wide`); ``None`` without a unit summary."""
    s = of(ctx) if not ctx.rcs else None
    if s is None:
        return None
    if "by_unit" not in s:
        s["by_unit"] = s["units"].set_index("unit")[["n_pre", "s_pre", "n_post", "s_post"]]
    return s["by_unit"]


def unit_post_table(ctx: Context) -> pd.DataFrame | None:
    """One row per unit with its mean outcome after the start (``__post__``), group,
    baseline covariates and cluster, from the unit summary: the table the adjusted
    comparison's regression reduces the rows to. ``None`` unless every unit of this
    context has an outcome after the start and no row of the study was left out (on the
    rows those are counted and reported), and unless the unit means are of the outcome's
    kind (:func:`means_fit`: the effect size of a 0/1 outcome is read from the rows)."""
    s = _complete(ctx, every_period=False)
    if s is None or not s["means_fit"]:
        return None
    from .context import unit_wide

    return unit_wide(ctx, with_pre=False, means=unit_means(ctx))


def _complete(ctx: Context, every_period: bool) -> dict[str, Any] | None:
    """The unit summary when no row of the study was left out and every unit of this
    context has an outcome after the start (``every_period``: in every period, before
    and after); else ``None``."""
    s = of(ctx) if not ctx.rcs else None
    if s is None or ctx.study.dropped:
        return None
    units = s["units"]
    t_lab, ctrl = arm(ctx)
    sel = units[LABEL].isin([t_lab, *ctrl]).to_numpy()
    n_post = units["n_post"].to_numpy()[sel]
    if every_period:
        ok = (units["n_pre"].to_numpy()[sel] == len(ctx.study.pre)).all() \
            and (n_post == len(ctx.study.post)).all()
    else:
        ok = (n_post > 0).all()
    return s if ok else None


def twin_changes(ctx: Context) -> tuple[pd.DataFrame, float] | None:
    """The unit table of the matched DiD (:func:`impacteval.estimators.matching.
    match_unit_changes`): each unit's change (``__change__``), mean before the start
    (``__pre__``, also as ``<outcome>[pre mean]``, the name the matched DiD gives it),
    pre-period slope (``__slope__``), group and baseline covariates, and
    the SD of the pre-period rows of this context's groups. ``None`` unless every unit
    of this context has an outcome in every period and no row of the study was left out
    (the matched DiD on the rows leaves such units out, and counts them)."""
    from .._dask import pre_sd

    s = _complete(ctx, every_period=True)
    if s is None:
        return None
    units = s["units"]
    t_lab, ctrl = arm(ctx)
    sel = units[LABEL].isin([t_lab, *ctrl]).to_numpy()
    from .context import unit_wide

    wide = unit_wide(ctx, with_pre=True, means=unit_means(ctx))
    u = ctx.roles["unit"]
    slope = units["slope"].to_numpy()[sel]
    order = pd.Index(units["unit"].to_numpy()[sel]).get_indexer(wide[u])
    if (order < 0).any():
        return None
    wide = wide.assign(__change__=wide["__post__"] - wide["__pre__"], __slope__=slope[order])
    wide[f"{ctx.outcome}[pre mean]"] = wide["__pre__"]
    sd = pre_sd([p for lb in [t_lab, *ctrl] if lb in s["labels"]
                 for p in s["labels"][lb]["parts"]])
    return wide, sd


def runs_on_units(ctx: Context, kind: str = "post") -> bool:
    """Whether a design of ``kind`` reads the unit summary in this context: a panel with
    periods before and after, unit means of the outcome's kind, and for the DiD of unit
    changes no cluster other than the unit (the unit table has no cluster column)."""
    if ctx.rcs:
        return False
    s = of(ctx)
    if s is None or not s["means_fit"]:
        return False
    return kind != "changes" or ctx.roles["cluster"] in (None, ctx.roles["unit"])


def two_periods(ctx: Context) -> bool:
    return len(_as_list(ctx.roles["pre"])) == 1 and len(_as_list(ctx.roles["post"])) == 1


def changes(ctx: Context) -> bool:
    """The DiD is the difference of unit changes (``method="changes"``: two periods, or a
    relative scale), which reads the unit means only."""
    return two_periods(ctx) or ctx.scale != "absolute"


# ------------------------------------------------------------------------ the facts
def arm(ctx: Context) -> tuple[Any, list]:
    """The participants' label and this context's comparison labels."""
    st = ctx.study
    if ctx.roles["group"] is None:
        return None, []
    if st.control_mode == "each":
        return st.treated, [c for c in st.controls if str(c) == ctx.label]
    return st.treated, list(st.controls)


def facts(ctx: Context, s: dict[str, Any]) -> None:
    """Attrition, the one-cluster rule, the descriptives and the DiD diagnostics, by the
    definitions of :mod:`.study`, from the unit rows and the sums per label and period."""
    from .study import one_cluster_rule

    ctx.attrition = attrition(ctx, s)
    ctx.cluster_cap = one_cluster_rule(ctx)
    ctx.descriptives = descriptives(ctx, s)
    ctx.did_diag = did_diagnostics(ctx, s) if ctx.has_group else {}


def attrition(ctx: Context, s: dict) -> dict[str, Any]:
    """Units with no outcome after the start, overall and by group (:func:`.study.attrition`)."""
    from .study import attrition_rates

    units = s["units"]
    lost = units["n_post"].to_numpy() == 0
    t_lab, ctrl = arm(ctx)
    if t_lab is None:
        return {"overall": float(lost.mean()), "differential": 0.0, "n_units": int(len(units))}
    lab = units[LABEL]
    t = (lab == t_lab).to_numpy()
    c = lab.isin(ctrl).to_numpy() & ~t
    return attrition_rates(np.asarray(lost), t, c)


def _sums(s: dict, labels: list, cols: slice) -> tuple[float, float]:
    """Count and sum of the non-missing outcomes of ``labels`` in the period codes
    ``cols``."""
    n = sm = 0.0
    for lab in labels:
        if lab in s["labels"]:
            n += float(np.sum(s["labels"][lab]["cnt"][cols]))
            sm += float(np.sum(s["labels"][lab]["sum"][cols]))
    return n, sm


def _mean(n: float, sm: float) -> float:
    return sm / n if n else float("nan")


def descriptives(ctx: Context, s: dict) -> dict[str, Any]:
    """Group means before and after and their percent changes (:func:`.study.descriptives`)."""
    t_lab, ctrl = arm(ctx)
    k = s["n_pre"]
    units = s["units"]
    labs_in = [t_lab, *ctrl] if t_lab is not None else list(s["labels"])
    y_min = min((s["labels"][lab]["y_min"] for lab in labs_in if lab in s["labels"]),
                default=np.inf)
    seen = (units["n_pre"] + units["n_post"]).to_numpy() > 0
    out: dict[str, Any] = {}
    groups = (("treated", [t_lab]), ("control", ctrl)) if t_lab is not None \
        else (("treated", labs_in), ("control", []))
    for key, labs in groups:
        n_units = int((units[LABEL].isin(labs).to_numpy() & seen).sum())
        if not n_units:
            continue
        m0 = _mean(*_sums(s, labs, slice(0, k)))
        m1 = _mean(*_sums(s, labs, slice(k, None)))
        out[key] = {"pre": m0, "post": m1,
                    "pct_change": 100 * (m1 / m0 - 1) if m0 else float("nan"),
                    "nonnegative": bool(y_min >= 0), "n": n_units}
    return out


def event_time_did(ctx: Context) -> Estimate | ImpactEvalError | None:
    """The panel DiD with its event-time model and the analytic interval, fitted once per
    comparison group: the joint placebo test of the DiD diagnostics and the DiD design's
    estimate when it asks for the same model (:func:`reusable_did`). ``None`` with two
    periods (no event-time model); an error of the fit is kept and raised by its reader."""
    if "event_time_did" not in ctx._memo:
        from ..estimators import did

        r = ctx.roles
        out: Any = None
        if ctx.has_group and not two_periods(ctx):
            try:
                out = quiet(did, ctx.df, outcome=ctx.outcome, unit=r["unit"],
                            group=r["group"], treated=r["treated"], control=r["control"],
                            period=r["period"], pre=r["pre"], post=r["post"],
                            cluster=r["cluster"], method="panel", ci="analytic",
                            conf_level=ctx.conf_level)
                out = out if isinstance(out, Estimate) else out[0]
            except (ImpactEvalError, np.linalg.LinAlgError, ValueError) as exc:
                # a degenerate panel (an outcome that never changes within a unit, no
                # residual degrees of freedom): the placebo p-value is left out and the
                # DiD design reports the failure
                out = exc if isinstance(exc, ImpactEvalError) else ImpactEvalError(str(exc))
        ctx._memo["event_time_did"] = out
    return ctx._memo["event_time_did"]


def reusable_did(ctx: Context) -> Estimate | None:
    """The event-time DiD fit as the DiD design's estimate, when the design's own call
    (``method="auto"``, the evaluation's ``ci``) would fit the same model with the same
    interval: the absolute scale, more than two periods, the analytic interval (``ci``
    "analytic", or "auto" with enough clusters)."""
    if ctx.scale != "absolute" or two_periods(ctx) or ctx.ci not in ("auto", "analytic"):
        return None
    e = event_time_did(ctx)
    if not isinstance(e, Estimate) or e.diagnostics.get("few_clusters"):
        return None
    return e


def plain_did(ctx: Context) -> Estimate:
    """The unmatched DiD of this context (the DiD design's estimate without a waitlist),
    computed once per context and read by the DiD design and the matched DiD's
    triangulation: the difference of unit changes on the unit means (two periods or a
    relative scale), else the event-time fit of the DiD diagnostics when it is the same
    model (:func:`reusable_did`), else a fit on the rows. An error of the fit is raised to
    every reader."""
    if "plain_did" not in ctx._memo:
        from ..estimators import did

        r = ctx.roles
        try:
            if changes(ctx) and runs_on_units(ctx, "changes"):
                out: Any = on_units(did, "changes")(ctx)
            elif (shared := reusable_did(ctx)) is not None:
                out = shared
            else:
                out = ctx.call(did, ctx.df, unit=r["unit"], period=r["period"], pre=r["pre"],
                               post=r["post"], cluster=r["cluster"], **ctx.base)
        except ImpactEvalError as exc:
            out = exc
        ctx._memo["plain_did"] = out
    out = ctx._memo["plain_did"]
    if isinstance(out, ImpactEvalError):
        raise out
    return out


def did_diagnostics(ctx: Context, s: dict) -> dict[str, Any]:
    """:func:`.study.did_diagnostics` from the unit rows and the sums."""
    from .._dask import pre_sd
    from ..diagnostics import pretrend_slope
    from ..estimators._common import cox_index, hedges_g
    from ..periods import chronological
    from .study import slope_test_facts

    study = ctx.study
    t_lab, ctrl = arm(ctx)
    units = s["units"]
    lab = units[LABEL]
    in_arm = lab.isin([t_lab, *ctrl]).to_numpy()
    is_t = (lab == t_lab).to_numpy()
    n_pre = units["n_pre"].to_numpy()
    out: dict[str, Any] = {}
    with np.errstate(invalid="ignore", divide="ignore"):
        means = units["s_pre"].to_numpy() / n_pre
    has = in_arm & (n_pre > 0)
    y0t, y0c = means[has & is_t], means[has & ~is_t]
    if len(y0t) >= 2 and len(y0c) >= 2 and np.std(np.r_[y0t, y0c]) > 0:
        out["baseline_g"] = (cox_index(y0t, y0c).value if study.binary
                             else hedges_g(y0t, y0c).value)
    order = chronological(study.pre)
    sd = pre_sd([p for lb in [t_lab, *ctrl] if lb in s["labels"]
                 for p in s["labels"][lb]["parts"]])
    k = s["n_pre"]
    if len(order) >= 2 and sd > 0:
        slopes = units["slope"].to_numpy()
        res = pretrend_slope(slopes[in_arm & is_t], slopes[in_arm & ~is_t], sd)
        if res is not None:
            out.update(slope_test_facts(ctx, res, sd))
        e = event_time_did(ctx)
        if isinstance(e, Estimate) and "pretrend_p_value" in e.diagnostics:
            out["placebo_p"] = float(e.diagnostics["pretrend_p_value"])
        # pre-programme dip (Ashenfelter 1978): how far participants' last pre-period
        # departs from their earlier pre-periods, beyond the comparison group's own change
        # over the same months (a common trend is not a dip)
        if len(order) >= 3:
            def jump(labs: list) -> float:
                return float(_mean(*_sums(s, labs, slice(k - 1, k)))
                             - _mean(*_sums(s, labs, slice(0, k - 1))))

            jt = jump([t_lab])
            jc = jump(ctrl) if _sums(s, ctrl, slice(0, k))[0] > 0 else 0.0
            out["dip"] = (jt - (jc if np.isfinite(jc) else 0.0)) / sd
    # participants' share of the units measured before and of those measured after, and
    # the change in percentage points (a changing mix can pass for an effect)
    shares = []
    for n in (units["n_pre"].to_numpy(), units["n_post"].to_numpy()):
        seen = in_arm & (n > 0)
        if not seen.any():
            return out
        shares.append(float(is_t[seen].mean()))
    out["composition_change_pp"] = 100 * (shares[1] - shares[0])
    return out


def _study_units(ctx: Context, s: dict) -> pd.DataFrame:
    """The unit rows of the study's groups: the participants and every comparison group
    (the data may hold groups the evaluation does not use)."""
    u = s["units"]
    st = ctx.study
    if st.group is None:
        return u
    return u[u[LABEL].isin([st.treated, *st.controls]).to_numpy()]


def outcome_sd(ctx: Context, s: dict) -> float:
    """The SD of the units' mean outcome after the start, over every unit of the study
    (:func:`.study.outcome_sd`)."""
    u = _study_units(ctx, s)
    n = u["n_post"].to_numpy()
    return float(pd.Series(u["s_post"].to_numpy()[n > 0] / n[n > 0]).std(ddof=1))


def pre_post_r2(ctx: Context, s: dict) -> float:
    """The squared within-group correlation (pooled over the participants and the
    comparison units) of the units' mean outcome before and after the start, capped at
    0.99: the share of the outcome's variance a baseline explains, for the MDES."""
    u = _study_units(ctx, s)
    n0, n1 = u["n_pre"].to_numpy(), u["n_post"].to_numpy()
    both = (n0 > 0) & (n1 > 0)
    if int(both.sum()) < 4:
        return 0.0
    t = (u[LABEL] == ctx.study.treated).to_numpy()[both] if ctx.study.group is not None \
        else np.zeros(int(both.sum()), dtype=bool)
    w = pd.DataFrame({"pre": u["s_pre"].to_numpy()[both] / n0[both],
                      "post": u["s_post"].to_numpy()[both] / n1[both], "t": t})
    pre_c = w["pre"] - w.groupby("t")["pre"].transform("mean")
    post_c = w["post"] - w.groupby("t")["post"].transform("mean")
    den = math.sqrt(float((pre_c**2).sum() * (post_c**2).sum()))
    if den == 0:
        return 0.0
    rho = float((pre_c * post_c).sum()) / den
    return float(min(max(rho**2, 0.0), 0.99))
