"""Error messages (codes ``err_*``) of the estimators (``impacteval/estimators/``),
in English and Swedish.

One entry a message: the same placeholders in both languages (``tests/test_error_language.py``
checks it, and that no Swedish template has English words).
"""

EN: dict[str, str] = {
    "err_arg_choice": "{arg}={value} must be {options}.",
    "err_arg_whole": "{arg}={value} must be a whole number ≥ {minimum}.",
    "err_arg_flag": "{arg}={value} must be True or False.",
    "err_conf_level": "conf_level={value} must be between 0 and 1.",
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
    "err_arg_whole": "{arg}={value} måste vara ett heltal ≥ {minimum}.",
    "err_arg_flag": "{arg}={value} måste vara True eller False.",
    "err_conf_level": "conf_level={value} måste ligga mellan 0 och 1.",
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
