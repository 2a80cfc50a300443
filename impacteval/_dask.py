"""Difference-in-differences on data larger than memory: a panel as a Dask DataFrame
(or a Parquet dataset) analysed by ``ie.did`` through sufficient statistics.

Why hand-written: dask computes group sums, but no Dask library fits a two-way
fixed-effects model with clustered errors out of core. The linear-time kernel of
:mod:`impacteval._fast` needs the data only through the unit × period cell counts
``C`` and cell sums ``Y`` of the outcome, and the participant flag ``a`` of each unit
(:meth:`impacteval._fast.TwoWay.fit_unit_period`). Every quantity it forms is a sum
over units:

* pass 1 (one read of the data): the T × T matrices ``C'diag(1/nᵢ)C`` and
  ``C'diag(aᵢ/nᵢ)C``, the period vectors ``colsum C``, ``a'C``, ``colsum Y``,
  ``C'ȳ``, ``Y'a`` and ``C'(a·ȳ)`` (ȳ the unit means), the pre-period slope and
  pre-period mean of each unit, and row moments;
* the driver solves the same T × T system as in memory (coefficients, ``Γ = A⁺A₁B``);
* pass 2 (a second read): each unit's score ``sᵢ = Σₜ eᵢₜ (aᵢB[t] − Γ[t])`` from its
  residual cell sums, summed as ``Σᵢ sᵢsᵢ'`` (k × k) per partition.

Each partition reduces to matrices of size T × T (plus one number per unit for the
pre-trend and baseline diagnostics), so the workers never hold more than one
partition and the driver holds O(N + T²). The per-unit sums must see all rows of a
unit: a unit may not be split over partitions. The data are checked for that (the
ranges of unit ids of the partitions must not overlap; a dataset partitioned by unit
passes); otherwise they are shuffled by unit first (:meth:`dask.dataframe.DataFrame.shuffle`)
and the diagnostics say so.

What needs the rows themselves is refused with an error naming the limitation: the
wild cluster bootstrap and permutation intervals, clusters other than the unit, the
two-period ``method="changes"``, staggered entry, covariates, repeated
cross-sections and one treated unit. The numbers equal those of the in-memory
``ie.did(..., method="panel")`` (same algebra, sums in a different order: equal to
about 1e-12).
"""

from __future__ import annotations

import importlib
import os
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import ArgumentError, DataError, InsufficientDataError, MethodError
from .notes import NOTES, Note

__all__ = ["is_dask_input", "did_dask", "unit_summary", "pre_sd"]

_U, _T, _A, _Y = "__unit__", "__t__", "__a__", "__y__"

EN: dict[str, str] = {
    "err_dask_missing": "{what} is not available for a Dask DataFrame (data larger than "
                        "memory): it needs the rows themselves, which the Dask path never "
                        "collects. {remedy}",
    "err_dask_no_dask": "data given as {kind} needs dask[dataframe] (and pyarrow to read "
                        "Parquet): install them with pip install 'dask[dataframe]' pyarrow.",
    "err_dask_column": "column {column!r} ({role}) is not in the Dask data; columns are "
                       "{columns}.",
    "err_dask_unit_group": "column {column!r} (group) differs between rows of {n} unit(s) of "
                           "{unit!r}: a unit must stay in one group over the periods "
                           "analysed.",
    "err_dask_duplicates": "{n} row(s) repeat a ({unit!r}, {period!r}) pair; a panel has one "
                           "row per unit and period. Aggregate them first.",
    "err_dask_missing_key": "column {column!r} ({role}) has {n} missing value(s) in the "
                            "periods analysed; remove those rows or fill in the value.",
    "err_dask_few": "{n} comparison unit(s) in {unit!r}; at least 2 are needed.",
    "err_dask_dof": "no residual degrees of freedom: {n} rows for {k} unit and period effects.",
    "err_dask_prepost": "did needs pre=... and post=... (values of the period column).",
    "err_dask_method": "method={value} must be 'auto' or 'panel' for a Dask DataFrame.",
    "err_dask_no_rows": "no rows of the Dask data have {period!r} in the pre and post periods "
                        "{periods}; check pre= and post=.",
    "err_dask_path": "no Parquet dataset at {path!r}: give the path of a Parquet file or of "
                     "a folder of Parquet files, or a Dask DataFrame.",
}
SV: dict[str, str] = {
    "err_dask_missing": "{what} går inte att få för en Dask-tabell (data större än "
                        "arbetsminnet): det kräver själva raderna, som Dask-vägen aldrig "
                        "samlar in. {remedy}",
    "err_dask_no_dask": "data som {kind} kräver dask[dataframe] (och pyarrow för att läsa "
                        "Parquet): installera dem med pip install 'dask[dataframe]' pyarrow.",
    "err_dask_column": "kolumnen {column!r} ({role}) finns inte i Dask-tabellen; kolumnerna "
                       "är {columns}.",
    "err_dask_unit_group": "kolumnen {column!r} (grupp) skiljer sig mellan rader för {n} "
                           "enhet(er) i {unit!r}: en enhet måste höra till samma grupp under "
                           "de analyserade perioderna.",
    "err_dask_duplicates": "{n} rad(er) upprepar ett par ({unit!r}, {period!r}); en paneldata "
                           "har en rad per enhet och period. Summera dem först.",
    "err_dask_missing_key": "kolumnen {column!r} ({role}) saknar {n} värde(n) i de analyserade "
                            "perioderna; ta bort de raderna eller fyll i värdet.",
    "err_dask_few": "{n} jämförelseenhet(er) i {unit!r}; minst 2 behövs.",
    "err_dask_dof": "inga frihetsgrader kvar för residualerna: {n} rader för {k} enhets- och "
                    "periodeffekter.",
    "err_dask_prepost": "did behöver pre=... och post=... (värden i periodkolumnen).",
    "err_dask_method": "method={value} måste vara 'auto' eller 'panel' för en Dask-tabell.",
    "err_dask_no_rows": "inga rader i Dask-tabellen har {period!r} bland för- och "
                        "efterperioderna {periods}; kontrollera pre= och post=.",
    "err_dask_path": "ingen Parquet-datamängd på {path!r}: ange sökvägen till en Parquet-fil "
                     "eller en mapp med Parquet-filer, eller en Dask-tabell.",
}

