"""Adjusted-gap controls from config (`pay.legitimate_factors` entries with a type) and extra
columns brought in by the mapping (`extra_columns` on hr/job_history), on small hand-made
exports: the fit equals a statsmodels formula fit computed here from the same CSV, a numeric
and a categorical reading of the same column give the two different models, and every bad
setting is a clear error naming its key before any SQL is built from it."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
import yaml

from pipelines.build import build
from pipelines.errors import DataError, UsageError
from pipelines.families.pay.factors import resolve_factors
from tests.helpers import compute_exact

SNAPSHOT = "2020-12-31"
MODEL = "np.log(salary) ~ C(sex, Treatment('M')) + C(level)"


def _export(n: int = 60, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "id": [f"E{i:03d}" for i in range(n)],
            "sex": rng.choice(["F", "M"], n),
            "level": rng.choice(["L1", "L2", "L3"], n),
            "step": rng.integers(1, 5, n),
            "hired": "2015-01-01",
        }
    )
    base = 50000 * (1 + 0.2 * frame["level"].str[1].astype(int)) * (1 + 0.03 * frame["step"])
    frame["salary"] = (base * np.where(frame["sex"] == "F", 0.95, 1.0) * np.exp(rng.normal(0, 0.05, n))).round(2)
    return frame


def _folder(tmp_path, frame: pd.DataFrame, factors, extra=None, name="data"):
    folder = tmp_path / name
    folder.mkdir()
    frame.to_csv(folder / "export.csv", index=False)
    config = {
        "as_of": SNAPSHOT,
        "history_start": "2020-01-01",
        "pay": {"legitimate_factors": factors},
        "mapping": {
            "hr/employees": {
                "file": "export.csv",
                "columns": {
                    "employee_id": "id",
                    "gender": {"column": "sex", "values": {"F": "Woman", "M": "Man"}},
                    "hire_date": "hired",
                },
            },
            "hr/job_history": {
                "file": "export.csv",
                "columns": {
                    "employee_id": "id",
                    "effective_date": "hired",
                    "job_level": "level",
                    "annual_base_salary": "salary",
                },
                "extra_columns": extra if extra is not None else {"step": {"column": "step", "type": "number"}},
            },
        },
    }
    (folder / "equity.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return folder


def _woman(con):
    table = compute_exact(con, "adjusted_pay_gap", by=["gender"])
    return table[table["group"] == "Woman"].iloc[0]


def _built(folder):
    build(folder, folder.parent / f"{folder.name}.duckdb")
    return duckdb.connect(str(folder.parent / f"{folder.name}.duckdb"), read_only=True)


@pytest.mark.parametrize(
    "entry, term",
    [
        ({"column": "step", "type": "numeric"}, "step"),  # one slope
        ({"column": "step", "type": "categorical"}, "C(step)"),  # a dummy per step after the first
        ("step", "step"),  # a number column is numeric by default
    ],
)
def test_extra_column_enters_the_model_as_configured(tmp_path, entry, term):
    frame = _export()
    con = _built(_folder(tmp_path, frame, ["job_level", entry]))
    try:
        row = _woman(con)
        ref = smf.ols(f"{MODEL} + {term}", data=frame).fit(cov_type="HC1")
        name = "C(sex, Treatment('M'))[T.F]"
        assert row["n"] == int((frame["sex"] == "F").sum())
        assert row["numerator"] == pytest.approx(ref.params[name], abs=1e-10)
        assert row["denominator"] == pytest.approx(ref.bse[name], abs=1e-10)
    finally:
        con.close()


def test_numeric_and_categorical_readings_differ(tmp_path):
    """The two readings are different models (four steps: 1 slope vs 3 dummies)."""
    frame = _export()
    name = "C(sex, Treatment('M'))[T.F]"
    slope = smf.ols(f"{MODEL} + step", data=frame).fit(cov_type="HC1").params[name]
    dummies = smf.ols(f"{MODEL} + C(step)", data=frame).fit(cov_type="HC1").params[name]
    assert abs(slope - dummies) > 1e-6  # the data tell them apart, so the test below can
    con = _built(_folder(tmp_path, frame, ["job_level", {"column": "step", "type": "categorical"}]))
    try:
        assert _woman(con)["numerator"] == pytest.approx(dummies, abs=1e-10)
    finally:
        con.close()


def test_a_cell_that_is_not_a_number_is_quarantined_with_its_column(tmp_path):
    frame = _export()
    frame["step"] = frame["step"].astype(str)
    frame.loc[3, "step"] = "four"
    con = _built(_folder(tmp_path, frame, ["job_level", "step"]))
    try:
        rows = con.execute("SELECT line, column_name, raw_value FROM quarantine").fetchall()
        assert (5, "step", "four") in rows  # line 5: header + rows 0..3
    finally:
        con.close()


def _extras_db(types: dict[str, str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    cols = ", ".join(f'"{n}" {t}' for n, t in types.items())
    con.execute(f"CREATE TABLE job_extra_columns (employee_id VARCHAR, valid_from DATE, valid_to DATE, {cols})")
    return con


def _config(factors):
    return {"pay": {"legitimate_factors": factors}}


def test_resolved_kinds_follow_the_declared_type_and_the_mapped_type():
    con = _extras_db({"yrs_since_phd": "DOUBLE", "union_code": "VARCHAR"})
    factors = [
        "job_level",
        {"column": "performance_rating", "type": "numeric"},
        "tenure_years",
        "yrs_since_phd",
        "union_code",
    ]
    got = {
        f.name: (f.numeric, f.origin)
        for f in resolve_factors(con, _config(factors), [f if isinstance(f, str) else f["column"] for f in factors])
    }
    assert got == {
        "job_level": (False, "spell"),
        "performance_rating": (True, "spell"),
        "tenure_years": (True, "tenure"),
        "yrs_since_phd": (True, "extra"),
        "union_code": (False, "extra"),
    }


@pytest.mark.parametrize(
    "factors, message",
    [
        (["job_level", "yrs_since_phd"], "pay.legitimate_factors: unknown column 'yrs_since_phd'"),
        (['job_level"; DROP TABLE fct_employment_spells; --'], "pay.legitimate_factors: unknown column"),
        ([{"column": "job_level", "type": "ordinal"}], "pay.legitimate_factors[0]: type must be one of"),
        ([{"column": "job_level", "kind": "numeric"}], "pay.legitimate_factors[0]: a factor is a column name"),
        ([{"column": "tenure_years", "type": "categorical"}], "tenure_years is numeric"),
        ([{"column": "union_code", "type": "numeric"}], "union_code was mapped as a label"),
        (["job_level", "job_level"], "job_level listed twice"),
    ],
)
def test_bad_factor_settings_name_the_setting(factors, message):
    con = _extras_db({"union_code": "VARCHAR"})
    names = [f if isinstance(f, str) else f.get("column") for f in factors]
    with pytest.raises(UsageError, match=message.replace("[", r"\[").replace("]", r"\]")):
        resolve_factors(con, _config(factors), names)


@pytest.mark.parametrize(
    "extra, where, message",
    [
        ({"Yrs Since": "step"}, "hr/job_history", "extra_columns.Yrs Since: a name must be lower-case"),
        ({"job_family": "step"}, "hr/job_history", "'job_family' is already a column"),
        ({"step": {"column": "step", "type": "float"}}, "hr/job_history", "type must be one of number, label"),
        ({"step": {"column": "nope"}}, "hr/job_history", "refers to column 'nope'"),
        ({"step": "step"}, "hr/employees", "extra_columns is supported on hr/job_history only"),
    ],
)
def test_bad_extra_columns_name_the_mapping_key(tmp_path, extra, where, message):
    folder = _folder(tmp_path, _export(), ["job_level"])
    config = yaml.safe_load((folder / "equity.yml").read_text(encoding="utf-8"))
    config["mapping"]["hr/job_history"].pop("extra_columns")
    config["mapping"][where]["extra_columns"] = extra
    (folder / "equity.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        build(folder, tmp_path / "x.duckdb")


def test_a_blank_numeric_factor_leaves_the_person_out_and_says_so(tmp_path):
    frame = _export()
    frame["step"] = frame["step"].astype(object)
    frame.loc[[0, 1], "step"] = ""
    con = _built(_folder(tmp_path, frame, ["job_level", "step"]))
    try:
        row = _woman(con)
        kept = frame.drop(index=[0, 1]).astype({"step": int})
        ref = smf.ols(f"{MODEL} + step", data=kept).fit(cov_type="HC1")
        assert row["numerator"] == pytest.approx(ref.params["C(sex, Treatment('M'))[T.F]"], abs=1e-10)
        assert "blank numeric factor" in row["note"]
    finally:
        con.close()


def test_a_rebuild_into_the_same_database_keeps_the_extra_columns(tmp_path):
    """An incremental rebuild (same config) gives the same job_extra_columns and gap."""
    frame = _export()
    folder = _folder(tmp_path, frame, ["job_level", "step"])
    db = tmp_path / "one.duckdb"
    for _ in range(2):
        build(folder, db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        steps = con.execute("SELECT employee_id, step FROM job_extra_columns ORDER BY employee_id").fetchall()
        assert steps == [(i, float(s)) for i, s in zip(frame["id"], frame["step"])]
        ref = smf.ols(f"{MODEL} + step", data=frame).fit(cov_type="HC1")
        assert _woman(con)["numerator"] == pytest.approx(ref.params["C(sex, Treatment('M'))[T.F]"], abs=1e-10)
    finally:
        con.close()
