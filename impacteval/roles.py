"""Roles and validation: a DataFrame plus keyword roles -> a validated :class:`Study`.

All input checking happens here, in one place, before any statistics. Every
problem raises an :mod:`impacteval.errors` exception whose message names the
column (or role) and the problem, and says what to do. Rows left out for
missing values are counted (``Study.dropped``) and a
:class:`~impacteval.errors.DroppedRowsWarning` is raised; nothing is dropped
silently. The caller's DataFrame is never modified: the study works on a copy
of only the columns it needs.
"""

from __future__ import annotations

import decimal
import re
import warnings
import weakref
from collections.abc import Hashable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import (
    ArgumentError,
    ColumnTypeError,
    DataError,
    DroppedRowsWarning,
    DuplicateRowsError,
    InsufficientDataError,
    LabelError,
    MissingColumnError,
    NoComparisonGroupError,
)
from .notes import LangText, Note
from .texts import Count

__all__ = ["Study", "prepare", "ASSIGNMENTS", "TREATED_COL"]

ASSIGNMENTS = (
    "randomized",
    "lottery_waitlist",
    "rule_cutoff",
    "capacity_waitlist",
    "self_selected",
    "unknown",
)

#: internal column holding the 0/1 treatment indicator
TREATED_COL = "__treated__"
#: internal column holding the comparison-group label of each row
ARM_COL = "__arm__"
POOLED_LABEL = "all others"


def _as_list(x: Any) -> list:
    if x is None:
        return []
    if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        return [x]
    return list(x)


def _plain(v: Any) -> Any:
    """numpy/pandas scalars as plain Python values, so messages read ``2``, not ``np.int64(2)``."""
    if isinstance(v, np.generic):
        return v.item()
    if isinstance(v, pd.Timestamp):
        return str(v.date()) if v == v.normalize() else str(v)
    return v


def _show(values: Iterable, k: int = 6) -> LangText:
    """Up to ``k`` values, quoted, for a message in either language (``str()``: English)."""
    vals = list(values)
    s = ", ".join(repr(_plain(v)) for v in vals[:k])
    if len(vals) <= k:
        return LangText(en=s, sv=s)
    return LangText(en=s + f", … ({len(vals)} in all)", sv=s + f", … ({len(vals)} totalt)")


#: the roles as a Swedish reader knows them (English: the argument's own name)
_ROLE_SV = {"outcome": "utfall", "unit": "enhet", "group": "grupp", "period": "period",
            "cluster": "kluster", "start": "start", "weights": "vikter",
            "covariate": "bakgrundsvariabel", "treated": "deltagarvärde",
            "control": "jämförelsevärde", "pre": "före", "post": "efter", "time": "tid"}


def role_text(role: str) -> LangText:
    """A role's name per language: ``"covariate age"`` reads ``"bakgrundsvariabel age"``."""
    head, _, rest = str(role).partition(" ")
    return LangText(en=str(role), sv=_ROLE_SV.get(head, head) + (" " + rest if rest else ""))


def match_label(series: pd.Series, value: Any, role: str, column: str) -> Any:
    """Return the value of ``series`` equal to ``value`` (tolerating ``"1"`` vs ``1``).

    Raises :class:`LabelError` naming the column and the values that exist.
    """
    uniques = pd.unique(series.dropna())
    for u in uniques:
        try:
            if bool(u == value):
                return u
        except (TypeError, ValueError):
            pass
    if pd.api.types.is_datetime64_any_dtype(series) and isinstance(value, str):
        # dates given as text ("2020-03-01") for a column of dates
        try:
            ts = pd.Timestamp(value)
        except (ValueError, TypeError):
            ts = None
        if ts is not None:
            for u in uniques:
                tu = pd.Timestamp(u)
                if ts.tzinfo is None and tu.tzinfo is not None:
                    tu = tu.tz_localize(None)  # a time-zone-aware column: its wall-clock date
                if tu == ts:
                    return u
    # tolerant match: compare as text (CLI passes strings; numbers may be 1 vs 1.0)
    sval = _norm_text(value)
    hits = [u for u in uniques if _norm_text(u) == sval]
    if len(hits) == 1:
        return hits[0]
    raise LabelError(Note("err_roles_no_label", role=role_text(role), value=_plain(value),
                          column=column, values=_show(sorted(uniques, key=str)),
                          hint=did_you_mean(value, uniques)))


