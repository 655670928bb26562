"""The result files of `minsheng sim` as analysts read them: pandas, polars and DuckDB read
the exact amounts and weights and aggregate them with weights as the README shows, with no
cast; the long (tidy) layout gives the same totals; float64 output is there for plotting; the
schema says what every column holds; households add up from their persons."""

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

REFORM = Path(__file__).resolve().parents[4] / "reforms" / "no-2023-deduction-rise.yaml"
SCENARIOS = ["baseline", "no-2023-deduction-rise"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One run of 2023 with a reform, its tables written in every layout."""
    out = tmp_path_factory.mktemp("sim")
    common = [os.environ["MINSHENG_BIN"], "sim", "--year", "2023", "--persons", "20000", "--reform", str(REFORM)]
    report = subprocess.run(
        common + ["--json", "--households-out", str(out / "households.parquet"),
                  "--persons-out", str(out / "persons.parquet")],
        check=True, capture_output=True, text=True,
    ).stdout
    subprocess.run(common + ["--long", "--households-out", str(out / "households-long.parquet"),
                             "--persons-out", str(out / "persons-long.parquet")],
                   check=True, capture_output=True)
    listing = subprocess.run(common + ["--float", "--persons-out", str(out / "persons-float.parquet")],
                             check=True, capture_output=True, text=True).stdout
    return out, json.loads(report), listing


def budget_yuan(report, programme, scenario):
    row = next(b for b in report["budget"] if b["programme_en"] == programme)
    return row["totals_yi"][SCENARIOS.index(scenario)] * 1e8


def close(a, b, rel=1e-9):
    return abs(float(a) - b) <= rel * abs(b)


def test_pandas_reads_exact_amounts_and_weights_and_aggregates_them(run):
    out, report, _ = run
    df = pd.read_parquet(out / "persons.parquet")
    tax = df["income_tax[baseline]"]
    assert isinstance(tax.iloc[0], Decimal) and isinstance(df["weight"].iloc[0], Decimal)
    total = (tax * df["weight"]).sum()
    assert isinstance(total, Decimal), "exact all the way"
    assert close(total, budget_yuan(report, "Individual income tax", "baseline"))
    reform = (df["income_tax[no-2023-deduction-rise]"] * df["weight"]).sum()
    assert close(reform, budget_yuan(report, "Individual income tax", "no-2023-deduction-rise"))
    assert reform > total, "without the 2023 rise of the deductions more tax is paid"


def test_polars_reads_and_aggregates_the_same_exact_totals(run):
    out, report, _ = run
    df = pl.read_parquet(out / "persons.parquet")
    assert df.schema["income_tax[baseline]"] == pl.Decimal(18, 2)
    total = df.select((pl.col("income_tax[baseline]") * pl.col("weight")).sum()).item()
    assert isinstance(total, Decimal)
    # polars keeps nine decimals of the product, pandas' Decimal all eleven: a billionth of a yuan.
    in_pandas = pd.read_parquet(out / "persons.parquet").pipe(lambda d: (d["income_tax[baseline]"] * d["weight"]).sum())
    assert abs(total - in_pandas) < Decimal("1e-8")
    assert close(total, budget_yuan(report, "Individual income tax", "baseline"))


def test_duckdb_queries_the_file_and_gets_the_same_exact_totals(run):
    out, report, _ = run
    path = out / "persons.parquet"
    [(total, kind)] = duckdb.sql(
        f"""SELECT sum("income_tax[baseline]" * weight), typeof(sum("income_tax[baseline]" * weight))
            FROM '{path}'"""
    ).fetchall()
    assert kind.startswith("DECIMAL")
    assert close(total, budget_yuan(report, "Individual income tax", "baseline"))
    by_activity = duckdb.sql(
        f"""SELECT activity, sum(weight) AS persons FROM '{path}' GROUP BY activity ORDER BY persons DESC"""
    ).fetchall()
    assert {"employee", "pensioner", "child", "unemployed"} <= {a for a, _ in by_activity}


def test_the_long_layout_gives_the_same_totals_by_scenario_in_every_tool(run):
    out, report, _ = run
    path = out / "persons-long.parquet"
    wide = pd.read_parquet(out / "persons.parquet")
    long = pd.read_parquet(path)
    assert len(long) == 2 * len(wide)
    assert sorted(long["scenario"].unique()) == sorted(SCENARIOS)
    pandas_sums = (long.assign(t=long["income_tax"] * long["weight"]).groupby("scenario")["t"].sum())
    polars_sums = dict(pl.read_parquet(path).group_by("scenario").agg(
        (pl.col("income_tax") * pl.col("weight")).sum()).iter_rows())
    duck_sums = dict(duckdb.sql(
        f"SELECT scenario, sum(income_tax * weight) FROM '{path}' GROUP BY scenario").fetchall())
    for s in SCENARIOS:
        expected = (wide[f"income_tax[{s}]"] * wide["weight"]).sum()
        assert pandas_sums[s] == expected and duck_sums[s] == expected, s
        assert abs(polars_sums[s] - expected) < Decimal("1e-8"), s


def test_households_add_up_from_their_persons_exactly(run):
    out, _, _ = run
    persons = pd.read_parquet(out / "persons.parquet")
    households = pd.read_parquet(out / "households.parquet").set_index("household")
    assert households.index.is_unique, "households are numbered across the batches"
    for s in SCENARIOS:
        summed = persons.groupby("household")[f"disposable_income[{s}]"].sum()
        parts = summed + households["shared_income"] + households[f"dibao[{s}]"]
        assert (parts == households[f"disposable_income[{s}]"]).all(), s


def test_workers_outside_wages_have_their_earnings_as_market_income(run):
    out, _, _ = run
    persons = pd.read_parquet(out / "persons.parquet")
    for activity in ["flexible", "informal"]:
        workers = persons[persons["activity"] == activity]
        assert len(workers) > 0, activity
        assert (workers["market_income[baseline]"] > 0).all(), activity
    flexible = persons[persons["activity"] == "flexible"]
    # Their contributions (on 60% of the average wage) are paid from what they earn.
    assert (flexible["contributions[baseline]"] > 0).all()
    assert (flexible["disposable_income[baseline]"] > 0).mean() > 0.9


def test_the_schema_says_what_each_column_holds(run):
    out, _, _ = run
    schema = pq.read_schema(out / "persons.parquet")
    about = json.loads(schema.metadata[b"minsheng"])
    assert about["table"] == "persons" and about["year"] == 2023 and about["scenarios"] == SCENARIOS
    assert about["shape"] == "wide" and about["numbers"] == "exact"
    tax = schema.field("income_tax[no-2023-deduction-rise]").metadata
    assert tax[b"unit"] == b"yuan" and tax[b"scenario"] == b"no-2023-deduction-rise" and tax[b"period"] == b"2023"
    assert tax[b"label_zh"].decode() == "个人所得税" and tax[b"label_en"] == b"Income tax"
    assert schema.field("weight").metadata[b"unit"] == b"persons"


def test_float_output_is_float64_for_plotting_and_agrees(run):
    out, report, listing = run
    df = pd.read_parquet(out / "persons-float.parquet")
    assert df["income_tax[baseline]"].dtype == "float64" and df["weight"].dtype == "float64"
    total = (df["income_tax[baseline]"] * df["weight"]).sum()
    assert close(total, budget_yuan(report, "Individual income tax", "baseline"), rel=1e-6)
    assert "Parquet, float64" in listing and "persons-float.parquet" in listing, listing
