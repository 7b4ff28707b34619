#!/usr/bin/env bash
# Installs Parley's build and test dependencies from Debian 12 packages (as root, or through
# sudo when available). Does nothing when every package is already there.
#   bash scripts/install-deps.sh                       what the default build and CI need
#   bash scripts/install-deps.sh --with-clp-library    also CLP's headers, for a private build
#                                                      with -DPARLEY_WITH_CLP_LIBRARY=ON
#   bash scripts/install-deps.sh --with-fuzzing        also clang and its runtime (libFuzzer),
#                                                      for scripts/fuzz.sh
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libboost-graph-dev libglpk-dev libcli11-dev doctest-dev nlohmann-json3-dev libgmp-dev
  libyaml-cpp-dev libmuparser-dev libeigen3-dev libsuitesparse-dev librsvg2-bin libbenchmark-dev
  libnlopt-cxx-dev  # nonlinear bargaining problems (LGPL-2.1+/MIT parts; see docs/licensing.md)
  pybind11-dev python3-dev python3-pybind11 python3-pandas python3-pytest  # the Python module
  python3-nbconvert python3-ipykernel  # runs docs/examples/openai_microsoft.ipynb in the tests
  chromium
  libcpp-httplib-dev  # parley serve's HTTP server (MIT; docs/explorer.md)
  chromium-driver     # WebDriver for the explorer's browser test (tests/explorer)
  coinor-clp   # the clp program: Parley runs it as a separate process for large LPs
  dpkg-dev     # dpkg-shlibdeps, for the .deb's dependencies (scripts/check-install.sh)
  locales      # locale sources: a test reads and writes numbers under a decimal-comma locale
)
for arg in "$@"; do
  case "$arg" in
    --with-clp-library) packages+=(coinor-libclp-dev) ;;
    --with-fuzzing) packages+=(clang libclang-rt-14-dev) ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

run=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  run=(sudo)
fi
echo "Installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
