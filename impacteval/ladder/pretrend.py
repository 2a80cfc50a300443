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
* **Honest interval**: every DiD-family estimate carries Rambachan & Roth's (2023)
  relative-magnitudes interval at M̄ = 1 (the departure from parallel trends after
  the start is at most as large as the largest one before it) and the breakdown M̄
  (:func:`impacteval.sensitivity.honest_did`), beside the conventional interval.
  A matched DiD keeps no event-time coefficients, so its honest interval is that
  of the DiD without matching (its headline interval already covers that DiD's).
* **Threat and caps**: a pre-trend whose 90 % interval excludes zero
  (``pretrend_alpha``) is a threat (security one lower). Shown at the 95 % level
  (``pretrend_shown_alpha``) the verdict *leads with the honest interval* (the
  union of the bracket and the M̄ = 1 interval; the p-value is the larger one) and
  its security is capped at ``pretrend_visible_cap``. A 90 % cap fired in about one
  parallel-trend panel in five in the worlds study (a 10 % test on two designs'
  data); the 95 % cap keeps security ≥ 3 where trends are parallel while the
  bracket keeps diverging-trend verdicts honest. A weaker two-group design chosen
  despite a 90 % trend (a post-only comparison or matching on earlier levels does
  not remove a difference in trends) is capped at ``pretrend_ignored_cap``.
* **Placebo on the last pre-periods** (post-only matched designs): the same
  matched design run with the last pre-periods as if they were "after"; an effect
  there (its interval excludes zero) is a difference in trends the design does not
  remove, and caps security at ``pretrend_ignored_cap`` with the placebo effect in
  the outcome's units.

Written here because no peer package chooses the design; the statistic is the
one definition in :func:`impacteval.diagnostics.pretrend_slope`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from scipy import stats

from ..errors import ImpactEvalError
from ..notes import NOTES, Note
from ..results import Estimate
from .checks import Check, Threat
from .context import Context, baseline_covariates

__all__ = ["pretrend_checks", "trend_bracket", "triangulate", "trend_threats",
           "ignored_trend_threats", "honest_rm", "honest_checks", "honest_sentence",
           "pre_placebo", "placebo_checks", "placebo_threats",
           "THREAT_CAPS", "TEXTS", "HONEST_MBAR"]

#: the relative-magnitudes bound of the honest interval (Rambachan & Roth 2023)
HONEST_MBAR = 1.0

#: threat code -> the Thresholds field that caps the security rating
THREAT_CAPS = {"pretrend_honest": "pretrend_visible_cap",
               "pretrend_shown": "pretrend_visible_cap",
               "pretrend_ignored": "pretrend_ignored_cap",
               "placebo_pre": "pretrend_ignored_cap",
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
            "honest_rm": "honest interval if the difference in trends after the start is at "
                         "most as large as before (Rambachan & Roth 2023, M̄ = {mbar}): {lo} "
                         "to {hi}; value: the M̄ at which it reaches zero (breakdown)",
            "honest_rm_varying_base": "honest interval (Rambachan & Roth 2023) not computed: "
                                      "the estimates before the start compare each period "
                                      "with the one before it (varying base period)",
            "honest_rm_too_few_pre": "honest interval (Rambachan & Roth 2023) not computed: "
                                     "at least two periods before the start are needed",
            "honest_rm_no_event_time": "honest interval (Rambachan & Roth 2023) not computed: "
                                       "the estimate keeps no coefficients per period",
            "honest_rm_no_post": "honest interval (Rambachan & Roth 2023) not computed: no "
                                 "period after the start",
            "placebo_pre": "placebo: the same design with the last {periods} periods before the "
                           "start as if they were after ({lo} to {hi}; an effect there fails)",
        },
        "threats": {
            "pretrend_visible": "the groups' trends differed before the start by {value} per "
                                "period; the interval allows for that trend going on",
            "pretrend_honest": "the groups' trends differed before the start by {value} per "
                               "period; the interval holds if the difference in trends after "
                               "the start is at most as large as before",
            "pretrend_shown": "the groups' trends differed before the start by {value} per "
                              "period; the interval allows for that trend going on, but not "
                              "for a larger change (the honest interval could not be computed "
                              "for this design)",
            "pretrend_ignored": "the groups' trends differed before the start by {value} per "
                                "period, and this design does not remove such a difference",
            "placebo_pre": "run on the last {periods} periods before the start as if they were "
                           "after, the same design finds an effect of {value} ({lo} to {hi}) "
                           "where there can be none: the groups were already developing "
                           "differently",
        },
        "sentences": {
            "honest_leads": "Before the start the groups' trends already differed ({value} "
                            "per period). The interval therefore holds if the difference in "
                            "trends after the start is at most as large as before (Rambachan "
                            "& Roth 2023, relative magnitudes M̄ = {mbar}); assuming parallel "
                            "trends it would be {clo} to {chi}.",
            "honest": "If the difference in trends after the start may be as large as before "
                      "(Rambachan & Roth 2023, relative magnitudes M̄ = {mbar}), the interval "
                      "is {lo} to {hi}.",
            "honest_breakdown": "If the difference in trends after the start may be as large "
                                "as before (Rambachan & Roth 2023, relative magnitudes M̄ = "
                                "{mbar}), the interval is {lo} to {hi}; the effect stays "
                                "clear of zero up to M̄ = {b}.",
            "honest_missing": "The honest interval for a difference in trends after the start "
                              "(Rambachan & Roth 2023) could not be computed for this design.",
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
            "honest_rm": "robust intervall om skillnaden i trend efter starten är högst lika "
                         "stor som före (Rambachan & Roth 2023, M̄ = {mbar}): {lo} till {hi}; "
                         "värde: det M̄ där intervallet når noll (brytpunkt)",
            "honest_rm_varying_base": "robust intervall (Rambachan & Roth 2023) inte beräknat: "
                                      "skattningarna före starten jämför varje period med "
                                      "perioden innan (rörlig basperiod)",
            "honest_rm_too_few_pre": "robust intervall (Rambachan & Roth 2023) inte beräknat: "
                                     "minst två perioder före starten behövs",
            "honest_rm_no_event_time": "robust intervall (Rambachan & Roth 2023) inte "
                                       "beräknat: skattningen saknar koefficienter per period",
            "honest_rm_no_post": "robust intervall (Rambachan & Roth 2023) inte beräknat: "
                                 "ingen period efter starten",
            "placebo_pre": "placebotest: samma design med de sista {periods} perioderna före "
                           "starten som om de vore efter ({lo} till {hi}; en effekt där "
                           "underkänns)",
        },
        "threats": {
            "pretrend_visible": "gruppernas trender skilde sig före starten med {value} per "
                                "period; intervallet tar höjd för att den skillnaden "
                                "fortsätter",
            "pretrend_honest": "gruppernas trender skilde sig före starten med {value} per "
                               "period; intervallet gäller om skillnaden i trend efter "
                               "starten är högst lika stor som före",
            "pretrend_shown": "gruppernas trender skilde sig före starten med {value} per "
                              "period; intervallet tar höjd för att den skillnaden "
                              "fortsätter, men inte för en större förändring (det robusta "
                              "intervallet gick inte att beräkna för den här designen)",
            "pretrend_ignored": "gruppernas trender skilde sig före starten med {value} per "
                                "period, och den här designen tar inte bort en sådan skillnad",
            "placebo_pre": "körd på de sista {periods} perioderna före starten som om de vore "
                           "efter hittar samma design en effekt på {value} ({lo} till {hi}) "
                           "där det inte kan finnas någon: grupperna utvecklades redan olika",
        },
        "sentences": {
            "honest_leads": "Redan före starten skilde sig gruppernas trender åt ({value} per "
                            "period). Intervallet gäller därför om skillnaden i trend efter "
                            "starten är högst lika stor som före (Rambachan & Roth 2023, "
                            "relativa storlekar M̄ = {mbar}); med antagandet om parallella "
                            "trender vore det {clo} till {chi}.",
            "honest": "Om skillnaden i trend efter starten får vara lika stor som före "
                      "(Rambachan & Roth 2023, relativa storlekar M̄ = {mbar}) är intervallet "
                      "{lo} till {hi}.",
            "honest_breakdown": "Om skillnaden i trend efter starten får vara lika stor som "
                                "före (Rambachan & Roth 2023, relativa storlekar M̄ = {mbar}) "
                                "är intervallet {lo} till {hi}; effekten skiljer sig från noll "
                                "upp till M̄ = {b}.",
            "honest_missing": "Det robusta intervallet för en skillnad i trend efter starten "
                              "(Rambachan & Roth 2023) gick inte att beräkna för den här "
                              "designen.",
        },
    },
}