def did_you_mean(value: Any, candidates: Iterable[Any]) -> LangText:
    """" Did you mean 'X'?" (sv " Menade du 'X'?") for the closest candidate (case and
    accents forgiven), or an empty text."""
    import difflib

    cands = [c for c in candidates if c is not None]
    by_text = {str(c).strip().lower(): c for c in cands}
    key = str(value).strip().lower()
    best = None
    if key in by_text and str(by_text[key]) != str(value):
        best = by_text[key]
    else:
        close = difflib.get_close_matches(key, list(by_text), n=1, cutoff=0.6)
        best = by_text[close[0]] if close else None
    if best is None:
        return LangText(en="", sv="")
    best = _plain(best)
    return LangText(en=f" Did you mean {best!r}?", sv=f" Menade du {best!r}?")


def _norm_text(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    s = str(v).strip()
    try:
        f = float(s.replace(",", "."))
        if f.is_integer():
            return str(int(f))
        return repr(f)
    except ValueError:
        return s.lower() if s.lower() in ("true", "false") else s


def numeric_column(df: pd.DataFrame, column: str, role: str) -> pd.Series:
    """``df[column]`` as float, or a :class:`ColumnTypeError` naming the column."""
    s = df[column]
    if pd.api.types.is_bool_dtype(s):
        return s.astype(float)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_complex_dtype(s):
        out = s.astype(float)
        if np.isinf(out.to_numpy()).any():
            n = int(np.isinf(out.to_numpy()).sum())
            raise DataError(Note("err_roles_infinite", role=role_text(role), column=column,
                                 n=n))
        return out
    if pd.api.types.is_datetime64_any_dtype(s) or isinstance(s.dtype, pd.PeriodDtype):
        raise ColumnTypeError(Note("err_roles_dates", role=role_text(role), column=column))
    if pd.api.types.is_complex_dtype(s) or pd.api.types.is_timedelta64_dtype(s):
        raise ColumnTypeError(Note("err_roles_not_real", role=role_text(role), column=column,
                                   dtype=str(s.dtype)))
    as_numbers = _numbers_in_text_column(s)
    if as_numbers is not None:
        return numeric_column(pd.DataFrame({column: as_numbers}), column, role)
    bad = [v for v in s.dropna().unique()[:50] if not _is_number(v)]
    hint = LangText(en="", sv="")
    if bad and all(isinstance(v, str) and _is_number(v.replace(",", ".")) for v in bad[:5]):
        if "impacteval_read" in df.attrs:  # read_table() already tried: the marks are mixed
            hint = LangText(
                en=" The column mixes decimal commas and decimal points (or other text); "
                   "make the decimal mark the same in every row of the source file.",
                sv=" Kolumnen blandar decimalkomma och decimalpunkt (eller annan text); "
                   "använd samma decimaltecken på varje rad i källfilen.")
        else:
            hint = LangText(
                en=" The values look like numbers with decimal commas; read the file with "
                   "impacteval.read_table() or pandas.read_csv(..., decimal=',').",
                sv=" Värdena ser ut som tal med decimalkomma; läs filen med "
                   "impacteval.read_table() eller pandas.read_csv(..., decimal=',').")
    raise ColumnTypeError(Note("err_roles_text", role=role_text(role), column=column,
                               examples=_show(bad[:3] or s.dropna().unique()[:3]), hint=hint))


_PLAIN_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _numbers_in_text_column(s: pd.Series) -> pd.Series | None:
    """A category, object or Decimal column whose values are all numbers (or numbers
    written with a decimal point) as floats; None when any value is text."""
    vals = s.dropna()
    if isinstance(s.dtype, pd.CategoricalDtype):
        vals = vals.astype(object)
    if not len(vals):
        return None
    ok = all((isinstance(v, (int, float, np.integer, np.floating, decimal.Decimal))
              and not isinstance(v, (bool, np.bool_)))
             or (isinstance(v, str) and _PLAIN_NUMBER.fullmatch(v.strip()) is not None)
             for v in vals.unique())
    if not ok:
        return None
    out = pd.Series(np.nan, index=s.index, dtype=float)
    out[vals.index] = [float(v) for v in vals]
    return out


def _is_number(v: Any) -> bool:
    if isinstance(v, (int, float, np.integer, np.floating)):
        return True
    try:
        float(v)
        return True
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True, eq=False)
class Study:
    """A validated description of a study: data plus roles.

    Built by :func:`prepare`; estimators use it, users rarely need it. ``data``
    is a private copy with the outcome (and numeric covariates) as float, an
    internal 0/1 column :data:`TREATED_COL` (``int8``) and the arm label column
    :data:`ARM_COL` (categorical: ``"treated"`` or a comparison label).
    """

    data: pd.DataFrame
    outcome: str
    unit: str | None = None
    group: str | None = None
    treated: Any = None
    controls: tuple = ()
    control_mode: str = "none"  # "none" | "pooled" | "each"
    period: str | None = None
    pre: tuple = ()
    post: tuple = ()
    covariates: tuple[str, ...] = ()
    cluster: str | None = None
    weights: str | None = None
    assignment: str = "unknown"
    binary: bool = False
    dropped: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def comparison_labels(self) -> list[str]:
        """The comparison-group labels as they appear in results."""
        if self.control_mode == "each":
            return [str(c) for c in self.controls]
        if self.control_mode == "pooled":
            return [POOLED_LABEL if len(self.controls) != 1 else str(self.controls[0])]
        return []

    def arm(self, label: str | None) -> pd.DataFrame:
        """Rows of the treated group plus the comparison group ``label``."""
        d = self.data
        if label is None or self.control_mode == "none":
            return d
        if self.control_mode == "pooled":
            return d
        return d[(d[TREATED_COL] == 1) | (d[ARM_COL] == label)]

    def units_in(self, frame: pd.DataFrame, treated: bool) -> int:
        mask = frame[TREATED_COL].to_numpy() == int(treated)
        if self.unit is not None:
            return int(pd.unique(frame[self.unit].to_numpy()[mask]).size)
        return int(np.count_nonzero(mask))


