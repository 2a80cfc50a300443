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
# # From effect to repayment
#
# A social investment fund (*social investeringsfond*) lends or grants money to a
# municipal unit — a school, a social services office — for a project that is
# meant to save money later: fewer placements in residential care, fewer people
# on welfare. Often the fund asks for the savings back (*återföring*).
#
# Whether the money comes back depends on two things this vignette separates:
#
# 1. **the effect and its uncertainty** — what the project really changed,
#    which an effect evaluation estimates with an interval; and
# 2. **the repayment rule** — who carries the loss when the project saves less
#    than hoped: the fund, or the unit that received the money.
#
# Everything below runs with `python vignettes/repayment.py`. Amounts are in
# Swedish kronor (kr; 1 MSEK = 1 000 000 kr).

# %%
import warnings

import numpy as np

import impacteval as ie
from impacteval import Estimate
from impacteval.economics import (
    QALY_VALUES_SEK,
    Capped,
    Conditional,
    Unconditional,
    benefit_cost,
    compare_repayment,
    cost_effectiveness,
    pool,
    present_value,
    probability_pays_back,
    qaly_value,
    repayment,
)

warnings.simplefilter("ignore", ie.errors.ImpactEvalWarning)
MSEK = 1_000_000


def msek(x: float) -> str:
    return f"{x / MSEK:6.2f} MSEK"


def show_table(table) -> None:
    """Print a repayment table in MSEK."""
    money = ["grant", "expected_savings", "expected_repayment", "expected_loss_fund",
             "expected_loss_unit", "expected_net_unit"]
    t = table.copy()
    t[money] = t[money] / MSEK
    print(t.to_string(index=False, float_format=lambda v: f"{v:6.2f}"))
    print("(amounts in MSEK; p_full_repayment is a probability)")


# %% [markdown]
# ## 1. Money later is worth less than money now
#
# A krona saved in five years is worth less than a krona today, because today's
# krona could have been used in the meantime. Economists *discount* future
# amounts: with a real discount rate of 3.5 % a year (a common Swedish choice),
# a saving of 1 MSEK at the end of each of the next five years is worth:

# %%
pv_end = present_value([1 * MSEK] * 5, rate=0.035)
pv_start = present_value([1 * MSEK] * 5, rate=0.035, timing="start")
print(f"5 × 1 MSEK, paid at the end of each year:   {msek(pv_end)} today")
print(f"5 × 1 MSEK, paid at the start of each year: {msek(pv_start)} today")

# %% [markdown]
# ## 2. The worked example: 4 MSEK, a 50 % chance of saving 16 MSEK
#
# A unit gives up 4 MSEK of next year's budget for a project. If it works — a
# 50 % chance — it saves the unit 16 MSEK; if it does not, it saves nothing.
# On average it saves 8 MSEK, twice the grant. A good bet for the municipality
# as a whole. But who stands to lose if the project fails?
#
# We describe the uncertainty as a set of equally likely *draws*: half of them
# "saves nothing", half "saves 16 MSEK". (In a real evaluation the draws come
# from the effect's bootstrap; see section 4.)

# %%
grant = 4 * MSEK
savings = np.r_[np.zeros(500), np.full(500, 16 * MSEK)]
print(f"Expected saving: {msek(savings.mean())}")

for rule in (Unconditional(), Conditional()):
    print()
    print(repayment(savings, grant, rule).summary())

# %% [markdown]
# * **Unconditional** (a loan): the unit always repays 4 MSEK. The fund never
#   loses; the unit loses 4 MSEK in the half of the cases where nothing was
#   saved — an expected loss of **2 MSEK for the unit, 0 for the fund**.
# * **Conditional** (repay the measured savings, up to the grant): the unit
#   repays only what it saved, so it never loses; the fund gets nothing back
#   when the project fails — **0 for the unit, an expected 2 MSEK for the fund**.
#
# The expected saving is the same 8 MSEK under both rules. The rule only
# decides who carries the downside. A unit that cannot afford to lose 4 MSEK
# will not volunteer for an unconditional loan, however good the project.
#
# ("Expected loss of the unit" means the average amount the unit repays beyond
# what the project saved it; "expected loss of the fund" the average part of
# the grant that does not come back.)

# %% [markdown]
# ### The deductible: savings within a window, capped at the grant
#
# Many funds use a middle way: the unit repays (a share of) the savings that
# arise for it within a fixed window — five years by default — and never more
# than the grant. For this rule the *timing* of the savings matters, so we
# spread the 16 MSEK over eight years, 2 MSEK a year (an assumption for the
# example), one row per draw and one column per year.

