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
