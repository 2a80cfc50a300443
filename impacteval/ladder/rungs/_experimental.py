"""The intention-to-treat estimate shared by ``randomized`` and ``natural_experiment``."""

from __future__ import annotations

from dataclasses import replace

from ...estimators import difference
from ...results import Estimate
from .. import summary
from ..context import Context, baseline_covariates, post_roles, unit_wide

__all__ = ["experimental_estimate"]


def experimental_estimate(ctx: Context, design: str) -> Estimate:
    """ITT for randomised (and as-if-random) designs.

    With a baseline measurement or covariates: ANCOVA — the post outcome regressed on
    the group, the baseline outcome and the covariates (HC2), the most precise unbiased
    estimator for a randomised trial. Without: the difference in means with
    randomisation inference (exact or Monte Carlo permutation, interval by test
    inversion) when ``ci="auto"``; also with ``scale="relative"``, which the
    regression does not offer. The estimate carries the rung's ``design`` name
    (``difference`` calls every as-if-random comparison "randomized").
    """
    r = ctx.roles
    covs = baseline_covariates(ctx)
    # the regression adjustment gives an absolute effect with an HC2 (or, clustered, a wild
    # bootstrap) interval; a relative scale or another interval asked for is honoured by
    # the difference in means instead
    regression_ci = ctx.ci in ("auto", "analytic") or (
        r["cluster"] is not None and ctx.ci != "permutation")
    if (ctx.has_prepost or covs) and ctx.scale == "absolute" and regression_ci:
        wide = unit_wide(ctx, with_pre=ctx.has_prepost, means=summary.unit_means(ctx))
        on = (["__pre__"] if ctx.has_prepost else []) + covs
        ci = "analytic" if ctx.ci == "auto" else ctx.ci
        e = ctx.call(difference, wide, outcome="__post__", group=r["group"],
                     treated=r["treated"], control=r["control"], covariates=on,
                     assignment="randomized",
                     cluster=r["cluster"] if r["cluster"] in wide.columns else None, ci=ci)
        return replace(e, outcome=ctx.outcome, design=design)
    # a relative effect (percent of the comparison mean) has no regression adjustment:
    # the difference in means on that scale
    ci = "permutation" if ctx.ci == "auto" and ctx.scale == "absolute" else ctx.ci
    e = ctx.call(difference, ctx.post_data, **post_roles(ctx), **ctx.base, assignment="randomized",
                 ci=ci)
    return replace(e, design=design)