#: the remedy sentences of ``err_dask_missing`` (English, Swedish)
_REMEDY = {
    "ci": ("Use ci='analytic' (cluster-robust by unit), or analyse a sample in memory.",
           "Använd ci='analytic' (klusterrobust per enhet) eller analysera ett urval i minnet."),
    "cluster": ("Leave out cluster= (errors clustered by unit).",
                "Utelämna cluster= (fel klustrade per enhet)."),
    "changes": ("Give method='panel' (two-way fixed effects: the same estimate on a balanced "
                "panel).",
                "Ange method='panel' (tvåvägs fixa effekter: samma skattning i en balanserad "
                "panel)."),
    "rows": ("Analyse the data in memory (a pandas DataFrame).",
             "Analysera data i minnet (en pandas-tabell)."),
    "one": ("With one participating unit use a pandas DataFrame (placebo-in-space inference).",
            "Med en deltagande enhet: använd en pandas-tabell (placebo i rummet)."),
}
_WHAT = {
    "ci": ("An interval by resampling or permutation (ci={value})",
           "Ett intervall genom omsampling eller permutation (ci={value})"),
    "cluster": ("Clustering by another column than the unit (cluster={value})",
                "Klustring på en annan kolumn än enheten (cluster={value})"),
    "changes": ("The two-period DiD of unit changes (method='changes')",
                "Skillnaden i skillnader av enheternas förändringar (method='changes')"),
    "one": ("A DiD with one participating unit", "En skillnad i skillnader med en deltagande "
            "enhet"),
}


def _register() -> None:
    for lang, table in (("en", EN), ("sv", SV)):
        for code, tmpl in table.items():
            if NOTES[lang].get(code, tmpl) != tmpl:  # pragma: no cover - programming error
                raise KeyError(f"error code defined twice: {code}")
            NOTES[lang][code] = tmpl


_register()


def _refuse(key: str, value: Any = "", cls: type = MethodError) -> MethodError:
    """An error for what the Dask path cannot do (English and Swedish)."""
    from .notes import LangText

    en, sv = value if key == "rows" else (_WHAT[key][0].format(value=value),
                                          _WHAT[key][1].format(value=value))
    what = LangText(en=en, sv=sv)
    en, sv = _REMEDY[key if key in _REMEDY else "rows"]
    remedy = LangText(en=en, sv=sv)
    return cls(Note("err_dask_missing", what=what, remedy=remedy))


def is_dask_input(df: Any) -> bool:
    """Whether ``df`` is a Dask DataFrame or a path to a Parquet dataset (str or PathLike)."""
    if isinstance(df, (str, os.PathLike)):
        return True
    mod = type(df).__module__ or ""
    return mod.startswith("dask") and hasattr(df, "map_partitions")


def _open(df: Any):
    try:
        import dask.dataframe as dd
    except ImportError:  # pragma: no cover - dask is a test dependency
        raise ArgumentError(Note("err_dask_no_dask", kind=type(df).__name__)) from None
    if isinstance(df, (str, os.PathLike)):
        path = os.fspath(df)
        if not os.path.exists(path) and "://" not in path:
            raise DataError(Note("err_dask_path", path=path))
        return dd.read_parquet(path)
    return df


