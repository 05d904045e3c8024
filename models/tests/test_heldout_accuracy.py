"""`lmactd-train heldout-accuracy`: a classifier checkpoint alone on held-out sets (train/heldout_accuracy.py)."""
import csv
import json
import types

import numpy as np
import pytest
import torch
from scipy.io import wavfile

from lmactd_models import data as D
from lmactd_models.modules.cnn14 import Classifier
from lmactd_models.sizes import Cnn14Size
from lmactd_models.train import heldout_accuracy as H


def test_summary_counts_right_per_class_mistakes_and_low_confidence():
    p = torch.tensor([[0.9, 0.1] + [0.0] * 11,    # speech, right
                      [0.2, 0.25] + [0.05] * 11,  # speech heard as piano, p_c 0.25
                      [0.1, 0.8] + [0.1 / 11] * 11])  # piano, right
    s = H.summarise(p, ["speech", "speech", "piano"])
    assert s["accuracy"] == pytest.approx(2 / 3)
    assert s["perClass"] == {"speech": (1, 2), "piano": (1, 1)}
    assert s["mistakes"] == {"speech as piano": 1}
    assert s["low_pc"] == 1 and s["mean_pc"] == pytest.approx((0.9 + 0.25 + 0.8) / 3)


def test_main_scores_each_checkpoint_on_each_set_and_writes_json(tmp_path, capsys):
    rng = np.random.default_rng(0)
    folder = tmp_path / "set"
    folder.mkdir()
    with open(folder / "heldout.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["path", "label"])
        for i, label in enumerate(["speech", "bells", "applause"]):
            wavfile.write(folder / f"{i}.wav", 16000, (rng.standard_normal(80000) * 3000).astype(np.int16))
            w.writerow([f"{i}.wav", label])
    size = Cnn14Size(channels=(4, 8, 16, 32, 64, 128), classes=len(D.CLASSES))
    torch.manual_seed(0)
    ck = tmp_path / "classifier.pt"
    torch.save({"model": Classifier(size).state_dict(), "size": size.to_dict()}, ck)
    out = tmp_path / "acc.json"
    H.main(types.SimpleNamespace(classifiers=[str(ck)], sets=[str(folder)], json=str(out)))
    got = json.loads(out.read_text())[str(ck)][str(folder)]
    assert got["clips"] == 3 and sum(n for _, n in got["perClass"].values()) == 3
    # the figures are the checkpoint's own: recomputed here from the same weights
    model = Classifier(size)
    model.load_state_dict(torch.load(ck)["model"])
    model.eval()
    waves = [wavfile.read(folder / f"{i}.wav")[1] / 32768.0 for i in range(3)]
    p = H.probabilities(model, waves)
    assert got["mean_pc"] == pytest.approx(float(p.max(1).values.mean()), abs=1e-6)
    assert f"| {ck} | {folder} |" in capsys.readouterr().out


def test_missing_files_are_named_before_anything_is_loaded(tmp_path):
    with pytest.raises(SystemExit, match=r"not found: .*nope\.pt, .*empty/heldout\.csv"):
        H.main(types.SimpleNamespace(classifiers=[str(tmp_path / "nope.pt")], sets=[str(tmp_path / "empty")], json=None))
