"""Reading the files users really have: CSV exported from Swedish Excel or
welfare systems (``;`` or ``,`` separators, decimal commas, thousands separators,
``-``/``saknas`` for missing values, a "Summa" row, UTF-8 with or without BOM,
Windows-1252, Latin-1), Excel ``.xlsx`` and Parquet.

pandas does the parsing; this module only detects the dialect (separator,
decimal mark, encoding), converts what Swedish systems write into numbers and
missing values, and turns every failure into a :class:`~impacteval.errors.DataError`
that names the file and the problem. Every conversion is counted: the counts are
in ``df.attrs["impacteval_read"]`` and in one :class:`ReadWarning` (English and
Swedish, see :mod:`impacteval.notes`). Written by hand: the recognisers of
Swedish number formats and missing-value markers (pandas has no locale-aware
number parser).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError, ImpactEvalWarning
from .notes import LangText, Note

__all__ = ["read_table", "EncodingWarning", "ReadWarning", "MISSING_MARKERS", "MAX_BYTES"]

#: what Swedish systems write for a missing value (compared after stripping spaces,
#: case-insensitively); the empty cell is missing too
MISSING_MARKERS = ("-", "–", "—", "..", "NA", "N/A", "#N/A", "NaN", "NULL", "saknas",
                   "uppgift saknas", "x")
#: words that start a totals row ("Summa", "Totalt") in any text cell
TOTAL_WORDS = ("summa", "totalt", "total", "totalsumma", "sum", "samtliga")
#: files larger than this are refused before they are read (raise it with max_bytes=)
MAX_BYTES = 2_000_000_000


class EncodingWarning(ImpactEvalWarning):
    """The file was not UTF-8 and was read as Windows-1252 or Latin-1."""


class ReadWarning(ImpactEvalWarning):
    """Values were converted while reading (numbers, missing markers, a totals row)."""


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab-separated
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(Note("err_io_utf16", name=name)) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Windows-1252 is what Swedish Excel writes; it differs from Latin-1 only in bytes
    # 0x80-0x9F (en dash, quotes, €), which are control characters in Latin-1
    try:
        text = raw.decode("cp1252")
        enc = "Windows-1252"
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        enc = "Latin-1 (ISO 8859-1)"
    warnings.warn(Note("read_encoding", name=name, encoding=enc), EncodingWarning,
                  stacklevel=3)
    return text


_SEP_HINT = re.compile(r"\A[ \t]*sep=(.)[ \t]*\n")
# thousands separators: space, no-break space, narrow no-break space, apostrophes
_THOU = "[ \u00a0\u202f'\u2019]"
_SIGN = "[-+\u2212]?"
# "1 234,5" / "8 689,00" / "1'234,5" / "950,50" / "-12" (decimal comma)
_NUM_COMMA = re.compile(rf"{_SIGN}\d{{1,3}}(?:{_THOU}\d{{3}})+(?:,\d+)?|{_SIGN}\d+(?:,\d+)?")
_NUM_COMMA_OR_PARSED = re.compile(rf"{_NUM_COMMA.pattern}|{_SIGN}\d+\.\d+")
# "1 234.5" / "950.50" (decimal point, thousands by spaces or apostrophes only)
_NUM_POINT = re.compile(rf"{_SIGN}\d{{1,3}}(?:{_THOU}\d{{3}})+(?:\.\d+)?|{_SIGN}\d+(?:\.\d+)?"
                        rf"(?:[eE][-+]?\d+)?")


def _to_number(txt: pd.Series, decimal: str) -> pd.Series:
    clean = txt.str.replace(_THOU, "", regex=True).str.replace("\u2212", "-", regex=False)
    if decimal == ",":
        clean = clean.str.replace(",", ".", regex=False)
    return pd.to_numeric(clean)


def _convert_text_columns(df: pd.DataFrame, decimal: str, na_markers: tuple[str, ...],
                          report: dict[str, Any]) -> pd.DataFrame:
    """Text columns whose values are all numbers as Swedish systems write them (thousands
    separators, a decimal comma) or a missing-value marker become numbers; the markers
    become missing values. Columns with any other text are left as they are."""
    markers = {m.strip().lower() for m in na_markers}
    # with decimal=",", pandas rewrites the values it can parse ("0,00" -> "0.00") even
    # in a column it leaves as text: those are numbers too
    pattern = _NUM_COMMA_OR_PARSED if decimal == "," else _NUM_POINT
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_numeric_dtype(s) or isinstance(s.dtype, pd.CategoricalDtype):
            continue
        vals = s.dropna()
        if not len(vals) or not all(isinstance(v, str) for v in vals):
            continue
        txt = vals.str.strip()
        is_na = txt.str.lower().isin(markers) | (txt == "")
        nums = txt[~is_na]
        if not len(nums) or not nums.str.fullmatch(pattern).all():
            continue
        out = pd.Series(float("nan"), index=s.index, dtype=float)
        out[nums.index] = _to_number(nums, decimal)
        df[c] = out
        grouped = int(nums.str.contains(_THOU).sum())
        if grouped:
            report["thousands"][str(c)] = grouped
        if is_na.any():
            for m, k in txt[is_na].value_counts().items():
                report["missing"].setdefault(str(c), {})[m or "(empty)"] = int(k)
    return df


def _drop_totals(df: pd.DataFrame, report: dict[str, Any]) -> pd.DataFrame:
    """Rows whose first text cell is "Summa", "Totalt" or the like are totals, not people."""
    text_cols = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    if not text_cols:
        return df
    first = df[text_cols].bfill(axis=1).iloc[:, 0].astype("string").str.strip().str.lower()
    word = first.str.extract(r"^([a-zåäö]+)", expand=False)
    is_total = word.isin(TOTAL_WORDS).fillna(False).to_numpy(bool)
    if is_total.any():
        report["totals"] = int(is_total.sum())
        df = df[~is_total].reset_index(drop=True)
    return df


def _sniff(text: str) -> tuple[str, str]:
    """Separator and decimal mark from the first lines."""
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    head = "\n".join(lines)
    counts = {sep: sum(ln.count(sep) for ln in lines) for sep in (";", ",", "\t")}
    try:
        sep = csv.Sniffer().sniff(head, delimiters=";,\t").delimiter
    except csv.Error:
        sep = max(counts, key=counts.get) if any(counts.values()) else ","
    if counts.get(";", 0) and counts[";"] >= counts.get(",", 0):
        sep = ";"
    decimal = "."
    if sep != ",":
        body = "\n".join(lines[1:])
        if re.search(r"(?<![\w.])-?\d+,\d+(?![\w,])", body) and not re.search(r"\d+\.\d+", body):
            decimal = ","
    return sep, decimal


def read_table(path: str | Path, *, sheet: str | int | None = None,
               na_values: tuple[str, ...] | list[str] | None = None,
               max_bytes: int = MAX_BYTES, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV, Excel (.xlsx) or Parquet file into a DataFrame.

    CSV files: the separator (``;``, ``,`` or tab) and the decimal mark are
    detected, a UTF-8 BOM is removed, and a file that is not UTF-8 is read as
    Windows-1252 (or Latin-1) with a warning. Excel's habits are understood: a
    ``sep=;`` first line, UTF-16 "Unicode text" exports, CR-only line ends,
    numbers with thousands separators (space, no-break space, apostrophe) such as
    ``8 689,00``, missing values written as ``-``, ``..``, ``NA`` or ``saknas``,
    and a totals row ("Summa", "Totalt"), which is removed. Every conversion is
    counted in ``df.attrs["impacteval_read"]`` and reported in one
    :class:`ReadWarning`; nothing is dropped silently.

    Parameters
    ----------
    path : str or Path
    sheet : str or int, optional
        Excel sheet (default: the first; when it holds no table, the error lists
        the sheets).
    na_values : sequence of str, optional
        The texts that mean "missing" (default :data:`MISSING_MARKERS`).
    max_bytes : int
        Files larger than this are refused before reading (default 2 GB).
    **kwargs
        Passed to the pandas reader (e.g. ``sep=`` to override detection).

    Returns
    -------
    DataFrame

    Raises
    ------
    DataError
        The file is missing, empty or cannot be parsed.

    Examples
    --------
    >>> import impacteval as ie
    >>> from importlib import resources
    >>> p = resources.files("impacteval.datasets.data") / "teaching_did_excel_sv.csv"
    >>> ie.read_table(p).shape[0]
    120
    """
    p = Path(str(path))
    if not p.exists():
        raise DataError(Note("err_io_no_file", path=str(path)))
    if p.is_dir():
        raise DataError(Note("err_io_folder", path=str(path)))
    if not p.is_file():
        raise DataError(Note("err_io_not_regular", path=str(path)))
    size = p.stat().st_size
    if size > max_bytes:
        raise DataError(Note("err_io_too_large", name=p.name, gb=round(size / 1e9, 1),
                             limit=max_bytes / 1e9))
    markers = tuple(MISSING_MARKERS if na_values is None else na_values)
    report: dict[str, Any] = {"thousands": {}, "missing": {}, "totals": 0}
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            df = _read_excel(p, sheet, kwargs)
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(p, **kwargs)
        else:
            raw = p.read_bytes()
            if not raw.strip():
                raise DataError(Note("err_io_empty", name=p.name))
            utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
            if b"\x00" in raw[:4096] and not utf16:
                raise DataError(Note("err_io_not_text", name=p.name))
            text = _decode(raw, repr(p.name))
            # old Mac Excel ends lines with CR only; the python engine needs \n
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            hint = _SEP_HINT.match(text)
            if hint:  # Excel's "sep=;" first line
                text = text[hint.end():]
                if not text.strip():
                    raise DataError(Note("err_io_no_rows", name=p.name))
            sep, decimal = _sniff(text)
            if hint:
                sep = hint.group(1)
            opts = {"sep": sep, "decimal": decimal, "engine": "python",
                    "keep_default_na": False, "na_values": [""]}
            opts.update(kwargs)
            df = _drop_totals(pd.read_csv(io.StringIO(text), **opts), report)
            if "decimal" not in kwargs and "dtype" not in kwargs:
                df = _convert_text_columns(df, decimal, markers, report)
    except DataError:
        raise
    except ImportError as exc:
        raise DataError(Note("err_io_cannot_read", name=p.name, detail=str(exc))) from None
    except (ValueError, pd.errors.ParserError, csv.Error, KeyError, IndexError,
            UnicodeError, OSError, zipfile.BadZipFile, EOFError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(Note("err_io_not_a_table", name=p.name, detail=first)) from None
    except Exception as exc:  # a reader's own error types (openpyxl, pyarrow)
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(Note("err_io_not_a_table", name=p.name,
                             detail=f"{type(exc).__name__}: {first}")) from None
    if df.shape[1] == 0 or len(df) == 0:
        raise DataError(Note("err_io_no_rows", name=p.name))
    df.columns = [str(c).strip() for c in df.columns]
    if suffix in (".xlsx", ".xlsm", ".xls"):
        df = _drop_totals(df, report)
    _warn_conversions(p.name, report)
    df.attrs["impacteval_read"] = report
    return df


def _read_excel(p: Path, sheet: Any, kwargs: dict[str, Any]) -> pd.DataFrame:
    """One sheet; when the first sheet holds no table, the error lists the sheets."""
    if sheet is not None:
        return pd.read_excel(p, sheet_name=sheet, **kwargs)
    sheets = pd.read_excel(p, sheet_name=None, **kwargs)
    names = list(sheets)
    first = sheets[names[0]]
    if first.shape[1] >= 2 and len(first) >= 1:
        return first
    shapes = LangText(**{lang: ", ".join(f"{n!r} ({len(d)} {w[0]} × {d.shape[1]} {w[1]})"
                                         for n, d in sheets.items())
                         for lang, w in (("en", ("rows", "columns")), ("sv", ("rader", "kolumner")))})
    raise DataError(Note("err_io_sheet", name=p.name, sheet=str(names[0]), sheets=shapes))


def _warn_conversions(name: str, report: dict[str, Any]) -> None:
    parts: list[Note] = []
    for col, k in report["thousands"].items():
        parts.append(Note("read_part_thousands", n=k, column=col))
    for col, marks in report["missing"].items():
        shown = ", ".join(f"{m!r} × {k}" for m, k in marks.items())
        parts.append(Note("read_part_missing", n=sum(marks.values()), column=col, marks=shown))
    if report["totals"]:
        parts.append(Note("read_part_totals", n=report["totals"]))
    if parts:
        warnings.warn(Note("read_conversions", name=name, detail=tuple(parts)), ReadWarning,
                      stacklevel=3)