# --------------------------------------------------------------------------- pass 1
def _cells(pdf: pd.DataFrame, n_per: int) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                    np.ndarray, np.ndarray, np.ndarray]:
    """The partition's units (sorted), their row codes, their participant flag (NaN for
    a unit whose rows disagree), and the N_p × T counts and sums of y."""
    ucode, uniq = pd.factorize(pdf[_U], sort=True)
    ucode = ucode.astype(np.intp, copy=False)
    m = len(uniq)
    cell = ucode * n_per + pdf[_T].to_numpy(np.intp)
    cnt = np.bincount(cell, minlength=m * n_per).astype(float).reshape(m, n_per)
    ysum = np.bincount(cell, weights=pdf[_Y].to_numpy(float),
                       minlength=m * n_per).reshape(m, n_per)
    del cell
    sa = np.bincount(ucode, weights=pdf[_A].to_numpy(float), minlength=m)
    ni = cnt.sum(axis=1)
    a = np.where(sa == 0, 0.0, np.where(sa == ni, 1.0, np.nan))
    return np.asarray(uniq), ucode, a, cnt, ysum, ni


def _pass1(pdf: pd.DataFrame, n_per: int, pre_codes: tuple[int, ...]) -> dict[str, Any]:
    if not len(pdf):
        return {"n": 0}
    uniq, ucode, a, C, Y, ni = _cells(pdf, n_per)
    mixed = int(np.count_nonzero(np.isnan(a)))
    a = np.nan_to_num(a)
    inv = 1.0 / np.maximum(ni, 1.0)
    ymean = Y.sum(axis=1) * inv
    yv = pdf[_Y].to_numpy(float)
    # within-unit variation: some unit's rows are not all equal (grouped min and max)
    mm = pd.Series(yv).groupby(ucode).agg(["min", "max"])
    varies = bool((mm["max"] > mm["min"]).any())
    del mm
    # the pre-period rows: per-unit mean, slope on the period's position, row moments
    pc = np.asarray(pre_codes, dtype=np.intp)
    cpre, ypre = C[:, pc], Y[:, pc]
    cnt = cpre.sum(axis=1)
    has = cnt > 0
    cpre, ypre, cnt = cpre[has], ypre[has], cnt[has]
    rank = pc.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tbar = (cpre @ rank) / cnt
        ybar = ypre.sum(axis=1) / cnt
        tc = rank[None, :] - tbar[:, None]
        yc = ypre - ybar[:, None] * cpre
        num = np.einsum("it,it->i", tc, yc)
        tc *= tc
        den = np.einsum("it,it->i", tc, cpre)
        slopes = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    pre_mask = pdf[_T].isin(list(pre_codes)).to_numpy()
    ypr = yv[pre_mask]
    return {
        "n": len(pdf), "n_units": len(uniq), "u_min": uniq[0], "u_max": uniq[-1],
        "mixed": mixed, "dup": int((C > 1).sum()),
        "n_treated": int(np.count_nonzero(a == 1)),
        "missing_periods": int(np.count_nonzero(ni < n_per)),
        "varies": varies, "y_min": float(yv.min()), "y_max": float(yv.max()),
        "binary": bool(np.isin(yv, (0.0, 1.0)).all()),
        "colC": C.sum(axis=0), "aC": a @ C,
        "CDC": (C * inv[:, None]).T @ C, "CDaC": (C * (a * inv)[:, None]).T @ C,
        "colY": Y.sum(axis=0), "Cym": C.T @ ymean, "Ya": Y.T @ a, "Caym": C.T @ (a * ymean),
        "pre_mean": ybar, "pre_slope": slopes, "pre_a": a[has],
        "pre_n": len(ypr), "pre_mu": float(ypr.mean()) if len(ypr) else 0.0,
        "pre_m2": float(((ypr - ypr.mean()) ** 2).sum()) if len(ypr) else 0.0,
    }


# --------------------------------------------------------------------------- pass 2
def _pass2(pdf: pd.DataFrame, n_per: int, models: list[tuple]) -> list[np.ndarray]:
    """Σᵢ sᵢsᵢ' over the partition's units for each model (c, b, Γ, B)."""
    if not len(pdf):
        return [np.zeros((m[3].shape[1],) * 2) for m in models]
    _, _, a, C, Y, ni = _cells(pdf, n_per)
    a = np.nan_to_num(a)
    inv = 1.0 / np.maximum(ni, 1.0)
    ymean = Y.sum(axis=1) * inv
    out = []
    for c, b, gam, B in models:
        u = (C @ c) * inv + a * (C @ b) * inv
        fitted = np.add.outer(ymean - u, c)
        fitted += np.multiply.outer(a, b)
        fitted *= C
        e = Y - fitted
        s = -(e @ gam)
        s += a[:, None] * (e @ B)
        out.append(s.T @ s)
    return out


def _chan(parts: list[dict]) -> tuple[int, float, float]:
    """Merge (n, mean, M2) of the pre-period rows (Chan et al. 1979)."""
    n, mu, m2 = 0, 0.0, 0.0
    for p in parts:
        nb = p["pre_n"]
        if not nb:
            continue
        d = p["pre_mu"] - mu
        tot = n + nb
        mu += d * nb / tot
        m2 += p["pre_m2"] + d * d * n * nb / tot
        n = tot
    return n, mu, m2


def _reduce(parts: list[dict], key: str):
    return sum(p[key] for p in parts)


