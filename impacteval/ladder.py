"""The evaluation ladder: ``ie.evaluate`` picks the strongest design the data allow.

For each outcome × comparison group the ladder lists every design (LADDER.md
section 2), decides from the roles and the declared ``assignment`` which the
data can feed, estimates each feasible design, runs its must-pass diagnostics
(LADDER.md sections 3–4, every threshold from :class:`~impacteval.Thresholds`
with its source), chooses the strongest design that passes, keeps the weaker
ones as sensitivity analyses, rates design, precision, attrition and overall
security (EEF padlocks), and explains the verdict in Swedish and English.

No peer package does this (DoWhy, MatchIt and Stata's teffects assume the
user already chose the design), so it is written here; every estimate comes
from the estimators below it and every number from a documented rule.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import texts
from .errors import (
    ArgumentError,
    ImpactEvalError,
    ImpactEvalWarning,
    InsufficientDataError,
    NoComparisonGroupError,
)
from .estimators import before_after, benchmark, did, difference, follow_up
from .estimators.matching import match
from .power import mdes_bloom
from .results import Estimate, _Collection, to_jsonable
from .roles import TREATED_COL, _as_list, prepare
from .thresholds import Thresholds, wwc_attrition_boundary

__all__ = ["evaluate", "Evaluation", "EvaluationCollection", "DESIGNS", "Check"]

#: name -> (score, Maryland SMS level, EEF design padlocks)
DESIGNS: dict[str, tuple[int, int | None, int]] = {
    "randomized": (7, 5, 5),
    "natural_experiment": (6, 4, 4),
    "matched_did": (5, 3, 4),
    "did": (4, 3, 4),
    "matched": (4, 3, 3),
    "adjusted_comparison": (3, 2, 2),
    "comparison": (2, 1, 1),
    "benchmark": (2, 1, 1),
    "before_after": (1, 1, 0),
    "follow_up": (0, None, 0),
}
ORDER = list(DESIGNS)


@dataclass(frozen=True)
class Check:
    """One diagnostic of one design."""

    design: str
    diagnostic: str
    value: Any
    threshold: Any
    source: str
    passed: bool
    must_pass: bool = True
    reason: str = ""
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class _Step:
    design: str
    feasible: bool
    checks: list[Check] = field(default_factory=list)
    estimate: Estimate | None = None
    reason: str = ""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    threats: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.feasible and self.estimate is not None and all(
            c.passed for c in self.checks if c.must_pass)

    def first_failure(self) -> Check | None:
        for c in self.checks:
            if c.must_pass and not c.passed:
                return c
        return None


# --------------------------------------------------------------------- result
@dataclass(frozen=True)
class Evaluation:
    """The ladder's verdict for one outcome and one comparison group.

    Attributes
    ----------
    design : str
        The chosen design (names of LADDER.md section 2).
    score, sms_level : int
        Ladder score (0–7) and Maryland Scientific Methods Scale level.
    estimate : Estimate
        The chosen design's estimate.
    steps : DataFrame
        Every design tried: feasibility, each diagnostic with value,
        threshold, source and pass/fail, the verdict and a one-line reason.
    sensitivity : dict of str to Estimate
        Estimates of the other feasible designs (weaker ones, and the
        bracket partner of equal score).
    mde : dict
        Minimum detectable effect of the chosen design (SD and outcome units).
    ratings : dict
        ``design``, ``precision``, ``attrition``, ``security`` (0–5 padlocks)
        and the threats that lowered the security rating.
    """

    outcome: str
    comparison: str | None
    design: str
    score: int
    sms_level: int | None
    estimate: Estimate
    steps: pd.DataFrame
    sensitivity: Mapping[str, Estimate]
    mde: Mapping[str, Any]
    ratings: Mapping[str, Any]
    attrition: Mapping[str, Any]
    verdict: tuple[str, ...]
    bracket: str | None = None
    deviations: tuple[str, ...] = ()
    context: Mapping[str, Any] = field(default_factory=dict, repr=False)
    _rejections: tuple[tuple[str, str, dict], ...] = field(default=(), repr=False)

    # -- plain language -------------------------------------------------------
    def explain(self, lang: str = "en") -> str:
        """One plain paragraph (``lang="sv"`` or ``"en"``) a board member can read."""
        if lang not in texts.LANGS:
            raise ArgumentError(f"lang={lang!r} must be 'sv' or 'en'.")
        return _explain(self, lang)

    def summary(self) -> str:
        """The verdict lines, the table of designs tried and the ratings."""
        w = 78
        head = f"impacteval evaluation: {self.outcome}" + (
            f" vs {self.comparison}" if self.comparison else "")
        lines = [head, "=" * w]
        lines += list(self.verdict)
        lines.append("-" * w)
        tab = self.steps.groupby("design", sort=False).agg(
            feasible=("feasible", "first"), verdict=("verdict", "first"),
            reason=("reason", "first")).reset_index()
        for _, r in tab.iterrows():
            lines.append(f"{r['design']:<20} {r['verdict']:<11} {str(r['reason'])[:45]}")
        lines.append("-" * w)
        e = self.estimate
        lines.append(
            f"effect ({e.design}): {e.estimate:.4g} [{e.conf_low:.4g}, {e.conf_high:.4g}] "
            f"({e.conf_level:.0%} {e.inference.get('method', '')})")
        r = self.ratings
        lines.append(f"ratings: design {r['design']}/5, precision {r['precision']}/5, "
                     f"attrition {r['attrition']}/5 -> security {r['security']}/5")
        if self.deviations:
            lines.append("deviations from the plan:")
            lines += [f"  - {d}" for d in self.deviations]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready result (no row data, no unit ids)."""
        return to_jsonable({
            "outcome": self.outcome,
            "comparison": self.comparison,
            "design": self.design,
            "score": self.score,
            "sms_level": self.sms_level,
            "estimate": _public_estimate(self.estimate),
            "steps": self.steps,
            "sensitivity": {k: _public_estimate(v) for k, v in self.sensitivity.items()},
            "mde": dict(self.mde),
            "ratings": dict(self.ratings),
            "attrition": dict(self.attrition),
            "verdict": list(self.verdict),
            "bracket": self.bracket,
            "deviations": list(self.deviations),
            "explanation": {"en": self.explain("en"), "sv": self.explain("sv")},
        })

    def to_html(self, path: Any = None, lang: str = "en", **kwargs: Any) -> str:
        """A self-contained HTML report (see :mod:`impacteval.report`)."""
        from .report import evaluation_html

        html = evaluation_html([self], lang=lang, **kwargs)
        if path is not None:
            from pathlib import Path

            Path(path).write_text(html, encoding="utf-8")
        return html


