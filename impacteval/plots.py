"""Figures of an evaluation: group means, the ladder, balance, overlap, bootstrap, event time.

Every function draws with matplotlib and returns the :class:`~matplotlib.figure.Figure`
(pass ``ax=`` to draw into an existing axes). The figures are made to be read in
grayscale — black, grays, line styles and marker shapes carry the groups, not
colours — and every axis says what it measures and in which unit. Titles and
labels exist in English and Swedish (``lang="en" | "sv"``).

Figures built from the data (:func:`group_means_plot`, the propensity-score
variant of :func:`overlap_plot`) take ``suppress_below``: a group mean, or a
histogram bar, that describes fewer people than that is not drawn (statistical
disclosure control, SPEC 3.4).

Figures are made with :class:`matplotlib.figure.Figure` directly rather than
``pyplot``, so building many of them for a report leaks no global state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .errors import ArgumentError, DataError, MissingColumnError
from .notes import Note
from .periods import chronological
from .roles import ARM_COL, TREATED_COL, prepare

__all__ = [
    "PLOT_TEXT",
    "group_means",
    "group_means_plot",
    "ladder_plot",
    "love_plot",
    "overlap_plot",
    "bootstrap_plot",
    "event_time_plot",
]

#: wording of titles and axis labels
PLOT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "means_title": "{outcome} by group, before and after the start",
        "period": "period ({period})",
        "start": "start",
        "outcome_units": "outcome units",
        "mean_of": "mean {outcome} ({units})",
        "participants": "participants ({label})",
        "suppressed_means": "means of fewer than {k} people not shown",
        "ladder_title": "Effect on {outcome} by design tried",
        "effect_on": "effect on {outcome} ({units})",
        "chosen": "chosen",
        "sensitivity": "weaker design (sensitivity)",
        "rejected": "rejected (diagnostics failed)",
        "love_title": "Covariate balance before and after matching",
        "abs_smd": "|standardised mean difference| (SD units)",
        "before_matching": "before matching",
        "after_matching": "after matching",
        "overlap_title": "Overlap of participants and comparison group",
        "score": "estimated propensity score (probability of taking part)",
        "share_of_group": "share of group (%)",
        "treated": "participants",
        "control": "comparison group",
        "suppressed_bin": "bar of 1–{k1} people (height = upper bound)",
        "outside_title": "Participants outside the comparison group's range",
        "share_outside": "participants outside the comparison range (%)",
        "boot_title": "Bootstrap distribution of the effect",
        "n_draws": "number of resamples",
        "estimate": "estimate",
        "interval": "{level} interval",
        "event_title": "Effect by period relative to {ref} (pre-trend check)",
        "pre": "before the start (should be near 0)",
        "post": "after the start",
        "reference": "reference period",
        "zero": "no effect",
        "percent": "%",
        "pp": "percentage points",
    },
    "sv": {
        "means_title": "{outcome} per grupp, före och efter starten",
        "period": "period ({period})",
        "start": "start",
        "outcome_units": "utfallets enhet",
        "mean_of": "medelvärde av {outcome} ({units})",
        "participants": "deltagare ({label})",
        "suppressed_means": "medelvärden för färre än {k} personer visas inte",
        "ladder_title": "Effekt på {outcome} per prövad design",
        "effect_on": "effekt på {outcome} ({units})",
        "chosen": "vald",
        "sensitivity": "svagare design (känslighetsanalys)",
        "rejected": "underkänd (diagnostik föll ut)",
        "love_title": "Balans i bakgrundsvariabler före och efter matchning",
        "abs_smd": "|standardiserad medelvärdesskillnad| (standardavvikelser)",
        "before_matching": "före matchning",
        "after_matching": "efter matchning",
        "overlap_title": "Överlapp mellan deltagare och jämförelsegrupp",
        "score": "skattad benägenhetspoäng (sannolikhet att delta)",
        "share_of_group": "andel av gruppen (%)",
        "treated": "deltagare",
        "control": "jämförelsegrupp",
        "suppressed_bin": "stapel med 1–{k1} personer (höjd = övre gräns)",
        "outside_title": "Deltagare utanför jämförelsegruppens variationsvidd",
        "share_outside": "deltagare utanför jämförelsegruppens värden (%)",
        "boot_title": "Bootstrapfördelning av effekten",
        "n_draws": "antal omdragningar",
        "estimate": "skattning",
        "interval": "{level} konfidensintervall",
        "event_title": "Effekt per period jämfört med {ref} (kontroll av trender före)",
        "pre": "före starten (bör ligga nära 0)",
        "post": "efter starten",
        "reference": "referensperiod",
        "zero": "ingen effekt",
        "percent": "%",
        "pp": "procentenheter",
    },
}

# grayscale styles: (colour, line style, marker)
_STYLES = [("0.0", "-", "o"), ("0.45", "--", "s"), ("0.6", ":", "^"), ("0.3", "-.", "D"),
           ("0.55", (0, (5, 1, 1, 1)), "v")]


def _t(lang: str) -> dict[str, str]:
    if lang not in PLOT_TEXT:
        raise ArgumentError(Note("err_lang", value=repr(lang)))
    return PLOT_TEXT[lang]


def _figure(ax: Any, figsize: tuple[float, float]):
    if ax is not None:
        return ax.figure, ax
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots()


def _units_label(units: str | None, scale: str, lang: str) -> str:
    T = _t(lang)
    if scale == "relative":
        return units or T["percent"]
    return units or T["outcome_units"]


def _period_label(p: Any) -> str:
    """A period for a tick: dates without a time of day, months without a day."""
    if isinstance(p, (pd.Timestamp, np.datetime64)) or hasattr(p, "strftime"):
        ts = pd.Timestamp(p)
        return ts.strftime("%Y-%m") if ts.day == 1 and ts == ts.normalize() else \
            ts.strftime("%Y-%m-%d")
    return str(p)


def _period_ticks(ax: Any, positions: Sequence[float], periods: Sequence[Any],
                  max_labels: int = 12) -> None:
    """Text or date periods on the x axis: every k-th label when there are many, turned
    so that they never overlap."""
    labels = [_period_label(p) for p in periods]
    step = max(1, int(np.ceil(len(labels) / max_labels)))
    ax.set_xticks(list(positions)[::step], labels[::step])
    if step > 1 or max((len(s) for s in labels), default=0) * len(labels[::step]) > 60:
        for t in ax.get_xticklabels():
            t.set_rotation(40)
            t.set_ha("right")


def _wrap(text: str, width: int = 55) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _is_numeric(values: Sequence[Any]) -> bool:
    return all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
               for v in values)


# ------------------------------------------------------------------ group means
def group_means(
    data: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    period: str,
    unit: str | None = None,
    treated: Any = None,
    control: Any = None,
    pre: Any = None,
    post: Any = None,
    suppress_below: int = 5,
) -> pd.DataFrame:
    """Mean outcome per group and period, with the number of people behind each mean.

    Parameters
    ----------
    data : DataFrame
        Long format, one row per unit and period.
    outcome, group, period, unit, treated, control, pre, post
        Roles as in :func:`impacteval.evaluate`. Without ``pre``/``post`` every
        period is shown.
    suppress_below : int
        Means of fewer units than this are replaced by NaN (``suppressed``
        is True); ``n`` is kept for the caller to show as "< k".

    Returns
    -------
    DataFrame
        Columns ``group`` (label as text), ``treated`` (bool), ``period``,
        ``phase`` (``"pre"``, ``"post"`` or ``None``), ``n``, ``mean``,
        ``suppressed``; rows in period order, participants first.

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("did")
    >>> t = group_means(df, outcome="welfare_ksek", unit="household_id", group="group",
    ...                 treated="participant", period="period", pre="pre", post="post")
    >>> list(t.columns)
    ['group', 'treated', 'period', 'phase', 'n', 'mean', 'suppressed']
    """
    study = prepare(data, outcome=outcome, unit=unit, group=group, treated=treated,
                    control=control, period=period, pre=pre, post=post)
    d = study.data
    if study.pre or study.post:
        periods = list(study.pre) + list(study.post)
        periods = chronological(periods)
    else:
        periods = chronological(pd.unique(d[period]))
    phase = {p: "pre" for p in study.pre} | {p: "post" for p in study.post}
    key = d[ARM_COL].astype(object).where(d[TREATED_COL] == 0, str(study.treated))
    if unit is not None:
        n = d.groupby([key, d[period]], sort=False)[unit].nunique()
    else:
        n = d.groupby([key, d[period]], sort=False)[outcome].size()
    m = d.groupby([key, d[period]], sort=False)[outcome].mean()
    labels = [str(study.treated)] + [str(c) for c in study.controls]
    rows = []
    for lab in labels:
        for p in periods:
            k = int(n.get((lab, p), 0))
            mean = float(m.get((lab, p), float("nan")))
            small = k < suppress_below
            rows.append({"group": lab, "treated": lab == str(study.treated), "period": p,
                         "phase": phase.get(p), "n": k,
                         "mean": float("nan") if small else mean, "suppressed": small and k > 0})
    return pd.DataFrame(rows, columns=["group", "treated", "period", "phase", "n", "mean",
                                       "suppressed"])


def group_means_plot(
    data: pd.DataFrame,
    *,
    outcome: str,
    group: str,
    period: str,
    unit: str | None = None,
    treated: Any = None,
    control: Any = None,
    pre: Any = None,
    post: Any = None,
    suppress_below: int = 5,
    units: str | None = None,
    lang: str = "en",
    title: str | None = None,
    ax: Any = None,
):
    """Mean outcome per period for participants and each comparison group.

    The fall (or rise) of the outcome in every group, before and after the
    start — the picture behind "welfare payments fell by 80 % among
    participants, by 57 % on the waitlist and by 45 % in the register". Means
    of fewer than ``suppress_below`` people are not drawn.

    Parameters
    ----------
    data : DataFrame
    outcome, group, period, unit, treated, control, pre, post
        Roles as in :func:`impacteval.evaluate`.
    suppress_below : int
        Smallest number of people a drawn mean may describe (default 5).
    units : str, optional
        Unit of the outcome for the axis label (e.g. ``"SEK per month"``).
    lang : {"en", "sv"}
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import impacteval as ie
    >>> from impacteval.cli import SERVICETRAINEE_ROLES as R
    >>> df = ie.datasets.load_servicetrainee()
    >>> fig = group_means_plot(df, outcome="welfare", unit="person_id", group="group",
    ...                        treated="participant", control=["waitlist", "register"],
    ...                        period="month", pre=R["pre"], post=R["post"],
    ...                        units="SEK per month")
    """
    T = _t(lang)
    tab = group_means(data, outcome=outcome, group=group, period=period, unit=unit,
                      treated=treated, control=control, pre=pre, post=post,
                      suppress_below=suppress_below)
    fig, ax = _figure(ax, (7.5, 4.0))
    periods = list(dict.fromkeys(tab["period"]))
    numeric = _is_numeric(periods)
    pos = {p: (float(p) if numeric else i) for i, p in enumerate(periods)}
    for i, (lab, sub) in enumerate(tab.groupby("group", sort=False)):
        color, ls, marker = _STYLES[i % len(_STYLES)]
        plain = str(lab).strip().lower() in ("participant", "participants", "deltagare",
                                             "deltagarna", "treated", "behandlade")
        name = (T["participants"].format(label=lab)
                if bool(sub["treated"].iloc[0]) and not plain else str(lab))
        ax.plot([pos[p] for p in sub["period"]], sub["mean"], color=color, ls=ls, marker=marker,
                ms=4, lw=1.8 if i == 0 else 1.4, label=name,
                mfc=color if i == 0 else "white")
    pre_p = [p for p in periods if tab.loc[tab.period == p, "phase"].iloc[0] == "pre"]
    post_p = [p for p in periods if tab.loc[tab.period == p, "phase"].iloc[0] == "post"]
    if pre_p and post_p:
        x0 = (max(pos[p] for p in pre_p) + min(pos[p] for p in post_p)) / 2
        ax.axvline(x0, color="0.2", ls=(0, (1, 2)), lw=1)
        ax.text(x0, 1.0, " " + T["start"], transform=ax.get_xaxis_transform(), va="top",
                ha="left", fontsize=8, color="0.2")
    if not numeric:
        _period_ticks(ax, list(pos.values()), periods)
    ax.set_xlabel(T["period"].format(period=period))
    ax.set_ylabel(_wrap(T["mean_of"].format(outcome=outcome,
                                            units=units or T["outcome_units"])))
    ax.set_title(title or T["means_title"].format(outcome=outcome), fontsize=11)
    if tab["suppressed"].any():
        ax.annotate(T["suppressed_means"].format(k=suppress_below), (0, 0),
                    xycoords="axes fraction", xytext=(2, 2), textcoords="offset points",
                    fontsize=7, color="0.3")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(axis="y", color="0.9", lw=0.6)
    return fig


# ----------------------------------------------------------------- ladder plot
def ladder_plot(evaluation: Any, *, units: str | None = None, lang: str = "en",
                title: str | None = None, ax: Any = None):
    """Effect and interval of every design tried, strongest at the top, chosen in black.

    Parameters
    ----------
    evaluation : Evaluation
        Result of :func:`impacteval.evaluate` (one outcome × comparison group).
    units : str, optional
        Unit of the outcome for the axis label.
    lang : {"en", "sv"}
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("did")
    >>> ev = ie.evaluate(df, outcome="welfare_ksek", unit="household_id", group="group",
    ...                  treated="participant", period="period", pre="pre", post="post")
    >>> fig = ladder_plot(ev, units="kSEK per year")
    """
    from . import texts

    T = _t(lang)
    steps = getattr(evaluation, "steps", None)
    if not isinstance(steps, pd.DataFrame) or "design" not in steps:
        raise ArgumentError(Note("err_plot_ladder"))
    first = steps.groupby("design", sort=False).first().reset_index()
    first = first[(first["design"] != "follow_up") & first["estimate"].notna()]
    fig, ax = _figure(ax, (7.5, 0.9 + 0.42 * max(len(first), 1)))
    y = np.arange(len(first))[::-1]
    done = set()
    for yi, (_, r) in zip(y, first.iterrows(), strict=True):
        verdict = r["verdict"]
        if verdict == "chosen":
            style = dict(color="0.0", mfc="0.0", ms=8, lw=2.6, marker="o")
            key = "chosen"
        elif verdict in ("sensitivity", "bracket"):
            style = dict(color="0.45", mfc="0.45", ms=6, lw=1.5, marker="s")
            key = "sensitivity"
        else:
            style = dict(color="0.6", mfc="white", ms=6, lw=1.2, marker="D", ls=":")
            key = "rejected"
        lo, hi, est = float(r["conf_low"]), float(r["conf_high"]), float(r["estimate"])
        ax.plot([lo, hi], [yi, yi], color=style["color"], lw=style["lw"],
                ls=style.get("ls", "-"))
        ax.plot([est], [yi], marker=style["marker"], color=style["color"], mfc=style["mfc"],
                ms=style["ms"], ls="none", label=None if key in done else T[key])
        done.add(key)
    ax.axvline(0, color="0.3", ls=(0, (1, 2)), lw=1)
    ax.set_yticks(y, [texts.design_name(d, lang) for d in first["design"]])
    scale = getattr(getattr(evaluation, "estimate", None), "scale", "absolute")
    ax.set_xlabel(T["effect_on"].format(outcome=evaluation.outcome,
                                        units=_units_label(units, scale, lang)))
    ax.set_ylim(-0.7, len(first) - 0.3)
    ax.set_title(title or T["ladder_title"].format(outcome=evaluation.outcome), fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="best")
    ax.grid(axis="x", color="0.9", lw=0.6)
    return fig


# ------------------------------------------------------------------- love plot
def love_plot(balance: pd.DataFrame, *, thresholds: Sequence[float] = (0.10, 0.25),
              lang: str = "en", title: str | None = None, ax: Any = None):
    """Absolute standardised mean differences before and after matching (a "love plot").

    Parameters
    ----------
    balance : DataFrame
        A balance table with columns ``covariate``, ``smd_before`` and
        ``smd_after`` (``Estimate.tables["balance"]`` of matched designs).
    thresholds : sequence of float
        Reference lines (0.10 good, 0.25 maximum; Austin 2009, Stuart 2010).
    lang : {"en", "sv"}
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import pandas as pd
    >>> bal = pd.DataFrame({"covariate": ["age", "earlier welfare"],
    ...                     "smd_before": [-0.57, -0.63], "smd_after": [-0.18, -0.13]})
    >>> fig = love_plot(bal)
    """
    T = _t(lang)
    need = {"covariate", "smd_before", "smd_after"}
    if not isinstance(balance, pd.DataFrame) or not need <= set(balance.columns):
        raise MissingColumnError(Note("err_plot_love"))
    b = balance.reset_index(drop=True)
    fig, ax = _figure(ax, (7.0, 1.0 + 0.32 * max(len(b), 1)))
    y = np.arange(len(b))[::-1]
    ax.plot(b["smd_before"].abs(), y, ls="none", marker="o", mfc="white", color="0.45", ms=6,
            label=T["before_matching"])
    ax.plot(b["smd_after"].abs(), y, ls="none", marker="o", color="0.0", ms=6,
            label=T["after_matching"])
    for th, ls in zip(thresholds, [(0, (1, 2)), "--", "-."], strict=False):
        ax.axvline(th, color="0.3", ls=ls, lw=1, label=f"{th:g}")
    ax.set_yticks(y, [str(c) for c in b["covariate"]])
    ax.set_xlim(left=0)
    ax.set_xlabel(T["abs_smd"])
    ax.set_title(title or T["love_title"], fontsize=11)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.grid(axis="x", color="0.9", lw=0.6)
    return fig


# ----------------------------------------------------------------- overlap plot
def overlap_plot(source: Any, treated: Any = None, *, bins: int = 12,
                 suppress_below: int | None = None, lang: str = "en", title: str | None = None,
                 ax: Any = None):
    """Overlap of participants and comparison group.

    Two inputs are accepted:

    * scores and a treatment indicator — a mirrored histogram (participants
      above the axis, comparison group below, each as a share of its group);
      with ``suppress_below`` a bar of 1 to ``suppress_below - 1`` people is
      drawn as a hatched outline at its largest possible height, not at its
      real one;
    * an overlap table (``Estimate.tables["overlap"]`` of matched designs,
      columns ``column`` and ``share_treated_outside``) — the share of
      participants outside the comparison group's range, per covariate.

    Parameters
    ----------
    source : array-like or DataFrame
        Propensity scores (one per unit) or an overlap table.
    treated : array-like of bool, optional
        Participant indicator, needed with scores.
    bins : int
        Number of equal-width bins for the histogram.
    suppress_below : int, optional
        Disclosure control for the histogram (see above).
    lang : {"en", "sv"}
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> s = np.r_[rng.beta(3, 2, 30), rng.beta(2, 3, 100)]
    >>> fig = overlap_plot(s, np.r_[np.ones(30, bool), np.zeros(100, bool)], suppress_below=5)
    """
    T = _t(lang)
    if isinstance(source, pd.DataFrame):
        if not {"column", "share_treated_outside"} <= set(source.columns):
            raise MissingColumnError(Note("err_plot_overlap_table"))
        tab = source.reset_index(drop=True)
        fig, ax = _figure(ax, (7.0, 1.0 + 0.32 * max(len(tab), 1)))
        y = np.arange(len(tab))[::-1]
        ax.barh(y, 100 * tab["share_treated_outside"].astype(float), color="0.55",
                edgecolor="0.2", height=0.6)
        ax.set_yticks(y, [str(c) for c in tab["column"]])
        ax.set_xlabel(T["share_outside"])
        ax.set_xlim(0, max(10.0, float(100 * tab["share_treated_outside"].max()) * 1.15))
        ax.set_title(title or T["outside_title"], fontsize=11)
        ax.grid(axis="x", color="0.9", lw=0.6)
        return fig
    if treated is None:
        raise ArgumentError(Note("err_plot_overlap_treated"))
    s = np.asarray(source, dtype=float).ravel()
    t = np.asarray(treated).astype(bool).ravel()
    if s.shape != t.shape:
        raise ArgumentError(Note("err_plot_overlap_sizes", n=int(s.size), m=int(t.size)))
    ok = np.isfinite(s)
    if not ok.all():
        raise DataError(Note("err_plot_overlap_missing", n=int((~ok).sum())))
    if not t.any() or t.all():
        raise DataError(Note("err_plot_overlap_groups"))
    edges = np.histogram_bin_edges(s, bins=bins)
    fig, ax = _figure(ax, (7.0, 3.8))
    width = np.diff(edges)
    hatch_label_done = False
    for sign, mask, color, name in ((1, t, "0.3", T["treated"]), (-1, ~t, "0.7", T["control"])):
        counts, _ = np.histogram(s[mask], bins=edges)
        n = int(mask.sum())
        share = 100 * counts / n
        small = (counts > 0) & (counts < (suppress_below or 0))
        shown = np.where(small, 0.0, share)
        ax.bar(edges[:-1], sign * shown, width=width, align="edge", color=color,
               edgecolor="0.1", lw=0.5, label=name)
        if small.any():
            upper = 100 * (suppress_below - 1) / n
            ax.bar(edges[:-1][small], sign * np.full(small.sum(), upper), width=width[small],
                   align="edge", fill=False, facecolor="none", hatch="////",
                   edgecolor="0.35", lw=0.5,
                   label=None if hatch_label_done else
                   T["suppressed_bin"].format(k1=suppress_below - 1))
            hatch_label_done = True
    ax.axhline(0, color="0.0", lw=0.8)
    ticks = ax.get_yticks()
    ax.set_yticks(ticks, [f"{abs(v):g}" for v in ticks])
    ax.set_xlabel(T["score"])
    ax.set_ylabel(T["share_of_group"])
    ax.set_title(title or T["overlap_title"], fontsize=11)
    ax.legend(fontsize=8, frameon=False)
    return fig


# --------------------------------------------------------------- bootstrap plot
def bootstrap_plot(estimate: Any, *, units: str | None = None, bins: int = 60,
                   lang: str = "en", title: str | None = None, ax: Any = None):
    """Histogram of an estimate's bootstrap (or permutation) draws with its interval.

    Parameters
    ----------
    estimate : Estimate
        An estimate whose ``draws`` were kept.
    units : str, optional
    bins : int
    lang : {"en", "sv"}
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("comparison")
    >>> est = ie.difference(df, outcome="merit", group="group", treated="participant",
    ...                     ci="percentile", n_boot=999, seed=1)
    >>> fig = bootstrap_plot(est, units="merit points")
    """
    T = _t(lang)
    draws = getattr(estimate, "draws", None)
    if draws is None:
        raise ArgumentError(Note("err_plot_no_draws"))
    d = np.asarray(draws, dtype=float)
    d = d[np.isfinite(d)]
    if d.size == 0:
        raise DataError(Note("err_plot_draws_missing"))
    fig, ax = _figure(ax, (7.0, 3.6))
    ax.hist(d, bins=bins, color="0.8", edgecolor="0.5", lw=0.4)
    level = f"{estimate.conf_level:.0%}".replace("%", " %")
    ax.axvspan(estimate.conf_low, estimate.conf_high, color="0.5", alpha=0.25,
               label=T["interval"].format(level=level))
    ax.axvline(estimate.estimate, color="0.0", lw=2, label=T["estimate"])
    ax.axvline(0, color="0.3", ls=(0, (1, 2)), lw=1, label=T["zero"])
    ax.set_xlabel(T["effect_on"].format(outcome=estimate.outcome,
                                        units=_units_label(units, estimate.scale, lang)))
    ax.set_ylabel(T["n_draws"])
    ax.set_title(title or T["boot_title"], fontsize=11)
    ax.legend(fontsize=8, frameon=False)
    return fig


# ---------------------------------------------------------------- event time
def event_time_plot(source: Any, *, units: str | None = None, period: str = "period",
                    lang: str = "en", title: str | None = None, ax: Any = None):
    """Effect per period relative to the reference period: the pre-trend picture.

    Before the start the estimates should scatter around zero (parallel
    trends); after it they show how the effect develops.

    Parameters
    ----------
    source : Estimate or DataFrame
        An estimate with ``tables["event_time"]`` (``ie.did`` with several
        periods) or that table itself (columns ``period``, ``estimate``,
        ``conf_low``, ``conf_high``, ``pre``; optional ``relative_to``).
    units : str, optional
    period : str
        Name of the period column, for the axis label.
    lang : {"en", "sv"}
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_servicetrainee()
    >>> est = ie.did(df, outcome="welfare", unit="person_id", group="group",
    ...              treated="participant", control="register", period="month",
    ...              pre=list(range(-12, 0)), post=list(range(1, 13)))
    >>> fig = event_time_plot(est, units="SEK per month")
    """
    T = _t(lang)
    scale = "absolute"
    outcome = None
    if isinstance(source, pd.DataFrame):
        tab = source
    else:
        tables = getattr(source, "tables", None)
        if not isinstance(tables, Mapping) or "event_time" not in tables:
            raise ArgumentError(Note("err_plot_event_time"))
        tab = tables["event_time"]
        scale = source.scale
        outcome = source.outcome
        if "band_low" in tab.columns:  # staggered entry: event time with the uniform band
            from ._plotting import plot_event_study

            return plot_event_study(source, ax=ax, lang=lang)
    need = {"period", "estimate", "conf_low", "conf_high", "pre"}
    if not need <= set(tab.columns):
        raise MissingColumnError(Note("err_plot_event_columns", columns=", ".join(sorted(need))))
    tab = tab.reset_index(drop=True)
    ref = tab["relative_to"].iloc[0] if "relative_to" in tab and len(tab) else None
    periods = list(tab["period"]) + ([ref] if ref is not None else [])
    numeric = _is_numeric(periods)
    if numeric:
        pos = {p: float(p) for p in periods}
    else:
        order = list(tab.loc[tab["pre"].astype(bool), "period"]) + (
            [ref] if ref is not None else []) + list(tab.loc[~tab["pre"].astype(bool), "period"])
        pos = {p: i for i, p in enumerate(order)}
    fig, ax = _figure(ax, (7.5, 3.8))
    for is_pre, color, mfc, key in ((True, "0.45", "white", "pre"), (False, "0.0", "0.0", "post")):
        sub = tab[tab["pre"].astype(bool) == is_pre]
        if not len(sub):
            continue
        x = np.array([pos[p] for p in sub["period"]], dtype=float)
        est = sub["estimate"].to_numpy(float)
        ax.errorbar(x, est, yerr=[est - sub["conf_low"].to_numpy(float),
                                  sub["conf_high"].to_numpy(float) - est],
                    fmt="o", color=color, mfc=mfc, ms=5, capsize=2, lw=1.1, label=T[key])
    if ref is not None:
        ax.plot([pos[ref]], [0.0], marker="D", color="0.0", mfc="white", ms=6, ls="none",
                label=T["reference"] + f" ({ref})")
    ax.axhline(0, color="0.3", ls=(0, (1, 2)), lw=1)
    pre_x = [pos[p] for p in tab.loc[tab["pre"].astype(bool), "period"]] + (
        [pos[ref]] if ref is not None else [])
    post_x = [pos[p] for p in tab.loc[~tab["pre"].astype(bool), "period"]]
    if pre_x and post_x:
        ax.axvline((max(pre_x) + min(post_x)) / 2, color="0.2", ls="--", lw=0.8)
    if not numeric:
        _period_ticks(ax, list(pos.values()), list(pos))
    ax.set_xlabel(T["period"].format(period=period))
    ylab = T["effect_on"].format(outcome=outcome or "outcome",
                                 units=_units_label(units, scale, lang))
    if scale == "relative" and not units:
        ylab = T["effect_on"].format(outcome=outcome or "outcome", units=T["pp"])
    ax.set_ylabel(ylab)
    ax.set_title(title or T["event_title"].format(ref=ref if ref is not None else "–"),
                 fontsize=11)
    ax.legend(fontsize=8, frameon=False)
    ax.grid(axis="y", color="0.9", lw=0.6)
    return fig
