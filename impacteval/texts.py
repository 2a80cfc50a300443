"""Every sentence users read, in English and Swedish, in one place.

The ladder, the report and the CLI take their wording from here so that the
two languages say the same thing. Templates use ``str.format`` fields.
Plain-language text never says "significant"; it gives the interval in the
outcome's units.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["LANGS", "DESIGN_NAMES", "T", "CHECKS", "LINES", "REASONS", "THREATS", "Count",
           "fmt_num", "fmt_level", "fmt_param", "render", "design_name", "reason_text",
           "threat_text"]

LANGS = ("en", "sv")

#: the ladder's designs by name, per language; each rung brings its own name and
#: rule sentence (``impacteval/ladder/rungs/``) and registration adds them here
DESIGN_NAMES: dict[str, dict[str, str]] = {"en": {}, "sv": {}}

T = {
    "en": {
        "design_used": "Design: {design}{versus}.",
        "versus": ", compared with {comparison}",
        "effect": "The estimated effect on {outcome} is {est}{unit} ({level} % interval {lo} to {hi}).",
        "effect_level": "Participants' {outcome} is {est}{unit} ({level} % interval {lo} to {hi}).",
        "effect_no_ci": "The estimated effect on {outcome} is {est}{unit}. No interval is given: "
                        "too few values differ from zero for an honest one, so the number only "
                        "describes these few cases.",
        "effect_level_no_ci": "Participants' {outcome} is {est}{unit}. No interval is given: too "
                              "few values differ from zero for an honest one.",
        "excludes_zero": "The interval does not include zero: the data are hard to reconcile with "
                         "no effect at all.",
        "includes_zero": "The interval includes zero: the data cannot rule out that the project "
                         "made no difference, nor an effect as large as {far}.",
        "rules": {},
        "why_not": "Stronger designs were not possible: {reasons}.",
        "weaker": "A before–after look alone would have credited the project with the whole "
                  "change in participants' {outcome}, {chg_t}; {comparison} changed by {chg_c} "
                  "without the project.",
        "weaker_plain": "A before–after look alone would have said {est}{unit}.",
        "precision": "With {nt} participants and {nc} comparison units, only effects of about "
                     "{mde} or larger could be detected reliably (minimum detectable effect "
                     "{mdes} standard deviations).",
        "precision_one": "With {nt} participants, only changes of about {mde} or larger could be "
                         "detected reliably.",
        "security": "Overall security: {sec} of 5 (design {d}, precision {p}, attrition {a}{threats}).",
        "threats": "; lowered for: {items}",
        "bracket": "A second design of equal strength, {other}, gives {est}{unit} "
                   "({level} % interval {lo} to {hi}).",
        "and": "and",
    },
    "sv": {
        "design_used": "Design: {design}{versus}.",
        "versus": ", jämfört med {comparison}",
        "effect": "Den skattade effekten på {outcome} är {est}{unit} ({level} % konfidensintervall "
                  "{lo} till {hi}).",
        "effect_level": "Deltagarnas {outcome} är {est}{unit} ({level} % konfidensintervall {lo} "
                        "till {hi}).",
        "effect_no_ci": "Den skattade effekten på {outcome} är {est}{unit}. Inget "
                        "konfidensintervall anges: för få värden skiljer sig från noll för ett "
                        "ärligt intervall, så talet beskriver bara dessa få fall.",
        "effect_level_no_ci": "Deltagarnas {outcome} är {est}{unit}. Inget konfidensintervall "
                              "anges: för få värden skiljer sig från noll för ett ärligt "
                              "intervall.",
        "excludes_zero": "Intervallet omfattar inte noll: det är svårt att förena data med att "
                         "projektet inte gjorde någon skillnad alls.",
        "includes_zero": "Intervallet omfattar noll: data kan inte utesluta att projektet inte "
                         "gjorde någon skillnad, men inte heller en effekt på {far}.",
        "rules": {},
        "why_not": "Starkare designer var inte möjliga: {reasons}.",
        "weaker": "En före–efter-jämförelse ensam hade tillskrivit projektet hela förändringen "
                  "i deltagarnas {outcome}, {chg_t}; {comparison} förändrades med {chg_c} utan "
                  "projektet.",
        "weaker_plain": "En före–efter-jämförelse ensam hade sagt {est}{unit}.",
        "precision": "Med {nt} deltagare och {nc} i jämförelsegruppen kunde bara effekter på "
                     "omkring {mde} eller större upptäckas med rimlig säkerhet (minsta "
                     "upptäckbara effekt {mdes} standardavvikelser).",
        "precision_one": "Med {nt} deltagare kunde bara förändringar på omkring {mde} eller "
                         "större upptäckas med rimlig säkerhet.",
        "security": "Sammantagen tillförlitlighet: {sec} av 5 (design {d}, precision {p}, "
                    "bortfall {a}{threats}).",
        "threats": "; sänkt för: {items}",
        "bracket": "En lika stark design, {other}, ger {est}{unit} ({level} % konfidensintervall {lo} "
                   "till {hi}).",
        "and": "och",
    },
}

#: plain-language reasons a design was rejected, by code
REASONS = {
    "en": {
        "no_group": "there was no comparison group",
        "no_pre": "there was no measurement before the start",
        "rcs_panel": "the design follows the same people over time; these data are different "
                     "people each period (repeated cross-sections)",
        "no_post": "there was no measurement after the start",
        "pool_small": "the comparison pool ({n_c}) is smaller than {ratio} times the participants",
        "pretrend_matched": "the matched groups were already developing differently before "
                            "the start (difference in trend {value} SD per period)",
        "baseline_adjusted": "the groups differed too much before the start, even with "
                             "adjustment (g = {value})",
        "ps_smd": "the participants' and twins' propensity scores differed too much ({value})",
        "pretrend": "the groups were already developing differently before the start "
                    "(difference in trend {value} SD per period)",
        "placebo": "the test of equal trends before the start failed (p = {value})",
        "balance": "the statistical twins did not resemble the participants closely enough "
                   "({covariate}: standardised difference {value})",
        "covariate_balance": "the groups differed too much in background ({covariate}: "
                             "standardised difference {value})",
        "variance": "the spread of {covariate} differed too much between participants and twins "
                    "(variance ratio {value})",
        "overlap": "too few participants had a similar comparison unit ({value} matched)",
        "baseline": "the groups differed too much before the start (g = {value})",
        "attrition": "too many people dropped out unevenly ({overall} % overall, {differential} "
                     "percentage points difference between the groups)",
        "one_cluster": "all participants were in one {cluster}, so the effect cannot be separated "
                       "from that {cluster}",
        "clusters": "too few clusters per group ({value})",
        "contamination": "{value} people in the comparison group started the project during the "
                         "follow-up",
        "error": "{message}",
        "paired": "fewer than 2 participants were measured both before and after",
        "data": "the data did not allow it ({message})",
    },
    "sv": {
        "no_group": "det fanns ingen jämförelsegrupp",
        "no_pre": "det fanns ingen mätning före starten",
        "rcs_panel": "designen följer samma personer över tid; här är det olika personer varje "
                     "period (upprepade tvärsnitt)",
        "no_post": "det fanns ingen mätning efter starten",
        "pool_small": "jämförelsegruppen ({n_c}) är mindre än {ratio} gånger antalet deltagare",
        "pretrend_matched": "de matchade grupperna utvecklades redan olika före starten "
                            "(skillnad i trend {value} standardavvikelser per period)",
        "baseline_adjusted": "grupperna skilde sig för mycket före starten, även med "
                             "justering (g = {value})",
        "ps_smd": "deltagarnas och tvillingarnas benägenhetspoäng skilde sig för mycket ({value})",
        "pretrend": "grupperna utvecklades redan olika före starten (skillnad i trend {value} "
                    "standardavvikelser per period)",
        "placebo": "testet av lika utveckling före starten föll ut (p = {value})",
        "balance": "de statistiska tvillingarna liknade inte deltagarna tillräckligt "
                   "({covariate}: standardiserad skillnad {value})",
        "covariate_balance": "grupperna skilde sig för mycket i bakgrund ({covariate}: "
                             "standardiserad skillnad {value})",
        "variance": "spridningen i {covariate} skilde sig för mycket mellan deltagare och "
                    "tvillingar (varianskvot {value})",
        "overlap": "för få deltagare hade en liknande jämförelseperson ({value} matchade)",
        "baseline": "grupperna skilde sig för mycket före starten (g = {value})",
        "attrition": "för många föll bort, och olika mycket i grupperna ({overall} % totalt, "
                     "{differential} procentenheters skillnad mellan grupperna)",
        "one_cluster": "alla deltagare fanns i en och samma {cluster}, så effekten går inte att "
                       "skilja från den",
        "clusters": "för få kluster per grupp ({value})",
        "contamination": "{value} personer i jämförelsegruppen började i projektet under "
                         "uppföljningstiden",
        "error": "{message}",
        "paired": "färre än 2 deltagare mättes både före och efter",
        "data": "data räckte inte till ({message})",
    },
}


def fmt_num(x: float, lang: str = "en", digits: int = 3) -> str:
    """A number for prose: significant digits, Swedish decimal comma and space."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    ax = abs(x)
    if ax >= 1000:
        s = f"{x:,.0f}"
    elif ax >= 100:
        s = f"{x:.0f}"
    elif ax >= 10:
        s = f"{x:.1f}"
    elif ax >= 1:
        s = f"{x:.2f}"
    else:
        s = f"{x:.{digits}g}" if ax > 0 else "0"
    s = s.replace("-", "−")
    if lang == "sv":
        s = s.replace(",", " ").replace(".", ",")
    return s


