"""Held-out mixtures: pairs of different classes, the two mixings, and the margin bookkeeping end to end
on the shipped checkpoints."""
import csv
import os
import shutil

import numpy as np
import scipy.io.wavfile as wavfile

from lmactd_models.data import recipe
from lmactd_models.train import heldout_mixtures as hm
from lmactd_models.train.evaluate import si_sdr

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_pairs_are_of_different_classes_and_reproducible():
    labels = ["a", "a", "b", "c", "c"]
    p = hm.pairs(labels, 50)
    assert p == hm.pairs(labels, 50) and p != hm.pairs(labels, 50, seed=1)
    assert all(labels[i] != labels[j] for i, j in p)


def test_equal_level_gives_each_part_the_same_energy_and_paper_favours_the_first():
    rng = np.random.default_rng(0)
    s, n = rng.standard_normal(16000), 5 * rng.standard_normal(16000)
    eq, pa = hm.mix(s, n, 0.5), hm.mix(s, n, 0.8)
    assert abs(np.max(eq) - 1) < 1e-12 and abs(np.max(pa) - 1) < 1e-12
    assert abs(si_sdr(eq, s) - si_sdr(eq, n)) < 0.2          # independent noises: about 0 dB margin
    assert si_sdr(pa, s) - si_sdr(pa, n) > 10                 # 0.8/0.2: 20 log10(4) = 12 dB


def test_evaluate_counts_decided_pairs_and_margins(tmp_path):
    t = np.arange(80000) / 16000
    rng = np.random.default_rng(1)
    clips = {"speech": np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 3 * t) > 0),
             "sea_or_wind": rng.standard_normal(80000) * 0.3,
             "bells": np.sin(2 * np.pi * 880 * t) * np.exp(-t),
             "drum_kit": (rng.random(80000) < 0.001) * 1.0}
    os.makedirs(tmp_path / "heldout" / "heldout")
    with open(tmp_path / "heldout" / "heldout.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "label"])
        for k, (label, x) in enumerate(clips.items()):
            name = f"heldout/{k}_{label}.wav"
            wavfile.write(tmp_path / "heldout" / name, 16000, (x / np.max(np.abs(x)) * 0.5 * 32767).astype(np.int16))
            w.writerow([name, label])
    work = tmp_path / "work"
    shutil.copytree(os.path.join(HERE, "checkpoints"), work / "ckpt")
    lines = []
    res = hm.evaluate(str(tmp_path / "heldout"), str(work), list(recipe.CLASSES), count=6, log=lines.append)
    assert len(lines) == 2 and all("decided" in line for line in lines)   # also when no pair is decided
    for kind in ("paper", "equal"):
        r = res[kind]
        assert r["decided"] + r["neither"] == 6 and 0 <= r["firstDecided"] <= r["decided"]
        if r["decided"]:
            assert np.isfinite(r["mixture"]["meanMargin"]) and 0 <= r["lmac-td"]["beatsMixture"] <= 1


def test_the_log_line_survives_a_kind_without_decided_pairs():
    assert hm._db(None) == "-" and hm._pct(None) == "-"
    assert hm._db(-0.456) == "-0.46 dB" and hm._pct(0.425) == "42 %"
