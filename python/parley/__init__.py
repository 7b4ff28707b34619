"""Parley from Python: game-theoretic bargaining with results as pandas tables.

The module wraps Parley's C++ library (the same code as the ``parley`` command), so its
answers are the command's: solutions carry the keys of ``parley solve --format json``, and
sweep, threshold and Monte Carlo tables have the columns of the command's CSV output.

    >>> import parley
    >>> s = parley.load("scenarios/openai_microsoft.yaml", set={"gross_value": 400})
    >>> sol = s.solve()                      # equilibria, path, payoffs, bargaining steps
    >>> sol.bargaining[0].agreement          # {"equity": ..., "revenue_share": ..., ...}
    >>> df = s.sweep(vary={"carveout_cost": (0, 5, 21)})      # a pandas DataFrame
    >>> mc = s.montecarlo(samples=2_000, seed=1)             # mc.samples, mc.outcomes
    >>> s.thresholds("carveout_cost", 0, 5)
    >>> parley.bargain(outcomes=[(4, 1), (1, 3)]).nash
    >>> g = parley.read_efg("game.efg"); g.solve(all=True); g.to_nfg()

Errors: :class:`InputError` (a ``ValueError``) for a mistake in an input file, with
``file``, ``line`` and ``column``; ``ValueError`` for a bad argument;
:class:`UnsupportedError` when no method serves the request; :class:`LimitError` past a
size limit. Long computations release the GIL, and Ctrl-C interrupts them within a fraction
of a second (KeyboardInterrupt): loading, solving, QRE traces, sweeps, thresholds, Monte
Carlo runs.

See docs/python.md for a tour and the reference.
"""

import json as _json
import math as _math
import fractions as _fractions
import numbers as _numbers
import operator as _operator
import os as _os
import tempfile as _tempfile


class Error(Exception):
    """A mistake Parley found in its input or in the request (base of Parley's exceptions)."""

    def __init__(self, text, file=None, line=None, column=None, message=None):
        super().__init__(text)
        #: The input file the mistake is in (None when not about a file).
        self.file = file
        #: 1-based line in ``file`` (None when unknown).
        self.line = line
        #: 1-based column in ``file`` (None when unknown).
        self.column = column
        #: The message without the location prefix.
        self.message = message if message is not None else text
        #: The node of the game the message is about (its number in preorder), or None.
        self.node = None


class InputError(Error, ValueError):
    """A mistake in an input file: ``file``, ``line`` and ``column`` say where (what the
    command prints as ``error: file:line:col: ...``)."""


class UnsupportedError(Error):
    """A request no method serves (e.g. backward induction on imperfect information); the
    message says what would."""


class LimitError(Error):
    """A size limit was reached (nodes, strategy profiles, samples kept in memory)."""


class InternalError(Error, RuntimeError):
    """A broken internal check: a bug in Parley (please report it with the input)."""


from . import _parley  # noqa: E402  (the exception classes must exist first)
from . import _frames  # noqa: E402

__version__ = _parley.__version__

__all__ = [
    "load", "read_efg", "read_nfg", "read_game", "bargain", "threat_game", "alternating_offers",
    "merge", "GameBuilder", "Game", "Scenario", "Solution", "Equilibrium", "BargainingStep",
    "BargainingResult", "MonteCarlo", "Qre", "QreFit", "Error", "InputError", "UnsupportedError", "LimitError",
    "InternalError",
]

_GAME_EXTENSIONS = (".efg", ".nfg", ".json")
_SCENARIO_EXTENSIONS = (".yaml", ".yml")


def _overrides(values):
    """{"name": value} -> ["name=value"], the command line's --set."""
    if values is None:
        return []
    if not isinstance(values, dict):
        raise ValueError("set: expected a dict of parameter values, e.g. {'openai_value': 400}")
    out = []
    for name, value in values.items():
        value = _plain(value)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError(f"set: the value of {name!r} must be a number, not {value!r}")
        out.append(f"{name}={_number_text(value)}")
    return out


def _number_text(x):
    if isinstance(x, float):
        if not _math.isfinite(x):
            raise ValueError(f"{x!r} is not a finite number")
        return repr(x)
    return str(x)


# Counts go to the library as 64-bit sizes: a larger Python int is a ValueError here, not
# pybind11's TypeError about argument types.
_MAX_COUNT = 2**63 - 1


def _max_nodes(max_nodes, name="max_nodes"):
    if max_nodes is None:
        return 0
    max_nodes = _plain(max_nodes)
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or not 1 <= max_nodes <= _MAX_COUNT:
        raise ValueError(f"{name}: expected a positive whole number (at most 2**63 - 1)")
    return max_nodes


_GAME_WRITERS = {".efg": "to_efg", ".nfg": "to_nfg", ".json": "to_json"}


def _write(text, path, ext=None):
    # As the command writes: atomically, and never over a file read as an input or a
    # read-only one (parley.Error says why). A name whose extension is another game
    # format's (to_efg("g.nfg")) is refused: the file would not be what its name says.
    if path is not None:
        name = _os.fspath(path)
        given = _os.path.splitext(name)[1].lower()
        if ext is not None and given != ext and given in _GAME_WRITERS:
            raise ValueError(
                f"{_GAME_WRITERS[ext]}: '{name}' names a {given} file, but this writes {ext}; "
                f"use {_GAME_WRITERS[given]}() for {given}, or a name ending in {ext}")
        _parley.write_file(name, text)
    return text


def load(path, set=None, max_nodes=None):
    """Reads a scenario (.yaml) or a game (.efg, .nfg, .json).

    ``set`` overrides scenario parameters ({"openai_value": 400}; the command's ``--set``),
    checked against their ranges. ``max_nodes`` bounds the tree (default: from this
    machine's memory). Returns a :class:`Scenario` for a scenario file, else a :class:`Game`.
    Raises :class:`InputError` with the file, line and column of a mistake.
    """
    path = _os.fspath(path)
    # The bytes read now: later calls that read the file again by its name (the analysis,
    # reports) check that it still holds them, whatever the working directory then.
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        data = None  # the loader says what is wrong with the name
    loaded = _parley.load(path, _overrides(set), _max_nodes(max_nodes))
    if loaded.is_scenario:
        game = Scenario(loaded, path, set or {}, max_nodes)
    else:
        game = Game(loaded, path)
    game._source = (_os.path.abspath(path), data)
    return game


