"""What every rung reads: the roles, the prepared study, the settings and the facts
about the data that are computed once per evaluation (attrition, the DiD
diagnostics, group means, the one-cluster rule)."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ImpactEvalWarning
from ..notes import Note
from ..roles import _as_list
from ..thresholds import Thresholds

__all__ = ["Context", "quiet", "post_roles", "baseline_covariates", "pool_sizes", "unit_wide",
           "per_study"]


@dataclass
class Context:
    """One outcome × one comparison group, with everything a rung may read."""

    df: pd.DataFrame
    outcome: str
    roles: dict[str, Any]
    study: Any
    assignment: str
    start: str | None
    reference: Any
    th: Thresholds
    conf_level: float
    ci: str
    n_boot: int
    seed: Any
    scale: str
    label: str | None
    #: facts computed once by the core before the rungs run (see :mod:`.study`)
    attrition: dict[str, Any] = field(default_factory=dict)
    did_diag: dict[str, Any] = field(default_factory=dict)
    descriptives: dict[str, Any] = field(default_factory=dict)
    cluster_cap: str | None = None
    #: facts of the whole prepared study, shared by the contexts of one outcome (the
    #: same dict in every comparison group's context; see :func:`per_study`)
    shared: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)
    #: per-context memo of derived facts (not copied by ``dataclasses.replace``)
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False,
                                  compare=False)

    @property
    def has_group(self) -> bool:
        return self.roles["group"] is not None

    @property
    def rcs(self) -> bool:
        """Repeated cross-sections: periods but no unit (different people each period)."""
        return self.roles["unit"] is None and self.roles["period"] is not None

    @property
    def post_data(self) -> pd.DataFrame:
        """The data a post-only design reads: with repeated cross-sections only the rows
        after the start (every row a different person), otherwise all rows."""
        if not self.rcs:
            return self.df
        return self.df[self.df[self.roles["period"]].isin(_as_list(self.roles["post"]))]

    @property
    def has_prepost(self) -> bool:
        r = self.roles
        return (r["unit"] is not None or self.rcs) and r["period"] is not None \
            and bool(_as_list(r["pre"])) and bool(_as_list(r["post"]))

    @property
    def n_pre(self) -> int:
        return len(_as_list(self.roles["pre"]))

    @property
    def base(self) -> dict[str, Any]:
        """The roles every two-group estimator takes."""
        r = self.roles
        return dict(outcome=self.outcome, group=r["group"], treated=r["treated"],
                    control=r["control"])

    def columns(self) -> list[Any]:
        """The columns of ``df`` this context reads: its outcome and the roles' columns
        (unit, group, period, cluster, start and the covariates), in ``df``'s order. A
        frame the ladder makes from ``df`` keeps these and leaves out the others."""
        r = self.roles
        names = [r["unit"], r["group"], r["period"], r["cluster"], self.start, self.outcome,
                 *_as_list(r["covariates"])]
        have = self.df.columns
        wanted = set()
        for n in names:
            if n is None:
                continue
            if n not in have and str(n) in have:
                n = str(n)  # a name given as a number for a column named by its text
            wanted.add(n)
        return [c for c in have if c in wanted]  # in the frame's own order

    def share_baseline(self, covariates: Sequence[str]) -> None:
        """Take the baseline covariates found in the whole data (this context's rows are
        those of one comparison group; a covariate that changes within a unit of
        another group is still not a baseline covariate)."""
        self._memo[_baseline_key(self)] = tuple(covariates)

    def arm(self, columns: Sequence[Any] | None = None, rows: Any = None) -> pd.DataFrame:
        """The prepared rows of the participants and this context's comparison group,
        with only ``columns`` when given and only the rows where the boolean array
        ``rows`` (one value per row of ``study.data``) is true when given (a copy when
        rows are left out: not kept, to spare memory)."""
        d = self.study.data
        cols = list(dict.fromkeys(c for c in columns if c is not None)) if columns else None
        mask = self.arm_mask()
        if rows is not None:
            mask = rows if mask is None else mask & rows
        if mask is None:
            return d if cols is None else d[cols]
        return d[mask] if cols is None else d.loc[mask, cols]

    def arm_mask(self) -> Any:
        """Boolean array over the rows of ``study.data``: the participants and this
        context's comparison group; ``None`` when that is every row."""
        if self.study.control_mode != "each":
            return None
        from ..roles import ARM_COL, TREATED_COL

        d = self.study.data
        return (d[TREATED_COL].to_numpy() == 1) | (d[ARM_COL] == self.label).to_numpy()

    def inference_args(self, fn: Any) -> dict[str, Any]:
        """The inference keywords of an estimator call, built here and only here:
        ``scale``, ``ci``, ``n_boot``, ``seed`` and ``conf_level``, each passed when
        the estimator takes it."""
        args = dict(scale=self.scale, conf_level=self.conf_level, ci=self.ci,
                    n_boot=self.n_boot, seed=self.seed)
        accepted = inspect.signature(fn).parameters
        return {k: v for k, v in args.items() if k in accepted}

    def call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Call an estimator with the evaluation's inference settings (``kwargs`` win),
        its assumption warnings silenced (they stay in its notes).

        An estimator without a relative scale returns an absolute estimate, and a rung
        may replace an interval method its estimator cannot give (``ci=`` in
        ``kwargs``); the estimate then says so in its notes.
        """
        est = quiet(fn, *args, **{**self.inference_args(fn), **kwargs})
        notes = []
        if self.scale != "absolute" and getattr(est, "scale", self.scale) != self.scale:
            notes.append(Note("option_unavailable_scale", value=self.scale))
        if self.ci != "auto" and kwargs.get("ci", self.ci) != self.ci:
            notes.append(Note("option_unavailable_ci", value=self.ci,
                              method=est.inference.get("method", kwargs["ci"])))
        return replace(est, notes=(*est.notes, *notes)) if notes else est


def per_study(ctx: Context, name: str, fn: Any) -> Any:
    """``fn(ctx)`` computed once per prepared study and shared by every comparison
    group's context (``fn`` must read only ``ctx.study``, the roles and the frame the
    study was prepared from). Kept per study: a placebo's study (other periods) has its
    own entries and does not replace the evaluation's."""
    key = (name, id(ctx.study))
    hit = ctx.shared.get(key)
    if hit is not None and hit[0] is ctx.study:
        return hit[1]
    value = fn(ctx)
    ctx.shared[key] = (ctx.study, value)
    return value


