import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

try:
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci", derandomize=True, max_examples=60, deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile("dev", max_examples=60, deadline=None)
    settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover
    pass


def make_panel(n_t=25, n_c=35, periods=(0, 1, 2, 3), post_from=2, effect=1.5, seed=0,
               trend_gap=0.0, groups=("p", "c")):
    """Seeded long panel: unit effects, common trend, effect in post periods."""
    rng = np.random.default_rng(seed)
    n = n_t + n_c
    g = np.array([groups[0]] * n_t + [groups[1]] * n_c)
    alpha = rng.normal(10, 2, n)
    x1 = rng.normal(0, 1, n)
    x2 = rng.integers(0, 2, n).astype(float)
    rows = []
    for i in range(n):
        for t in periods:
            tr = g[i] == groups[0]
            y = (alpha[i] + 0.5 * t + 0.8 * x1[i] + trend_gap * t * tr
                 + (effect if (tr and t >= post_from) else 0) + rng.normal(0, 1))
            rows.append((f"u{i:03d}", g[i], t, y, x1[i], x2[i]))
    return pd.DataFrame(rows, columns=["id", "grp", "period", "y", "x1", "x2"])


@pytest.fixture
def panel():
    return make_panel()