def read_game(path, max_nodes=None):
    """Reads a game file (.efg, .nfg or .json) into a :class:`Game`."""
    path = _os.fspath(path)
    if not path.lower().endswith(_GAME_EXTENSIONS):
        raise ValueError(f"{path}: a game file is .efg, .nfg or .json (use parley.load for scenarios)")
    return load(path, max_nodes=max_nodes)


def read_efg(path, max_nodes=None):
    """Reads a Gambit extensive-form file (.efg) into a :class:`Game`."""
    if not _os.fspath(path).lower().endswith(".efg"):
        raise ValueError(f"{_os.fspath(path)}: read_efg reads .efg files (parley.load reads any input)")
    return read_game(path, max_nodes)


def read_nfg(path, max_nodes=None):
    """Reads a Gambit strategic-form file (.nfg) into a :class:`Game` (its extensive form)."""
    if not _os.fspath(path).lower().endswith(".nfg"):
        raise ValueError(f"{_os.fspath(path)}: read_nfg reads .nfg files (parley.load reads any input)")
    return read_game(path, max_nodes)


class _Record:
    """A JSON record with its keys as attributes (``.json`` is the record itself)."""

    def __init__(self, record):
        self.json = record

    def __getattr__(self, name):
        record = self.__dict__.get("json")
        if record is not None and name in record:
            return record[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.json))

    def __getitem__(self, key):
        return self.json[key]


class Equilibrium(_Record):
    """One equilibrium as ``parley solve --format json`` lists it.

    ``payoffs`` (one per player), ``behavior`` (the behaviour profile: one record per
    personal information set, ``{"player", "number", "label", "actions": [{"label",
    "probability"}]}``), ``path`` (the terminal histories reached, with their
    probabilities), ``strategy`` (pure choices node by node), ``indifferent``, ``max_gain``
    (the largest gain from deviating, verified).
    """

    @property
    def probabilities(self):
        """The behaviour profile as {(player, infoset number): [probabilities]}."""
        return {(h["player"], h["number"]): [a["probability"] for a in h["actions"]]
                for h in self.json["behavior"]}

    def __repr__(self):
        path = self.json.get("path") or []
        shown = " > ".join(path[0]["actions"]) if path else "-"
        more = f" (+{len(path) - 1} more histories)" if len(path) > 1 else ""
        if "payoffs" not in self.json:  # a QRE profile: no payoffs or path computed
            return f"Equilibrium(probabilities={self.probabilities})"
        return f"Equilibrium(payoffs={self.json['payoffs']}, path={shown!r}{more})"


class BargainingStep(_Record):
    """A bargaining step of a scenario in the solution (the JSON's ``bargaining`` list).

    ``agreement`` is the agreed package, issue by issue ({"revenue_share": 0.17, "equity":
    "pct20", ...}: a discrete issue by its option's label); the rest of
    the record is under its JSON keys: ``stage``, ``history``, ``reach_probability``,
    ``disagreement``, ``ideal``, ``solutions`` (every concept side by side), ...
    """

    @property
    def agreement(self):
        """The agreed issues, {name: value} (empty when no agreement is possible)."""
        return dict(self.json.get("agreement", {}).get("issues", {}))

    @property
    def terms(self):
        """The agreement record: concept, weights, payoffs, issues, text, gains, lottery (and,
        for a lottery between packages, packages: each one's probability and issues)."""
        return self.json.get("agreement", {})

    @property
    def payoffs(self):
        """The players' payoffs under the agreement."""
        return self.terms.get("payoffs")

    def __repr__(self):
        return (f"BargainingStep(stage={self.json.get('stage')!r}, "
                f"agreement={self.agreement!r}, payoffs={self.payoffs!r})")


class Solution(_Record):
    """What ``parley solve`` finds: the equilibria, and for a scenario its bargaining steps.

    Attributes follow the JSON keys: ``concept``, ``method``, ``exact``, ``complete``,
    ``truncated``, ``players``, ``notes``; ``equilibria`` is a list of :class:`Equilibrium`
    and ``bargaining`` a list of :class:`BargainingStep`. ``json`` is the whole document,
    identical to ``parley solve --format json``.
    """

    @property
    def equilibria(self):
        return [Equilibrium(e) for e in self.json["equilibria"]]

    @property
    def bargaining(self):
        return [BargainingStep(b) for b in self.json.get("bargaining", [])]

    @property
    def payoffs(self):
        """The first equilibrium's payoffs (None when there is none)."""
        eqs = self.json["equilibria"]
        return eqs[0]["payoffs"] if eqs else None

    @property
    def notes(self):
        """The solve's remarks (the JSON leaves the key out when there are none: then [])."""
        return list(self.json.get("notes", []))

    def __len__(self):
        return len(self.json["equilibria"])

    def __iter__(self):
        return iter(self.equilibria)

    def __repr__(self):
        n = len(self.json["equilibria"])
        return (f"<Solution: {n} {self.json.get('concept')} equilibri{'um' if n == 1 else 'a'} "
                f"by {self.json.get('method')}; payoffs {self.payoffs}>")


