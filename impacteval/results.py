"""The common result types: :class:`Estimate` and :class:`EstimateCollection`.

Every estimator returns an immutable :class:`Estimate` with the stable names of
the estimatr/broom vocabulary (``estimate``, ``std_error``, ``conf_low``,
``conf_high``, ``conf_level``, ``p_value``, ...). When several comparison
groups are given, estimators return an :class:`EstimateCollection` that prints
as one table and whose ``tidy()`` has a ``comparison`` column.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from ._protocol import check_lang

__all__ = ["EffectSize", "Estimate", "EstimateCollection", "ReadOnlyTables", "deep_freeze",
           "to_jsonable"]

TIDY_COLUMNS = [
    "design",
    "estimand",
    "outcome",
    "comparison",
    "scale",
    "estimate",
    "std_error",
    "statistic",
    "df",
    "p_value",
    "conf_low",
    "conf_high",
    "conf_level",
    "n_treated",
    "n_control",
    "effect_size",
    "effect_size_name",
    "effect_size_low",
    "effect_size_high",
    "inference_method",
]


def to_jsonable(obj: Any) -> Any:
    """Convert numpy/pandas objects (recursively) into JSON-serialisable ones.

    Non-finite floats become ``None`` (JSON has no NaN).
    """
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, pd.DataFrame):
        return [to_jsonable(r) for r in obj.to_dict(orient="records")]
    if isinstance(obj, pd.Series):
        return to_jsonable(obj.to_dict())
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
    if obj is None or isinstance(obj, str):
        return obj
    if hasattr(obj, "to_dict"):
        return to_jsonable(obj.to_dict())
    return str(obj)


def deep_freeze(obj: Any) -> Any:
    """A read-only copy all the way down: mappings become read-only mappings, lists
    become tuples, arrays read-only copies, tables :class:`ReadOnlyTables`."""
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return obj.copy()
    if isinstance(obj, Mapping):
        return MappingProxyType({k: deep_freeze(v) for k, v in obj.items()})
    if isinstance(obj, (list, tuple)):
        return tuple(deep_freeze(v) for v in obj)
    if isinstance(obj, np.ndarray):
        a = obj.copy()
        a.setflags(write=False)
        return a
    return obj


def _freeze(mapping: Mapping | None) -> Mapping:
    return deep_freeze(dict(mapping or {}))


class ReadOnlyTables(Mapping):
    """Labelled tables of a result: each access returns a copy, so a change to it never
    reaches the result (``est.tables["balance"]["smd_after"] = 0`` does not stick)."""

    __slots__ = ("_tables",)

    def __init__(self, tables: Mapping[str, Any] | None = None):
        self._tables = {str(k): (v.copy() if isinstance(v, (pd.DataFrame, pd.Series))
                                 else deep_freeze(v)) for k, v in (tables or {}).items()}

    def __getitem__(self, key: str) -> Any:
        v = self._tables[key]
        return v.copy() if isinstance(v, (pd.DataFrame, pd.Series)) else v

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def __repr__(self) -> str:
        return f"ReadOnlyTables({list(self._tables)})"


def _is_id_key(key: str) -> bool:
    """Diagnostics that list unit ids (e.g. matching's ``unmatched_ids``)."""
    return key.endswith("_ids") or key.endswith("_id")


@dataclass(frozen=True, slots=True, kw_only=True)
class EffectSize:
    """A standardised effect size with its interval.

    ``name`` is ``"hedges_g"`` (continuous outcomes), ``"cox_index"`` (binary
    outcomes, ln(OR)/1.65 as in the WWC handbook) or ``"standardized_change"``
    (before–after: mean change over the pre-period SD, Hedges-corrected).
    """

    name: str
    value: float
    conf_low: float
    conf_high: float
    conf_level: float = 0.95

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(
            {
                "name": self.name,
                "value": self.value,
                "conf_low": self.conf_low,
                "conf_high": self.conf_high,
                "conf_level": self.conf_level,
            }
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    """The result of one estimator on one outcome and one comparison.

    Attributes
    ----------
    estimate : float
        Point estimate in the outcome's units (``scale="absolute"``) or in
        percent / percentage points (``scale="relative"``).
    std_error, conf_low, conf_high, conf_level, p_value : float
        Uncertainty. ``conf_low``/``conf_high`` come from the method recorded
        in ``inference["method"]``.
    statistic, df : float or None
        Test statistic and its degrees of freedom when a t/z test was used.
    n_treated, n_control : int
        Numbers of *units* (not rows) used.
    design : str
        Name of the design on the evaluation ladder (``"did"``, ...).
    estimand : str
        What is estimated, e.g. ``"ATT"``, ``"mean change"``.
    outcome, comparison, scale : str
        Outcome column, the comparison group's label, and the scale.
    inference : Mapping
        How the interval was made: method, resamples, seed, scheme.
    diagnostics : Mapping
        Design diagnostics and counts (e.g. ``dropped``).
    notes : tuple of str
        Assumptions and warnings raised while estimating.
    effect_size : EffectSize or None
        Hedges' g or the Cox index with its interval.
    draws : ndarray or None
        Bootstrap or permutation draws of the estimate (read-only), kept so
        that later steps (economics, plots) can carry the uncertainty on.
    tables : Mapping of str to DataFrame
        Extra labelled tables (event-time coefficients, balance tables...).
    """

    estimate: float
    std_error: float
    conf_low: float
    conf_high: float
    conf_level: float = 0.95
    p_value: float = float("nan")
    statistic: float | None = None
    df: float | None = None
    n_treated: int
    n_control: int = 0
    design: str
    estimand: str
    outcome: str
    comparison: str | None = None
    scale: str = "absolute"
    inference: Mapping[str, Any] = field(default_factory=dict)
    diagnostics: Mapping[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    effect_size: EffectSize | None = None
    draws: np.ndarray | None = field(default=None, repr=False, compare=False)
    tables: Mapping[str, pd.DataFrame] = field(default_factory=dict, repr=False, compare=False)
    # read-only arrays for impacteval.sensitivity (event-time vcov, matched pair differences);
    # never serialised, printed or compared
    _sensitivity: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "inference", _freeze(self.inference))
        object.__setattr__(self, "diagnostics", _freeze(self.diagnostics))
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "tables", ReadOnlyTables(self.tables))
        for name in ("estimate", "std_error", "conf_low", "conf_high", "conf_level", "p_value"):
            object.__setattr__(self, name, float(getattr(self, name)))
        if self.draws is not None:
            d = np.array(self.draws, dtype=float, copy=True)
            d.setflags(write=False)
            object.__setattr__(self, "draws", d)

    # ------------------------------------------------------------------ api
    def conf_int(self) -> tuple[float, float]:
        """The confidence interval as a ``(low, high)`` tuple."""
        return (self.conf_low, self.conf_high)

    def tidy(self) -> pd.DataFrame:
        """One-row DataFrame with stable snake_case columns (estimatr style)."""
        es = self.effect_size
        row = {
            "design": self.design,
            "estimand": self.estimand,
            "outcome": self.outcome,
            "comparison": self.comparison,
            "scale": self.scale,
            "estimate": self.estimate,
            "std_error": self.std_error,
            "statistic": self.statistic,
            "df": self.df,
            "p_value": self.p_value,
            "conf_low": self.conf_low,
            "conf_high": self.conf_high,
            "conf_level": self.conf_level,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
            "effect_size": es.value if es else float("nan"),
            "effect_size_name": es.name if es else None,
            "effect_size_low": es.conf_low if es else float("nan"),
            "effect_size_high": es.conf_high if es else float("nan"),
            "inference_method": self.inference.get("method"),
        }
        return pd.DataFrame([row], columns=TIDY_COLUMNS)

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        """JSON-ready dictionary (no row data; draws summarised, not listed).

        Unit ids (diagnostics such as ``unmatched_ids``) are left out unless
        ``include_ids=True``: they describe single people.
        """
        diagnostics = {k: v for k, v in self.diagnostics.items()
                       if include_ids or not _is_id_key(str(k))}
        out = {
            "design": self.design,
            "estimand": self.estimand,
            "outcome": self.outcome,
            "comparison": self.comparison,
            "scale": self.scale,
            "estimate": self.estimate,
            "std_error": self.std_error,
            "statistic": self.statistic,
            "df": self.df,
            "p_value": self.p_value,
            "conf_low": self.conf_low,
            "conf_high": self.conf_high,
            "conf_level": self.conf_level,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
            "inference": dict(self.inference),
            "diagnostics": diagnostics,
            "notes": list(self.notes),
            "effect_size": self.effect_size.to_dict() if self.effect_size else None,
            "n_draws": None if self.draws is None else int(self.draws.size),
            "tables": {k: v for k, v in self.tables.items()},
        }
        return to_jsonable(out)

    def to_json(self, **kwargs: Any) -> str:
        """The :meth:`to_dict` result as a JSON string."""
        return json.dumps(self.to_dict(), **kwargs)

    def summary(self, lang: str = "en") -> str:
        """A statsmodels-like text table of the estimate, its interval and notes.

        Parameters
        ----------
        lang : {"en", "sv"}
            The language of the labels and notes; numbers in Swedish use a decimal comma.
        """
        return _summary_text(self, check_lang(lang))

    def plot(self, ax=None):
        """Plot the estimate with its interval (and the bootstrap draws when kept).

        Returns the matplotlib Figure.
        """
        from . import _plotting

        return _plotting.plot_estimate(self, ax=ax)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return (
            f"Estimate(design={self.design!r}, outcome={self.outcome!r}, "
            f"estimate={self.estimate:.4g}, conf_int=({self.conf_low:.4g}, {self.conf_high:.4g}), "
            f"n_treated={self.n_treated}, n_control={self.n_control})"
        )

    def _repr_html_(self) -> str:
        return "<pre>" + _html_escape(self.summary()) + "</pre>"


def _html_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fmt(x: Any, digits: int = 4) -> str:
    if x is None:
        return ""
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(f):
        return "nan" if math.isnan(f) else ("inf" if f > 0 else "-inf")
    if f != 0 and (abs(f) >= 1e7 or abs(f) < 1e-3):
        return f"{f:.{digits}g}"
    if abs(f) >= 100:
        return f"{f:.{max(digits - 2, 1)}f}"
    return f"{f:.{digits}f}"


def _short_method(m: str) -> str:
    return m if len(m) <= 18 else m[:17] + "…"


def _short_seed(seed: Any) -> str:
    """A seed as printed in a summary: long seeds (e.g. 39 digits drawn by SeedSequence)
    are shortened; the full seed is in ``inference`` and ``to_dict()``."""
    s = str(seed)
    return s if len(s) <= 12 else f"{s[:8]}… (full seed in to_dict())"


def _excludes_zero(lo: Any, hi: Any) -> bool | None:
    try:
        lo, hi = float(lo), float(hi)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return None
    return lo > 0 or hi < 0


def _zero_disagreement(e: Estimate) -> str:
    """One sentence when the effect's and the standardised effect's intervals disagree
    about zero (they are computed differently)."""
    es = e.effect_size
    if es is None:
        return ""
    a = _excludes_zero(e.conf_low, e.conf_high)
    b = _excludes_zero(es.conf_low, es.conf_high)
    if a is None or b is None or a == b:
        return ""
    which = ("the effect's interval excludes 0 but the standardised effect's includes it"
             if a else "the standardised effect's interval excludes 0 but the effect's "
             "includes it")
    return (f"Why the two intervals differ: {which}. The standardised effect ({es.name}) "
            "uses the large-sample standard error of a difference in post-test means "
            "(Hedges & Olkin 1985), which does not credit a pre-test or covariates with "
            "removing noise; the effect's interval, in the outcome's units, is the study's "
            "inference and matches its p-value.")


_LABELS = {
    "en": {"outcome": "Outcome:", "design": "Design:", "comparison": "Comparison:",
           "scale": "Scale:", "treated": "Treated units:", "control": "Comparison units:",
           "interval": "Interval:", "resamples": "Resamples:", "estimate": "estimate",
           "se": "std err", "stat": "stat", "effect": "effect", "inference": "Inference",
           "seed": "seed", "diagnostics": "Diagnostics:", "dropped": "Rows left out:",
           "notes": "Notes:", "absolute": "absolute", "relative": "relative"},
    "sv": {"outcome": "Utfall:", "design": "Design:", "comparison": "Jämförelse:",
           "scale": "Skala:", "treated": "Deltagare:", "control": "Jämförelseenheter:",
           "interval": "Intervall:", "resamples": "Omdragningar:", "estimate": "skattning",
           "se": "medelfel", "stat": "test", "effect": "effekt",
           "inference": "Osäkerhet", "seed": "frö", "diagnostics": "Diagnostik (nycklar):",
           "dropped": "Rader utanför:", "notes": "Anmärkningar:", "absolute": "absolut",
           "relative": "relativ"},
}


def _summary_text(e: Estimate, lang: str = "en") -> str:
    from .notes import render_note

    L = _LABELS[lang]
    width = 78
    title = f"impacteval: {e.design} — {e.estimand}"
    unit = " (%)" if e.scale == "relative" else ""
    lo = f"[{(1 - e.conf_level) / 2:.3f}"
    hi = f"{1 - (1 - e.conf_level) / 2:.3f}]"
    lines = [title.center(width), "=" * width]
    left = [
        (L["outcome"], e.outcome + unit),
        (L["design"], e.design),
        (L["comparison"], e.comparison or "–"),
        (L["scale"], L.get(e.scale, e.scale)),
    ]
    right = [
        (L["treated"], str(e.n_treated)),
        (L["control"], str(e.n_control)),
        (L["interval"], _short_method(str(e.inference.get("method", "")))),
        (L["resamples"], str(e.inference.get("n_boot", "–") or "–")),
    ]
    for (lk, lv), (rk, rv) in zip(left, right, strict=True):
        lines.append(f"{lk:<14}{lv:>24}   {rk:<19}{rv:>18}")
    lines.append("-" * width)
    lines.append(
        f"{'':<14}{L['estimate']:>12}{L['se']:>11}{L['stat']:>8}{'P>|t|':>9}{lo:>12}{hi:>12}"
    )
    lines.append(
        f"{L['effect']:<14}{_fmt(e.estimate):>12}{_fmt(e.std_error):>11}"
        f"{_fmt(e.statistic, 3):>8}{_fmt(e.p_value, 3):>9}{_fmt(e.conf_low):>12}{_fmt(e.conf_high):>12}"
    )
    if e.effect_size is not None:
        es = e.effect_size
        # the label is never cut: a long name takes its own line above the numbers
        name = es.name if len(es.name) < 14 else es.name + "\n" + " " * 14
        lines.append(
            f"{name:<14}{_fmt(es.value, 3):>12}{'':>11}{'':>8}{'':>9}"
            f"{_fmt(es.conf_low, 3):>12}{_fmt(es.conf_high, 3):>12}"
        )
    lines.append("=" * width)
    lines.append(f"{L['inference']}: {e.inference.get('method', '')}"
                 + (f", {L['seed']} {_short_seed(e.inference.get('seed'))}"
                    if e.inference.get("seed") is not None else ""))
    disagree = _zero_disagreement(e) if lang == "en" else ""
    if disagree:
        import textwrap

        lines.extend(textwrap.wrap(disagree, width))
    diag = {k: v for k, v in e.diagnostics.items()
            if not isinstance(v, (Mapping, list, tuple)) and v is not None}
    if diag:
        lines.append(L["diagnostics"])
        for k, v in diag.items():
            lines.append(f"  {k}: {_fmt(v, 4) if not isinstance(v, str) else v}")
    dropped = e.diagnostics.get("dropped")
    if dropped:
        lines.append(L["dropped"] + " " + ", ".join(f"{k}: {v}" for k, v in dropped.items()))
    if e.notes:
        lines.append(L["notes"])
        for i, n in enumerate(e.notes, 1):
            lines.append(f"  [{i}] {render_note(n, lang, None)}")
    out = "\n".join(lines)
    if lang == "sv":  # numbers with a decimal comma (the table's columns keep their width)
        out = _sv_decimals(out)
    return out


def _sv_decimals(text: str) -> str:
    """Decimal points between digits become decimal commas (Swedish)."""
    import re

    return re.sub(r"(?<=\d)\.(?=\d)", ",", text)


class _Collection(Sequence):
    """An immutable sequence of results indexed by position or by comparison label."""

    __slots__ = ("_items",)

    def __init__(self, items: Sequence[Any]):
        self._items = tuple(items)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._items)

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, str):
            for it in self._items:
                if it.comparison == key:
                    return it
            raise KeyError(f"no comparison group {key!r}; have {[i.comparison for i in self._items]}")
        return self._items[key]


