"""Reference numbers for tests/test_staggered.py, made by the independent
implementation ``csdid`` 0.4.3 (PyPI; a port of the R package ``did`` by
Callaway & Sant'Anna).

Data: ``mpdta.csv`` (Callaway & Sant'Anna 2021, county teen employment 2003-2007,
500 counties; the example data of R ``did`` and of ``csdid``), and a synthetic
staggered panel made here with a fixed seed (``synthetic_panel``).

Run (needs the ``bench`` extra): ``python tests/reference/staggered/make_csdid_reference.py``
It writes ``csdid_reference.json`` beside this script.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent


def synthetic_panel(n: int = 400, seed: int = 7) -> pd.DataFrame:
    """Balanced panel, periods 1..6, cohorts 3, 4, 5 and never (0), heterogeneous effects."""
    rng = np.random.default_rng(seed)
    g = rng.choice([0, 3, 4, 5], size=n, p=[0.3, 0.25, 0.25, 0.2])
    x = rng.normal(size=n)
    a = rng.normal(size=n) + 0.5 * x
    rows = []
    for t in range(1, 7):
        eff = np.where((g > 0) & (t >= g), 1.0 + 0.5 * (t - g) + 0.3 * (g == 3), 0.0)
        y = a + 0.2 * t + 0.1 * x * t + eff + rng.normal(size=n)
        rows.append(pd.DataFrame({"id": np.arange(n), "t": t, "g": g, "x": x, "y": y}))
    return pd.concat(rows, ignore_index=True)


def run(data, y, t, i, g, control, est="dr", xformla=None):
    from csdid.att_gt import ATTgt

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ATTgt(yname=y, tname=t, idname=i, gname=g, data=data, control_group=control,
                    xformla=xformla).fit(est_method=est, base_period="varying", bstrap=False)
        out = {"group_time": pd.DataFrame({"group": res.results["group"],
                                           "period": res.results["year"],
                                           "att": res.results["att"],
                                           "se": res.results["se"]}).to_dict(orient="list")}
        for typ in ("simple", "dynamic", "group", "calendar"):
            res.aggte(typec=typ, bstrap=False)
            a = res.atte
            item = {"overall_att": float(a["overall_att"]), "overall_se": float(a["overall_se"])}
            if a.get("egt") is not None:
                item["egt"] = [float(v) for v in np.asarray(a["egt"])]
                item["att_egt"] = [float(v) for v in np.asarray(a["att_egt"])]
                item["se_egt"] = [float(v) for v in np.asarray(a["se_egt"])]
            out[typ] = item
    return out


def main() -> None:
    import csdid

    mpdta = pd.read_csv(HERE / "mpdta.csv")
    syn = synthetic_panel()
    ref = {"csdid_version": getattr(csdid, "__version__", "0.4.3"), "base_period": "varying",
           "analytic_se": "bstrap=False"}
    for control in ("nevertreated", "notyettreated"):
        ref[f"mpdta_{control}"] = run(mpdta, "lemp", "year", "countyreal", "first.treat", control)
        ref[f"synthetic_{control}"] = run(syn, "y", "t", "id", "g", control)
    for est in ("reg", "ipw", "dr"):
        ref[f"mpdta_nevertreated_lpop_{est}"] = run(mpdta, "lemp", "year", "countyreal",
                                                    "first.treat", "nevertreated", est, "~ lpop")
    (HERE / "csdid_reference.json").write_text(json.dumps(ref, indent=1))


if __name__ == "__main__":
    main()