#: the plain-language sentences of the honest interval (not check or threat labels)
SENTENCES = {lang: TEXTS[lang].pop("sentences") for lang in TEXTS}

#: the notes these rules attach to an estimate (typed, rendered in each language)
NOTE_TEXTS = {
    "en": {
        "pretrend_bracket": "The groups' trends differed before the start by {slope} per period "
                            "({t} standard errors from zero). The interval is the union of the "
                            "DiD interval {lo} to {hi} and the interval that assumes the "
                            "difference in trends went on, {alo} to {ahi}.",
        "matched_did_triangulated": "The matched DiD gives {mlo} to {mhi} and the DiD without "
                                    "matching {plo} to {phi}; they rest on different "
                                    "assumptions, so the interval covers both.",
        "pretrend_honest": "The groups' trends differed before the start. The interval {lo} to "
                           "{hi} includes the interval of Rambachan & Roth (2023), {hlo} to "
                           "{hhi}, which holds if the difference in trends after the start is "
                           "at most as large as before (relative magnitudes, M̄ = {mbar}).",
    },
    "sv": {
        "pretrend_bracket": "Gruppernas trender skilde sig före starten med {slope} per period "
                            "({t} standardfel från noll). Intervallet är unionen av intervallet "
                            "för skillnad-i-skillnader, {lo} till {hi}, och intervallet som "
                            "antar att skillnaden i trend fortsatte, {alo} till {ahi}.",
        "matched_did_triangulated": "Den matchade skillnad-i-skillnader ger {mlo} till {mhi} "
                                    "och skillnad-i-skillnader utan matchning {plo} till "
                                    "{phi}; de vilar på olika antaganden, så intervallet "
                                    "täcker båda.",
        "pretrend_honest": "Gruppernas trender skilde sig före starten. Intervallet {lo} till "
                           "{hi} innefattar intervallet enligt Rambachan & Roth (2023), {hlo} "
                           "till {hhi}, som gäller om skillnaden i trend efter starten är högst "
                           "lika stor som före (relativa storlekar, M̄ = {mbar}).",
    },
}
for _lang, _texts in NOTE_TEXTS.items():
    NOTES.setdefault(_lang, {}).update(_texts)


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


