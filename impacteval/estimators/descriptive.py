"""Descriptive designs: ``follow_up`` (a level, not an effect) and ``benchmark``
(participants against an external reference value).

Uses scipy's ``ttest_1samp`` and ``binomtest`` and statsmodels'
``proportion_confint`` (Wilson / Clopper–Pearson).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from ..errors import (
    ArgumentError,
    AssumptionWarning,
    InsufficientDataError,
    MethodError,
    bad_choice,
)
from ..notes import Note
from ..results import EffectSize, Estimate
from ..roles import check_variation, prepare
from ._common import (
    apply_inference,
    check_common,
    flag_regime,
    log_mean_plan,
    mean_plan,
    records_warnings,
    rescales_outcome,
    t_test,
)

__all__ = ["follow_up", "benchmark", "Reference"]


def _participant_values(study, at: Any) -> tuple[np.ndarray, dict]:
    d = study.data
    d = d[d["__treated__"] == 1]
    info: dict[str, Any] = {}
    if study.period is not None:
        if at is None:
            periods = study.post or (max(d[study.period].unique()),)
        else:
            periods = (at,) if not isinstance(at, (list, tuple)) else tuple(at)
        d = d[d[study.period].isin(list(periods))]
        info["periods"] = [str(p) for p in periods]
        if study.unit is not None:
            d = d.groupby(study.unit, sort=True)[study.outcome].mean().to_frame()
    return d[study.outcome].to_numpy(dtype=float), info


@records_warnings
@rescales_outcome
def follow_up(
    df: pd.DataFrame,
    *,
    outcome: str,
    target: float | None = None,
    group: str | None = None,
    treated: Any = None,
    unit: str | None = None,
    period: str | None = None,
    post: Any = None,
    conf_level: float = 0.95,
    ci: str = "auto",
    n_boot: int = 9999,
    seed: int | None = None,
) -> Estimate:
    """Participants' outcome level (mean or proportion) with its interval.

    This is the bottom rung of the ladder: it shows how participants are
    doing, **not** whether the project made a difference. With ``target``
    the p-value tests the level against the target.

    Parameters
    ----------
    df : DataFrame
    outcome : str
        Outcome column (numeric; 0/1 is treated as a proportion).
    target : float, optional
        The project's target level (e.g. 0.60 for "60 % in work").
    group, treated : optional
        When given, only the treated group is described.
    unit, period, post : optional
        For panel data: the level at the ``post`` period(s), averaged per unit.
    conf_level, ci, n_boot, seed
        Inference settings. Binary outcomes use the Wilson interval and an
        exact binomial test; continuous ones a t interval (or a bootstrap).

    Returns
    -------
    Estimate
        ``design="follow_up"``, ``estimand="mean level (not an effect)"``.

    Examples
    --------
    >>> import pandas as pd, impacteval as ie
    >>> df = pd.DataFrame({"work": [1, 0, 1, 1, 0, 1, 0, 1, 1, 0]})
    >>> r = ie.follow_up(df, outcome="work", target=0.6)
    >>> round(r.estimate, 2)
    0.6
    """
    check_common(conf_level, "absolute", ci, seed=seed, n_boot=n_boot)
    study = prepare(df, outcome=outcome, group=group, treated=treated, unit=unit, period=period,
                    post=post, min_units=1, comparison=False)
    y, info = _participant_values(study, None)
    n = len(y)
    if n == 0:
        raise ArgumentError(Note("err_desc_none", outcome=outcome))
    notes = [Note("assume_follow_up")]
    ref = 0.0 if target is None else float(target)
    binary = study.binary
    if binary:
        k = int(y.sum())
        est = k / n
        lo, hi = proportion_confint(k, n, alpha=1 - conf_level, method="wilson")
        se = math.sqrt(est * (1 - est) / n)
        p = stats.binomtest(k, n, p=ref).pvalue if target is not None and 0 < ref < 1 else float("nan")
        analytic = (lo, hi, None, p)
        method = "Wilson interval; exact binomial test"
        dfree = None
        plan = None
    else:
        est = float(np.mean(y))
        if n < 2:
            raise InsufficientDataError(Note("err_desc_one", outcome=outcome))
        se = float(np.std(y, ddof=1) / math.sqrt(n))
        dfree = n - 1
        if se > 0:
            lo, hi, stat, _ = t_test(est, se, dfree, conf_level)
            p = stats.ttest_1samp(y, ref).pvalue if target is not None else float("nan")
            plan = mean_plan(y)
        else:
            # every participant has the same value: the level is exact for these units,
            # but there is no spread to make an interval or a test from
            warnings.warn(Note("constant_level", outcome=outcome, value=est),
                          AssumptionWarning, stacklevel=3)
            lo = hi = p = float("nan")
            plan = None
            ci = "analytic"
        analytic = (lo, hi, (est - ref) / se if se > 0 and target is not None else None, p)
        method = "t interval"
    positive_level = (not binary and ci == "auto" and plan is not None and est > 0
                      and bool(np.all(y >= 0)))
    if positive_level:
        # a mean of a non-negative outcome (costs, durations) cannot be negative: the
        # interval is made for log(mean) and transformed back, so it stays in (0, ∞)
        nums, inf_info, draws = _log_level_interval(y, est, se, dfree, analytic, conf_level,
                                                    n_boot, seed)
    else:
        nums, inf_info, draws = apply_inference(
            ci=ci, plan=plan, estimate=est, std_error=se, df=dfree, analytic=analytic,
            analytic_method=method, conf_level=conf_level, n_boot=n_boot, seed=seed,
            design="follow_up", binary=binary, sizes=(n, 0), groups=(y,))
    # the p-value tests the level against the target (a bootstrap's p-value would test
    # level = 0, which nobody asks of a follow-up); without a target there is no test
    nums["p_value"] = analytic[3]
    if not binary:
        flag_regime(info, notes, "follow_up", (y,), nums, ci)
    inf_info["p_value_method"] = (("exact binomial test" if binary else "one-sample t test")
                                  + " against the target" if target is not None else None)
    if target is not None:
        info["target"] = float(target)
        info["difference_to_target"] = est - float(target)
    info["dropped"] = dict(study.dropped)
    return Estimate(
        estimate=est, std_error=se, conf_low=nums["conf_low"], conf_high=nums["conf_high"],
        conf_level=conf_level, p_value=nums["p_value"], statistic=nums["statistic"], df=dfree,
        n_treated=n, n_control=0, design="follow_up", estimand="mean level (not an effect)",
        outcome=outcome, inference=inf_info, diagnostics=info, notes=tuple(notes), draws=draws,
    )


def _log_level_interval(y: np.ndarray, est: float, se: float, dfree: float, analytic: tuple,
                        conf_level: float, n_boot: int, seed: Any):
    """``ci="auto"`` for the mean of a non-negative outcome, on the log scale.

    log(mean) with the delta-method SE se/mean: a t interval (n ≤ 12) or the
    symmetric bootstrap-t (larger n, as :func:`impacteval.inference.choose_auto`
    picks for a one-sample mean), both transformed back with exp, so the
    interval never leaves (0, ∞). The p-value stays the estimator's own.
    """
    from ..inference import choose_auto

    method = choose_auto("follow_up", False, (len(y), 0), data=(y,))
    lest, lse = math.log(est), se / est
    nums = {"p_value": analytic[3], "statistic": analytic[2]}
    draws = None
    if method != "analytic":
        nums_l, info, draws = apply_inference(
            ci=method, plan=log_mean_plan(y), estimate=lest, std_error=lse, df=dfree,
            analytic=(float("nan"),) * 4, analytic_method="", conf_level=conf_level,
            n_boot=n_boot, seed=seed, design="follow_up", binary=False, sizes=(len(y), 0))
        lo, hi = nums_l["conf_low"], nums_l["conf_high"]
        if np.isfinite(lo) and np.isfinite(hi):
            info.update({"chosen_by": "auto", "scale": "log(mean), transformed back",
                         "method": f"{method} bootstrap-t of log(mean)"})
            draws = None if draws is None else np.exp(draws)
            nums.update(conf_low=math.exp(lo), conf_high=math.exp(hi))
            return nums, info, draws
    lo, hi, _, _ = t_test(lest, lse, dfree, conf_level)
    info = {"method": "t interval for log(mean) (delta method), transformed back",
            "n_boot": None, "seed": None, "conf_level": conf_level, "chosen_by": "auto",
            "scale": "log(mean), transformed back"}
    nums.update(conf_low=math.exp(lo), conf_high=math.exp(hi))
    return nums, info, None


class Reference(Mapping):
    """An external reference for :func:`benchmark`: a value, or the mean, SD,
    size and source of a reference population.

    Examples
    --------
    >>> Reference(mean=100, sd=15, source="WISC norm")["sd"]
    15
    """

    def __init__(self, mean: float, sd: float | None = None, n: int | None = None,
                 source: str | None = None):
        self._d = {"mean": mean, "sd": sd, "n": n, "source": source}

    def __getitem__(self, k):
        return self._d[k]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)


def _parse_reference(reference: Any) -> dict[str, Any]:
    if isinstance(reference, Mapping):
        if "mean" not in reference:
            raise ArgumentError(Note("err_desc_ref_mapping"))
        ref = {"mean": reference["mean"], "sd": reference.get("sd"), "n": reference.get("n"),
               "source": reference.get("source")}
    elif isinstance(reference, (int, float, np.integer, np.floating)) and not isinstance(reference, bool):
        ref = {"mean": float(reference), "sd": None, "n": None, "source": None}
    else:
        raise ArgumentError(Note("err_desc_ref_type", value=repr(reference)))
    try:
        ref["mean"] = float(ref["mean"])
        ref["sd"] = None if ref["sd"] is None else float(ref["sd"])
        ref["n"] = None if ref["n"] is None else int(ref["n"])
    except (TypeError, ValueError) as exc:
        raise ArgumentError(Note("err_desc_ref_numbers", detail=str(exc))) from None
    if not math.isfinite(ref["mean"]):
        raise ArgumentError(Note("err_desc_ref_mean"))
    if ref["sd"] is not None and not ref["sd"] > 0:
        raise ArgumentError(Note("err_desc_ref_sd"))
    if ref["n"] is not None and ref["n"] < 2:
        raise ArgumentError(Note("err_desc_ref_n"))
    return ref


@records_warnings
def benchmark(
    df: pd.DataFrame,
    *,
    outcome: str,
    reference: Any,
    group: str | None = None,
    treated: Any = None,
    unit: str | None = None,
    period: str | None = None,
    post: Any = None,
    conf_level: float = 0.95,
    ci: str = "auto",
    n_boot: int = 9999,
    seed: int | None = None,
    binary_method: str = "wilson",
) -> Estimate:
    """Participants' level against an external reference value.

    Continuous outcomes: one-sample t test of the mean against the reference
    mean (Welch's two-sample t from summary statistics when the reference
    gives ``sd`` and ``n``); with a reference SD the effect size is the
    difference in reference SD units. Binary outcomes: exact binomial test
    against the reference proportion, with a Wilson (default) or
    Clopper–Pearson (``binary_method="exact"``) interval for the difference.

    Parameters
    ----------
    reference : float or mapping
        A value, or ``{"mean": ..., "sd": ..., "n": ..., "source": ...}`` /
        :class:`Reference`.

    Returns
    -------
    Estimate
        ``design="benchmark"``, ``estimand="difference to reference"``.

    Examples
    --------
    >>> import pandas as pd, impacteval as ie
    >>> df = pd.DataFrame({"iq": [92., 95, 101, 88, 97, 90, 99, 94]})
    >>> r = ie.benchmark(df, outcome="iq", reference={"mean": 100, "sd": 15})
    >>> round(r.estimate, 2)
    -5.5
    """
    check_common(conf_level, "absolute", ci, seed=seed, n_boot=n_boot)
    ref = _parse_reference(reference)
    study = prepare(df, outcome=outcome, group=group, treated=treated, unit=unit, period=period,
                    post=post, min_units=1, comparison=False)
    y, info = _participant_values(study, None)
    n = len(y)
    if n < 2:
        raise InsufficientDataError(Note("err_desc_few", n=n, outcome=outcome))
    binary = study.binary
    if ci == "permutation":
        raise MethodError(Note("err_desc_permutation"))
    notes = [Note("assume_benchmark")]
    r0 = ref["mean"]
    if binary:
        if not 0 <= r0 <= 1:
            raise ArgumentError(Note("err_desc_binary_ref", outcome=outcome))
        k = int(y.sum())
        phat = k / n
        est = phat - r0
        if binary_method == "wilson":
            lo, hi = proportion_confint(k, n, alpha=1 - conf_level, method="wilson")
        elif binary_method == "exact":
            lo, hi = proportion_confint(k, n, alpha=1 - conf_level, method="beta")
        else:
            raise bad_choice("binary_method", binary_method, ("wilson", "exact"))
        p = stats.binomtest(k, n, p=r0).pvalue if 0 < r0 < 1 else float("nan")
        se = math.sqrt(phat * (1 - phat) / n)
        analytic = (lo - r0, hi - r0, None, p)
        method = ("Wilson" if binary_method == "wilson" else "Clopper-Pearson") + " interval; exact binomial test"
        dfree = None
        plan = None
        es = None
        if ref["sd"] is None:
            es_sd = math.sqrt(r0 * (1 - r0)) if 0 < r0 < 1 else None
        else:
            es_sd = ref["sd"]
        if es_sd:
            es = EffectSize(name="standardized_difference", value=est / es_sd,
                            conf_low=(lo - r0) / es_sd, conf_high=(hi - r0) / es_sd,
                            conf_level=conf_level)
    else:
        check_variation(y, outcome)
        m = float(np.mean(y))
        est = float(np.mean(y - r0))  # centred: exact to the spread's precision at 10⁹
        if ref["n"] is not None and ref["sd"] is not None:
            res = stats.ttest_ind_from_stats(m, np.std(y, ddof=1), n, r0, ref["sd"], ref["n"],
                                             equal_var=False)
            vt, vr = np.var(y, ddof=1) / n, ref["sd"] ** 2 / ref["n"]
            se = math.sqrt(vt + vr)
            dfree = (vt + vr) ** 2 / (vt**2 / (n - 1) + vr**2 / (ref["n"] - 1))
            p = float(res.pvalue)
            method = "Welch t against reference summary statistics"
        else:
            se = float(np.std(y, ddof=1) / math.sqrt(n))
            dfree = n - 1
            p = float(stats.ttest_1samp(y, r0).pvalue)
            method = "one-sample t"
        lo, hi, stat, _ = t_test(est, se, dfree, conf_level)
        analytic = (lo, hi, stat, p)
        plan = mean_plan(y - r0)
        es = None
        if ref["sd"] is not None:
            z = stats.norm.ppf(1 - (1 - conf_level) / 2)
            # lo/hi may be replaced by a bootstrap below; the effect size uses the analytic SE
            es = EffectSize(name="standardized_difference", value=est / ref["sd"],
                            conf_low=(est - z * se) / ref["sd"], conf_high=(est + z * se) / ref["sd"],
                            conf_level=conf_level)
            base = est / ref["sd"]
            if abs(base) > 0.25:
                notes.append(Note("benchmark_need", sd=base))
    nums, inf_info, draws = apply_inference(
        ci=ci, plan=plan, estimate=est, std_error=se, df=dfree, analytic=analytic,
        analytic_method=method, conf_level=conf_level, n_boot=n_boot, seed=seed,
        design="benchmark", binary=binary, sizes=(n, 0), groups=None if binary else (y,))
    info.update({"reference_mean": r0, "reference_sd": ref["sd"], "reference_n": ref["n"],
                 "reference_source": ref["source"], "participant_mean": est + r0,
                 "dropped": dict(study.dropped)})
    return Estimate(
        estimate=est, std_error=se, conf_low=nums["conf_low"], conf_high=nums["conf_high"],
        conf_level=conf_level, p_value=nums["p_value"], statistic=nums["statistic"], df=dfree,
        n_treated=n, n_control=0, design="benchmark", estimand="difference to reference",
        outcome=outcome, comparison=ref["source"] or "reference", inference=inf_info,
        diagnostics=info, notes=tuple(notes), effect_size=es, draws=draws,
    )
