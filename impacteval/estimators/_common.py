"""Shared pieces of the estimators: t intervals, effect sizes, delta-method
ratios, and the wrapper that copies warnings into ``Estimate.notes``.

Hand-written here: Hedges' g with its Hedges–Olkin standard error and the
WWC Cox index, which neither scipy nor statsmodels provide in this form.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
from scipy import stats

from ..errors import ArgumentError, ImpactEvalWarning, bad_choice
from ..notes import LangText, Level, Note
from ..results import EffectSize, Estimate, EstimateCollection
from ..texts import Count

CI_METHODS = ("auto", "analytic", "percentile", "basic", "bca", "studentized", "symmetric",
              "permutation", "studentized_permutation", "wild")
SCALES = ("absolute", "relative")


def check_common(conf_level: float, scale: str, ci: str, *, seed: Any = None,
                 n_boot: Any = 9999) -> None:
    """Validate the inference keywords shared by every estimator (before any work)."""
    from ..inference import _check_n_boot, check_seed

    if not (isinstance(conf_level, (int, float, np.floating)) and not isinstance(conf_level, bool)
            and 0 < conf_level < 1):
        raise ArgumentError(Note("err_conf_level", value=repr(conf_level)))
    check_seed(seed)
    _check_n_boot(n_boot)
    if scale not in SCALES:
        raise bad_choice("scale", scale, ("absolute", "relative"))
    if ci not in CI_METHODS:
        raise bad_choice("ci", ci, CI_METHODS)


#: readers of data that is not in memory, as (accepts(data), ie.did for such data): the Dask
#: path registers itself when :mod:`impacteval._dask` is imported (``import impacteval`` does),
#: so the estimators never import it (imports point down)
LARGE_DATA: list[tuple[Callable[[Any], bool], Callable[..., Any]]] = []


def _design_text(design: str) -> LangText:
    """A design's name for a message: its code in English, its Swedish name in Swedish."""
    from .. import texts

    return LangText(en=str(design), sv=texts.design_name(str(design), "sv"))


def t_test(est: float, se: float, df: float | None, conf_level: float) -> tuple[float, float, float, float]:
    """Interval, statistic and two-sided p-value from a t (df given) or z reference."""
    alpha = 1 - conf_level
    if not np.isfinite(se) or se <= 0:
        return (float("nan"),) * 4
    dist = stats.t(df) if df is not None and np.isfinite(df) else stats.norm()
    q = dist.ppf(1 - alpha / 2)
    stat = est / se
    p = 2 * dist.sf(abs(stat))
    return est - q * se, est + q * se, stat, p


def welch(yt: np.ndarray, yc: np.ndarray) -> tuple[float, float, float]:
    """Welch difference in means, its SE and Satterthwaite df."""
    nt, nc = len(yt), len(yc)
    vt, vc = np.var(yt, ddof=1) / nt, np.var(yc, ddof=1) / nc
    se = math.sqrt(vt + vc)
    df = (vt + vc) ** 2 / (vt**2 / (nt - 1) + vc**2 / (nc - 1)) if (vt + vc) > 0 else float("nan")
    # difference of means from values centred on one constant: at 10⁹ SEK each mean is only
    # exact to its last bit (1e-7), the centred difference to the spread's precision
    c = float(yc[0]) if nc else 0.0
    return float(np.mean(yt - c) - np.mean(yc - c)), se, float(df)


