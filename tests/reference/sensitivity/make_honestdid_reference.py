"""Reference numbers for impacteval.sensitivity.honest_did from the R package HonestDiD.

Source: github.com/asheshrambachan/HonestDiD (README, knitr cache README_cache/gfm/*),
the Medicaid-expansion example of Rambachan & Roth. The cache stores R's own objects:
betahat/sigma (chunk 8, TWFE with a control, 5 pre + 2 post) with the printed
createSensitivityResults(..., Mvec = seq(0, 0.05, 0.01)) FLCI output of that chunk (README),
and for the Sun-Abraham example (chunk 10) beta_vcv with the saved
createSensitivityResults_relativeMagnitudes output.

Run (needs `pip install rdata` and a local mirror of the repo):
    python make_honestdid_reference.py /path/to/HonestDiD/git-dir > honestdid_reference.json
"""

import json
import subprocess
import sys
import zlib

import numpy as np
import rdata


def objects(repo, chunk):
    def show(ext):
        return subprocess.run(["git", "-C", repo, "show", f"HEAD:README_cache/gfm/{chunk}.{ext}"],
                              capture_output=True, check=True).stdout
    import gzip
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


def arr(x):
    return np.asarray(getattr(x, "values", x), dtype=float).tolist()


def table(df):
    return {c: (arr(df[c]) if df[c].dtype.kind in "fi" else [str(v) for v in df[c]])
            for c in df.columns}


def main(repo):
    ch8 = objects(repo, "unnamed-chunk-8_f68e98bbac13a1932bc9db93b38f3a59")
    ref = {
        "source": "HonestDiD README (Medicaid example with a control), knitr cache chunk 8",
        "smoothness": {
            "betahat": arr(ch8["betahat"]), "sigma": arr(ch8["sigma"]),
            "num_pre": 5, "num_post": 2, "target": 0,
            # printed in README.md under the chunk (createSensitivityResults, FLCI, l_vec = first post)
            "M": [0.0, 0.01, 0.02, 0.03, 0.04, 0.05],
            "lb": [0.0264, 0.0128, 0.00186, -0.00814, -0.0181, -0.0281],
            "ub": [0.0607, 0.0788, 0.0908, 0.101, 0.111, 0.121],
            "print_digits": 3,
        },
    }
    ch10 = objects(repo, "unnamed-chunk-10_1f3c743ec6ce57aeac2e128cd86dc961")
    if "beta_vcv" in ch10 and "sensitivity_results" in ch10:
        bv = ch10["beta_vcv"]
        cohorts = arr(bv["cohorts"])
        ref["relative_magnitudes"] = {
            "source": "HonestDiD README (Sun-Abraham example), knitr cache chunk 10",
            "betahat": arr(bv["beta"]), "sigma": arr(bv["sigma"]),
            "cohorts": cohorts, "results": table(ch10["sensitivity_results"]),
        }
        if "original_results" in ch10:
            ref["relative_magnitudes"]["original"] = table(ch10["original_results"])
    print(json.dumps(ref, indent=1))


if __name__ == "__main__":
    main(sys.argv[1])