def prepare(
    df: pd.DataFrame,
    *,
    outcome: str,
    unit: str | None = None,
    group: str | None = None,
    treated: Any = None,
    control: Any = None,
    period: str | None = None,
    pre: Any = None,
    post: Any = None,
    covariates: Sequence[str] | None = None,
    cluster: str | None = None,
    weights: str | None = None,
    assignment: str = "unknown",
    need: Iterable[str] = (),
    min_units: int = 2,
    comparison: bool = True,
    cross_sections: bool = False,
) -> Study:
    """Validate ``df`` and the roles, and return a :class:`Study`.

    The work is done in steps, each a function of its own (and tested on its own):
    arguments, columns, key columns, numeric roles, groups, periods, covariates,
    missing values, duplicates and group sizes.

    Parameters
    ----------
    df : DataFrame
        Long format, one row per unit (and period).
    outcome, unit, group, treated, control, period, pre, post, covariates, cluster, weights, assignment
        The roles of SPEC 3.1.
    need : iterable of str
        Roles the calling estimator requires (e.g. ``("unit", "period")``).
    min_units : int
        Smallest number of units allowed in each compared group.
    comparison : bool
        Whether the caller compares participants with a comparison group. With
        ``False`` (follow-up, benchmark, before–after) ``group``/``treated`` only
        select the participants, and data holding participants only are fine.
    cross_sections : bool
        Allow ``period`` without ``unit``: repeated cross-sections (different people
        each period), every row its own unit.

    Returns
    -------
    Study

    Raises
    ------
    MissingColumnError, ColumnTypeError, LabelError, DuplicateRowsError,
    InsufficientDataError, DataError, ArgumentError

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0], "g": ["a", "a", "b", "b"]})
    >>> study = prepare(df, outcome="y", group="g", treated="a")
    >>> study.treated, study.controls, study.control_mode
    ('a', ('b',), 'pooled')
    """
    roles = {"outcome": outcome, "unit": unit, "group": group, "period": period,
             "cluster": cluster, "weights": weights}
    _check_arguments(df, roles, assignment, need)
    covs, named = _resolve_columns(df, roles, covariates)
    # the private copy: with copy-on-write (pandas >= 3) columns are copied only when
    # changed, so a large frame is not held twice
    data = df.loc[:, list(dict.fromkeys(named.values()))].copy(deep=not _COPY_ON_WRITE)
    # index level names may equal column names (df.set_index(..., drop=False)); pandas then
    # refuses to group by the column, so the private copy keeps the index without names
    data.index = data.index.set_names([None] * data.index.nlevels)
    n_rows = len(data)
    _check_key_columns(data, roles)
    if group is not None and unit is not None and not _checked(df, ("group", unit, group)):
        # a unit stays in one group: checked on every row, in every group (also the
        # groups not asked for) and every period, before anything is left out
        _check_one_group(data, unit, group)
        _mark_checked(df, ("group", unit, group))
    if cluster is not None and unit is not None:
        _check_one_cluster(data, unit, cluster)
    _numeric_roles(data, outcome, weights)
    data, treated_label, controls, control_mode = _resolve_groups(
        data, group, treated, control, comparison)
    data, pre_t, post_t, lost_units = _select_periods(data, period, unit, pre, post)
    _convert_covariates(data, covs)
    # duplicates first: a copy of a row with a missing outcome is still a copy
    if not (cross_sections and unit is None) and not _checked(df, ("rows", unit, period)):
        _check_duplicates(data, unit, period)
        if len(data) == len(df):  # every row checked: no later call on df needs it again
            _mark_checked(df, ("rows", unit, period))
    data, dropped = _drop_missing(data, outcome, covs, weights, n_rows)
    if lost_units:
        warnings.warn(
            Note("units_no_row", n=Count(lost_units), unit=unit,
                 periods=_show(list(pre_t) + list(post_t))),
            DroppedRowsWarning,
            stacklevel=3,
        )
        dropped = {**dropped, LOST_UNITS: lost_units}
    if len(data) == 0:
        raise DataError(Note("err_roles_no_rows_left",
                             n=int(sum(v for v in dropped.values() if isinstance(v, int)))))
    if group is not None:
        _check_group_sizes(data, group, unit, treated_label, controls, control_mode,
                           min_units, comparison)
    y = data[outcome].to_numpy()
    return Study(
        data=data, outcome=outcome, unit=unit, group=group, treated=treated_label,
        controls=controls, control_mode=control_mode, period=period, pre=pre_t, post=post_t,
        covariates=tuple(covs), cluster=cluster, weights=weights, assignment=assignment,
        binary=bool(len(y) and np.isin(y, (0.0, 1.0)).all()), dropped=dropped,
    )


