"""A realistic Swedish export, end to end (issue #18 points 1, 2 and 8; #19 items 5, 14,
17, 21, 24): what a case-management system writes through Swedish Excel is read, every
conversion is counted, periods are read as people write them, and the CLI's numbers equal
the Python API's on the clean data.

The export is generated here (synthetic people; personnummer-like ids are made up)."""

from __future__ import annotations

import json
import os
import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval import cli
from impacteval.periods import chronological, period_key

GROUPS = ("Deltagare", "Väntelista", "Jämförelsegrupp")
AMOUNT = "belopp – kr"  # an en dash: only Windows-1252 has it among the 8-bit code pages


def _clean_panel(seed: int = 7) -> pd.DataFrame:
    """The truth: 60 people × 24 months, participants' payments fall by 1,500 kr/month."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(60):
        g = GROUPS[0] if i < 20 else (GROUPS[1] if i < 35 else GROUPS[2])
        start = "2013-01" if g == GROUPS[0] else ("2013-04" if g == GROUPS[1] and i % 5 == 0
                                                 else None)
        base = rng.normal(9000, 2000)
        for yr in (2012, 2013):
            for m in range(1, 13):
                eff = -1500 if g == GROUPS[0] and yr == 2013 else 0
                amt = round(max(0.0, base + eff + rng.normal(0, 1500)), 2)
                rows.append({"personnummer": f"19{70 + i % 30:02d}0{1 + i % 9}15-{2000 + i}",
                             "grupp": g, "månad": f"{yr}-{m:02d}", AMOUNT: amt,
                             "startmånad": start})
    return pd.DataFrame(rows)


def _swedish(x: float, sep: str) -> str:
    return f"{x:,.2f}".replace(",", sep).replace(".", ",")


def _write_export(df: pd.DataFrame, path, *, missing: dict[int, str]) -> None:
    """As Swedish Excel writes it: semicolons, cp1252, decimal comma, thousands separators
    of every kind, '-'/'saknas' for missing, a totals row at the end."""
    seps = ["\u00a0", " ", "'"]  # Windows-1252 has no narrow no-break space
    lines = [";".join(df.columns)]
    for k, r in enumerate(df.itertuples(index=False)):
        amount = missing.get(k) or _swedish(r[3], seps[k % 3])
        lines.append(";".join([r[0], r[1], r[2], amount, r[4] if isinstance(r[4], str) else ""]))
    lines.append(";".join(["Summa", "", "", _swedish(float(df[AMOUNT].sum()), "\u00a0"), ""]))
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    clean = _clean_panel()
    missing = {3: "-", 50: "saknas", 51: "..", 400: "NA"}
    path = tmp_path_factory.mktemp("export") / "utdrag.csv"
    _write_export(clean, path, missing=missing)
    truth = clean.copy()
    truth.loc[list(missing), AMOUNT] = np.nan
    return path, truth


def test_reading_counts_every_conversion(export):
    path, truth = export
    with pytest.warns(ie.io.ReadWarning) as rec:
        df = ie.read_table(path)
    assert list(df.columns) == list(truth.columns)  # the en dash survived (cp1252)
    assert len(df) == len(truth)  # the "Summa" row is gone, and said so
    np.testing.assert_allclose(df[AMOUNT].to_numpy(float), truth[AMOUNT].to_numpy(float),
                               rtol=0, atol=1e-9, equal_nan=True)
    rep = df.attrs["impacteval_read"]
    assert rep["totals"] == 1
    assert rep["missing"] == {AMOUNT: {"-": 1, "saknas": 1, "..": 1, "NA": 1}}
    assert rep["thousands"][AMOUNT] == int((truth[AMOUNT] >= 1000).sum())
    msg = next(w.message for w in rec if isinstance(w.message, ie.io.ReadWarning))
    sv = msg.args[0].render("sv")
    assert "1 summarad(er)" in sv and "4 värde(n) i kolumnen 'belopp – kr' lästes som saknade" in sv


def test_utf8_thousands_separators_of_every_kind(tmp_path):
    p = tmp_path / "utf8.csv"
    p.write_text("id;y\n1;8\u202f689,00\n2;950,50\n3;1\u2019234,5\n4;12 345\n5;–\n",
                 encoding="utf-8")
    with pytest.warns(ie.io.ReadWarning, match="3 value\\(s\\) in column 'y' had thousands"):
        df = ie.read_table(p)
    np.testing.assert_allclose(df["y"].to_numpy(float), [8689.0, 950.5, 1234.5, 12345.0, np.nan],
                               rtol=0, atol=0, equal_nan=True)


def test_cli_report_numbers_equal_the_api_on_clean_data(export, tmp_path, capsys):
    path, truth = export
    out_json, out_html = tmp_path / "ut.json", tmp_path / "rapport.html"
    args = ["evaluate", str(path), "--outcome", AMOUNT, "--unit", "personnummer",
            "--group", "grupp", "--treated", "Deltagare", "--control", "Jämförelsegrupp",
            "--period", "månad", "--pre", "2012-01:2012-12", "--post", "2013-01:2013-12",
            "--lang", "sv", "--json", str(out_json), "--report", str(out_html), "--seed", "3"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cli.main(args) == 0
    err = capsys.readouterr().err
    assert "varning" in err and "summarad" in err and "Windows-1252" in err
    got = json.loads(out_json.read_text(encoding="utf-8"))["evaluations"][0]["estimate"]
    months = [f"{y}-{m:02d}" for y in (2012, 2013) for m in range(1, 13)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(truth, outcome=AMOUNT, unit="personnummer", group="grupp",
                         treated="Deltagare", control="Jämförelsegrupp", period="månad",
                         pre=months[:12], post=months[12:], seed=3)
    for k in ("estimate", "conf_low", "conf_high", "std_error"):
        assert got[k] == pytest.approx(getattr(ev.estimate, k), rel=1e-10, abs=1e-9), k
    page = out_html.read_text(encoding="utf-8")
    assert 'lang="sv"' in page and "19700115-2000" not in page


def test_start_with_text_months_and_relative_periods(export, tmp_path, capsys):
    path, _ = export
    base = ["evaluate", str(path), "--outcome", AMOUNT, "--unit", "personnummer",
            "--group", "grupp", "--treated", "Deltagare", "--period", "månad",
            "--start", "startmånad", "--json", "-"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cli.main(base + ["--control", "Väntelista", "--pre", "2012-01:2012-12",
                                "--post", "2013-01:2013-12"]) == 0
        wait = json.loads(capsys.readouterr().out)["evaluations"][0]
        assert cli.main(base + ["--control", "Jämförelsegrupp", "--relative-to-start",
                                "--pre=-12:-1", "--post", "0:11"]) == 0
        rel = json.loads(capsys.readouterr().out)["evaluations"][0]
    # the waitlisters who start in 2013-04 are comparisons until then (not-yet-started DiD)
    assert wait["design"] == "did" and wait["estimate"]["diagnostics"]["waitlist"][
        "start_periods"] == ["2013-04"]
    for ev in (wait, rel):
        lo, hi = ev["estimate"]["conf_low"], ev["estimate"]["conf_high"]
        assert lo < -1500 < hi  # the truth
    assert rel["estimate"]["estimate"] == pytest.approx(-1500, abs=400)


def test_one_period_without_pre_post_is_refused(tmp_path, capsys):
    d = ie.datasets.load_teaching("did")
    p = tmp_path / "en_period.csv"
    d[d["period"] == "post"].to_csv(p, index=False)
    rc = cli.main(["evaluate", str(p), "--outcome", "welfare_ksek", "--unit", "household_id",
                   "--group", "group", "--treated", "participant", "--period", "period"])
    assert rc == 2
    assert "without pre= and post=" in capsys.readouterr().err


def test_excel_sheets_are_listed_when_the_first_is_not_data(tmp_path):
    p = tmp_path / "utdrag.xlsx"
    clean = _clean_panel().head(48)
    with pd.ExcelWriter(p) as w:
        pd.DataFrame({"Information": ["Utdrag ur verksamhetssystemet"]}).to_excel(
            w, sheet_name="Info", index=False)
        clean.to_excel(w, sheet_name="Data", index=False)
    with pytest.raises(ie.errors.DataError, match="'Info' .*'Data' \\(48 rows"):
        ie.read_table(p)
    assert len(ie.read_table(p, sheet="Data")) == 48


def test_did_you_mean_for_columns_and_labels():
    d = _clean_panel().head(96)
    roles = dict(outcome=AMOUNT, unit="personnummer", group="grupp", treated="Deltagare",
                 period="månad", pre="2012-01", post="2013-01")
    with pytest.raises(ie.errors.MissingColumnError, match="Did you mean 'belopp – kr'"):
        ie.did(d, **{**roles, "outcome": "belopp - kr"})
    with pytest.raises(ie.errors.LabelError, match="Did you mean 'Deltagare'"):
        ie.did(d, **{**roles, "treated": "deltagare"})


@pytest.mark.parametrize("labels", [
    ["2012-01", "2012-02", "2012-10", "2012-11"],
    ["2012-1", "2012-2", "2012-10", "2012-11"],
    ["2012 Q1", "2012 Q2", "2012 Q3", "2013 Q1"],
    ["2012-W05", "2012-W09", "2012-W10", "2012-W40"],
    ["2012-01-31", "2012-02-29", "2012-10-31", "2012-11-30"],
])
def test_text_periods_are_ordered_in_time(labels):
    """#19 item 5: the panel DiD with text periods equals the one with their ranks."""
    assert chronological(list(reversed(labels))) == labels
    assert all(period_key(a) < period_key(b) for a, b in zip(labels, labels[1:], strict=False))
    rng = np.random.default_rng(1)
    rows = []
    for i in range(30):
        slope = 1.0 if i < 10 else 0.0
        for t, lab in enumerate(labels):
            rows.append({"id": i, "g": int(i < 10), "p": lab, "r": t,
                         "y": slope * t + (2.0 if i < 10 and t == 3 else 0) + rng.normal()})
    df = pd.DataFrame(rows)
    text = ie.did(df, outcome="y", unit="id", group="g", period="p", pre=labels[:3],
                  post=labels[3:], method="panel")
    ranks = ie.did(df, outcome="y", unit="id", group="g", period="r", pre=[0, 1, 2], post=[3],
                   method="panel")
    assert text.estimate == pytest.approx(ranks.estimate, rel=1e-12)
    assert text.diagnostics["pretrend_p_value"] == pytest.approx(
        ranks.diagnostics["pretrend_p_value"], rel=1e-9)


