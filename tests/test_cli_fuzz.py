"""CLI fuzz target (issue #19): random bytes, truncated files, giant lines and wrong
encodings through ``impacteval evaluate``, each with a time limit: the exit code is 0 or
2, never a traceback, never a hang. ``make fuzz`` runs more inputs
(``IMPACTEVAL_FUZZ_N``)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

from impacteval import cli

N = int(os.environ.get("IMPACTEVAL_FUZZ_N", "60"))
LIMIT_S = 20.0

GOOD = ("id;grupp;månad;belopp\n" + "".join(
    f"{i};{'Deltagare' if i < 6 else 'Jämförelse'};{m};{1000 + 37 * i + 11 * m},50\n"
    for i in range(12) for m in (1, 2)))
ARGS = ["--outcome", "belopp", "--unit", "id", "--group", "grupp", "--treated", "Deltagare",
        "--period", "månad", "--pre", "1", "--post", "2", "--json", "-"]


def _inputs(seed: int) -> list[tuple[str, bytes]]:
    rng = np.random.default_rng(seed)
    good = GOOD.encode("utf-8")
    out: list[tuple[str, bytes]] = []
    for k in range(N):
        kind = k % 6
        if kind == 0:
            out.append(("random.csv", rng.bytes(int(rng.integers(0, 3000)))))
        elif kind == 1:
            out.append(("truncated.csv", good[: int(rng.integers(0, len(good)))]))
        elif kind == 2:
            line = b"id;grupp;m\xe5nad;belopp\n" + b"1;" + b"9" * int(rng.integers(10_000, 200_000))
            out.append(("giant.csv", line))
        elif kind == 3:
            enc = ["utf-16", "cp1252", "latin-1", "utf-32"][int(rng.integers(0, 4))]
            out.append(("encoding.csv", GOOD.encode(enc, errors="replace")))
        elif kind == 4:
            b = bytearray(good)
            for _ in range(int(rng.integers(1, 20))):
                b[int(rng.integers(0, len(b)))] = int(rng.integers(0, 256))
            out.append(("mutated.csv", bytes(b)))
        else:
            z = b"PK\x03\x04" + rng.bytes(int(rng.integers(0, 500)))
            out.append(("broken.xlsx", z))
    return out


def test_cli_fuzz_in_process(tmp_path, capsys):
    codes = []
    for i, (name, data) in enumerate(_inputs(20261128)):
        p = tmp_path / f"{i}_{name}"
        p.write_bytes(data)
        t0 = time.perf_counter()
        try:
            rc = cli.main(["evaluate", str(p), *ARGS])
        except SystemExit as exc:  # argparse
            rc = exc.code
        took = time.perf_counter() - t0
        err = capsys.readouterr().err
        assert rc in (0, 2), (name, rc, err[-500:])
        assert "Traceback" not in err and "internal error" not in err, (name, err[-500:])
        assert took < LIMIT_S, (name, took)
        codes.append(rc)
    assert 2 in codes  # the fuzz reaches the error paths


@pytest.mark.parametrize("name,data", [("random.bin", bytes(range(256)) * 40),
                                       ("giant.csv", b"a;b\n" + b"1" * 500_000),
                                       ("utf16.csv", GOOD.encode("utf-16"))])
def test_cli_fuzz_as_a_process(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    r = subprocess.run([sys.executable, "-m", "impacteval", "evaluate", str(p), *ARGS],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode in (0, 2), r.stderr[-500:]
    assert "Traceback" not in r.stderr
