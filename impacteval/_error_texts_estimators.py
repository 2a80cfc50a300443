"""Error messages (codes ``err_*``) of the estimators (``impacteval/estimators/``),
in English and Swedish.

One entry a message: the same placeholders in both languages (``tests/test_error_language.py``
checks it, and that no Swedish template has English words).
"""

EN: dict[str, str] = {
    "err_arg_choice": "{arg}={value} must be {options}.",
    "err_arg_whole": "{arg}={value} must be a whole number of at least {minimum}.",
    "err_arg_flag": "{arg}={value} must be True or False.",
    "err_conf_level": "conf_level={value} must be between 0 and 1.",
    "err_ci_sperm": "ci='studentized_permutation' compares two groups' means; it is not defined "
                    "for this {design} estimate. Choose 'analytic' or a bootstrap ('bca', "
                    "'percentile', 'basic', 'studentized', 'symmetric').",
    "err_ci_permutation": "ci='permutation' is not defined for the {design} design here; choose "
                          "'analytic', 'percentile', 'basic', 'bca' or 'studentized'.",
    "err_ci_bootstrap": "ci={ci} (a bootstrap) is not available for this {design} estimate; use "
                        "ci='analytic'.",
    "err_ci_wild": "ci='wild' (wild cluster bootstrap) is for regression-adjusted and panel "
                   "estimates with clusters; for this {design} estimate use 'bca', 'percentile', "
                   "'basic', 'studentized', 'symmetric' or 'permutation'.",
    "err_stag_switching": "{lead} Column {column!r} switches on and off within {k} unit(s) of "
                          "{unit!r} (treatment that starts, stops and may start again). A "
                          "difference-in-differences for such designs is the DID_M estimator of "
                          "de Chaisemartin & D'Haultfœuille (2020), which impacteval does not "
                          "implement; two-way fixed effects would give a biased answer under "
                          "heterogeneous effects. Remedy: analyse the first treatment spell "
                          "only with start=<column of each unit's first treated period>, or use "
                          "the R/Stata package DIDmultiplegt.",
    "err_stag_changes_once": "{lead} Column {column!r} changes once within {k} unit(s) of "
                             "{unit!r}: if units start at different times (staggered entry), "
                             "give start=<column holding each unit's first treated period, "
                             "missing for units that never start> instead of group=; ie.did "
                             "then estimates Callaway & Sant'Anna (2021) group-time effects.",
    "err_stag_not_column": "{role}= must be a column name, got {value}.",
    "err_stag_no_column": "column {column!r} (role {role}) is not in the data; columns are "
                          "{columns}.",
    "err_stag_outcome_numeric": "column {column!r} (outcome) must be numeric; convert it with "
                                "pd.to_numeric first.",
    "err_stag_period_missing": "column {column!r} (period) has {n} missing value(s); remove "
                               "those rows or fill in the period.",
    "err_stag_start_varies": "column {column!r} (start) differs between rows of {n} unit(s) of "
                             "{unit!r}: start must be each unit's first treated period, the "
                             "same on all of its rows.",
    "err_stag_incomparable": "columns {period!r} (period) and {start!r} (start) must hold "
                             "comparable values (numbers or dates of the same kind).",
    "err_stag_duplicates": "{k} row(s) repeat a ({unit!r}, {period!r}) pair; a panel has one "
                           "row per unit and period. Aggregate them first.",
    "err_stag_periods": "column {column!r} has {n} period(s); group-time effects need at least "
                        "2.",
    "err_stag_collinear": "the covariates are collinear among the comparison units of a "
                          "cohort×period cell; drop a covariate.",
    "err_stag_no_start": "column {column!r} (start) is not in the data.",
    "err_stag_match_roles": "start= in matching needs unit=, period=, pre= and post= (a start "
                            "is a period).",
    "err_stag_start_comparable": "column {column!r} (start) must hold values comparable with "
                                 "the periods of {period!r}.",
    "err_stag_control": "control={value}: with start=, control must be 'never' (never-started "
                        "units) or 'not_yet' (not-yet-started units).",
    "err_stag_no_only_compare": "column {column!r} (only_compare) is not in the data.",
    "err_stag_no_covariate": "covariate column {column!r} is not in the data.",
    "err_stag_covariate_numeric": "covariate column {column!r} must be numeric (make dummies "
                                  "with pd.get_dummies first).",
    "err_stag_no_start_within": "no unit of {unit!r} starts within the observed periods "
                                "(column {column!r}); group-time effects need units that start "
                                "after the first period.",
    "err_stag_no_never": "no unit of {unit!r} is never started (column {column!r} has no "
                         "missing value and no start after the last period); use "
                         "control='not_yet' to compare with units that have not started yet.",
    "err_stag_no_comparison": "no cohort has a comparison group in any period.",
    "err_stag_no_after": "no cohort is observed after its start.",
    "err_its_prepost": "its needs pre=... and post=... (values of the period column).",
    "err_its_duplicates": "{n} rows share a value of column {column!r}; one series has one row "
                          "per period. Give unit=... to average several units per period, or "
                          "aggregate first.",
    "err_its_duplicates_group": "{n} rows share a value of column {column!r} within a group of "
                                "{group!r}; one series has one row per period. Give unit=... to "
                                "average several units per period, or aggregate first.",
    "err_its_order": "every pre= period must come before every post= period in column "
                     "{column!r}.",
    "err_its_too_short": "an interrupted time series needs at least 3 periods before and 1 "
                         "after; pre= gives {n_pre} and post= {n_post} (8 or more before are "
                         "advised).",
    "err_its_gap": "no {outcome!r} value in period(s) {periods} of column {column!r}; an "
                   "interrupted time series needs every period. Leave those periods out of "
                   "pre=/post=.",
    "err_its_gap_group": "no {outcome!r} value in period(s) {periods} of column {column!r} for "
                         "one of the groups; an interrupted time series needs every period. "
                         "Leave those periods out of pre=/post=.",
    "err_its_month": "seasonality='month' needs monthly dates in column {column!r} or "
                     "season_length=12 for numbered months.",
    "err_its_month_short": "month dummies need at least two years of data and a year and two "
                           "periods before the start; there are {n} periods, {n_pre} before.",
    "err_its_terms": "{n} periods are too few for {k} regression terms; use seasonality='none' "
                     "or more periods.",
    "err_sc_covariate_gap": "covariate column {column!r} has no value in periods {periods} for "
                            "{n} unit(s); give it periods in which every unit has a value, or "
                            "leave it out.",
    "err_sc_prepost": "synthetic needs pre=... and post=... (values of the period column).",
    "err_sc_donors": "group column {column!r}: {j} donor unit(s) with a value in every period; a "
                     "synthetic control needs at least 2 (better 19 or more for placebo "
                     "inference).",
    "err_sc_pre": "a synthetic control is fitted on the pre-period outcomes and needs at least 2 "
                  "pre periods; pre= gives {n}.",
    "err_sc_sdid_covariates": "method='sdid' fits on the outcomes only; leave out covariates.",
    "err_sc_covariates_empty": "covariates=... is empty; leave it out to fit on pre-period "
                               "outcomes.",
    "err_pl_one_treated": "{what} needs exactly one treated unit in column {column!r}; the "
                          "treated group has {n}. Average the treated units per period into one "
                          "series first, or use did() for several treated units.",
    "err_pl_treated_gap": "the treated unit has no {outcome!r} value in period(s) {periods} of "
                          "column {column!r}; choose pre=/post= periods in which it is observed.",
    "err_pl_relative": "scale='relative' with one treated unit is not available; use "
                       "scale='absolute'.",
    "err_pl_ci": "ci={ci}: with one treated unit only placebo-in-space inference is valid (a "
                 "cluster-robust or bootstrap error would rest on one treated cluster); use "
                 "ci='auto' or ci='permutation'.",
    "err_pl_cluster": "cluster={value}: with one treated unit the inference is placebo-in-space "
                      "over the comparison units; leave out cluster=...",
    "err_pl_comparisons": "group column {column!r}: {j} comparison unit(s) with a value in "
                          "every period; placebo inference with one treated unit needs at "
                          "least 2 (better 19 or more for a 95 % interval).",
    "err_pl_treated_incomplete": "{n} treated unit(s) in column {column!r} lack a {outcome!r} "
                                 "value in some analysed period; placebo inference needs every "
                                 "treated unit in every period. Choose pre=/post= periods in "
                                 "which they are observed.",
    "err_pl_few_comparisons": "{j} comparison unit(s) for {k} treated units: placebo inference "
                              "needs more comparison units than treated units (and many more "
                              "for a 95 % interval).",
    "err_desc_none": "no participant has a value of {outcome!r} to describe.",
    "err_desc_one": "one participant has a value of {outcome!r}; an interval needs at least 2.",
    "err_desc_ref_mapping": "reference=... as a mapping needs a 'mean' (and optionally sd, n, "
                            "source).",
    "err_desc_ref_type": "reference={value} must be a number or a mapping with mean (and sd, n, "
                         "source).",
    "err_desc_ref_numbers": "reference values must be numbers: {detail}",
    "err_desc_ref_mean": "reference mean must be a finite number.",
    "err_desc_ref_sd": "reference sd must be positive.",
    "err_desc_ref_n": "reference n must be at least 2.",
    "err_desc_few": "{n} participant(s) have a value of {outcome!r}; at least 2 are needed.",
    "err_desc_permutation": "ci='permutation' is not defined for a benchmark against a fixed "
                            "reference value: there are no labels to permute. Use "
                            "ci='analytic' or a bootstrap ('bca', 'percentile', 'basic', "
                            "'studentized').",
    "err_desc_binary_ref": "the outcome {outcome!r} is binary, so reference must be a "
                           "proportion in [0, 1].",
    "err_ba_prepost": "before_after needs pre=... and post=... (values of the period column).",
    "err_ba_few": "only {n} unit(s) in column {unit!r} have both a pre and a post value of "
                  "{outcome!r}; a before-after comparison needs at least 2.",
    "err_ba_constant": "every unit's change in {outcome!r} is the same ({value:g}); there is no "
                       "variation to make an interval from.",
    "err_ba_zero_mean": "the mean pre-period {outcome!r} is 0; a percent change is undefined.",
    "err_rcs_cluster": "vcov='cluster' needs cluster=<column>.",
    "err_rcs_one_cluster": "cluster column {column!r} has one cluster.",
    "err_rcs_collinear": "the regressors are collinear (a covariate is constant or duplicates "
                         "the group/period indicators); drop it.",
    "err_rcs_one_control": "repeated cross-sections take one control label; call once per "
                           "comparison group.",
    "err_rcs_cells": "each group needs at least 2 rows before and after; counts (group, post): "
                     "{cells}. Check pre=/post= and the labels of {column!r}.",
    "err_did_prepost": "did needs pre=... and post=... (values of the period column).",
    "err_did_relative_panel": "scale='relative' uses per-unit pre/post means: use "
                              "method='changes'.",
    "err_did_start_panel": "start= (staggered entry) needs a panel: give unit=<id column>. "
                           "Repeated cross-sections with staggered entry are not supported.",
    "err_did_start_absolute": "start= gives effects on the absolute scale only; use "
                              "scale='absolute'.",
    "err_did_start_cluster": "start= clusters by unit; cluster= other than the unit is not "
                             "available for group-time effects.",
    "err_did_start_treated": "with start=, participants are the units with a start; leave out "
                             "treated=.",
    "err_did_start_method": "method={value}: with start=, method is 'dr' (doubly robust, "
                            "default), 'reg' or 'ipw' (used with covariates).",
    "err_did_group_rcs": "did needs group=... (or start=... with unit=... for staggered entry).",
    "err_did_rcs_absolute": "repeated cross-sections give effects on the absolute scale only; "
                            "use scale='absolute'.",
    "err_did_group": "did needs group=... (or start=... for staggered entry).",
    "err_did_covariates": "covariates= in ie.did is used with start= (conditional parallel "
                          "trends) or for repeated cross-sections; for a two-group panel use "
                          "ie.match(...) or ie.evaluate(...) with covariates.",
    "err_did_few": "after removing units without both a pre and a post value, the groups have "
                   "{nt} participant(s) and {nc} comparison unit(s) in column {unit!r}; at least "
                   "2 each are needed.",
    "err_did_relative_cluster": "scale='relative' with cluster=... is not available; use "
                                "scale='absolute' or leave out cluster.",
    "err_did_zero_mean": "a group's mean pre-period {outcome!r} is 0; percent changes are "
                         "undefined.",
    "err_did_one_cluster": "cluster column {column!r} has one cluster; clustered errors need at "
                           "least 2.",
    "err_did_permutation_clusters": "ci='permutation' with clusters would permute units, not "
                                    "clusters; use ci='wild' or ci='analytic'.",
    "err_did_ci_panel": "ci={ci} for a multi-period DiD: use method='changes' (label "
                        "permutation of unit changes) or ci='analytic'/'wild'.",
    "err_did_no_change": "the outcome {outcome!r} never changes within any unit of {unit!r} over "
                         "the periods analysed: a difference-in-differences compares changes, "
                         "and there are none (the effect would be exactly 0 with no "
                         "uncertainty). Check the outcome and the pre=/post= periods.",
    "err_did_few_clusters": "cluster column {column!r} has {n} cluster(s), {nt} with "
                            "participants and {nc} with comparison units: clustered errors need "
                            "at least {need} clusters on each side (and 4 in all), otherwise "
                            "the interval can be of zero width. Cluster by the unit (leave out "
                            "cluster=...) or by a finer level.",
    "err_diff_post": "with period=..., say which period(s) are after the start: post=...",
    "err_diff_several_rows": "unit column {column!r} has several rows per unit; give "
                             "period=... and post=... to say which rows are the "
                             "after-measurement.",
    "err_diff_relative": "scale='relative' is available without covariates, weights and "
                         "clusters; use scale='absolute' here.",
    "err_diff_zero_mean": "the comparison group's mean {outcome!r} is 0; a percent difference is "
                          "undefined.",
    "err_diff_weights": "weights column {column!r}: only {n} of the {total} {who} have a "
                        "positive weight; an interval needs at least 2 units with positive "
                        "weight in each group. Check the weights.",
    "err_diff_collinear": "the covariates are perfectly collinear with each other or with the "
                          "group ({columns}); remove redundant columns.",
    "err_diff_terms": "{n} units for {k} regression terms; use fewer covariates.",
    "err_diff_ci_covariates": "ci={ci} is not available with covariates; use ci='analytic' or a "
                              "bootstrap.",
    "err_diff_ci_wild": "ci={ci} with covariates is available through the wild cluster "
                        "bootstrap, which needs cluster=...; without clusters use "
                        "ci='analytic' (HC2).",
    "err_match_optimal_size": "method='optimal' needs a dense {nq:,} × {np:,} cost matrix "
                              "({total:,} cells > {limit:,}); use method='nearest' (greedy, "
                              "replace=False) or exact=... to split the data into smaller cells.",
    "err_match_caliper": "caliper={value} must be a positive number (e.g. 0.2) or None.",
    "err_match_optimal_replace": "method='optimal' pairs units 1:1 without replacement; use "
                                 "replace=False (or method='nearest' with replace=True).",
    "err_match_optimal_k": "method='optimal' makes 1:1 pairs; k={k} is not possible. Use "
                           "method='nearest' for k > 1.",
    "err_match_cem_caliper": "caliper= does not apply to method='cem'; coarsen with bins= "
                             "instead.",
    "err_match_cem_bias": "bias_correction=True is for nearest-neighbour matching, not "
                          "method='cem'.",
    "err_match_bins": "bins= applies only to method='cem'.",
    "err_match_ate_replace": "estimand='ATE' needs matching with replacement (each unit is "
                             "matched in both directions); use replace=True or method='cem'.",
    "err_match_permutation": "ci='permutation' is not available for matched designs (the "
                             "matches are not an assignment that can be permuted); use "
                             "ci='auto'.",
    "err_match_cem_ci": "ci={ci} is not available for method='cem'; use ci='auto' or 'analytic' "
                        "(HC2 standard error of the weighted difference).",
    "err_match_bootstrap_replace": "ci={ci} is not valid for matching with replacement: the "
                                   "naive bootstrap does not reproduce the distribution of the "
                                   "matching estimator when comparison units are reused (Abadie "
                                   "& Imbens 2008). Valid choices: ci='analytic' or ci='auto' "
                                   "(the Abadie–Imbens standard error); with replace=False a "
                                   "bootstrap of matched pairs (ci='percentile', 'basic', 'bca' "
                                   "or 'studentized').",
    "err_match_exact": "exact= must be a column name or a list of column names.",
    "err_match_bins_min": "bins for {column!r} must be ≥ 1, got {value}.",
    "err_match_bins_rule": "bins={value} for covariate {column!r}: {detail}",
    "err_match_did_roles": "matched DiD needs unit=, period=, pre= and post= together.",
    "err_match_no_covariates": "covariates=[...] is required: the columns to find twins on.",
    "err_match_too_few": "matching needs at least 2 participants and 2 comparison units with "
                         "complete data; comparison {label!r} has {nt} and {nc}.",
    "err_match_nothing": "there is nothing to match on: give covariates=[...].",
    "err_match_constant": "covariate column(s) {columns} are constant among the units compared "
                          "(comparison {label!r}); they cannot tell twins apart — remove them.",
    "err_match_collinear": "the covariates {columns} are collinear (their pooled covariance "
                           "matrix is singular: {k} matching variables for {n} units); drop one "
                           "of the collinear columns, or match on fewer pre-periods or "
                           "covariates.",
    "err_match_none_in_caliper": "no {who} has a match within the caliper (caliper={caliper}, "
                                 "{n} to match): widen the caliper, drop it, or match on fewer "
                                 "covariates.",
    "err_match_none": "no {who} could be matched (comparison {label!r}); widen the caliper, "
                      "drop exact= columns, or use coarser bins.",
    "err_match_cem_few": "coarsened exact matching left fewer than 2 units in a group; use "
                         "fewer covariates or coarser bins= (e.g. bins=3).",
}

