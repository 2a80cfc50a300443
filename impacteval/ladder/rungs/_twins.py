"""Statistical twins, shared by three rungs: ``matched_did`` (kind ``"did"``),
``matched`` (``"lagged"``: on the earlier outcome and covariates) and
``adjusted_comparison`` (``"background"``: background covariates only)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from ... import texts
from ...estimators.matching import match, match_unit_changes
from ...results import Estimate
from ...roles import _as_list
from .. import summary
from ..checks import Check, Threat
from ..context import Context, baseline_covariates, pool_sizes, unit_wide

__all__ = ["twins_estimate", "twins_checks", "twins_threats", "pool_ok"]


def pool_ok(ctx: Context) -> bool:
    n_t, n_c = pool_sizes(ctx)
    return n_c >= ctx.th.pool_ratio * n_t


def _pool_check(design: str, ctx: Context) -> Check:
    th = ctx.th
    n_t, n_c = pool_sizes(ctx)
    return Check(design=design, value=round(n_c / max(n_t, 1), 2),
                 threshold=f">= {th.pool_ratio}", passed=n_c >= th.pool_ratio * n_t,
                 code="pool_small", threshold_field="pool_ratio",
                 params={"n_c": texts.Count(n_c), "ratio": float(th.pool_ratio)})


def _n_parameters(ctx: Context, covs: list[str], with_pre: bool) -> int:
    """Parameters of a propensity model on these covariates (dummy-coded), the earlier
    outcome when matched on, and the intercept."""
    from ...estimators.difference import covariate_matrix

    frame = ctx.study.data
    # counted once per prepared data and covariates (a placebo's study shares the data)
    key = ("n_covariate_columns", id(frame), tuple(covs))
    hit = ctx.shared.get(key)
    if hit is not None and hit[0] is frame:
        n_cov = hit[1]
    else:
        units = frame.groupby(ctx.roles["unit"]).first() if ctx.roles["unit"] is not None \
            else frame
        n_cov = covariate_matrix(units, tuple(covs)).shape[1] if covs else 0
        ctx.shared[key] = (frame, n_cov)
    return n_cov + int(with_pre) + 1


def distance_for(ctx: Context, kind: str) -> tuple[str, float | None]:
    """Propensity-score matching with a caliper of ``caliper_sd`` SD of the logit score
    (Austin 2011) when there are at least ``events_per_parameter`` participants per
    model parameter (Peduzzi et al. 1996); otherwise Mahalanobis matching on the few
    key variables, without a caliper."""
    th = ctx.th
    n_t, _ = pool_sizes(ctx)
    n_par = _n_parameters(ctx, baseline_covariates(ctx), with_pre=kind in ("did", "lagged"))
    if n_t >= th.events_per_parameter * n_par:
        return "propensity", th.caliper_sd
    return "mahalanobis", None


def _covariate_rows(bal: pd.DataFrame) -> pd.DataFrame:
    """The balance table without the propensity score's own row (checked on its own)."""
    return bal[bal["covariate"] != PS_ROW] if len(bal) else bal


PS_ROW = "propensity_logit"


