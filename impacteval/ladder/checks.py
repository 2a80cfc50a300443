"""The structured pieces a rung returns: :class:`Check`, :class:`Infeasible`, and
the checks several rungs share (attrition, clusters, contamination, pre-trends,
covariate balance).

A check names its threshold by the :class:`~impacteval.Thresholds` field it reads
(``threshold_field``), so its source is the field's source and a threshold that no
check reads is visible (``tests/test_registry.py`` changes each one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..roles import TREATED_COL
from ..thresholds import wwc_attrition_boundary
from .context import Context

__all__ = ["Check", "Infeasible", "Step", "Threat", "attrition_check", "cluster_checks",
           "contamination_check", "covariate_balance_check"]

#: a threat that lowers the security rating: ``(code, params)``
Threat = tuple[str, dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class Check:
    """One diagnostic of one design.

    ``code`` and ``params`` say what was checked in a form the renderer turns into
    words; ``threshold_field`` names the :class:`~impacteval.Thresholds` field the
    check compares with, and ``source`` defaults to that field's source.
    """

    design: str
    value: Any
    passed: bool
    diagnostic: str = ""
    threshold: Any = None
    source: str = ""
    must_pass: bool = True
    reason: str = ""
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    threshold_field: str | None = None

    def __post_init__(self) -> None:
        if not self.source and self.threshold_field:
            from ..thresholds import THRESHOLD_INFO

            object.__setattr__(self, "source", THRESHOLD_INFO[self.threshold_field][0])


@dataclass(frozen=True)
class Infeasible:
    """A rung the data cannot feed: returned (not raised) by ``Rung.feasible``."""

    code: str
    reason: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


def needs_comparison(ctx: Context) -> Infeasible | None:
    """The gate of every two-group rung: a comparison group, in more than one cluster."""
    if not ctx.has_group:
        return Infeasible("no_group", "no comparison group (group=...)")
    if ctx.cluster_cap:
        return Infeasible("one_cluster", ctx.cluster_cap, {"cluster": ctx.roles["cluster"]})
    return None


def needs_prepost(ctx: Context) -> Infeasible | None:
    if not ctx.has_prepost:
        return Infeasible("no_pre", "needs the outcome before and after (unit, period, pre, post)")
    return None


def attrition_check(design: str, ctx: Context) -> list[Check]:
    attr = ctx.attrition
    th = ctx.th
    if not attr or attr.get("overall") is None:
        return []
    overall = 100 * attr["overall"]
    diff = 100 * abs(attr.get("differential") or 0.0)
    bound = wwc_attrition_boundary(overall, th.attrition_boundary)
    ok = bool(np.isfinite(bound) and diff <= bound + 1e-9)
    return [Check(
        design=design, diagnostic="differential attrition (pp) at overall attrition "
        f"{overall:.1f} %", value=round(diff, 1),
        threshold=f"<= {bound:.1f} ({th.attrition_boundary} boundary, interpolated)"
        if np.isfinite(bound) else "no acceptable value at this overall attrition",
        source=th.source("attrition_boundary"), passed=ok, code="attrition",
        threshold_field="attrition_boundary",
        params={"overall": f"{overall:.0f}", "differential": f"{diff:.1f}"})]


def cluster_checks(design: str, ctx: Context, *, per_arm_check: bool
                   ) -> tuple[list[Check], list[Threat]]:
    th = ctx.th
    c = ctx.roles["cluster"]
    if c is None:
        return [], []
    d = ctx.study.data
    per_arm = d.groupby(TREATED_COL)[c].nunique()
    n_t = int(per_arm.get(1, 0))
    n_c = int(per_arm.get(0, 0))
    checks: list[Check] = []
    threats: list[Threat] = []
    if per_arm_check:
        ok = min(n_t, n_c) >= th.min_clusters_per_arm
        checks.append(Check(design=design, diagnostic="clusters per arm", value=min(n_t, n_c),
                            threshold=f">= {th.min_clusters_per_arm}",
                            source=th.source("min_clusters_per_arm"), passed=ok, code="clusters",
                            threshold_field="min_clusters_per_arm",
                            params={"value": min(n_t, n_c)}))
    if n_t <= th.few_treated_clusters:
        threats.append(("few_clusters", {"n": n_t}))
    return checks, threats


def contamination_check(design: str, ctx: Context) -> list[Check]:
    if ctx.start is None:
        return []
    n = ctx.did_diag.get("contaminated")
    if n is None:
        return []
    return [Check(design=design, diagnostic="comparison units starting during the post window",
                  value=int(n), threshold="0", source="LADDER.md (no spill-over)",
                  passed=n == 0, code="contamination", params={"value": int(n)})]


def dip_threat(ctx: Context) -> list[Threat]:
    dd = ctx.did_diag
    if dd.get("dip") is not None and abs(dd["dip"]) > ctx.th.dip_sd:
        return [("dip", {"value": float(dd["dip"])})]
    return []


def covariate_balance_check(design: str, ctx: Context, covs: list[str]) -> list[Check]:
    from ..diagnostics import balance_table
    from ..estimators.difference import covariate_matrix

    th = ctx.th
    d = ctx.study.data
    frame = ctx.study.arm(ctx.label) if ctx.study.control_mode == "each" else d
    if ctx.roles["unit"] is not None:
        frame = frame.groupby(ctx.roles["unit"]).first()
    x = covariate_matrix(frame, tuple(covs))
    t = frame[TREATED_COL].to_numpy() == 1
    if x.shape[1] == 0:
        return []
    bal = balance_table(x[t], x[~t])
    smd = bal["smd_before"].abs()
    worst = int(smd.to_numpy().argmax())
    val = float(smd.iloc[worst])
    cov = str(bal["covariate"].iloc[worst])
    return [Check(design=design, diagnostic=f"max |SMD| of covariates ({cov})",
                  value=round(val, 3), threshold=f"<= {th.smd_max}", source=th.source("smd_max"),
                  passed=val <= th.smd_max, code="covariate_balance", threshold_field="smd_max",
                  params={"covariate": cov, "value": float(val)})]


@dataclass
class Step:
    """One rung tried by the core: feasibility, checks, estimate and threats."""

    design: str
    feasible: bool
    checks: list[Check] = field(default_factory=list)
    estimate: Any = None
    reason: str = ""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    threats: list[Threat] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.feasible and self.estimate is not None and all(
            c.passed for c in self.checks if c.must_pass)

    def first_failure(self) -> Check | None:
        for c in self.checks:
            if c.must_pass and not c.passed:
                return c
        return None
