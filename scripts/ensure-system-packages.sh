#!/usr/bin/env bash
# Debian packages Kinga and its tests need: Chromium (driven by Playwright), fonts for Arabic and
# other scripts, poppler (PDF pages to images), gettext tools, espeak-ng and sox (voice prompts).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/share/fonts/truetype/noto ] || missing+=(fonts-noto-core)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v sox >/dev/null || missing+=(sox)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