def _public_estimate(e: Estimate) -> dict[str, Any]:
    """``Estimate.to_dict`` without anything that describes single people: unit ids
    and the overlap table's per-covariate minima and maxima."""
    d = e.to_dict()
    diag = d.get("diagnostics") or {}
    for k in list(diag):
        if k.endswith("_ids"):
            diag.pop(k)
    (d.get("tables") or {}).pop("overlap", None)
    return d


class EvaluationCollection(_Collection):
    """Several evaluations (outcomes × comparison groups) that print as one table.

    Index by position, by comparison label, or by ``(outcome, comparison)``.
    """

    __slots__ = ()

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, tuple):
            for it in self._items:
                if (it.outcome, it.comparison) == key:
                    return it
            raise KeyError(key)
        return super().__getitem__(key)

    def table(self) -> pd.DataFrame:
        rows = []
        for ev in self._items:
            e = ev.estimate
            rows.append({"outcome": ev.outcome, "comparison": ev.comparison, "design": ev.design,
                         "estimate": e.estimate, "conf_low": e.conf_low, "conf_high": e.conf_high,
                         "p_value": e.p_value, "design_rating": ev.ratings["design"],
                         "precision": ev.ratings["precision"],
                         "attrition": ev.ratings["attrition"], "security": ev.ratings["security"]})
        t = pd.DataFrame(rows)
        return t

    def summary(self) -> str:
        parts = [self.table().to_string(index=False, float_format=lambda v: f"{v:.4g}"), ""]
        parts += [ev.summary() + "\n" for ev in self._items]
        return "\n".join(parts)

    def explain(self, lang: str = "en") -> str:
        return "\n\n".join(ev.explain(lang) for ev in self._items)

    def to_dict(self) -> dict[str, Any]:
        return {"evaluations": [ev.to_dict() for ev in self._items]}

    def to_html(self, path: Any = None, lang: str = "en", **kwargs: Any) -> str:
        from .report import evaluation_html

        html = evaluation_html(list(self._items), lang=lang, **kwargs)
        if path is not None:
            from pathlib import Path

            Path(path).write_text(html, encoding="utf-8")
        return html

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"EvaluationCollection({[(e.outcome, e.comparison, e.design) for e in self._items]})"


# ------------------------------------------------------------------- evaluate
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
    from .estimators._common import check_common

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
        from .plan import Plan

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
            from .errors import MissingColumnError

            raise MissingColumnError(f"start column {start!r} is not in the data.")
        if group is None:
            labels: list[tuple[str | None, Any]] = [(None, None)]
        elif study.control_mode == "each":
            labels = [(str(c), c) for c in study.controls]
        else:
            labels = [(study.comparison_labels[0], control)]
        for label, ctrl in labels:
            ctx = _Context(df=df, outcome=y, roles={**roles, "control": ctrl}, study=study,
                           assignment=assignment, start=start, reference=reference, th=th,
                           conf_level=conf_level, ci=ci, n_boot=n_boot, seed=seed, scale=scale,
                           label=label)
            results.append(_evaluate_one(ctx))
    if plan is not None:
        results = _apply_plan(results, plan, assignment=assignment, covariates=covariates)
    return results[0] if len(results) == 1 else EvaluationCollection(results)


@dataclass
class _Context:
    df: pd.DataFrame
    outcome: str
    roles: dict[str, Any]
    study: Any
    assignment: str
    start: str | None
    reference: Any
    th: Thresholds
    conf_level: float
    ci: str
    n_boot: int
    seed: Any
    scale: str
    label: str | None

    @property
    def has_group(self) -> bool:
        return self.roles["group"] is not None

    @property
    def has_prepost(self) -> bool:
        r = self.roles
        return r["unit"] is not None and r["period"] is not None and bool(_as_list(r["pre"])) \
            and bool(_as_list(r["post"]))

    @property
    def n_pre(self) -> int:
        return len(_as_list(self.roles["pre"]))

    def inf(self) -> dict[str, Any]:
        return dict(conf_level=self.conf_level, ci=self.ci, n_boot=self.n_boot, seed=self.seed)


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        return fn(*args, **kwargs)


def _evaluate_one(ctx: _Context) -> Evaluation:
    th = ctx.th
    r = ctx.roles
    y = ctx.outcome
    steps: list[_Step] = []
    attr = _attrition(ctx)
    cluster_cap = _one_cluster_rule(ctx)
    descr = _descriptives(ctx)
    dd = _did_diagnostics(ctx) if ctx.has_group and ctx.has_prepost else {}

    for design in ORDER:
        step = _Step(design=design, feasible=True)
        try:
            _run_design(design, step, ctx, attr, dd, cluster_cap)
        except ImpactEvalError as exc:
            step.estimate = None
            step.checks.append(Check(design, "estimation", "failed", "-", "-", False,
                                     reason=str(exc), code="data", params={"message": str(exc)}))
        if not step.feasible and not step.reason:
            step.reason = "not feasible"
        steps.append(step)

    chosen = next((s for s in steps if s.passed), None)
    if chosen is None:
        last = steps[-1].first_failure()
        raise InsufficientDataError(
            "no design could be estimated from these data, not even a follow-up: "
            + (last.reason if last is not None else steps[-1].reason))
    # bracket: another passed design of the same score
    score = DESIGNS[chosen.design][0]
    partner = next((s for s in steps if s is not chosen and s.passed
                    and DESIGNS[s.design][0] == score), None)
    sensitivity = {s.design: s.estimate for s in steps
                   if s is not chosen and s.estimate is not None and s.feasible}

    # ratings
    design_pad = DESIGNS[chosen.design][2]
    if chosen.design in ("did", "matched_did") and ctx.n_pre < 2:
        design_pad = min(design_pad, 3)
    mde = _mde(ctx, chosen, descr)
    precision = _padlocks_mdes(mde.get("mdes"), th)
    attrition_pad = _padlocks_attrition(attr.get("overall"), th)
    threat_codes = list({(c, tuple(sorted(p.items()))): (c, p) for c, p in chosen.threats}.values())
    threats = [texts.threat_text(c, "en", **p) for c, p in threat_codes]
    base = min(design_pad, precision, attrition_pad)
    security = max(0, base - min(th.max_threat_drop, len(threats)))
    ratings = {"design": design_pad, "precision": precision, "attrition": attrition_pad,
               "security": security, "threats": threats}

    table = _steps_table(steps, chosen)
    verdict = _verdict_lines(steps, chosen, mde, ratings)
    rejections = tuple((s.design, *(_reject_code(s))) for s in steps
                       if DESIGNS[s.design][0] > DESIGNS[chosen.design][0] and not s.passed)
    return Evaluation(
        outcome=y, comparison=ctx.label, design=chosen.design, score=DESIGNS[chosen.design][0],
        sms_level=_sms(chosen.design, ctx), estimate=chosen.estimate, steps=table,
        sensitivity=sensitivity, mde=mde, ratings=ratings, attrition=attr,
        verdict=tuple(verdict), bracket=partner.design if partner else None,
        context={"descriptives": descr, "n_pre": ctx.n_pre, "assignment": ctx.assignment,
                 "start": ctx.start, "reference": ctx.reference, "seed": ctx.seed, "ci": ctx.ci,
                 "n_boot": ctx.n_boot, "conf_level": ctx.conf_level, "scale": ctx.scale,
                 "roles": {k: v for k, v in r.items() if k != "control"},
                 "control": r.get("control"), "cluster_capped": cluster_cap is not None,
                 "binary": bool(ctx.study.binary), "threats": threat_codes},
        _rejections=rejections,
    )