def fmt_level(conf_level: float, lang: str = "en") -> str:
    """A confidence level as a percentage for prose: 0.95 -> "95", 0.975 -> "97.5"
    ("97,5" in Swedish).

    Examples
    --------
    >>> fmt_level(0.95), fmt_level(0.8), fmt_level(0.975, "sv")
    ('95', '80', '97,5')
    """
    s = f"{round(100 * float(conf_level), 6):g}"
    return s.replace(".", ",") if lang == "sv" else s


#: how a threshold's source is written when it is not a publication
_SOURCES = {"sv": {"package default": "paketets standardvärde",
                   "package default (see docs)": "paketets standardvärde"}}


def source_text(source: Any, lang: str = "en") -> str:
    """A threshold's source for prose: publications as cited, "package default" in the
    language of the text (an English gloss after the citation is left out)."""
    s = "" if source is None else str(source)
    if lang == "en" or not s.startswith("package default"):
        return _SOURCES.get(lang, {}).get(s, s)
    rest = s[len("package default"):].strip(" ()")
    cite = rest.split(":")[0].strip()
    word = _SOURCES[lang]["package default"]
    return f"{word} ({cite})" if cite and cite != "see docs" else word


def design_name(design: str, lang: str = "en") -> str:
    return DESIGN_NAMES[lang].get(design, design)