#: pandas copies a frame's columns only when they are written (always from pandas 3)
_COPY_ON_WRITE = (int(pd.__version__.split(".")[0]) >= 3
                  or pd.get_option("mode.copy_on_write") is True)

#: frames whose unit-level checks passed, while :func:`checked_frames` is active:
#: ``id(df) -> (weak reference to df, {check keys})``. The frame is not held (a frame the
#: ladder made for one comparison group is freed when that group is done); a dead
#: reference, or one to another frame that took the same id, vouches for nothing.
_CHECKED: ContextVar[dict[int, tuple[weakref.ref, set]] | None] = ContextVar(
    "impacteval_checked_frames", default=None)


@contextmanager
def checked_frames() -> Iterator[None]:
    """Within this block, :func:`prepare` checks a frame's units (one group per unit, one
    row per unit and period) once: later calls on the same (unchanged) frame object skip
    checks that passed on all its rows. The ladder calls ``prepare`` once per design on
    the same data; the checks' result cannot differ between those calls."""
    token = _CHECKED.set({})
    try:
        yield
    finally:
        _CHECKED.reset(token)


def _checked(df: pd.DataFrame, key: tuple) -> bool:
    reg = _CHECKED.get()
    hit = reg.get(id(df)) if reg is not None else None
    return hit is not None and hit[0]() is df and key in hit[1]


