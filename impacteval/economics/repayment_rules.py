"""Repayment (*återföring*) of a social-investment grant: unconditional (a loan),
conditional on measured savings, and capped within a window (a deductible), and who
carries the downside — the fund or the unit that received the grant.

Written by hand: the rules are the funds' own, not a library's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from .._protocol import check_lang
from ..errors import ArgumentError, bad_whole
from ..notes import Note, note_text
from ..results import to_jsonable
from ._common import (
    EconomicsResult,
    _array,
    _localise,
    _money,
    _notes_lines,
    _positive,
    _readonly,
)


# --------------------------------------------------------------- repayment
class RepaymentRule:
    """Base class of the repayment (*återföring*) rules.

    A rule turns savings into a repayment for each draw; :func:`repayment`
    summarises who carries the downside.
    """

    __slots__ = ()

    #: whether the rule needs yearly savings (draws × years)
    needs_years: bool = False

    def repay(self, total: np.ndarray, yearly: np.ndarray | None, grant: float) -> np.ndarray:
        """Repayment per draw from total savings (and yearly savings, when needed)."""
        raise NotImplementedError

    def describe(self, lang: str = "en") -> str:
        """One line for a board member, in ``lang``."""
        raise NotImplementedError




@dataclass(frozen=True, slots=True)
class Unconditional(RepaymentRule):
    """A loan: the whole grant is repaid whatever the project saves."""

    needs_years = False

    def repay(self, total: np.ndarray, yearly: np.ndarray | None, grant: float) -> np.ndarray:
        return np.full(total.shape, grant)

    def describe(self, lang: str = "en") -> str:
        return note_text("rule_unconditional", lang)


@dataclass(frozen=True, slots=True)
class Conditional(RepaymentRule):
    """The measured savings are repaid, up to the grant (nothing if there are none)."""

    needs_years = False

    def repay(self, total: np.ndarray, yearly: np.ndarray | None, grant: float) -> np.ndarray:
        return np.clip(total, 0.0, grant)

    def describe(self, lang: str = "en") -> str:
        return note_text("rule_conditional", lang)


@dataclass(frozen=True, slots=True)
class Capped(RepaymentRule):
    """A deductible: ``share`` of the savings arising in the first ``window``
    years is repaid, capped at the grant.

    Parameters
    ----------
    window : int, default 5
        Years (counted from the first column of yearly savings) whose savings
        count towards repayment.
    share : float, default 1.0
        Share of those savings repaid, in (0, 1].
    """

    window: int = 5
    share: float = 1.0
    needs_years = True

    def __post_init__(self) -> None:
        w = self.window
        if isinstance(w, (bool, np.bool_)) or not isinstance(w, (int, np.integer)) or w < 1:
            raise bad_whole("window", w, 1)
        s = self.share
        if isinstance(s, (bool, np.bool_)) or not isinstance(s, (int, float, np.number)) or not (
            0 < float(s) <= 1
        ):
            raise ArgumentError(Note("err_econ_share", value=repr(s)))

    def repay(self, total: np.ndarray, yearly: np.ndarray | None, grant: float) -> np.ndarray:
        if yearly is None:
            raise ArgumentError(Note("err_econ_capped_yearly"))
        in_window = yearly[:, : self.window].sum(axis=1)
        return np.clip(self.share * in_window, 0.0, grant)

    def describe(self, lang: str = "en") -> str:
        share = (note_text("share_all", lang) if self.share == 1
                 else note_text("share_pct", lang, None, pct=100 * self.share))
        return note_text("rule_capped", lang, None, share=share, window=self.window)


@dataclass(frozen=True, slots=True, kw_only=True)
class RepaymentResult(EconomicsResult):
    """Who carries the downside under a repayment rule.

    Attributes
    ----------
    expected_savings : float
        Mean total savings over the draws (all years given).
    expected_repayment : float
        Mean repayment to the fund.
    p_full_repayment : float
        Share of draws in which the whole grant is repaid.
    expected_loss_fund : float
        Mean of ``grant − repayment``: what the fund expects not to get back.
    expected_loss_unit : float
        Mean of ``max(repayment − savings, 0)``: what the unit expects to pay
        back beyond what the project saved it.
    expected_net_unit : float
        Mean of ``savings − repayment``: the unit's expected net gain.
    repayments : ndarray
        Repayment per draw (read-only).
    """

    rule: RepaymentRule
    grant: float
    n_draws: int
    n_years: int | None
    expected_savings: float
    expected_repayment: float
    p_full_repayment: float
    expected_loss_fund: float
    expected_loss_unit: float
    expected_net_unit: float
    repayments: np.ndarray = field(repr=False, compare=False)
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "repayments", _readonly(self.repayments))
        object.__setattr__(self, "notes", tuple(self.notes))

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        """JSON-ready dictionary (the per-draw repayments are summarised, not listed)."""
        out = {f: getattr(self, f) for f in self.__dataclass_fields__ if f != "repayments"}
        out["rule"] = self.rule.describe()
        out["rule_name"] = type(self.rule).__name__
        return to_jsonable(out)

    def tidy(self) -> pd.DataFrame:
        """One row with the rule's name and the expected values."""
        d = self.to_dict()
        cols = ["rule_name", "grant", "expected_savings", "expected_repayment",
                "p_full_repayment", "expected_loss_fund", "expected_loss_unit",
                "expected_net_unit"]
        row = {c: d[c] for c in cols}
        row["rule_name"] = repr(self.rule)
        return pd.DataFrame([row]).rename(columns={"rule_name": "rule"})

    def summary(self, lang: str = "en") -> str:
        """A short plain-text table, in English or Swedish."""
        L = _RR_LABELS[check_lang(lang)]
        lines = [
            self.rule.describe(lang),
            "=" * 72,
            f"{L['grant']:<30}{_money(self.grant)}",
            f"{L['savings']:<30}{_money(self.expected_savings)}",
            f"{L['repayment']:<30}{_money(self.expected_repayment)}",
            f"{L['p_full']:<30}{self.p_full_repayment:.3f}",
            f"{L['loss_fund']:<30}{_money(self.expected_loss_fund)}",
            f"{L['loss_unit']:<30}{_money(self.expected_loss_unit)}",
            f"{L['net_unit']:<30}{_money(self.expected_net_unit)}",
            f"{L['draws']}: {self.n_draws}"
            + (f", {L['years']}: {self.n_years}" if self.n_years else ""),
        ]
        return _localise("\n".join(lines + _notes_lines(self.notes, lang)), lang)

    def __str__(self) -> str:
        return self.summary()


