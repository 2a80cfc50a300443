"""How sure? Sensitivity of an effect to what the design cannot rule out.

Five questions, one function each, each returning a small frozen result with
``summary(lang=)``, ``tidy()``, ``to_dict()``, ``sentence(lang)`` and ``plot()``:

* :func:`e_value` – how strong an unmeasured confounder would have to be
  (VanderWeele & Ding 2017, Ann Intern Med 167:268-274).
* :func:`robustness_value` – the partial R² an omitted variable needs
  (Cinelli & Hazlett 2020, JRSS-B 82:39-67).
* :func:`rosenbaum` – how much hidden bias in who took part (Γ) the matched-pair
  result survives (Rosenbaum 2002, *Observational Studies*, ch. 4).
* :func:`honest_did` – a DiD interval that allows the pre-trends to continue
  (Rambachan & Roth 2023, Rev Econ Stud 90:2555-2591).
* :func:`leave_out` – how much the effect rests on single units.

Written by hand (no peer in numpy/scipy/statsmodels): the closed forms of the
E-value and the robustness value; Rosenbaum's normal approximation to the
upper bound of the signed-rank p-value; the Rambachan–Roth confidence sets.
For relative magnitudes the default is the R package ``HonestDiD``'s own
method: the conditional test with the least-favourable hybrid (C-LF) of
Andrews, Roth & Pakes (2023, Rev Econ Stud), over the union of
the polyhedra that make up Δ^RM, with scipy's HiGHS for the linear programmes;
tests reproduce the package's published sets to its grid. A Bonferroni
projection (α/2 for the largest pre-period jump, α/2 for the effect) remains
as a faster, conservative option. For smoothness we use the fixed
linear-extrapolation estimator with its exact worst-case bias and the
folded-normal critical value (a fixed-length interval of Armstrong & Kolesár
2018, wider than or equal to ``HonestDiD``'s optimal FLCI).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from .errors import ArgumentError, ImpactEvalError, InsufficientDataError, bad_choice
from .notes import Note
from .results import Estimate, deep_freeze, to_jsonable

__all__ = ["EValue", "RobustnessValue", "RosenbaumBounds", "HonestDiD", "LeaveOut", "for_estimate",
           "e_value", "robustness_value", "rosenbaum", "honest_did", "leave_out"]

Lang = Literal["en", "sv"]


def _fmt(x: float | None, d: int = 2, lang: str = "en") -> str:
    if x is None or not np.isfinite(x):
        return "–"
    s = f"{x:,.{d}f}"
    if lang == "sv":
        s = s.replace(",", " ").replace(".", ",")
    return s


def _check_lang(lang: str) -> None:
    if lang not in ("en", "sv"):
        raise ArgumentError(Note("err_lang", value=repr(lang)))


class _Result:
    """Shared methods: summary, tidy, to_dict."""

    _title = {"en": "", "sv": ""}

    def sentence(self, lang: Lang = "en") -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def tidy(self) -> pd.DataFrame:  # pragma: no cover - overridden
        raise NotImplementedError

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        """JSON-ready (a sensitivity result holds no unit ids)."""
        out = {"method": self.method, **{k: v for k, v in self.__dict__.items()
                                          if k not in ("table",) and not k.startswith("_")}}
        if getattr(self, "table", None) is not None:
            out["table"] = self.table.to_dict(orient="records")
        out["sentence"] = {"en": self.sentence("en"), "sv": self.sentence("sv")}
        return to_jsonable(out)

    def summary(self, lang: Lang = "en") -> str:
        _check_lang(lang)
        head = self._title[lang]
        lines = [head, "=" * len(head), self.sentence(lang)]
        if getattr(self, "table", None) is not None and len(self.table):
            lines += ["", self.table.to_string(index=False)]
        notes = getattr(self, "notes", {}) or {}
        for n in notes.get(lang, ()):
            lines.append(("Note: " if lang == "en" else "Obs: ") + n)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        import html

        return "<pre>" + html.escape(self.summary()) + "</pre>"


def _ro_table(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    for c in df.columns:
        arr = df[c].to_numpy()
        if arr.dtype != object:
            arr.setflags(write=False)
    return df


# ====================================================================== E-value
def _ev(rr: float) -> float:
    if not np.isfinite(rr):
        return float("nan")
    if rr < 1:
        rr = 1 / rr
    return float(rr + math.sqrt(rr * (rr - 1)))


@dataclass(frozen=True, kw_only=True)
class EValue(_Result):
    """E-value of a point estimate and of the confidence limit nearest 1."""

    method: str = "e_value"
    scale: str
    rr: float
    rr_low: float | None
    rr_high: float | None
    e_point: float
    e_ci: float | None
    _title = {"en": "E-value (VanderWeele & Ding 2017)", "sv": "E-värde (VanderWeele & Ding 2017)"}

    def tidy(self) -> pd.DataFrame:
        return pd.DataFrame([{"quantity": "point", "risk_ratio": self.rr, "e_value": self.e_point},
                             {"quantity": "confidence_limit",
                              "risk_ratio": self._nearest(), "e_value": self.e_ci}])

    def _nearest(self) -> float | None:
        if self.rr_low is None or self.rr_high is None:
            return None
        if self.rr_low <= 1 <= self.rr_high:
            return 1.0
        return self.rr_low if self.rr > 1 else self.rr_high

    def sentence(self, lang: Lang = "en") -> str:
        _check_lang(lang)
        e, c = _fmt(self.e_point, 2, lang), _fmt(self.e_ci, 2, lang)
        if lang == "en":
            s = (f"To explain the effect away, an unmeasured difference between the groups would "
                 f"have to make participation and the outcome each {e} times as likely "
                 f"(risk ratio), over and above the measured factors.")
            if self.e_ci is not None:
                s += (" The confidence interval already includes no effect." if self.e_ci <= 1
                      else f" To move the confidence interval to include no effect, {c} times.")
        else:
            s = (f"För att förklara bort effekten skulle en omätt skillnad mellan grupperna behöva "
                 f"göra både deltagande och utfall {e} gånger så sannolika (riskkvot), utöver "
                 f"de mätta faktorerna.")
            if self.e_ci is not None:
                s += (" Konfidensintervallet rymmer redan ingen effekt." if self.e_ci <= 1
                      else f" För att konfidensintervallet ska rymma ingen effekt: {c} gånger.")
        return s

    def plot(self, ax=None):
        """The E-value curve: the pairs (RR_UD, RR_EU) that explain the estimate away."""
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots()[1]
        rr = self.rr if self.rr >= 1 else 1 / self.rr
        x = np.linspace(rr + 1e-6, max(3 * self.e_point, rr + 1), 200)
        ax.plot(x, rr * (1 - x) / (rr - x) if rr > 1 else np.ones_like(x))
        ax.plot([self.e_point], [self.e_point], "o")
        ax.set_xlabel("RR (confounder – outcome)")
        ax.set_ylabel("RR (confounder – participation)")
        return ax


def e_value(rr: float | Estimate, lo: float | None = None, hi: float | None = None, *,
            rare: bool = True, kind: Literal["rr", "or", "hr", "smd"] = "rr",
            sd: float | None = None) -> EValue:
    """E-value of an estimate (VanderWeele & Ding 2017).

    Parameters
    ----------
    rr : float or Estimate
        A risk ratio (``kind="rr"``), odds ratio (``"or"``), hazard ratio
        (``"hr"``) or standardised mean difference d (``"smd"``); or an
        :class:`~impacteval.Estimate`. For an Estimate of a difference in means
        the effect is standardised by its effect size (Hedges' g) or by ``sd``
        and converted with RR ≈ exp(0.91·d) (interval exp(0.91·d ± 1.78·SE_d));
        for a binary outcome (Cox index present) via the odds ratio
        exp(1.65·g), treated as common (``rare=False``: RR ≈ √OR).
    lo, hi : float, optional
        Confidence limits on the same scale (for ``kind="smd"``: ``lo`` is the
        standard error of d).
    rare : bool
        Outcome rare (< 15 %): odds and hazard ratios approximate risk ratios.

    Returns
    -------
    EValue
        ``e_point`` and ``e_ci`` (E-value of the limit nearest 1; 1 when the
        interval includes 1).

    Example
    -------
    >>> from impacteval.sensitivity import e_value
    >>> round(e_value(3.9, 1.8, 8.7).e_point, 2)
    7.26
    """
    scale = kind
    if isinstance(rr, Estimate):
        est = rr
        es = est.effect_size
        if es is not None and es.name == "cox_index":
            or_ = [math.exp(1.65 * v) for v in (es.value, es.conf_low, es.conf_high)]
            return e_value(or_[0], or_[1], or_[2], rare=False, kind="or")
        if sd is not None:
            if not sd > 0:
                raise ArgumentError(Note("err_sens_sd", value=repr(sd)))
            d, se_d = est.estimate / sd, est.std_error / sd
        elif es is not None and es.value != 0 and np.isfinite(es.value):
            d = es.value
            se_d = abs(d) * est.std_error / abs(est.estimate) if est.estimate else float("nan")
        else:
            raise ArgumentError(Note("err_sens_no_effect_size"))
        return e_value(d, se_d, rare=rare, kind="smd")
    rr = float(rr)
    if kind == "smd":
        d, se = rr, lo
        r = math.exp(0.91 * d)
        if se is None:
            low = high = None
        else:
            low, high = math.exp(0.91 * d - 1.78 * se), math.exp(0.91 * d + 1.78 * se)
        return _evalue_rr(r, low, high, "smd")
    if not rr > 0:
        raise ArgumentError(Note("err_sens_rr", value=repr(rr)))
    if (lo is not None and not lo <= rr) or (hi is not None and not rr <= hi):
        raise ArgumentError(Note("err_sens_rr_inside", rr=float(rr), lo=str(lo), hi=str(hi)))

    def conv(x: float | None) -> float | None:
        if x is None:
            return None
        if kind == "or" and not rare:
            return math.sqrt(x)
        if kind == "hr" and not rare:
            return (1 - 0.5 ** math.sqrt(x)) / (1 - 0.5 ** math.sqrt(1 / x))
        return x

    return _evalue_rr(conv(rr), conv(lo), conv(hi), scale)


def _evalue_rr(rr: float, lo: float | None, hi: float | None, scale: str) -> EValue:
    if lo is None and hi is None:
        e_ci = None
    else:
        lo_ = lo if lo is not None else (0.0 if rr > 1 else rr)
        hi_ = hi if hi is not None else (math.inf if rr < 1 else rr)
        if lo_ <= 1 <= hi_:
            e_ci = 1.0
        else:
            e_ci = _ev(lo_ if rr > 1 else hi_)
    return EValue(scale=scale, rr=rr, rr_low=lo, rr_high=hi, e_point=_ev(rr), e_ci=e_ci)


# ============================================================ robustness value
@dataclass(frozen=True, kw_only=True)
class RobustnessValue(_Result):
    """Partial R² of the treatment and the robustness values of Cinelli & Hazlett."""

    method: str = "robustness_value"
    t: float
    dof: float
    q: float
    alpha: float
    estimate: float | None
    std_error: float | None
    partial_r2: float
    rv_q: float
    rv_q_alpha: float
    table: pd.DataFrame | None = field(default=None, compare=False)
    _title = {"en": "Robustness value (Cinelli & Hazlett 2020)",
              "sv": "Robusthetsvärde (Cinelli & Hazlett 2020)"}

    def tidy(self) -> pd.DataFrame:
        base = pd.DataFrame([{"partial_r2": self.partial_r2, "rv_q": self.rv_q,
                              "rv_q_alpha": self.rv_q_alpha, "q": self.q, "alpha": self.alpha}])
        return base

    def sentence(self, lang: Lang = "en") -> str:
        _check_lang(lang)
        rv, rva = _fmt(100 * self.rv_q, 1, lang), _fmt(100 * self.rv_q_alpha, 1, lang)
        pr = _fmt(100 * self.partial_r2, 1, lang)
        if lang == "en":
            return (f"An omitted factor that explains {rv} % of what is left of both participation "
                    f"and the outcome would remove the whole effect; {rva} % would make it "
                    f"no longer significant. Participation itself explains {pr} % of the "
                    f"outcome's remaining variation.")
        return (f"En utelämnad faktor som förklarar {rv} % av det som återstår av både deltagande "
                f"och utfall skulle ta bort hela effekten; {rva} % skulle göra den icke "
                f"signifikant. Deltagandet självt förklarar {pr} % av utfallets återstående "
                f"variation.")

    def plot(self, ax=None, *, lim: float = 0.4):
        """Contours of the adjusted estimate over (R²_DZ, R²_YZ), benchmarks marked."""
        import matplotlib.pyplot as plt

        if self.estimate is None or self.std_error is None:
            raise ArgumentError(Note("err_sens_contour"))
        ax = ax or plt.subplots()[1]
        g = np.linspace(0, lim, 81)[:-1]
        X, Y = np.meshgrid(g, g)
        Z = _adjusted(self.estimate, self.std_error, self.dof, X, Y)
        cs = ax.contour(X, Y, Z)
        ax.clabel(cs)
        ax.contour(X, Y, Z, levels=[0.0], colors="red", linestyles="dashed")
        if self.table is not None:
            for _, r in self.table.iterrows():
                ax.plot(r["r2dz_x"], r["r2yz_dx"], "ks")
                ax.annotate(str(r["bound_label"]), (r["r2dz_x"], r["r2yz_dx"]))
        ax.set_xlabel("R²(D~Z|X)")
        ax.set_ylabel("R²(Y~Z|D,X)")
        return ax


def _adjusted(est: float, se: float, dof: float, r2dz, r2yz):
    bias = se * np.sqrt(r2yz * r2dz / (1 - r2dz)) * math.sqrt(dof)
    return est - np.sign(est) * bias


def _rv(f: float) -> float:
    return 0.5 * (math.sqrt(f ** 4 + 4 * f ** 2) - f ** 2)


def robustness_value(estimate: Estimate | None = None, q: float = 1.0, alpha: float | None = None,
                     benchmark_covariates: Mapping[str, tuple[float, float]] | None = None, *,
                     t: float | None = None, dof: float | None = None,
                     kd: Sequence[float] = (1.0,), ky: Sequence[float] | None = None
                     ) -> RobustnessValue:
    """Robustness value RV_q and RV_{q,α} and benchmark bounds (Cinelli & Hazlett 2020).

    Parameters
    ----------
    estimate : Estimate, optional
        An estimate with a classical t statistic and residual degrees of freedom
        (``statistic``, ``df``); or pass ``t=`` and ``dof=``.
    q : float
        The share of the estimate to be explained away (1 = all of it).
    alpha : float, optional
        Significance level for RV_{q,α} (default 1 − the estimate's ``conf_level``,
        else 0.05).
    benchmark_covariates : mapping name -> (R²_{D~Xj|X-j}, R²_{Y~Xj|D,X-j})
        Partial R² of a measured covariate with treatment and outcome; the
        bounds say how large the bias would be from a confounder ``kd``/``ky``
        times as strong (Cinelli & Hazlett 2020, sec. 6.1).

    Example
    -------
    >>> from impacteval.sensitivity import robustness_value
    >>> r = robustness_value(t=4.18, dof=783, alpha=0.05)
    >>> print(f"{r.rv_q:.3f} {r.rv_q_alpha:.3f}")
    0.139 0.076
    """
    est = se = None
    if estimate is not None:
        if estimate.statistic is None or not np.isfinite(estimate.statistic):
            raise ArgumentError(Note("err_sens_rv_t"))
        t = float(estimate.statistic)
        dof = (float(estimate.df) if estimate.df is not None
               else float(estimate.n_treated + estimate.n_control - 2))
        est, se = float(estimate.estimate), float(estimate.std_error)
        if alpha is None:
            alpha = 1 - float(estimate.conf_level)
    if t is None or dof is None:
        raise ArgumentError(Note("err_sens_rv_args"))
    if not dof > 1:
        raise InsufficientDataError(Note("err_sens_dof", value=repr(dof)))
    if not 0 < q:
        raise ArgumentError(Note("err_sens_q", value=repr(q)))
    alpha = 0.05 if alpha is None else float(alpha)
    if not 0 < alpha < 1:
        raise ArgumentError(Note("err_sens_alpha", value=repr(alpha)))
    t, dof = float(t), float(dof)
    f = t / math.sqrt(dof)
    fq = q * abs(f)
    r2 = t * t / (t * t + dof)
    rvq = _rv(fq)
    fcrit = abs(stats.t.ppf(alpha / 2, dof - 1)) / math.sqrt(dof - 1)
    fqa = fq - fcrit
    if fqa <= 0:
        rvqa = 0.0
    elif fq > 1 / fcrit:
        rvqa = (fq ** 2 - fcrit ** 2) / (1 + fq ** 2)
    else:
        rvqa = _rv(fqa)
    table = None
    if benchmark_covariates:
        if est is None:
            est, se = t, 1.0  # on the t scale
        rows = []
        kys = list(ky) if ky is not None else list(kd)
        if len(kys) != len(kd):
            raise ArgumentError(Note("err_sens_kd_ky"))
        for name, (r2dxj, r2yxj) in benchmark_covariates.items():
            for a, b in zip(kd, kys, strict=True):
                r2dz = a * r2dxj / (1 - r2dxj)
                if r2dz >= 1:
                    raise ArgumentError(Note("err_sens_kd_partial", name=str(name), kd=float(a)))
                r2zxj = a * r2dxj ** 2 / ((1 - a * r2dxj) * (1 - r2dxj))
                if r2zxj >= 1:
                    raise ArgumentError(Note("err_sens_kd_impossible", name=str(name)))
                r2yz = ((math.sqrt(b) + math.sqrt(r2zxj)) / math.sqrt(1 - r2zxj)) ** 2 * (
                    r2yxj / (1 - r2yxj))
                r2yz = min(r2yz, 1.0)
                adj = float(_adjusted(est, se, dof, r2dz, r2yz))
                adj_se = se * math.sqrt((1 - r2yz) / (1 - r2dz)) * math.sqrt(dof / (dof - 1))
                tcrit = stats.t.ppf(1 - alpha / 2, dof - 1)
                rows.append({"bound_label": f"{a:g}x {name}", "r2dz_x": r2dz, "r2yz_dx": r2yz,
                             "adjusted_estimate": adj, "adjusted_se": adj_se,
                             "adjusted_t": adj / adj_se,
                             "adjusted_lower_ci": adj - tcrit * adj_se,
                             "adjusted_upper_ci": adj + tcrit * adj_se})
        table = _ro_table(pd.DataFrame(rows))
    return RobustnessValue(t=t, dof=dof, q=float(q), alpha=alpha, estimate=est, std_error=se,
                           partial_r2=r2, rv_q=rvq, rv_q_alpha=rvqa, table=table)


# ==================================================================== Rosenbaum
@dataclass(frozen=True, kw_only=True)
class RosenbaumBounds(_Result):
    """Upper bounds on the one-sided signed-rank p-value under hidden bias Γ."""

    method: str = "rosenbaum"
    n_pairs: int
    n_zero: int
    direction: str
    alpha: float
    critical_gamma: float
    table: pd.DataFrame = field(compare=False)
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    _title = {"en": "Rosenbaum bounds (Wilcoxon signed rank)",
              "sv": "Rosenbaumgränser (Wilcoxons teckenrangtest)"}

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", deep_freeze(dict(self.notes)))

    def tidy(self) -> pd.DataFrame:
        return self.table.copy()

    def sentence(self, lang: Lang = "en") -> str:
        _check_lang(lang)
        g = _fmt(self.critical_gamma, 2, lang)
        if self.critical_gamma <= 1:
            return ("Even without hidden bias the matched pairs do not show a significant effect."
                    if lang == "en" else
                    "Redan utan dold snedvridning visar de matchade paren ingen signifikant effekt.")
        if lang == "en":
            return (f"The effect stays significant unless an unmeasured factor makes one member "
                    f"of a matched pair up to {g} times as likely to take part as the other "
                    f"(Γ = {g}).")
        return (f"Effekten förblir signifikant om inte en omätt faktor gör den ena i ett "
                f"matchat par upp till {g} gånger så benägen att delta som den andra (Γ = {g}).")

    def plot(self, ax=None):
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots()[1]
        ax.plot(self.table["gamma"], self.table["p_upper"], "o-")
        ax.axhline(self.alpha, ls="--", color="grey")
        ax.set_xlabel("Γ")
        ax.set_ylabel("p (upper bound)")
        return ax


def _signed_rank(d: np.ndarray) -> tuple[float, np.ndarray]:
    r = stats.rankdata(np.abs(d))
    return float(r[d > 0].sum()), r


def _u_scores(d: np.ndarray, m: int, m1: int, m2: int) -> np.ndarray:
    """Rosenbaum's (2011) U-statistic rank scores of the pair differences ``d`` (zeros
    included in the ranking, scored 0): q = Σ_{l=m1}^{m2} C(a−1, l−1)·C(I−a, m−l) with
    ``a`` the average rank of |d| among the I pairs. (2, 2, 2) is close to Wilcoxon's
    signed rank test, (m, m, m) is Stephenson's (1981) test."""
    from scipy.special import binom

    a = stats.rankdata(np.abs(d))
    n = len(d)
    q = sum(binom(a - 1, k - 1) * binom(n - a, m - k) for k in range(m1, m2 + 1))
    return np.asarray(q, dtype=float) * (np.abs(d) > 0)


