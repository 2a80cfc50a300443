"""Reference numbers for honest_did(..., inference="clf") from the R package HonestDiD.

Source: github.com/asheshrambachan/HonestDiD, README (Medicaid-expansion example of
Rambachan & Roth), knitr cache README_cache/gfm/*. The cache keeps R's own results of
createSensitivityResults_relativeMagnitudes (method C-LF) for the TWFE event study
*without* the control:

* chunk 4  - l_vec = first post period, Mbar 0.5..2 (the table printed in README.md);
* chunk 5  - the same with Mbar 0..2, from a run whose ends lie on the current grid
             (±20 SE, 1,000 points);
* chunk 7  - l_vec = (0.5, 0.5), Mbar 0..2.

The cache does not keep that model's betahat/sigma, so this script recomputes them from the
cached panel (chunk 8, df_nonstaggered: 43 states x 8 years) with the README's regression
feols(dins ~ i(year, D, ref = 2013) | stfips + year, cluster = "stfips"): two-way demeaning
(balanced panel) and fixest's clustered covariance G/(G-1) (n-1)/(n-K). The same code applied
to the README's model *with* the control reproduces the cached betahat and sigma of chunk 8
exactly (checked below), which fixes K. Only the derived numbers are written; no data.

Run (needs `pip install rdata` and a local mirror of the repo):
    python make_honestdid_clf_reference.py /path/to/HonestDiD/git-dir > honestdid_clf_reference.json
"""

import gzip
import json
import subprocess
import sys
import zlib

import numpy as np
import pandas as pd
import rdata


def objects(repo, chunk):
    def show(ext):
        return subprocess.run(["git", "-C", repo, "show", f"HEAD:README_cache/gfm/{chunk}.{ext}"],
                              capture_output=True, check=True).stdout
    index = rdata.conversion.convert(rdata.parser.parse_data(gzip.decompress(show("rdx"))))
    rdb = show("rdb")
    out = {}
    for name, (off, ln) in index["variables"].items():
        try:
            raw = zlib.decompress(rdb[int(off) + 4:int(off) + int(ln)])
            out[str(name)] = rdata.conversion.convert(rdata.parser.parse_data(raw))
        except Exception:  # objects with unsupported classes (fixest fits) are skipped
            pass
    return out


def twfe(df, extra):
    years = [y for y in sorted(df.year.unique()) if y != 2013]
    X = np.column_stack([(df.D * (df.year == y)).to_numpy() for y in years]
                        + [df[c].to_numpy() for c in extra])

    def dm(v):
        v = pd.Series(v)
        return (v - v.groupby(df.stfips.values).transform("mean")
                - v.groupby(df.year.values).transform("mean") + v.mean()).to_numpy()

    Xd = np.column_stack([dm(X[:, j]) for j in range(X.shape[1])])
    yd = dm(df.dins.to_numpy())
    b = np.linalg.lstsq(Xd, yd, rcond=None)[0]
    e = yd - Xd @ b
    inv = np.linalg.inv(Xd.T @ Xd)
    sc = pd.DataFrame(Xd * e[:, None]).groupby(df.stfips.values).sum().to_numpy()
    return b, inv @ (sc.T @ sc) @ inv


def table(df):
    return {"Mbar": [float(v) for v in df["Mbar"]], "lb": [float(v) for v in df["lb"]],
            "ub": [float(v) for v in df["ub"]], "method": [str(v) for v in df["method"]]}


def main(repo):
    c8 = objects(repo, "unnamed-chunk-8_f68e98bbac13a1932bc9db93b38f3a59")
    raw = c8["df_nonstaggered"]
    df = pd.DataFrame({k: np.asarray(raw[k], dtype=float)
                       for k in ["stfips", "year", "dins", "D", "control"]})
    G, n = df.stfips.nunique(), len(df)
    b8, v8 = twfe(df, ["control"])
    ratio = np.asarray(c8["sigma"], float) / v8[:7, :7]
    assert np.allclose(b8[:7], np.asarray(c8["betahat"], float), rtol=0, atol=1e-12)
    assert np.ptp(ratio) < 1e-9
    k_with = n - (n - 1) * G / (G - 1) / ratio.mean()
    assert abs(k_with - round(k_with)) < 1e-6
    b0, v0 = twfe(df, [])
    factor = G / (G - 1) * (n - 1) / (n - (round(k_with) - 1))
    ref = {
        "source": "HonestDiD README, Medicaid example without the control; results from the "
                  "knitr cache (createSensitivityResults_relativeMagnitudes, C-LF)",
        "betahat": b0.tolist(), "sigma": (factor * v0).tolist(),
        "num_pre": 5, "num_post": 2, "grid_points": 1000,
        "first_post_readme": table(objects(repo, "unnamed-chunk-4_d08e39374736e71fa1379f8379b56bb5")
                                   ["delta_rm_results"]),
        "first_post_grid": table(objects(repo, "unnamed-chunk-5_8563727fbd64847ebb1d79b8a34b25a1")
                                 ["delta_rm_results"]),
        "average": table(objects(repo, "unnamed-chunk-7_40d31aed1b8b0bc2d595204b6c288837")
                         ["delta_rm_results_avg"]),
    }
    print(json.dumps(ref, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