# %%
yearly = np.vstack([np.zeros((500, 8)), np.full((500, 8), 2 * MSEK)])
rules = [Unconditional(), Conditional(), Capped(), Capped(window=1),
         Capped(window=5, share=0.3)]
show_table(compare_repayment(yearly, grant, rules))

# %% [markdown]
# With the default window of five years, a successful project has already
# saved 10 MSEK inside the window, so the full grant comes back — the same as
# the conditional rule. A short window (one year: only 2 MSEK counts) or a
# share below one (30 % of 10 MSEK = 3 MSEK) moves more of the risk to the
# fund: in exchange the unit keeps more of its savings.

# %% [markdown]
# ### The same question with the uncertainty from data, not a coin
#
# The coin is a teaching device. In Norrköping's Servicetrainee project the
# uncertainty comes from the evaluation itself. We take the bundled
# Servicetrainee data: 30 participants and 366 comparable persons from the
# welfare register, monthly welfare payments the year before and the year
# after. The effect is the extra fall in the participants' monthly payments
# (a difference in differences of each person's mean before and after), with
# 9 999 bootstrap draws (persons resampled within each group, `ci="bca"`):

# %%
persons = ie.datasets.load_servicetrainee_persons()
persons = persons[persons["group"].isin(["participant", "register"])].assign(
    change=lambda d: d["welfare_post"] - d["welfare_pre"])
st_effect = ie.difference(persons, outcome="change", group="group", treated="participant",
                          control="register", ci="bca", n_boot=9999, seed=2012)
print(f"Effect on monthly welfare per participant: {st_effect.estimate:,.0f} kr "
      f"(95 % interval {st_effect.conf_low:,.0f} to {st_effect.conf_high:,.0f})"
      .replace(",", " "))

# %% [markdown]
# Each draw becomes the social services' yearly savings for the 30
# participants: −effect × 12 months × 30. How long the effect lasts is not in
# the data, so it is an **assumption**, stated here: the full effect for five
# years, half of it for three more years (eight years in all). The grant is the
# example's 4 MSEK.

# %%
profile = np.array([1, 1, 1, 1, 1, 0.5, 0.5, 0.5])
st_draws = -np.asarray(st_effect.draws) * 12 * 30
st_yearly = np.outer(st_draws, profile)  # draws × years
total = st_yearly.sum(axis=1)
print(f"Savings over eight years: {msek(np.median(total))} (median); 95 % of draws between "
      f"{msek(np.quantile(total, 0.025))} and {msek(np.quantile(total, 0.975))}; "
      f"P(savings exceed the grant) = {np.mean(total > grant):.2f}")
norrkoping = compare_repayment(st_yearly, grant, [Unconditional(), Conditional(), Capped()])
show_table(norrkoping)
st_bc = benefit_cost(st_effect, outcome_direction="lower_is_better", value_per_unit=12.0,
                     n_participants=30, cost=grant, horizon=8, profile=profile, rate=0.035)
print(st_bc.summary())

# %% [markdown]
# Read the table row by row:
#
# * **Unconditional**: the unit repays the full 4 MSEK in every draw; the fund
#   loses nothing, and the unit pays back more than the project saved it
#   whenever the savings fall short of the grant.
# * **Conditional**: the unit repays what it saved, up to 4 MSEK; the fund
#   carries every shortfall.
# * **Capped, five years**: only the savings within the first five years count,
#   so even a project that saves more than the grant over eight years may repay
#   less than the grant: the fund loses most here, and the unit keeps the
#   savings after year five.
#
# Discounted at 3.5 %, the project's net present value and P(pays back) are in
# the benefit–cost summary: whether it pays back is a probability taken from
# the evaluation's own interval, not a coin.

# %% [markdown]
# ## 3. SkolFam: net cost and the value of better health
#
# SkolFam supports foster children's schooling. A controlled study followed
# the municipality's costs for five years: the savings (mainly fewer placements
# in residential care) covered most of a project cost of about 4 MSEK, leaving
# a net cost of only 10–15 % of the project cost (undiscounted, as published).
# The children also gained on average 0.16 quality-adjusted life years (QALYs).
# Valued at common Swedish values per QALY, 500 kSEK to 1.3 MSEK (point values
# only here; the SkolFam vignette carries the uncertainty through, with present
# values, and shows which of these conclusions survive):

