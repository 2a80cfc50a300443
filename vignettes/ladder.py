# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Climbing the evaluation ladder
#
# Did the project make a difference? The honest answer depends on the data: on
# what was measured, for whom, and when. The *evaluation ladder*
# (*utvärderingstrappan*) orders the designs from the weakest to the strongest:
#
# | score | design | what it needs |
# |---|---|---|
# | 0 | follow-up | the participants' outcome |
# | 1 | before–after | the participants before and after |
# | 2 | benchmark | + a reference value (a norm, a national rate) |
# | 2 | comparison | a comparison group, measured after only |
# | 3 | adjusted comparison | + background facts measured before |
# | 4 | difference in differences | both groups before and after |
# | 4 | matched ("statistical twins") | twins found on earlier outcomes |
# | 5 | matched DiD | twins + before and after |
# | 6 | natural experiment | a lottery-like rule decided who got a place |
# | 7 | randomised | places decided by lot, and a list of everyone in the lottery |
#
# Each step up removes one more explanation that has nothing to do with the
# project. This vignette climbs the ladder with one small teaching data set per
# step (`ie.datasets.load_teaching(name)`; each is small enough to open in a
# spreadsheet). The data are invented, so we know the true effect and can see
# which designs find it. Runs with `python vignettes/ladder.py`.

# %%
import warnings
from importlib.resources import as_file, files

import pandas as pd

import impacteval as ie
from impacteval.errors import ImpactEvalWarning

# Warnings about assumptions are also kept in each result's `notes`.
warnings.simplefilter("ignore", ImpactEvalWarning)

load = ie.datasets.load_teaching
print(", ".join(ie.datasets.TEACHING_NAMES))

# %% [markdown]
# ## Step 0 — Follow-up: how are the participants doing?
#
# 40 young adults took part in job coaching. Six months later a coach phoned
# them: were they in work or studies? The target was 60 %.

# %%
follow = load("follow_up")
fu = ie.follow_up(follow, outcome="in_work_or_studies", target=0.60)
print(fu.summary())

# %% [markdown]
# 53 % of those reached were in work or studies, with an interval from 37 % to
# 68 %. Four of the 40 could not be reached, and "not reached" is not "not in
# work". The honest range over all 40 goes from assuming that none of the four
# was in work or studies to assuming that all four were:

# %%
yes = int(follow["in_work_or_studies"].sum())
missing = int(follow["in_work_or_studies"].isna().sum())
print(f"{yes} of {len(follow) - missing} reached; over all {len(follow)}: "
      f"{yes / len(follow):.0%} (none of the {missing} missing) to "
      f"{(yes + missing) / len(follow):.0%} (all of them)")

# %% [markdown]
# **What a follow-up adds:** a description. **What it cannot do:** say whether
# the project made any difference — the young adults might have found work
# anyway.
#
# ## Step 1 — Before–after: the same people, twice
#
# A school invited the 28 pupils with the lowest autumn reading scores to a
# homework club and tested them again in spring.

# %%
ba = ie.before_after(load("before_after"), outcome="reading", unit="pupil_id",
                     period="period", pre="pre", post="post")
print(ba.summary())

# %% [markdown]
# Reading rose by about 11 points. In the synthetic truth the club added only
# **2**. The rest: pupils picked for one low score regress towards their usual
# level (regression to the mean), and taking the same test twice raises scores
# (a practice effect). A before–after study cannot tell these apart from the
# club. **It adds** a change over time; **it cannot** say what caused it.
#
# ## Step 2a — Benchmark: against a reference value
#
# 36 children took a standardised vocabulary test after a language programme.
# The test's norm population has mean 100 and SD 15.

# %%
norm = ie.Reference(mean=100, sd=15, source="test norm")
bm = ie.benchmark(load("benchmark"), outcome="vocabulary", reference=norm)
print(bm.summary())

