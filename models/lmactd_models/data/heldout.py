"""The held-out-source set: clips of every class rendered only from the sources `sources` holds out
(the TimGM6mb soundfont, two hydrogen kits, festival's slt voice and 0 A.D.'s Napatan voice lines,
wesnoth's birds, war drums and bell, 0 A.D.'s crashing waves, frozen-bubble's applause), so that a
model trained on the other sources is measured on sources it never heard.

Planned from `numpy.random.default_rng([HELDOUT_SEED, index])`, labels balanced as in `plan_clip`;
the recipe's background (12-30 dB below, 60 %) and a random peak, no interferer. `augment=True`
also runs `augment.chain` on each clip (the world outside: phone band, codecs, rooms, noise).
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile

import numpy as np
import scipy.io.wavfile as wavfile

from ..clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR
from . import augment, real, sources
from .plan import plan_drums, plan_gm_effect, plan_melodic
from .recipe import CLASSES, PROGRAMS, WORDS
from .render import render_background, render_midi_batch

HELDOUT_SEED = 4_000_037


def _pool_files(root, name):
    return sources.files(root, next(p for p in sources.POOLS if p.name == name))


def _festival_voice() -> str | None:
    """festival's held-out voice when festival and the voice are installed (apt: festival festvox-us-slt-hts)."""
    ok = shutil.which("text2wave") and os.path.isdir("/usr/share/festival/voices/us/cmu_us_slt_arctic_hts")
    return "cmu_us_slt_arctic_hts" if ok else None


def plan(index: int) -> dict:
    """What clip `index` of the held-out set is: class, source kind and the draws it needs."""
    rng = np.random.default_rng([HELDOUT_SEED, index])
    n = len(CLASSES)
    label = CLASSES[int(np.random.default_rng([HELDOUT_SEED, 999_999, index // n]).permutation(n)[index % n])]
    p = {"index": index, "label": label, "seed": int(rng.integers(2**31)), "peak": float(rng.uniform(0.1, 0.98)),
         "background": float(rng.uniform(12, 30)) if rng.random() < 0.6 else None}
    t0 = float(rng.uniform(0, 1.5)) if rng.random() < 0.4 else 0.0
    if label in PROGRAMS and not (label == "bells" and rng.random() < 0.3):
        p["midi"] = plan_melodic(rng, label, t0, 5.0)
    elif label == "telephone_ring":
        p["midi"] = plan_gm_effect(rng, 124, t0, 5.0, (1.0, 2.0))
    elif label == "drum_kit":
        p["kit"] = str(rng.choice(sources.HELD_OUT_KITS)) if rng.random() < 0.8 else None
        p["events"] = plan_drums(rng, t0, 5.0)["events"]
    elif label == "speech":
        p["festival"] = bool(rng.random() < 0.5)
        words = WORDS["en-us"]
        p["text"] = ". ".join(" ".join(words[int(i)] for i in rng.integers(0, len(words), int(rng.integers(4, 9))))
                              for _ in range(3)) + "."
    return p


def render(p: dict, root: str, tmpdir: str, augmented: bool = False) -> np.ndarray:
    """The clip of plan `p` from the sources unpacked under `root`."""
    rng = np.random.default_rng(p["seed"])
    label = p["label"]
    if "midi" in p:
        sf = os.path.join(root, "timgm6mb-soundfont", next(s.path for s in sources.SOUNDFONTS if s.held_out))
        x = render_midi_batch([p["midi"]], tmpdir, soundfont=sf)[0]
    elif label == "drum_kit" and p["kit"]:
        kit = os.path.join(root, "hydrogen-drumkits", sources._KITS, p["kit"])
        x = real.HydrogenKit(kit).render(p["events"])
    elif label == "speech" and p["festival"] and _festival_voice():
        x = real.festival(_festival_voice(), p["text"])
    else:
        pool = {"speech": "0ad-voices-napatan", "drum_kit": "wesnoth-wardrums", "birdsong": "wesnoth-birds",
                "sea_or_wind": "0ad-waves-held-out", "applause": "frozen-bubble-applause", "bells": "wesnoth-bell"}[label]
        files = _pool_files(root, pool)
        if not files:
            raise FileNotFoundError(f"no files of pool {pool} under {root}: run 'lmactd-train sources --fetch'")
        long = real.load(files[0]).shape[0] > 6 * SR
        x = real.ambience(files[int(rng.integers(len(files)))], rng) if long else real.phrase(files, rng, count=(1, 3))
    x = np.asarray(x, dtype=np.float64)[:CLIP]
    x = np.pad(x, (0, CLIP - len(x)))
    if p["background"] is not None:
        bg = render_background({"kind": str(rng.choice(["pink", "brown", "white", "hum", "room"])), "seed": p["seed"]})
        x = x + bg * np.sqrt(np.mean(x ** 2) / max(np.mean(bg ** 2), 1e-12)) * 10 ** (-p["background"] / 20)
    if augmented:
        x, _ = augment.chain(x, rng, {"level": 0.0})
    return (x * p["peak"] / max(float(np.max(np.abs(x))), 1e-9)).astype(np.float32)


def build(outdir: str, root: str, count: int, augmented: bool = False, log=print) -> str:
    """Renders `count` clips into outdir/heldout/ and writes outdir/heldout.csv (path,label)."""
    os.makedirs(os.path.join(outdir, "heldout"), exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(count):
            p = plan(i)
            x = render(p, root, tmp, augmented)
            name = f"heldout/{i:05d}_{p['label']}.wav"
            wavfile.write(os.path.join(outdir, name + ".tmp"), SR, (np.clip(x, -1, 1) * 32767).astype(np.int16))
            os.replace(os.path.join(outdir, name + ".tmp"), os.path.join(outdir, name))
            rows.append((name, p["label"]))
    csv_path = os.path.join(outdir, "heldout.csv")
    with open(csv_path + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "label"])
        w.writerows(rows)
    os.replace(csv_path + ".tmp", csv_path)
    log(f"heldout: {count} clips in {outdir}")
    return csv_path
