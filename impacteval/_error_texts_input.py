"""Error messages (codes ``err_*``) of reading data, roles, periods, the command line,
plans, datasets, the ladder and reports, in English and Swedish.

One entry a message: the same placeholders in both languages (``tests/test_error_language.py``
checks it, and that no Swedish template has English words).
"""

EN: dict[str, str] = {
    "err_example": "column {column!r} is not in the data",
    "err_cli_cannot_write": "{option}: cannot write {path!r}: {why}.",
    "err_cli_no_folder": "{option}: cannot write {path!r}: the folder {folder!r} does not exist.",
    "err_cli_is_folder": "{option}: {path!r} is a folder; give a file name.",
    "err_cli_periods_empty": "{option} is empty; give period values such as 1,2 or -12:-1.",
    "err_cli_range_backwards": "{option}: the range {range!r} runs backwards; write {fix}.",
    "err_cli_range_empty": "{option}: no value of column {column!r} lies in {range}; the "
                           "periods there run from {first} to {last}.",
    "err_cli_not_a_range": "{option}: {range} is not a range of periods; write whole numbers "
                           "(-12:-1) or periods such as 2012-01:2012-12, 2013 Q1:2013 Q4 or "
                           "2012-01-01:2012-12-31.",
    "err_cli_relative_needs": "--relative-to-start needs {option}.",
    "err_cli_no_column": "{option}: column {column!r} is not in the data; the columns are "
                         "{columns}.",
    "err_cli_relative_periods": "--relative-to-start: the periods of column {column!r} are not "
                                "all periods the package reads (numbers, 2012-01, dates, "
                                "2013 Q1, 2013-W05).",
    "err_cli_relative_no_start": "--relative-to-start: column {column!r} has no start period.",
    "err_cli_reference_form": "--reference {spec!r}: give a number, or key=value pairs such as "
                              "mean=100,sd=15,n=2000,source=norm.",
    "err_cli_reference_key": "--reference: unknown key {key!r}; use mean, sd, n, source.",
    "err_cli_reference_number": "--reference: {key}={value!r} is not a number.",
    "err_cli_reference_mean": "--reference needs mean=... (or a single number).",
    "err_cli_needs_group": "{option} needs --group (the column that holds the groups).",
    "err_cli_no_outcome": "--outcome is required (the outcome column).",
    "err_cli_prepost_need_period": "--pre/--post need --period (the column with the time of "
                                   "measurement).",
    "err_cli_exists": "{path!r} already exists; choose another path or add --force.",
    "err_io_utf16": "{name} starts like a UTF-16 file but cannot be decoded as one.",
    "err_io_no_file": "file {path!r} does not exist.",
    "err_io_folder": "{path!r} is a folder, not a data file.",
    "err_io_not_regular": "{path!r} is not a regular file (a device or a pipe); save the data "
                          "to a file first.",
    "err_io_too_large": "file {name!r} is {gb} GB, more than the limit of {limit:g} GB that "
                        "read_table() reads into memory; raise it with max_bytes=..., or use "
                        "a Parquet dataset with Dask.",
    "err_io_empty": "file {name!r} is empty.",
    "err_io_not_text": "file {name!r} is not a text (CSV) file.",
    "err_io_no_rows": "file {name!r} has no data rows.",
    "err_io_cannot_read": "cannot read {name!r}: {detail}",
    "err_io_not_a_table": "cannot read {name!r} as a table: {detail}",
    "err_roles_no_label": "{role}={value!r} does not occur in column {column!r}; the values "
                          "there are {values}.{hint}",
    "err_roles_infinite": "{role} column {column!r} has {n} infinite value(s); replace them by "
                          "a number or by a missing value.",
    "err_roles_dates": "{role} column {column!r} holds dates; it must hold numbers.",
    "err_roles_not_real": "{role} column {column!r} holds {dtype} values; it must hold real "
                          "numbers.",
    "err_roles_text": "{role} column {column!r} must be numeric, but it holds text such as "
                      "{examples}.{hint}",
    "err_roles_no_rows_left": "no rows are left after removing rows with missing values ({n} "
                              "removed).",
    "err_roles_not_frame": "data must be a pandas DataFrame, got {got}; read a file with "
                           "impacteval.read_table(path).",
    "err_roles_assignment": "assignment={value!r} is not one of {allowed}.",
    "err_roles_one_column": "{role}={value} must be one column name; give several outcomes to "
                            "impacteval.evaluate() or call the estimator once per outcome.",
    "err_roles_needs_role": "this estimator needs the role {role}=... (a column name).",
    "err_roles_needs_outcome": "outcome=... (the outcome column) is required.",
    "err_roles_covariate_twice": "covariates={value} names a column more than once.",
    "err_roles_no_column": "{role} column {column!r} is not in the data; the columns are "
                           "{columns}.{hint}",
    "err_roles_two_roles": "column {column!r} is given both as {first} and as {second}.",
    "err_roles_no_data_rows": "the data have no rows.",
    "err_roles_column_repeated": "{role} column {column!r} occurs {k} times in the data; give "
                                 "the columns unique names first.",
    "err_roles_key_missing": "{role} column {column!r} has {n} missing value(s) in {rows} rows; "
                             "every row needs a {role}. Fill them in or remove those rows "
                             "first.",
    "err_roles_key_infinite": "{role} column {column!r} has {n} infinite value(s); every row "
                              "needs a real {role} label. Fix those rows first.",
    "err_roles_negative_weights": "weights column {column!r} has {n} negative value(s); "
                                  "weights must be zero or positive.",
    "err_roles_no_positive_weight": "weights column {column!r} has no positive value; at least "
                                    "some units must have a weight above zero.",
    "err_roles_control_is_treated": "control={value} includes the treated label {label!r}.",
    "err_roles_no_comparison": "group column {column!r} has only the treated value {label!r}; "
                               "there is no comparison group. Use before_after() or "
                               "follow_up() instead.",
    "err_roles_prepost_need_period": "pre=/post= need period=... (the column with the time of "
                                     "measurement).",
    "err_roles_period_twice": "{name}= names the period(s) {periods} more than once; give each "
                              "period once, e.g. {name}={fix}.",
    "err_roles_post_empty": "post= is empty: name at least one period after the start (a value "
                            "of the column {column!r}).",
    "err_roles_pre_post_overlap": "period value(s) {periods} are given both as pre and as post; "
                                  "pre and post must be different periods.",
    "err_roles_covariate_dates": "covariate column {column!r} holds dates; give a number (e.g. "
                                 "age).",
    "err_roles_period_needs_unit": "period=... needs unit=... to know which rows belong to one "
                                   "person.",
    "err_roles_duplicates": "{n} rows share the same {unit} (e.g. {example}); each unit may "
                            "have one row. Aggregate or remove the duplicates first.",
    "err_roles_duplicates_period": "{n} rows share the same {unit} and {period} (e.g. "
                                   "{example}); each unit may have one row per period. "
                                   "Aggregate or remove the duplicates first.",
    "err_roles_few_treated": "group column {column!r}: the treated group {label!r} has {n} "
                             "unit(s) with data; at least {need} are needed.",
    "err_roles_few_control": "group column {column!r}: the comparison group {label!r} has {n} "
                             "unit(s) with data; at least {need} are needed.",
    "err_roles_few_label": "group column {column!r}: {label!r} has {n} unit(s) with data; at "
                           "least {need} are needed.",
    "err_roles_few_pooled": "group column {column!r}: the comparison group has {n} unit(s) "
                            "with data; at least {need} are needed.",
    "err_roles_unit_two_groups": "{n} unit(s) in column {unit!r} appear in more than one group "
                                 "of column {group!r} (e.g. {example}); a unit must stay in one "
                                 "group.",
    "err_roles_unit_two_clusters": "{n} unit(s) in column {unit!r} belong to more than one "
                                   "cluster of column {cluster!r} (e.g. {example}); clustered "
                                   "errors need each unit in one cluster. Use the cluster at "
                                   "the start (e.g. the school at baseline).",
    "err_roles_covariate_text_numbers": "covariate column {column!r} holds numbers stored as "
                                        "text (e.g. {examples}); convert it with "
                                        "pandas.to_numeric (decimal commas: read the file with "
                                        "impacteval.read_table()).",
    "err_roles_no_default_treated": "group column {column!r} has no value 1/True, so say which "
                                    "value marks the participants: treated=... (values: "
                                    "{values}).",
    "err_roles_constant": "{role} column {column!r} is constant (every value is {value:g}) in "
                          "the rows analysed; there is no variation to estimate an effect "
                          "from.",
    "err_ladder_period_without_prepost": "period={period!r} is given without pre= and post=: "
                                         "say which values of the column are before and which "
                                         "after the start (CLI: --pre and --post), or leave out "
                                         "period= when every row was measured after the start.",
    "err_ladder_not_frame": "data must be a pandas DataFrame, not {got}.",
    "err_ladder_n_boot": "n_boot={value} must be a whole number of at least 99 (9999 is the "
                         "default).",
    "err_ladder_seed": "seed={value} must be a whole number >= 0 (or None), so that the run can "
                       "be repeated.",
    "err_ladder_start_name": "start={value} must be the name of a column.",
    "err_ladder_no_start_column": "start column {column!r} is not in the data.",
    "err_ladder_thresholds": "thresholds=... must be an impacteval Thresholds object.",
    "err_ladder_plan": "plan=... must be an impacteval Plan (ie.Plan).",
    "err_ladder_nothing": "no design could be estimated from these data, not even a follow-up: "
                          "{reason}",
    "err_ladder_register": "register() takes a Rung instance with a name.",
    "err_ladder_registered": "a rung named {name!r} is already registered.",
    "err_ladder_rung_texts": "rung {name!r} needs texts[{lang!r}] with 'name' and 'rule'.",
    "err_ladder_no_design": "no design {name!r} on the ladder; have {have}.",
    "err_ladder_no_report": "the HTML report is not available: import impacteval.report.",
    "err_lang": "lang={value} must be 'sv' or 'en'.",
    "err_plan_primary": "a plan needs a primary_outcome.",
    "err_plan_value": "plan {field}={value} is not one of {allowed}.",
    "err_plan_unknown": "unknown plan field(s): {fields}.",
    "err_plan_format": "the plan is not valid {fmt}: {detail}",
    "err_plan_toml_value": "cannot write {value} to TOML.",
    "err_data_missing_file": "The bundled file {file!r} is missing; reinstall impacteval or run "
                             "`python -m impacteval.datasets.make` in a source checkout.",
    "err_data_unreadable": "The bundled file {file!r} cannot be read: {detail}",
    "err_data_columns": "The bundled file {file!r} has columns {got}, expected {expected}; "
                        "regenerate it with `python -m impacteval.datasets.make`.",
    "err_data_labels": "Column {column!r} of {file!r} has unknown labels {bad}; allowed: "
                       "{allowed}.",
    "err_data_incomplete": "Column {column!r} of {file!r} has {n} missing values but must be "
                           "complete.",
    "err_data_not_teaching": "name={name} is not a teaching dataset; choose one of {names}.",
    "err_data_zipped": "The bundled CSV files are not on disk (zipped installation); read them "
                       "with ie.datasets.load_NAME() instead.",
    "err_data_not_bundled": "name={name} is not a bundled dataset; choose one of {names}.",
    "err_report_needs_evaluation": "evaluation_html() needs an Evaluation, an "
                                   "EvaluationCollection or a list of Evaluations (the result "
                                   "of ie.evaluate).",
    "err_report_no_covariates": "no covariates to model the probability of taking part",
    "err_report_suppress": "suppress_below={value} must be a whole number >= 1.",
    "err_report_data": "data=... must be a pandas DataFrame (or None).",
    "err_report_roles": "roles=... must be a mapping of evaluate() keyword arguments.",
    "err_report_economics": "economics=... must be impacteval.economics results (with "
                            "summary()), text, or a mapping/list of them.",
    "err_plot_ladder": "ladder_plot() needs an Evaluation (the result of ie.evaluate).",
    "err_plot_love": "love_plot() needs a balance table with the columns covariate, smd_before "
                     "and smd_after.",
    "err_plot_overlap_table": "overlap_plot() needs an overlap table with the columns column "
                              "and share_treated_outside, or scores and treated.",
    "err_plot_overlap_treated": "overlap_plot(scores, treated): treated=... (one bool per "
                                "score) is needed with scores.",
    "err_plot_overlap_sizes": "overlap_plot(): {n} scores but {m} treated flags.",
    "err_plot_overlap_missing": "overlap_plot(): {n} score(s) are missing or infinite.",
    "err_plot_overlap_groups": "overlap_plot() needs scores of both participants and comparison "
                               "units.",
    "err_plot_no_draws": "bootstrap_plot(): this estimate kept no draws; use a resampling "
                         "interval (ci='percentile', 'bca', ...) to keep them.",
    "err_plot_draws_missing": "bootstrap_plot(): the estimate's draws are all missing.",
    "err_plot_event_time": "event_time_plot() needs an estimate with tables['event_time'] "
                           "(ie.did with several periods) or that table.",
    "err_plot_event_columns": "event_time_plot(): the table needs the columns {columns}.",
    "err_thresholds_boundary": "attrition_boundary must be 'cautious' or 'optimistic'.",
    "err_thresholds_negative": "threshold {name}={value} must not be negative.",
    "err_io_sheet": "the first sheet of {name!r}, {sheet!r}, holds no table; the sheets are "
                    "{sheets}. Choose one with sheet=... (CLI: --sheet NAME).",
}

