"""Matched difference-in-differences: statistical twins found on the pre-period
outcome and covariates, and their changes compared.

Estimand: ATT within common support. Must pass: the twins' checks (pool size,
share matched, balance, variance ratios), the pre-trend checks on the full sample
and on the matched sample, no waitlist contamination. With one pre-period the
design padlocks are capped at 3 (parallel trends cannot be tested).
"""

from __future__ import annotations

from typing import Any

from ...errors import ImpactEvalError
from ...results import Estimate
from .. import summary
from ..checks import (
    Check,
    Infeasible,
    Threat,
    composition_threat,
    contamination_check,
    dip_threat,
    needs_comparison,
    needs_panel,
    needs_prepost,
)
from ..context import Context
from ..pretrend import (
    honest_checks,
    honest_rm,
    honest_sentence,
    pretrend_checks,
    trend_bracket,
    trend_threats,
    triangulate,
)
from ..registry import Rung, register
from . import _waitlist
from ._twins import twins_checks, twins_estimate, twins_threats


class MatchedDid(Rung):
    name = "matched_did"
    score = 5
    sms = 3
    eef_design = 4
    mde_uses_pre = True
    texts = {
        "en": {
            "name": "matched difference-in-differences",
            "rule": "Participants were compared with statistical twins who looked the same "
                    "before the start, including earlier {outcome}, and their changes were "
                    "compared; differences the data do not measure (such as motivation) can "
                    "remain.",
        },
        "sv": {
            "name": "matchad skillnad-i-skillnader",
            "rule": "Deltagarna jämfördes med statistiska tvillingar som såg likadana ut "
                    "före starten, även i tidigare {outcome}, och deras förändringar "
                    "jämfördes; skillnader som data inte mäter (till exempel motivation) "
                    "kan finnas kvar.",
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        from .synthetic_control import needs_two_treated
        return needs_comparison(ctx) or needs_panel(ctx) or needs_prepost(ctx) or needs_two_treated(ctx)

    def estimate(self, ctx: Context) -> Estimate | None:
        if _waitlist.applies(ctx):  # twins among the never- and not-yet-started
            matched = _waitlist.matched_estimate(ctx, self.name)
            if matched is None:
                return None
            plain = _waitlist.estimate(ctx)
            return honest_rm(ctx, trend_bracket(ctx, triangulate(ctx, matched, plain)), plain)
        matched = twins_estimate(ctx, self.name, kind="did")
        if matched is None:
            return None
        try:
            plain = summary.plain_did(ctx)  # the DiD design's estimate, computed once
        except ImpactEvalError:
            plain = None
        # matching keeps no event-time coefficients: the honest interval (Rambachan & Roth
        # 2023) is the unmatched DiD's, which the triangulated interval already covers
        return honest_rm(ctx, trend_bracket(ctx, triangulate(ctx, matched, plain)), plain)

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        th = ctx.th
        out = twins_checks(self.name, ctx, est)
        if est is None:
            return out
        out += pretrend_checks(self.name, ctx) + honest_checks(self.name, est)
        sm = est.diagnostics.get("pretrend_slope_diff_sd_matched")
        if sm is not None:
            out.append(Check(
                design=self.name, value=round(sm, 3), threshold=f"<= {th.pretrend_slope_sd}",
                passed=abs(sm) <= th.pretrend_slope_sd, code="pretrend_matched",
                threshold_field="pretrend_slope_sd", params={"value": float(sm)}))
        return out + (_waitlist.check(self.name, ctx) if _waitlist.applies(ctx)
                      else contamination_check(self.name, ctx))

    def sensitivity(self, ctx: Context, est: Estimate | None) -> Any:
        """E-value / robustness value / Rosenbaum / Rambachan–Roth, as fits the design."""
        from ...sensitivity import for_estimate

        return None if est is None else for_estimate(est, design=self.name)

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        return twins_threats(ctx, est) + (dip_threat(ctx) + composition_threat(ctx)
                                          + trend_threats(ctx, est)
                                          if est is not None else [])

    def explain_extra(self, ev, lang: str, k: int = 5) -> str | None:
        parts = [_waitlist.sentence(ev, lang, k), honest_sentence(ev, lang)]
        return " ".join(p for p in parts if p) or None

    def design_padlocks(self, ctx: Context) -> int:
        return min(self.eef_design, 3) if ctx.n_pre < 2 else self.eef_design


register(MatchedDid())
