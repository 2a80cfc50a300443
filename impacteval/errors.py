"""Exceptions and warnings of impacteval.

Every error the package raises on purpose derives from :class:`ImpactEvalError`,
which also subclasses the builtin :class:`ValueError`, so ``except ValueError``
keeps working for callers that do not know the package. Messages name the
column or argument and the problem, give counts, and say what to do.

A message is either plain text or, for every error a user of the command line
can meet, a :class:`~impacteval.notes.Note` (a code with typed parameters and an
English and a Swedish template, codes ``err_*``): ``str(exc)`` is then the English
text and :meth:`ImpactEvalError.render` gives it in Swedish. The templates live in
``impacteval/_error_texts_input.py`` (reading data, roles, periods, the command
line, plans, the ladder and reports), ``impacteval/_error_texts_estimators.py``
(the estimators) and ``impacteval/_error_texts_analysis.py`` (inference,
diagnostics, sensitivity, economics, power).

Warnings derive from :class:`ImpactEvalWarning` (a ``UserWarning``); estimators
copy every warning they raise into ``Estimate.notes`` as well.
"""

from __future__ import annotations

__all__ = [
    "bad_choice",
    "bad_whole",
    "bad_flag",
    "ImpactEvalError",
    "DataError",
    "MissingColumnError",
    "ColumnTypeError",
    "LabelError",
    "DuplicateRowsError",
    "InsufficientDataError",
    "NoComparisonGroupError",
    "ArgumentError",
    "MethodError",
    "ImpactEvalWarning",
    "DroppedRowsWarning",
    "AssumptionWarning",
]


class ImpactEvalError(ValueError):
    """Base class of every error raised by impacteval on purpose.

    Parameters
    ----------
    message : str or Note
        The message; a :class:`~impacteval.notes.Note` carries a Swedish version too.

    Examples
    --------
    >>> from impacteval.errors import MissingColumnError
    >>> from impacteval.notes import Note
    >>> err = MissingColumnError(Note("err_example", column="belopp"))
    >>> str(err)
    "column 'belopp' is not in the data"
    >>> err.render("sv")
    "kolumnen 'belopp' finns inte i data"
    """

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` (``"en"`` or ``"sv"``); plain-text messages are English."""
        msg = self.args[0] if self.args else ""
        if hasattr(msg, "render") and hasattr(msg, "code"):
            return msg.render(lang, None)
        return str(msg)


class DataError(ImpactEvalError):
    """The data cannot be used as given (values, structure, missing data)."""


class MissingColumnError(DataError):
    """A column named in a role does not exist in the DataFrame."""


class ColumnTypeError(DataError):
    """A column has the wrong type (e.g. text where numbers are needed)."""


class LabelError(DataError):
    """A ``treated``/``control``/``pre``/``post`` value does not occur in its column."""


class DuplicateRowsError(DataError):
    """A unit has more than one row for the same period."""


class InsufficientDataError(DataError):
    """Too few units (or no variation) for the requested analysis."""


class NoComparisonGroupError(InsufficientDataError):
    """The group column holds only participants: no comparison group exists."""


class ArgumentError(ImpactEvalError):
    """A keyword argument has an invalid value or combination."""


class MethodError(ArgumentError):
    """An inference method is not valid for this design (e.g. ``ci="bca"`` with
    matching with replacement)."""


class ImpactEvalWarning(UserWarning):
    """Base class of warnings raised by impacteval."""


class DroppedRowsWarning(ImpactEvalWarning):
    """Rows were left out of the analysis (e.g. missing outcome); they are
    counted in ``Estimate.diagnostics["dropped"]``."""


class AssumptionWarning(ImpactEvalWarning):
    """An assumption of the design is doubtful in these data."""


# ------------------------------------------------------------------ common argument errors
def _or_list(options) -> object:
    """``'a', 'b' or 'c'`` in English, ``'a', 'b' eller 'c'`` in Swedish."""
    from .notes import LangText

    q = [repr(o) for o in options]
    if len(q) == 1:
        return LangText(en=q[0], sv=q[0])
    head = ", ".join(q[:-1])
    return LangText(en=f"{head} or {q[-1]}", sv=f"{head} eller {q[-1]}")


def bad_choice(arg: str, value: object, options, cls: type = ArgumentError) -> ImpactEvalError:
    """``arg=value must be 'a', 'b' or 'c'.`` in the user's language."""
    from .notes import Note

    return cls(Note("err_arg_choice", arg=arg, value=repr(value), options=_or_list(options)))


def bad_whole(arg: str, value: object, minimum: int) -> ArgumentError:
    """``arg=value must be a whole number ≥ minimum.``"""
    from .notes import Note

    return ArgumentError(Note("err_arg_whole", arg=arg, value=repr(value), minimum=minimum))


def bad_flag(arg: str, value: object) -> ArgumentError:
    """``arg=value must be True or False.``"""
    from .notes import Note

    return ArgumentError(Note("err_arg_flag", arg=arg, value=repr(value)))
