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
from typing import Any

import numpy as np
import pandas as pd

from ..errors import (
    ArgumentError,
    ImpactEvalError,
    ImpactEvalWarning,
    InsufficientDataError,
    NoComparisonGroupError,
)
from ..roles import _as_list, prepare
from ..thresholds import Thresholds
from . import rungs  # noqa: F401  (registers the rungs)
from .checks import Check, Step
from .context import Context
from .ratings import rate
from .registry import Rung, get, ordered
from .render import reject_code, steps_table, verdict_lines
from .result import Evaluation, EvaluationCollection
from .study import attrition, descriptives, did_diagnostics, one_cluster_rule

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
) -> Evaluation | EvaluationCollection:
    """Climb the evaluation ladder: the strongest design the data allow.

    Parameters
    ----------
    df : DataFrame
        Long format: one row per unit and period (or one row per unit).
    outcome : str or list of str
        One evaluation per outcome (and comparison group).
    unit, group, treated, control, period, pre, post, covariates, cluster
        Roles (SPEC 3.1). Several ``control`` values give one evaluation each.
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
        Every threshold of the rulebook (defaults from LADDER.md).
    conf_level, ci, n_boot, seed, scale
        Inference settings passed to every estimator (a fixed default seed
        makes the verdict reproducible).

    Returns
    -------
    Evaluation or EvaluationCollection

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("did")
    >>> ev = ie.evaluate(df, outcome="score", unit="pupil", group="group", treated="programme",
    ...                  period="term", pre=[1, 2, 3], post=[4])  # doctest: +SKIP
    >>> ev.design  # doctest: +SKIP
    'did'
    """
    from ..estimators._common import check_common

    check_common(conf_level, scale, ci)
    if isinstance(df, pd.DataFrame) and any(n is not None and n in df.columns
                                            for n in df.index.names):
        # index levels named like columns make pandas' groupby ambiguous; work on a copy
        df = df.reset_index(drop=True)
    th = thresholds or Thresholds()
    if not isinstance(th, Thresholds):
        raise ArgumentError("thresholds=... must be an impacteval Thresholds object.")
    outcomes = [str(o) for o in _as_list(outcome)]
    if not outcomes:
        raise ArgumentError("outcome=... is required.")
    if plan is not None:
        from ..plan import Plan

        if not isinstance(plan, Plan):
            raise ArgumentError("plan=... must be an impacteval Plan (ie.Plan).")
    roles = dict(unit=unit, group=group, treated=treated, control=control, period=period,
                 pre=pre, post=post, covariates=covariates, cluster=cluster)
    results: list[Evaluation] = []
    for y in outcomes:
        try:
            study = prepare(df, outcome=y, assignment=assignment, **roles)
        except NoComparisonGroupError:
            # participants only: the ladder can still describe before-after / follow-up
            warnings.warn(f"group column {group!r} holds only participants: there is no "
                          "comparison group, so only before-after and follow-up are possible.",
                          ImpactEvalWarning, stacklevel=2)
            roles = {**roles, "group": None, "treated": None, "control": None}
            group = None
            study = prepare(df, outcome=y, assignment=assignment, **roles)
        if start is not None and start not in df.columns:
            from ..errors import MissingColumnError

            raise MissingColumnError(f"start column {start!r} is not in the data.")
        if group is None:
            labels: list[tuple[str | None, Any]] = [(None, None)]
        elif study.control_mode == "each":
            labels = [(str(c), c) for c in study.controls]
        else:
            labels = [(study.comparison_labels[0], control)]
        for label, ctrl in labels:
            ctx = Context(df=df, outcome=y, roles={**roles, "control": ctrl}, study=study,
                           assignment=assignment, start=start, reference=reference, th=th,
                           conf_level=conf_level, ci=ci, n_boot=n_boot, seed=seed, scale=scale,
                           label=label)
            results.append(_evaluate_one(ctx))
    if plan is not None:
        results = _apply_plan(results, plan, assignment=assignment, covariates=covariates)
    return results[0] if len(results) == 1 else EvaluationCollection(results)


def _try_rung(rung: Rung, ctx: Context) -> Step:
    """Run one rung; an impacteval error while estimating rejects it, with the reason."""
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
    except ImpactEvalError as exc:
        step.estimate = None
        step.checks.append(Check(design=rung.name, diagnostic="estimation", value="failed",
                                 threshold="-", source="-", passed=False, reason=str(exc),
                                 code="data", params={"message": str(exc)}))
    return step


def _evaluate_one(ctx: Context) -> Evaluation:
    r = ctx.roles
    ctx.attrition = attrition(ctx)
    ctx.cluster_cap = one_cluster_rule(ctx)
    ctx.descriptives = descriptives(ctx)
    ctx.did_diag = did_diagnostics(ctx) if ctx.has_group and ctx.has_prepost else {}

    steps: list[Step] = []
    for rung in ordered():
        step = _try_rung(rung, ctx)
        if not step.feasible and not step.reason:
            step.reason = "not feasible"
        steps.append(step)

    chosen = next((s for s in steps if s.passed), None)
    if chosen is None:
        last = steps[-1].first_failure()
        raise InsufficientDataError(
            "no design could be estimated from these data, not even a follow-up: "
            + (last.reason if last is not None else steps[-1].reason))
    rung = get(chosen.design)
    # bracket: another passed design of the same score
    partner = next((s for s in steps if s is not chosen and s.passed
                    and get(s.design).score == rung.score), None)
    sensitivity = {s.design: s.estimate for s in steps
                   if s is not chosen and s.estimate is not None and s.feasible}
    ratings, mde, threat_codes = rate(ctx, rung, chosen)
    rejections = tuple((s.design, *(reject_code(s))) for s in steps
                       if get(s.design).score > rung.score and not s.passed)
    return Evaluation(
        outcome=ctx.outcome, comparison=ctx.label, design=chosen.design, score=rung.score,
        sms_level=rung.sms_level(ctx), estimate=chosen.estimate,
        steps=steps_table(steps, chosen), sensitivity=sensitivity, mde=mde, ratings=ratings,
        attrition=ctx.attrition, verdict=tuple(verdict_lines(steps, chosen, mde, ratings)),
        bracket=partner.design if partner else None,
        context={"descriptives": ctx.descriptives, "n_pre": ctx.n_pre,
                 "assignment": ctx.assignment, "start": ctx.start, "reference": ctx.reference,
                 "seed": ctx.seed, "ci": ctx.ci, "n_boot": ctx.n_boot,
                 "conf_level": ctx.conf_level, "scale": ctx.scale,
                 "roles": {k: v for k, v in r.items() if k != "control"},
                 "control": r.get("control"), "cluster_capped": ctx.cluster_cap is not None,
                 "binary": bool(ctx.study.binary), "threats": threat_codes},
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