def _sms(design: str, ctx: _Context) -> int | None:
    sms = DESIGNS[design][1]
    if design == "before_after" and ctx.n_pre >= ctx.th.its_min_points and \
            len(_as_list(ctx.roles["post"])) >= ctx.th.its_min_points:
        return 2
    if design == "benchmark" and isinstance(ctx.reference, Mapping) and ctx.reference.get("sd"):
        return 2
    return sms


def _reject_code(s: _Step) -> tuple[str, dict]:
    if not s.feasible:
        return s.code or "error", dict(s.params)
    c = s.first_failure()
    if c is None:
        return "error", {"message": s.reason}
    return c.code or "error", {**dict(c.params), "message": c.reason}


# -------------------------------------------------------------- each design
def _infeasible(step: _Step, code: str, reason: str, **params: Any) -> None:
    step.feasible = False
    step.code = code
    step.reason = reason
    step.params = params


def _run_design(design: str, step: _Step, ctx: _Context, attr: dict, dd: dict,
                cluster_cap: str | None) -> None:
    r = ctx.roles
    th = ctx.th
    comparison_designs = ("randomized", "natural_experiment", "matched_did", "did", "matched",
                          "adjusted_comparison", "comparison")
    if design in comparison_designs and not ctx.has_group:
        return _infeasible(step, "no_group", "no comparison group (group=...)")
    if design in comparison_designs and cluster_cap:
        return _infeasible(step, "one_cluster", cluster_cap, cluster=r["cluster"])
    base = dict(outcome=ctx.outcome, group=r["group"], treated=r["treated"], control=r["control"])

    if design == "randomized":
        if ctx.assignment != "randomized":
            return _infeasible(step, "no_random_assignment",
                               f"no random assignment declared (assignment={ctx.assignment!r})",
                               assignment=ctx.assignment)
        step.estimate = _experimental_estimate(ctx, base)
        _attrition_check(step, attr, th)
        _cluster_checks(step, ctx)
        _baseline_warn(step, dd, th)
        return None
    if design == "natural_experiment":
        if ctx.assignment not in ("lottery_waitlist", "rule_cutoff"):
            return _infeasible(step, "no_natural_rule",
                               f"no as-if-random rule declared (assignment={ctx.assignment!r})",
                               assignment=ctx.assignment)
        if ctx.assignment == "rule_cutoff":
            return _infeasible(step, "no_rd", "a cutoff rule needs regression discontinuity "
                               "(not available in this version)")
        step.estimate = _experimental_estimate(ctx, base)
        _attrition_check(step, attr, th)
        if "baseline_g" in dd:
            g = dd["baseline_g"]
            step.checks.append(Check(design, "baseline |g|", round(abs(g), 3),
                                     f"<= {th.baseline_g_adjust}", th.source("baseline_g_adjust"),
                                     abs(g) <= th.baseline_g_adjust, code="baseline",
                                     params={"value": float(g)}))
        _contamination_check(step, ctx, dd)
        return None
    if design in ("matched_did", "did", "matched") and not ctx.has_prepost:
        return _infeasible(step, "no_pre", "needs the outcome before and after (unit, period, pre, post)")
    if design == "matched_did":
        _matched(step, ctx, base, kind="did")
        if step.estimate is not None:
            _pretrend_checks(step, dd, th, matched=False)
            sm = step.estimate.diagnostics.get("pretrend_slope_diff_sd_matched")
            if sm is not None:
                step.checks.append(Check(
                    design, "pre-period slope difference in the matched sample (SD per period)",
                    round(sm, 3), f"<= {th.pretrend_slope_sd}", th.source("pretrend_slope_sd"),
                    abs(sm) <= th.pretrend_slope_sd, code="pretrend", params={"value": float(sm)}))
            _contamination_check(step, ctx, dd)
            if dd.get("dip") is not None and abs(dd["dip"]) > th.dip_sd:
                step.threats.append(("dip", {"value": float(dd["dip"])}))
        return None
    if design == "did":
        step.estimate = _quiet(did, ctx.df, unit=r["unit"], period=r["period"], pre=r["pre"],
                               post=r["post"], cluster=r["cluster"], scale=ctx.scale,
                               **base, **ctx.inf())
        _pretrend_checks(step, dd, th, matched=False)
        _contamination_check(step, ctx, dd)
        if "baseline_g" in dd:
            g = abs(dd["baseline_g"])
            step.checks.append(Check(design, "baseline |g| (level difference)", round(g, 3),
                                     f"<= {th.baseline_g_adjust} (warn above)",
                                     th.source("baseline_g_adjust"), True, must_pass=False,
                                     reason="DiD removes level differences; above 0.25 the "
                                     "level difference is flagged" if g > th.baseline_g_adjust else ""))
            if g > th.baseline_g_adjust:
                step.threats.append(("level_difference",
                                     {"value": float(g), "limit": float(th.baseline_g_adjust)}))
        if dd.get("dip") is not None and abs(dd["dip"]) > th.dip_sd:
            step.threats.append(("dip", {"value": float(dd["dip"])}))
        _cluster_checks(step, ctx)
        return None
    if design == "matched":
        _matched(step, ctx, base, kind="lagged")
        if step.estimate is not None:
            _contamination_check(step, ctx, dd)
        return None
    if design == "adjusted_comparison":
        covs = _baseline_covariates(ctx)
        if not covs:
            return _infeasible(step, "no_covariates", "no pre-treatment covariates (covariates=[...])")
        n_t, n_c = _pool_sizes(ctx)
        if n_c >= th.pool_ratio * n_t:
            # matching on background covariates, balance checked after matching
            _matched(step, ctx, base, kind="background")
        else:
            # a small comparison group: regression adjustment; WWC allows baseline
            # differences up to 0.25 SD with adjustment
            step.estimate = _quiet(difference, ctx.df, covariates=covs, **_post_roles(ctx),
                                   **base, assignment="unknown", conf_level=ctx.conf_level)
            _covariate_balance_check(step, ctx, covs)
        if step.estimate is not None:
            step.threats.append(("no_baseline", {}))
            _contamination_check(step, ctx, dd)
        return None
    if design == "comparison":
        step.estimate = _quiet(difference, ctx.df, **_post_roles(ctx), **base,
                               scale=ctx.scale, **ctx.inf())
        _contamination_check(step, ctx, dd)
        return None
    if design == "benchmark":
        if ctx.reference is None:
            return _infeasible(step, "no_reference", "no reference value (reference=...)")
        step.estimate = _quiet(benchmark, ctx.df, outcome=ctx.outcome, reference=ctx.reference,
                               group=r["group"], treated=r["treated"], **_post_roles(ctx),
                               **ctx.inf())
        es = step.estimate.effect_size
        if es is not None and abs(es.value) > th.benchmark_need_sd:
            step.threats.append(("need", {"limit": float(th.benchmark_need_sd)}))
        return None
    if design == "before_after":
        if not (r["unit"] and r["period"] and _as_list(r["pre"]) and _as_list(r["post"])):
            return _infeasible(step, "no_pre", "needs participants before and after")
        step.estimate = _quiet(before_after, ctx.df, outcome=ctx.outcome, unit=r["unit"],
                               period=r["period"], pre=r["pre"], post=r["post"], group=r["group"],
                               treated=r["treated"], scale=ctx.scale, **ctx.inf())
        step.checks.append(Check(design, "paired units", step.estimate.n_treated, ">= 2",
                                 "LADDER.md", step.estimate.n_treated >= 2, code="paired"))
        if dd.get("dip") is not None and abs(dd["dip"]) > th.dip_sd:
            step.threats.append(("dip", {"value": float(dd["dip"])}))
        return None
    if design == "follow_up":
        step.estimate = _quiet(follow_up, ctx.df, outcome=ctx.outcome, group=r["group"],
                               treated=r["treated"], **_post_roles(ctx), **ctx.inf())
        return None
    raise AssertionError(design)  # pragma: no cover


