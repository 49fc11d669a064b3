#!/usr/bin/env bash
# Puts a generated section into BENCHMARKS.md: replaces the lines from "<!-- MARKER" to
# "<!-- /MARKER -->" with SECTION_FILE (which carries both marker lines), or appends it.
#   bench/section.sh MARKER SECTION_FILE        e.g. bench/section.sh bench/run.sh "$work/section.md"
set -euo pipefail
marker=$1 section=$2
md="$(cd "$(dirname "$0")/.." && pwd)/BENCHMARKS.md"
if grep -qF "<!-- $marker" "$md"; then
  awk -v f="$section" -v first="<!-- $marker" -v last="<!-- /$marker -->" '
    index($0, first) == 1 && !skip {while ((getline l < f) > 0) print l; skip = 1; next}
    index($0, last) == 1 {skip = 0; next} !skip' "$md" > "$md.tmp"
else
  { cat "$md"; echo; cat "$section"; } > "$md.tmp"
fi
mv "$md.tmp" "$md"