def _savings(savings: Any, rule: RepaymentRule, *, func: str) -> tuple[np.ndarray, np.ndarray | None]:
    a = _array(savings, "savings", func=func)
    if a.ndim == 2:
        if a.shape[0] == 0 or a.shape[1] == 0:  # pragma: no cover - _array rejects size 0
            raise ArgumentError(Note("err_econ_savings_empty"))
        return a.sum(axis=1), a
    if rule.needs_years:
        raise ArgumentError(Note("err_econ_savings_2d", rule=type(rule).__name__,
                                 shape=str(a.shape), column_form="savings[:, None]"))
    return a.reshape(-1), None


def repayment(savings: ArrayLike, grant: float, rule: RepaymentRule) -> RepaymentResult:
    """Repayment of a grant under a rule, and who carries the downside.

    Parameters
    ----------
    savings : float, 1-D or 2-D array_like
        The unit's own savings from the project, in kronor: one value, one
        total per draw (1-D), or yearly savings per draw (2-D, draws × years;
        totals are row sums). :class:`Capped` needs the yearly form. Draws can
        come from a bootstrap, or describe scenarios with equal probability.
    grant : float
        The grant (positive kronor).
    rule : Unconditional, Conditional or Capped

    Returns
    -------
    RepaymentResult
        ``expected_repayment``, ``p_full_repayment``, ``expected_loss_fund``
        (mean of grant − repayment) and ``expected_loss_unit`` (mean of
        max(repayment − savings, 0)), plus the per-draw repayments.

    Examples
    --------
    A unit gives up 4 MSEK for a project with a 50 % chance of saving 16 MSEK:

    >>> from impacteval.economics import repayment, Unconditional, Conditional
    >>> s = [0.0, 16e6]
    >>> r = repayment(s, 4e6, Unconditional())
    >>> r.expected_repayment, r.expected_loss_unit, r.expected_loss_fund
    (4000000.0, 2000000.0, 0.0)
    >>> r = repayment(s, 4e6, Conditional())
    >>> r.expected_repayment, r.expected_loss_unit, r.expected_loss_fund
    (2000000.0, 0.0, 2000000.0)
    """
    func = "repayment"
    if not isinstance(rule, RepaymentRule):
        raise ArgumentError(Note("err_econ_rule", value=repr(rule)))
    g = _positive(grant, "grant", func=func)
    total, yearly = _savings(savings, rule, func=func)
    rep = np.asarray(rule.repay(total, yearly, g), dtype=float)
    notes = []
    if yearly is not None and isinstance(rule, Capped) and yearly.shape[1] < rule.window:
        notes.append(Note("repay_short", years=yearly.shape[1], window=rule.window))
    if np.any(total < 0):
        notes.append(Note("repay_negative", n=int(np.sum(total < 0)), total=total.size))
    full = rep >= g * (1 - 1e-12)
    return RepaymentResult(
        rule=rule,
        grant=g,
        n_draws=int(total.size),
        n_years=None if yearly is None else int(yearly.shape[1]),
        expected_savings=float(np.mean(total)),
        expected_repayment=float(np.mean(rep)),
        p_full_repayment=float(np.mean(full)),
        expected_loss_fund=float(np.mean(g - rep)),
        expected_loss_unit=float(np.mean(np.maximum(rep - total, 0.0))),
        expected_net_unit=float(np.mean(total - rep)),
        repayments=rep,
        notes=tuple(notes),
    )


