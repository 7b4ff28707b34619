"""Shared fixtures: the source tree, the CLI binary (for comparisons) and running it."""
import json
import os
import pathlib
import subprocess

import pytest

SOURCE = pathlib.Path(os.environ.get("PARLEY_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
BINARY = os.environ.get("PARLEY_BINARY", str(SOURCE / "build" / "cli" / "parley"))


def run_cli(*args, check=True):
    """Runs the parley binary; returns (exit code, stdout, stderr)."""
    p = subprocess.run([BINARY, *map(str, args)], capture_output=True, text=True, cwd=SOURCE)
    if check and p.returncode != 0:
        raise AssertionError(f"parley {' '.join(map(str, args))} exited {p.returncode}: {p.stderr}")
    return p.returncode, p.stdout, p.stderr


def cli_json(*args):
    return json.loads(run_cli(*args)[1])


@pytest.fixture
def source():
    return SOURCE


# Rounds of matching pennies in which B never sees A's moves (but remembers her own): B's
# information sets make the tracer follow the branch (a game of perfect information would be
# solved by one backward sweep per lambda). T = 8: 131,071 nodes, about 4 s to lambda = 1000.
HIDDEN_ROUNDS = """\
title: Rounds of matching pennies, B blind to A
players: [A, B]
parameters:
  T: {value: 8, min: 1, max: 12, assumption: true}
stages:
  - repeat:
      for: k
      from: 1
      to: T
      stages:
        - name: a
          player: A
          actions: [heads, tails]
        - name: b
          player: B
          actions: [heads, tails]
          observe: [b]
          compute:
            score: if(a == b, k, -k)
payoffs:
  A: score
  B: -score
"""
