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
    return pd.read_csv(io.StringIO(out), dtype={"thresholds": str, "outcome_changes": str}).fillna(
        {"thresholds": "", "outcome_changes": ""})


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