def _bound_p(d: np.ndarray, gamma: float,
             scores: tuple[int, int, int] | None = None) -> tuple[float, float]:
    if scores is None:
        t, r = _signed_rank(d)
    else:
        r = _u_scores(d, *scores)
        t = float(r[d > 0].sum())
    out = []
    for p in (gamma / (1 + gamma), 1 / (1 + gamma)):
        e = p * r.sum()
        v = p * (1 - p) * np.sum(r * r)
        out.append(float(stats.norm.sf((t - e) / math.sqrt(v))) if v > 0 else float("nan"))
    return out[0], out[1]


def _hl_bound(d: np.ndarray, p: float) -> float:
    """τ with T(d − τ) equal to its expectation when each pair is positive w.p. p."""
    n = len(d)
    target = p * n * (n + 1) / 2

    def g(tau: float) -> float:
        return _signed_rank(d - tau)[0] - target

    lo, hi = float(d.min()) - 1.0, float(d.max()) + 1.0
    a, b = lo, hi
    for _ in range(80):  # T(d − τ) decreases in τ: bisection on the step function
        m = 0.5 * (a + b)
        if g(m) > 0:
            a = m
        else:
            b = m
    return 0.5 * (a + b)


def rosenbaum(estimate: Estimate | Sequence[float] | np.ndarray,
              gammas: Sequence[float] | None = None, *, alpha: float = 0.05,
              hodges_lehmann: bool = True,
              scores: tuple[int, int, int] | None = None) -> RosenbaumBounds:
    """Rosenbaum bounds for matched pairs (Rosenbaum 2002, sec. 4.3).

    For each Γ (the odds that one member of a pair takes part rather than the
    other differ by at most Γ) the upper bound on the one-sided p-value of
    Wilcoxon's signed-rank test (normal approximation with average ranks,
    zero differences dropped; as ``rbounds::psens``), the critical Γ where the
    bound first reaches ``alpha``, and the Hodges–Lehmann interval of point
    estimates.

    Parameters
    ----------
    estimate : Estimate or array of treated − control pair differences
        A ``match(...)`` estimate (1:1 pairs; its matched pair differences are
        kept) or the differences themselves. The test is one-sided in the
        direction of the estimate.
    gammas : sequence of float, default 1, 1.1, ..., 3
    alpha : float
        Level at which the critical Γ is found.
    scores : (m, m1, m2), optional
        Instead of Wilcoxon's ranks, the rank scores of Rosenbaum's (2011) U statistic
        (zero differences stay in the ranking with score 0, as his ``uscore``); the
        bound uses the same large-sample approximation. ``(8, 6, 7)`` reproduces the
        methotrexate example of that paper. No Hodges–Lehmann bounds then.

    Example
    -------
    >>> import numpy as np
    >>> from impacteval.sensitivity import rosenbaum
    >>> r = rosenbaum(np.array([3.0, 5, 1, 4, -1, 6, 2, 7, 8, 2.5]), gammas=[1, 2])
    >>> r.critical_gamma > 1
    True
    """
    notes_en: list[str] = []
    notes_sv: list[str] = []
    if isinstance(estimate, Estimate):
        d = estimate._sensitivity.get("pair_differences")
        if d is None:
            raise ArgumentError(Note("err_sens_no_pairs", design=estimate.design))
        if estimate.inference.get("std_error") != "paired-difference":
            notes_en.append("Matching with replacement or k > 1: the pairs are not independent; "
                            "the bounds are approximate.")
            notes_sv.append("Matchning med återläggning eller k > 1: paren är inte oberoende; "
                            "gränserna är ungefärliga.")
    else:
        d = estimate
    d = np.asarray(d, dtype=float).ravel()
    if not np.isfinite(d).all():
        raise ArgumentError(Note("err_sens_pairs_missing"))
    direction = "greater"
    if np.median(d) < 0 or (np.median(d) == 0 and d.sum() < 0):
        d, direction = -d, "less"
    nz = int(np.count_nonzero(d == 0))
    dn = d[d != 0] if scores is None else d
    if scores is not None:
        sc = tuple(int(v) for v in scores) if len(tuple(scores)) == 3 else ()
        if not sc or not 1 <= sc[1] <= sc[2] <= sc[0]:
            raise ArgumentError(Note("err_sens_scores", value=repr(scores)))
        scores = sc
        hodges_lehmann = False
    if np.count_nonzero(dn) < 2:
        raise InsufficientDataError(Note("err_sens_few_pairs", n=int(np.count_nonzero(dn))))
    if gammas is None:
        gammas = np.round(np.arange(1.0, 3.0001, 0.1), 10)
    gammas = np.asarray(gammas, dtype=float)
    if (gammas < 1).any():
        raise ArgumentError(Note("err_sens_gammas"))
    rows = []
    for g in gammas:
        pu, pl = _bound_p(dn, float(g), scores)
        row = {"gamma": float(g), "p_upper": pu, "p_lower": pl}
        if hodges_lehmann:
            lo = _hl_bound(d, g / (1 + g))
            hi = _hl_bound(d, 1 / (1 + g))
            s = -1.0 if direction == "less" else 1.0
            row["hl_low"], row["hl_high"] = sorted((s * lo, s * hi))
        rows.append(row)

    def f(lg: float) -> float:
        return _bound_p(dn, math.exp(lg), scores)[0] - alpha

    if f(0.0) >= 0:
        crit = 1.0
    elif f(math.log(1e6)) < 0:
        crit = math.inf
    else:
        crit = math.exp(optimize.brentq(f, 0.0, math.log(1e6), xtol=1e-10))
    if nz and scores is None:
        notes_en.append(f"{nz} pair(s) with zero difference dropped from the test.")
        notes_sv.append(f"{nz} par med skillnaden noll togs bort ur testet.")
    return RosenbaumBounds(n_pairs=len(d), n_zero=nz, direction=direction, alpha=alpha,
                           critical_gamma=crit, table=_ro_table(pd.DataFrame(rows)),
                           notes={"en": tuple(notes_en), "sv": tuple(notes_sv)})


