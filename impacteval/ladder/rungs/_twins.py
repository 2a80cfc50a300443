"""Statistical twins, shared by three rungs: ``matched_did`` (kind ``"did"``),
``matched`` (``"lagged"``: on the earlier outcome and covariates) and
``adjusted_comparison`` (``"background"``: background covariates only)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd

from ...estimators.matching import match
from ...results import Estimate
from ...roles import _as_list
from ..checks import Check, Threat
from ..context import Context, baseline_covariates, pool_sizes, unit_wide

__all__ = ["twins_estimate", "twins_checks", "twins_threats", "pool_ok"]


def pool_ok(ctx: Context) -> bool:
    n_t, n_c = pool_sizes(ctx)
    return n_c >= ctx.th.pool_ratio * n_t


def _pool_check(design: str, ctx: Context) -> Check:
    th = ctx.th
    n_t, n_c = pool_sizes(ctx)
    return Check(design=design, diagnostic="comparison pool / participants",
                 value=round(n_c / max(n_t, 1), 2), threshold=f">= {th.pool_ratio}",
                 source=th.source("pool_ratio"), passed=n_c >= th.pool_ratio * n_t,
                 code="pool_small", threshold_field="pool_ratio",
                 params={"n_c": n_c, "ratio": float(th.pool_ratio)})


def twins_estimate(ctx: Context, design: str, *, kind: str) -> Estimate | None:
    """The matched estimate, or ``None`` when the comparison pool is too small."""
    th = ctx.th
    r = ctx.roles
    base = ctx.base
    covs = baseline_covariates(ctx)
    n_t, n_c = pool_sizes(ctx)
    if not n_c >= th.pool_ratio * n_t:
        return None
    # k twins per participant (Abadie et al. 2004 use 4) when the pool is large enough
    k = int(max(1, min(4, n_c // (2 * max(n_t, 1)))))

    # matching with replacement has the Abadie–Imbens standard error; the naive bootstrap
    # is not valid for it (Abadie & Imbens 2008), so other interval methods fall back to it
    ci = ctx.ci if ctx.ci in ("auto", "analytic") else "auto"

    def run(bias_correction: bool) -> Estimate:
        if kind == "did":
            return ctx.call(match, ctx.df, covariates=covs or None, unit=r["unit"],
                            period=r["period"], pre=r["pre"], post=r["post"],
                            pre_outcomes="mean", k=k, bias_correction=bias_correction, **base,
                            ci=ci)
        wide = unit_wide(ctx, with_pre=kind == "lagged")
        on = (["__pre__"] if kind == "lagged" else []) + covs
        e = ctx.call(match, wide, outcome="__post__", group=r["group"], treated=r["treated"],
                     control=r["control"], covariates=on, k=k,
                     bias_correction=bias_correction, ci=ci)
        return replace(e, outcome=ctx.outcome, design=design)

    est = run(False)
    bal0 = est.tables.get("balance")
    if bal0 is not None and len(bal0) and (bal0["smd_after"].abs() > th.smd_good).any():
        # 0.10 < |SMD| <= 0.25 must be adjusted in the outcome model (LADDER.md): use the
        # Abadie–Imbens (2011) regression bias correction
        est = run(True)
    return est


def twins_checks(design: str, ctx: Context, est: Estimate | None) -> list[Check]:
    th = ctx.th
    out = [_pool_check(design, ctx)]
    if est is None:
        return out
    if est.inference.get("bias_correction"):
        out.append(Check(design=design, diagnostic="covariates with |SMD| > 0.10 adjusted in "
                         "the outcome model", value="bias correction", threshold="required",
                         source=th.source("smd_good"), passed=True, must_pass=False,
                         threshold_field="smd_good"))
    d = est.diagnostics
    share = float(d.get("share_matched", 1.0))
    out.append(Check(design=design, diagnostic="share of participants matched",
                     value=round(share, 3), threshold=f">= {th.matched_share_min}",
                     source=th.source("matched_share_min"), passed=share >= th.matched_share_min,
                     code="overlap", threshold_field="matched_share_min",
                     params={"value": f"{share:.0%}"}))
    bal = est.tables.get("balance")
    if bal is not None and len(bal):
        out += _balance_checks(design, ctx, bal)
    reuse = d.get("max_control_reuse")
    if reuse is not None and reuse > th.reuse_max:
        out.append(Check(design=design, diagnostic="max reuse of one comparison unit",
                         value=int(reuse), threshold=f"<= {th.reuse_max} (warn)",
                         source=th.source("reuse_max"), passed=True, must_pass=False,
                         threshold_field="reuse_max"))
    return out


def _balance_checks(design: str, ctx: Context, bal: pd.DataFrame) -> list[Check]:
    th = ctx.th
    smd_after = bal["smd_after"].abs()
    worst = int(smd_after.to_numpy().argmax())
    val = float(smd_after.iloc[worst])
    cov = str(bal["covariate"].iloc[worst])
    cov_label = ctx.outcome + " before" if cov in ("__pre__",) or cov.startswith("__pre") else cov
    out = [Check(design=design, diagnostic=f"max |SMD| after matching ({cov_label})",
                 value=round(val, 3), threshold=f"<= {th.smd_max}", source=th.source("smd_max"),
                 passed=val <= th.smd_max, code="balance", threshold_field="smd_max",
                 params={"covariate": cov_label, "value": float(val)})]
    vr = bal["var_ratio_after"].dropna() if "var_ratio_after" in bal else pd.Series(dtype=float)
    if len(vr):
        bad = vr[(vr < th.variance_ratio_low) | (vr > th.variance_ratio_high)]
        worst_vr = float(bad.iloc[0]) if len(bad) else float(vr.iloc[(vr.apply(
            lambda v: abs(math.log(v)) if v > 0 else np.inf)).to_numpy().argmax()])
        vcov = str(bal.loc[bad.index[0], "covariate"]) if len(bad) else ""
        out.append(Check(design=design, diagnostic="variance ratios after matching",
                         value=round(worst_vr, 3),
                         threshold=f"in [{th.variance_ratio_low}, {th.variance_ratio_high}]",
                         source=th.source("variance_ratio_low"), passed=len(bad) == 0,
                         code="variance", threshold_field="variance_ratio_low",
                         params={"covariate": vcov or cov_label, "value": float(worst_vr)}))
    return out


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
        out.append(("covers", {"n": d.get("n_matched"), "of": d.get("n_target")}))
    ess = d.get("effective_n_controls")
    n_used = d.get("n_controls_used")
    if ess and n_used and ess < th.ess_share * n_used:
        out.append(("ess", {"value": float(ess), "share": f"{th.ess_share:.0%}",
                            "n": int(n_used)}))
    return out
