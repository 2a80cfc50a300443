"""Interrupted time series: one series (a unit, or the mean of a caseload) before and after.

Segmented regression with level and slope change and AR(1) errors
(:func:`impacteval.its`). Feasible without a comparison group when the outcome
is measured in at least 8 periods before the start (package default; Cochrane
EPOC accepts 3, too few to fit a trend and autocorrelation). Maryland level 2.
Shown: the number of pre periods, the residual autocorrelation and seasonality.
"""

from __future__ import annotations

from ...estimators import its
from ...results import Estimate
from ..checks import Check, Infeasible, Threat, needs_panel, needs_prepost
from ..context import Context
from ..registry import Rung, register
from .synthetic_control import se_mdes


class InterruptedTimeSeries(Rung):
    name = "interrupted_time_series"
    score = 2
    sms = 2
    eef_design = 1
    two_group = False
    mde_kind = "one_sample"
    texts = {
        "en": {
            "name": "interrupted time series",
            "rule": "The trend and season pattern before the start are extended to show what "
                    "would have happened without the project; anything else that changed at "
                    "the same time is counted as the project's effect.",
            "reasons": {
                "its_few_pre": "an interrupted time series needs at least {need} periods before "
                               "the start ({n} here)",
                "its_has_group": "a comparison group exists: stronger designs use it",
            },
            "checks": {
                "its_pre": "periods before the start",
                "its_autocorrelation": "autocorrelation of the errors (AR(1) coefficient)",
            },
        },
        "sv": {
            "name": "avbruten tidsserie",
            "rule": "Trenden och säsongsmönstret före starten förlängs för att visa vad som "
                    "hade hänt utan projektet; allt annat som ändrades vid samma tid räknas "
                    "som projektets effekt.",
            "reasons": {
                "its_few_pre": "en avbruten tidsserie kräver minst {need} perioder före "
                               "starten (här {n})",
                "its_has_group": "det finns en jämförelsegrupp: starkare designer använder den",
            },
            "checks": {
                "its_pre": "perioder före starten",
                "its_autocorrelation": "felens autokorrelation (AR(1)-koefficient)",
            },
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        gate = needs_panel(ctx) or needs_prepost(ctx)
        if gate is not None:
            return gate
        if ctx.has_group:
            return Infeasible("its_has_group", "a comparison group exists")
        need = ctx.th.its_min_pre
        if ctx.n_pre < need:
            return Infeasible("its_few_pre", f"needs at least {need} periods before the "
                              f"start ({ctx.n_pre} here)", {"need": need, "n": ctx.n_pre})
        return None

    def estimate(self, ctx: Context) -> Estimate:
        r = ctx.roles
        return ctx.call(its, ctx.df, outcome=ctx.outcome, unit=r["unit"], period=r["period"],
                        pre=r["pre"], post=r["post"])

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        n = int(est.diagnostics["n_periods_pre"])
        need = ctx.th.its_min_pre
        out = [Check(design=self.name, diagnostic="periods before the start", value=n,
                     threshold=f">= {need}", threshold_field="its_min_pre",
                     passed=n >= need, code="its_pre", params={"n": n, "need": need})]
        rho = est.diagnostics.get("ar1_rho")
        if rho is not None:
            out.append(Check(design=self.name, diagnostic="AR(1) coefficient of the errors "
                             f"(seasonality: {est.diagnostics['seasonality']})",
                             value=round(float(rho), 3), threshold="modelled (REML)",
                             source="Patterson & Thompson 1971", passed=True, must_pass=False,
                             code="its_autocorrelation"))
        return out

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        return []

    def mde(self, ctx: Context, est: Estimate, r2: float) -> float | None:
        s = est.tables["series"]
        return se_mdes(ctx, est, float(s.loc[~s["post"], "observed"].std(ddof=1)))


register(InterruptedTimeSeries())