SV: dict[str, str] = {
    "err_example": "kolumnen {column!r} finns inte i data",
    "err_cli_cannot_write": "{option}: kan inte skriva {path!r}: {why}.",
    "err_cli_no_folder": "{option}: kan inte skriva {path!r}: mappen {folder!r} finns inte.",
    "err_cli_is_folder": "{option}: {path!r} är en mapp; ange ett filnamn.",
    "err_cli_periods_empty": "{option} är tom; ange perioder som 1,2 eller -12:-1.",
    "err_cli_range_backwards": "{option}: intervallet {range!r} går baklänges; skriv {fix}.",
    "err_cli_range_empty": "{option}: inget värde i kolumnen {column!r} ligger i {range}; "
                           "perioderna där går från {first} till {last}.",
    "err_cli_not_a_range": "{option}: {range} är inte ett intervall av perioder; skriv heltal "
                           "(-12:-1) eller perioder som 2012-01:2012-12, 2013 Q1:2013 Q4 eller "
                           "2012-01-01:2012-12-31.",
    "err_cli_relative_needs": "--relative-to-start kräver {option}.",
    "err_cli_no_column": "{option}: kolumnen {column!r} finns inte i data; kolumnerna är "
                         "{columns}.",
    "err_cli_relative_periods": "--relative-to-start: perioderna i kolumnen {column!r} är inte "
                                "alla perioder som paketet kan läsa (tal, 2012-01, datum, "
                                "2013 Q1, 2013-W05).",
    "err_cli_relative_no_start": "--relative-to-start: kolumnen {column!r} har ingen "
                                 "startperiod.",
    "err_cli_reference_form": "--reference {spec!r}: ange ett tal, eller nyckel=värde-par som "
                              "mean=100,sd=15,n=2000,source=norm.",
    "err_cli_reference_key": "--reference: okänd nyckel {key!r}; använd mean, sd, n, source.",
    "err_cli_reference_number": "--reference: {key}={value!r} är inte ett tal.",
    "err_cli_reference_mean": "--reference kräver mean=... (eller ett enda tal).",
    "err_cli_needs_group": "{option} kräver --group (kolumnen som anger grupperna).",
    "err_cli_no_outcome": "--outcome måste anges (kolumnen med utfallet).",
    "err_cli_prepost_need_period": "--pre/--post kräver --period (kolumnen med tidpunkten för "
                                   "mätningen).",
    "err_cli_exists": "{path!r} finns redan; välj en annan sökväg eller lägg till --force.",
    "err_io_utf16": "{name} börjar som en UTF-16-fil men kan inte avkodas som en sådan.",
    "err_io_no_file": "filen {path!r} finns inte.",
    "err_io_folder": "{path!r} är en mapp, inte en datafil.",
    "err_io_not_regular": "{path!r} är ingen vanlig fil (en enhet eller ett rör); spara data i "
                          "en fil först.",
    "err_io_too_large": "filen {name!r} är {gb} GB, mer än gränsen på {limit:g} GB som "
                        "read_table() läser in i minnet; höj den med max_bytes=..., eller "
                        "använd en Parquet-datamängd med Dask.",
    "err_io_empty": "filen {name!r} är tom.",
    "err_io_not_text": "filen {name!r} är ingen textfil (CSV).",
    "err_io_no_rows": "filen {name!r} har inga datarader.",
    "err_io_cannot_read": "kan inte läsa {name!r}: {detail}",
    "err_io_not_a_table": "kan inte läsa {name!r} som en tabell: {detail}",
    "err_roles_no_label": "{role}: värdet {value!r} finns inte i kolumnen {column!r}; värdena "
                          "där är {values}.{hint}",
    "err_roles_infinite": "kolumnen {column!r} ({role}) har {n} oändliga värden; ersätt dem med "
                          "ett tal eller ett saknat värde.",
    "err_roles_dates": "kolumnen {column!r} ({role}) innehåller datum; den måste innehålla tal.",
    "err_roles_not_real": "kolumnen {column!r} ({role}) innehåller värden av typen {dtype}; den "
                          "måste innehålla reella tal.",
    "err_roles_text": "kolumnen {column!r} ({role}) måste innehålla tal, men den innehåller "
                      "text som {examples}.{hint}",
    "err_roles_no_rows_left": "inga rader finns kvar sedan rader med saknade värden tagits bort "
                              "({n} borttagna).",
    "err_roles_not_frame": "data måste vara en pandas DataFrame, inte {got}; läs en fil med "
                           "impacteval.read_table(sökväg).",
    "err_roles_assignment": "assignment={value!r} är inte något av {allowed}.",
    "err_roles_one_column": "{role}={value} måste vara ett enda kolumnnamn; ge flera utfall "
                            "till impacteval.evaluate() eller anropa skattningen en gång per "
                            "utfall.",
    "err_roles_needs_role": "den här skattningen kräver rollen {role}=... (ett kolumnnamn).",
    "err_roles_needs_outcome": "outcome=... (kolumnen med utfallet) måste anges.",
    "err_roles_covariate_twice": "covariates={value} nämner en kolumn mer än en gång.",
    "err_roles_no_column": "kolumnen {column!r} ({role}) finns inte i data; kolumnerna är "
                           "{columns}.{hint}",
    "err_roles_two_roles": "kolumnen {column!r} anges både som {first} och som {second}.",
    "err_roles_no_data_rows": "data har inga rader.",
    "err_roles_column_repeated": "kolumnen {column!r} ({role}) förekommer {k} gånger i data; ge "
                                 "kolumnerna unika namn först.",
    "err_roles_key_missing": "kolumnen {column!r} ({role}) har {n} saknade värden på {rows} "
                             "rader; varje rad behöver ett värde. Fyll i dem eller ta bort de "
                             "raderna först.",
    "err_roles_key_infinite": "kolumnen {column!r} ({role}) har {n} oändliga värden; varje rad "
                              "behöver ett riktigt värde. Rätta de raderna först.",
    "err_roles_negative_weights": "viktkolumnen {column!r} har {n} negativa värden; vikter måste "
                                  "vara noll eller positiva.",
    "err_roles_no_positive_weight": "viktkolumnen {column!r} har inget positivt värde; minst "
                                    "några enheter måste ha en vikt över noll.",
    "err_roles_control_is_treated": "control={value} innehåller deltagarnas värde {label!r}.",
    "err_roles_no_comparison": "gruppkolumnen {column!r} har bara deltagarnas värde {label!r}; "
                               "det finns ingen jämförelsegrupp. Använd before_after() eller "
                               "follow_up() i stället.",
    "err_roles_prepost_need_period": "pre=/post= kräver period=... (kolumnen med tidpunkten för "
                                     "mätningen).",
    "err_roles_period_twice": "{name}= nämner perioderna {periods} mer än en gång; ge varje "
                              "period en gång, till exempel {name}={fix}.",
    "err_roles_post_empty": "post= är tom: ange minst en period efter starten (ett värde i "
                            "kolumnen {column!r}).",
    "err_roles_pre_post_overlap": "perioderna {periods} anges både som före och som efter; "
                                  "före och efter måste vara olika perioder.",
    "err_roles_covariate_dates": "bakgrundsvariabeln {column!r} innehåller datum; ange ett tal "
                                 "(till exempel ålder).",
    "err_roles_period_needs_unit": "period=... kräver unit=... för att veta vilka rader som hör "
                                   "till samma person.",
    "err_roles_duplicates": "{n} rader har samma {unit} (till exempel {example}); varje enhet "
                            "får ha en rad. Summera eller ta bort dubbletterna först.",
    "err_roles_duplicates_period": "{n} rader har samma {unit} och {period} (till exempel "
                                   "{example}); varje enhet får ha en rad per period. Summera "
                                   "eller ta bort dubbletterna först.",
    "err_roles_few_treated": "gruppkolumnen {column!r}: deltagargruppen {label!r} har {n} "
                             "enheter med data; minst {need} behövs.",
    "err_roles_few_control": "gruppkolumnen {column!r}: jämförelsegruppen {label!r} har {n} "
                             "enheter med data; minst {need} behövs.",
    "err_roles_few_label": "gruppkolumnen {column!r}: {label!r} har {n} enheter med data; minst "
                           "{need} behövs.",
    "err_roles_few_pooled": "gruppkolumnen {column!r}: jämförelsegruppen har {n} enheter med "
                            "data; minst {need} behövs.",
    "err_roles_unit_two_groups": "{n} enheter i kolumnen {unit!r} finns i mer än en grupp i "
                                 "kolumnen {group!r} (till exempel {example}); en enhet måste "
                                 "stanna i en grupp.",
    "err_roles_unit_two_clusters": "{n} enheter i kolumnen {unit!r} hör till mer än ett kluster "
                                   "i kolumnen {cluster!r} (till exempel {example}); klustrade "
                                   "medelfel kräver att varje enhet hör till ett kluster. "
                                   "Använd klustret vid starten (till exempel skolan vid "
                                   "baslinjen).",
    "err_roles_covariate_text_numbers": "bakgrundsvariabeln {column!r} innehåller tal sparade "
                                        "som text (till exempel {examples}); gör om den med "
                                        "pandas.to_numeric (decimalkomma: läs filen med "
                                        "impacteval.read_table()).",
    "err_roles_no_default_treated": "gruppkolumnen {column!r} har inget värde 1/True; ange "
                                    "vilket värde som markerar deltagarna: treated=... "
                                    "(värden: {values}).",
    "err_roles_constant": "kolumnen {column!r} ({role}) är konstant (varje värde är {value:g}) "
                          "i de rader som analyseras; det finns ingen variation att skatta en "
                          "effekt från.",
    "err_ladder_period_without_prepost": "period={period!r} anges utan pre= och post=: ange "
                                         "vilka värden i kolumnen som ligger före och vilka "
                                         "efter starten (på kommandoraden: --pre och --post), "
                                         "eller utelämna period= när varje rad mättes efter "
                                         "starten.",
    "err_ladder_not_frame": "data måste vara en pandas DataFrame, inte {got}.",
    "err_ladder_n_boot": "n_boot={value} måste vara ett heltal som är minst 99 (9999 är "
                         "standardvärdet).",
    "err_ladder_seed": "seed={value} måste vara ett heltal >= 0 (eller utelämnas), så att körningen "
                       "kan upprepas.",
    "err_ladder_start_name": "start={value} måste vara namnet på en kolumn.",
    "err_ladder_no_start_column": "startkolumnen {column!r} finns inte i data.",
    "err_ladder_thresholds": "thresholds=... måste vara ett Thresholds-objekt från impacteval.",
    "err_ladder_plan": "plan=... måste vara en Plan från impacteval (ie.Plan).",
    "err_ladder_nothing": "ingen design kunde skattas från dessa data, inte ens en "
                          "uppföljning: {reason}",
    "err_ladder_register": "register() tar en Rung-instans med ett namn.",
    "err_ladder_registered": "ett steg med namnet {name!r} är redan registrerat.",
    "err_ladder_rung_texts": "steget {name!r} behöver texts[{lang!r}] med 'name' och 'rule'.",
    "err_ladder_no_design": "ingen design {name!r} finns på stegen; de som finns är {have}.",
    "err_ladder_no_report": "HTML-rapporten är inte tillgänglig: importera impacteval.report.",
    "err_lang": "lang={value} måste vara 'sv' eller 'en'.",
    "err_plan_primary": "en plan behöver ett primary_outcome.",
    "err_plan_value": "planens {field}={value} är inte något av {allowed}.",
    "err_plan_unknown": "okända fält i planen: {fields}.",
    "err_plan_format": "planen är inte giltig {fmt}: {detail}",
    "err_plan_toml_value": "kan inte skriva {value} som TOML.",
    "err_data_missing_file": "Den medföljande filen {file!r} saknas; installera om impacteval "
                             "eller kör `python -m impacteval.datasets.make` i en källkodskopia.",
    "err_data_unreadable": "Den medföljande filen {file!r} kan inte läsas: {detail}",
    "err_data_columns": "Den medföljande filen {file!r} har kolumnerna {got}, väntat {expected}; "
                        "skapa den på nytt med `python -m impacteval.datasets.make`.",
    "err_data_labels": "Kolumnen {column!r} i {file!r} har okända värden {bad}; tillåtna: "
                       "{allowed}.",
    "err_data_incomplete": "Kolumnen {column!r} i {file!r} har {n} saknade värden men måste vara "
                           "fullständig.",
    "err_data_not_teaching": "name={name} är ingen övningsdatamängd; välj en av {names}.",
    "err_data_zipped": "De medföljande CSV-filerna finns inte på disk (zippad installation); läs "
                       "dem med ie.datasets.load_NAME() i stället.",
    "err_data_not_bundled": "name={name} är ingen medföljande datamängd; välj en av {names}.",
    "err_report_needs_evaluation": "evaluation_html() behöver en Evaluation, en "
                                   "EvaluationCollection eller en lista av Evaluation (resultatet "
                                   "av ie.evaluate).",
    "err_report_no_covariates": "inga bakgrundsvariabler att modellera sannolikheten att delta "
                                "med",
    "err_report_suppress": "suppress_below={value} måste vara ett heltal >= 1.",
    "err_report_data": "data=... måste vara en pandas DataFrame (eller utelämnas).",
    "err_report_roles": "roles=... måste vara en mappning av argument till evaluate().",
    "err_report_economics": "economics=... måste vara resultat från impacteval.economics (med "
                            "summary()), text, eller en mappning eller lista av dem.",
    "err_plot_ladder": "ladder_plot() behöver en Evaluation (resultatet av ie.evaluate).",
    "err_plot_love": "love_plot() behöver en balanstabell med kolumnerna covariate, smd_before "
                     "och smd_after.",
    "err_plot_overlap_table": "overlap_plot() behöver en överlappstabell med kolumnerna column "
                              "och share_treated_outside, eller värden och grupptillhörighet.",
    "err_plot_overlap_treated": "overlap_plot(): argumentet treated=... (ett sant/falskt "
                                "värde per score) behövs tillsammans med scores.",
    "err_plot_overlap_sizes": "overlap_plot(): {n} värden men {m} markeringar av deltagare.",
    "err_plot_overlap_missing": "overlap_plot(): {n} värden saknas eller är oändliga.",
    "err_plot_overlap_groups": "overlap_plot() behöver värden för både deltagare och "
                               "jämförelseenheter.",
    "err_plot_no_draws": "bootstrap_plot(): skattningen sparade inga omdragningar; använd ett "
                         "intervall med omdragning (ci='percentile', 'bca', ...) för att spara "
                         "dem.",
    "err_plot_draws_missing": "bootstrap_plot(): alla skattningens omdragningar saknas.",
    "err_plot_event_time": "event_time_plot() behöver en skattning med tables['event_time'] "
                           "(ie.did med flera perioder) eller den tabellen.",
    "err_plot_event_columns": "event_time_plot(): tabellen behöver kolumnerna {columns}.",
    "err_thresholds_boundary": "attrition_boundary måste vara 'cautious' eller 'optimistic'.",
    "err_thresholds_negative": "gränsvärdet {name}={value} får inte vara negativt.",
    "err_io_sheet": "det första bladet i {name!r}, {sheet!r}, innehåller ingen tabell; bladen "
                    "är {sheets}. Välj ett med sheet=... (på kommandoraden: --sheet NAMN).",
}