def add_design(design: str, lang: str, *, name: str, rule: str,
               reasons: dict[str, str] | None = None, threats: dict[str, str] | None = None,
               checks: dict[str, str] | None = None) -> None:
    """Add one design's name, rule sentence and its own reasons, threats and check
    labels, by code (called by the ladder's registry when a rung is registered)."""
    DESIGN_NAMES[lang][design] = name
    T[lang]["rules"][design] = rule
    for table, extra in ((REASONS, reasons), (THREATS, threats), (CHECKS, checks)):
        for code, tmpl in (extra or {}).items():
            table[lang][code] = tmpl


def remove_design(design: str, lang: str, reasons: tuple[str, ...] = ()) -> None:
    DESIGN_NAMES[lang].pop(design, None)
    T[lang]["rules"].pop(design, None)
    for code in reasons:
        for table in (REASONS, THREATS, CHECKS):
            table[lang].pop(code, None)


ASSIGNMENT_NAMES = {
    "en": {"randomized": "randomised", "lottery_waitlist": "lottery-like waiting list",
           "rule_cutoff": "cutoff rule", "capacity_waitlist": "waiting list for lack of places",
           "self_selected": "self-selected", "unknown": "unknown"},
    "sv": {"randomized": "slumpmässig", "lottery_waitlist": "lottliknande väntelista",
           "rule_cutoff": "gränsregel", "capacity_waitlist": "väntelista på grund av platsbrist",
           "self_selected": "självvald", "unknown": "okänd"},
}