def _mark_checked(df: pd.DataFrame, key: tuple) -> None:
    reg = _CHECKED.get()
    if reg is None:
        return
    for k in [k for k, (ref, _) in reg.items() if ref() is None]:
        del reg[k]  # frames freed since: their ids may be reused
    hit = reg.get(id(df))
    if hit is None or hit[0]() is not df:
        hit = reg[id(df)] = (weakref.ref(df), set())
    hit[1].add(key)


def inherit_checks(parent: pd.DataFrame, rows: pd.DataFrame) -> None:
    """``rows``, a frame of some of ``parent``'s rows (and columns), passes the unit checks
    ``parent`` passed on all its rows (one group per unit, one row per unit and period hold
    on any subset): :func:`prepare` does not make them again on it."""
    reg = _CHECKED.get()
    hit = reg.get(id(parent)) if reg is not None else None
    if hit is None or hit[0]() is not parent:
        return
    for key in hit[1]:
        if all(c in rows.columns for c in key[1:] if c is not None):
            _mark_checked(rows, key)


#: the ``Study.dropped`` key for units that have no row in the periods analysed
LOST_UNITS = "units without a row in the periods analysed"


def _check_arguments(df: Any, roles: dict[str, Any], assignment: Any,
                     need: Iterable[str]) -> None:
    """Step 1: the arguments themselves (types, one column per role, required roles)."""
    if not isinstance(df, pd.DataFrame):
        raise ArgumentError(Note("err_roles_not_frame", got=type(df).__name__))
    if not isinstance(assignment, str) or assignment not in ASSIGNMENTS:
        raise ArgumentError(Note("err_roles_assignment", value=str(assignment),
                                 allowed=", ".join(ASSIGNMENTS)))
    for role, col in roles.items():
        if col is not None and (isinstance(col, (list, tuple, set, dict, pd.Index, np.ndarray))
                                or not isinstance(col, Hashable)):
            raise ArgumentError(Note("err_roles_one_column", role=role, value=repr(col)))
    for r in need:
        if roles.get(r) is None:
            raise ArgumentError(Note("err_roles_needs_role", role=r))
    if roles["outcome"] is None:
        raise ArgumentError(Note("err_roles_needs_outcome"))


def _resolve_columns(df: pd.DataFrame, roles: dict[str, Any],
                     covariates: Sequence[str] | None) -> tuple[list, dict[str, Any]]:
    """Step 2: every named column exists once, and no column plays two roles.

    Returns the covariate names and ``{role: column}`` for every role given.
    """
    covs = ([c if c in df.columns else str(c) for c in _as_list(covariates)]
            if covariates is not None else [])
    if len(set(covs)) < len(covs):
        raise ArgumentError(Note("err_roles_covariate_twice", value=repr(covs)))
    named = {k: v for k, v in roles.items() if v is not None}
    for c in covs:
        named[f"covariate {c}"] = c
    for role, col in named.items():
        if not isinstance(col, Hashable) or col not in df.columns:
            hint = did_you_mean(col, df.columns)
            raise MissingColumnError(Note("err_roles_no_column", role=role_text(role),
                                          column=_plain(col), columns=_show(list(df.columns), 12),
                                          hint=hint))
    seen: dict = {}
    for role, col in named.items():
        if col in seen:
            raise ArgumentError(Note("err_roles_two_roles", column=col,
                                     first=role_text(seen[col]), second=role_text(role)))
        seen[col] = role
    if len(df) == 0:
        raise DataError(Note("err_roles_no_data_rows"))
    for role, col in named.items():
        k = int((df.columns == col).sum())
        if k > 1:
            raise DataError(Note("err_roles_column_repeated", role=role_text(role), column=col,
                                 k=k))
    return covs, named