def compare_repayment(
    savings: ArrayLike, grant: float, rules: Sequence[RepaymentRule] | None = None
) -> pd.DataFrame:
    """:func:`repayment` under several rules, one row per rule.

    Parameters
    ----------
    savings, grant
        As for :func:`repayment`.
    rules : sequence of RepaymentRule, optional
        Default: ``Unconditional()``, ``Conditional()`` and ``Capped()`` (the
        last only when yearly savings are given).

    Returns
    -------
    DataFrame
        Columns ``rule, grant, expected_savings, expected_repayment,
        p_full_repayment, expected_loss_fund, expected_loss_unit,
        expected_net_unit``.

    Examples
    --------
    >>> from impacteval.economics import compare_repayment
    >>> compare_repayment([0.0, 16e6], 4e6)["expected_loss_fund"].tolist()
    [0.0, 2000000.0]
    """
    if rules is None:
        ndim = np.ndim(savings) if not isinstance(savings, (str, bytes)) else 0
        rules = [Unconditional(), Conditional()] + ([Capped()] if ndim == 2 else [])
    return pd.concat([repayment(savings, grant, r).tidy() for r in rules], ignore_index=True)


_RR_LABELS = {
    "en": {"grant": "Grant:", "savings": "Expected savings:",
           "repayment": "Expected repayment:", "p_full": "P(grant repaid in full):",
           "loss_fund": "Expected loss, fund:", "loss_unit": "Expected loss, unit:",
           "net_unit": "Expected net gain, unit:", "draws": "Draws", "years": "years"},
    "sv": {"grant": "Bidrag:", "savings": "Förväntade besparingar:",
           "repayment": "Förväntad återbetalning:", "p_full": "P(bidraget återbetalas helt):",
           "loss_fund": "Förväntad förlust, fonden:", "loss_unit": "Förväntad förlust, enheten:",
           "net_unit": "Förväntad nettovinst, enheten:", "draws": "Dragningar", "years": "år"},
}
