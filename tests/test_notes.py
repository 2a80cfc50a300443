"""Typed notes: every estimator note is a Note with a template per language, counts of
people are typed, and the report renders notes in its language without scrubbing text."""

from __future__ import annotations

import pickle
import re
import string
import warnings

import numpy as np
import pandas as pd
import pytest

import impacteval as ie
from impacteval.notes import NOTES, LangText, Level, Note, render_note
from impacteval.report import evaluation_html
from impacteval.texts import Count


def _fields(tmpl: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(tmpl) if f}


def test_every_note_exists_in_both_languages_with_the_same_fields():
    assert set(NOTES["en"]) == set(NOTES["sv"])
    for code, en in NOTES["en"].items():
        sv = NOTES["sv"][code]
        assert _fields(en) - {"what"} == _fields(sv) - {"what"}, code
        if code not in ("text", "coverage_regime"):
            assert sv != en, f"{code} is not translated"


def test_counts_of_people_are_suppressed_in_every_language():
    n = Note("matched_did_left_out", n=Count(2), total=Count(396), pre="1, 2", post="3")
    assert str(n).startswith("2 of 396 units left out")  # the caller's own view: exact
    assert n.render("en", 5).startswith("< 5 of 396 units left out")
    assert n.render("sv", 5).startswith("< 5 av 396 enheter lämnades utanför")
    assert n.render("sv", 2).startswith("2 av 396")


def test_numbers_follow_the_language():
    n = Note("weights_concentrated", ess_t=3.25, ess_c=1234.5)
    assert "3.2 participants, 1234.5 comparison units" in str(n)
    assert "3,2 deltagare, 1234,5 jämförelseenheter" in n.render("sv")
    lv = Note("interval_unbounded", level=Level(0.975), reason=Note("reason_one_side"))
    assert lv.render("en") == ("The 97.5 % interval is unbounded: the test could not reject "
                               "any shift on one side.")
    assert lv.render("sv") == ("Intervallet på 97,5 % är obegränsat: testet kunde inte "
                               "förkasta någon förskjutning åt ena hållet.")
    assert Note("dip", outcome="y", sd=-0.5).render("sv").count("−0,50 SD") == 1


def test_notes_survive_pickling_and_plain_text_passes_through():
    n = Note("placebo_few", k=3, how=LangText(en="all 20 sets", sv="alla 20 uppsättningar"))
    m = pickle.loads(pickle.dumps(n))
    assert m == n and m.code == "placebo_few" and "alla 20" in m.render("sv")
    assert render_note("free text", "sv") == "free text"
    with pytest.raises(KeyError):
        Note("no_such_code")


def _matching_data(seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n_t, n_c = 20, 60
    x = np.r_[rng.normal(1.0, 1, n_t), rng.normal(0, 1, n_c)]
    g = np.r_[np.ones(n_t, int), np.zeros(n_c, int)]
    return pd.DataFrame({"id": [f"p{i:03d}" for i in range(n_t + n_c)], "g": g, "x": x,
                         "y": 2 * x + g + rng.normal(0, 1, n_t + n_c)})


def test_estimators_attach_typed_notes_and_warnings():
    df = _matching_data()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = ie.match(df, outcome="y", unit="id", group="g", treated=1, covariates=["x"],
                     caliper=0.05)
    assert m.notes and all(isinstance(n, Note) for n in m.notes), m.notes
    ours = [w for w in caught if issubclass(w.category, ie.errors.ImpactEvalWarning)]
    assert ours and all(isinstance(w.message.args[0], Note) for w in ours)
    d = ie.datasets.load_teaching("did")
    r = ie.did(d, outcome="welfare_ksek", unit="household_id", group="group",
               treated="participant", period="period", pre="pre", post="post")
    assert r.notes and all(isinstance(n, Note) for n in r.notes)
    assert {n.code for n in r.notes} >= {"assume_parallel", "one_pre_period"}


def test_swedish_report_renders_the_notes_in_swedish():
    df = _matching_data()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, outcome="y", unit="id", group="g", treated=1, covariates=["x"])
    notes = [n for n in ev.estimate.notes if isinstance(n, Note)]
    assert notes
    page = evaluation_html(ev, data=df, lang="sv")
    section = page.split("Anmärkningar och varningar från skattningarna", 1)[1].split("</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", section)
    assert items
    for n in notes:
        assert str(n) not in page  # the English text never reaches the Swedish page
    assert not any(re.search(r"\b(the|and|of|is|are)\b", i) for i in items), items
