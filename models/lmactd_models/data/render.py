"""Rendering: plans to audio. One fluidsynth call renders all MIDI sources of a batch, one 7 s slot
each; espeak-ng the speech; then effects, background, interferer and level."""
from __future__ import annotations

import os
import subprocess
import warnings

import numpy as np
import scipy.io.wavfile as wavfile
import scipy.signal as sps

from ..clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR
from .recipe import SOUNDFONT
from . import timidity
from .midi import write_midi
from .synth import SYNTH, _env


def render_speech(spec, t0, t1, tmpdir):
    path = os.path.join(tmpdir, f"speech_{os.getpid()}.wav")
    subprocess.run(["espeak-ng", "-v", spec["voice"], "-s", str(spec["speed"]), "-p", str(spec["pitch"]),
                    "-g", "3", "-w", path, spec["text"]], check=True, capture_output=True)
    sr, x = wavfile.read(path)
    x = x.astype(np.float64) / 32768.0
    x = sps.resample_poly(x, 320, 441) if sr == 22050 else sps.resample_poly(x, SR, sr)
    # trim leading silence, then place at t0
    nz = np.flatnonzero(np.abs(x) > 1e-3)
    x = x[nz[0]:] if len(nz) else x
    out = np.zeros(CLIP)
    s = int(t0 * SR)
    n = min(len(x), CLIP - s)
    out[s:s + n] = x[:n]
    return out


def render_midi_batch(items, tmpdir, soundfont=SOUNDFONT):
    """items: list of midi specs; returns a list of 5 s float arrays. One fluidsynth call (one
    TiMidity++ call when `soundfont` is freepats' config, a `.cfg`)."""
    patches = soundfont.endswith(".cfg")
    slot = 7.0
    events = []
    for k, m in enumerate(items):
        base = k * slot
        ch = 9 if m["drums"] else 0
        events.append((base, bytes([0xB0 | ch, 121, 0])))
        events.append((base, bytes([0xB0 | ch, 7, 100])))
        events.append((base, bytes([0xB0 | ch, 91, 0])))
        events.append((base, bytes([0xB0 | ch, 93, 0])))
        events.append((base, bytes([0xC0 | ch, timidity.program(m["program"]) if patches and not m["drums"] else m["program"]])))
        for t, b in m["events"]:
            b = bytes([(b[0] & 0xF0) | ch]) + b[1:]
            events.append((base + 0.01 + t, b))
    events.append((len(items) * slot, bytes([0xB0, 123, 0])))
    mid = os.path.join(tmpdir, f"batch_{os.getpid()}.mid")
    wav = os.path.join(tmpdir, f"batch_{os.getpid()}.wav")
    write_midi(mid, events)
    if patches:
        timidity.render(mid, wav, soundfont, SR, tmpdir)
    else:
        subprocess.run(["fluidsynth", "-ni", "-q", "-g", "0.4", "-R", "0", "-C", "0", "-r", str(SR), "-T", "wav",
                        "-O", "float", "-F", wav, soundfont, mid], check=True, capture_output=True)
    with warnings.catch_warnings():  # TiMidity++ writes a LIST chunk that scipy skips with a warning
        warnings.simplefilter("ignore", wavfile.WavFileWarning)
        sr, x = wavfile.read(wav)
    x = x.astype(np.float64) / (32768.0 if x.dtype == np.int16 else 1.0)
    if x.ndim == 2:
        x = x.mean(axis=1)
    outs = []
    for k in range(len(items)):
        s = int(round((k * slot + 0.01) * SR))
        seg = x[s:s + CLIP]
        outs.append(np.pad(seg, (0, CLIP - len(seg))))
    return outs


def _rms(x):
    return float(np.sqrt(np.mean(x ** 2) + 1e-12))