class Count(int):
    """A number of people. Rendered as ``"< k"`` when between 1 and ``k - 1``, so a
    small group is never described (the report's suppression limit, 5 by default)."""

    __slots__ = ()


def fmt_param(v: Any, lang: str = "en", k: int = 5) -> Any:
    """One parameter of a template, for prose: counts of people suppressed below ``k``,
    other numbers with the language's decimal mark, words translated."""
    if isinstance(v, Count):
        return f"< {k}" if 0 < int(v) < k else str(int(v))
    if isinstance(v, str) and hasattr(v, "render") and hasattr(v, "code"):  # a Note
        return v.render(lang, k)
    if isinstance(v, bool):
        return WORDS[lang]["yes" if v else "no"]
    if isinstance(v, float):
        return fmt_num(v, lang) if not float(v).is_integer() or abs(v) >= 1e6 \
            else str(int(v))
    if isinstance(v, str) and v in WORDS[lang]:
        return WORDS[lang][v]
    return v


def render(table: dict[str, dict[str, str]], code: str, lang: str = "en", k: int = 5,
           default: str | None = None, **params: Any) -> str:
    """The template of ``code`` in ``table[lang]`` filled with ``params``: the one place
    where the ladder's codes become words."""
    tmpl = table[lang].get(code, default if default is not None else code)
    if "assignment" in params:
        params = {**params, "assignment": ASSIGNMENT_NAMES[lang].get(params["assignment"],
                                                                     params["assignment"])}
    params = {key: fmt_param(v, lang, k) for key, v in params.items()}
    try:
        return tmpl.format(**params)
    except (KeyError, IndexError):
        return tmpl


def reason_text(code: str, lang: str = "en", k: int = 5, **params: Any) -> str:
    """Why a design was not possible or was rejected, in plain words."""
    return render(REASONS, code, lang, k, default=REASONS[lang]["error"], **params)


#: words that appear as parameter values, per language
WORDS = {
    "en": {"error_InsufficientDataError": "too few units or values for the design",
           "error_DataError": "the data do not suffice for the design",
           "error_MethodError": "the method cannot be used on these data",
           "error_ArgumentError": "the arguments do not fit the design",
           "error_LabelError": "a group or period the design needs is missing",
           "error_NoComparisonGroupError": "there is no comparison group",
           "error_DuplicateRowsError": "a unit occurs more than once in a period",
           "error_MissingColumnError": "a column the design needs is missing",
           "error_ColumnTypeError": "a column has the wrong type for the design",
           "yes": "yes", "no": "no", "cautious": "cautious", "optimistic": "optimistic",
           "before": "before", "ok": "ok", "fails": "fails", "pass": "passes",
           "warn": "warning", "fail": "fails", "pp": "percentage points",
           "the_comparison_group": "the comparison group"},
    "sv": {"error_InsufficientDataError": "för få enheter eller värden för designen",
           "error_DataError": "uppgifterna räcker inte för designen",
           "error_MethodError": "metoden går inte att använda på dessa data",
           "error_ArgumentError": "argumenten passar inte designen",
           "error_LabelError": "en grupp eller period som designen behöver saknas",
           "error_NoComparisonGroupError": "det finns ingen jämförelsegrupp",
           "error_DuplicateRowsError": "samma enhet förekommer flera gånger i en period",
           "error_MissingColumnError": "en kolumn som designen behöver saknas",
           "error_ColumnTypeError": "en kolumn har fel typ för designen",
           "yes": "ja", "no": "nej", "cautious": "försiktig", "optimistic": "optimistisk",
           "before": "före", "ok": "godkänd", "fails": "underkänd", "pass": "godkänd",
           "warn": "varning", "fail": "underkänd", "pp": "procentenheter",
           "the_comparison_group": "jämförelsegruppen"},
}


