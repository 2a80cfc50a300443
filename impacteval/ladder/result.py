"""The ladder's result types: :class:`Evaluation` and :class:`EvaluationCollection`.

The HTML report lives a floor above the ladder (:mod:`impacteval.report`), so the
ladder never imports it: the report registers its writer here when it is
imported (``import impacteval`` does), and ``to_html`` calls that writer.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import texts
from ..errors import ArgumentError, ImpactEvalError
from ..notes import Note, render_note
from ..results import Estimate, _Collection, deep_freeze, to_jsonable

__all__ = ["Evaluation", "EvaluationCollection", "set_html_writer"]

_HTML_WRITER: list[Callable[..., str]] = []


def set_html_writer(writer: Callable[..., str]) -> None:
    """Called by :mod:`impacteval.report`: the function that turns evaluations into HTML."""
    _HTML_WRITER[:] = [writer]


def _write_html(items: list[Any], path: Any, lang: str, **kwargs: Any) -> str:
    if not _HTML_WRITER:
        raise ImpactEvalError(Note("err_ladder_no_report"))
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
    _trace: tuple[Any, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # immutable all the way down: read-only mappings, tuples, and a steps table
        # that is copied on every access
        object.__setattr__(self, "steps", self.steps.copy())
        for name in ("sensitivity", "mde", "ratings", "attrition", "context"):
            object.__setattr__(self, name, deep_freeze(dict(getattr(self, name) or {})))
        for name in ("verdict", "deviations", "_rejections", "_trace"):
            object.__setattr__(self, name, deep_freeze(tuple(getattr(self, name))))

    def __getattribute__(self, name: str) -> Any:
        value = object.__getattribute__(self, name)
        return value.copy() if name == "steps" else value

    # -- plain language -------------------------------------------------------
    def explain(self, lang: str = "en", *, suppress_below: int = 1) -> str:
        """One plain paragraph (``lang="sv"`` or ``"en"``) a board member can read.

        Counts of fewer than ``suppress_below`` people read "< k" (reports use 5).
        """
        from .render import explain

        _check_lang(lang)
        return explain(self, lang, suppress_below)

    def lines(self, lang: str = "en", *, suppress_below: int = 1) -> tuple[str, ...]:
        """The verdict lines in ``lang``: each rejected stronger design with its reason,
        the chosen one, precision and security, and the threats."""
        from .render import verdict_lines

        _check_lang(lang)
        if not self._trace:
            return tuple(self.verdict)
        return tuple(verdict_lines(self._trace, self.mde, self.ratings,
                                   self.context.get("threats") or (),
                                   self.context.get("max_threat_drop", 2), lang,
                                   suppress_below))

    def reasons(self, lang: str = "en", *, suppress_below: int = 1) -> dict[str, str]:
        """Why each design tried was not chosen (or that it passed), in ``lang``."""
        from .render import reason

        _check_lang(lang)
        return {t.design: reason(t, lang, suppress_below) for t in self._trace}

    def summary(self, lang: str = "en") -> str:
        """The verdict lines, the table of designs tried and the ratings, in ``lang``."""
        _check_lang(lang)
        S = _SUMMARY[lang]
        w = 78
        head = S["head"].format(outcome=self.outcome) + (
            S["versus"].format(comparison=texts.comparison_label(self.comparison, lang))
            if self.comparison else "")
        lines = [head, "=" * w, *self.lines(lang), "-" * w]
        reasons = self.reasons(lang)
        verdicts = dict(zip(S["verdicts"].split("|"), S["verdict_names"].split("|"), strict=True))
        for t in self._trace:
            name = t.design if lang == "en" else texts.design_name(t.design, lang)
            lines.append(f"{name:<20} {verdicts.get(t.verdict, t.verdict):<11} "
                         f"{reasons[t.design][:45]}")
        lines.append("-" * w)
        e = self.estimate

        def f(v: float) -> str:
            return texts.fmt_num(v, lang, 4)

        lines.append(S["effect"].format(
            design=e.design if lang == "en" else texts.design_name(e.design, lang),
            est=f(e.estimate), lo=f(e.conf_low), hi=f(e.conf_high),
            level=texts.fmt_level(e.conf_level, lang), method=e.inference.get("method", "")))
        r = self.ratings
        lines.append(S["ratings"].format(d=r["design"], p=r["precision"], a=r["attrition"],
                                         s=r["security"]))
        if self.deviations:
            lines.append(S["deviations"])
            lines += [f"  - {render_note(d, lang, None)}" for d in self.deviations]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.summary()) + "</pre>"

    def tidy(self) -> pd.DataFrame:
        """One row: the chosen design, its estimate and interval, and the ratings."""
        return EvaluationCollection([self]).tidy()

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        """JSON-ready result (no row data; unit ids never: an evaluation keeps none)."""
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


_SUMMARY = {
    "en": {"head": "impacteval evaluation: {outcome}", "versus": " vs {comparison}",
           "effect": "effect ({design}): {est} [{lo}, {hi}] ({level} % {method})",
           "ratings": "ratings: design {d}/5, precision {p}/5, attrition {a}/5 -> security {s}/5",
           "deviations": "deviations from the plan:",
           "verdicts": "chosen|bracket|sensitivity|rejected|infeasible",
           "verdict_names": "chosen|bracket|sensitivity|rejected|infeasible"},
    "sv": {"head": "impacteval utvärdering: {outcome}", "versus": " mot {comparison}",
           "effect": "effekt ({design}): {est} [{lo}, {hi}] ({level} %)",
           "ratings": "betyg: design {d}/5, precision {p}/5, bortfall {a}/5 -> "
                      "tillförlitlighet {s}/5",
           "deviations": "avvikelser från planen:",
           "verdicts": "chosen|bracket|sensitivity|rejected|infeasible",
           "verdict_names": "vald|lika stark|känslighet|underkänd|inte möjlig"},
}


def _check_lang(lang: str) -> None:
    if lang not in texts.LANGS:
        raise ArgumentError(Note("err_lang", value=repr(lang)))


def _public_estimate(e: Estimate) -> dict[str, Any]:
    """``Estimate.to_dict`` (no unit ids) without the overlap table's per-covariate
    minima and maxima, which can describe single people."""
    d = e.to_dict()
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

    def tidy(self) -> pd.DataFrame:
        """One row per evaluation (outcome × comparison), as :meth:`table`."""
        return self.table()

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.summary()) + "</pre>"

    def bottom_line(self, lang: str = "en") -> list[str]:
        """One sentence per outcome: the most credible estimate across the comparison
        groups (highest security, then design level, then the narrower interval), and what
        the other comparisons say."""
        return bottom_lines(list(self._items), lang)

    def summary(self, lang: str = "en") -> str:
        """The bottom line, the table of verdicts, then each evaluation's summary."""
        _check_lang(lang)
        table = self.table()
        if lang == "sv":
            table["design"] = [texts.design_name(d, "sv") for d in table["design"]]
            table["comparison"] = [texts.comparison_label(c, "sv") if c is not None else "–"
                                   for c in table["comparison"]]
            table = table.rename(columns=_TABLE_SV)
        fmt = (lambda v: f"{v:.4g}".replace(".", ",")) if lang == "sv" else \
            (lambda v: f"{v:.4g}")
        parts = [*self.bottom_line(lang), "", table.to_string(index=False, float_format=fmt),
                 ""]
        parts += [ev.summary(lang) + "\n" for ev in self._items]
        return "\n".join(parts)

    def explain(self, lang: str = "en") -> str:
        return "\n\n".join(ev.explain(lang) for ev in self._items)

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]:
        """JSON-ready: ``{"evaluations": [...]}`` (no row data, no unit ids)."""
        return {"evaluations": [ev.to_dict(include_ids=include_ids) for ev in self._items]}

    def to_html(self, path: Any = None, lang: str = "en", **kwargs: Any) -> str:
        return _write_html(list(self._items), path, lang, **kwargs)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return f"EvaluationCollection({[(e.outcome, e.comparison, e.design) for e in self._items]})"


