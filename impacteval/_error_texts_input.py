"""Error messages (codes ``err_*``) of reading data, roles, periods, the command line,
plans, datasets, the ladder and reports, in English and Swedish.

One entry a message: the same placeholders in both languages (``tests/test_error_language.py``
checks it, and that no Swedish template has English words).
"""

EN: dict[str, str] = {
    "err_example": "column {column!r} is not in the data",
}

SV: dict[str, str] = {
    "err_example": "kolumnen {column!r} finns inte i data",
}
