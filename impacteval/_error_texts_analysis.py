"""Error messages (codes ``err_*``) of inference, diagnostics, sensitivity analysis,
economics and power calculations, in English and Swedish.

One entry a message: the same placeholders in both languages (``tests/test_error_language.py``
checks it, and that no Swedish template has English words).
"""

EN: dict[str, str] = {
    "err_power_design": "design={value} is not a design power() knows.",
    "err_power_alpha": "alpha must be between 0 and 1.",
    "err_power_r2": "r2 must be in [0, 1).",
    "err_power_units": "power() needs at least 2 units in each group.",
    "err_power_base_rate": "base_rate must be a proportion strictly between 0 and 1.",
    "err_power_binary_paired": "binary before-after power is not available; use "
                               "design='difference'.",
    "err_power_what": "give power=... (for the MDES) or effect=... (for the power).",
    "err_diag_1d": "{name} must be one-dimensional, got shape {shape}.",
    "err_diag_missing": "{name} has {n} missing or infinite value(s).",
    "err_diag_length": "{name} has {k} values but the data have {n}.",
    "err_diag_negative": "{name} has {n} negative value(s); weights must be ≥ 0.",
    "err_diag_not_numeric": "{name}: column {column!r} is not numeric; dummy-code text "
                            "covariates first (pandas.get_dummies).",
    "err_diag_same_columns": "treated and control must have the same columns in the same order.",
    "err_diag_balance_few": "balance needs at least 2 units per group; got {nt} and {nc}.",
    "err_diag_overlap_few": "overlap needs at least one unit per group.",
    "err_sens_sd": "sd={value}: give the outcome's standard deviation (> 0).",
    "err_sens_no_effect_size": "e_value(estimate) needs a standardised effect: the estimate has "
                               "no effect size; pass sd=<the outcome's standard deviation>.",
    "err_sens_rr": "rr={value}: a ratio must be positive.",
    "err_sens_rr_inside": "the point estimate {rr} must lie inside the interval [{lo}, {hi}].",
    "err_sens_contour": "the contour plot needs the estimate and its standard error.",
    "err_sens_rv_t": "robustness_value needs an estimate with a t statistic "
                     "(estimate.statistic); pass t= and dof= instead.",
    "err_sens_rv_args": "robustness_value needs an Estimate or both t= and dof=.",
    "err_sens_dof": "dof={value}: the robustness value needs more than 1 residual degree of "
                    "freedom.",
    "err_sens_q": "q={value}: must be positive (1 = the whole effect).",
    "err_sens_alpha": "alpha={value}: must lie between 0 and 1.",
    "err_sens_kd_ky": "kd and ky must have the same length.",
    "err_sens_kd_partial": "benchmark {name!r} with kd={kd}: the implied partial R² of the "
                           "confounder with treatment is ≥ 1; use smaller kd.",
    "err_sens_kd_impossible": "benchmark {name!r}: impossible bound, use smaller kd.",
    "err_sens_no_pairs": "rosenbaum() needs matched pair differences; the {design!r} estimate "
                         "does not keep them (only ie.match with method='nearest'/'optimal' "
                         "does). Pass the treated − control differences directly.",
    "err_sens_pairs_missing": "the pair differences contain missing or infinite values; drop "
                              "those pairs first.",
    "err_sens_scores": "scores={value} must be three whole numbers (m, m1, m2) with 1 ≤ m1 ≤ "
                       "m2 ≤ m.",
    "err_sens_few_pairs": "{n} non-zero pair difference(s): Rosenbaum bounds need at least 2 "
                          "pairs that differ.",
    "err_sens_gammas": "gammas must all be ≥ 1 (Γ = 1 is no hidden bias).",
    "err_sens_clf": "the least-favourable critical value could not be computed: {detail}",
    "err_sens_honest_args": "honest_did needs a DiD Estimate or betahat=, sigma= and num_pre=.",
    "err_sens_sigma": "sigma has shape {shape}; it must be {n} x {n} like betahat.",
    "err_sens_target": "target={value}: choose 'average' or a post period 0..{last}.",
    "err_sens_nonneg": "{name} values must be ≥ 0.",
    "err_sens_leave_out_args": "leave_out() works from per-unit contributions; the {design!r} "
                               "estimate does not keep them (supported: ie.match with "
                               "nearest/optimal matching). Pass data=<the data it was fitted "
                               "on>, unit=<the unit or cluster column> and refit=<a function "
                               "that refits it>, or the per-unit contributions (e.g. changes) "
                               "as an array.",
    "err_sens_contrib_missing": "the contributions contain missing or infinite values.",
    "err_sens_k": "k={value}: must be at least 1 and smaller than the {n} units.",
    "err_sens_data": "data= must be the pandas DataFrame the estimate was fitted on.",
    "err_sens_unit": "unit={value}: no such column in data; give the unit or cluster column.",
    "err_sens_unit_missing": "column {column!r} has missing values; every row needs a unit.",
    "err_sens_max_units": "{n} units in {column!r}: leaving each out refits the estimator {n} "
                          "times; raise max_units= (now {limit}) to allow it.",
    "err_sens_k1": "k={value}: must be at least 1 and smaller than the {n} units minus 1.",
    "err_sens_refit": "refit(data) gives {got}, not the estimate {est}: pass the data and the "
                      "function it was fitted with.",
    "err_sens_refit_fails": "leaving out one unit of {column!r} makes the estimator fail "
                            "({detail}); the estimate rests on that unit alone.",
}

