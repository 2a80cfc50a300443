"""From the steps the core recorded to what a reader sees: the steps table, the
verdict lines and the plain-language paragraph in Swedish and English."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import texts
from ..results import deep_freeze
from .checks import Check, Step
from .registry import get

__all__ = ["Trace", "traces", "steps_table", "verdict_lines", "explain", "reject_code",
           "reason"]


def _score(design: str) -> int:
    return get(design).score


@dataclass(frozen=True)
class Trace:
    """One rung as the core tried it, frozen for rendering: its verdict, why (a code and
    its parameters when it was not possible), and its checks."""

    design: str
    score: int
    feasible: bool
    verdict: str
    code: str
    params: Mapping[str, Any]
    checks: tuple[Check, ...]

    def first_failure(self) -> Check | None:
        return next((c for c in self.checks if c.must_pass and not c.passed), None)


def traces(steps: list[Step], chosen: Step) -> tuple[Trace, ...]:
    out = []
    chosen_score = _score(chosen.design)
    for s in steps:
        if s is chosen:
            verdict = "chosen"
        elif s.passed and _score(s.design) == chosen_score:
            verdict = "bracket"
        elif s.passed:
            verdict = "sensitivity"
        elif not s.feasible:
            verdict = "infeasible"
        else:
            verdict = "rejected"
        out.append(Trace(design=s.design, score=_score(s.design), feasible=s.feasible,
                         verdict=verdict, code=s.code or "error",
                         params=deep_freeze(dict(s.params) or {"message": s.reason}),
                         checks=tuple(s.checks)))
    return tuple(out)


def reject_code(s: Step) -> tuple[str, dict]:
    if not s.feasible:
        return s.code or "error", dict(s.params)
    c = s.first_failure()
    if c is None:
        return "error", {"message": s.reason}
    return c.code or "error", {**dict(c.params), "message": c.reason}


def value_text(v: Any, lang: str, k: int = 1) -> str:
    """A check's value for a table or a line (counts of people suppressed below ``k``)."""
    if isinstance(v, float):
        return texts.fmt_num(v, lang, 3)
    return str(texts.fmt_param(v, lang, k))


def threshold_text(t: Any, lang: str) -> str:
    """A threshold as printed: symbols and numbers, with the language's decimal mark."""
    s = "–" if t is None else str(t)
    return s.replace(".", ",").replace("interval", "intervallet") if lang == "sv" else s


def reason(t: Trace, lang: str = "en", k: int = 1) -> str:
    """Why a rung was not chosen (or that it passed), in ``lang``."""
    L = texts.LINES[lang]
    if not t.feasible:
        return texts.reason_text(t.code, lang, k, **t.params)
    f = t.first_failure()
    if f is None:
        return L["passed"]
    if f.code == "data":
        # the error's own message is for the user's own view (k = 1); where counts are
        # suppressed (a report) the kind of error is said instead: a message is free text
        params = dict(f.params)
        msg = params.get("message")
        # a message without a Swedish text is not shown on a Swedish page: its kind is
        typed = isinstance(msg, str) and hasattr(msg, "render") and hasattr(msg, "code")
        key = "not_estimable" if k <= 1 and (lang == "en" or typed) else "not_estimable_kind"
        params.setdefault("why", "error")
        return texts.render(texts.LINES, key, lang, k, **params)
    return f"{f.label(lang, k)}: {value_text(f.value, lang, k)} " \
        f"({threshold_text(f.threshold, lang)}; {texts.source_text(f.source, lang)})"


def steps_table(steps: list[Step], chosen: Step) -> pd.DataFrame:
    """Every rung tried, one row per check (English; the report renders its own)."""
    rows = []
    for s, t in zip(steps, traces(steps, chosen), strict=True):
        base = {"design": s.design, "score": t.score, "feasible": s.feasible,
                "verdict": t.verdict, "reason": reason(t, "en"),
                "estimate": s.estimate.estimate if s.estimate is not None else float("nan"),
                "conf_low": s.estimate.conf_low if s.estimate is not None else float("nan"),
                "conf_high": s.estimate.conf_high if s.estimate is not None else float("nan")}
        if not s.checks:
            rows.append({**base, "diagnostic": None, "value": None, "threshold": None,
                         "source": None, "passed": None, "must_pass": None, "code": None})
        for c in s.checks:
            rows.append({**base, "diagnostic": c.diagnostic, "value": _plain(c.value),
                         "threshold": str(c.threshold), "source": c.source, "passed": c.passed,
                         "must_pass": c.must_pass, "code": c.code})
    cols = ["design", "score", "feasible", "diagnostic", "value", "threshold", "source",
            "passed", "must_pass", "verdict", "reason", "estimate", "conf_low", "conf_high",
            "code"]
    return pd.DataFrame(rows)[cols]


