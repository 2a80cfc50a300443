"""Descriptive follow-up: participants' outcome, no comparison. No causal estimand."""

from __future__ import annotations

from ...estimators import follow_up
from ...results import Estimate
from .. import summary
from ..context import Context, post_roles
from ..registry import Rung, register


class FollowUp(Rung):
    name = "follow_up"
    score = 0
    sms = None
    eef_design = 0
    two_group = False
    mde_kind = None
    describes_level = True
    texts = {
        "en": {
            "name": "descriptive follow-up",
            "rule": "This describes how participants are doing; it says nothing about what "
                    "the project changed.",
        },
        "sv": {
            "name": "beskrivande uppföljning",
            "rule": "Detta beskriver hur det går för deltagarna; det säger ingenting om vad "
                    "projektet förändrade.",
        },
    }

    def estimate(self, ctx: Context) -> Estimate:
        if summary.runs_on_units(ctx):  # each unit's mean after the start
            return summary.on_units(follow_up, "post")(ctx)
        r = ctx.roles
        return ctx.call(follow_up, ctx.post_data, outcome=ctx.outcome, group=r["group"],
                        treated=r["treated"], **post_roles(ctx))


register(FollowUp())
