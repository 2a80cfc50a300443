"""The self-contained HTML report of an evaluation, in Swedish or English.

:func:`evaluation_html` turns one or more :class:`~impacteval.Evaluation`
results into a single HTML file: the verdict, the effect with its interval
in plain words, the table of designs tried, the four ratings, the plots,
the diagnostics, the weaker designs' estimates as sensitivity analyses,
deviations from the plan, an optional money section and a methods appendix
with the exact calls that reproduce the result.

The file makes no request of any kind: CSS is inline, figures are embedded as
SVG data URIs, there is no JavaScript, and a Content-Security-Policy meta tag
forbids the browser to load anything that is not inside the file.

Privacy: the report never embeds row data or unit ids — the
``*_ids`` diagnostics of matched designs are never printed, and when ``data``
and a ``unit`` role are given, any unit id found in free text is replaced by
``[id]`` — and every count of people below ``suppress_below`` (default 5) is
shown as "< 5"; group means of fewer people are not shown.

HTML is written with the standard library (:mod:`html`, f-strings): a
template engine would add a dependency for a page with one fixed layout.
"""

from __future__ import annotations

import base64
import html
import io
import platform
import warnings
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import texts
from .errors import ArgumentError, ImpactEvalError
from .ladder.result import Evaluation, EvaluationCollection, set_html_writer
from .notes import Note, render_note

__all__ = ["evaluation_html", "REPORT_TEXT", "suppress_count"]