# %%
project_cost = 4 * MSEK
net_cost = np.array([0.10, 0.15]) * project_cost
q = qaly_value(0.16, QALY_VALUES_SEK)
print(f"Net cost for the municipality: {msek(net_cost[0])} – {msek(net_cost[1])}")
print(q.summary())

# %% [markdown]
# 0.16 QALY × 500 000 kr = 80 000 kr and 0.16 × 1 300 000 kr = 208 000 kr per
# child. With 20 children in the programme the net cost per child is:

# %%
children = 20
per_child = net_cost / children
print(f"Net cost per child: {per_child[0]:,.0f} – {per_child[1]:,.0f} kr".replace(",", " "))
print(f"QALY value / net cost per child: {q.low / per_child[1]:.1f} to "
      f"{q.high / per_child[0]:.1f} times")

# %% [markdown]
# ## 4. From an effect with uncertainty to the chance of paying back
#
# The numbers above are point values. An effect evaluation gives an interval,
# and with placement costs the uncertainty is large: with 30 children per
# group, one or two placements in residential care can decide the result.
#
# Below, a synthetic SkolFam-like study: yearly municipal costs per child for
# 30 programme children and 30 comparison children. Placements are rare and
# very expensive, so costs are heavily skewed. We estimate the effect on the
# yearly cost per child and keep 9 999 bootstrap draws of it (children are
# resampled within each group). impacteval's estimators keep such draws in
# `Estimate.draws`; here we make them by hand so the vignette stands alone.

# %%
rng = np.random.default_rng(2030)


def yearly_costs(n: int, p_placement: float) -> np.ndarray:
    base = rng.gamma(4.0, 20_000.0, n)  # foster care support, about 80 000 kr a year
    placed = rng.random(n) < p_placement
    placement = rng.lognormal(np.log(700_000.0), 0.5, n)  # a year in residential care
    return base + placed * placement


programme = yearly_costs(30, 0.06)
comparison = yearly_costs(30, 0.10)
effect = programme.mean() - comparison.mean()  # negative = lower costs

n_boot = 9_999
boot = (programme[rng.integers(0, 30, (n_boot, 30))].mean(axis=1)
        - comparison[rng.integers(0, 30, (n_boot, 30))].mean(axis=1))
se = boot.std(ddof=1)
low, high = np.quantile(boot, [0.025, 0.975])
est = Estimate(
    estimate=effect, std_error=se, conf_low=low, conf_high=high, n_treated=30,
    n_control=30, design="comparison", estimand="ATT", outcome="yearly_cost",
    inference={"method": "percentile", "n_boot": n_boot, "seed": 2030}, draws=boot,
)
print(f"Effect on yearly cost per child: {effect:,.0f} kr, "
      f"95 % interval {low:,.0f} to {high:,.0f} kr".replace(",", " "))

# %% [markdown]
# The interval is wide and includes zero: the data are compatible with a large
# saving and with no saving at all. What does that mean for the money? A krona
# less in cost is a krona saved: the outcome is in kronor and lower is better
# (`outcome_direction="lower_is_better"`). The
# effect is assumed to last the five years of follow-up; the project cost
# 4 MSEK up front.

# %%
bc = benefit_cost(est, outcome_direction="lower_is_better", cost=project_cost, horizon=5,
                  rate=0.035)
print(bc.summary())
print()
p = probability_pays_back(est, outcome_direction="lower_is_better", cost=project_cost,
                          horizon=5)
print(f"Probability that the project pays back: {p:.0%}")

# %% [markdown]
# The best guess is that the project (just) pays back, but the interval runs
# from a large loss to a large gain: the chance that it pays back is about a
# coin flip. The same bootstrap draws give the savings per draw and year, so
# we can ask the repayment question with the real uncertainty instead of an
# invented coin:

# %%
yearly_savings = np.outer(-boot * 30, np.ones(5))  # draws × years, whole group
show_table(compare_repayment(yearly_savings, project_cost,
                             [Unconditional(), Conditional(), Capped(window=3)]))

# %% [markdown]
# Here some draws are *worse* than nothing — the programme group happened to
# need more residential care — and then the unit carries those extra costs too,
# whatever the rule: that is why the unit's expected loss is not zero even
# under the conditional rule. The fund's expected loss grows as the rule moves
# from a loan to a deductible with a short window.

# %% [markdown]
# ## 5. Kronor per unit of effect — and when that number does not exist
#
# "What does one unit of effect cost?" is a natural question. Take a
# Servicetrainee-like project: 30 long-term welfare recipients get a one-year
# job, at a cost of 9 MSEK. Suppose the evaluation finds 20 percentage points
# more participants in work or studies than in the comparison group, with a
# standard error of 12 points. Kronor per extra person in work:

# %%
work = Estimate(estimate=0.20, std_error=0.12, conf_low=0.20 - 2.0 * 0.12,
                conf_high=0.20 + 2.0 * 0.12, df=58, n_treated=30, n_control=30,
                design="did", estimand="ATT", outcome="in_work_or_studies")
ce = cost_effectiveness(work, 9 * MSEK, per="total")
print(ce.summary())

# %% [markdown]
# The best guess is 1.5 MSEK per extra person in work or studies. But the
# effect's interval includes zero: the project may have had no effect, and then
# no amount of money buys an extra person in work. So the honest answer is
# one-sided — *at least* about 0.68 MSEK per person — and the function says so
# instead of printing a finite interval.

# %% [markdown]
# ## 6. Small samples grow: pooling repeated cohorts
#
# One cohort of 30 children rarely settles the question. When the project runs
# again, the estimates from each cohort (or each municipality) can be pooled.
# A *fixed-effect* pool assumes one common effect; a *random-effects* pool lets
# the effect vary between cohorts and is more cautious when it does. The
# heterogeneity statistics say how much the cohorts disagree (I² is the share
# of the variation that is more than chance).

# %%
cohorts = [
    Estimate(estimate=y, std_error=s, conf_low=y - 1.96 * s, conf_high=y + 1.96 * s,
             n_treated=30, n_control=30, design="comparison", estimand="ATT",
             outcome="yearly_cost", comparison=f"cohort {i}")
    for i, (y, s) in enumerate([(-31_000.0, 14_000.0), (-52_000.0, 15_000.0),
                                (4_000.0, 16_000.0)], start=1)
]
for method in ("fixed", "random"):
    pooled = pool(cohorts, method)
    d = pooled.diagnostics
    p_back = probability_pays_back(pooled, outcome_direction="lower_is_better",
                                   cost=project_cost, horizon=5, n_participants=30)
    print(f"{method:>6}: {pooled.estimate:9,.0f} kr  95 % interval {pooled.conf_low:9,.0f} to "
          f"{pooled.conf_high:8,.0f} kr   P(pays back) {p_back:.0%}".replace(",", " "))
tau = f"{np.sqrt(d['tau2']):,.0f}".replace(",", " ")
print(f"Heterogeneity: Q = {d['q']:.2f} on {d['q_df']} df (p = {d['q_p_value']:.3f}), "
      f"I² = {d['i2']:.0%}, between-cohort SD τ = {tau} kr")
for note in pool(cohorts, "fixed").notes:
    print("Note (fixed):", note)

# %% [markdown]
# When cohorts agree, pooling three cohorts of 30 narrows the interval a lot.
# Here they disagree more than chance explains (I² = 70 %): the fixed-effect
# interval is then too optimistic, and the random-effects interval — which
# allows the effect to differ between cohorts — stays wide. The honest summary
# is that the effect seems to vary between cohorts, and it is worth finding out
# why before counting on the savings.
#
# Whether the project "pays back" is a probability, not a yes or no — and the
# repayment rule decides whose budget absorbs the cases where it does not.
#
# ## Exercises
#
# 1. In the Servicetrainee example, change the assumed profile to five years
#    at full effect and nothing after. Which rule changes its answer, and why
#    does the capped rule not?
# 2. A unit is offered either a loan (unconditional) or a conditional grant for
#    the same project. Using the Servicetrainee table, say which the unit
#    should prefer and which the fund should prefer, and what the expected
#    amounts are that decide it.
# 3. Why is the cost per extra person in work in section 5 bounded on one side
#    only, and what would make it bounded on both sides?
#
# <details>
# <summary>Answers</summary>
#
# 1. The conditional rule repays less (savings after year five no longer
#    exist), so the fund's expected loss grows; the capped five-year rule
#    counted only the first five years anyway, so its repayments do not change.
#    The unconditional rule never depends on the savings.
# 2. The unit prefers the conditional grant: its expected loss (paying back
#    more than it saved) is zero, against a positive expected loss under the
#    loan; the fund prefers the loan, under which its expected loss is zero. The
#    expected savings are the same under both rules — the rule only moves the
#    downside.
# 3. The effect's interval includes zero, so the data are compatible with no
#    effect, and then no amount of money buys an extra person in work: the
#    upper bound is infinite. A larger study (or pooled cohorts) whose interval
#    excludes zero gives a bounded interval.
#
# </details>
