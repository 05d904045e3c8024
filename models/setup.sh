#!/usr/bin/env bash
# Installs what models/ needs from Debian (no PyPI): PyTorch, ONNX, numpy/scipy, OpenBLAS,
# pytest, and the tools that render data and golden speech. Idempotent; quiet on success.
# Use /usr/bin/python3 afterwards (another python3 may come first on PATH).
set -euo pipefail
packages=(python3-torch python3-torchaudio python3-onnx python3-numpy python3-scipy
          libopenblas0-pthread python3-pytest fluidsynth fluid-soundfont-gm espeak-ng sox libsox-fmt-mp3)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  if ! { $sudo apt-get update -q && $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "models/setup.sh: could not install: ${missing[*]}" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
fi
/usr/bin/python3 -c 'import torch, onnx, numpy, scipy, pytest' || {
  echo "models/setup.sh: packages installed but /usr/bin/python3 cannot import them" >&2; exit 1; }
