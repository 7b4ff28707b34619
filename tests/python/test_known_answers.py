"""Known answers worked by hand (the arithmetic in the comments), through the module, for
games read from files and games built in Python."""
import pytest

import parley
from conftest import SOURCE


def test_ultimatum_two_spe():
    # Osborne (2004) 6.1.1: with a cake of 10 the responder accepts every positive offer;
    # the two SPE give (10, 0) (accepts 0 too) and (9, 1) (rejects 0).
    sol = parley.load(SOURCE / "games/ultimatum.yaml").solve(all=True)
    assert sorted(tuple(e.payoffs) for e in sol) == [(9, 1), (10, 0)]


def test_set_changes_the_cake():
    sol = parley.load(SOURCE / "games/ultimatum.yaml", set={"cake": 4}).solve(all=True)
    assert sorted(tuple(e.payoffs) for e in sol) == [(3, 1), (4, 0)]


def test_nash_over_two_outcomes():
    # Lotteries between (4,1) and (1,3): the frontier is u2 = (11 - 2 u1) / 3; the Nash
    # product u1 (11 - 2 u1) / 3 peaks where 11 - 4 u1 = 0: u1 = 2.75, u2 = 5.5 / 3.
    r = parley.bargain(outcomes=[(4, 1), (1, 3)])
    assert r.nash.payoffs == pytest.approx([2.75, 5.5 / 3])


def test_rubinstein_shares():
    # Infinite horizon, d1 = d2 = 0.9, player 1 first: (1 - d2) / (1 - d1 d2) = 0.1 / 0.19.
    r = parley.alternating_offers((0.9, 0.9))
    assert r.shares == pytest.approx([0.1 / 0.19, 1 - 0.1 / 0.19])


def entry_deterrence():
    b = parley.GameBuilder(["Entrant", "Incumbent"], title="Entry deterrence")
    enter = b.infoset("Entrant", ["In", "Out"])
    root = b.node(enter)
    fight = b.infoset("Incumbent", ["Fight", "Accommodate"])
    n = b.node(fight, parent=root)
    b.terminal(root, payoffs=[0, 2])
    b.terminal(n, payoffs=[-1, -1])
    b.terminal(n, payoffs=[1, 1])
    return b.build()


def test_built_entry_deterrence():
    # Backward induction: the incumbent accommodates (1 > -1), so the entrant enters (1 > 0).
    g = entry_deterrence()
    assert (g.num_nodes, g.num_terminals, g.perfect_information) == (5, 3, True)
    sol = g.solve(all=True)
    assert len(sol) == 1
    assert sol.payoffs == [1, 1]
    assert sol.equilibria[0].path[0]["actions"] == ["In", "Accommodate"]
    assert "Entry deterrence" in repr(g)


def test_built_matching_pennies_with_an_information_set():
    # Player 2 does not see player 1's coin: the unique equilibrium mixes 1/2-1/2 on both
    # sides (each must make the other indifferent) and is worth 0 to both.
    b = parley.GameBuilder(["Matcher", "Mismatcher"])
    h1 = b.infoset(0, ["H", "T"])
    root = b.node(h1)
    h2 = b.infoset(1, ["h", "t"], label="guess")
    for _ in range(2):
        b.node(h2, parent=root)
    b.terminal(1, payoffs=[1, -1])
    b.terminal(1, payoffs=[-1, 1])
    b.terminal(2, payoffs=[-1, 1])
    b.terminal(2, payoffs=[1, -1])
    g = b.build()
    assert not g.perfect_information
    eq = g.solve().equilibria[0]
    assert eq.payoffs == pytest.approx([0, 0])
    for probs in eq.probabilities.values():
        assert probs == pytest.approx([0.5, 0.5])


def test_built_chance_exact():
    # Chance picks a prize of 3 with probability 1/3 and 0 otherwise, then the player takes
    # it or 1 for sure. With the prize she takes it (3 > 1), without it the 1: her value is
    # 1/3 * 3 + 2/3 * 1 = 5/3, exactly.
    b = parley.GameBuilder(["Player"])
    c = b.chance(["prize", "none"], ["1/3", "2/3"])
    root = b.node(c)
    for prize in (3, 0):  # she sees the prize: one information set each
        n = b.node(b.infoset("Player", ["take", "safe"]), parent=root)
        b.terminal(n, payoffs=[prize])
        b.terminal(n, payoffs=[1])
    g = b.build()
    assert g.has_chance
    assert g.solve(exact=True).payoffs == ["5/3"]
    assert g.solve().payoffs == pytest.approx([5 / 3])


def test_built_game_converts_and_reports(tmp_path):
    g = entry_deterrence()
    again = parley.read_efg(_write(tmp_path / "e.efg", g.to_efg()))
    assert again.solve().json["equilibria"] == g.solve().json["equilibria"]
    assert "Fight" in g.to_nfg()
    g.report(tmp_path / "r.html")
    assert "Entry deterrence" in (tmp_path / "r.html").read_text()


def _write(path, text):
    path.write_text(text)
    return path


def test_builder_mistakes_are_value_errors():
    b = parley.GameBuilder(["A", "B"])
    with pytest.raises(ValueError, match="no player named 'C'"):
        b.infoset("C", ["x"])
    h = b.infoset("A", ["x"])
    with pytest.raises(ValueError, match="information set 7 does not exist"):
        b.node(7)
    root = b.node(h)
    b.terminal(root, payoffs=[1, 2])
    with pytest.raises(ValueError, match="more children than"):
        b.terminal(root, payoffs=[1, 2])
    with pytest.raises(ValueError, match="2 payoffs|payoffs but the game"):
        b.outcome([1, 2, 3])
    with pytest.raises(ValueError, match="not a number"):
        b.outcome([1, "abc"])
    b.build()
    with pytest.raises(ValueError, match="already built"):
        b.build()
