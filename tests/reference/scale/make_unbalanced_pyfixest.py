"""Reference numbers for tests/test_scale_unbalanced.py, made by pyfixest (run by hand:
``python tests/reference/scale/make_unbalanced_pyfixest.py``; writes the JSON beside it).

The panel is rebuilt by the test from the same seed (``panel()`` below is imported by the
test); only pyfixest's output numbers are stored.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
OUT = HERE / "unbalanced_pyfixest.json"


def panel(n_units: int = 3_000, n_periods: int = 8, missing: float = 0.10,
          seed: int = 20261129) -> pd.DataFrame:
    """Unbalanced panel: ``missing`` of the unit-periods left out at random, a fifth of
    the units participants from period 4 on, effect 1.0 and a participant-specific
    pre-trend of 0.05 per period (so that the pre-period coefficients are not all 0)."""
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), n_periods)
    period = np.tile(np.arange(n_periods), n_units)
    g = (rng.random(n_units) < 0.2).astype(int)[unit]
    y = (rng.normal(0, 2, n_units)[unit] + 0.3 * period + 0.05 * g * period
         + 1.0 * g * (period >= 4) + rng.normal(size=len(unit)))
    keep = rng.random(len(unit)) >= missing
    return pd.DataFrame({"id": unit[keep], "g": g[keep], "period": period[keep],
                         "y": y[keep]})


def main() -> None:
    import pyfixest as pf

    df = panel()
    df["D"] = (df["g"] * (df["period"] >= 4)).astype(float)
    att = pf.feols("y ~ D | id + period", data=df, vcov={"CRV1": "id"})
    ev = pf.feols("y ~ i(period, g, ref=3) | id + period", data=df, vcov={"CRV1": "id"})
    coefs = ev.coef()
    ses = ev.se()
    event = {}
    for name in coefs.index:
        per = int(name.split("::")[1].split(":")[0])
        event[str(per)] = {"estimate": float(coefs[name]), "std_error": float(ses[name])}
    demeaned = pf.estimation.demean(
        df[["y"]].to_numpy(float), pd.DataFrame({"id": pd.factorize(df["id"])[0],
                                                 "period": df["period"]}).to_numpy(),
        np.ones(len(df)), tol=1e-12, maxiter=100_000)[0][:, 0]
    out = {
        "made_by": f"pyfixest {pf.__version__}",
        "rows": len(df),
        "att": {"estimate": float(att.coef()["D"]), "std_error": float(att.se()["D"])},
        "event_time": event,
        "ssc": "pyfixest default ssc(): (n-1)/(n-k)·G/(G-1), unit effects nested in the "
               "clusters not counted in k",
        "demeaned_y_first_20": demeaned[:20].tolist(),
        "demeaned_y_sum_sq": float(demeaned @ demeaned),
    }
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