def did_dask(data: Any, *, outcome: str, unit: str | None, group: str | None, period: str,
             pre: Any, post: Any, treated: Any = None, control: Any = None,
             cluster: str | None = None, method: str = "auto", scale: str = "absolute",
             conf_level: float = 0.95, ci: str = "auto", start: Any = None,
             panel: bool | None = None, covariates: Any = None, engine: str = "auto",
             **_: Any):
    """``ie.did`` for a Dask DataFrame or a Parquet dataset (called by :func:`impacteval.did`).

    Two reads of the data, each reduced per partition to T × T sums; the same
    two-way fixed-effects algebra as the in-memory linear-time kernel. Returns the
    :class:`~impacteval.results.Estimate` that ``ie.did(..., method="panel")`` gives
    for the same rows, with ``inference["engine"] == "dask"``.
    """
    _did = importlib.import_module("impacteval.estimators.did")
    from .estimators._common import check_common
    from .periods import chronological
    from .roles import POOLED_LABEL, _default_treated, match_label

    if start is not None:
        raise _refuse("rows", value=("Staggered entry (start=)", "Förskjuten start (start=)"))
    if covariates:
        raise _refuse("rows", value=("Covariates (covariates=)", "Bakgrundsvariabler (covariates=)"))
    if unit is None or panel is False:
        raise _refuse("rows", value=("A DiD of repeated cross-sections (no unit=)",
                                          "En skillnad i skillnader av upprepade tvärsnitt (inget unit=)"))
    if group is None:
        raise ArgumentError(Note("err_dask_column", column="group=", role="group",
                                 columns="(none given)"))
    if cluster is not None and cluster != unit:
        raise _refuse("cluster", value=repr(cluster))
    if ci not in ("auto", "analytic"):
        raise _refuse("ci", value=repr(ci))
    if scale != "absolute":
        raise _refuse("changes")
    if engine not in ("auto", "fast", "dask"):
        raise _refuse("rows", value=(f"engine={engine!r}", f"engine={engine!r}"))
    check_common(conf_level, scale, "analytic")
    if pre is None or post is None:
        raise ArgumentError(Note("err_dask_prepost"))
    pre_l, post_l = _did._as_list(pre), _did._as_list(post)
    if method == "changes" or (method == "auto" and len(pre_l) == 1 and len(post_l) == 1):
        raise _refuse("changes")
    if method not in ("auto", "panel"):
        raise ArgumentError(Note("err_dask_method", value=repr(method)))
    ddf = _open(data)
    cols = list(ddf.columns)
    for col, role in ((outcome, "outcome"), (unit, "unit"), (group, "group"),
                      (period, "period")):
        if col not in cols:
            raise DataError(Note("err_dask_column", column=col, role=role,
                                 columns=", ".join(map(str, cols[:20]))))
    order = chronological(pre_l + post_l)
    last_pre = chronological(pre_l)[-1]
    ref = order.index(last_pre)
    n_per = len(order)
    post_codes = [order.index(v) for v in post_l]
    pre_codes = tuple(order.index(v) for v in pre_l)
    ddf = ddf[[unit, group, period, outcome]]
    ddf = ddf[ddf[period].isin(order)]
    # the group labels (a few values) decide the participant flag
    import dask

    scans = dask.compute(*[dask.delayed(_scan)(p, group) for p in ddf.to_delayed()])
    labels = pd.Series(pd.unique(np.concatenate([s[0] for s in scans])))
    na = sum(s[1] for s in scans)
    n_rows = sum(s[2] for s in scans)
    treated_label = (_default_treated(labels, group) if treated is None
                     else match_label(labels, treated, "treated", group))
    if control is not None:
        ctl = _did._as_list(control)
        if len(ctl) != 1:
            raise _refuse("rows", value=("Several comparison groups (a list in control=)",
                                              "Flera jämförelsegrupper (en lista i control=)"))
        control_label = match_label(labels, ctl[0], "control", group)
        ddf = ddf[(ddf[group] == treated_label) | (ddf[group] == control_label)]
        label = str(control_label)
    else:
        rest = [v for v in labels if v != treated_label]
        label = POOLED_LABEL if len(rest) != 1 else str(rest[0])
    # missing keys: refused; missing outcome: counted and left out (as in memory)
    for col, role in ((unit, "unit"), (group, "group")):
        if int(na[col]):
            raise DataError(Note("err_dask_missing_key", column=col, role=role, n=int(na[col])))
    dropped: dict[str, int] = {}
    if int(na[outcome]):
        dropped["missing outcome"] = int(na[outcome])
        ddf = ddf[ddf[outcome].notnull()]
        _warn_dropped(dropped["missing outcome"], n_rows, outcome)
    enc = {"unit": unit, "group": group, "period": period, "outcome": outcome,
           "tmap": {v: i for i, v in enumerate(order)}, "treated_label": treated_label}
    parts = _run(ddf, _pass1, enc, n_per, pre_codes)
    if not parts:
        raise InsufficientDataError(Note("err_dask_no_rows", period=period,
                                         periods=", ".join(map(str, order))))
    shuffled = not _disjoint(parts)
    if shuffled:
        # units split over partitions: gather each unit's rows in one partition
        ddf = ddf.shuffle(unit)
        parts = _run(ddf, _pass1, enc, n_per, pre_codes)
    return _finish(ddf, enc, parts, shuffled, dropped, label, order, ref, post_codes, pre_l,
                   post_l, pre_codes, n_per, outcome, unit, conf_level)