def twins_estimate(ctx: Context, design: str, *, kind: str,
                   reuse: bool | None = None) -> Estimate | None:
    """The matched estimate, or ``None`` when the comparison pool is too small.
    ``reuse=False``: each twin is used once (matching as preprocessing, for designs
    that analyse the matched sample further)."""
    th = ctx.th
    r = ctx.roles
    base = ctx.base
    covs = baseline_covariates(ctx)
    n_t, n_c = pool_sizes(ctx)
    if not n_c >= th.pool_ratio * n_t:
        return None
    distance, caliper = distance_for(ctx, kind)
    # k twins per participant (Abadie et al. 2004 use 4) when the pool is large enough
    k = int(max(1, min(4, n_c // (2 * max(n_t, 1)))))

    # matching with replacement has the Abadie–Imbens standard error; the naive bootstrap
    # is not valid for it (Abadie & Imbens 2008), so other interval methods fall back to it
    ci = ctx.ci if ctx.ci in ("auto", "analytic") else "auto"

    def run(bias_correction: bool) -> Estimate:
        if kind == "did":
            fast = summary.twin_changes(ctx)
            if fast is not None:  # every unit complete: on the unit summary's means
                wide, sd = fast
                e = ctx.call(match_unit_changes, wide, outcome="__change__", group=r["group"],
                             treated=r["treated"], control=r["control"], covariates=covs or None,
                             unit=r["unit"], pre_mean=f"{ctx.outcome}[pre mean]",
                             slope="__slope__" if ctx.n_pre >= 2 else None, pre_sd=sd, k=k,
                             bias_correction=bias_correction, ci=ci, distance=distance,
                             caliper=caliper)
                return replace(e, outcome=ctx.outcome)
            return ctx.call(match, ctx.df, covariates=covs or None, unit=r["unit"],
                            period=r["period"], pre=r["pre"], post=r["post"],
                            pre_outcomes="mean", k=k, bias_correction=bias_correction, **base,
                            ci=ci, distance=distance, caliper=caliper)
        wide = unit_wide(ctx, with_pre=kind == "lagged", means=summary.unit_means(ctx))
        on = (["__pre__"] if kind == "lagged" else []) + covs
        e = ctx.call(match, wide, outcome="__post__", group=r["group"], treated=r["treated"],
                     control=r["control"], covariates=on, k=k, replace=reuse,
                     unit=r["unit"] if reuse is False else None,
                     bias_correction=bias_correction, ci=ci, distance=distance, caliper=caliper)
        return replace(e, outcome=ctx.outcome, design=design)

    est = run(False)
    bal0 = est.tables.get("balance")
    if bal0 is not None and len(_covariate_rows(bal0)) and (
            _covariate_rows(bal0)["smd_after"].abs() > th.smd_good).any():
        # 0.10 < |SMD| <= 0.25 must be adjusted in the outcome model (Stuart 2010): use the
        # Abadie–Imbens (2011) regression bias correction
        est = run(True)
    return est


def twins_checks(design: str, ctx: Context, est: Estimate | None) -> list[Check]:
    th = ctx.th
    out = [_pool_check(design, ctx)]
    if est is None:
        return out
    if est.inference.get("bias_correction"):
        out.append(Check(design=design, value=True, threshold=f"> {th.smd_good}",
                         passed=True, must_pass=False, code="bias_correction",
                         threshold_field="smd_good", params={"limit": float(th.smd_good)}))
    d = est.diagnostics
    share = float(d.get("share_matched", 1.0))
    out.append(Check(design=design, value=round(share, 3), threshold=f">= {th.matched_share_min}",
                     source=th.source("matched_share_min"), passed=share >= th.matched_share_min,
                     code="overlap", threshold_field="matched_share_min",
                     params={"value": f"{share:.0%}"}))
    bal = est.tables.get("balance")
    if bal is not None and len(_covariate_rows(bal)):
        out += _balance_checks(design, ctx, _covariate_rows(bal).reset_index(drop=True))
    ps = _ps_smd(est)
    if ps is not None:
        out.append(Check(design=design, value=round(ps, 3),
                         threshold=f"<= {th.ps_smd_warn}", passed=ps <= th.ps_smd_warn,
                         code="ps_smd", threshold_field="ps_smd_warn",
                         params={"value": float(ps)}))
    reuse = d.get("max_control_reuse")
    if reuse is not None and reuse > th.reuse_max:
        out.append(Check(design=design, value=int(reuse), threshold=f"<= {th.reuse_max}",
                         passed=True, must_pass=False, warn=True, code="reuse",
                         threshold_field="reuse_max"))
    return out


def _balance_checks(design: str, ctx: Context, bal: pd.DataFrame) -> list[Check]:
    th = ctx.th
    smd_after = bal["smd_after"].abs()
    worst = int(smd_after.to_numpy().argmax())
    val = float(smd_after.iloc[worst])
    cov = str(bal["covariate"].iloc[worst])
    out = [Check(design=design, value=round(val, 3), threshold=f"<= {th.smd_max}",
                 passed=val <= th.smd_max, code="balance", threshold_field="smd_max",
                 params={"covariate": cov, "outcome": ctx.outcome, "value": float(val)})]
    vr = bal["var_ratio_after"].dropna() if "var_ratio_after" in bal else pd.Series(dtype=float)
    if len(vr):
        bad = vr[(vr < th.variance_ratio_low) | (vr > th.variance_ratio_high)]
        worst_vr = float(bad.iloc[0]) if len(bad) else float(vr.iloc[(vr.apply(
            lambda v: abs(math.log(v)) if v > 0 else np.inf)).to_numpy().argmax()])
        vcov = str(bal.loc[bad.index[0], "covariate"]) if len(bad) else ""
        out.append(Check(design=design, value=round(worst_vr, 3),
                         threshold=f"[{th.variance_ratio_low}, {th.variance_ratio_high}]",
                         passed=len(bad) == 0, code="variance",
                         threshold_field="variance_ratio_low",
                         params={"covariate": vcov or cov, "outcome": ctx.outcome,
                                 "value": float(worst_vr)}))
    return out


def _ps_smd(est: Estimate) -> float | None:
    bal = est.tables.get("balance")
    if bal is None or not len(bal) or PS_ROW not in set(bal["covariate"]):
        return None
    return float(bal.loc[bal["covariate"] == PS_ROW, "smd_after"].abs().iloc[0])


def twins_threats(ctx: Context, est: Estimate | None) -> list[Threat]:
    th = ctx.th
    covs = baseline_covariates(ctx)
    out: list[Threat] = []
    dropped_covs = sorted(set(map(str, _as_list(ctx.roles["covariates"]))) - set(covs))
    if dropped_covs:
        out.append(("post_covariates", {"names": ", ".join(dropped_covs)}))
    if est is None:
        return out
    d = est.diagnostics
    share = float(d.get("share_matched", 1.0))
    if share < th.matched_share_pass:
        out.append(("covers", {"n": texts.Count(d.get("n_matched") or 0),
                               "of": texts.Count(d.get("n_target") or 0)}))
    ps = _ps_smd(est)
    if ps is not None and ps > th.ps_smd_max:
        # between Rubin's pass and warn bounds: kept, flagged
        out.append(("ps_smd", {"value": ps, "limit": float(th.ps_smd_max)}))
    ess = d.get("effective_n_controls")
    n_used = d.get("n_controls_used")
    if ess and n_used and ess < th.ess_share * n_used:
        out.append(("ess", {"value": float(ess), "share": f"{th.ess_share:.0%}",
                            "n": texts.Count(n_used)}))
    return out
