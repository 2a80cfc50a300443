"""Synthetic control: one treated unit against a weighted mix of comparison units.

Abadie, Diamond & Hainmueller (2010). Feasible with exactly one treated unit,
comparison units ("donors") and the outcome before and after. Must pass: enough
donors for a bounded placebo interval at the chosen level (19 at 95 %), and the
treated unit inside the donors' range in most pre periods (a weighted average
cannot follow a unit above or below every donor; Abadie 2021). Shown: the
pre-period fit (RMSPE, R²), the placebo rank and the leave-one-out range.
"""

from __future__ import annotations

import math

from ...estimators import synthetic
from ...estimators.placebo import min_placebos
from ...results import Estimate
from ...roles import TREATED_COL
from ..checks import Check, Infeasible, Threat, needs_comparison, needs_panel, needs_prepost
from ..context import Context
from ..registry import Rung, register


def n_treated_units(ctx: Context) -> int:
    d = ctx.study.data
    return int(d.loc[d[TREATED_COL] == 1, ctx.roles["unit"]].nunique())


def needs_two_treated(ctx: Context) -> Infeasible | None:
    """Gate of the twin designs: matching needs participants, not one treated unit."""
    if ctx.has_group and ctx.roles["unit"] is not None and n_treated_units(ctx) < 2:
        return Infeasible("one_treated_unit", "one treated unit: matching needs several "
                          "participants (synthetic control and DiD handle one unit)")
    return None


def placebo_checks(design: str, ctx: Context, est: Estimate) -> list[Check]:
    """Donor pool size (must pass) and the placebo rank (shown), shared with one-unit DiD."""
    need = min_placebos(ctx.conf_level)
    j = int(est.diagnostics.get("n_placebos", est.n_control))
    out = [Check(design=design, diagnostic="comparison units for placebo inference", value=j,
                 threshold=f">= {need}", source="Abadie, Diamond & Hainmueller 2010",
                 passed=j >= need, code="few_donors", params={"n": j, "need": need})]
    if "placebo_rank" in est.diagnostics:
        out.append(Check(design=design, diagnostic="placebo rank of the treated unit",
                         value=f"{est.diagnostics['placebo_rank']} / {j + 1}",
                         threshold="reported", source="Abadie, Diamond & Hainmueller 2010",
                         passed=True, must_pass=False, code="placebo_rank"))
    return out


def se_mdes(ctx: Context, est: Estimate, sd: float) -> float | None:
    """Minimum detectable effect in SD units from the estimate's own standard error."""
    from scipy import stats

    th = ctx.th
    if not (sd and math.isfinite(sd) and math.isfinite(est.std_error)):
        return None
    z = stats.norm.ppf(1 - th.alpha / 2) + stats.norm.ppf(th.power)
    return float(z * est.std_error / sd)


def one_unit_mdes(ctx: Context, est: Estimate) -> float | None:
    """MDES of a one-treated-unit design: the placebo SD over the pre-period outcome SD."""
    d = ctx.study.data
    pre = d[d[ctx.roles["period"]].isin(ctx.study.pre)]
    return se_mdes(ctx, est, float(pre[ctx.outcome].std(ddof=1)))


def one_unit_did_checks(design: str, ctx: Context, est: Estimate) -> list[Check]:
    """Checks of a DiD with one treated unit (placebo-in-space inference)."""
    th = ctx.th
    out = placebo_checks(design, ctx, est)
    s = est.diagnostics.get("pretrend_slope_diff_sd")
    if s is not None:
        out.append(Check(
            design=design, diagnostic="pre-period slope difference (SD per period)",
            value=round(float(s), 3), threshold=f"<= {th.pretrend_slope_sd}",
            source=th.source("pretrend_slope_sd"), passed=abs(s) <= th.pretrend_slope_sd,
            code="pretrend", threshold_field="pretrend_slope_sd", params={"value": float(s)}))
    return out


