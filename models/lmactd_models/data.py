"""The data recipe of the default model: labelled 5 s, 16 kHz mono clips rendered from a seed.

Sources: fluidsynth with the FluidR3 General MIDI soundfont (instruments, drum kits, GM sound
effects), espeak-ng (speech) and numpy/scipy synthesis (birdsong, ringing, applause, sea, wind).
Every clip is planned from `numpy.random.default_rng([split_seed, index])`, so a split is the same
on every machine that has the same soundfont and espeak-ng. Train, validation and test use
disjoint split seeds.

A clip = target source (random pitch, pattern, tempo, velocity, voice, onset/early stop, EQ,
reverb) + optionally a background scene (coloured noise, hum) 12-30 dB below + optionally a
quieter source of another class 5-20 dB below, then scaled to a random peak level.

Rendering is batched: one fluidsynth call renders all MIDI sources of a chunk of clips, one 7 s
slot each (5 s of notes, 2 s of silence so that release tails never reach the next slot).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import struct
import tempfile
import time
from multiprocessing import Pool

import numpy as np
import scipy.io.wavfile as wavfile
import scipy.signal as sps

SR = 16000
CLIP = 80000
SOUNDFONT = "/usr/share/sounds/sf2/FluidR3_GM.sf2"

CLASSES = [
    "speech", "piano", "acoustic_guitar", "strings", "brass", "woodwind", "organ",
    "drum_kit", "bells", "birdsong", "telephone_ring", "applause", "sea_or_wind",
]

SPLIT_SEEDS = {"train": 1_000_003, "val": 2_000_003, "test": 3_000_017}
DEFAULT_SIZES = {"train": 1300, "val": 260, "test": 260}

# General MIDI programs (0-based) and the note range each plays in.
PROGRAMS = {
    "piano": [(0, 33, 96), (1, 36, 96), (2, 36, 90)],
    "acoustic_guitar": [(24, 40, 84), (25, 40, 84)],
    "strings": [(40, 55, 96), (41, 48, 84), (42, 36, 72), (48, 40, 88), (49, 40, 88), (44, 43, 84)],
    "brass": [(56, 55, 82), (57, 40, 72), (60, 41, 77), (61, 45, 80), (58, 33, 60)],
    "woodwind": [(73, 60, 96), (71, 50, 89), (68, 58, 91), (72, 74, 102), (74, 60, 91), (70, 34, 72)],
    "organ": [(16, 36, 90), (19, 36, 90), (17, 36, 90), (20, 48, 84)],
    "bells": [(14, 60, 77), (9, 72, 105), (112, 72, 96), (8, 60, 96)],
}
CHORDAL = {"piano", "acoustic_guitar", "organ", "strings"}
SCALES = {
    "major": [0, 2, 4, 5, 7, 9, 11], "minor": [0, 2, 3, 5, 7, 8, 10],
    "penta": [0, 2, 4, 7, 9], "dorian": [0, 2, 3, 5, 7, 9, 10], "blues": [0, 3, 5, 6, 7, 10],
}
# GM drum kits (bank 128 programs) and notes.
DRUM_KITS = [0, 8, 16, 24, 25, 32, 40]
KICK, SNARE, SNARE2, CLAP, HAT, PEDAL_HAT, OPEN_HAT, RIDE, CRASH = 36, 38, 40, 39, 42, 44, 46, 51, 49
TOMS = [41, 43, 45, 47, 48, 50]
COWBELL, RIMSHOT = 56, 37

# Words for pseudo-sentences, per espeak-ng language (common words; grammar does not matter).
WORDS = {
    "en-gb": "the house is near a river where we walk every morning and the children play "
             "with a small dog before school time comes again today".split(),
    "en-us": "please call me back later because the meeting starts at nine and we still need "
             "coffee paper and a quiet room for everyone".split(),
    "de": "der hund spielt heute im garten und die kinder lesen ein buch wir fahren morgen "
          "mit dem zug nach hause weil es regnet".split(),
    "fr": "le matin nous prenons le train pour aller au travail et le soir nous mangeons "
          "ensemble avec des amis dans la maison".split(),
    "es": "mañana vamos a la playa con mis amigos porque hace mucho calor y queremos nadar "
          "en el mar antes de comer".split(),
    "it": "oggi il tempo è bello e andiamo a fare una passeggiata nel parco con il cane "
          "poi mangiamo la pizza insieme".split(),
    "nl": "vandaag fietsen wij naar de stad om boeken te kopen en daarna drinken we koffie "
          "bij de rivier".split(),
    "pt": "hoje vamos ao mercado comprar frutas e pão depois voltamos para casa e "
          "preparamos o jantar para a família".split(),
    "pl": "dzisiaj idziemy do parku z psem a potem jemy obiad w domu z całą rodziną".split(),
    "sv": "i dag går vi till skolan och sedan äter vi lunch tillsammans med våra vänner".split(),
}
VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "f5",
            "klatt", "klatt2", "klatt4", "croak", "grandma", "grandpa"]


# ----------------------------------------------------------------------------------------------
# MIDI: a hand-written type-0 Standard MIDI File, 480 ticks a beat at 120 bpm (960 ticks a second)
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


def _active_region(rng, allow_offsets: bool):
    t0, t1 = 0.0, 5.0
    if allow_offsets and rng.random() < 0.5:
        t0 = float(rng.uniform(0.0, 2.0))
    if allow_offsets and rng.random() < 0.35:
        t1 = float(rng.uniform(t0 + 1.8, 5.0))
    return t0, t1


def plan_melodic(rng, cls, t0, t1):
    prog, lo, hi = PROGRAMS[cls][rng.integers(len(PROGRAMS[cls]))]
    bpm = float(rng.uniform(60, 180))
    beat = 60.0 / bpm
    scale = SCALES[list(SCALES)[rng.integers(len(SCALES))]]
    root = int(rng.integers(0, 12))
    pool = [n for n in range(lo, hi + 1) if (n - root) % 12 in scale]
    center = int(rng.integers(len(pool) // 4, max(len(pool) * 3 // 4, len(pool) // 4 + 1)))
    style = rng.choice(["melody", "arpeggio", "chords", "melody", "repeated"]) \
        if cls in CHORDAL else rng.choice(["melody", "melody", "arpeggio", "repeated", "long"])
    if cls == "bells":
        style = rng.choice(["melody", "arpeggio", "repeated"])
    durs = {"melody": [0.25, 0.5, 0.5, 1, 1, 2], "arpeggio": [0.25, 0.5], "chords": [1, 2, 2, 4],
            "repeated": [0.25, 0.5, 1], "long": [1, 2, 3]}[str(style)]
    legato = float(rng.uniform(0.5, 1.0))
    base_vel = int(rng.integers(45, 115))
    ev, t, idx = [], t0, center
    while t < t1 - 0.05:
        d = float(rng.choice(durs)) * beat
        end = min(t + d * legato, t1)
        if str(style) == "chords":
            notes = [pool[min(max(idx + k, 0), len(pool) - 1)] for k in (0, 2, 4)][: int(rng.integers(2, 4))]
        elif str(style) == "repeated":
            notes = [pool[idx]] if rng.random() < 0.8 else [pool[min(idx + 2, len(pool) - 1)]]
        else:
            notes = [pool[idx]]
        vel = int(np.clip(base_vel + rng.integers(-15, 16), 20, 127))
        if rng.random() > 0.08:  # an occasional rest
            for n in notes:
                ev.append((t, bytes([0x90, n, vel])))
                ev.append((end, bytes([0x80, n, 0])))
        step = int(rng.integers(-2, 3)) if str(style) != "arpeggio" else int(rng.choice([1, 2, -1, -2]))
        idx = int(np.clip(idx + step, 0, len(pool) - 1))
        t += d
    return {"program": int(prog), "drums": False, "events": ev}


def plan_drums(rng, t0, t1):
    kit = int(DRUM_KITS[rng.integers(len(DRUM_KITS))])
    bpm = float(rng.uniform(70, 170))
    step = 60.0 / bpm / 4  # sixteenth notes
    style = str(rng.choice(["rock", "disco", "funk", "halftime", "latin", "shuffle", "fourfloor"]))
    hat = int(rng.choice([HAT, HAT, RIDE, PEDAL_HAT]))
    pat = {}
    if style == "rock":
        pat = {KICK: [0, 8, 10] if rng.random() < 0.5 else [0, 8], SNARE: [4, 12], hat: list(range(0, 16, 2))}
    elif style == "disco":
        pat = {KICK: [0, 4, 8, 12], SNARE2: [4, 12], OPEN_HAT: [2, 6, 10, 14], HAT: [0, 4, 8, 12]}
    elif style == "funk":
        pat = {KICK: [0, 3, 7, 10], SNARE: [4, 12, 15], hat: list(range(16))}
    elif style == "halftime":
        pat = {KICK: [0, 7], SNARE: [8], hat: list(range(0, 16, 2))}
    elif style == "latin":
        pat = {KICK: [0, 6, 8, 14], RIMSHOT: [3, 6, 10, 12], COWBELL: [0, 4, 8, 12], TOMS[2]: [14, 15]}
    elif style == "shuffle":
        pat = {KICK: [0, 8], SNARE: [4, 12], hat: [0, 3, 4, 7, 8, 11, 12, 15]}
    else:
        pat = {KICK: [0, 4, 8, 12], CLAP: [4, 12], hat: [2, 6, 10, 14]}
    base_vel = int(rng.integers(60, 120))
    ev, t, n = [], t0, 0
    ev.append((t0, bytes([0x99, CRASH, base_vel]))) if rng.random() < 0.4 else None
    while t < t1 - 0.02:
        s = n % 16
        bar = n // 16
        fill = rng.random() < 0.3 and s >= 12 and bar % 2 == 1
        if fill:
            tom = int(TOMS[(s - 12 + bar) % len(TOMS)])
            ev.append((t, bytes([0x99, tom, int(min(127, base_vel + 10))])))
        else:
            for note, steps in pat.items():
                if s in steps and rng.random() > 0.05:
                    acc = 10 if s % 4 == 0 else -10 if note == hat else 0
                    vel = int(np.clip(base_vel + acc + rng.integers(-12, 13), 15, 127))
                    ev.append((t, bytes([0x99, int(note), vel])))
        t += step
        n += 1
    # note-offs (drums ignore most of them, but keep the file tidy)
    ev += [(min(tt + 0.1, t1), bytes([0x89, e[1], 0])) for tt, e in list(ev)]
    return {"program": kit, "drums": True, "events": ev}


def plan_gm_effect(rng, program, t0, t1, retrigger):
    """A GM sound effect (seashore 122, bird tweet 123, telephone 124, applause 126)."""
    ev, t = [], t0
    while t < t1 - 0.1:
        note = int(rng.integers(54, 72))
        d = float(rng.uniform(*retrigger)) if retrigger else (t1 - t)
        end = min(t + d, t1)
        ev.append((t, bytes([0x90, note, int(rng.integers(70, 127))])))
        ev.append((end, bytes([0x80, note, 0])))
        t = end + (float(rng.uniform(0.05, 0.8)) if retrigger else 0)
    return {"program": int(program), "drums": False, "events": ev}


def plan_speech(rng, t0, t1):
    lang = list(WORDS)[rng.integers(len(WORDS))]
    words = WORDS[lang]
    sentences = []
    for _ in range(4):
        k = int(rng.integers(4, 10))
        sentences.append(" ".join(words[int(i)] for i in rng.integers(0, len(words), k)))
    return {"voice": f"{lang}+{VARIANTS[rng.integers(len(VARIANTS))]}",
            "speed": int(rng.integers(120, 210)), "pitch": int(rng.integers(15, 85)),
            "text": ". ".join(sentences) + ".", "gap": float(rng.uniform(0.1, 0.6))}


def plan_source(rng, cls, allow_offsets=True):
    t0, t1 = _active_region(rng, allow_offsets)
    src = {"cls": cls, "t0": t0, "t1": t1, "seed": int(rng.integers(2**31))}
    if cls in PROGRAMS:
        src["midi"] = plan_melodic(rng, cls, t0, t1)
    elif cls == "drum_kit":
        src["midi"] = plan_drums(rng, t0, t1)
    elif cls == "speech":
        src["speech"] = plan_speech(rng, t0, t1)
    elif cls == "birdsong" and rng.random() < 0.25:
        src["midi"] = plan_gm_effect(rng, 123, t0, t1, (0.3, 1.2))
    elif cls == "telephone_ring" and rng.random() < 0.3:
        src["midi"] = plan_gm_effect(rng, 124, t0, t1, (1.0, 2.0))
    elif cls == "applause" and rng.random() < 0.3:
        src["midi"] = plan_gm_effect(rng, 126, t0, t1, None)
    elif cls == "sea_or_wind" and rng.random() < 0.25:
        src["midi"] = plan_gm_effect(rng, 122, t0, t1, None)
    else:
        src["synth"] = cls
    # effects
    src["eq"] = str(rng.choice(["none", "lowpass", "highpass", "peak", "telephone"], p=[0.35, 0.2, 0.2, 0.18, 0.07]))
    src["eq_f"] = float(rng.uniform(0, 1))
    src["eq_g"] = float(rng.uniform(-9, 9))
    src["reverb"] = float(rng.uniform(0.15, 1.3)) if rng.random() < 0.5 else 0.0
    src["wet"] = float(rng.uniform(0.1, 0.5))
    return src


def plan_clip(split: str, index: int, classes=None, interferer=None, background=None):
    """The plan of one clip; `classes`, `interferer` (class name or False) and `background` (bool)
    force choices (examples and mixture tests)."""
    rng = np.random.default_rng([SPLIT_SEEDS[split], index])
    n = len(CLASSES)
    label = CLASSES.index(classes) if classes is not None else 0
    # balanced labels: a split-seeded permutation of the classes, cycled
    if classes is None:
        perm = np.random.default_rng([SPLIT_SEEDS[split], 999_999, index // n]).permutation(n)
        label = int(perm[index % n])
    plan = {"split": split, "index": index, "label": CLASSES[label], "target": plan_source(rng, CLASSES[label])}
    use_bg = rng.random() < 0.6 if background is None else background
    plan["background"] = {"kind": str(rng.choice(["pink", "brown", "white", "hum", "room"])),
                          "snr": float(rng.uniform(12, 30)), "seed": int(rng.integers(2**31))} if use_bg else None
    use_int = rng.random() < 0.5 if interferer is None else bool(interferer)
    if use_int:
        other = [c for c in CLASSES if c != CLASSES[label]]
        icls = other[rng.integers(len(other))] if not isinstance(interferer, str) else interferer
        plan["interferer"] = plan_source(rng, icls)
        plan["snr"] = float(rng.uniform(5, 20))
    else:
        plan["interferer"] = None
        plan["snr"] = None
    plan["peak"] = float(rng.uniform(0.1, 0.98))
    return plan


# ----------------------------------------------------------------------------------------------
# Synthesis of the non-MIDI classes

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


def render_midi_batch(items, tmpdir):
    """items: list of midi specs; returns a list of 5 s float arrays. One fluidsynth call."""
    slot = 7.0
    events = []
    for k, m in enumerate(items):
        base = k * slot
        ch = 9 if m["drums"] else 0
        events.append((base, bytes([0xB0 | ch, 121, 0])))
        events.append((base, bytes([0xB0 | ch, 7, 100])))
        events.append((base, bytes([0xB0 | ch, 91, 0])))
        events.append((base, bytes([0xB0 | ch, 93, 0])))
        events.append((base, bytes([0xC0 | ch, m["program"]])))
        for t, b in m["events"]:
            b = bytes([(b[0] & 0xF0) | ch]) + b[1:]
            events.append((base + 0.01 + t, b))
    events.append((len(items) * slot, bytes([0xB0, 123, 0])))
    mid = os.path.join(tmpdir, f"batch_{os.getpid()}.mid")
    wav = os.path.join(tmpdir, f"batch_{os.getpid()}.wav")
    write_midi(mid, events)
    subprocess.run(["fluidsynth", "-ni", "-q", "-g", "0.4", "-R", "0", "-C", "0", "-r", str(SR), "-T", "wav",
                    "-O", "float", "-F", wav, SOUNDFONT, mid], check=True, capture_output=True)
    sr, x = wavfile.read(wav)
    x = x.astype(np.float64)
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


def render_plans(plans, tmpdir, parts=False):
    """Renders a list of clip plans; returns clips (float32 [n, CLIP]) and, with parts=True,
    also the targets and interferers before mixing."""
    midi_items, where = [], []
    for i, p in enumerate(plans):
        for role in ("target", "interferer"):
            s = p.get(role)
            if s is not None and "midi" in s:
                where.append((i, role))
                midi_items.append(s["midi"])
    rendered = {}
    if midi_items:
        for (i, role), x in zip(where, render_midi_batch(midi_items, tmpdir)):
            rendered[(i, role)] = x
    clips, targets, interferers = [], [], []
    for i, p in enumerate(plans):
        tgt = render_source(p["target"], rendered.get((i, "target")), tmpdir)
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


def _render_chunk(args):
    split, indices, outdir = args
    with tempfile.TemporaryDirectory() as tmp:
        plans = [plan_clip(split, i) for i in indices]
        clips = render_plans(plans, tmp)
    rows = []
    for i, p, x in zip(indices, plans, clips):
        name = f"{split}/{i:05d}_{p['label']}.wav"
        path = os.path.join(outdir, name)
        tmpw = path + ".tmp"
        wavfile.write(tmpw, SR, (np.clip(x, -1, 1) * 32767).astype(np.int16))
        os.replace(tmpw, path)
        rows.append((i, name, p["label"]))
    return rows


def build_dataset(outdir, sizes=None, workers=2, chunk=40, log=print):
    """Renders the splits into outdir/{split}/*.wav with outdir/{split}.csv (path,label)."""
    sizes = dict(DEFAULT_SIZES if sizes is None else sizes)
    os.makedirs(outdir, exist_ok=True)
    t_all = time.time()
    for split, n in sizes.items():
        os.makedirs(os.path.join(outdir, split), exist_ok=True)
        t = time.time()
        jobs = [(split, list(range(s, min(s + chunk, n))), outdir) for s in range(0, n, chunk)]
        rows = []
        with Pool(workers) as pool:
            for r in pool.imap(_render_chunk, jobs):
                rows += r
        rows.sort()
        tmpc = os.path.join(outdir, f"{split}.csv.tmp")
        with open(tmpc, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["path", "label"])
            for _, name, lab in rows:
                w.writerow([name, lab])
        os.replace(tmpc, os.path.join(outdir, f"{split}.csv"))
        dt = time.time() - t
        log(f"{split}: {n} clips in {dt:.1f} s ({dt / max(n, 1):.3f} s a clip, {workers} processes)")
    info = {"classes": CLASSES, "sizes": sizes, "splitSeeds": SPLIT_SEEDS, "sampleRate": SR, "clipSamples": CLIP,
            "seconds": round(time.time() - t_all, 1)}
    with open(os.path.join(outdir, "dataset.json"), "w") as f:
        json.dump(info, f, indent=1)
    return info


def load_split(outdir, split):
    """Reads a split's CSV and WAVs: returns (float32 [n, CLIP] at file scale, int64 labels)."""
    xs, ys = [], []
    with open(os.path.join(outdir, f"{split}.csv")) as f:
        for row in csv.DictReader(f):
            sr, x = wavfile.read(os.path.join(outdir, row["path"]))
            assert sr == SR and len(x) == CLIP, row["path"]
            xs.append(x.astype(np.float32) / 32768.0)
            ys.append(CLASSES.index(row["label"]))
    return np.stack(xs), np.array(ys, dtype=np.int64)


def paper_mix(s, n):
    """The paper's contaminated-set mixture: 0.8 s/||s|| + 0.2 n/||n||, divided by its max."""
    m = 0.8 * s / (np.linalg.norm(s) + 1e-12) + 0.2 * n / (np.linalg.norm(n) + 1e-12)
    return m / (np.max(m) + 1e-12)


def mixture_pairs(split, count, start=500_000):
    """Clean target / interferer pairs of different classes for the mixture test, from seeds of
    `split` that the split's own clips do not use (indices from `start`). Returns (targets,
    interferers, target labels, interferer labels), each source without background or effects
    of the other."""
    plans = []
    for k in range(count):
        p = plan_clip(split, start + k, interferer=True, background=False)
        plans.append(p)
    with tempfile.TemporaryDirectory() as tmp:
        _, tg, itf = render_plans(plans, tmp, parts=True)
    return (np.stack(tg), np.stack(itf), np.array([CLASSES.index(p["label"]) for p in plans]),
            np.array([CLASSES.index(p["interferer"]["cls"]) for p in plans]))


EXAMPLES = [
    # name, split index, forced target, forced interferer, background, mix kind
    ("speech_over_piano", 900_001, "speech", "piano", False, "paper"),
    ("drum_pattern", 900_002, "drum_kit", False, True, None),
    ("birdsong_by_the_sea", 900_003, "birdsong", "sea_or_wind", False, "snr"),
    ("telephone_ring", 900_004, "telephone_ring", False, True, None),
    ("violin_with_applause", 900_005, "strings", "applause", False, "snr"),
]


def render_examples(outdir, seconds=5.0):
    """The example WAVs of the default package, rendered from test seeds."""
    os.makedirs(outdir, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, idx, tgt, itf, bg, kind in EXAMPLES:
            p = plan_clip("test", idx, classes=tgt, interferer=itf, background=bg)
            if kind == "paper":
                p["target"]["t0"], p["target"]["t1"] = 0.0, 5.0
            clip, t, i = render_plans([p], tmp, parts=True)
            x = paper_mix(t[0], i[0]) * 0.9 if kind == "paper" else clip[0]
            x = x[: int(seconds * SR)]
            path = os.path.join(outdir, f"{name}.wav")
            wavfile.write(path + ".tmp", SR, (np.clip(x, -1, 1) * 32767).astype(np.int16))
            os.replace(path + ".tmp", path)
            written.append(path)
    return written
