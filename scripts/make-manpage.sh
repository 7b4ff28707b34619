#!/usr/bin/env bash
# Writes parley's man page (roff) to OUTPUT from the program's own help: `parley --version`,
# `parley --help` and `parley COMMAND --help` for every command, so the page never disagrees
# with the program. Run by the build (target parley_manpage).
#   bash scripts/make-manpage.sh build/cli/parley build/parley.1
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 PARLEY OUTPUT" >&2; exit 2; }
parley=$1
output=$2
export LC_ALL=C

# Text as roff: backslashes escaped, a leading dot or quote made literal, hyphens as minus
# signs (so options can be copied from the page).
roff() { sed -e 's/\\/\\e/g' -e 's/^\([.'"'"']\)/\\\&\1/' -e 's/-/\\-/g'; }

version=$("$parley" --version | head -n 1 | awk '{print $2}')
commands=$("$parley" --help | awk 'tolower($0) ~ /^subcommands:/ {s = 1; next} s && /^  [a-z]/ {print $1}')
[ -n "$commands" ] || { echo "make-manpage: no commands found in '$parley --help'" >&2; exit 1; }

{
  echo ".TH PARLEY 1 \"\" \"parley $version\" \"User Commands\""
  echo ".SH NAME"
  echo "parley \\- game-theoretic bargaining solver"
  echo ".SH SYNOPSIS"
  echo ".B parley"
  echo ".I COMMAND"
  echo "[\\fIOPTIONS\\fR] [\\fIFILE\\fR]"
  echo ".SH DESCRIPTION"
  echo "Parley turns a negotiation into an extensive-form game, solves it for its subgame-perfect"
  echo "equilibria, settles bargaining steps with the Nash bargaining solution and its relatives,"
  echo "and explains what it found. It reads scenario files (YAML) and Gambit .efg and .nfg files."
  echo ".PP"
  echo ".nf"
  "$parley" --help | roff
  echo ".fi"
  echo ".SH COMMANDS"
  for c in $commands; do
    echo ".SS $c"
    echo ".nf"
    "$parley" "$c" --help | roff
    echo ".fi"
  done
  echo ".SH EXIT STATUS"
  echo "0 on success, 1 on bad input (one line: error: file:line:col: what is wrong),"
  echo "2 on a usage error, 3 when an internal check fails (a bug: please report it)."
  echo ".SH FILES"
  echo ".TP"
  echo ".I /usr/share/parley/games"
  echo "textbook games as scenario files"
  echo ".TP"
  echo ".I /usr/share/parley/scenarios"
  echo "policy scenarios, the 2025 OpenAI\\-Microsoft renegotiation first"
  echo ".TP"
  echo ".I /usr/share/doc/parley"
  echo "the user guide: tutorial, scenario format, commands, theory"
  echo "(the prefix is the one Parley was installed under)"
  echo ".SH COPYRIGHT"
  echo ".nf"
  "$parley" --version | tail -n +2 | roff
  echo ".fi"
} > "$output.tmp"
mv "$output.tmp" "$output"
