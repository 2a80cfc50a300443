"""The bootstrap kernel of impacteval.inference: chunked draws, the columns it gathers,
and the row order under a change of sign, against plain numpy resampling."""

import numpy as np
import pytest

from impacteval import inference as inf
from impacteval.estimators.difference import diff_plan
from impacteval.inference import SumStatistic, bootstrap_draws, resample_interval


def _plain(plan: SumStatistic, child: np.random.SeedSequence, b: int):
    """Plain numpy reference: one (b, m) int64 draw per stratum, fancy indexing, row sums."""
    r = np.random.default_rng(child)
    sums, counts = [], []
    for x, z in zip(plan.strata, plan.sizes, strict=True):
        idx = r.integers(0, len(x), size=(b, len(x)))
        sums.append(x[idx].sum(axis=1))
        counts.append(z[idx].sum(axis=1))
    return sums, counts


@pytest.mark.parametrize("studentize", [False, True])
@pytest.mark.parametrize("chunk", [7, 64, 1 << 16])
def test_chunked_draws_equal_plain_resample_sums(monkeypatch, chunk, studentize):
    """Drawing and gathering a block in chunks gives the draws of one plain (b, m) draw."""
    monkeypatch.setattr(inf, "_CHUNK_CELLS", chunk)
    rng = np.random.default_rng(8)
    x = rng.normal(size=(37, 3))
    sizes = rng.integers(1, 5, 37).astype(float)

    def fn(s, n):
        return s[0][:, 0] / n[0] + s[1][:, -1] / n[1]

    def se_fn(s, n):
        return np.sqrt(np.abs(s[0][:, 1] / n[0]) + np.abs(s[1][:, 0]) / n[1])

    plan = SumStatistic([x, x[:11] * 2], fn, se_fn, sizes=[sizes, np.ones(11)])
    child = np.random.SeedSequence(9)
    theta, se = inf._draw_block(plan, child, 50, studentize)
    sums, counts = _plain(plan, child, 50)
    np.testing.assert_allclose(theta, fn(sums, counts), rtol=1e-12, atol=1e-12)
    if studentize:
        np.testing.assert_allclose(se, se_fn(sums, counts), rtol=1e-12, atol=1e-12)


def test_value_draws_gather_only_the_columns_the_statistic_reads():
    rng = np.random.default_rng(3)
    plan = diff_plan(rng.normal(size=40), rng.normal(size=25))
    assert [cols for _, cols in plan._value_packed] == [[0], [0]]
    # a statistic that only compares a column (NaN would not propagate) still gathers it
    x = rng.normal(size=(30, 3))
    odd = SumStatistic([x], lambda s, n: np.where(s[0][:, 2] > 0, 1.0, 0.0) + s[0][:, 0] / n[0])
    assert odd._value_packed[0][1] == [0, 2]


def test_percentile_bca_draws_equal_the_studentized_runs_draws():
    """Gathering fewer columns changes no replicate: θ* is the same with and without the SEs."""
    rng = np.random.default_rng(4)
    plan = diff_plan(rng.lognormal(size=300), rng.lognormal(size=200))
    a, _, _ = bootstrap_draws(plan, 999, seed=11)
    b, se, _ = bootstrap_draws(plan, 999, seed=11, studentize=True)
    assert se is not None and np.all(se > 0)
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("ci", ["studentized", "percentile", "bca"])
def test_negated_outcome_gives_the_mirrored_interval_with_two_units_a_group(ci):
    """Two units a group tie on the first sort key; the row order must survive y -> -y."""
    yt, yc = np.array([3.25, 7.5]), np.array([1.0, 2.75])
    a = resample_interval(diff_plan(yt, yc), ci=ci, n_boot=199, seed=3)
    b = resample_interval(diff_plan(-yt, -yc), ci=ci, n_boot=199, seed=3)
    np.testing.assert_allclose(b.draws, -a.draws, rtol=1e-12, atol=1e-12)
    if ci != "bca":  # BCa's bias correction counts ties of θ* with θ̂ asymmetrically at ±
        np.testing.assert_allclose([b.conf_low, b.conf_high], [-a.conf_high, -a.conf_low],
                                   rtol=1e-12, atol=1e-12)