def _excludes_zero(ctx: Context, alpha: float) -> bool:
    """The slope difference's interval at 1 − ``alpha`` excludes zero."""
    res = _res(ctx)
    if res is None:
        return False
    q = float(stats.t.ppf(1 - alpha / 2, max(res.df, 1.0)))
    return abs(res.t) > q


def _material(ctx: Context) -> bool:
    """The slope difference's interval at 1 − ``pretrend_alpha`` (90 %) excludes zero."""
    return _excludes_zero(ctx, ctx.th.pretrend_alpha)


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
    note = Note("pretrend_bracket", slope=float(res.slope), t=round(abs(float(res.t)), 1),
                lo=float(est.conf_low), hi=float(est.conf_high),
                alo=float(adj - q * se_adj), ahi=float(adj + q * se_adj))
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
    note = Note("matched_did_triangulated", mlo=float(matched.conf_low),
                mhi=float(matched.conf_high), plo=float(plain.conf_low),
                phi=float(plain.conf_high))
    return replace(matched, conf_low=lo, conf_high=hi, p_value=p, inference=info,
                   diagnostics=diag, notes=tuple(matched.notes) + (note,))


def _shown(ctx: Context) -> bool:
    """The slope difference's interval at 1 − ``pretrend_shown_alpha`` (95 %) excludes zero."""
    return _excludes_zero(ctx, ctx.th.pretrend_shown_alpha)


def trend_threats(ctx: Context, est: Estimate | None = None) -> list[Threat]:
    """A DiD-family verdict's pre-trend threat: shown at ``pretrend_shown_alpha`` it caps
    security (the verdict leads with the honest interval, or says it could not); shown
    only at ``pretrend_alpha`` it is an ordinary threat."""
    res = _res(ctx)
    if res is None or not _material(ctx):
        return []
    value = {"value": float(res.slope)}
    if not _shown(ctx):
        return [("pretrend_visible", value)]
    hd = est.diagnostics.get("honest_rm") if est is not None else None
    if hd and hd.get("leads"):
        return [("pretrend_honest", value)]
    return [("pretrend_shown", value)]


def ignored_trend_threats(ctx: Context) -> list[Threat]:
    """The cap of a design that ignores a pre-trend the data show."""
    res = _res(ctx)
    if res is None or not _material(ctx):
        return []
    return [("pretrend_ignored", {"value": float(res.slope)})]


# ------------------------------------------------------------- honest interval
def _rm_table(source: Estimate, conf_level: float) -> Any:
    from ..sensitivity import honest_did

    # the ladder runs this on every DiD (and bisects α for its p-value): the conservative
    # Bonferroni projection is fast; the exact C-LF sets (as R's HonestDiD) are one call
    # away, ie.sensitivity.honest_did(estimate), and the report's sensitivity section uses them
    return honest_did(source, mbar=(HONEST_MBAR,), method="relative_magnitudes",
                      conf_level=conf_level, inference="bonferroni")


