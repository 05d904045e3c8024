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
    """A ringing telephone, one of six ringers: electronic two-tone, struck bell (reset per strike),
    warbling chirp, square-wave trill, beeped ring tone, two-gong mechanical bell (rings on)."""
    t = np.arange(CLIP) / SR
    kind = rng.integers(6)
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
    elif kind == 2:  # warbling chirp ring
        fc = rng.uniform(900, 2200)
        tone = np.sin(2 * np.pi * np.cumsum(fc + rng.uniform(100, 400) * np.sign(np.sin(2 * np.pi * rng.uniform(8, 16) * t))) / SR)
    elif kind == 3:  # trill of two square-ish tones (odd harmonics), switched 8-25 times a second
        fa = rng.uniform(600, 2000)
        fb = fa * rng.uniform(1.1, 1.6)
        f = np.where(np.sin(2 * np.pi * rng.uniform(8, 25) * t) > 0, fa, fb)
        tone = np.tanh(rng.uniform(2, 8) * np.sin(2 * np.pi * np.cumsum(f) / SR))
    elif kind == 4:  # a ring tone: a short tune of 3-8 beeps, looped
        return _ringtone(rng, t0, t1)
    else:
        return _gongs(rng, t0, t1)
    return tone * _cadence(rng, t, t0, t1)


def _cadence(rng, t, t0, t1):
    """On/off gate of a ring: single rings of 0.4-2 s or double rings, 0.2-1.5 s apart."""
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
    return np.convolve(np.clip(gate, 0, 1), np.ones(80) / 80, mode="same")


def _ringtone(rng, t0, t1):
    """Beeps of a pentatonic tune (sine, square-ish or two-operator FM), 60-220 ms each, looped
    with a pause, as phones play them."""
    out = np.zeros(CLIP)
    root = rng.uniform(500, 1300)
    notes = root * 2 ** (rng.choice([0, 2, 4, 7, 9, 12, 14, 16], int(rng.integers(3, 9))) / 12)
    dur, gap, timbre = rng.uniform(0.06, 0.22), rng.uniform(0.0, 0.06), rng.integers(3)
    pause = rng.uniform(0.2, 1.0)
    s = t0
    while s < t1:
        for f in notes:
            n = int(dur * SR)
            a = int(s * SR)
            if a + n > CLIP or s > t1:
                break
            tt = np.arange(n) / SR
            if timbre == 0:
                x = np.sin(2 * np.pi * f * tt)
            elif timbre == 1:
                x = np.tanh(4 * np.sin(2 * np.pi * f * tt))
            else:
                x = np.sin(2 * np.pi * f * tt + 1.5 * np.exp(-tt * 20) * np.sin(2 * np.pi * 2 * f * tt))
            out[a:a + n] += x * np.minimum(1, np.minimum(tt, tt[::-1]) / 0.005)
            s += dur + gap
        s += pause
    return out


def _gongs(rng, t0, t1):
    """An electromechanical ringer: a clapper striking two gongs in turn at 15-30 Hz during each ring;
    each gong's inharmonic partials ring on between strikes and after the ring."""
    f1 = rng.uniform(700, 2200)
    f2 = f1 * rng.uniform(1.05, 1.35)
    ratios = (1.0, rng.uniform(2.2, 3.0), rng.uniform(4.0, 6.0), rng.uniform(7.0, 10.0))
    tau = rng.uniform(0.08, 0.4)  # seconds to fall by 1/e
    strikes = np.zeros(CLIP)
    gate = _cadence(rng, np.arange(CLIP) / SR, t0, t1)
    rate = rng.uniform(15, 30)
    k = np.arange(int(t0 * rate), int(t1 * rate))
    at = np.round(k / rate * SR).astype(int)
    at = at[(at >= 0) & (at < CLIP)]
    strikes[at] = gate[at] * rng.uniform(0.7, 1.0, len(at))
    n = int(min(5 * tau, 1.5) * SR)
    tt = np.arange(n) / SR
    out = np.zeros(CLIP)
    for which, f in ((0, f1), (1, f2)):
        ir = sum(np.sin(2 * np.pi * f * r * tt) * np.exp(-tt * r ** 0.5 / tau) / (1 + j)
                 for j, r in enumerate(ratios))
        hits = strikes.copy()
        hits[at[which::2]] = 0  # alternate gongs
        out += sps.fftconvolve(hits, ir)[:CLIP]
    return out