#: labels of the ladder's checks, by code (rungs add their own at registration)
CHECKS: dict[str, dict[str, str]] = {
    "en": {
        "attrition": "differential attrition (pp) at overall attrition {overall} % "
                     "({boundary} WWC boundary)",
        "clusters": "clusters per arm",
        "few_clusters_total": "clusters (fewer need the wild cluster bootstrap or CR2)",
        "contamination": "comparison units starting during the post window",
        "pretrend_untestable": "pre-periods (with one, parallel trends cannot be tested)",
        "pretrend": "pre-period slope difference (SD per period)",
        "pretrend_matched": "pre-period slope difference in the matched sample (SD per period)",
        "placebo": "joint pre-trend (placebo) test p-value (reported, not a gate)",
        "pretrend_mde": "smallest pre-trend the test could detect (SD per period)",
        "pretrend_large": "pre-period slope difference (outcome units per period, interval)",
        "pretrend_equivalence": "pre-trend shown smaller than the tolerance (equivalence, "
                                "Hartman & Hidalgo 2018)",
        "covariate_balance": "max |SMD| of covariates ({covariate})",
        "data": "estimation",
        "pool_small": "comparison pool / participants",
        "bias_correction": "covariates with |SMD| > {limit} adjusted in the outcome model",
        "overlap": "share of participants matched",
        "ps_smd": "standardised difference of the linear propensity score after matching",
        "reuse": "max reuse of one comparison unit",
        "balance": "max |SMD| after matching ({covariate})",
        "variance": "variance ratios after matching",
        "paired": "paired units",
        "baseline": "baseline |g|",
        "baseline_adjusted": "baseline |g| (adjusted for the baseline)",
        "baseline_level": "baseline |g| (level difference)",
    },
    "sv": {
        "attrition": "skillnad i bortfall (procentenheter) vid totalt bortfall {overall} % "
                     "({boundary} gräns enligt WWC)",
        "clusters": "kluster per grupp",
        "few_clusters_total": "kluster (färre kräver vild klusterbootstrap eller CR2)",
        "contamination": "jämförelseenheter som började under uppföljningen",
        "pretrend_untestable": "perioder före (med en kan parallella trender inte prövas)",
        "pretrend": "skillnad i trend före starten (standardavvikelser per period)",
        "pretrend_matched": "skillnad i trend före starten bland de matchade "
                            "(standardavvikelser per period)",
        "placebo": "p-värde för gemensamt test av trender före starten (redovisas, inget krav)",
        "pretrend_mde": "minsta trendskillnad testet kunde upptäcka (standardavvikelser per "
                        "period)",
        "pretrend_large": "skillnad i trend före starten (utfallets enhet per period, intervall)",
        "pretrend_equivalence": "trendskillnaden före starten visad mindre än toleransen "
                                "(ekvivalens, Hartman & Hidalgo 2018)",
        "covariate_balance": "största |SMD| för bakgrundsvariabler ({covariate})",
        "data": "skattning",
        "pool_small": "jämförelsegrupp / deltagare",
        "bias_correction": "variabler med |SMD| > {limit} justerade i utfallsmodellen",
        "overlap": "andel matchade deltagare",
        "ps_smd": "standardiserad skillnad i den linjära benägenhetspoängen efter matchning",
        "reuse": "flest återanvändningar av en jämförelseenhet",
        "balance": "största |SMD| efter matchning ({covariate})",
        "variance": "varianskvoter efter matchning",
        "paired": "parade enheter",
        "baseline": "|g| före starten",
        "baseline_adjusted": "|g| före starten (justerat för mätningen före)",
        "baseline_level": "|g| före starten (nivåskillnad)",
    },
}