def _check_key_columns(data: pd.DataFrame, roles: dict[str, Any]) -> None:
    """Step 3: group, unit, period and cluster have no missing or infinite value."""
    n_rows = len(data)
    for role in ("group", "unit", "period", "cluster"):
        col = roles[role]
        if col is None:
            continue
        n_na = int(data[col].isna().sum())
        if n_na:
            raise DataError(Note("err_roles_key_missing", role=role_text(role), column=col,
                                 n=n_na, rows=n_rows))
        if pd.api.types.is_float_dtype(data[col]):
            n_inf = int(np.isinf(data[col].to_numpy(dtype=float)).sum())
            if n_inf:
                raise DataError(Note("err_roles_key_infinite", role=role_text(role),
                                     column=col, n=n_inf))


def _numeric_roles(data: pd.DataFrame, outcome: Hashable, weights: Hashable | None) -> None:
    """Step 4: the outcome (and weights) as float, in place on the private copy."""
    data[outcome] = numeric_column(data, outcome, "outcome")
    if weights is None:
        return
    data[weights] = numeric_column(data, weights, "weights")
    if (data[weights] < 0).any():
        raise DataError(Note("err_roles_negative_weights", column=weights,
                             n=int((data[weights] < 0).sum())))
    if not (data[weights] > 0).any():
        raise DataError(Note("err_roles_no_positive_weight", column=weights))


def _resolve_groups(data: pd.DataFrame, group: Hashable | None, treated: Any, control: Any,
                    comparison: bool) -> tuple[pd.DataFrame, Any, tuple, str]:
    """Step 5: the treated label, the comparison labels and the internal arm columns.

    Rows of groups not asked for (``control=`` names a subset) are not analysed; that
    is a choice of the caller, not a loss of data.

    Returns ``(data, treated_label, controls, control_mode)``.
    """
    if group is None:
        data[TREATED_COL] = np.ones(len(data), dtype=np.int8)
        data[ARM_COL] = "treated"
        return data, None, (), "none"
    g = data[group]
    labels = _distinct(g)
    treated_label = (_default_treated(labels, group) if treated is None
                     else match_label(labels, treated, "treated", group))
    is_t = (g == treated_label).to_numpy()
    if control is None:
        controls = tuple(pd.unique(g[~is_t]))
        control_mode = "pooled"
    else:
        controls = tuple(match_label(labels, c, "control", group) for c in _as_list(control))
        if any(c == treated_label for c in controls):
            raise ArgumentError(Note("err_roles_control_is_treated", value=repr(control),
                                     label=_plain(treated_label)))
        control_mode = "each" if len(controls) > 1 else "pooled"
        keep = is_t | g.isin(list(controls)).to_numpy()
        if not keep.all():
            data = data[keep]
            is_t = is_t[keep]
    # 0/1 in one byte per row (an int64 column took eight)
    data[TREATED_COL] = is_t.astype(np.int8)
    data[ARM_COL] = _arm_labels(data[group], is_t)
    if not controls and comparison:
        raise NoComparisonGroupError(Note("err_roles_no_comparison", column=group,
                                          label=_plain(treated_label)))
    return data, treated_label, controls, control_mode


def _arm_labels(g: pd.Series, is_t: np.ndarray) -> Any:
    """``"treated"`` for participants, else the group label as text: the text of each
    distinct label is made once and taken by integer code (as fast on 24 million rows
    as on 24; the values of ``np.where(is_t, "treated", g.astype(str))``). A categorical
    column: one byte per row for a few groups, where text takes about eleven."""
    codes, uniques = pd.factorize(g, use_na_sentinel=False)
    text = list(pd.Series(uniques).astype(str)) + ["treated"]
    cats = list(dict.fromkeys(text))  # two labels may read the same as text
    small = np.int8 if len(cats) < 127 else np.int16 if len(cats) < 32_000 else np.int32
    where = np.array([cats.index(t) for t in text], dtype=small)
    idx = codes.astype(small, copy=False) if len(text) - 1 <= np.iinfo(small).max else codes
    idx = np.where(is_t, np.asarray(len(text) - 1, dtype=idx.dtype), idx)
    return pd.Categorical.from_codes(where[idx], categories=pd.Index(cats, dtype=object))


