"""The intention-to-treat estimate shared by ``randomized`` and ``natural_experiment``."""

from __future__ import annotations

from dataclasses import replace

from ...estimators import difference
from ...results import Estimate
from ..context import Context, baseline_covariates, post_roles, quiet, unit_wide

__all__ = ["experimental_estimate"]


def experimental_estimate(ctx: Context) -> Estimate:
    """ITT for randomised (and as-if-random) designs.

    With a baseline measurement or covariates: ANCOVA — the post outcome regressed on
    the group, the baseline outcome and the covariates (HC2), the most precise unbiased
    estimator for a randomised trial. Without: the difference in means with
    randomisation inference (exact or Monte Carlo permutation, interval by test
    inversion) when ``ci="auto"``.
    """
    r = ctx.roles
    covs = baseline_covariates(ctx)
    if ctx.has_prepost or covs:
        wide = unit_wide(ctx, with_pre=ctx.has_prepost)
        on = (["__pre__"] if ctx.has_prepost else []) + covs
        e = quiet(difference, wide, outcome="__post__", group=r["group"], treated=r["treated"],
                  control=r["control"], covariates=on, assignment="randomized",
                  cluster=r["cluster"] if r["cluster"] in wide.columns else None,
                  conf_level=ctx.conf_level)
        return replace(e, outcome=ctx.outcome)
    ci = "permutation" if ctx.ci == "auto" and ctx.scale == "absolute" else ctx.ci
    return quiet(difference, ctx.df, **post_roles(ctx), **ctx.base, assignment="randomized",
                 scale=ctx.scale, conf_level=ctx.conf_level, ci=ci, n_boot=ctx.n_boot,
                 seed=ctx.seed)