# ============================================================ Rambachan & Roth
@dataclass(frozen=True, kw_only=True)
class HonestDiD(_Result):
    """Robust confidence sets for a DiD effect when the pre-trend may continue."""

    method: str = "honest_did"
    restriction: str
    target: str
    estimate: float | None
    conf_level: float
    breakdown: float | None
    table: pd.DataFrame | None = field(default=None, compare=False)
    reason: str | None = None
    notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    _title = {"en": "Honest DiD (Rambachan & Roth 2023)", "sv": "Ärlig DiD (Rambachan & Roth 2023)"}

    def __post_init__(self) -> None:
        object.__setattr__(self, "notes", deep_freeze(dict(self.notes)))

    @property
    def ok(self) -> bool:
        return self.reason is None

    def tidy(self) -> pd.DataFrame:
        return (self.table.copy() if self.table is not None
                else pd.DataFrame(columns=["m", "conf_low", "conf_high"]))

    def sentence(self, lang: Lang = "en") -> str:
        _check_lang(lang)
        if self.reason is not None:
            return _HD_REASONS[self.reason][lang]
        b = self.breakdown
        rm = self.restriction == "relative_magnitudes"
        if b is None or b <= 0:
            return ("Without a significant effect under parallel trends there is nothing to "
                    "break down." if lang == "en" else
                    "Utan signifikant effekt under parallella trender finns inget att pröva.")
        bs = _fmt(b, 2, lang)
        if lang == "en":
            if rm:
                return (f"The effect stays significant if the departure from parallel trends after "
                        f"the start is at most {bs} times the largest jump before it.")
            return (f"The effect stays significant if the trend difference bends by at most "
                    f"{bs} outcome units per period.")
        if rm:
            return (f"Effekten förblir signifikant om avvikelsen från parallella trender efter "
                    f"starten är högst {bs} gånger det största språnget före den.")
        return (f"Effekten förblir signifikant om trendskillnaden böjer av med högst {bs} "
                f"utfallsenheter per period.")

    def plot(self, ax=None):
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots()[1]
        if self.table is None:
            return ax
        t = self.table
        ax.errorbar(t["m"], 0.5 * (t["conf_low"] + t["conf_high"]),
                    yerr=0.5 * (t["conf_high"] - t["conf_low"]), fmt="none", capsize=3)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_xlabel("M̄" if self.restriction == "relative_magnitudes" else "M")
        return ax


