"""The registry of rungs: every design of the ladder is one object registered here.

A rung is a small object with the protocol of :class:`Rung`. The core
(:mod:`.core`) walks :func:`ordered` — the registered rungs from the strongest
(highest ``score``) down, rungs of equal score in the order they were
registered — and knows no design by name. A new design is one module under
``impacteval/ladder/rungs/`` that ends with ``register(MyRung())`` and one import
line in ``rungs/__init__.py``.

The pattern is linearmodels' (a test that does not apply *returns*
``InvalidTestStatistic``): a rung that the data cannot feed returns an
:class:`~.checks.Infeasible` from ``feasible``, it does not raise.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from .. import texts
from ..errors import ArgumentError
from ..notes import Note
from ..power import mdes_bloom
from ..results import Estimate
from .checks import Check, Infeasible, Threat
from .context import Context

__all__ = ["Rung", "register", "unregister", "registered", "get", "ordered", "DESIGNS"]

_RUNGS: dict[str, Rung] = {}

#: name -> (score, Maryland SMS level, EEF design padlocks), kept in step with the registry
DESIGNS: dict[str, tuple[int, int | None, int]] = {}


class Rung:
    """The protocol of one design of the ladder (override what differs).

    Class attributes
    ----------------
    name : str
        The design's name in code (``Evaluation.design``).
    score : int
        Ladder score (0–7); the core tries rungs from the highest down.
    sms : int or None
        Maryland Scientific Methods Scale level.
    eef_design : int
        EEF design padlocks (0–5).
    two_group : bool
        The design compares participants with a comparison group.
    texts : mapping
        ``{"en": {"name": ..., "rule": ...}, "sv": {...}}``: the design's name and
        the sentence that says what it assumes, plus optional tables of its own
        codes — ``reasons`` (why it was infeasible or rejected), ``threats`` and
        ``checks`` (labels) — each ``{"code": "template with {params}"}``.
    """

    name: ClassVar[str] = ""
    score: ClassVar[int] = 0
    sms: ClassVar[int | None] = None
    eef_design: ClassVar[int] = 0
    two_group: ClassVar[bool] = True
    #: how the minimum detectable effect is computed: "two_group", "paired",
    #: "one_sample" or None (no effect estimated)
    mde_kind: ClassVar[str | None] = "two_group"
    #: the pre-period outcome explains part of the variance in this design's MDES
    mde_uses_pre: ClassVar[bool] = False
    #: the estimator's own R² (ANCOVA, regression) counts towards the MDES
    mde_uses_model_r2: ClassVar[bool] = False
    #: the estimate describes a level (participants' outcome), not a difference
    describes_level: ClassVar[bool] = False
    texts: ClassVar[Mapping[str, Mapping[str, Any]]] = {}

    def feasible(self, ctx: Context) -> Infeasible | None:
        """``None`` when the data can feed the design, else why not."""
        return None

    def estimate(self, ctx: Context) -> Estimate | None:
        """The design's estimate (``None`` when a must-pass check stops it first)."""
        raise NotImplementedError

    def checks(self, ctx: Context, est: Estimate | None) -> list[Check]:
        """Must-pass and informative diagnostics, in the order they are shown."""
        return []

    def threats(self, ctx: Context, est: Estimate | None) -> list[Threat]:
        """``(code, params)`` pairs that lower the security rating if chosen."""
        return []

    def sensitivity(self, ctx: Context, est: Estimate | None) -> Any:
        """A sensitivity analysis of the estimate (none by default)."""
        return None

    def sms_level(self, ctx: Context) -> int | None:
        return self.sms

    def design_padlocks(self, ctx: Context) -> int:
        return self.eef_design

    def mde_r2(self, ctx: Context, est: Estimate, r2_pre: float) -> float:
        """The share of outcome variance the design explains (for Bloom's MDES)."""
        if self.mde_uses_model_r2:
            # covariates (and the baseline outcome) in an ANCOVA explain part of the variance
            return max(r2_pre, min(float(est.diagnostics.get("r_squared") or 0.0), 0.99))
        return r2_pre

    def mde(self, ctx: Context, est: Estimate, r2: float) -> float | None:
        """Bloom's MDES in SD units of this design, or ``None``."""
        th = ctx.th
        nt, nc = est.n_treated, est.n_control
        if self.mde_kind is None:
            return None
        if self.mde_kind == "paired":
            return mdes_bloom(nt, 0, r2=r2, alpha=th.alpha, power=th.power, paired=True)
        if self.mde_kind == "one_sample":
            m = mdes_bloom(nt, 0, r2=0.0, alpha=th.alpha, power=th.power, paired=True)
            return m / math.sqrt(2)  # one sample, no pairing
        return mdes_bloom(nt, max(nc, 1), r2=r2 if self.mde_uses_pre else 0.0, alpha=th.alpha,
                          power=th.power)

    def __repr__(self) -> str:
        return f"<rung {self.name} score={self.score}>"


def register(rung: Rung) -> Rung:
    """Add a rung to the ladder (and its texts to :mod:`impacteval.texts`)."""
    if not isinstance(rung, Rung) or not rung.name:
        raise ArgumentError(Note("err_ladder_register"))
    if rung.name in _RUNGS:
        raise ArgumentError(Note("err_ladder_registered", name=rung.name))
    for lang in texts.LANGS:
        t = rung.texts.get(lang)
        if not t or "name" not in t or "rule" not in t:
            raise ArgumentError(Note("err_ladder_rung_texts", name=rung.name, lang=lang))
    _RUNGS[rung.name] = rung
    DESIGNS[rung.name] = (rung.score, rung.sms, rung.eef_design)
    for lang in texts.LANGS:
        texts.add_design(rung.name, lang, **rung.texts[lang])
    return rung


def unregister(name: str) -> None:
    """Remove a rung (tests register toy rungs and remove them again)."""
    rung = _RUNGS.pop(name, None)
    DESIGNS.pop(name, None)
    for lang in texts.LANGS:
        t = rung.texts.get(lang, {}) if rung is not None else {}
        own = [*(t.get("reasons") or {}), *(t.get("threats") or {}), *(t.get("checks") or {})]
        texts.remove_design(name, lang, reasons=tuple(own))


@contextmanager
def registered(rung: Rung) -> Iterator[Rung]:
    """``with registered(MyRung()):`` — a rung on the ladder for the block only."""
    register(rung)
    try:
        yield rung
    finally:
        unregister(rung.name)


def get(name: str) -> Rung:
    try:
        return _RUNGS[name]
    except KeyError:
        raise ArgumentError(Note("err_ladder_no_design", name=str(name),
                                 have=", ".join(_RUNGS))) from None


def ordered() -> list[Rung]:
    """The registered rungs, strongest first (ties in registration order)."""
    return sorted(_RUNGS.values(), key=lambda r: -r.score)