class SyntheticControl(Rung):
    name = "synthetic_control"
    score = 4
    sms = 3
    eef_design = 3
    texts = {
        "en": {
            "name": "synthetic control",
            "rule": "A weighted mix of comparison units that followed the treated unit closely "
                    "before the start shows what would have happened without the project; it "
                    "assumes that mix would have kept following it.",
            "reasons": {
                "not_one_unit": "a synthetic control needs exactly one treated unit ({n} here)",
                "few_donors": "{n} comparison units; placebo inference needs at least {need}",
                "outside_range": "the treated unit lies outside the comparison units' range in "
                                 "{value} of the periods before the start",
                "few_pre": "a synthetic control needs at least 2 periods before the start",
                "one_treated_unit": "one treated unit: matching needs several participants",
            },
            "checks": {
                "few_donors": "comparison units for placebo inference",
                "outside_range": "share of pre periods outside the comparison units' range",
                "pre_fit": "pre-period fit of the synthetic control (R²)",
                "placebo_rank": "placebo rank of the treated unit",
            },
            "threats": {"poor_fit": "the synthetic control fits the period before the start "
                                    "poorly (R² = {value})"},
        },
        "sv": {
            "name": "syntetisk kontroll",
            "rule": "En vägd blandning av jämförelseenheter som följde insatsenheten nära före "
                    "starten visar vad som hade hänt utan projektet; designen antar att "
                    "blandningen hade fortsatt att följa den.",
            "reasons": {
                "not_one_unit": "en syntetisk kontroll kräver exakt en insatsenhet (här {n})",
                "few_donors": "{n} jämförelseenheter; placeboinferens kräver minst {need}",
                "outside_range": "insatsenheten ligger utanför jämförelseenheternas spann under "
                                 "{value} av perioderna före starten",
                "few_pre": "en syntetisk kontroll kräver minst 2 perioder före starten",
                "one_treated_unit": "en enda insatsenhet: matchning kräver flera deltagare",
            },
            "checks": {
                "few_donors": "jämförelseenheter för placeboinferens",
                "outside_range": "andel perioder före starten utanför jämförelseenheternas spann",
                "pre_fit": "den syntetiska kontrollens anpassning före starten (R²)",
                "placebo_rank": "insatsenhetens placeborang",
            },
            "threats": {"poor_fit": "den syntetiska kontrollen följer perioden före starten "
                                    "dåligt (R² = {value})"},
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        gate = needs_comparison(ctx) or needs_panel(ctx) or needs_prepost(ctx)
        if gate is not None:
            return gate
        n = n_treated_units(ctx)
        if n != 1:
            return Infeasible("not_one_unit", f"needs exactly one treated unit ({n} here)",
                              {"n": n})
        if ctx.n_pre < 2:
            return Infeasible("few_pre", "needs at least 2 periods before the start")
        return None

    def estimate(self, ctx: Context) -> Estimate:
        r = ctx.roles
        return ctx.call(synthetic, ctx.df, outcome=ctx.outcome, unit=r["unit"],
                        period=r["period"], group=r["group"], treated=r["treated"],
                        pre=r["pre"], post=r["post"])

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        out = placebo_checks(self.name, ctx, est)
        th = ctx.th
        share = float(est.diagnostics["share_pre_outside_donor_range"])
        out.append(Check(design=self.name, diagnostic="share of pre periods outside the "
                         "comparison units' range", value=round(share, 3),
                         threshold=f"<= {th.sc_outside_share}",
                         passed=share <= th.sc_outside_share, code="outside_range",
                         threshold_field="sc_outside_share", params={"value": share}))
        r2 = est.diagnostics.get("pre_fit_r2")
        out.append(Check(design=self.name, diagnostic="pre-period fit (R²), RMSPE "
                         f"{est.diagnostics['pre_rmspe']:.4g}",
                         value=None if r2 is None else round(float(r2), 3),
                         threshold=f">= {th.sc_min_pre_r2} (warn below)",
                         threshold_field="sc_min_pre_r2", passed=True, must_pass=False,
                         code="pre_fit"))
        return out

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        r2 = est.diagnostics.get("pre_fit_r2") if est is not None else None
        if r2 is not None and math.isfinite(r2) and r2 < ctx.th.sc_min_pre_r2:
            return [("poor_fit", {"value": float(r2)})]
        return []

    def mde(self, ctx: Context, est: Estimate, r2: float) -> float | None:
        return one_unit_mdes(ctx, est)


register(SyntheticControl())
