"""Scenario.tornado equals `parley tornado` (the module wraps the same library call)."""
import io
import json

import pandas as pd
import pytest

import parley
from conftest import SOURCE, run_cli

SCENARIO = "scenarios/platform_regulator.yaml"


def cli_csv(*args):
    code, out, err = run_cli("tornado", SCENARIO, "--format", "csv", *args)
    assert code == 0, err
    df = pd.read_csv(io.StringIO(out), dtype={"thresholds": str}).fillna({"thresholds": ""})
    assert df["outcome_changes"].dtype == bool  # pandas reads the CSV's true/false so
    return df


def test_tornado_equals_the_cli():
    s = parley.load(SOURCE / SCENARIO)
    df = s.tornado(grid=0)
    pd.testing.assert_frame_equal(df, cli_csv("--grid", "0"), check_dtype=False)
    code, out, _ = run_cli("tornado", SCENARIO, "--format", "json", "--grid", "0")
    assert df.attrs["json"] == json.loads(out)


def test_tornado_of_one_value_with_thresholds():
    s = parley.load(SOURCE / SCENARIO)
    column = s.value_names[0]
    df = s.tornado(values=column, grid=5)
    pd.testing.assert_frame_equal(df, cli_csv("--value", column, "--grid", "5"), check_dtype=False)
    assert list(df["rank"]) == list(range(1, len(df) + 1))
    assert (df["swing"].dropna().diff().dropna() <= 0).all()  # widest first


def test_tornado_bad_arguments():
    s = parley.load(SOURCE / SCENARIO)
    with pytest.raises(ValueError):
        s.tornado(grid=1.5)
    with pytest.raises(Exception, match="grid"):
        s.tornado(grid=1)
    with pytest.raises(Exception):
        s.tornado(values=["no_such_column"])


def test_names_that_pandas_would_read_as_missing_or_numbers_stay_names(tmp_path):
    # A player "NA" (North America) and parameters "nan" and "1x" read back as written; pandas'
    # defaults made them NaN.
    path = tmp_path / "na.yaml"
    path.write_text("""players: [NA, EU]
parameters:
  nan: {value: 1, min: 0, max: 2}
  k: {value: 1, min: 0, max: 3}
stages:
  - name: x
    player: NA
    actions: [a, b]
payoffs:
  NA: if(x == a, 2 * nan + k, 1)
  EU: k
""")
    df = parley.load(path).tornado(grid=0)
    assert set(df["value"]) == {"NA", "EU"}
    assert set(df["parameter"]) == {"nan", "k"}


def test_columns_named_like_the_tables_own(tmp_path):
    # A parameter `index` and a player `outcome`: each keeps a column of its own.
    path = tmp_path / "clash.yaml"
    path.write_text("""players: [outcome, B]
parameters:
  index: {value: 4, min: 0, max: 10, distribution: {type: uniform, low: 0, high: 10}}
stages:
  - name: x
    player: outcome
    actions: [a, b]
payoffs:
  outcome: if(x == a, index, 1)
  B: 1
""")
    s = parley.load(path)
    df = s.sweep({"index": (4, 10, 3)})
    assert list(df.columns) == ["index", "index (parameter)", "outcome (value)", "B", "outcome"]
    assert list(df["index"]) == [0, 1, 2]
    assert list(df["outcome (value)"]) == [4, 7, 10]
    mc = s.montecarlo(samples=5, seed=1).samples
    assert list(mc.columns) == ["sample", "outcome (value)", "B", "index", "outcome"]
    # The drawn parameter is the column of the sample's own value: `outcome` plays a where
    # index >= 1 (at 1, a tie, the first action), so its payoff is max(index, 1).
    assert (mc["outcome (value)"] == mc["index"].where(mc["index"] >= 1, 1)).all()


def test_tornado_numbers_are_the_json_doubles():
    # The CSV's shortest decimals read back as the same doubles: pandas' default parser read
    # 222.20000000000002 (regulator_acts' value_high) as 222.2.
    s = parley.load(SOURCE / SCENARIO)
    df = s.tornado(grid=0)
    bars = {b["parameter"]: b for b in df.attrs["json"]["charts"][0]["bars"]}
    rows = df[df["value"] == df.attrs["json"]["charts"][0]["value"]]
    assert len(rows) == len(bars)
    for _, row in rows.iterrows():
        bar = bars[row["parameter"]]
        assert row["value_high"] == bar["value_high"]
        assert row["value_low"] == bar["value_low"]
        assert row["swing"] == bar["swing"]


def test_outcome_changes_is_a_bool_column():
    # It was the strings "true"/"false", and bool("false") is True: every parameter looked as
    # if it changed the outcome. In holdup_nash, the cost of low investment changes nothing
    # over its range (low investment is never chosen), the bargaining power does (at 1/3).
    df = parley.load(SOURCE / "games/holdup_nash.yaml").tornado(grid=5)
    assert df["outcome_changes"].dtype == bool
    by_name = dict(zip(df["parameter"], df["outcome_changes"]))
    assert by_name["power"]
    assert not by_name["cost_low"]
    doc = {p["name"]: p["outcome_changes"] for p in df.attrs["json"]["parameters"]}
    assert all(bool(by_name[name]) == changes for name, changes in doc.items() if name in by_name)