class Game:
    """An extensive-form game (immutable): read with :func:`load`, :func:`read_efg`, ... or
    built with :class:`GameBuilder`.

    Properties: ``title``, ``players``, ``num_nodes``, ``num_terminals``, ``num_infosets``,
    ``num_outcomes``, ``perfect_information``, ``has_chance``, ``path`` (the file, or None).
    """

    def __init__(self, loaded, path=None):
        self._loaded = loaded
        self._path = path
        self._source = None  # (absolute path, the bytes read) for a game read from a file

    def _file(self):
        """The file this game was read from, for a call that reads it again: its absolute path,
        once checked to hold what was read (an edit since, or another working directory, would
        make that call describe another game)."""
        if self._source is None:
            return self._path
        absolute, data = self._source
        try:
            with open(absolute, "rb") as f:
                now = f.read()
        except OSError:
            now = None
        if data is None or now != data:
            raise InputError(f"{self._path}: the file changed (or went away) since it was loaded; "
                             "load it again with parley.load", file=self._path)
        # The path as given while it still names that file, so that errors name the file as
        # load() and the command line do (not by an absolute path).
        if _os.path.abspath(_os.fspath(self._path)) == absolute:
            return _os.fspath(self._path)
        return absolute

    title = property(lambda self: self._loaded.title, doc="The game's (or scenario's) title.")
    players = property(lambda self: list(self._loaded.players), doc="The players' names, in order.")
    num_nodes = property(lambda self: self._loaded.num_nodes, doc="Nodes of the tree.")
    num_terminals = property(lambda self: self._loaded.num_terminals, doc="Terminal nodes.")
    num_infosets = property(lambda self: self._loaded.num_infosets,
                            doc="Information sets (chance sets included).")
    num_outcomes = property(lambda self: self._loaded.num_outcomes, doc="Outcomes.")
    perfect_information = property(lambda self: self._loaded.perfect_information,
                                   doc="True when every information set is one node.")
    has_chance = property(lambda self: self._loaded.has_chance, doc="True when chance moves.")
    path = property(lambda self: self._path, doc="The file the game was read from (or None).")

    def solve(self, all=False, exact=False, max=1000, method="auto", max_seconds=60.0):
        """Subgame-perfect equilibria, as ``parley solve`` finds them.

        ``all``: every pure SPE (perfect information) or every extreme one, subgame by
        subgame (two players), at most ``max``; ``exact``: rational arithmetic (fractions as
        strings); ``method``: "auto", "backward-induction", "lp", "lemke" or "logit";
        ``max_seconds``: the logit tracer's budget per subgame, in seconds of processor time
        (``--max-seconds``). Returns a :class:`Solution`. Raises :class:`UnsupportedError`
        when no method applies and :class:`LimitError` when the tracer's budget runs out.
        """
        max = _whole("max", max, 1)
        with self._locating_nodes():
            text = self._loaded.solve_json(_flag("all", all), _flag("exact", exact), max, str(method),
                                           _seconds_value(max_seconds))
        return Solution(_json.loads(text))

    def _locating_nodes(self):
        """A context in which an error about a node of the game (a subgame no method takes)
        is located in the game's file, as the command line locates it: ``file``, ``line`` and
        ``column`` of the node's record in an .efg, the file alone for other formats."""
        game = self

        class _Locate:
            def __enter__(self):
                return self

            def __exit__(self, kind, error, trace):
                if (error is None or not isinstance(error, Error) or error.file is not None
                        or error.node is None or not game._path):
                    return False
                text, file, line, column = _parley.locate_node(str(game._path), error.node,
                                                               error.message)
                located = type(error)(text, file, line or None, column or None, error.message)
                located.node = error.node
                raise located from None

        return _Locate()

    def show(self):
        """What ``parley show`` prints: for a scenario its players, parameters (value in
        force, unit, range, distribution, source), stages, payoffs, sources and notes; for
        any game the size and kind of the tree. A str (``print(game.show())``)."""
        return self._loaded.show(self._path or "")

    def qre(self, lam=1.0, grid=None, max_seconds=60.0):
        """The agent logit quantal response equilibrium on the principal branch
        (``parley qre``; McKelvey and Palfrey 1998), at ``lam`` (a number >= 0 in the game's
        payoff units, or an ascending list of them) or along ``grid=(lo, hi, n)``, the
        command's ``--lambda LO:HI:N``.

        Returns a :class:`Qre`: ``json`` (the command's JSON), ``points`` (one
        :class:`Equilibrium`-like record per lambda: its ``behavior`` with beliefs),
        ``frame`` (a DataFrame with the command's CSV columns) and ``incomplete`` (why the
        trace stopped early, else None; a warning says so too). ``max_seconds``: the trace's
        budget in seconds of processor time (``--max-seconds``). Needs perfect recall.
        """
        if grid is not None:
            try:
                lo, hi, n = grid
            except (TypeError, ValueError):
                raise ValueError(f"grid: expected (lo, hi, n), not {grid!r}") from None
            # numpy scalars as Python numbers, a Fraction as its double (as `_axis_text` takes them).
            lo, hi = (float(x) if isinstance(x, _numbers.Rational) and not isinstance(x, _numbers.Integral)
                      else _plain(x) for x in (lo, hi))
            n = _plain(n)
            for x in (lo, hi):
                if isinstance(x, bool) or not isinstance(x, (int, float)) or not _math.isfinite(x) or x < 0:
                    raise ValueError(f"grid: {x!r} is not a number >= 0")
            if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 100000 or not hi > lo:
                raise ValueError("grid (lo, hi, n) needs lo < hi and a whole n from 2 to 100000")
            # The command's arithmetic, so that the lambdas are the same doubles.
            lambdas = [lo + (hi - lo) * float(i) / float(n - 1) for i in range(n)]
        elif isinstance(lam, (list, tuple)):
            lambdas = [_lambda_value(x) for x in lam]
        else:
            lambdas = [_lambda_value(lam)]
        with self._locating_nodes():
            doc = _json.loads(self._loaded.qre_json(lambdas, _seconds_value(max_seconds)))
        result = Qre(doc)
        if result.incomplete:
            import warnings
            warnings.warn(result.incomplete, stacklevel=2)
        return result

    def qre_fit(self, counts, max_lambda=None):
        """The lambda that best explains observed choices (``parley qre --fit``): maximum
        likelihood over [0, ``max_lambda``] (by default 1000 over the range of the payoffs of
        the players who choose, ``--max-lambda``'s default), with the standard error from the
        observed information.

        ``counts``: a CSV file (header ``player,set,action,count``; player and set numbered
        from 1 as in ``solve``'s output, action a label), or rows of (player, set, action,
        count) (a list of tuples, or a DataFrame with those columns). Returns a
        :class:`QreFit`: ``lambda_``, ``standard_error`` (None when not defined),
        ``log_likelihood``, ``observations``, ``at_zero``, ``flat``, ``at_search_limit``,
        ``search_limit``, ``profile`` (the QRE at
        the fitted lambda) and ``json`` (the command's JSON). Mistakes in a file raise
        :class:`InputError` at its line; in rows, one naming ``counts`` and the row (the
        header is line 1).
        """
        if max_lambda is None:
            max_lambda = 0.0  # the default, relative to the payoffs
        else:
            max_lambda = _plain(max_lambda)
            if (isinstance(max_lambda, bool) or not isinstance(max_lambda, (int, float))
                    or not _math.isfinite(max_lambda) or max_lambda <= 0):
                raise ValueError(f"max_lambda: expected a number greater than 0, not {max_lambda!r}")
        if isinstance(counts, (str, bytes, _os.PathLike)):
            name = _os.fspath(counts)
            with open(name, "rb") as f:
                text = f.read().decode("utf-8", errors="replace")
        else:
            name, text = "counts", _counts_csv(counts)
        fit, point = self._loaded.qre_fit_json(text, name, float(max_lambda))
        result = QreFit(_json.loads(fit), _json.loads(point))
        better = result.json.get("better_past_turn")
        if better is not None:
            import warnings
            warnings.warn(f"the principal branch turns back in lambda at {result.json['branch_turns_back_at']:.6g}, "
                          f"and a point past the turn fits better (lambda {better['lambda']:.6g}, log-likelihood "
                          f"{better['log_likelihood']:.6g}): the fitted lambda is not the maximum likelihood "
                          "over the branch", stacklevel=2)
        return result

    def to_efg(self, path=None):
        """The game as Gambit .efg text (also written to ``path`` when given)."""
        return _write(self._loaded.to_efg(), path, ".efg")

    def to_json(self, path=None):
        """The game as Parley's game JSON (also written to ``path`` when given)."""
        return _write(self._loaded.to_json(), path, ".json")

    def to_nfg(self, path=None, max_profiles=None):
        """The reduced strategic form as Gambit .nfg text (also written to ``path``).

        ``max_profiles`` bounds the table (LimitError past it, before the work).
        """
        limit = _max_nodes(max_profiles, "max_profiles")
        if self._source is not None and self._source[1] is not None and self._path.lower().endswith(".nfg"):
            # Read from an .nfg: the table as it is, with its comment and outcome list, as
            # ``parley convert IN.nfg OUT.nfg`` writes it (they were dropped, and the comment
            # said the table was the reduced form of an extensive game).
            return _write(_parley.nfg_copy(self._source[1], self._path, limit), path, ".nfg")
        return _write(self._loaded.to_nfg(limit), path, ".nfg")

    def draw(self, path=None, solution=True, max_nodes=400):
        """The tree as ``parley draw`` draws it, with the first equilibrium highlighted
        (unless ``solution`` is False): SVG text, or DOT text when ``path`` ends in .dot;
        also written to ``path`` when given. Trees past ``max_nodes`` are collapsed below a
        depth (a warning says so). Notebooks show a Game as this picture."""
        fmt = "svg"
        if path is not None:
            ext = _os.path.splitext(_os.fspath(path))[1].lower()
            if ext not in (".svg", ".dot"):
                raise ValueError(f"{_os.fspath(path)}: draw writes .svg or .dot (for PNG, run "
                                 "`parley draw` or rsvg-convert on the SVG)")
            fmt = ext[1:]
        max_nodes = _plain(max_nodes)
        if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or not 0 <= max_nodes <= _MAX_COUNT:
            raise ValueError("max_nodes: expected a whole number of at least 3")
        text, note = self._loaded.draw(fmt == "dot", _flag("solution", solution), max_nodes)
        if note:
            import warnings
            warnings.warn(note, stacklevel=2)
        return _write(text, path)

    def _repr_svg_(self):
        if self.num_nodes > 2000:
            return None  # too large to show inline; draw() collapses it on request
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return self.draw()

    def report(self, path, all=False, exact=False, max=1000, show=3):
        """Writes ``parley report``'s report: ``path`` ending .html (one page) or .md."""
        self._report(path, all, exact, max, "", show, [], None)

    def _report(self, path, all, exact, max, vary, show, overrides, max_nodes):
        source = self._file()
        with _tempfile.TemporaryDirectory() as tmp:
            if source is None:  # a built game: hand the report its JSON
                # A file name from the title (the report names its input): letters, digits, - and
                # _ only, at most 60 of them, so that no title makes an impossible path.
                stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in (self.title or ""))[:60]
                source = _os.path.join(tmp, (stem.strip("_") or "game") + ".json")
                self.to_json(source)
            _parley.report(source, overrides, _max_nodes(max_nodes), _os.fspath(path), _flag("all", all),
                           _flag("exact", exact), _whole("max", max, 1), vary, _whole("show", show, 1))

    def __repr__(self):
        where = f" from {self._path}" if self._path else ""
        kind = "perfect information" if self.perfect_information else "imperfect information"
        return (f"<Game {self.title!r}{where}: players {self.players}, {self.num_nodes} nodes, "
                f"{kind}{', chance' if self.has_chance else ''}>")



