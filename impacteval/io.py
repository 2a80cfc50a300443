"""Reading the files users really have: CSV exported from Swedish Excel or
welfare systems (``;`` or ``,`` separators, decimal commas, UTF-8 with or
without BOM, Latin-1), Excel ``.xlsx`` and Parquet.

pandas does the parsing; this module only detects the dialect (separator,
decimal mark, encoding) and turns every failure into a
:class:`~impacteval.errors.DataError` that names the file and the problem.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError, ImpactEvalWarning

__all__ = ["read_table", "EncodingWarning"]


class EncodingWarning(ImpactEvalWarning):
    """The file was not UTF-8 and was read as Latin-1."""


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark, tab-separated
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DataError(f"{name} starts like a UTF-16 file but cannot be decoded as one.") \
                from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        warnings.warn(f"{name} is not UTF-8; it was read as Latin-1 (ISO 8859-1). Check that "
                      "å, ä and ö look right.", EncodingWarning, stacklevel=3)
        return raw.decode("latin-1")


_SEP_HINT = re.compile(r"\A[ \t]*sep=(.)[ \t]*\n")
# "1 234,5" with a space, no-break space or narrow no-break space between digit groups
_GROUPED = re.compile(r"[-+\u2212]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|[-+\u2212]?\d+(?:,\d+)?")


def _grouped_numbers(df: pd.DataFrame) -> pd.DataFrame:
    """Text columns whose every value is a number written with thousands spaces and a
    decimal comma (Swedish Excel: "1 234,5") become numbers; other columns are untouched."""
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_numeric_dtype(s) or isinstance(s.dtype, pd.CategoricalDtype):
            continue
        vals = s.dropna()
        if not len(vals) or not all(isinstance(v, str) for v in vals):
            continue
        txt = vals.str.strip()
        if not txt.str.fullmatch(_GROUPED).all():
            continue
        clean = (txt.str.replace(r"[ \u00a0\u202f]", "", regex=True)
                 .str.replace(",", ".", regex=False).str.replace("\u2212", "-", regex=False))
        out = pd.Series(float("nan"), index=s.index, dtype=float)
        out[clean.index] = pd.to_numeric(clean)
        df[c] = out
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


def read_table(path: str | Path, *, sheet: str | int | None = None, **kwargs: Any) -> pd.DataFrame:
    """Read a CSV, Excel (.xlsx) or Parquet file into a DataFrame.

    CSV files: the separator (``;``, ``,`` or tab) and the decimal mark are
    detected, a UTF-8 BOM is removed, and a file that is not UTF-8 is read as
    Latin-1 with a warning. Excel's habits are understood: a ``sep=;`` first
    line, UTF-16 "Unicode text" exports, CR-only line ends, and numbers with
    thousands spaces such as ``1 234,5``.

    Parameters
    ----------
    path : str or Path
    sheet : str or int, optional
        Excel sheet (default: the first).
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
        raise DataError(f"file {str(path)!r} does not exist.")
    if p.is_dir():
        raise DataError(f"{str(path)!r} is a folder, not a data file.")
    suffix = p.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm", ".xls"):
            df = pd.read_excel(p, sheet_name=0 if sheet is None else sheet, **kwargs)
        elif suffix in (".parquet", ".pq"):
            df = pd.read_parquet(p, **kwargs)
        else:
            raw = p.read_bytes()
            if not raw.strip():
                raise DataError(f"file {p.name!r} is empty.")
            utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
            if b"\x00" in raw[:4096] and not utf16:
                raise DataError(f"file {p.name!r} is not a text (CSV) file.")
            text = _decode(raw, repr(p.name))
            # old Mac Excel ends lines with CR only; the python engine needs \n
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            hint = _SEP_HINT.match(text)
            if hint:  # Excel's "sep=;" first line
                text = text[hint.end():]
                if not text.strip():
                    raise DataError(f"file {p.name!r} has no data rows.")
            sep, decimal = _sniff(text)
            if hint:
                sep = hint.group(1)
            opts = {"sep": sep, "decimal": decimal, "engine": "python"}
            opts.update(kwargs)
            df = pd.read_csv(io.StringIO(text), **opts)
            if decimal == "," and "decimal" not in kwargs:
                df = _grouped_numbers(df)
    except DataError:
        raise
    except ImportError as exc:
        raise DataError(f"cannot read {p.name!r}: {exc}") from None
    except (ValueError, pd.errors.ParserError, csv.Error, KeyError, IndexError,
            UnicodeError, OSError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise DataError(f"cannot read {p.name!r} as a table: {first}") from None
    if df.shape[1] == 0 or len(df) == 0:
        raise DataError(f"file {p.name!r} has no data rows.")
    df.columns = [str(c).strip() for c in df.columns]
    return df
