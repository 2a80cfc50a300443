"""Notes on results: one code, typed parameters, a template per language.

Every note an estimator attaches to a result (``Estimate.notes``) and every warning
it raises is a :class:`Note`: a ``str`` (its English text, so code that reads notes as
strings keeps working) that also carries a ``code`` and its ``params``. The report,
``summary(lang=...)`` and ``explain()`` render it with :meth:`Note.render` in the
language asked for. Counts of people are passed as :class:`~impacteval.texts.Count`
and rendered as ``"< k"`` below the suppression limit, so no text has to be scrubbed
after it is written (the one privacy policy of the package).

Written by hand: the string formatting of typed parameters per language (the
standard library's :class:`string.Formatter` does the parsing).

Examples
--------
>>> from impacteval.notes import Note
>>> from impacteval.texts import Count
>>> n = Note("weights_zero_left_out", n=Count(3), column="w")
>>> str(n)
"3 unit(s) with weight 0 in 'w' were left out: they do not count towards the estimate or the number of units."
>>> n.render("sv", k=5)
"< 5 enheter med vikten 0 i 'w' lämnades utanför: de räknas inte med i skattningen eller i antalet enheter."
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from . import texts

__all__ = ["Note", "NOTES", "Level", "LangText", "note_text", "render_note"]

#: every note's template, by language and code
NOTES: dict[str, dict[str, str]] = {
    "en": {
        # --- assumptions of each design
        "assume_follow_up": "A follow-up shows how participants are doing, not whether the "
                            "project made a difference.",
        "assume_benchmark": "A benchmark compares participants with a reference, not with what "
                            "would have happened to them without the project.",
        "assume_before_after": "Before-after assumes nothing else would have changed the "
                               "outcome (trends, maturation, regression to the mean); it cannot "
                               "separate the project from them.",
        "assume_parallel": "Assumes parallel trends: without the project, participants' outcome "
                           "would have changed as much as the comparison group's.",
        "assume_parallel_one": "Assumes parallel trends: without the project, the treated "
                               "unit's outcome would have changed as much as the comparison "
                               "units' average.",
        "assume_parallel_few": "Assumes parallel trends: without the project, the treated "
                               "units' outcome would have changed as much as the comparison "
                               "units' average.",
        "assume_staggered": "Assumes parallel trends between each cohort and its comparison "
                            "group (Callaway & Sant'Anna 2021), and no effect before the start.",
        "assume_rcs": "Repeated cross-sections: different people each period. Assumes parallel "
                      "trends and a stable composition of each group between periods.",
        "assume_synthetic": "Assumes the weighted donors would have followed the treated unit's "
                            "path without the project (a good pre-period fit supports it; it "
                            "does not prove it).",
        "assume_sdid": "Synthetic difference-in-differences (Arkhangelsky et al. 2021): unit and "
                       "time weights, then a weighted DiD; assumes the weighted comparison units "
                       "would have changed as the treated unit did.",
        "assume_its": "Assumes the pre-period trend (and season pattern) would have continued "
                      "unchanged without the project, and that nothing else changed at the "
                      "start.",
        "no_baseline": "No baseline outcome: equivalence of the groups before the project "
                       "cannot be shown; the estimate assumes the groups would otherwise have "
                       "been equal.",
        "no_baseline_cov": "No baseline outcome: equivalence of the groups before the project "
                           "cannot be shown; the estimate assumes the groups would otherwise "
                           "have been equal given the covariates.",
        # --- pre-trends and designs over time
        "one_pre_period": "One pre-period: parallel trends cannot be tested.",
        "no_pre_besides_base": "No period before any cohort's start besides the base period: "
                               "parallel trends cannot be tested.",
        "not_yet_comparison": "Comparison: units that have not started yet (and never-started "
                              "units); each is used up to its start and never after.",
        "cells_not_estimated": "{n} cohort×period cell(s) had no comparison unit left and are "
                               "not estimated.",
        "pretrend_singular": "The joint pre-trend test could not be computed: the pre-period "
                             "coefficients' covariance is singular (too few clusters or no "
                             "variation before the start).",
        "composition_changed": "Composition changed between periods: a covariate's mean moved "
                               "by {smd:.2f} standard deviations within a group (> 0.25).",
        "composition_unchecked": "No covariates: composition change between periods cannot be "
                                 "checked.",
        "its_comparative": "Comparative interrupted time series: the difference between the "
                           "treated and the comparison series is analysed, which removes shocks "
                           "common to both.",
        "its_short_pre": "Only {n_pre} periods before the start: the pre-period trend is "
                         "uncertain (8 or more are advised; Cochrane EPOC needs at least 3).",
        "its_no_season": "Seasonality is not modelled: it needs two years of data, one of them "
                         "before the start.",
        "dip": "pre-programme dip: the last pre period's mean of {outcome!r} differs from the "
               "earlier pre periods by {sd:+.2f} SD (> 0.25; Ashenfelter 1978). A before-after "
               "comparison from that point exaggerates the change.",
        "benchmark_need": "Participants differ from the reference by {sd:+.2f} reference SD "
                          "(> 0.25): the benchmark describes need, not a counterfactual.",
        # --- one or few treated units, synthetic control
        "placebo_one": "One treated unit: inference is placebo-in-space over {j} comparison "
                       "units (Conley & Taber 2011); it assumes the treated unit's deviations "
                       "are like the comparison units' (similar size and variance, Ferman & "
                       "Pinto 2019).",
        "placebo_few": "{k} treated units: inference is placebo-in-space over {how} (Conley & "
                       "Taber 2011); it assumes the treated units' deviations are like the "
                       "comparison units' (Ferman & Pinto 2019).",
        "placebo_unbounded": "With {j} comparison units no two-sided {level} % placebo "
                             "interval exists (the smallest possible p-value is 1/{j1}); at "
                             "least {need} are needed, so the interval is unbounded.",
        "placebo_sets_few": "Too few placebo sets ({j}) for a two-sided {level} % interval; "
                            "it is unbounded.",
        "donors_unbounded": "With {j} donors no two-sided {level} % placebo interval exists; "
                            "at least {need} are needed, so it is unbounded.",
        "donors_placebo": "Inference is placebo-in-space over {j} donors (Abadie, Diamond & "
                          "Hainmueller 2010): the smallest possible p-value is 1/{j1}.",
        "outside_donor_range": "The treated unit lies outside the donors' range in {share:.0%} "
                               "of pre periods: no weighted average of donors can follow it "
                               "there, so the synthetic control fits poorly.",
        "incomplete_comparison": "{n} comparison unit(s) in column {unit!r} lack a {outcome!r} "
                                 "value in some analysed period and are left out of the {what} "
                                 "(it needs every unit in every period).",
        "incomplete_comparison_placebo": "{n} comparison unit(s) in column {unit!r} lack a "
                                         "{outcome!r} value in some analysed period and are "
                                         "left out of the placebo inference.",
        # --- clusters, weights, regression
        "few_clusters": "Only {n} clusters: cluster-robust errors can be too small; the wild "
                        "cluster bootstrap (ci='wild') is safer.",
        "few_clusters_auto": "Only {n} clusters: cluster-robust errors can be too small; the "
                             "wild cluster bootstrap (ci='auto' or 'wild') is safer.",
        "few_clusters_webb": "Only {n} clusters in {column!r}: the cluster-robust t interval "
                             "can be far too narrow; ci='auto' uses the wild cluster "
                             "bootstrap-t with Webb's six-point weights (MacKinnon & Webb "
                             "2017).",
        "leverage_one": "Some units have leverage 1 (the model fits them exactly), so HC2 is "
                        "undefined; the HC1 standard error is reported instead.",
        "weights_concentrated": "The weights concentrate on a few units (effective sample size "
                                "{ess_t:.1f} participants, {ess_c:.1f} comparison units): the "
                                "interval rests on very few observations.",
        "weights_zero_left_out": "{n} unit(s) with weight 0 in {column!r} were left out: they "
                                 "do not count towards the estimate or the number of units.",
        "constant_covariates": "covariate(s) {columns} have one value only among the units "
                               "compared and were left out of the adjustment.",
        "no_overlap": "no overlap: participants and comparison units share no values of "
                      "{columns}; the adjusted difference is an extrapolation of the regression "
                      "line, not a comparison of similar people. Use match() to see who can be "
                      "compared.",
        "singletons": "{n} unit(s) alone in their category of {columns} were left out: a "
                      "category with one unit fits that unit exactly (leverage 1) and says "
                      "nothing about the effect (as reghdfe and fixest do).",
        # --- matching
        "matched_did_left_out": "{n} of {total} units left out of the matched DiD: they lack "
                                "an outcome in at least one of the pre periods ({pre}) or post "
                                "periods ({post}).",
        "ps_too_many_parameters": "the propensity model has {k} parameters for {n} "
                                  "participants, more than participants/10 (Peduzzi et al. "
                                  "1996); prefer Mahalanobis or exact matching on a few key "
                                  "variables.",
        "matched_subset": "the result covers {n} of {total} {who}: {lost} had {why} (ids in "
                          "diagnostics['unmatched_ids']); the estimand is now the {estimand} of "
                          "the matched {who} only.",
        "no_common_support": "{n} of {total} participants have a propensity score outside the "
                             "comparison group's range (no common support); their twins are "
                             "extrapolations. Consider caliper=0.2 (Austin 2011).",
        "twin_reuse": "one comparison unit is used as a twin {n} times (> {limit}); the result "
                      "leans on a few comparison units. Consider k > 1 or a caliper.",
        "low_ess": "the effective number of comparison units is {ess:.1f}, less than half of "
                   "the {n} used (uneven matching weights).",
        "imbalance_bias_correction": "after matching |SMD| of {column!r} is {smd:.2f} ≥ 0.10 "
                                     "(Austin 2009); bias_correction=True adjusts for it.",
        "imbalance_remaining": "after matching |SMD| of {column!r} is {smd:.2f} ≥ 0.10 (Austin "
                               "2009); the remaining imbalance may bias the estimate.",
        "ps_not_converged": "the propensity model did not converge (the covariates may separate "
                            "the groups perfectly): overlap is poor; use Mahalanobis or exact "
                            "matching.",
        # --- rows and data
        "rows_left_out": "{n} of {total} rows left out: {detail}.",
        "units_no_row": "{n} unit(s) in column {unit!r} have no row in the period(s) {periods} "
                        "and are left out; check for attrition.",
        "before_after_left_out": "Units left out of the before-after comparison: {detail}.",
        "part_no_pre": "{n} unit(s) without a pre-period value",
        "part_no_post": "{n} unit(s) without a post-period value",
        "part_missing_outcome": "{n} with missing outcome",
        "part_missing_covariate": "{n} with missing covariate {column}",
        "part_missing_weights": "{n} with missing weights",
        "constant_level": "every participant has the same {outcome!r} ({value:g}); the level is "
                          "reported without an interval or p-value.",
        "extreme_magnitude": "The outcome {outcome!r} is of extreme magnitude (up to "
                             "{mag:.3g}); it was rescaled by 2^{power} internally so that sums "
                             "of squares neither underflow nor overflow, and the results were "
                             "scaled back.",
        # --- intervals
        "coarse_resampling": "ci={ci!r} with {n} unit(s) in the smallest group: resampling or "
                             "permuting so few units gives only a handful of distinct outcomes, "
                             "so the interval and p-value are coarse; the analytic interval "
                             "(ci='analytic') is the usual choice here.",
        "interval_undefined": "The {level} % interval is undefined: {reason}",
        "interval_unbounded": "The {level} % interval is unbounded: {reason}",
        "zero_width": "The interval has zero width although the estimate varies: it is not a "
                      "valid statement of uncertainty.",
        "reason_no_spread": "the data cannot bound it (e.g. resamples without any spread).",
        "reason_rejected": "no shift is accepted by the test at this level (the observed "
                           "difference itself is rejected).",
        "reason_few_assignments": "with {n} units there are only {m:g} assignments, too few "
                                  "for a {level} % interval.",
        "reason_few_assignments_shift": "with {n} units there are only {m:g} assignments, too "
                                        "few to reject any shift at the {level} % level.",
        "reason_one_side": "the test could not reject any shift on one side.",
        "option_unavailable_scale": "scale={value!r} is not available for this design; the "
                                    "estimate is in the outcome's units.",
        "waitlist_not_yet": "Comparison units that started during the window are each a "
                            "comparison only until their start (not-yet-started comparison, "
                            "Callaway & Sant'Anna 2021).",
        "waitlist_twins": "Twins were found among all comparison units on the earlier "
                          "outcome and background, each used once (Ho, Imai, King & Stuart "
                          "2007); a twin who started later counts only until its own start.",
        "option_unavailable_ci": "ci={value!r} is not available for this design; its interval "
                                 "is {method}.",
        # --- economics
        "econ_permutation_draws": "The estimate's draws come from a permutation test (they "
                                  "describe 'no effect'), so they were not used; the interval "
                                  "uses the estimate's standard error instead.",
        "econ_single_value": "The effect was given as one number, so no uncertainty is "
                             "carried.",
        "econ_lower_better": "Lower is better for this outcome: the effect is counted as a "
                             "reduction (positive = improvement), and the ratios are per unit "
                             "of reduction.",
        "econ_zero_effect": "The effect is exactly zero, so the cost per unit of effect is "
                            "undefined.",
        "econ_ci_includes_zero": "The effect's {level} % interval [{lo}, {hi}] includes zero, "
                                 "so the cost per unit of effect has no finite bound on one "
                                 "side: the project may have no effect (or the opposite one), "
                                 "and then no amount of money buys a unit of effect. Only the "
                                 "bound on the other side is informative.",
        "econ_relative": "The effect is on the relative scale (percent of the mean), so the "
                         "ratios are per percent, not per unit of the outcome.",
        "econ_simulated": "The effect has no draws; {n} draws were simulated from its {source} "
                          "to pair with the cost draws (seed={seed!r}).",
        "econ_draws_shift": "The mean of the bootstrap draws differs from the estimate by "
                            "{k:.2f} standard errors (bias or skew); the interval and P(pays "
                            "back) follow the draws.",
        "pool_estimands": "The pooled estimates have different estimands ({names}).",
        "pool_outcomes": "The pooled estimates have differently named outcomes ({names}); "
                         "pooling assumes they measure the same thing.",
        "pool_heterogeneity": "The effects differ more than chance explains (Q={q:.3g}, "
                              "p={p:.3g}, I²={i2:.0f} %); consider method='random'.",
        "pool_tau_few": "τ² is estimated from only {k} estimates, so it is very uncertain; the "
                        "random-effects interval may be too narrow.",
        "qaly_nonpositive": "In {n} of {total} draws the QALY gain is zero or negative, so the "
                            "ratio has no interval; read the acceptability curve (net monetary "
                            "benefit).",
        "qaly_single": "Net cost and QALY gain were given as single values: no uncertainty is "
                       "carried, so every probability is 0 or 1.",
        "repay_short": "Savings are given for {years} year(s), fewer than the {window}-year "
                       "window: later years count as zero.",
        "repay_negative": "In {n} of {total} draws the project cost the unit money (negative "
                          "savings); that cost counts in the unit's loss.",
        "src_bootstrap": "bootstrap draws (n={n})",
        "src_t": "t distribution (df={df:.4g})",
        "src_normal": "normal distribution",
        "src_single": "a single value (no uncertainty)",
        "src_effect_draws": "effect draws (n={n})",
        "src_simulated": "simulated from the {source}, with cost draws",
        "rule_unconditional": "Unconditional: the grant is repaid in full, whatever the "
                              "project saves (a loan)",
        "rule_conditional": "Conditional: the measured savings are repaid, up to the grant",
        "rule_capped": "Capped: {share} of the savings within {window} year(s) is repaid, up "
                       "to the grant (a deductible)",
        "share_all": "all",
        "share_pct": "{pct:g} %",
        "read_encoding": "{name} is not UTF-8; it was read as {encoding}. Check that å, ä "
                         "and ö look right.",
        "read_conversions": "While reading {name}: {detail}.",
        "read_part_thousands": "{n} value(s) in column {column!r} had thousands separators",
        "read_part_missing": "{n} value(s) in column {column!r} were read as missing ({marks})",
        "read_part_totals": "{n} totals row(s) (\"Summa\", \"Totalt\") were removed",
        "relative_aligned": "{n} unit(s) without a start period were aligned on the "
                            "participants' most common start ({start}).",
        "dev_outcome": "outcome {outcome!r} was not in the plan: treat it as exploratory",
        "dev_assignment": "assignment declared as {got}, planned {planned}",
        "dev_design": "design {got} used, planned {planned}",
        "dev_cov_missing": "planned covariates not used: {columns}",
        "dev_cov_extra": "covariates not in the plan: {columns}",
        "dev_comparison": "comparison group {comparison!r} was not in the plan",
        "coverage_regime": "{text}",
        "text": "{text}",
    },
    "sv": {
        "assume_follow_up": "En uppföljning visar hur det går för deltagarna, inte om projektet "
                            "gjorde någon skillnad.",
        "assume_benchmark": "En jämförelse med ett riktmärke ställer deltagarna mot en "
                            "referens, inte mot hur det hade gått för dem utan projektet.",
        "assume_before_after": "Före–efter förutsätter att inget annat hade ändrat utfallet "
                               "(trender, mognad, återgång mot medelvärdet); jämförelsen kan "
                               "inte skilja projektet från sådant.",
        "assume_parallel": "Förutsätter parallella trender: utan projektet hade deltagarnas "
                           "utfall förändrats lika mycket som jämförelsegruppens.",
        "assume_parallel_one": "Förutsätter parallella trender: utan projektet hade den "
                               "behandlade enhetens utfall förändrats lika mycket som "
                               "jämförelseenheternas genomsnitt.",
        "assume_parallel_few": "Förutsätter parallella trender: utan projektet hade de "
                               "behandlade enheternas utfall förändrats lika mycket som "
                               "jämförelseenheternas genomsnitt.",
        "assume_staggered": "Förutsätter parallella trender mellan varje startkohort och dess "
                            "jämförelsegrupp (Callaway & Sant'Anna 2021), och ingen effekt före "
                            "starten.",
        "assume_rcs": "Upprepade tvärsnitt: olika personer varje period. Förutsätter parallella "
                      "trender och att varje grupps sammansättning är densamma mellan "
                      "perioderna.",
        "assume_synthetic": "Förutsätter att de viktade givarenheterna hade följt den "
                            "behandlade enhetens bana utan projektet (god anpassning före "
                            "starten talar för det men bevisar det inte).",
        "assume_sdid": "Syntetisk skillnad-i-skillnader (Arkhangelsky m.fl. 2021): vikter för "
                       "enheter och tidpunkter, sedan en viktad skillnad-i-skillnader; "
                       "förutsätter att de viktade jämförelseenheterna hade förändrats som den "
                       "behandlade enheten.",
        "assume_its": "Förutsätter att trenden före starten (och säsongsmönstret) hade "
                      "fortsatt oförändrad utan projektet, och att inget annat ändrades vid "
                      "starten.",
        "no_baseline": "Inget utfall före starten: att grupperna var lika före projektet kan "
                       "inte visas; skattningen förutsätter att grupperna annars hade varit "
                       "lika.",
        "no_baseline_cov": "Inget utfall före starten: att grupperna var lika före projektet "
                           "kan inte visas; skattningen förutsätter att grupperna annars hade "
                           "varit lika givet bakgrundsvariablerna.",
        "one_pre_period": "En enda period före starten: parallella trender kan inte prövas.",
        "no_pre_besides_base": "Ingen period före någon kohorts start utöver basperioden: "
                               "parallella trender kan inte prövas.",
        "not_yet_comparison": "Jämförelse: enheter som ännu inte har börjat (och enheter som "
                              "aldrig börjar); var och en används fram till sin start och "
                              "aldrig efter.",
        "cells_not_estimated": "{n} cell(er) av kohort × period saknade jämförelseenheter och "
                               "skattades inte.",
        "pretrend_singular": "Det samlade testet av förtrenden kunde inte beräknas: "
                             "kovariansen för koefficienterna före starten är singulär (för få "
                             "kluster eller ingen variation före starten).",
        "composition_changed": "Sammansättningen ändrades mellan perioderna: medelvärdet för "
                               "en bakgrundsvariabel flyttade sig {smd:.2f} standardavvikelser "
                               "inom en grupp (> 0,25).",
        "composition_unchecked": "Inga bakgrundsvariabler: om sammansättningen ändrades mellan "
                                 "perioderna kan inte kontrolleras.",
        "its_comparative": "Jämförande avbruten tidsserie: skillnaden mellan den behandlade "
                           "serien och jämförelseserien analyseras, vilket tar bort händelser "
                           "som drabbar båda.",
        "its_short_pre": "Bara {n_pre} perioder före starten: trenden före starten är osäker "
                         "(8 eller fler rekommenderas; Cochrane EPOC kräver minst 3).",
        "its_no_season": "Säsongsvariation modelleras inte: det kräver två års data, varav ett "
                         "före starten.",
        "dip": "Nedgång före programmet: medelvärdet för {outcome!r} under den sista perioden "
               "före starten skiljer sig från de tidigare perioderna med {sd:+.2f} SD (> 0,25; "
               "Ashenfelter 1978). En före–efter-jämförelse från den punkten överdriver "
               "förändringen.",
        "benchmark_need": "Deltagarna skiljer sig från referensen med {sd:+.2f} av referensens "
                          "SD (> 0,25): riktmärket beskriver behov, inte vad som hade hänt "
                          "utan projektet.",
        "placebo_one": "En behandlad enhet: slutsatserna bygger på placebo i rummet över {j} "
                       "jämförelseenheter (Conley & Taber 2011); det förutsätter att den "
                       "behandlade enhetens avvikelser liknar jämförelseenheternas (liknande "
                       "storlek och varians, Ferman & Pinto 2019).",
        "placebo_few": "{k} behandlade enheter: slutsatserna bygger på placebo i rummet över "
                       "{how} (Conley & Taber 2011); det förutsätter att de behandlade "
                       "enheternas avvikelser liknar jämförelseenheternas (Ferman & Pinto "
                       "2019).",
        "placebo_unbounded": "Med {j} jämförelseenheter finns inget tvåsidigt "
                             "placebointervall på {level} % (det minsta möjliga p-värdet är "
                             "1/{j1}); minst {need} behövs, så intervallet är obegränsat.",
        "placebo_sets_few": "För få placebouppsättningar ({j}) för ett tvåsidigt intervall på "
                            "{level} %; det är obegränsat.",
        "donors_unbounded": "Med {j} givarenheter finns inget tvåsidigt placebointervall på "
                            "{level} %; minst {need} behövs, så det är obegränsat.",
        "donors_placebo": "Slutsatserna bygger på placebo i rummet över {j} givarenheter "
                          "(Abadie, Diamond & Hainmueller 2010): det minsta möjliga p-värdet "
                          "är 1/{j1}.",
        "outside_donor_range": "Den behandlade enheten ligger utanför givarenheternas "
                               "spännvidd i {share:.0%} av perioderna före starten: inget "
                               "viktat medelvärde av givarenheter kan följa den där, så den "
                               "syntetiska kontrollen passar dåligt.",
        "incomplete_comparison": "{n} jämförelseenhet(er) i kolumnen {unit!r} saknar ett "
                                 "värde för {outcome!r} i någon analyserad period och lämnas "
                                 "utanför analysen (den kräver alla enheter i alla perioder).",
        "incomplete_comparison_placebo": "{n} jämförelseenhet(er) i kolumnen {unit!r} saknar "
                                         "ett värde för {outcome!r} i någon analyserad period "
                                         "och lämnas utanför placeboberäkningen.",
        "few_clusters": "Bara {n} kluster: klusterrobusta medelfel kan bli för små; vild "
                        "klusterbootstrap (ci='wild') är säkrare.",
        "few_clusters_auto": "Bara {n} kluster: klusterrobusta medelfel kan bli för små; vild "
                             "klusterbootstrap (ci='auto' eller 'wild') är säkrare.",
        "few_clusters_webb": "Bara {n} kluster i {column!r}: det klusterrobusta t-intervallet "
                             "kan bli alldeles för smalt; ci='auto' använder vild "
                             "klusterbootstrap-t med Webbs sexpunktsvikter (MacKinnon & Webb "
                             "2017).",
        "leverage_one": "Några enheter har hävstång 1 (modellen passar dem exakt), så HC2 är "
                        "odefinierat; medelfelet HC1 redovisas i stället.",
        "weights_concentrated": "Vikterna ligger på ett fåtal enheter (effektiv "
                                "urvalsstorlek {ess_t:.1f} deltagare, {ess_c:.1f} "
                                "jämförelseenheter): intervallet vilar på mycket få "
                                "observationer.",
        "weights_zero_left_out": "{n} enheter med vikten 0 i {column!r} lämnades utanför: de "
                                 "räknas inte med i skattningen eller i antalet enheter.",
        "constant_covariates": "Bakgrundsvariabeln/-variablerna {columns} har bara ett värde "
                               "bland de jämförda enheterna och togs bort ur justeringen.",
        "no_overlap": "Ingen överlappning: deltagare och jämförelseenheter delar inga värden på "
                      "{columns}; den justerade skillnaden är en förlängning av "
                      "regressionslinjen, inte en jämförelse av likartade personer. Använd "
                      "match() för att se vilka som kan jämföras.",
        "singletons": "{n} enheter ensamma i sin kategori av {columns} lämnades utanför: en "
                      "kategori med en enda enhet passar den enheten exakt (hävstång 1) och "
                      "säger inget om effekten (som i reghdfe och fixest).",
        "matched_did_left_out": "{n} av {total} enheter lämnades utanför den matchade "
                                "skillnad-i-skillnader: de saknar utfall i minst en av perioderna "
                                "före ({pre}) eller efter ({post}).",
        "ps_too_many_parameters": "Modellen för benägenhetspoängen har {k} parametrar för {n} "
                                  "deltagare, fler än deltagarna/10 (Peduzzi m.fl. 1996); "
                                  "matcha hellre med Mahalanobisavstånd eller exakt på ett "
                                  "fåtal viktiga variabler.",
        "matched_subset": "Resultatet gäller {n} av {total} {who}: {lost} hade {why} (id i "
                          "diagnostics['unmatched_ids']); skattningen gäller nu bara de "
                          "matchade {who} ({estimand}).",
        "no_common_support": "{n} av {total} deltagare har en benägenhetspoäng utanför "
                             "jämförelsegruppens spännvidd (ingen gemensam stödmängd); deras "
                             "tvillingar är extrapoleringar. Pröva caliper=0.2 (Austin 2011).",
        "twin_reuse": "En jämförelseenhet används som tvilling {n} gånger (> {limit}); "
                      "resultatet vilar på ett fåtal jämförelseenheter. Pröva k > 1 eller en "
                      "caliper.",
        "low_ess": "Det effektiva antalet jämförelseenheter är {ess:.1f}, mindre än hälften av "
                   "de {n} som används (ojämna matchningsvikter).",
        "imbalance_bias_correction": "Efter matchningen är |SMD| för {column!r} {smd:.2f} ≥ "
                                     "0,10 (Austin 2009); bias_correction=True justerar för "
                                     "det.",
        "imbalance_remaining": "Efter matchningen är |SMD| för {column!r} {smd:.2f} ≥ 0,10 "
                               "(Austin 2009); den kvarstående obalansen kan snedvrida "
                               "skattningen.",
        "ps_not_converged": "Modellen för benägenhetspoängen konvergerade inte (variablerna kan "
                            "skilja grupperna helt åt): överlappningen är dålig; matcha med "
                            "Mahalanobisavstånd eller exakt.",
        "rows_left_out": "{n} av {total} rader lämnades utanför: {detail}.",
        "units_no_row": "{n} enhet(er) i kolumnen {unit!r} saknar rad i perioden/perioderna "
                        "{periods} och lämnas utanför; kontrollera bortfallet.",
        "before_after_left_out": "Lämnades utanför före–efter-jämförelsen: {detail}.",
        "part_no_pre": "{n} enhet(er) utan värde före starten",
        "part_no_post": "{n} enhet(er) utan värde efter starten",
        "part_missing_outcome": "{n} med saknat utfall",
        "part_missing_covariate": "{n} med saknad bakgrundsvariabel {column}",
        "part_missing_weights": "{n} med saknad vikt",
        "constant_level": "Alla deltagare har samma värde på {outcome!r} ({value:g}); nivån "
                          "redovisas utan intervall och p-värde.",
        "extreme_magnitude": "Utfallet {outcome!r} har extrem storlek (upp till {mag:.3g}); "
                             "det skalades om med 2^{power} internt så att kvadratsummor varken "
                             "underskrider eller överskrider talområdet, och resultaten "
                             "skalades tillbaka.",
        "coarse_resampling": "ci={ci!r} med {n} enheter i den minsta gruppen: att dra om eller "
                             "permutera så få enheter ger bara en handfull olika utfall, så "
                             "intervallet och p-värdet blir grova; det analytiska intervallet "
                             "(ci='analytic') är det vanliga valet här.",
        "interval_undefined": "Intervallet på {level} % är odefinierat: {reason}",
        "interval_unbounded": "Intervallet på {level} % är obegränsat: {reason}",
        "zero_width": "Intervallet har bredden noll fast skattningen varierar: det är inget "
                      "giltigt mått på osäkerheten.",
        "reason_no_spread": "data kan inte avgränsa det (t.ex. omdragningar utan spridning).",
        "reason_rejected": "testet godtar ingen förskjutning på denna nivå (själva den "
                           "observerade skillnaden förkastas).",
        "reason_few_assignments": "med {n} enheter finns bara {m:g} möjliga tilldelningar, för "
                                  "få för ett intervall på {level} %.",
        "reason_few_assignments_shift": "med {n} enheter finns bara {m:g} möjliga "
                                        "tilldelningar, för få för att förkasta någon "
                                        "förskjutning på nivån {level} %.",
        "reason_one_side": "testet kunde inte förkasta någon förskjutning åt ena hållet.",
        "option_unavailable_scale": "scale={value!r} finns inte för denna design; skattningen "
                                    "är i utfallets enhet.",
        "waitlist_not_yet": "Jämförelseenheter som började under perioden är jämförelse bara "
                            "fram till sin egen start (jämförelse med ännu inte startade, "
                            "Callaway & Sant'Anna 2021).",
        "waitlist_twins": "Tvillingarna hittades bland alla i jämförelsegruppen utifrån "
                          "tidigare utfall och bakgrund, var och en använd en gång (Ho, Imai, "
                          "King & Stuart 2007); en tvilling som började senare räknas bara "
                          "fram till sin egen start.",
        "option_unavailable_ci": "ci={value!r} finns inte för denna design; intervallet är "
                                 "designens eget ({method}).",
        "econ_permutation_draws": "Skattningens dragningar kommer från ett "
                                  "permutationstest (de beskriver 'ingen effekt') och användes "
                                  "därför inte; intervallet bygger i stället på skattningens "
                                  "medelfel.",
        "econ_single_value": "Effekten angavs som ett enda tal, så ingen osäkerhet förs "
                             "vidare.",
        "econ_lower_better": "Lägre är bättre för detta utfall: effekten räknas som en "
                             "minskning (positiv = förbättring), och kvoterna gäller per enhet "
                             "minskning.",
        "econ_zero_effect": "Effekten är exakt noll, så kostnaden per enhet effekt är "
                            "odefinierad.",
        "econ_ci_includes_zero": "Effektens intervall på {level} % [{lo}, {hi}] innehåller "
                                 "noll, så kostnaden per enhet effekt saknar ändlig gräns åt "
                                 "ena hållet: projektet kanske inte har någon effekt (eller "
                                 "den motsatta), och då köper inga pengar en enhet effekt. Bara "
                                 "gränsen åt andra hållet säger något.",
        "econ_relative": "Effekten är på relativ skala (procent av medelvärdet), så kvoterna "
                         "gäller per procent, inte per enhet av utfallet.",
        "econ_simulated": "Effekten har inga dragningar; {n} dragningar simulerades från dess "
                          "{source} för att paras med kostnadsdragningarna (seed={seed!r}).",
        "econ_draws_shift": "Medelvärdet av bootstrapdragningarna skiljer sig från skattningen "
                            "med {k:.2f} medelfel (snedvridning eller skevhet); intervallet "
                            "och P(betalar sig) följer dragningarna.",
        "pool_estimands": "De sammanvägda skattningarna avser olika storheter ({names}).",
        "pool_outcomes": "De sammanvägda skattningarna har olika namngivna utfall ({names}); "
                         "sammanvägningen förutsätter att de mäter samma sak.",
        "pool_heterogeneity": "Effekterna skiljer sig mer än slumpen förklarar (Q={q:.3g}, "
                              "p={p:.3g}, I²={i2:.0f} %); överväg method='random'.",
        "pool_tau_few": "τ² skattas från bara {k} skattningar och är därför mycket osäker; "
                        "intervallet med slumpeffekter kan vara för smalt.",
        "qaly_nonpositive": "I {n} av {total} dragningar är QALY-vinsten noll eller negativ, "
                            "så kvoten saknar intervall; läs acceptanskurvan (monetärt "
                            "nettovärde).",
        "qaly_single": "Nettokostnad och QALY-vinst angavs som enstaka värden: ingen osäkerhet "
                       "förs vidare, så varje sannolikhet är 0 eller 1.",
        "repay_short": "Besparingar anges för {years} år, färre än fönstret på {window} år: "
                       "senare år räknas som noll.",
        "repay_negative": "I {n} av {total} dragningar kostade projektet enheten pengar "
                          "(negativa besparingar); den kostnaden räknas in i enhetens "
                          "förlust.",
        "src_bootstrap": "bootstrapdragningar (n={n})",
        "src_t": "t-fördelning (df={df:.4g})",
        "src_normal": "normalfördelning",
        "src_single": "ett enda värde (ingen osäkerhet)",
        "src_effect_draws": "effektdragningar (n={n})",
        "src_simulated": "simulerat från {source}, med kostnadsdragningar",
        "rule_unconditional": "Villkorslös: bidraget betalas tillbaka helt, oavsett vad "
                              "projektet sparar (ett lån)",
        "rule_conditional": "Villkorad: de uppmätta besparingarna betalas tillbaka, upp till "
                            "bidraget",
        "rule_capped": "Med tak: {share} av besparingarna inom {window} år betalas tillbaka, "
                       "upp till bidraget (en självrisk)",
        "share_all": "allt",
        "share_pct": "{pct:g} %",
        "read_encoding": "{name} är inte UTF-8; filen lästes som {encoding}. Kontrollera att "
                         "å, ä och ö ser rätt ut.",
        "read_conversions": "Vid läsningen av {name}: {detail}.",
        "read_part_thousands": "{n} värde(n) i kolumnen {column!r} hade tusentalsavgränsare",
        "read_part_missing": "{n} värde(n) i kolumnen {column!r} lästes som saknade ({marks})",
        "read_part_totals": "{n} summarad(er) (\"Summa\", \"Totalt\") togs bort",
        "relative_aligned": "{n} enhet(er) utan startperiod jämfördes från deltagarnas "
                            "vanligaste start ({start}).",
        "dev_outcome": "utfallet {outcome!r} fanns inte i planen: behandla det som "
                       "utforskande",
        "dev_assignment": "tilldelningen angavs som {got}, planerad var {planned}",
        "dev_design": "designen {got} användes, planerad var {planned}",
        "dev_cov_missing": "planerade bakgrundsvariabler som inte användes: {columns}",
        "dev_cov_extra": "bakgrundsvariabler som inte fanns i planen: {columns}",
        "dev_comparison": "jämförelsegruppen {comparison!r} fanns inte i planen",
        "coverage_regime": "{text}",
        "text": "{text}",
    },
}


def _add_error_texts() -> None:
    """Error templates (codes ``err_*``) join :data:`NOTES`; a code may be defined once."""
    from . import _error_texts_analysis, _error_texts_estimators, _error_texts_input

    for mod in (_error_texts_input, _error_texts_estimators, _error_texts_analysis):
        for lang, table in (("en", mod.EN), ("sv", mod.SV)):
            clash = set(table) & set(NOTES[lang])
            if clash:  # pragma: no cover - a programming error, caught by the tests
                raise KeyError(f"error codes defined twice: {sorted(clash)}")
            NOTES[lang].update(table)


_add_error_texts()


class _Formatter(string.Formatter):
    """Formats typed parameters for one language: counts of people suppressed below ``k``,
    decimal comma and a space before % in Swedish, nested notes rendered in the language."""

    def __init__(self, lang: str, k: int | None):
        super().__init__()
        self.lang = lang
        self.k = k

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "r" and isinstance(value, str):
            return _Quoted(value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, spec: str) -> str:
        if isinstance(value, Note):
            return value.render(self.lang, self.k)
        if isinstance(value, LangText):
            return value.get(self.lang)
        if isinstance(value, tuple) and value and all(isinstance(v, Note) for v in value):
            return ", ".join(v.render(self.lang, self.k) for v in value)
        if isinstance(value, Level):
            return texts.fmt_level(float(value), self.lang)
        if isinstance(value, texts.Count):
            n = int(value)
            return f"< {self.k}" if self.k and 0 < n < self.k else str(n)
        if isinstance(value, _Quoted):
            return repr(str(value))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return format(value if not isinstance(value, bool) else str(value), spec)
        if isinstance(value, float) and not math.isfinite(value):
            return "–"
        s = format(value, spec) if spec else (
            str(value) if isinstance(value, int) else texts.fmt_num(value, "en"))
        if self.lang == "sv":
            s = s.replace(",", " ").replace(".", ",").replace("-", "−")
            if s.endswith("%"):
                s = s[:-1] + " %"
        return s


class Level(float):
    """A confidence level (0.95), written as a percentage in the note's language."""


