"""The example WAVs bundled with the default package, rendered from test seeds."""
from __future__ import annotations

import os
import tempfile

import numpy as np
import scipy.io.wavfile as wavfile

from ..clip import SAMPLE_RATE as SR
from .plan import plan_clip
from .render import render_plans
from .mix import paper_mix


EXAMPLES = [
    # name, split index, forced target, forced interferer, background, mix kind
    ("speech_over_piano", 900_001, "speech", "piano", False, "paper"),
    ("drum_pattern", 900_002, "drum_kit", False, True, None),
    ("birdsong_by_the_sea", 900_003, "birdsong", "sea_or_wind", False, "snr"),
    # 900_006, not 900_004: with six ringers 900_004 draws a beeped ring tone (it drew the warbling chirp of
    # three before); the example is meant to be a classic ring, and 900_006 draws the electronic two-tone one.
    ("telephone_ring", 900_006, "telephone_ring", False, True, None),
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
