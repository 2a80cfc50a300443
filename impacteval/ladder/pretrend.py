"""Pre-trends in the ladder: a calibrated gate, the trend bracket and the caps.

A joint placebo test (p ≥ 0.10 over 11 event-time coefficients) threw away a valid
DiD one time in three, and a slope test alone lets a 40 kr/month difference in
trends through unnoticed in most samples of 30 participants while that trend
shifts the DiD by several standard errors. The worlds study
(``benchmarks/worlds.py``) measures what works; the rules here are what it
supports:

* **Gate** (must pass): a DiD-family design is rejected only when the data *show*
  a pre-trend difference larger than the tolerance (``pretrend_slope_sd`` SD of
  the outcome per period): the whole 90 % interval of the slope difference lies
  beyond it. The equivalence reading (the interval lies inside the tolerance,
  Hartman & Hidalgo 2018) is reported beside it.
* **Trend bracket**: when the slope difference is at least ``pretrend_visible_z``
  standard errors from zero, the headline interval is the union of the DiD
  interval (parallel trends) and the interval of the DiD corrected for the linear
  pre-trend (the trend goes on: Rambachan & Roth's 2023 smoothness restriction with
  M = 0). The truth lies between the two when the extra trend stops at the start and
  equals the second when it goes on, so the bracket covers either way; the
  p-value is the larger of the two (an intersection–union test).
* **Caps**: a pre-trend whose 90 % interval excludes zero (``pretrend_alpha``)
  caps the security of a DiD-family verdict at ``pretrend_visible_cap``; a weaker
  two-group design chosen despite such a trend (a post-only comparison or matching
  on earlier levels does not remove a difference in trends) is capped at
  ``pretrend_ignored_cap``.

Written here because no peer package chooses the design; the statistic is the
one definition in :func:`impacteval.diagnostics.pretrend_slope`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from scipy import stats

from ..results import Estimate
from .checks import Check, Threat
from .context import Context

__all__ = ["pretrend_checks", "trend_bracket", "triangulate", "trend_threats",
           "ignored_trend_threats",
           "THREAT_CAPS", "TEXTS"]

#: threat code -> the Thresholds field that caps the security rating
THREAT_CAPS = {"pretrend_visible": "pretrend_visible_cap",
               "pretrend_ignored": "pretrend_ignored_cap",
               "dip": "dip_cap"}

TEXTS = {
    "en": {
        "reasons": {
            "pretrend_large": "the groups were already developing differently before the start: "
                              "{value} per period (90 % interval {lo} to {hi}), more than the "
                              "tolerance of {tol}; had it gone on, it would shift the result "
                              "by {shift}",
        },
        "checks": {
            "pretrend_large": "pre-period slope difference per period ({level} interval {lo} "
                              "to {hi}; rejected when wholly beyond the tolerance)",
            "pretrend_equivalence": "pre-trend shown within the tolerance (equivalence)",
        },
        "threats": {
            "pretrend_visible": "the groups' trends differed before the start by {value} per "
                                "period; the interval allows for that trend going on",
            "pretrend_ignored": "the groups' trends differed before the start by {value} per "
                                "period, and this design does not remove such a difference",
        },
    },
    "sv": {
        "reasons": {
            "pretrend_large": "grupperna utvecklades redan olika före starten: {value} per "
                              "period (90 %-intervall {lo} till {hi}), mer än toleransen "
                              "{tol}; om den skillnaden hade fortsatt skulle resultatet "
                              "förskjutas med {shift}",
        },
        "checks": {
            "pretrend_large": "skillnad i trend före starten per period ({level}-intervall {lo} "
                              "till {hi}; underkänd om hela intervallet ligger utanför "
                              "toleransen)",
            "pretrend_equivalence": "trendskillnaden före starten visad vara inom toleransen "
                                    "(ekvivalens)",
        },
        "threats": {
            "pretrend_visible": "gruppernas trender skilde sig före starten med {value} per "
                                "period; intervallet tar höjd för att den skillnaden "
                                "fortsätter",
            "pretrend_ignored": "gruppernas trender skilde sig före starten med {value} per "
                                "period, och den här designen tar inte bort en sådan skillnad",
        },
    },
}


def _res(ctx: Context):
    return ctx.did_diag.get("pretrend")


def pretrend_checks(design: str, ctx: Context, matched: bool = False) -> list[Check]:
    """The pre-trend checks of a DiD-family rung (see the module docstring)."""
    dd = ctx.did_diag
    th = ctx.th
    res = _res(ctx)
    if res is None:
        return [Check(design=design, value=ctx.n_pre, threshold=">= 2", source="Roth 2022",
                      passed=ctx.n_pre >= 2, must_pass=False, code="pretrend_untestable")]
    level = 1 - th.pretrend_alpha
    lo, hi = res.conf_int(level)
    tol = th.pretrend_slope_sd * res.sd
    shown_large = lo > tol or hi < -tol
    shift = res.slope * dd.get("lever", 0.0)
    params = {"value": float(res.slope), "lo": float(lo), "hi": float(hi), "tol": float(tol),
              "shift": float(shift), "level": f"{level:.0%}".replace("%", " %")}
    out = [Check(design=design, value=float(f"{res.slope:.4g}"),
                 threshold=f"±{tol:.4g}", passed=not shown_large, code="pretrend_large",
                 threshold_field="pretrend_slope_sd", params=params),
           Check(design=design, value=bool(-tol < lo and hi < tol), threshold=f"±{tol:.4g}",
                 source="Hartman & Hidalgo 2018", passed=True, must_pass=False,
                 code="pretrend_equivalence", params=params)]
    p = dd.get("placebo_p")
    if p is not None:
        out.append(Check(design=design, value=round(p, 3), threshold="–", source="Roth 2022",
                         passed=True, must_pass=False, code="placebo",
                         params={"value": float(p)}))
    if dd.get("slope_mde_sd") is not None:
        out.append(Check(design=design, value=round(dd["slope_mde_sd"], 3), threshold="–",
                         source="Roth 2022", passed=True, must_pass=False, code="pretrend_mde"))
    return out


def _visible(ctx: Context) -> bool:
    res = _res(ctx)
    return res is not None and abs(res.t) > ctx.th.pretrend_visible_z


def _material(ctx: Context) -> bool:
    """The slope difference's interval at 1 − ``pretrend_alpha`` (90 %) excludes zero."""
    res = _res(ctx)
    if res is None:
        return False
    q = float(stats.t.ppf(1 - ctx.th.pretrend_alpha / 2, max(res.df, 1.0)))
    return abs(res.t) > q