def _run(ddf, fn, enc: dict, *args) -> list:
    """``fn(encoded partition, *args)`` for every partition, computed on the cluster."""
    import dask

    tasks = [dask.delayed(_on_partition)(part, fn, enc, *args) for part in ddf.to_delayed()]
    out = dask.compute(*tasks)
    if fn is _pass1:
        return [p for p in out if p["n"]]
    return list(out)


def _on_partition(pdf: pd.DataFrame, fn, enc: dict, *args):
    return fn(_encode(pdf, **enc), *args)


def _scan(pdf: pd.DataFrame, group: str) -> tuple[np.ndarray, pd.Series, int]:
    """The partition's group labels and missing counts per column."""
    return pd.unique(pdf[group].dropna()), pdf.isna().sum(), len(pdf)


def _warn_dropped(n: int, total: int, column: str) -> None:
    from .errors import DroppedRowsWarning
    from .texts import Count

    warnings.warn(Note("rows_left_out", n=Count(n), total=Count(total),
                       detail=(Note("part_missing_outcome", n=Count(n), column=column),)),
                  DroppedRowsWarning, stacklevel=4)


def _encode(pdf: pd.DataFrame, *, unit, group, period, outcome, tmap, treated_label):
    return pd.DataFrame({
        _U: pdf[unit].to_numpy(),
        _T: pdf[period].map(tmap).to_numpy(np.intp),
        _A: (pdf[group] == treated_label).to_numpy(float),
        _Y: pd.to_numeric(pdf[outcome]).to_numpy(float),
    }, index=pdf.index)


def _disjoint(parts: list[dict]) -> bool:
    """Whether no unit can be in two partitions (the partitions' id ranges do not overlap)."""
    rng = sorted((p["u_min"], p["u_max"]) for p in parts)
    return all(rng[i][1] < rng[i + 1][0] for i in range(len(rng) - 1))


