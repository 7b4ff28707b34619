"""The module's answers are the command's: every game and scenario file solved through the
module gives the same JSON document as `parley solve --format json` (and with --all), and
the analysis tables have the CSV's columns and numbers."""
import io

import pandas as pd
import pytest

import parley
from conftest import SOURCE, cli_json, run_cli


def read_csv(text):
    # The CSV holds the shortest decimal that reads back as the same double; pandas' default
    # parser is not exact, so ask for the exact one.
    return pd.read_csv(io.StringIO(text), float_precision="round_trip")

FILES = sorted(p.relative_to(SOURCE).as_posix()
               for folder in ("games", "scenarios") for p in (SOURCE / folder).glob("*.yaml"))


def test_there_are_files():
    assert len(FILES) >= 10


@pytest.mark.parametrize("path", FILES)
def test_solve_equals_cli_json(path):
    g = parley.load(SOURCE / path)
    assert g.solve().json == cli_json("solve", path, "--format", "json")


@pytest.mark.parametrize("path", FILES)
def test_solve_all_equals_cli_json(path):
    g = parley.load(SOURCE / path)
    assert g.solve(all=True).json == cli_json("solve", path, "--all", "--format", "json")


def test_set_overrides_like_the_cli():
    s = parley.load(SOURCE / "bench/data/openai_microsoft_v1.yaml", set={"openai_value": 400})
    assert s.parameters["openai_value"] == 400
    assert s.solve().json == cli_json("solve", "bench/data/openai_microsoft_v1.yaml", "--set",
                                      "openai_value=400", "--format", "json")


def test_conversions_equal_cli(tmp_path):
    g = parley.load(SOURCE / "games/entry_deterrence.yaml")
    for ext in ("efg", "nfg", "json"):
        out = tmp_path / f"g.{ext}"
        run_cli("convert", "games/entry_deterrence.yaml", out)
        text = {"efg": g.to_efg, "nfg": g.to_nfg, "json": g.to_json}[ext]()
        assert text == out.read_text()


def test_an_nfg_written_as_nfg_is_the_table_as_read_like_the_cli(tmp_path):
    # An outcome list and a comment, as Gambit writes them: to_nfg dropped both (and said the
    # table was the reduced form of an extensive game); convert IN.nfg OUT.nfg keeps them.
    nfg = tmp_path / "pd.nfg"
    nfg.write_text('NFG 1 R "Prisoners" { "Row" "Col" } { { "C" "D" } { "C" "D" } }\n'
                   '"an outcome list"\n\n'
                   '{ { "both cooperate" 3, 3 } { "sucker" 0, 5 } { "temptation" 5, 0 } '
                   '{ "both defect" 1, 1 } }\n1 3 2 4\n')
    out = tmp_path / "copy.nfg"
    run_cli("convert", nfg, out)
    text = parley.read_nfg(nfg).to_nfg()
    assert text == out.read_text()
    assert "an outcome list" in text and "both defect" in text


def test_read_efg_solves_like_cli(tmp_path):
    efg = tmp_path / "trust.efg"
    run_cli("convert", "games/trust_game.yaml", efg)
    g = parley.read_efg(efg)
    assert g.solve(all=True).json == cli_json("solve", efg, "--all", "--format", "json")


def test_sweep_equals_cli_csv():
    path = "bench/data/openai_microsoft_v1.yaml"
    s = parley.load(SOURCE / path)
    df = s.sweep(vary={"carveout_cost": (0, 10, 6)})
    csv = read_csv(run_cli("sweep", path, "--vary", "carveout_cost=0:10:6",
                                          "--format", "csv")[1])
    assert list(df.columns) == list(csv.columns)
    assert df["outcome"].astype(str).tolist() == csv["outcome"].tolist()
    pd.testing.assert_frame_equal(df.drop(columns="outcome").astype(float),
                                  csv.drop(columns="outcome").astype(float), check_exact=True)


def test_thresholds_equal_cli_csv():
    path = "bench/data/openai_microsoft_v1.yaml"
    s = parley.load(SOURCE / path)
    df = s.thresholds("carveout_cost", 0, 10)
    csv = read_csv(run_cli("thresholds", path, "--vary", "carveout_cost=0:10",
                                          "--format", "csv")[1])
    assert list(df.columns) == list(csv.columns)
    pd.testing.assert_frame_equal(df, csv, check_exact=True, check_dtype=False)


def test_montecarlo_equals_cli():
    path = "scenarios/platform_regulator.yaml"
    s = parley.load(SOURCE / path)
    mc = s.montecarlo(samples=500, seed=3)
    doc = cli_json("montecarlo", path, "--samples", "500", "--seed", "3", "--format", "json")
    # The summary is the command's JSON without the samples.
    assert mc.summary == {k: v for k, v in doc.items() if k != "samples"}
    csv = read_csv(run_cli("montecarlo", path, "--samples", "500", "--seed", "3",
                                          "--format", "csv")[1])
    assert list(mc.samples.columns) == list(csv.columns)
    assert mc.samples["outcome"].astype(str).tolist() == csv["outcome"].tolist()
    pd.testing.assert_frame_equal(mc.samples.drop(columns="outcome").astype(float),
                                  csv.drop(columns="outcome").astype(float), check_exact=True)
    # Same seed, same result, whatever the threads.
    one = s.montecarlo(samples=500, seed=3, threads=1)
    pd.testing.assert_frame_equal(one.samples, mc.samples)
    assert mc.outcomes["probability"].sum() == pytest.approx(1.0)
    # One sample has no sd (null in the JSON): NaN in a float column, not an object column.
    single = s.montecarlo(samples=1, seed=3).values
    assert single["sd"].dtype == float and single["sd"].isna().all()
    assert all(single[c].dtype == float for c in single.columns if c != "count")