#: wording of the report (the ladder's own sentences are in :mod:`impacteval.texts`)
REPORT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Effect evaluation",
        "subtitle": "Evaluation report made with impacteval {version}",
        "overview": "Overview",
        "outcome": "Outcome",
        "comparison": "Comparison group",
        "design": "Design chosen",
        "effect": "Effect",
        "interval": "{level} % interval",
        "security": "Security",
        "verdict": "Verdict",
        "in_plain_words": "What does it mean?",
        "key_numbers": "Key numbers",
        "estimate": "Estimate",
        "std_error": "Standard error",
        "p_value": "p-value",
        "n_treated": "Participants (units)",
        "n_control": "Comparison units",
        "effect_size": "Standardised effect",
        "inference": "How the interval was made",
        "ratings": "Ratings (0–5, EEF padlocks)",
        "rating_design": "Design",
        "rating_precision": "Precision",
        "rating_attrition": "Attrition",
        "rating_security": "Security (overall)",
        "threats": "Lowered for",
        "mde": "Minimum detectable effect",
        "mdes": "{mdes} SD ({mde} in {units})",
        "attrition": "Attrition (who was lost)",
        "attr_line": "{overall} overall; participants {t}, comparison group {c}",
        "designs_tried": "Designs tried",
        "col_design": "Design",
        "col_score": "Score",
        "col_verdict": "Verdict",
        "col_reason": "Why",
        "col_estimate": "Estimate [{level} % interval]",
        "verdicts": "chosen|bracket|sensitivity|rejected|infeasible",
        "verdict_names": "chosen|equal strength|sensitivity|rejected|not possible",
        "plots": "Figures",
        "diagnostics": "Diagnostics of the chosen design",
        "col_diagnostic": "Diagnostic",
        "col_value": "Value",
        "col_threshold": "Threshold",
        "col_source": "Source",
        "col_passed": "Status",
        "must": "must pass",
        "info": "information",
        "yes": "yes",
        "no": "no",
        "other_diag": "Other figures of the chosen estimate",
        "more_in_json": "{n} more figure(s) are in the JSON output (to_dict()).",
        "sensitivity": "Sensitivity: what the weaker designs would have said",
        "sens_intro": "These designs were also possible but rest on stronger assumptions; "
                      "they are shown for comparison, not as the result.",
        "no_sensitivity": "No other design passed its checks.",
        "sens_rejected": "Designs that were rejected, with their estimates for comparison only "
                         "(why each was rejected is in the table of designs above):",
        "sens_level": "Participants' level after the start (a follow-up: a level, not an effect)",
        "descriptives": "Group means before and after",
        "col_group": "Group",
        "col_n": "Units",
        "col_pre": "Before",
        "col_post": "After",
        "col_change": "Change",
        "participants": "participants",
        "deviations": "Deviations from the plan",
        "no_deviations": "No plan was given, or the evaluation followed it.",
        "money": "Money: from effect to kronor",
        "methods": "Methods appendix: how to reproduce",
        "reproduce_py": "In Python:",
        "reproduce_cli": "On the command line:",
        "data_note": "The data file is not part of this report (it holds personal data); "
                     "the calls above reproduce every number given the same file.",
        "versions": "Software",
        "notes": "Notes and warnings from the estimators",
        "untyped_notes": "{n} note(s) added by hand are not shown in the report (see the "
                         "estimate's notes).",
        "privacy": "Privacy: this report contains no row data and no personal identifiers; "
                   "counts of fewer than {k} people are shown as “< {k}” and group means "
                   "of fewer than {k} people are not shown.",
        "fig_means": "Mean outcome per period in every group. The vertical line marks the "
                     "start.",
        "fig_ladder": "Effect and {level} % interval of every design that could be estimated; the "
                      "chosen design in black.",
        "fig_event": "Difference between the groups in each period relative to the last "
                     "period before the start. Before the start the points should lie near "
                     "zero.",
        "fig_love": "Standardised differences between participants and comparison units "
                    "before and after matching; 0.10 is good balance, 0.25 the limit.",
        "fig_overlap_ps": "Estimated probability of taking part in the two groups, from the "
                          "propensity model the matching used.",
        "fig_overlap_tab": "Share of participants whose value lies outside the range of the "
                           "comparison group.",
        "fig_boot": "Distribution of the effect over the resamples.",
        "fig_failed": "Figure not available: {reason}",
        "none": "–",
        "sd": "SD",
        "outcome_units": "outcome units",
        "exploratory": "exploratory",
        "needs": "needs",
    },
    "sv": {
        "title": "Effektutvärdering",
        "subtitle": "Utvärderingsrapport gjord med impacteval {version}",
        "overview": "Översikt",
        "outcome": "Utfall",
        "comparison": "Jämförelsegrupp",
        "design": "Vald design",
        "effect": "Effekt",
        "interval": "{level} % konfidensintervall",
        "security": "Tillförlitlighet",
        "verdict": "Bedömning",
        "in_plain_words": "Vad betyder det?",
        "key_numbers": "Nyckeltal",
        "estimate": "Skattning",
        "std_error": "Medelfel",
        "p_value": "p-värde",
        "n_treated": "Deltagare (enheter)",
        "n_control": "Jämförelseenheter",
        "effect_size": "Standardiserad effekt",
        "inference": "Hur intervallet beräknades",
        "ratings": "Betyg (0–5, EEF:s hänglås)",
        "rating_design": "Design",
        "rating_precision": "Precision",
        "rating_attrition": "Bortfall",
        "rating_security": "Tillförlitlighet (sammantagen)",
        "threats": "Sänkt för",
        "mde": "Minsta upptäckbara effekt",
        "mdes": "{mdes} standardavvikelser ({mde} i {units})",
        "attrition": "Bortfall (vilka som föll bort)",
        "attr_line": "{overall} totalt; deltagare {t}, jämförelsegrupp {c}",
        "designs_tried": "Prövade designer",
        "col_design": "Design",
        "col_score": "Poäng",
        "col_verdict": "Utfall",
        "col_reason": "Varför",
        "col_estimate": "Skattning [{level} % intervall]",
        "verdicts": "chosen|bracket|sensitivity|rejected|infeasible",
        "verdict_names": "vald|lika stark|känslighetsanalys|underkänd|inte möjlig",
        "plots": "Diagram",
        "diagnostics": "Diagnostik för den valda designen",
        "col_diagnostic": "Diagnostik",
        "col_value": "Värde",
        "col_threshold": "Gräns",
        "col_source": "Källa",
        "col_passed": "Status",
        "must": "krav",
        "info": "information",
        "yes": "ja",
        "no": "nej",
        "other_diag": "Övriga uppgifter om den valda skattningen",
        "more_in_json": "Ytterligare {n} uppgift(er) finns i JSON-utdata.",
        "sensitivity": "Känslighetsanalys: vad de svagare designerna hade sagt",
        "sens_intro": "Dessa designer var också möjliga men vilar på starkare antaganden; de "
                      "visas som jämförelse, inte som resultat.",
        "no_sensitivity": "Ingen annan design klarade sina kontroller.",
        "sens_rejected": "Underkända designer, med skattningarna bara för jämförelse (varför "
                         "var och en underkändes står i tabellen över designer ovan):",
        "sens_level": "Deltagarnas nivå efter starten (en uppföljning: en nivå, inte en effekt)",
        "descriptives": "Gruppernas medelvärden före och efter",
        "col_group": "Grupp",
        "col_n": "Enheter",
        "col_pre": "Före",
        "col_post": "Efter",
        "col_change": "Förändring",
        "participants": "deltagare",
        "deviations": "Avvikelser från planen",
        "no_deviations": "Ingen plan angavs, eller så följde utvärderingen den.",
        "money": "Pengar: från effekt till kronor",
        "methods": "Metodbilaga: så återskapar du resultatet",
        "reproduce_py": "I Python:",
        "reproduce_cli": "På kommandoraden:",
        "data_note": "Datafilen ingår inte i rapporten (den innehåller personuppgifter); "
                     "anropen ovan återskapar varje siffra med samma fil.",
        "versions": "Programvara",
        "notes": "Anmärkningar och varningar från skattningarna",
        "untyped_notes": "{n} anmärkning(ar) som lagts till för hand visas inte i rapporten "
                         "(se skattningens anmärkningar).",
        "privacy": "Integritet: rapporten innehåller inga enskilda rader och inga "
                   "personidentiteter; antal som avser färre än {k} personer visas som "
                   "”< {k}” och medelvärden för färre än {k} personer visas inte.",
        "fig_means": "Medelvärde per period i varje grupp. Den lodräta linjen markerar "
                     "starten.",
        "fig_ladder": "Effekt och {level} % konfidensintervall för varje design som kunde skattas; "
                      "den valda designen i svart.",
        "fig_event": "Skillnaden mellan grupperna i varje period jämfört med sista perioden "
                     "före starten. Före starten bör punkterna ligga nära noll.",
        "fig_love": "Standardiserade skillnader mellan deltagare och jämförelsepersoner före "
                    "och efter matchning; 0,10 är god balans, 0,25 gränsen.",
        "fig_overlap_ps": "Skattad sannolikhet att delta i de två grupperna, från den "
                          "modell för benägenhetspoäng som matchningen använde.",
        "fig_overlap_tab": "Andel deltagare vars värde ligger utanför jämförelsegruppens "
                           "variationsvidd.",
        "fig_boot": "Effektens fördelning över omdragningarna.",
        "fig_failed": "Diagrammet kunde inte ritas.",
        "none": "–",
        "sd": "SD",
        "outcome_units": "utfallets enhet",
        "exploratory": "explorativ",
        "needs": "krav:",
    },
}

CSS = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111;
  background: #fff; max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.2rem 4rem;
  line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid #111; padding-bottom: .2rem;
  margin-top: 2.4rem; }
