"""Errors are Python exceptions: parley.InputError with the file, line and column the
command prints, ValueError for bad arguments, never a crash."""
import re

import pytest

import parley
from conftest import SOURCE, cli_json, run_cli

BAD = sorted((SOURCE / "tests/data/scenario").glob("*.yaml"))


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_input_error_has_the_cli_location(path):
    code, _, err = run_cli("solve", path, check=False)
    assert code == 1
    m = re.match(r"error: (.+?):(\d+):(\d+): ", err)
    assert m, err
    with pytest.raises(parley.InputError) as info:
        parley.load(path)
    e = info.value
    assert (e.file, e.line, e.column) == (m.group(1), int(m.group(2)), int(m.group(3)))
    assert str(e) == err.strip()[len("error: "):]
    assert isinstance(e, ValueError) and isinstance(e, parley.Error)


def test_efg_parse_error_located(tmp_path):
    bad = tmp_path / "bad.efg"
    bad.write_text('EFG 2 R "x" { "A" }\np "" 1 1 "" { "L" } 0\n')
    with pytest.raises(parley.InputError) as info:
        parley.read_efg(bad)
    assert info.value.file == str(bad)
    assert info.value.line is not None and info.value.column is not None


THREE_COIN = """EFG 2 R "Coin" { "A" "B" "C" }
""
p "" 1 1 "start" { "in" "out" } 0
  c "" 1 "coin" { "heads" 1/2 "tails" 1/2 } 0
p "" 2 1 "guess" { "x" "y" } 0
p "" 3 1 "echo" { "l" "r" } 0
t "" 1 "" { 1 2 0 }
t "" 2 "" { 0 2 1 }
p "" 1 2 "again" { "u" "d" } 0
t "" 3 "" { 0 0 0 }
t "" 4 "" { 1 0 0 }
p "" 2 1 0
p "" 1 2 0
t "" 5 "" { 0 0 0 }
t "" 6 "" { 0 1 0 }
p "" 3 1 0
t "" 7 "" { 1 2 0 }
t "" 8 "" { 0 0 2 }
t "" 9 "" { 1 1 1 }
"""


def test_refused_subgame_is_located_as_the_cli_locates_it(tmp_path):
    # Three players, all moving without seeing a coin: --exact refuses the subgame at node 1,
    # whose record is indented on line 4; the module says what the command says.
    path = tmp_path / "three_coin.efg"
    path.write_text(THREE_COIN)
    code, _, err = run_cli("solve", path, "--exact", check=False)
    assert code == 1
    with pytest.raises(parley.UnsupportedError) as info:
        parley.load(path).solve(exact=True)
    e = info.value
    assert (e.file, e.line, e.column, e.node) == (str(path), 4, 3, 1)
    assert str(e) == err.strip()[len("error: "):]
    assert e.message.startswith("the subgame at node 1 (after in) has imperfect information")


def test_missing_file_is_input_error(tmp_path):
    with pytest.raises(parley.InputError) as info:
        parley.load(tmp_path / "nowhere.yaml")
    assert info.value.file.endswith("nowhere.yaml")


def test_bad_arguments_are_value_errors():
    s = parley.load(SOURCE / "bench/data/openai_microsoft_v1.yaml")
    with pytest.raises(ValueError):
        s.sweep(vary={"no_such_parameter": (0, 1, 3)})
    with pytest.raises(ValueError):
        s.sweep(vary={"carveout_cost": (0, 10, 1)})
    with pytest.raises(ValueError):
        s.sweep(vary="carveout_cost")
    with pytest.raises(ValueError):
        s.montecarlo(samples=0)
    with pytest.raises(ValueError):
        s.solve(max=0)
    with pytest.raises(ValueError):
        s.solve(method="guess")
    with pytest.raises(ValueError):
        parley.load(SOURCE / "bench/data/openai_microsoft_v1.yaml", set={"openai_value": "lots"})
    with pytest.raises(ValueError):
        parley.bargain(outcomes=[(4, 1), (1,)])
    with pytest.raises(ValueError):
        parley.bargain()
    with pytest.raises(ValueError):
        parley.alternating_offers((1.5, 0.9))
    with pytest.raises(ValueError):
        parley.read_efg(SOURCE / "games/ultimatum.yaml")
    # Counts past what the library's sizes hold: ValueError naming the argument, not
    # pybind11's TypeError about argument types.
    huge = 10**30
    for call, name in [(lambda: s.montecarlo(samples=huge), "samples"),
                       (lambda: s.montecarlo(samples=10, threads=2**40), "threads"),
                       (lambda: s.thresholds("carveout_cost", 0, 10, grid=huge), "grid"),
                       (lambda: s.tornado(grid=huge), "grid"),
                       (lambda: s.solve(max=huge), "max"),
                       (lambda: parley.load(SOURCE / "games/ultimatum.yaml", max_nodes=huge), "max_nodes"),
                       (lambda: parley.load(SOURCE / "games/ultimatum.yaml").draw(max_nodes=huge), "max_nodes"),
                       (lambda: parley.bargain(outcomes=[(1, 2), (2, 1)], players=2**40), "players"),
                       (lambda: parley.alternating_offers((0.9, 0.9), rounds=2**40), "rounds")]:
        with pytest.raises(ValueError, match=f"^{name}: "):
            call()


