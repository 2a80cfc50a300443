"""The ``impacteval`` command line.

Built on the standard library's :mod:`argparse`: it needs no extra
dependency, gives sub-commands, ``--help`` and exit code 2 for bad usage, and
lets us catch every :class:`~impacteval.errors.ImpactEvalError` in one place
and print it as one paragraph without a traceback (``--debug`` shows it).

Exit codes: 0 success, 2 bad usage or bad data.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from importlib import resources

import pandas as pd

from . import __version__
from .errors import ImpactEvalError, ImpactEvalWarning

__all__ = ["main"]


def _example_frame() -> pd.DataFrame:
    path = resources.files("impacteval.datasets.data") / "example.csv"
    with resources.as_file(path) as p:
        return pd.read_csv(p)


def demo_example(out=sys.stdout) -> None:
    """Every estimator on the small bundled example (40 persons, 4 quarters)."""
    import impacteval as ie

    df = _example_frame()
    common = dict(outcome="welfare", unit="person", period="quarter")
    print("impacteval demo — every estimator on datasets/example.csv "
          "(20 participants, 20 comparison persons, quarters 1-2 before, 3-4 after)\n", file=out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        blocks = [
            ("Follow-up: participants in work in quarter 4 (target 60 %)",
             ie.follow_up(df, outcome="work", group="group", treated="participant",
                          unit="person", period="quarter", post=4, target=0.6)),
            ("Benchmark: participants' payments after vs a reference of 5,000 SEK",
             ie.benchmark(df, group="group", treated="participant", post=[3, 4],
                          reference={"mean": 5000, "source": "reference level"}, **common)),
            ("Before-after: participants' welfare payments, percent change",
             ie.before_after(df, group="group", treated="participant", pre=[1, 2], post=[3, 4],
                             scale="relative", **common)),
            ("Comparison after only: welfare payments",
             ie.difference(df, group="group", treated="participant", post=[3, 4], **common)),
            ("Adjusted comparison: welfare payments given age",
             ie.difference(df, group="group", treated="participant", post=[3, 4],
                           covariates=["age"], **common)),
            ("Difference-in-differences (panel, unit and period effects)",
             ie.did(df, group="group", treated="participant", pre=[1, 2], post=[3, 4], **common)),
            ("Difference-in-differences, percent changes (percentage points)",
             ie.did(df, group="group", treated="participant", pre=[1, 2], post=[3, 4],
                    scale="relative", **common)),
        ]
    for title, est in blocks:
        print(f"## {title}\n", file=out)
        print(est.summary(), file=out)
        print(file=out)


SERVICETRAINEE_ROLES = dict(
    outcome="welfare", unit="person_id", group="group", treated="participant",
    control=["waitlist", "register"], period="month", pre=list(range(-12, 0)),
    post=list(range(1, 13)),
    covariates=["age", "sex", "household_size", "n_children", "months_on_welfare",
                "language_group"],
    assignment="capacity_waitlist", start="start_month")


def demo_servicetrainee(lang: str = "en", out=sys.stdout) -> None:
    """The canonical case: the ladder on the bundled Servicetrainee data."""
    import impacteval as ie

    df = ie.datasets.load_servicetrainee()
    print("impacteval demo — Servicetrainee (Norrköping 2012–2013, synthetic data calibrated "
          "to the published evaluation): 30 participants, 30 waitlist, 366 register; monthly "
          "welfare payments 12 months before and after.\n", file=out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        ev = ie.evaluate(df, **SERVICETRAINEE_ROLES)
    print(ev.summary(), file=out)
    print("\n" + ("Vad betyder det?" if lang == "sv" else "What does it mean?"), file=out)
    print(ev.explain(lang), file=out)


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="impacteval",
        description="Effect evaluation of local social investments: the evaluation ladder.",
    )
    p.add_argument("--version", action="version", version=f"impacteval {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command")
    d = sub.add_parser("demo", help="run a bundled example end to end")
    d.add_argument("name", nargs="?", default="servicetrainee",
                   help="servicetrainee (default: the ladder) or example (every estimator)")
    d.add_argument("--lang", choices=["en", "sv"], default="en")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``impacteval`` command."""
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            if args.name == "example":
                demo_example()
            elif args.name == "servicetrainee":
                demo_servicetrainee(args.lang)
            else:
                parser.error(f"unknown demo {args.name!r}; available: servicetrainee, example")
        else:
            parser.print_help()
        return 0
    except ImpactEvalError as exc:
        if args.debug:
            raise
        print(f"impacteval: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
