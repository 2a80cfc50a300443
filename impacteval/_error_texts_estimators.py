"""Error messages (codes ``err_*``) of the estimators (``impacteval/estimators/``),
in English and Swedish.

One entry a message: the same placeholders in both languages (``tests/test_error_language.py``
checks it, and that no Swedish template has English words).
"""

EN: dict[str, str] = {
    "err_arg_choice": "{arg}={value} must be {options}.",
    "err_arg_whole": "{arg}={value} must be a whole number ≥ {minimum}.",
    "err_arg_flag": "{arg}={value} must be True or False.",
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