def _finish(ddf, enc, parts, shuffled, dropped, label, order, ref, post_codes, pre_l, post_l,
            pre_codes, n_per, outcome, unit, conf_level):
    from . import _fast
    from .diagnostics import pretrend_slope
    _did = importlib.import_module("impacteval.estimators.did")
    from .estimators._common import t_test
    from .estimators.did import _baseline, _readonly, _ssc_conversion
    from .results import Estimate
    from .roles import check_variation

    stats_ = stats

    n = _reduce(parts, "n")
    n_units = _reduce(parts, "n_units")
    if _reduce(parts, "mixed"):
        raise DataError(Note("err_dask_unit_group", column="group", n=_reduce(parts, "mixed"),
                             unit=unit))
    if _reduce(parts, "dup"):
        raise DataError(Note("err_dask_duplicates", n=_reduce(parts, "dup"), unit=unit,
                             period="period"))
    y_min = min(p["y_min"] for p in parts)
    y_max = max(p["y_max"] for p in parts)
    check_variation(np.array([y_min, y_max]), outcome)
    if not any(p["varies"] for p in parts):
        _did._check_within_variation(np.zeros(2), np.zeros(2, dtype=np.intp), 1, outcome, unit)
    nt = _reduce(parts, "n_treated")
    nc = n_units - nt
    if nt < 2:
        raise _refuse("one")
    if nc < 2:
        raise InsufficientDataError(Note("err_dask_few", n=nc, unit=unit))
    colC, aC = _reduce(parts, "colC"), _reduce(parts, "aC")
    A = np.diag(colC) - _reduce(parts, "CDC")
    A1 = np.diag(aC) - _reduce(parts, "CDaC")
    A_pinv = np.zeros_like(A)
    A_pinv[1:, 1:] = np.linalg.pinv(A[1:, 1:], rcond=1e-12, hermitian=True)
    h = _reduce(parts, "colY") - _reduce(parts, "Cym")
    ha = _reduce(parts, "Ya") - _reduce(parts, "Caym")
    n_effects = n_units + int(np.count_nonzero(colC)) - 1

    def solve(B: np.ndarray, names: list[str]):
        gam = A_pinv @ A1 @ B
        xtx = B.T @ (A1 - A1 @ A_pinv @ A1) @ B
        xtx = (xtx + xtx.T) / 2
        orig = np.einsum("tj,tj,t->j", B, B, aC)
        left = np.diag(xtx)
        bad = [names[j] for j in range(B.shape[1])
               if orig[j] <= 0 or np.sqrt(max(left[j], 0.0) / orig[j]) < _fast.ABSORBED_TOL]
        if bad:
            raise _did._absorbed_error(f"absorbed by the unit and period effects: "
                                       f"{', '.join(bad)}")
        params = np.linalg.solve(xtx, B.T @ ha - gam.T @ h)
        c = A_pinv @ h - gam @ params
        return params, xtx, (c, B @ params, gam, B)

    ev_codes = [c for c in range(n_per) if c != ref]
    b_main = np.isin(np.arange(n_per), post_codes).astype(float)[:, None]
    b_ev = np.eye(n_per)[:, ev_codes] if n_per > 2 else None
    names = ["__d__"] + [f"__ev_{c}__" for c in ev_codes]
    fits = [solve(b_main, names[:1])]
    if b_ev is not None:
        fits.append(solve(b_ev, names[1:]))
    models = [f[2] for f in fits]
    meats = _run(ddf, _pass2, enc, n_per, models)
    meats = [sum(m[j] for m in meats) for j in range(len(models))]
    covs = []
    for (params, xtx, _), meat in zip(fits, meats, strict=True):
        k = len(params)
        df_resid = n - n_effects - k
        if df_resid <= 0:
            raise InsufficientDataError(Note("err_dask_dof", n=n, k=n_effects))
        bread = np.linalg.inv(xtx)
        cov = n / df_resid * bread @ meat @ bread
        covs.append((cov + cov.T) / 2)
    dfree = float(n_units - 1)
    conv1 = _ssc_conversion(n, n_units, n_per, 1, n_units, True)
    est = float(fits[0][0][0])
    se = float(np.sqrt(covs[0][0, 0])) * conv1
    lo, hi, stat, pval = t_test(est, se, dfree, conf_level)
    diag: dict[str, Any] = {"n_clusters": n_units, "n_periods_pre": len(pre_l),
                            "n_periods_post": len(post_l), "dropped": dict(dropped)}
    miss = _reduce(parts, "missing_periods")
    if miss:
        diag["units_with_missing_periods"] = int(miss)
    pre_mean = np.concatenate([p["pre_mean"] for p in parts])
    pre_a = np.concatenate([p["pre_a"] for p in parts])
    binary = all(p["binary"] for p in parts)
    diag.update(_baseline(pre_mean[pre_a == 1], pre_mean[pre_a == 0], binary))
    diag["small_sample_factor"] = ("G/(G-1)·(n-1)/(n-K), unit effects nested in the clusters "
                                   "not counted in K")
    notes = [Note("assume_parallel")]
    tables: dict[str, pd.DataFrame] = {}
    ev_cov = None
    if b_ev is not None:
        q = stats_.t(dfree).ppf(1 - (1 - conf_level) / 2)
        conv_ev = _ssc_conversion(n, n_units, n_per, len(ev_codes), n_units, True)
        ev_params, ev_cov = fits[1][0], covs[1]
        ev_se = np.sqrt(np.diag(ev_cov))
        rows = []
        for j, c in enumerate(ev_codes):
            v = order[c]
            b, sb = float(ev_params[j]), float(ev_se[j]) * conv_ev
            rows.append({"period": v, "relative_to": order[ref], "pre": v in pre_l,
                         "estimate": b, "std_error": sb, "conf_low": b - q * sb,
                         "conf_high": b + q * sb})
        tables["event_time"] = pd.DataFrame(rows)
        pre_idx = [j for j, c in enumerate(ev_codes) if order[c] in pre_l]
        if pre_idx:
            k = len(pre_idx)
            idx = np.asarray(pre_idx, dtype=np.intp)
            try:
                bb = ev_params[idx]
                f_stat = float(bb @ np.linalg.solve(ev_cov[np.ix_(idx, idx)], bb)) / k \
                    / conv_ev**2
            except np.linalg.LinAlgError:
                f_stat = float("nan")
            _did.record_pretrend_f(diag, notes, f_stat, k, dfree)
        else:
            notes.append(Note("one_pre_period"))
        if len(pre_l) >= 2:
            pn, _, m2 = _chan(parts)
            sd = float(np.sqrt(m2 / (pn - 1))) if pn > 1 else float("nan")
            slopes = np.concatenate([p["pre_slope"] for p in parts])
            res = pretrend_slope(slopes[pre_a == 1], slopes[pre_a == 0], sd)
            if res is not None:
                diag.update({"pretrend_slope_diff": float(res.slope),
                             "pretrend_slope_se": float(res.std_error),
                             "pretrend_slope_diff_sd": float(res.slope_sd)})
        ev_cov = ev_cov * conv_ev**2
    else:
        notes.append(Note("one_pre_period"))
    diag["dask_partitions"] = len(parts)
    diag["dask_shuffled_by_unit"] = bool(shuffled)
    info = {"method": (f"two-way FE from per-partition sufficient statistics (Dask), clustered "
                       f"SE by {unit!r}, t({n_units - 1})"),
            "engine": "dask", "n_boot": None, "seed": None, "conf_level": conf_level}
    return Estimate(
        estimate=est, std_error=se, conf_low=lo, conf_high=hi, conf_level=conf_level,
        p_value=pval, statistic=stat, df=dfree, n_treated=nt, n_control=nc, design="did",
        estimand="ATT (two-way fixed effects)", outcome=outcome, comparison=label,
        inference=info, diagnostics=diag, notes=tuple(notes), tables=tables, draws=None,
        _sensitivity=_readonly({"event_time_vcov": ev_cov}),
    )


