"""Long runs release the GIL (other Python threads go on) and Ctrl-C stops them."""
import os
import signal
import threading
import time

import pytest

import parley
from conftest import SOURCE


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
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt):
            s.montecarlo(samples=5_000_000, seed=1)
    finally:
        stop.set()
        counter.join()
        timer.cancel()
    elapsed = time.perf_counter() - start
    assert elapsed < 10, f"took {elapsed:.1f} s to stop"
    assert len(ticks) >= 10  # the other thread ran while the samples were drawn
    # The scenario is still usable afterwards.
    assert len(s.montecarlo(samples=20, seed=2)) == 20