def _rm_p_value(source: Estimate) -> float:
    """The smallest α at which the M̄ = 1 set at 1 − α excludes zero (bisection)."""
    def excludes(alpha: float) -> bool:
        t = _rm_table(source, 1 - alpha).table
        return bool(t["conf_low"].iloc[0] > 0 or t["conf_high"].iloc[0] < 0)

    lo, hi = 1e-8, 1 - 1e-8
    if excludes(lo):
        return lo
    if not excludes(hi):
        return 1.0
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        if excludes(mid):
            hi = mid
        else:
            lo = mid
    return hi


def honest_rm(ctx: Context, est: Estimate | None, source: Estimate | None) -> Estimate | None:
    """``est`` with Rambachan & Roth's relative-magnitudes interval at M̄ = 1 and the
    breakdown M̄ (from ``source``'s event study) in ``diagnostics["honest_rm"]``; when
    the pre-trend is shown (``pretrend_shown_alpha``) the headline interval becomes the
    union of ``est``'s and the honest one, and the p-value the larger of the two."""
    if est is None:
        return est
    diag = dict(est.diagnostics)
    if ctx.n_pre < 2 or source is None:
        # one pre-period: no pre-trend to bound the departure by
        diag["honest_rm"] = {"reason": "too_few_pre" if ctx.n_pre < 2 else "no_event_time"}
        return replace(est, diagnostics=diag)
    hd = _rm_table(source, float(est.conf_level))
    if not hd.ok:
        diag["honest_rm"] = {"reason": str(hd.reason)}
        return replace(est, diagnostics=diag)
    row = hd.table.iloc[0]
    lo, hi = float(row["conf_low"]), float(row["conf_high"])
    info = {"mbar": HONEST_MBAR, "conf_low": lo, "conf_high": hi,
            "breakdown": float(hd.breakdown), "estimate": float(hd.estimate),
            "source": str(source.design), "leads": False}
    diag["honest_rm"] = info
    if not _shown(ctx) or getattr(est, "scale", "absolute") != "absolute" or \
            getattr(source, "scale", "absolute") != "absolute":
        return replace(est, diagnostics=diag)
    info["leads"] = True
    diag.setdefault("conventional_conf_low", est.conf_low)
    diag.setdefault("conventional_conf_high", est.conf_high)
    diag.setdefault("conventional_p_value", est.p_value)
    new_lo, new_hi = min(est.conf_low, lo), max(est.conf_high, hi)
    p_rm = _rm_p_value(source)
    info["p_value"] = p_rm
    p = max(float(est.p_value), p_rm) if math.isfinite(est.p_value) else est.p_value
    # the method name stays the estimator's; the typed note says why the interval is wider
    inf: dict[str, Any] = dict(est.inference)
    inf["honest_rm_leads"] = True
    note = Note("pretrend_honest", lo=float(new_lo), hi=float(new_hi), hlo=lo, hhi=hi,
                mbar=int(HONEST_MBAR) if float(HONEST_MBAR).is_integer() else HONEST_MBAR)
    return replace(est, conf_low=new_lo, conf_high=new_hi, p_value=p, inference=inf,
                   diagnostics=diag, notes=tuple(est.notes) + (note,))


def honest_checks(design: str, est: Estimate | None) -> list[Check]:
    """The honest interval as a reported check (never a gate)."""
    hd = est.diagnostics.get("honest_rm") if est is not None else None
    if not hd:
        return []
    if "reason" in hd:
        return [Check(design=design, value="–", threshold="–", source="Rambachan & Roth 2023",
                      passed=True, must_pass=False, code=f"honest_rm_{hd['reason']}")]
    b = hd["breakdown"]
    return [Check(design=design, value=round(b, 3) if math.isfinite(b) else "∞",
                  threshold="–", source="Rambachan & Roth 2023", passed=True, must_pass=False,
                  code="honest_rm", params={"mbar": float(hd["mbar"]),
                                            "lo": float(hd["conf_low"]),
                                            "hi": float(hd["conf_high"])})]