# ------------------------------------------------------------ the ladder's unit summary
_L = "__label__"


def unit_part(pdf: pd.DataFrame, unit: str, group: str | None, period: str, outcome: str,
               codes: dict, n_pre: int, late: Any = None) -> dict[str, Any]:
    """One partition reduced to one row per unit and a few sums per group label.

    ``codes`` maps the analysed periods to 0..T-1 (the ``n_pre`` pre-periods first, in
    time order). Per unit: its group label, the count and sum of non-missing outcomes
    before and after the start, and its slope over the pre-periods
    (:func:`impacteval.diagnostics.unit_slopes`, the in-memory ladder's definition) and
    its rows before and after (missing outcomes included). Per
    label and period: the count and sum of non-missing outcomes; per label the
    (n, mean, M2) of the pre-period rows, the smallest outcome, whether every outcome is
    0/1 and the missing outcomes.

    ``late``, codes of some pre-periods (the ladder's placebo window): each unit's count
    and sum of non-missing outcomes in those periods (``n_late``, ``s_late``) and in the
    other pre-periods (``n_early``, ``s_early``) as well."""
    from .diagnostics import unit_slopes

    if not len(pdf):
        return {"n": 0}
    na = pdf[[unit] + ([group] if group is not None else [])].isna().sum()
    ucode, uniq = pd.factorize(pdf[unit], sort=True)
    if group is None:  # no comparison group: every row one label (None)
        lcode, labels = np.zeros(len(pdf), dtype=np.intp), pd.Index([None], dtype=object)
    else:
        lcode, labels = pd.factorize(pdf[group], use_na_sentinel=False)
    m, n_lab, n_per = len(uniq), len(labels), len(codes)
    tcode = pdf[period].map(codes).to_numpy(float)
    yv = pd.to_numeric(pdf[outcome]).to_numpy(float)
    inper = np.isfinite(tcode)
    tc = np.where(inper, tcode, 0).astype(np.intp)
    ok = inper & np.isfinite(yv)
    # one row per unit and analysed period (missing outcomes included)
    dup = int((np.bincount(ucode[inper] * n_per + tc[inper], minlength=m * n_per) > 1).sum())
    # per unit, before (column 0) and after (column 1) the start: rows, then the count
    # and sum of the non-missing outcomes (m × 2, not m × T: a register's units × months)
    half = ucode * 2 + (tc >= n_pre)
    rows = np.bincount(half[inper], minlength=2 * m).reshape(m, 2)
    cnt = np.bincount(half[ok], minlength=2 * m).reshape(m, 2)
    ysum = np.bincount(half[ok], weights=yv[ok], minlength=2 * m).reshape(m, 2)
    del half
    lmm = pd.Series(lcode).groupby(ucode).agg(["min", "max"])
    first = pd.Series(lcode).groupby(ucode).first().to_numpy()
    pre_rows = ok & (tc < n_pre)
    ids, slopes = unit_slopes(yv[pre_rows], ucode[pre_rows], tc[pre_rows].astype(float))
    slope = np.full(m, np.nan)
    slope[np.asarray(ids, dtype=np.intp)] = slopes
    # counts as int32: a worker holds its partitions' unit rows until the driver gathers
    # them (56 bytes a unit with the label)
    units = pd.DataFrame({
        "unit": uniq, _L: labels.take(first) if n_lab else [],
        "n_pre": cnt[:, 0].astype(np.int32), "s_pre": ysum[:, 0],
        "n_post": cnt[:, 1].astype(np.int32), "s_post": ysum[:, 1], "slope": slope,
        "r_pre": rows[:, 0].astype(np.int32), "r_post": rows[:, 1].astype(np.int32)})
    if late is not None:  # the placebo's split of the pre-periods, summed as above
        split = ucode * 2 + np.isin(tc, np.asarray(list(late), dtype=np.intp))
        sel = ok & (tc < n_pre)
        c2 = np.bincount(split[sel], minlength=2 * m).reshape(m, 2)
        s2 = np.bincount(split[sel], weights=yv[sel], minlength=2 * m).reshape(m, 2)
        units["n_early"], units["s_early"] = c2[:, 0].astype(np.int32), s2[:, 0]
        units["n_late"], units["s_late"] = c2[:, 1].astype(np.int32), s2[:, 1]
    lc = np.bincount(lcode[ok] * n_per + tc[ok], minlength=n_lab * n_per)
    ls = np.bincount(lcode[ok] * n_per + tc[ok], weights=yv[ok], minlength=n_lab * n_per)
    by_label = {}
    for j, lab in enumerate(labels):
        sel = lcode == j
        yp = yv[sel & pre_rows]
        ya = yv[sel & ok]
        by_label[lab] = {
            "cnt": lc[j * n_per:(j + 1) * n_per].astype(float),
            "sum": ls[j * n_per:(j + 1) * n_per],
            "pre_n": len(yp), "pre_mu": float(yp.mean()) if len(yp) else 0.0,
            "pre_m2": float(((yp - yp.mean()) ** 2).sum()) if len(yp) else 0.0,
            "y_min": float(ya.min()) if len(ya) else np.inf,
            "binary": bool(np.isin(ya, (0.0, 1.0)).all()),
            "na_y": int(np.count_nonzero(sel & inper & ~np.isfinite(yv)))}
    return {"n": len(pdf), "units": units, "labels": by_label, "u_min": uniq[0],
            "u_max": uniq[-1], "mixed": int((lmm["max"] > lmm["min"]).sum()),
            "dup": dup, "na_unit": int(na[unit]),
            "na_group": int(na[group]) if group is not None else 0}