def hedges_g(yt: np.ndarray, yc: np.ndarray, conf_level: float = 0.95,
             diff: float | None = None) -> EffectSize:
    """Hedges' g = ω (ȳT − ȳC) / s_pooled, ω = 1 − 3/(4N − 9) (WWC Handbook 4.1).

    ``diff`` replaces the raw difference (e.g. a regression-adjusted one). The
    interval uses the Hedges–Olkin large-sample SE
    √((nT+nC)/(nT·nC) + g²/(2(nT+nC))).
    """
    nt, nc = len(yt), len(yc)
    n = nt + nc
    sp = math.sqrt(((nt - 1) * np.var(yt, ddof=1) + (nc - 1) * np.var(yc, ddof=1)) / (n - 2))
    d = (np.mean(yt) - np.mean(yc)) if diff is None else diff
    omega = 1 - 3 / (4 * n - 9)
    g = omega * d / sp if sp > 0 else float("nan")
    se = math.sqrt(n / (nt * nc) + g**2 / (2 * n))
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    return EffectSize(name="hedges_g", value=g, conf_low=g - z * se, conf_high=g + z * se,
                      conf_level=conf_level)


def cox_index(yt: np.ndarray, yc: np.ndarray, conf_level: float = 0.95) -> EffectSize:
    """WWC Cox index ln(OR)/1.65 for binary outcomes, with a Woolf interval.

    A 0.5 continuity correction is added to every cell when a cell is empty.
    """
    a, b = float(np.sum(yt)), float(len(yt) - np.sum(yt))
    c, d = float(np.sum(yc)), float(len(yc) - np.sum(yc))
    if min(a, b, c, d) == 0:
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    lor = math.log(a * d / (b * c))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    z = stats.norm.ppf(1 - (1 - conf_level) / 2)
    return EffectSize(name="cox_index", value=lor / 1.65, conf_low=(lor - z * se) / 1.65,
                      conf_high=(lor + z * se) / 1.65, conf_level=conf_level)


def ratio_influence(num: np.ndarray, den: np.ndarray) -> tuple[float, np.ndarray]:
    """Ratio of means R = mean(num)/mean(den) and its influence values.

    ``var(R) ≈ var(φ)/n`` with φ_i = (num_i − R·den_i)/mean(den) (delta method).
    """
    mden = float(np.mean(den))
    r = float(np.mean(num)) / mden
    return r, (num - r * den) / mden


def satterthwaite(components: list[tuple[float, int]]) -> float:
    """Welch–Satterthwaite df for a sum of variance components ``(v_k, n_k)``."""
    tot = sum(v for v, _ in components)
    den = sum(v**2 / (n - 1) for v, n in components if n > 1)
    return tot**2 / den if den > 0 else float("nan")


def recorded_call(func: Callable, args: tuple, kwargs: dict, *, reemit: bool = True
                  ) -> tuple[Any, list]:
    """``func(*args, **kwargs)`` and the notes of the impacteval warnings it raised, in
    order (a warning's :class:`Note`, else its text); the warnings are raised again
    unless ``reemit`` is false."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ImpactEvalWarning)
        result = func(*args, **kwargs)
    msgs = []
    for w in caught:
        if reemit:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if issubclass(w.category, ImpactEvalWarning):
            arg = w.message.args[0] if getattr(w.message, "args", None) else None
            msgs.append(arg if isinstance(arg, Note) else str(w.message))
    return result, msgs


def with_notes(e: Estimate, msgs: Any) -> Estimate:
    """``e`` with ``msgs`` added to its notes (each note once, in order)."""
    return replace(e, notes=tuple(dict.fromkeys(tuple(e.notes) + tuple(msgs))))


def records_warnings(func: Callable) -> Callable:
    """Run an estimator, re-raise its impacteval warnings and copy them into notes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any):
        result, msgs = recorded_call(func, args, kwargs)
        if not msgs:
            return result

        def add(e: Estimate) -> Estimate:
            return with_notes(e, msgs)

        if isinstance(result, EstimateCollection):
            return EstimateCollection([add(e) for e in result])
        if isinstance(result, Estimate):
            return add(result)
        return result

    return wrapper


def collect(results: list[Estimate]) -> Estimate | EstimateCollection:
    return results[0] if len(results) == 1 else EstimateCollection(results)