class Scenario(Game):
    """A scenario file, expanded into its game (with the parameter values in force), and
    compiled once for sweeps, thresholds and Monte Carlo.

    Besides :class:`Game`'s properties: ``parameters`` ({name: value in force}), ``notes``.
    """

    def __init__(self, loaded, path, overrides, max_nodes):
        super().__init__(loaded, path)
        self._set = dict(overrides)
        self._max_nodes = max_nodes
        self._model = None

    parameters = property(lambda self: dict(self._loaded.parameters),
                          doc="The parameters and their values in force.")
    notes = property(lambda self: list(self._loaded.notes), doc="Remarks about the game's structure.")

    @property
    def parameter_table(self):
        """The parameters as ``parley show`` lists them, one row each (a DataFrame indexed
        by name): value (in force), file_value, unit, min, max (NaN when open),
        distribution ("" when fixed), source, assumption, description."""
        import pandas as pd
        cols = ["name", "value", "file_value", "unit", "min", "max", "distribution", "source",
                "assumption", "description"]
        df = pd.DataFrame(list(self._loaded.parameter_table), columns=cols)
        df[["min", "max"]] = df[["min", "max"]].astype(float)
        return df.set_index("name")

    def _analysis(self):
        if self._model is None:
            self._model = _parley.scenario_model(self._file(), _overrides(self._set),
                                                 _max_nodes(self._max_nodes))
        return self._model

    @property
    def uncertain(self):
        """The parameters with a distribution (what Monte Carlo draws)."""
        return list(self._analysis().uncertain)

    @property
    def value_names(self):
        """The numbers each analysis row reports (payoffs, agreed issues), in column order."""
        return list(self._analysis().value_names)

    def _refuse_set_and_varied(self, names):
        """A parameter given in load(set=...) and varied here: the grid would override the
        set value silently (as the command refuses --set with --vary of the same name)."""
        for name in names:
            if isinstance(name, str) and name in (self._set or {}):
                raise ValueError(f"set={{{name!r}: {self._set[name]!r}}} and vary {name!r}: the run moves "
                                 f"{name} over its range, so the set value would be ignored; give one of them")

    def sweep(self, vary, threads=0, shard=None):
        """Solves the scenario over a grid of one or two parameters (``parley sweep``).

        ``vary``: {name: (lo, hi, n)} (or {name: "lo:hi:n"}), one or two entries; the first
        varies slowest. Returns a DataFrame with the CSV's columns: ``index``, the varied
        parameters, the values (payoffs, agreed issues; NaN where a value does not exist)
        and ``outcome`` (categorical). ``shard=(k, n)`` computes only slice k of n (1-based,
        the command's ``--shard k/n``), for runs split over processes or machines.
        """
        items = _items(vary, "vary")
        self._refuse_set_and_varied(name for name, _ in items)
        axes = [_axis_text(name, spec, with_n=True) for name, spec in items]
        return _frames.sweep_frame(self._analysis().sweep(axes, _threads(threads), _shard(shard)))

    def thresholds(self, param, lo, hi, grid=101, threads=0):
        """Where the equilibrium outcome changes as ``param`` goes from ``lo`` to ``hi``
        (``parley thresholds``): a grid of ``grid`` points, each change bisected to 1e-9.

        Returns a DataFrame with the CSV's columns: parameter, value, lo, hi, below, above.
        """
        grid = _plain(grid)
        if isinstance(grid, bool) or not isinstance(grid, int) or not 0 <= grid <= _MAX_COUNT:
            raise ValueError("grid: expected a whole number from 2 to 10000000")
        self._refuse_set_and_varied([param])
        text = _axis_text(param, (lo, hi), with_n=False)
        doc = _json.loads(self._analysis().thresholds(text, grid, _threads(threads)))
        return _frames.thresholds_frame(doc)

    def tornado(self, values=None, range="auto", grid=21, threads=0):
        """Which parameters move a value most over their ranges (``parley tornado``): each
        parameter with a range at its low and high end, the others at their base values.

        ``values``: a value column or a list of them (default: each bargaining party's
        payoff). ``range``: "auto" (a distribution's 5-95 % quantiles where there is one,
        else min/max), "bounds" or "quantiles". ``grid``: points per range searched for
        outcome changes (0: compare the ends and the base only).

        Returns a DataFrame with the CSV's columns (value, rank, parameter, range, low, base,
        high, value_low, value_base, value_high, swing, outcome_changes, thresholds), widest
        swing first per value; ``df.attrs["json"]`` holds the command's JSON document.
        """
        import io
        import pandas as pd
        grid = _plain(grid)
        if isinstance(grid, bool) or not isinstance(grid, int) or not 0 <= grid <= _MAX_COUNT:
            raise ValueError("grid: expected 0 or a whole number from 2 to 1000000")
        if values is None:
            values = list(_parley.scenario_party_columns(self._file()))
        elif isinstance(values, str):
            values = [values]
        csv, doc = self._analysis().tornado(list(values), range, grid, _threads(threads))
        # Names as written: a player "NA" or a parameter "nan" or "1" is a name, not a missing
        # value or a number (pandas' defaults); only the empty numeric cells are missing.
        text = ["value", "parameter", "range", "thresholds", "outcome_changes"]
        # float_precision="round_trip": pandas' default parser reads the CSV's shortest decimals
        # to a neighbouring double at times (222.20000000000002 as 222.2), unlike the JSON.
        df = pd.read_csv(io.StringIO(csv), dtype={name: str for name in text}, keep_default_na=False,
                         na_values={name: [""] for name in ["low", "base", "high", "value_low", "value_base",
                                                            "value_high", "swing"]},
                         float_precision="round_trip")
        # Read as text above (so that no name turns into a number), outcome_changes is the
        # CSV's true/false: a bool column, as the JSON has it ("false" as a string is truthy).
        df["outcome_changes"] = df["outcome_changes"].map({"true": True, "false": False}).astype(bool)
        df.attrs["json"] = _json.loads(doc)
        return df

    def montecarlo(self, samples=10_000, seed=1, threads=0, shard=None):
        """Draws the uncertain parameters ``samples`` times and solves each draw
        (``parley montecarlo``); same seed, same result, whatever the threads.

        Returns a :class:`MonteCarlo`: ``samples`` (DataFrame: sample, the values,
        the drawn parameters, outcome), ``outcomes`` (probabilities with 95 % Wilson intervals), ``values`` (statistics)
        and ``summary`` (the command's JSON without the samples). ``shard=(k, n)``: only
        slice k of n (the command's ``--shard k/n``; one run keeps at most 2e7 samples).
        """
        samples, seed = _plain(samples), _plain(seed)
        if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= _MAX_COUNT:
            raise ValueError("samples: expected a positive whole number (one run keeps at most 2e7; "
                             "more with shard=(k, n))")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64:
            raise ValueError("seed: expected a whole number from 0 to 2**64 - 1")
        return MonteCarlo(self._analysis().montecarlo(samples, seed, _threads(threads), _shard(shard)))

    def report(self, path, all=False, exact=False, max=1000, show=3, vary=None):
        """Writes ``parley report``'s report to ``path`` (.html or .md); ``vary``
        ({name: (lo, hi, n)}) adds a chart of the outcome against one parameter."""
        text = ""
        if vary:
            items = _items(vary, "vary")
            if len(items) != 1:
                raise ValueError("vary: a report charts one parameter")
            self._refuse_set_and_varied([items[0][0]])
            text = _axis_text(*items[0], with_n=True)
        self._report(path, all, exact, max, text, show, _overrides(self._set), self._max_nodes)

    def __repr__(self):
        return (f"<Scenario {self.title!r} from {self._path}: players {self.players}, "
                f"{len(self.parameters)} parameters, {self.num_nodes} nodes>")