def unit_summary(ddf: Any, *, outcome: str, unit: str, group: str, period: str,
                 pre: list, post: list) -> dict[str, Any]:
    """What the ladder reads from data larger than memory, in one read of the data
    (:func:`unit_part` per partition; the driver holds one row per unit).

    ``pre`` and ``post`` are the period values as they are in the data. Units split
    over partitions are gathered first (a shuffle by unit), as for ``ie.did``.
    Returns ``{"units": DataFrame (one row per unit, sorted), "labels": {label: sums},
    "shuffled": bool, "partitions": int}``; raises the errors of ``ie.did`` on Dask
    data for a unit in two groups, repeated (unit, period) rows and missing keys."""
    import dask

    from .periods import chronological

    order = chronological(pre) + chronological(post)
    codes = {v: i for i, v in enumerate(order)}
    ddf = ddf[[unit, group, period, outcome]]

    def run(frame):
        tasks = [dask.delayed(unit_part)(p, unit, group, period, outcome, codes, len(pre))
                 for p in frame.to_delayed()]
        return [p for p in dask.compute(*tasks) if p["n"]]

    parts = run(ddf)
    if not parts:
        raise InsufficientDataError(Note("err_dask_no_rows", period=period,
                                         periods=", ".join(map(str, order))))
    shuffled = not _disjoint(parts)
    if shuffled:
        parts = run(ddf.shuffle(unit))
    for col, role, key in ((unit, "unit", "na_unit"), (group, "group", "na_group")):
        if _reduce(parts, key):
            raise DataError(Note("err_dask_missing_key", column=col, role=role,
                                 n=_reduce(parts, key)))
    if _reduce(parts, "mixed"):
        raise DataError(Note("err_dask_unit_group", column=group, n=_reduce(parts, "mixed"),
                             unit=unit))
    if _reduce(parts, "dup"):
        raise DataError(Note("err_dask_duplicates", n=_reduce(parts, "dup"), unit=unit,
                             period=period))
    out = combine_parts(parts, order, len(pre))
    out.update(shuffled=bool(shuffled), partitions=len(parts))
    return out


def combine_parts(parts: list[dict], order: list, n_pre: int) -> dict[str, Any]:
    """The unit summary from the reduced partitions (:func:`unit_part`): one row per unit
    (sorted by unit) and, per group label, the sums over the partitions. ``order`` is the
    analysed periods (pre-periods first) and ``n_pre`` the number of pre-periods. The
    in-memory ladder calls this with its one partition, the whole prepared data."""
    units = pd.concat([p["units"] for p in parts], ignore_index=True)
    units = units.sort_values("unit", kind="stable", ignore_index=True)
    labels: dict[Any, dict[str, Any]] = {}
    for p in parts:  # labels in the order they first appear (as pandas.unique)
        for lab, v in p["labels"].items():
            if lab not in labels:
                labels[lab] = {"cnt": 0.0, "sum": 0.0, "parts": [], "y_min": np.inf,
                               "binary": True, "na_y": 0}
            a = labels[lab]
            a["cnt"] = a["cnt"] + v["cnt"]
            a["sum"] = a["sum"] + v["sum"]
            a["parts"].append(v)
            a["y_min"] = min(a["y_min"], v["y_min"])
            a["binary"] = a["binary"] and v["binary"]
            a["na_y"] += v["na_y"]
    return {"units": units, "labels": labels, "order": order, "n_pre": n_pre,
            "n_rows": int(_reduce(parts, "n"))}


def pre_sd(parts: list[dict]) -> float:
    """The standard deviation (ddof 1) of the pre-period rows of some labels, from each
    partition's (n, mean, M2) (Chan et al. 1979)."""
    n, _, m2 = _chan(parts)
    return float(np.sqrt(m2 / (n - 1))) if n > 1 else float("nan")


def _register() -> None:
    """Make ``ie.did`` accept Dask frames and Parquet paths (see ``_common.LARGE_DATA``)."""
    from .estimators._common import LARGE_DATA

    if not any(run is did_dask for _, run in LARGE_DATA):
        LARGE_DATA.append((is_dask_input, did_dask))


_register()
