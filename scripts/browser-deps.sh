#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (headless) and need a CJK font to render Chinese pages.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "cjk" || missing+=(fonts-noto-cjk)
((${#missing[@]})) || exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the browser tests"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" fontconfig >/dev/null
else
  echo "Browser tests need: ${missing[*]} (Debian: apt-get install ${missing[*]}); they will be skipped." >&2
fi
