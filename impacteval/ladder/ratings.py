"""The four ratings (EEF padlocks): design, precision (from the minimum
detectable effect, Bloom 1995), attrition, and the overall security rating."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import texts
from ..power import _arcsine_mde
from ..roles import TREATED_COL
from ..thresholds import Thresholds
from . import summary
from .checks import Step
from .context import Context, per_study
from .pretrend import THREAT_CAPS
from .registry import Rung
from .study import outcome_sd

__all__ = ["mde", "padlocks_mdes", "padlocks_attrition", "rate"]


def mde(ctx: Context, rung: Rung, chosen: Step) -> dict[str, Any]:
    e = chosen.estimate
    descr = ctx.descriptives
    out: dict[str, Any] = {"design": chosen.design}
    if e is None or rung.mde_kind is None:
        return out
    s = summary.of(ctx)
    r2 = per_study(ctx, "pre_post_r2", lambda c: summary.pre_post_r2(c, s)) \
        if s is not None and ctx.has_prepost and not ctx.rcs else 0.0
    r2 = rung.mde_r2(ctx, e, r2)
    m = rung.mde(ctx, e, r2)
    out.update({"mdes": float(m), "r2": float(r2), "n_treated": e.n_treated,
                "n_control": e.n_control})
    sd = per_study(ctx, "outcome_sd", outcome_sd if s is None
                   else lambda c: summary.outcome_sd(c, s))
    if ctx.study.binary:
        base = descr.get("control", {}).get("post") if descr else None
        if base is None:
            base = float(ctx.study.data.loc[ctx.study.data[TREATED_COL] == 0, ctx.outcome].mean()) \
                if ctx.has_group else float(ctx.study.data[ctx.outcome].mean())
        if 0 < base < 1:
            out["mde"] = _arcsine_mde(m, base)
            out["mde_units"] = "proportion"
    elif sd:
        out["mde"] = float(m * sd)
        out["mde_units"] = "outcome units"
    return out


def padlocks_mdes(mdes: float | None, th: Thresholds) -> int:
    if mdes is None or not np.isfinite(mdes):
        return 0
    for pads, cut in zip((5, 4, 3, 2, 1), th.mdes_bands, strict=True):
        if mdes < cut:
            return pads
    return 0


def padlocks_attrition(overall: float | None, th: Thresholds) -> int:
    if overall is None:
        return 5
    for pads, cut in zip((5, 4, 3, 2, 1), th.attrition_bands, strict=True):
        if overall <= cut + 1e-12:
            return pads
    return 0


def rate(ctx: Context, rung: Rung, chosen: Step) -> tuple[dict[str, Any], dict[str, Any], list]:
    """``(ratings, mde, threat_codes)`` of the chosen design."""
    th = ctx.th
    design_pad = rung.design_padlocks(ctx)
    m = mde(ctx, rung, chosen)
    precision = padlocks_mdes(m.get("mdes"), th)
    # the coverage study's honesty flag (skewed, zero-inflated, thin data): intervals like
    # the chosen one under-covered there, so precision counts it (thin data: none)
    est = chosen.estimate
    flag = est.diagnostics.get("coverage_regime") if est is not None else None
    if flag:
        precision = 0 if flag.get("code") == "thin_data" else max(0, precision - 1)
    attrition_pad = padlocks_attrition(ctx.attrition.get("overall"), th)
    threat_codes = list({(c, tuple(sorted(p.items()))): (c, p) for c, p in chosen.threats}.values())
    threats = [texts.threat_text(c, "en", **p) for c, p in threat_codes]
    base = min(design_pad, precision, attrition_pad)
    security = max(0, base - min(th.max_threat_drop, len(threats)))
    for code, _params in threat_codes:
        if code in THREAT_CAPS:
            security = min(security, int(getattr(th, THREAT_CAPS[code])))
    ratings = {"design": design_pad, "precision": precision, "attrition": attrition_pad,
               "security": security, "threats": threats}
    if flag:
        low = float(flag.get("coverage_low", flag.get("coverage", float("nan"))))
        ratings["coverage_flag"] = {"code": str(flag.get("code")), "coverage": low,
                                    "coverage_low": low,
                                    "coverage_high": float(flag.get("coverage_high", low))}
    return ratings, m, threat_codes
