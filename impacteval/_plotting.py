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
        from .estimators.staggered import plot_event_study

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
