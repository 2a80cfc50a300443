"""The ladder on data larger than memory: ``ie.evaluate`` on a Dask DataFrame or a
Parquet dataset.

What runs, and from what:

* **did** — ``ie.did`` on the Dask data (:func:`impacteval._dask.did_dask`: two reads
  of the data reduced per partition to T × T sums, the same two-way fixed-effects
  algebra as in memory), with its event-time model, the joint pre-trend test, the
  trend bracket and Rambachan & Roth's honest interval. The interval is the analytic
  cluster-robust one (clustered by unit): a wild bootstrap needs the rows, and the
  estimate says so in its notes.
* **comparison**, **benchmark**, **before_after**, **follow_up** — these estimators
  read each unit's mean outcome before and after the start and nothing else. One more
  read of the data
  (:func:`impacteval._dask.unit_summary`) gives one row per unit (its group, the count
  and sum of its outcomes before and after, its pre-period slope); the estimators run
  on that small table in this process, so their intervals (bootstrap included) are those
  of the in-memory ladder.
* **the ladder's facts** (attrition, the groups' means before and after, baseline g,
  the pre-period slope test, the dip, the change in composition) from the same unit
  rows and from sums per group and period, by the in-memory definitions of
  :mod:`impacteval.ladder.study`.

Every other design needs rows in memory (matching and statistical twins, synthetic
control, interrupted time series, covariate adjustment, natural experiments, the
randomised comparison with covariates): it is shown as not computed, with the
reason, and the verdict says that stronger designs were not tried.

The driver holds one row per unit (T times less than the data). Written here because
no peer package climbs a design ladder; every number comes from the estimators.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from .. import texts
from ..errors import (
    ArgumentError,
    DataError,
    ImpactEvalError,
    ImpactEvalWarning,
    NoComparisonGroupError,
)
from ..notes import NOTES, Note
from ..results import Estimate
from ..roles import _as_list
from .checks import Step
from .context import Context
from .progress import Progress
from .registry import ordered

__all__ = ["evaluate_dask", "DASK_DESIGNS"]

#: the designs computed on Dask data (the others need rows in memory)
DASK_DESIGNS = ("did", "comparison", "benchmark", "before_after", "follow_up")

REASONS = {
    "en": {"dask_rows": "not computed on data larger than memory (a Dask DataFrame or "
                        "Parquet dataset): the design needs the rows in memory"},
    "sv": {"dask_rows": "inte beräknad på data större än arbetsminnet (en Dask-tabell eller "
                        "Parquet-datamängd): designen behöver raderna i arbetsminnet"},
}
NOTE_TEXTS = {
    "en": {
        "dask_analytic_ci": "The data were analysed as a Dask DataFrame (larger than memory): "
                            "the interval is the analytic one, clustered by unit; a "
                            "bootstrap interval needs the rows in memory.",
        "err_ladder_dask_roles": "the ladder on a Dask DataFrame or Parquet dataset needs "
                                 "unit=, group=, period=, pre= and post= (a panel with a "
                                 "comparison group); missing: {missing}.",
        "err_ladder_dask_start": "start= is not available for a Dask DataFrame or Parquet "
                                 "dataset: the waitlist checks need the rows in memory. "
                                 "Leave out start=, or evaluate the data in memory.",
    },
    "sv": {
        "dask_analytic_ci": "Data analyserades som en Dask-tabell (större än arbetsminnet): "
                            "intervallet är det analytiska, klustrat per enhet; ett "
                            "intervall genom omsampling kräver raderna i arbetsminnet.",
        "err_ladder_dask_roles": "stegen på en Dask-tabell eller Parquet-datamängd behöver "
                                 "unit=, group=, period=, pre= och post= (paneldata med en "
                                 "jämförelsegrupp); saknas: {missing}.",
        "err_ladder_dask_start": "start= går inte att använda för en Dask-tabell eller "
                                 "Parquet-datamängd: kontrollerna av väntelistan kräver "
                                 "raderna i arbetsminnet. Utelämna start= eller utvärdera "
                                 "data i minnet.",
    },
}
for _lang in ("en", "sv"):
    texts.REASONS[_lang].update(REASONS[_lang])
    NOTES.setdefault(_lang, {}).update(NOTE_TEXTS[_lang])

_L = "__label__"


def evaluate_dask(data: Any, *, hooks: dict[str, Any], outcome: Any, unit: Any, group: Any, treated: Any,
                  control: Any, period: Any, pre: Any, post: Any, covariates: Any,
                  cluster: Any, assignment: str, start: Any, reference: Any, plan: Any,
                  thresholds: Any, conf_level: float, ci: str, n_boot: int, seed: Any,
                  scale: str, progress: Any) -> Any:
    """``ie.evaluate`` for a Dask DataFrame or a Parquet path (called by it, with its own
    steps in ``hooks``: ``check_arguments``, ``apply_plan``, ``try_rung`` and
    ``evaluate_one`` of :mod:`.core`)."""
    from .._dask import _open, _refuse
    from ..roles import _select_periods
    from .result import EvaluationCollection

    ddf = _open(data)
    cols = list(ddf.columns)
    th = hooks["check_arguments"](pd.DataFrame(columns=cols), outcome=outcome, assignment=assignment,
                          start=start, reference=reference, plan=plan, thresholds=thresholds,
                          conf_level=conf_level, ci=ci, n_boot=n_boot, seed=seed, scale=scale)
    missing = [f"{k}=" for k, v in (("unit", unit), ("group", group), ("period", period),
                                    ("pre", pre), ("post", post)) if v is None]
    if missing:
        raise ArgumentError(Note("err_ladder_dask_roles", missing=", ".join(missing)))
    if start is not None:
        raise ArgumentError(Note("err_ladder_dask_start"))
    if cluster is not None and cluster != unit:
        raise _refuse("cluster", value=repr(cluster))
    outcomes = [o if o in cols else str(o) for o in _as_list(outcome)]
    for col, role in [(unit, "unit"), (group, "group"), (period, "period")] + [
            (o, "outcome") for o in outcomes]:
        if col not in cols:
            raise DataError(Note("err_dask_column", column=col, role=role,
                                 columns=", ".join(map(str, cols[:20]))))
    # the periods in the data: pre= and post= matched (and checked) as in memory
    periods = _distinct_values(ddf, period)
    _, pre_t, post_t, _ = _select_periods(pd.DataFrame({period: periods}), period, None,
                                          pre, post)
    roles = dict(unit=unit, group=group, treated=treated, control=control, period=period,
                 pre=pre, post=post, covariates=covariates, cluster=cluster)
    settings = dict(assignment=assignment, start=start, reference=reference, th=th,
                    conf_level=conf_level, ci=ci, n_boot=n_boot, seed=seed, scale=scale)
    bar = Progress("sv" if progress == "sv" else "en") if progress else None
    results = []
    try:
        for i, y in enumerate(outcomes):
            contexts = _contexts(ddf, y, dict(roles), settings, pre_t, post_t)
            if bar is not None:
                bar.total = bar.done + len(ordered()) * len(contexts) * (len(outcomes) - i)
            for ctx in contexts:
                results.append(_evaluate(ctx, bar, hooks))
    finally:
        if bar is not None:
            bar.close()
    if plan is not None:
        results = hooks["apply_plan"](results, plan, assignment=assignment,
                                      covariates=covariates)
    return results[0] if len(results) == 1 else EvaluationCollection(results)


def _distinct_values(ddf: Any, column: Any) -> pd.Series:
    """The distinct non-missing values of one column (a read of that column only)."""
    import dask

    parts = dask.compute(*[dask.delayed(_unique)(p) for p in ddf[[column]].to_delayed()])
    vals = pd.unique(np.concatenate([p for p in parts if len(p)])) if parts else []
    return pd.Series(vals, dtype=ddf.dtypes[column] if len(vals) else object)


def _unique(pdf: pd.DataFrame) -> np.ndarray:
    return pd.unique(pdf.iloc[:, 0].dropna())


# ------------------------------------------------------------------------- contexts
def _contexts(ddf: Any, y: Any, roles: dict, settings: dict, pre_t: tuple, post_t: tuple
              ) -> list[Context]:
    """One context per comparison group, as :func:`.core._contexts`, whose study is the
    table of unit means (one row per unit before and one after, at the first pre- and
    post-period value) with the real periods."""
    from .._dask import unit_summary
    from ..roles import prepare

    s = unit_summary(ddf, outcome=y, unit=roles["unit"], group=roles["group"],
                     period=roles["period"], pre=list(pre_t), post=list(post_t))
    u2 = _unit_frame(s["units"], y, roles, pre_t[0], post_t[0])
    kw = dict(outcome=y, period=roles["period"], pre=[pre_t[0]], post=[post_t[0]],
              unit=roles["unit"], min_units=1, assignment=settings["assignment"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ImpactEvalWarning)
            study = prepare(u2, group=roles["group"], treated=roles["treated"],
                            control=roles["control"], **kw)
    except NoComparisonGroupError:
        warnings.warn(f"group column {roles['group']!r} holds only participants: there is no "
                      "comparison group, so only before-after and follow-up are possible.",
                      ImpactEvalWarning, stacklevel=4)
        roles.update(group=None, treated=None, control=None)
        study = prepare(u2, **kw)
    if roles["group"] is not None:
        from ..estimators.placebo import require_comparison_units

        require_comparison_units(study)
    labels_in = [study.treated, *study.controls] if roles["group"] is not None \
        else list(s["labels"])
    binary = all(s["labels"][lab]["binary"] for lab in labels_in if lab in s["labels"])
    dropped = {}
    na_y = sum(s["labels"][lab]["na_y"] for lab in labels_in if lab in s["labels"])
    if na_y:
        from .._dask import _warn_dropped

        dropped["missing outcome"] = int(na_y)
        _warn_dropped(int(na_y), s["n_rows"], y)
    yv = u2[y].to_numpy(float)
    means_binary = bool(len(yv) and np.isin(yv, (0.0, 1.0)).all())
    study = replace(study, pre=tuple(pre_t), post=tuple(post_t), binary=binary,
                    dropped=dropped)
    if roles["group"] is None:
        pairs: list[tuple[Any, Any]] = [(None, None)]
    elif study.control_mode == "each":
        pairs = [(str(c), c) for c in study.controls]
    else:
        pairs = [(study.comparison_labels[0], roles["control"])]
    shared: dict = {}
    out = []
    for label, ctrl in pairs:
        ctx = Context(df=ddf, outcome=y, roles={**roles, "control": ctrl}, study=study,
                      label=label, shared=shared, **settings)
        ctx._memo["dask"] = {"summary": s, "frame": u2, "markers": (pre_t[0], post_t[0]),
                             "means_fit": means_binary == binary}
        out.append(ctx)
    return out


def _unit_frame(units: pd.DataFrame, y: Any, roles: dict, pre0: Any, post0: Any
                ) -> pd.DataFrame:
    """Each unit's mean outcome before (at period ``pre0``) and after (at ``post0``): the
    rows the post-only and before–after estimators reduce the data to."""
    u, g, p = roles["unit"], roles["group"], roles["period"]
    parts = []
    for n, s, at in (("n_pre", "s_pre", pre0), ("n_post", "s_post", post0)):
        has = units[n].to_numpy() > 0
        sub = units[has]
        parts.append(pd.DataFrame({u: sub["unit"].to_numpy(), g: sub[_L].to_numpy(),
                                   p: [at] * len(sub),
                                   y: sub[s].to_numpy() / sub[n].to_numpy(),
                                   "__order__": np.flatnonzero(has) * 2 + len(parts)}))
    out = pd.concat(parts, ignore_index=True).sort_values("__order__", kind="stable")
    return out.drop(columns="__order__").reset_index(drop=True)


# ------------------------------------------------------------------------ the facts
def _arm(ctx: Context) -> tuple[Any, list]:
    """The participants' label and this context's comparison labels."""
    st = ctx.study
    if ctx.roles["group"] is None:
        return None, []
    if st.control_mode == "each":
        return st.treated, [c for c in st.controls if str(c) == ctx.label]
    return st.treated, list(st.controls)


def _facts(ctx: Context) -> None:
    """Attrition, the one-cluster rule, the descriptives and the DiD diagnostics, by the
    definitions of :mod:`.study`, from the unit rows and the sums per label and period."""
    from .study import one_cluster_rule

    s = ctx._memo["dask"]["summary"]
    ctx.attrition = _attrition(ctx, s)
    ctx.cluster_cap = one_cluster_rule(ctx)
    ctx.descriptives = _descriptives(ctx, s)
    # the panel DiD on the Dask data: the DiD rung's estimate and the diagnostics' joint
    # placebo test (with two periods the in-memory DiD is the difference of unit changes,
    # computed from the unit means, and there is no placebo test)
    ctx._memo["dask_did"] = _did(ctx) if ctx.has_group and not _two_periods(ctx) else None
    ctx.did_diag = _did_diag(ctx, s) if ctx.has_group else {}


def _attrition(ctx: Context, s: dict) -> dict[str, Any]:
    units = s["units"]
    lost = units["n_post"].to_numpy() == 0
    t_lab, ctrl = _arm(ctx)
    if t_lab is None:
        return {"overall": float(lost.mean()), "differential": 0.0, "n_units": int(len(units))}
    lab = units[_L]
    t = (lab == t_lab).to_numpy()
    c = lab.isin(ctrl).to_numpy() & ~t
    from .study import attrition_rates

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


def _descriptives(ctx: Context, s: dict) -> dict[str, Any]:
    t_lab, ctrl = _arm(ctx)
    k = s["n_pre"]
    units = s["units"]
    arm = [t_lab, *ctrl] if t_lab is not None else list(s["labels"])
    y_min = min((s["labels"][lab]["y_min"] for lab in arm if lab in s["labels"]),
                default=np.inf)
    seen = (units["n_pre"] + units["n_post"]).to_numpy() > 0
    out: dict[str, Any] = {}
    groups = (("treated", [t_lab]), ("control", ctrl)) if t_lab is not None \
        else (("treated", arm), ("control", []))
    for key, labs in groups:
        n_units = int((units[_L].isin(labs).to_numpy() & seen).sum())
        if not n_units:
            continue
        m0 = _mean(*_sums(s, labs, slice(0, k)))
        m1 = _mean(*_sums(s, labs, slice(k, None)))
        out[key] = {"pre": m0, "post": m1,
                    "pct_change": 100 * (m1 / m0 - 1) if m0 else float("nan"),
                    "nonnegative": bool(y_min >= 0), "n": n_units}
    return out


def _two_periods(ctx: Context) -> bool:
    return len(_as_list(ctx.roles["pre"])) == 1 and len(_as_list(ctx.roles["post"])) == 1


def _changes(ctx: Context) -> bool:
    """The in-memory DiD would be the difference of unit changes (``method="changes"``:
    two periods, or a relative scale), which reads the unit means only."""
    return _two_periods(ctx) or ctx.scale != "absolute"


def _did(ctx: Context) -> Estimate | ImpactEvalError:
    """The panel DiD on the Dask data with the analytic interval, once per context: the
    call of :func:`.study.did_diagnostics` (its joint placebo test) and the DiD rung's
    estimate on the absolute scale."""
    from ..estimators import did
    from .context import quiet

    r = ctx.roles
    try:
        return quiet(did, ctx.df, outcome=ctx.outcome, unit=r["unit"], group=r["group"],
                     treated=r["treated"], control=r["control"], period=r["period"],
                     pre=r["pre"], post=r["post"], cluster=r["cluster"], method="panel",
                     ci="analytic", conf_level=ctx.conf_level)
    except ImpactEvalError as exc:
        return exc


def _did_diag(ctx: Context, s: dict) -> dict[str, Any]:
    """:func:`.study.did_diagnostics` from the unit rows and the sums."""

    from .._dask import pre_sd
    from ..diagnostics import pretrend_slope
    from ..estimators._common import cox_index, hedges_g
    from ..periods import chronological
    from .study import slope_test_facts

    study = ctx.study
    t_lab, ctrl = _arm(ctx)
    units = s["units"]
    lab = units[_L]
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
        e = ctx._memo.get("dask_did")
        if isinstance(e, Estimate) and "pretrend_p_value" in e.diagnostics:
            out["placebo_p"] = float(e.diagnostics["pretrend_p_value"])
        if len(order) >= 3:
            def jump(labs: list) -> float:
                return float(_mean(*_sums(s, labs, slice(k - 1, k)))
                             - _mean(*_sums(s, labs, slice(0, k - 1))))

            jt = jump([t_lab])
            jc = jump(ctrl) if _sums(s, ctrl, slice(0, k))[0] > 0 else 0.0
            out["dip"] = (jt - (jc if np.isfinite(jc) else 0.0)) / sd
    # participants' share of the units measured before and after (.study._composition)
    shares = []
    for n in (units["n_pre"].to_numpy(), units["n_post"].to_numpy()):
        seen = in_arm & (n > 0)
        if not seen.any():
            return out
        shares.append(float(is_t[seen].mean()))
    out["composition_change_pp"] = 100 * (shares[1] - shares[0])
    return out


# -------------------------------------------------------------------------- designs
def _did_estimate(ctx: Context) -> Estimate:
    """The DiD rung's estimate (:meth:`.rungs.did.Did.estimate`) on Dask data."""
    from ..estimators import did
    from .pretrend import honest_rm, trend_bracket

    if _changes(ctx):
        e = _on_units(did, "changes")(ctx)
        if ctx.n_pre > 1:  # the unit means stand for several pre-periods
            e = replace(e, notes=tuple(n for n in e.notes
                                       if getattr(n, "code", None) != "one_pre_period"))
    else:
        e = ctx._memo["dask_did"]
        if isinstance(e, ImpactEvalError):
            raise e
        notes = [*e.notes, Note("dask_analytic_ci")]
        if ctx.ci not in ("auto", "analytic"):
            notes.append(Note("option_unavailable_ci", value=ctx.ci,
                              method=e.inference.get("method", "analytic")))
        e = replace(e, notes=tuple(notes))
    return honest_rm(ctx, trend_bracket(ctx, e), e)


