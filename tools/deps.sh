#!/usr/bin/env bash
# Installs the Debian packages Wensuo builds and tests with, if any is missing
# (apt-get as root, else through sudo). Safe to run again. libjs-chart.js is
# embedded into the daemon for the page's trend chart; chromium, its driver,
# selenium and a CJK font run the page's tests in a real browser.
set -euo pipefail
pkgs=(cmake make gcc g++ pkg-config libxapian-dev xapian-tools libicu-dev libuv1-dev
      libjansson-dev friso-dict libxml2-dev libhttp-parser-dev libxxhash-dev
      libcurl4-openssl-dev python3 python3-xapian wrk clang-format strace
      libjs-chart.js chromium chromium-driver python3-selenium fonts-noto-cjk ripgrep)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null