def honest_sentence(ev: Any, lang: str) -> str | None:
    """The plain-language sentence on the honest interval (or None)."""
    from .. import texts

    e = ev.estimate
    hd = e.diagnostics.get("honest_rm") if e is not None else None
    if not hd:
        return None
    S = SENTENCES[lang]
    if "reason" in hd:
        # with one pre-period the pre-trend checks already say it cannot be tested
        return None if hd["reason"] == "too_few_pre" else S["honest_missing"]

    def f(v: float) -> str:
        return texts.fmt_num(v, lang)

    mbar = f"{hd['mbar']:g}"
    if hd.get("leads"):
        slope = e.diagnostics.get("pretrend_slope")
        return S["honest_leads"].format(
            value=f(slope) if slope is not None else "–", mbar=mbar,
            clo=f(e.diagnostics["conventional_conf_low"]),
            chi=f(e.diagnostics["conventional_conf_high"]))
    b = hd["breakdown"]
    if b > 0 and math.isfinite(b):
        return S["honest_breakdown"].format(mbar=mbar, lo=f(hd["conf_low"]),
                                            hi=f(hd["conf_high"]), b=texts.fmt_num(b, lang, 2))
    return S["honest"].format(mbar=mbar, lo=f(hd["conf_low"]), hi=f(hd["conf_high"]))


# ------------------------------------------------- placebo on the last pre-periods
def pre_placebo(ctx: Context, design: str, run: Any) -> dict[str, Any] | None:
    """The same post-only design run with the last pre-periods as if they were "after".

    ``run(context)`` is the rung's estimate on a context whose periods are the
    pre-periods only: the first ones as "before", the last ``k`` (as many as the
    post-periods, at most half of the pre-periods) as "after". Computed once per
    design and context. ``None`` without two pre-periods or when the design cannot
    be estimated on them.
    """
    cache = ctx.__dict__.setdefault("_pre_placebo", {})
    if design in cache:
        return cache[design]
    from . import summary

    out = None
    pre = sorted(ctx.study.pre)
    split = summary.placebo_split(pre, ctx.study.post)
    if ctx.has_group and ctx.has_prepost and split is not None:
        fake_pre, fake_post = split
        k = len(fake_post)
        # the context's own rows (not a copy of the pre rows): the designs read the rows of
        # the periods their roles name, and the frame's unit checks are already made; the
        # covariates constant within unit are those of the pre rows
        rows = ctx.df[ctx.roles["period"]].isin(pre).to_numpy()
        base = baseline_covariates(ctx, rows)
        fctx = replace(ctx, study=replace(ctx.study, pre=tuple(fake_pre), post=tuple(fake_post)),
                       roles={**ctx.roles, "pre": list(fake_pre), "post": list(fake_post)},
                       did_diag={}, attrition={}, descriptives={})
        fctx.__dict__.pop("_pre_placebo", None)
        fctx.share_baseline(base)
        # what the designs' placebos of this context share, kept with this context only
        # (freed with it): the placebo periods' unit summary, each unit's covariates
        # (from the evaluation's own pass; should it not hold the split, the placebo's
        # context makes its own, kept with it: ``summary_here``)
        if ("placebo_summary", k) not in ctx._memo:
            ctx._memo[("placebo_summary", k)] = summary.placebo_summary(ctx, fake_pre,
                                                                        fake_post)
        fctx._memo["summary"] = ctx._memo[("placebo_summary", k)]
        fctx._memo["summary_here"] = True
        fctx._memo.update({key: v for key, v in ctx._memo.items()
                           if isinstance(key, tuple) and key[0] == "unit_first"})
        try:
            e = run(fctx)
        except ImpactEvalError:
            e = None
        if e is not None and getattr(e, "scale", "absolute") == "absolute" and all(
                math.isfinite(v) for v in (e.estimate, e.conf_low, e.conf_high)):
            out = {"k": int(k), "value": float(e.estimate), "lo": float(e.conf_low),
                   "hi": float(e.conf_high), "effect": bool(e.conf_low > 0 or e.conf_high < 0)}
    cache[design] = out
    return out


def placebo_checks(design: str, ctx: Context, run: Any) -> list[Check]:
    """The placebo on the last pre-periods as a reported check (its cap is a threat)."""
    pl = pre_placebo(ctx, design, run)
    if pl is None:
        return []
    return [Check(design=design, value=float(f"{pl['value']:.4g}"), threshold="0 ∉ interval",
                  source="Heckman & Hotz 1989", passed=not pl["effect"], must_pass=False,
                  code="placebo_pre",
                  params={"periods": pl["k"], "lo": pl["lo"], "hi": pl["hi"]})]


def placebo_threats(design: str, ctx: Context, run: Any) -> list[Threat]:
    """Caps a post-only design whose placebo on the last pre-periods finds an effect."""
    pl = pre_placebo(ctx, design, run)
    if pl is None or not pl["effect"]:
        return []
    return [("placebo_pre", {"periods": pl["k"], "value": pl["value"], "lo": pl["lo"],
                             "hi": pl["hi"]})]
