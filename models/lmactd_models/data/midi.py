"""MIDI writing: a hand-written type-0 Standard MIDI File (fluidsynth renders it; no MIDI library
in Debian's Python is needed for this few bytes)."""
from __future__ import annotations

import struct

# 480 ticks a beat at 120 bpm (960 ticks a second)
TPS = 960


def _vlq(n: int) -> bytes:
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    return bytes(reversed(out))


def write_midi(path: str, events: list) -> None:
    """events: (time_s, bytes) pairs; written sorted by time, note-offs before note-ons at a tick."""
    evs = sorted(((int(round(t * TPS)), 0 if (b[0] & 0xF0) in (0x80, 0xB0, 0xC0) else 1, b)
                  for t, b in events), key=lambda e: (e[0], e[1]))
    data = bytearray()
    data += _vlq(0) + b"\xff\x51\x03" + (500000).to_bytes(3, "big")
    last = 0
    for tick, _, b in evs:
        data += _vlq(tick - last) + b
        last = tick
    data += _vlq(0) + b"\xff\x2f\x00"
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480))
        f.write(b"MTrk" + struct.pack(">I", len(data)) + bytes(data))