def _on_units(fn: Any, kind: str) -> Any:
    """An estimator that averages each unit's rows first, run on the unit means (the same
    numbers as on the rows): ``kind`` is "post" (post-only designs), "paired"
    (before–after) or "changes" (the DiD of unit changes)."""
    def run(ctx: Context) -> Estimate:
        from dataclasses import replace as _replace

        d = ctx._memo["dask"]
        r = ctx.roles
        pre0, post0 = d["markers"]
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
        est = ctx.call(fn, d["frame"], **kw)
        diag = dict(est.diagnostics)
        dropped = {k: v for k, v in dict(diag.get("dropped") or {}).items()
                   if k.startswith("units without a p")}
        diag["dropped"] = {**dict(ctx.study.dropped), **dropped}
        if "periods" in diag:
            diag["periods"] = [str(p) for p in ctx.study.post]
        return _replace(est, diagnostics=diag)

    return run


def _estimators() -> dict[str, Any]:
    from ..estimators import before_after, benchmark, difference, follow_up

    return {"did": _did_estimate, "comparison": _on_units(difference, "post"),
            "benchmark": _on_units(benchmark, "post"),
            "before_after": _on_units(before_after, "paired"),
            "follow_up": _on_units(follow_up, "post")}


class _OnDask:
    """A rung whose estimate comes from the Dask path; its feasibility, checks and
    threats are the rung's own (they read the context's facts only)."""

    def __init__(self, rung: Any, run: Any) -> None:
        self.rung, self.name, self.estimate = rung, rung.name, run

    def feasible(self, ctx: Context) -> Any:
        return self.rung.feasible(ctx)

    def checks(self, ctx: Context, est: Any) -> Any:
        return self.rung.checks(ctx, est)

    def threats(self, ctx: Context, est: Any) -> Any:
        return self.rung.threats(ctx, est)


def _try_rung(rung: Any, ctx: Context, try_in_memory: Any) -> Step:
    run = _estimators().get(rung.name)
    on_means = rung.name != "did" or _changes(ctx)
    if run is None or (on_means and not ctx._memo["dask"]["means_fit"]):
        return Step(design=rung.name, feasible=False, code="dask_rows",
                    reason=REASONS["en"]["dask_rows"])
    return try_in_memory(_OnDask(rung, run), ctx)


def _evaluate(ctx: Context, bar: Progress | None, hooks: dict[str, Any]) -> Any:
    from functools import partial

    _facts(ctx)
    return hooks["evaluate_one"](ctx, bar,
                                 try_rung=partial(_try_rung, try_in_memory=hooks["try_rung"]))
