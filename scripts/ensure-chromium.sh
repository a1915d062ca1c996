#!/usr/bin/env bash
# The web UI's browser test drives Debian's Chromium with Playwright (no browser is downloaded).
# Install chromium and chromium-driver when missing and we may (root with apt-get); print nothing
# else. Without them the browser test skips on a developer's machine and fails under CI=true.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1
fi