def _plain(v: Any) -> Any:
    if isinstance(v, texts.Count):
        return int(v)
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v if isinstance(v, (int, float, str)) or v is None else str(v)


def verdict_lines(trace: tuple[Trace, ...], mde: Mapping[str, Any], ratings: Mapping[str, Any],
                  threats: Any, max_drop: int, lang: str = "en", k: int = 1) -> list[str]:
    """One line per rejected stronger design, the chosen one, precision and security, and
    the threats — in ``lang``, counts of people suppressed below ``k``."""
    L = texts.LINES[lang]
    lines = []

    def name(d: str) -> str:
        # English keeps the design's code (what ``steps`` and the API call it); every
        # other language names the design in words
        return d if lang == "en" else texts.design_name(d, lang)

    for t in trace:
        design = name(t.design)
        if t.verdict == "chosen":
            break
        if not t.feasible:
            lines.append(L["rejected"].format(design=design, reason=reason(t, lang, k)))
            continue
        f = t.first_failure()
        if f is None:
            continue
        if f.code == "data":
            lines.append(L["rejected"].format(design=design, reason=reason(t, lang, k)))
        else:
            lines.append(L["rejected_check"].format(
                design=design, label=f.label(lang, k), value=value_text(f.value, lang, k),
                threshold=threshold_text(f.threshold, lang),
                source=texts.source_text(f.source, lang)))
    chosen = next(t for t in trace if t.verdict == "chosen")
    detail = [L["detail"].format(label=c.label(lang, k), value=value_text(c.value, lang, k),
                                 status=texts.WORDS[lang][c.status],
                                 threshold=threshold_text(c.threshold, lang))
              for c in chosen.checks if c.code != "data"]
    lines.append(L["chosen"].format(design=name(chosen.design),
                                    detail=(": " + "; ".join(detail)) if detail else ""))
    n_threats = len(threats)
    if mde.get("mdes") is not None:
        drop = L["drop"].format(n=min(max_drop, n_threats)) if n_threats else ""
        lines.append(L["precision"].format(
            mdes=texts.fmt_num(mde["mdes"], lang, 2), p=ratings["precision"],
            d=ratings["design"], a=ratings["attrition"], drop=drop, s=ratings["security"]))
    else:
        lines.append(L["no_effect"].format(s=ratings["security"]))
    flag = ratings.get("coverage_flag")
    if flag:
        key = {"thin_data": "coverage_thin", "skewed_level": "coverage_level"}.get(
            flag["code"], "coverage_flag")
        low = flag.get("coverage_low", flag["coverage"])
        lines.append(L[key].format(low=round(100 * low),
                                   high=round(100 * flag.get("coverage_high", low))))
    for code, params in threats:
        lines.append(L["threat"].format(text=texts.threat_text(code, lang, k, **params)))
    return lines


def explain(ev: Any, lang: str, k: int = 1) -> str:
    """The plain-language paragraph; counts of people below ``k`` read "< k"."""
    T = texts.T[lang]
    e = ev.estimate
    y = ev.outcome
    rung = get(ev.design)
    versus = (T["versus"].format(comparison=texts.comparison_label(ev.comparison, lang))
              if ev.comparison and rung.two_group else "")
    parts = [T["design_used"].format(design=texts.design_name(ev.design, lang), versus=versus)]
    unit, scale_by = _unit(ev, rung, lang)

    def f(v: float) -> str:
        return texts.fmt_num(scale_by * v, lang)

    key = "effect_level" if rung.describes_level else "effect"
    withheld = not (math.isfinite(e.conf_low) and math.isfinite(e.conf_high))
    parts.append(T[key + ("_no_ci" if withheld else "")].format(
        outcome=y, est=f(e.estimate), lo=f(e.conf_low), hi=f(e.conf_high), unit=unit,
        level=texts.fmt_level(e.conf_level, lang)))
    if not rung.describes_level and not withheld:
        if e.conf_low > 0 or e.conf_high < 0:
            parts.append(T["excludes_zero"])
        else:
            far = e.conf_low if abs(e.conf_low) > abs(e.conf_high) else e.conf_high
            parts.append(T["includes_zero"].format(far=f(far) + unit))
    parts.append(T["rules"][ev.design].format(outcome=y))
    extra = getattr(rung, "explain_extra", None)  # a rung's own sentence (e.g. waitlists)
    if extra is not None and (sentence := extra(ev, lang, k)):
        parts.append(sentence)
    parts += _why_not(ev, lang, k)
    if ev.bracket and ev.bracket in ev.sensitivity:
        b = ev.sensitivity[ev.bracket]
        parts.append(T["bracket"].format(other=texts.design_name(ev.bracket, lang),
                                         est=f(b.estimate), lo=f(b.conf_low), hi=f(b.conf_high),
                                         unit=unit, level=texts.fmt_level(b.conf_level, lang)))
    if not rung.describes_level:
        parts += _weaker(ev, lang)
    parts += _precision(ev, rung, lang, k)
    rt = ev.ratings
    codes = ev.context.get("threats") or []
    threats = T["threats"].format(items="; ".join(texts.threat_text(c, lang, k, **p)
                                                  for c, p in codes)) if codes else ""
    parts.append(T["security"].format(sec=rt["security"], d=rt["design"], p=rt["precision"],
                                      a=rt["attrition"], threats=threats))
    return " ".join(parts)


