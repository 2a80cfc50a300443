"""Every sentence users read, in English and Swedish, in one place.

The ladder, the report and the CLI take their wording from here so that the
two languages say the same thing. Templates use ``str.format`` fields.
Plain-language text never says "significant"; it gives the interval in the
outcome's units.
"""

from __future__ import annotations

import math

__all__ = ["LANGS", "DESIGN_NAMES", "T", "fmt_num", "design_name", "reason_text"]

LANGS = ("en", "sv")

#: the ladder's designs by name, per language; each rung brings its own name and
#: rule sentence (``impacteval/ladder/rungs/``) and registration adds them here
DESIGN_NAMES: dict[str, dict[str, str]] = {"en": {}, "sv": {}}

T = {
    "en": {
        "design_used": "Design: {design}{versus}.",
        "versus": ", compared with {comparison}",
        "effect": "The estimated effect on {outcome} is {est}{unit} (95 % interval {lo} to {hi}).",
        "effect_level": "Participants' {outcome} is {est}{unit} (95 % interval {lo} to {hi}).",
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
                   "(95 % interval {lo} to {hi}).",
        "and": "and",
    },
    "sv": {
        "design_used": "Design: {design}{versus}.",
        "versus": ", jämfört med {comparison}",
        "effect": "Den skattade effekten på {outcome} är {est}{unit} (95 % konfidensintervall "
                  "{lo} till {hi}).",
        "effect_level": "Deltagarnas {outcome} är {est}{unit} (95 % konfidensintervall {lo} "
                        "till {hi}).",
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
        "bracket": "En lika stark design, {other}, ger {est}{unit} (95 % konfidensintervall {lo} "
                   "till {hi}).",
        "and": "och",
    },
}

#: plain-language reasons a design was rejected, by code
REASONS = {
    "en": {
        "no_group": "there was no comparison group",
        "no_pre": "there was no measurement before the start",
        "no_post": "there was no measurement after the start",
        "pool_small": "the comparison pool ({n_c}) is smaller than {ratio} times the participants",
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
        "ps_smd": "the participants' and twins' propensity scores differed too much ({value})",
        "error": "{message}",
        "paired": "fewer than 2 participants were measured both before and after",
        "data": "the data did not allow it ({message})",
    },
    "sv": {
        "no_group": "det fanns ingen jämförelsegrupp",
        "no_pre": "det fanns ingen mätning före starten",
        "no_post": "det fanns ingen mätning efter starten",
        "pool_small": "jämförelsegruppen ({n_c}) är mindre än {ratio} gånger antalet deltagare",
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
        "ps_smd": "deltagarnas och tvillingarnas benägenhetspoäng skilde sig för mycket ({value})",
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


def reason_text(code: str, lang: str = "en", **params) -> str:
    if "assignment" in params:
        params = {**params, "assignment": ASSIGNMENT_NAMES[lang].get(params["assignment"],
                                                                     params["assignment"])}
    if isinstance(params.get("ratio"), float) and float(params["ratio"]).is_integer():
        params = {**params, "ratio": int(params["ratio"])}
    tmpl = REASONS[lang].get(code, REASONS[lang]["error"])
    params = {k: fmt_num(float(v), lang) if isinstance(v, float) else v for k, v in params.items()}
    try:
        return tmpl.format(**params)
    except (KeyError, IndexError):
        return tmpl


#: labels of the ladder's checks, by code (rungs add their own at registration)
CHECKS: dict[str, dict[str, str]] = {"en": {}, "sv": {}}

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
    },
}


def threat_text(code: str, lang: str = "en", **params) -> str:
    tmpl = THREATS[lang].get(code, code)
    params = {k: fmt_num(float(v), lang) if isinstance(v, float) else v for k, v in params.items()}
    try:
        return tmpl.format(**params)
    except (KeyError, IndexError):
        return tmpl


