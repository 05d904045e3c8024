"""Augmentations for the world outside the recipe: what real recordings do to a clean source.

Each function takes a float clip at the recipe's rate (`SR`) and returns a new one of the same
length; randomness only from the `rng` given, so a plan stays reproducible. `chain` draws a
random subset in a fixed order (band and codec first, as a phone or a stream would, then room,
noise and level). Codec round trips go through sox (MP3 needs libsox-fmt-mp3, which
`models/setup.sh` installs); everything else is numpy/scipy.
"""
from __future__ import annotations

import os
import subprocess
import tempfile

import numpy as np
from scipy import signal

from ..clip import SAMPLE_RATE as SR


def telephone(x: np.ndarray, rate: int = 8000) -> np.ndarray:
    """Telephone band (300-3400 Hz, 4th-order Butterworth) sampled at `rate` and back to SR."""
    sos = signal.butter(4, [300, 3400], btype="bandpass", fs=SR, output="sos")
    y = signal.sosfiltfilt(sos, x)
    g = np.gcd(SR, rate)
    low = signal.resample_poly(y, rate // g, SR // g)
    return _fit(signal.resample_poly(low, SR // g, rate // g), len(x))


def codec_roundtrip(x: np.ndarray, codec: str, kbps: int = 64) -> np.ndarray:
    """Encodes with `codec` ("mp3" or "ogg") at about `kbps` through sox and decodes back: the
    encoder's band limit, pre-echo and delay as a downloaded file has them."""
    if codec not in ("mp3", "ogg"):
        raise ValueError(f"codec {codec!r}: mp3 or ogg")
    peak = max(float(np.max(np.abs(x))), 1e-9)
    with tempfile.TemporaryDirectory() as d:
        src, enc, dec = (os.path.join(d, n) for n in ("in.wav", f"c.{codec}", "out.wav"))
        _write_wav(src, x / peak * 0.9)
        quality = ["-C", str(kbps)] if codec == "mp3" else ["-C", str(max(-1, min(10, (kbps - 64) // 16 + 2)))]
        subprocess.run(["sox", src, *quality, enc], check=True, capture_output=True)
        subprocess.run(["sox", enc, "-r", str(SR), "-c", "1", "-b", "16", dec], check=True, capture_output=True)
        y = _read_wav(dec)
    return _fit(y, len(x)) * (peak / 0.9)


def random_eq(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One to three RBJ peaking filters (+-12 dB, 100 Hz-6 kHz, Q 0.5-3) and a gentle tilt."""
    y = x.astype(np.float64)
    for _ in range(int(rng.integers(1, 4))):
        f0, gain, q = float(np.exp(rng.uniform(np.log(100), np.log(6000)))), float(rng.uniform(-12, 12)), float(rng.uniform(0.5, 3))
        y = signal.lfilter(*_peaking(f0, gain, q), y)
    tilt = float(rng.uniform(-0.3, 0.3))  # one-pole shelf: < 0 darker, > 0 brighter
    return (y + tilt * np.diff(y, prepend=y[0])).astype(x.dtype)


def reverb(x: np.ndarray, rng: np.random.Generator, rt60=(0.1, 1.5), wet=(0.1, 0.6)) -> np.ndarray:
    """A room: exponentially decaying noise impulse response (RT60 and wet share drawn), mixed in."""
    t60, w = float(rng.uniform(*rt60)), float(rng.uniform(*wet))
    n = int(t60 * SR)
    ir = rng.standard_normal(n) * np.exp(-6.91 * np.arange(n) / n)
    ir /= np.sqrt(np.sum(ir ** 2))
    y = signal.fftconvolve(x, ir)[: len(x)]
    return ((1 - w) * x + w * y * _rms(x) / max(_rms(y), 1e-12)).astype(x.dtype)


def noise(x: np.ndarray, rng: np.random.Generator, snr_db=(0, 30)) -> np.ndarray:
    """White, pink or brown noise at a signal-to-noise ratio drawn from `snr_db`."""
    kind = rng.choice(["white", "pink", "brown"])
    spec = np.fft.rfft(rng.standard_normal(len(x)))
    f = np.maximum(np.fft.rfftfreq(len(x), 1 / SR), 20.0)
    spec *= {"white": 1.0, "pink": f ** -0.5, "brown": f ** -1.0}[str(kind)]
    n = np.fft.irfft(spec, len(x))
    snr = float(rng.uniform(*snr_db))
    return (x + n * _rms(x) / max(_rms(n), 1e-12) * 10 ** (-snr / 20)).astype(x.dtype)


def short_clip(x: np.ndarray, rng: np.random.Generator, seconds=(0.3, 5.0)) -> np.ndarray:
    """Keeps a 0.3-5 s stretch (from where `x` is loudest, so a single hit stays a hit) and pads
    the rest with silence, at a random position as a short file padded by the runtime would be."""
    keep = min(int(float(rng.uniform(*seconds)) * SR), len(x))
    frame = SR // 20
    energy = np.convolve(x.astype(np.float64) ** 2, np.ones(frame), "same")
    centre = int(np.argmax(energy))
    start = int(np.clip(centre - keep // 2, 0, len(x) - keep))
    out = np.zeros_like(x)
    at = int(rng.integers(0, len(x) - keep + 1))
    fade = np.minimum(1.0, np.minimum(np.arange(keep), np.arange(keep)[::-1]) / (0.005 * SR))
    out[at: at + keep] = x[start: start + keep] * fade
    return out


def equal_level_mix(a: np.ndarray, b: np.ndarray, peak: float = 0.9) -> np.ndarray:
    """Two sources at equal RMS, summed and scaled to `peak`: the mixture the interpreters must
    separate when neither part dominates (the paper's 0.8/0.2 mixing never shows them this)."""
    m = a / max(_rms(a), 1e-12) + b / max(_rms(b), 1e-12)
    return (m * peak / max(float(np.max(np.abs(m))), 1e-12)).astype(a.dtype)


def level(x: np.ndarray, rng: np.random.Generator, db=(-30, 0)) -> np.ndarray:
    """The clip at a peak drawn from `db` below full scale."""
    return (x * 10 ** (float(rng.uniform(*db)) / 20) / max(float(np.max(np.abs(x))), 1e-12)).astype(x.dtype)


STEPS = ("telephone", "codec", "eq", "reverb", "noise", "short", "level")


def chain(x: np.ndarray, rng: np.random.Generator, p: dict | None = None) -> tuple[np.ndarray, list[str]]:
    """Draws each step with its probability (`p`, defaults below) in `STEPS`'s order; returns the
    clip and the names of the steps applied."""
    p = {"telephone": 0.1, "codec": 0.2, "eq": 0.5, "reverb": 0.3, "noise": 0.4, "short": 0.15, "level": 1.0, **(p or {})}
    done = []
    for step in STEPS:
        if rng.random() >= p[step]:
            continue
        if step == "telephone":
            x = telephone(x, int(rng.choice([8000, 11025])))
        elif step == "codec":
            x = codec_roundtrip(x, str(rng.choice(["mp3", "ogg"])), int(rng.choice([32, 64, 128])))
        elif step == "eq":
            x = random_eq(x, rng)
        elif step == "reverb":
            x = reverb(x, rng)
        elif step == "noise":
            x = noise(x, rng)
        elif step == "short":
            x = short_clip(x, rng)
        else:
            x = level(x, rng)
        done.append(step)
    return x, done


def _peaking(f0, gain_db, q):
    a, w = 10 ** (gain_db / 40), 2 * np.pi * f0 / SR
    alpha = np.sin(w) / (2 * q)
    b = np.array([1 + alpha * a, -2 * np.cos(w), 1 - alpha * a])
    den = np.array([1 + alpha / a, -2 * np.cos(w), 1 - alpha / a])
    return b / den[0], den / den[0]


def _rms(x) -> float:
    return float(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)))


def _fit(y: np.ndarray, n: int) -> np.ndarray:
    return y[:n] if len(y) >= n else np.pad(y, (0, n - len(y)))


def _write_wav(path, x):
    from scipy.io import wavfile
    wavfile.write(path, SR, (np.clip(x, -1, 1) * 32767).astype(np.int16))


def _read_wav(path):
    from scipy.io import wavfile
    _, y = wavfile.read(path)
    return y.astype(np.float32) / 32768.0