_HD_REASONS = {
    "too_few_pre": {
        "en": "Not computed: at least two periods before the start are needed (one besides the "
              "reference period) to see a pre-trend.",
        "sv": "Inte beräknat: minst två perioder före starten behövs (en utöver "
              "referensperioden) för att se en förtrend.",
    },
    "no_event_time": {
        "en": "Not computed: the estimate keeps no event-time coefficients (it needs a DiD "
              "with several periods).",
        "sv": "Inte beräknat: skattningen saknar koefficienter per period (det kräver en DiD "
              "med flera perioder).",
    },
    "varying_base": {
        "en": "Not computed: the event-time estimates before the start compare each period with "
              "the one before it (varying base period), not with one fixed reference period.",
        "sv": "Inte beräknat: skattningarna före starten jämför varje period med perioden "
              "innan (rörlig basperiod), inte med en fast referensperiod.",
    },
    "no_post": {
        "en": "Not computed: there is no period after the start.",
        "sv": "Inte beräknat: det finns ingen period efter starten.",
    },
}


def _folded_cv(b: float, alpha: float) -> float:
    """χ with P(|N(b, 1)| ≤ χ) = 1 − α."""
    b = abs(b)

    def f(x: float) -> float:
        return stats.norm.cdf(x - b) - stats.norm.cdf(-x - b) - (1 - alpha)

    return float(optimize.brentq(f, 0.0, b + 10.0, xtol=1e-12))



# ------------------------------------------- relative magnitudes: ARP C-LF test
# Andrews, Roth & Pakes (2023, "Inference for linear conditional moment
# inequalities", Rev Econ Stud) conditional test with the least-favourable
# hybrid, applied to Δ^RM(M̄) as in Rambachan & Roth (2023, sec. 5.3): Δ^RM is
# the union over the period s holding the largest pre-period jump and its
# sign of polyhedra {δ: A_s δ ≤ 0}; the confidence set is the union of the
# ARP sets. Written by hand after the published algorithm (scipy's HiGHS
# solves the linear programmes).
_ARP_TOL = 1e-6
_CLF_AUTO_MAX = 48  # inference="auto": C-LF up to this many (pre × post) periods


def _rm_A(K: int, T: int, mbar: float, s: int, positive: bool) -> np.ndarray:
    """Constraint matrix of Δ^RM_{s,±}(M̄) on (δ_pre, δ_post), reference period dropped."""
    n = K + T
    At = np.zeros((n, n + 1))
    for r in range(n):
        At[r, r], At[r, r + 1] = -1.0, 1.0
    v = np.zeros(n + 1)
    v[K + s - 1], v[K + s] = -1.0, 1.0  # the jump δ_s − δ_{s−1} (s ≤ 0)
    if not positive:
        v = -v
    aub = np.vstack([np.tile(v, (K, 1)), np.tile(mbar * v, (T, 1))])
    A = np.vstack([At - aub, -At - aub])
    A = A[(A * A).sum(axis=1) > 1e-10]
    return np.delete(A, K, axis=1)


def _basis_with_first(lv: np.ndarray) -> np.ndarray:
    """An invertible matrix whose first row is l' (completed greedily by unit vectors)."""
    T = len(lv)
    rows = [lv]
    for j in range(T):
        e = np.zeros(T)
        e[j] = 1.0
        if np.linalg.matrix_rank(np.vstack(rows + [e])) > len(rows):
            rows.append(e)
        if len(rows) == T:
            break
    return np.vstack(rows)


