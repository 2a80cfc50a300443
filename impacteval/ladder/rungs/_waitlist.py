"""Waitlists whose members start later: a not-yet-started comparison.

When ``start=`` is given and comparison units start during the window, each of
them is used as a comparison up to its start and never after: the
participants' effect is the Callaway & Sant'Anna (2021) group-time estimate
against never- and not-yet-started units
(:func:`impacteval.estimators.staggered.staggered_did` with ``only_compare``),
instead of rejecting the comparison as contaminated.

With a comparison pool large enough for twins, :func:`matched_estimate` finds each
participant's statistical twins among all comparison units (never- and not-yet-started
alike) on the pre-period outcome and the baseline covariates, each twin used once
(matching as preprocessing, Ho, Imai, King & Stuart 2007), and then estimates the same
not-yet-started DiD on the participants and their twins: a twin who starts later is
a comparison up to its own start and never after.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from ... import texts
from ...estimators.staggered import staggered_did
from ...notes import Note
from ...periods import chronological, period_key, to_keys
from ...results import Estimate
from ...roles import TREATED_COL
from ..checks import Check
from ..context import Context

__all__ = ["applies", "estimate", "matched_estimate", "check", "sentence", "TEXTS"]

_START = "__ie_start__"
_ONLY = "__ie_only_compare__"

TEXTS = {
    "en": {
        "check": "comparison units starting during the window (used until their start)",
        "sentence": "{k} of the {n} people in the comparison group started the project "
                    "themselves during the period (in periods {when}); each of them was used "
                    "as a comparison only until their own start, never after (a "
                    "not-yet-started comparison, Callaway & Sant'Anna 2021).",
        "sentence_few": "{k} of the {n} people in the comparison group started the project "
                        "themselves during the period; each of them was used as a comparison "
                        "only until their own start, never after (a not-yet-started "
                        "comparison, Callaway & Sant'Anna 2021).",
    },
    "sv": {
        "check": "jämförelseenheter som började under perioden (används fram till sin start)",
        "sentence": "{k} av de {n} personerna i jämförelsegruppen började själva i projektet "
                    "under perioden (i perioderna {when}); var och en av dem användes som "
                    "jämförelse bara fram till sin egen start, aldrig efter (en jämförelse "
                    "med ännu inte startade, Callaway & Sant'Anna 2021).",
        "sentence_few": "{k} av de {n} personerna i jämförelsegruppen började själva i "
                        "projektet under perioden; var och en av dem användes som jämförelse "
                        "bara fram till sin egen start, aldrig efter (en jämförelse med ännu "
                        "inte startade, Callaway & Sant'Anna 2021).",
    },
}


def applies(ctx: Context) -> bool:
    """A start column is given and some comparison units start within the window, or the
    participants start in waves (staggered entry: a two-way fixed-effects DiD would be
    biased when effects differ by cohort, Goodman-Bacon 2021)."""
    d = ctx.did_diag
    return ctx.start is not None and (bool(d.get("contaminated"))
                                      or int(d.get("participant_cohorts") or 0) >= 2)


def _frame(ctx: Context) -> pd.DataFrame:
    study = ctx.study
    r = ctx.roles
    frame = study.arm(ctx.label) if study.control_mode == "each" else study.data
    frame = frame[frame[r["period"]].isin(list(study.pre) + list(study.post))]
    u = r["unit"]
    # periods and starts as time-ordered numbers, whatever their type ("2012-01", dates)
    st = to_keys(ctx.df.groupby(u)[ctx.start].first())
    s = frame[u].map(st).astype(float)
    treated = frame[TREATED_COL].to_numpy() == 1
    first_post = period_key(chronological(study.post)[0])
    # participants start at their start, or at the first post period when it is missing
    s = np.where(treated & ~np.isfinite(s), first_post, s)
    return pd.DataFrame({u: frame[u].to_numpy(), r["period"]: to_keys(frame[r["period"]]).to_numpy(),
                         ctx.outcome: frame[ctx.outcome].to_numpy(float), _START: s,
                         _ONLY: ~treated})


def estimate(ctx: Context, keep: set | None = None) -> Estimate:
    """The participants' effect against never- and not-yet-started comparison units
    (only the units in ``keep``, when given)."""
    r = ctx.roles
    frame = _frame(ctx)
    if keep is not None:
        frame = frame[frame[r["unit"]].isin(keep)]
    est = ctx.call(staggered_did, frame, outcome=ctx.outcome, unit=r["unit"],
                   period=r["period"], start=_START, control="not_yet", only_compare=_ONLY,
                   n_boot=min(int(ctx.n_boot or 0), 999))
    comp = frame[frame[_ONLY]].groupby(r["unit"])[_START].first()
    post_max = period_key(chronological(ctx.study.post)[-1])
    started = comp[comp.notna() & (comp <= post_max)]
    labels = ctx.df.groupby(r["unit"])[ctx.start].first().reindex(started.index)
    when = [_plain(v) for v in chronological(pd.unique(labels.dropna()))]
    diag = dict(est.diagnostics)
    diag["waitlist"] = {"n_comparison": texts.Count(len(comp)),
                        "started_in_window": texts.Count(len(started)), "start_periods": when}
    # counts of people stay in the typed diagnostics (suppressed when small), not in the note
    notes = [Note("waitlist_not_yet")]
    if ctx.ci not in ("auto", "analytic"):
        notes.append(Note("option_unavailable_ci", value=ctx.ci,
                          method=est.inference.get("method")))
    return replace(est, diagnostics=diag, notes=(*est.notes, *notes),
                   comparison=ctx.label or est.comparison)


def matched_estimate(ctx: Context, design: str) -> Estimate | None:
    """The not-yet-started DiD on the participants and their twins (``None`` when the pool
    is too small for twins). The result keeps the matching's balance table and
    diagnostics (share matched, twins used) beside the DiD's."""
    from ._twins import twins_estimate

    m = twins_estimate(ctx, design, kind="lagged", reuse=False)
    if m is None:
        return None
    w = m._sensitivity["unit_weights"]
    keep = set(w.index[w.to_numpy() > 0])
    ctx_est = estimate(ctx, keep=keep)
    diag = {**{k: v for k, v in m.diagnostics.items()
               if k not in ("dropped",) and not k.startswith("pretrend")},
            **ctx_est.diagnostics, "twins_not_yet": True}
    return replace(ctx_est, design=design, diagnostics=diag,
                   tables={**ctx_est.tables, "balance": m.tables["balance"],
                           "overlap": m.tables["overlap"]},
                   notes=(*ctx_est.notes, Note("waitlist_twins")))


