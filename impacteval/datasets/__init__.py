"""Bundled datasets: synthetic data calibrated to published evaluations, and teaching sets.

The CSV files live in the repository's ``datasets/`` folder, which is installed as the
package ``impacteval.datasets.data``; they are read with :mod:`importlib.resources`, so the
loaders work after a plain ``pip install .`` as well as from a source checkout. Every file has
a data card (``datasets/NAME.md``, also :func:`data_card`) naming the published figures it is
calibrated to, what is synthetic, and every column with its unit. All files are written by the
seeded generator :mod:`impacteval.datasets.make` (``python -m impacteval.datasets.make``).

Every loader returns a fresh DataFrame with documented dtypes: ``category`` for labels (fixed
categories; ``period`` and follow-up status are ordered), ``int64`` for ids, months and other
counts, ``Int64`` (nullable) where a count can be missing, ``float64`` for money, scores and
other measurements. The files are read with an explicit schema (below), so a damaged file
raises :class:`~impacteval.errors.DataError` instead of loading silently with wrong types.

Nothing here is statistics; pandas reads the files.

Datasets
--------
servicetrainee
    Norrköping's Servicetrainee project (2012–2013): 30 participants, 30 waitlisted
    applicants and 366 eligible persons from the welfare register, monthly welfare payments
    12 months before and 12 after (long format, 10,224 rows).
skolfam, skolfam_costs
    SkolFam (school support for foster children): IQ and reading before and after two years
    (30 + 30 children); and a five-year municipal cost study (20 + 20 children) with heavy-
    tailed residential-care (HVB) costs and a QALY gain per programme child.
teaching_*
    One small set per design of the evaluation ladder (< 200 rows each), and one file
    exported the Swedish-Excel way (semicolon separator, decimal comma, UTF-8 with BOM).

Example
-------
>>> import impacteval as ie
>>> df = ie.datasets.load_servicetrainee()
>>> df.groupby("group", observed=True)["person_id"].nunique().to_dict()
{'participant': 30, 'waitlist': 30, 'register': 366}
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from ..errors import ArgumentError, DataError
from ..notes import Note

__all__ = [
    "list_datasets",
    "load_servicetrainee",
    "load_servicetrainee_persons",
    "load_skolfam",
    "load_skolfam_costs",
    "load_teaching",
    "teaching_roles",
    "teaching_truth",
    "TEACHING_RUNGS",
    "csv_path",
    "data_dir",
    "data_card",
    "TEACHING_NAMES",
    "SKOLFAM_PROJECT_COST_SEK",
    "SKOLFAM_QALY_GAIN",
    "SERVICETRAINEE_TARGETS",
]

#: Published project cost of the SkolFam cost study (SPEC section 1: "about 4 MSEK").
SKOLFAM_PROJECT_COST_SEK: float = 4_000_000.0
#: Published mean QALY gain per SkolFam child (the mean of ``qaly_gain`` in skolfam_costs).
SKOLFAM_QALY_GAIN: float = 0.16
#: Published Servicetrainee figures the synthetic data reproduce (relative fall in mean
#: monthly welfare payment, post vs pre, per group; shares of followed-up participants).
SERVICETRAINEE_TARGETS: dict[str, float] = {
    "reduction_participant": 0.80,
    "reduction_waitlist": 0.57,
    "reduction_register": 0.45,
    "work_or_studies_90": 0.48,
    "work_90": 0.41,
}

PERIODS = ("pre", "post")
STATUSES = ("work", "studies", "neither")
SEXES = ("female", "male")

Kind = Literal["int", "nullable_int", "float", "category"]


@dataclass(frozen=True)
class Column:
    """One column of a bundled file: its dtype after loading and its CSV format."""

    name: str
    kind: Kind
    categories: tuple[str, ...] = ()
    ordered: bool = False
    decimals: int = 0  # digits written to the CSV for floats


@dataclass(frozen=True)
class DatasetSpec:
    """A bundled CSV file: name, description and schema."""

    name: str
    file: str
    description: str
    columns: tuple[Column, ...]
    sep: str = ","
    decimal: str = "."
    encoding: str = "utf-8"
    card: str = ""

    @property
    def card_file(self) -> str:
        return self.card or self.file.removesuffix(".csv") + ".md"


def _i(name: str) -> Column:
    return Column(name, "int")


def _ni(name: str) -> Column:
    return Column(name, "nullable_int")


def _f(name: str, decimals: int = 0) -> Column:
    return Column(name, "float", decimals=decimals)


def _c(name: str, categories: tuple[str, ...], ordered: bool = False) -> Column:
    return Column(name, "category", tuple(categories), ordered)


def _period(name: str = "period") -> Column:
    return _c(name, PERIODS, ordered=True)


_SERVICETRAINEE = DatasetSpec(
    name="servicetrainee",
    file="servicetrainee.csv",
    description=(
        "Servicetrainee (Norrköping 2012-2013), synthetic: monthly welfare payments of 30 "
        "participants, 30 waitlisted and 366 register persons, 12 months before and after."
    ),
    columns=(
        _i("person_id"),
        _c("group", ("participant", "waitlist", "register")),
        _i("month"),
        _period(),
        _f("welfare"),
        _i("age"),
        _c("sex", SEXES),
        _i("household_size"),
        _i("n_children"),
        _i("months_on_welfare"),
        _c("language_group", ("arabic", "somali", "tigrinya", "persian_dari", "other")),
        _c("office", ("central", "north", "south", "east")),
        _ni("start_month"),
        _c("status_90", STATUSES, ordered=True),
        _c("status_180", STATUSES, ordered=True),
        _c("status_360", STATUSES, ordered=True),
    ),
)

_SKOLFAM = DatasetSpec(
    name="skolfam",
    file="skolfam.csv",
    description=(
        "SkolFam, synthetic: IQ and reading (norm mean 100, SD 15) of 30 foster children in "
        "the programme and 30 comparison children, before and after two years."
    ),
    columns=(
        _i("child_id"),
        _c("group", ("skolfam", "comparison")),
        _period(),
        _i("age"),
        _c("sex", SEXES),
        _i("grade"),
        _c("school", tuple(f"school_{k}" for k in "ABCDEFGH")),
        _f("iq", 0),
        _f("reading", 0),
    ),
)

_SKOLFAM_COSTS = DatasetSpec(
    name="skolfam_costs",
    file="skolfam_costs.csv",
    description=(
        "SkolFam cost study, synthetic: yearly municipal costs (SEK) of 20 programme and 20 "
        "comparison foster children over five years, heavy-tailed HVB costs, QALY gain."
    ),
    columns=(
        _i("child_id"),
        _c("group", ("skolfam", "comparison")),
        _i("year"),
        _i("hvb_months"),
        _f("cost_hvb"),
        _f("cost_foster_care"),
        _f("cost_other"),
        _f("cost_total"),
        _f("qaly_gain", 3),
    ),
)

_TEACHING: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        name="teaching_follow_up",
        file="teaching_follow_up.csv",
        description="follow_up: 40 young adults in job coaching, in work or studies after 6 "
        "months (0/1; 4 not reached), against a target of 60 %.",
        columns=(
            _i("person_id"),
            _i("age"),
            _c("sex", SEXES),
            _i("months_in_project"),
            _ni("in_work_or_studies"),
        ),
    ),
    DatasetSpec(
        name="teaching_before_after",
        file="teaching_before_after.csv",
        description="before_after: reading score of 28 pupils in a homework club before and "
        "after one school year (selected for low scores; retest effect).",
        columns=(
            _i("pupil_id"),
            _period(),
            _i("grade"),
            _c("sex", SEXES),
            _f("reading", 0),
        ),
    ),
    DatasetSpec(
        name="teaching_benchmark",
        file="teaching_benchmark.csv",
        description="benchmark: vocabulary score of 36 children after a language programme, "
        "against the test norm (mean 100, SD 15).",
        columns=(
            _i("child_id"),
            _i("age"),
            _c("sex", SEXES),
            _f("vocabulary", 0),
        ),
    ),
    DatasetSpec(
        name="teaching_comparison",
        file="teaching_comparison.csv",
        description="comparison: merit points of 35 summer-school pupils and 50 pupils from "
        "another district, after only.",
        columns=(
            _i("pupil_id"),
            _c("group", ("participant", "comparison")),
            _c("sex", SEXES),
            _f("merit", 1),
        ),
    ),
    DatasetSpec(
        name="teaching_adjusted_comparison",
        file="teaching_adjusted_comparison.csv",
        description="adjusted_comparison: yearly earnings after a job-matching project, 40 "
        "participants and 90 job seekers, with background covariates (adjustment helps).",
        columns=(
            _i("person_id"),
            _c("group", ("participant", "comparison")),
            _i("age"),
            _c("sex", SEXES),
            _c("education", ("compulsory", "upper_secondary", "tertiary"), ordered=True),
            _i("years_in_sweden"),
            _i("months_unemployed"),
            _f("earnings"),
        ),
    ),
    DatasetSpec(
        name="teaching_adjusted_comparison_no_overlap",
        file="teaching_adjusted_comparison_no_overlap.csv",
        description="adjusted_comparison that fails: participants unemployed far longer than "
        "anyone in the comparison group (no overlap, so no twins).",
        columns=(
            _i("person_id"),
            _c("group", ("participant", "comparison")),
            _i("age"),
            _c("sex", SEXES),
            _c("education", ("compulsory", "upper_secondary", "tertiary"), ordered=True),
            _i("years_in_sweden"),
            _i("months_unemployed"),
            _f("earnings"),
        ),
    ),
    DatasetSpec(
        name="teaching_did",
        file="teaching_did.csv",
        description="did: yearly welfare payments (kSEK) of 30 project and 30 comparison "
        "households, the year before and the year after.",
        columns=(
            _i("household_id"),
            _c("group", ("participant", "comparison")),
            _period(),
            _c("district", ("south", "east")),
            _i("age"),
            _c("sex", SEXES),
            _f("welfare_ksek", 1),
        ),
    ),
    DatasetSpec(
        name="teaching_did_excel_sv",
        file="teaching_did_excel_sv.csv",
        description="did, Swedish Excel export of teaching_did (semicolon, decimal comma, "
        "UTF-8 with BOM, Swedish column names and labels).",
        columns=(
            _i("hushåll"),
            _c("grupp", ("projekt", "jämförelse")),
            _c("mätning", ("före", "efter"), ordered=True),
            _c("stadsdel", ("Söder", "Öster")),
            _i("ålder"),
            _c("kön", ("kvinna", "man")),
            _f("försörjningsstöd_tkr", 1),
        ),
        sep=";",
        decimal=",",
        encoding="utf-8-sig",
    ),
    DatasetSpec(
        name="teaching_matched",
        file="teaching_matched.csv",
        description="matched: 15 participants and 45 welfare recipients at the same office, "
        "yearly welfare (kSEK) in two years before and one after; pre-trends differ.",
        columns=(
            _i("person_id"),
            _c("group", ("participant", "comparison")),
            _i("year"),
            _period(),
            _i("age"),
            _c("sex", SEXES),
            _i("n_children"),
            _f("welfare_ksek", 1),
        ),
    ),
    DatasetSpec(
        name="teaching_matched_did",
        file="teaching_matched_did.csv",
        description="matched_did: yearly earnings (kSEK) of 18 participants of a return-to-"
        "work project and 72 comparison persons, the year before and after.",
        columns=(
            _i("person_id"),
            _c("group", ("participant", "comparison")),
            _period(),
            _i("age"),
            _c("sex", SEXES),
            _c("education", ("compulsory", "upper_secondary", "tertiary"), ordered=True),
            _f("earnings_ksek", 1),
        ),
    ),
    DatasetSpec(
        name="teaching_randomized",
        file="teaching_randomized.csv",
        description="randomized: roster of 80 pupils assigned by lottery within 4 schools to "
        "a reading programme or not; score missing for 5 pupils (attrition).",
        columns=(
            _i("pupil_id"),
            _c("school", ("school_A", "school_B", "school_C", "school_D")),
            _c("group", ("treatment", "control")),
            _f("baseline_score", 0),
            _f("score", 0),
        ),
    ),
    DatasetSpec(
        name="teaching_synthetic_control",
        file="teaching_synthetic_control.csv",
        description="synthetic_control: monthly residential-care costs (kSEK) of 20 "
        "municipalities over 36 months; Norrvik starts a project in month 25.",
        columns=(
            _c("municipality", ("Norrvik", "Almby", "Bergsjö", "Dalby", "Ekeby", "Forsa",
                                "Gnesta", "Hallby", "Ingsta", "Järbo", "Kalvik", "Lindås",
                                "Malmby", "Norrsta", "Orsby", "Persby", "Ramnäs", "Sandvik",
                                "Tallby", "Ulvsjö")),
            _i("project"),
            _i("month"),
            _f("care_cost_ksek", 1),
        ),
    ),
    DatasetSpec(
        name="teaching_interrupted_time_series",
        file="teaching_interrupted_time_series.csv",
        description="interrupted_time_series: one municipality's monthly residential-care "
        "costs (kSEK), 36 months before a project and 24 after.",
        columns=(
            _c("municipality", ("Norrvik",)),
            _c("month", tuple(f"{2018 + k // 12}-{k % 12 + 1:02d}" for k in range(60)),
               ordered=True),
            _period(),
            _f("care_cost_ksek", 1),
        ),
    ),
    DatasetSpec(
        name="teaching_natural_experiment",
        file="teaching_natural_experiment.csv",
        description="natural_experiment: a lottery among 60 waitlisted families for 30 places "
        "in a parenting programme; conflict score before and after (2 not reached).",
        columns=(
            _i("family_id"),
            _c("group", ("offered", "not_offered")),
            _period(),
            _i("children"),
            _f("conflict_score", 0),
        ),
    ),
    DatasetSpec(
        name="teaching_natural_experiment_cutoff",
        file="teaching_natural_experiment_cutoff.csv",
        description="natural_experiment, cutoff rule: pupils scoring below 85 on a screening "
        "test got a reading tutor; reading before and after one term.",
        columns=(
            _i("pupil_id"),
            _c("group", ("tutor", "no_tutor")),
            _period(),
            _f("screening_score", 0),
            _f("reading", 0),
        ),
    ),
    DatasetSpec(
        name="teaching_staggered",
        file="teaching_staggered.csv",
        description="staggered: reading scores of 150 pupils over 8 quarters; their schools "
        "join a reading programme in waves (quarter 3, 5 or 7) or never (staggered entry).",
        columns=(
            _i("pupil_id"),
            _c("group", ("comparison", "participant")),
            _i("quarter"),
            _f("start_quarter", 0),
            _f("reading", 1),
        ),
    ),
)

#: Every bundled file, by name.
SPECS: dict[str, DatasetSpec] = {
    s.name: s for s in (_SERVICETRAINEE, _SKOLFAM, _SKOLFAM_COSTS, *_TEACHING)
}

#: Names accepted by :func:`load_teaching`.
TEACHING_NAMES: tuple[str, ...] = tuple(s.name.removeprefix("teaching_") for s in _TEACHING)

TeachingName = Literal[
    "follow_up",
    "before_after",
    "benchmark",
    "comparison",
    "adjusted_comparison",
    "did",
    "did_excel_sv",
    "matched",
    "matched_did",
    "natural_experiment",
    "natural_experiment_cutoff",
    "randomized",
    "synthetic_control",
    "interrupted_time_series",
    "adjusted_comparison_no_overlap",
    "staggered",
]


def _resource(filename: str):
    return files("impacteval.datasets.data") / filename


def read_spec(spec: DatasetSpec, source=None) -> pd.DataFrame:
    """Read one file with its schema and return a typed DataFrame.

    ``source`` overrides the bundled file (a path or file object); the generator's tests use
    it to read files written to a temporary directory.
    """
    text_cols = {c.name: "str" for c in spec.columns if c.kind == "category"}
    num_cols = {c.name: "float64" for c in spec.columns if c.kind != "category"}
    kwargs = dict(
        sep=spec.sep,
        decimal=spec.decimal,
        encoding=spec.encoding,
        dtype={**text_cols, **num_cols},
        keep_default_na=False,
        na_values=[""],
    )
    try:
        if source is None:
            with _resource(spec.file).open("rb") as fh:
                raw = pd.read_csv(fh, **kwargs)
        else:
            raw = pd.read_csv(source, **kwargs)
    except FileNotFoundError as exc:  # pragma: no cover - broken installation
        raise DataError(Note("err_data_missing_file", file=spec.file)) from exc
    except ValueError as exc:
        raise DataError(Note("err_data_unreadable", file=spec.file, detail=str(exc))) from exc
    expected = [c.name for c in spec.columns]
    if list(raw.columns) != expected:
        raise DataError(Note("err_data_columns", file=spec.file, got=str(list(raw.columns)),
                             expected=str(expected)))
    out = {}
    for col in spec.columns:
        s = raw[col.name]
        if col.kind == "category":
            bad = sorted(set(s.dropna()) - set(col.categories))
            if bad:
                raise DataError(Note("err_data_labels", column=col.name, file=spec.file,
                                     bad=str(bad), allowed=str(list(col.categories))))
            dtype = pd.CategoricalDtype(list(col.categories), ordered=col.ordered)
            out[col.name] = s.astype(object).astype(dtype)
        elif col.kind == "int":
            if s.isna().any():
                raise DataError(Note("err_data_incomplete", column=col.name, file=spec.file,
                                     n=int(s.isna().sum())))
            out[col.name] = s.astype("int64")
        elif col.kind == "nullable_int":
            out[col.name] = s.astype("Int64")
        else:
            out[col.name] = s.astype("float64")
    return pd.DataFrame(out)


def _load(name: str) -> pd.DataFrame:
    return read_spec(SPECS[name])


def load_servicetrainee() -> pd.DataFrame:
    """Servicetrainee (Norrköping 2012–2013): synthetic monthly welfare payments.

    One row per person and month: 426 persons (30 ``participant``, 30 ``waitlist``, 366
    ``register``) × 24 months (``month`` −12…−1 = ``period`` "pre", 1…12 = "post"; the
    project starts at month 0). Person-level columns are repeated on every row. Calibrated
    so that the mean monthly payment falls by 80 %, 57 % and 45 % (participants, waitlist,
    register) and 14 of the 29 followed-up participants (48 %) are in work or studies 90
    days after the end, 12 (41 %) in work. See ``datasets/servicetrainee.md``.

    Returns
    -------
    pandas.DataFrame
        10,224 rows. Columns (dtype): ``person_id`` (int64), ``group`` (category),
        ``month`` (int64), ``period`` (ordered category pre < post), ``welfare`` (float64,
        SEK per month, whole kronor), ``age``, ``household_size``, ``n_children``,
        ``months_on_welfare`` (int64), ``sex``, ``language_group``, ``office`` (category),
        ``start_month`` (Int64; 0 for participants, the month a waitlisted person started
        the project later, missing otherwise), ``status_90``, ``status_180``,
        ``status_360`` (ordered category work/studies/neither; missing = not followed up).

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_servicetrainee()
    >>> m = df.pivot_table(index="group", columns="period", values="welfare", observed=True)
    >>> (1 - m["post"] / m["pre"]).round(2).to_dict()
    {'participant': 0.8, 'waitlist': 0.57, 'register': 0.45}
    """
    return _load("servicetrainee")


def load_servicetrainee_persons() -> pd.DataFrame:
    """Servicetrainee with one row per person (426 rows), derived from :func:`load_servicetrainee`.

    The person-level columns of the long file, plus:

    - ``welfare_pre``, ``welfare_post`` (float64): mean monthly payment (SEK) over the 12
      months before / after;
    - ``welfare_lag_12`` … ``welfare_lag_1`` (float64): the payment in months −12 … −1, for
      matching on earlier outcomes;
    - ``work_or_studies_90`` and ``work_90`` (Int64, 1/0, missing when not followed up):
      the binary outcomes behind the published 48 % and 41 %.

    Examples
    --------
    >>> import impacteval as ie
    >>> p = ie.datasets.load_servicetrainee_persons()
    >>> part = p[p["group"] == "participant"]
    >>> int(part["work_or_studies_90"].sum()), int(part["work_or_studies_90"].count())
    (14, 29)
    """
    long = load_servicetrainee()
    person_cols = [
        "person_id",
        "group",
        "age",
        "sex",
        "household_size",
        "n_children",
        "months_on_welfare",
        "language_group",
        "office",
        "start_month",
        "status_90",
        "status_180",
        "status_360",
    ]
    persons = long.loc[long["month"] == 1, person_cols].set_index("person_id")
    wide = long.pivot(index="person_id", columns="month", values="welfare")
    persons["welfare_pre"] = wide[[m for m in wide.columns if m < 0]].mean(axis=1)
    persons["welfare_post"] = wide[[m for m in wide.columns if m > 0]].mean(axis=1)
    for m in range(12, 0, -1):
        persons[f"welfare_lag_{m}"] = wide[-m]
    status = persons["status_90"]
    followed = status.notna()
    persons["work_or_studies_90"] = (
        status.isin(["work", "studies"]).astype("Int64").where(followed, pd.NA)
    )
    persons["work_90"] = (status == "work").astype("Int64").where(followed, pd.NA)
    return persons.reset_index()


def load_skolfam() -> pd.DataFrame:
    """SkolFam: synthetic IQ and reading scores of foster children before and after two years.

    One row per child and test occasion (``period`` "pre"/"post", two years apart): 30
    children in the programme (``group`` "skolfam") and 30 comparison foster children, 120
    rows. Scores are on the norm scale (mean 100, SD 15). Both groups were referred for low
    scores (regression to the mean) and the IQ retest carries a practice effect, so a
    before–after look overstates the effect; the pre-test gap between the groups is 0.05–0.25
    SD. See ``datasets/skolfam.md``.

    Returns
    -------
    pandas.DataFrame
        Columns: ``child_id`` (int64), ``group`` (category), ``period`` (ordered category),
        ``age`` (int64, years at the pre-test), ``sex`` (category), ``grade`` (int64, school
        grade at the pre-test), ``school`` (category), ``iq``, ``reading`` (float64).

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_skolfam()
    >>> df.shape
    (120, 9)
    """
    return _load("skolfam")


def load_skolfam_costs() -> pd.DataFrame:
    """SkolFam cost study: synthetic yearly municipal costs per child over five years.

    One row per child and year (1–5): 20 programme and 20 comparison foster children, 200
    rows. Residential-care (HVB) costs are heavy tailed: one or two placements can decide the
    result. Calibrated so that the five-year savings, (mean comparison cost − mean programme
    cost) × 20, are 3.4–3.7 MSEK (undiscounted) against a project cost of about 4 MSEK
    (:data:`SKOLFAM_PROJECT_COST_SEK`), and the mean ``qaly_gain`` of the programme children
    is 0.16 (:data:`SKOLFAM_QALY_GAIN`). See ``datasets/skolfam_costs.md``.

    Returns
    -------
    pandas.DataFrame
        Columns: ``child_id`` (int64), ``group`` (category), ``year`` (int64),
        ``hvb_months`` (int64, months in residential care that year), ``cost_hvb``,
        ``cost_foster_care``, ``cost_other``, ``cost_total`` (float64, SEK, whole kronor),
        ``qaly_gain`` (float64, QALYs per child, repeated on each year; missing for
        comparison children).

    Examples
    --------
    >>> import impacteval as ie
    >>> c = ie.datasets.load_skolfam_costs()
    >>> per_group = c.groupby("group", observed=True)["cost_total"].sum() / 20
    >>> savings = 20 * (per_group["comparison"] - per_group["skolfam"])
    >>> bool(3.4e6 <= savings <= 3.7e6)
    True
    """
    return _load("skolfam_costs")


def load_teaching(name: TeachingName) -> pd.DataFrame:
    """A small teaching dataset for one design of the evaluation ladder.

    Parameters
    ----------
    name : str
        The rung's design name — ``"follow_up"``, ``"before_after"``, ``"benchmark"``,
        ``"comparison"``, ``"adjusted_comparison"``, ``"did"``, ``"matched"``,
        ``"matched_did"``, ``"natural_experiment"`` (a lottery among waitlisted applicants),
        ``"randomized"``, ``"synthetic_control"``, ``"interrupted_time_series"`` — or a
        variant: ``"natural_experiment_cutoff"`` (places by a cutoff
        rule), ``"adjusted_comparison_no_overlap"`` (where adjustment cannot work), or
        ``"did_excel_sv"`` (the did set as a Swedish Excel export, read with ``sep=";"``,
        ``decimal=","``; Swedish column names are kept). The roles to pass to
        :func:`impacteval.evaluate` are :func:`teaching_roles`.

    Returns
    -------
    pandas.DataFrame
        Fewer than 200 rows (720 for ``"synthetic_control"``); columns and story in ``datasets/teaching_NAME.md``.

    Raises
    ------
    ArgumentError
        If ``name`` is not one of the names above.

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("did")
    >>> df.groupby(["group", "period"], observed=True)["welfare_ksek"].size().tolist()
    [30, 30, 30, 30]
    """
    key = f"teaching_{name}" if isinstance(name, str) else None
    if key not in SPECS:
        raise ArgumentError(Note("err_data_not_teaching", name=repr(name),
                                 names=", ".join(repr(n) for n in TEACHING_NAMES)))
    return _load(key)


#: The roles to pass to :func:`impacteval.evaluate` for each teaching set.
_TEACHING_ROLES: dict[str, dict[str, Any]] = {
    "follow_up": {"outcome": "in_work_or_studies"},
    "before_after": {"outcome": "reading", "unit": "pupil_id", "period": "period",
                     "pre": "pre", "post": "post"},
    "benchmark": {"outcome": "vocabulary",
                  "reference": {"mean": 100.0, "sd": 15.0, "source": "test norm"}},
    "comparison": {"outcome": "merit", "group": "group", "treated": "participant"},
    "adjusted_comparison": {"outcome": "earnings", "group": "group", "treated": "participant",
                            "covariates": ["education", "years_in_sweden", "months_unemployed",
                                           "age"]},
    "adjusted_comparison_no_overlap": {
        "outcome": "earnings", "group": "group", "treated": "participant",
        "covariates": ["education", "years_in_sweden", "months_unemployed", "age"]},
    "did": {"outcome": "welfare_ksek", "unit": "household_id", "group": "group",
            "treated": "participant", "period": "period", "pre": "pre", "post": "post"},
    "did_excel_sv": {"outcome": "försörjningsstöd_tkr", "unit": "hushåll", "group": "grupp",
                     "treated": "projekt", "period": "mätning", "pre": "före", "post": "efter"},
    "matched": {"outcome": "welfare_ksek", "unit": "person_id", "group": "group",
                "treated": "participant", "period": "year", "pre": [2021, 2022],
                "post": [2023], "covariates": ["age"]},
    "matched_did": {"outcome": "earnings_ksek", "unit": "person_id", "group": "group",
                    "treated": "participant", "period": "period", "pre": "pre", "post": "post",
                    "covariates": ["age"]},
    "natural_experiment": {"outcome": "conflict_score", "unit": "family_id", "group": "group",
                           "treated": "offered", "period": "period", "pre": "pre",
                           "post": "post", "assignment": "lottery_waitlist"},
    "natural_experiment_cutoff": {"outcome": "reading", "unit": "pupil_id", "group": "group",
                                  "treated": "tutor", "period": "period", "pre": "pre",
                                  "post": "post", "assignment": "rule_cutoff"},
    "randomized": {"outcome": "score", "group": "group", "treated": "treatment",
                   "covariates": ["baseline_score"], "assignment": "randomized"},
    "synthetic_control": {"outcome": "care_cost_ksek", "unit": "municipality",
                          "group": "project", "treated": 1, "period": "month",
                          "pre": list(range(1, 25)), "post": list(range(25, 37))},
    "interrupted_time_series": {"outcome": "care_cost_ksek", "unit": "municipality",
                                "period": "month",
                                "pre": [f"{2018 + k // 12}-{k % 12 + 1:02d}" for k in range(36)],
                                "post": [f"{2018 + k // 12}-{k % 12 + 1:02d}"
                                         for k in range(36, 60)]},
    "staggered": {"outcome": "reading", "unit": "pupil_id", "group": "group",
                  "treated": "participant", "period": "quarter", "pre": [1, 2],
                  "post": [3, 4, 5, 6, 7, 8], "start": "start_quarter"},
}

#: The rung ``impacteval.evaluate`` lands on for each teaching set with its
#: :func:`teaching_roles` and default thresholds (tested). Two sets teach a failure and land
#: on a weaker rung on purpose: ``adjusted_comparison_no_overlap`` (no comparison person looks
#: like a participant) and ``natural_experiment_cutoff`` (a cutoff rule needs a regression
#: discontinuity design, which this version does not estimate).
TEACHING_RUNGS: dict[str, str] = {
    "follow_up": "follow_up",
    "before_after": "before_after",
    "benchmark": "benchmark",
    "comparison": "comparison",
    "adjusted_comparison": "adjusted_comparison",
    "adjusted_comparison_no_overlap": "comparison",
    "did": "did",
    "did_excel_sv": "did",
    "matched": "matched",
    "matched_did": "matched_did",
    "natural_experiment": "natural_experiment",
    "natural_experiment_cutoff": "did",
    "randomized": "randomized",
    "synthetic_control": "synthetic_control",
    "interrupted_time_series": "interrupted_time_series",
    "staggered": "did",
}

#: The synthetic true effect of each teaching set, in the outcome's unit (also in its data
#: card); ``None`` where the set has no effect to find (follow-up, benchmark).
_TEACHING_TRUTH: dict[str, float | None] = {
    "follow_up": None,
    "before_after": 2.0,
    "benchmark": None,
    "comparison": 15.0,
    "adjusted_comparison": 20_000.0,
    "adjusted_comparison_no_overlap": 20_000.0,
    "did": -8.0,
    "did_excel_sv": -8.0,
    "matched": -10.0,
    "matched_did": 30.0,
    "natural_experiment": -6.0,
    "natural_experiment_cutoff": 4.0,
    "randomized": 5.0,
    "synthetic_control": -83.7,
    "interrupted_time_series": -83.0,
    "staggered": 1.917,
}


def _teaching_key(name: Any, table: dict) -> str:
    if not isinstance(name, str) or name not in table:
        raise ArgumentError(Note("err_data_not_teaching", name=repr(name),
                                 names=", ".join(repr(n) for n in table)))
    return name


def teaching_roles(name: TeachingName) -> dict[str, Any]:
    """The roles of a teaching set, as keywords for :func:`impacteval.evaluate`.

    Each teaching set is built so that ``ie.evaluate(load_teaching(name),
    **teaching_roles(name))`` lands on the rung named in :data:`TEACHING_RUNGS` with the
    default thresholds (the package's tests check this).

    Parameters
    ----------
    name : str
        A name accepted by :func:`load_teaching`.

    Returns
    -------
    dict
        A fresh dict (changing it changes nothing here): ``outcome`` and whichever of
        ``unit``, ``group``, ``treated``, ``period``, ``pre``, ``post``, ``covariates``,
        ``assignment`` and ``reference`` the design needs.

    Examples
    --------
    >>> import impacteval as ie
    >>> df = ie.datasets.load_teaching("natural_experiment")
    >>> roles = ie.datasets.teaching_roles("natural_experiment")
    >>> roles["assignment"]
    'lottery_waitlist'
    >>> ie.evaluate(df, **roles).design
    'natural_experiment'
    """
    return deepcopy(_TEACHING_ROLES[_teaching_key(name, _TEACHING_ROLES)])


def teaching_truth(name: TeachingName) -> float | None:
    """The synthetic true effect of a teaching set (outcome units), ``None`` if it has none.

    Examples
    --------
    >>> import impacteval as ie
    >>> ie.datasets.teaching_truth("did")
    -8.0
    """
    return _TEACHING_TRUTH[_teaching_key(name, _TEACHING_TRUTH)]


def data_dir() -> Path:
    """The folder that holds the bundled CSV files (for the command line and spreadsheets).

    Examples
    --------
    >>> import impacteval as ie
    >>> (ie.datasets.data_dir() / "teaching_did.csv").is_file()
    True
    """
    path = Path(str(_resource("")))
    if not path.is_dir():  # pragma: no cover - zipped installs
        raise DataError(Note("err_data_zipped"))
    return path


def csv_path(name: str) -> Path:
    """The path of a bundled CSV file, to open in a spreadsheet or pass to the command line.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets` (``"servicetrainee"``, ``"teaching_did"``);
        for teaching sets the short name (``"did"``) is accepted too.

    Examples
    --------
    >>> import impacteval as ie
    >>> ie.datasets.csv_path("did").name
    'teaching_did.csv'
    """
    key = name if name in SPECS else f"teaching_{name}"
    if key not in SPECS:
        raise ArgumentError(Note("err_data_not_bundled", name=repr(name),
                                 names=", ".join(repr(n) for n in SPECS)))
    return data_dir() / SPECS[key].file


def data_card(name: str) -> str:
    """The data card (Markdown text) of a bundled dataset.

    Parameters
    ----------
    name : str
        A name from :func:`list_datasets` (``"servicetrainee"``, ``"teaching_did"``, …);
        for teaching sets the short name (``"did"``) is accepted too.

    Examples
    --------
    >>> import impacteval as ie
    >>> ie.datasets.data_card("servicetrainee").splitlines()[0]
    '# servicetrainee — Servicetrainee, Norrköping 2012–2013 (synthetic)'
    """
    key = name if name in SPECS else f"teaching_{name}"
    if key not in SPECS:
        raise ArgumentError(Note("err_data_not_bundled", name=repr(name),
                                 names=", ".join(repr(n) for n in SPECS)))
    return _resource(SPECS[key].card_file).read_text(encoding="utf-8")


def list_datasets() -> pd.DataFrame:
    """The bundled datasets: name, loader call, file, rows, description and CSV path.

    ``servicetrainee_persons`` (derived from ``servicetrainee``) is listed too. ``path`` is
    the installed CSV file (see :func:`csv_path`), for spreadsheets and the command line.

    Examples
    --------
    >>> import impacteval as ie
    >>> ie.datasets.list_datasets().set_index("name").loc["servicetrainee", "rows"]
    np.int64(10224)
    """
    rows = []
    for spec in SPECS.values():
        if spec.name.startswith("teaching_"):
            loader = f'load_teaching("{spec.name.removeprefix("teaching_")}")'
        else:
            loader = f"load_{spec.name}()"
        rows.append((spec.name, loader, spec.file, len(_load(spec.name)), spec.description))
        if spec.name == "servicetrainee":
            rows.append(
                (
                    "servicetrainee_persons",
                    "load_servicetrainee_persons()",
                    spec.file,
                    len(load_servicetrainee_persons()),
                    "Servicetrainee with one row per person: mean welfare before/after, the "
                    "12 earlier monthly payments, binary follow-up outcomes.",
                )
            )
    out = pd.DataFrame(rows, columns=["name", "loader", "file", "rows", "description"])
    folder = data_dir()
    out["path"] = [str(folder / f) for f in out["file"]]
    return out.astype({"rows": "int64"})
