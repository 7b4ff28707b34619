"""`show` and `merge` from Python: the module's answers are the command's."""
import io

import pandas as pd
import pytest

import parley
from conftest import SOURCE, run_cli

FILES = sorted(p.relative_to(SOURCE).as_posix()
               for folder in ("games", "scenarios") for p in (SOURCE / folder).glob("*.yaml"))
# The frozen first edition: its parameters (openai_value, carveout_cost over 0..10) are what
# these tests vary; the mechanics do not depend on which edition it is.
SCENARIO = "bench/data/openai_microsoft_v1.yaml"


@pytest.fixture(autouse=True)
def in_source(monkeypatch):
    # The command runs in the source folder and names a file without a title by the path it
    # was given: the module is given the same relative paths.
    monkeypatch.chdir(SOURCE)


@pytest.mark.parametrize("path", FILES)
def test_show_equals_cli(path):
    assert parley.load(path).show() == run_cli("show", path)[1]


def test_show_of_a_game_file_and_with_set(tmp_path):
    efg = tmp_path / "trust.efg"
    run_cli("convert", "games/trust_game.yaml", efg)
    assert parley.read_efg(efg).show() == run_cli("show", efg)[1]
    s = parley.load(SCENARIO, set={"openai_value": 400})
    assert s.show() == run_cli("show", SCENARIO, "--set", "openai_value=400")[1]


def read_csv(text):
    return pd.read_csv(io.StringIO(text), float_precision="round_trip")


def _shards(tmp_path, command, *args, n=3):
    files = []
    for k in range(1, n + 1):
        out = tmp_path / f"{command}{k}.json"
        run_cli(command, SCENARIO, *args, "--shard", f"{k}/{n}", "--format", "json", "-o", out)
        files.append(out)
    return files


def test_merge_sweep_equals_cli_and_the_whole_run(tmp_path):
    files = _shards(tmp_path, "sweep", "--vary", "carveout_cost=0:10:7")
    df = parley.merge(files)
    csv = read_csv(run_cli("merge", *files, "--format", "csv")[1])
    assert list(df.columns) == list(csv.columns)
    assert df["outcome"].astype(str).tolist() == csv["outcome"].tolist()
    pd.testing.assert_frame_equal(df.drop(columns="outcome").astype(float),
                                  csv.drop(columns="outcome").astype(float), check_exact=True)
    whole = parley.load(SCENARIO).sweep(vary={"carveout_cost": (0, 10, 7)})
    pd.testing.assert_frame_equal(df, whole, check_exact=True, check_categorical=False)


def test_merge_montecarlo_equals_cli_and_the_whole_run(tmp_path):
    files = _shards(tmp_path, "montecarlo", "--samples", "30", "--seed", "3")
    mc = parley.merge(files)
    csv = read_csv(run_cli("merge", *files, "--format", "csv")[1])
    assert list(mc.samples.columns) == list(csv.columns)
    assert mc.samples["outcome"].astype(str).tolist() == csv["outcome"].tolist()
    whole = parley.load(SCENARIO).montecarlo(samples=30, seed=3)
    assert mc.summary == whole.summary
    pd.testing.assert_frame_equal(mc.samples.drop(columns="outcome"),
                                  whole.samples.drop(columns="outcome"), check_exact=True)


def test_merge_refuses_what_is_not_a_shard(tmp_path):
    bad = tmp_path / "x.json"
    bad.write_text('{"kind": "nothing"}')
    code, _, err = run_cli("merge", bad, check=False)
    assert code == 1
    with pytest.raises(parley.InputError) as info:
        parley.merge([bad])
    assert str(info.value) == err.strip()[len("error: "):]
    with pytest.raises(ValueError):
        parley.merge([])


def test_a_points_remark_is_not_its_outcomes_category(tmp_path):
    # "(KKT point)" or "(best found)" says how one point's agreement was found; the category
    # is the outcome, which other points share without it. The categories once kept the
    # first point's words, so every row of the outcome carried that point's remark.
    import json
    _, out, _ = run_cli("sweep", "games/holdup_nash.yaml", "--vary", "power=0.1:0.9:3", "--format", "json")
    doc = json.loads(out)
    doc["points"][1]["outcome"] += " (KKT point)"  # as if the middle point's bargain were a KKT point
    path = tmp_path / "remark.json"
    path.write_text(json.dumps(doc))
    frame = parley.merge(path)
    assert list(frame["outcome"].cat.categories) == [
        "Supplier low_investment | trade: price in between",
        "Supplier high_investment | trade: price in between"]
    # The command's CSV keeps the remark on that row alone.
    _, csv, _ = run_cli("merge", path, "--format", "csv")
    rows = csv.strip().splitlines()[1:]
    assert [row.endswith("(KKT point)") for row in rows] == [False, True, False]
