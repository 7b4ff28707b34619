"""The logit QRE from Python: the module's answers are `parley qre`'s JSON and CSV, and the
maximum-likelihood fit recovers the lambda that generated the counts."""
import io
import math

import numpy as np
import pandas as pd
import pytest

import parley
from conftest import HIDDEN_ROUNDS, SOURCE, cli_json, run_cli

# The games whose trace takes well under a second (alternating_offers' runs into the
# tracer's 60-second limit).
GAMES = sorted(p.relative_to(SOURCE).as_posix() for p in (SOURCE / "games").glob("*.yaml")
               if p.stem != "alternating_offers")


@pytest.mark.parametrize("path", GAMES)
def test_qre_equals_cli_json(path):
    g = parley.load(SOURCE / path)
    code, out, err = run_cli("qre", path, "--lambda", "0:3:4", "--format", "json", check=False)
    if code != 0 and not out:  # refused (e.g. no perfect recall): the same message
        with pytest.raises(parley.Error) as info:
            g.qre(grid=(0, 3, 4))
        assert str(info.value) == err.strip()[len("error: "):]
        return
    with pytest.warns(UserWarning) if code != 0 else _nothing():
        q = g.qre(grid=(0, 3, 4))
    import json
    assert q.json == json.loads(out)
    assert len(q) == len(q.json["points"])


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_qre_frame_equals_cli_csv():
    path = "games/trust_game.yaml"
    q = parley.load(SOURCE / path).qre([0.5, 2])
    csv = pd.read_csv(io.StringIO(run_cli("qre", path, "--lambda", "0.5", "--format", "csv")[1]
                                  + run_cli("qre", path, "--lambda", "2", "--format", "csv")[1]
                                  .split("\n", 1)[1]),
                      float_precision="round_trip", keep_default_na=False,
                      dtype={"set_label": str, "action": str})
    pd.testing.assert_frame_equal(q.frame, csv, check_dtype=False)


def test_qre_at_zero_is_uniform():
    # At lambda = 0 every set mixes uniformly, whatever the payoffs.
    q = parley.load(SOURCE / "games/entry_deterrence.yaml").qre(0)
    for _, probs in q.points[0][1].probabilities.items():
        assert probs == pytest.approx([1 / len(probs)] * len(probs))


def test_qre_bad_arguments():
    g = parley.load(SOURCE / "games/entry_deterrence.yaml")
    with pytest.raises(ValueError):
        g.qre(-1)
    with pytest.raises(ValueError):
        g.qre([2, 1])  # not ascending
    with pytest.raises(ValueError):
        g.qre(grid=(1, 0, 3))
    with pytest.raises(ValueError):
        g.qre_fit([(1, 1, "In", 1)], max_lambda=0)


def _counts_at(g, lam, n):
    """Expected counts: n choices at every personal set, split as the QRE at lam plays."""
    q = g.qre(lam)
    return [(h["player"], h["number"], a["label"], n * a["probability"])
            for h in q.points[0][1].behavior for a in h["actions"]]


def test_fit_recovers_lambda_from_expected_counts():
    # With counts proportional to the QRE at lambda0 at every set, the log-likelihood
    # sum_h sum_a n_ha ln p_ha(lambda) is at most sum n_ha ln(n_ha / n_h) (Gibbs' inequality,
    # set by set), with equality exactly when p(lambda) = p(lambda0): the maximum is lambda0.
    g = parley.load(SOURCE / "games/entry_deterrence.yaml")
    fit = g.qre_fit(_counts_at(g, 1.5, 1000.0))
    assert fit.lambda_ == pytest.approx(1.5, rel=1e-6)
    assert fit.observations == pytest.approx(1000.0 * len(g.qre(0).json["points"][0]["profile"]))
    assert fit.standard_error is not None and fit.standard_error > 0
    assert not fit.at_search_limit


