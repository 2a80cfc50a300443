"""Cost-effectiveness (effect per krona, kronor per unit of effect) and benefit–cost
(net present value, benefit–cost ratio, P(pays back)) with the effect's uncertainty.

Written by hand: the cost-effectiveness interval that is honestly unbounded on one side, and
carrying an effect's bootstrap draws (or its t distribution) into money, are not in any
library we depend on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from .._protocol import check_lang
from ..errors import ArgumentError, bad_choice, bad_whole
from ..notes import Level, Note, render_note
from ..results import Estimate, to_jsonable
from ._common import (
    EconomicsResult,
    _array,
    _check_timing,
    _conf_level,
    _effect_distribution,
    _interval,
    _localise,
    _money,
    _notes_lines,
    _num,
    _pct,
    _positive,
    _rate,
    _readonly,
    _real,
)
from .discounting import present_value

OutcomeDirection = Literal["lower_is_better", "higher_is_better"]
DIRECTIONS = ("lower_is_better", "higher_is_better")

#: designs whose "estimate" is not an effect against a counterfactual
_NOT_AN_EFFECT = {"follow_up"}
_NO_COMPARISON = {"before_after", "benchmark"}


def _effect_notes(estimate: Any, *, func: str) -> list[str]:
    """Refuse a follow-up level as an effect; note a design without a comparison group."""
    if not isinstance(estimate, Estimate):
        return []
    if estimate.design in _NOT_AN_EFFECT:
        raise ArgumentError(Note("err_econ_level", func=func, design=repr(estimate.design),
                                 estimand=repr(estimate.estimand),
                                 examples="ie.did, ie.match, ie.difference, "
                                          "ie.evaluate(...).estimate"))
    if estimate.design in _NO_COMPARISON:
        return [
            f"The effect comes from a {estimate.design.replace('_', '–')} design without a "
            "comparison group: the money figures credit the project with every change, "
            "including what would have happened anyway."
        ]
    return []


def _direction(
    value_per_unit: Any, outcome_direction: Any, *, func: str
) -> tuple[float, list[str]]:
    """Signed kronor per unit of effect from ``value_per_unit`` and ``outcome_direction``.

    The result is positive when an increase of the outcome saves (or earns) money and
    negative when a decrease does (costs, welfare payments).
    """
    if outcome_direction is not None and outcome_direction not in DIRECTIONS:
        raise ArgumentError(Note("err_econ_direction", func=func, value=repr(outcome_direction)))
    if value_per_unit is None and outcome_direction is None:
        raise ArgumentError(Note("err_econ_which_direction", func=func))
    v = 1.0 if value_per_unit is None else _real(value_per_unit, "value_per_unit", func=func)
    if v == 0:
        raise ArgumentError(Note("err_econ_value_zero", func=func))
    if outcome_direction is None:
        return v, []  # the sign of value_per_unit carries the direction (older spelling)
    if v < 0:
        raise ArgumentError(Note("err_econ_value_negative", value=float(v),
                                 direction=repr(outcome_direction)))
    return (-v if outcome_direction == "lower_is_better" else v), []


def _require(kwargs: dict[str, Any], *, func: str) -> None:
    missing = [k for k in ("cost",) if k not in kwargs]
    if missing or ("value_per_unit" not in kwargs and "outcome_direction" not in kwargs):
        raise ArgumentError(Note("err_econ_require", func=func))


# --------------------------------------------------------- cost-effectiveness
@dataclass(frozen=True, slots=True, kw_only=True)
class CostEffectiveness(EconomicsResult):
    """Effect per krona and kronor per unit of effect, with intervals.

    Attributes
    ----------
    effect, effect_low, effect_high : float
        The effect (per participant, in the outcome's units) and its interval.
    cost_per_participant : float
        The cost the ratios refer to.
    effect_per_krona, effect_per_krona_low, effect_per_krona_high : float
        Effect bought per krona, with its interval (always bounded).
    cost_per_unit, cost_per_unit_low, cost_per_unit_high : float
        Kronor per unit of effect. When the effect's interval includes zero
        one side is infinite (``bounded`` is False) — no amount of money is
        sure to buy a unit of effect.
    bounded : bool
        Whether the kronor-per-unit interval is finite on both sides.
    prob_effect_positive : float
        P(effect > 0) under the effect's distribution.
    source : str
        Where the uncertainty came from (bootstrap draws or the analytic
        normal/t distribution).
    """

    outcome: str | None
    effect: float
    effect_low: float
    effect_high: float
    conf_level: float
    cost_per_participant: float
    n_participants: int | None
    effect_per_krona: float
    effect_per_krona_low: float
    effect_per_krona_high: float
    cost_per_unit: float
    cost_per_unit_low: float
    cost_per_unit_high: float
    bounded: bool
    prob_effect_positive: float
    source: str
    notes: tuple[str, ...] = ()

    def summary(self, lang: str = "en") -> str:
        """A short plain-text table, in English or Swedish."""
        L = _CE_LABELS[check_lang(lang)]
        lv = _pct(self.conf_level)
        lines = [
            L["title"].format(what=self.outcome or L["the_effect"]),
            "=" * 60,
            f"{L['cost']:<26}{_money(self.cost_per_participant)}",
            f"{L['effect']:<26}{_num(self.effect)}  [{lv}: {_num(self.effect_low)}, "
            f"{_num(self.effect_high)}]",
            f"{L['per_krona']:<26}{_num(self.effect_per_krona)}  "
            f"[{_num(self.effect_per_krona_low)}, {_num(self.effect_per_krona_high)}]",
            f"{L['per_msek']:<26}{_num(1e6 * self.effect_per_krona)}  "
            f"[{_num(1e6 * self.effect_per_krona_low)}, "
            f"{_num(1e6 * self.effect_per_krona_high)}]",
            f"{L['per_unit']:<26}{_money(self.cost_per_unit)}  "
            f"[{_money(self.cost_per_unit_low)}, {_money(self.cost_per_unit_high)}]",
            f"{L['p_pos']:<26}{self.prob_effect_positive:.3f}",
            f"{L['source']:<26}{render_note(self.source, lang, None)}",
        ]
        return _localise("\n".join(lines + _notes_lines(self.notes, lang)), lang)

    def __str__(self) -> str:
        return self.summary()


def cost_effectiveness(
    estimate: Estimate,
    cost: float,
    *,
    per: Literal["participant", "total"] = "participant",
    n_participants: int | None = None,
    conf_level: float | None = None,
    outcome_direction: OutcomeDirection | None = None,
) -> CostEffectiveness:
    """Effect per krona and kronor per unit of effect, with the effect's uncertainty.

    Parameters
    ----------
    estimate : Estimate
        The effect per participant (e.g. an ATT). Its bootstrap draws are used
        when present (percentile interval); otherwise ``estimate ± t·std_error``
        with ``df`` degrees of freedom (normal when ``df`` is None).
    cost : float
        Positive cost in kronor, per participant or in total (see ``per``).
    per : {"participant", "total"}, default "participant"
        Whether ``cost`` is per participant or for the whole project; a total
        is divided by ``n_participants``.
    n_participants : int, optional
        Number of participants the total cost covers. Default:
        ``estimate.n_treated``.
    conf_level : float, optional
        Interval level; default the estimate's own ``conf_level``.
    outcome_direction : {"lower_is_better", "higher_is_better"}, optional
        With ``"lower_is_better"`` (costs, welfare payments) the ratios are per unit of
        *reduction*: the effect's sign is turned so that an improvement is positive, and
        ``prob_effect_positive`` is the probability of an improvement. Default: signs as
        estimated.

    Returns
    -------
    CostEffectiveness

    Raises
    ------
    ArgumentError
        A follow-up level (``design="follow_up"``) is not an effect and is refused.

    Notes
    -----
    Kronor per unit of effect, ``c / effect``, is a decreasing function of the
    effect on each side of zero, so its interval is ``[c/high, c/low]`` when
    the effect's interval ``[low, high]`` excludes zero. When it includes
    zero, the set of ratios compatible with the data is unbounded: the side
    facing "no effect" is reported as infinite (``bounded=False``) and a note
    says so, rather than printing a meaningless finite interval. Signs are
    kept: for an outcome where a decrease is good (welfare payments), a
    negative ratio means kronor per unit *reduction*.

    Examples
    --------
    >>> from impacteval import Estimate
    >>> from impacteval.economics import cost_effectiveness
    >>> e = Estimate(estimate=0.20, std_error=0.05, conf_low=0.1, conf_high=0.3, df=58,
    ...              n_treated=30, design="did", estimand="ATT", outcome="in_work")
    >>> ce = cost_effectiveness(e, 4_000_000, per="total")
    >>> round(ce.cost_per_unit)  # kronor per extra person in work
    666667
    """
    func = "cost_effectiveness"
    if not isinstance(estimate, Estimate):
        raise ArgumentError(Note("err_econ_not_estimate", type=type(estimate).__name__))
    c = _positive(cost, "cost", func=func)
    if per not in ("participant", "total"):
        raise bad_choice("per", per, ("participant", "total"))
    level = estimate.conf_level if conf_level is None else _conf_level(conf_level, func=func)
    effect_notes = _effect_notes(estimate, func=func)
    if outcome_direction is not None and outcome_direction not in DIRECTIONS:
        raise bad_choice("outcome_direction", outcome_direction,
                         ("lower_is_better", "higher_is_better"))
    flip = outcome_direction == "lower_is_better"
    n: int | None = None
    if per == "participant" and n_participants is not None:
        raise ArgumentError(Note("err_econ_n_participants_per"))
    if per == "total":
        n = estimate.n_treated if n_participants is None else n_participants
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
            raise bad_whole("n_participants", n, 1)
        c = c / int(n)
    dist = _effect_distribution(estimate, func=func)
    lo, hi = _interval(dist, level)
    e = estimate.estimate
    notes = effect_notes + list(dist.notes)
    if flip:
        lo, hi, e = -hi, -lo, -e
        notes.append(Note("econ_lower_better"))
    bounded = True
    if e == 0:
        ratio = float("nan")
        notes.append(Note("econ_zero_effect"))
    else:
        ratio = c / e
    if lo > 0 or hi < 0:
        r_lo, r_hi = c / hi, c / lo
    else:
        bounded = False
        if e > 0:
            r_lo, r_hi = (c / hi if hi > 0 else float("nan")), float("inf")
        elif e < 0:
            r_lo, r_hi = float("-inf"), (c / lo if lo < 0 else float("nan"))
        else:
            r_lo, r_hi = float("-inf"), float("inf")
        notes.append(Note("econ_ci_includes_zero", level=Level(level), lo=float(lo),
                          hi=float(hi)))
    if estimate.scale == "relative":
        notes.append(Note("econ_relative"))
    return CostEffectiveness(
        outcome=estimate.outcome,
        effect=e,
        effect_low=lo,
        effect_high=hi,
        conf_level=level,
        cost_per_participant=c,
        n_participants=None if n is None else int(n),
        effect_per_krona=e / c,
        effect_per_krona_low=lo / c,
        effect_per_krona_high=hi / c,
        cost_per_unit=ratio,
        cost_per_unit_low=r_lo,
        cost_per_unit_high=r_hi,
        bounded=bounded,
        prob_effect_positive=dist.prob_below(0.0) if flip else dist.prob_above(0.0),
        source=dist.source,
        notes=tuple(notes),
    )




# ------------------------------------------------------------- benefit–cost
@dataclass(frozen=True, slots=True, kw_only=True)
class BenefitCost(EconomicsResult):
    """Net present value and benefit–cost ratio with their distribution.

    Attributes
    ----------
    npv, npv_low, npv_high : float
        Net present value (benefits − cost) at the point estimate, and its
        interval.
    bcr, bcr_low, bcr_high : float
        Benefit–cost ratio (present value of benefits / present value of
        cost) and its interval.
    pv_benefits, pv_cost : float
        Present values at the point estimate (the cost's mean when cost draws
        are given).
    p_pays_back : float
        P(NPV > 0): the probability that the project pays back.
    npv_draws : ndarray or None
        NPV per draw (read-only) when the effect came as draws.
    """

    npv: float
    npv_low: float
    npv_high: float
    bcr: float
    bcr_low: float
    bcr_high: float
    pv_benefits: float
    pv_cost: float
    p_pays_back: float
    conf_level: float
    rate: float
    horizon: int
    value_per_unit: float
    outcome_direction: str | None
    n_participants: int
    source: str
    npv_draws: np.ndarray | None = field(default=None, repr=False, compare=False)
    notes: tuple[str, ...] = ()

    _array_fields = ("npv_draws",)

    def __post_init__(self) -> None:
        if self.npv_draws is not None:
            object.__setattr__(self, "npv_draws", _readonly(self.npv_draws))
        object.__setattr__(self, "notes", tuple(self.notes))

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        out = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "npv_draws"}
        out["n_draws"] = None if self.npv_draws is None else int(self.npv_draws.size)
        return to_jsonable(out)

    def summary(self, lang: str = "en") -> str:
        """A short plain-text table, in English or Swedish."""
        L = _BC_LABELS[check_lang(lang)]
        lv = _pct(self.conf_level)
        lines = [
            L["title"].format(h=self.horizon, r=f"{100 * self.rate:g}"),
            "=" * 72,
            f"{L['pv_b']:<23}{_money(self.pv_benefits)}",
            f"{L['pv_c']:<23}{_money(self.pv_cost)}",
            f"{L['npv']:<23}{_money(self.npv)}  [{lv}: {_money(self.npv_low)}, "
            f"{_money(self.npv_high)}]",
            f"{L['bcr']:<23}{_num(self.bcr, 3)}  [{_num(self.bcr_low, 3)}, "
            f"{_num(self.bcr_high, 3)}]",
            f"{L['p']:<23}{self.p_pays_back:.3f}",
            f"{L['source']:<23}{render_note(self.source, lang, None)}",
        ]
        return _localise("\n".join(lines + _notes_lines(self.notes, lang)), lang)

    def __str__(self) -> str:
        return self.summary()


def benefit_cost(
    effect: Estimate | ArrayLike,
    *,
    cost: float | ArrayLike,
    value_per_unit: float | None = None,
    outcome_direction: OutcomeDirection | None = None,
    n_participants: int | None = None,
    horizon: int = 1,
    profile: ArrayLike | None = None,
    rate: float = 0.035,
    timing: Literal["end", "start"] = "end",
    conf_level: float = 0.95,
    seed: int | np.random.Generator | None = None,
) -> BenefitCost:
    """Net present value, benefit–cost ratio and P(pays back) from an effect.

    The yearly benefit is ``effect × value_per_unit × n_participants ×
    profile[year]`` for ``horizon`` years, discounted with
    :func:`present_value`; the cost is paid up front (not discounted).
    NPV = PV(benefits) − cost and BCR = PV(benefits) / cost.

    Parameters
    ----------
    effect : Estimate or 1-D array_like
        The effect per participant per year. An :class:`Estimate`'s bootstrap
        draws are used when present; otherwise its normal/t distribution
        (exact quantiles, no simulation). A 1-D array is taken as draws of
        the effect.
    value_per_unit : float, optional
        Kronor saved per participant per year by one unit of the outcome, e.g. ``12`` for a
        monthly welfare payment measured in kronor; default 1 when ``outcome_direction`` is
        given (the outcome is already in kronor a year). Without ``outcome_direction`` its
        sign carries the direction (negative: a decrease saves money) — the older spelling.
    outcome_direction : {"lower_is_better", "higher_is_better"}, optional
        Whether a *decrease* of the outcome saves money (costs, welfare payments,
        placements) or an increase does (earnings). One of ``outcome_direction`` and
        ``value_per_unit`` must be given; with both, ``value_per_unit`` must be positive
        (a negative value would count the direction twice and is refused).
    cost : float or 1-D array_like
        Up-front cost in kronor (positive), or draws of it. Cost draws are
        paired with the effect's draws and must have the same length; with an
        analytic effect, effect draws of that length are simulated (``seed``).
    n_participants : int, optional
        Participants the benefit accrues to. Default ``effect.n_treated``;
        required when ``effect`` is not an Estimate.
    horizon : int, default 1
        Years the effect lasts.
    profile : 1-D array_like, optional
        Share of the effect present in each year (length ``horizon``), e.g.
        ``[1, 0.8, 0.6]`` for a fading effect. Default: all ones.
    rate, timing
        Discounting, as in :func:`present_value`.
    conf_level : float, default 0.95
        Level of the NPV and BCR intervals.
    seed : int or Generator, optional
        Only used to simulate effect draws when ``cost`` is given as draws and
        the effect has none.

    Returns
    -------
    BenefitCost

    Examples
    --------
    >>> import numpy as np
    >>> from impacteval import Estimate
    >>> from impacteval.economics import benefit_cost
    >>> e = Estimate(estimate=-1500.0, std_error=500.0, conf_low=-2500.0, conf_high=-500.0,
    ...              n_treated=30, design="did", estimand="ATT", outcome="welfare")
    >>> bc = benefit_cost(e, value_per_unit=12, outcome_direction="lower_is_better",
    ...                   cost=1_000_000, horizon=3, rate=0.035)
    >>> round(bc.npv)
    512884
    >>> round(bc.p_pays_back, 3)
    0.845
    """
    func = "benefit_cost"
    v, notes = _direction(value_per_unit, outcome_direction, func=func)
    notes += _effect_notes(effect, func=func)
    r = _rate(rate, func=func)
    _check_timing(timing, func=func)
    level = _conf_level(conf_level, func=func)
    if isinstance(horizon, (bool, np.bool_)) or not isinstance(horizon, (int, np.integer)) or (
        horizon < 1
    ):
        raise bad_whole("horizon", horizon, 1)
    if profile is None:
        prof = np.ones(int(horizon))
    else:
        prof = _array(profile, "profile", func=func, max_ndim=1).reshape(-1)
        if prof.size != horizon:
            raise ArgumentError(Note("err_econ_profile", n=int(prof.size), horizon=int(horizon)))
    if n_participants is None:
        if not isinstance(effect, Estimate):
            raise ArgumentError(Note("err_econ_needs_n"))
        n = effect.n_treated
    else:
        n = n_participants
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 1:
        raise bad_whole("n_participants", n, 1)
    n = int(n)

    dist = _effect_distribution(effect, func=func)
    notes += list(dist.notes)
    ca = _array(cost, "cost", func=func, max_ndim=1)
    if np.any(ca <= 0):
        raise ArgumentError(Note("err_econ_cost_positive", bad=int(np.sum(ca <= 0)),
                                 n=int(ca.size)))
    # present value of one unit of effect for the whole group
    a = v * n * float(present_value(prof, rate=r, timing=timing))
    alpha = 1 - level
    qs = np.array([alpha / 2, 1 - alpha / 2])
    center = dist.center
    source = dist.source

    if ca.ndim == 1 and ca.size > 1:
        if dist.draws is not None and dist.draws.size != ca.size:
            raise ArgumentError(Note("err_econ_cost_draws", n=int(ca.size),
                                     m=int(dist.draws.size)))
        if dist.draws is None:
            eff = dist.sample(ca.size, seed)
            notes.append(Note("econ_simulated", n=ca.size, source=dist.source, seed=seed))
            source = Note("src_simulated", source=dist.source)
        else:
            eff = dist.draws
        costs = ca
        pv_cost = float(np.mean(costs))
    else:
        eff = dist.draws
        costs = float(ca.reshape(-1)[0])
        pv_cost = costs

    pv_b = a * center
    npv = pv_b - pv_cost
    bcr = pv_b / pv_cost
    if eff is not None:
        npv_d = a * eff - costs
        bcr_d = a * eff / costs
        npv_lo, npv_hi = (float(x) for x in np.quantile(npv_d, qs))
        bcr_lo, bcr_hi = (float(x) for x in np.quantile(bcr_d, qs))
        p = float(np.mean(npv_d > 0))
    else:
        # NPV and BCR are linear in the effect: exact quantiles of a t/normal
        npv_d = None
        eq = dist.quantile(qs)
        ends = np.sort(a * eq)
        npv_lo, npv_hi = float(ends[0] - costs), float(ends[1] - costs)
        bcr_lo, bcr_hi = float(ends[0] / costs), float(ends[1] / costs)
        threshold = costs / a
        p = dist.prob_above(threshold) if a > 0 else dist.prob_below(threshold)
    if dist.draws is not None and isinstance(effect, Estimate):
        shift = float(np.mean(dist.draws)) - center
        if dist.scale > 0 and abs(shift) > 0.25 * dist.scale:
            notes.append(Note("econ_draws_shift", k=abs(shift) / dist.scale))
    return BenefitCost(
        npv=float(npv),
        npv_low=npv_lo,
        npv_high=npv_hi,
        bcr=float(bcr),
        bcr_low=bcr_lo,
        bcr_high=bcr_hi,
        pv_benefits=float(pv_b),
        pv_cost=pv_cost,
        p_pays_back=p,
        conf_level=level,
        rate=r,
        horizon=int(horizon),
        value_per_unit=v,
        outcome_direction=outcome_direction,
        n_participants=n,
        source=source,
        npv_draws=npv_d,
        notes=tuple(notes),
    )


def probability_pays_back(effect: Estimate | ArrayLike | BenefitCost, **kwargs: Any) -> float:
    """P(NPV > 0): the probability that the project pays back.

    Parameters
    ----------
    effect : Estimate, 1-D array_like or BenefitCost
        As for :func:`benefit_cost` (the effect's real bootstrap draws are
        used when the Estimate has them). A :class:`BenefitCost` gives its
        own ``p_pays_back``.
    **kwargs
        The keywords of :func:`benefit_cost`: at least ``cost`` and ``outcome_direction``
        (or ``value_per_unit``); also ``horizon``, ``rate``, .... Without them a clear
        :class:`~impacteval.errors.ArgumentError` says what to pass.

    Returns
    -------
    float

    Examples
    --------
    >>> import numpy as np
    >>> from impacteval import Estimate
    >>> from impacteval.economics import probability_pays_back
    >>> draws = np.random.default_rng(1).normal(100.0, 50.0, 20_000)
    >>> e = Estimate(estimate=100.0, std_error=50.0, conf_low=2.0, conf_high=198.0,
    ...              n_treated=1, design="randomized", estimand="ATE", outcome="y", draws=draws)
    >>> round(probability_pays_back(e, outcome_direction="higher_is_better", cost=50.0,
    ...                             rate=0.0), 2)
    0.84
    """
    if isinstance(effect, BenefitCost):
        if kwargs:
            raise ArgumentError(Note("err_econ_pays_back_kw"))
        return effect.p_pays_back
    _require(kwargs, func="probability_pays_back")
    return benefit_cost(effect, **kwargs).p_pays_back


_CE_LABELS = {
    "en": {"title": "Cost-effectiveness of {what}", "the_effect": "the effect",
           "cost": "Cost per participant:", "effect": "Effect per participant:",
           "per_krona": "Effect per krona:", "per_msek": "Effect per 1 MSEK:",
           "per_unit": "Kronor per unit of effect:", "p_pos": "P(effect > 0):",
           "source": "Uncertainty from:"},
    "sv": {"title": "Kostnadseffektivitet för {what}", "the_effect": "effekten",
           "cost": "Kostnad per deltagare:", "effect": "Effekt per deltagare:",
           "per_krona": "Effekt per krona:", "per_msek": "Effekt per 1 mnkr:",
           "per_unit": "Kronor per enhet effekt:", "p_pos": "P(effekt > 0):",
           "source": "Osäkerheten från:"},
}
_BC_LABELS = {
    "en": {"title": "Benefit–cost over {h} year(s) at {r} % discount rate",
           "pv_b": "PV of benefits:", "pv_c": "PV of cost:", "npv": "Net present value:",
           "bcr": "Benefit–cost ratio:", "p": "P(pays back, NPV > 0):",
           "source": "Uncertainty from:"},
    "sv": {"title": "Nytta–kostnad över {h} år med {r} % diskonteringsränta",
           "pv_b": "Nuvärde av nyttan:", "pv_c": "Nuvärde av kostnaden:",
           "npv": "Nettonuvärde:", "bcr": "Nytta–kostnadskvot:",
           "p": "P(betalar sig, NNV > 0):", "source": "Osäkerheten från:"},
}