def _distinct(series: pd.Series) -> pd.Series:
    """The distinct non-missing values of ``series`` with its dtype: labels are matched
    against them (once per column, not once per label on every row)."""
    return pd.Series(pd.unique(series.dropna()), dtype=series.dtype)


def _select_periods(data: pd.DataFrame, period: Hashable | None, unit: Hashable | None,
                    pre: Any, post: Any) -> tuple[pd.DataFrame, tuple, tuple, int]:
    """Step 6: match ``pre``/``post`` to the period column and keep only those rows.

    Returns ``(data, pre, post, n_lost)`` where ``n_lost`` counts the units that have
    no row in the periods analysed (they would otherwise vanish unseen).
    """
    if period is None:
        if pre is not None or post is not None:
            raise ArgumentError(Note("err_roles_prepost_need_period"))
        return data, (), (), 0
    p = _distinct(data[period])
    pre_t = tuple(match_label(p, v, "pre", period) for v in _as_list(pre))
    post_t = tuple(match_label(p, v, "post", period) for v in _as_list(post))
    for name, given in (("pre", pre_t), ("post", post_t)):
        twice = [v for v in dict.fromkeys(given) if given.count(v) > 1]
        if twice:
            raise ArgumentError(Note("err_roles_period_twice", name=name, periods=_show(twice),
                                     fix=repr([_plain(v) for v in dict.fromkeys(given)])))
    if post is not None and not post_t and pre_t:
        raise ArgumentError(Note("err_roles_post_empty", column=period))
    both = set(pre_t) & set(post_t)
    if both:
        raise ArgumentError(Note("err_roles_pre_post_overlap", periods=_show(both)))
    wanted = list(pre_t) + list(post_t)
    n_lost = 0
    if wanted:
        keep = data[period].isin(wanted).to_numpy()
        if unit is not None and not keep.all():
            before = data[unit].drop_duplicates()
            n_lost = int((~before.isin(set(data.loc[keep, unit].unique()))).sum())
        if not keep.all():
            data = data[keep]
    return data, pre_t, post_t, n_lost


def _convert_covariates(data: pd.DataFrame, covs: Sequence[Hashable]) -> None:
    """Step 7: numeric covariates as float; text covariates are kept as categories (and
    dummy-coded where a model needs them); dates are refused."""
    for c in covs:
        s = data[c]
        if pd.api.types.is_bool_dtype(s):
            data[c] = s.astype(float)
        elif pd.api.types.is_numeric_dtype(s):
            data[c] = numeric_column(data, c, "covariate")
        elif pd.api.types.is_datetime64_any_dtype(s):
            raise ColumnTypeError(Note("err_roles_covariate_dates", column=c))
        else:
            _check_text_covariate(s, c)


def _drop_missing(data: pd.DataFrame, outcome: Hashable, covs: Sequence[Hashable],
                  weights: Hashable | None, n_rows: int) -> tuple[pd.DataFrame, dict[str, int]]:
    """Step 8: count and drop rows with a missing outcome, covariate or weight (warned)."""
    dropped: dict[str, int] = {}
    parts: list[Note] = []
    checks = [(outcome, "missing outcome", "part_missing_outcome")] + [
        (c, f"missing covariate {c}", "part_missing_covariate") for c in covs]
    if weights is not None:
        checks.append((weights, "missing weights", "part_missing_weights"))
    for col, reason, code in checks:
        miss = data[col].isna()
        if miss.any():
            dropped[reason] = int(miss.sum())
            parts.append(Note(code, n=Count(dropped[reason]), column=col))
            data = data[~miss]
    if dropped:
        warnings.warn(
            Note("rows_left_out", n=Count(sum(dropped.values())), total=Count(n_rows),
                 detail=tuple(parts)),
            DroppedRowsWarning,
            stacklevel=4,
        )
    return data, dropped


def _check_duplicates(data: pd.DataFrame, unit: Hashable | None,
                      period: Hashable | None) -> None:
    """Step 9: one row per unit (and period); a period needs a unit."""
    if unit is None:
        if period is not None:
            raise ArgumentError(Note("err_roles_period_needs_unit"))
        return
    keys = [unit] + ([period] if period is not None else [])
    dup = data.duplicated(keys, keep=False)
    if dup.any():
        ex = data.loc[dup, keys].head(2).to_dict("records")
        raise DuplicateRowsError(Note(
            "err_roles_duplicates_period" if period is not None else "err_roles_duplicates",
            n=int(dup.sum()), unit=unit, period=period, example=str(ex)))


