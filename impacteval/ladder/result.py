"""The ladder's result types: :class:`Evaluation` and :class:`EvaluationCollection`.

The HTML report lives a floor above the ladder (:mod:`impacteval.report`), so the
ladder never imports it: the report registers its writer here when it is
imported (``import impacteval`` does), and ``to_html`` calls that writer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import texts
from ..errors import ArgumentError, ImpactEvalError
from ..results import Estimate, _Collection, to_jsonable

__all__ = ["Evaluation", "EvaluationCollection", "set_html_writer"]

_HTML_WRITER: list[Callable[..., str]] = []


def set_html_writer(writer: Callable[..., str]) -> None:
    """Called by :mod:`impacteval.report`: the function that turns evaluations into HTML."""
    _HTML_WRITER[:] = [writer]


def _write_html(items: list[Any], path: Any, lang: str, **kwargs: Any) -> str:
    if not _HTML_WRITER:
        raise ImpactEvalError("the HTML report is not available: import impacteval.report.")
    html = _HTML_WRITER[0](items, lang=lang, **kwargs)
    if path is not None:
        from pathlib import Path

        Path(path).write_text(html, encoding="utf-8")
    return html


@dataclass(frozen=True)
class Evaluation:
    """The ladder's verdict for one outcome and one comparison group.

    Attributes
    ----------
    design : str
        The chosen design (the name of its rung).
    score, sms_level : int
        Ladder score (0–7) and Maryland Scientific Methods Scale level.
    estimate : Estimate
        The chosen design's estimate.
    steps : DataFrame
        Every design tried: feasibility, each diagnostic with value,
        threshold, source and pass/fail, the verdict and a one-line reason.
    sensitivity : dict of str to Estimate
        Estimates of the other feasible designs (weaker ones, and the
        bracket partner of equal score).
    mde : dict
        Minimum detectable effect of the chosen design (SD and outcome units).
    ratings : dict
        ``design``, ``precision``, ``attrition``, ``security`` (0–5 padlocks)
        and the threats that lowered the security rating.
    """

    outcome: str
    comparison: str | None
    design: str
    score: int
    sms_level: int | None
    estimate: Estimate
    steps: pd.DataFrame
    sensitivity: Mapping[str, Estimate]
    mde: Mapping[str, Any]
    ratings: Mapping[str, Any]
    attrition: Mapping[str, Any]
    verdict: tuple[str, ...]
    bracket: str | None = None
    deviations: tuple[str, ...] = ()
    context: Mapping[str, Any] = field(default_factory=dict, repr=False)
    _rejections: tuple[tuple[str, str, dict], ...] = field(default=(), repr=False)

    # -- plain language -------------------------------------------------------
    def explain(self, lang: str = "en") -> str:
        """One plain paragraph (``lang="sv"`` or ``"en"``) a board member can read."""
        from .render import explain

        if lang not in texts.LANGS:
            raise ArgumentError(f"lang={lang!r} must be 'sv' or 'en'.")
        return explain(self, lang)

    def summary(self) -> str:
        """The verdict lines, the table of designs tried and the ratings."""
        w = 78
        head = f"impacteval evaluation: {self.outcome}" + (
            f" vs {self.comparison}" if self.comparison else "")
        lines = [head, "=" * w]
        lines += list(self.verdict)
        lines.append("-" * w)
        tab = self.steps.groupby("design", sort=False).agg(
            feasible=("feasible", "first"), verdict=("verdict", "first"),
            reason=("reason", "first")).reset_index()
        for _, r in tab.iterrows():
            lines.append(f"{r['design']:<20} {r['verdict']:<11} {str(r['reason'])[:45]}")
        lines.append("-" * w)
        e = self.estimate
        lines.append(
            f"effect ({e.design}): {e.estimate:.4g} [{e.conf_low:.4g}, {e.conf_high:.4g}] "
            f"({e.conf_level:.0%} {e.inference.get('method', '')})")
        r = self.ratings
        lines.append(f"ratings: design {r['design']}/5, precision {r['precision']}/5, "
                     f"attrition {r['attrition']}/5 -> security {r['security']}/5")
        if self.deviations:
            lines.append("deviations from the plan:")
            lines += [f"  - {d}" for d in self.deviations]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready result (no row data, no unit ids)."""
        return to_jsonable({
            "outcome": self.outcome,
            "comparison": self.comparison,
            "design": self.design,
            "score": self.score,
            "sms_level": self.sms_level,
            "estimate": _public_estimate(self.estimate),
            "steps": self.steps,
            "sensitivity": {k: _public_estimate(v) for k, v in self.sensitivity.items()},
            "mde": dict(self.mde),
            "ratings": dict(self.ratings),
            "attrition": dict(self.attrition),
            "verdict": list(self.verdict),
            "bracket": self.bracket,
            "deviations": list(self.deviations),
            "explanation": {"en": self.explain("en"), "sv": self.explain("sv")},
        })

    def to_html(self, path: Any = None, lang: str = "en", **kwargs: Any) -> str:
        """A self-contained HTML report (see :mod:`impacteval.report`)."""
        return _write_html([self], path, lang, **kwargs)


def _public_estimate(e: Estimate) -> dict[str, Any]:
    """``Estimate.to_dict`` without anything that describes single people: unit ids
    and the overlap table's per-covariate minima and maxima."""
    d = e.to_dict()
    diag = d.get("diagnostics") or {}
    for k in list(diag):
        if k.endswith("_ids"):
            diag.pop(k)
    (d.get("tables") or {}).pop("overlap", None)
    return d


class EvaluationCollection(_Collection):
    """Several evaluations (outcomes × comparison groups) that print as one table.

    Index by position, by comparison label, or by ``(outcome, comparison)``.
    """

    __slots__ = ()

    def __getitem__(self, key):  # type: ignore[override]
        if isinstance(key, tuple):
            for it in self._items:
                if (it.outcome, it.comparison) == key:
                    return it
            raise KeyError(key)
        return super().__getitem__(key)

    def table(self) -> pd.DataFrame:
        rows = []
        for ev in self._items:
            e = ev.estimate
            rows.append({"outcome": ev.outcome, "comparison": ev.comparison, "design": ev.design,
                         "estimate": e.estimate, "conf_low": e.conf_low, "conf_high": e.conf_high,
                         "p_value": e.p_value, "design_rating": ev.ratings["design"],
                         "precision": ev.ratings["precision"],
                         "attrition": ev.ratings["attrition"], "security": ev.ratings["security"]})
        return pd.DataFrame(rows)

    def summary(self) -> str:
        parts = [self.table().to_string(index=False, float_format=lambda v: f"{v:.4g}"), ""]
        parts += [ev.summary() + "\n" for ev in self._items]
        return "\n".join(parts)

    def explain(self, lang: str = "en") -> str:
        return "\n\n".join(ev.explain(lang) for ev in self._items)

    def to_dict(self) -> dict[str, Any]:
        return {"evaluations": [ev.to_dict() for ev in self._items]}

    def to_html(self, path: Any = None, lang: str = "en", **kwargs: Any) -> str:
        return _write_html(list(self._items), path, lang, **kwargs)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"EvaluationCollection({[(e.outcome, e.comparison, e.design) for e in self._items]})"
