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
# rung: `ie.datasets.load_teaching(name)` with `name` the rung's design name,
# and `ie.datasets.teaching_roles(name)` the roles to pass to `ie.evaluate`.
# Each set is built so that the ladder lands on *its* rung with the default
# thresholds, and the data are invented, so we know the true effect
# (`ie.datasets.teaching_truth(name)`) and can see which designs find it. At
# every step we also print what the next weaker rung would have claimed. Runs
# with `python vignettes/ladder.py`.

# %%
import warnings
from importlib.resources import as_file, files

import pandas as pd

import impacteval as ie
from impacteval.errors import ImpactEvalWarning
from impacteval.ladder import DESIGNS

# Warnings about assumptions are also kept in each result's `notes`.
warnings.simplefilter("ignore", ImpactEvalWarning)

load = ie.datasets.load_teaching
roles = ie.datasets.teaching_roles
truth = ie.datasets.teaching_truth


def num(x: float) -> str:
    """Whole numbers with spaces for large values (Swedish style), 4 digits otherwise."""
    return f"{x:,.0f}".replace(",", " ") if abs(x) >= 1000 else f"{x:.4g}"


def climb(name: str) -> ie.Evaluation:
    """Run the ladder on one teaching set; print the verdict, the truth and what the
    next weaker rung would have claimed."""
    ev = ie.evaluate(load(name), **roles(name))
    e = ev.estimate
    t = truth(name)
    print(f"{name}: the ladder chose {ev.design} (score {ev.score})")
    print(f"  estimate {num(e.estimate)}, 95 % interval {num(e.conf_low)} to "
          f"{num(e.conf_high)}" + (f"; synthetic truth {num(t)}" if t is not None else ""))
    weaker = [(d, s) for d, s in ev.sensitivity.items()
              if DESIGNS[d][0] < ev.score and s.estimate != e.estimate]
    if weaker:
        d, s = max(weaker, key=lambda ds: DESIGNS[ds[0]][0])
        print(f"  the next weaker rung, {d}, would have claimed {num(s.estimate)} "
              f"({num(s.conf_low)} to {num(s.conf_high)})")
    return ev


def rejected(ev: ie.Evaluation) -> None:
    """The verdict lines of the rungs above the chosen one that the ladder tried."""
    for v in ev.verdict:
        if " rejected: " in v and "no comparison group" not in v \
                and "declared" not in v and "needs the outcome before" not in v \
                and "one treated unit" not in v:
            print("  " + v)


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
ev0 = climb("follow_up")

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
# anyway. (The economics functions refuse a follow-up level as an effect for
# the same reason.)
#
# ## Step 1 — Before–after: the same people, twice
#
# A school invited the 28 pupils with the lowest autumn reading scores to a
# homework club and tested them again in spring.

# %%
ev1 = climb("before_after")

# %% [markdown]
# Reading rose by about 11 points. In the synthetic truth the club added only
# **2**. The rest: pupils picked for one low score regress towards their usual
# level (regression to the mean), and taking the same test twice raises scores
# (a practice effect). The weaker rung, a follow-up, would only have said how
# the pupils read in spring. **It adds** a change over time; **it cannot** say
# what caused it.
#
# ## Step 2a — Benchmark: against a reference value
#
# 36 children took a standardised vocabulary test after a language programme.
# The test's norm population has mean 100 and SD 15.

# %%
ev2a = climb("benchmark")
print("\n".join(ev2a.ratings["threats"]))

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
ev2b = climb("comparison")

# %% [markdown]
# About +15 merit points — the synthetic truth — but the interval runs from
# below zero to over 30, and nothing in the data shows that the two districts'
# pupils were alike before. The weaker rung (a follow-up of the participants)
# would only have given their mean of about 200 points. **It adds** a
# counterfactual; **it cannot** show that the groups started equal.
#
# ## Step 3 — Adjusted comparison: background facts from before
#
# A job-matching project: 40 participants, 90 non-participants, yearly earnings
# after. Participants were better educated, a little younger and had shorter
# unemployment spells. The ladder finds each participant a twin on those facts
# (all measured *before* the project) and adjusts for what the twins leave:

# %%
ev3 = climb("adjusted_comparison")

