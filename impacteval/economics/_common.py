"""Shared helpers of :mod:`impacteval.economics`: number formatting, argument validation,
the effect's sampling distribution, and the result protocol every economics result follows.

Written by hand: formatting kronor the Swedish way and reading an ``Estimate`` as a
distribution (its bootstrap draws, or ``estimate + std_error · T``) are not in any library.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..errors import ArgumentError
from ..notes import Note, render_note
from ..results import Estimate, to_jsonable

TIMINGS = ("end", "start")


class EconomicsResult:
    """The result protocol shared by every economics result (as by ``Estimate``).

    ``summary()`` (plain text, numbered notes at the end), ``tidy()`` (a one-row DataFrame of
    the scalar fields, unless a class gives a table of its own), ``to_dict()`` (JSON-ready;
    per-draw arrays are summarised, never listed) and ``_repr_html_()`` for notebooks.
    Results are frozen dataclasses; their arrays are read-only.
    """

    __slots__ = ()

    #: fields holding per-draw arrays: left out of to_dict() and tidy()
    _array_fields: tuple[str, ...] = ()

    def summary(self, lang: str = "en") -> str:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        """JSON-ready dictionary (infinite bounds become None; draws are not listed; an
        economics result holds no unit ids, so ``include_ids`` changes nothing)."""
        fields = self.__dataclass_fields__  # type: ignore[attr-defined]
        return to_jsonable({f: getattr(self, f) for f in fields if f not in self._array_fields})

    def tidy(self) -> pd.DataFrame:
        """One row with every scalar field (the notes joined by a space)."""
        row = {}
        for k, v in self.to_dict().items():
            if isinstance(v, (list, tuple)):
                if k == "notes":
                    row[k] = " ".join(map(str, v))
                continue
            if isinstance(v, dict):
                continue
            row[k] = v
        return pd.DataFrame([row])

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.summary())}</pre>"

    def __str__(self) -> str:
        return self.summary()

# ---------------------------------------------------------------- formatting
def _money(x: float, unit: str = "kr") -> str:
    """Kronor with spaces as thousands separators (Swedish style)."""
    if x is None or not math.isfinite(x):
        if x is None or math.isnan(x):
            return "undefined"
        return "+inf" if x > 0 else "-inf"
    s = f"{x:,.0f}".replace(",", " ") if abs(x) >= 100 else f"{x:.4g}"
    return f"{s} {unit}".rstrip()


def _num(x: float, digits: int = 4) -> str:
    if x is None:
        return "–"
    if not math.isfinite(x):
        return "undefined" if math.isnan(x) else ("+inf" if x > 0 else "-inf")
    if 1e3 <= abs(x) < 1e12:
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:.{digits}g}"


def _pct(level: float) -> str:
    return f"{100 * level:g} %"


def _localise(text: str, lang: str) -> str:
    """Swedish numbers: decimal comma, "odefinierat" for an undefined value."""
    if lang != "sv":
        return text
    import re

    text = re.sub(r"(?<=\d)\.(?=\d)", ",", text)
    return text.replace("undefined", "odefinierat")


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.setflags(write=False)
    return a


# ---------------------------------------------------------------- validation
def _real(x: Any, name: str, *, func: str) -> float:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise ArgumentError(Note("err_econ_number", name=name, func=func, value=repr(x),
                                 type=type(x).__name__))
    v = float(x)
    if not math.isfinite(v):
        raise ArgumentError(Note("err_econ_finite", name=name, func=func, value=repr(v)))
    return v


def _positive(x: Any, name: str, *, func: str, allow_zero: bool = False) -> float:
    v = _real(x, name, func=func)
    if v < 0 or (v == 0 and not allow_zero):
        raise ArgumentError(Note("err_econ_nonneg" if allow_zero else "err_econ_positive",
                                 name=name, func=func, value=float(v)))
    return v


def _rate(rate: Any, *, func: str) -> float:
    r = _real(rate, "rate", func=func)
    if r <= -1:
        raise ArgumentError(Note("err_econ_rate", func=func, value=float(r)))
    return r


def _conf_level(level: Any, *, func: str) -> float:
    v = _real(level, "conf_level", func=func)
    if not 0 < v < 1:
        raise ArgumentError(Note("err_econ_conf_level", func=func, value=float(v)))
    return v


def _array(x: Any, name: str, *, func: str, max_ndim: int = 2) -> np.ndarray:
    """A finite float array with at least one value and at most ``max_ndim`` axes."""
    if isinstance(x, (str, bytes)) or x is None or isinstance(x, Mapping):
        raise ArgumentError(Note("err_econ_numbers", name=name, func=func,
                                 type=type(x).__name__))
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ArgumentError(Note("err_econ_not_numeric", name=name, func=func,
                                 detail=str(exc))) from None
    if a.ndim > max_ndim:
        raise ArgumentError(Note("err_econ_ndim", name=name, func=func, ndim=a.ndim,
                                 max=max_ndim, shape=str(a.shape)))
    if a.size == 0:
        raise ArgumentError(Note("err_econ_empty", name=name, func=func, shape=str(a.shape)))
    bad = int(np.count_nonzero(~np.isfinite(a)))
    if bad:
        raise ArgumentError(Note("err_econ_missing", name=name, func=func, bad=bad,
                                 n=int(a.size)))
    return a


def _check_timing(timing: Any, *, func: str) -> str:
    if timing not in TIMINGS:
        raise ArgumentError(Note("err_econ_timing", func=func, value=repr(timing)))
    return timing


def _discount_factors(n_years: int, rate: float, timing: str) -> np.ndarray:
    t = np.arange(1, n_years + 1) if timing == "end" else np.arange(n_years)
    return (1.0 + rate) ** (-t.astype(float))




def _notes_lines(notes: tuple[str, ...], lang: str = "en") -> list[str]:
    """The numbered "Notes:" block that ends every summary()."""
    if not notes:
        return []
    head = "Notes:" if lang == "en" else "Anmärkningar:"
    return [head] + [f"  [{i}] {render_note(n, lang, None)}" for i, n in enumerate(notes, 1)]


# ------------------------------------------------------- effect distribution
@dataclass(frozen=True, slots=True)
class _EffectDistribution:
    """The sampling distribution of an effect: bootstrap draws or loc + scale·T(df)."""

    center: float
    draws: np.ndarray | None
    scale: float
    df: float | None
    source: str
    notes: tuple[str, ...] = ()

    def quantile(self, q: np.ndarray | float) -> np.ndarray:
        q = np.asarray(q, dtype=float)
        if self.draws is not None:
            return np.quantile(self.draws, q)
        if self.scale == 0:
            return np.full(q.shape, self.center)
        dist = stats.t(self.df) if self.df is not None else stats.norm()
        return self.center + self.scale * dist.ppf(q)

    def prob_above(self, x: float) -> float:
        """P(effect > x)."""
        if self.draws is not None:
            return float(np.mean(self.draws > x))
        if self.scale == 0:
            return float(self.center > x)
        dist = stats.t(self.df) if self.df is not None else stats.norm()
        return float(dist.sf((x - self.center) / self.scale))

    def prob_below(self, x: float) -> float:
        """P(effect < x)."""
        if self.draws is not None:
            return float(np.mean(self.draws < x))
        if self.scale == 0:
            return float(self.center < x)
        dist = stats.t(self.df) if self.df is not None else stats.norm()
        return float(dist.cdf((x - self.center) / self.scale))

    def sample(self, n: int, seed: int | np.random.Generator | None) -> np.ndarray:
        rng = np.random.default_rng(seed)
        if self.scale == 0:
            return np.full(n, self.center)
        z = rng.standard_t(self.df, n) if self.df is not None else rng.standard_normal(n)
        return self.center + self.scale * z


def _draws_are_null(est: Estimate) -> bool:
    inf = est.inference
    return inf.get("method") == "permutation" or inf.get("draws_kind") == "permutation"


def _effect_distribution(effect: Any, *, func: str) -> _EffectDistribution:
    """Read an Estimate (or plain draws / a number) as a distribution of the effect."""
    if isinstance(effect, Estimate):
        center = effect.estimate
        if not math.isfinite(center):
            raise ArgumentError(Note("err_econ_no_center", func=func, value=str(center)))
        notes: list[str] = []
        if effect.draws is not None and _draws_are_null(effect):
            notes.append(Note("econ_permutation_draws"))
        elif effect.draws is not None:
            d = np.asarray(effect.draws, dtype=float)
            if d.ndim != 1 or d.size < 2:
                raise ArgumentError(Note("err_econ_draws_shape", func=func, shape=str(d.shape)))
            bad = int(np.count_nonzero(~np.isfinite(d)))
            if bad:
                raise ArgumentError(Note("err_econ_draws_missing", func=func, bad=bad,
                                         n=int(d.size)))
            return _EffectDistribution(
                center=center, draws=d, scale=float(np.std(d, ddof=1)), df=None,
                source=Note("src_bootstrap", n=d.size), notes=tuple(notes),
            )
        se = effect.std_error
        if not math.isfinite(se) or se < 0:
            raise ArgumentError(Note("err_econ_no_uncertainty", func=func, se=str(se)))
        df = effect.df
        if df is not None and not (math.isfinite(df) and df > 0):
            df = None
        source = Note("src_t", df=df) if df is not None else Note("src_normal")
        return _EffectDistribution(
            center=center, draws=None, scale=se, df=df, source=source, notes=tuple(notes)
        )
    a = _array(effect, "effect", func=func, max_ndim=1)
    if a.ndim == 0 or a.size == 1:
        v = float(a.reshape(-1)[0])
        return _EffectDistribution(
            center=v, draws=None, scale=0.0, df=None, source=Note("src_single"),
            notes=(Note("econ_single_value"),),
        )
    return _EffectDistribution(
        center=float(np.mean(a)), draws=a, scale=float(np.std(a, ddof=1)), df=None,
        source=Note("src_effect_draws", n=a.size),
    )


def _interval(dist: _EffectDistribution, conf_level: float) -> tuple[float, float]:
    alpha = 1 - conf_level
    lo, hi = dist.quantile(np.array([alpha / 2, 1 - alpha / 2]))
    return float(lo), float(hi)