SV: dict[str, str] = {
    "err_power_design": "design={value} är ingen design som power() känner till.",
    "err_power_alpha": "alpha måste ligga mellan 0 och 1.",
    "err_power_r2": "r2 måste ligga i [0, 1).",
    "err_power_units": "power() kräver minst 2 enheter i varje grupp.",
    "err_power_base_rate": "base_rate måste vara en andel strikt mellan 0 och 1.",
    "err_power_binary_paired": "styrka för binära före–efter-jämförelser finns inte; använd "
                               "design='difference'.",
    "err_power_what": "ange power=... (för minsta upptäckbara effekt) eller effect=... (för "
                      "styrkan).",
    "err_diag_1d": "{name} måste vara endimensionell, inte av formen {shape}.",
    "err_diag_missing": "{name} har {n} saknade eller oändliga värden.",
    "err_diag_length": "{name} har {k} värden men data har {n}.",
    "err_diag_negative": "{name} har {n} negativa värden; vikter måste vara ≥ 0.",
    "err_diag_not_numeric": "{name}: kolumnen {column!r} innehåller inte tal; gör "
                            "dummyvariabler av textvariabler först (pandas.get_dummies).",
    "err_diag_same_columns": "deltagare och jämförelsegrupp måste ha samma kolumner i samma "
                             "ordning.",
    "err_diag_balance_few": "balanstabellen kräver minst 2 enheter per grupp; nu {nt} och {nc}.",
    "err_diag_overlap_few": "överlappet kräver minst en enhet per grupp.",
    "err_sens_sd": "sd={value}: ange utfallets standardavvikelse (> 0).",
    "err_sens_no_effect_size": "e_value() kräver en standardiserad effekt: skattningen "
                               "har ingen effektstorlek; ange sd=<utfallets "
                               "standardavvikelse>.",
    "err_sens_rr": "rr={value}: en kvot måste vara positiv.",
    "err_sens_rr_inside": "punktskattningen {rr} måste ligga inom intervallet [{lo}, {hi}].",
    "err_sens_contour": "konturdiagrammet kräver skattningen och dess medelfel.",
    "err_sens_rv_t": "robustness_value kräver en skattning med en t-statistika (fältet "
                     "statistic); ange t= och dof= i stället.",
    "err_sens_rv_args": "robustness_value kräver ett resultat från en skattning eller både t= "
                        "och dof=.",
    "err_sens_dof": "dof={value}: robusthetsvärdet kräver mer än 1 frihetsgrad i residualerna.",
    "err_sens_q": "q={value}: måste vara positivt (1 = hela effekten).",
    "err_sens_alpha": "alpha={value}: måste ligga mellan 0 och 1.",
    "err_sens_kd_ky": "kd och ky måste vara lika långa.",
    "err_sens_kd_partial": "jämförelsevariabeln {name!r} med kd={kd}: den partiella R² som "
                           "följer för den okända faktorn med insatsen är ≥ 1; använd ett "
                           "mindre kd.",
    "err_sens_kd_impossible": "jämförelsevariabeln {name!r}: omöjlig gräns, använd ett mindre "
                              "kd.",
    "err_sens_no_pairs": "rosenbaum() kräver skillnader inom matchade par; skattningen "
                         "{design!r} sparar dem inte (det gör bara ie.match med "
                         "method='nearest'/'optimal'). Ange skillnaderna deltagare − tvilling "
                         "direkt.",
    "err_sens_pairs_missing": "parskillnaderna innehåller saknade eller oändliga värden; ta "
                              "bort de paren först.",
    "err_sens_scores": "scores={value} måste vara tre heltal (m, m1, m2) med 1 ≤ m1 ≤ m2 ≤ m.",
    "err_sens_few_pairs": "{n} parskillnader skilda från noll: Rosenbaums gränser kräver minst "
                          "2 par som skiljer sig.",
    "err_sens_gammas": "alla värden i gammas måste vara ≥ 1 (Γ = 1 betyder ingen dold "
                       "snedvridning).",
    "err_sens_clf": "det minst gynnsamma kritiska värdet kunde inte beräknas: {detail}",
    "err_sens_honest_args": "honest_did kräver en DiD-skattning eller betahat=, sigma= och "
                            "num_pre=.",
    "err_sens_sigma": "sigma har formen {shape}; den måste vara {n} x {n} som betahat.",
    "err_sens_target": "target={value}: välj 'average' eller en period efter starten "
                       "0..{last}.",
    "err_sens_nonneg": "värdena i {name} måste vara ≥ 0.",
    "err_sens_leave_out_args": "leave_out() bygger på bidrag per enhet; skattningen {design!r} "
                               "sparar dem inte (det gör ie.match med nearest/optimal). Ange "
                               "data=<data som den skattades på>, unit=<enhets- eller "
                               "klusterkolumnen> och refit=<en funktion som skattar om>, eller "
                               "bidragen per enhet (till exempel förändringar) som en vektor.",
    "err_sens_contrib_missing": "bidragen innehåller saknade eller oändliga värden.",
    "err_sens_k": "k={value}: måste vara minst 1 och mindre än de {n} enheterna.",
    "err_sens_data": "data= måste vara den pandas DataFrame som skattningen gjordes på.",
    "err_sens_unit": "unit={value}: ingen sådan kolumn i data; ange enhets- eller "
                     "klusterkolumnen.",
    "err_sens_unit_missing": "kolumnen {column!r} har saknade värden; varje rad behöver en "
                             "enhet.",
    "err_sens_max_units": "{n} enheter i {column!r}: att lämna ut var och en skattar om {n} "
                          "gånger; höj max_units= (nu {limit}) för att tillåta det.",
    "err_sens_k1": "k={value}: måste vara minst 1 och mindre än de {n} enheterna minus 1.",
    "err_sens_refit": "refit(data) ger {got}, inte skattningen {est}: ange data och den "
                      "funktion som den skattades med.",
    "err_sens_refit_fails": "när en enhet i {column!r} lämnas ut misslyckas skattningen "
                            "({detail}); skattningen vilar på den enheten ensam.",
}