def quiet(fn, *args, **kwargs):
    """Call an estimator with its assumption warnings silenced (they stay in its notes)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        return fn(*args, **kwargs)


def post_roles(ctx: Context) -> dict[str, Any]:
    """The roles of a post-only design; with repeated cross-sections none (the rows after
    the start are in :attr:`Context.post_data`, each row a person)."""
    r = ctx.roles
    if ctx.rcs:
        return {}
    if r["period"] is not None and _as_list(r["post"]):
        return {"unit": r["unit"], "period": r["period"], "post": r["post"]}
    return {"unit": r["unit"]} if r["unit"] is not None and r["period"] is None else {}


def baseline_covariates(ctx: Context, rows: Any = None) -> list[str]:
    """Covariates that are constant within unit (measured before the start).

    ``rows``, a boolean array over ``ctx.df``: found on those rows only (read from a copy
    of the unit and covariate columns of those rows; not kept)."""
    covs = [str(c) for c in _as_list(ctx.roles["covariates"])]
    r = ctx.roles
    if not covs or r["unit"] is None or r["period"] is None:
        return covs
    if rows is not None:
        return _constant_within_unit(
            ctx.df.loc[rows, list(dict.fromkeys([r["unit"], *covs]))], r["unit"], covs)
    key = _baseline_key(ctx)
    if key in ctx._memo:
        return list(ctx._memo[key])
    keep = _constant_within_unit(ctx.df, r["unit"], covs)
    ctx._memo[key] = tuple(keep)
    return keep


def _constant_within_unit(frame: pd.DataFrame, unit: Any, covs: list[str]) -> list[str]:
    keep = []
    by = frame.groupby(unit, sort=False)
    numeric = [c for c in covs if pd.api.types.is_numeric_dtype(frame[c])
               and not pd.api.types.is_bool_dtype(frame[c])]
    # a number changes within a unit when its largest value there exceeds its smallest
    # (missing values skipped; as nunique() > 1, at a fraction of the cost)
    spread = (by[numeric].max() > by[numeric].min()).any() if numeric else {}
    for c in covs:
        varies = bool(spread[c]) if c in numeric else by[c].nunique(dropna=True).gt(1).any()
        if not varies:
            keep.append(c)
    return keep


def _baseline_key(ctx: Context) -> tuple:
    r = ctx.roles
    return ("baseline_covariates", id(ctx.df),
            tuple(str(c) for c in _as_list(r["covariates"])), r["unit"])


def pool_sizes(ctx: Context) -> tuple[int, int]:
    """Participants and comparison units of this context (counted once per context)."""
    if "pool_sizes" not in ctx._memo:
        from ..roles import ARM_COL, TREATED_COL

        study, d = ctx.study, ctx.study.data
        t = d[TREATED_COL].to_numpy() == 1
        c = ~t
        if study.control_mode == "each" and ctx.label is not None:
            c &= (d[ARM_COL] == ctx.label).to_numpy()
        ctx._memo["pool_sizes"] = (_units(study, d, t), _units(study, d, c))
    return ctx._memo["pool_sizes"]


def _units(study: Any, d: pd.DataFrame, mask: Any) -> int:
    """Distinct units among the rows ``mask`` (from the unit column; no copy of the rows),
    as ``study.units_in``."""
    if study.unit is None:
        return int(mask.sum())
    return int(pd.unique(d[study.unit].to_numpy()[mask]).size)


def unit_wide(ctx: Context, with_pre: bool = True, means: Any = None) -> pd.DataFrame:
    """One row per unit: mean post outcome (``__post__``), mean pre outcome
    (``__pre__``, when asked), group and baseline covariates. Computed once per context.

    ``means``: each unit's (count, sum) of non-missing outcomes after and before the
    start, as a frame indexed by unit with columns ``n_post``, ``s_post``, ``n_pre`` and
    ``s_pre`` (the ladder's unit summary, :mod:`.summary`); without it the means are
    averaged from the rows."""
    key = ("unit_wide", with_pre)
    if key not in ctx._memo:
        ctx._memo[key] = _unit_wide(ctx, with_pre, means)
    return ctx._memo[key]


def _unit_wide(ctx: Context, with_pre: bool, means: Any) -> pd.DataFrame:
    r = ctx.roles
    d = ctx.df
    covs = baseline_covariates(ctx)
    if r["period"] is None:
        extra = [c for c in (r["unit"], r["cluster"]) if c]
        keep = list(dict.fromkeys([r["group"]] + covs + extra))
        wide = d[keep].copy()
        wide["__post__"] = d[ctx.outcome]
        return wide.dropna(subset=["__post__"]).reset_index(drop=True)
    cols = list(dict.fromkeys([r["group"]] + covs + ([r["cluster"]] if r["cluster"] else [])))
    # each unit's group and covariates, read once per context (a placebo's context on the
    # same rows is given them: :func:`.pretrend.pre_placebo`)
    key = ("unit_first", tuple(cols))
    first = ctx._memo.get(key)
    if first is None:
        first = d.groupby(r["unit"])[cols].first()
        ctx._memo[key] = first
    need = ["__post__"] + (["__pre__"] if with_pre else [])

    def mean(rows: Any, when: str) -> pd.Series:
        if means is not None:
            m = means.reindex(first.index)
            n = m[f"n_{when}"].to_numpy()
            with np.errstate(invalid="ignore", divide="ignore"):
                return pd.Series(np.where(n > 0, m[f"s_{when}"].to_numpy() / n, np.nan),
                                 index=first.index)
        return d[d[r["period"]].isin(rows)].groupby(r["unit"])[ctx.outcome].mean()

    wide = first.join(mean(ctx.study.post, "post").rename("__post__"))
    if with_pre:
        wide = wide.join(mean(ctx.study.pre, "pre").rename("__pre__"))
    return wide.dropna(subset=need).reset_index()