#: the ladder's technical lines (verdict, table of designs tried), by code
LINES: dict[str, dict[str, str]] = {
    "en": {
        "rejected": "{design} rejected: {reason}.",
        "rejected_check": "{design} rejected: {label} is {value}, needs {threshold} ({source}).",
        "not_estimable": "could not be estimated: {message}",
        "not_estimable_kind": "could not be estimated: {why}",
        "chosen": "{design} chosen{detail}.",
        "detail": "{label} {value} ({status} vs {threshold})",
        "precision": "precision: MDES {mdes} SD -> {p}/5 (EEF). security = min(design {d}, "
                     "precision {p}, attrition {a}){drop} = {s}/5.",
        "drop": " - {n} for threats",
        "coverage_flag": "precision lowered one step: in the package's coverage study, "
                         "intervals like this one covered the true value in {low} to {high} % "
                         "of samples, depending on the true effect (the aim is 95 %).",
        "coverage_level": "precision lowered one step: in the package's coverage study, "
                          "intervals for a mean like this one covered the true mean in {low} to "
                          "{high} % of samples, depending on the distribution and the number of "
                          "units (the aim is 95 %).",
        "coverage_thin": "precision 0: too few non-zero values for an honest interval (in the "
                         "package's coverage study, intervals computed from such data anyway "
                         "covered only {low} to {high} %).",
        "no_effect": "security = {s}/5 (no effect estimated).",
        "threat": "threat: {text}.",
        "passed": "all must-pass diagnostics passed",
        "not_feasible": "not feasible",
    },
    "sv": {
        "rejected": "{design} underkänd: {reason}.",
        "rejected_check": "{design} underkänd: {label} är {value}, kräver {threshold} ({source}).",
        "not_estimable": "kunde inte skattas: {message}",
        "not_estimable_kind": "kunde inte skattas: {why}",
        "chosen": "{design} vald{detail}.",
        "detail": "{label} {value} ({status} mot {threshold})",
        "precision": "precision: minsta upptäckbara effekt {mdes} standardavvikelser -> {p}/5 "
                     "(EEF). tillförlitlighet = min(design {d}, precision {p}, bortfall {a})"
                     "{drop} = {s}/5.",
        "drop": " - {n} för hot",
        "coverage_flag": "precisionen sänkt ett steg: i paketets simuleringsstudie täckte "
                         "intervall som detta det sanna värdet i {low} till {high} % av fallen, "
                         "beroende på den sanna effekten (målet är 95 %).",
        "coverage_level": "precisionen sänkt ett steg: i paketets simuleringsstudie täckte "
                          "intervall för ett medelvärde som detta det sanna medelvärdet i {low} "
                          "till {high} % av fallen, beroende på fördelningen och antalet enheter "
                          "(målet är 95 %).",
        "coverage_thin": "precision 0: för få värden skilda från noll för ett ärligt intervall "
                         "(i paketets simuleringsstudie täckte intervall som ändå beräknades på "
                         "sådana data bara {low} till {high} %).",
        "no_effect": "tillförlitlighet = {s}/5 (ingen effekt skattad).",
        "threat": "hot: {text}.",
        "passed": "alla krav uppfyllda",
        "not_feasible": "inte möjlig",
    },
}