def trend_bracket(ctx: Context, est: Estimate | None) -> Estimate | None:
    """The estimate with its interval widened to the trend bracket when the
    pre-trend is visible (module docstring); unchanged otherwise."""
    res = _res(ctx)
    if est is None or res is None or not _visible(ctx) or not math.isfinite(est.std_error) \
            or est.std_error <= 0 or getattr(est, "scale", "absolute") != "absolute":
        return est
    lever = ctx.did_diag.get("lever", 0.0)
    shift = res.slope * lever
    adj = est.estimate - shift
    se_adj = math.sqrt(est.std_error ** 2 + (lever * res.std_error) ** 2)
    q = (est.conf_high - est.conf_low) / (2 * est.std_error)
    lo = min(est.conf_low, adj - q * se_adj)
    hi = max(est.conf_high, adj + q * se_adj)
    z_adj = adj / se_adj
    p_adj = float(2 * stats.norm.sf(abs(z_adj)))
    p = max(float(est.p_value), p_adj) if math.isfinite(est.p_value) else est.p_value
    info: dict[str, Any] = dict(est.inference)
    info["method"] = str(info.get("method", "")) + "; interval widened to the pre-trend bracket " \
        "(parallel trends ∪ linear trend continued; Rambachan & Roth 2023, smoothness M = 0)"
    diag = dict(est.diagnostics)
    diag.update({"conventional_conf_low": est.conf_low, "conventional_conf_high": est.conf_high,
                 "conventional_p_value": est.p_value, "trend_adjusted_estimate": adj,
                 "trend_adjusted_std_error": se_adj, "pretrend_slope": res.slope,
                 "pretrend_slope_se": res.std_error, "pretrend_lever": lever})
    note = (f"The groups' trends differed before the start by {res.slope:.4g} per period "
            f"({abs(res.t):.1f} standard errors from zero). The interval is the union of the "
            f"DiD interval [{est.conf_low:.4g}, {est.conf_high:.4g}] and the interval that "
            f"assumes the difference in trends went on [{adj - q * se_adj:.4g}, "
            f"{adj + q * se_adj:.4g}].")
    return replace(est, conf_low=lo, conf_high=hi, p_value=p, inference=info,
                   diagnostics=diag, notes=tuple(est.notes) + (note,))


