"""Benchmark: participants against an external reference value (``reference=``).

Estimand: the difference to the reference (also in reference SD units). Threat:
participants differ from the reference by more than the need threshold (the
comparison then describes need, not a counterfactual).
"""

from __future__ import annotations

from collections.abc import Mapping

from ...estimators import benchmark
from ...results import Estimate
from .. import summary
from ..checks import Infeasible, Threat
from ..context import Context, post_roles
from ..registry import Rung, register


class Benchmark(Rung):
    name = "benchmark"
    score = 2
    sms = 1
    eef_design = 1
    two_group = False
    mde_kind = "one_sample"
    texts = {
        "en": {
            "name": "comparison with reference values",
            "rule": "Participants were compared with a reference value, not with what would "
                    "have happened to them without the project.",
            "reasons": {"no_reference": "no reference value was given"},
        },
        "sv": {
            "name": "jämförelse med referensvärden",
            "rule": "Deltagarna jämfördes med ett referensvärde, inte med hur det hade gått "
                    "för dem utan projektet.",
            "reasons": {"no_reference": "inget referensvärde angavs"},
        },
    }

    def feasible(self, ctx: Context) -> Infeasible | None:
        if ctx.reference is None:
            return Infeasible("no_reference", "no reference value (reference=...)")
        return None

    def estimate(self, ctx: Context) -> Estimate:
        if summary.runs_on_units(ctx):  # each unit's mean after the start
            return summary.on_units(benchmark, "post")(ctx)
        r = ctx.roles
        return ctx.call(benchmark, ctx.post_data, outcome=ctx.outcome, reference=ctx.reference,
                        group=r["group"], treated=r["treated"], **post_roles(ctx))

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        es = est.effect_size if est is not None else None
        if es is not None and abs(es.value) > ctx.th.benchmark_need_sd:
            return [("need", {"limit": float(ctx.th.benchmark_need_sd)})]
        return []

    def sms_level(self, ctx: Context) -> int | None:
        if isinstance(ctx.reference, Mapping) and ctx.reference.get("sd"):
            return 2
        return self.sms


register(Benchmark())