# %% [markdown]
# The plain comparison says about +32 000 SEK; adjustment brings the estimate
# to about +16 000 SEK, against a truth of **+20 000 SEK**: here **adjustment
# helps**, because the facts that drove who joined were measured. **It adds**
# control for measured differences; **it cannot** control for what was not
# measured, such as motivation — and without earnings before the project there
# are no twins on the outcome itself (the ladder flags this threat).
#
# ### When adjustment cannot work
#
# The same project, but this time it took only people unemployed for 20–48
# months, while the comparison group had been unemployed for 0–24 months.
# Nobody in the comparison group looks like a participant:

# %%
ev3x = climb("adjusted_comparison_no_overlap")
rejected(ev3x)
straight = ie.difference(load("adjusted_comparison_no_overlap"),
                         **{k: v for k, v in roles("adjusted_comparison_no_overlap").items()})
print(f"  a straight-line regression would have said {num(straight.estimate)} "
      f"({num(straight.conf_low)} to {num(straight.conf_high)})")

# %% [markdown]
# The ladder **rejects** the adjusted comparison and says why: even the best
# twins differ on months unemployed by far more than the 0.25 SD limit (Stuart
# 2010; What Works Clearinghouse). A regression would have extrapolated a
# straight line beyond the comparison group's data: whatever it says rests on
# the shape of that line where there are no comparison data, and nothing in
# the data can check it (here it says about +4 000 SEK against a truth of
# +20 000, with an interval that includes zero). What remains is the
# raw comparison, which is hopelessly confounded — the long-term unemployed earn
# far less anyway — and gets security 1/5. The right conclusion: **these data
# cannot answer the question**; collect earnings before the project, or a
# comparison group with the same unemployment history.
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
did_sv = ie.evaluate(excel, **roles("did_excel_sv"))
ev4a = climb("did")
print(f"Swedish file: {did_sv.estimate.estimate:.2f} kSEK, English file: "
      f"{ev4a.estimate.estimate:.2f} kSEK")
if abs(did_sv.estimate.estimate - ev4a.estimate.estimate) > 1e-9:
    raise RuntimeError("read_table did not reproduce the teaching_did numbers")

# %% [markdown]
# Welfare fell about 7 kSEK a year more in the project district (truth: 8), with
# an interval from about −16 to +2 kSEK. The weaker rung — comparing the
# districts after only — would have credited the project with a difference
# that the districts already had before. **It adds** removal of everything that
# changed for both districts (the labour market) and of stable differences
# between them. **It assumes** parallel trends, which one year before cannot
# test.
#
# ## Step 4b — Matched: statistical twins on earlier welfare
#
# 15 participants, 45 recipients at the same office, welfare in 2021 and 2022
# (before) and 2023 (after). The participants' payments had been *rising* for
# two years, the comparison group's were flat — so the groups were not on
# parallel paths, and with two years before the ladder can see it:

# %%
ev4b = climb("matched")
rejected(ev4b)
print(f"  DiD would have claimed {ev4b.sensitivity['did'].estimate:.1f} kSEK")

# %% [markdown]
# The ladder rejects matched DiD and DiD on the pre-period slope difference:
# the participants' payments rose about 13 kSEK a year faster before the
# project, and even the 90 % interval of that difference lies wholly beyond the
# tolerance (0.10 SD a year, here about 2.2 kSEK). It compares each participant
# with twins who received the same welfare before. The truth is **−10 kSEK**;
# the twins find about −12. **It adds** a comparison with people who looked the
# same before *on the outcome itself*. **It cannot** remove differences nobody
# measured. (DiD happens to land near the truth on this draw, but its
# assumption is visibly broken, so the ladder does not trust it.)
#
# Matching on earlier *levels* does not remove a difference in *trends*
# either, and the verdict checks it with a placebo: the same matching run on
# the last year before the start as if it were "after" finds an "effect" of
# about 13 kSEK where there can be none (95 % interval about 7 to 20), so the
# security rating is capped at 1 (it is already 0 here for precision).
#
# ## Step 5 — Matched difference in differences
#
# A return-to-work project: 18 people on long sick leave, 72 in the pool,
# earnings the year before and after. Participants earned less before (DiD
# handles that) and were older — and older people's earnings recover more
# slowly, so the groups would *not* have followed parallel trends. Twins of the
# same age remove that:

