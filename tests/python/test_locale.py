"""Numbers are read and written with a point whatever locale the host program sets.

A Python session that calls ``locale.setlocale(locale.LC_ALL, "")`` in a German or French
environment switches the C library's LC_NUMERIC to a decimal comma, and strtod then stops
"0.05" at the point: scenarios/openai_microsoft.yaml failed to load ("a number in formula
... is too small to compute with"), and printf-formatted figures would be written "0,5".
The locale is built into a temporary directory with localedef (LOCPATH), so the test needs
no locale installed system-wide, only the locale sources of Debian's ``locales`` package
(scripts/install-deps.sh installs it); without them it is skipped.
"""
import json
import locale
import os
import re
import shutil
import subprocess

import pytest

import parley


@pytest.fixture
def decimal_comma(tmp_path):
    """Switches the process to de_DE.UTF-8 (decimal comma) for the test, then back."""
    if shutil.which("localedef") is None or not os.path.exists("/usr/share/i18n/locales/de_DE"):
        pytest.skip("needs localedef and the de_DE locale source (Debian package 'locales')")
    where = tmp_path / "locales"
    where.mkdir()
    made = subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", str(where / "de_DE.UTF-8")],
                          capture_output=True, text=True)
    if not (where / "de_DE.UTF-8").exists():
        pytest.skip(f"localedef could not build de_DE.UTF-8: {made.stderr.strip()}")
    before = locale.setlocale(locale.LC_ALL)
    old_path = os.environ.get("LOCPATH")
    os.environ["LOCPATH"] = str(where)
    try:
        locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
        # The point of the test: the C library now writes and reads a comma.
        assert locale.localeconv()["decimal_point"] == ","
        assert locale.atof("0,5") == 0.5
        yield
    finally:
        locale.setlocale(locale.LC_ALL, before)
        if old_path is None:
            del os.environ["LOCPATH"]
        else:
            os.environ["LOCPATH"] = old_path


def _everything(source, where):
    """What the module computes and writes for a scenario with decimal formulas, a game with
    decimal payoffs and a QRE fit of decimal counts, as comparable values. Files go to the
    directory `where` under the same names each time (a report names its figures)."""
    where.mkdir()
    scenario = parley.load(str(source / "scenarios" / "openai_microsoft.yaml"))
    solution = scenario.solve()
    report = where / "report.md"
    scenario.report(report)
    # A game with decimal payoffs, read as .efg, written as Parley's JSON and read again
    # (the .efg scanner, the JSON number scan and the game builder).
    efg = where / "game.efg"
    efg.write_text('EFG 2 R "pennies in halves" { "A" "B" }\n'
                   'p "" 1 1 "" { "H" "T" } 0\n'
                   'p "" 2 1 "" { "h" "t" } 0\n'
                   't "" 1 "" { 0.5, -0.5 }\n'
                   't "" 2 "" { -0.5, 0.5 }\n'
                   'p "" 2 1 "" { "h" "t" } 0\n'
                   't "" 3 "" { -0.5, 0.5 }\n'
                   't "" 4 "" { 0.5, -0.5 }\n')
    game_file = where / "game.json"
    parley.read_game(str(efg)).to_json(str(game_file))
    game = parley.read_game(str(game_file))
    fit = game.qre_fit([(1, 1, "H", 2.5), (1, 1, "T", 1.5), (2, 1, "h", 1.25), (2, 1, "t", 1.25)])
    return {
        "payoffs": solution.payoffs,
        "json": solution.json,
        "report": report.read_text(),
        "game": game.to_efg(),
        "qre": game.qre(lam=0.75).json,
        "fit": fit.json,
    }


def test_a_decimal_comma_locale_changes_nothing(source, tmp_path, decimal_comma):
    # Run once in the comma locale (inside the fixture), then again in the C locale, and
    # compare everything: a number misread or written with a comma would differ.
    in_comma = _everything(source, tmp_path / "comma")
    locale.setlocale(locale.LC_ALL, "C")
    in_c = _everything(source, tmp_path / "c")
    for key in in_c:
        assert in_comma[key] == in_c[key], key
    # And the numbers are written with a point, not merely alike: the report has decimals,
    # and none with a comma.
    assert re.search(r"\d\.\d", in_comma["report"])
    assert not re.search(r"\d,\d", in_comma["report"])
