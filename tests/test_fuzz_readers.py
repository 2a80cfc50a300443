"""Fuzzing ``ie.read_table`` and the ``impacteval evaluate`` command with
Hypothesis-generated CSV files: random separators, decimal marks, quotes,
encodings, junk bytes and truncated lines.

The contract: the reader returns a DataFrame with at least one row and one
column, or raises :class:`~impacteval.errors.DataError` — nothing else — and
the command line exits 0 or 2 with one ``impacteval: error:`` line, never a
traceback; neither hangs (each example has a time limit).

The suite runs a bounded number of examples; a long run is
``IE_FUZZ_EXAMPLES=5000 pytest tests/test_fuzz_readers.py``.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impacteval as ie
from impacteval.errors import DataError

N_EXAMPLES = int(os.environ.get("IE_FUZZ_EXAMPLES", "60"))
TIME_LIMIT = 10  # seconds per example: a hang fails the test
FUZZ = settings(max_examples=N_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SEPARATORS = [",", ";", "\t", "|", " "]
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"]
# cell text: digits, decimal marks, Swedish letters, quotes, separators, line breaks
CELL_ALPHABET = "0123456789.,;-+ eE\t\"'åäöÅÄÖabcxyz\n\r|"


@contextlib.contextmanager
def time_limit(seconds: int):
    def handler(signum, frame):  # pragma: no cover - only on a hang
        raise TimeoutError(f"read took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, handler)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _number(draw, decimal: str) -> str:
    v = draw(st.one_of(st.integers(-10**7, 10**7),
                       st.floats(allow_nan=True, allow_infinity=True, width=32)))
    s = repr(v) if isinstance(v, float) else str(v)
    return s.replace(".", decimal)


@st.composite
def csv_bytes(draw) -> bytes:
    sep = draw(st.sampled_from(SEPARATORS))
    decimal = draw(st.sampled_from([".", ","]))
    n_cols = draw(st.integers(1, 5))
    n_rows = draw(st.integers(0, 8))
    quote_all = draw(st.booleans())
    header = [draw(st.text(CELL_ALPHABET, min_size=0, max_size=6)) or f"c{j}"
              for j in range(n_cols)]

    def cell():
        kind = draw(st.sampled_from(["num", "num", "text", "empty"]))
        if kind == "num":
            return _number(draw, decimal)
        if kind == "empty":
            return ""
        return draw(st.text(CELL_ALPHABET, max_size=8))

    def fmt(v: str) -> str:
        if quote_all or (sep in v) or ('"' in v) or ("\n" in v):
            if draw(st.booleans()):  # sometimes quote properly, sometimes not at all
                return '"' + v.replace('"', '""') + '"'
        return v

    lines = [sep.join(fmt(h) for h in header)]
    for _ in range(n_rows):
        width = n_cols + draw(st.integers(-1, 1))  # ragged rows now and then
        lines.append(sep.join(fmt(cell()) for _ in range(max(width, 0))))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = eol.join(lines) + draw(st.sampled_from(["", eol]))
    enc = draw(st.sampled_from(ENCODINGS))
    raw = text.encode(enc, errors="replace")
    if draw(st.booleans()):  # truncate anywhere, also inside a multi-byte character
        raw = raw[: draw(st.integers(0, len(raw)))]
    if draw(st.integers(0, 9)) == 0:  # junk bytes
        raw = raw + draw(st.binary(max_size=20))
    return raw


def _check_reader(raw: bytes, suffix: str = ".csv") -> pd.DataFrame | None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("fuzz" + suffix)
        path.write_bytes(raw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with time_limit(TIME_LIMIT):
                try:
                    df = ie.read_table(path)
                except DataError as exc:
                    assert str(exc), "a DataError must carry a message"
                    assert "fuzz" in str(exc) or "cannot read" in str(exc) or "file" in str(exc)
                    return None
    assert isinstance(df, pd.DataFrame)
    assert df.shape[0] >= 1 and df.shape[1] >= 1
    assert all(isinstance(c, str) for c in df.columns)
    return df


@FUZZ
@given(raw=csv_bytes())
def test_read_table_returns_a_frame_or_a_data_error(raw):
    _check_reader(raw)


@FUZZ
@given(raw=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".txt", ".xlsx", ".parquet"]))
def test_read_table_on_random_bytes(raw, suffix):
    _check_reader(raw, suffix)


@settings(max_examples=max(N_EXAMPLES // 3, 20), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(raw=csv_bytes(), outcome=st.sampled_from(["y", "c0", "x"]))
def test_cli_evaluate_exits_0_or_2(raw, outcome):
    from impacteval.cli import main

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.csv"
        path.write_bytes(raw)
        err, out = io.StringIO(), io.StringIO()
        with warnings.catch_warnings(), contextlib.redirect_stderr(err), \
                contextlib.redirect_stdout(out), time_limit(TIME_LIMIT * 3):
            warnings.simplefilter("ignore")
            code = main(["evaluate", str(path), "--outcome", outcome, "--group", "c1",
                         "--seed", "1"])
    assert code in (0, 2), (code, err.getvalue())
    assert "Traceback" not in err.getvalue()
    if code == 2:
        assert "impacteval: error:" in err.getvalue()


@pytest.mark.parametrize("sep,decimal", [(";", ","), (",", "."), ("\t", ",")])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1"])
def test_reader_round_trip(tmp_path, sep, decimal, encoding):
    """What pandas writes in a Swedish or international dialect reads back unchanged."""
    df = pd.DataFrame({"person": ["åsa", "örjan", "ängla"], "bidrag": [1234.5, 0.25, -3.0],
                       "år": [2012, 2013, 2014]})
    p = tmp_path / "t.csv"
    df.to_csv(p, sep=sep, decimal=decimal, index=False, encoding=encoding)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ie.io.EncodingWarning)
        back = ie.read_table(p)
    pd.testing.assert_frame_equal(back, df, check_dtype=False, rtol=0, atol=0)


# Regressions found while fuzzing by hand (each returned a wrong frame or an error before)
EXCEL_HABITS = {
    "sep hint line": (b"sep=;\r\nid;y\r\n1;2,5\r\n2;3,5\r\n", [2.5, 3.5]),
    "thousands space": (b"id;y\n1;1 234,5\n2;2 000,0\n", [1234.5, 2000.0]),
    "thousands no-break space": ("id;y\n1;1\u00a0234,5\n2;-2\u00a0000,25\n".encode(),
                                 [1234.5, -2000.25]),
    "utf-16 unicode text": ("id\ty\n1\t2,5\n2\t3,5\n".encode("utf-16"), [2.5, 3.5]),
    "CR-only line ends": (b"id;y\r1;2,5\r2;3,5\r", [2.5, 3.5]),
}


@pytest.mark.parametrize("name", list(EXCEL_HABITS))
def test_reader_excel_habits(tmp_path, name):
    raw, expected = EXCEL_HABITS[name]
    p = tmp_path / "excel.csv"
    p.write_bytes(raw)
    df = ie.read_table(p)
    assert list(df.columns) == ["id", "y"]
    np.testing.assert_allclose(df["y"].to_numpy(float), expected, rtol=0, atol=0)


def test_reader_keeps_text_that_only_looks_grouped(tmp_path):
    """Postcodes ("602 21") and mixed columns stay text."""
    p = tmp_path / "t.csv"
    p.write_bytes(b"id;postnr;y\n1;602 21;1,5\n2;118 46;2,5\n")
    df = ie.read_table(p)
    assert df["postnr"].tolist() == ["602 21", "118 46"]