def apply_inference(
    *,
    ci: str,
    plan,
    estimate: float,
    std_error: float,
    df: float | None,
    analytic: tuple[float, float, float, float],
    analytic_method: str,
    conf_level: float,
    n_boot: int,
    seed: Any,
    design: str,
    binary: bool,
    sizes: tuple[int, int],
    permutation: Callable[[], Any] | None = None,
    studentized_permutation: Callable[[], Any] | None = None,
    groups: tuple[np.ndarray, ...] | None = None,
    n_jobs: int | None = None,
) -> tuple[dict[str, float], dict[str, Any], np.ndarray | None]:
    """Choose and run the interval method; the single seam between estimators
    and :mod:`impacteval.inference`.

    ``groups`` (the analysed values per group) lets ``ci="auto"`` avoid the
    bootstrap-t where resamples without spread are likely. An interval that is
    unbounded or undefined is reported as a warning (copied into the
    estimate's notes by :func:`records_warnings`), never silently.

    Returns ``(numbers, inference_info, draws)`` where ``numbers`` holds
    ``conf_low, conf_high, p_value, statistic``.
    """
    numbers, info, draws = _apply_inference(
        ci=ci, plan=plan, estimate=estimate, std_error=std_error, df=df, analytic=analytic,
        analytic_method=analytic_method, conf_level=conf_level, n_boot=n_boot, seed=seed,
        design=design, binary=binary, sizes=sizes, permutation=permutation,
        studentized_permutation=studentized_permutation, groups=groups, n_jobs=n_jobs)
    lo, hi = numbers["conf_low"], numbers["conf_high"]
    positive = [s for s in sizes if s > 0]
    if ci not in ("auto", "analytic") and positive and min(positive) < 5:
        warnings.warn(Note("coarse_resampling", ci=ci, n=Count(min(positive))),
                      ImpactEvalWarning, stacklevel=4)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        reason = info.get("infinite_reason") or Note("reason_no_spread")
        if not isinstance(reason, Note):
            reason = Note("text", text=str(reason))
        kind = "undefined" if (np.isnan(lo) or np.isnan(hi)) else "unbounded"
        warnings.warn(Note(f"interval_{kind}", level=Level(conf_level), reason=reason),
                      ImpactEvalWarning, stacklevel=4)
    elif hi - lo <= 0 and np.isfinite(std_error) and std_error > 0:
        warnings.warn(Note("zero_width"), ImpactEvalWarning, stacklevel=4)
    return numbers, info, draws