# %% [markdown]
# The children score about 5 points (a third of an SD) below the norm. The
# package warns that this describes **need**, not an effect: children who enter
# a language programme start below the norm. **It adds** a yardstick; **it
# cannot** tell what the children would have scored without the programme.
#
# ## Step 2b — Comparison group, after only
#
# 35 pupils took a summer school; 50 from a neighbouring district did not. Only
# the final merit points are known.

# %%
cmp_ = ie.difference(load("comparison"), outcome="merit", group="group",
                     treated="participant")
print(cmp_.summary())

# %% [markdown]
# About +15 merit points — which is the synthetic truth — but the interval runs
# from below zero to over 30, and nothing in the data shows that the two
# districts' pupils were alike before. **It adds** a counterfactual; **it
# cannot** show that the groups started equal.
#
# ## Step 3 — Adjusted comparison: background facts from before
#
# A job-matching project: 40 participants, 90 non-participants, yearly earnings
# after. Participants were better educated and had shorter unemployment spells.
# Adjusting for facts measured *before* the project (regression with robust
# HC2 standard errors) changes the answer:

# %%
adj = load("adjusted_comparison")
raw = ie.difference(adj, outcome="earnings", group="group", treated="participant")
adjusted = ie.difference(adj, outcome="earnings", group="group", treated="participant",
                         covariates=["education", "years_in_sweden", "months_unemployed",
                                     "age"])
for label, e in (("raw", raw), ("adjusted", adjusted)):
    print(f"{label:>8}: {e.estimate:8,.0f} SEK  95 % interval {e.conf_low:8,.0f} to "
          f"{e.conf_high:8,.0f}".replace(",", " "))

# %% [markdown]
# The truth is about +17 000 SEK. Adjustment moved the estimate by 8 000 SEK and
# the interval is wide either way: 40 participants cannot pin the effect down,
# and a linear adjustment is only as good as the model (here, earnings depend on
# age in a way a straight line does not capture). **It adds** control for
# measured differences; **it cannot** control for what was not measured, such as
# motivation — and without earnings before the project there are no "twins".
#
# ## Step 4a — Difference in differences, and a file from Swedish Excel
#
# A district offered 30 welfare households intensive coaching; 30 households in
# another district were the comparison. Welfare payments were measured the year
# before and the year after. Payments fell in both districts, so the effect is
# the *extra* fall.
#
# Municipal data often arrive as a spreadsheet exported from Swedish Excel:
# semicolons between columns, decimal commas, Swedish column names. The bundled
# file `teaching_did_excel_sv.csv` holds the same data that way, and
# `ie.read_table` reads it without any settings:

# %%
path = files("impacteval.datasets.data") / "teaching_did_excel_sv.csv"
with as_file(path) as p:
    raw_text = p.read_bytes()[:120].decode("utf-8-sig")
    excel = ie.read_table(p)
print(raw_text.splitlines()[:2])
print(excel.head(4).to_string(index=False))

did_sv = ie.did(excel, outcome="försörjningsstöd_tkr", unit="hushåll", group="grupp",
                treated="projekt", period="mätning", pre="före", post="efter")
print(did_sv.summary())

# %% [markdown]
# The same numbers from the English teaching file give the same estimate:

# %%
did_en = ie.did(load("did"), outcome="welfare_ksek", unit="household_id", group="group",
                treated="participant", period="period", pre="pre", post="post")
print(f"Swedish file: {did_sv.estimate:.2f} kSEK, English file: {did_en.estimate:.2f} kSEK")
if abs(did_sv.estimate - did_en.estimate) > 1e-9:
    raise RuntimeError("read_table did not reproduce the teaching_did numbers")

# %% [markdown]
# Welfare fell about 7 kSEK a year more in the project district (truth: 8), with
# an interval from −16 to +2 kSEK. **It adds** removal of everything that
# changed for both districts (the labour market) and of stable differences
# between them (the project households received more to begin with). **It
# assumes** parallel trends, which one year before cannot test.
#
# ## Step 4b — Matched: statistical twins on earlier welfare
#
# 20 participants, a pool of 150 non-participants at the same office, welfare the
# year before and after. Participants were younger and received less before.
# Each participant gets the most similar person in the pool as a twin — on
# earlier welfare first of all.