def apply_fx(x, src, rng):
    eq, f, g = src["eq"], src["eq_f"], src["eq_g"]
    if eq == "lowpass":
        x = sps.sosfilt(sps.butter(2, 1500 + f * 5500, btype="low", fs=SR, output="sos"), x)
    elif eq == "highpass":
        x = sps.sosfilt(sps.butter(2, 60 + f * 700, btype="high", fs=SR, output="sos"), x)
    elif eq == "peak":  # an RBJ peaking biquad
        f0 = 200 * (30 ** f)
        A = 10 ** (g / 40)
        w0 = 2 * np.pi * f0 / SR
        alpha = np.sin(w0) / 2
        b = [1 + alpha * A, -2 * np.cos(w0), 1 - alpha * A]
        a = [1 + alpha / A, -2 * np.cos(w0), 1 - alpha / A]
        x = sps.lfilter(b, a, x)
    elif eq == "telephone":
        x = sps.sosfilt(sps.butter(2, [300, 3400], btype="band", fs=SR, output="sos"), x)
    if src["reverb"] > 0:
        rt = src["reverb"]
        n = int(min(rt, 1.2) * SR)
        tt = np.arange(n) / SR
        ir = rng.standard_normal(n) * np.exp(-6.9 * tt / rt)
        ir = sps.sosfilt(sps.butter(1, 5000, btype="low", fs=SR, output="sos"), ir)
        ir /= np.sqrt(np.sum(ir ** 2)) + 1e-12
        wet = sps.fftconvolve(x, ir)[:CLIP]
        x = (1 - src["wet"]) * x + src["wet"] * wet * _rms(x) / (_rms(wet) + 1e-12)
    return x


def render_source(src, midi_audio, tmpdir):
    rng = np.random.default_rng(src["seed"])
    t0, t1 = src["t0"], src["t1"]
    if "midi" in src:
        x = midi_audio
    elif "speech" in src:
        x = render_speech(src["speech"], t0, t1, tmpdir)
    else:
        x = SYNTH[src["synth"]](rng, t0, t1)
    x = x * _env(t0, t1 + 0.25 if "midi" in src else t1, 0.01)  # early stop, keeping release tails
    x = apply_fx(x, src, rng)
    return x


def render_background(bg):
    rng = np.random.default_rng(bg["seed"])
    w = rng.standard_normal(CLIP)
    k = bg["kind"]
    if k == "pink" or k == "brown":
        spec = np.fft.rfft(w)
        f = np.maximum(np.fft.rfftfreq(CLIP, 1 / SR), 20.0)
        spec /= f ** (0.5 if k == "pink" else 1.0)
        return np.fft.irfft(spec, CLIP)
    if k == "white":
        return w
    t = np.arange(CLIP) / SR
    mains = 50 if rng.random() < 0.5 else 60
    hum = sum(np.sin(2 * np.pi * mains * h * t + rng.uniform(0, 6.3)) / h for h in range(1, 6))
    if k == "hum":
        return hum + 0.05 * w
    return sps.sosfilt(sps.butter(2, 400, btype="low", fs=SR, output="sos"), w) + 0.3 * hum


def _scale_to(x, ref, snr_db):
    return x * (_rms(ref) / _rms(x)) * 10 ** (-snr_db / 20)


def render_plans(plans, tmpdir, parts=False, soundfont=SOUNDFONT, given=None):
    """Renders a list of clip plans; returns clips (float32 [n, CLIP]) and, with parts=True,
    also the targets and interferers before mixing. `soundfont` renders their MIDI parts;
    `given` (plan index -> 5 s array) replaces planned targets with ones rendered elsewhere
    (recordings), mixed the same way."""
    given = given or {}
    midi_items, where = [], []
    for i, p in enumerate(plans):
        for role in ("target", "interferer"):
            s = p.get(role)
            if s is not None and "midi" in s:
                where.append((i, role))
                midi_items.append(s["midi"])
    rendered = {}
    if midi_items:
        for (i, role), x in zip(where, render_midi_batch(midi_items, tmpdir, soundfont)):
            rendered[(i, role)] = x
    clips, targets, interferers = [], [], []
    for i, p in enumerate(plans):
        tgt = given[i] if i in given else render_source(p["target"], rendered.get((i, "target")), tmpdir)
        mix = tgt.copy()
        itf = None
        if p["interferer"] is not None:
            itf = _scale_to(render_source(p["interferer"], rendered.get((i, "interferer")), tmpdir), tgt, p["snr"])
            mix = mix + itf
        if p["background"] is not None:
            mix = mix + _scale_to(render_background(p["background"]), tgt, p["background"]["snr"])
        g = p["peak"] / (np.max(np.abs(mix)) + 1e-9)
        clips.append((mix * g).astype(np.float32))
        targets.append((tgt * g).astype(np.float32))
        interferers.append(None if itf is None else (itf * g).astype(np.float32))
    if parts:
        return clips, targets, interferers
    return clips