def test_fit_recovers_lambda_from_simulated_counts(tmp_path):
    # Choices drawn from the QRE at lambda0 = 1.5, 20000 per set: the estimate lies within
    # four standard errors of lambda0 (a 1-in-15000 event if the error is right), and the
    # module's fit of the counts file is the command's, number for number.
    g = parley.load(SOURCE / "games/entry_deterrence.yaml")
    rng = np.random.default_rng(7)
    rows = []
    for h in g.qre(1.5).points[0][1].behavior:
        p = [a["probability"] for a in h["actions"]]
        drawn = rng.multinomial(20000, p)
        rows += [(h["player"], h["number"], a["label"], int(c)) for a, c in zip(h["actions"], drawn)]
    fit = g.qre_fit(pd.DataFrame(rows, columns=["player", "set", "action", "count"]))
    assert abs(fit.lambda_ - 1.5) < 4 * fit.standard_error
    assert fit.standard_error < 0.2
    path = tmp_path / "counts.csv"
    path.write_text("player,set,action,count\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in rows))
    cli = cli_json("qre", "games/entry_deterrence.yaml", "--fit", path, "--format", "json")
    assert g.qre_fit(path).json == cli
    assert fit.json == cli
    assert fit.profile.probabilities == g.qre(fit.lambda_).points[0][1].probabilities


def test_fit_errors_carry_locations(tmp_path):
    g = parley.load(SOURCE / "games/entry_deterrence.yaml")
    bad = tmp_path / "bad.csv"
    bad.write_text("player,set,action,count\n1,1,Sideways,3\n")
    code, _, err = run_cli("qre", "games/entry_deterrence.yaml", "--fit", bad, check=False)
    assert code == 1
    with pytest.raises(parley.InputError) as info:
        g.qre_fit(bad)
    assert (info.value.file, info.value.line) == (str(bad), 2)
    assert str(info.value) == err.strip()[len("error: "):]
    with pytest.raises(parley.InputError) as info:
        g.qre_fit([(1, 1, "In", 3), (3, 1, "In", 1)])
    assert (info.value.file, info.value.line) == ("counts", 3)


def test_max_seconds_is_the_tracers_budget(tmp_path):
    # Four rounds: the tracer follows the branch for many steps, so a budget of a
    # microsecond runs out at its first check.
    path = tmp_path / "blind.yaml"
    path.write_text(HIDDEN_ROUNDS)
    g = parley.load(path, set={"T": 4})
    with pytest.raises(parley.LimitError, match="time limit was reached"):
        g.solve(method="logit", max_seconds=1e-6)
    with pytest.warns(UserWarning, match="time limit"):
        q = g.qre(1000, max_seconds=1e-6)
    assert q.incomplete and len(q) == 0
    # The default budget is enough, and the CLI's flag gives the same answer.
    assert g.solve(method="logit").json == cli_json("solve", str(path), "--method", "logit",
                                                     "--max-seconds", "60", "--format", "json",
                                                     "--set", "T=4")
    for bad in (0, -1, float("nan"), True, "1"):
        with pytest.raises(ValueError):
            g.solve(max_seconds=bad)
        with pytest.raises(ValueError):
            g.qre(1, max_seconds=bad)
    # Infinity is a number greater than 0, but not a budget: the message says which it lacks.
    with pytest.raises(ValueError, match=r"^max_seconds: inf is not a finite number greater than 0$"):
        g.solve(max_seconds=float("inf"))


COMMA = """EFG 2 R "comma" { "A" "B" }
""
p "" 1 1 "first, move" { "accept, then sue" "say \\"no\\"" } 0
t "" 1 "" { 1 0 }
t "" 2 "" { 0 1 }
"""


def test_fit_takes_labels_with_commas_and_quotes(tmp_path):
    # The QRE plays the two actions e^lambda : 1, so counts 3 : 1 are fitted by ln 3; the rows
    # become the CSV the command reads, quoted as it writes its own.
    path = tmp_path / "comma.efg"
    path.write_text(COMMA)
    g = parley.load(path)
    fit = g.qre_fit([(1, 1, "accept, then sue", 3), (1, 1, 'say "no"', 1)])
    assert fit.lambda_ == pytest.approx(math.log(3), rel=1e-5)
    csv = tmp_path / "counts.csv"
    csv.write_text('player,set,action,count\n1,1,"accept, then sue",3\n1,1,"say ""no""",1\n')
    assert cli_json("qre", path, "--fit", csv, "--format", "json")["lambda"] == fit.json["lambda"]
