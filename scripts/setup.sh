#!/usr/bin/env bash
# Sets up everything graphkit needs on a fresh Debian/Ubuntu machine (idempotent):
# Java 17+, Maven, Chromium + chromedriver (map tests), and graphkit itself (pip).
# Sourced by scripts/demo.sh and scripts/test.sh. Set GRAPHKIT_SKIP_APT=1 to skip system packages.
set -euo pipefail

GK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
if [[ "${GK_WITH_BROWSER:-0}" == 1 ]]; then
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
fi
if [[ ${#need_apt[@]} -gt 0 && "${GRAPHKIT_SKIP_APT:-0}" != 1 ]]; then
  SUDO=""
  [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
  echo "graphkit setup: installing ${need_apt[*]} with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

echo "graphkit setup: installing graphkit and its Python dependencies with pip" >&2
extras=""
[[ "${GK_WITH_TESTS:-0}" == 1 ]] && extras="[test]"
if [[ "${GK_EDITABLE:-0}" == 1 ]]; then
  "$PYTHON" -m pip install -q -e "${GK_ROOT}${extras}"
else
  "$PYTHON" -m pip install -q "${GK_ROOT}${extras}"
fi