# %%
twins = load("matched")
naive = ie.difference(twins, outcome="welfare_after", group="group", treated="participant")
m = ie.match(twins, outcome="welfare_after", group="group", treated="participant",
             covariates=["welfare_before", "age", "months_on_welfare"], seed=1)
print(m.summary())

# %% [markdown]
# The balance diagnostics come before the effect: after matching, the largest
# standardised difference (for age) is about 0.24 — under the 0.25 limit, but
# above 0.10, so the note asks for a regression adjustment on top of the
# matching (`bias_correction=True`, as the ladder does). This choice is made from
# the balance table, not from the outcome.

# %%
m_bc = ie.match(twins, outcome="welfare_after", group="group", treated="participant",
                covariates=["welfare_before", "age", "months_on_welfare"],
                bias_correction=True, seed=1)
for label, e in (("raw difference", naive), ("matched", m), ("matched + adjustment", m_bc)):
    print(f"{label:>21}: {e.estimate:6.1f} kSEK  95 % interval {e.conf_low:6.1f} to "
          f"{e.conf_high:6.1f}")

# %% [markdown]
# The raw difference (about −25 kSEK) mixes the project with who joined; the
# twins bring it close to the truth of **−10 kSEK**. **It adds** a comparison
# with people who looked the same before, including on the outcome itself.
# **It cannot** remove differences nobody measured.
#
# ## Step 5 — Matched difference in differences
#
# A return-to-work project: 18 people on long sick leave, 72 in the pool,
# earnings the year before and after. Participants earned less before (DiD
# handles that) and were older — and older people's earnings recover more
# slowly, so the groups would *not* have followed parallel trends. The ladder
# (`ie.evaluate`, below) tries every design and picks the strongest that passes
# its checks:

# %%
md = ie.evaluate(load("matched_did"), outcome="earnings_ksek", unit="person_id",
                 group="group", treated="participant", period="period", pre="pre",
                 post="post", covariates=["age"])
print("\n".join(md.verdict))
for e in (md.estimate, md.sensitivity["did"]):
    print(f"{e.design:>11}: {e.estimate:5.1f} kSEK  95 % interval {e.conf_low:5.1f} to "
          f"{e.conf_high:5.1f}")

# %% [markdown]
# The truth is **+30 kSEK**. Plain DiD understates it, because the comparison
# pool is younger and would have recovered faster anyway; comparing each
# participant with a twin of the same age removes most of that. **It adds**
# parallel trends only *within* twins — a weaker assumption than either
# matching or DiD alone.
#
# ## Step 7 — Randomised: a lottery
#
# Four schools had more applicants for a reading programme than places and drew
# lots. The file is the roster of everyone in the lottery; five pupils moved
# away before the final test (attrition).

# %%
rct = load("randomized")
itt = ie.difference(rct, outcome="score", group="group", treated="treatment",
                    assignment="randomized")
itt_adj = ie.difference(rct, outcome="score", group="group", treated="treatment",
                        covariates=["baseline_score"], assignment="randomized")
perm = ie.difference(rct, outcome="score", group="group", treated="treatment",
                     assignment="randomized", ci="permutation", n_boot=9999, seed=7)
for label, e in (("difference in means", itt), ("permutation test", perm),
                 ("adjusted for the pre-test", itt_adj)):
    print(f"{label:>26}: {e.estimate:5.2f} points  95 % interval {e.conf_low:6.2f} to "
          f"{e.conf_high:5.2f}  p = {e.p_value:.3f}  ({e.inference['method']})")

# %% [markdown]
# The truth is **+5 points**. The lottery makes the groups alike in everything,
# measured or not, so the difference in means is a fair estimate — but a noisy
# one with 75 pupils. Adjusting for the reading score *before* the lottery
# narrows the interval a lot: a pre-test is the cheapest precision. The ladder
# also checks attrition against the What Works Clearinghouse boundary:

