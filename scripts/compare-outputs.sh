#!/usr/bin/env bash
# Runs a fixed set of parley commands over games/, scenarios/ and a few command-line problems
# and writes each command's output (stdout, stderr, exit code) to OUT_DIR, one file per command.
# Two runs, with two builds, are compared with `diff -r`: a refactoring must leave them identical.
#
#   bash scripts/compare-outputs.sh build/cli/parley /tmp/before
#   bash scripts/compare-outputs.sh build/cli/parley /tmp/after && diff -r /tmp/before /tmp/after
set -uo pipefail
parley=$(realpath "${1:?usage: compare-outputs.sh PARLEY_BINARY OUT_DIR}")
out=${2:?usage: compare-outputs.sh PARLEY_BINARY OUT_DIR}
cd "$(dirname "$0")/.."
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Inputs are named by relative paths (error messages quote them), from a scratch folder in
# which the repository's input folders are linked.
for d in games scenarios tests; do ln -s "$PWD/$d" "$tmp/$d"; done
ulimit -v 4000000  # 4 GB: a command that would exhaust memory fails here instead

n=0
run() {  # run NAME ARGS...: records stdout, stderr and the exit code of `parley ARGS...`
  local name=$1; shift
  n=$((n + 1))
  (cd "$tmp" && "$parley" "$@") > "$out/$name.out" 2> "$out/$name.err"
  echo "exit $?" >> "$out/$name.out"
  # Written files (-o) are compared too.
  for f in "$tmp"/*; do
    [ -L "$f" ] || mv "$f" "$out/$name.file.$(basename "$f")"
  done
}

for g in games/*.yaml scenarios/*.yaml tests/data/*.efg tests/data/scenario/*.yaml; do
  b=$(echo "$g" | tr '/' '_')
  run "$b.solve" solve "$g"
  run "$b.solve.json" solve "$g" --format json
  run "$b.solve.all" solve "$g" --all --format json
  run "$b.show" show "$g"
  run "$b.validate" validate "$g"
  run "$b.report.md" report "$g" --format markdown -o report.md
  run "$b.draw.svg" draw "$g" -o tree.svg
  run "$b.convert.efg" convert "$g" game.efg
done
for g in games/holdup_nash.yaml games/alternating_offers.yaml; do
  b=$(echo "$g" | tr '/' '_')
  run "$b.solve.exact" solve "$g" --exact
done
run om.thresholds thresholds "scenarios/openai_microsoft.yaml" --vary carveout_cost=0:5
run om.montecarlo montecarlo "scenarios/openai_microsoft.yaml" --samples 2000 --seed 1
run om.sweep sweep "scenarios/openai_microsoft.yaml" --vary carveout_cost=0:5:6 --format csv
run pr.montecarlo montecarlo "scenarios/platform_regulator.yaml" --samples 2000 --seed 3 --format json
run pr.sweep sweep "scenarios/platform_regulator.yaml" --vary sales=500:1500:3 --vary complaint_cost=0:20:3
run bargain.outcomes bargain --outcomes "4,1;1,3"
run bargain.outcomes.json bargain --outcomes "4,1;1,3" --disagreement 1,0 --weights 2,1 --format json
run bargain.issue bargain --issue x=0:1 --utility "sqrt(x)" --utility "1-x"
run bargain.issue.json bargain --issue x=0:1 --utility "sqrt(x)" --utility "1-x" --format json
run bargain.surplus bargain --surplus 1 --players 3 --weights 1,2,3
run bargain.threats bargain --threats-row "5,1;2,4" --threats-col "1,2;3,1"
run bargain.threats.tu bargain --threats-row "5,1;2,4" --threats-col "1,2;3,1" --transferable
run bargain.alternating bargain --alternating --discount 0.9,0.8
run bargain.alternating.json bargain --alternating --discount 0.9,0.8 --first 2 --rounds 5 --format json
run qre.trust qre "games/trust_game.yaml" --lambda 0:5:3
echo "$n commands recorded in $out"
