"""A million-row Monte Carlo result lands in a DataFrame quickly: the extension hands over
column arrays (no Python object per row) and pandas wraps them."""
import time

import numpy as np
import pytest

import parley

# One decision whose best action switches at x = 1/2: with x ~ uniform(0, 1) the chooser
# takes `risky` (worth x) exactly when x > 1/2 (`safe` is worth 1/2), so each outcome has
# probability 1/2 and the chooser's payoff is max(x, 1/2), whose mean is
# 1/2 * 1/2 + 1/2 * 3/4 = 5/8. (A scenario has two or more players: the bystander gets 0.)
SCENARIO = """\
title: Switch at one half
players: [Chooser, Bystander]
parameters:
  x:
    value: 0.3
    min: 0
    max: 1
    assumption: true
    distribution: {type: uniform, low: 0, high: 1}
stages:
  - name: pick
    player: Chooser
    actions: [safe, risky]
payoffs:
  Chooser: if(pick == risky, x, 0.5)
  Bystander: 0
"""

N = 1_000_000


@pytest.fixture(scope="module")
def switch(tmp_path_factory):
    path = tmp_path_factory.mktemp("million") / "switch.yaml"
    path.write_text(SCENARIO)
    return parley.load(path)


def test_million_samples_dataframe(switch):
    raw = switch._analysis().montecarlo(N, 7, 0)  # what Scenario.montecarlo converts
    start = time.perf_counter()
    mc = parley.MonteCarlo(raw)
    seconds = time.perf_counter() - start
    df = mc.samples
    assert len(df) == N
    assert list(df.columns) == ["sample", "Chooser", "Bystander", "x", "outcome"]
    # Each row's payoff is max(x, 1/2) at its own drawn x.
    assert (df["Chooser"] == np.maximum(df["x"], 0.5)).all()
    assert df["sample"].iloc[-1] == N - 1
    assert df["outcome"].dtype == "category" and len(df["outcome"].cat.categories) == 2
    # The known answers, within sampling error (sd of the mean about 0.125 / 1000).
    assert df["Chooser"].mean() == pytest.approx(5 / 8, abs=1e-3)
    assert (df["Chooser"] >= 0.5).all()
    p = mc.outcomes["probability"].to_numpy()
    assert p == pytest.approx([0.5, 0.5], abs=3e-3)
    # Summary and table agree.
    assert mc.values.loc["Chooser", "mean"] == pytest.approx(df["Chooser"].mean(), rel=1e-12)
    # The table itself: well under a second for a million rows (a row at a time would take
    # several seconds).
    assert seconds < 0.5, f"{seconds:.3f} s for the DataFrame"
    print(f"\n{N} rows into a DataFrame: {seconds * 1000:.1f} ms")


def test_columns_are_numpy(switch):
    raw = switch._analysis().montecarlo(1000, 7, 0)
    assert all(isinstance(c, np.ndarray) for c in raw["columns"])
    assert raw["columns"][1].dtype == np.float64