#: threats that lower the security rating, by code
THREATS = {
    "en": {
        "dip": "pre-programme dip of {value} SD",
        "level_difference": "baseline level difference |g| = {value} > {limit}",
        "no_baseline": "no baseline outcome: equivalence before the project cannot be shown",
        "covers": "the result covers {n} of {of} participants",
        "chance_imbalance": "chance baseline imbalance |g| = {value}",
        "need": "participants differ from the reference by more than {limit} SD (need, not a "
                "counterfactual)",
        "post_covariates": "covariates measured after the start left out: {names}",
        "ess": "effective number of comparison units {value} is below {share} of {n}",
        "few_clusters": "only {n} participating clusters: no cluster-robust method is reliable",
        "composition": "participants' share of the measured units changed by {value} percentage "
                       "points between before and after (more than {limit})",
        "crossover": "{value} of the comparison group started the project during the follow-up "
                     "(more than {limit})",
        "rtm": "participants started {value} SD from the norm (more than {limit}): part of the "
               "change can be regression to the mean",
        "ps_smd": "the linear propensity score still differs by {value} SD after matching "
                  "(more than {limit})",
    },
    "sv": {
        "dip": "nedgång strax före starten på {value} standardavvikelser",
        "level_difference": "nivåskillnad före starten |g| = {value} > {limit}",
        "no_baseline": "ingen mätning före starten, så det går inte att visa att grupperna "
                       "var lika",
        "covers": "resultatet gäller {n} av {of} deltagare",
        "chance_imbalance": "slumpmässig obalans före starten |g| = {value}",
        "need": "deltagarna skiljer sig från referensen med mer än {limit} "
                "standardavvikelser (ett behov, inte en jämförelse)",
        "post_covariates": "bakgrundsvariabler mätta efter starten utelämnades: {names}",
        "ess": "det effektiva antalet jämförelsepersoner, {value}, är under {share} av {n}",
        "few_clusters": "bara {n} deltagande kluster: ingen klusterrobust metod är tillförlitlig",
        "composition": "deltagarnas andel av de mätta enheterna ändrades med {value} "
                       "procentenheter mellan före och efter (mer än {limit})",
        "crossover": "{value} av jämförelsegruppen började i projektet under uppföljningen "
                     "(mer än {limit})",
        "rtm": "deltagarna började {value} standardavvikelser från normen (mer än {limit}): en "
               "del av förändringen kan vara återgång mot medelvärdet",
        "ps_smd": "den linjära benägenhetspoängen skiljer sig fortfarande med {value} "
                  "standardavvikelser efter matchningen (mer än {limit})",
    },
}


def threat_text(code: str, lang: str = "en", k: int = 5, **params: Any) -> str:
    """A threat that lowered the security rating, in plain words."""
    return render(THREATS, code, lang, k, **params)