def _sqrt_psd(S: np.ndarray) -> np.ndarray:
    w, V = np.linalg.eigh(S)
    return V * np.sqrt(np.clip(w, 0, None))


def _eta_lp(y: np.ndarray, X: np.ndarray, sd: np.ndarray):
    """min η s.t. y − Xδ ≤ η·sd; returns η, the multipliers λ ≥ 0 and success.

    Solved on rows divided by sd and unit-norm columns (the outcome's units
    would otherwise upset the solver); λ is returned for the original rows."""
    m, k = X.shape
    Xs = X / sd[:, None]
    cn = np.linalg.norm(Xs, axis=0) if k else np.ones(0)
    cn = np.where(cn > 0, cn, 1.0)
    res = optimize.linprog(np.r_[1.0, np.zeros(k)],
                           A_ub=-np.column_stack([np.ones(m), Xs / cn]), b_ub=-y / sd,
                           bounds=[(None, None)] * (k + 1), method="highs")
    if res.status != 0:
        return float("nan"), None, False
    return float(res.fun), -np.asarray(res.ineqlin.marginals) / sd, True


def _block_eta(xi: np.ndarray, X: np.ndarray, sd: np.ndarray):
    """η_j = min_δ max_i (ξ_ji − X_i δ)/sd_i for each row of ξ, as one block-diagonal LP.

    Returns η, the minimisers δ_j and the dual vertices λ_j (scaled as in
    :func:`_eta_lp`)."""
    from scipy import sparse

    n, (m, k) = len(xi), X.shape
    Xs = X / sd[:, None]
    cn = np.linalg.norm(Xs, axis=0)
    cn = np.where(cn > 0, cn, 1.0)
    blk = sparse.csr_matrix(-np.column_stack([np.ones(m), Xs / cn]))
    big = sparse.kron(sparse.identity(n, format="csr"), blk, format="csr")
    c = np.tile(np.r_[1.0, np.zeros(k)], n)
    res = optimize.linprog(c, A_ub=big, b_ub=-(xi / sd).ravel(),
                           bounds=[(None, None)] * c.size, method="highs")
    if res.status != 0:  # pragma: no cover - numerical failure
        raise ImpactEvalError(Note("err_sens_clf", detail=str(res.message)))
    x = res.x.reshape(n, k + 1)
    return x[:, 0], x[:, 1:] / cn, -np.asarray(res.ineqlin.marginals).reshape(n, m) / sd


def _lf_cv(X: np.ndarray, S: np.ndarray, kappa: float, sims: int, seed: int) -> float:
    """1 − κ quantile of η under the least-favourable null (μ = 0), by simulation.

    Exact for the simulated draws, but only the draws that can reach the upper
    tail are solved: every δ gives an upper bound max_i (ξ_i − X_i δ)/sd_i and
    every dual vertex λ a lower bound λ'ξ; draws whose upper bound lies below
    the lower bounds' order statistic cannot change the quantile."""
    m, k = X.shape
    sd = np.sqrt(np.diag(S))
    xi = np.random.default_rng(seed).standard_normal((sims, m)) @ _sqrt_psd(S).T
    if k == 0:
        return float(np.quantile((xi / sd).max(axis=1), 1 - kappa))
    z = xi / sd
    ub = z.max(axis=1)  # δ = 0
    pos = int(math.floor((sims - 1) * (1 - kappa)))
    pilot = np.argsort(-ub)[: max(20, 2 * (sims - pos))]
    eta_p, d_p, lam_p = _block_eta(xi[pilot], X, sd)
    lam_p = lam_p[lam_p.sum(axis=1) > 0]
    lb = (xi @ lam_p.T).max(axis=1) if len(lam_p) else np.full(sims, -np.inf)
    Xs = X / sd[:, None]
    ub = np.minimum(ub, np.min([(z - Xs @ d).max(axis=1) for d in d_p], axis=0))
    lb[pilot], ub[pilot] = eta_p, eta_p
    t = np.sort(lb)[pos]
    rest = np.setdiff1d(np.flatnonzero(ub >= t), pilot)
    eta = ub.copy()
    if len(rest):
        eta[rest] = _block_eta(xi[rest], X, sd)[0]
    return float(np.quantile(eta, 1 - kappa))


def _truncnorm_q(p: float, lo: float, hi: float) -> float:
    if not lo < hi:
        return lo
    return float(stats.truncnorm.ppf(p, lo, hi))


def _vlo_vup_dual(eta: float, s_T, g, S, W) -> tuple[float, float]:
    """Truncation points for the dual (degenerate) case: ARP (2023), appendix, algorithm 1."""
    gSg = float(g @ S @ g)
    bvec = (S @ g) / gSg
    m = W.shape[1]
    beq = np.r_[1.0, np.zeros(m - 1)]

    def maxprog(c: float):
        res = optimize.linprog(-(s_T + bvec * c), A_eq=W.T, b_eq=beq, bounds=[(0, None)] * len(g),
                               method="highs")
        if res.status != 0:
            return False, None
        return abs(c - (-res.fun)) <= _ARP_TOL, res.x

    ok, _ = maxprog(eta)
    if not ok:
        return eta, math.inf
    sB = math.sqrt(gSg)
    out = []
    for start, up in ((max(100.0, eta + 20 * sB), True), (min(-100.0, eta - 20 * sB), False)):
        ok, x = maxprog(start)
        if ok:
            out.append(math.inf if up else -math.inf)
            continue
        dif, it = 0.0, 1
        mid = float((x @ s_T) / (1 - x @ bvec))
        while True:
            ok, x2 = maxprog(mid)
            if ok:
                break
            it += 1
            if it >= 10 or x2 is None:
                dif = 1e-6 + 1
                break
            mid = float((x2 @ s_T) / (1 - x2 @ bvec))
        lo_, hi_ = (eta, mid) if up else (mid, eta)
        while dif > 1e-6 and it < 10000:
            it += 1
            mid = 0.5 * (lo_ + hi_)
            if maxprog(mid)[0] == up:
                lo_ = mid
            else:
                hi_ = mid
            dif = hi_ - lo_
        out.append(mid)
    return out[1], out[0]


def _arp_reject(y, X, S, alpha: float, kappa: float, lf_cv: float) -> bool:
    """ARP conditional test of E[y − Xδ] ≤ 0 for some δ, least-favourable hybrid."""
    sd = np.sqrt(np.diag(S))
    m, k = X.shape
    eta, lam, ok = _eta_lp(y, X, sd)
    if not ok:
        return False
    if eta > lf_cv:
        return True
    mod = (alpha - kappa) / (1 - kappa)
    B = lam > _ARP_TOL
    XB = X[B]
    degenerate = int(B.sum()) != k + 1
    full = min(XB.shape) > 0 and np.linalg.matrix_rank(XB) == min(XB.shape)
    if degenerate or not full:
        W = np.column_stack([sd, X])
        g = lam
        gSg = float(g @ S @ g)
        if abs(gSg) < np.finfo(float).eps:
            return eta > 0
        s_T = y - (S @ g) * float(g @ y) / gSg
        vlo, vup = _vlo_vup_dual(eta, s_T, g, S, W)
        sB = math.sqrt(gSg)
    else:
        WB = np.column_stack([sd[B], XB])
        WBc = np.column_stack([sd[~B], X[~B]])
        eye = np.eye(m)
        SB, SBc = eye[B], eye[~B]
        inv = np.linalg.inv(WB)
        GB = WBc @ inv @ SB - SBc
        vB = (inv[0] @ SB)
        s2 = float(vB @ S @ vB)
        sB = math.sqrt(s2)
        rho = GB @ S @ vB / s2
        mm = (-GB @ y) / np.where(rho == 0, np.nan, rho) + float(vB @ y)
        vlo = float(np.max(mm[rho > 0])) if (rho > 0).any() else -math.inf
        vup = float(np.min(mm[rho < 0])) if (rho < 0).any() else math.inf
    zlo, zup = vlo / sB, min(vup, lf_cv) / sB
    stat = eta / sB
    if not zlo <= stat <= zup:
        return False
    return stat > max(0.0, _truncnorm_q(1 - mod, zlo, zup))


