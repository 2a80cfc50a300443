"""Bundled datasets: shapes, dtypes, published calibration targets, byte-exact regeneration.

Calibration checks recompute every published figure from the raw numbers with numpy (or
statsmodels for R²), independently of the loaders' pandas code paths.
"""

from __future__ import annotations

import io
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import impacteval.datasets as ds
from impacteval.datasets import make
from impacteval.errors import ArgumentError, DataError

GROUP_SIZES = {"participant": 30, "waitlist": 30, "register": 366}
PUBLISHED_REDUCTION = {"participant": 0.80, "waitlist": 0.57, "register": 0.45}


@pytest.fixture(scope="module")
def st() -> pd.DataFrame:
    return ds.load_servicetrainee()


@pytest.fixture(scope="module")
def persons() -> pd.DataFrame:
    return ds.load_servicetrainee_persons()


def _arrays(df: pd.DataFrame, value: str, n_per: int) -> np.ndarray:
    """Values as a (units × periods) matrix, rows in file order (checked sorted)."""
    return df[value].to_numpy(dtype=float).reshape(-1, n_per)


# ----------------------------------------------------------------------------- schema


@pytest.mark.parametrize("name", list(ds.SPECS))
def test_every_file_matches_its_schema(name):
    spec = ds.SPECS[name]
    df = ds.read_spec(spec)
    assert list(df.columns) == [c.name for c in spec.columns]
    for col in spec.columns:
        dtype = df[col.name].dtype
        if col.kind == "int":
            assert dtype == np.int64, col.name
        elif col.kind == "nullable_int":
            assert dtype == pd.Int64Dtype(), col.name
        elif col.kind == "float":
            assert dtype == np.float64, col.name
        else:
            assert isinstance(dtype, pd.CategoricalDtype), col.name
            assert list(dtype.categories) == list(col.categories)
            assert dtype.ordered == col.ordered


def test_files_are_package_resources():
    root = files("impacteval.datasets.data")
    for spec in ds.SPECS.values():
        assert (root / spec.file).is_file(), spec.file
        assert (root / spec.card_file).is_file(), spec.card_file
    assert (root / "README.md").is_file()


def test_list_datasets_rows_match_the_loaders():
    table = ds.list_datasets()
    assert list(table.columns) == ["name", "loader", "file", "rows", "description", "path"]
    assert table["rows"].dtype == np.int64
    rows = dict(zip(table["name"], table["rows"], strict=True))
    assert rows["servicetrainee"] == 426 * 24
    assert rows["servicetrainee_persons"] == 426
    assert rows["skolfam"] == 120
    assert rows["skolfam_costs"] == 200
    for name in ds.TEACHING_NAMES:
        assert rows[f"teaching_{name}"] == len(ds.load_teaching(name))
    assert table["description"].str.len().min() > 20


def test_loaders_return_fresh_copies():
    a = ds.load_teaching("did")
    a.loc[0, "welfare_ksek"] = -1.0
    b = ds.load_teaching("did")
    assert b.loc[0, "welfare_ksek"] != -1.0


# ----------------------------------------------------------------------------- Servicetrainee


def test_servicetrainee_shape(st):
    assert st.shape == (10_224, 16)
    assert st["person_id"].is_monotonic_increasing
    per_person = st.groupby("person_id").size()
    assert len(per_person) == 426 and (per_person == 24).all()
    sizes = st.groupby("group", observed=True)["person_id"].nunique().to_dict()
    assert sizes == GROUP_SIZES
    months = st["month"].to_numpy().reshape(426, 24)
    expected = np.r_[np.arange(-12, 0), np.arange(1, 13)]
    assert (months == expected).all()
    assert ((st["month"] < 0) == (st["period"] == "pre")).all()
    assert st["period"].cat.ordered and list(st["period"].cat.categories) == ["pre", "post"]


