"""The result protocol shared by every result type of the package.

``Estimate``, ``EstimateCollection``, ``Evaluation``, ``EvaluationCollection``, the
economics results, the sensitivity results and ``PowerResult`` all answer the same four
calls, as statsmodels' results do:

- ``summary(lang="en")``: plain text for a terminal, in English or Swedish;
- ``tidy()``: a DataFrame with stable snake_case columns (estimatr/broom style);
- ``to_dict(include_ids=False)``: JSON-ready, never row data, unit ids only on request;
- ``_repr_html_()``: the summary for notebooks.

Examples
--------
>>> import impacteval as ie
>>> from impacteval._protocol import Result
>>> df = ie.datasets.load_teaching("follow_up")
>>> r = ie.follow_up(df, **ie.datasets.teaching_roles("follow_up"))
>>> isinstance(r, Result)
True
"""

from __future__ import annotations

import html
from typing import Any, Protocol, runtime_checkable

import pandas as pd

from .errors import ArgumentError
from .notes import Note

__all__ = ["Result", "HtmlFromSummary", "check_lang", "LANGS"]

LANGS = ("en", "sv")


@runtime_checkable
class Result(Protocol):
    """What every result answers (see the module docstring)."""

    def summary(self, lang: str = "en") -> str: ...

    def tidy(self) -> pd.DataFrame: ...

    def to_dict(self, *, include_ids: bool = False) -> dict[str, Any]: ...

    def _repr_html_(self) -> str: ...


def check_lang(lang: Any) -> str:
    """``lang`` if it is a language the package writes, else an :class:`ArgumentError`."""
    if lang not in LANGS:
        raise ArgumentError(Note("err_lang", value=repr(lang)))
    return lang


class HtmlFromSummary:
    """``_repr_html_`` and ``__str__`` from ``summary()`` (a mixin)."""

    __slots__ = ()

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(self.summary()) + "</pre>"  # type: ignore[attr-defined]

    def __str__(self) -> str:
        return self.summary()  # type: ignore[attr-defined]
