#!/usr/bin/env bash
# Makes the decoder's reference files: small FLAC, AIFF, AIFF-C and Ogg Opus files encoded by the
# reference tools (flac, sox, opusenc), each with the tool's own decode as raw little-endian signed PCM
# (<name>.raw), and cases.tsv describing them. The tests compare our decoders to these bit for bit, so
# CI needs none of the tools. Rerun after changing a case: bash tests/data/audio/make.sh
# Needs: apt-get install sox flac opus-tools
set -euo pipefail
cd "$(dirname "$0")"
rm -f ./*.flac ./*.aiff ./*.aifc ./*.opus ./*.raw cases.tsv
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# source NAME RATE BITS CHANNELS SECONDS SYNTH... : a repeatable (-R) sox synth as WAV.
source() {
  local name=$1 rate=$2 bits=$3 ch=$4 secs=$5; shift 5
  sox -R -D -n -r "$rate" -b "$bits" -c "$ch" "$tmp/$name.wav" synth "$secs" "$@" gain -n -1
}

printf 'file\tformat\tbits\tchannels\trate\tnote\n' > cases.tsv

# flac_case NAME RATE BITS CHANNELS SECONDS "FLAC OPTIONS" NOTE SYNTH...
flac_case() {
  local name=$1 rate=$2 bits=$3 ch=$4 secs=$5 opts=$6 note=$7; shift 7
  source "$name" "$rate" "$bits" "$ch" "$secs" "$@"
  # shellcheck disable=SC2086
  flac -s -f --no-padding $opts -o "$name.flac" "$tmp/$name.wav"
  flac -s -d -f --force-raw-format --endian=little --sign=signed -o "$name.raw" "$name.flac"
  printf '%s\tflac\t%s\t%s\t%s\t%s\n' "$name.flac" "$bits" "$ch" "$rate" "$note" >> cases.tsv
}

flac_case flac16-mono-fixed     8000 16 1 0.30 "-0"              "fixed predictors"          sine 200-3000
flac_case flac16-stereo-lpc    44100 16 2 0.25 "-8"              "LPC, exhaustive stereo"    sine 300-5000 sine 310-5200
flac_case flac16-stereo-noise  44100 16 2 0.20 "-5"              "noise: verbatim or escapes" whitenoise pinknoise
flac_case flac24-stereo        48000 24 2 0.20 "-5"              "24-bit, 5-bit Rice params" pinknoise sine 1000
flac_case flac24-mono-lpc      96000 24 1 0.10 "-8 -b 4096"      "24-bit LPC at 96 kHz"      sine 100-20000
flac_case flac8-mono           16000  8 1 0.30 "-5"              "8-bit"                     sine 440
flac_case flac16-6ch           48000 16 6 0.08 "-5"              "6 channels"                sine 200 sine 300 pinknoise sine 500 brownnoise sine 700
flac_case flac24-8ch           22050 24 8 0.08 "-3"              "8 channels, 24-bit"        sine 200 sine 300 pinknoise sine 500 brownnoise sine 700 whitenoise sine 900
flac_case flac16-oddblock      11025 16 2 0.30 "-5 -b 1000"      "odd block size and rate"   sine 500-2000 whitenoise

# Stereo decorrelation: segments where one channel is half the other (left/side or right/side wins)
# and where both are equal (mid/side, a constant side), then digital silence (constant subframes).
sox -R -D -n -r 44100 -b 16 -c 1 "$tmp/a.wav" synth 0.1 pinknoise gain -n -2
sox -R -D "$tmp/a.wav" "$tmp/ls.wav" remix 1v0.5 1
sox -R -D "$tmp/a.wav" "$tmp/rs.wav" remix 1 1v0.5
sox -R -D "$tmp/a.wav" "$tmp/ms.wav" remix 1 1
sox -R -D -n -r 44100 -b 16 -c 2 "$tmp/zero.wav" trim 0 0.05
sox -R -D "$tmp/ls.wav" "$tmp/rs.wav" "$tmp/ms.wav" "$tmp/zero.wav" "$tmp/flac16-stereo-modes.wav"
flac -s -f --no-padding -8 -b 1152 -o flac16-stereo-modes.flac "$tmp/flac16-stereo-modes.wav"
flac -s -d -f --force-raw-format --endian=little --sign=signed -o flac16-stereo-modes.raw flac16-stereo-modes.flac
printf 'flac16-stereo-modes.flac\tflac\t16\t2\t44100\tleft/side, right/side, mid/side, constant\n' >> cases.tsv

# Wasted bits: 16-bit samples whose low byte is zero (an 8-bit source widened).
source wasted8 22050 8 2 0.2 sine 300 sine 700
sox -D "$tmp/wasted8.wav" -b 16 "$tmp/flac16-wasted.wav"
flac -s -f --no-padding -5 -o flac16-wasted.flac "$tmp/flac16-wasted.wav"
flac -s -d -f --force-raw-format --endian=little --sign=signed -o flac16-wasted.raw flac16-wasted.flac
printf 'flac16-wasted.flac\tflac\t16\t2\t22050\twasted bits\n' >> cases.tsv

# Half silence, half tone: constant subframes next to predicted ones in one file.
sox -R -D -n -r 8000 -b 16 -c 1 "$tmp/tone.wav" synth 0.15 sine 600 gain -n -3
sox -R -D -n -r 8000 -b 16 -c 1 "$tmp/quiet.wav" trim 0 0.6
sox -R -D "$tmp/quiet.wav" "$tmp/tone.wav" "$tmp/flac16-half-silent.wav"
flac -s -f --no-padding -5 -b 1152 -o flac16-half-silent.flac "$tmp/flac16-half-silent.wav"
flac -s -d -f --force-raw-format --endian=little --sign=signed -o flac16-half-silent.raw flac16-half-silent.flac
printf 'flac16-half-silent.flac\tflac\t16\t1\t8000\tconstant then predicted\n' >> cases.tsv

# aiff_case NAME EXT RATE BITS CHANNELS SECONDS SYNTH...
aiff_case() {
  local name=$1 ext=$2 rate=$3 bits=$4 ch=$5 secs=$6; shift 6
  source "$name" "$rate" "$bits" "$ch" "$secs" "$@"
  sox -D "$tmp/$name.wav" -t "$ext" "$name.$ext"
  sox -D "$name.$ext" -t raw -e signed -b "$bits" -L "$name.raw"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name.$ext" "$ext" "$bits" "$ch" "$rate" "sox" >> cases.tsv
}

aiff_case aiff16-stereo aiff 44100 16 2 0.10 sine 300 sine 500
aiff_case aiff24-mono   aiff 48000 24 1 0.10 pinknoise
aiff_case aiff8-mono    aiff  8000  8 1 0.20 sine 440
aiff_case aifc16-6ch    aifc 22050 16 6 0.05 sine 200 sine 300 pinknoise sine 500 brownnoise sine 700

# AIFF-C with 32-bit float samples ("fl32"), from a 16-bit source so every float is an exact 16-bit step.
source aifc-float 44100 16 2 0.05 sine 300 pinknoise
sox -D "$tmp/aifc-float.wav" -t aifc -e floating-point -b 32 aifc-float.aifc
sox -D aifc-float.aifc -t raw -e signed -b 16 -L aifc-float.raw
printf 'aifc-float.aifc\taifc\t16\t2\t44100\tfl32 from a 16-bit source\n' >> cases.tsv

# AIFF-C with 64-bit float samples ("fl64"), likewise.
source aifc-double 22050 16 2 0.05 sine 300 pinknoise
sox -D "$tmp/aifc-double.wav" -t aifc -e floating-point -b 64 aifc-double.aifc
sox -D aifc-double.aifc -t raw -e signed -b 16 -L aifc-double.raw
printf 'aifc-double.aifc\taifc\t16\t2\t22050\tfl64 from a 16-bit source\n' >> cases.tsv

# Ogg Opus is lossy: the reference is the source itself (48 kHz, what Opus decodes to).
source opus-stereo 48000 16 2 0.5 sine 440 sine 880
opusenc --quiet --bitrate 96 --serial 1 "$tmp/opus-stereo.wav" opus-stereo.opus
sox -D "$tmp/opus-stereo.wav" -t raw -e signed -b 16 -L opus-stereo.raw
printf 'opus-stereo.opus\topus\t16\t2\t48000\tlossy: raw is the source\n' >> cases.tsv

ls -l
