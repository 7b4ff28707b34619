"""A walkthrough of the OpenAI-Microsoft scenario with the Python module (docs/python.md).

Run from the repository's root, with the module on the path:
    PYTHONPATH=build/python /usr/bin/python3 docs/examples/openai_microsoft.py
It solves the scenario, sweeps what a dollar of OpenAI equity is worth to Microsoft, finds
where the agreed stake leaves 20 % (exactly 1 / 1.3 without the control cost: see
docs/openai-microsoft.md), and runs a small Monte Carlo over the uncertain parameters; with matplotlib
installed it also draws the sweep and the histogram (into PARLEY_PLOTS, default a temporary
folder).
"""
import os
import tempfile

import numpy as np
import pandas as pd

import parley

pd.set_option("display.width", 120)
pd.set_option("display.max_colwidth", 60)

# 1. Load and solve. The scenario expands into a game tree; solve() finds its
#    subgame-perfect equilibrium and settles each bargaining step.
s = parley.load("scenarios/openai_microsoft.yaml")
print(s)
sol = s.solve()
print(sol)
step = sol.bargaining[0]
print("bargaining step:", step.stage, "- agreement:", step.agreement)
print("payoffs under the agreement:", step.payoffs)
print("equilibrium path:", " > ".join(sol.equilibria[0].path[0]["actions"]))

# The same with a different valuation of OpenAI (the command's --set).
rich = parley.load("scenarios/openai_microsoft.yaml", set={"gross_value": 400}).solve()
print("with gross_value = 400:", rich.bargaining[0].agreement)

# 2. Sweep what a dollar of OpenAI equity is worth to Microsoft (F8 puts it below 1): one
#    row per grid point, the CSV's columns. The stake is an option: 0 is 20 %, 1 is 25 %, ...
df = s.sweep(vary={"microsoft_equity_weight": (0.5, 1, 11)})
print(df[["microsoft_equity_weight", "deal.equity", "deal.revenue_share", "Microsoft"]].to_string(index=False))

# Where exactly does the stake leave 20 %? Without the control cost, where
# microsoft_equity_weight * (1 + cash_premium) = 1 (bisection to 1e-9).
linear = parley.load("scenarios/openai_microsoft.yaml", set={"control_cost": 0})
t = linear.thresholds("microsoft_equity_weight", 0.7, 0.8, grid=11)
print(t[["parameter", "value"]].to_string(index=False))
assert abs(t["value"].iloc[0] - 1 / 1.3) < 1e-8

# 3. Monte Carlo over the parameters with a distribution (200 draws here, a few seconds;
#    the docs use 2,000).
mc = s.montecarlo(samples=200, seed=1)
print(mc)
print(mc.outcomes[["probability", "ci_low", "ci_high", "outcome"]].to_string(index=False))
print(mc.values[["count", "mean", "q05", "median", "q95"]])
# Histogram data of Microsoft's payoff: counts per bin.
counts, edges = np.histogram(mc.samples["Microsoft"].dropna(), bins=10)
print(pd.DataFrame({"from": edges[:-1], "to": edges[1:], "samples": counts}).to_string(index=False))
assert counts.sum() == mc.values.loc["Microsoft", "count"]

# 4. Pictures, when matplotlib is there (it is not needed for anything above).
try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: no pictures (the tables above hold the same data)")
else:
    out = os.environ.get("PARLEY_PLOTS") or tempfile.mkdtemp()
    ax = df.plot(x="microsoft_equity_weight", y=["OpenAI", "Microsoft"], marker="o")
    ax.set_ylabel(s.title)
    plt.savefig(os.path.join(out, "sweep.png"))
    mc.samples["Microsoft"].plot.hist(bins=40)
    plt.savefig(os.path.join(out, "montecarlo.png"))
    print("pictures in", out)