@pytest.mark.parametrize("kwargs,args", [
    (dict(outcomes=[(4, 1), (1, 3)], disagreement=(1, 0), weights=(2, 1)),
     ["--outcomes", "4,1;1,3", "--disagreement", "1,0", "--weights", "2,1"]),
    (dict(issues={"x": (0, 1)}, utilities=["sqrt(x)", "1-x"]),
     ["--issue", "x=0:1", "--utility", "sqrt(x)", "--utility", "1-x"]),
    (dict(surplus=10, players=3), ["--surplus", "10", "--players", "3"]),
])
def test_bargain_equals_cli_json(kwargs, args):
    assert parley.bargain(**kwargs).json == cli_json("bargain", *args, "--format", "json")


def test_threats_and_alternating_equal_cli_json():
    r = parley.threat_game([[5, 1], [2, 4]], [[1, 2], [3, 1]])
    assert r.json == cli_json("bargain", "--threats-row", "5,1;2,4", "--threats-col", "1,2;3,1",
                              "--format", "json")
    a = parley.alternating_offers((0.9, 0.8), first=2, rounds=5)
    assert a.json == cli_json("bargain", "--alternating", "--discount", "0.9,0.8", "--first", "2",
                              "--rounds", "5", "--format", "json")


@pytest.mark.parametrize("ext", ["svg", "dot"])
def test_draw_equals_cli(tmp_path, ext):
    out = tmp_path / f"tree.{ext}"
    run_cli("draw", "games/entry_deterrence.yaml", "-o", out)
    g = parley.load(SOURCE / "games/entry_deterrence.yaml")
    assert g.draw(tmp_path / f"mine.{ext}") == out.read_text()
    assert (tmp_path / f"mine.{ext}").read_text() == out.read_text()


def test_shards_put_together_are_the_whole_run():
    # Each sample draws from its own stream, so slices k of 3 hold exactly the whole run's
    # rows (sample i in slice i mod 3).
    s = parley.load(SOURCE / "scenarios/platform_regulator.yaml")
    whole = s.montecarlo(samples=300, seed=5).samples
    parts = pd.concat([s.montecarlo(samples=300, seed=5, shard=(k, 3)).samples for k in (1, 2, 3)])
    parts = parts.sort_values("sample").reset_index(drop=True)
    pd.testing.assert_frame_equal(parts.drop(columns="outcome"), whole.drop(columns="outcome"))
    assert parts["outcome"].astype(str).tolist() == whole["outcome"].astype(str).tolist()
    sweep = s.sweep(vary={"regulated_rate": (0, 0.3, 7)}, shard=(2, 2))
    assert sweep["index"].tolist() == [1, 3, 5]
    with pytest.raises(ValueError):
        s.montecarlo(samples=10, shard=(3, 2))


def test_montecarlo_holds_what_set_gives_like_the_cli():
    # `set` is the command's --set: Monte Carlo holds that parameter at its value instead of
    # drawing it (it once drew it all the same, giving the run without --set).
    path = "scenarios/platform_regulator.yaml"
    held = parley.load(SOURCE / path, set={"regulator_acts": 0.2})
    assert "regulator_acts" not in held.uncertain
    with pytest.raises(ValueError, match="once `set` holds regulator_acts"):
        held.montecarlo(samples=10, seed=1)
    path = "scenarios/openai_microsoft.yaml"
    s = parley.load(SOURCE / path, set={"regulator_acts": 0.2})
    assert "regulator_acts" not in s.uncertain
    mc = s.montecarlo(samples=200, seed=1)
    doc = cli_json("montecarlo", path, "--set", "regulator_acts=0.2", "--samples", "200", "--seed", "1",
                   "--format", "json")
    assert mc.summary == {k: v for k, v in doc.items() if k != "samples"}


def test_a_file_changed_since_it_was_loaded_is_not_read_again(tmp_path, monkeypatch):
    # Analyses and reports read the file again by its name: one edited since parley.load (or a
    # relative name seen from another working directory) would describe another scenario.
    text = (SOURCE / "games/holdup_nash.yaml").read_text()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "g.yaml").write_text(text)
    (tmp_path / "b" / "g.yaml").write_text(text.replace("Supplier", "Maker"))
    monkeypatch.chdir(tmp_path / "a")
    s = parley.load("g.yaml")
    monkeypatch.chdir(tmp_path / "b")
    # The same file by its absolute name, though the working directory moved.
    assert list(s.sweep({"power": (0.2, 0.4, 2)}).columns)[2] == "Supplier"
    t = parley.load("g.yaml")
    (tmp_path / "b" / "g.yaml").write_text(text.replace("Supplier", "Seller"))
    with pytest.raises(parley.InputError, match="changed .* since it was loaded"):
        t.sweep({"power": (0.2, 0.4, 2)})


def test_montecarlo_sample_solves_again_at_its_drawn_parameters():
    # Each sample keeps the values drawn for it: loading the scenario with those values set
    # and solving gives the sample's payoffs, to the last bit.
    path = SOURCE / "scenarios/platform_regulator.yaml"
    s = parley.load(path)
    mc = s.montecarlo(samples=5, seed=11)
    drawn = mc.summary["drawn_names"]
    values = mc.summary["value_names"]
    assert drawn and list(mc.samples.columns) == ["sample"] + values + drawn + ["outcome"]
    for _, row in mc.samples.iterrows():
        again = parley.load(path, set={name: float(row[name]) for name in drawn}).solve()
        payoffs = again.equilibria[0].json["payoffs"]
        assert [row[n] for n in values[:len(payoffs)]] == payoffs