# %%
ev5 = climb("matched_did")

# %% [markdown]
# The truth is **+30 kSEK**. Plain DiD understates it, because the comparison
# pool is younger and would have recovered faster anyway. **It adds** parallel
# trends only *within* twins — a weaker assumption than either matching or DiD
# alone.

# %% [markdown]
# ## One treated unit: synthetic control and interrupted time series
#
# Sometimes the "participant" is a whole municipality. Norrvik brought young
# people home from residential care earlier from month 25; its monthly costs
# are known for 24 months before and 12 after, and so are those of 19 other
# municipalities. No single one is like Norrvik, but a weighted mix of a few
# follows its costs closely before the start: a *synthetic control*
# (score 4, like DiD):

# %%
ev_sc = climb("synthetic_control")
for d in ("did", "before_after"):
    if d in ev_sc.sensitivity:
        s_ = ev_sc.sensitivity[d]
        print(f"  {d} would have claimed {num(s_.estimate)} ({num(s_.conf_low)} to "
              f"{num(s_.conf_high)})")

# %% [markdown]
# The truth is about **−84 kSEK a month**. The interval comes from placebo runs:
# each of the 19 other municipalities is treated as if it had run the project.
# **It adds** a comparison built to match the one unit's own past; **it
# cannot** rule out that something else happened in Norrvik in month 25.
#
# Without other municipalities' figures there is only Norrvik's own series: 36
# months before and 24 after. An *interrupted time series* (score 2) extends
# the trend and the season pattern of the months before and compares:

# %%
ev_its = climb("interrupted_time_series")
series = load("interrupted_time_series")
means = series.groupby("period", observed=True)["care_cost_ksek"].mean()
print(f"  a before–after look (mean after − mean before) would have claimed "
      f"{num(means['post'] - means['pre'])}")

# %% [markdown]
# The truth is about **−83 kSEK a month**. Costs were rising before the start,
# so comparing the mean after with the mean before mixes the project with the
# trend — here it even gets the sign wrong (about +6 kSEK). **It adds** the trend; **it cannot** tell the project from anything
# else that changed at the same time — which is why it sits low on the ladder.

# %% [markdown]
# ## Step 6 — Natural experiment: a lottery among waitlisted applicants
#
# 60 families applied for 30 places in a parenting programme. The social
# services drew lots among everyone on the waitlist. Nobody designed a study —
# but chance alone decided who got a place. Declared as
# `assignment="lottery_waitlist"`:

# %%
ev6 = climb("natural_experiment")
print("\n".join(v for v in ev6.verdict if v.startswith(("randomized", "natural"))))

# %% [markdown]
# The truth is **−6 points** on the conflict score. The lottery makes the groups
# alike in everything, measured or not; the ladder checks what it can — the
# groups' scores at application (|g| ≈ 0.03) and attrition (one family lost in
# each arm) — and estimates the offer's effect adjusted for the score at
# application. A before–after look would have said about −10, because scores
# fell by 3 points in both groups. It is not called *randomised*: the municipality
# did not randomise for a study, so there is no study roster and no protocol,
# and the ladder keeps the two apart (Maryland level 4, not 5).
#
# ### A cutoff rule
#
# A school gave a reading tutor to every pupil who scored below 85 on a
# screening test. The rule, not the pupils, decided — a natural experiment of
# the cutoff kind (`assignment="rule_cutoff"`). Pupils just below and just above
# 85 are alike, so a regression discontinuity design would compare them:

# %%
ev6c = climb("natural_experiment_cutoff")
rejected(ev6c)

# %% [markdown]
# This version of the package does not estimate regression discontinuity, and
# the ladder says so instead of pretending: it falls back to DiD (truth **+4**),
# and flags the 2 SD level difference that a cutoff rule produces by design. A
# plain comparison after the term would have said about −12: the tutored pupils
# were chosen *because* they read worse.
#
# ## Step 7 — Randomised: a lottery for a study
#
# Four schools had more applicants for a reading programme than places and drew
# lots for a study. The file is the roster of everyone in the lottery; five
# pupils moved away before the final test (attrition).

# %%
ev7 = climb("randomized")
rct = load("randomized")
itt = ie.difference(rct, outcome="score", group="group", treated="treatment",
                    assignment="randomized")
