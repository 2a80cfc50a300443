"""From the steps the core recorded to what a reader sees: the steps table, the
verdict lines and the plain-language paragraph in Swedish and English."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .. import texts
from .checks import Step
from .registry import get

__all__ = ["steps_table", "verdict_lines", "explain", "reject_code"]


def _score(design: str) -> int:
    return get(design).score


def reject_code(s: Step) -> tuple[str, dict]:
    if not s.feasible:
        return s.code or "error", dict(s.params)
    c = s.first_failure()
    if c is None:
        return "error", {"message": s.reason}
    return c.code or "error", {**dict(c.params), "message": c.reason}


def steps_table(steps: list[Step], chosen: Step) -> pd.DataFrame:
    rows = []
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
        fail = s.first_failure()
        reason = s.reason if not s.feasible else (fail.reason or
                                                 f"{fail.diagnostic} {fail.value} vs {fail.threshold}"
                                                 if fail else "all must-pass diagnostics passed")
        base = {"design": s.design, "score": _score(s.design), "feasible": s.feasible,
                "verdict": verdict, "reason": reason,
                "estimate": s.estimate.estimate if s.estimate is not None else float("nan"),
                "conf_low": s.estimate.conf_low if s.estimate is not None else float("nan"),
                "conf_high": s.estimate.conf_high if s.estimate is not None else float("nan")}
        if not s.checks:
            rows.append({**base, "diagnostic": None, "value": None, "threshold": None,
                         "source": None, "passed": None, "must_pass": None})
        for c in s.checks:
            rows.append({**base, "diagnostic": c.diagnostic, "value": _plain(c.value),
                         "threshold": str(c.threshold), "source": c.source, "passed": c.passed,
                         "must_pass": c.must_pass})
    cols = ["design", "score", "feasible", "diagnostic", "value", "threshold", "source",
            "passed", "must_pass", "verdict", "reason", "estimate", "conf_low", "conf_high"]
    return pd.DataFrame(rows)[cols]


def _plain(v: Any) -> Any:
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v if isinstance(v, (int, float, str)) or v is None else str(v)


def verdict_lines(steps: list[Step], chosen: Step, mde: dict, ratings: dict) -> list[str]:
    lines = []
    for s in steps:
        if s is chosen:
            break
        if not s.feasible:
            lines.append(f"{s.design} rejected: {s.reason}.")
        else:
            f = s.first_failure()
            if f is None:
                continue
            if f.diagnostic == "estimation":
                lines.append(f"{s.design} rejected: {f.reason}")
            else:
                lines.append(f"{s.design} rejected: {f.diagnostic} is {f.value}, needs {f.threshold} "
                             f"({f.source}).")
    detail = []
    for c in chosen.checks:
        if c.diagnostic != "estimation":
            detail.append(f"{c.diagnostic} {c.value} ({'ok' if c.passed else 'fails'} vs {c.threshold})")
    lines.append(f"{chosen.design} chosen" + (": " + "; ".join(detail) if detail else "") + ".")
    if mde.get("mdes") is not None:
        lines.append(
            f"precision: MDES {mde['mdes']:.2f} SD -> {ratings['precision']}/5 (EEF). "
            f"security = min(design {ratings['design']}, precision {ratings['precision']}, "
            f"attrition {ratings['attrition']})"
            + (f" - {min(2, len(ratings['threats']))} for threats" if ratings["threats"] else "")
            + f" = {ratings['security']}/5.")
    else:
        lines.append(f"security = {ratings['security']}/5 (no effect estimated).")
    for t in ratings["threats"]:
        lines.append(f"threat: {t}.")
    return lines


def explain(ev: Any, lang: str) -> str:
    T = texts.T[lang]
    e = ev.estimate
    y = ev.outcome
    parts = []
    comp = ev.comparison
    rung = get(ev.design)
    versus = T["versus"].format(comparison=comp) if comp and rung.two_group else ""
    parts.append(T["design_used"].format(design=texts.design_name(ev.design, lang), versus=versus))
    # a relative change of one group is in percent, a difference of two in percentage points
    unit = " %" if e.scale == "relative" and not rung.two_group else (
        (" procentenheter" if lang == "sv" else " percentage points") if e.scale == "relative" else "")
    scale_by = 1.0
    if ev.context.get("binary") and e.scale == "absolute":
        # proportions: shown as percent (levels) or percentage points (differences)
        scale_by = 100.0
        unit = " %" if rung.describes_level else (
            " procentenheter" if lang == "sv" else " percentage points")

    def f(v: float) -> str:
        return texts.fmt_num(scale_by * v, lang)

    key = "effect_level" if rung.describes_level else "effect"
    parts.append(T[key].format(outcome=y, est=f(e.estimate), lo=f(e.conf_low), hi=f(e.conf_high),
                               unit=unit))
    if not rung.describes_level:
        if e.conf_low > 0 or e.conf_high < 0:
            parts.append(T["excludes_zero"])
        else:
            far = e.conf_low if abs(e.conf_low) > abs(e.conf_high) else e.conf_high
            parts.append(T["includes_zero"].format(far=f(far) + unit))
    parts.append(T["rules"][ev.design].format(outcome=y))
    extra = getattr(rung, "explain_extra", None)  # a rung's own sentence (e.g. waitlists)
    if extra is not None and (sentence := extra(ev, lang)):
        parts.append(sentence)
    reasons = []
    seen = set()
    for _design, code, params in ev._rejections:
        if code in seen or code in ("no_reference",):
            continue
        seen.add(code)
        reasons.append(texts.reason_text(code, lang, **params))
    if reasons:
        joined = "; ".join(reasons)
        parts.append(T["why_not"].format(reasons=joined))
    if ev.bracket and ev.bracket in ev.sensitivity:
        b = ev.sensitivity[ev.bracket]
        parts.append(T["bracket"].format(other=texts.design_name(ev.bracket, lang), est=f(b.estimate),
                                         lo=f(b.conf_low), hi=f(b.conf_high), unit=unit))
    descr = ev.context.get("descriptives", {})
    if not rung.describes_level and "before_after" in ev.sensitivity:
        if "treated" in descr and "control" in descr and min(
                descr["treated"].get("n", 5), descr["control"].get("n", 5)) >= 5:
            def chg(dsc: dict) -> str:
                d = dsc["post"] - dsc["pre"]
                if ev.context.get("binary"):
                    return texts.fmt_num(100 * d, lang) + (" procentenheter" if lang == "sv"
                                                            else " percentage points")
                out = ("+" if d > 0 else "") + texts.fmt_num(d, lang)
                if dsc.get("nonnegative") and dsc["pre"] > 0:
                    out += f" ({texts.fmt_num(dsc['pct_change'], lang)} %)"
                return out

            parts.append(T["weaker"].format(
                chg_t=chg(descr["treated"]), outcome=y, chg_c=chg(descr["control"]),
                comparison=(comp or ("the comparison group" if lang == "en"
                                     else "jämförelsegruppen"))))
    if ev.mde.get("mdes") is not None:
        mde_val = ev.mde.get("mde")
        if ev.mde.get("mde_units") == "proportion":
            mde_txt = texts.fmt_num(100 * mde_val, lang) + (" procentenheter" if lang == "sv"
                                                             else " percentage points")
        elif mde_val is not None:
            mde_txt = texts.fmt_num(mde_val, lang)
        else:
            mde_txt = texts.fmt_num(ev.mde["mdes"], lang) + " SD"
        if not rung.two_group:
            parts.append(T["precision_one"].format(nt=e.n_treated, mde=mde_txt))
        else:
            parts.append(T["precision"].format(nt=e.n_treated, nc=e.n_control, mde=mde_txt,
                                               mdes=texts.fmt_num(ev.mde["mdes"], lang, 2)))
    rt = ev.ratings
    threats = ""
    codes = ev.context.get("threats") or []
    if codes:
        threats = T["threats"].format(items="; ".join(texts.threat_text(c, lang, **p)
                                                      for c, p in codes))
    parts.append(T["security"].format(sec=rt["security"], d=rt["design"], p=rt["precision"],
                                      a=rt["attrition"], threats=threats))
    return " ".join(parts)
