#!/usr/bin/env bash
# Parley's logit tracer against Gambit's gambit-logit on the same games: the random
# three-player games with hidden moves of bench/logit_bench.cc (bench/hidden_moves_games.h),
# written as .efg by build/bench/logit_games. For each depth and seed it runs
#   gambit-logit -q -e -d 17 $GAMBIT_OPTS GAME.efg       (the terminal point of the branch)
#   parley solve --method logit --format json GAME.efg
# under /usr/bin/time (user + system CPU seconds) with a limit of $LIMIT CPU seconds each
# (and 4 x $LIMIT of wall time, for a loaded machine), and checks both answers with
# `logit_games --verify` (the largest gain of any player from deviating; an equilibrium when
# at most 1e-9). Prints one table row per game. Not part of the test suite: it takes minutes.
#
#   bash bench/compare_gambit_logit.sh PATH/TO/gambit-logit     (or GAMBIT_LOGIT=...)
#
# Settings (environment): DEPTHS (default "6 8 9 10": 127 to 2,047 nodes), SEEDS ("1 2 3"),
# LIMIT (300), GAMBIT_OPTS ("-m 1e-11": gambit-logit stops when the largest regret is below
# that fraction of the payoffs' range, 0-100 here, so 1e-9 in payoff units, the accuracy Parley
# verifies; Gambit's own default, 1e-8, stops at 1e-6), PARLEY (build/cli/parley),
# LOGIT_GAMES (build/bench/logit_games), WORK (a scratch folder, kept when given).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

gambit=${1:-${GAMBIT_LOGIT:-}}
if [ -z "$gambit" ]; then
  echo "compare_gambit_logit: skipped: no gambit-logit given (pass its path as the argument" \
       "or in GAMBIT_LOGIT; it is built from Gambit's sources, see docs/performance.md)"
  exit 0
fi
if [ ! -x "$gambit" ] && ! command -v "$gambit" >/dev/null; then
  echo "error: gambit-logit '$gambit' is not an executable; give the path of a built gambit-logit" >&2
  exit 1
fi
parley=${PARLEY:-build/cli/parley}
games=${LOGIT_GAMES:-build/bench/logit_games}
for tool in "$parley" "$games" /usr/bin/time python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: '$tool' not found; build it first (cmake --build build --target parley_cli logit_games)" >&2
    exit 1
  fi
done
depths=${DEPTHS:-6 8 9 10}
seeds=${SEEDS:-1 2 3}
limit=${LIMIT:-300}
gambit_opts=${GAMBIT_OPTS:--m 1e-11}
if [ -n "${WORK:-}" ]; then
  work=$WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi

# run NAME COMMAND...: runs the command with the limits; NAME.out, NAME.err, NAME.cpu (CPU
# seconds) and NAME.rc (the exit code, or "limit" when a limit stopped it: timeout's 124, or
# SIGKILL or SIGXCPU from the CPU limit).
run() {
  local name=$1
  shift
  (
    ulimit -t "$limit"
    exec /usr/bin/time -f '%U %S' -o "$name.time" timeout $((4 * limit)) "$@"
  ) > "$name.out" 2> "$name.err"
  local rc=$?
  case $rc in 124 | 137 | 152) rc=limit ;; esac
  echo "$rc" > "$name.rc"
  tail -n 1 "$name.time" | awk '{ printf "%.2f\n", $1 + $2 }' > "$name.cpu"
}

# verdict GAME NAME: "GAIN yes|no" from logit_games --verify on NAME.profile, or "- -".
verdict() {
  if [ -s "$2.profile" ] && "$games" --verify "$1" "$2.profile" > "$2.verify" 2>&1; then
    awk '/^max_gain/ { g = $2 } /^equilibrium/ { e = $2 } END { print g, e }' "$2.verify"
  else
    echo "- -"
  fi
}

printf '| nodes | sets | seed | Gambit CPU s | exit | largest gain | equilibrium | Parley CPU s | exit | largest gain | equilibrium |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for depth in $depths; do
  for seed in $seeds; do
    game=$work/d${depth}s${seed}.efg
    "$games" "$depth" "$seed" > "$game" || exit 1
    nodes=$(grep -c '^[cpt] ' "$game")
    sets=$(grep -c '^p .*{' "$game")

    g=$work/d${depth}s${seed}.gambit
    # shellcheck disable=SC2086  # the options are words
    run "$g" "$gambit" -q -e -d 17 $gambit_opts "$game"
    grep '^NE,' "$g.out" | tail -n 1 > "$g.profile"

    p=$work/d${depth}s${seed}.parley
    run "$p" "$parley" solve --method logit --format json "$game"
    # Parley's profile in Gambit's order (players in turn, sets by number), so that the same
    # check judges both answers.
    python3 - "$p.out" > "$p.profile" 2>/dev/null <<'EOF'
import json, sys
eq = json.load(open(sys.argv[1]))["equilibria"][0]
sets = sorted(eq["behavior"], key=lambda s: (s["player"], s["number"]))
print(",".join(repr(a["probability"]) for s in sets for a in s["actions"]))
EOF

    read -r g_gain g_ok < <(verdict "$game" "$g")
    read -r p_gain p_ok < <(verdict "$game" "$p")
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$nodes" "$sets" "$seed" \
      "$(cat "$g.cpu")" "$(cat "$g.rc")" "$g_gain" "$g_ok" "$(cat "$p.cpu")" "$(cat "$p.rc")" \
      "$p_gain" "$p_ok"
  done
done
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); gambit-logit options: -q -e -d 17 $gambit_opts;" \
     "limits ${limit} s of CPU, $((4 * limit)) s of wall time (exit \"limit\": stopped by one)"