#: the bottom line across comparison groups
_BOTTOM = {
    "en": {"one": "Bottom line for {outcome}: {design} {against}, {est} [{lo}, {hi}], "
                  "security {s}/5.",
           "best": "Bottom line for {outcome}: the most credible estimate is {est} [{lo}, {hi}] "
                   "({design} {against}, security {s}/5)",
           "other": "{against} the {design} says {est} [{lo}, {hi}], security {s}/5",
           "against": "against {comparison}", "none_group": "without a comparison group"},
    "sv": {"one": "Slutsats för {outcome}: {design} {against}, {est} [{lo}, {hi}], "
                  "tillförlitlighet {s}/5.",
           "best": "Slutsats för {outcome}: den mest trovärdiga skattningen är {est} [{lo}, {hi}] "
                   "({design} {against}, tillförlitlighet {s}/5)",
           "other": "{against} ger {design} {est} [{lo}, {hi}], tillförlitlighet {s}/5",
           "against": "mot {comparison}", "none_group": "utan jämförelsegrupp"},
}


#: the columns of :meth:`EvaluationCollection.table` in Swedish (summary only)
_TABLE_SV = {"outcome": "utfall", "comparison": "jämförelse", "design": "design",
             "estimate": "skattning", "conf_low": "nedre", "conf_high": "övre",
             "p_value": "p-värde", "design_rating": "design (0–5)",
             "precision": "precision", "attrition": "bortfall",
             "security": "tillförlitlighet"}


def credibility(ev: Evaluation) -> tuple:
    """How evaluations of one outcome are ranked: security, then the design's SMS level
    and ladder score, then the narrower interval."""
    e = ev.estimate
    width = e.conf_high - e.conf_low
    width = width if width == width else float("inf")  # NaN: least precise
    return (ev.ratings.get("security", 0), ev.sms_level or 0, ev.score, -width)


def bottom_lines(items: list[Evaluation], lang: str = "en") -> list[str]:
    """One sentence per outcome: the most credible estimate across the comparison groups,
    and what each other comparison says."""
    _check_lang(lang)
    B = _BOTTOM[lang]
    out = []
    for outcome in dict.fromkeys(ev.outcome for ev in items):
        evs = sorted((ev for ev in items if ev.outcome == outcome), key=credibility,
                     reverse=True)

        def fill(ev: Evaluation) -> dict[str, Any]:
            e = ev.estimate
            return {"outcome": ev.outcome, "design": texts.design_name(ev.design, lang),
                    "against": (B["against"].format(
                comparison=texts.comparison_label(ev.comparison, lang))
                                if ev.comparison else B["none_group"]),
                    "est": texts.fmt_num(e.estimate, lang, 4),
                    "lo": texts.fmt_num(e.conf_low, lang, 4),
                    "hi": texts.fmt_num(e.conf_high, lang, 4),
                    "s": ev.ratings.get("security")}

        if len(evs) == 1:
            out.append(B["one"].format(**fill(evs[0])))
            continue
        rest = "; ".join(B["other"].format(**fill(ev)) for ev in evs[1:])
        out.append(B["best"].format(**fill(evs[0])) + "; " + rest + ".")
    return out