class _RMTest:
    """The ARP C-LF test of θ under Δ^RM(M̄): θ is accepted if any (s, ±) piece accepts."""

    def __init__(self, b, S, K: int, T: int, lv, mbar: float, alpha: float,
                 kappa: float, sims: int = 1000, seed: int = 0):
        self.alpha, self.kappa = alpha, kappa
        G = _basis_with_first(lv)
        Ginv = np.linalg.inv(G)
        self.pieces = []
        for s in range(-(K - 1), 1):
            cv = None
            for pos in (True, False):
                A = _rm_A(K, T, mbar, s, pos)
                if T > 1:
                    rows = np.flatnonzero((A[:, K:] != 0).any(axis=1))
                else:
                    rows = np.flatnonzero(A[:, -1] != 0)
                A = A[rows]
                AG = A[:, K:] @ Ginv
                Y = A @ b
                SY = A @ S @ A.T
                X = AG[:, 1:]
                if cv is None:
                    # the − piece is the + piece with both halves negated and swapped:
                    # its least-favourable distribution of η is the same
                    cv = _lf_cv(X, SY, kappa, sims, seed)
                self.pieces.append((Y, AG[:, 0], X, SY, cv))

    def accept(self, theta: float) -> bool:
        for Y, one, X, SY, cv in self.pieces:
            if not _arp_reject(Y - one * theta, X, SY, self.alpha, self.kappa, cv):
                return True
        return False


def _rm_clf_interval(b, S, K: int, T: int, lv, mbar: float, alpha: float, *,
                     grid_points: int = 1000, sims: int = 1000, seed: int = 0):
    """The C-LF confidence set's ends on the R package's grid (±20 SE of θ around 0).

    The ends are found by bisection from an accepted grid point, which assumes
    the accepted set is an interval (it is in every case we checked against a
    full scan). Returns (low, high, open_end)."""
    post = slice(K, K + T)
    sd_theta = math.sqrt(float(lv @ S[post, post] @ lv))
    grid = np.linspace(-20 * sd_theta, 20 * sd_theta, grid_points)
    test = _RMTest(b, S, K, T, lv, mbar, alpha, alpha / 10, sims, seed)
    cache: dict[int, bool] = {}

    def acc(i: int) -> bool:
        if i not in cache:
            cache[i] = test.accept(float(grid[i]))
        return cache[i]

    theta_hat = float(lv @ b[post])
    i0 = int(np.clip(np.searchsorted(grid, theta_hat), 0, grid_points - 1))
    start = None
    for off in range(grid_points):
        for i in (i0 + off, i0 - off):
            if 0 <= i < grid_points and acc(i):
                start = i
                break
        if start is not None:
            break
        if off > 50:  # fall back to a full scan
            hits = [i for i in range(grid_points) if acc(i)]
            if not hits:
                return float("nan"), float("nan"), False
            start = hits[0]
            break
    opened = False
    lo_i, hi_i = start, grid_points - 1
    if acc(hi_i):
        up, opened = hi_i, True
    else:
        while hi_i - lo_i > 1:
            mid = (lo_i + hi_i) // 2
            lo_i, hi_i = (mid, hi_i) if acc(mid) else (lo_i, mid)
        up = lo_i
    lo_i, hi_i = 0, start
    if acc(lo_i):
        dn, opened = lo_i, True
    else:
        while hi_i - lo_i > 1:
            mid = (lo_i + hi_i) // 2
            lo_i, hi_i = (lo_i, mid) if acc(mid) else (mid, hi_i)
        dn = hi_i
    return float(grid[dn]), float(grid[up]), opened



def _rm_clf_table(b, S, K: int, T: int, lv, grid, alpha: float, grid_points: int, seed: int):
    """C-LF sets over the M̄ grid and the breakdown M̄ (smallest M̄ accepting θ = 0)."""
    rows, opened = [], False
    for mb in grid:
        lo, hi, op = _rm_clf_interval(b, S, K, T, lv, float(mb), alpha,
                                      grid_points=grid_points, seed=seed)
        opened |= op
        rows.append({"m": float(mb), "conf_low": lo, "conf_high": hi})

    def acc0(mb: float) -> bool:
        return _RMTest(b, S, K, T, lv, mb, alpha, alpha / 10, seed=seed).accept(0.0)

    if acc0(0.0):
        return rows, 0.0, opened
    lo_m, hi_m = 0.0, 1.0
    while not acc0(hi_m):
        lo_m, hi_m = hi_m, 2 * hi_m
        if hi_m > 64:
            return rows, math.inf, opened
    while hi_m - lo_m > 0.005:
        mid = 0.5 * (lo_m + hi_m)
        lo_m, hi_m = (lo_m, mid) if acc0(mid) else (mid, hi_m)
    return rows, hi_m, opened