def test_builder_ids_that_are_not_ids_are_value_errors_naming_the_argument():
    # A negative or fractional id was pybind11's TypeError listing the method's signature.
    b = parley.GameBuilder(["A", "B"])
    root = b.node(b.infoset("A", ["L", "R"]))
    for call, message in [(lambda: b.terminal(-1, payoffs=[1, 0]), "parent: expected a node id"),
                          (lambda: b.terminal(root, outcome=2.0), "outcome: expected an outcome id"),
                          (lambda: b.node(True, parent=root), "infoset: expected an information set id"),
                          (lambda: b.node(None, parent=root), "infoset: expected an information set id"),
                          (lambda: b.node(0, parent=2**32), "parent: expected a node id"),
                          # True was player 1, and 1.0 pybind11's RuntimeError.
                          (lambda: b.infoset(True, ["x"]), "player: expected a player's name or number"),
                          (lambda: b.infoset(1.0, ["x"]), "player: expected a player's name or number")]:
        with pytest.raises(ValueError, match=f"^{message}"):
            call()
    # NaN is no number at all, not one "beyond the range of a double".
    with pytest.raises(ValueError, match=r"^payoffs: expected a number, not nan$"):
        b.terminal(root, payoffs=[float("nan"), 0])
    with pytest.raises(ValueError, match=r"^payoffs: expected a finite number, not -inf$"):
        b.outcome([0, float("-inf")])
    # The builder is still usable after the refusals.
    b.terminal(root, payoffs=[1, 0])
    b.terminal(root, payoffs=[0, 1])
    assert b.build().solve().equilibria[0].payoffs == [1, 0]


def test_set_out_of_range_is_an_error():
    with pytest.raises(parley.Error):
        parley.load(SOURCE / "games/ultimatum.yaml", set={"cake": -5})


def test_a_set_value_of_400_digits_is_not_echoed_whole():
    with pytest.raises(parley.InputError) as info:
        parley.load(SOURCE / "games/ultimatum.yaml", set={"cake": 10**400})
    message = str(info.value)
    assert "is beyond the range of numbers Parley computes with" in message
    assert "... (401 bytes)" in message and len(message) < 400


def test_a_set_parameter_is_not_also_varied(tmp_path):
    # As the command refuses --set power=0.3 with --vary power=...: the grid would override the
    # set value without a word, and the result's parameters would still record it.
    s = parley.load(SOURCE / "games/holdup_nash.yaml", set={"power": 0.3})
    message = "set={'power': 0.3} and vary 'power': the run moves power over its range"
    for call in [lambda: s.sweep({"power": (0.1, 0.9, 3)}),
                 lambda: s.sweep({"high": (5, 9, 3), "power": (0.1, 0.9, 3)}),
                 lambda: s.thresholds("power", 0.1, 0.9),
                 lambda: s.report(tmp_path / "r.md", vary={"power": (0.1, 0.9, 3)})]:
        with pytest.raises(ValueError, match=re.escape(message)):
            call()
    assert not (tmp_path / "r.md").exists()
    # Another parameter varies as before, at the set value of power.
    df = s.sweep({"high": (5, 9, 3)})
    assert len(df) == 3


