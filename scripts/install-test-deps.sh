#!/usr/bin/env bash
# Installs what the whole test suite needs on Debian 12: Chromium (browser tests), a Java runtime
# (the Nu Html Checker), fonts with Vietnamese glyphs (DejaVu Sans for the share cards), the portal with its test extras, and
# Mozilla's ical.js (npm, pinned by tests/js/package-lock.json) as a feed-parsing oracle, and the
# web editor's bundle (cms/).
# Idempotent: packages already present are not downloaded again.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jre-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
fc-list 2>/dev/null | grep -qi "noto" || need+=(fonts-noto-core)
# DejaVu Sans letters the share cards (portal/render/sharing.py); without it they are unlettered.
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
python3 -m pip install -q -c "$(dirname "$0")/../constraints.txt" -e '.[test]'  # exact versions
npm ci --prefix tests/js --no-audit --no-fund --loglevel=error
# The web editor at /admin/ (Decap CMS and its local backend, pinned by cms/package-lock.json).
npm ci --prefix cms --no-audit --no-fund --loglevel=error
