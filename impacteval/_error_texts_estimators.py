"""Error messages (codes ``err_*``) of the estimators (``impacteval/estimators/``),
in English and Swedish.

One entry a message: the same placeholders in both languages (``tests/test_error_language.py``
checks it, and that no Swedish template has English words).
"""

EN: dict[str, str] = {}

SV: dict[str, str] = {}
