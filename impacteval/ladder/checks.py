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

from .. import texts
from ..results import deep_freeze
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
    #: a check that does not gate the design but whose value breaks its threshold
    warn: bool = False

    @property
    def status(self) -> str:
        """``"fail"`` (a must-pass check that failed), ``"warn"`` (a reported check whose
        value breaks its threshold) or ``"pass"``."""
        if not self.passed:
            return "fail" if self.must_pass else "warn"
        return "warn" if self.warn else "pass"

    def __post_init__(self) -> None:
        if not self.source and self.threshold_field:
            from ..thresholds import THRESHOLD_INFO

            object.__setattr__(self, "source", THRESHOLD_INFO[self.threshold_field][0])
        object.__setattr__(self, "params", deep_freeze(dict(self.params)))
        if not self.diagnostic:
            object.__setattr__(self, "diagnostic", self.label("en"))

    def label(self, lang: str = "en", k: int = 5) -> str:
        """What was checked, in ``lang`` (from the check's code; a check whose code has no
        label in the texts keeps the English ``diagnostic`` it was given)."""
        if self.code not in texts.CHECKS[lang]:
            return self.diagnostic or self.code
        return texts.render(texts.CHECKS, self.code, lang, k, **_label_params(self.params, lang))


def _label_params(params: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """``__pre__`` (the mean earlier outcome) named as "<outcome> before" in ``lang``."""
    out = dict(params)
    if str(out.get("covariate", "")).startswith("__pre"):
        out["covariate"] = f"{out.get('outcome', '')} {texts.WORDS[lang]['before']}".strip()
    return out


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


def needs_panel(ctx: Context) -> Infeasible | None:
    """Designs that follow the same people over time: not with repeated cross-sections."""
    if ctx.rcs:
        return Infeasible("rcs_panel", "needs the same people before and after; these data "
                                       "are repeated cross-sections (no unit)")
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
    # the WWC boundary interpolated linearly between the table's 5-point steps; beyond
    # the table no differential attrition is acceptable ("–")
    return [Check(
        design=design, value=round(diff, 1),
        threshold=f"<= {bound:.1f}" if np.isfinite(bound) else "–",
        passed=ok, code="attrition", threshold_field="attrition_boundary",
        params={"overall": round(overall, 1), "differential": round(diff, 1),
                "boundary": th.attrition_boundary})]


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
        checks.append(Check(design=design, value=min(n_t, n_c),
                            threshold=f">= {th.min_clusters_per_arm}", passed=ok, code="clusters",
                            threshold_field="min_clusters_per_arm",
                            params={"value": min(n_t, n_c)}))
    n_all = int(d[c].nunique())
    checks.append(Check(design=design, value=n_all, threshold=f">= {th.few_clusters}",
                        passed=n_all >= th.few_clusters, must_pass=False,
                        threshold_field="few_clusters", code="few_clusters_total",
                        params={"value": n_all}))
    if n_t <= th.few_treated_clusters:
        threats.append(("few_clusters", {"n": texts.Count(n_t)}))
    return checks, threats


def contamination_check(design: str, ctx: Context) -> list[Check]:
    if ctx.start is None:
        return []
    n = ctx.did_diag.get("contaminated")
    if n is None:
        return []
    return [Check(design=design, value=texts.Count(n), threshold="0", source="Rubin 1980",
                  passed=n == 0, code="contamination", params={"value": texts.Count(n)})]


def composition_threat(ctx: Context) -> list[Threat]:
    """Participants' share of the measured units changed by more than ``composition_pp``."""
    c = ctx.did_diag.get("composition_change_pp")
    if c is not None and abs(c) > ctx.th.composition_pp:
        return [("composition", {"value": float(c), "limit": float(ctx.th.composition_pp)})]
    return []


def dip_threat(ctx: Context) -> list[Threat]:
    dd = ctx.did_diag
    if dd.get("dip") is not None and abs(dd["dip"]) > ctx.th.dip_sd:
        return [("dip", {"value": float(dd["dip"])})]
    return []


def covariate_balance_check(design: str, ctx: Context, covs: list[str]) -> list[Check]:
    from ..diagnostics import balance_table
    from ..estimators.difference import covariate_matrix

    th = ctx.th
    frame = ctx.arm([ctx.roles["unit"], TREATED_COL, *covs])
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
    return [Check(design=design, value=round(val, 3), threshold=f"<= {th.smd_max}", source=th.source("smd_max"),
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
