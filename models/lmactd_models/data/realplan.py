"""The next recipe's clips: the default recipe's plans with their target drawn, where a class has
them, from the training pools of `sources` (never the held-out ones), then `augment.chain`.

Per class: melodic classes from FluidR3 or MuseScore General (with `pat_share`, part on freepats, a
patch set fluidsynth cannot load, rendered by TiMidity++: `timidity.py`); drum kits half on hydrogen's training kits, half GM;
speech from espeak-ng, festival's training voices (when installed) and 0 A.D.'s training voice
lines; birds, sea and wind half from recordings; bells from the soundfonts (with `bell_share`, part
from the bell synthesiser); applause half from crowds of real hand claps; telephone stays synthesised
or GM (no training recording exists). Clips are planned from `default_rng([REAL_SEEDS[split], index])`.
"""
from __future__ import annotations

import os
import shutil
import subprocess

import numpy as np

from ..clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR
from . import augment, real, sources
from .bells import synth_bells
from .plan import plan_clip, plan_drums
from .render import render_plans

REAL_SEEDS = {"train": 5_000_011, "val": 6_000_011, "test": 7_000_003}
# The share of a class's targets drawn from recordings (the rest: the default recipe's source).
RECORDED = {"speech": ("0ad-voices", "0ad-voices-persian"), "birdsong": ("widelands-birds", "stk-birds", "0ad-dayscape"),
            "sea_or_wind": ("0ad-waves", "0ad-wind"), "applause": ("hydrogen-claps",)}
# Applause has no training recording; half its clips are crowds of the training kits' real hand claps
# (`real.crowd_claps`), the rest the synthesised crowds of `synth.synth_applause` or GM 126. The first
# real-source model's card reports a try with 6-40 clappers that left held-out applause at 0/20 (heard as
# sea_or_wind); crowds now reach halls (300 clappers, about 4 800 claps a second synthesised, with
# reverberation), where applause is a noise-like texture. The second model, trained so, still heard it
# as sea_or_wind (MODEL_CARD.md).
RECORDED_SHARE = 0.5
KIT_SHARE = 0.5
# Bells: the soundfonts' bell programs play short melodic notes; struck, tolled and pealing bells
# (`bells.synth_bells`) can stand in for recorded ones, which the training pools lack (`dataset
# --bell-share`, off by default: the shipped model was trained without them). The second real-source
# model heard the held-out recorded bell as a drum kit in 9 of 9 clips; a candidate trained with 0.4 of
# its bells synthesised heard them as sea_or_wind instead, and was not shipped (MODEL_CARD.md).
FESTIVAL_VOICES = tuple(v for v, _, held in sources.VOICES if not held)


def training_soundfonts(root: str) -> list[str]:
    """The training soundfonts fluidsynth can load (.sf2/.sf3) that are unpacked under `root`."""
    out = []
    for s in sources.SOUNDFONTS:
        path = os.path.join(root, s.package, s.path)
        if not s.held_out and s.path.endswith((".sf2", ".sf3")) and os.path.exists(path):
            out.append(path)
    return out


def freepats_config(root: str) -> str | None:
    """freepats' TiMidity++ config as unpacked under `root` (`timidity.py` renders with it), or None."""
    s = next(s for s in sources.SOUNDFONTS if s.package == "freepats")
    path = os.path.join(root, s.package, s.path)
    return path if os.path.exists(path) else None


def training_kits(root: str) -> list[str]:
    base = os.path.join(root, "hydrogen-drumkits", sources._KITS)
    if not os.path.isdir(base):
        return []
    return sorted(os.path.join(base, k) for k in os.listdir(base)
                  if k not in sources.HELD_OUT_KITS and k not in sources.NOT_KITS)


