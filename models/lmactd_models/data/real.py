"""Rendering from real recordings (`sources.POOLS`): clips cut from ambiences, phrases put together
from one-shot files, and the recipe's drum patterns played on a hydrogen drum kit's own samples.

Files are decoded by sox to the recipe's rate, mono, float. All randomness from the `rng` given.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from functools import lru_cache

import numpy as np

from ..clip import SAMPLE_RATE as SR
from .recipe import CLAP, COWBELL, CRASH, HAT, KICK, OPEN_HAT, PEDAL_HAT, RIDE, RIMSHOT, SNARE, SNARE2, TOMS


@lru_cache(maxsize=512)
def _load_cached(path: str) -> np.ndarray:
    r = subprocess.run(["sox", path, "-t", "f32", "-r", str(SR), "-c", "1", "-"], capture_output=True, check=True)
    x = np.frombuffer(r.stdout, dtype=np.float32).copy()
    x.setflags(write=False)
    return x


def load(path: str) -> np.ndarray:
    """The file at SR, mono (channels averaged by sox), float32; cached, read-only."""
    return _load_cached(os.path.abspath(path))


def ambience(path: str, rng: np.random.Generator, seconds: float = 5.0) -> np.ndarray:
    """A `seconds` stretch of a long recording from a random offset; a shorter one is looped with
    a 50 ms crossfade."""
    x, n = load(path), int(seconds * SR)
    if len(x) >= n:
        at = int(rng.integers(0, len(x) - n + 1))
        return x[at: at + n].copy()
    fade = min(int(0.05 * SR), len(x) // 4)
    out = np.zeros(n + len(x), dtype=np.float32)
    ramp = np.linspace(0, 1, fade, dtype=np.float32)
    piece = x.copy()
    if fade:
        piece[:fade] *= ramp
        piece[-fade:] *= ramp[::-1]
    pos, hop = 0, max(len(x) - fade, 1)
    while pos < n:
        out[pos: pos + len(piece)] += piece
        pos += hop
    start = int(rng.integers(0, len(x)))
    return out[start: start + n] if start + n <= len(out) else out[:n]


def phrase(paths: list[str], rng: np.random.Generator, seconds: float = 5.0, count=(1, 4), gap=(0.1, 0.8)) -> np.ndarray:
    """One to a few one-shot files of a pool (voice lines, calls, hits) one after another with gaps,
    from a random onset; what does not fit is cut."""
    n = int(seconds * SR)
    out = np.zeros(n, dtype=np.float32)
    pos = int(rng.uniform(0, 0.4 * seconds) * SR)
    for _ in range(int(rng.integers(count[0], count[1] + 1))):
        if pos >= n:
            break
        x = load(paths[int(rng.integers(len(paths)))])
        take = min(len(x), n - pos)
        out[pos: pos + take] += x[:take] * float(rng.uniform(0.5, 1.0))
        pos += take + int(rng.uniform(*gap) * SR)
    return out


def crowd_claps(paths: list[str], rng: np.random.Generator, seconds: float = 5.0) -> np.ndarray:
    """Applause from real hand-clap one-shots (hydrogen kits' clap samples): 6-300 clappers (drawn
    log-uniformly, so small groups and halls are as likely), each clapping at its own 2.5-6 Hz with
    15 % jitter, gain and sample, joining within the first second; the crowd swells in and, half the
    time, dies away."""
    n = int(seconds * SR)
    out = np.zeros(n + SR, dtype=np.float32)
    for _ in range(int(np.exp(rng.uniform(np.log(6), np.log(300))))):
        x = load(paths[int(rng.integers(len(paths)))])[: SR // 2]
        period, gain = 1.0 / rng.uniform(2.5, 6.0), float(rng.uniform(0.3, 1.0))
        t = rng.uniform(0.0, 1.0)
        while t < seconds:
            at = int(t * SR)
            out[at: at + len(x)] += x * gain * float(rng.uniform(0.7, 1.0))
            t += period * rng.uniform(0.85, 1.15)
    env = np.minimum(1.0, np.arange(n) / (rng.uniform(0.2, 1.0) * SR))
    if rng.random() < 0.5:
        end = rng.uniform(2.5, seconds)
        env *= np.clip((end - np.arange(n) / SR) / 0.8, 0.0, 1.0) ** 2
    return (out[:n] * env).astype(np.float32)


# Hydrogen instrument names -> General MIDI percussion notes, first match wins.
_NAMES = ((("open",), OPEN_HAT), (("pedal",), PEDAL_HAT), (("hat", "hh", "hihat", "hi-hat"), HAT), (("kick", "bass drum", "bassdrum", "bd"), KICK),
          (("side", "rim", "stick"), RIMSHOT), (("clap",), CLAP), (("snare", "sn"), SNARE), (("ride",), RIDE),
          (("crash", "splash", "china"), CRASH), (("cowbell", "bell"), COWBELL), (("tom",), TOMS[0]))
# What a pattern's note falls back to when a kit lacks it.
_FALLBACK = {SNARE2: SNARE, RIMSHOT: SNARE, CLAP: SNARE, PEDAL_HAT: HAT, OPEN_HAT: HAT, RIDE: HAT, CRASH: RIDE}


def _names(name: str, key: str) -> bool:
    """Short keys ("bd", "sn", "hh") as whole words, longer ones anywhere in the name."""
    words = name.replace("_", " ").replace("-", " ").split()
    return key in words if len(key) <= 2 else key in name


class HydrogenKit:
    """A hydrogen drum kit folder (`drumkit.xml` + samples), played by GM note and velocity."""

    def __init__(self, folder: str):
        self.folder = folder
        root = ET.parse(os.path.join(folder, "drumkit.xml")).getroot()
        ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
        self.layers: dict[int, list[tuple[float, float, str]]] = {}
        toms = []
        for inst in root.iter(f"{ns}instrument"):
            name = (inst.findtext(f"{ns}name") or "").lower()
            layers = [(float(l.findtext(f"{ns}min") or 0), float(l.findtext(f"{ns}max") or 1), l.findtext(f"{ns}filename") or "")
                      for l in inst.iter(f"{ns}layer") if l.findtext(f"{ns}filename")]
            if not layers and inst.findtext(f"{ns}filename"):  # the older format: one sample, no layers
                layers = [(0.0, 1.0, inst.findtext(f"{ns}filename") or "")]
            # Debian's kits lack some samples their drumkit.xml names (Millo_MultiLayered2's cowbell):
            # an instrument with none of its files is one the kit does not have.
            layers = [l for l in layers if os.path.exists(os.path.join(folder, l[2]))]
            if not layers:
                continue
            note = next((n for keys, n in _NAMES if any(_names(name, k) for k in keys)), None)
            if note == TOMS[0]:
                toms.append(layers)
            elif note is not None and note not in self.layers:
                self.layers[note] = layers
        for note, layers in zip(TOMS, toms):
            self.layers[note] = layers

    def sample(self, note: int, velocity: int) -> np.ndarray | None:
        """The layer that covers `velocity` (0-127) of `note` (or its fallback); None when the kit has neither."""
        while note not in self.layers and note in _FALLBACK:
            note = _FALLBACK[note]
        if note not in self.layers and note in TOMS:
            note = next((t for t in TOMS if t in self.layers), note)
        if note not in self.layers:
            return None
        v = velocity / 127.0
        layers = self.layers[note]
        lo, hi, name = next((l for l in layers if l[0] <= v <= l[1]), layers[-1])
        return load(os.path.join(self.folder, name))

    def render(self, events, seconds: float = 5.0) -> np.ndarray:
        """Plays the recipe's drum events (`plan_drums`' `(time, bytes([0x99, note, velocity]))`)."""
        n = int(seconds * SR)
        out = np.zeros(n, dtype=np.float32)
        for t, msg in events:
            if msg[0] != 0x99 or msg[2] == 0:
                continue
            x = self.sample(msg[1], msg[2])
            at = int(t * SR)
            if x is None or at >= n:
                continue
            take = min(len(x), n - at)
            out[at: at + take] += x[:take] * (0.3 + 0.7 * msg[2] / 127.0)
        return out


def festival(voice: str, text: str) -> np.ndarray:
    """`text` spoken by festival's `voice` (installed with apt: festival and its festvox package), at SR."""
    from scipy import signal
    from scipy.io import wavfile
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "speech.wav")
        subprocess.run(["text2wave", "-eval", f"(voice_{voice})", "-o", path], input=text.encode(),
                       check=True, capture_output=True)
        sr, x = wavfile.read(path)
    x = x.astype(np.float64) / 32768.0
    g = np.gcd(SR, sr)
    return signal.resample_poly(x, SR // g, sr // g) if sr != SR else x
