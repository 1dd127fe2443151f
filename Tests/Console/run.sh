#!/usr/bin/env bash
# The console's browser tests: Selenium (pinned, in .build/console-venv) driving Debian's headless
# chromium and chromedriver against `tagway run` (.build/debug/tagway, or TAGWAY_BINARY) with
# simulated readers on ptys. Screenshots go to ${CONSOLE_SCREENSHOTS:-.build/console-screenshots},
# the measurements to .build/console-report.json. Extra arguments go to unittest (e.g. -k Zones).
set -euo pipefail
cd "$(dirname "$0")/../.."

for tool in chromium chromedriver python3; do
  command -v "$tool" >/dev/null || { echo "Tests/Console: $tool is missing (bash .ci/install-deps installs it)" >&2; exit 1; }
done
binary="${TAGWAY_BINARY:-.build/debug/tagway}"
[ -x "$binary" ] || { echo "Tests/Console: no $binary; build it first (swift build)" >&2; exit 1; }

venv=.build/console-venv
requirements=Tests/Console/requirements.txt
marker="$venv/.installed"
if [ ! -f "$marker" ] || ! cmp -s "$requirements" "$marker"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --disable-pip-version-check --no-input --retries 2 -q -r "$requirements"
  cp "$requirements" "$marker"
fi

export TAGWAY_BINARY="$binary"
exec "$venv/bin/python" -m unittest discover -s Tests/Console -p 'test_*.py' -v "$@"
