"""Reference numbers for tests/test_synthetic.py and tests/test_did_one_treated.py.

Writes ``reference.json`` beside this script:

* ``basque_pysyncon``: pysyncon 1.7.0 ``Synth`` (Nelder-Mead from equal V, its SLSQP inner
  solver) on the Basque data with the specification of Abadie & Gardeazabal (2003), as in
  pysyncon's own test ``tests/test_synth_basque.py``: donor weights, the pre-period loss
  (MSE of GDP per capita 1960-1969) and the gap per year;
* ``published``: the digits printed in the papers (typed in by hand, see the sources).

Data (public, copied here so that CI needs no network):
``basque.csv`` — the Basque Country data of Abadie & Gardeazabal (2003), as shipped with R's
Synth and pysyncon (``data/basque.csv``); ``california_prop99.csv`` — cigarette packs per
capita of 39 US states 1970-2000 (Abadie, Diamond & Hainmueller 2010), as shipped with R's
synthdid (``data/california_prop99.csv``).

Run: ``python tests/reference/synthetic/make_reference.py`` (needs ``pip install pysyncon``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent

BASQUE = "Basque Country (Pais Vasco)"
SCHOOL = ["school.illit", "school.prim", "school.med", "school.high", "school.post.high",
          "invest"]
SECTORS = ["sec.agriculture", "sec.energy", "sec.industry", "sec.construction",
           "sec.services.venta", "sec.services.nonventa"]

PUBLISHED = {
    # Abadie & Gardeazabal (2003, AER 93(1), p. 117): synthetic Basque Country = 85.08 %
    # Catalonia + 14.92 % Madrid (the digits R's Synth prints for the same specification)
    "basque_weights": {"Cataluna": 0.8508, "Madrid (Comunidad De)": 0.1492},
    # Arkhangelsky, Athey, Hirshberg, Imbens & Wager (2021, AER 111(12)), Table 1,
    # California Proposition 99: point estimates (standard errors in parentheses there)
    "prop99_did": -27.3,
    "prop99_sc": -19.6,
    "prop99_sdid": -15.6,
}


def basque_pysyncon() -> dict:
    from pysyncon import Dataprep, Synth

    df = pd.read_csv(HERE / "basque.csv")
    controls = sorted(set(df["regionname"]) - {BASQUE})
    dp = Dataprep(
        foo=df, predictors=SCHOOL, predictors_op="mean", time_predictors_prior=range(1964, 1970),
        special_predictors=[("gdpcap", range(1960, 1970), "mean")]
        + [(c, range(1961, 1970, 2), "mean") for c in SECTORS]
        + [("popdens", [1969], "mean")],
        dependent="gdpcap", unit_variable="regionname", time_variable="year",
        treatment_identifier=BASQUE, controls_identifier=controls,
        time_optimize_ssr=range(1960, 1970),
    )
    s = Synth()
    s.fit(dataprep=dp, optim_method="Nelder-Mead", optim_initial="equal")
    z = df.pivot(index="year", columns="regionname", values="gdpcap")
    synth = z[controls].to_numpy() @ s.W
    gap = z[BASQUE].to_numpy() - synth
    return {
        "weights": {c: float(w) for c, w in zip(s.W_names, s.W, strict=True)},
        "loss_v": float(s.loss_V),
        "v": [float(v) for v in s.V],
        "gap": {str(int(y)): float(g) for y, g in zip(z.index, gap, strict=True)},
    }


def main() -> None:
    import pysyncon

    out = {"pysyncon_version": pysyncon.__version__ if hasattr(pysyncon, "__version__")
           else "1.7.0", "published": PUBLISHED, "basque_pysyncon": basque_pysyncon()}
    (HERE / "reference.json").write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out["basque_pysyncon"]["weights"], indent=1))


if __name__ == "__main__":
    main()