def honest_did(estimate: Estimate | None = None,
               mbar: Sequence[float] = (0, 0.5, 1, 2), *,
               method: Literal["relative_magnitudes", "smoothness"] = "relative_magnitudes",
               m: Sequence[float] | None = None,
               target: Literal["average"] | int = "average",
               betahat: Sequence[float] | None = None, sigma: Any = None,
               num_pre: int | None = None, conf_level: float | None = None,
               inference: Literal["auto", "clf", "bonferroni"] = "auto",
               grid_points: int = 1000, seed: int = 0) -> HonestDiD:
    """Rambachan–Roth robust confidence sets for a DiD effect.

    The event-time coefficients ``β = (β_pre, β_post)`` (each relative to the
    last period before the start, which is left out) and their covariance
    ``Σ`` bound the effect ``θ = l'τ_post`` (``target="average"``: the mean of
    the post periods; an int ``k``: the k-th post period, 0-based) under

    * ``"relative_magnitudes"`` (Δ^RM(M̄)): each post-period change in the
      trend difference is at most M̄ times the largest pre-period change;
    * ``"smoothness"`` (Δ^SD(M)): the slope of the trend difference changes by
      at most M per period (M = 0: a linear pre-trend, extrapolated).

    Relative magnitudes, ``inference="clf"`` (default): the conditional
    test with the least-favourable hybrid of Andrews, Roth & Pakes (2023),
    as the R package ``HonestDiD`` computes it (κ = α/10, 1,000 simulated
    draws for the least-favourable critical value, the union over the period
    and sign of the largest pre-period jump, moments of the post periods
    only). The set's ends are points of the package's grid of
    ``grid_points`` values on ±20 standard errors of θ around 0, found by
    bisection. ``inference="bonferroni"``: a faster, conservative projection –
    with probability ≥ 1 − α/2 the largest pre-period change is at most
    ``max_j |Δβ_j| + z·sd_j`` (z at α/(4J)), and the effect's interval uses
    α/2; M̄ = 0 uses the plain interval. Smoothness: the linear-extrapolation
    estimator ``l'β_post + (Σ_k l_k (k+1))·β_last_pre`` with its worst-case
    bias ``M·Σ_i |Σ_{k≥i} l_k (k−i+1)|`` and the folded-normal critical
    value (valid; contains the package's optimal FLCI). ``breakdown`` is the
    smallest M̄ (M) at which the set includes 0 (C-LF: the test of θ = 0
    itself, to 0.005).

    Parameters
    ----------
    estimate : Estimate
        A multi-period :func:`impacteval.did` estimate (``tables["event_time"]``
        and the kept covariance). Or pass ``betahat``, ``sigma``, ``num_pre``.
    mbar, m : sequence of float
        The M̄ grid (relative magnitudes) or M grid (smoothness; default
        multiples of the effect's standard error 0, 0.25, 0.5, 1).
    inference : {"auto", "clf", "bonferroni"}
        Relative magnitudes only: the C-LF confidence set or the conservative
        Bonferroni projection. ``"auto"`` uses C-LF when (pre periods) ×
        (post periods) ≤ 48 – about a second per M̄ – and says so in the notes
        when it falls back to Bonferroni.
    grid_points, seed : int
        C-LF only: the grid of tested values and the seed of the simulated
        least-favourable critical value.

    Returns
    -------
    HonestDiD
        ``table`` with columns ``m``, ``conf_low``, ``conf_high``; ``reason``
        (``"too_few_pre"``, ``"no_event_time"``, ``"no_post"``) and no table
        when it cannot be computed – it never raises for those.

    Example
    -------
    >>> import numpy as np
    >>> from impacteval.sensitivity import honest_did
    >>> r = honest_did(betahat=[0.01, -0.02, 0.0, 0.5, 0.6], sigma=0.01 * np.eye(5), num_pre=3)
    >>> r.ok
    True
    """
    notes_en: list[str] = []
    notes_sv: list[str] = []
    if estimate is not None:
        conf_level = float(estimate.conf_level) if conf_level is None else conf_level
        ev = estimate.tables.get("event_time") if hasattr(estimate.tables, "get") else None
        vcov_key = "event_time_vcov"
        if ev is not None and "period" not in ev.columns and "event_time" in ev.columns:
            # Callaway & Sant'Anna event study: its table compares each pre period with the one
            # before (varying base); use the universal-base event study the estimator keeps
            uni = estimate._sensitivity.get("event_time_universal")
            if uni is not None:
                ev, vcov_key = uni, "event_time_universal_vcov"
                notes_en.append("Event study with one universal base period (the period before "
                                "each cohort's start), re-aggregated from the group-time "
                                "effects.")
                notes_sv.append("Händelsestudie med en gemensam basperiod (perioden före varje "
                                "kohorts start), omräknad från grupp–tid-effekterna.")
            elif (ev["event_time"] == -1).any():
                return HonestDiD(restriction=method, target=str(target), estimate=None,
                                 conf_level=conf_level, breakdown=None, reason="varying_base")
            ev = ev.rename(columns={"event_time": "period"})
        if ev is None or not len(ev) or not {"period", "pre", "estimate", "std_error"} <= set(
                ev.columns):
            return HonestDiD(restriction=method, target=str(target), estimate=None,
                             conf_level=conf_level, breakdown=None, reason="no_event_time")
        ev = ev.sort_values("period")
        pre = ev["pre"].to_numpy(bool)
        order = np.r_[np.flatnonzero(pre), np.flatnonzero(~pre)]
        betahat = ev["estimate"].to_numpy(float)[order]
        v = estimate._sensitivity.get(vcov_key)
        if v is None:
            se = ev["std_error"].to_numpy(float)[order]
            sigma = np.diag(se ** 2)
            notes_en.append("The covariance of the period coefficients was not kept; they were "
                            "treated as independent.")
            notes_sv.append("Kovariansen mellan periodkoefficienterna sparades inte; de "
                            "behandlades som oberoende.")
        else:
            # the vcov rows follow the table's original row order (its index)
            idx = ev.index.to_numpy()[order]
            sigma = np.asarray(v)[np.ix_(idx, idx)]
        num_pre = int(pre.sum())
    conf_level = 0.95 if conf_level is None else float(conf_level)
    if betahat is None or sigma is None or num_pre is None:
        raise ArgumentError(Note("err_sens_honest_args"))
    b = np.asarray(betahat, dtype=float).ravel()
    S = np.atleast_2d(np.asarray(sigma, dtype=float))
    n = len(b)
    if S.shape != (n, n):
        raise ArgumentError(Note("err_sens_sigma", shape=str(S.shape), n=n))
    K, T = int(num_pre), n - int(num_pre)
    alpha = 1 - conf_level

    def empty(reason: str) -> HonestDiD:
        return HonestDiD(restriction=method, target=str(target), estimate=None,
                         conf_level=conf_level, breakdown=None, reason=reason)

    if T < 1:
        return empty("no_post")
    if K < 1:
        return empty("too_few_pre")
    if target == "average":
        lv = np.full(T, 1.0 / T)
    else:
        k = int(target)
        if not 0 <= k < T:
            raise ArgumentError(Note("err_sens_target", value=repr(target), last=T - 1))
        lv = np.zeros(T)
        lv[k] = 1.0
    a_post = np.r_[np.zeros(K), lv]
    theta = float(a_post @ b)
    z = stats.norm.ppf
    rows = []
    if method == "relative_magnitudes":
        grid = np.asarray(mbar, dtype=float)
        # pre-period changes: β_2−β_1, ..., β_K−β_{K−1}, 0−β_K (reference period = 0)
        A = np.zeros((K, n))
        for j in range(K - 1):
            A[j, j], A[j, j + 1] = -1.0, 1.0
        A[K - 1, K - 1] = -1.0
        jumps = A @ b
        sd_j = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", A, S, A), 0))
        c1 = z(1 - (alpha / 2) / (2 * K))
        s_up = float(np.max(np.abs(jumps) + c1 * sd_j))
        Lcum = np.cumsum(lv[::-1])[::-1]  # Σ_{k≥j} l_k
        W = float(np.abs(Lcum).sum())
        se = math.sqrt(max(float(a_post @ S @ a_post), 0.0))
        z0, z2 = z(1 - alpha / 2), z(1 - alpha / 4)
        if (grid < 0).any():
            raise ArgumentError(Note("err_sens_nonneg", name="mbar"))
        if inference not in ("auto", "clf", "bonferroni"):
            raise bad_choice("inference", inference, ("auto", "clf", "bonferroni"))
        if inference == "auto":
            inference = "clf" if K * T <= _CLF_AUTO_MAX else "bonferroni"
        if inference == "clf" and se > 0:
            rows, brk, opened = _rm_clf_table(b, S, K, T, lv, grid, alpha, grid_points, seed)
            if opened:
                notes_en.append("The confidence set reaches the edge of the tested grid (±20 "
                                "standard errors); it may be longer.")
                notes_sv.append("Konfidensmängden når kanten av det prövade rutnätet (±20 "
                                "medelfel); den kan vara längre.")
            return HonestDiD(restriction=method, target=str(target), estimate=theta,
                             conf_level=conf_level, breakdown=float(brk),
                             table=_ro_table(pd.DataFrame(rows)),
                             notes={"en": tuple(notes_en), "sv": tuple(notes_sv)})
        notes_en.append("Bonferroni projection: conservative, wider than the exact test.")
        notes_sv.append("Bonferroniprojektion: konservativ, bredare än det exakta testet.")
        for mb in grid:
            if mb == 0:
                h = z0 * se
            else:
                h = z2 * se + mb * s_up * W
            rows.append({"m": float(mb), "conf_low": theta - h, "conf_high": theta + h})
        if abs(theta) <= z0 * se:
            brk = 0.0
        else:
            brk = max((abs(theta) - z2 * se) / (s_up * W), 0.0) if s_up * W > 0 else math.inf
        est_out = theta
    elif method == "smoothness":
        cw = float(np.sum(lv * np.arange(1, T + 1)))
        a = a_post.copy()
        a[K - 1] += cw  # + (Σ l_k (k+1))·β_last_pre: linear extrapolation of the last pre slope
        est_out = float(a @ b)
        se = math.sqrt(max(float(a @ S @ a), 0.0))
        w = np.array([np.sum(lv[i:] * (np.arange(i, T) - i + 1)) for i in range(T)])
        H = float(np.abs(w).sum())
        grid = (np.asarray(m, dtype=float) if m is not None
                else se * np.array([0.0, 0.25, 0.5, 1.0]))
        for mm in grid:
            if mm < 0:
                raise ArgumentError(Note("err_sens_nonneg", name="m"))
            h = se * _folded_cv(mm * H / se, alpha) if se > 0 else mm * H
            rows.append({"m": float(mm), "conf_low": est_out - h, "conf_high": est_out + h})

        def gap(mm: float) -> float:
            return abs(est_out) - se * _folded_cv(mm * H / se, alpha)

        if gap(0.0) <= 0:
            brk = 0.0
        else:
            hi = abs(est_out) / H
            brk = float(optimize.brentq(gap, 0.0, hi + se, xtol=1e-12))
        notes_en.append("M = 0 means the pre-trend's last slope continues; the estimate is the "
                        "linearly extrapolated one.")
        notes_sv.append("M = 0 betyder att förtrendens sista lutning fortsätter; skattningen är "
                        "den linjärt framskrivna.")
    else:
        raise bad_choice("method", method, ("relative_magnitudes", "smoothness"))
    return HonestDiD(restriction=method, target=str(target), estimate=est_out,
                     conf_level=conf_level, breakdown=float(brk),
                     table=_ro_table(pd.DataFrame(rows)),
                     notes={"en": tuple(notes_en), "sv": tuple(notes_sv)})


