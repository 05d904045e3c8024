"""Planning: every clip as a plain dict drawn from `numpy.random.default_rng([split_seed, index])`
(target source, optional interferer and background, levels), so a split is the same on every
machine."""
from __future__ import annotations

import numpy as np

from .recipe import CHORDAL, CLAP, CLASSES, COWBELL, CRASH, DRUM_KITS, HAT, KICK, OPEN_HAT, PEDAL_HAT, PROGRAMS, RIDE, RIMSHOT, SCALES, SNARE, SNARE2, SPLIT_SEEDS, TOMS, VARIANTS, WORDS


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