def _post_roles(ctx: _Context) -> dict[str, Any]:
    r = ctx.roles
    if r["period"] is not None and _as_list(r["post"]):
        return {"unit": r["unit"], "period": r["period"], "post": r["post"]}
    return {"unit": r["unit"]} if r["unit"] is not None and r["period"] is None else {}


def _experimental_estimate(ctx: _Context, base: dict) -> Estimate:
    """ITT for randomised (and as-if-random) designs.

    With a baseline measurement or covariates: ANCOVA — the post outcome regressed on
    the group, the baseline outcome and the covariates (HC2), the most precise unbiased
    estimator for a randomised trial. Without: the difference in means with
    randomisation inference (exact or Monte Carlo permutation, interval by test
    inversion; LADDER.md section 5) when ``ci="auto"``.
    """
    r = ctx.roles
    covs = _baseline_covariates(ctx)
    if ctx.has_prepost or covs:
        wide = _unit_wide(ctx, with_pre=ctx.has_prepost)
        on = (["__pre__"] if ctx.has_prepost else []) + covs
        from dataclasses import replace

        e = _quiet(difference, wide, outcome="__post__", group=r["group"], treated=r["treated"],
                   control=r["control"], covariates=on, assignment="randomized",
                   cluster=r["cluster"] if r["cluster"] in wide.columns else None,
                   conf_level=ctx.conf_level)
        return replace(e, outcome=ctx.outcome)
    ci = "permutation" if ctx.ci == "auto" and ctx.scale == "absolute" else ctx.ci
    return _quiet(difference, ctx.df, **_post_roles(ctx), **base, assignment="randomized",
                  scale=ctx.scale, conf_level=ctx.conf_level, ci=ci, n_boot=ctx.n_boot,
                  seed=ctx.seed)


def _baseline_covariates(ctx: _Context) -> list[str]:
    """Covariates that are constant within unit (measured before the start)."""
    covs = [str(c) for c in _as_list(ctx.roles["covariates"])]
    r = ctx.roles
    if not covs or r["unit"] is None or r["period"] is None:
        return covs
    keep = []
    for c in covs:
        varies = ctx.df.groupby(r["unit"])[c].nunique(dropna=True).gt(1).any()
        if not varies:
            keep.append(c)
    return keep


def _pool_sizes(ctx: _Context) -> tuple[int, int]:
    n_t = ctx.study.units_in(ctx.study.data, True)
    frame = ctx.study.arm(ctx.label) if ctx.study.control_mode == "each" else ctx.study.data
    return n_t, ctx.study.units_in(frame, False)