def _plain(x):
    """numpy scalars and the other numbers of Python's numeric tower as int or float (a
    Fraction as its exact text "1/3"); anything else unchanged, for the caller to refuse."""
    if isinstance(x, (bool, int, float, str)):
        return x
    if type(x).__name__ == "bool_":  # numpy's bool, not a number
        return bool(x)
    if isinstance(x, _numbers.Integral):
        return _operator.index(x)
    if isinstance(x, _numbers.Rational):
        return f"{x.numerator}/{x.denominator}"
    if isinstance(x, _numbers.Real):
        return float(x)
    return x


def _whole(name, x, low, high=_MAX_COUNT):
    """A whole number from `low` to `high` (not a float such as 2.9, which would be cut to 2)."""
    x = _plain(x)
    if isinstance(x, bool) or not isinstance(x, int) or not low <= x <= high:
        top = "2**63 - 1" if high == _MAX_COUNT else "2**31 - 1" if high == 2**31 - 1 else str(high)
        raise ValueError(f"{name}: expected a whole number from {low} to {top}, not {x!r}")
    return x


def _id(name, x, what):
    """An id a GameBuilder method returned (None where allowed is passed through): a whole
    number from 0, checked here so that -1 or 2.0 gets a sentence, not a signature listing."""
    if x is None:
        return None
    x = _plain(x)
    if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < 2**32:
        raise ValueError(f"{name}: expected {what} (a whole number from 0, as the builder returns it), not {x!r}")
    return x


