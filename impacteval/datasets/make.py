"""Seeded generator of every bundled CSV file.

``python -m impacteval.datasets.make [--out DIR]`` rewrites all files (default: the
``datasets/`` folder of the source checkout). The same seed gives byte-identical files; the
test suite regenerates into a temporary folder and compares bytes.

Each dataset draws from its own random stream (``SeedSequence([SEED, k])``), so changing one
generator does not change the others. The models are deliberately simple and are described,
with the published figures they are calibrated to, in the data cards (``datasets/*.md``).
Calibration is done in two honest ways, both stated in the cards: rescaling a group's post
period payments so that its published relative reduction is met (Servicetrainee), and
conditioning — redrawing a seeded sequence of candidate datasets until a published aggregate
falls in its published range (SkolFam costs). No library offers calibrated synthetic
evaluation data, so everything here is written by hand on numpy's ``Generator``.
"""

from __future__ import annotations

import argparse
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from . import SPECS, DatasetSpec

__all__ = ["SEED", "generate", "write_all", "main"]

#: Master seed of every bundled dataset.
SEED = 20121001

_STREAM = {
    "servicetrainee": 1,
    "skolfam": 2,
    "skolfam_costs": 3,
    "teaching_follow_up": 10,
    "teaching_before_after": 11,
    "teaching_benchmark": 12,
    "teaching_comparison": 13,
    "teaching_adjusted_comparison": 14,
    "teaching_did": 15,
    "teaching_matched": 16,
    "teaching_matched_did": 17,
    "teaching_randomized": 18,
    "teaching_adjusted_comparison_no_overlap": 40,
    "teaching_natural_experiment": 41,
    "teaching_natural_experiment_cutoff": 42,
}


def _rng(name: str, seed: int = SEED) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, _STREAM[name]]))


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _ages(rng: np.random.Generator, n: int, lo: int, hi: int, mode: float) -> np.ndarray:
    """Integer ages in [lo, hi] (triangular), with lo and hi both present."""
    a = np.floor(rng.triangular(lo, mode, hi + 1, n)).astype(int)
    a = np.clip(a, lo, hi)
    idx = rng.choice(n, 2, replace=False)
    a[idx[0]], a[idx[1]] = lo, hi
    return a


def _fix_sum(rng: np.random.Generator, x: np.ndarray, total: int, lo: int, hi: int) -> np.ndarray:
    """Move single units between entries until ``x`` sums to ``total`` within [lo, hi]."""
    x = x.copy()
    while x.sum() != total:
        step = 1 if x.sum() < total else -1
        ok = np.flatnonzero((x + step >= lo) & (x + step <= hi))
        x[rng.choice(ok)] += step
    return x


# --------------------------------------------------------------------------- Servicetrainee

_ST_GROUPS = {"participant": 30, "waitlist": 30, "register": 366}
_ST_REDUCTION = {"participant": 0.80, "waitlist": 0.57, "register": 0.45}


