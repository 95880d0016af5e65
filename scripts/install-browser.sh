#!/usr/bin/env bash
# Installs the browser the report's end-to-end test drives (test/review/report/browser.test.ts):
# Debian's Chromium at /usr/bin/chromium. Idempotent: does nothing when chromium is already on PATH.
# Playwright's own browser download (`npx playwright install`) is not used: it fetches a prebuilt
# binary from outside the package registries, which CI machines cannot reach.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  echo "chromium already installed: $(command -v chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
echo "chromium installed: $(command -v chromium)"