class EstimateCollection(_Collection):
    """Several estimates (one per comparison group) that print as one table.

    Index by position or by comparison label: ``res["waitlist"]``.
    """

    __slots__ = ()

    @property
    def comparisons(self) -> list[str | None]:
        return [i.comparison for i in self._items]

    def tidy(self) -> pd.DataFrame:
        """All estimates stacked; the ``comparison`` column names the group."""
        return pd.concat([i.tidy() for i in self._items], ignore_index=True)

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        """JSON-ready: ``{"estimates": [...]}``, each as :meth:`Estimate.to_dict`."""
        return {"estimates": [i.to_dict(include_ids=include_ids) for i in self._items]}

    def summary(self, lang: str = "en") -> str:
        """One table of the estimates, one row per comparison group."""
        check_lang(lang)
        t = self.tidy()
        cols = ["comparison", "design", "estimate", "std_error", "conf_low", "conf_high",
                "p_value", "n_treated", "n_control"]
        body = t[cols].to_string(index=False, float_format=lambda v: _fmt(v))
        head = (f"impacteval: {len(self)} comparisons of {self._items[0].outcome!r}"
                if lang == "en" else
                f"impacteval: {len(self)} jämförelser av {self._items[0].outcome!r}")
        out = "\n".join([head, "=" * max(len(head), 40), body])
        return _sv_decimals(out) if lang == "sv" else out

    def plot(self, ax=None):
        from . import _plotting

        return _plotting.plot_estimates(list(self._items), ax=ax)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"EstimateCollection({len(self)} estimates: {self.comparisons})"

    def _repr_html_(self) -> str:
        return "<pre>" + _html_escape(self.summary()) + "</pre>"