def test_bargain_utility_unbounded_on_its_range_is_refused_as_the_command_refuses_it():
    # 1/x on [0, 1] is infinite at x = 0: there is no bargaining solution. Every concept was
    # returned as "best found", player 1 getting up to 1.4e17 at x = 7e-18.
    code, out, err = run_cli("bargain", "--issue", "x=0:1", "--utility", "1/x", "--utility", "1-x", check=False)
    assert (code, out) == (1, "")
    with pytest.raises(ValueError) as info:
        parley.bargain(issues={"x": (0, 1)}, utilities=["1/x", "1-x"])
    assert str(info.value) == err.strip()[len("error: "):]
    assert str(info.value).startswith('the utility of player 1 "1/x" is not finite (it is inf) at x = 0; ')


def test_montecarlo_needs_a_distribution():
    with pytest.raises(ValueError, match="distribution"):
        parley.load(SOURCE / "games/ultimatum.yaml").montecarlo(samples=10)


def test_writers_refuse_the_input_and_read_only_files_and_write_atomically(tmp_path):
    # As `parley convert` does: the file the game was read from and a read-only file are
    # refused (to_nfg once replaced the .efg it came from with NFG text), and a write that
    # succeeds leaves nothing beside its target.
    source = tmp_path / "g.efg"
    source.write_text('EFG 2 R "g" { "A" "B" }\np "" 1 1 "" { "l" "r" } 0\n'
                      't "" 1 "" { 1, 0 }\nt "" 2 "" { 0, 1 }\n')
    original = source.read_text()
    g = parley.load(source)
    with pytest.raises(parley.Error, match="input"):
        g.to_efg(path=source)
    with pytest.raises(ValueError, match="names a .efg file"):
        g.to_nfg(path=source)
    assert source.read_text() == original
    locked = tmp_path / "locked.efg"
    locked.write_text("keep")
    locked.chmod(0o444)
    with pytest.raises(parley.Error, match="read-only"):
        g.to_efg(path=locked)
    assert locked.read_text() == "keep"
    g.to_json(path=tmp_path / "out.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.efg", "locked.efg", "out.json"]
    # A name of another game format is refused (to_efg("x.nfg") wrote EFG text into a file
    # every reader takes for a strategic form); other names are the caller's choice.
    with pytest.raises(ValueError, match=r"to_efg: '.*x\.nfg' names a \.nfg file, but this writes "
                                         r"\.efg; use to_nfg\(\) for \.nfg"):
        g.to_efg(path=tmp_path / "x.nfg")
    with pytest.raises(ValueError, match="use to_efg"):
        g.to_json(path=str(tmp_path / "x.EFG"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.efg", "locked.efg", "out.json"]
    g.to_efg(path=tmp_path / "game.txt")
    assert (tmp_path / "game.txt").read_text().startswith("EFG 2 R")


def test_numbers_of_other_types_are_numbers_and_fractions_of_counts_are_refused():
    # numpy scalars (np.arange's ints, float32) and Fractions are numbers; a whole number
    # argument given 2.9 or a flag given "no" is an error, not 2 or True.
    import fractions
    import numpy as np
    parley.load(SOURCE / "games" / "breakdown_risk.yaml", set={"pie": np.int64(10)})
    parley.load(SOURCE / "games" / "breakdown_risk.yaml", set={"p": fractions.Fraction(1, 4)})
    with pytest.raises(ValueError, match="players"):
        parley.bargain(surplus=10, players=2.9)
    with pytest.raises(ValueError, match="first"):
        parley.alternating_offers((0.9, 0.8), first=1.9)
    game = parley.read_efg(SOURCE / "tests" / "data" / "entry_deterrence.efg")
    with pytest.raises(ValueError, match="all"):
        game.solve(all="no")
    assert len(game.solve(all=np.bool_(True)).equilibria) >= 1
    # In the builder and for lambda too (they were refused), and a Python int beyond 64 bits
    # is read exactly (it was pybind11's RuntimeError "Unable to cast").
    b = parley.GameBuilder(["A", "B"])
    h = b.infoset("A", ["x", "y"])
    c = b.chance(["u", "v"], [fractions.Fraction(1, 4), np.float64(0.75)])
    root = b.node(h)
    b.terminal(root, payoffs=[np.int64(2), fractions.Fraction(1, 2)])
    n = b.node(c, parent=root)
    b.terminal(n, payoffs=[2**70, np.int32(0)])
    b.terminal(n, payoffs=[np.float32(0.5), 1])
    built = b.build()
    assert built.to_json().count("1180591620717411303424") == 1  # 2**70, exactly
    assert built.solve().equilibria[0].payoffs[0] == pytest.approx(2**70 / 4)
    # qre at a Fraction or a fraction's text is the profile at that lambda.
    half = [built.qre(x).json["points"] for x in (fractions.Fraction(1, 2), "1/2", 0.5)]
    assert half[0] == half[1] == half[2]
    with pytest.raises(ValueError, match="max_profiles"):
        game.to_nfg(max_profiles=0)


def test_a_built_game_with_a_long_or_odd_title_writes_its_report(tmp_path):
    # The report's input is the game's JSON in a temporary folder, named from the title: a
    # 300-character title made an impossible file name.
    for title in ["T" * 300, "a/b\\c:d?", ""]:
        b = parley.GameBuilder(["A", "B"], title=title)
        h = b.infoset("A", ["x", "y"])
        r = b.node(h)
        b.terminal(r, payoffs=[1, 0])
        b.terminal(r, payoffs=[0, 1])
        out = tmp_path / "r.md"
        b.build().report(out)
        assert out.read_text().startswith("#")


def test_whole_number_arguments_take_numpy_integers_and_flags_refuse_words(tmp_path, monkeypatch):
    # numpy integers were refused as counts, seeds, threads, shards and grids ("shard: expected
    # two whole numbers, not (1, 2)"), though numpy scalars are documented as numbers.
    import fractions
    import numpy as np
    m = parley.load(SOURCE / "scenarios" / "platform_regulator.yaml")
    mc = m.montecarlo(samples=np.int64(10), seed=np.uint64(3), threads=np.int64(1), shard=(np.int64(1), np.int64(2)))
    assert mc.summary == m.montecarlo(samples=10, seed=3, threads=1, shard=(1, 2)).summary
    s = parley.load(SOURCE / "games" / "holdup_nash.yaml")
    assert s.thresholds("power", 0.1, 0.9, grid=np.int64(11)).equals(s.thresholds("power", 0.1, 0.9, grid=11))
    assert s.tornado(grid=np.int64(3)).equals(s.tornado(grid=3))
    g = parley.read_efg(SOURCE / "tests" / "data" / "entry_deterrence.efg")
    assert g.qre(grid=(0.0, 1.0, np.int64(3))).json == g.qre(grid=(0.0, 1.0, 3)).json
    assert g.qre(grid=(0, fractions.Fraction(1, 2), 3)).json == g.qre(grid=(0, 0.5, 3)).json
    assert g.draw(max_nodes=np.int64(50)) == g.draw(max_nodes=50)
    # A flag given a word is an error (draw took "no" as True), and --show 0 is refused as the
    # command refuses it.
    with pytest.raises(ValueError, match="solution"):
        g.draw(solution="no")
    with pytest.raises(ValueError, match="show"):
        g.report(tmp_path / "r.md", show=0)
    assert not (tmp_path / "r.md").exists()
    # Solution.notes is [] where the JSON has no notes (it raised AttributeError).
    assert g.solve().notes == list(g.solve().json.get("notes", []))
    assert isinstance(parley.load(SOURCE / "scenarios" / "openai_microsoft.yaml").solve().notes, list)
    # The Monte Carlo summary is the command's JSON less its samples: the outcomes' names and
    # keys were missing.
    cli = cli_json("montecarlo", SOURCE / "scenarios" / "platform_regulator.yaml", "--samples", "10", "--seed", "3",
                   "--format", "json")
    del cli["samples"]
    assert m.montecarlo(samples=10, seed=3).summary == cli
    # An analysis refusing the file names it as given (it named the absolute path).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "divzero.yaml").write_text(
        "players: [A, B]\nparameters:\n  y: {value: 1, min: -1, max: 1}\n"
        "stages:\n  - {name: x, player: A, actions: [l, r]}\npayoffs: [1 / y, 0]\n")
    d = parley.load("divzero.yaml")
    with pytest.raises(parley.InputError) as failure:
        d.sweep({"y": (-1, 1, 3)})
    assert str(failure.value).startswith("divzero.yaml:6:")
