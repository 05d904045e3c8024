#!/usr/bin/env bash
# The HTML report in a real browser: builds lmactd, writes the page of `lmactd explain --html` for two inputs (a
# shipped 16 kHz example and the same sound at 44.1 kHz stereo), and runs check-report.mjs on each in headless
# Chromium: the three players load and play, a click on the relevance curve seeks them, no request leaves the page.
# Screenshots land in OUT (default: tests/browser/out/, ignored by git); look at them after a change to the page.
#
# Not part of .ci/run: CI needs only the .NET SDK, and this needs Node 20+ and Chromium (Debian: apt-get install
# chromium nodejs). Run it before each change to the page (HtmlReport.cs, ExplanationPicture.cs). About 10 s
# after the build on the 2-core development machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=${1:-tests/browser/out}
mkdir -p "$out"
command -v "${CHROMIUM:-chromium}" > /dev/null || { echo "no Chromium: apt-get install chromium (or set CHROMIUM)" >&2; exit 2; }
command -v node > /dev/null || { echo "no Node.js 20+: apt-get install nodejs" >&2; exit 2; }

dotnet build src/LmacTd.Cli -v q -nologo > "$out/build.log" || { cat "$out/build.log"; exit 1; }
lmactd=src/LmacTd.Cli/bin/Debug/net10.0/lmactd

# The 44.1 kHz stereo copy: the page must carry the input's own rate and the mono mix the explainer heard.
python3 - "$out/telephone_ring_44k_stereo.wav" models/default/examples/telephone_ring.wav <<'PY' 2>/dev/null || true
import sys, wave, struct
src = wave.open(sys.argv[2]); n = src.getnframes(); x = struct.unpack(f"<{n}h", src.readframes(n))
y = [x[min(n - 1, int(i * 16000 / 44100))] for i in range(int(n * 44100 / 16000))]
dst = wave.open(sys.argv[1], "wb"); dst.setnchannels(2); dst.setsampwidth(2); dst.setframerate(44100)
dst.writeframes(b"".join(struct.pack("<hh", v, v // 2) for v in y)); dst.close()
PY

inputs=(models/default/examples/speech_over_piano.wav)
[ -f "$out/telephone_ring_44k_stereo.wav" ] && inputs+=("$out/telephone_ring_44k_stereo.wav")
"$lmactd" explain "${inputs[@]}" --out "$out" --html --plot --device cpu
rc=0
for f in "${inputs[@]}"; do
  name=$(basename "${f%.*}")
  echo "== $name.html"
  node --experimental-websocket --no-warnings tests/browser/check-report.mjs "$out/$name.html" "$out/$name.screenshot.png" || rc=1
done
exit "$rc"
