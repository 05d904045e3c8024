"""Struck bells by modal synthesis: what a recorded bell is and a soundfont's bell programs are not.

The soundfonts' bells (tubular bells, glockenspiel, celesta, tinkle bell) play melodic phrases of
short, bright notes; a recorded bell is often one bell struck once or tolled, ringing on for seconds.
The first real-source models heard the held-out recorded bell as a drum kit (MODEL_CARD.md), so the
real-source recipe can draw part of its bells from here (`dataset --bell-share`, off by default: a
candidate trained with 0.4 was not shipped). A bell's partials are exponentially decaying
sinusoids at the ratios of a bell family, higher partials dying faster, pairs of near-degenerate
modes beating, and a short noise strike. Families (ratios to the prime/fundamental, textbook bell
acoustics): a church bell's hum, prime, minor-third tierce, quint, nominal and upper partials; the
free-free bar of tubular chimes (1, 2.76, 5.40, 8.93); a handbell's fundamental and twelfth; and an
untuned bell with random inharmonic partials. Patterns: one strike, a toll (one bell at intervals)
or a peal (several bells of a scale in rounds).
"""
from __future__ import annotations

import numpy as np
import scipy.signal as sps

from ..clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR

_NYQUIST_MARGIN = 0.95 * SR / 2


def _family(rng) -> tuple[np.ndarray, np.ndarray]:
    """Partial ratios and relative amplitudes of one bell family, randomly detuned."""
    kind = rng.choice(["church", "tubular", "hand", "untuned"], p=[0.4, 0.2, 0.2, 0.2])
    if kind == "church":
        r = np.array([0.5, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.3])
        a = np.array([0.8, 0.7, 0.8, 0.3, 1.0, 0.4, 0.5, 0.3, 0.2])
    elif kind == "tubular":
        r = np.array([1.0, 2.76, 5.40, 8.93])
        a = np.array([0.6, 1.0, 0.7, 0.4])
    elif kind == "hand":
        r = np.array([1.0, 2.4, 3.0, 4.2, 5.5])
        a = np.array([1.0, 0.3, 0.6, 0.2, 0.15])
    else:
        r = np.concatenate([[1.0], np.sort(rng.uniform(1.3, 9.0, int(rng.integers(3, 8))))])
        a = rng.uniform(0.2, 1.0, len(r))
    r = r * np.exp(rng.normal(0, 0.015, len(r)))
    a = a * rng.uniform(0.5, 1.5, len(a))
    return r, a


def _bell(rng, f0: float, ratios, amps, t60: float, alpha: float) -> np.ndarray:
    """The sound of one strike of a bell with prime `f0` Hz, as long as it rings (at most one clip)."""
    slowest = t60 * (1 / min(ratios)) ** alpha  # the lowest partial (a church bell's hum) rings longest
    n = int(min(slowest * 1.2, CLIP / SR) * SR)
    t = np.arange(n) / SR
    out = np.zeros(n)
    for r, a in zip(ratios, amps):
        f = f0 * r
        if f > _NYQUIST_MARGIN or f < 30:
            continue
        decay = 6.9 / (t60 * (f0 / f) ** alpha)  # ln(1000) / T60 of this partial
        beat = rng.uniform(0.2, 3.0) if rng.random() < 0.5 else 0.0  # a split mode pair beats
        ph = rng.uniform(0, 2 * np.pi, 2)
        wave = np.sin(2 * np.pi * f * t + ph[0]) + (np.sin(2 * np.pi * (f + beat) * t + ph[1]) if beat else 0)
        out += a * np.exp(-decay * t) * wave
    m = min(n, int(rng.uniform(0.002, 0.012) * SR))  # the clapper's or hammer's strike
    hp = sps.butter(2, min(rng.uniform(1500, 5000), _NYQUIST_MARGIN), btype="high", fs=SR, output="sos")
    strike = sps.sosfilt(hp, rng.standard_normal(m)) * np.exp(-np.arange(m) / max(m / 4, 1))
    out[:m] += strike * rng.uniform(0.1, 0.6) * np.max(np.abs(out[:m]) + 1e-9) / max(np.std(strike), 1e-9)
    return out


def synth_bells(rng, t0, t1):
    """One bell struck once or tolled, or a peal of 3-8 bells, between t0 and t1 (a clip's samples);
    each strike rings on past t1 as a real bell would."""
    ratios, amps = _family(rng)
    pattern = rng.choice(["strike", "toll", "peal"], p=[0.3, 0.35, 0.35])
    base = float(np.exp(rng.uniform(np.log(110), np.log(1500))))
    t60 = float(np.exp(rng.uniform(np.log(0.6), np.log(7.0))))
    alpha = rng.uniform(0.3, 1.0)
    if pattern == "peal":
        steps = np.cumsum(np.concatenate([[0], rng.choice([1, 2, 2, 2, 1], int(rng.integers(2, 8)))]))
        pitches = base * 2 ** (-steps / 12)  # a descending scale, rung in rounds
        gap = rng.uniform(0.15, 0.7)
    else:
        pitches = np.array([base])
        gap = rng.uniform(0.8, 3.0)
    bells = [_bell(rng, f, ratios, amps, t60, alpha) for f in pitches]
    out = np.zeros(CLIP)
    t, k = t0 + rng.uniform(0, 0.1), 0
    while t < t1 - 0.05:
        s = int(t * SR)
        b = bells[k % len(bells)] * rng.uniform(0.6, 1.0)
        out[s:s + len(b)] += b[:CLIP - s]
        k += 1
        if pattern == "strike":
            break
        t += gap * rng.uniform(0.9, 1.1)
    return out