def _player(x):
    """A player as the builder takes one: a name, or a number from 0 (not True, which is 1,
    nor 1.0)."""
    x = _plain(x)
    if isinstance(x, str):
        return x
    if isinstance(x, bool) or not isinstance(x, int) or not 0 <= x < 2**31:
        raise ValueError(f"player: expected a player's name or number (from 0), not {x!r}")
    return x


def _flag(name, x):
    """True or False (not "no", which bool() takes for True)."""
    x = _plain(x)
    if not isinstance(x, bool):
        raise ValueError(f"{name}: expected True or False, not {x!r}")
    return x


def _threads(threads):
    threads = _plain(threads)
    if isinstance(threads, bool) or not isinstance(threads, int) or not 0 <= threads < 2**31:
        raise ValueError("threads: expected 0 (one per core) or a positive whole number")
    return threads


def _shard(shard):
    """(k, n) -> "k/n", the command line's --shard (checked by the library)."""
    if shard is None:
        return ""
    try:
        k, n = shard
    except (TypeError, ValueError):
        raise ValueError(f"shard: expected (k, n), e.g. (1, 4), not {shard!r}") from None
    k, n = _plain(k), _plain(n)
    if any(isinstance(x, bool) or not isinstance(x, int) for x in (k, n)):
        raise ValueError(f"shard: expected two whole numbers, not {shard!r}")
    return f"{k}/{n}"


def _items(mapping, what):
    if not isinstance(mapping, dict) or not mapping:
        raise ValueError(f"{what}: expected a dict such as {{'carveout_cost': (0, 10, 21)}}")
    return list(mapping.items())


def _axis_text(name, spec, with_n):
    """(name, (lo, hi[, n])) -> "name=lo:hi[:n]", the command line's --vary."""
    if isinstance(spec, str):
        return f"{name}={spec}"
    try:
        parts = list(spec)
    except TypeError:
        raise ValueError(f"{name}: expected (lo, hi{', n' if with_n else ''}), not {spec!r}") from None
    if len(parts) not in ((2, 3) if with_n else (2,)):
        raise ValueError(f"{name}: expected (lo, hi{', n' if with_n else ''}), not {spec!r}")
    parts = [float(x) if isinstance(x, _numbers.Rational) and not isinstance(x, _numbers.Integral)
             else _plain(x) for x in parts]
    for x in parts:
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise ValueError(f"{name}: {x!r} is not a number")
    if len(parts) == 3 and (not isinstance(parts[2], int) or parts[2] < 2):
        raise ValueError(f"{name}: the number of grid points must be a whole number of at least 2")
    return f"{name}=" + ":".join(_number_text(x) for x in parts)


def _lambda_value(x):
    x = _plain(x)
    if isinstance(x, str):  # "1/2", "0.25" (as --lambda takes them), or a Fraction's text
        try:
            x = float(_fractions.Fraction(x.strip()))
        except (ValueError, ZeroDivisionError, OverflowError):
            pass
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not _math.isfinite(x) or x < 0:
        raise ValueError(f"lambda: {x!r} is not a number >= 0")
    return float(x)


def _seconds_value(x):
    x = _plain(x)
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not _math.isfinite(x) or x <= 0:
        finite = "finite " if isinstance(x, float) and not _math.isfinite(x) else ""
        raise ValueError(f"max_seconds: {x!r} is not a {finite}number greater than 0")
    return float(x)


def _counts_csv(counts):
    """Rows (player, set, action, count), or a DataFrame with those columns, as the CSV text
    ``parley qre --fit`` reads (so both are checked by the same code)."""
    if hasattr(counts, "columns") and hasattr(counts, "itertuples"):
        missing = [c for c in ("player", "set", "action", "count") if c not in counts.columns]
        if missing:
            raise ValueError(f"counts: the DataFrame has no column {missing[0]!r} (it needs "
                             "player, set, action, count)")
        counts = counts[["player", "set", "action", "count"]].itertuples(index=False, name=None)
    lines = ["player,set,action,count"]
    try:
        rows = list(counts)
    except TypeError:
        raise ValueError("counts: expected a CSV file, rows (player, set, action, count) or a "
                         "DataFrame with those columns") from None
    for row in rows:
        try:
            player, infoset, action, count = row
        except (TypeError, ValueError):
            raise ValueError(f"counts: expected rows (player, set, action, count), not {row!r}") from None
        cells = []
        for x in (player, infoset, action, count):
            text = _number_text(x) if isinstance(x, float) else str(x)
            if any(c in text for c in "\n\r"):
                raise ValueError(f"counts: {text!r} cannot be a cell (no line breaks)")
            if any(c in text for c in ',"'):  # quoted as the CSV the command reads
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def merge(files):
    """Combines the shards of a sweep or Monte Carlo run (``parley merge``): ``files`` are
    the JSON outputs of ``parley sweep/montecarlo --shard K/N --format json``. Returns what
    the whole run returns: a sweep's DataFrame, or a :class:`MonteCarlo`. Raises
    :class:`InputError` naming a file that is not such a result or not of the same run."""
    if isinstance(files, (str, bytes, _os.PathLike)):
        files = [files]
    paths = [_os.fspath(f) for f in files]
    if not paths:
        raise ValueError("merge: give the shard files to combine")
    result = _parley.merge(paths)
    if result["kind"] == "sweep":
        return _frames.sweep_frame(result)
    return MonteCarlo(result)


