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
    "err_io_sheet": "det första bladet i {name!r}, {sheet!r}, innehåller ingen tabell; bladen "
                    "är {sheets}. Välj ett med sheet=... (på kommandoraden: --sheet NAMN).",
}