def _bandnoise(rng, n, lo, hi, order=2):
    x = rng.standard_normal(n)
    sos = sps.butter(order, [max(lo, 20), min(hi, 7900)], btype="band", fs=SR, output="sos")
    return sps.sosfilt(sos, x)


def synth_applause(rng, t0, t1):
    """Clapping, from one hand to a hall: 3-800 clappers at 1.5-6 claps a second each (5 to about
    4 800 claps a second), each clap a 5-40 ms burst of band-passed noise (clap spectra peak between
    about 0.7 and 3 kHz, by how the hands meet); the crowd joins within a second, holds with small
    fluctuations and half the time dies away; large crowds get a hall (RT60 0.6-2.5 s) and often a
    distant, duller sound. Dense applause is noise-like: its clap texture and mid-band spectrum,
    not slow swells, are what tells it from sea or wind."""
    clappers = int(np.exp(rng.uniform(np.log(3), np.log(800))))
    rate = clappers * rng.uniform(1.5, 6.0)
    nclaps = int(rate * (t1 - t0))
    times = np.sort(rng.uniform(t0, t1, nclaps))
    join = t0 + rng.uniform(0.05, 1.0)  # claps thin out before the crowd has joined
    keep = (times >= join) | (rng.random(nclaps) < (times - t0) / max(join - t0, 1e-3))
    times = times[keep]
    bank = []
    for c in rng.uniform(700, 3000, 32):  # a bank of clap sounds, one per kind of clap
        n = int(rng.uniform(0.005, 0.04) * SR)
        e = np.exp(-np.arange(n) / (n / 5))
        bank.append(_bandnoise(rng, n + 200, c * 0.5, c * 1.8)[200:] * e)
    which = rng.integers(len(bank), size=len(times))
    gains = rng.uniform(0.3, 1.0, len(times))
    at = np.minimum((times * SR).astype(int), CLIP - 1)
    out = np.zeros(CLIP + 2000)
    for k, b in enumerate(bank):  # one impulse train per clap sound, convolved once
        sel = which == k
        if sel.any():
            train = np.zeros(CLIP)
            np.add.at(train, at[sel], gains[sel])
            y = sps.fftconvolve(train, b)
            out[:len(y)] += y
    out = out[:CLIP]
    t = np.arange(CLIP) / SR
    wander = np.interp(t, np.linspace(0, CLIP / SR, 21), rng.normal(1.0, 0.12, 21))
    env = np.clip(wander, 0.5, 1.5)
    if rng.random() < 0.5:
        end = rng.uniform(t0 + 1.5, t1 + 0.5)
        env *= np.clip((end - t) / rng.uniform(0.5, 1.5), 0.0, 1.0)
    out *= env
    if clappers > 40 and rng.random() < 0.8:
        rt = rng.uniform(0.6, 2.5)
        n = int(min(rt, 2.0) * SR)
        ir = rng.standard_normal(n) * np.exp(-6.9 * np.arange(n) / SR / rt)
        ir /= np.sqrt(np.sum(ir ** 2))
        wet = sps.fftconvolve(out, ir)[:CLIP]
        mix = rng.uniform(0.2, 0.7)
        out = (1 - mix) * out + mix * wet * np.std(out) / (np.std(wet) + 1e-12)
        if rng.random() < 0.5:
            out = sps.sosfilt(sps.butter(2, rng.uniform(2500, 6000), btype="low", fs=SR, output="sos"), out)
    return out


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
