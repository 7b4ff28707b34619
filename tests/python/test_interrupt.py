"""Long runs release the GIL (other Python threads go on) and Ctrl-C stops them within a
second: between Monte Carlo samples, and inside one computation (the scenario expansion,
backward induction, the logit tracer), whose loops poll the flag the module raises."""
import os
import signal
import threading
import time

import pytest

import parley
from conftest import HIDDEN_ROUNDS, SOURCE

# Binary choices repeated `T` times, no early end: 2^(T+1) - 1 nodes. At T = 26 the tree
# has 134 million nodes, far more than anyone waits for; the tests stop it early.
BIG_TREE = """\
title: A deep binary tree
players: [A, B]
parameters:
  T: {value: 26, min: 1, max: 40, assumption: true}
stages:
  - repeat:
      for: k
      from: 1
      to: T
      stages:
        - name: move
          player: [A, B]
          actions: [left, right]
          compute:
            score: if(move == left, k, -k)
payoffs:
  A: score
  B: -score
"""


def _interrupt(call, after=0.3):
    """Runs call() with SIGINT sent after `after` seconds; returns the seconds from the
    signal to the KeyboardInterrupt."""
    sent = []

    def send():
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(after, send)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            call()
    finally:
        timer.cancel()
    assert sent, "the call ended before the signal: make it longer"
    return time.perf_counter() - sent[0]


def test_ctrl_c_stops_montecarlo_and_gil_is_released():
    s = parley.load(SOURCE / "bench/data/openai_microsoft_v1.yaml")
    s.montecarlo(samples=10, seed=1)  # compile first, so the run below is all sampling
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    counter = threading.Thread(target=count)
    counter.start()
    try:
        waited = _interrupt(lambda: s.montecarlo(samples=200_000, seed=1), after=0.5)
    finally:
        stop.set()
        counter.join()
    assert waited < 1, f"took {waited:.2f} s to stop"
    assert len(ticks) >= 10  # the other thread ran while the samples were drawn
    # The scenario is still usable afterwards.
    assert len(s.montecarlo(samples=20, seed=2)) == 20


def test_ctrl_c_stops_the_scenario_expansion(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(BIG_TREE)
    waited = _interrupt(lambda: parley.load(path, max_nodes=300_000_000))
    assert waited < 1, f"took {waited:.2f} s to stop"


def test_ctrl_c_stops_backward_induction(tmp_path):
    # A tree of 32767 nodes solved for all pure equilibria: every node ties
    # (zero-sum, payoffs that only the last mover sees differ), so the lists of partial
    # equilibria grow until their budget; the signal comes while they do.
    path = tmp_path / "big.yaml"
    path.write_text(BIG_TREE)
    g = parley.load(path, set={"T": 14})
    waited = _interrupt(lambda: g.solve(all=True, max=10**9), after=0.2)
    assert waited < 1, f"took {waited:.2f} s to stop"
    assert g.solve().payoffs is not None  # the game is still usable


def test_ctrl_c_stops_the_logit_tracer(tmp_path):
    path = tmp_path / "hidden.yaml"
    path.write_text(HIDDEN_ROUNDS)
    g = parley.load(path)
    waited = _interrupt(lambda: g.qre(1000), after=0.3)
    assert waited < 1, f"took {waited:.2f} s to stop"


def test_ctrl_c_stops_a_report_with_a_sweep(tmp_path):
    # The report's sweep runs on worker threads, which did not see the flag: Ctrl-C waited
    # for the whole sweep and its thresholds (31 s here: about 5 ms a point on 2 cores).
    s = parley.load(SOURCE / "scenarios/openai_microsoft.yaml")
    out = tmp_path / "r.html"
    waited = _interrupt(lambda: s.report(out, vary={"share_now": (0.05, 0.5, 10001)}), after=1.0)
    assert waited < 1, f"took {waited:.2f} s to stop"
    assert not out.exists()  # nothing half-written
    assert list(tmp_path.iterdir()) == []


def test_interpreter_exit_with_a_daemon_thread_inside_parley_is_clean():
    # A daemon thread inside a long call when the main thread ends: it once took the GIL back
    # every 50 ms to look for Ctrl-C, was ended there by the interpreter's shutdown with its
    # worker still running, and the process aborted (exit 134).
    # Ending early (0.02 to 0.1 s) met the call's preparation, whose own wait for the work
    # took the GIL back in a destructor, where the shutdown's ending of the thread aborted.
    import subprocess
    import sys
    for wait in (0.02, 0.05, 0.1, 0.5):
        script = (
            "import threading, time, parley\n"
            f"s = parley.load({str(SOURCE / 'scenarios/openai_microsoft.yaml')!r})\n"
            "threading.Thread(target=lambda: s.montecarlo(200000, threads=2), daemon=True).start()\n"
            f"time.sleep({wait})\n"
        )
        done = subprocess.run([sys.executable, "-c", script], env=dict(os.environ), timeout=120,
                              capture_output=True, text=True)
        assert done.returncode == 0, f"after {wait} s: {done.stderr}"
