"""Dataset IO: a whole render, then re-rendering the clips of some labels only."""
import csv
import os

import numpy as np
import pytest
import scipy.io.wavfile as wavfile

from lmactd_models.data import dataset
from lmactd_models.data.plan import plan_clip


def _rows(out, split):
    with open(os.path.join(out, f"{split}.csv")) as f:
        return [(r["path"], r["label"]) for r in csv.DictReader(f)]


def test_only_labels_rerenders_those_clips_as_a_whole_render_makes_them(tmp_path):
    out = str(tmp_path)
    sizes = {"train": 6}
    dataset.build_dataset(out, sizes=sizes, workers=1, chunk=3, log=lambda *_: None)
    rows = _rows(out, "train")
    label = plan_clip("train", 0)["label"]
    chosen = [i for i, (_, lab) in enumerate(rows) if lab == label]
    first = {name: wavfile.read(os.path.join(out, name))[1] for name, _ in rows}
    for name, _ in rows:  # every file overwritten with silence
        wavfile.write(os.path.join(out, name), 16000, np.zeros(80000, dtype=np.int16))
    info = dataset.build_dataset(out, sizes=sizes, workers=1, chunk=3, log=lambda *_: None, labels=[label])
    assert info["rerendered"] == [label]
    assert _rows(out, "train") == rows
    for i, (name, _) in enumerate(rows):
        now = wavfile.read(os.path.join(out, name))[1]
        if i in chosen:
            assert np.array_equal(now, first[name]), name
        else:
            assert not now.any(), name


def test_only_labels_needs_the_whole_split_first(tmp_path):
    label = plan_clip("train", 0)["label"]
    with pytest.raises(FileNotFoundError, match="train.csv"):
        dataset.build_dataset(str(tmp_path), sizes={"train": 2}, workers=1, log=lambda *_: None, labels=[label])


def test_only_missing_grows_a_split_and_leaves_the_clips_there(tmp_path):
    out = str(tmp_path)
    dataset.build_dataset(out, sizes={"train": 3}, workers=1, log=lambda *_: None)
    rows3 = _rows(out, "train")
    name0 = rows3[0][0]
    wavfile.write(os.path.join(out, name0), 16000, np.zeros(80000, dtype=np.int16))  # marks "not re-rendered"
    dataset.build_dataset(out, sizes={"train": 5}, workers=1, log=lambda *_: None, only_missing=True)
    rows5 = _rows(out, "train")
    assert rows5[:3] == rows3 and len(rows5) == 5
    assert [lab for _, lab in rows5] == [plan_clip("train", i)["label"] for i in range(5)]
    assert not wavfile.read(os.path.join(out, name0))[1].any()
    assert all(wavfile.read(os.path.join(out, n))[1].any() for n, _ in rows5[3:])