# The ladder's technical lines (verdict, diagnostic names, reasons) are generated in
# English from a small fixed vocabulary; for Swedish reports they are translated phrase by
# phrase (longest phrases first). Numbers and column names pass through unchanged.
_TECHNICAL_SV = [
    ("no random assignment declared", "ingen slumpmässig fördelning angiven"),
    ("no as-if-random rule declared", "ingen slumpliknande regel angiven"),
    ("a cutoff rule needs regression discontinuity (not available in this version)",
     "en gränsregel kräver regressionsdiskontinuitet (finns inte i denna version)"),
    ("needs the outcome before and after", "kräver utfallet före och efter"),
    ("needs participants before and after", "kräver deltagare före och efter"),
    ("no comparison group", "ingen jämförelsegrupp"),
    ("no pre-treatment covariates", "inga bakgrundsvariabler från före starten"),
    ("no reference value", "inget referensvärde"),
    ("one cluster", "ett kluster"),
    ("per condition: the effect cannot be separated from that cluster",
     "per grupp: effekten går inte att skilja från det klustret"),
    ("pre-period slope difference in the matched sample (SD per period)",
     "skillnad i trend före starten bland de matchade (SD per period)"),
    ("pre-period slope difference (SD per period)", "skillnad i trend före starten (SD per period)"),
    ("joint pre-trend (placebo) test p-value", "p-värde för gemensamt test av trender före starten"),
    ("smallest pre-trend the test could detect (SD per period)",
     "minsta trendskillnad testet kunde upptäcka (SD per period)"),
    ("comparison units starting during the post window",
     "jämförelseenheter som började under uppföljningen"),
    ("comparison pool / participants", "jämförelsegrupp / deltagare"),
    ("share of participants matched", "andel matchade deltagare"),
    ("max |SMD| after matching", "största |SMD| efter matchning"),
    ("max |SMD| of covariates", "största |SMD| för bakgrundsvariabler"),
    ("variance ratios after matching", "varianskvoter efter matchning"),
    ("max reuse of one comparison unit", "flest återanvändningar av en jämförelseenhet"),
    ("covariates with |SMD| > 0.10 adjusted in the outcome model",
     "variabler med |SMD| > 0,10 justerade i utfallsmodellen"),
    ("baseline |g| (level difference)", "|g| före starten (nivåskillnad)"),
    ("baseline |g|", "|g| före starten"),
    ("differential attrition (pp) at overall attrition", "skillnad i bortfall (procentenheter) vid totalt bortfall"),
    ("clusters per arm", "kluster per grupp"),
    ("paired units", "parade enheter"),
    ("parallel trends cannot be tested", "parallella trender kan inte testas"),
    ("one pre-period", "en period före"),
    ("reported (Roth 2022)", "redovisas (Roth 2022)"),
    ("cautious boundary, interpolated", "försiktig gräns, interpolerad"),
    ("no acceptable value at this overall attrition", "inget godtagbart värde vid detta bortfall"),
    ("bias correction", "biaskorrigering"),
    ("required", "krävs"),
    ("(warn above)", "(varning över)"),
    ("(warn)", "(varning)"),
    ("package default", "paketets standardvärde"),
    ("(no spill-over)", "(ingen spridning till jämförelsegruppen)"),
    (" rejected: ", " underkänd: "),
    (" chosen: ", " vald: "),
    (" chosen.", " vald."),
    (", needs ", ", kräver "),
    (" is ", " är "),
    ("(ok vs ", "(godkänd mot "),
    ("(fails vs ", "(underkänd mot "),
    ("precision: MDES", "precision: minsta upptäckbara effekt"),
    ("security = min(design", "tillförlitlighet = min(design"),
    ("attrition", "bortfall"),
    (" for threats", " för hot"),
    ("threat: ", "hot: "),
    ("no effect estimated", "ingen effekt skattad"),
]


def technical(text: str, lang: str = "en") -> str:
    """A technical line of the ladder in ``lang`` (phrase-by-phrase for Swedish)."""
    if lang != "sv" or not text:
        return text
    out = str(text)
    for en, sv in _TECHNICAL_SV:
        out = out.replace(en, sv)
    return out