class _Quoted(str):
    """A value written with ``!r`` (a column name): quoted as Python would."""


class LangText(Mapping):
    """A short text given in every language, as a note parameter (e.g. a group's name)."""

    def __init__(self, **by_lang: str):
        self._d = dict(by_lang)

    def get(self, lang: str, default: Any = None) -> str:  # type: ignore[override]
        return self._d.get(lang, self._d.get("en", "" if default is None else default))

    def __getitem__(self, key: str) -> str:
        return self._d[key]

    def __iter__(self):
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __str__(self) -> str:
        return self.get("en")


def note_text(code: str, lang: str = "en", k: int | None = None, /, **params: Any) -> str:
    """The template of ``code`` in ``lang`` filled with ``params``.

    ``k`` is the suppression limit for counts of people (``None``: no suppression).
    """
    tmpl = NOTES[lang if lang in NOTES else "en"][code]
    return _Formatter(lang, k).format(tmpl, **params)


class Note(str):
    """A note on a result: its English text (as a ``str``), a code and typed parameters.

    Parameters
    ----------
    code : str
        A key of :data:`NOTES`.
    **params
        The template's parameters; counts of people as :class:`~impacteval.texts.Count`.
    """

    code: str
    params: Mapping[str, Any]

    def __new__(cls, code: str, /, **params: Any) -> Note:
        if code not in NOTES["en"]:
            raise KeyError(f"unknown note code {code!r}")
        obj = super().__new__(cls, note_text(code, "en", None, **params))
        obj.code = code
        obj.params = MappingProxyType(dict(params))
        return obj

    def render(self, lang: str = "en", k: int | None = 5) -> str:
        """The note in ``lang``, counts of people below ``k`` shown as ``"< k"``."""
        return note_text(self.code, lang, k, **self.params)

    def __reduce__(self):
        return (_rebuild, (self.code, dict(self.params)))


def _rebuild(code: str, params: dict[str, Any]) -> Note:
    return Note(code, **params)


def render_note(note: Any, lang: str = "en", k: int | None = 5) -> str:
    """Any note in ``lang``: a :class:`Note` is rendered; other text is returned as it is."""
    if isinstance(note, Note):
        return note.render(lang, k)
    return str(note)