# %%
rct_ev = ie.evaluate(rct, outcome="score", group="group", treated="treatment",
                     assignment="randomized")
print("\n".join(rct_ev.verdict))

# %% [markdown]
# ## The ladder on every teaching set
#
# `ie.evaluate` does all of the above by itself: from the strongest design down,
# it runs each design's must-pass checks and keeps the strongest that passes.
# On the ten sets (with the roles a user would give; the `matched` set is
# reshaped to long format so the ladder knows `welfare_before` is the earlier
# outcome):

# %%
twins_long = twins.melt(
    id_vars=["person_id", "group", "age", "sex", "n_children", "months_on_welfare"],
    value_vars=["welfare_before", "welfare_after"], var_name="period", value_name="welfare")
twins_long["period"] = twins_long["period"].map({"welfare_before": "pre",
                                                 "welfare_after": "post"})
runs = {
    "follow_up": (follow, dict(outcome="in_work_or_studies")),
    "before_after": (load("before_after"), dict(outcome="reading", unit="pupil_id",
                                                period="period", pre="pre", post="post")),
    "benchmark": (load("benchmark"), dict(outcome="vocabulary", reference=norm)),
    "comparison": (load("comparison"), dict(outcome="merit", group="group",
                                            treated="participant")),
    "adjusted_comparison": (adj, dict(outcome="earnings", group="group",
                                      treated="participant",
                                      covariates=["education", "years_in_sweden",
                                                  "months_unemployed", "age"])),
    "did": (load("did"), dict(outcome="welfare_ksek", unit="household_id", group="group",
                              treated="participant", period="period", pre="pre",
                              post="post")),
    "matched": (twins_long, dict(outcome="welfare", unit="person_id", group="group",
                                 treated="participant", period="period", pre="pre",
                                 post="post", covariates=["age", "months_on_welfare"])),
    "matched_did": (load("matched_did"), dict(outcome="earnings_ksek", unit="person_id",
                                              group="group", treated="participant",
                                              period="period", pre="pre", post="post",
                                              covariates=["age"])),
    "randomized": (rct, dict(outcome="score", group="group", treated="treatment",
                             assignment="randomized")),
}
rows = []
for name, (data, roles) in runs.items():
    ev = ie.evaluate(data, **roles)
    e = ev.estimate
    rows.append({"teaching set": name, "ladder chose": ev.design, "estimate": e.estimate,
                 "conf_low": e.conf_low, "conf_high": e.conf_high,
                 "design": ev.ratings["design"], "precision": ev.ratings["precision"],
                 "security": ev.ratings["security"]})
print(pd.DataFrame(rows).to_string(index=False, float_format=lambda v: f"{v:.3g}"))

# %% [markdown]
# Three things to notice:
#
# * The ladder does not always pick the design a set was made for. On the
#   `matched` set its twins (found on earlier welfare, age and months on
#   welfare) stay slightly out of balance on age (|SMD| just above 0.25), so it
#   falls back to DiD; on `adjusted_comparison` the participants cannot be
#   balanced on months unemployed, so it falls back to the plain comparison.
#   The ladder is strict on purpose, and every rejection is explained
#   (`ev.steps`, `ev.summary()`).
# * The **security** rating (0–5) is the weakest of design, precision and
#   attrition. Even the lottery gets a low rating here: 80 pupils give a minimum
#   detectable effect of about 0.66 SD, so only very large effects could be
#   seen.
# * Before–after and follow-up get design rating 0: they describe, they do not
#   evaluate.
#
# Every verdict comes with a paragraph in Swedish or English for readers who
# are not statisticians:

# %%
print(ie.evaluate(load("did"), **runs["did"][1]).explain("sv"))

# %% [markdown]
# To climb a step, collect the data the next step needs — *before* the project
# starts. The page "Which design can my data support?" (`docs/which_design.md`)
# lists what each step needs and what it must pass.