def plan_real_clip(split: str, index: int, root: str, bell_share: float = 0.0, pat_share: float = 0.0) -> dict:
    """A default-recipe plan (labels, interferer, background, level) with a real target source where
    the class has one, a soundfont for its MIDI parts, and the augmentation seed; with `bell_share`,
    that share of the bells synthesised, with `pat_share`, that share of the clips' MIDI parts on
    freepats (TiMidity++). Neither draws at 0, so the plans stay those of the shipped model."""
    p = plan_clip(split, index)
    rng = np.random.default_rng([REAL_SEEDS[split], index])
    fonts = training_soundfonts(root)
    p["soundfont"] = fonts[int(rng.integers(len(fonts)))] if fonts else None
    label, tgt = p["label"], p["target"]
    if label in RECORDED and rng.random() < RECORDED_SHARE:
        pools = [n for n in RECORDED[label] if _files(root, n)]
        if pools:
            tgt["recorded"] = str(rng.choice(pools))
    elif label == "drum_kit" and rng.random() < KIT_SHARE and training_kits(root):
        kits = training_kits(root)
        tgt["kit"] = kits[int(rng.integers(len(kits)))]
    elif label == "speech" and shutil.which("text2wave") and rng.random() < 0.3:
        tgt["festival"] = str(rng.choice(FESTIVAL_VOICES))
    elif label == "bells" and bell_share > 0 and rng.random() < bell_share:
        tgt["bell"] = True
    p["augment_seed"] = int(rng.integers(2**31))
    pats = freepats_config(root) if pat_share > 0 else None
    if pats and rng.random() < pat_share:  # drawn last: the rest stay as shipped
        p["soundfont"] = pats
    return p


def _files(root, pool_name):
    return sources.files(root, next(p for p in sources.POOLS if p.name == pool_name))


def render_real(plans: list[dict], root: str, tmpdir: str) -> list[np.ndarray]:
    """Renders plans from `plan_real_clip` (grouped by soundfont, one fluidsynth call a group): the
    default renderer mixes them, with the real targets put in place of the planned ones, then each
    clip goes through the augmentation chain and back to its planned peak."""
    out: list[np.ndarray | None] = [None] * len(plans)
    groups: dict[str | None, list[int]] = {}
    for i, p in enumerate(plans):
        groups.setdefault(p.get("soundfont"), []).append(i)
    for font, idx in groups.items():
        given = {}
        for k, i in enumerate(idx):
            x = _real_target(plans[i]["target"], root)
            if x is not None:
                given[k] = x
        kwargs = {"soundfont": font} if font else {}
        for i, clip in zip(idx, render_plans([plans[i] for i in idx], tmpdir, given=given, **kwargs)):
            x, _ = augment.chain(clip.astype(np.float64), np.random.default_rng(plans[i]["augment_seed"]), {"level": 0.0})
            out[i] = (x * plans[i]["peak"] / max(float(np.max(np.abs(x))), 1e-9)).astype(np.float32)
    return [x for x in out if x is not None]


def _real_target(tgt: dict, root: str) -> np.ndarray | None:
    """The 5 s target from a recording, a hydrogen kit, festival or the bell synthesiser (which rings
    on past the planned end, unlike `render.render_source`'s synthesis); None for a planned source."""
    rng = np.random.default_rng(tgt["seed"])
    if "recorded" in tgt:
        files = _files(root, tgt["recorded"])
        if tgt["recorded"] == "hydrogen-claps":  # one-shot claps: a crowd of them, not a phrase
            x = real.crowd_claps(files, rng)
        else:
            f = files[int(rng.integers(len(files)))]
            x = real.ambience(f, rng) if real.load(f).shape[0] > 6 * SR else real.phrase(files, rng)
    elif "kit" in tgt:
        x = real.HydrogenKit(tgt["kit"]).render(plan_drums(rng, tgt["t0"], tgt["t1"])["events"])
    elif tgt.get("bell"):
        x = synth_bells(rng, tgt["t0"], tgt["t1"])
    elif "festival" in tgt:
        try:
            x = real.festival(tgt["festival"], tgt["speech"]["text"])
        except (OSError, ValueError, subprocess.CalledProcessError):
            return None  # a voice that writes no audio for a text (seen once in 2600): the planned espeak-ng speech
    else:
        return None
    x = np.asarray(x, dtype=np.float64)[:CLIP]
    return np.pad(x, (0, CLIP - len(x)))
