#!/usr/bin/env bash
# Fails when a file in solver/ includes a header from a higher layer. The layers, lowest first,
# are written once, here (docs/architecture.md draws the same order): a file in solver/A may
# include "solver/B/..." only when B is A or lies below A. The CMake targets (one library per
# folder) stop most upward includes at link time; this check also catches header-only code,
# which a static library lets through. Run by ctest (tests/CMakeLists.txt).
#   bash scripts/check-layers.sh [ROOT]        (default: this repository)
# A folder of the order that does not exist yet is fine; a folder of solver/ that is not in the
# order, or an include of one, is an error (give it its place first).
set -euo pipefail

layers=(model io formula lp equilibrium bargaining scenario load analysis report)

root=${1:-"$(dirname "$0")/.."}
cd "$root"
[ -d solver ] || { echo "check-layers: no solver/ folder in $root" >&2; exit 1; }

declare -A rank
for i in "${!layers[@]}"; do rank[${layers[$i]}]=$i; done
order=$(IFS='<'; echo "${layers[*]}" | sed 's/</ < /g')

bad=0
for dir in solver/*/; do
  name=$(basename "$dir")
  if [ -z "${rank[$name]+set}" ]; then
    echo "check-layers: solver/$name is not in the layer order ($order): add it to scripts/check-layers.sh and docs/architecture.md" >&2
    bad=1
  fi
done

# file:line:#include "solver/B/..." for every include of another folder of solver/ (or of cli/).
while IFS= read -r hit; do
  file=${hit%%:*}
  rest=${hit#*:}
  line=${rest%%:*}
  if [[ $rest =~ include[[:space:]]*\"cli/ ]]; then
    target=cli
  elif [[ $rest =~ include[[:space:]]*\"solver/([a-z_0-9]+)/ ]]; then
    target=solver/${BASH_REMATCH[1]}
  else
    continue
  fi
  from=${file#solver/}
  from=${from%%/*}
  [ -n "${rank[$from]+set}" ] || continue  # reported above
  if [ "$target" = cli ]; then
    echo "$file:$line: solver/$from includes cli/, which is above every layer of solver/" >&2
    bad=1
    continue
  fi
  to=${target#solver/}
  if [ -z "${rank[$to]+set}" ]; then
    echo "$file:$line: solver/$from includes solver/$to, which is not in the layer order ($order)" >&2
    bad=1
  elif (( rank[$to] > rank[$from] )); then
    echo "$file:$line: solver/$from includes solver/$to, a higher layer (the order, lowest first: $order)" >&2
    bad=1
  fi
done < <(grep -rnE --include='*.h' --include='*.cc' --include='*.hpp' --include='*.cpp' \
           '^[[:space:]]*#[[:space:]]*include[[:space:]]*"(solver/[a-z_]+/|cli/)' solver || true)

if [ "$bad" -ne 0 ]; then
  echo "check-layers: includes must go down the layers; move the code instead of the include" >&2
  exit 1
fi
echo "check-layers: every include in solver/ goes down the layers ($order)"