def _check_group_sizes(data: pd.DataFrame, group: Hashable, unit: Hashable | None,
                       treated_label: Any, controls: tuple, control_mode: str,
                       min_units: int, comparison: bool) -> None:
    """Step 10: at least ``min_units`` units with data in every compared group."""
    def n_units(mask: np.ndarray) -> int:
        # distinct units of one column's masked values (no copy of the rows)
        if unit is None:
            return int(np.count_nonzero(mask))
        return int(pd.unique(data[unit].to_numpy()[mask]).size)

    nt = n_units(data[TREATED_COL].to_numpy() == 1)
    if nt < min_units:
        raise InsufficientDataError(Note("err_roles_few_treated", column=group,
                                         label=_plain(treated_label), n=nt, need=min_units))
    if not comparison:
        return
    if control_mode == "each":
        arms = [(c, (data[group] == c).to_numpy()) for c in controls]
    else:
        lab = controls[0] if len(controls) == 1 else None
        arms = [(lab, data[TREATED_COL].to_numpy() == 0)]
    for lab, mask in arms:
        n = n_units(mask)
        if n < min_units:
            code = ("err_roles_few_pooled" if lab is None else
                    "err_roles_few_control" if control_mode == "each" else "err_roles_few_label")
            raise InsufficientDataError(Note(
                code,
                column=group, label=_plain(lab), n=n, need=min_units))


def _units_varying(data: pd.DataFrame, unit: Hashable, column: Hashable) -> tuple[int, list]:
    """How many units take more than one value of ``column``, and up to three of them."""
    per_unit = data.groupby(unit, sort=False, observed=True)[column].nunique()
    bad = per_unit[per_unit > 1]
    return int(len(bad)), [_plain(v) for v in bad.index[:3]]


def _check_one_group(data: pd.DataFrame, unit: Hashable, group: Hashable) -> None:
    n, bad = _units_varying(data, unit, group)
    if n:
        raise DataError(Note("err_roles_unit_two_groups", n=n, unit=unit, group=group,
                             example=str(bad)))


def _check_one_cluster(data: pd.DataFrame, unit: Hashable, cluster: Hashable) -> None:
    n, bad = _units_varying(data, unit, cluster)
    if n:
        raise DataError(Note("err_roles_unit_two_clusters", n=n, unit=unit, cluster=cluster,
                             example=str(bad)))


def _check_text_covariate(s: pd.Series, column: Hashable) -> None:
    """Text covariates are categories; numbers with decimals stored as text are a mistake
    (a CSV read with the wrong decimal mark) and would become one dummy per value."""
    vals = s.dropna()
    if not len(vals) or isinstance(s.dtype, pd.CategoricalDtype):
        return
    txt = vals.astype(str).str.strip()
    looks = txt.str.fullmatch(r"[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?")
    if bool(looks.all()) and bool(txt.str.contains(r"[.,]").any()):
        raise ColumnTypeError(Note("err_roles_covariate_text_numbers", column=column,
                                   examples=_show(txt.unique()[:3])))


def _default_treated(g: pd.Series, column: str) -> Any:
    uniques = list(pd.unique(g))
    for cand in (True, 1):
        for u in uniques:
            if isinstance(u, (bool, np.bool_)) or isinstance(u, (int, float, np.integer, np.floating)):
                if u == cand:
                    return u
    raise LabelError(Note("err_roles_no_default_treated", column=column,
                          values=_show(sorted(map(str, uniques)))))


def check_variation(y: np.ndarray, column: str, what: str = "outcome") -> None:
    """Raise :class:`InsufficientDataError` when ``y`` is constant."""
    if len(y) and np.ptp(y) == 0:
        raise InsufficientDataError(Note("err_roles_constant", role=role_text(what),
                                         column=column, value=float(y[0])))
