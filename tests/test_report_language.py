"""One language per report (issue #18 point 3): the Swedish report, summary() and explain()
for every design the ladder can choose contain no English outside code, no internal keys
and no decimal points."""

from __future__ import annotations

import html as H
import re
import warnings

import pytest

import impacteval as ie
from impacteval.cli import SERVICETRAINEE_ROLES
from impacteval.datasets import TEACHING_RUNGS, load_teaching, teaching_roles
from impacteval.report import evaluation_html

#: unambiguous English words (none is a Swedish word)
ENGLISH = re.compile(
    r"\b(the|and|of|is|are|was|were|with|for|not|to|by|from|this|that|which|than|"
    r"interval|effect|estimate|comparison|participants?|units?|treated|default|package|"
    r"rejected|chosen|passed|threat|baseline|difference|clustered|method|analytic|"
    r"standardi[sz]ed|influence|widened|level|trends?\s+differ|because|could|would|"
    r"should|none|missing|weights?|none)\b", re.IGNORECASE)
#: where English is allowed: publications cited by their title
ALLOWED = re.compile(r"What Works Clearinghouse|Handbook|Standards Handbook|Version \d")


def _visible(page: str) -> str:
    body = re.sub(r"<(pre|code|style|script)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r"<img[^>]*>", " ", body)
    return H.unescape(re.sub(r"<[^>]+>", "\n", body))


def _problems(text: str, columns: set[str]) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.strip()
        if not line or ALLOWED.search(line):
            continue
        bare = line
        for c in sorted(columns, key=len, reverse=True):
            bare = bare.replace(c, " ")
        words = ENGLISH.findall(bare)
        keys = re.findall(r"\b[a-z]+_[a-z0-9_]+\b", bare)
        dec = re.findall(r"(?<![\w.])\d+\.\d+(?![\w.])", bare)
        if words or keys or dec:
            out.append(f"{line[:140]!r}: english={words[:4]} keys={keys[:3]} decimals={dec[:2]}")
    return out


def _cases():
    for name in TEACHING_RUNGS:
        yield name, lambda n=name: (load_teaching(n), teaching_roles(n))
    yield "servicetrainee", lambda: (ie.datasets.load_servicetrainee(), SERVICETRAINEE_ROLES)


@pytest.mark.parametrize("name,make", list(_cases()), ids=[c[0] for c in _cases()])
def test_swedish_output_has_no_english(name, make):
    df, roles = make()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, **roles)
        page = evaluation_html(ev, data=df, roles=roles, lang="sv")
    evs = list(ev) if isinstance(ev, ie.EvaluationCollection) else [ev]
    columns = {str(c) for c in df.columns} | {str(v) for c in df.columns
                                              if df[c].dtype == object or str(df[c].dtype) in
                                              ("str", "string", "category")
                                              for v in df[c].dropna().unique()[:50]}
    problems = _problems(_visible(page), columns)
    for e in evs:
        problems += _problems(e.explain("sv"), columns)
        problems += _problems("\n".join(e.lines("sv")), columns)
    assert not problems, f"{name}: English or keys in the Swedish output:\n" + "\n".join(
        problems[:25])


def test_the_pooled_comparison_group_is_named_in_swedish():
    """From helper C_report: "jämfört med all others" was English in a Swedish report."""
    from impacteval.texts import comparison_label

    assert comparison_label("all others", "sv") == "alla övriga"
    assert comparison_label("all others", "en") == "all others"
    assert comparison_label("register", "sv") == "register"
    df = ie.datasets.load_servicetrainee()
    roles = {k: v for k, v in SERVICETRAINEE_ROLES.items() if k not in ("control", "start")}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ie.evaluate(df, **roles)  # waitlist and register pooled: "all others"
    assert ev.comparison == "all others"
    for text in (ev.explain("sv"), ev.summary("sv"), *ev.lines("sv")):
        assert "all others" not in text
    assert "alla övriga" in ev.explain("sv") and "alla övriga" in ev.summary("sv")