def _unit(ev: Any, rung: Any, lang: str) -> tuple[str, float]:
    """The unit the effect is read in, and the factor to show it in (100 for shares)."""
    e = ev.estimate
    pp = " " + texts.WORDS[lang]["pp"]
    if ev.context.get("binary") and e.scale == "absolute":
        # proportions: shown as percent (levels) or percentage points (differences)
        return (" %" if rung.describes_level else pp), 100.0
    if e.scale == "relative":
        # a relative change of one group is in percent, a difference of two in points
        return (" %" if not rung.two_group else pp), 1.0
    return "", 1.0


def _why_not(ev: Any, lang: str, k: int) -> list[str]:
    reasons = []
    seen = set()
    for _design, code, params in ev._rejections:
        if code in seen or code in ("no_reference",):
            continue
        seen.add(code)
        reasons.append(texts.reason_text(code, lang, k, **params))
    return [texts.T[lang]["why_not"].format(reasons="; ".join(reasons))] if reasons else []


def _weaker(ev: Any, lang: str) -> list[str]:
    """What a before–after look alone would have said, beside the comparison group."""
    descr = ev.context.get("descriptives", {})
    if "before_after" not in ev.sensitivity or "treated" not in descr or "control" not in descr \
            or min(descr["treated"].get("n", 5), descr["control"].get("n", 5)) < 5:
        return []

    def chg(dsc: Mapping[str, Any]) -> str:
        d = dsc["post"] - dsc["pre"]
        if ev.context.get("binary"):
            return texts.fmt_num(100 * d, lang) + " " + texts.WORDS[lang]["pp"]
        out = ("+" if d > 0 else "") + texts.fmt_num(d, lang)
        if dsc.get("nonnegative") and dsc["pre"] > 0:
            out += f" ({texts.fmt_num(dsc['pct_change'], lang)} %)"
        return out

    return [texts.T[lang]["weaker"].format(
        chg_t=chg(descr["treated"]), outcome=ev.outcome, chg_c=chg(descr["control"]),
        comparison=(texts.comparison_label(ev.comparison, lang) if ev.comparison
                    else texts.WORDS[lang]["the_comparison_group"]))]


def _precision(ev: Any, rung: Any, lang: str, k: int) -> list[str]:
    if ev.mde.get("mdes") is None:
        return []
    T = texts.T[lang]
    e = ev.estimate
    mde_val = ev.mde.get("mde")
    if ev.mde.get("mde_units") == "proportion":
        mde_txt = texts.fmt_num(100 * mde_val, lang) + " " + texts.WORDS[lang]["pp"]
    elif mde_val is not None:
        mde_txt = texts.fmt_num(mde_val, lang)
    else:
        mde_txt = texts.fmt_num(ev.mde["mdes"], lang) + " SD"

    def n(v: int) -> Any:
        return texts.fmt_param(texts.Count(v), lang, k)

    if not rung.two_group:
        return [T["precision_one"].format(nt=n(e.n_treated), mde=mde_txt)]
    return [T["precision"].format(nt=n(e.n_treated), nc=n(e.n_control), mde=mde_txt,
                                  mdes=texts.fmt_num(ev.mde["mdes"], lang, 2))]
