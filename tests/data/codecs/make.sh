#!/usr/bin/env bash
# Makes the compressed test clips and their reference decodes (AudioDecoderCodecTests):
#   chord.mp3 / chord.ogg       0.3 s, 44.1 kHz stereo, non-silent and different in each channel
#   *.ref.f32                   the reference decoder's output, float32 little-endian, interleaved L R
# Reference decoders: mpg123 for MP3 (raw frames, no gapless trimming: the encoder writes no LAME/Xing tag),
# FFmpeg's Vorbis decoder (float output) for Ogg Vorbis. Needs: apt-get install sox lame vorbis-tools mpg123 ffmpeg
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Left: a 440 -> 880 Hz sweep; right: a 300 Hz square wave with pink noise. Fades, so both decoders see onsets.
sox -R -n -r 44100 -b 16 -c 1 "$tmp/l.wav" synth 0.3 sine 440:880 fade 0.01 0.3 0.05 vol 0.5
sox -R -n -r 44100 -b 16 -c 1 "$tmp/r.wav" synth 0.3 square 300 pinknoise mix fade 0.02 0.3 0.1 vol 0.3
sox -M "$tmp/l.wav" "$tmp/r.wav" "$tmp/chord.wav"

lame --quiet -t -b 128 --cbr "$tmp/chord.wav" chord.mp3
oggenc --quiet -q 4 -o chord.ogg "$tmp/chord.wav"

mpg123 --quiet --no-gapless -e f32 -s chord.mp3 > chord.mp3.ref.f32
ffmpeg -loglevel error -y -i chord.ogg -f f32le -acodec pcm_f32le chord.ogg.ref.f32
ls -l chord.*