perm = ie.difference(rct, outcome="score", group="group", treated="treatment",
                     assignment="randomized", ci="permutation", n_boot=9999, seed=7)
for label, e in (("difference in means", itt), ("permutation test", perm),
                 ("adjusted for the pre-test", ev7.estimate)):
    print(f"{label:>26}: {e.estimate:5.2f} points  95 % interval {e.conf_low:6.2f} to "
          f"{e.conf_high:5.2f}  p = {e.p_value:.3f}")
print("\n".join(v for v in ev7.verdict if v.startswith("randomized")))

# %% [markdown]
# The truth is **+5 points**. The lottery makes the groups alike in everything,
# measured or not, so the difference in means is a fair estimate — but a noisy
# one with 75 pupils. Adjusting for the reading score *before* the lottery
# narrows the interval a lot: a pre-test is the cheapest precision. The ladder
# also checks attrition against the What Works Clearinghouse boundary.
#
# ## The ladder on every teaching set
#
# `ie.evaluate` does all of the above by itself. On every teaching set, with
# `teaching_roles(name)`:

# %%
rows = []
for name in ie.datasets.TEACHING_RUNGS:
    ev = ie.evaluate(load(name), **roles(name))
    e = ev.estimate
    rows.append({"teaching set": name, "ladder chose": ev.design, "estimate": e.estimate,
                 "conf_low": e.conf_low, "conf_high": e.conf_high, "truth": truth(name),
                 "design": ev.ratings["design"], "precision": ev.ratings["precision"],
                 "security": ev.ratings["security"]})
overview = pd.DataFrame(rows)
print(overview.to_string(index=False, float_format=num))
wrong = overview[overview["ladder chose"] != overview["teaching set"].map(
    ie.datasets.TEACHING_RUNGS)]
if len(wrong):
    raise RuntimeError(f"teaching sets off their rung: {wrong['teaching set'].tolist()}")

# %% [markdown]
# Three things to notice:
#
# * Every set lands on its rung; the two that teach a failure
#   (`adjusted_comparison_no_overlap`, `natural_experiment_cutoff`) land lower
#   on purpose, and the ladder says why (`ev.steps`, `ev.summary()`).
# * The **security** rating (0–5) is the weakest of design, precision and
#   attrition. Even the lottery sets get low ratings: with 60–80 units only
#   large effects can be detected.
# * Before–after and follow-up get design rating 0: they describe, they do not
#   evaluate.
#
# Every verdict comes with a paragraph in Swedish or English for readers who
# are not statisticians:

# %%
print(ev6.explain("sv"))

# %% [markdown]
# To climb a step, collect the data the next step needs — *before* the project
# starts. The page "Which design can my data support?" (`docs/which_design.md`)
# lists what each step needs and what it must pass.
#
# ## Exercises
#
# 1. On the `before_after` set the ladder's estimate is about +11 points but
#    the truth is +2. Name the two explanations for the difference, and say
#    which rung of the ladder would remove each of them.
# 2. Load `natural_experiment` and run `ie.evaluate` with the same roles but
#    `assignment="unknown"`. Which rung does the ladder choose now, and why is
#    the estimate still close to the truth here — but not something you could
#    rely on in general?
# 3. On the `matched` set, DiD was rejected although its estimate happened to be
#    near the truth. Why is it right to reject it anyway?
#
# <details>
# <summary>Answers</summary>
#
# 1. Regression to the mean (the pupils were picked for one low score) and a
#    practice effect (the same test taken twice). A comparison group selected
#    and tested the same way removes both: a DiD (rung 4) or better, a lottery
#    among the low scorers (rungs 6–7).
# 2. Without a declared lottery the ladder cannot know that assignment was
#    random, so the natural-experiment rung is not available; it lands on DiD
#    (the pool is too small for twins). Because places really were drawn by lot
#    the groups are alike and the DiD is close to −6, but the ladder cannot
#    check that: only the declaration of how places were given can.
# 3. Its assumption — parallel trends — is visibly broken: the participants'
#    payments were rising before the project and the comparison group's were
#    flat. An estimate that is right by luck on one data set is wrong in
#    general; the ladder judges designs by their checks, not by their answers.
#
# </details>