# ==================================================================== leave-out
@dataclass(frozen=True, kw_only=True)
class LeaveOut(_Result):
    """The estimate without its most influential unit(s)."""

    method: str = "leave_out"
    estimate: float
    k: int
    estimate_without: float
    largest_share: float
    n: int
    table: pd.DataFrame | None = field(default=None, compare=False)
    _title = {"en": "Leave-out check", "sv": "Utelämningskontroll"}

    def tidy(self) -> pd.DataFrame:
        return pd.DataFrame([{"estimate": self.estimate, "k": self.k,
                              "estimate_without": self.estimate_without,
                              "largest_share": self.largest_share, "n": self.n}])

    def sentence(self, lang: Lang = "en") -> str:
        _check_lang(lang)
        e, w = _fmt(self.estimate, 2, lang), _fmt(self.estimate_without, 2, lang)
        s = _fmt(100 * self.largest_share, 0, lang)
        if lang == "en":
            return (f"Leaving out the {self.k} most influential unit(s) changes the effect from "
                    f"{e} to {w}; the single largest unit carries {s} % of it.")
        return (f"Utan de {self.k} mest inflytelserika enheterna ändras effekten från {e} till "
                f"{w}; den enskilt största enheten bär {s} % av den.")

    def plot(self, ax=None):  # pragma: no cover - trivial
        import matplotlib.pyplot as plt

        ax = ax or plt.subplots()[1]
        ax.bar(["all", f"-{self.k}"], [self.estimate, self.estimate_without])
        return ax


def leave_out(estimate: Estimate | Sequence[float] | np.ndarray, k: int = 1, *,
              data: pd.DataFrame | None = None, unit: str | None = None,
              refit: Callable[[pd.DataFrame], Estimate] | None = None,
              max_units: int = 2000) -> LeaveOut:
    """The effect without the k units that pull it most, and the largest unit's share.

    Three ways in:

    * a matched 1:1 estimate from :func:`impacteval.match` (the mean of the
      kept pair differences);
    * an array of per-unit contributions whose mean is the estimate (e.g.
      paired changes);
    * any :class:`~impacteval.Estimate` together with the data it was fitted
      on, the ``unit`` (or cluster) column and ``refit``, a function that fits
      the same estimator to a data frame (e.g. ``lambda d: ie.did(d, ...)``).
      Each unit (cluster) is left out in turn and the estimator refitted (the
      jackknife; one refit per unit, so at most ``max_units`` units). A unit's
      share of the effect is its jackknife pseudo-value
      ``n·θ̂ − (n − 1)·θ̂₍₋ᵢ₎`` over their sum (Quenouille 1956; for a mean
      this is the unit's own contribution over the total). The k units with
      the largest shares in the direction of the effect are then left out
      together and the estimator refitted once more.

    Example
    -------
    >>> import impacteval as ie
    >>> from impacteval.sensitivity import leave_out
    >>> df = ie.datasets.load_servicetrainee()
    >>> post = df[df["month"] == 12].groupby("group").head(40)
    >>> fit = lambda d: ie.difference(d, outcome="welfare", group="group",
    ...                               treated="participant", control="register",
    ...                               ci="analytic")
    >>> lo = leave_out(fit(post), data=post, unit="person_id", refit=fit)
    >>> 0 < lo.largest_share < 1
    True
    """
    if isinstance(estimate, Estimate):
        c = estimate._sensitivity.get("pair_differences")
        if c is None:
            if data is None or refit is None or unit is None:
                raise ArgumentError(Note("err_sens_leave_out_args", design=estimate.design))
            return _leave_out_refit(estimate, int(k), data, unit, refit, max_units)
    else:
        c = estimate
    c = np.asarray(c, dtype=float).ravel()
    if not np.isfinite(c).all():
        raise ArgumentError(Note("err_sens_contrib_missing"))
    n = len(c)
    if not 1 <= int(k) < n:
        raise ArgumentError(Note("err_sens_k", value=repr(k), n=n))
    k = int(k)
    est = float(c.mean())
    s = np.sign(est) if est != 0 else 1.0
    order = np.argsort(-s * c, kind="stable")[:k]
    rest = np.delete(c, order)
    share = float(abs(c[order[0]]) / abs(c.sum())) if c.sum() != 0 else float("nan")
    return LeaveOut(estimate=est, k=k, estimate_without=float(rest.mean()),
                    largest_share=share, n=n)


def _leave_out_refit(estimate: Estimate, k: int, data: pd.DataFrame, unit: str,
                     refit: Callable[[pd.DataFrame], Estimate], max_units: int) -> LeaveOut:
    if not isinstance(data, pd.DataFrame):
        raise ArgumentError(Note("err_sens_data"))
    if unit not in data.columns:
        raise ArgumentError(Note("err_sens_unit", value=repr(unit)))
    if data[unit].isna().any():
        raise ArgumentError(Note("err_sens_unit_missing", column=unit))
    codes, uniq = pd.factorize(data[unit], sort=True)
    n = len(uniq)
    if n > max_units:
        raise ArgumentError(Note("err_sens_max_units", n=n, column=unit, limit=max_units))
    if not 1 <= k < n - 1:
        raise ArgumentError(Note("err_sens_k1", value=repr(k), n=n))
    full = refit(data)
    est = float(estimate.estimate)
    if not np.isclose(float(full.estimate), est, rtol=1e-9, atol=1e-12):
        raise ArgumentError(Note("err_sens_refit", got=repr(float(full.estimate)),
                                 est=repr(est)))
    order = np.argsort(codes, kind="stable")
    bounds = np.r_[0, np.cumsum(np.bincount(codes, minlength=n))]
    loo = np.empty(n)
    for i in range(n):
        keep = np.ones(len(data), dtype=bool)
        keep[order[bounds[i]:bounds[i + 1]]] = False
        try:
            loo[i] = float(refit(data.loc[keep]).estimate)
        except ImpactEvalError as exc:
            raise ArgumentError(Note("err_sens_refit_fails", column=unit,
                                     detail=str(exc))) from exc
    pseudo = n * est - (n - 1) * loo
    total = float(pseudo.sum())
    s = np.sign(est) if est != 0 else 1.0
    top = np.argsort(-s * pseudo, kind="stable")[:k]
    drop = np.isin(codes, top)
    without = float(refit(data.loc[~drop]).estimate)
    share = float(abs(pseudo[top[0]]) / abs(total)) if total != 0 else float("nan")
    table = pd.DataFrame({"rank": np.arange(1, min(n, 10) + 1),
                          "estimate_without": loo[np.argsort(-s * pseudo, kind="stable")][:10],
                          "share": (pseudo / total if total != 0 else pseudo * np.nan)[
                              np.argsort(-s * pseudo, kind="stable")][:10]})
    return LeaveOut(estimate=est, k=k, estimate_without=without, largest_share=share, n=n,
                    table=_ro_table(table))


# ======================================================== design dispatcher
#: the sensitivity analyses that fit each design on the evaluation ladder
DESIGN_ANALYSES: dict[str, tuple[str, ...]] = {
    "did": ("honest_did",),
    "matched_did": ("rosenbaum", "e_value"),
    "matched": ("rosenbaum", "e_value"),
    "adjusted_comparison": ("e_value", "robustness_value"),
    "comparison": ("e_value", "robustness_value"),
    "benchmark": ("e_value",),
}


def for_estimate(estimate: Estimate, design: str | None = None) -> dict[str, Any]:
    """The design-appropriate sensitivity analyses of one estimate; never raises.

    The ladder's rungs call this from their ``sensitivity`` hook. Keys are
    the analysis names of :data:`DESIGN_ANALYSES` for ``design`` (default
    ``estimate.design``; randomised and one-group designs get none); a value is the result, or
    the error message (a string) when the analysis does not apply to this
    estimate (e.g. no pair differences kept, no effect size).

    Example
    -------
    >>> import impacteval as ie
    >>> from impacteval.sensitivity import for_estimate
    >>> df = ie.datasets.load_servicetrainee()
    >>> est = ie.did(df, outcome="welfare", unit="person_id", group="group",
    ...              treated="participant", control="register", period="month",
    ...              pre=list(range(-12, 0)), post=list(range(1, 13)))
    >>> sorted(for_estimate(est))
    ['honest_did']
    """
    fns = {"honest_did": honest_did, "rosenbaum": rosenbaum, "e_value": e_value,
           "robustness_value": robustness_value}
    out: dict[str, Any] = {}
    for name in DESIGN_ANALYSES.get(design or estimate.design, ()):
        try:
            out[name] = fns[name](estimate)
        except Exception as exc:  # noqa: BLE001 - an optional analysis never stops the ladder
            out[name] = str(exc) if isinstance(exc, ImpactEvalError) else (
                f"{name} could not be computed: {type(exc).__name__}: {exc}")
    return out