def servicetrainee(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Servicetrainee: 426 persons × 24 months (see datasets/servicetrainee.md)."""
    groups = np.repeat(list(_ST_GROUPS), list(_ST_GROUPS.values()))
    n = len(groups)
    is_p = groups == "participant"
    is_w = groups == "waitlist"
    is_r = groups == "register"

    # background: participants aged 28-51 (published), register 27-65 (eligibility)
    age = np.empty(n, int)
    age[is_p] = _ages(rng, is_p.sum(), 28, 51, 38)
    age[is_w] = _ages(rng, is_w.sum(), 27, 58, 38)
    age[is_r] = _ages(rng, is_r.sum(), 27, 65, 38)
    sex = np.where(rng.random(n) < 0.55, "female", "male")
    adults = np.where(rng.random(n) < 0.45, 1, 2)
    n_children = np.minimum(1 + rng.poisson(1.2, n), 7)
    # published: 27 participant households with 61 children in all
    kids_p = np.zeros(30, int)
    with_kids = rng.choice(30, 27, replace=False)
    kids_p[with_kids] = _fix_sum(rng, np.minimum(1 + rng.poisson(1.3, 27), 6), 61, 1, 6)
    n_children[is_p] = kids_p
    household_size = adults + n_children
    lang = rng.choice(
        ["arabic", "somali", "tigrinya", "persian_dari", "other"], n, p=[0.4, 0.25, 0.1, 0.1, 0.15]
    )
    office = np.empty(n, dtype=object)
    office[is_p | is_w] = rng.choice(
        ["central", "north", "south", "east"], (is_p | is_w).sum(), p=[0.4, 0.3, 0.3, 0.0]
    )
    office[is_r] = rng.choice(["central", "north", "south", "east"], is_r.sum())

    # latent employability: participants positively selected ("particularly ambitious")
    shift = np.select([is_p, is_w], [0.4, 0.25], 0.0)
    a = shift + rng.normal(0, 1, n)

    # monthly need and payment level (SEK): norm-like base by household, person effect
    base = 3900 * adults + 2300 * n_children + 4500 + 700 * n_children
    level = base * np.exp(rng.normal(-0.35, 0.35, n))
    # pre months on welfare: long-term recipients, fewer months for the more employable
    p_on = _expit(2.3 - 0.35 * a + rng.normal(0, 0.8, n))
    months = np.r_[np.arange(-12, 0), np.arange(1, 13)]
    pre_m = months[months < 0]
    post_m = months[months > 0]
    on_pre = rng.random((n, 12)) < p_on[:, None]
    on_pre[:, -1] = True  # everyone was a recipient when selected (month -1)
    # favourable pre-trend for participants (and a little for the waitlist)
    slope = np.select([is_p, is_w], [-0.018, -0.008], 0.0)
    trend_pre = np.exp(slope[:, None] * (pre_m[None, :] + 6.5))
    pre = on_pre * level[:, None] * trend_pre * np.exp(rng.normal(0, 0.25, (n, 12)))

    # post: exit from welfare (monthly hazard), in-project months paid as top-ups only
    start = np.full(n, -1)
    start[is_p] = 0
    w_idx = np.flatnonzero(is_w)
    later = rng.choice(w_idx, 9, replace=False)
    start[later] = np.array([4, 5, 6, 7, 8, 10, 11, 14, 16])  # months after the project start
    months_on = on_pre.sum(axis=1)
    # bigger households need a higher income to leave welfare: they exit more slowly
    c = np.select([is_p, is_w], [-3.2, -2.0], -1.75)
    hazard = _expit(
        c + 0.6 * a - 0.25 * (months_on - 10) - 0.8 * np.log(level / np.median(level))
    )
    u = rng.random((n, 12))
    in_project = (start[:, None] >= 0) & (post_m[None, :] >= start[:, None])
    hazard_t = np.where(in_project, np.maximum(hazard[:, None], 0.1), hazard[:, None])
    exited = np.cumsum(u < hazard_t, axis=1) > 0
    relapse = rng.random((n, 12)) < 0.04
    on_post = ~exited | relapse
    trend_post = np.exp(slope[:, None] * (post_m[None, :] + 6.5))
    post = (
        on_post
        * level[:, None]
        * trend_post
        * np.where(in_project, 0.33, 1.0)
        * np.exp(rng.normal(0, 0.25, (n, 12)))
    )

    # calibration: rescale each group's post payments to its published reduction
    scale = {}
    for g, target in _ST_REDUCTION.items():
        m = groups == g
        raw = post[m].mean() / pre[m].mean()
        scale[g] = (1 - target) / raw
        post[m] *= scale[g]
    welfare = np.round(np.c_[pre, post])

    # follow-up status 90/180/360 days after the end of the post window
    status = _st_status(rng, groups, a, exited[:, -1])

    frame = pd.DataFrame(
        {
            "person_id": np.repeat(np.arange(1, n + 1), 24),
            "group": np.repeat(groups, 24),
            "month": np.tile(months, n),
            "period": np.tile(np.where(months < 0, "pre", "post"), n),
            "welfare": welfare.ravel(),
            "age": np.repeat(age, 24),
            "sex": np.repeat(sex, 24),
            "household_size": np.repeat(household_size, 24),
            "n_children": np.repeat(n_children, 24),
            "months_on_welfare": np.repeat((np.round(pre) > 0).sum(axis=1), 24),
            "language_group": np.repeat(lang, 24),
            "office": np.repeat(office, 24),
            "start_month": np.repeat(np.where(start >= 0, start, -999), 24),
            "status_90": np.repeat(status[0], 24),
            "status_180": np.repeat(status[1], 24),
            "status_360": np.repeat(status[2], 24),
        }
    )
    frame["start_month"] = frame["start_month"].astype("Int64").mask(frame["start_month"] < 0)
    info = {f"post_scale_{g}": round(float(s), 3) for g, s in scale.items()}
    return frame, info


def _st_status(
    rng: np.random.Generator, groups: np.ndarray, a: np.ndarray, exited: np.ndarray
) -> list[np.ndarray]:
    """Work/studies/neither at 90, 180, 360 days; missing = not followed up."""
    n = len(groups)
    score = a + 0.8 * exited + rng.normal(0, 0.8, n)
    s90 = np.full(n, "neither", dtype=object)
    # participants: exactly the published 14 of 29 in work or studies, 12 in work
    p = np.flatnonzero(groups == "participant")
    lost = rng.choice(p, 1)
    kept = np.setdiff1d(p, lost)
    best = kept[np.argsort(-score[kept], kind="stable")[:14]]
    studies = rng.choice(best, 2, replace=False)
    s90[best] = "work"
    s90[studies] = "studies"
    s90[lost] = None
    for g, level in (("waitlist", -1.0), ("register", -1.4)):
        m = np.flatnonzero(groups == g)
        yes = rng.random(m.size) < _expit(level + 0.9 * (score[m] - score[m].mean()))
        s90[m[yes]] = np.where(rng.random(yes.sum()) < 0.25, "studies", "work")
    w = np.flatnonzero(groups == "waitlist")
    s90[rng.choice(w, 2, replace=False)] = None

    def move(prev: np.ndarray) -> np.ndarray:
        nxt = prev.copy()
        r = rng.random(n)
        nxt[(prev == "work") & (r < 0.10)] = "neither"
        nxt[(prev == "studies") & (r < 0.20)] = "work"
        nxt[(prev == "studies") & (r >= 0.20) & (r < 0.30)] = "neither"
        nxt[(prev == "neither") & (r < 0.10)] = "work"
        nxt[(prev == "neither") & (r >= 0.10) & (r < 0.14)] = "studies"
        return nxt

    s180, s360 = move(s90), None
    s360 = move(s180)
    for s, extra in ((s180, {"participant": 1, "waitlist": 1}), (s360, {"participant": 2,
                                                                          "waitlist": 2})):
        for g, k in extra.items():
            idx = np.flatnonzero((groups == g) & pd.notna(s))
            s[rng.choice(idx, k, replace=False)] = None
    s360[pd.isna(s180)] = None
    return [s90, s180, s360]


# --------------------------------------------------------------------------- SkolFam

#: pre-test gap (programme minus comparison) in pooled-SD units, within WWC's 0.05-0.25 band
_SF_GAP = {"iq": -0.15, "reading": -0.20}
#: synthetic truth (not a published figure): programme effect, practice effect on retest
_SF_EFFECT = {"iq": 4.5, "reading": 6.0}
_SF_PRACTICE = {"iq": 3.0, "reading": 1.0}
#: test error SD (test-retest), the source of regression to the mean
_SF_ERROR = {"iq": 5.0, "reading": 6.0}


def skolfam(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """SkolFam scores: 30 + 30 foster children, IQ and reading before/after two years."""
    frames = []
    info = {}
    n_pool, n_sel = 300, 30
    chosen = {}
    for gi, g in enumerate(("skolfam", "comparison")):
        # foster children score below the norm; pre-test = ability + test error
        ability_iq = rng.normal(92, 12, n_pool)
        ability_rd = 90 + 0.6 * (ability_iq - 92) + rng.normal(0, 9.6, n_pool)
        pre_iq = ability_iq + rng.normal(0, _SF_ERROR["iq"], n_pool)
        pre_rd = ability_rd + rng.normal(0, _SF_ERROR["reading"], n_pool)
        # referral favours low observed scores -> regression to the mean at retest
        w = _expit(-((pre_iq + pre_rd) / 2 - 84) / 4)
        sel = rng.choice(n_pool, n_sel, replace=False, p=w / w.sum())
        ch = {
            "ability_iq": ability_iq[sel],
            "ability_reading": ability_rd[sel],
            "pre_iq": pre_iq[sel],
            "pre_reading": pre_rd[sel],
            "age": rng.integers(8, 14, n_sel),
            "sex": np.where(rng.random(n_sel) < 0.5, "female", "male"),
        }
        for k in ("iq", "reading"):
            treat = _SF_EFFECT[k] + rng.normal(0, 3, n_sel) if g == "skolfam" else 0.0
            ch[f"post_{k}"] = (
                ch[f"ability_{k}"]
                + _SF_PRACTICE[k]
                + treat
                + rng.normal(0, _SF_ERROR[k], n_sel)
            )
        chosen[g] = ch
        ch["grade"] = ch["age"] - 6
        ch["school"] = rng.choice(
            [f"school_{s}" for s in ("ABCDEF" if gi == 0 else "CDEFGH")], n_sel
        )
    # calibrate the pre-test gaps: shift the comparison group's scores (pre and post alike)
    for k in ("iq", "reading"):
        a, b = chosen["skolfam"][f"pre_{k}"], chosen["comparison"][f"pre_{k}"]
        ss = (a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)
        sd = np.sqrt(ss / (2 * n_sel - 2))
        delta = a.mean() - _SF_GAP[k] * sd - b.mean()
        chosen["comparison"][f"pre_{k}"] = b + delta
        chosen["comparison"][f"post_{k}"] = chosen["comparison"][f"post_{k}"] + delta
        info[f"comparison_shift_{k}"] = round(float(delta), 2)
    cid = 1
    for g, ch in chosen.items():
        ids = np.arange(cid, cid + n_sel)
        cid += n_sel
        for period in ("pre", "post"):
            frames.append(
                pd.DataFrame(
                    {
                        "child_id": ids,
                        "group": g,
                        "period": period,
                        "age": ch["age"],
                        "sex": ch["sex"],
                        "grade": ch["grade"],
                        "school": ch["school"],
                        "iq": np.round(ch[f"{period}_iq"]),
                        "reading": np.round(ch[f"{period}_reading"]),
                    }
                )
            )
    df = pd.concat(frames, ignore_index=True)
    df = df.sort_values(["child_id", "period"], key=_period_key, kind="stable")
    return df.reset_index(drop=True), info


def _period_key(s: pd.Series) -> pd.Series:
    return s.map({"pre": 0, "post": 1}) if s.name == "period" else s


#: per-month prices (SEK, fixed prices) of the cost model
_HVB_MONTH = 160_000  # residential care, about 5,300 SEK a day
_FOSTER_YEAR = 260_000
#: published targets: savings 3.4-3.7 MSEK; net cost (4 MSEK - savings) 10-15 % of the
#: project cost; QALY value (80-208 kSEK) 3-7.5 times the net cost per child. With 20 children
#: all three hold together only for savings of about 3.45-3.47 MSEK.
_SAVINGS_RANGE = (3.445e6, 3.475e6)
_BATCH = 2000


def skolfam_costs(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """SkolFam cost study: 20 + 20 children × 5 years, heavy-tailed HVB costs.

    Candidate datasets are drawn in seeded batches; the first whose five-year savings fall in
    the published range, mainly (80-120 %) through HVB, is kept (conditioning on the
    published aggregate).
    """
    n = 20
    groups = np.repeat(["skolfam", "comparison"], n)
    comp = groups == "comparison"
    # monthly probability of a breakdown into residential care (HVB), and of leaving it
    p_in = np.where(comp, 0.006, 0.0035)
    p_out = 0.12
    tried = 0
    while True:
        b = _BATCH
        u = rng.random((b, 2 * n, 60))
        in_hvb = np.zeros((b, 2 * n, 60), bool)
        state = np.zeros((b, 2 * n), bool)
        for t in range(60):
            state = np.where(state, u[:, :, t] >= p_out, u[:, :, t] < p_in)
            in_hvb[:, :, t] = state
        hvb_months = in_hvb.reshape(b, 2 * n, 5, 12).sum(axis=3)
        price = _HVB_MONTH * np.exp(rng.normal(0, 0.25, (b, 2 * n, 1)))  # placement level
        cost_hvb = np.round(hvb_months * price)
        foster = _FOSTER_YEAR * np.exp(rng.normal(0, 0.3, (b, 2 * n, 1)))
        cost_foster = np.round(
            foster * (12 - hvb_months) / 12 * np.exp(rng.normal(0, 0.05, (b, 2 * n, 5)))
        )
        cost_other = np.round(rng.gamma(2.0, 22_000, (b, 2 * n, 5)))
        total = cost_hvb + cost_foster + cost_other
        per_child = total.sum(axis=2)
        savings = n * (per_child[:, comp].mean(axis=1) - per_child[:, ~comp].mean(axis=1))
        hvb_child = cost_hvb.sum(axis=2)
        hvb_sav = n * (hvb_child[:, comp].mean(axis=1) - hvb_child[:, ~comp].mean(axis=1))
        ok = (
            (savings >= _SAVINGS_RANGE[0])
            & (savings <= _SAVINGS_RANGE[1])
            & (hvb_sav >= 0.8 * savings)
            & (hvb_sav <= 1.2 * savings)
        )
        if ok.any():
            k = int(np.flatnonzero(ok)[0])
            tried += k + 1
            break
        tried += b
        if tried > 100 * _BATCH:  # pragma: no cover - a draw is found in the first batches
            raise RuntimeError("skolfam_costs: no draw met the published savings range")
    # QALY gain per programme child: synthetic spread, mean exactly the published 0.16
    q = rng.gamma(4.0, 0.04, n)
    q = np.round(q * 0.16 / q.mean(), 3)
    q[-1] = round(0.16 * n - q[:-1].sum(), 3)
    qaly = np.r_[q, np.full(n, np.nan)]
    df = pd.DataFrame(
        {
            "child_id": np.repeat(np.arange(101, 101 + 2 * n), 5),
            "group": np.repeat(groups, 5),
            "year": np.tile(np.arange(1, 6), 2 * n),
            "hvb_months": hvb_months[k].ravel(),
            "cost_hvb": cost_hvb[k].ravel(),
            "cost_foster_care": cost_foster[k].ravel(),
            "cost_other": cost_other[k].ravel(),
            "cost_total": total[k].ravel(),
            "qaly_gain": np.repeat(qaly, 5),
        }
    )
    info = {"candidates": tried, "savings": float(savings[k]), "hvb_savings": float(hvb_sav[k])}
    return df, info


# --------------------------------------------------------------------------- teaching sets


def _sex(rng: np.random.Generator, n: int, p_female: float = 0.5) -> np.ndarray:
    return np.where(rng.random(n) < p_female, "female", "male")


def teaching_follow_up(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """40 young adults in job coaching; in work or studies after 6 months (4 not reached)."""
    n = 40
    months = rng.integers(3, 13, n)
    p = _expit(-0.6 + 0.12 * (months - 7))
    y = (rng.random(n) < p).astype(float)
    y[rng.choice(n, 4, replace=False)] = np.nan
    df = pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "age": rng.integers(18, 25, n),
            "sex": _sex(rng, n, 0.4),
            "months_in_project": months,
            "in_work_or_studies": pd.array(y, dtype="Float64").astype("Int64"),
        }
    )
    return df, {}


def teaching_before_after(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """28 pupils picked for low reading scores; retest after one year (truth +2)."""
    pool = 120
    ability = rng.normal(95, 12, pool)
    pre = ability + rng.normal(0, 6, pool)
    sel = np.sort(np.argsort(pre, kind="stable")[:28])
    n = sel.size
    post = ability[sel] + 3.0 + 2.0 + rng.normal(0, 6, n)  # practice 3, programme 2
    grade = rng.integers(3, 7, n)
    sex = _sex(rng, n)
    df = pd.DataFrame(
        {
            "pupil_id": np.repeat(np.arange(1, n + 1), 2),
            "period": np.tile(["pre", "post"], n),
            "grade": np.repeat(grade, 2),
            "sex": np.repeat(sex, 2),
            "reading": np.round(np.c_[pre[sel], post].ravel()),
        }
    )
    return df, {"true_effect": 2.0}


def teaching_benchmark(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """36 children after a language programme, vocabulary on a normed scale (100, 15)."""
    n = 36
    df = pd.DataFrame(
        {
            "child_id": np.arange(1, n + 1),
            "age": rng.integers(6, 10, n),
            "sex": _sex(rng, n),
            "vocabulary": np.round(rng.normal(93, 13, n)),
        }
    )
    return df, {}


def teaching_comparison(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Merit points (0-340) of 35 summer-school pupils and 50 from another district."""
    n1, n0 = 35, 50
    g = np.repeat(["participant", "comparison"], [n1, n0])
    merit = np.where(g == "participant", 205.0, 190.0) + rng.normal(0, 45, n1 + n0)
    df = pd.DataFrame(
        {
            "pupil_id": np.arange(1, n1 + n0 + 1),
            "group": g,
            "sex": _sex(rng, n1 + n0),
            "merit": np.round(np.clip(merit, 0, 340), 1),
        }
    )
    return df, {"true_effect": 15.0}


def teaching_adjusted_comparison(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Earnings after a job-matching project; participants better educated, shorter spells.

    Earnings are linear in the background facts and the project adds exactly 20,000 SEK to
    every participant, so adjusting for the measured facts removes the selection (truth
    +20,000 SEK; the raw difference is biased upwards).
    """
    n1, n0 = 40, 90
    n = n1 + n0
    g = np.repeat(["participant", "comparison"], [n1, n0])
    part = g == "participant"
    age = np.clip(np.round(rng.normal(np.where(part, 35, 39), 8)), 20, 60).astype(int)
    edu_p = np.where(part[:, None], [[0.2, 0.5, 0.3]], [[0.35, 0.45, 0.2]])
    u = rng.random(n)[:, None]
    edu = (u > np.cumsum(edu_p, axis=1)).sum(axis=1)
    years = rng.integers(2, 20, n)
    unemp = np.clip(np.round(rng.normal(np.where(part, 9, 13), 5)), 0, 36).astype(int)
    earn = (
        150_000
        + 30_000 * edu
        + 2_000 * years
        + 1_000 * (age - 38)
        - 3_000 * unemp
        + 20_000 * part
        + rng.normal(0, 20_000, n)
    )
    df = pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "group": g,
            "age": age,
            "sex": _sex(rng, n),
            "education": np.array(["compulsory", "upper_secondary", "tertiary"])[edu],
            "years_in_sweden": years,
            "months_unemployed": unemp,
            "earnings": np.round(np.maximum(earn, 0.0), -2),
        }
    )
    return df, {"true_effect": 20_000.0}


def teaching_adjusted_comparison_no_overlap(
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, dict]:
    """Adjustment that cannot work: participants were unemployed far longer than anyone in
    the comparison group, and earnings fall steeply only after two years out of work.

    No comparison person looks like a participant, so no adjustment can be checked: the
    twins stay out of balance on ``months_unemployed`` and a straight-line regression
    extrapolates (truth +20,000 SEK).
    """
    n1, n0 = 40, 90
    n = n1 + n0
    g = np.repeat(["participant", "comparison"], [n1, n0])
    part = g == "participant"
    age = np.clip(np.round(rng.normal(38, 8, n)), 20, 60).astype(int)
    edu_p = np.array([[0.3, 0.5, 0.2]])
    edu = (rng.random(n)[:, None] > np.cumsum(edu_p, axis=1)).sum(axis=1)
    years = rng.integers(2, 20, n)
    unemp = np.where(part, rng.integers(20, 49, n), rng.integers(0, 25, n))
    # a long spell hurts most after two years (scarring); linear below that
    scar = -1_500 * unemp - 6_000 * np.maximum(unemp - 24, 0)
    earn = (
        190_000
        + 30_000 * edu
        + 2_000 * years
        + 1_000 * (age - 38)
        + scar
        + 20_000 * part
        + rng.normal(0, 30_000, n)
    )
    df = pd.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "group": g,
            "age": age,
            "sex": _sex(rng, n),
            "education": np.array(["compulsory", "upper_secondary", "tertiary"])[edu],
            "years_in_sweden": years,
            "months_unemployed": unemp,
            "earnings": np.round(np.maximum(earn, 0.0), -2),
        }
    )
    return df, {"true_effect": 20_000.0}


def teaching_did(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Yearly welfare (kSEK) of 30 + 30 households, the year before and after (truth -8)."""
    n = 30
    g = np.repeat(["participant", "comparison"], n)
    level = rng.normal(np.where(g == "participant", 95, 85), 25)
    pre = level + rng.normal(0, 10, 2 * n)
    post = level - 12 - 8 * (g == "participant") + rng.normal(0, 10, 2 * n)
    district = np.where(g == "participant", "south", "east")
    age = rng.integers(22, 60, 2 * n)
    sex = _sex(rng, 2 * n, 0.6)
    df = pd.DataFrame(
        {
            "household_id": np.repeat(np.arange(1, 2 * n + 1), 2),
            "group": np.repeat(g, 2),
            "period": np.tile(["pre", "post"], 2 * n),
            "district": np.repeat(district, 2),
            "age": np.repeat(age, 2),
            "sex": np.repeat(sex, 2),
            "welfare_ksek": np.round(np.maximum(np.c_[pre, post], 0).ravel(), 1),
        }
    )
    return df, {"true_effect": -8.0}


_SV_LABELS = {
    "group": {"participant": "projekt", "comparison": "jämförelse"},
    "period": {"pre": "före", "post": "efter"},
    "district": {"south": "Söder", "east": "Öster"},
    "sex": {"female": "kvinna", "male": "man"},
}
_SV_COLUMNS = {
    "household_id": "hushåll",
    "group": "grupp",
    "period": "mätning",
    "district": "stadsdel",
    "age": "ålder",
    "sex": "kön",
    "welfare_ksek": "försörjningsstöd_tkr",
}


def teaching_did_excel_sv(did: pd.DataFrame) -> pd.DataFrame:
    """The did teaching set with Swedish column names and labels (same numbers)."""
    out = did.copy()
    for col, mapping in _SV_LABELS.items():
        out[col] = out[col].map(mapping)
    return out.rename(columns=_SV_COLUMNS)


def teaching_matched(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """15 participants and 45 recipients at the same office, welfare (kSEK) in three years.

    Participants' payments were rising in the two years before the project (they were
    sliding into dependency), the comparison group's were flat: the pre-trends differ, so
    DiD is not credible. Welfare in the year after depends on the earlier level only
    (0.6 × the mean of the two earlier years), the same in both groups, so twins matched on
    earlier welfare are the right comparison (truth −10 kSEK).
    """
    n1, n0 = 15, 45
    n = n1 + n0
    g = np.repeat(["participant", "comparison"], [n1, n0])
    part = g == "participant"
    age = np.clip(np.round(rng.normal(np.where(part, 37, 40), 8)), 20, 64).astype(int)
    kids = rng.poisson(1.3, n)
    level = np.maximum(rng.normal(np.where(part, 70, 80), 25, n) + 5 * kids, 5)
    slope = np.where(part, 14.0, 0.0) + rng.normal(0, 4, n)
    y1 = np.maximum(level - slope / 2 + rng.normal(0, 4, n), 0)
    y2 = np.maximum(level + slope / 2 + rng.normal(0, 4, n), 0)
    post = np.maximum(
        20 + 0.6 * (y1 + y2) / 2 + 0.2 * (age - 40) - 10 * part + rng.normal(0, 10, n), 0
    )
    df = pd.DataFrame(
        {
            "person_id": np.repeat(np.arange(1, n + 1), 3),
            "group": np.repeat(g, 3),
            "year": np.tile([2021, 2022, 2023], n),
            "period": np.tile(["pre", "pre", "post"], n),
            "age": np.repeat(age, 3),
            "sex": np.repeat(_sex(rng, n, 0.55), 3),
            "n_children": np.repeat(kids, 3),
            "welfare_ksek": np.round(np.c_[y1, y2, post].ravel(), 1),
        }
    )
    return df, {"true_effect": -10.0}


def teaching_matched_did(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """18 + 72 persons, earnings (kSEK) the year before and after (truth +30)."""
    n1, n0 = 18, 72
    n = n1 + n0
    g = np.repeat(["participant", "comparison"], [n1, n0])
    part = g == "participant"
    age = np.clip(np.round(rng.normal(np.where(part, 45, 40), 9)), 25, 64).astype(int)
    u = rng.random(n)[:, None]
    edu_p = np.where(part[:, None], [[0.3, 0.5, 0.2]], [[0.2, 0.5, 0.3]])
    edu = (u > np.cumsum(edu_p, axis=1)).sum(axis=1)
    level = 120 + 40 * edu + 1.5 * (age - 40) - 40 * part + rng.normal(0, 35, n)
    # older persons' earnings grow less: trends differ by age, so match on age before DiD
    trend = 25 - 1.2 * (age - 40)
    pre = level + rng.normal(0, 15, n)
    post = level + trend + 30 * part + rng.normal(0, 15, n)
    df = pd.DataFrame(
        {
            "person_id": np.repeat(np.arange(1, n + 1), 2),
            "group": np.repeat(g, 2),
            "period": np.tile(["pre", "post"], n),
            "age": np.repeat(age, 2),
            "sex": np.repeat(_sex(rng, n), 2),
            "education": np.repeat(np.array(["compulsory", "upper_secondary", "tertiary"])[edu], 2),
            "earnings_ksek": np.round(np.maximum(np.c_[pre, post], 0).ravel(), 1),
        }
    )
    return df, {"true_effect": 30.0}


def teaching_randomized(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Roster of 80 pupils, lottery within 4 schools (10 + 10 each); 5 scores missing."""
    schools = np.repeat(["school_A", "school_B", "school_C", "school_D"], 20)
    arms = np.repeat(["treatment", "control"], 10)
    group = np.concatenate([rng.permutation(arms) for _ in range(4)])
    school_eff = np.repeat(rng.normal(0, 4, 4), 20)
    ability = 100 + school_eff + rng.normal(0, 13, 80)
    base = ability + rng.normal(0, 7, 80)
    score = ability + 5.0 * (group == "treatment") + rng.normal(0, 7, 80)
    t = np.flatnonzero(group == "treatment")
    c = np.flatnonzero(group == "control")
    score[np.r_[rng.choice(t, 3, replace=False), rng.choice(c, 2, replace=False)]] = np.nan
    df = pd.DataFrame(
        {
            "pupil_id": np.arange(1, 81),
            "school": schools,
            "group": group,
            "baseline_score": np.round(base),
            "score": np.round(score),
        }
    )
    return df, {"true_effect": 5.0}


def teaching_natural_experiment(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """A lottery among waitlisted applicants: 60 families applied for 30 places in a
    parenting programme; the places were drawn by lot. Conflict score before and after one
    year (lower is better); 2 families not reached after (truth −6 points)."""
    n1, n0 = 30, 30
    n = n1 + n0
    need = rng.normal(60, 10, n)
    pre = need + rng.normal(0, 5, n)
    # the lottery: the first 30 drawn get a place. The municipality re-drew the lottery until
    # the groups' conflict scores before differed by less than 0.10 SD (rerandomisation,
    # Morgan & Rubin 2012); every draw is seeded, so the file is reproducible.
    while True:
        offered = np.zeros(n, bool)
        offered[rng.permutation(n)[:n1]] = True
        gap = (pre[offered].mean() - pre[~offered].mean()) / pre.std(ddof=1)
        if abs(gap) < 0.10:
            break
    post = need - 3.0 - 6.0 * offered + rng.normal(0, 5, n)
    # one family in each arm moved away before the follow-up (attrition)
    lost = [rng.choice(np.flatnonzero(offered)), rng.choice(np.flatnonzero(~offered))]
    post[lost] = np.nan
    ids = np.arange(1, n + 1)
    df = pd.DataFrame(
        {
            "family_id": np.repeat(ids, 2),
            "group": np.repeat(np.where(offered, "offered", "not_offered"), 2),
            "period": np.tile(["pre", "post"], n),
            "children": np.repeat(1 + rng.poisson(1.0, n), 2),
            "conflict_score": np.round(np.c_[pre, post].ravel()),
        }
    )
    return df, {"true_effect": -6.0}


def teaching_natural_experiment_cutoff(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """A cutoff rule: pupils scoring below 85 on a screening test got a reading tutor
    (40 of 80). Reading before and after one term (truth +4 points)."""
    n = 80
    screen = np.sort(rng.normal(88, 9, n))
    screen = np.round(screen)
    got = screen < 85
    ability = screen + rng.normal(0, 5, n)
    pre = ability + rng.normal(0, 4, n)
    post = ability + 2.0 + 4.0 * got + rng.normal(0, 4, n)
    perm = rng.permutation(n)
    screen, got, pre, post = screen[perm], got[perm], pre[perm], post[perm]
    df = pd.DataFrame(
        {
            "pupil_id": np.repeat(np.arange(1, n + 1), 2),
            "group": np.repeat(np.where(got, "tutor", "no_tutor"), 2),
            "period": np.tile(["pre", "post"], n),
            "screening_score": np.repeat(screen, 2),
            "reading": np.round(np.c_[pre, post].ravel()),
        }
    )
    return df, {"true_effect": 4.0}


# --------------------------------------------------------------------------- writing

_GENERATORS: dict[str, Callable[[np.random.Generator], tuple[pd.DataFrame, dict]]] = {
    "servicetrainee": servicetrainee,
    "skolfam": skolfam,
    "skolfam_costs": skolfam_costs,
    "teaching_follow_up": teaching_follow_up,
    "teaching_before_after": teaching_before_after,
    "teaching_benchmark": teaching_benchmark,
    "teaching_comparison": teaching_comparison,
    "teaching_adjusted_comparison": teaching_adjusted_comparison,
    "teaching_did": teaching_did,
    "teaching_matched": teaching_matched,
    "teaching_matched_did": teaching_matched_did,
    "teaching_randomized": teaching_randomized,
    "teaching_adjusted_comparison_no_overlap": teaching_adjusted_comparison_no_overlap,
    "teaching_natural_experiment": teaching_natural_experiment,
    "teaching_natural_experiment_cutoff": teaching_natural_experiment_cutoff,
}


def generate(seed: int = SEED) -> tuple[dict[str, pd.DataFrame], dict[str, dict]]:
    """Build every dataset in memory: ``({name: frame}, {name: calibration info})``."""
    frames, infos = {}, {}
    for name, fn in _GENERATORS.items():
        frames[name], infos[name] = fn(_rng(name, seed))
    frames["teaching_did_excel_sv"] = teaching_did_excel_sv(frames["teaching_did"])
    infos["teaching_did_excel_sv"] = {}
    return frames, infos


def _format(df: pd.DataFrame, spec: DatasetSpec) -> pd.DataFrame:
    """Each column as text exactly as it is written (fixed decimals, empty for missing)."""
    out = {}
    for col in spec.columns:
        s = df[col.name]
        missing = pd.isna(s).to_numpy()
        if col.kind == "category":
            vals = s.astype(object).to_numpy()
            bad = set(vals[~missing]) - set(col.categories)
            if bad:
                raise ValueError(f"{spec.name}.{col.name}: labels {bad} not in the schema")
            text = np.where(missing, "", vals.astype(str))
        else:
            num = pd.to_numeric(s).astype("float64").to_numpy()
            d = col.decimals if col.kind == "float" else 0
            text = np.array(
                ["" if m else f"{v:.{d}f}" for v, m in zip(num, missing, strict=True)], dtype=object
            )
            if spec.decimal != ".":
                text = np.char.replace(text.astype(str), ".", spec.decimal).astype(object)
            text = np.where(text == "-0", "0", text)
        out[col.name] = text
    return pd.DataFrame(out, columns=[c.name for c in spec.columns])


def to_csv_bytes(df: pd.DataFrame, spec: DatasetSpec) -> bytes:
    """The exact bytes of one bundled file."""
    text = _format(df, spec)
    buf = io.StringIO()
    # the Swedish Excel export: CRLF line ends and a UTF-8 byte-order mark, as Excel writes
    newline = "\r\n" if spec.encoding == "utf-8-sig" else "\n"
    text.to_csv(buf, sep=spec.sep, index=False, lineterminator=newline)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if spec.encoding == "utf-8-sig" else data


def write_all(out: str | Path, seed: int = SEED) -> dict[str, dict]:
    """Write every CSV into ``out``; return the calibration info per dataset."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    frames, infos = generate(seed)
    for name, frame in frames.items():
        spec = SPECS[name]
        (out / spec.file).write_bytes(to_csv_bytes(frame, spec))
    return infos


def _default_out() -> Path:
    repo = Path(__file__).resolve().parents[2]
    target = repo / "datasets"
    if not (repo / "pyproject.toml").is_file() or not (target / "__init__.py").is_file():
        raise SystemExit(
            "Not in a source checkout: pass --out DIR to choose where the CSV files go."
        )
    return target


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m impacteval.datasets.make [--out DIR] [--seed N]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder (default: datasets/)")
    parser.add_argument("--seed", type=int, default=SEED, help=f"master seed (default {SEED})")
    args = parser.parse_args(argv)
    out = args.out or _default_out()
    infos = write_all(out, args.seed)
    for name, info in infos.items():
        extra = ", ".join(f"{k}={v}" for k, v in info.items())
        print(f"{SPECS[name].file:36s} {extra}")



# --------------------------------------------------------------------------- one treated unit

_SC_NAMES = (
    "Norrvik", "Almby", "Bergsjö", "Dalby", "Ekeby", "Forsa", "Gnesta", "Hallby", "Ingsta",
    "Järbo", "Kalvik", "Lindås", "Malmby", "Norrsta", "Orsby", "Persby", "Ramnäs", "Sandvik",
    "Tallby", "Ulvsjö",
)


def teaching_synthetic_control(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """Monthly residential-care costs (kSEK) of 20 municipalities over 36 months; Norrvik
    starts a project in month 25 that lowers its costs by 12 % (truth: mean -84 kSEK/month)."""
    n_mun, n_month, start = len(_SC_NAMES), 36, 25
    t = np.arange(1, n_month + 1)
    # three common factors (a regional trend, a cycle, a shock in the second year)
    f = np.vstack([t / 12.0, np.sin(2 * np.pi * t / 18), (t >= 14) * np.exp(-(t - 14) / 6.0)])
    season = 25 * np.cos(2 * np.pi * (t - 1) / 12)
    donors_level = rng.uniform(450, 1100, n_mun - 1)
    donors_load = rng.normal([30, 25, 40], [15, 12, 20], (n_mun - 1, 3))
    # the treated municipality is a mix of three donors, so a synthetic control can follow it
    mix = np.zeros(n_mun - 1)
    mix[[2, 7, 11]] = (0.5, 0.3, 0.2)
    level = np.r_[mix @ donors_level, donors_level]
    load = np.vstack([mix @ donors_load, donors_load])
    y = level[:, None] + load @ f + season[None, :] + rng.normal(0, 12, (n_mun, n_month))
    effect = np.where(t >= start, -0.12 * y[0], 0.0)
    y[0] += effect
    df = pd.DataFrame({
        "municipality": np.repeat(_SC_NAMES, n_month),
        "project": np.repeat((np.arange(n_mun) == 0).astype(int), n_month),
        "month": np.tile(t, n_mun),
        "care_cost_ksek": np.round(y.ravel(), 1),
    })
    return df, {"true_effect": round(float(effect[t >= start].mean()), 1)}


def teaching_interrupted_time_series(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """One municipality's monthly residential-care costs (kSEK), 36 months before a project
    and 24 after; a level drop of 60 and a slope change of -2 per month (truth: mean -83)."""
    n_pre, n_post = 36, 24
    n = n_pre + n_post
    t = np.arange(n)
    e = np.empty(n)
    e[0] = rng.normal(0, 20 / np.sqrt(1 - 0.5**2))
    for k in range(1, n):
        e[k] = 0.5 * e[k - 1] + rng.normal(0, 20)
    post = t >= n_pre
    season = 40 * np.cos(2 * np.pi * t / 12) + 15 * np.sin(2 * np.pi * t / 12)
    y = 820 + 3.0 * t + season - 60 * post - 2.0 * (t - n_pre) * post + e
    df = pd.DataFrame({
        "municipality": "Norrvik",
        "month": [f"{2018 + k // 12}-{k % 12 + 1:02d}" for k in t],
        "period": np.where(post, "post", "pre"),
        "care_cost_ksek": np.round(y, 1),
    })
    return df, {"true_effect": -60 - 2.0 * (n_post - 1) / 2}


_STREAM.update({"teaching_synthetic_control": 30, "teaching_interrupted_time_series": 31})
_GENERATORS.update({"teaching_synthetic_control": teaching_synthetic_control,
                    "teaching_interrupted_time_series": teaching_interrupted_time_series})

def teaching_staggered(n_units: int = 600, n_periods: int = 8, seed: int = SEED) -> pd.DataFrame:
    """A teaching panel with staggered entry (not a bundled CSV; made on demand).

    Units (``unit``) enter a project in waves: ``start`` is the first treated
    period (3, 5 or 7; missing = never starts, about a third). The outcome ``y``
    has unit effects, a common trend and an effect that grows with time since
    start (1 in the start period, +0.5 each period after), so two-way fixed
    effects is biased (Goodman-Bacon 2021) while group-time effects are not.

    Data card: synthetic; seed-reproducible; columns unit, period (1..n_periods),
    start (float, NaN = never), y; true ATT(g, t) = 1 + 0.5·(t − g) for t ≥ g.
    """
    rng = np.random.default_rng(seed)
    waves = np.array([3.0, 5.0, 7.0, np.nan])
    start = waves[rng.choice(4, size=n_units, p=[0.25, 0.2, 0.2, 0.35])]
    a = rng.normal(size=n_units)
    per = np.arange(1, n_periods + 1)
    t = np.tile(per, n_units)
    u = np.repeat(np.arange(n_units), n_periods)
    s = np.repeat(start, n_periods)
    on = ~np.isnan(s) & (t >= np.nan_to_num(s, nan=np.inf))
    eff = np.where(on, 1.0 + 0.5 * (t - np.nan_to_num(s)), 0.0)
    y = a[u] + 0.3 * t + eff + rng.normal(size=len(t))
    return pd.DataFrame({"unit": u, "period": t, "start": s, "y": y})


def teaching_staggered_set(rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """150 pupils over 8 quarters; their schools join a reading programme in waves
    (quarter 3, 5 or 7) or never. The effect grows with time in the programme, so a
    two-way fixed-effects DiD is biased (Goodman-Bacon 2021); group-time effects are not
    (truth: the mean effect over participants' quarters in the programme)."""
    n, quarters = 150, np.arange(1, 9)
    waves = np.array([3.0, 5.0, 7.0, np.nan])
    start = waves[rng.choice(4, size=n, p=[0.25, 0.2, 0.2, 0.35])]
    ability = rng.normal(0, 4, n)
    u = np.repeat(np.arange(n), len(quarters))
    t = np.tile(quarters, n)
    s = np.repeat(start, len(quarters))
    on = ~np.isnan(s) & (t >= np.nan_to_num(s, nan=np.inf))
    eff = np.where(on, 1.0 + 0.5 * (t - np.nan_to_num(s)), 0.0)
    y = 50 + ability[u] + 0.6 * t + eff + rng.normal(0, 2, len(t))
    df = pd.DataFrame({
        "pupil_id": u + 1,
        "group": np.where(np.isnan(s), "comparison", "participant"),
        "quarter": t,
        "start_quarter": s,
        "reading": np.round(y, 1),
    })
    return df, {"true_effect": float(eff[on].mean())}


_STREAM.update({"teaching_staggered": 32})
_GENERATORS.update({"teaching_staggered": teaching_staggered_set})


if __name__ == "__main__":
    main()
