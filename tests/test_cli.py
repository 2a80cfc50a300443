"""The command line: evaluate, demo, datasets, plan init; exit codes; JSON schema."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

import impacteval as ie
from impacteval import cli
from impacteval.errors import ArgumentError, ImpactEvalWarning, LabelError

ROOT = Path(__file__).resolve().parents[1]
SV_CSV = ROOT / "datasets" / "teaching_did_excel_sv.csv"
SCHEMA = ROOT / "docs" / "evaluation.schema.json"
SV_ARGS = ["evaluate", str(SV_CSV), "--outcome", "försörjningsstöd_tkr", "--unit", "hushåll",
           "--group", "grupp", "--treated", "projekt", "--period", "mätning", "--pre", "före",
           "--post", "efter", "--covariates", "ålder,kön"]


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------ period parsing
def test_parse_periods_lists_and_ranges():
    col = pd.Series(list(range(-12, 0)) + list(range(1, 13)), name="month")
    assert cli.parse_periods("-12:-1", col, "--pre") == list(range(-12, 0))
    assert cli.parse_periods("1:3,7", col, "--post") == [1, 2, 3, 7]
    assert cli.parse_periods("1,2", col, "--post") == [1, 2]
    # a numeric range takes the values present; 0 is not in the data
    assert cli.parse_periods("-1:1", col, "--pre") == [-1, 1]
    text = pd.Series(["1", "2", "3"], name="q")
    assert cli.parse_periods("1:2", text, "--pre") == ["1", "2"]
    assert cli.parse_periods("före", pd.Series(["före", "efter"]), "--pre") == ["före"]
    with pytest.raises(ArgumentError, match="runs backwards"):
        cli.parse_periods("3:1", col, "--pre")
    with pytest.raises(ArgumentError, match="13:20"):
        cli.parse_periods("13:20", col, "--post")
    with pytest.raises(ArgumentError, match="whole numbers"):
        cli.parse_periods("a:b", col, "--post")
    with pytest.raises(LabelError, match="'month'"):
        cli.parse_periods("99", col, "--post")


def test_dash_values_are_joined_to_their_option():
    assert cli._join_dash_values(["--pre", "-12:-1", "--post", "1:12", "--unit", "-x"]) == [
        "--pre=-12:-1", "--post", "1:12", "--unit", "-x"]


# ------------------------------------------------------------------ evaluate
def test_evaluate_swedish_excel_csv_matches_the_python_call(capsys, tmp_path):
    out_json = tmp_path / "ev.json"
    code, out, err = run(SV_ARGS + ["--lang", "sv", "--json", str(out_json)], capsys)
    assert code == 0, err
    assert "impacteval utvärdering: försörjningsstöd_tkr" in out
    assert "Vad betyder det?" in out and "Design: skillnad-i-skillnader" in out
    df = ie.read_table(SV_CSV)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        ev = ie.evaluate(df, outcome="försörjningsstöd_tkr", unit="hushåll", group="grupp",
                         treated="projekt", period="mätning", pre=["före"], post=["efter"],
                         covariates=["ålder", "kön"])
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    got = doc["evaluations"][0]
    assert got["design"] == ev.design
    assert_allclose([got["estimate"]["estimate"], got["estimate"]["conf_low"],
                     got["estimate"]["conf_high"]],
                    [ev.estimate.estimate, ev.estimate.conf_low, ev.estimate.conf_high],
                    rtol=1e-12)
    assert doc["call"]["pre"] == ["före"] and doc["call"]["covariates"] == ["ålder", "kön"]


def test_json_validates_against_the_documented_schema(capsys, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    code, out, err = run(SV_ARGS + ["--control", "jämförelse", "--json", "-"], capsys)
    assert code == 0, err
    doc = json.loads(out)  # with --json - only JSON is printed
    jsonschema.validate(doc, schema, cls=jsonschema.Draft202012Validator)
    # the schema is not vacuous: a wrong design name or a leaked id list fails
    bad = json.loads(out)
    bad["evaluations"][0]["design"] = "astrology"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)
    bad = json.loads(out)
    bad["evaluations"][0]["estimate"]["diagnostics"]["unmatched_ids"] = [17]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema, cls=jsonschema.Draft202012Validator)


def test_evaluate_writes_a_report(capsys, tmp_path):
    rep = tmp_path / "r.html"
    code, out, err = run(SV_ARGS + ["--report", str(rep), "--lang", "sv", "--units",
                                    "tkr per år"], capsys)
    assert code == 0, err
    html = rep.read_text(encoding="utf-8")
    assert '<html lang="sv">' in html and "tkr per år" not in out
    assert "impacteval evaluate" in html  # the command is in the methods appendix
    assert f"rapporten skrevs till {rep}" in out  # --lang sv


def test_private_json_drops_ids_and_overlap_extremes():
    d = {"estimate": {"diagnostics": {"unmatched_ids": [1], "n_unmatched": 1},
                      "tables": {"overlap": [{"column": "age", "min_treated": 28,
                                              "max_treated": 51, "n_treated_outside": 0}]}},
         "sensitivity": {"matched": {"diagnostics": {"outside_support_ids": [4]},
                                     "tables": {}}}}
    out = cli._private_json(d)
    assert out["estimate"]["diagnostics"] == {"n_unmatched": 1}
    assert out["estimate"]["tables"]["overlap"] == [{"column": "age", "n_treated_outside": 0}]
    assert out["sensitivity"]["matched"]["diagnostics"] == {}


# ---------------------------------------------------------- bad input: exit 2
@pytest.mark.parametrize("argv, needle", [
    (["evaluate", "missing.csv", "--outcome", "y"], "'missing.csv' does not exist"),
    (SV_ARGS[:3] + ["bidrag"] + SV_ARGS[4:], "outcome column 'bidrag' is not in the data"),
    (SV_ARGS[:5] + ["hushall"] + SV_ARGS[6:], "unit column 'hushall'"),
    (SV_ARGS[:3] + ["stadsdel"] + SV_ARGS[4:], "outcome column 'stadsdel' must be numeric"),
    (SV_ARGS[:9] + ["deltagare"] + SV_ARGS[10:], "treated='deltagare' does not occur in column "
                                                 "'grupp'"),
    (SV_ARGS[:13] + ["mitten"] + SV_ARGS[14:], "pre='mitten' does not occur in column 'mätning'"),
    (SV_ARGS + ["--reference", "mean=x"], "mean='x' is not a number"),
])
def test_bad_data_exit_2_with_one_paragraph(argv, needle, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err
    assert err.startswith("impacteval: error: ") and err.count("\n") == 1


def test_bad_usage_exit_2(capsys):
    code, _, err = run(["evaluate", str(SV_CSV), "--outcome", "y", "--assignment", "luck"],
                       capsys)
    assert code == 2 and "invalid choice: 'luck'" in err
    code, _, err = run(["evaluate"], capsys)
    assert code == 2 and "required" in err
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "evaluate" in out


def test_report_path_that_cannot_be_written_is_exit_2(capsys, tmp_path):
    code, _, err = run(SV_ARGS + ["--report", str(tmp_path / "no" / "dir" / "r.html")], capsys)
    assert code == 2 and "--report: cannot write" in err and "does not exist" in err


def test_debug_shows_the_traceback():
    with pytest.raises(ie.errors.DataError):
        cli.main(["--debug", "evaluate", "missing.csv", "--outcome", "y"])


def test_console_script_exit_code_and_no_traceback():
    exe = Path(sys.executable).with_name("impacteval")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "impacteval.cli"]
    r = subprocess.run(cmd + ["evaluate", "missing.csv", "--outcome", "welfare"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip() == "impacteval: error: file 'missing.csv' does not exist."


# ------------------------------------------------------- other sub-commands
def test_datasets_lists_the_bundled_data(capsys):
    code, out, _ = run(["datasets"], capsys)
    assert code == 0
    for name in ie.datasets.list_datasets()["name"]:
        assert name in out


def test_plan_init_writes_the_template_and_refuses_to_overwrite(capsys, tmp_path):
    p = tmp_path / "plan.toml"
    code, _, _ = run(["plan", "init", str(p)], capsys)
    assert code == 0 and p.read_text(encoding="utf-8") == ie.Plan.template()
    code, _, err = run(["plan", "init", str(p)], capsys)
    assert code == 2 and "already exists" in err
    code, _, _ = run(["plan", "init", str(p), "--force"], capsys)
    assert code == 0


def test_demo_example_still_runs(capsys):
    code, out, _ = run(["demo", "example"], capsys)
    assert code == 0 and "Difference-in-differences" in out
    code, _, err = run(["demo", "nonsense"], capsys)
    assert code == 2 and "unknown demo" in err


# ---------------------------------------------------------------- progress
class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal():
    import time

    quiet = io.StringIO()
    assert cli._with_progress(lambda: 41 + 1, "x", stream=quiet) == 42
    assert quiet.getvalue() == ""
    tty = _Tty()

    def slow():
        time.sleep(0.5)
        return "done"

    assert cli._with_progress(slow, "evaluating", stream=tty) == "done"
    assert "evaluating" in tty.getvalue()