def test_servicetrainee_person_columns_are_constant(st):
    cols = [
        "group", "age", "sex", "household_size", "n_children", "months_on_welfare",
        "language_group", "office", "start_month", "status_90", "status_180", "status_360",
    ]
    for col in cols:
        n_values = st.groupby("person_id")[col].nunique(dropna=False)
        assert (n_values == 1).all(), col


def test_servicetrainee_welfare_values(st):
    w = st["welfare"].to_numpy()
    assert not np.isnan(w).any()
    assert (w >= 0).all()
    np.testing.assert_array_equal(w, np.round(w))  # whole kronor


def test_servicetrainee_background_matches_published(persons):
    part = persons[persons["group"] == "participant"]
    reg = persons[persons["group"] == "register"]
    assert (part["age"].min(), part["age"].max()) == (28, 51)
    assert reg["age"].min() == 27 and reg["age"].max() == 65
    assert persons["age"].between(27, 65).all()
    # 27 participant households with 61 children
    assert int((part["n_children"] > 0).sum()) == 27
    assert int(part["n_children"].sum()) == 61
    # eligibility: register persons have children
    assert (reg["n_children"] >= 1).all()
    assert (persons["household_size"] > persons["n_children"]).all()


def test_servicetrainee_reductions_reproduce_published(st):
    w = _arrays(st, "welfare", 24)
    groups = st["group"].to_numpy()[::24].astype(str)
    for g, target in PUBLISHED_REDUCTION.items():
        m = groups == g
        pre, post = w[m, :12].mean(), w[m, 12:].mean()
        reduction = 1 - post / pre
        assert reduction == pytest.approx(target, abs=0.02), g
        # the calibration is essentially exact (whole-kronor rounding only)
        assert reduction == pytest.approx(target, abs=5e-4), g


def test_servicetrainee_follow_up_reproduces_48_and_41_percent(persons):
    part = persons[persons["group"] == "participant"]
    status = part["status_90"]
    followed = int(status.notna().sum())
    work_or_studies = int(status.isin(["work", "studies"]).sum())
    work = int((status == "work").sum())
    assert (followed, work_or_studies, work) == (29, 14, 12)
    assert round(100 * work_or_studies / followed) == 48
    assert round(100 * work / followed) == 41
    # binary versions in the persons table agree
    assert int(part["work_or_studies_90"].sum()) == 14
    assert int(part["work_90"].sum()) == 12
    assert int(part["work_90"].isna().sum()) == 1
    # register outcomes have no drop-out; attrition only grows with time
    reg = persons[persons["group"] == "register"]
    for col in ("status_90", "status_180", "status_360"):
        assert reg[col].notna().all()
    for g in ("participant", "waitlist"):
        sub = persons[persons["group"] == g]
        miss = [int(sub[c].isna().sum()) for c in ("status_90", "status_180", "status_360")]
        assert miss == sorted(miss) and miss[0] >= 1


def test_months_on_welfare_counts_paid_pre_months(st):
    w = _arrays(st, "welfare", 24)
    months_on = st["months_on_welfare"].to_numpy()[::24]
    np.testing.assert_array_equal(months_on, (w[:, :12] > 0).sum(axis=1))


def test_servicetrainee_start_month_allows_contamination_check(persons):
    start = persons.set_index("group")["start_month"]
    assert (start.loc["participant"] == 0).all()
    assert start.loc["register"].isna().all()
    wl = start.loc["waitlist"].dropna().astype(int)
    assert 1 <= len(wl) < 30
    assert ((wl >= 1) & (wl <= 12)).sum() >= 1  # starts inside the post window
    assert (wl > 12).sum() >= 1  # and some after it


def test_servicetrainee_participants_positively_selected(st, persons):
    g = persons.set_index("group")
    mow = g["months_on_welfare"]
    assert mow.loc["participant"].mean() < mow.loc["register"].mean()
    w = _arrays(st, "welfare", 24)
    groups = st["group"].to_numpy()[::24].astype(str)
    months = np.arange(-12, 0)
    slopes = {}
    for grp in ("participant", "register"):
        means = w[groups == grp, :12].mean(axis=0)
        slopes[grp] = np.polyfit(months, means, 1)[0] / means.mean()
    assert slopes["participant"] < slopes["register"]