SV: dict[str, str] = {
    "err_arg_choice": "{arg}={value} måste vara {options}.",
    "err_arg_whole": "{arg}={value} måste vara ett heltal som är minst {minimum}.",
    "err_arg_flag": "{arg}={value} måste vara True eller False.",
    "err_conf_level": "conf_level={value} måste ligga mellan 0 och 1.",
    "err_ci_sperm": "ci='studentized_permutation' jämför två gruppers medelvärden; det är inte "
                    "definierat för skattningen {design}. Välj 'analytic' eller en bootstrap "
                    "('bca', 'percentile', 'basic', 'studentized', 'symmetric').",
    "err_ci_permutation": "ci='permutation' är inte definierat för designen {design} här; välj "
                          "'analytic', 'percentile', 'basic', 'bca' eller 'studentized'.",
    "err_ci_bootstrap": "ci={ci} (en bootstrap) finns inte för skattningen {design}; använd "
                        "ci='analytic'.",
    "err_ci_wild": "ci='wild' (vild klusterbootstrap) gäller regressionsjusterade skattningar "
                   "och panelskattningar med kluster; för skattningen {design} använd 'bca', "
                   "'percentile', 'basic', 'studentized', 'symmetric' eller 'permutation'.",
    "err_stag_switching": "{lead} Kolumnen {column!r} slås på och av inom {k} enheter i "
                          "{unit!r} (en insats som börjar, slutar och kan börja igen). En "
                          "skillnad-i-skillnader för sådana designer är DID_M-skattningen av de "
                          "Chaisemartin & D'Haultfœuille (2020), som impacteval inte har; "
                          "tvåvägs fixa effekter skulle ge ett snedvridet svar när effekterna "
                          "skiljer sig åt. Åtgärd: analysera bara den första insatsperioden med "
                          "start=<kolumn med varje enhets första period i insatsen>, eller "
                          "använd R/Stata-paketet DIDmultiplegt.",
    "err_stag_changes_once": "{lead} Kolumnen {column!r} ändras en gång inom {k} enheter i "
                             "{unit!r}: om enheterna börjar vid olika tidpunkter (stegvis "
                             "start), ange start=<kolumn med varje enhets första period i "
                             "insatsen, tom för enheter som aldrig börjar> i stället för "
                             "group=; ie.did skattar då effekter per startgrupp och period "
                             "enligt Callaway & Sant'Anna (2021).",
    "err_stag_not_column": "{role}= måste vara ett kolumnnamn, inte {value}.",
    "err_stag_no_column": "kolumnen {column!r} (rollen {role}) finns inte i data; kolumnerna är "
                          "{columns}.",
    "err_stag_outcome_numeric": "kolumnen {column!r} (utfall) måste innehålla tal; gör om den "
                                "med pd.to_numeric först.",
    "err_stag_period_missing": "kolumnen {column!r} (period) har {n} saknade värden; ta bort "
                               "de raderna eller fyll i perioden.",
    "err_stag_start_varies": "kolumnen {column!r} (start) skiljer sig mellan rader för {n} "
                             "enheter i {unit!r}: start måste vara enhetens första period i "
                             "insatsen, samma på alla dess rader.",
    "err_stag_incomparable": "kolumnerna {period!r} (period) och {start!r} (start) måste ha "
                             "jämförbara värden (tal eller datum av samma slag).",
    "err_stag_duplicates": "{k} rader upprepar ett par ({unit!r}, {period!r}); en panel har en "
                           "rad per enhet och period. Summera dem först.",
    "err_stag_periods": "kolumnen {column!r} har {n} perioder; effekter per startgrupp och "
                        "period kräver minst 2.",
    "err_stag_collinear": "bakgrundsvariablerna är kolinjära bland jämförelseenheterna i en "
                          "cell av startgrupp och period; ta bort en bakgrundsvariabel.",
    "err_stag_no_start": "kolumnen {column!r} (start) finns inte i data.",
    "err_stag_match_roles": "start= vid matchning kräver unit=, period=, pre= och post= (en "
                            "start är en period).",
    "err_stag_start_comparable": "kolumnen {column!r} (start) måste ha värden som kan jämföras "
                                 "med perioderna i {period!r}.",
    "err_stag_control": "control={value}: med start= måste control vara 'never' (enheter som "
                        "aldrig börjar) eller 'not_yet' (enheter som ännu inte börjat).",
    "err_stag_no_only_compare": "kolumnen {column!r} (only_compare) finns inte i data.",
    "err_stag_no_covariate": "bakgrundsvariabeln {column!r} finns inte i data.",
    "err_stag_covariate_numeric": "bakgrundsvariabeln {column!r} måste innehålla tal (gör "
                                  "dummyvariabler med pd.get_dummies först).",
    "err_stag_no_start_within": "ingen enhet i {unit!r} börjar inom de observerade perioderna "
                                "(kolumnen {column!r}); effekter per startgrupp kräver enheter "
                                "som börjar efter den första perioden.",
    "err_stag_no_never": "ingen enhet i {unit!r} är en som aldrig börjar (kolumnen {column!r} "
                         "har inga tomma värden och ingen start efter den sista perioden); "
                         "använd control='not_yet' för att jämföra med enheter som ännu inte "
                         "börjat.",
    "err_stag_no_comparison": "ingen startgrupp har en jämförelsegrupp i någon period.",
    "err_stag_no_after": "ingen startgrupp observeras efter sin start.",
    "err_its_prepost": "its kräver pre=... och post=... (värden i periodkolumnen).",
    "err_its_duplicates": "{n} rader delar ett värde i kolumnen {column!r}; en tidsserie har en "
                          "rad per period. Ange unit=... för att ta medelvärdet av flera "
                          "enheter per period, eller summera först.",
    "err_its_duplicates_group": "{n} rader delar ett värde i kolumnen {column!r} inom en grupp "
                                "i {group!r}; en tidsserie har en rad per period. Ange unit=... "
                                "för att ta medelvärdet av flera enheter per period, eller "
                                "summera först.",
    "err_its_order": "varje period i pre= måste komma före varje period i post= i kolumnen "
                     "{column!r}.",
    "err_its_too_short": "en avbruten tidsserie kräver minst 3 perioder före och 1 efter; pre= "
                         "ger {n_pre} och post= {n_post} (8 eller fler före rekommenderas).",
    "err_its_gap": "inget värde på {outcome!r} i perioderna {periods} i kolumnen {column!r}; en "
                   "avbruten tidsserie behöver varje period. Lämna de perioderna utanför "
                   "pre=/post=.",
    "err_its_gap_group": "inget värde på {outcome!r} i perioderna {periods} i kolumnen "
                         "{column!r} för en av grupperna; en avbruten tidsserie behöver varje "
                         "period. Lämna de perioderna utanför pre=/post=.",
    "err_its_month": "seasonality='month' kräver månadsdatum i kolumnen {column!r} eller "
                     "season_length=12 för numrerade månader.",
    "err_its_month_short": "månadsdummies kräver minst två års data och ett år och två perioder "
                           "före starten; det finns {n} perioder, {n_pre} före.",
    "err_its_terms": "{n} perioder är för få för {k} regressionstermer; använd "
                     "seasonality='none' eller fler perioder.",
    "err_sc_covariate_gap": "bakgrundsvariabeln {column!r} saknar värde i perioderna "
                            "{periods} för {n} enheter; ge den perioder där varje enhet har ett "
                            "värde, eller utelämna den.",
    "err_sc_prepost": "synthetic kräver pre=... och post=... (värden i periodkolumnen).",
    "err_sc_donors": "gruppkolumnen {column!r}: {j} givarenheter med ett värde i varje period; "
                     "en syntetisk kontroll kräver minst 2 (helst 19 eller fler för "
                     "placeboinferens).",
    "err_sc_pre": "en syntetisk kontroll anpassas på utfallen före starten och kräver minst 2 "
                  "perioder före; pre= ger {n}.",
    "err_sc_sdid_covariates": "method='sdid' anpassas bara på utfallen; utelämna "
                              "bakgrundsvariablerna.",
    "err_sc_covariates_empty": "covariates=... är tom; utelämna den för att anpassa på utfallen "
                               "före starten.",
    "err_pl_one_treated": "{what} kräver exakt en insatsenhet i kolumnen {column!r}; "
                          "deltagargruppen har {n}. Ta medelvärdet av insatsenheterna per "
                          "period till en serie först, eller använd did() för flera "
                          "insatsenheter.",
    "err_pl_treated_gap": "insatsenheten saknar värde på {outcome!r} i perioderna {periods} i "
                          "kolumnen {column!r}; välj perioder i pre=/post= där den är "
                          "observerad.",
    "err_pl_relative": "scale='relative' med en enda insatsenhet finns inte; använd "
                       "scale='absolute'.",
    "err_pl_ci": "ci={ci}: med en enda insatsenhet är bara placebo i rummet giltig (ett "
                 "klusterrobust medelfel eller en bootstrap skulle vila på ett enda kluster); "
                 "använd ci='auto' eller ci='permutation'.",
    "err_pl_cluster": "cluster={value}: med en enda insatsenhet görs inferensen med placebo i "
                      "rummet över jämförelseenheterna; utelämna cluster=...",
    "err_pl_comparisons": "gruppkolumnen {column!r}: {j} jämförelseenheter med ett värde i "
                          "varje period; placeboinferens med en enda insatsenhet kräver minst "
                          "2 (helst 19 eller fler för ett 95 %-intervall).",
    "err_pl_treated_incomplete": "{n} insatsenheter i kolumnen {column!r} saknar värde på "
                                 "{outcome!r} i någon analyserad period; placeboinferens kräver "
                                 "varje insatsenhet i varje period. Välj perioder i pre=/post= "
                                 "där de är observerade.",
    "err_pl_few_comparisons": "{j} jämförelseenheter för {k} insatsenheter: placeboinferens "
                              "kräver fler jämförelseenheter än insatsenheter (och många fler "
                              "för ett 95 %-intervall).",
    "err_desc_none": "ingen deltagare har ett värde på {outcome!r} att beskriva.",
    "err_desc_one": "en deltagare har ett värde på {outcome!r}; ett intervall kräver minst 2.",
    "err_desc_ref_mapping": "reference=... som mappning kräver 'mean' (och eventuellt sd, n, "
                            "source).",
    "err_desc_ref_type": "reference={value} måste vara ett tal eller en mappning med mean (och "
                         "sd, n, source).",
    "err_desc_ref_numbers": "referensvärdena måste vara tal: {detail}",
    "err_desc_ref_mean": "referensens medelvärde måste vara ett ändligt tal.",
    "err_desc_ref_sd": "referensens standardavvikelse måste vara positiv.",
    "err_desc_ref_n": "referensens antal måste vara minst 2.",
    "err_desc_few": "{n} deltagare har ett värde på {outcome!r}; minst 2 behövs.",
    "err_desc_permutation": "ci='permutation' är inte definierat för en jämförelse med ett fast "
                            "referensvärde: det finns inga grupptillhörigheter att permutera. "
                            "Använd ci='analytic' eller en bootstrap ('bca', 'percentile', "
                            "'basic', 'studentized').",
    "err_desc_binary_ref": "utfallet {outcome!r} är binärt, så referensen måste vara en andel i "
                           "[0, 1].",
    "err_ba_prepost": "before_after kräver pre=... och post=... (värden i periodkolumnen).",
    "err_ba_few": "bara {n} enheter i kolumnen {unit!r} har både ett värde före och ett efter på "
                  "{outcome!r}; en före–efter-jämförelse kräver minst 2.",
    "err_ba_constant": "varje enhets förändring i {outcome!r} är densamma ({value:g}); det finns "
                       "ingen variation att bilda ett intervall av.",
    "err_ba_zero_mean": "medelvärdet av {outcome!r} före starten är 0; en procentuell förändring "
                        "är odefinierad.",
    "err_rcs_cluster": "vcov='cluster' kräver cluster=<kolumn>.",
    "err_rcs_one_cluster": "klusterkolumnen {column!r} har ett enda kluster.",
    "err_rcs_collinear": "regressorerna är kolinjära (en bakgrundsvariabel är konstant eller "
                         "upprepar grupp- eller periodindikatorerna); ta bort den.",
    "err_rcs_one_control": "upprepade tvärsnitt tar ett jämförelsevärde; anropa en gång per "
                           "jämförelsegrupp.",
    "err_rcs_cells": "varje grupp behöver minst 2 rader före och efter; antal (grupp, efter): "
                     "{cells}. Kontrollera pre=/post= och värdena i {column!r}.",
    "err_did_prepost": "did kräver pre=... och post=... (värden i periodkolumnen).",
    "err_did_relative_panel": "scale='relative' använder medelvärden före och efter per enhet: "
                              "använd method='changes'.",
    "err_did_start_panel": "start= (stegvis start) kräver en panel: ange unit=<id-kolumn>. "
                           "Upprepade tvärsnitt med stegvis start stöds inte.",
    "err_did_start_absolute": "start= ger effekter bara på den absoluta skalan; använd "
                              "scale='absolute'.",
    "err_did_start_cluster": "start= klustrar per enhet; cluster= med annat än enheten finns "
                             "inte för effekter per startgrupp och period.",
    "err_did_start_treated": "med start= är deltagarna de enheter som har en start; utelämna "
                             "treated=.",
    "err_did_start_method": "method={value}: med start= ska argumentet vara 'dr' (dubbelt robust, "
                            "standard), 'reg' eller 'ipw' (används med bakgrundsvariabler).",
    "err_did_group_rcs": "did kräver group=... (eller start=... med unit=... för stegvis "
                         "start).",
    "err_did_rcs_absolute": "upprepade tvärsnitt ger effekter bara på den absoluta skalan; "
                            "använd scale='absolute'.",
    "err_did_group": "did kräver group=... (eller start=... för stegvis start).",
    "err_did_covariates": "covariates= i ie.did används med start= (villkorligt parallella "
                          "trender) eller för upprepade tvärsnitt; för en panel med två grupper, "
                          "använd ie.match(...) eller ie.evaluate(...) med bakgrundsvariabler.",
    "err_did_few": "sedan enheter utan både ett värde före och ett efter tagits bort har "
                   "grupperna {nt} deltagare och {nc} jämförelseenheter i kolumnen {unit!r}; "
                   "minst 2 i varje behövs.",
    "err_did_relative_cluster": "scale='relative' med cluster=... finns inte; använd "
                                "scale='absolute' eller utelämna cluster.",
    "err_did_zero_mean": "en grupps medelvärde av {outcome!r} före starten är 0; procentuella "
                         "förändringar är odefinierade.",
    "err_did_one_cluster": "klusterkolumnen {column!r} har ett enda kluster; klustrade medelfel "
                           "kräver minst 2.",
    "err_did_permutation_clusters": "ci='permutation' med kluster skulle permutera enheter, "
                                    "inte kluster; använd ci='wild' eller ci='analytic'.",
    "err_did_ci_panel": "ci={ci} för en skillnad-i-skillnader med flera perioder: använd "
                        "method='changes' (permutation av enheternas förändringar) eller "
                        "ci='analytic'/'wild'.",
    "err_did_no_change": "utfallet {outcome!r} ändras aldrig inom någon enhet i {unit!r} under "
                         "de analyserade perioderna: en skillnad-i-skillnader jämför "
                         "förändringar, och det finns inga (effekten skulle bli exakt 0 utan "
                         "osäkerhet). Kontrollera utfallet och perioderna i pre=/post=.",
    "err_did_few_clusters": "klusterkolumnen {column!r} har {n} kluster, {nt} med deltagare och "
                            "{nc} med jämförelseenheter: klustrade medelfel kräver minst {need} "
                            "kluster på varje sida (och 4 totalt), annars kan intervallet få "
                            "bredden noll. Klustra per enhet (utelämna cluster=...) eller på en "
                            "finare nivå.",
    "err_diff_post": "med period=..., ange vilka perioder som ligger efter starten: post=...",
    "err_diff_several_rows": "enhetskolumnen {column!r} har flera rader per enhet; ange "
                             "period=... och post=... för att säga vilka rader som är "
                             "eftermätningen.",
    "err_diff_relative": "scale='relative' finns utan bakgrundsvariabler, vikter och kluster; "
                         "använd scale='absolute' här.",
    "err_diff_zero_mean": "jämförelsegruppens medelvärde av {outcome!r} är 0; en procentuell "
                          "skillnad är odefinierad.",
    "err_diff_weights": "viktkolumnen {column!r}: bara {n} av de {total} {who} har en positiv "
                        "vikt; ett intervall kräver minst 2 enheter med positiv vikt i varje "
                        "grupp. Kontrollera vikterna.",
    "err_diff_collinear": "bakgrundsvariablerna är helt kolinjära med varandra eller med "
                          "gruppen ({columns}); ta bort överflödiga kolumner.",
    "err_diff_terms": "{n} enheter för {k} regressionstermer; använd färre bakgrundsvariabler.",
    "err_diff_ci_covariates": "ci={ci} finns inte med bakgrundsvariabler; använd ci='analytic' "
                              "eller en bootstrap.",
    "err_diff_ci_wild": "ci={ci} med bakgrundsvariabler finns genom den vilda "
                        "klusterbootstrapen, som kräver cluster=...; utan kluster, använd "
                        "ci='analytic' (HC2).",
    "err_match_optimal_size": "method='optimal' kräver en full kostnadsmatris på {nq:,} × "
                              "{np:,} ({total:,} celler > {limit:,}); använd method='nearest' "
                              "(girig, replace=False) eller exact=... för att dela data i "
                              "mindre celler.",
    "err_match_caliper": "caliper={value} måste vara ett positivt tal (till exempel 0,2) eller "
                         "utelämnas.",
    "err_match_optimal_replace": "method='optimal' bildar par 1:1 utan återläggning; använd "
                                 "replace=False (eller method='nearest' med replace=True).",
    "err_match_optimal_k": "method='optimal' bildar par 1:1; k={k} är inte möjligt. Använd "
                           "method='nearest' för k > 1.",
    "err_match_cem_caliper": "caliper= gäller inte method='cem'; grovindela med bins= i "
                             "stället.",
    "err_match_cem_bias": "bias_correction=True gäller matchning med närmaste granne, inte "
                          "method='cem'.",
    "err_match_bins": "bins= gäller bara method='cem'.",
    "err_match_ate_replace": "estimand='ATE' kräver matchning med återläggning (varje enhet "
                             "matchas åt båda hållen); använd replace=True eller method='cem'.",
    "err_match_permutation": "ci='permutation' finns inte för matchade designer (matchningen är "
                             "ingen fördelning som kan permuteras); använd ci='auto'.",
    "err_match_cem_ci": "ci={ci} finns inte för method='cem'; använd ci='auto' eller "
                        "'analytic' (HC2-medelfelet för den viktade skillnaden).",
    "err_match_bootstrap_replace": "ci={ci} är inte giltigt vid matchning med återläggning: "
                                   "den enkla bootstrapen återger inte fördelningen för "
                                   "matchningsskattningen när jämförelseenheter återanvänds "
                                   "(Abadie & Imbens 2008). Giltiga val: ci='analytic' eller "
                                   "ci='auto' (medelfelet enligt Abadie–Imbens); med "
                                   "replace=False en bootstrap av matchade par "
                                   "(ci='percentile', 'basic', 'bca' eller 'studentized').",
    "err_match_exact": "exact= måste vara ett kolumnnamn eller en lista av kolumnnamn.",
    "err_match_bins_min": "antalet klasser för {column!r} måste vara ≥ 1, inte {value}.",
    "err_match_bins_rule": "bins={value} för bakgrundsvariabeln {column!r}: {detail}",
    "err_match_did_roles": "matchad skillnad-i-skillnader kräver unit=, period=, pre= och post= "
                           "tillsammans.",
    "err_match_no_covariates": "covariates=[...] måste anges: kolumnerna att hitta tvillingar "
                               "på.",
    "err_match_too_few": "matchning kräver minst 2 deltagare och 2 jämförelseenheter med "
                         "fullständiga data; jämförelsen {label!r} har {nt} och {nc}.",
    "err_match_nothing": "det finns inget att matcha på: ange covariates=[...].",
    "err_match_constant": "bakgrundsvariablerna {columns} är konstanta bland de jämförda "
                          "enheterna (jämförelsen {label!r}); de kan inte skilja tvillingar åt "
                          "— ta bort dem.",
    "err_match_collinear": "bakgrundsvariablerna {columns} är kolinjära (deras gemensamma "
                           "kovariansmatris är singulär: {k} matchningsvariabler för {n} "
                           "enheter); ta bort en av de kolinjära kolumnerna, eller matcha på "
                           "färre perioder före starten eller bakgrundsvariabler.",
    "err_match_none_in_caliper": "ingen {who} har en tvilling inom calipern "
                                 "(caliper={caliper}, {n} att matcha): vidga calipern, ta bort "
                                 "den eller matcha på färre bakgrundsvariabler.",
    "err_match_none": "inga {who} kunde matchas (jämförelsen {label!r}); vidga calipern, ta "
                      "bort exact=-kolumner eller använd grövre klasser.",
    "err_match_cem_few": "grovindelad exakt matchning lämnade färre än 2 enheter i en grupp; "
                         "använd färre bakgrundsvariabler eller grövre bins= (till exempel "
                         "bins=3).",
}
