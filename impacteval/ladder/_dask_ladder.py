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
  rows and from sums per group and period, by :mod:`impacteval.ladder.summary`, which the
  in-memory ladder reads as well (there from one pass over the rows in memory).

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
from .summary import (
    changes,
    event_time_did,
    facts,
    means_fit,
    on_units,
    runs_on_units,
    unit_frame,
)

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
    u2 = unit_frame(s["units"], y, roles, pre_t[0], post_t[0])
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
        ctx._memo["summary"] = {**s, "frame": u2, "markers": (pre_t[0], post_t[0]),
                                "means_fit": means_fit(u2[y], binary)}
        out.append(ctx)
    return out


# -------------------------------------------------------------------------- designs
def _did_estimate(ctx: Context) -> Estimate:
    """The DiD rung's estimate (:meth:`.rungs.did.Did.estimate`) on Dask data: the DiD of
    unit changes from the unit table, or the event-time model fitted on the Dask data
    (:func:`.summary.event_time_did`) with its analytic interval."""
    from ..estimators import did
    from .pretrend import honest_rm, trend_bracket

    if changes(ctx):
        e = on_units(did, "changes")(ctx)
    else:
        e = event_time_did(ctx)
        if isinstance(e, ImpactEvalError):
            raise e
        notes = [*e.notes, Note("dask_analytic_ci")]
        if ctx.ci not in ("auto", "analytic"):
            notes.append(Note("option_unavailable_ci", value=ctx.ci,
                              method=e.inference.get("method", "analytic")))
        e = replace(e, notes=tuple(notes))
    return honest_rm(ctx, trend_bracket(ctx, e), e)


class _OnDask:
    """The DiD rung with its estimate from the Dask path; its feasibility, checks and
    threats are the rung's own (they read the context's facts only)."""

    def __init__(self, rung: Any) -> None:
        self.rung, self.name, self.estimate = rung, rung.name, _did_estimate

    def feasible(self, ctx: Context) -> Any:
        return self.rung.feasible(ctx)

    def checks(self, ctx: Context, est: Any) -> Any:
        return self.rung.checks(ctx, est)

    def threats(self, ctx: Context, est: Any) -> Any:
        return self.rung.threats(ctx, est)


def _try_rung(rung: Any, ctx: Context, try_in_memory: Any) -> Step:
    """The designs of :data:`DASK_DESIGNS`; the post-only and before–after rungs are run
    as they are (they read the unit table, :func:`.summary.runs_on_units`)."""
    on_means = rung.name != "did" or changes(ctx)
    if rung.name not in DASK_DESIGNS or (on_means and not runs_on_units(ctx)):
        return Step(design=rung.name, feasible=False, code="dask_rows",
                    reason=REASONS["en"]["dask_rows"])
    return try_in_memory(_OnDask(rung) if rung.name == "did" else rung, ctx)


def _evaluate(ctx: Context, bar: Progress | None, hooks: dict[str, Any]) -> Any:
    from functools import partial

    facts(ctx, ctx._memo["summary"])
    return hooks["evaluate_one"](ctx, bar,
                                 try_rung=partial(_try_rung, try_in_memory=hooks["try_rung"]))
