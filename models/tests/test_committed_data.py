"""The committed tiny package and golden files: consistent with each other and with this code."""
import json
import os

import numpy as np
import pytest
import torch

from lmactd_models.golden import CASES, rebuild
from lmactd_models.package import read_manifest
from lmactd_models.reference import run_clip

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = os.path.join(ROOT, "tests", "data", "tiny-package")
GOLDEN = os.path.join(ROOT, "tests", "data", "golden")


def index():
    with open(os.path.join(GOLDEN, "index.json")) as f:
        return json.load(f)


def test_package_manifest_matches_files():
    m = read_manifest(PACKAGE)
    assert set(m["files"]) == {"classifier.onnx", "lmac-td.onnx", "lmac-stft.onnx", "labels.txt"}
    assert m["provenance"]["data"] == "random-init" and m["provenance"]["seed"] == 1


def test_golden_files_are_whole_and_small():
    idx = index()
    assert idx["format"] == "lmactd-golden/1" and len(idx["cases"]) >= 4
    total = os.path.getsize(os.path.join(GOLDEN, "index.json"))
    for case in idx["cases"]:
        assert case["samples"] < 80000
        assert set(case["metrics"]) == {"lmac-td", "lmac-stft"}
        for name, t in case["tensors"].items():
            size = os.path.getsize(os.path.join(GOLDEN, t["file"]))
            assert size == 4 * int(np.prod(t["shape"])), name
            total += size
    assert total <= 8_000_000
    assert sorted(os.listdir(GOLDEN)) == sorted(
        ["index.json"] + [t["file"] for c in idx["cases"] for t in c["tensors"].values()])


def test_golden_tone_is_reproduced_by_the_reference():
    models, m = rebuild(PACKAGE)
    case = next(c for c in index()["cases"] if c["name"] == "tone")
    raw = torch.tensor(dict(CASES)["tone"](), dtype=torch.float32)
    divisor, tensors, metrics = run_clip(raw, *models, n_fft=m["frontEnd"]["nFft"])
    assert divisor == pytest.approx(case["normalisationDivisor"])
    for name, t in case["tensors"].items():
        want = np.fromfile(os.path.join(GOLDEN, t["file"]), dtype="<f4").reshape(t["shape"])
        assert np.allclose(tensors[name], want, atol=1e-5), name
    for kind, values in case["metrics"].items():
        for k, v in values.items():
            assert metrics[kind][k] == pytest.approx(v, abs=1e-6), (kind, k)


def test_split_package_is_the_tiny_package_with_its_convtranspose_nodes_split(tmp_path):
    """tests/data/tiny-package-split (C# checks it against the golden files) is what
    `random-init --split-convt 4 --split-min-mib 0` makes: same classifier, interpreters rewritten."""
    from lmactd_models.cli import main
    split = os.path.join(ROOT, "tests", "data", "tiny-package-split")
    out = str(tmp_path / "split")
    main(["random-init", "--size", "tiny", "--seed", "1", "--out", out,
          "--split-convt", "4", "--split-min-mib", "0"])
    made, committed, plain = read_manifest(out), read_manifest(split), read_manifest(PACKAGE)
    for f in ("lmac-td.onnx", "lmac-stft.onnx"):
        assert made["files"][f]["sha256"] == committed["files"][f]["sha256"] != plain["files"][f]["sha256"]
        kind = f[:-5]
        assert committed["interpreters"][kind]["architecture"]["convTransposeSplit"]["nodes"] > 0
    assert committed["files"]["classifier.onnx"] == plain["files"]["classifier.onnx"]