def _plain(v: Any) -> Any:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return int(f) if f.is_integer() else f


def check(design: str, ctx: Context) -> list[Check]:
    """Replaces the contamination gate: reported, not a reason to reject."""
    n = int(ctx.did_diag.get("contaminated") or 0)
    return [Check(design=design, diagnostic=TEXTS["en"]["check"], value=texts.Count(n),
                  threshold="–",
                  source="Callaway & Sant'Anna 2021", passed=True, must_pass=False,
                  code="waitlist_started", params={"value": texts.Count(n)})]


def sentence(ev: Any, lang: str, k: int = 5) -> str | None:
    """The plain-language sentence about the waitlisters who started (or None). Counts
    of people below ``k`` are shown as "< k" and their start periods are not listed."""
    w = ev.estimate.diagnostics.get("waitlist") if ev.estimate is not None else None
    if not w or not w.get("started_in_window"):
        return None
    started, n = int(w["started_in_window"]), int(w["n_comparison"])
    kk = texts.fmt_param(texts.Count(started), lang, k)
    nn = texts.fmt_param(texts.Count(n), lang, k)
    if started < k:
        return TEXTS[lang]["sentence_few"].format(k=kk, n=nn)
    when = ", ".join(str(v) for v in w["start_periods"])
    return TEXTS[lang]["sentence"].format(k=kk, n=nn, when=when)
