"""The ladder's run loop: for each outcome × comparison group, try every registered
rung from the strongest down, keep the strongest that passes its must-pass checks,
rate it and explain it. The loop knows no design by name: it asks each rung
(:mod:`.registry`) whether the data can feed it, for its estimate, its checks and
its threats.

No peer package does this (DoWhy, MatchIt and Stata's teffects assume the user
already chose the design), so it is written here; every estimate comes from the
estimators below it and every number from a documented rule.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import (
    ArgumentError,
    ImpactEvalError,
    ImpactEvalWarning,
    InsufficientDataError,
    NoComparisonGroupError,
)
from ..notes import LangText, Note
from ..roles import _as_list, checked_frames, inherit_checks, prepare
from ..thresholds import Thresholds
from . import (
    rungs,  # noqa: F401  (registers the rungs)
    summary,
)
from .checks import Check, Step
from .context import Context, baseline_covariates, per_study
from .progress import Progress
from .ratings import rate
from .registry import Rung, get, ordered
from .render import reject_code, steps_table, traces, verdict_lines
from .result import Evaluation, EvaluationCollection
from .study import (
    attrition,
    descriptives,
    one_cluster_rule,
    start_facts,
    with_design_losses,
)

__all__ = ["evaluate"]


def evaluate(
    df: pd.DataFrame,
    *,
    outcome: str | Sequence[str],
    unit: str | None = None,
    group: str | None = None,
    treated: Any = None,
    control: Any = None,
    period: str | None = None,
    pre: Any = None,
    post: Any = None,
    covariates: Sequence[str] | None = None,
    cluster: str | None = None,
    assignment: str = "unknown",
    start: str | None = None,
    reference: Any = None,
    plan: Any = None,
    thresholds: Thresholds | None = None,
    conf_level: float = 0.95,
    ci: str = "auto",
    n_boot: int = 9999,
    seed: int | None = 20240601,
    scale: str = "absolute",
    progress: bool | Literal["en", "sv"] = False,
) -> Evaluation | EvaluationCollection:
    """Climb the evaluation ladder: the strongest design the data allow.

    Parameters
    ----------
    df : DataFrame, Dask DataFrame or path
        Long format: one row per unit and period (or one row per unit). Data larger
        than memory — a Dask DataFrame or the path of a Parquet dataset, partitioned by
        unit — run the designs that Dask sums and unit means can feed (``did``,
        ``comparison``, ``benchmark``, ``before_after``, ``follow_up``) with the same
        numbers as in memory; the other designs are shown as not computed, with the
        reason.
    outcome : str or list of str
        One evaluation per outcome (and comparison group).
    unit, group, treated, control, period, pre, post, covariates, cluster
        The roles, as in every estimator. Several ``control`` values give one
        evaluation each.
    assignment : str
        How units got into the project: ``"randomized"``, ``"lottery_waitlist"``,
        ``"rule_cutoff"``, ``"capacity_waitlist"``, ``"self_selected"`` or
        ``"unknown"``; data cannot show it, so the user declares it.
    start : str, optional
        Column with each unit's start period (waitlist contamination check).
    reference : float or mapping, optional
        External reference for the ``benchmark`` design.
    plan : Plan, optional
        An evaluation plan written before the data; deviations are reported
        and planned outcomes tested together are Holm-adjusted.
    thresholds : Thresholds, optional
        Every threshold of the rulebook, each with its published source.
    conf_level, ci, n_boot, seed, scale
        Inference settings passed to every estimator (a fixed default seed
        makes the verdict reproducible).
    progress : bool or {"en", "sv"}
        Write a progress line on standard error (the design being computed and k/N
        designs done), in English (``True`` or ``"en"``) or Swedish (``"sv"``); cleared
        when done.

    Returns
    -------
    Evaluation or EvaluationCollection

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("did")
    >>> ev = ie.evaluate(df, outcome="welfare_ksek", unit="household_id", group="group",
    ...                  treated="participant", period="period", pre="pre", post="post")
    >>> ev.design, ev.ratings["security"]
    ('did', 1)
    """
    if not isinstance(df, pd.DataFrame):
        from .._dask import is_dask_input

        if is_dask_input(df):  # data larger than memory: the designs Dask sums can feed
            from ._dask_ladder import evaluate_dask

            # the ladder's own steps, handed over (the Dask module does not import this one)
            hooks = dict(check_arguments=_check_arguments, apply_plan=_apply_plan,
                         try_rung=_try_rung, evaluate_one=_evaluate_one)
            return evaluate_dask(
                df, hooks=hooks, outcome=outcome, unit=unit, group=group, treated=treated, control=control,
                period=period, pre=pre, post=post, covariates=covariates, cluster=cluster,
                assignment=assignment, start=start, reference=reference, plan=plan,
                thresholds=thresholds, conf_level=conf_level, ci=ci, n_boot=n_boot, seed=seed,
                scale=scale, progress=progress)
    th = _check_arguments(df, outcome=outcome, assignment=assignment, start=start,
                          reference=reference, plan=plan, thresholds=thresholds,
                          conf_level=conf_level, ci=ci, n_boot=n_boot, seed=seed, scale=scale)
    if period is not None and pre is None and post is None:
        # one period or many: without pre=/post= nobody knows which rows are before the
        # start, and taking them all as "after" would report a level as an effect
        raise ArgumentError(Note("err_ladder_period_without_prepost", period=period))
    if any(n is not None and n in df.columns for n in df.index.names):
        # index levels named like columns make pandas' groupby ambiguous; work on a copy
        df = df.reset_index(drop=True)
    df = _fill_baseline_covariates(df, unit, covariates)
    roles = dict(unit=unit, group=group, treated=treated, control=control, period=period,
                 pre=pre, post=post, covariates=covariates, cluster=cluster)
    settings = dict(assignment=assignment, start=start, reference=reference, th=th,
                    conf_level=conf_level, ci=ci, n_boot=n_boot, seed=seed, scale=scale)
    # an outcome is a column name as given (an integer name stays an integer)
    outcomes = [o if o in df.columns else str(o) for o in _as_list(outcome)]
    bar = Progress("sv" if progress == "sv" else "en") if progress else None
    results: list[Evaluation] = []
    try:
        # every design validates the same frame: its unit checks run once
        with checked_frames():
            for i, y in enumerate(outcomes):
                contexts = _contexts(df, y, roles, settings)
                if bar is not None:
                    # designs still to run, counting each later outcome like this one
                    bar.total = bar.done + len(ordered()) * len(contexts) * (len(outcomes) - i)
                for ctx in contexts:
                    # one comparison group's rows at a time (freed when it is evaluated)
                    results.append(_evaluate_one(_narrowed(ctx), bar))
                del contexts
    finally:
        if bar is not None:
            bar.close()
    if plan is not None:
        results = _apply_plan(results, plan, assignment=assignment, covariates=covariates)
    return results[0] if len(results) == 1 else EvaluationCollection(results)


def _check_arguments(df: Any, *, outcome: Any, assignment: Any, start: Any, reference: Any,
                     plan: Any, thresholds: Any, conf_level: Any, ci: Any, n_boot: Any,
                     seed: Any, scale: Any) -> Thresholds:
    """Every argument error, raised before any rung runs."""
    from ..estimators._common import check_common
    from ..estimators.descriptive import _parse_reference
    from ..roles import ASSIGNMENTS

    if not isinstance(df, pd.DataFrame):  # (Dask data never get here: see evaluate)
        raise ArgumentError(Note("err_ladder_not_frame", got=type(df).__name__))
    check_common(conf_level, scale, ci)
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 99:
        raise ArgumentError(Note("err_ladder_n_boot", value=repr(n_boot)))
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                             or seed < 0):
        raise ArgumentError(Note("err_ladder_seed", value=repr(seed)))
    if not isinstance(assignment, str) or assignment not in ASSIGNMENTS:
        raise ArgumentError(Note("err_roles_assignment", value=str(assignment),
                                 allowed=", ".join(ASSIGNMENTS)))
    if start is not None and not isinstance(start, str):
        raise ArgumentError(Note("err_ladder_start_name", value=repr(start)))
    if start is not None and start not in df.columns:
        from ..errors import MissingColumnError

        raise MissingColumnError(Note("err_ladder_no_start_column", column=start))
    if reference is not None:
        _parse_reference(reference)
    th = thresholds or Thresholds()
    if not isinstance(th, Thresholds):
        raise ArgumentError(Note("err_ladder_thresholds"))
    if not _as_list(outcome):
        raise ArgumentError(Note("err_roles_needs_outcome"))
    if plan is not None:
        from ..plan import Plan

        if not isinstance(plan, Plan):
            raise ArgumentError(Note("err_ladder_plan"))
    return th


def _fill_baseline_covariates(df: pd.DataFrame, unit: Any, covariates: Any) -> pd.DataFrame:
    """Baseline covariates recorded on the baseline row only (missing in later rows, as
    is usual in long data) are read from each unit's first non-missing value, so later
    rows are not dropped for them. A covariate that changes within a unit is left as it
    is (it is not a baseline covariate, and the ladder leaves it out). The caller's
    DataFrame is not changed."""
    covs = [c for c in _as_list(covariates) if c in df.columns]
    if unit is None or unit not in df.columns or not covs:
        return df
    by = df.groupby(unit, sort=False)
    fill = [c for c in covs if df[c].isna().any() and df[c].notna().any()
            and not by[c].nunique(dropna=True).gt(1).any()]
    if not fill:
        return df
    out = df.copy()
    for c in fill:
        out[c] = by[c].transform("first")
    return out


def _contexts(df: pd.DataFrame, y: str, roles: dict[str, Any], settings: dict[str, Any]
              ) -> list[Context]:
    """One context per comparison group of outcome ``y``."""
    assignment = settings["assignment"]
    # no unit but periods: repeated cross-sections (different people each period)
    rcs = roles["unit"] is None and roles["period"] is not None
    try:
        study = prepare(df, outcome=y, assignment=assignment, min_units=1,
                        cross_sections=rcs, **roles)
    except NoComparisonGroupError:
        # participants only: the ladder can still describe before-after / follow-up
        warnings.warn(f"group column {roles['group']!r} holds only participants: there is no "
                      "comparison group, so only before-after and follow-up are possible.",
                      ImpactEvalWarning, stacklevel=3)
        roles.update(group=None, treated=None, control=None)
        study = prepare(df, outcome=y, assignment=assignment, min_units=1,
                        cross_sections=rcs, **roles)
    if roles["group"] is not None:
        # one treated unit is allowed (synthetic control, one-unit DiD); one comparison
        # unit is not
        from ..estimators.placebo import require_comparison_units

        require_comparison_units(study)
    if roles["group"] is None:
        labels: list[tuple[str | None, Any]] = [(None, None)]
    elif study.control_mode == "each":
        labels = [(str(c), c) for c in study.controls]
    else:
        labels = [(study.comparison_labels[0], roles["control"])]
    shared: dict[Any, Any] = {}  # facts of the whole study, computed once for all groups
    return [Context(df=df, outcome=y, roles={**roles, "control": ctrl}, study=study,
                    label=label, shared=shared, **settings) for label, ctrl in labels]


def _narrowed(ctx: Context) -> Context:
    """The context on the rows of the participants and its own comparison group only,
    when the data hold several comparison groups evaluated one by one: every design of
    this context then reads (and validates) those rows, not every group's, and only the
    columns it reads (:meth:`Context.columns`). Facts the ladder reads from the whole
    data (the baseline covariates) are kept as they were."""
    from dataclasses import replace

    r = ctx.roles
    if ctx.has_prepost and not ctx.rcs:
        summary.of(ctx)  # the unit summary of the whole data, shared by every group
    if r["group"] is None or ctx.study.control_mode != "each":
        return ctx
    g = ctx.df[r["group"]]
    keep = ((g == ctx.study.treated) | (g == r["control"])).to_numpy()
    if keep.all():
        return ctx
    # found once on the whole data (the same frame in every comparison group's context)
    base = per_study(ctx, "baseline_covariates", baseline_covariates)
    # only the columns the designs read: a register extract often holds many more
    out = replace(ctx, df=ctx.df.loc[keep, ctx.columns()])
    inherit_checks(ctx.df, out.df)  # its units were checked on the whole data
    out.share_baseline(base)
    return out


def _try_rung(rung: Rung, ctx: Context) -> Step:
    """Run one rung; any error while estimating rejects it ("could not be estimated:
    <reason>") and the ladder goes on down."""
    step = Step(design=rung.name, feasible=True)
    try:
        why_not = rung.feasible(ctx)
        if why_not is not None:
            step.feasible = False
            step.code, step.reason, step.params = why_not.code, why_not.reason, \
                dict(why_not.params)
            return step
        step.estimate = rung.estimate(ctx)
        step.checks = list(rung.checks(ctx, step.estimate))
        step.threats = list(rung.threats(ctx, step.estimate))
    except Exception as exc:  # noqa: BLE001  (a rung never stops the ladder)
        # an error's Note keeps its Swedish text for the verdict in --lang sv
        message = (exc.args[0] if exc.args and isinstance(exc.args[0], Note) else str(exc)) \
            if isinstance(exc, ImpactEvalError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, ImpactEvalError):
            # not a property of the data but a fault: say so, and go on down the ladder
            warnings.warn(f"the {rung.name!r} design failed unexpectedly ({message}); it is "
                          "reported as not estimable.", ImpactEvalWarning, stacklevel=4)
        step.estimate = None
        step.checks.append(Check(design=rung.name, value="–", threshold="–", source="–",
                                 passed=False, reason=f"could not be estimated: {message}",
                                 code="data", params={"message": message,
                                                      "why": f"error_{type(exc).__name__}"}))
    return step


def _evaluate_one(ctx: Context, bar: Progress | None = None, try_rung: Any = None
                  ) -> Evaluation:
    r = ctx.roles
    if try_rung is None:  # in memory (Dask data bring their facts)
        s = summary.of(ctx) if ctx.has_prepost and not ctx.rcs else None
        if s is not None:  # a panel: from the unit summary, shared by the designs
            summary.facts(ctx, s)
            if ctx.has_group and ctx.start is not None:
                ctx.did_diag.update(start_facts(ctx))
        else:  # a cross-section or repeated cross-sections: from the rows
            ctx.attrition = attrition(ctx)
            ctx.cluster_cap = one_cluster_rule(ctx)
            ctx.descriptives = descriptives(ctx)
            ctx.did_diag = {}
    try_rung = try_rung or _try_rung

    steps: list[Step] = []
    for rung in ordered():
        if bar is not None:
            bar.step(rung.name, ctx.outcome, ctx.label)
        step = try_rung(rung, ctx)
        if not step.feasible and not step.reason:
            step.reason = "not feasible"
        steps.append(step)

    chosen = next((s for s in steps if s.passed), None)
    if chosen is None:
        from .render import reason

        t = traces(steps, steps[0])[-1]
        raise InsufficientDataError(Note(
            "err_ladder_nothing", reason=LangText(en=reason(t, "en"), sv=reason(t, "sv"))))
    rung = get(chosen.design)
    # bracket: another passed design of the same score
    partner = next((s for s in steps if s is not chosen and s.passed
                    and get(s.design).score == rung.score), None)
    sensitivity = {s.design: s.estimate for s in steps
                   if s is not chosen and s.estimate is not None and s.feasible}
    ctx.attrition = with_design_losses(ctx.attrition, chosen.estimate)
    ratings, mde, threat_codes = rate(ctx, rung, chosen)
    trace = traces(steps, chosen)
    rejections = tuple((s.design, *(reject_code(s))) for s in steps
                       if get(s.design).score > rung.score and not s.passed)
    return Evaluation(
        outcome=ctx.outcome, comparison=ctx.label, design=chosen.design, score=rung.score,
        sms_level=rung.sms_level(ctx), estimate=chosen.estimate,
        steps=steps_table(steps, chosen), sensitivity=sensitivity, mde=mde, ratings=ratings,
        attrition=ctx.attrition,
        verdict=tuple(verdict_lines(trace, mde, ratings, threat_codes, ctx.th.max_threat_drop)),
        bracket=partner.design if partner else None,
        context={"descriptives": ctx.descriptives, "n_pre": ctx.n_pre,
                 "assignment": ctx.assignment, "start": ctx.start, "reference": ctx.reference,
                 "seed": ctx.seed, "ci": ctx.ci, "n_boot": ctx.n_boot,
                 "conf_level": ctx.conf_level, "scale": ctx.scale,
                 "roles": {k: v for k, v in r.items() if k != "control"},
                 "control": r.get("control"), "cluster_capped": ctx.cluster_cap is not None,
                 "binary": bool(ctx.study.binary), "threats": threat_codes,
                 "max_threat_drop": ctx.th.max_threat_drop},
        _trace=trace,
        _rejections=rejections,
    )


def _apply_plan(results: list[Evaluation], plan: Any, *, assignment: str, covariates: Any
                ) -> list[Evaluation]:
    from dataclasses import replace

    from statsmodels.stats.multitest import multipletests

    planned = [plan.primary_outcome] + list(plan.secondary_outcomes)
    out = []
    pvals = {}
    for ev in results:
        if ev.outcome in planned:
            pvals[(ev.outcome, ev.comparison)] = ev.estimate.p_value
    holm: dict = {}
    if len(pvals) > 1:
        keys = list(pvals)
        ps = np.array([pvals[k] for k in keys], dtype=float)
        ok = np.isfinite(ps)
        adj = np.full_like(ps, np.nan)
        if ok.any():
            adj[ok] = multipletests(ps[ok], method="holm")[1]
        holm = dict(zip(keys, adj, strict=True))
    for ev in results:
        dev = list(plan.deviations(outcome=ev.outcome, design=ev.design, assignment=assignment,
                                   covariates=covariates, comparison=ev.comparison))
        ratings = dict(ev.ratings)
        if (ev.outcome, ev.comparison) in holm:
            ratings["holm_p_value"] = float(holm[(ev.outcome, ev.comparison)])
        if ev.outcome != plan.primary_outcome:
            ratings["role"] = "exploratory" if ev.outcome not in planned else "secondary"
        else:
            ratings["role"] = "primary"
        out.append(replace(ev, deviations=tuple(dev), ratings=ratings))
    return out