#: labels of the estimates' diagnostics, for the report (a key without a label is shown
#: by its name in English and left to the JSON output in other languages)
DIAG_LABELS: dict[str, dict[str, str]] = {
    "en": {}, "sv": {
        "ar1_rho": "autokorrelation (AR(1), ρ)",
        "baseline_hedges_g": "nivåskillnad före starten (Hedges g)",
        "conventional_conf_high": "konventionellt intervall, övre gräns",
        "conventional_conf_low": "konventionellt intervall, nedre gräns",
        "conventional_p_value": "konventionellt p-värde",
        "durbin_watson": "Durbin–Watson",
        "effective_n_controls": "effektivt antal jämförelseenheter",
        "ess_ratio": "effektivt antal / använda jämförelseenheter",
        "k": "antal tvillingar per deltagare",
        "leave_one_out_max": "största skattning när en givarenhet lämnas ut",
        "leave_one_out_min": "minsta skattning när en givarenhet lämnas ut",
        "level_change": "nivåskifte vid starten",
        "matched_conf_high": "matchat intervall, övre gräns",
        "matched_conf_low": "matchat intervall, nedre gräns",
        "max_abs_smd_after": "största |SMD| efter matchning",
        "max_abs_smd_before": "största |SMD| före matchning",
        "max_control_reuse": "flest gånger en jämförelseenhet används",
        "mean_control": "medelvärde, jämförelsegruppen",
        "mean_post": "medelvärde efter",
        "mean_post_control": "medelvärde efter, jämförelsegruppen",
        "mean_post_treated": "medelvärde efter, deltagarna",
        "mean_pre": "medelvärde före",
        "mean_pre_control": "medelvärde före, jämförelsegruppen",
        "mean_pre_treated": "medelvärde före, deltagarna",
        "mean_treated": "medelvärde, deltagarna",
        "n_cells_without_comparison": "celler utan jämförelseenheter",
        "n_cohorts": "antal startkohorter",
        "n_comparison_starting_in_window": "jämförelseenheter som började under perioden",
        "n_controls_used": "använda jämförelseenheter",
        "n_donors": "antal givarenheter",
        "n_donors_weighted": "givarenheter med vikt",
        "n_matched": "matchade deltagare",
        "n_never_started": "enheter som aldrig började",
        "n_pairs": "antal par",
        "n_periods_post": "perioder efter starten",
        "n_periods_pre": "perioder före starten",
        "n_placebos": "antal placeboberäkningar",
        "n_start_after_last_period": "enheter som började efter sista perioden",
        "n_target": "deltagare att matcha",
        "n_ties": "lika avstånd",
        "n_treated_outside_support": "deltagare utanför gemensam stödmängd",
        "n_units": "antal enheter",
        "n_units_treated": "antal behandlade enheter",
        "n_units_used": "använda enheter",
        "n_unmatched": "omatchade deltagare",
        "p_value_mean_gap": "p-värde, genomsnittligt gap",
        "p_value_ratio_good_fit_placebos": "p-värde, placebo med god anpassning",
        "participant_mean": "deltagarnas medelvärde",
        "placebo_rank": "placeborang",
        "post_rmspe": "RMSPE efter starten",
        "pre_fit_r2": "anpassning före starten (R²)",
        "pre_rmspe": "RMSPE före starten",
        "pre_rmspe_relative": "relativ RMSPE före starten",
        "pre_slope": "lutning före starten",
        "pretrend_lever": "avstånd mellan perioderna före och efter (perioder)",
        "pretrend_p_value": "p-värde för förtrenden",
        "pretrend_slope": "skillnad i trend före starten per period",
        "pretrend_slope_diff_matched": "skillnad i trend före starten bland de matchade",
        "pretrend_slope_diff_sd_matched": "skillnad i trend bland de matchade (SD per period)",
        "pretrend_slope_se": "medelfel för trendskillnaden",
        "pretrend_slope_se_matched": "medelfel för trendskillnaden bland de matchade",
        "pretrend_test_stat": "teststorhet för förtrenden",
        "r_squared": "förklaringsgrad (R²)",
        "reference_mean": "referensens medelvärde",
        "reference_sd": "referensens standardavvikelse",
        "reference_source": "referensens källa",
        "residual_autocorrelation_lag1": "autokorrelation i residualerna (lag 1)",
        "rmspe_ratio": "RMSPE-kvot (efter/före)",
        "share_matched": "andel matchade",
        "share_pre_outside_donor_range": "andel perioder utanför givarnas spännvidd",
        "slope_change": "ändrad lutning efter starten",
        "trend_adjusted_estimate": "skattning med förlängd förtrend",
        "trend_adjusted_std_error": "medelfel, skattning med förlängd förtrend",
        "uniform_band_critical_value": "kritiskt värde för det samtidiga bandet",
        "unmatched_did_conf_high": "omatchad skillnad-i-skillnader, övre gräns",
        "unmatched_did_conf_low": "omatchad skillnad-i-skillnader, nedre gräns",
        "unmatched_did_estimate": "omatchad skillnad-i-skillnader",
        "wilcoxon_p_value": "p-värde, Wilcoxons teckenrangtest",
        "worst_covariate": "variabeln med störst obalans",
    }}

#: names of standardised effect sizes
EFFECT_SIZE_NAMES = {
    "en": {"hedges_g": "Hedges' g", "standardized_change": "standardised change",
           "standardized_difference": "standardised difference", "cox_index": "Cox index"},
    "sv": {"hedges_g": "Hedges g", "standardized_change": "standardiserad förändring",
           "standardized_difference": "standardiserad skillnad", "cox_index": "Cox-index"},
}


_POOLED = {"en": "all others", "sv": "alla övriga"}


def comparison_label(label: Any, lang: str) -> str:
    """The comparison group's label in ``lang``; the pooled label is translated.

    Examples
    --------
    >>> comparison_label("all others", "sv"), comparison_label("register", "sv")
    ('alla övriga', 'register')
    """
    if str(label) == "all others":
        return _POOLED.get(lang, _POOLED["en"])
    return str(label)