class Qre(_Record):
    """An agent logit QRE trace (``parley qre --format json``): ``json`` is the command's
    document; ``points`` the profiles, one per lambda; ``frame`` the command's CSV as a
    DataFrame (lambda, player, set, set_label, action, probability); ``incomplete``."""

    @property
    def points(self):
        """[(lambda, Equilibrium)]: each profile with its ``behavior`` (and beliefs) and
        ``probabilities``."""
        return [(p["lambda"], Equilibrium({"behavior": p["profile"]})) for p in self.json["points"]]

    @property
    def frame(self):
        return _frames.qre_frame(self.json)

    @property
    def incomplete(self):
        """Why the trace stopped before the last lambda (None when it did not)."""
        return self.json.get("incomplete")

    def __len__(self):
        return len(self.json["points"])

    def __repr__(self):
        ls = [p["lambda"] for p in self.json["points"]]
        shown = f"lambda={ls[0]:g}" if len(ls) == 1 else f"{len(ls)} lambdas"
        more = f"; incomplete: {self.incomplete}" if self.incomplete else ""
        return f"<Qre: {shown}{more}>"


class QreFit(_Record):
    """A maximum-likelihood lambda (``parley qre --fit --format json``): ``lambda_``,
    ``standard_error`` (None except at a maximum inside the search's range where the slope
    vanishes and the observed information is positive), ``log_likelihood``,
    ``observations``, ``at_zero``, ``flat``, ``at_search_limit``, ``search_limit``,
    ``other_maxima`` (local maxima about as likely: within 1.92 of the best log-likelihood),
    ``branch_turns_back_at`` and ``better_past_turn`` (where the branch bends back in lambda
    the search compares each lambda's first crossing only: a better point past the turn, as a
    dict, or None; a warning says so too); ``profile`` is the QRE at the
    fitted lambda (an :class:`Equilibrium`-like record); ``json`` the command's document."""

    def __init__(self, record, point):
        super().__init__(record)
        self._point = point

    @property
    def lambda_(self):
        """The fitted lambda (``lambda`` is a Python keyword; also ``fit["lambda"]``)."""
        return self.json["lambda"]

    @property
    def profile(self):
        return Equilibrium({"behavior": self._point["profile"]})

    @property
    def frame(self):
        """The fitted profile as rows of ``parley qre --lambda --format csv`` (lambda, player,
        set, ...) at the fitted lambda."""
        return _frames.qre_frame({"points": [self._point]})

    def __repr__(self):
        se = self.json["standard_error"]
        err = f" ± {se:.3g}" if se is not None else ""
        return (f"<QreFit: lambda {self.json['lambda']:.6g}{err}, log-likelihood "
                f"{self.json['log_likelihood']:.6g} over {self.json['observations']:g} choices>")


class MonteCarlo:
    """A Monte Carlo run: ``samples`` (DataFrame, one row per draw: ``sample``, the values,
    the drawn parameters, ``outcome``), ``outcomes`` (DataFrame: outcome, count, probability, ci_low, ci_high;
    most frequent first), ``values`` (DataFrame of statistics per value), ``summary`` (the
    command's JSON: seed, requested, computed, outcomes, values), ``seed``."""

    def __init__(self, result):
        self.summary = _json.loads(result["summary"])
        self.samples = _frames.samples_frame(result)
        self.outcomes = _frames.shares_frame(self.summary)
        self.values = _frames.stats_frame(self.summary)
        self.seed = self.summary["seed"]

    def __len__(self):
        return len(self.samples)

    def __repr__(self):
        top = self.summary["outcomes"][0] if self.summary["outcomes"] else None
        head = f"; most likely ({top['probability']:.3g}): {top['outcome']}" if top else ""
        return f"<MonteCarlo: {len(self.samples)} samples, seed {self.seed}{head}>"


class BargainingSolution(_Record):
    """One bargaining solution: ``payoffs``, ``method``, ``precision``, ``gap`` and where
    they apply ``weights``, ``issues``, ``lottery``, ``ties``, ``pure_cost``, ..."""

    def __repr__(self):
        extra = f", issues={self.json['issues']}" if "issues" in self.json else ""
        return f"BargainingSolution(payoffs={self.json.get('payoffs')}{extra})"


class BargainingResult(_Record):
    """What ``parley bargain --format json`` prints: ``disagreement``, ``ideal``,
    ``solutions`` (by concept), and each concept as an attribute: ``nash``,
    ``weighted_nash``, ``kalai_smorodinsky``, ``egalitarian``, ``utilitarian`` (None when
    not computed). Alternating offers: ``shares`` and the rest of its record."""

    def _solution(name):
        def get(self):
            s = self.json.get("solutions", {}).get(name)
            return BargainingSolution(s) if s is not None else None
        return property(get, doc=f"The {name.replace('_', ' ')} solution (a BargainingSolution).")

    nash = _solution("nash")
    weighted_nash = _solution("weighted_nash")
    kalai_smorodinsky = _solution("kalai_smorodinsky")
    egalitarian = _solution("egalitarian")
    utilitarian = _solution("utilitarian")
    del _solution

    def __repr__(self):
        if "solutions" in self.json:
            parts = ", ".join(f"{k}={v.get('payoffs')}" for k, v in self.json["solutions"].items())
            return f"<BargainingResult d={self.json.get('disagreement')}: {parts}>"
        return f"<BargainingResult {self.json}>"


