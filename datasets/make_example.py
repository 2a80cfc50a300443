"""Regenerate ``datasets/example.csv`` (seeded): ``python datasets/make_example.py``."""

from pathlib import Path

import numpy as np
import pandas as pd


def make() -> pd.DataFrame:
    rng = np.random.default_rng(20121)
    rows = []
    for i in range(40):
        grp = "participant" if i < 20 else "comparison"
        base = rng.lognormal(8.8, 0.35)
        age = int(rng.integers(28, 55))
        for m in (1, 2, 3, 4):
            post = m >= 3
            eff = 0.55 if (post and grp == "participant") else 1.0
            pay = max(0.0, base * (1 - 0.12 * (m - 1)) * eff * rng.lognormal(0, 0.15)
                      - (2500 if rng.random() < 0.1 else 0))
            rows.append((f"P{i + 1:02d}", grp, m, "post" if post else "pre", round(pay), age))
    df = pd.DataFrame(rows, columns=["person", "group", "quarter", "phase", "welfare", "age"])
    p = np.where(df.group == "participant", 0.5, 0.3)
    df["work"] = (rng.random(len(df)) < p).astype(float)
    df.loc[df.quarter < 4, "work"] = np.nan
    return df


if __name__ == "__main__":
    make().to_csv(Path(__file__).with_name("example.csv"), index=False)
