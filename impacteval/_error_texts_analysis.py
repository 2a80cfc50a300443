"""Error messages (codes ``err_*``) of inference, diagnostics, sensitivity analysis,
economics and power calculations, in English and Swedish.

One entry a message: the same placeholders in both languages (``tests/test_error_language.py``
checks it, and that no Swedish template has English words).
"""

EN: dict[str, str] = {
    "err_econ_number": "The {name!r} argument of {func}() must be a number. Got {value} "
                       "({type}).",
    "err_econ_finite": "The {name!r} argument of {func}() must be finite. Got {value}.",
    "err_econ_positive": "The {name!r} argument of {func}() must be positive. Got {value:g}.",
    "err_econ_nonneg": "The {name!r} argument of {func}() must be zero or positive. Got "
                       "{value:g}.",
    "err_econ_rate": "The 'rate' argument of {func}() must be greater than -1 (a yearly rate "
                     "such as 0.035 for 3.5 %). Got {value:g}: (1 + rate) must be positive to "
                     "discount.",
    "err_econ_conf_level": "The 'conf_level' argument of {func}() must be a number in (0, 1), "
                           "e.g. 0.95. Got {value:g}.",
    "err_econ_numbers": "The {name!r} argument of {func}() must be numbers (a number, a list or "
                        "an array). Got {type}.",
    "err_econ_not_numeric": "The {name!r} argument of {func}() must be numeric; it could not be "
                            "read as numbers ({detail}).",
    "err_econ_ndim": "The {name!r} argument of {func}() has {ndim} dimensions; at most {max} "
                     "are allowed (draws × years). Got shape {shape}.",
    "err_econ_empty": "The {name!r} argument of {func}() is empty (shape {shape}); give at "
                      "least one value.",
    "err_econ_missing": "The {name!r} argument of {func}() has {bad} of {n} values that are "
                        "missing or infinite; remove or replace them first.",
    "err_econ_timing": "The 'timing' argument of {func}() must be 'end' (flows at the end of "
                       "each year) or 'start'. Got {value}.",
    "err_econ_no_center": "The estimate passed to {func}() has a missing point estimate "
                          "({value}); there is no effect to value.",
    "err_econ_draws_shape": "The estimate's draws must be a 1-D array of at least 2 bootstrap "
                            "draws for {func}(); got shape {shape}.",
    "err_econ_draws_missing": "{bad} of {n} of the estimate's bootstrap draws are missing or "
                              "infinite; {func}() needs finite draws.",
    "err_econ_no_uncertainty": "The estimate passed to {func}() has neither bootstrap draws nor "
                               "a finite standard error (std_error={se}); its uncertainty "
                               "cannot be carried over.",
    "err_econ_horizon_whole": "The 'horizon' argument of present_value() must be a whole "
                              "number of years. Got {value}.",
    "err_econ_horizon_min": "The 'horizon' argument of present_value() must be at least 1 "
                            "year. Got {value}.",
    "err_econ_horizon_max": "horizon={value} years is longer than the limit "
                            "max_horizon={limit} (a guard against a mistyped horizon: savings "
                            "are usually counted over 5–20 years). If you mean it, pass "
                            "max_horizon={value} as well.",
    "err_econ_flows_long": "'flows' has {n} yearly columns, more than max_horizon={limit} "
                           "years; pass max_horizon={n} if you mean it, or horizon= to count "
                           "fewer years.",
    "err_econ_flows_short": "horizon={value} years but 'flows' has only {n} year(s); give a "
                            "flow for every year of the horizon (zeros where nothing happens).",
    "err_econ_level": "{func}() needs an effect, but this estimate is a follow-up level "
                      "(design={design}, estimand={estimand}): how participants are doing, not "
                      "what the project changed. Pass an effect from a design with a comparison "
                      "({examples}).",
    "err_econ_direction": "The 'outcome_direction' argument of {func}() must be "
                          "'lower_is_better' (costs, welfare payments, placements) or "
                          "'higher_is_better' (earnings, employment). Got {value}.",
    "err_econ_which_direction": "{func}() cannot tell whether a rise in the outcome saves money "
                                "or costs money. Say which direction is good: "
                                "outcome_direction='lower_is_better' for an outcome such as "
                                "costs or welfare payments, or 'higher_is_better' for earnings "
                                "or employment; and value_per_unit= the kronor one unit of the "
                                "outcome is worth (default 1 when the outcome is already in "
                                "kronor).",
    "err_econ_value_zero": "The 'value_per_unit' argument of {func}() is 0: the effect would be "
                           "worth nothing. Give kronor saved per participant per year by one "
                           "unit of effect.",
    "err_econ_value_negative": "value_per_unit={value:g} is negative and "
                               "outcome_direction={direction} is given: the direction would be "
                               "counted twice. With outcome_direction, give value_per_unit as "
                               "positive kronor per unit of the outcome.",
    "err_econ_require": "{func}() needs to know what the project cost and what the effect is "
                        "worth: pass cost= (kronor, paid up front) and "
                        "outcome_direction='lower_is_better' or 'higher_is_better' (with "
                        "value_per_unit= kronor per unit of the outcome when it is not in "
                        "kronor), e.g. probability_pays_back(est, cost=4_000_000, "
                        "outcome_direction='lower_is_better'). Or pass a BenefitCost result.",
    "err_econ_not_estimate": "The 'estimate' argument of cost_effectiveness() must be an "
                             "impacteval Estimate. Got {type}.",
    "err_econ_n_participants_per": "n_participants is only used to spread a total cost; pass "
                                   "per='total' with it, or leave it out when 'cost' is already "
                                   "per participant.",
    "err_econ_profile": "'profile' has {n} value(s) but horizon={horizon}; give one share per "
                        "year.",
    "err_econ_needs_n": "benefit_cost() needs n_participants when the effect is not an Estimate "
                        "(an Estimate supplies n_treated).",
    "err_econ_cost_positive": "The 'cost' argument of benefit_cost() must be positive kronor; "
                              "{bad} of {n} value(s) are zero or negative.",
    "err_econ_cost_draws": "'cost' has {n} draws but the effect has {m}; cost draws are paired "
                           "with effect draws one to one, so give the same number.",
    "err_econ_pays_back_kw": "probability_pays_back() takes no keywords when given a "
                             "BenefitCost result.",
    "err_econ_pool_list": "pool() needs a list of Estimates (or an EstimateCollection) to "
                          "combine. Got {type}.",
    "err_econ_pool_two": "pool() needs at least 2 estimates to combine; got {n}.",
    "err_econ_pool_item": "Item {i} given to pool() is a {type}, not an impacteval Estimate.",
    "err_econ_pool_se": "pool() weights estimates by 1/std_error², but estimate(s) {which} "
                        "have no finite, positive std_error ({values}); compute standard errors "
                        "first or leave those estimates out.",
    "err_econ_pool_missing": "Estimate(s) {which} given to pool() have a missing point "
                             "estimate.",
    "err_econ_pool_scales": "pool() cannot combine estimates on different scales ({scales}); "
                            "use the same scale= for every cohort or site.",
    "err_econ_qaly_missing": "The QALY gain estimate passed to qaly_value() is missing.",
    "err_econ_qaly_values": "Every value per QALY given to qaly_value() must be positive "
                            "kronor. Got {values}.",
    "err_econ_qaly_threshold": "threshold={value} is not one of the values per QALY of this "
                               "result {values}; pass it in values_per_qaly= to "
                               "cost_per_qaly().",
    "err_econ_qaly_draws": "The {name!r} Estimate given to cost_per_qaly() has no bootstrap "
                           "draws; estimate it with ci='percentile' or 'bca' (which keep draws) "
                           "or pass draws.",
    "err_econ_qaly_pairs": "'net_cost' has {n} draws and 'qaly_gain' {m}; draws are paired one "
                           "to one, so give the same number (or one value for either).",
    "err_econ_qaly_nonneg": "Every value per QALY given to cost_per_qaly() must be >= 0.",
    "err_econ_share": "The 'share' of Capped() must be a number in (0, 1], e.g. 0.5 for half of "
                      "the savings. Got {value}.",
    "err_econ_capped_yearly": "Capped() needs yearly savings per draw (draws × years).",
    "err_econ_savings_empty": "'savings' is empty.",
    "err_econ_savings_2d": "{rule}() repays only the savings within its window, so 'savings' "
                           "must be yearly savings per draw: a 2-D array of draws × years. Got "
                           "shape {shape}. For one path without uncertainty use [[year1, year2, "
                           "...]]; if all savings arise in year 1, use {column_form}.",
    "err_econ_rule": "The 'rule' argument of repayment() must be Unconditional(), Conditional() "
                     "or Capped(window=..., share=...). Got {value}.",
    "err_inf_seed_type": "seed={value} must be a whole number of at least 0 (e.g. seed=42) or "
                         "None; got a {type}. A fixed whole number makes the run repeatable.",
    "err_inf_seed": "seed={value} must be a whole number of at least 0 (e.g. seed=42).",
    "err_inf_n_boot": "{name}={value} must be a whole number of at least 99 (9999 is the "
                      "default).",
    "err_inf_n_boot_max": "{name}={value:,} is above the limit of {limit:,} resamples (a run "
                          "that large takes hours and its extra digits are noise). Use fewer, "
                          "or raise the limit with impacteval.inference.MAX_RESAMPLES = "
                          "<number> if you really need more.",
    "err_inf_seed_generator": "seed must be an int (or None), so that the run can be repeated.",
    "err_inf_stratum": "stratum {s} has {n} resampling unit(s); the bootstrap needs at least 2.",
    "err_inf_not_boot": "ci={ci} is not a bootstrap method; choose one of {methods}.",
    "err_inf_bca_jackknife": "the BCa interval needs the jackknife values of the statistic.",
    "err_inf_needs_se": "ci={ci} needs a standard error per replicate.",
    "err_inf_no_se_fn": "ci={ci} needs a standard error per replicate, which this estimator "
                        "does not provide.",
    "err_inf_failed": "{bad} of {n} bootstrap resamples could not be computed (e.g. a resample "
                      "with no variation); use ci='analytic' or more units.",
    "err_inf_sperm_few": "the studentized permutation test needs at least 2 units per group "
                         "(got {nt} and {nc}).",
    "err_inf_wild_clusters": "the wild cluster bootstrap needs at least 2 clusters.",
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
    "err_econ_number": "Argumentet {name!r} till {func}() måste vara ett tal. Fick {value} "
                       "({type}).",
    "err_econ_finite": "Argumentet {name!r} till {func}() måste vara ändligt. Fick {value}.",
    "err_econ_positive": "Argumentet {name!r} till {func}() måste vara positivt. Fick "
                         "{value:g}.",
    "err_econ_nonneg": "Argumentet {name!r} till {func}() måste vara noll eller positivt. Fick "
                       "{value:g}.",
    "err_econ_rate": "Argumentet 'rate' till {func}() måste vara större än -1 (en årlig ränta "
                     "som 0,035 för 3,5 %). Fick {value:g}: (1 + rate) måste vara positivt för "
                     "att diskontera.",
    "err_econ_conf_level": "Argumentet 'conf_level' till {func}() måste vara ett tal i (0, 1), "
                           "till exempel 0,95. Fick {value:g}.",
    "err_econ_numbers": "Argumentet {name!r} till {func}() måste vara tal (ett tal, en lista "
                        "eller en vektor). Fick {type}.",
    "err_econ_not_numeric": "Argumentet {name!r} till {func}() måste vara numeriskt; det kunde "
                            "inte läsas som tal ({detail}).",
    "err_econ_ndim": "Argumentet {name!r} till {func}() har {ndim} dimensioner; högst {max} är "
                     "tillåtna (dragningar × år). Formen är {shape}.",
    "err_econ_empty": "Argumentet {name!r} till {func}() är tomt (formen {shape}); ange minst "
                      "ett värde.",
    "err_econ_missing": "Argumentet {name!r} till {func}() har {bad} av {n} värden som saknas "
                        "eller är oändliga; ta bort eller ersätt dem först.",
    "err_econ_timing": "Argumentet 'timing' till {func}() måste vara 'end' (flöden i slutet av "
                       "varje år) eller 'start'. Fick {value}.",
    "err_econ_no_center": "Skattningen som gavs till {func}() saknar punktskattning ({value}); "
                          "det finns ingen effekt att värdera.",
    "err_econ_draws_shape": "Skattningens dragningar måste vara en endimensionell vektor med "
                            "minst 2 bootstrapdragningar för {func}(); formen är {shape}.",
    "err_econ_draws_missing": "{bad} av skattningens {n} bootstrapdragningar saknas eller är "
                              "oändliga; {func}() kräver ändliga dragningar.",
    "err_econ_no_uncertainty": "Skattningen som gavs till {func}() har varken "
                               "bootstrapdragningar eller ett ändligt medelfel "
                               "(std_error={se}); dess osäkerhet kan inte föras vidare.",
    "err_econ_horizon_whole": "Argumentet 'horizon' till present_value() måste vara ett helt "
                              "antal år. Fick {value}.",
    "err_econ_horizon_min": "Argumentet 'horizon' till present_value() måste vara minst 1 år. "
                            "Fick {value}.",
    "err_econ_horizon_max": "horizon={value} år är längre än gränsen max_horizon={limit} (ett "
                            "skydd mot en felskriven horisont: besparingar räknas oftast över "
                            "5–20 år). Om du menar det, ange också max_horizon={value}.",
    "err_econ_flows_long": "'flows' har {n} årskolumner, fler än max_horizon={limit} år; ange "
                           "max_horizon={n} om du menar det, eller horizon= för att räkna färre "
                           "år.",
    "err_econ_flows_short": "horizon={value} år men 'flows' har bara {n} år; ange ett flöde för "
                            "varje år i horisonten (nollor där inget händer).",
    "err_econ_level": "{func}() kräver en effekt, men den här skattningen är en "
                      "uppföljningsnivå (design={design}, estimand={estimand}): hur deltagarna "
                      "har det, inte vad projektet ändrade. Ange en effekt från en design med "
                      "jämförelse ({examples}).",
    "err_econ_direction": "Argumentet 'outcome_direction' till {func}() måste vara "
                          "'lower_is_better' (kostnader, försörjningsstöd, placeringar) eller "
                          "'higher_is_better' (inkomster, sysselsättning). Fick {value}.",
    "err_econ_which_direction": "{func}() kan inte avgöra om en ökning av utfallet sparar "
                                "pengar eller kostar pengar. Ange vilken riktning som är bra: "
                                "outcome_direction='lower_is_better' för ett utfall som "
                                "kostnader eller försörjningsstöd, eller 'higher_is_better' "
                                "för inkomster eller sysselsättning; och value_per_unit= de "
                                "kronor en enhet av utfallet är värd (1 när utfallet redan är "
                                "i kronor).",
    "err_econ_value_zero": "Argumentet 'value_per_unit' till {func}() är 0: effekten skulle "
                           "vara värd ingenting. Ange kronor som sparas per deltagare och år av "
                           "en enhet effekt.",
    "err_econ_value_negative": "value_per_unit={value:g} är negativt och "
                               "outcome_direction={direction} är angivet: riktningen skulle "
                               "räknas två gånger. Med outcome_direction, ange value_per_unit "
                               "som positiva kronor per enhet av utfallet.",
    "err_econ_require": "{func}() behöver veta vad projektet kostade och vad effekten är värd: "
                        "ange cost= (kronor, betalda i början) och "
                        "outcome_direction='lower_is_better' eller 'higher_is_better' (med "
                        "value_per_unit= kronor per enhet av utfallet när det inte är i "
                        "kronor), till exempel probability_pays_back(est, cost=4_000_000, "
                        "outcome_direction='lower_is_better'). Eller ange ett "
                        "BenefitCost-resultat.",
    "err_econ_not_estimate": "Argumentet 'estimate' till cost_effectiveness() måste vara ett "
                             "resultat från en skattning i impacteval. Fick {type}.",
    "err_econ_n_participants_per": "n_participants används bara för att fördela en total "
                                   "kostnad; ange per='total' tillsammans med den, eller "
                                   "utelämna den när 'cost' redan gäller per deltagare.",
    "err_econ_profile": "'profile' har {n} värden men horizon={horizon}; ange en andel per år.",
    "err_econ_needs_n": "benefit_cost() kräver n_participants när effekten inte är ett "
                        "resultat från en skattning (som anger n_treated).",
    "err_econ_cost_positive": "Argumentet 'cost' till benefit_cost() måste vara positiva "
                              "kronor; {bad} av {n} värden är noll eller negativa.",
    "err_econ_cost_draws": "'cost' har {n} dragningar men effekten har {m}; kostnadsdragningar "
                           "paras ihop med effektdragningar en till en, så ange lika många.",
    "err_econ_pays_back_kw": "probability_pays_back() tar inga nyckelord när den får ett "
                             "BenefitCost-resultat.",
    "err_econ_pool_list": "pool() behöver en lista av skattningar (eller en "
                          "EstimateCollection) att väga samman. Fick {type}.",
    "err_econ_pool_two": "pool() behöver minst 2 skattningar att väga samman; fick {n}.",
    "err_econ_pool_item": "Element {i} som gavs till pool() är av typen {type}, inte ett "
                          "resultat från en skattning i impacteval.",
    "err_econ_pool_se": "pool() väger skattningar med 1/std_error², men skattningarna {which} "
                        "saknar ett ändligt, positivt medelfel ({values}); beräkna medelfelen "
                        "först eller lämna de skattningarna utanför.",
    "err_econ_pool_missing": "Skattningarna {which} som gavs till pool() saknar punktskattning.",
    "err_econ_pool_scales": "pool() kan inte väga samman skattningar på olika skalor "
                            "({scales}); använd samma scale= för varje kull eller plats.",
    "err_econ_qaly_missing": "Skattningen av QALY-vinsten som gavs till qaly_value() saknas.",
    "err_econ_qaly_values": "Varje värde per QALY som ges till qaly_value() måste vara "
                            "positiva kronor. Fick {values}.",
    "err_econ_qaly_threshold": "threshold={value} är inte något av värdena per QALY i detta "
                               "resultat {values}; ange det i values_per_qaly= till "
                               "cost_per_qaly().",
    "err_econ_qaly_draws": "Skattningen {name!r} som gavs till cost_per_qaly() har inga "
                           "bootstrapdragningar; skatta den med ci='percentile' eller 'bca' "
                           "(som sparar dragningar) eller ange dragningar.",
    "err_econ_qaly_pairs": "'net_cost' har {n} dragningar och 'qaly_gain' {m}; dragningar paras "
                           "ihop en till en, så ange lika många (eller ett värde för någon av "
                           "dem).",
    "err_econ_qaly_nonneg": "Varje värde per QALY som ges till cost_per_qaly() måste vara >= 0.",
    "err_econ_share": "Andelen 'share' i Capped() måste vara ett tal i (0, 1], till exempel 0,5 "
                      "för halva besparingen. Fick {value}.",
    "err_econ_capped_yearly": "Capped() kräver årliga besparingar per dragning (dragningar × "
                              "år).",
    "err_econ_savings_empty": "'savings' är tom.",
    "err_econ_savings_2d": "{rule}() återbetalar bara besparingarna inom sitt fönster, så "
                           "'savings' måste vara årliga besparingar per dragning: en "
                           "tvådimensionell matris av dragningar × år. Formen är {shape}. För "
                           "en bana utan osäkerhet, använd [[år1, år2, ...]]; om alla "
                           "besparingar uppstår år 1, använd {column_form}.",
    "err_econ_rule": "Argumentet 'rule' till repayment() måste vara Unconditional(), "
                     "Conditional() eller Capped(window=..., share=...). Fick {value}.",
    "err_inf_seed_type": "seed={value} måste vara ett heltal som är minst 0 (till exempel "
                         "seed=42) eller utelämnas; fick typen {type}. Ett fast heltal gör "
                         "körningen upprepbar.",
    "err_inf_seed": "seed={value} måste vara ett heltal som är minst 0 (till exempel seed=42).",
    "err_inf_n_boot": "{name}={value} måste vara ett heltal som är minst 99 (9999 är "
                      "standardvärdet).",
    "err_inf_n_boot_max": "{name}={value:,} är över gränsen på {limit:,} omdragningar (en så "
                          "stor körning tar timmar och de extra decimalerna är brus). Använd "
                          "färre, eller höj gränsen med impacteval.inference.MAX_RESAMPLES = "
                          "<tal> om du verkligen behöver fler.",
    "err_inf_seed_generator": "seed måste vara ett heltal (eller utelämnas), så att körningen "
                              "kan upprepas.",
    "err_inf_stratum": "stratum {s} har {n} enheter att dra om; bootstrapen kräver minst 2.",
    "err_inf_not_boot": "ci={ci} är ingen bootstrapmetod; välj en av {methods}.",
    "err_inf_bca_jackknife": "BCa-intervallet kräver statistikans jackknifevärden.",
    "err_inf_needs_se": "ci={ci} kräver ett medelfel per omdragning.",
    "err_inf_no_se_fn": "ci={ci} kräver ett medelfel per omdragning, vilket den här "
                        "skattningen inte ger.",
    "err_inf_failed": "{bad} av {n} bootstrapomdragningar kunde inte beräknas (till exempel en "
                      "omdragning utan variation); använd ci='analytic' eller fler enheter.",
    "err_inf_sperm_few": "det studentiserade permutationstestet kräver minst 2 enheter per "
                         "grupp (fick {nt} och {nc}).",
    "err_inf_wild_clusters": "den vilda klusterbootstrapen kräver minst 2 kluster.",
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