def test_servicetrainee_pre_period_predicts_post(persons):
    # pooled within-group R² of the post mean on the pre mean (statsmodels OLS)
    dummies = pd.get_dummies(persons["group"], drop_first=True, dtype=float)
    x = sm.add_constant(pd.concat([persons[["welfare_pre"]], dummies], axis=1))
    pooled = sm.OLS(persons["welfare_post"], x).fit().rsquared
    reg = persons[persons["group"] == "register"]
    r2_reg = sm.OLS(reg["welfare_post"], sm.add_constant(reg[["welfare_pre"]])).fit().rsquared
    assert pooled > 0.3
    assert r2_reg > 0.3
    # everyone was a recipient in the selection month (-1)
    assert (persons["welfare_lag_1"] > 0).all()


def test_persons_table_agrees_with_long(st, persons):
    assert persons.shape[0] == 426
    assert persons["person_id"].tolist() == list(range(1, 427))
    w = _arrays(st, "welfare", 24)
    np.testing.assert_allclose(persons["welfare_pre"], w[:, :12].mean(axis=1), rtol=0, atol=1e-9)
    np.testing.assert_allclose(persons["welfare_post"], w[:, 12:].mean(axis=1), rtol=0, atol=1e-9)
    for k in range(1, 13):
        np.testing.assert_array_equal(persons[f"welfare_lag_{k}"], w[:, 12 - k])
    assert persons["work_90"].dtype == pd.Int64Dtype()
    assert isinstance(persons["group"].dtype, pd.CategoricalDtype)


def test_servicetrainee_feeds_roles_prepare(st):
    from impacteval.roles import prepare

    study = prepare(
        st,
        outcome="welfare",
        unit="person_id",
        group="group",
        treated="participant",
        control="register",
        period="month",
        pre=list(range(-12, 0)),
        post=list(range(1, 13)),
        covariates=["age", "months_on_welfare"],
        cluster="office",
    )
    assert len(study.data) == 396 * 24


# ----------------------------------------------------------------------------- SkolFam


def _pooled_sd(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sqrt(((a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1))
                         / (a.size + b.size - 2)))


def test_skolfam_shape_and_design():
    df = ds.load_skolfam()
    assert df.shape == (120, 9)
    assert df.groupby("group", observed=True)["child_id"].nunique().to_dict() == {
        "skolfam": 30, "comparison": 30,
    }
    assert (df.groupby("child_id")["period"].nunique() == 2).all()
    # more than one school per condition (the one-cluster rule does not bite)
    assert (df.groupby("group", observed=True)["school"].nunique() > 1).all()
    assert df["grade"].between(2, 9).all()


@pytest.mark.parametrize("score", ["iq", "reading"])
def test_skolfam_pretest_gap_rtm_and_practice(score):
    df = ds.load_skolfam().sort_values(["child_id", "period"])
    v = _arrays(df, score, 2)  # columns: pre, post (ordered categorical sort)
    grp = df["group"].to_numpy()[::2].astype(str)
    t, c = grp == "skolfam", grp == "comparison"
    gap = (v[t, 0].mean() - v[c, 0].mean()) / _pooled_sd(v[t, 0], v[c, 0])
    assert 0.05 <= abs(gap) <= 0.25
    # selected for low scores: both groups start well below the norm of 100
    assert v[:, 0].mean() < 90
    # comparison children (no programme) also gain: RTM + practice inflate before_after
    change = v[:, 1] - v[:, 0]
    assert change[c].mean() > 0
    assert change[t].mean() > change[t].mean() - change[c].mean() > 0
    # the pre-test carries information: R² within group 0.4–0.75
    for m in (t, c):
        r = np.corrcoef(v[m, 0], v[m, 1])[0, 1]
        assert 0.4 <= r**2 <= 0.75


