#!/usr/bin/env bash
# Checks installation and packaging (called by .ci/run after the test suite has built
# everything): installs into a temporary prefix, solves the installed OpenAI-Microsoft
# scenario with the installed binary (and, when built, the installed Python module) from
# another folder, then builds the .deb with cpack and checks its dependencies and file list,
# and runs the binary and the module unpacked from it.
#   bash scripts/check-install.sh [BUILD_DIR]        (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
[ -f "$build/CMakeCache.txt" ] || { echo "check-install: $build is not configured" >&2; exit 1; }
build=$(cd "$build" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "check-install: $*" >&2; exit 1; }

python=$(sed -n 's/^PARLEY_PYTHON:BOOL=//p' "$build/CMakeCache.txt")
targets=(parley_cli parley_manpage)
[ "$python" = ON ] && targets+=(parley_python)
cmake --build "$build" --target "${targets[@]}" >/dev/null
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/parley share/man/man1/parley.1.gz share/bash-completion/completions/parley \
         share/parley/scenarios/openai_microsoft.yaml share/parley/games/ultimatum.yaml \
         share/doc/parley/README.md share/doc/parley/LICENSE share/doc/parley/licensing.md \
         share/doc/parley/copyright; do
  [ -e "$prefix/$f" ] || fail "the install lacks $f"
done
gzip -t "$prefix/share/man/man1/parley.1.gz" || fail "the man page is not valid gzip"
for section in NAME SYNOPSIS COMMANDS COPYRIGHT; do
  zcat "$prefix/share/man/man1/parley.1.gz" | grep -q "^\.SH $section" ||
    fail "the man page has no $section section"
done
zcat "$prefix/share/man/man1/parley.1.gz" | grep -q '^\.SS solve' || fail "the man page lacks 'solve'"
bash -n "$prefix/share/bash-completion/completions/parley" || fail "the bash completion does not parse"

# The installed binary on the installed scenario, from a folder with nothing of the source
# tree in it (so no path relative to the sources can help).
solve() {
  local bin=$1 scenario=$2 out
  out=$(cd "$work" && "$bin" solve "$scenario") || fail "'$bin solve $scenario' failed"
  [ -n "$out" ] || fail "'$bin solve $scenario' printed nothing"
  echo "$out" | head -n 3
}
solve "$prefix/bin/parley" "$prefix/share/parley/scenarios/openai_microsoft.yaml"
"$prefix/bin/parley" --version | grep -q 'GPL-3.0-or-later' || fail "--version has no licence line"
echo "check-install: installed into a temporary prefix; the installed binary solves the installed scenario"

# The Python module, imported by Debian's python3 from where the install put it, solving the
# installed scenario (again from a folder with nothing of the source tree).
pysolve() {
  local site=$1 scenario=$2
  (cd "$work" && PYTHONPATH=$site /usr/bin/python3 -c '
import sys, parley
assert parley.__file__.startswith(sys.argv[1]), parley.__file__
sol = parley.load(sys.argv[2]).solve()
assert sol.equilibria and sol.bargaining, sol
print("python:", sol)' "$site" "$scenario") || fail "the Python module from $site does not solve $scenario"
}
if [ "$python" = ON ]; then
  pysolve "$prefix/lib/python3/dist-packages" "$prefix/share/parley/scenarios/openai_microsoft.yaml"
fi

# The Debian package.
command -v dpkg-shlibdeps >/dev/null || fail "dpkg-shlibdeps is missing (package dpkg-dev)"
rm -f "$build"/parley_*.deb
(cd "$build" && cpack -G DEB >/dev/null) || fail "cpack -G DEB failed"
debs=("$build"/parley_*.deb)
[ ${#debs[@]} -eq 1 ] && [ -f "${debs[0]}" ] || fail "cpack made no parley_*.deb"
deb=${debs[0]}
info=$(dpkg-deb -I "$deb")
depends=$(echo "$info" | sed -n 's/^ Depends: //p')
recommends=$(echo "$info" | sed -n 's/^ Recommends: //p')
for p in libc6 libstdc++6 libglpk40 libgmp10 libyaml-cpp0.7 libmuparser2v5; do
  [[ ", $depends," == *", $p "* || ", $depends," == *", $p,"* ]] || fail "Depends lacks $p: $depends"
done
[[ $recommends == *coinor-clp* ]] || fail "Recommends lacks coinor-clp: $recommends"
for p in coinor-libclp1 coinor-libcoinutils3v5; do
  [[ $depends != *$p* ]] || fail "Depends names $p (CLP must not be linked): $depends"
done
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/parley ./usr/share/man/man1/parley.1.gz \
         ./usr/share/bash-completion/completions/parley \
         ./usr/share/parley/scenarios/openai_microsoft.yaml ./usr/share/parley/games/ultimatum.yaml \
         ./usr/share/doc/parley/copyright ./usr/share/doc/parley/licensing.md; do
  echo "$files" | grep -qx -- "$f" || fail "the .deb lacks $f"
done
outside=$(echo "$files" | grep -v '^\./usr/' | grep -vx '\./' || true)
[ -z "$outside" ] || fail "the .deb installs outside /usr: $outside"
dpkg-deb -x "$deb" "$work/deb"
solve "$work/deb/usr/bin/parley" "$work/deb/usr/share/parley/scenarios/openai_microsoft.yaml" >/dev/null
if [ "$python" = ON ]; then
  for f in ./usr/lib/python3/dist-packages/parley/__init__.py ./usr/lib/python3/dist-packages/parley/_frames.py; do
    echo "$files" | grep -qx -- "$f" || fail "the .deb lacks $f"
  done
  echo "$files" | grep -q '^\./usr/lib/python3/dist-packages/parley/_parley\..*so$' ||
    fail "the .deb lacks the extension parley/_parley*.so"
  [[ $recommends == *python3-pandas* ]] || fail "Recommends lacks python3-pandas: $recommends"
  pysolve "$work/deb/usr/lib/python3/dist-packages" "$work/deb/usr/share/parley/scenarios/openai_microsoft.yaml" >/dev/null
fi
echo "check-install: $(basename "$deb"): Depends: $depends; Recommends: $recommends"