def _apply_inference(*, ci, plan, estimate, std_error, df, analytic, analytic_method,
                     conf_level, n_boot, seed, design, binary, sizes, permutation,
                     studentized_permutation, groups, n_jobs):
    from .. import inference as inf
    from ..errors import MethodError

    method = inf.choose_auto(design, binary, sizes, data=groups) if ci == "auto" else ci
    lo, hi, stat, p = analytic
    fallback = None
    if ci == "auto" and method == "studentized_permutation":
        if studentized_permutation is None:
            fallback = f"ci='auto' would use {method!r}, which this estimate does not support"
            method = "analytic"
        else:
            r = studentized_permutation()
            info = dict(r.info)
            info["chosen_by"] = "auto"
            return ({"conf_low": r.conf_low, "conf_high": r.conf_high, "p_value": r.p_value,
                     "statistic": stat}, info, None)
    if ci == "auto" and method not in ("analytic", "studentized_permutation"):
        if plan is None or (method in ("studentized", "symmetric") and plan.se_fn is None):
            fallback = f"ci='auto' would use {method!r}, which this estimate does not support"
        else:
            try:
                r = inf.resample_interval(plan, estimate=estimate, std_error=std_error, df=df,
                                          ci=method, n_boot=n_boot, conf_level=conf_level,
                                          seed=seed, n_jobs=n_jobs)
            except MethodError as exc:  # e.g. too many resamples without variation
                fallback = f"ci='auto' tried {method!r}: {exc}"
            else:
                if np.isfinite(r.conf_low) and np.isfinite(r.conf_high):
                    info = dict(r.info)
                    info["chosen_by"] = "auto"
                    return ({"conf_low": r.conf_low, "conf_high": r.conf_high,
                             "p_value": r.p_value, "statistic": stat}, info, r.draws)
                fallback = f"ci='auto' tried {method!r}, whose interval was unbounded"
        method = "analytic"
    if method == "analytic":
        info = {"method": analytic_method, "n_boot": None, "seed": None, "conf_level": conf_level}
        if ci == "auto":
            info["chosen_by"] = "auto"
        if fallback:
            info["auto_fallback"] = fallback + "; the analytic interval was used instead."
        return {"conf_low": lo, "conf_high": hi, "p_value": p, "statistic": stat}, info, None
    if method == "studentized_permutation":
        if studentized_permutation is None:
            raise MethodError(Note("err_ci_sperm", design=_design_text(design)))
        r = studentized_permutation()
        return ({"conf_low": r.conf_low, "conf_high": r.conf_high, "p_value": r.p_value,
                 "statistic": stat}, dict(r.info), None)
    if method == "permutation":
        if permutation is None:
            raise MethodError(Note("err_ci_permutation", design=_design_text(design)))
        r = permutation()
        info = dict(r.info)
        return ({"conf_low": r.conf_low, "conf_high": r.conf_high, "p_value": r.p_value,
                 "statistic": stat}, info, None)
    if plan is None:
        raise MethodError(Note("err_ci_bootstrap", ci=repr(method), design=_design_text(design)))
    if method == "wild":
        raise MethodError(Note("err_ci_wild", design=_design_text(design)))
    r = inf.resample_interval(plan, estimate=estimate, std_error=std_error, df=df, ci=method,
                              n_boot=n_boot, conf_level=conf_level, seed=seed, n_jobs=n_jobs)
    info = dict(r.info)
    if ci == "auto":
        info["chosen_by"] = "auto"
    return ({"conf_low": r.conf_low, "conf_high": r.conf_high, "p_value": r.p_value,
             "statistic": stat}, info, r.draws)


