"""The ``impacteval`` command line.

Sub-commands::

    impacteval evaluate DATA --outcome Y --group G --treated T [--control C ...] ...
    impacteval demo [servicetrainee|example]
    impacteval datasets
    impacteval plan init [PATH]

Built on the standard library's :mod:`argparse`: it needs no extra
dependency, gives sub-commands, ``--help`` and exit code 2 for bad usage, and
lets us catch every :class:`~impacteval.errors.ImpactEvalError` in one place
and print it as one paragraph without a traceback (``--debug`` shows it).
argparse reads ``--pre -12:-1`` as two options, so values of ``--pre``,
``--post`` and ``--reference`` that start with ``-`` are joined to their
option before parsing (``--pre=-12:-1``). The progress display uses tqdm.

Exit codes: 0 success, 2 bad usage or bad data, 1 an unexpected internal
error (a bug: please report it with the ``--debug`` traceback).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import threading
import warnings
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from .errors import ArgumentError, DataError, ImpactEvalError, ImpactEvalWarning
from .notes import Note

__all__ = ["main", "parse_periods", "SERVICETRAINEE_ROLES"]


def _example_frame() -> pd.DataFrame:
    path = resources.files("impacteval.datasets.data") / "example.csv"
    with resources.as_file(path) as p:
        return pd.read_csv(p)


def demo_example(out: Any = None) -> None:
    """Every estimator on the small bundled example (40 persons, 4 quarters)."""
    import impacteval as ie

    out = sys.stdout if out is None else out
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


def demo_servicetrainee(lang: str = "en", out: Any = None, report: str | None = None) -> None:
    """The canonical case: the ladder on the bundled Servicetrainee data."""
    import impacteval as ie

    out = sys.stdout if out is None else out
    if report:
        _check_writable(report, "--report")
    df = ie.datasets.load_servicetrainee()
    intro = {
        "en": "impacteval demo — Servicetrainee (Norrköping 2012–2013, synthetic data "
              "calibrated to the published evaluation): 30 participants, 30 waitlist, 366 "
              "register; monthly welfare payments 12 months before and after.\n",
        "sv": "impacteval demo — Servicetrainee (Norrköping 2012–2013, syntetiska data "
              "kalibrerade mot den publicerade utvärderingen): 30 deltagare, 30 på väntelista, "
              "366 i registret; försörjningsstöd per månad 12 månader före och efter.\n"}
    print(intro.get(lang, intro["en"]), file=out)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactEvalWarning)
        ev = _with_progress(lambda: ie.evaluate(df, **SERVICETRAINEE_ROLES),
                            CLI_TEXTS[lang]["evaluating"])
    print(ev.summary(lang), file=out)
    print("\n" + ("Vad betyder det?" if lang == "sv" else "What does it mean?"), file=out)
    print(ev.explain(lang), file=out)
    if report:
        from .report import evaluation_html

        html = evaluation_html(ev, lang=lang, data=df, roles=SERVICETRAINEE_ROLES,
                               units="SEK per month" if lang == "en" else "kr per månad",
                               source="servicetrainee.csv",
                               command=f"impacteval demo servicetrainee --lang {lang} "
                                       f"--report {shlex.quote(report)}")
        _write_text(report, html, "--report")
        print("\n" + CLI_TEXTS[lang]["report_written"].format(path=report), file=out)


# ------------------------------------------------------------------ helpers
def _with_progress(fn: Any, desc: str, stream: Any = None) -> Any:
    """Run ``fn()``; show a tqdm spinner with the elapsed time when ``stream`` is a terminal."""
    stream = sys.stderr if stream is None else stream
    if not getattr(stream, "isatty", lambda: False)():
        return fn()
    from tqdm import tqdm

    done = threading.Event()
    bar = tqdm(total=None, desc=desc, file=stream, leave=False,
               bar_format="{desc} {postfix} [{elapsed}]")

    def spin() -> None:
        frames = "|/-\\"
        i = 0
        while not done.wait(0.2):
            bar.set_postfix_str(frames[i % 4], refresh=True)
            i += 1

    t = threading.Thread(target=spin, daemon=True)
    t.start()
    try:
        return fn()
    finally:
        done.set()
        t.join()
        bar.close()


#: what the command itself prints, per language
CLI_TEXTS: dict[str, dict[str, str]] = {
    "en": {"error": "error", "report_written": "report written to {path}",
           "json_written": "JSON written to {path}", "evaluating": "evaluating",
           "writing_report": "writing the report",
           "unknown_demo": "unknown demo {name!r}; available: servicetrainee, example",
           "interrupted": "interrupted",
           "internal": "internal error: {msg}. This is a bug; run again with --debug and report "
                       "the traceback.",
           "usage": "bad command line: {msg}"},
    "sv": {"error": "fel", "report_written": "rapporten skrevs till {path}",
           "json_written": "JSON skrevs till {path}", "evaluating": "utvärderar",
           "writing_report": "skriver rapporten",
           "unknown_demo": "okänt exempel {name!r}; det finns servicetrainee och example",
           "interrupted": "avbrutet",
           "internal": "internt fel: {msg}. Det är en bugg; kör igen med --debug och rapportera "
                       "spårutskriften.",
           "usage": "felaktig kommandorad: {msg}"},
}

#: argparse's own messages (English) and their Swedish versions
_USAGE_SV = [
    (r"the following arguments are required: (.*)", r"följande argument måste anges: \1"),
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
     r"argument \1: ogiltigt val: \2 (välj bland \3)"),
    (r"argument (\S+): expected one argument", r"argument \1: ett värde saknas"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"argument \1: ogiltigt värde: \3"),
    (r"argument (\S+): not allowed with argument (.*)",
     r"argument \1: kan inte anges tillsammans med \2"),
]


def _lang_of(raw: Sequence[str]) -> str:
    """The ``--lang`` asked for on a command line (before it is parsed)."""
    for i, a in enumerate(raw):
        if a == "--lang" and i + 1 < len(raw):
            return "sv" if raw[i + 1] == "sv" else "en"
        if a.startswith("--lang="):
            return "sv" if a.split("=", 1)[1] == "sv" else "en"
    return "en"


class _Parser(argparse.ArgumentParser):
    """argparse with its usage errors in the ``--lang`` of the command line (exit code 2)."""

    lang = "en"

    def format_usage(self) -> str:
        u = super().format_usage()
        return u.replace("usage:", "användning:", 1) if self.lang == "sv" else u

    def error(self, message: str):  # type: ignore[override]
        import re

        if self.lang == "sv":
            for pat, rep in _USAGE_SV:
                if re.fullmatch(pat, message):
                    message = re.sub(pat, rep, message)
                    break
        self.print_usage(sys.stderr)
        T = CLI_TEXTS[self.lang]
        self.exit(2, f"{self.prog}: {T['error']}: {T['usage'].format(msg=message)}\n")


def _first_columns(df: Any) -> str:
    """The first 12 column names, quoted, for an error message."""
    return ", ".join(map(repr, list(df.columns)[:12]))


def _write_text(path: str, text: str, option: str) -> None:
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(Note("err_cli_cannot_write", option=option, path=path,
                             why=str(exc.strerror or exc))) from None


def _check_writable(path: str, option: str) -> None:
    """Fail before the (slow) evaluation when an output file cannot be written."""
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise DataError(Note("err_cli_no_folder", option=option, path=path,
                             folder=str(parent)))
    if Path(path).is_dir():
        raise DataError(Note("err_cli_is_folder", option=option, path=path))


def _split(values: Sequence[str] | None) -> list[str]:
    """Flatten repeated and comma-separated option values."""
    out: list[str] = []
    for v in values or []:
        out += [x.strip() for x in str(v).split(",") if x.strip()]
    return out


def _int_or_none(s: str) -> int | None:
    try:
        return int(s.strip().replace("\u2212", "-"))
    except ValueError:
        return None


def parse_periods(spec: str, column: Any, option: str) -> list[Any]:
    """Values of ``column`` named by ``spec``: a list (``1,2``), ranges (``-12:-1``) or both.

    A range ``a:b`` takes every value of a numeric period column from ``a`` to ``b``
    (both included); for a text column it names the whole numbers ``a, a+1, ..., b``.
    A range of periods as people write them (``2012-01:2012-12``, ``2013 Q1:2013 Q4``,
    dates) takes every period of the column between them, in time order.
    Every value is matched to the column as :func:`impacteval.roles.match_label` does
    (``"1"`` matches ``1``), so a value the data do not have is an error naming it.

    Examples
    --------
    >>> import pandas as pd
    >>> parse_periods("-3:-1,2", pd.Series([-3, -2, -1, 1, 2]), "--pre")
    [-3, -2, -1, 2]
    >>> parse_periods("före", pd.Series(["före", "efter"]), "--pre")
    ['före']
    >>> parse_periods("2012-11:2013-01", pd.Series(["2012-10", "2012-11", "2012-12", "2013-1"]),
    ...               "--pre")
    ['2012-11', '2012-12', '2013-1']
    """
    import pandas as pd

    from .roles import match_label

    col = pd.Series(column)
    name = str(col.name) if col.name is not None else "period"
    numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
    present = pd.unique(col.dropna())
    out: list[Any] = []
    parts = [p.strip() for p in str(spec).split(",") if p.strip()]
    if not parts:
        raise ArgumentError(Note("err_cli_periods_empty", option=option))
    for part in parts:
        if ":" in part[1:]:
            cut = part.index(":", 1)
            a, b = _int_or_none(part[:cut]), _int_or_none(part[cut + 1:])
            if a is None or b is None:
                out += _period_range(part[:cut], part[cut + 1:], col, present, option, name)
                continue
            if a > b:
                raise ArgumentError(Note("err_cli_range_backwards", option=option,
                                         range=f"{a}:{b}", fix=f"{b}:{a}"))
            if numeric:
                hits = sorted(v for v in present if a <= v <= b)
                if not hits:
                    raise ArgumentError(Note("err_cli_range_empty", option=option,
                                             column=name, range=part, first=str(min(present)),
                                             last=str(max(present))))
                out += hits
            else:
                out += [match_label(col, v, option.lstrip("-"), name) for v in range(a, b + 1)]
        else:
            out.append(match_label(col, part, option.lstrip("-"), name))
    clean = [v.item() if hasattr(v, "item") else v for v in out]
    return list(dict.fromkeys(clean))


def _period_range(a: str, b: str, col: Any, present: Any, option: str,
                  name: str) -> list[Any]:
    """The periods of the column from ``a`` to ``b`` in time order (``2012-01:2012-12``,
    ``2013 Q1:2013 Q4``, dates): ``a`` and ``b`` need not be in the data themselves."""
    from .periods import chronological, period_key

    ka, kb = period_key(a.strip()), period_key(b.strip())
    if ka is None or kb is None:
        raise ArgumentError(Note("err_cli_not_a_range", option=option, range=f"{a}:{b}"))
    if ka > kb:
        raise ArgumentError(Note("err_cli_range_backwards", option=option, range=f"{a}:{b}",
                                 fix=f"{b}:{a}"))
    keyed = {v: period_key(v) for v in present}
    hits = [v for v in chronological(present) if keyed[v] is not None and ka <= keyed[v] <= kb]
    if not hits:
        shown = chronological(present)
        raise ArgumentError(Note("err_cli_range_empty", option=option, column=name,
                                 range=f"{a}:{b}", first=str(shown[0]), last=str(shown[-1])))
    return hits


#: the period column made by --relative-to-start, per language
RELATIVE_PERIOD = {"en": "period_from_start", "sv": "period_från_start"}


def relative_to_start(df: Any, args: argparse.Namespace) -> Any:
    """A copy of ``df`` whose period column counts periods from each unit's start.

    Periods are ranked in time order over the whole column; a unit's start is the first
    period at or after its start value, and period ``k`` of a unit is ``rank - start
    rank`` (0 = the start period). Units without a start (a comparison group) get the
    participants' most common start, so both groups are compared over the same calendar
    months. ``args`` is updated: the period column is the new one and ``--start`` is
    dropped (starts are built into the periods).
    """
    import numpy as np
    import pandas as pd

    from .errors import MissingColumnError
    from .notes import Note
    from .periods import chronological, period_key, to_keys
    from .texts import Count

    for opt in ("start", "period", "unit"):
        if getattr(args, opt) is None:
            raise ArgumentError(Note("err_cli_relative_needs", option=f"--{opt}"))
        if getattr(args, opt) not in df.columns:
            raise MissingColumnError(Note("err_cli_no_column", option=f"--{opt}",
                                          column=str(getattr(args, opt)),
                                          columns=_first_columns(df)))
    per, u = df[args.period], args.unit
    order = chronological(pd.unique(per.dropna()))
    keys = np.array([period_key(v) for v in order], dtype=float)
    if not np.isfinite(keys).all():
        raise ArgumentError(Note("err_cli_relative_periods", column=str(args.period)))
    rank = pd.Series(np.arange(len(order)), index=pd.Index(order))
    st = to_keys(df.groupby(u, sort=False)[args.start].first())
    st_rank = pd.Series(np.searchsorted(keys, st.to_numpy(), side="left").astype(float),
                        index=st.index)
    st_rank[~np.isfinite(st.to_numpy())] = np.nan
    missing = st_rank.isna()
    if missing.all():
        raise ArgumentError(Note("err_cli_relative_no_start", column=str(args.start)))
    if missing.any():
        common = float(st_rank.dropna().mode().iloc[0])
        st_rank[missing] = common
        warnings.warn(Note("relative_aligned", n=Count(int(missing.sum())),
                           start=order[int(min(common, len(order) - 1))]), ImpactEvalWarning,
                      stacklevel=2)
    out = df.copy()
    col = RELATIVE_PERIOD[args.lang]
    out[col] = (per.map(rank).to_numpy(float) - df[u].map(st_rank).to_numpy(float))
    out[col] = out[col].astype("Int64")
    args.period, args.start = col, None
    return out


def _parse_reference(spec: str | None) -> Any:
    """``100`` or ``mean=100,sd=15,n=2000,source=WISC norm``."""
    if spec is None:
        return None
    s = spec.strip()
    try:
        return float(s.replace("\u2212", "-"))
    except ValueError:
        pass
    out: dict[str, Any] = {}
    for part in s.split(","):
        if "=" not in part:
            raise ArgumentError(Note("err_cli_reference_form", spec=spec))
        key, val = (x.strip() for x in part.split("=", 1))
        if key not in ("mean", "sd", "n", "source"):
            raise ArgumentError(Note("err_cli_reference_key", key=key))
        if key == "source":
            out[key] = val
        else:
            try:
                out[key] = int(val) if key == "n" else float(val.replace(",", "."))
            except ValueError:
                raise ArgumentError(Note("err_cli_reference_number", key=key,
                                         value=val)) from None
    if "mean" not in out:
        raise ArgumentError(Note("err_cli_reference_mean"))
    return out


def _label(df: Any, column: str | None, value: str | None, role: str) -> Any:
    from .errors import MissingColumnError
    from .roles import match_label

    if value is None:
        return None
    if column is None:
        raise ArgumentError(Note("err_cli_needs_group", option=f"--{role}"))
    if column not in df.columns:
        raise MissingColumnError(Note("err_cli_no_column", option="--group", column=column,
                                      columns=_first_columns(df)))
    v = match_label(df[column], value, role, column)
    return v.item() if hasattr(v, "item") else v


def _evaluate_kwargs(args: argparse.Namespace, df: Any) -> dict[str, Any]:
    """Turn command-line options into ``ie.evaluate`` keyword arguments."""
    from .errors import MissingColumnError

    outcomes = _split(args.outcome)
    if not outcomes:
        raise ArgumentError(Note("err_cli_no_outcome"))
    kw: dict[str, Any] = {"outcome": outcomes[0] if len(outcomes) == 1 else outcomes}
    for opt in ("unit", "group", "period", "cluster", "start"):
        val = getattr(args, opt)
        if val is not None:
            kw[opt] = val
    kw["treated"] = _label(df, args.group, args.treated, "treated")
    controls = [_label(df, args.group, c, "control") for c in _split(args.control)]
    if controls:
        kw["control"] = controls[0] if len(controls) == 1 else controls
    if args.pre is not None or args.post is not None:
        if args.period is None:
            raise ArgumentError(Note("err_cli_prepost_need_period"))
        if args.period not in df.columns:
            raise MissingColumnError(Note("err_cli_no_column", option="--period",
                                          column=str(args.period), columns=_first_columns(df)))
        if args.pre is not None:
            kw["pre"] = parse_periods(args.pre, df[args.period], "--pre")
        if args.post is not None:
            kw["post"] = parse_periods(args.post, df[args.period], "--post")
    covs = _split(args.covariates)
    if covs:
        kw["covariates"] = covs
    if args.assignment is not None:
        kw["assignment"] = args.assignment
    ref = _parse_reference(args.reference)
    if ref is not None:
        kw["reference"] = ref
    if args.seed is not None:
        kw["seed"] = args.seed
    return {k: v for k, v in kw.items() if v is not None}


def _print_warnings(caught: list[warnings.WarningMessage], lang: str = "en") -> None:
    from .notes import render_note

    seen = set()
    head = "varning" if lang == "sv" else "warning"
    for w in caught:
        arg = w.message.args[0] if getattr(w.message, "args", None) else str(w.message)
        msg = render_note(arg, lang, None)
        if msg in seen:
            continue
        seen.add(msg)
        print(f"impacteval: {head}: {msg}", file=sys.stderr)


def cmd_evaluate(args: argparse.Namespace, argv: Sequence[str]) -> int:
    """``impacteval evaluate``: the ladder on a data file."""
    import impacteval as ie

    from .results import to_jsonable

    for path, option in ((args.report, "--report"), (args.json, "--json")):
        if path and path != "-":
            _check_writable(path, option)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ImpactEvalWarning)
        df = ie.read_table(args.data, sheet=_sheet(args.sheet))
        if args.relative_to_start:
            df = relative_to_start(df, args)
        kw = _evaluate_kwargs(args, df)
        # the ladder silences its own per-design warnings; what remains is about the data;
        # on a terminal (or with --progress) it says which design it computes, k/N
        show = args.progress or getattr(sys.stderr, "isatty", lambda: False)()
        ev = ie.evaluate(df, **kw, progress=args.lang if show else False)
    _print_warnings([w for w in caught if issubclass(w.category, ImpactEvalWarning)], args.lang)
    json_to_stdout = args.json == "-"
    if not json_to_stdout:
        print(ev.summary(args.lang))
        print("\n" + ("Vad betyder det?" if args.lang == "sv" else "What does it mean?"))
        print(ev.explain(args.lang))
    command = "impacteval " + " ".join(shlex.quote(a) for a in argv)
    if args.report:
        from .report import evaluation_html

        html = _with_progress(lambda: evaluation_html(
            ev, lang=args.lang, suppress_below=args.suppress_below, data=df, roles=kw,
            units=args.units, source=Path(args.data).name, command=command),
            "impacteval: " + CLI_TEXTS[args.lang]["writing_report"])
        _write_text(args.report, html, "--report")
        if not json_to_stdout:
            print("\n" + CLI_TEXTS[args.lang]["report_written"].format(path=args.report))
    if args.json:
        items = list(ev) if isinstance(ev, ie.EvaluationCollection) else [ev]
        doc = {"impacteval_version": __version__, "command": command,
               "call": to_jsonable(kw), "evaluations": [_private_json(e.to_dict())
                                                         for e in items]}
        text = json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)
        if json_to_stdout:
            print(text)
        else:
            _write_text(args.json, text + "\n", "--json")
            print(CLI_TEXTS[args.lang]["json_written"].format(path=args.json))
    return 0


def _private_json(d: dict[str, Any]) -> dict[str, Any]:
    """Drop per-unit values from the JSON: ids, and the extremes of the overlap tables."""
    def clean_est(e: Any) -> None:
        if not isinstance(e, dict):
            return
        diag = e.get("diagnostics") or {}
        for k in [k for k in diag if k.endswith("_ids")]:
            diag.pop(k)
        tables = e.get("tables") or {}
        for row in tables.get("overlap", []) or []:
            for k in ("min_treated", "max_treated", "min_control", "max_control"):
                row.pop(k, None)

    clean_est(d.get("estimate"))
    for e in (d.get("sensitivity") or {}).values():
        clean_est(e)
    return d


def _sheet(s: str | None) -> Any:
    if s is None:
        return None
    return int(s) if s.isdigit() else s


def cmd_datasets() -> int:
    import pandas as pd

    import impacteval as ie

    t = ie.datasets.list_datasets()
    with pd.option_context("display.max_colwidth", 70, "display.width", 200):
        print(t[["name", "rows", "loader", "description"]].to_string(index=False))
    print("\nload one with: import impacteval as ie; ie.datasets.<loader>; its data card: "
          "ie.datasets.data_card(name)")
    print(f"CSV files (for the command line and spreadsheets): {ie.datasets.data_dir()}")
    return 0


def cmd_plan_init(path: str, force: bool) -> int:
    from .plan import Plan

    p = Path(path)
    if p.exists() and not force:
        raise ArgumentError(Note("err_cli_exists", path=path))
    _write_text(path, Plan.template(), "plan init")
    print(f"plan template written to {path}; fill it in before the outcome data exist, then "
          f"load it with ie.Plan.from_toml(open({path!r}).read()).")
    return 0


_DASH_VALUE_OPTIONS = ("--pre", "--post", "--reference")


def _join_dash_values(argv: Sequence[str]) -> list[str]:
    """``--pre -12:-1`` -> ``--pre=-12:-1`` (argparse would read -12:-1 as an option)."""
    out: list[str] = []
    i = 0
    argv = list(argv)
    while i < len(argv):
        a = argv[i]
        if a in _DASH_VALUE_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-") \
                and len(argv[i + 1]) > 1 and (argv[i + 1][1].isdigit() or argv[i + 1][1] == "."):
            out.append(f"{a}={argv[i + 1]}")
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _build_parser() -> argparse.ArgumentParser:
    from .roles import ASSIGNMENTS

    p = _Parser(
        prog="impacteval",
        description="Effect evaluation of local social investments: the evaluation ladder.",
        epilog="Exit codes: 0 success, 2 bad usage or bad data. See docs/cli.md.",
    )
    p.add_argument("--version", action="version", version=f"impacteval {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", metavar="{evaluate,demo,datasets,plan}")

    e = sub.add_parser(
        "evaluate", help="climb the evaluation ladder on a data file",
        description="Read DATA (CSV with , or ; and decimal commas, .xlsx, .parquet), pick the "
                    "strongest design the data allow, print the verdict, the designs tried and "
                    "a plain-language paragraph; optionally write an HTML report and JSON.",
        epilog="Example: impacteval evaluate servicetrainee.csv --outcome welfare --unit "
               "person_id --group group --treated participant --control waitlist,register "
               "--period month --pre -12:-1 --post 1:12 --assignment capacity_waitlist "
               "--report report.html --lang sv")
    e.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show tracebacks")
    e.add_argument("data", help="data file: .csv, .txt, .xlsx or .parquet (long format)")
    g = e.add_argument_group("roles")
    g.add_argument("--outcome", action="append", required=True, metavar="COL",
                   help="outcome column (several: repeat or comma-separate)")
    g.add_argument("--unit", metavar="COL", help="unit (person) id column")
    g.add_argument("--group", metavar="COL", help="column naming each unit's group")
    g.add_argument("--treated", metavar="VALUE", help="value of --group that marks participants")
    g.add_argument("--control", action="append", metavar="VALUE",
                   help="comparison group value(s); repeat or comma-separate for one result "
                        "per group (default: all other groups pooled)")
    g.add_argument("--period", metavar="COL", help="column with the time of measurement")
    g.add_argument("--pre", metavar="VALUES",
                   help="period values before the start: a list 1,2 and/or ranges -12:-1")
    g.add_argument("--post", metavar="VALUES", help="period values after the start (as --pre)")
    g.add_argument("--covariates", action="append", metavar="A,B,C",
                   help="baseline covariate columns (comma-separated or repeated)")
    g.add_argument("--cluster", metavar="COL", help="cluster column (school, office)")
    g.add_argument("--start", metavar="COL",
                   help="column with each unit's start period (waitlist contamination check)")
    g.add_argument("--relative-to-start", action="store_true",
                   help="--pre/--post count periods from each unit's --start (e.g. --pre -12:-1 "
                        "--post 1:12); units without a start are aligned on the participants' "
                        "most common start")
    g.add_argument("--assignment", choices=ASSIGNMENTS,
                   help="how units got into the project (default: unknown)")
    g.add_argument("--reference", metavar="X",
                   help="benchmark: a number, or mean=..,sd=..,n=..,source=..")
    o = e.add_argument_group("output")
    o.add_argument("--lang", choices=["en", "sv"], default="en", help="language (default en)")
    o.add_argument("--progress", action="store_true",
                   help="show the design being computed and k/N on standard error (shown "
                        "anyway when standard error is a terminal)")
    o.add_argument("--report", metavar="OUT.html", help="write a self-contained HTML report")
    o.add_argument("--json", metavar="OUT.json", help="write the result as JSON ('-': stdout)")
    o.add_argument("--units", metavar="TEXT",
                   help="unit of the outcome for the figures, e.g. 'SEK per month'")
    o.add_argument("--suppress-below", type=int, default=5, metavar="K",
                   help="in the report, show counts of fewer than K people as '< K' (default 5)")
    o.add_argument("--seed", type=int, help="seed for resampling (default: the package's)")
    o.add_argument("--sheet", help="Excel sheet name or number (default: the first)")

    d = sub.add_parser("demo", help="run a bundled example end to end")
    d.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                   help="show tracebacks")
    d.add_argument("name", nargs="?", default="servicetrainee",
                   help="servicetrainee (default: the ladder) or example (every estimator)")
    d.add_argument("--lang", choices=["en", "sv"], default="en")
    d.add_argument("--report", metavar="OUT.html", help="also write the HTML report")

    sub.add_parser("datasets", help="list the bundled datasets")

    pl = sub.add_parser("plan", help="evaluation plans (pre-registration)")
    plsub = pl.add_subparsers(dest="plan_command", metavar="{init}")
    pi = plsub.add_parser("init", help="write a plan template (TOML)")
    pi.add_argument("path", nargs="?", default="plan.toml", help="where (default plan.toml)")
    pi.add_argument("--force", action="store_true", help="overwrite an existing file")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``impacteval`` command; returns the exit code."""
    raw = list(sys.argv[1:] if argv is None else argv)
    _Parser.lang = _lang_of(raw)
    parser = _build_parser()
    try:
        args = parser.parse_args(_join_dash_values(raw))
    except SystemExit as exc:  # argparse: --help (0) or bad usage (2, message printed)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    debug = bool(getattr(args, "debug", False))
    try:
        if args.command == "evaluate":
            return cmd_evaluate(args, raw)
        if args.command == "demo":
            if args.name == "example":
                demo_example()
            elif args.name == "servicetrainee":
                demo_servicetrainee(args.lang, report=args.report)
            else:
                T = CLI_TEXTS[args.lang]
                print(f"impacteval: {T['error']}: " + T["unknown_demo"].format(name=args.name),
                      file=sys.stderr)
                return 2
            return 0
        if args.command == "datasets":
            return cmd_datasets()
        if args.command == "plan":
            if args.plan_command == "init":
                return cmd_plan_init(args.path, args.force)
            print("impacteval: error: use 'impacteval plan init [PATH]'", file=sys.stderr)
            return 2
        parser.print_help()
        return 0
    except ImpactEvalError as exc:
        if debug:
            raise
        lang = getattr(args, "lang", "en")
        msg = " ".join(exc.render(lang).split())
        print(f"impacteval: {'fel' if lang == 'sv' else 'error'}: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("impacteval: " + CLI_TEXTS[getattr(args, "lang", "en")]["interrupted"],
              file=sys.stderr)
        return 130
    except Exception as exc:
        if debug:
            raise
        msg = " ".join(f"{type(exc).__name__}: {exc}".split())
        print("impacteval: " + CLI_TEXTS[getattr(args, "lang", "en")]["internal"].format(
            msg=msg), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
