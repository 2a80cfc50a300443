"""Minimal figures for results (the full plot set lives in ``impacteval.plots``)."""

from __future__ import annotations

import numpy as np


def _axes(ax):
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3))
        return fig, ax
    return ax.figure, ax


def plot_estimate(est, ax=None):
    """Point estimate with its interval; the bootstrap distribution when kept."""
    et = est.tables.get("event_time")
    if et is not None and "band_low" in et.columns:  # staggered entry: the event study
        return plot_event_study(est, ax=ax)
    fig, ax = _axes(ax)
    unit = " (%)" if est.scale == "relative" else ""
    if est.draws is not None:
        d = est.draws[np.isfinite(est.draws)]
        ax.hist(d, bins=60, color="0.8", edgecolor="0.6")
        ax.set_ylabel("bootstrap draws")
    ax.axvline(est.estimate, color="black", lw=2, label="estimate")
    ax.axvspan(est.conf_low, est.conf_high, color="0.5", alpha=0.3,
               label=f"{est.conf_level:.0%} interval")
    ax.axvline(0, color="0.3", ls=":", lw=1)
    ax.set_xlabel(f"{est.estimand} in {est.outcome}{unit}")
    ax.set_title(f"{est.design}: {est.estimate:.3g} [{est.conf_low:.3g}, {est.conf_high:.3g}]")
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig


def plot_estimates(estimates, ax=None):
    """Several estimates with intervals, one row each."""
    fig, ax = _axes(ax)
    labels = [f"{e.design} vs {e.comparison}" if e.comparison else e.design for e in estimates]
    y = np.arange(len(estimates))
    ax.errorbar([e.estimate for e in estimates], y,
                xerr=[[e.estimate - e.conf_low for e in estimates],
                      [e.conf_high - e.estimate for e in estimates]],
                fmt="o", color="black", capsize=3)
    ax.set_yticks(y, labels)
    ax.axvline(0, color="0.3", ls=":", lw=1)
    ax.set_xlabel(f"effect on {estimates[0].outcome}")
    fig.tight_layout()
    return fig


_EVENT_LABELS = {
    "en": {"x": "periods since start (event time)", "y": "effect on {outcome}",
           "point": "estimate", "band": "{level:.0%} uniform band",
           "pointwise": "{level:.0%} pointwise interval",
           "title": "Event study: effect by time since start (Callaway & Sant'Anna)"},
    "sv": {"x": "perioder sedan start (händelsetid)", "y": "effekt på {outcome}",
           "point": "skattning", "band": "{level:.0%} simultant band",
           "pointwise": "{level:.0%} punktvist intervall",
           "title": "Händelsestudie: effekt efter tid sedan start (Callaway & Sant'Anna)"},
}


def plot_event_study(est, ax=None, lang: str = "en"):
    """Event-study figure: effect by periods since start with the uniform band.

    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    if lang not in _EVENT_LABELS:
        from .errors import ArgumentError
        from .notes import Note

        raise ArgumentError(Note("err_lang", value=repr(lang)))
    lab = _EVENT_LABELS[lang]
    et = est.tables["event_time"]
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 4))
    else:
        fig = ax.figure
    x = et["event_time"].to_numpy(float)
    ax.fill_between(x, et["band_low"], et["band_high"], color="0.75", alpha=0.6,
                    label=lab["band"].format(level=est.conf_level), step=None)
    ax.errorbar(x, et["estimate"], yerr=[et["estimate"] - et["conf_low"],
                                         et["conf_high"] - et["estimate"]],
                fmt="o", color="black", capsize=3, label=lab["pointwise"].format(
                    level=est.conf_level))
    ax.axhline(0, color="0.3", ls=":", lw=1)
    ax.axvline(-0.5, color="0.5", ls="--", lw=1)
    ax.set_xlabel(lab["x"])
    ax.set_ylabel(lab["y"].format(outcome=est.outcome))
    ax.set_title(lab["title"], fontsize=10)
    ax.legend(loc="best", fontsize=8)
    fig.tight_layout()
    return fig
