"""The command line speaks the user's language, errors included (issue #18 point 3):
with ``--lang sv`` every error line is Swedish (no English words, numbers with a decimal
comma), and the same call with ``--lang en`` gives the English text; exit code 2."""

from __future__ import annotations

import pandas as pd
import pytest
from test_report_language import _problems

from impacteval.cli import main


@pytest.fixture()
def csv(tmp_path):
    rows = [{"id": i, "grupp": "Deltagare" if i < 10 else "Jämförelsegrupp",
             "månad": f"2012-{m:02d}", "belopp": 100.0 * i + m, "ålder": 30 + i % 7,
             "namn": f"person {i}"}
            for i in range(30) for m in range(1, 13)]
    p = tmp_path / "export.csv"
    pd.DataFrame(rows).to_csv(p, index=False)
    pd.DataFrame(rows + rows[:3]).to_csv(tmp_path / "dubbletter.csv", index=False)
    return p


COLS = {"id", "grupp", "månad", "belopp", "ålder", "namn", "Deltagare", "Jämförelsegrupp",
        "person"}
PANEL = ["--unit", "id", "--group", "grupp", "--treated", "Deltagare", "--period", "månad",
         "--pre", "2012-01:2012-06", "--post", "2012-07:2012-12"]


def _run(capsys, argv):
    code = main(argv)
    return code, capsys.readouterr().err


CASES = {
    "missing file": (["evaluate", "{dir}/saknas.csv", "--outcome", "belopp"],
                     "finns inte", "does not exist"),
    "backwards range": (["evaluate", "{csv}", "--outcome", "belopp", "--unit", "id",
                         "--group", "grupp", "--treated", "Deltagare", "--period", "månad",
                         "--pre", "2012-06:2012-01", "--post", "2012-07:2012-12"],
                        "går baklänges", "runs backwards"),
    "range outside the data": (["evaluate", "{csv}", "--outcome", "belopp", "--unit", "id",
                                "--group", "grupp", "--treated", "Deltagare", "--period",
                                "månad", "--pre", "2010-01:2010-12", "--post",
                                "2012-07:2012-12"],
                               "inget värde i kolumnen", "no value of column"),
    "not a range": (["evaluate", "{csv}", "--outcome", "belopp", "--period", "månad",
                     "--pre", "a:b", "--post", "2012-07:2012-12"],
                    "är inte ett intervall", "is not a range"),
    "pre without period": (["evaluate", "{csv}", "--outcome", "belopp", "--pre", "1:2"],
                           "kräver --period", "need --period"),
    "group column missing": (["evaluate", "{csv}", "--outcome", "belopp", "--group", "grp",
                              "--treated", "Deltagare"],
                             "finns inte i data", "is not in the data"),
    "bad reference": (["evaluate", "{csv}", "--outcome", "belopp", "--reference", "median=3"],
                      "okänd nyckel", "unknown key"),
    "misspelt outcome": (["evaluate", "{csv}", "--outcome", "Belop", *PANEL],
                         "Menade du 'belopp'?", "Did you mean 'belopp'?"),
    "label not in the column": (["evaluate", "{csv}", "--outcome", "belopp", "--unit", "id",
                                 "--group", "grupp", "--treated", "Deltagar", "--period",
                                 "månad", "--pre", "2012-01:2012-06", "--post",
                                 "2012-07:2012-12"],
                                "finns inte i kolumnen 'grupp'", "does not occur in column"),
    "text outcome": (["evaluate", "{csv}", "--outcome", "namn", *PANEL],
                     "måste innehålla tal", "must be numeric"),
    "duplicate rows": (["evaluate", "{dir}/dubbletter.csv", "--outcome", "belopp", *PANEL],
                       "har samma id och månad", "share the same id and månad"),
    "argparse: required": (["evaluate", "{csv}"], "måste anges", "required"),
    "argparse: unknown option": (["evaluate", "{csv}", "--outcome", "belopp", "--colour",
                                  "red"], "okända argument", "unrecognized arguments"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_cli_errors_in_swedish_and_english(case, csv, tmp_path, capsys):
    argv, sv_phrase, en_phrase = CASES[case]
    argv = [a.format(csv=csv, dir=tmp_path) for a in argv]
    code, err = _run(capsys, [*argv, "--lang", "sv"])
    assert code == 2
    line = err.strip().splitlines()[-1]
    assert line.startswith("impacteval") and ": fel: " in line, line
    assert sv_phrase in line, line
    bare = line.replace(str(csv), " ").replace(str(tmp_path), " ")
    assert _problems(bare.split(": fel: ", 1)[1], COLS) == [], line
    code, err = _run(capsys, [*argv, "--lang", "en"])
    assert code == 2
    assert en_phrase in err and ": error: " in err


def test_a_design_that_fails_is_explained_in_swedish(monkeypatch):
    """An error inside a design is shown in the verdict: its Swedish text when it has one,
    otherwise the kind of error in Swedish (never an English message on a Swedish page)."""
    import warnings

    import impacteval as ie
    from impacteval.cli import SERVICETRAINEE_ROLES
    from impacteval.errors import InsufficientDataError
    from impacteval.ladder import registry
    from impacteval.notes import Note

    rung = registry.get("matched")
    df = ie.datasets.load_servicetrainee()
    roles = {**SERVICETRAINEE_ROLES, "control": "register"}
    for err, sv in ((InsufficientDataError(Note("err_roles_few_pooled", column="g", n=1,
                                                 need=2)), "kunde inte skattas: gruppkolumnen"),
                    (InsufficientDataError("an English-only message"), "kunde inte skattas: för få")):
        monkeypatch.setattr(rung, "estimate", lambda ctx, e=err: (_ for _ in ()).throw(e))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ev = ie.evaluate(df, **roles)
        text = ev.summary("sv")
        line = next(x for x in text.splitlines() if "kunde inte skattas" in x)
        assert "English" not in text
        assert sv in line, line
