"""Periods as people write them, in time order.

A period column may hold numbers (1, 2, -12), years, months ``2012-01`` (or
``2012-1``), dates ``2012-01-31``, Excel dates read as timestamps, quarters
``2013 Q1`` / ``2013K1`` and ISO weeks ``2013-W05`` / ``v. 5 2013``. Text sorts
alphabetically ("2020-10" before "2020-9"), so every design that needs the order
of periods (the reference period, pre-trends, event time) asks
:func:`chronological` instead of ``sorted``. Written by hand: the recognisers of
these formats (pandas parses dates, not quarters or Swedish week numbers).

Examples
--------
>>> chronological(["2020-10", "2020-9", "2020-11"])
['2020-9', '2020-10', '2020-11']
>>> chronological(["2013 Q2", "2012 Q4", "2013 Q1"])
['2012 Q4', '2013 Q1', '2013 Q2']
>>> chronological([3, 1, 2])
[1, 2, 3]
>>> chronological(["före", "efter"])
['före', 'efter']
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["period_key", "chronological", "to_keys"]

_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})\s*[-:]?\s*[QqKk]([1-4])$|^[QqKk]([1-4])\s*[-:]?\s*(\d{4})$")
_WEEK = re.compile(r"^(\d{4})\s*[-]?\s*[Ww]\s*(\d{1,2})$|^(?:v\.?|vecka|w|week)\s*(\d{1,2})"
                   r"\s*[-,]?\s*(\d{4})$", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+\u2212]?\d+(?:[.,]\d+)?$")


def _days(y: int, m: int, d: int = 1) -> float | None:
    try:
        return float(_dt.date(y, m, d).toordinal())
    except ValueError:
        return None


def period_key(v: Any) -> float | None:
    """A number that orders periods in time, or None when ``v`` is not a period we read.

    Numbers keep their value; months, dates, quarters and weeks become the day number
    (proleptic Gregorian ordinal) of their first day.
    """
    if v is None or isinstance(v, (bool, np.bool_)):
        return None
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        ts = pd.Timestamp(v)
        if ts is pd.NaT:
            return None
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        return float(ts.toordinal()) + (ts - ts.normalize()) / pd.Timedelta(days=1)
    if isinstance(v, pd.Period):
        return period_key(v.start_time)
    if not isinstance(v, str):
        return None
    s = v.strip()
    if _NUMBER.match(s):
        return float(s.replace("\u2212", "-").replace(",", "."))
    m = _MONTH.match(s)
    if m and 1 <= int(m.group(2)) <= 12:
        return _days(int(m.group(1)), int(m.group(2)))
    m = _DAY.match(s)
    if m:
        return _days(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _QUARTER.match(s)
    if m:
        y, q = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return _days(int(y), 3 * int(q) - 2)
    m = _WEEK.match(s)
    if m:
        y, w = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        try:
            return float(_dt.date.fromisocalendar(int(y), int(w), 1).toordinal())
        except ValueError:
            return None
    return None


def chronological(values: Iterable[Any]) -> list[Any]:
    """``values`` in time order (see :func:`period_key`); when they are not all periods
    we can read (labels such as "före"/"efter"), their given order is kept: ``pre``
    before ``post`` as the caller named them."""
    vals = list(values)
    keys = [period_key(v) for v in vals]
    if vals and all(k is not None for k in keys):
        return [v for _, _, v in sorted(zip(keys, range(len(vals)), vals, strict=True))]
    return vals


def to_keys(values: Any) -> pd.Series:
    """A column of periods (or of start periods) as :func:`period_key` numbers; a
    missing or unreadable value becomes NaN. Numeric columns keep their numbers."""
    s = pd.Series(values)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return pd.to_numeric(s, errors="coerce").astype(float)
    uniq = pd.unique(s.dropna())
    lut = {v: period_key(v) for v in uniq}
    return s.map(lambda v: lut.get(v) if v in lut else None).astype(float)