def _matched(step: _Step, ctx: _Context, base: dict, *, kind: str) -> None:
    """Twins: ``kind`` is "did" (matched DiD), "lagged" (on the earlier outcome and
    covariates) or "background" (background covariates only: adjusted_comparison)."""
    th = ctx.th
    r = ctx.roles
    design = step.design
    covs = _baseline_covariates(ctx)
    dropped_covs = sorted(set(map(str, _as_list(r["covariates"]))) - set(covs))
    if dropped_covs:
        step.threats.append(("post_covariates", {"names": ", ".join(dropped_covs)}))
    n_t, n_c = _pool_sizes(ctx)
    ok = n_c >= th.pool_ratio * n_t
    step.checks.append(Check(design, "comparison pool / participants", round(n_c / max(n_t, 1), 2),
                             f">= {th.pool_ratio}", th.source("pool_ratio"), ok, code="pool_small",
                             params={"n_c": n_c, "ratio": float(th.pool_ratio)}))
    if not ok:
        return
    # k twins per participant (Abadie et al. 2004 use 4) when the pool is large enough
    k = int(max(1, min(4, n_c // (2 * max(n_t, 1)))))

    def run(bias_correction: bool) -> Estimate:
        if kind == "did":
            return _quiet(match, ctx.df, covariates=covs or None, unit=r["unit"],
                          period=r["period"], pre=r["pre"], post=r["post"], pre_outcomes="mean",
                          k=k, bias_correction=bias_correction, **base, conf_level=ctx.conf_level)
        from dataclasses import replace

        wide = _unit_wide(ctx, with_pre=kind == "lagged")
        on = (["__pre__"] if kind == "lagged" else []) + covs
        e = _quiet(match, wide, outcome="__post__", group=r["group"], treated=r["treated"],
                   control=r["control"], covariates=on, k=k,
                   bias_correction=bias_correction, conf_level=ctx.conf_level)
        return replace(e, outcome=ctx.outcome, design=design)

    est = run(False)
    bal0 = est.tables.get("balance")
    if bal0 is not None and len(bal0) and (bal0["smd_after"].abs() > th.smd_good).any():
        # 0.10 < |SMD| <= 0.25 must be adjusted in the outcome model (LADDER.md): use the
        # Abadie–Imbens (2011) regression bias correction
        est = run(True)
        step.checks.append(Check(design, "covariates with |SMD| > 0.10 adjusted in the outcome "
                                 "model", "bias correction", "required", th.source("smd_good"),
                                 True, must_pass=False))
    step.estimate = est
    d = est.diagnostics
    share = float(d.get("share_matched", 1.0))
    step.checks.append(Check(design, "share of participants matched", round(share, 3),
                             f">= {th.matched_share_min}", th.source("matched_share_min"),
                             share >= th.matched_share_min, code="overlap",
                             params={"value": f"{share:.0%}"}))
    if share < th.matched_share_pass:
        step.threats.append(("covers", {"n": d.get("n_matched"), "of": d.get("n_target")}))
    bal = est.tables.get("balance")
    if bal is not None and len(bal):
        smd_after = bal["smd_after"].abs()
        worst = int(smd_after.to_numpy().argmax())
        val = float(smd_after.iloc[worst])
        cov = str(bal["covariate"].iloc[worst])
        cov_label = ctx.outcome + " before" if cov in ("__pre__",) or cov.startswith("__pre") else cov
        step.checks.append(Check(design, f"max |SMD| after matching ({cov_label})", round(val, 3),
                                 f"<= {th.smd_max}", th.source("smd_max"), val <= th.smd_max,
                                 code="balance", params={"covariate": cov_label,
                                                         "value": float(val)}))
        vr = bal["var_ratio_after"].dropna() if "var_ratio_after" in bal else pd.Series(dtype=float)
        if len(vr):
            bad = vr[(vr < th.variance_ratio_low) | (vr > th.variance_ratio_high)]
            worst_vr = float(bad.iloc[0]) if len(bad) else float(vr.iloc[(vr.apply(
                lambda v: abs(math.log(v)) if v > 0 else np.inf)).to_numpy().argmax()])
            vcov = str(bal.loc[bad.index[0], "covariate"]) if len(bad) else ""
            step.checks.append(Check(design, "variance ratios after matching", round(worst_vr, 3),
                                     f"in [{th.variance_ratio_low}, {th.variance_ratio_high}]",
                                     th.source("variance_ratio_low"), len(bad) == 0,
                                     code="variance", params={"covariate": vcov or cov_label,
                                                              "value": float(worst_vr)}))
    reuse = d.get("max_control_reuse")
    if reuse is not None and reuse > th.reuse_max:
        step.checks.append(Check(design, "max reuse of one comparison unit", int(reuse),
                                 f"<= {th.reuse_max} (warn)", th.source("reuse_max"), True,
                                 must_pass=False))
    ess = d.get("effective_n_controls")
    n_used = d.get("n_controls_used")
    if ess and n_used and ess < th.ess_share * n_used:
        step.threats.append(("ess", {"value": float(ess), "share": f"{th.ess_share:.0%}",
                                     "n": int(n_used)}))


def _unit_wide(ctx: _Context, with_pre: bool = True) -> pd.DataFrame:
    """One row per unit: mean post outcome (``__post__``), mean pre outcome
    (``__pre__``, when asked), group and baseline covariates."""
    r = ctx.roles
    d = ctx.df
    covs = _baseline_covariates(ctx)
    if r["period"] is None:
        extra = [c for c in (r["unit"], r["cluster"]) if c]
        keep = list(dict.fromkeys([r["group"]] + covs + extra))
        wide = d[keep].copy()
        wide["__post__"] = d[ctx.outcome]
        return wide.dropna(subset=["__post__"]).reset_index(drop=True)
    post = d[d[r["period"]].isin(ctx.study.post)].groupby(r["unit"])[ctx.outcome].mean()
    first = d.groupby(r["unit"])[list(dict.fromkeys(
        [r["group"]] + covs + ([r["cluster"]] if r["cluster"] else [])))].first()
    wide = first.join(post.rename("__post__"))
    need = ["__post__"]
    if with_pre:
        pre = d[d[r["period"]].isin(ctx.study.pre)].groupby(r["unit"])[ctx.outcome].mean()
        wide = wide.join(pre.rename("__pre__"))
        need.append("__pre__")
    return wide.dropna(subset=need).reset_index()


def _attrition_check(step: _Step, attr: dict, th: Thresholds) -> None:
    if not attr or attr.get("overall") is None:
        return
    overall = 100 * attr["overall"]
    diff = 100 * abs(attr.get("differential") or 0.0)
    bound = wwc_attrition_boundary(overall, th.attrition_boundary)
    ok = bool(np.isfinite(bound) and diff <= bound + 1e-9)
    step.checks.append(Check(
        step.design, "differential attrition (pp) at overall attrition "
        f"{overall:.1f} %", round(diff, 1),
        f"<= {bound:.1f} ({th.attrition_boundary} boundary, interpolated)" if np.isfinite(bound)
        else "no acceptable value at this overall attrition",
        th.source("attrition_boundary"), ok, code="attrition",
        params={"overall": f"{overall:.0f}", "differential": f"{diff:.1f}"}))


def _cluster_checks(step: _Step, ctx: _Context) -> None:
    th = ctx.th
    c = ctx.roles["cluster"]
    if c is None:
        return
    d = ctx.study.data
    per_arm = d.groupby(TREATED_COL)[c].nunique()
    n_t = int(per_arm.get(1, 0))
    n_c = int(per_arm.get(0, 0))
    if step.design == "randomized":
        ok = min(n_t, n_c) >= th.min_clusters_per_arm
        step.checks.append(Check(step.design, "clusters per arm", min(n_t, n_c),
                                 f">= {th.min_clusters_per_arm}",
                                 th.source("min_clusters_per_arm"), ok, code="clusters",
                                 params={"value": min(n_t, n_c)}))
    if n_t <= th.few_treated_clusters:
        step.threats.append(("few_clusters", {"n": n_t}))


def _baseline_warn(step: _Step, dd: dict, th: Thresholds) -> None:
    g = dd.get("baseline_g")
    if g is not None and abs(g) > th.baseline_g_adjust:
        step.threats.append(("chance_imbalance", {"value": float(abs(g))}))


def _contamination_check(step: _Step, ctx: _Context, dd: dict) -> None:
    if ctx.start is None:
        return
    n = dd.get("contaminated")
    if n is None:
        return
    step.checks.append(Check(step.design, "comparison units starting during the post window",
                             int(n), "0", "LADDER.md (no spill-over)", n == 0,
                             code="contamination", params={"value": int(n)}))


def _pretrend_checks(step: _Step, dd: dict, th: Thresholds, matched: bool) -> None:
    if dd.get("slope_diff_sd") is None:
        step.checks.append(Check(step.design, "pre-trend", "one pre-period",
                                 "parallel trends cannot be tested", "LADDER.md", True,
                                 must_pass=False))
        return
    s = dd["slope_diff_sd"]
    step.checks.append(Check(
        step.design, "pre-period slope difference (SD per period)"
        + (" — full sample" if matched else ""), round(s, 3), f"<= {th.pretrend_slope_sd}",
        th.source("pretrend_slope_sd"), abs(s) <= th.pretrend_slope_sd, code="pretrend",
        params={"value": float(s)}))
    p = dd.get("placebo_p")
    if p is not None:
        step.checks.append(Check(
            step.design, "joint pre-trend (placebo) test p-value", round(p, 3),
            f">= {th.pretrend_alpha}", th.source("pretrend_alpha"), p >= th.pretrend_alpha,
            code="placebo", params={"value": float(p)}))
    if dd.get("slope_mde_sd") is not None:
        step.checks.append(Check(
            step.design, "smallest pre-trend the test could detect (SD per period)",
            round(dd["slope_mde_sd"], 3), "reported (Roth 2022)", "Roth 2022", True,
            must_pass=False))


def _covariate_balance_check(step: _Step, ctx: _Context, covs: list[str]) -> None:
    from .diagnostics import balance_table
    from .estimators.difference import covariate_matrix

    th = ctx.th
    d = ctx.study.data
    frame = ctx.study.arm(ctx.label) if ctx.study.control_mode == "each" else d
    if ctx.roles["unit"] is not None:
        frame = frame.groupby(ctx.roles["unit"]).first()
    x = covariate_matrix(frame, tuple(covs))
    t = frame[TREATED_COL].to_numpy() == 1
    if x.shape[1] == 0:
        return
    bal = balance_table(x[t], x[~t])
    smd = bal["smd_before"].abs()
    worst = int(smd.to_numpy().argmax())
    val = float(smd.iloc[worst])
    cov = str(bal["covariate"].iloc[worst])
    step.checks.append(Check(step.design, f"max |SMD| of covariates ({cov})", round(val, 3),
                             f"<= {th.smd_max}", th.source("smd_max"), val <= th.smd_max,
                             code="covariate_balance", params={"covariate": cov, "value": float(val)}))


# ----------------------------------------------------------- shared diagnostics
def _attrition(ctx: _Context) -> dict[str, Any]:
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
    if r["period"] is not None and _as_list(r["post"]):
        post = d[d[r["period"]].isin(study.post) & d[y].notna()][unit].unique()
    else:
        post = d[d[y].notna()][unit].unique()
    lost = ~units[unit].isin(post)
    if r["group"] is None:
        return {"overall": float(lost.mean()), "differential": 0.0, "n_units": int(len(units))}
    g = units[r["group"]]
    t = (g == study.treated).to_numpy()
    if study.control_mode == "each" and ctx.label is not None:
        c = (g.astype(str) == ctx.label).to_numpy()
    else:
        c = g.isin(list(study.controls)).to_numpy()
    keep = t | c
    lost = lost.to_numpy()
    rt = float(lost[t].mean()) if t.any() else 0.0
    rc = float(lost[c].mean()) if c.any() else 0.0
    return {"overall": float(lost[keep].mean()), "treated": rt, "control": rc,
            "differential": rt - rc, "n_units": int(keep.sum()),
            "n_lost": int(lost[keep].sum())}


def _one_cluster_rule(ctx: _Context) -> str | None:
    c = ctx.roles["cluster"]
    if c is None or ctx.roles["group"] is None:
        return None
    d = ctx.study.data
    per = d.groupby(TREATED_COL)[c].nunique()
    if per.get(1, 0) == 1 or per.get(0, 0) == 1:
        return (f"one cluster ({c!r}) per condition: the effect cannot be separated from that "
                "cluster (WWC)")
    return None


def _descriptives(ctx: _Context) -> dict[str, Any]:
    """Group means before and after and their percent changes (for the plain text)."""
    r = ctx.roles
    d = ctx.study.data
    out: dict[str, Any] = {}
    if r["period"] is None or not _as_list(r["pre"]) or not _as_list(r["post"]):
        return out
    frame = ctx.study.arm(ctx.label) if ctx.study.control_mode == "each" else d
    for key, mask in (("treated", frame[TREATED_COL] == 1), ("control", frame[TREATED_COL] == 0)):
        sub = frame[mask]
        if not len(sub):
            continue
        m0 = float(sub[sub[r["period"]].isin(ctx.study.pre)][ctx.outcome].mean())
        m1 = float(sub[sub[r["period"]].isin(ctx.study.post)][ctx.outcome].mean())
        out[key] = {"pre": m0, "post": m1,
                    "pct_change": 100 * (m1 / m0 - 1) if m0 else float("nan"),
                    "nonnegative": bool((frame[ctx.outcome] >= 0).all()),
                    "n": int(sub[r["unit"]].nunique()) if r["unit"] else int(len(sub))}
    return out


def _did_diagnostics(ctx: _Context) -> dict[str, Any]:
    """Baseline g, pre-trend slope test (unit slopes, Welch), placebo test, dip, contamination."""
    from scipy import stats

    from .estimators._common import cox_index, hedges_g

    r = ctx.roles
    study = ctx.study
    frame = study.arm(ctx.label) if study.control_mode == "each" else study.data
    u, p, y = r["unit"], r["period"], ctx.outcome
    out: dict[str, Any] = {}
    pre = frame[frame[p].isin(study.pre)]
    means = pre.groupby(u).agg(y=(y, "mean"), t=(TREATED_COL, "first"))
    y0t = means.loc[means.t == 1, "y"].to_numpy(float)
    y0c = means.loc[means.t == 0, "y"].to_numpy(float)
    if len(y0t) >= 2 and len(y0c) >= 2 and np.std(np.r_[y0t, y0c]) > 0:
        out["baseline_g"] = (cox_index(y0t, y0c).value if study.binary
                             else hedges_g(y0t, y0c).value)
    order = sorted(study.pre)
    sd = float(pre[y].std(ddof=1))
    if len(order) >= 2 and sd > 0:
        code = {v: i for i, v in enumerate(order)}
        tt = pre[p].map(code).astype(float)
        work = pd.DataFrame({"u": pre[u].to_numpy(), "t": tt.to_numpy(), "y": pre[y].to_numpy(float),
                             "g": pre[TREATED_COL].to_numpy()})
        # per-unit OLS slope over the pre periods
        work["tc"] = work["t"] - work.groupby("u")["t"].transform("mean")
        work["yc"] = work["y"] - work.groupby("u")["y"].transform("mean")
        num = (work["tc"] * work["yc"]).groupby(work["u"]).sum()
        den = (work["tc"] ** 2).groupby(work["u"]).sum()
        g = work.groupby("u")["g"].first()
        ok = den > 0
        slopes = (num[ok] / den[ok])
        st, sc = slopes[g[ok] == 1].to_numpy(), slopes[g[ok] == 0].to_numpy()
        if len(st) >= 2 and len(sc) >= 2:
            diff = st.mean() - sc.mean()
            se = math.sqrt(st.var(ddof=1) / len(st) + sc.var(ddof=1) / len(sc))
            out["slope_diff_sd"] = float(diff / sd)
            out["slope_p"] = float(stats.ttest_ind(st, sc, equal_var=False).pvalue)
            z = stats.norm.ppf(1 - ctx.th.pretrend_alpha / 2) + stats.norm.ppf(ctx.th.power)
            out["slope_mde_sd"] = float(z * se / sd)
        # joint placebo test from the event-time model
        try:
            e = _quiet(did, ctx.df, outcome=y, unit=u, group=r["group"], treated=r["treated"],
                       control=r["control"], period=p, pre=r["pre"], post=r["post"],
                       method="panel", ci="analytic")
            e = e[0] if not isinstance(e, Estimate) else e
            if "pretrend_p_value" in e.diagnostics:
                out["placebo_p"] = float(e.diagnostics["pretrend_p_value"])
        except ImpactEvalError:
            pass
        # pre-programme dip among participants
        if len(order) >= 3:
            tp = pre[pre[TREATED_COL] == 1]
            last = float(tp.loc[tp[p] == order[-1], y].mean())
            earlier = float(tp.loc[tp[p].isin(order[:-1]), y].mean())
            out["dip"] = (last - earlier) / sd
    if ctx.start is not None:
        post_max = max(study.post)
        st = ctx.df.groupby(u)[ctx.start].first()
        grp = ctx.df.groupby(u)[r["group"]].first()
        ctrl_units = grp[grp != study.treated].index
        if study.control_mode == "each" and ctx.label is not None:
            ctrl_units = grp[grp.astype(str) == ctx.label].index
        s = pd.to_numeric(st.reindex(ctrl_units), errors="coerce")
        out["contaminated"] = int((s.notna() & (s <= post_max)).sum())
    return out


# -------------------------------------------------------------------- ratings
def _mde(ctx: _Context, chosen: _Step, descr: dict) -> dict[str, Any]:
    e = chosen.estimate
    th = ctx.th
    out: dict[str, Any] = {"design": chosen.design}
    if e is None or chosen.design == "follow_up":
        return out
    r2 = 0.0
    if ctx.has_prepost:
        r2 = _pre_post_r2(ctx)
    if chosen.design in ("randomized", "natural_experiment", "adjusted_comparison"):
        # covariates (and the baseline outcome) in an ANCOVA explain part of the variance
        r2 = max(r2, min(float(e.diagnostics.get("r_squared") or 0.0), 0.99))
    nt, nc = e.n_treated, e.n_control
    if chosen.design in ("before_after", "benchmark"):
        m = mdes_bloom(nt, 0, r2=r2 if chosen.design == "before_after" else 0.0,
                       alpha=th.alpha, power=th.power, paired=True)
        if chosen.design == "benchmark":
            m = m / math.sqrt(2)  # one sample, no pairing
    else:
        uses_pre = chosen.design in ("did", "matched_did", "matched", "randomized",
                                     "natural_experiment", "adjusted_comparison")
        m = mdes_bloom(nt, max(nc, 1), r2=r2 if uses_pre else 0.0, alpha=th.alpha,
                       power=th.power)
    out.update({"mdes": float(m), "r2": float(r2), "n_treated": nt, "n_control": nc})
    sd = _outcome_sd(ctx)
    if ctx.study.binary:
        base = descr.get("control", {}).get("post") if descr else None
        if base is None:
            base = float(ctx.study.data.loc[ctx.study.data[TREATED_COL] == 0, ctx.outcome].mean()) \
                if ctx.has_group else float(ctx.study.data[ctx.outcome].mean())
        from .power import _arcsine_mde

        if 0 < base < 1:
            out["mde"] = _arcsine_mde(m, base)
            out["mde_units"] = "proportion"
    elif sd:
        out["mde"] = float(m * sd)
        out["mde_units"] = "outcome units"
    return out


def _outcome_sd(ctx: _Context) -> float:
    d = ctx.study.data
    if ctx.roles["period"] is not None and _as_list(ctx.roles["post"]):
        d = d[d[ctx.roles["period"]].isin(ctx.study.post)]
        if ctx.roles["unit"] is not None:
            d = d.groupby(ctx.roles["unit"])[ctx.outcome].mean().to_frame()
    return float(d[ctx.outcome].std(ddof=1))


def _pre_post_r2(ctx: _Context) -> float:
    r = ctx.roles
    d = ctx.study.data
    pre = d[d[r["period"]].isin(ctx.study.pre)].groupby(r["unit"])[ctx.outcome].mean()
    post = d[d[r["period"]].isin(ctx.study.post)].groupby(r["unit"])[ctx.outcome].mean()
    t = d.groupby(r["unit"])[TREATED_COL].first()
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


def _padlocks_mdes(mdes: float | None, th: Thresholds) -> int:
    if mdes is None or not np.isfinite(mdes):
        return 0
    for pads, cut in zip((5, 4, 3, 2, 1), th.mdes_bands, strict=True):
        if mdes < cut:
            return pads
    return 0


def _padlocks_attrition(overall: float | None, th: Thresholds) -> int:
    if overall is None:
        return 5
    for pads, cut in zip((5, 4, 3, 2, 1), th.attrition_bands, strict=True):
        if overall <= cut + 1e-12:
            return pads
    return 0


# ------------------------------------------------------------------ reporting
def _steps_table(steps: list[_Step], chosen: _Step) -> pd.DataFrame:
    rows = []
    chosen_score = DESIGNS[chosen.design][0]
    for s in steps:
        if s is chosen:
            verdict = "chosen"
        elif s.passed and DESIGNS[s.design][0] == chosen_score:
            verdict = "bracket"
        elif s.passed:
            verdict = "sensitivity"
        elif not s.feasible:
            verdict = "infeasible"
        else:
            verdict = "rejected"
        fail = s.first_failure()
        reason = s.reason if not s.feasible else (fail.reason or
                                                 f"{fail.diagnostic} {fail.value} vs {fail.threshold}"
                                                 if fail else "all must-pass diagnostics passed")
        base = {"design": s.design, "score": DESIGNS[s.design][0], "feasible": s.feasible,
                "verdict": verdict, "reason": reason,
                "estimate": s.estimate.estimate if s.estimate is not None else float("nan"),
                "conf_low": s.estimate.conf_low if s.estimate is not None else float("nan"),
                "conf_high": s.estimate.conf_high if s.estimate is not None else float("nan")}
        if not s.checks:
            rows.append({**base, "diagnostic": None, "value": None, "threshold": None,
                         "source": None, "passed": None, "must_pass": None})
        for c in s.checks:
            rows.append({**base, "diagnostic": c.diagnostic, "value": _plain(c.value),
                         "threshold": str(c.threshold), "source": c.source, "passed": c.passed,
                         "must_pass": c.must_pass})
    cols = ["design", "score", "feasible", "diagnostic", "value", "threshold", "source",
            "passed", "must_pass", "verdict", "reason", "estimate", "conf_low", "conf_high"]
    return pd.DataFrame(rows)[cols]


def _plain(v: Any) -> Any:
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v if isinstance(v, (int, float, str)) or v is None else str(v)


def _verdict_lines(steps: list[_Step], chosen: _Step, mde: dict, ratings: dict) -> list[str]:
    lines = []
    for s in steps:
        if s is chosen:
            break
        if not s.feasible:
            lines.append(f"{s.design} rejected: {s.reason}.")
        else:
            f = s.first_failure()
            if f is None:
                continue
            if f.diagnostic == "estimation":
                lines.append(f"{s.design} rejected: {f.reason}")
            else:
                lines.append(f"{s.design} rejected: {f.diagnostic} is {f.value}, needs {f.threshold} "
                             f"({f.source}).")
    detail = []
    for c in chosen.checks:
        if c.diagnostic != "estimation":
            detail.append(f"{c.diagnostic} {c.value} ({'ok' if c.passed else 'fails'} vs {c.threshold})")
    lines.append(f"{chosen.design} chosen" + (": " + "; ".join(detail) if detail else "") + ".")
    if mde.get("mdes") is not None:
        lines.append(
            f"precision: MDES {mde['mdes']:.2f} SD -> {ratings['precision']}/5 (EEF). "
            f"security = min(design {ratings['design']}, precision {ratings['precision']}, "
            f"attrition {ratings['attrition']})"
            + (f" - {min(2, len(ratings['threats']))} for threats" if ratings["threats"] else "")
            + f" = {ratings['security']}/5.")
    else:
        lines.append(f"security = {ratings['security']}/5 (no effect estimated).")
    for t in ratings["threats"]:
        lines.append(f"threat: {t}.")
    return lines


def _explain(ev: Evaluation, lang: str) -> str:
    T = texts.T[lang]
    e = ev.estimate
    y = ev.outcome
    parts = []
    comp = ev.comparison
    versus = T["versus"].format(comparison=comp) if comp and ev.design not in (
        "before_after", "follow_up", "benchmark") else ""
    parts.append(T["design_used"].format(design=texts.design_name(ev.design, lang), versus=versus))
    unit = " %" if e.scale == "relative" and ev.design in ("before_after",) else (
        (" procentenheter" if lang == "sv" else " percentage points") if e.scale == "relative" else "")
    scale_by = 1.0
    if ev.context.get("binary") and e.scale == "absolute":
        # proportions: shown as percent (levels) or percentage points (differences)
        scale_by = 100.0
        unit = " %" if ev.design == "follow_up" else (
            " procentenheter" if lang == "sv" else " percentage points")

    def f(v: float) -> str:
        return texts.fmt_num(scale_by * v, lang)

    key = "effect_level" if ev.design == "follow_up" else "effect"
    parts.append(T[key].format(outcome=y, est=f(e.estimate), lo=f(e.conf_low), hi=f(e.conf_high),
                               unit=unit))
    if ev.design != "follow_up":
        if e.conf_low > 0 or e.conf_high < 0:
            parts.append(T["excludes_zero"])
        else:
            far = e.conf_low if abs(e.conf_low) > abs(e.conf_high) else e.conf_high
            parts.append(T["includes_zero"].format(far=f(far) + unit))
    parts.append(T["rules"][ev.design].format(outcome=y))
    reasons = []
    seen = set()
    for _design, code, params in ev._rejections:
        if code in seen or code in ("no_reference",):
            continue
        seen.add(code)
        reasons.append(texts.reason_text(code, lang, **params))
    if reasons and ev.design not in ("randomized",):
        joined = "; ".join(reasons)
        parts.append(T["why_not"].format(reasons=joined))
    if ev.bracket and ev.bracket in ev.sensitivity:
        b = ev.sensitivity[ev.bracket]
        parts.append(T["bracket"].format(other=texts.design_name(ev.bracket, lang), est=f(b.estimate),
                                         lo=f(b.conf_low), hi=f(b.conf_high), unit=unit))
    descr = ev.context.get("descriptives", {})
    if ev.design not in ("before_after", "follow_up") and "before_after" in ev.sensitivity:
        if "treated" in descr and "control" in descr and min(
                descr["treated"].get("n", 5), descr["control"].get("n", 5)) >= 5:
            def chg(dsc: dict) -> str:
                d = dsc["post"] - dsc["pre"]
                if ev.context.get("binary"):
                    return texts.fmt_num(100 * d, lang) + (" procentenheter" if lang == "sv"
                                                            else " percentage points")
                out = ("+" if d > 0 else "") + texts.fmt_num(d, lang)
                if dsc.get("nonnegative") and dsc["pre"] > 0:
                    out += f" ({texts.fmt_num(dsc['pct_change'], lang)} %)"
                return out

            parts.append(T["weaker"].format(
                chg_t=chg(descr["treated"]), outcome=y, chg_c=chg(descr["control"]),
                comparison=(comp or ("the comparison group" if lang == "en"
                                     else "jämförelsegruppen"))))
    if ev.mde.get("mdes") is not None:
        mde_val = ev.mde.get("mde")
        if ev.mde.get("mde_units") == "proportion":
            mde_txt = texts.fmt_num(100 * mde_val, lang) + (" procentenheter" if lang == "sv"
                                                             else " percentage points")
        elif mde_val is not None:
            mde_txt = texts.fmt_num(mde_val, lang)
        else:
            mde_txt = texts.fmt_num(ev.mde["mdes"], lang) + " SD"
        if ev.design in ("before_after", "benchmark"):
            parts.append(T["precision_one"].format(nt=e.n_treated, mde=mde_txt))
        else:
            parts.append(T["precision"].format(nt=e.n_treated, nc=e.n_control, mde=mde_txt,
                                               mdes=texts.fmt_num(ev.mde["mdes"], lang, 2)))
    rt = ev.ratings
    threats = ""
    codes = ev.context.get("threats") or []
    if codes:
        threats = T["threats"].format(items="; ".join(texts.threat_text(c, lang, **p)
                                                      for c, p in codes))
    parts.append(T["security"].format(sec=rt["security"], d=rt["design"], p=rt["precision"],
                                      a=rt["attrition"], threats=threats))
    return " ".join(parts)


# ----------------------------------------------------------------------- plan
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