def _vector(x, what):
    if x is None:
        return None
    try:
        out = [float(v) for v in x]
    except (TypeError, ValueError):
        raise ValueError(f"{what}: expected a list of numbers, not {x!r}") from None
    return out


def bargain(outcomes=None, *, disagreement=None, weights=None, pure=False, issues=None,
            utilities=None, surplus=None, players=2):
    """Bargaining solutions (``parley bargain``): Nash, weighted Nash (with ``weights``),
    Kalai-Smorodinsky, egalitarian and utilitarian.

    One problem: ``outcomes`` (payoff vectors, e.g. [(4, 1), (1, 3)]; lotteries allowed
    unless ``pure``), or ``issues`` ({name: (lower, upper)}) with ``utilities`` (one formula
    per player), or a transferable ``surplus`` among ``players``. ``disagreement``: the
    disagreement point (default 0). Returns a :class:`BargainingResult`.
    """
    rows = None
    if outcomes is not None:
        try:
            rows = [_vector(o, "outcomes") for o in outcomes]
        except TypeError:
            raise ValueError("outcomes: expected a list of payoff vectors, e.g. [(4, 1), (1, 3)]") from None
    issue_list = None
    if issues is not None:
        issue_list = []
        for name, spec in _items(issues, "issues"):
            lo, hi = _vector(spec, f"issues[{name!r}]") if not isinstance(spec, str) else (None, None)
            if lo is None:
                raise ValueError(f"issues[{name!r}]: expected (lower, upper)")
            issue_list.append((str(name), lo, hi))
    if utilities is not None:
        utilities = [str(u) for u in utilities]
    text = _parley.bargain(rows, _flag("pure", pure), issue_list, utilities,
                           None if surplus is None else float(surplus), _whole("players", players, 2, 2**31 - 1),
                           _vector(disagreement, "disagreement"), _vector(weights, "weights"))
    return BargainingResult(_json.loads(text))


def threat_game(row, column, transferable=False, weights=None):
    """Nash's variable-threat game (``parley bargain --threats-row/--threats-col``): the
    players' payoff matrices; returns a :class:`BargainingResult` with ``threats``."""
    text = _parley.bargain_threats([_vector(r, "row") for r in row],
                                   [_vector(c, "column") for c in column], _flag("transferable", transferable),
                                   _vector(weights, "weights") or [])
    return BargainingResult(_json.loads(text))


def alternating_offers(discount, first=1, rounds=None, breakdown=0.0, outside=(0.0, 0.0)):
    """Rubinstein's alternating offers over a pie of 1 (``parley bargain --alternating``):
    ``discount`` (d1, d2), the ``first`` proposer (1 or 2), a finite horizon ``rounds``,
    a ``breakdown`` probability per rejection and ``outside`` options. Returns a
    :class:`BargainingResult` with ``shares``."""
    d = _vector(discount, "discount")
    e = _vector(outside, "outside")
    if len(d) != 2 or len(e) != 2:
        raise ValueError("discount and outside take two numbers, one per player")
    if rounds is not None:
        rounds = _whole("rounds", rounds, 1, 2**31 - 1)
    text = _parley.bargain_alternating(d, _whole("first", first, 1, 2), rounds, float(breakdown), e)
    return BargainingResult(_json.loads(text))


class GameBuilder:
    """Builds a game node by node, for trees generated in code.

        b = parley.GameBuilder(["Entrant", "Incumbent"], title="Entry deterrence")
        enter = b.infoset("Entrant", ["In", "Out"])
        root = b.node(enter)                       # the root: no parent
        fight = b.infoset("Incumbent", ["Fight", "Accommodate"])
        n = b.node(fight, parent=root)             # the child for "In"
        b.terminal(root, payoffs=[0, 2])           # the child for "Out"
        b.terminal(n, payoffs=[-1, -1])
        b.terminal(n, payoffs=[1, 1])
        game = b.build()                           # validated; a Game

    Children attach to their parent in the order they are added: the i-th child follows the
    parent's i-th action. An information set is shared by giving several nodes the same
    id. Players are named or numbered from 0. Payoffs and probabilities are ints, floats or
    strings stated exactly ("1/3"). Mistakes raise ValueError (the builder's message names
    the node by the actions leading to it).
    """

    def __init__(self, players, title=""):
        self._b = _parley.Builder([str(p) for p in players])
        if title:
            self._b.set_title(str(title))

    def infoset(self, player, actions, label=""):
        """A personal information set of ``player`` with its action labels; returns its id."""
        return self._b.add_infoset(_player(player), [str(a) for a in actions], str(label))

    def chance(self, actions, probabilities, label=""):
        """A chance information set: actions and their probabilities; returns its id."""
        return self._b.add_chance([str(a) for a in actions], [_plain(p) for p in probabilities], str(label))

    def outcome(self, payoffs, label=""):
        """An outcome (one payoff per player), to share among nodes; returns its id."""
        return self._b.add_outcome([_plain(x) for x in payoffs], str(label))

    def node(self, infoset, parent=None, outcome=None, label=""):
        """A decision or chance node of ``infoset`` under ``parent`` (None: the root);
        ``outcome`` adds payoffs on the way. Returns the node's id."""
        if infoset is None:
            raise ValueError("infoset: expected an information set id (from infoset() or chance()), not None")
        return self._b.add_node(_id("parent", parent, "a node id"), _id("infoset", infoset, "an information set id"),
                                _id("outcome", outcome, "an outcome id"), str(label))

    def terminal(self, parent, payoffs=None, outcome=None, label=""):
        """A terminal node under ``parent`` with ``payoffs`` (or an ``outcome`` id)."""
        if payoffs is not None and outcome is not None:
            raise ValueError("give payoffs or outcome, not both")
        parent = _id("parent", parent, "a node id")  # before an outcome is added for nothing
        if payoffs is not None:
            outcome = self.outcome(payoffs, label)
        return self._b.add_terminal(parent, _id("outcome", outcome, "an outcome id"), str(label))

    @property
    def num_nodes(self):
        return self._b.num_nodes()

    def build(self):
        """Validates the tree and returns the :class:`Game` (the builder is then spent)."""
        return Game(self._b.build())

    def __repr__(self):
        try:
            return f"<GameBuilder: {self.num_nodes} nodes so far>"
        except ValueError:
            return "<GameBuilder: built>"