def var_from_sums(s1: np.ndarray, s2: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Sample variance from the sums ``s1 = Σx`` and ``s2 = Σx²`` of (centred) values.

    A result below 10⁻¹² of Σx² is rounding noise of a replicate whose values
    are all equal and is set to exactly 0 (its variance), so that such
    replicates are recognised as having no spread.
    """
    ss = s2 - s1 * s1 / n
    ss = np.where(ss <= 1e-12 * s2, 0.0, ss)
    return ss / (n - 1)


def mean_plan(x: np.ndarray, *, scale_relative_to: float | None = None):
    """SumStatistic for a mean (one stratum) with its SE per replicate.

    The values are centred on their mean before the sums are formed, so the
    SE from Σ(x−c)² − n·(x̄−c)² stays exact when the level is large and the
    spread small (raw Σx² at 10⁹ SEK loses every digit of a spread of 1 SEK).
    """
    from ..inference import SumStatistic

    x = np.asarray(x, dtype=float)
    c = float(np.mean(x)) if len(x) else 0.0
    x = x - c
    data = np.column_stack([x, x**2])

    def fn(s, n):
        return c + s[0][:, 0] / n[0]

    def se_fn(s, n):
        return np.sqrt(var_from_sums(s[0][:, 0], s[0][:, 1], n[0]) / n[0])

    return SumStatistic([data], fn, se_fn)


def log_mean_plan(x: np.ndarray):
    """SumStatistic for log(mean) of a non-negative outcome, with its delta-method SE
    sd/(√n·mean) per replicate.

    A bootstrap-t interval for log(mean), transformed back with exp, can never
    leave [0, ∞): the interval for a mean of costs or durations stays positive
    however skewed the values are. A resample whose mean is 0 has log(mean) = −∞
    and is not finite (counted among the failed resamples).
    """
    from ..inference import SumStatistic

    x = np.asarray(x, dtype=float)
    c = float(np.mean(x)) if len(x) else 0.0
    xc = x - c
    data = np.column_stack([xc, xc**2])

    def fn(s, n):
        m = c + s[0][:, 0] / n[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(m > 0, np.log(np.where(m > 0, m, 1.0)), -np.inf)

    def se_fn(s, n):
        m = c + s[0][:, 0] / n[0]
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.sqrt(var_from_sums(s[0][:, 0], s[0][:, 1], n[0]) / n[0]) / m

    return SumStatistic([data], fn, se_fn)


#: Regimes in which the cost study (``benchmarks/coverage.py --study costs``,
#: ``benchmarks/results/coverage.md``, section "The honesty flags") found the default
#: interval covering clearly other than 95 % in samples that look like this: code ->
#: (lowest, highest coverage of ``auto`` over the study's true scenarios — no effect,
#: costs halved, participants more dispersed — English text, Swedish text). The texts
#: take ``{low}`` and ``{high}`` (whole percent). ``thin_data``: the coverage of the
#: interval ``auto`` would have given, had it not been withheld. The figures are
#: checked against ``benchmarks/results/coverage_flags.csv`` by
#: ``tests/test_coverage.py``. ``paired_zero_inflated_small`` is the paired regime's
#: figure at 12 pairs or fewer.
COVERAGE_REGIMES: dict[str, tuple[float, float, str, str]] = {
    "thin_data": (
        0.80, 0.92,
        "Fewer than 3 values differ from zero in a group: the data are too thin for an honest "
        "interval (in the package's coverage study, intervals computed from such data anyway "
        "covered the true value in only {low} to {high} of samples); treat the estimate as a "
        "description of these few cases, not as a measured effect.",
        "Färre än 3 värden skiljer sig från noll i en grupp: underlaget är för tunt för ett "
        "ärligt konfidensintervall (i paketets simuleringsstudie täckte intervall som ändå "
        "beräknades på sådana data det sanna värdet i bara {low} till {high} av fallen); läs "
        "skattningen som en beskrivning av dessa få fall, inte som en uppmätt effekt."),
    "participants_more_dispersed": (
        0.79, 0.97,
        "The participants' values are much more spread out than the comparison group's and "
        "skewed: in the package's coverage study, intervals like this one covered the true "
        "value in {low} to {high} of samples, depending on the true effect (the aim is 95 %).",
        "Deltagarnas värden är mycket mer utspridda än jämförelsegruppens och sneda: i paketets "
        "simuleringsstudie täckte intervall som detta det sanna värdet i {low} till {high} av "
        "fallen, beroende på den sanna effekten (målet är 95 %)."),
    "paired_zero_inflated": (
        0.92, 0.98,
        "The before-after changes come from a mostly-zero or skewed outcome: in the "
        "package's coverage study, intervals like this one covered the true value in {low} to "
        "{high} of samples, depending on the true effect (the aim is 95 %).",
        "Förändringarna före-efter kommer från ett utfall med mest nollor eller sned fördelning: "
        "i paketets simuleringsstudie täckte intervall som detta det sanna värdet i {low} till "
        "{high} av fallen, beroende på den sanna effekten (målet är 95 %)."),
}
COVERAGE_REGIMES["paired_zero_inflated_small"] = (0.85, 0.99) + COVERAGE_REGIMES[
    "paired_zero_inflated"][2:]
COVERAGE_REGIMES["skewed_level"] = (
    0.91, 0.97,
    "The outcome is skewed (a few large values carry the mean): in the package's coverage "
    "study, intervals for a mean like this one covered the true mean in {low} to {high} of "
    "samples, depending on the distribution and the number of units (the aim is 95 %).",
    "Utfallet är snett (några få stora värden bär medelvärdet): i paketets simuleringsstudie "
    "täckte intervall för ett medelvärde som detta det sanna medelvärdet i {low} till {high} "
    "av fallen, beroende på fördelningen och antalet enheter (målet är 95 %).")


def _pct(v: float) -> str:
    """A share as whole percent: "79 %"."""
    return f"{round(100 * v)} %"


def _skewness(y: np.ndarray) -> float:
    y = np.asarray(y, dtype=float)
    s = float(np.std(y))
    return float(np.mean((y - y.mean()) ** 3) / s**3) if len(y) > 2 and s > 0 else 0.0


def coverage_regime(design: str, groups: tuple[np.ndarray, ...]) -> dict[str, Any] | None:
    """The regime of the cost study that the sample resembles, if any.

    Two groups (participants first): a group with fewer than 3 non-zero values
    of a mostly-zero outcome (``thin_data``); participants' SD more than 1.5 × the
    comparison group's with a skewed outcome and fewer than 100 units in the
    smaller group (``participants_more_dispersed``). One group of paired changes
    (before–after): more than half zero changes or skew (|skewness| > 1) with fewer
    than 100 pairs (``paired_zero_inflated``). The mean level of one group
    (follow-up): more than half zeros or skew (|skewness| > 1) with fewer than 100
    units (``skewed_level``). Small zero-inflated groups without these traits are
    not flagged: with the thin-data rule in place, the study's intervals there
    covered 98–100 %.

    Returns ``{"code", "coverage", "coverage_low", "coverage_high", "text_en",
    "text_sv", ...}`` or None; ``coverage`` is the low end of the range.
    """
    gs = [np.asarray(g, dtype=float) for g in groups if len(g)]
    if not gs:
        return None
    nonzero = [int(np.count_nonzero(g)) for g in gs]
    zero_share = [1 - nz / len(g) for nz, g in zip(nonzero, gs, strict=True)]
    skew = [_skewness(g) for g in gs]
    n_small = min(len(g) for g in gs)
    code = None
    params: dict[str, Any] = {}
    if design != "before_after" and min(nonzero) < 3 and max(zero_share) > 0.5:
        code = "thin_data"
        params["min_nonzero"] = min(nonzero)
    elif len(gs) == 2:
        sd_t, sd_c = float(np.std(gs[0], ddof=1)), float(np.std(gs[1], ddof=1))
        if sd_c > 0 and sd_t > 1.5 * sd_c and max(skew) > 1 and n_small < 100:
            code = "participants_more_dispersed"
            params["sd_ratio"] = sd_t / sd_c
    elif design == "before_after" and n_small < 100 and (zero_share[0] > 0.5 or abs(skew[0]) > 1):
        code = "paired_zero_inflated"
    elif design == "follow_up" and n_small < 100 and (zero_share[0] > 0.5 or abs(skew[0]) > 1):
        code = "skewed_level"
    if code is None:
        return None
    key = "paired_zero_inflated_small" if code == "paired_zero_inflated" and n_small <= 12 \
        else code
    low, high, en, sv = COVERAGE_REGIMES[key]
    return {"code": code, "coverage": low, "coverage_low": low, "coverage_high": high,
            "text_en": en.format(low=_pct(low), high=_pct(high)),
            "text_sv": sv.format(low=_pct(low), high=_pct(high)),
            "zero_share": max(zero_share), "skewness": max(skew, key=abs), **params}


def flag_regime(diag: dict, notes: list[str], design: str, groups: tuple[np.ndarray, ...],
                nums: dict | None = None, ci: str | None = None) -> None:
    """Put :func:`coverage_regime`'s flag into ``diag["coverage_regime"]`` and its text into notes.

    With the default ``ci="auto"`` and data too thin for any honest interval
    (``thin_data``: fewer than 3 non-zero values in a group), the interval and the
    p-value in ``nums`` are withheld (NaN, ``diag["interval_withheld"]``): the estimate
    is printed as a description of the few cases, without an interval."""
    reg = coverage_regime(design, groups)
    if reg is not None:
        diag["coverage_regime"] = reg
        notes.append(Note("coverage_regime", text=LangText(en=reg["text_en"],
                                                            sv=reg["text_sv"])))
        if reg["code"] == "thin_data" and ci == "auto" and nums is not None:
            nums.update(conf_low=float("nan"), conf_high=float("nan"),
                        p_value=float("nan"), statistic=float("nan"))
            diag["interval_withheld"] = "thin_data"


def _largest_magnitude(s: Any) -> float | None:
    """The largest non-zero finite ``|value|`` of a numeric column (None when there is
    none); a function of its own so that its row-length temporaries are freed before the
    estimator runs."""
    v = s.to_numpy(dtype=float, na_value=np.nan)
    big = np.abs(v[np.isfinite(v)])
    big = big[big > 0]
    return float(big.max()) if len(big) else None


def rescales_outcome(func: Callable) -> Callable:
    """Run an estimator on an outcome rescaled by a power of 2 when its magnitude is
    extreme (below 1e-100 or above 1e100), and scale the results back.

    Sums of squares of values near 1e-300 underflow to 0 (SE 0, singular
    matrices) and near 1e200 overflow to inf; a power-of-2 factor is exact in
    floating point, so the rescaled analysis loses nothing. Levels, effects,
    standard errors, intervals, draws, the ``mean_*`` diagnostics and the
    event-time table are scaled back; percent results and test statistics are
    scale-free. The caller's DataFrame is not modified (a copy is rescaled).
    """

    @functools.wraps(func)
    def wrapper(df, *args: Any, **kwargs: Any):
        outcome = kwargs.get("outcome")
        import pandas as pd

        if (not isinstance(df, pd.DataFrame) or not isinstance(outcome, (str, int))
                or isinstance(outcome, bool) or outcome not in df.columns
                or not pd.api.types.is_numeric_dtype(df[outcome])
                or pd.api.types.is_bool_dtype(df[outcome])):
            return func(df, *args, **kwargs)
        mag = _largest_magnitude(df[outcome])
        if mag is None or 1e-100 < mag < 1e100:
            return func(df, *args, **kwargs)
        k = -int(round(math.log2(mag)))
        factor = math.ldexp(1.0, k)
        df2 = df.copy()
        df2[outcome] = df[outcome].astype(float) * factor
        if kwargs.get("target") is not None:
            kwargs["target"] = float(kwargs["target"]) * factor
        result = func(df2, *args, **kwargs)
        back = math.ldexp(1.0, -k)
        warnings.warn(Note("extreme_magnitude", outcome=outcome, mag=mag, power=k),
                      ImpactEvalWarning, stacklevel=2)

        def fix(e: Estimate) -> Estimate:
            absolute = getattr(e, "scale", "absolute") != "relative"
            upd: dict[str, Any] = {}
            if absolute:
                for f in ("estimate", "std_error", "conf_low", "conf_high"):
                    upd[f] = getattr(e, f) * back
                if e.draws is not None:
                    upd["draws"] = np.asarray(e.draws) * back
            diag = dict(e.diagnostics)
            for key, val in list(diag.items()):
                if (key.startswith("mean_") or key in ("participant_mean", "target",
                                                       "difference_to_target")) \
                        and isinstance(val, (int, float)) and not isinstance(val, bool):
                    diag[key] = val * back
            upd["diagnostics"] = diag
            tables = dict(getattr(e, "tables", {}) or {})
            if "event_time" in tables:
                t = tables["event_time"].copy()
                for c in ("estimate", "std_error", "conf_low", "conf_high"):
                    if c in t:
                        t[c] = t[c] * back
                tables["event_time"] = t
                upd["tables"] = tables
            return replace(e, **upd)

        if isinstance(result, EstimateCollection):
            return EstimateCollection([fix(e) for e in result])
        return fix(result) if isinstance(result, Estimate) else result

    return wrapper
