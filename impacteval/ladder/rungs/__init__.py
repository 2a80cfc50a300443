"""The rungs of the evaluation ladder, one module each.

Importing a module registers its rung (its last line is ``register(...)``).
Rungs of equal score are tried in the order of the imports below (``did`` before
``matched``, ``comparison`` before ``benchmark``), so this list is not sorted
alphabetically. A new rung: its module, and one line here.
"""

from . import (  # noqa: F401, I001  (imported for registration, in tie order)
    randomized,
    natural_experiment,
    matched_did,
    synthetic_control,
    did,
    matched,
    adjusted_comparison,
    comparison,
    benchmark,
    interrupted_time_series,
    before_after,
    follow_up,
)
