"""Privacy of the report: no row data, no unit ids, small counts shown as "< 5"."""

from __future__ import annotations

import base64
import html as _h
import re
import warnings
from dataclasses import replace

import numpy as np
import pytest

import impacteval as ie
from impacteval import plots
from impacteval.errors import ImpactEvalWarning
from impacteval.report import evaluation_html


@pytest.fixture(scope="module")
def small_group():
    """teaching_did with personnummer-like ids and a comparison group of 3 households."""
    df = ie.datasets.load_teaching("did").copy()
    df["group"] = df["group"].astype(str)
    rng = np.random.default_rng(20240601)
    ids = df["household_id"].unique()
    fake = {i: f"19{rng.integers(10**9, 10**10)}" for i in ids}
    df["household_id"] = df["household_id"].map(fake)
    comp = df.loc[df["group"] == "comparison", "household_id"].unique()
    df.loc[df["household_id"].isin(comp[:3]), "group"] = "pilot"
    roles = dict(outcome="welfare_ksek", unit="household_id", group="group",
                 treated="participant", control=["comparison", "pilot"], period="period",
                 pre="pre", post="post", covariates=["age"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        evs = ie.evaluate(df, **roles)
    page = evaluation_html(evs, lang="en", data=df, roles=roles)
    page_sv = evaluation_html(evs, lang="sv", data=df, roles=roles)
    return df, roles, evs, page, page_sv


def _visible_text(page: str) -> str:
    no_img = re.sub(r'src="data:[^"]*"', 'src=""', page)
    return _h.unescape(re.sub(r"<[^>]+>", " ", no_img))


def test_no_unit_id_and_no_row_value_in_the_report(small_group):
    df, _, _, page, page_sv = small_group
    sentinel = df.loc[df["welfare_ksek"].idxmax()]
    for p in (page, page_sv):
        for uid in df["household_id"].unique():
            assert uid not in p
        # the largest single value (one household, one year) is printed nowhere, not even
        # inside the embedded figures
        svgs = [base64.b64decode(u).decode("utf-8")
                for u in re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", p)]
        assert svgs
        for text in [p, *svgs]:
            for form in (f"{sentinel['welfare_ksek']:.1f}",
                         f"{sentinel['welfare_ksek']:.1f}".replace(".", ",")):
                assert not re.search(rf"(?<![\d.,]){re.escape(form)}(?!\d)", text), form
            assert sentinel["household_id"] not in text


def test_group_of_three_is_shown_as_less_than_five(small_group):
    _, _, evs, page, page_sv = small_group
    pilot = evs["pilot"]
    n_c = max([pilot.estimate.n_control] + [s.n_control for s in pilot.sensitivity.values()])
    assert n_c == 3
    # the ladder's own paragraph names the count; the report must not
    assert "30 participants and 3 comparison units" in pilot.explain("en")
    text, text_sv = _visible_text(page), _visible_text(page_sv)
    assert "30 participants and < 5 comparison units" in text
    assert "30 deltagare och < 5 i jämförelsegruppen" in text_sv
    assert not re.search(r"\b3 (comparison units|i jämförelsegruppen)", text + text_sv)
    # the descriptive table of the pilot evaluation: count "< 5", means not shown
    sect = text.split("welfare_ksek — pilot")[1]
    m = re.search(r"Group means before and after\s+Group\s+Units\s+Before\s+After\s+Change"
                  r"\s+participants\s+30\s+\S+\s+\S+\s+\S+ %\s+pilot\s+(\S+ ?\S*)\s+–\s+–\s+–",
                  sect)
    assert m and m.group(1) == "< 5"


def test_small_group_mean_is_not_drawn(small_group):
    df, roles, *_ = small_group
    t = plots.group_means(df, outcome=roles["outcome"], unit=roles["unit"],
                             group="group", treated="participant",
                             control=["comparison", "pilot"], period="period",
                             pre="pre", post="post")
    pilot = t[t["group"] == "pilot"]
    assert pilot["suppressed"].all() and pilot["mean"].isna().all() and (pilot["n"] == 3).all()


def test_matching_ids_are_never_printed_and_free_text_is_not_shown(small_group):
    df, roles, evs, *_ = small_group
    ev = evs["comparison"]
    uid = df["household_id"].iloc[0]
    est = replace(ev.estimate, diagnostics={**ev.estimate.diagnostics,
                                            "unmatched_ids": [uid], "outside_support_ids": [uid],
                                            "n_unmatched": 2},
                  notes=ev.estimate.notes + (f"unit {uid} could not be matched",))
    leaky = replace(ev, estimate=est, verdict=ev.verdict + (f"threat: unit {uid} dropped.",))
    page = evaluation_html(leaky, data=df, roles=roles)
    assert uid not in page
    # a note added by hand is not typed: it is counted, never printed
    assert "1 note(s) added by hand are not shown" in _visible_text(page)
    assert "unmatched_ids" not in page and "outside_support_ids" not in page
    assert re.search(r"n_unmatched</th><td>&lt; 5<", page)


def test_counts_in_reasons_and_diagnostics_are_suppressed():
    # three comparison households start the project during the follow-up: the ladder's
    # count is typed, so every language and every place in the report shows "< 5"
    import warnings as _w

    df = ie.datasets.load_teaching("did")
    first = df["household_id"][df["group"] == "comparison"].unique()[:3]
    df = df.assign(start=np.where(df["household_id"].isin(first), 1.0, np.nan))
    df["period"] = df["period"].map({"pre": 0, "post": 1})
    with _w.catch_warnings():
        _w.simplefilter("ignore")
        ev = ie.evaluate(df, outcome="welfare_ksek", unit="household_id", group="group",
                         treated="participant", period="period", pre=0, post=1, start="start")
    # with start= the DiD uses them as a not-yet-started comparison (until their start)
    assert any("(used until their start) 3" in v for v in ev.verdict)  # the user's own view
    text = _visible_text(evaluation_html(ev, data=df))
    assert "< 5 of the 30 people in the comparison group started" in text
    assert "post window: < 5 (0; Rubin 1980)" in text
    assert "post window is 3" not in text and "3 of the 30" not in text
    assert "n_comparison_starting_in_window 3" not in " ".join(text.split())
    sv = _visible_text(evaluation_html(ev, data=df, lang="sv"))
    assert "< 5 av de 30 personerna i jämförelsegruppen började" in sv
    assert "uppföljningen: < 5 (0; Rubin 1980)" in sv
    assert "3 personer i jämförelsegruppen" not in sv and "3 av de 30" not in sv


def test_suppression_threshold_is_configurable(small_group):
    df, roles, evs, *_ = small_group
    text = _visible_text(evaluation_html(evs["pilot"], data=df, roles=roles, suppress_below=2))
    assert "30 participants and 3 comparison units" in text
    text10 = _visible_text(evaluation_html(evs["pilot"], suppress_below=10))
    assert "< 10 comparison units" in text10


def test_a_failed_design_is_described_by_its_kind_not_its_message_in_a_report():
    """No free text reaches the report: an error message (which may name a unit) is shown
    only in the user's own view (k = 1); with suppression the kind of error is said."""
    from impacteval.ladder.checks import Check
    from impacteval.ladder.render import Trace, reason

    c = Check(design="did", value="–", threshold="–", source="–", passed=False, code="data",
              params={"message": "unit 'HH-0042' has no post row",
                      "why": "error_InsufficientDataError"})
    t = Trace(design="did", score=4, feasible=True, verdict="rejected", code="", params={},
              checks=(c,))
    assert "HH-0042" in reason(t, "en", 1)
    assert reason(t, "en", 5) == "could not be estimated: too few units or values for the design"
    assert reason(t, "sv", 5) == "kunde inte skattas: för få enheter eller värden för designen"
