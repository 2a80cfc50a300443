"""Difference-in-differences: both groups before and after; the change in
participants minus the change in the comparison group.

Estimand: ATT. Must pass: the pre-trend checks (with two or more pre-periods),
no waitlist contamination (with ``start=``, comparison units that start during the
window are used only until their start: Callaway & Sant'Anna 2021). Threats: a baseline level difference above the WWC
adjustment limit, a pre-programme dip, few treated clusters, a pre-trend (shown at the 95 % level it
caps security and the interval includes Rambachan & Roth's honest one). With one
pre-period the design padlocks are capped at 3.
"""

from __future__ import annotations

from typing import Any

from ...errors import ImpactEvalError
from ...estimators import did
from ...results import Estimate
from .. import summary
from ..checks import (
    Check,
    Infeasible,
    Threat,
    cluster_checks,
    composition_threat,
    contamination_check,
    dip_threat,
    needs_comparison,
    needs_prepost,
)
from ..context import Context
from ..pretrend import TEXTS as TREND_TEXTS
from ..pretrend import (
    honest_checks,
    honest_rm,
    honest_sentence,
    pretrend_checks,
    trend_bracket,
    trend_threats,
)
from ..registry import Rung, register
from . import _waitlist


class Did(Rung):
    name = "did"
    score = 4
    sms = 3
    eef_design = 4
    mde_uses_pre = True
    texts = {
        "en": {
            "name": "difference-in-differences",
            "rule": "Comparing changes removes stable differences between the groups, but not "
                    "differences in how they would have developed without the project.",
            **TREND_TEXTS["en"],
            "checks": {**TREND_TEXTS["en"].get("checks", {}),
                       "waitlist_started": _waitlist.TEXTS["en"]["check"],
                       "rcs_placebo": "placebo DiD on the periods before the start (different "
                                      "people each period)"},
            "threats": {**TREND_TEXTS["en"].get("threats", {}),
                        "rcs_placebo": "the groups' difference already changed before the "
                                       "start ({value}, interval {lo} to {hi})"},
        },
        "sv": {
            "name": "skillnad-i-skillnader",
            "rule": "Genom att jämföra förändringar tar designen bort bestående skillnader "
                    "mellan grupperna, men inte skillnader i hur de skulle ha utvecklats utan "
                    "projektet.",
            **TREND_TEXTS["sv"],
            "checks": {**TREND_TEXTS["sv"].get("checks", {}),
                       "waitlist_started": _waitlist.TEXTS["sv"]["check"],
                       "rcs_placebo": "placebo-skillnad-i-skillnader på perioderna före starten "
                                      "(olika personer varje period)"},
            "threats": {**TREND_TEXTS["sv"].get("threats", {}),
                        "rcs_placebo": "skillnaden mellan grupperna ändrades redan före starten "
                                       "({value}, intervall {lo} till {hi})"},
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        return needs_comparison(ctx) or needs_prepost(ctx)

    def estimate(self, ctx: Context) -> Estimate:
        if _waitlist.applies(ctx):  # waitlisters who start later: not-yet-started comparison
            e = _waitlist.estimate(ctx)
        else:  # shared with the matched DiD's triangulation
            e = summary.plain_did(ctx)
        # the trend bracket, then Rambachan & Roth's honest interval from the event study
        return honest_rm(ctx, trend_bracket(ctx, e), e)

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        th = ctx.th
        if est is not None and est.n_treated == 1:
            from .synthetic_control import one_unit_did_checks
            return one_unit_did_checks(self.name, ctx, est)
        out = pretrend_checks(self.name, ctx) + honest_checks(self.name, est)
        pl = _rcs_placebo(ctx)
        if pl is not None:
            out.append(Check(design=self.name, value=round(pl.estimate, 4),
                             threshold="0 ∈ interval", passed=True, must_pass=False,
                             warn=not pl.conf_low <= 0 <= pl.conf_high, code="rcs_placebo",
                             source="Heckman & Hotz 1989"))
        out += (_waitlist.check(self.name, ctx) if _waitlist.applies(ctx)
                else contamination_check(self.name, ctx))
        if "baseline_g" in ctx.did_diag:
            g = abs(ctx.did_diag["baseline_g"])
            # WWC: equivalent at or below baseline_g_ok; DiD removes level differences by
            # design, so a larger one is information, flagged as a threat above
            # baseline_g_adjust
            out.append(Check(design=self.name, value=round(g, 3),
                             threshold=f"<= {th.baseline_g_ok}", passed=g <= th.baseline_g_ok,
                             must_pass=False, threshold_field="baseline_g_ok",
                             code="baseline_level", params={"value": float(g)}))
        return out + cluster_checks(self.name, ctx, per_arm_check=False)[0]

    def sensitivity(self, ctx: Context, est: Estimate | None) -> Any:
        """E-value / robustness value / Rosenbaum / Rambachan–Roth, as fits the design."""
        from ...sensitivity import for_estimate

        return None if est is None else for_estimate(est, design=self.name)

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        th = ctx.th
        out: list[Threat] = []
        if "baseline_g" in ctx.did_diag:
            g = abs(ctx.did_diag["baseline_g"])
            if g > th.baseline_g_adjust:
                out.append(("level_difference",
                            {"value": float(g), "limit": float(th.baseline_g_adjust)}))
        pl = _rcs_placebo(ctx)
        if pl is not None and not pl.conf_low <= 0 <= pl.conf_high:
            out.append(("rcs_placebo", {"value": float(pl.estimate), "lo": float(pl.conf_low),
                                        "hi": float(pl.conf_high)}))
        return (out + dip_threat(ctx) + composition_threat(ctx) + trend_threats(ctx, est)
                + cluster_checks(self.name, ctx, per_arm_check=False)[1])

    def mde(self, ctx: Context, est: Estimate, r2: float) -> float | None:
        if est.n_treated == 1:  # one treated unit: from the placebo standard deviation
            from .synthetic_control import one_unit_mdes
            return one_unit_mdes(ctx, est)
        return Rung.mde(self, ctx, est, r2)

    def explain_extra(self, ev, lang: str, k: int = 5) -> str | None:
        parts = [_waitlist.sentence(ev, lang, k), honest_sentence(ev, lang)]
        return " ".join(p for p in parts if p) or None

    def design_padlocks(self, ctx: Context) -> int:
        return min(self.eef_design, 3) if ctx.n_pre < 2 else self.eef_design


def _rcs_placebo(ctx: Context) -> Estimate | None:
    """Repeated cross-sections with two or more pre-periods: the same DiD on the periods
    before the start, the last one as if it were "after" (a placebo; Heckman & Hotz 1989).
    Computed once per context."""
    if not ctx.rcs or ctx.n_pre < 2:
        return None
    if not hasattr(ctx, "_rcs_placebo"):
        r = ctx.roles
        pre = list(r["pre"])
        try:
            ctx._rcs_placebo = ctx.call(
                did, ctx.df, unit=None, period=r["period"], pre=pre[:-1], post=pre[-1:],
                cluster=r["cluster"], **ctx.base)
        except ImpactEvalError:
            ctx._rcs_placebo = None
    return ctx._rcs_placebo


register(Did())