def triangulate(ctx: Context, matched: Estimate | None, plain: Estimate | None
                ) -> Estimate | None:
    """The matched DiD's interval widened to cover the unmatched DiD's too.

    Matching on earlier *levels* of the outcome can itself bias a DiD when the groups'
    levels differ and part of a unit's level goes with how it develops later (regression
    to the mean; Daw & Hatfield 2018): in the worlds study the matched DiD alone covered
    the truth in 65–75 % of parallel-trend panels where the plain DiD covered 90 % or
    more. The two rest on different assumptions, so the verdict reports the bracket of
    both (the triangulation the rulebook asks for); the p-value is the larger one.
    """
    if matched is None or plain is None or not all(
            math.isfinite(v) for v in (plain.conf_low, plain.conf_high)) \
            or getattr(plain, "scale", "absolute") != getattr(matched, "scale", "absolute"):
        return matched
    lo, hi = min(matched.conf_low, plain.conf_low), max(matched.conf_high, plain.conf_high)
    if lo == matched.conf_low and hi == matched.conf_high:
        return matched
    diag = dict(matched.diagnostics)
    diag.update({"matched_conf_low": matched.conf_low, "matched_conf_high": matched.conf_high,
                 "unmatched_did_estimate": plain.estimate,
                 "unmatched_did_conf_low": plain.conf_low,
                 "unmatched_did_conf_high": plain.conf_high})
    info: dict[str, Any] = dict(matched.inference)
    info["method"] = str(info.get("method", "")) + "; interval widened to include the " \
        "unmatched DiD's (triangulation; Daw & Hatfield 2018)"
    p = max(matched.p_value, plain.p_value) if math.isfinite(plain.p_value) else \
        matched.p_value
    note = (f"The matched DiD gives [{matched.conf_low:.4g}, {matched.conf_high:.4g}] and the "
            f"DiD without matching [{plain.conf_low:.4g}, {plain.conf_high:.4g}]; they rest on "
            "different assumptions, so the interval covers both.")
    return replace(matched, conf_low=lo, conf_high=hi, p_value=p, inference=info,
                   diagnostics=diag, notes=tuple(matched.notes) + (note,))


def trend_threats(ctx: Context) -> list[Threat]:
    """The cap of a DiD-family verdict when the pre-trend's interval excludes zero."""
    res = _res(ctx)
    if res is None or not _material(ctx):
        return []
    return [("pretrend_visible", {"value": float(res.slope)})]


def ignored_trend_threats(ctx: Context) -> list[Threat]:
    """The cap of a design that ignores a pre-trend the data show."""
    res = _res(ctx)
    if res is None or not _material(ctx):
        return []
    return [("pretrend_ignored", {"value": float(res.slope)})]
