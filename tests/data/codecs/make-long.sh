#!/usr/bin/env bash
# Makes long.ogg, an Ogg Vorbis clip longer than one read of the decoder (1.5 s, 44.1 kHz stereo: 132300 samples
# against its 65536-sample chunk), and long.ogg.ref16.f32, libvorbis's decode of it (through sox) at every 16th frame:
# float32 little-endian, L R, frames 0, 16, 32, ... (the whole decode would be 530 kB). sox reads Vorbis at 16 bits, so
# the reference is rounded to 16-bit steps. AudioDecoderCodecTests compares NVorbis to it.
# Needs only sox built with libvorbis (Debian: apt-get install sox libsox-fmt-all).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sox -R -n -r 44100 -b 16 -c 1 "$tmp/l.wav" synth 1.5 sine 300:1200 fade 0.01 1.5 0.05 vol 0.5
sox -R -n -r 44100 -b 16 -c 1 "$tmp/r.wav" synth 1.5 square 220 pinknoise mix fade 0.02 1.5 0.1 vol 0.3
sox -M "$tmp/l.wav" "$tmp/r.wav" "$tmp/long.wav"
sox "$tmp/long.wav" -C 4 long.ogg
sox long.ogg -t f32 -e floating-point "$tmp/long.f32"
python3 - "$tmp/long.f32" long.ogg.ref16.f32 <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
frame = 8  # two float32s
with open(sys.argv[2], 'wb') as out:
    for at in range(0, len(data), 16 * frame):
        out.write(data[at:at + frame])
print(len(data) // frame, 'frames decoded')
PY
ls -l long.*