def test_timezone_aware_periods_match_their_dates():
    """#19 item 21: the label given as a date matches a time-zone-aware column."""
    t = pd.DataFrame({"p": pd.to_datetime(["2021-01-01", "2021-02-01"] * 4)
                      .tz_localize("Europe/Stockholm"),
                      "y": [1.0, 2.0, 1.5, 2.5, 1.0, 1.2, 0.8, 1.1], "id": [1, 1, 2, 2, 3, 3, 4, 4],
                      "g": [1, 1, 1, 1, 0, 0, 0, 0]})
    r = ie.did(t, outcome="y", unit="id", group="g", period="p", pre="2021-01-01",
               post="2021-02-01")
    assert r.estimate == pytest.approx(0.75, abs=1e-12)


def test_bad_files_give_a_clear_error(tmp_path):
    """#19 items 14 and 17: a broken .xlsx and a device are DataErrors, never a hang."""
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a zip file")
    with pytest.raises(ie.errors.DataError, match="trasig.xlsx"):
        ie.read_table(bad)
    if os.path.exists("/dev/zero"):
        with pytest.raises(ie.errors.DataError, match="not a regular file"):
            ie.read_table("/dev/zero")
    big = tmp_path / "stor.csv"
    big.write_text("a;b\n1;2\n" * 100)
    with pytest.raises(ie.errors.DataError, match="max_bytes"):
        ie.read_table(big, max_bytes=100)


def test_mixed_decimal_marks_hint_does_not_send_you_back_to_read_table(tmp_path, capsys):
    """#19 item 24: read_table() already ran, so the hint says what is wrong in the file."""
    p = tmp_path / "blandat.csv"
    p.write_text("id;g;y\n1;1;1,5\n2;1;2.5\n3;0;1,25\n4;0;x1\n", encoding="utf-8")
    rc = cli.main(["evaluate", str(p), "--outcome", "y", "--group", "g", "--treated", "1"])
    err = capsys.readouterr().err
    assert rc == 2 and "read_table" not in err and "'y'" in err
