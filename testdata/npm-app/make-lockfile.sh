#!/usr/bin/env bash
# Regenerates package-lock.json from package.json with the npm on PATH (npm 11 here), the way a
# project makes one: `npm install --package-lock-only`, nothing installed, no scripts run. The
# user's .npmrc is left out (--userconfig /dev/null) so host settings such as
# omit-lockfile-registry-resolved do not change the file; every package keeps its "resolved".
# Usage: testdata/npm-app/make-lockfile.sh [DIR]   (DIR defaults to this directory; it needs a package.json)
set -euo pipefail
dir="${1:-$(cd "$(dirname "$0")" && pwd)}"
cd "$dir"
rm -f package-lock.json
npm install --package-lock-only --ignore-scripts --no-audit --no-fund --prefer-online \
  --userconfig /dev/null --update-notifier=false --loglevel=error >/dev/null
echo "$dir/package-lock.json"