def test_skolfam_costs_reproduce_published_economics():
    df = ds.load_skolfam_costs()
    assert df.shape == (200, 9)
    assert df.groupby("group", observed=True)["child_id"].nunique().to_dict() == {
        "skolfam": 20, "comparison": 20,
    }
    parts = df[["cost_hvb", "cost_foster_care", "cost_other"]].to_numpy().sum(axis=1)
    np.testing.assert_allclose(df["cost_total"], parts, rtol=0, atol=0.5)
    total = _arrays(df, "cost_total", 5).sum(axis=1)
    hvb = _arrays(df, "cost_hvb", 5).sum(axis=1)
    grp = df["group"].to_numpy()[::5].astype(str)
    comp = grp == "comparison"
    n = 20
    savings = n * (total[comp].mean() - total[~comp].mean())
    assert 3.4e6 <= savings <= 3.7e6
    net_share = (ds.SKOLFAM_PROJECT_COST_SEK - savings) / ds.SKOLFAM_PROJECT_COST_SEK
    assert 0.10 <= net_share <= 0.15
    # QALY gain 0.16 valued at 500 kSEK-1.3 MSEK is 3-7.5 times the net cost per child
    net_per_child = (ds.SKOLFAM_PROJECT_COST_SEK - savings) / n
    assert 0.16 * 500_000 / net_per_child == pytest.approx(3.0, abs=0.15)
    assert 0.16 * 1_300_000 / net_per_child == pytest.approx(7.5, abs=0.15)
    # savings mainly HVB
    hvb_savings = n * (hvb[comp].mean() - hvb[~comp].mean())
    assert 0.8 <= hvb_savings / savings <= 1.2
    # heavy tail: dropping the two costliest comparison placements removes > 25 % of savings
    top2 = np.argsort(-np.where(comp, hvb, -np.inf))[:2]
    keep = np.ones(2 * n, bool)
    keep[top2] = False
    savings_wo = n * (total[keep & comp].mean() - total[keep & ~comp].mean())
    assert savings_wo < 0.75 * savings
    qaly = df.groupby("child_id")["qaly_gain"].first()
    g = df.groupby("child_id")["group"].first()
    assert qaly[g == "comparison"].isna().all()
    assert qaly[g == "skolfam"].mean() == pytest.approx(ds.SKOLFAM_QALY_GAIN, abs=5e-4)


# ----------------------------------------------------------------------------- teaching sets


@pytest.mark.parametrize("name", ds.TEACHING_NAMES)
def test_teaching_sets_are_small(name):
    df = ds.load_teaching(name)
    # a synthetic control needs many donors x months: 20 municipalities x 36 months;
    # staggered entry needs several waves x quarters: 150 pupils x 8 quarters
    limit = {"synthetic_control": 800, "staggered": 1300}.get(name, 200)
    assert 0 < len(df) < limit


def test_teaching_names_cover_the_designs():
    designs = {
        "follow_up", "before_after", "benchmark", "comparison", "adjusted_comparison", "did",
        "matched", "matched_did", "natural_experiment", "randomized",
    }
    assert designs <= set(ds.TEACHING_NAMES)


def test_randomized_teaching_set_is_a_roster_with_attrition():
    df = ds.load_teaching("randomized")
    assert df["pupil_id"].is_unique and len(df) == 80
    assert df["baseline_score"].notna().all()
    missing = df["score"].isna().groupby(df["group"], observed=True).sum().to_dict()
    assert missing == {"treatment": 3, "control": 2}
    # lottery within school: 10 + 10 in each
    counts = df.groupby(["school", "group"], observed=True).size()
    assert (counts == 10).all()