h3 { font-size: 1.05rem; margin-top: 1.6rem; }
.sub { color: #444; margin-top: 0; }
table { border-collapse: collapse; margin: .6rem 0 1rem; font-size: .9rem; width: 100%; }
th, td { border-bottom: 1px solid #bbb; padding: .25rem .45rem; text-align: left;
  vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.chosen td { font-weight: bold; background: #f2f2f2; }
.verdict { border: 2px solid #111; padding: .7rem 1rem; margin: 1rem 0; }
.verdict .big { font-size: 1.25rem; font-weight: bold; }
.plain { font-size: 1.02rem; background: #f7f7f7; padding: .8rem 1rem;
  border-left: 5px solid #555; }
.pads { font-family: "DejaVu Sans Mono", monospace; letter-spacing: .1em; }
figure { margin: 1.2rem 0; page-break-inside: avoid; }
figure img { width: 100%; max-width: 52rem; height: auto; border: 1px solid #ddd; }
figcaption { font-size: .85rem; color: #333; }
pre { background: #f4f4f4; padding: .7rem; overflow-x: auto; font-size: .8rem;
  white-space: pre-wrap; }
.small { font-size: .85rem; color: #333; }
.privacy { border: 1px dashed #555; padding: .5rem .8rem; font-size: .85rem; }
ul.lines li { margin-bottom: .2rem; }
@media print { h2 { page-break-before: auto; } body { max-width: none; } }
"""

_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'none'; "
        "script-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'")


# ------------------------------------------------------------------- helpers
def suppress_count(n: Any, k: int = 5) -> str:
    """A count of people for display: ``"< k"`` when it is between 1 and ``k - 1``.

    Examples
    --------
    >>> suppress_count(3), suppress_count(30), suppress_count(0)
    ('< 5', '30', '0')
    """
    if n is None:
        return "–"
    try:
        v = int(n)
    except (TypeError, ValueError):
        return str(n)
    return f"< {k}" if 0 < v < k else str(v)


def _report_text(lang: str, conf_level: float) -> dict[str, str]:
    """The report's wording with the confidence level that was used filled in."""
    level = texts.fmt_level(conf_level, lang)
    return {k: v.replace("{level}", level) for k, v in REPORT_TEXT[lang].items()}


def _esc(x: Any) -> str:
    return html.escape("" if x is None else str(x), quote=True)


def _num(x: Any, lang: str) -> str:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return "–" if x is None else str(x)
    return texts.fmt_num(v, lang)


class _Privacy:
    """What the report may show about people: one policy, typed counts.

    Everything the report writes is rendered from codes with typed parameters: the
    ladder's lines (verdict, reasons, checks, threats, the plain paragraph) and the
    estimators' notes (:class:`~impacteval.notes.Note`), plan deviations and economics
    summaries. A :class:`~impacteval.texts.Count` below ``k`` is "< k" by construction,
    so no text is scrubbed after it is written. Notes that are not typed (text a caller
    added by hand) are not shown, only counted, and a design that could not be estimated is
    described by the kind of error, not by its message.
    """

    def __init__(self, k: int, lang: str):
        self.k = k
        self.lang = lang

    def n(self, v: Any) -> str:
        return suppress_count(v, self.k)

    def note(self, n: Any) -> str:
        """A typed note in the report's language (counts below ``k`` as "< k")."""
        return render_note(n, self.lang, self.k)


def _svg_data_uri(fig: Any) -> str:
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "impacteval", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _figure_html(make: Any, caption: str, alt: str, R: dict[str, str]) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig = make()
        uri = _svg_data_uri(fig)
    except (ImpactEvalError, ValueError, KeyError, TypeError, np.linalg.LinAlgError) as exc:
        return f'<p class="small">{_esc(R["fig_failed"].format(reason=exc))}</p>'
    return (f'<figure><img src="{uri}" alt="{_esc(alt)}">'
            f"<figcaption>{_esc(caption)}</figcaption></figure>")


def _pads(k: Any) -> str:
    try:
        k = int(k)
    except (TypeError, ValueError):
        return "–"
    return f'<span class="pads">{"■" * k}{"□" * (5 - k)}</span> {k}/5'


def _as_list_evals(evals: Any) -> list[Any]:
    if isinstance(evals, Evaluation):
        return [evals]
    if isinstance(evals, EvaluationCollection):
        return list(evals)
    if isinstance(evals, Iterable) and not isinstance(evals, (str, bytes, Mapping)):
        items = list(evals)
        if items and all(isinstance(e, Evaluation) for e in items):
            return items
    raise ArgumentError(Note("err_report_needs_evaluation"))


def _py_literal(v: Any) -> str:
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, (list, tuple)):
        vals = [x.item() if isinstance(x, np.generic) else x for x in v]
        ints = all(isinstance(x, int) and not isinstance(x, bool) for x in vals)
        if ints and len(vals) >= 3 and vals == list(range(vals[0], vals[0] + len(vals))):
            return f"list(range({vals[0]}, {vals[-1] + 1}))"
        return "[" + ", ".join(_py_literal(x) for x in vals) + "]"
    if isinstance(v, Mapping):
        return "{" + ", ".join(f"{k!r}: {_py_literal(x)}" for k, x in v.items()) + "}"
    return repr(v)


_CALL_ORDER = ("outcome", "unit", "group", "treated", "control", "period", "pre", "post",
               "covariates", "cluster", "assignment", "start", "reference", "conf_level", "ci",
               "n_boot", "seed", "scale")


def _evaluate_call(kwargs: Mapping[str, Any], source: str | None, lang: str) -> str:
    args = [f"{k}={_py_literal(kwargs[k])}" for k in _CALL_ORDER
            if k in kwargs and kwargs[k] is not None]
    args += [f"{k}={_py_literal(v)}" for k, v in kwargs.items()
             if k not in _CALL_ORDER and v is not None]
    lines = ["import impacteval as ie", "",
             f"df = ie.read_table({(source or 'DATA.csv')!r})",
             "ev = ie.evaluate(", *[f"    df, {a}," if i == 0 else f"    {a}," for i, a in
                                    enumerate(args)], ")",
             "print(ev.summary())",
             f"ev.to_html('report.html', lang={lang!r})"]
    return "\n".join(lines)


def _call_kwargs(ev: Any, roles: Mapping[str, Any] | None) -> dict[str, Any]:
    ctx = ev.context or {}
    out: dict[str, Any] = {"outcome": ev.outcome}
    out.update({k: v for k, v in dict(ctx.get("roles", {})).items()})
    if ctx.get("assignment") is not None:
        out["assignment"] = ctx["assignment"]
    for k in ("start", "reference", "seed", "ci", "n_boot", "conf_level", "scale"):
        if k in ctx:
            out[k] = ctx[k]
    if roles:
        out.update({k: v for k, v in roles.items() if k != "data"})
    if "control" not in (roles or {}):
        out["control"] = ctx.get("control")
    return out


# -------------------------------------------------------------- data figures
#: how a matched estimate records that it matched on the logit propensity score
PS_CALIPER_UNITS = "SD of the logit propensity score"


def _propensity_source(ev: Any) -> Any:
    """The estimate of this evaluation that matched on a propensity score, if any: the
    report draws that model, never one of its own."""
    return next((x for x in [ev.estimate, *ev.sensitivity.values()]
                 if x.diagnostics.get("caliper_units") == PS_CALIPER_UNITS), None)


def _propensity(data: pd.DataFrame, kw: Mapping[str, Any], control: Any, *,
                with_pre: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Propensity scores per unit from the model the matching used: the unpenalised
    logistic regression of :func:`impacteval.match` on the baseline covariates and (when
    the twins were matched on it) the mean pre-period outcome."""
    from .estimators.difference import covariate_matrix
    from .estimators.matching import _propensity_logit
    from .roles import TREATED_COL, prepare

    covs = list(kw.get("covariates") or [])
    unit, period = kw.get("unit"), kw.get("period")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        study = prepare(data, outcome=kw["outcome"], unit=unit, group=kw.get("group"),
                        treated=kw.get("treated"), control=control, period=period,
                        pre=kw.get("pre"), post=kw.get("post"), covariates=covs or None)
    d = study.data
    if unit is not None:
        per = d.groupby(unit, sort=True)
        frame = per[[TREATED_COL] + covs].first()
        if with_pre and period is not None and study.pre:
            pre_mean = d[d[period].isin(study.pre)].groupby(unit)[kw["outcome"]].mean()
            frame = frame.join(pre_mean.rename("__pre__"), how="inner")
            covs = covs + ["__pre__"]
    else:
        frame = d[[TREATED_COL] + covs]
    x = covariate_matrix(frame, tuple(covs)).to_numpy(float)
    if x.shape[1] == 0:
        raise ArgumentError(Note("err_report_no_covariates"))
    t = frame[TREATED_COL].to_numpy() == 1
    logit = _propensity_logit(x, t, int(t.sum()))
    return 1.0 / (1.0 + np.exp(-logit)), t


# --------------------------------------------------------------------- main
def evaluation_html(
    evals: Any,
    lang: str = "en",
    suppress_below: int = 5,
    data: pd.DataFrame | None = None,
    roles: Mapping[str, Any] | None = None,
    economics: Any = None,
    *,
    units: str | None = None,
    title: str | None = None,
    source: str | None = None,
    command: str | None = None,
) -> str:
    """One self-contained HTML report of one or more evaluations.

    Parameters
    ----------
    evals : Evaluation, EvaluationCollection or list of Evaluation
        Results of :func:`impacteval.evaluate`.
    lang : {"en", "sv"}
        Language of the report.
    suppress_below : int
        Counts of fewer people are shown as ``"< k"``; group means of fewer
        people are not shown (default 5).
    data : DataFrame, optional
        The analysed data. Only aggregates are drawn from it (group means per
        period, the propensity-score overlap); no row is embedded.
    roles : mapping, optional
        The keyword arguments given to :func:`impacteval.evaluate` (roles and
        settings). Default: the roles recorded in each evaluation's context.
    economics : object, mapping or list, optional
        Results of :mod:`impacteval.economics` (anything with ``summary()``),
        or a mapping of heading to such results, shown in a money section.
    units : str, optional
        Unit of the outcome for axis labels (e.g. ``"SEK per month"``).
    title : str, optional
        Title of the report.
    source : str, optional
        Name of the data file, for the reproduce calls.
    command : str, optional
        The command line that made the report, shown in the methods appendix.

    Returns
    -------
    str
        The HTML document.

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("did")
    >>> ev = ie.evaluate(df, outcome="welfare_ksek", unit="household_id", group="group",
    ...                  treated="participant", period="period", pre="pre", post="post")
    >>> page = evaluation_html(ev, lang="sv", data=df, units="tkr per år")
    >>> page.startswith("<!DOCTYPE html>")
    True
    """
    from . import __version__, plots

    if lang not in REPORT_TEXT:
        raise ArgumentError(Note("err_lang", value=repr(lang)))
    if isinstance(suppress_below, bool) or not isinstance(suppress_below, (int, np.integer)) \
            or suppress_below < 1:
        raise ArgumentError(Note("err_report_suppress", value=repr(suppress_below)))
    if data is not None and not isinstance(data, pd.DataFrame):
        raise ArgumentError(Note("err_report_data"))
    if roles is not None and not isinstance(roles, Mapping):
        raise ArgumentError(Note("err_report_roles"))
    items = _as_list_evals(evals)
    R = _report_text(lang, items[0].estimate.conf_level)
    k = int(suppress_below)
    P = _Privacy(k, lang)
    units_txt = units or R["outcome_units"]

    body: list[str] = []
    head_title = title or R["title"] + ": " + ", ".join(dict.fromkeys(e.outcome for e in items))
    body.append(f"<h1>{_esc(head_title)}</h1>")
    body.append(f'<p class="sub">{_esc(R["subtitle"].format(version=__version__))}</p>')
    body.append(f'<p class="privacy">{_esc(R["privacy"].format(k=k))}</p>')
    body += _overview_html(items, R, lang)

    # one "fall by group" figure per outcome, drawn from the data
    means_done: set[str] = set()
    methods: list[str] = []
    for i, ev in enumerate(items):
        kw = _call_kwargs(ev, roles)
        kw["outcome"] = ev.outcome
        body.append(_evaluation_section(i, ev, kw, R, P, lang, units, units_txt, data,
                                        means_done, items, plots))
        call = _evaluate_call({**kw, "control": _controls_for(items, ev, kw)}, source, lang)
        if call not in methods:
            methods.append(call)

    if economics is not None:
        body.append(f"<h2>{_esc(R['money'])}</h2>")
        body.append(_economics_html(economics, P))

    # methods appendix
    body.append(f"<h2>{_esc(R['methods'])}</h2>")
    body.append(f"<p>{_esc(R['reproduce_py'])}</p>")
    for m in methods:
        body.append(f"<pre>{_esc(m)}</pre>")
    if command:
        body.append(f"<p>{_esc(R['reproduce_cli'])}</p><pre>{_esc(command)}</pre>")
    body.append(f'<p class="small">{_esc(R["data_note"])}</p>')
    body.append(f"<h3>{_esc(R['versions'])}</h3><p class=\"small\"><code>{_esc(_versions())}"
                "</code></p>")

    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_esc(head_title)}</title><style>{CSS}</style></head>\n<body>\n"
        + "\n".join(body) + "\n</body></html>\n"
    )


def _overview_html(items: list[Any], R: dict[str, str], lang: str) -> list[str]:
    """The bottom line across comparison groups, then one row per evaluation."""
    from .ladder.result import bottom_lines

    out = ['<div class="verdict">' + "".join(
        f'<p class="big">{_esc(b)}</p>' for b in bottom_lines(items, lang)) + "</div>"]
    rows = []
    for i, ev in enumerate(items):
        e = ev.estimate
        rows.append(
            f'<tr><td><a href="#ev{i}">{_esc(ev.outcome)}</a></td>'
            f"<td>{_esc(ev.comparison or R['none'])}</td>"
            f"<td>{_esc(texts.design_name(ev.design, lang))}</td>"
            f'<td class="num">{_num(e.estimate, lang)}</td>'
            f'<td class="num">{_num(e.conf_low, lang)} – {_num(e.conf_high, lang)}</td>'
            f"<td>{_pads(ev.ratings.get('security'))}</td></tr>")
    out.append(f"<h2>{_esc(R['overview'])}</h2>")
    out.append("<table><tr>" + "".join(f"<th>{_esc(R[c])}</th>" for c in (
        "outcome", "comparison", "design", "effect", "interval", "security")) + "</tr>"
        + "".join(rows) + "</table>")
    return out


def _controls_for(items: list[Any], ev: Any, kw: Mapping[str, Any]) -> Any:
    """The control argument that produced ``ev`` together with its siblings."""
    if "control" in kw and isinstance(kw["control"], (list, tuple)):
        return kw["control"]
    same = [e.context.get("control") for e in items if e.outcome == ev.outcome
            and e.context.get("control") is not None]
    if len(same) > 1:
        return list(dict.fromkeys(same))
    return kw.get("control")


def _versions() -> str:
    from importlib import metadata

    parts = [f"Python {platform.python_version()}"]
    for name in ("impacteval", "numpy", "pandas", "scipy", "statsmodels", "linearmodels",
                 "scikit-learn", "matplotlib"):
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(parts)


def _economics_html(economics: Any, P: _Privacy) -> str:
    if isinstance(economics, Mapping):
        pairs = list(economics.items())
    elif isinstance(economics, (list, tuple)):
        pairs = [(None, x) for x in economics]
    else:
        pairs = [(None, economics)]
    out = []
    for heading, obj in pairs:
        if heading:
            out.append(f"<h3>{_esc(heading)}</h3>")
        if hasattr(obj, "summary"):
            try:
                txt = obj.summary(lang=P.lang)
            except TypeError:  # a result type without languages
                txt = obj.summary()
        elif isinstance(obj, str):
            txt = obj
        else:
            raise ArgumentError(Note("err_report_economics"))
        out.append(f"<pre>{_esc(txt)}</pre>")
    return "\n".join(out)


def _evaluation_section(i: int, ev: Any, kw: dict[str, Any], R: dict[str, str], P: _Privacy,
                        lang: str, units: str | None, units_txt: str,
                        data: pd.DataFrame | None, means_done: set[str], items: list[Any],
                        plots: Any) -> str:
    e = ev.estimate
    R = _report_text(lang, e.conf_level)
    head = ev.outcome + (f" — {ev.comparison}" if ev.comparison else "")
    if ev.ratings.get("role") == "exploratory":
        head += f" ({R['exploratory']})"
    out = [f'<h2 id="ev{i}">{_esc(head)}</h2>']
    c = (i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e)
    for part in (_part_verdict, _part_key_numbers, _part_ratings, _part_designs, _part_figures,
                 _part_diagnostics, _part_sensitivity, _part_plan_notes):
        out += part(c)
    return "\n".join(out)


def _part_verdict(c: tuple) -> list[str]:
    i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e = c
    out: list[str] = []
    # verdict box and plain words
    out.append('<div class="verdict">'
               f'<div class="big">{_esc(texts.design_name(ev.design, lang))}: '
               f"{_num(e.estimate, lang)} [{_num(e.conf_low, lang)}, {_num(e.conf_high, lang)}]"
               "</div>"
               f"<div>{_esc(R['security'])}: {_pads(ev.ratings.get('security'))}</div></div>")
    out.append(f"<h3>{_esc(R['in_plain_words'])}</h3>")
    out.append(f'<p class="plain">{_esc(ev.explain(lang, suppress_below=P.k))}</p>')
    out.append(f"<h3>{_esc(R['verdict'])}</h3>")
    out.append('<ul class="lines">'
               + "".join(f"<li>{_esc(v)}</li>"
                         for v in ev.lines(lang, suppress_below=P.k)) + "</ul>")
    return out


def _part_key_numbers(c: tuple) -> list[str]:
    i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e = c
    out: list[str] = []
    # key numbers
    es = e.effect_size
    inf_txt = _inference_html(dict(e.inference), lang)
    kn = [(R["estimate"], f"{_num(e.estimate, lang)} [{_num(e.conf_low, lang)}, "
                          f"{_num(e.conf_high, lang)}] ({_esc(units_txt)})"),
          (R["std_error"], _num(e.std_error, lang)),
          (R["p_value"], _num(e.p_value, lang)),
          (R["n_treated"], _esc(P.n(e.n_treated))),
          (R["n_control"], _esc(P.n(e.n_control)) if ev.design not in (
              "before_after", "follow_up", "benchmark") else R["none"])]
    if es is not None:
        es_name = texts.EFFECT_SIZE_NAMES[lang].get(es.name, es.name)
        kn.append((R["effect_size"], f"{es_name} {_num(es.value, lang)} "
                                     f"[{_num(es.conf_low, lang)}, {_num(es.conf_high, lang)}]"))
    kn.append((R["inference"], inf_txt))
    out.append(f"<h3>{_esc(R['key_numbers'])}</h3><table>"
               + "".join(f"<tr><th>{_esc(a)}</th><td>{b}</td></tr>" for a, b in kn)
               + "</table>")
    return out


#: the inference settings the report names, per language (others are in the JSON)
_INFERENCE_LABELS = {
    "en": {"method": "method", "conf_level": "confidence level", "n_boot": "resamples",
           "seed": "seed", "bias_correction": "bias correction"},
    "sv": {"method": "metod", "conf_level": "konfidensnivå", "n_boot": "omdragningar",
           "seed": "frö", "bias_correction": "biaskorrigering"},
}


def _inference_html(inf: dict[str, Any], lang: str) -> str:
    """How the interval was computed: the method's technical name as code, the settings
    in words."""
    L = _INFERENCE_LABELS[lang]
    parts = []
    for key in ("method", "conf_level", "n_boot", "seed", "bias_correction"):
        v = inf.get(key)
        if v is None or isinstance(v, (Mapping, list, tuple)):
            continue
        if key == "method":
            # the method's name; how an interval was widened is told in words elsewhere
            shown = f"<code>{_esc(str(v).split('; interval widened')[0])}</code>"
        elif key == "conf_level":
            shown = _esc(texts.fmt_level(float(v), lang) + " %")
        elif isinstance(v, bool):
            shown = _esc(texts.WORDS[lang]["yes" if v else "no"])
        else:
            shown = _esc(v)
        parts.append(f"{_esc(L[key])}: {shown}")
    return "; ".join(parts)


def _part_ratings(c: tuple) -> list[str]:
    i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e = c
    out: list[str] = []
    # ratings
    rt = ev.ratings
    rrows = [(R["rating_design"], _pads(rt.get("design"))),
             (R["rating_precision"], _pads(rt.get("precision"))),
             (R["rating_attrition"], _pads(rt.get("attrition"))),
             (R["rating_security"], _pads(rt.get("security")))]
    if rt.get("threats"):
        rrows.append((R["threats"], _esc("; ".join(
            texts.threat_text(c, lang, P.k, **p) for c, p in ev.context.get("threats") or ()))))
    m = ev.mde
    if m.get("mdes") is not None:
        if m.get("mde_units") == "proportion" and m.get("mde") is not None:
            mde_v = texts.fmt_num(100 * m["mde"], lang) + (" pp" if lang == "en" else " p.e.")
        else:
            mde_v = _num(m.get("mde"), lang)
        rrows.append((R["mde"], _esc(R["mdes"].format(mdes=texts.fmt_num(m["mdes"], lang, 2),
                                                      mde=mde_v, units=units_txt))))
    a = ev.attrition or {}
    if a.get("overall") is not None:
        pct = lambda v: "–" if v is None else texts.fmt_num(100 * v, lang) + " %"  # noqa: E731
        line = R["attr_line"].format(overall=pct(a.get("overall")), t=pct(a.get("treated")),
                                     c=pct(a.get("control")))
        if a.get("n_lost") is not None:
            line += f" (n = {P.n(a['n_lost'])})"
        rrows.append((R["attrition"], _esc(line)))
    out.append(f"<h3>{_esc(R['ratings'])}</h3><table>"
               + "".join(f"<tr><th>{_esc(a_)}</th><td>{b}</td></tr>" for a_, b in rrows)
               + "</table>")
    return out


def _part_designs(c: tuple) -> list[str]:
    i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e = c
    out: list[str] = []
    # designs tried
    out.append(f"<h3>{_esc(R['designs_tried'])}</h3>")
    out.append(_designs_table(ev, R, P, lang))
    return out


def _part_figures(c: tuple) -> list[str]:
    i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e = c
    out: list[str] = []
    # figures
    figs: list[str] = []
    if data is not None and kw.get("group") and kw.get("period") and ev.outcome not in means_done:
        means_done.add(ev.outcome)
        ctrl = _controls_for(items, ev, kw)
        figs.append(_figure_html(
            lambda: plots.group_means_plot(
                data, outcome=ev.outcome, group=kw["group"], period=kw["period"],
                unit=kw.get("unit"), treated=kw.get("treated"), control=ctrl,
                pre=kw.get("pre"), post=kw.get("post"), suppress_below=P.k, units=units,
                lang=lang),
            R["fig_means"], R["fig_means"], R))
    figs.append(_figure_html(lambda: plots.ladder_plot(ev, units=units, lang=lang),
                             R["fig_ladder"], R["fig_ladder"], R))
    et_src = next((x for x in [e, *ev.sensitivity.values()] if "event_time" in x.tables), None)
    if et_src is not None:
        figs.append(_figure_html(lambda: plots.event_time_plot(
            et_src, units=units, period=str(kw.get("period") or "period"), lang=lang),
                                 R["fig_event"], R["fig_event"], R))
    bal_src = next((x for x in [e, ev.sensitivity.get("matched_did"),
                                ev.sensitivity.get("matched")]
                    if x is not None and "balance" in x.tables), None)
    if bal_src is not None:
        figs.append(_figure_html(lambda: plots.love_plot(bal_src.tables["balance"], lang=lang),
                                 R["fig_love"], R["fig_love"], R))
    ps_src = _propensity_source(ev)
    if data is not None and kw.get("group") and ps_src is not None:
        def overlap() -> Any:
            scores, t = _propensity(data, kw, ev.context.get("control"),
                                    with_pre=ps_src.design != "adjusted_comparison")
            # about k people per bar in the smaller group, so few bars need suppressing
            bins = int(np.clip(min(t.sum(), (~t).sum()) // P.k, 4, 12))
            return plots.overlap_plot(scores, t, bins=bins, suppress_below=P.k, lang=lang)
        figs.append(_figure_html(overlap, R["fig_overlap_ps"], R["fig_overlap_ps"], R))
    elif bal_src is not None and "overlap" in bal_src.tables:
        figs.append(_figure_html(lambda: plots.overlap_plot(bal_src.tables["overlap"], lang=lang),
                                 R["fig_overlap_tab"], R["fig_overlap_tab"], R))
    if e.draws is not None:
        figs.append(_figure_html(lambda: plots.bootstrap_plot(e, units=units, lang=lang),
                                 R["fig_boot"], R["fig_boot"], R))
    out.append(f"<h3>{_esc(R['plots'])}</h3>" + "\n".join(figs))
    return out


def _part_diagnostics(c: tuple) -> list[str]:
    i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e = c
    out: list[str] = []
    # diagnostics of the chosen design
    out.append(f"<h3>{_esc(R['diagnostics'])}</h3>")
    out.append(_diagnostics_table(ev, R, P, lang))
    out.append(_other_diagnostics(ev, R, P, lang))
    return out


def _part_sensitivity(c: tuple) -> list[str]:
    i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e = c
    out: list[str] = []
    # descriptives + sensitivity
    out.append(_descriptives_html(ev, R, P, lang))
    out.append(f"<h3>{_esc(R['sensitivity'])}</h3>")
    verdict = {t.design: t.verdict for t in ev._trace}
    possible = {d: s for d, s in ev.sensitivity.items()
                if verdict.get(d) in ("sensitivity", "bracket") and d != "follow_up"}
    rejected = {d: s for d, s in ev.sensitivity.items() if verdict.get(d) == "rejected"}
    if possible:
        out.append(f"<p>{_esc(R['sens_intro'])}</p>" + _estimates_table(possible, R, P, lang))
    else:
        out.append(f"<p>{_esc(R['no_sensitivity'])}</p>")
    if rejected:
        out.append(f"<p>{_esc(R['sens_rejected'])}</p>" + _estimates_table(rejected, R, P, lang))
    level = ev.sensitivity.get("follow_up")
    if level is not None and ev.design != "follow_up":
        out.append(f"<p>{_esc(R['sens_level'])}: {_num(level.estimate, lang)} "
                   f"[{_num(level.conf_low, lang)}, {_num(level.conf_high, lang)}]</p>")
    out.extend(_robustness_html(ev, lang))
    return out


def _estimates_table(ests: Mapping[str, Any], R: dict[str, str], P: _Privacy, lang: str) -> str:
    rows = []
    for d, s in ests.items():
        rows.append(f"<tr><td>{_esc(texts.design_name(d, lang))}</td>"
                    f'<td class="num">{_num(s.estimate, lang)}</td>'
                    f'<td class="num">{_num(s.conf_low, lang)} – {_num(s.conf_high, lang)}'
                    f'</td><td class="num">{_esc(P.n(s.n_treated))}</td>'
                    f'<td class="num">{_esc(P.n(s.n_control)) if s.n_control else R["none"]}'
                    "</td></tr>")
    return ("<table><tr>" + "".join(f"<th>{_esc(R[c])}</th>" for c in (
        "col_design", "estimate", "interval", "n_treated", "n_control")) + "</tr>"
        + "".join(rows) + "</table>")


def _robustness_html(ev: Any, lang: str) -> list[str]:
    """The chosen design's sensitivity analyses (:mod:`impacteval.sensitivity`), one sentence
    each; analyses that do not apply to this estimate are left out."""
    from .ladder.registry import get

    try:
        found = get(ev.design).sensitivity(None, ev.estimate) or {}
    except Exception:  # a report never fails on an optional analysis
        return []
    lines = [r.sentence(lang) for r in found.values()
             if hasattr(r, "sentence") and getattr(r, "ok", True)]
    if not lines:
        return []
    head = {"en": "How sure: unmeasured differences", "sv": "Hur säkert: omätta skillnader"}[
        "sv" if lang == "sv" else "en"]
    return [f"<h3>{_esc(head)}</h3><ul>" + "".join(f"<li>{_esc(x)}</li>" for x in lines)
            + "</ul>"]


def _part_plan_notes(c: tuple) -> list[str]:
    i, ev, kw, R, P, lang, units, units_txt, data, means_done, items, plots, e = c
    out: list[str] = []
    # plan deviations
    out.append(f"<h3>{_esc(R['deviations'])}</h3>")
    if ev.deviations:
        out.append("<ul>" + "".join(f"<li>{_esc(P.note(d))}</li>" for d in ev.deviations
                                    if isinstance(d, Note)) + "</ul>")
    else:
        out.append(f"<p>{_esc(R['no_deviations'])}</p>")

    notes = list(dict.fromkeys(e.notes))
    typed = [n for n in notes if isinstance(n, Note)]
    if notes:
        items_ = [f"<li>{_esc(P.note(n))}</li>" for n in typed]
        if len(typed) < len(notes):
            items_.append(f"<li>{_esc(R['untyped_notes'].format(n=len(notes) - len(typed)))}</li>")
        out.append(f"<h3>{_esc(R['notes'])}</h3><ul>" + "".join(items_) + "</ul>")
    return out


def _designs_table(ev: Any, R: dict[str, str], P: _Privacy, lang: str) -> str:
    names = dict(zip(R["verdicts"].split("|"), R["verdict_names"].split("|"), strict=True))
    reasons = ev.reasons(lang, suppress_below=P.k)
    est_by = ev.steps.groupby("design", sort=False).first()
    rows = []
    for t in ev._trace:
        verdict = t.verdict
        reason = reasons[t.design] if verdict in ("rejected", "infeasible", "chosen") else ""
        r0 = est_by.loc[t.design]
        est = (f"{_num(r0['estimate'], lang)} [{_num(r0['conf_low'], lang)}, "
               f"{_num(r0['conf_high'], lang)}]" if pd.notna(r0["estimate"]) else R["none"])
        cls = ' class="chosen"' if verdict == "chosen" else ""
        rows.append(f"<tr{cls}><td>{_esc(texts.design_name(t.design, lang))}</td>"
                    f'<td class="num">{_esc(t.score)}</td>'
                    f"<td>{_esc(names.get(verdict, verdict))}</td>"
                    f"<td>{_esc(reason)}</td>"
                    f"<td class=\"num\">{est}</td></tr>")
    return ("<table><tr>" + "".join(f"<th>{_esc(R[c])}</th>" for c in (
        "col_design", "col_score", "col_verdict", "col_reason", "col_estimate")) + "</tr>"
        + "".join(rows) + "</table>")


def _diagnostics_table(ev: Any, R: dict[str, str], P: _Privacy, lang: str) -> str:
    from .ladder.render import threshold_text, value_text

    chosen = next((t for t in ev._trace if t.verdict == "chosen"), None)
    checks = [c for c in (chosen.checks if chosen else ()) if c.code != "data"]
    if not checks:
        return f"<p>{_esc(R['none'])}</p>"
    rows = []
    for c in checks:
        passed = texts.WORDS[lang][c.status]
        kind = R["must"] if c.must_pass else R["info"]
        rows.append(f"<tr><td>{_esc(c.label(lang, P.k))}</td>"
                    f'<td class="num">{_esc(value_text(c.value, lang, P.k))}</td>'
                    f"<td>{_esc(threshold_text(c.threshold, lang))}</td>"
                    f"<td>{_esc(texts.source_text(c.source, lang))}</td>"
                    f"<td>{_esc(passed)} ({_esc(kind)})</td></tr>")
    return ("<table><tr>" + "".join(f"<th>{_esc(R[c])}</th>" for c in (
        "col_diagnostic", "col_value", "col_threshold", "col_source", "col_passed")) + "</tr>"
        + "".join(rows) + "</table>")


def _is_count_key(key: str) -> bool:
    return key.startswith("n_") or key.endswith("_n") or key in ("n",) or "count" in key


def _other_diagnostics(ev: Any, R: dict[str, str], P: _Privacy, lang: str) -> str:
    e = ev.estimate
    small_group = (0 < e.n_treated < P.k) or (0 < e.n_control < P.k)
    rows = []
    left_to_json = 0
    labels = texts.DIAG_LABELS.get(lang, {})
    for key, v in e.diagnostics.items():
        if key.endswith("_ids") or key.endswith("_id") or isinstance(v, (Mapping, list, tuple)):
            continue  # unit ids are never printed; nested tables are shown elsewhere
        if v is None:
            continue
        if "mean" in key and small_group:
            continue  # a mean of fewer than k people
        if _is_count_key(key) and isinstance(v, (int, float, np.integer, np.floating)) \
                and float(v).is_integer():
            shown = P.n(int(v))
        elif isinstance(v, (float, np.floating)):
            shown = _num(v, lang)
        else:
            shown = str(v)
        if lang != "en" and (key not in labels or (isinstance(v, str)
                                                   and key not in ("worst_covariate",
                                                                   "reference_source"))):
            left_to_json += 1  # no words for it in this language: it is in the JSON
            continue
        label = labels.get(key) or key
        rows.append(f"<tr><th>{_esc(label)}</th><td>{_esc(shown)}</td></tr>")
    if not rows and not left_to_json:
        return ""
    more = (f"<p class=\"small\">{_esc(R['more_in_json'].format(n=left_to_json))}</p>"
            if left_to_json else "")
    return (f"<h3>{_esc(R['other_diag'])}</h3><table>" + "".join(rows) + "</table>" + more)


def _descriptives_html(ev: Any, R: dict[str, str], P: _Privacy, lang: str) -> str:
    descr = ev.context.get("descriptives") or {}
    if not descr:
        return ""
    n_t = ev.estimate.n_treated
    n_c = max([ev.estimate.n_control] + [s.n_control for s in ev.sensitivity.values()])
    rows = []
    for key, label, n in (("treated", R["participants"], n_t),
                          ("control", ev.comparison or R["comparison"], n_c)):
        d = descr.get(key)
        if not d:
            continue
        small = 0 < n < P.k
        cells = [R["none"]] * 3 if small else [
            _num(d.get("pre"), lang), _num(d.get("post"), lang),
            _num(d.get("pct_change"), lang) + " %"]
        rows.append(f"<tr><td>{_esc(label)}</td><td class=\"num\">{_esc(P.n(n))}</td>"
                    + "".join(f'<td class="num">{c}</td>' for c in cells) + "</tr>")
    return (f"<h3>{_esc(R['descriptives'])}</h3><table><tr>"
            + "".join(f"<th>{_esc(R[c])}</th>" for c in (
                "col_group", "col_n", "col_pre", "col_post", "col_change"))
            + "</tr>" + "".join(rows) + "</table>")


# Evaluation.to_html() writes through this function; the ladder does not import the report
set_html_writer(evaluation_html)
