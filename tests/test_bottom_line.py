"""The bottom line across comparison groups (issue #18 point 4)."""

from __future__ import annotations

from types import SimpleNamespace

from impacteval.ladder.result import bottom_lines, credibility


def _ev(comparison, design, sec, sms, score, est, lo, hi, outcome="y"):
    return SimpleNamespace(outcome=outcome, comparison=comparison, design=design, sms_level=sms,
                           score=score, ratings={"security": sec},
                           estimate=SimpleNamespace(estimate=est, conf_low=lo, conf_high=hi))


def test_most_credible_is_security_then_design_then_precision():
    a = _ev("register", "matched_did", 2, 4, 5, -2454.0, -3852.0, 1367.0)
    b = _ev("waitlist", "did", 0, 4, 4, -1230.0, -3853.0, 1394.0)
    c = _ev("other", "did", 2, 4, 4, -1000.0, -1500.0, -500.0)
    d = _ev("narrow", "matched_did", 2, 4, 5, -2000.0, -2100.0, -1900.0)
    assert sorted([b, a], key=credibility, reverse=True)[0] is a  # security first
    assert sorted([c, a], key=credibility, reverse=True)[0] is a  # then the design
    assert sorted([a, d], key=credibility, reverse=True)[0] is d  # then precision
    en = bottom_lines([b, a], "en")
    assert en == ["Bottom line for y: the most credible estimate is −2,454 [−3,852, 1,367] "
                  "(matched difference-in-differences against register, security 2/5); against "
                  "waitlist the difference-in-differences says −1,230 [−3,853, 1,394], "
                  "security 0/5."]
    sv = bottom_lines([b, a], "sv")[0]
    assert sv.startswith("Slutsats för y: den mest trovärdiga skattningen är −2 454 [−3 852, "
                         "1 367] (matchad skillnad-i-skillnader mot register")


def test_one_comparison_and_several_outcomes():
    a = _ev(None, "before_after", 0, 2, 1, 5.0, 1.0, 9.0, outcome="iq")
    b = _ev("c", "did", 3, 4, 4, 1.5, 0.5, 2.5, outcome="y")
    out = bottom_lines([a, b], "sv")
    assert out[0] == ("Slutsats för iq: före–efter-jämförelse utan jämförelsegrupp, 5,00 "
                      "[1,00, 9,00], tillförlitlighet 0/5.")
    assert len(out) == 2 and out[1].startswith("Slutsats för y: skillnad-i-skillnader mot c")


def test_status_words_follow_the_value():
    """#18 point 7: a reported check whose value breaks its threshold is a warning."""
    from impacteval import texts
    from impacteval.ladder.checks import Check

    reuse = Check(design="matched", value=7, threshold="<= 5", passed=True, must_pass=False,
                  warn=True, code="reuse", threshold_field="reuse_max")
    gate = Check(design="did", value=0.4, threshold="<= 0.25", passed=False, code="x")
    info = Check(design="did", value=0.3, threshold="–", passed=True, must_pass=False, code="y")
    assert (reuse.status, gate.status, info.status) == ("warn", "fail", "pass")
    assert [texts.WORDS["sv"][c.status] for c in (reuse, gate, info)] == [
        "varning", "underkänd", "godkänd"]


def test_report_lists_only_possible_designs_as_possible_and_levels_apart():
    """#18 point 7: rejected designs are never "also possible"; a follow-up is a level."""
    import re
    import warnings

    import impacteval as ie
    from impacteval.cli import SERVICETRAINEE_ROLES
    from impacteval.report import evaluation_html

    df = ie.datasets.load_servicetrainee()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, **SERVICETRAINEE_ROLES)
    wait = ev["waitlist"]
    page = evaluation_html(wait, lang="en")
    possible = page.split("These designs were also possible", 1)[1].split("</table>")[0]
    assert "comparison group, after only" not in possible.lower()
    assert "Designs that were rejected" in page
    assert re.search(r"a level, not an effect\): [−\d]", page)
    assert "follow-up" not in possible.lower()


def test_units_a_design_drops_count_as_attrition_everywhere():
    """#18 point 5: 2 of 30 participants miss one month; the panel design leaves them out,
    and the rating, n_lost, the JSON and the report all say 2 were lost."""
    import json
    import warnings

    import impacteval as ie
    from impacteval.cli import SERVICETRAINEE_ROLES
    from impacteval.report import evaluation_html

    df = ie.datasets.load_servicetrainee()
    roles = {**SERVICETRAINEE_ROLES, "control": "register"}
    part = df.loc[df[roles["group"]] == roles["treated"], roles["unit"]].unique()[:2]
    month = roles["post"][3]
    df = df[~(df[roles["unit"]].isin(part) & (df[roles["period"]] == month))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, **roles)
    assert ev.design in ("did", "matched_did") and ev.estimate.n_treated == 28
    a = ev.attrition
    assert (a["n_lost"], a["n_lost_by_design"], a["n_lost_treated"]) == (2, 2, 2)
    assert a["treated"] == 2 / 30 and a["overall"] > 0
    assert json.loads(json.dumps(ev.to_dict()))["attrition"]["n_lost"] == 2
    page = evaluation_html(ev, lang="en", suppress_below=1)
    assert "(n = 2)" in page


def test_precision_counts_the_coverage_studys_honesty_flag():
    """#14 point 4: participants' costs more dispersed than the comparison group's (80 vs
    400, half zeros) is a regime where the package's intervals under-covered; the ladder's
    precision rating counts it (one step lower) and says so."""
    import warnings

    import numpy as np
    import pandas as pd

    import impacteval as ie
    from impacteval.ladder.ratings import padlocks_mdes
    from impacteval.thresholds import Thresholds

    rng = np.random.default_rng(0)
    ct = np.where(rng.random(80) < 0.5, 0.0, rng.lognormal(9, 1.6, 80))
    cc = np.where(rng.random(400) < 0.5, 0.0, rng.lognormal(9, 0.8, 400))
    df = pd.DataFrame({"g": ["p"] * 80 + ["c"] * 400, "kostnad": np.r_[ct, cc]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, outcome="kostnad", group="g", treated="p")
    flag = ev.estimate.diagnostics.get("coverage_regime")
    assert flag is not None, "the sample should carry the honesty flag"
    assert flag["code"] == "participants_more_dispersed"
    assert padlocks_mdes(ev.mde["mdes"], Thresholds()) == 3
    assert ev.ratings["precision"] == 2
    assert ev.ratings["coverage_flag"]["code"] == flag["code"]
    assert any("coverage study" in v for v in ev.lines("en"))
    assert any("simuleringsstudie" in v for v in ev.lines("sv"))


def test_collection_summary_table_is_swedish():
    import warnings

    import impacteval as ie
    from impacteval.cli import SERVICETRAINEE_ROLES

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(ie.datasets.load_servicetrainee(), **SERVICETRAINEE_ROLES)
    sv = ev.summary("sv").split("\n\n")[1]
    assert "tillförlitlighet" in sv and "matchad skillnad-i-skillnader" in sv
    assert "conf_low" not in sv and "0.3" not in sv