def test_swedish_excel_file_reads_with_semicolon_and_decimal_comma():
    raw_bytes = (files("impacteval.datasets.data") / "teaching_did_excel_sv.csv").read_bytes()
    assert raw_bytes.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM as Excel writes it
    assert b"\r\n" in raw_bytes
    raw = pd.read_csv(io.BytesIO(raw_bytes), sep=";", decimal=",")
    assert list(raw.columns) == [
        "hushåll", "grupp", "mätning", "stadsdel", "ålder", "kön", "försörjningsstöd_tkr",
    ]
    assert raw["försörjningsstöd_tkr"].dtype == np.float64
    assert set(raw["mätning"]) == {"före", "efter"}
    assert set(raw["stadsdel"]) == {"Söder", "Öster"}
    assert (raw["försörjningsstöd_tkr"] != raw["försörjningsstöd_tkr"].round()).any()
    # same numbers as the English set
    en = ds.load_teaching("did")
    np.testing.assert_array_equal(raw["försörjningsstöd_tkr"], en["welfare_ksek"])
    np.testing.assert_array_equal(raw["hushåll"], en["household_id"])
    sv = ds.load_teaching("did_excel_sv")
    assert sv["mätning"].cat.ordered
    assert (sv["grupp"] == "projekt").sum() == (en["group"] == "participant").sum()


def test_unknown_names_raise_argument_error():
    with pytest.raises(ArgumentError, match="'did_wrong' is not a teaching dataset"):
        ds.load_teaching("did_wrong")
    with pytest.raises(ArgumentError, match="not a bundled dataset"):
        ds.data_card("nope")


# ----------------------------------------------------------------------------- reading errors


def test_damaged_file_raises_data_error():
    spec = ds.SPECS["teaching_comparison"]
    good = (files("impacteval.datasets.data") / spec.file).read_text(encoding="utf-8")
    bad_label = good.replace("participant", "partisipant", 1)
    with pytest.raises(DataError, match="unknown labels"):
        ds.read_spec(spec, io.StringIO(bad_label))
    bad_header = good.replace("merit", "merit_points", 1)
    with pytest.raises(DataError, match="columns"):
        ds.read_spec(spec, io.StringIO(bad_header))
    bad_id = good.replace("\n1,", "\n,", 1)
    with pytest.raises(DataError, match="missing"):
        ds.read_spec(spec, io.StringIO(bad_id))


# ----------------------------------------------------------------------------- generator


def test_generator_reproduces_every_file_byte_for_byte(tmp_path):
    make.main(["--out", str(tmp_path)])
    root = files("impacteval.datasets.data")
    for spec in ds.SPECS.values():
        fresh = (tmp_path / spec.file).read_bytes()
        shipped = (root / spec.file).read_bytes()
        assert fresh == shipped, f"{spec.file} differs from a fresh generation"


def test_generator_depends_on_the_seed(tmp_path):
    frames, _ = make.generate(seed=make.SEED + 1)
    other = make.to_csv_bytes(frames["teaching_did"], ds.SPECS["teaching_did"])
    shipped = (files("impacteval.datasets.data") / "teaching_did.csv").read_bytes()
    assert other != shipped
    # a new seed still meets the published calibration targets
    st = frames["servicetrainee"]
    for g, target in PUBLISHED_REDUCTION.items():
        s = st[st["group"] == g]
        red = 1 - s.loc[s["month"] > 0, "welfare"].mean() / s.loc[s["month"] < 0, "welfare"].mean()
        assert red == pytest.approx(target, abs=0.02)


# ----------------------------------------------------------------------------- data cards


@pytest.mark.parametrize("name", list(ds.SPECS))
def test_data_card_documents_every_column(name):
    card = ds.data_card(name)
    spec = ds.SPECS[name]
    for col in spec.columns:
        assert f"`{col.name}`" in card, f"{spec.card_file} does not document {col.name}"
    assert "python -m impacteval.datasets.make" in card
    assert "ynthetic" in card


def test_published_cards_name_their_sources():
    for name in ("servicetrainee", "skolfam", "skolfam_costs"):
        card = ds.data_card(name)
        assert "SPEC.md" in card and "Source" in card
    assert "Norrköping" in ds.data_card("servicetrainee")
