"""Synthesis of the classes no soundfont or voice renders: birdsong, telephone ringing, applause,
sea and wind (numpy/scipy)."""
from __future__ import annotations

import numpy as np
import scipy.signal as sps

from ..clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR


def _env(t0, t1, fade=0.02):
    t = np.arange(CLIP) / SR
    e = np.clip((t - t0) / fade, 0, 1) * np.clip((t1 - t) / fade, 0, 1)
    return e


def synth_birdsong(rng, t0, t1):
    out = np.zeros(CLIP)
    # one bird: a repertoire of 1-3 syllable types, phrases of repeated syllables
    types = []
    for _ in range(int(rng.integers(1, 4))):
        types.append({"f0": rng.uniform(1800, 6500), "sweep": rng.uniform(-2500, 2500),
                      "dur": rng.uniform(0.03, 0.18), "fm": rng.uniform(0, 60), "fmd": rng.uniform(0, 600),
                      "h2": rng.uniform(0, 0.3)})
    t = t0 + rng.uniform(0, 0.3)
    while t < t1 - 0.05:
        st = types[rng.integers(len(types))]
        reps = int(rng.integers(1, 8))
        gap = rng.uniform(0.02, 0.12)
        for _ in range(reps):
            d = st["dur"] * rng.uniform(0.85, 1.15)
            n = int(d * SR)
            s = int(t * SR)
            if s + n >= CLIP or t + d > t1:
                break
            tt = np.arange(n) / SR
            f = st["f0"] + st["sweep"] * tt / d + st["fmd"] * np.sin(2 * np.pi * st["fm"] * tt)
            ph = 2 * np.pi * np.cumsum(f) / SR
            w = np.sin(np.pi * tt / d) ** 2
            out[s:s + n] += w * (np.sin(ph) + st["h2"] * np.sin(2 * ph)) * rng.uniform(0.5, 1.0)
            t += d + gap
        t += rng.uniform(0.15, 0.9)
    return out


def synth_telephone(rng, t0, t1):
    t = np.arange(CLIP) / SR
    kind = rng.integers(3)
    if kind == 0:  # electronic two-tone ring
        fa, fb = rng.uniform(350, 500), rng.uniform(400, 560)
        tone = np.sin(2 * np.pi * fa * t) + np.sin(2 * np.pi * fb * t)
        tone *= (np.sin(2 * np.pi * rng.uniform(15, 25) * t) > 0) * 0.7 + 0.3
    elif kind == 1:  # bell ringer: inharmonic partials struck at ~20 Hz
        f0 = rng.uniform(600, 1400)
        strike = rng.uniform(16, 26)
        ph = (t * strike) % 1.0
        dec = np.exp(-ph * rng.uniform(3, 8))
        tone = sum(a * np.sin(2 * np.pi * f0 * r * t) for r, a in ((1, 1), (2.76, 0.5), (5.4, 0.25), (8.9, 0.12))) * dec
    else:  # warbling chirp ring
        fc = rng.uniform(900, 2200)
        tone = np.sin(2 * np.pi * np.cumsum(fc + rng.uniform(100, 400) * np.sign(np.sin(2 * np.pi * rng.uniform(8, 16) * t))) / SR)
    on, off = rng.uniform(0.4, 2.0), rng.uniform(0.2, 1.5)
    double = rng.random() < 0.4
    gate = np.zeros(CLIP)
    s = t0
    while s < t1:
        if double:
            gate += (t >= s) * (t < s + 0.4) + (t >= s + 0.6) * (t < s + 1.0)
            s += 1.0 + off + 0.6
        else:
            gate += (t >= s) * (t < s + on)
            s += on + off
    gate = np.convolve(np.clip(gate, 0, 1), np.ones(80) / 80, mode="same")
    return tone * gate


def _bandnoise(rng, n, lo, hi, order=2):
    x = rng.standard_normal(n)
    sos = sps.butter(order, [max(lo, 20), min(hi, 7900)], btype="band", fs=SR, output="sos")
    return sps.sosfilt(sos, x)


def synth_applause(rng, t0, t1):
    out = np.zeros(CLIP + 2000)
    rate = rng.uniform(30, 400)  # claps a second
    nclaps = int(rate * (t1 - t0))
    times = rng.uniform(t0, t1, nclaps)
    centres = rng.uniform(700, 3000, 32)
    bank = []
    for c in centres:  # a small bank of clap sounds, one per clapper
        n = int(rng.uniform(0.01, 0.04) * SR)
        e = np.exp(-np.arange(n) / (n / 5))
        bank.append(_bandnoise(rng, n + 200, c * 0.5, c * 1.8)[200:] * e)
    for tm in times:
        b = bank[rng.integers(len(bank))]
        s = int(tm * SR)
        out[s:s + len(b)] += b * rng.uniform(0.3, 1.0)
    out = out[:CLIP]
    # crowd envelope: swell and fade
    t = np.arange(CLIP) / SR
    env = 0.6 + 0.4 * np.sin(2 * np.pi * rng.uniform(0.05, 0.3) * t + rng.uniform(0, 6.3))
    return out * env


def synth_sea_wind(rng, t0, t1):
    t = np.arange(CLIP) / SR
    if rng.random() < 0.5:  # sea: low-passed noise in swells, each swell with a wash
        x = rng.standard_normal(CLIP)
        sos = sps.butter(2, rng.uniform(500, 2500), btype="low", fs=SR, output="sos")
        x = sps.sosfilt(sos, x)
        period = rng.uniform(2.0, 6.0)
        ph = ((t + rng.uniform(0, period)) / period) % 1.0
        env = np.where(ph < 0.3, ph / 0.3, np.exp(-(ph - 0.3) * rng.uniform(2, 6))) * 0.85 + 0.15
        hiss = _bandnoise(rng, CLIP, 2000, 6000) * env ** 2 * rng.uniform(0.1, 0.5)
        return x * env + hiss
    # wind: noise through a resonance whose centre drifts, with gusts
    x = rng.standard_normal(CLIP)
    out = np.zeros(CLIP)
    hop = 1600
    centre = rng.uniform(250, 1200)
    zi = None
    for s in range(0, CLIP, hop):
        centre = float(np.clip(centre * np.exp(rng.normal(0, 0.08)), 150, 3000))
        b, a = sps.iirpeak(centre, rng.uniform(2, 8), fs=SR)
        if zi is None:
            zi = sps.lfilter_zi(b, a) * 0
        y, zi = sps.lfilter(b, a, x[s:s + hop], zi=zi)
        out[s:s + hop] = y
    gust = np.convolve(rng.standard_normal(CLIP // 800 + 2), np.ones(4) / 4, "same")
    gust = np.interp(np.arange(CLIP) / 800, np.arange(len(gust)), gust)
    env = 0.5 + 0.5 * np.tanh(gust)
    rumble = sps.sosfilt(sps.butter(2, 150, btype="low", fs=SR, output="sos"), rng.standard_normal(CLIP)) * 3
    return out * env + rumble * rng.uniform(0, 1)


SYNTH = {"birdsong": synth_birdsong, "telephone_ring": synth_telephone, "applause": synth_applause,
         "sea_or_wind": synth_sea_wind}
