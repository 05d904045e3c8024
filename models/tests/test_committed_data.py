"""The committed tiny package and golden files: consistent with each other and with this code."""
import json
import os

import numpy as np
import pytest

from lmactd_models.export.golden import (GOLDEN_TOLERANCE, WEIGHT_TOLERANCE, compare_graphs, compute_windowed,
                                         compute_cases, golden_differences, overlap_weight, plan_windows,
                                         rebuild, windowed_differences)
from lmactd_models.export.package import read_manifest

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


@pytest.fixture(scope="module")
def rebuilt():
    """The tiny package's PyTorch models (any CPU: `rebuild` compares the graphs within
    golden.WEIGHT_TOLERANCE, not byte for byte) and its manifest."""
    return rebuild(PACKAGE)


@pytest.fixture(scope="module")
def recomputed(rebuilt):
    """The golden cases computed again from the rebuilt package."""
    models, m = rebuilt
    return compute_cases(models, m["frontEnd"]["nFft"])


def test_committed_windowed_golden_files_are_reproduced_by_the_reference(rebuilt):
    """tests/data/golden-windows: a 12.3 s input (odd length), four windows of differing classes,
    Fid-In 0 in some; a 44.1 kHz stereo input with its outputs at 44.1 kHz."""
    models, m = rebuilt
    computed = compute_windowed(models, m)
    long = computed[0]
    assert long[2]["input"].shape[0] >= 12 * 16000 and long[2]["input"].shape[0] % 2 == 1
    assert len({w["class"] for w in long[1]}) > 1
    assert any(w["metrics"][k]["FidIn"] == 0 for w in long[1] for k in w["metrics"])
    stereo = computed[1]
    assert stereo[2]["frames"].shape[1] == 2 and stereo[2]["lmac-td.explanation"].shape[0] == stereo[2]["frames"].shape[0]
    rows = windowed_differences(os.path.join(ROOT, "tests", "data", "golden-windows"), computed)
    bad = [r for r in rows if not r[1] <= r[2]]
    assert rows and not bad, bad[:5]


def test_windows_are_planned_and_weighed_as_the_runtime_does():
    """WindowPlanner.Plan restated: hop clip/2, the last window flush with the end; the weight sums
    to a positive value everywhere a window reaches."""
    assert plan_windows(80000, 80000) == [(0, 80000)]
    assert plan_windows(196801, 80000) == [(0, 80000), (40000, 80000), (80000, 80000), (116801, 80000)]
    w = overlap_weight(80000)
    assert w.min() > 0 and abs(w[0] - w[-1]) < 1e-12


def test_committed_golden_files_are_reproduced_by_the_reference(recomputed):
    rows = golden_differences(GOLDEN, recomputed)
    assert len(rows) > 4 * 17
    bad = [r for r in rows if not r[1] <= r[2]]
    assert not bad, bad[:5]


def test_the_golden_check_sees_a_changed_tensor_and_a_changed_class(recomputed, tmp_path):
    """What `golden` does when its --out already holds golden files: a value moved by ten times the
    tolerance, or a flipped predicted class, is reported by name."""
    import shutil
    copy = str(tmp_path / "golden")
    shutil.copytree(GOLDEN, copy)
    case = index()["cases"][1]
    t = case["tensors"]["lmac-td.explanation"]
    x = np.fromfile(os.path.join(copy, t["file"]), dtype="<f4")
    x[len(x) // 2] += 10 * GOLDEN_TOLERANCE * np.abs(x).max()
    x.tofile(os.path.join(copy, t["file"]))
    idx = index()
    idx["cases"][2]["metrics"]["lmac-stft"]["FidIn"] = 1.0 - idx["cases"][2]["metrics"]["lmac-stft"]["FidIn"]
    with open(os.path.join(copy, "index.json"), "w") as f:
        json.dump(idx, f)
    bad = sorted(w for w, d, tol in golden_differences(copy, recomputed) if not d <= tol)
    assert bad == sorted([f"{case['name']}.lmac-td.explanation",
                          f"{idx['cases'][2]['name']}.metrics.lmac-stft.FidIn"])


def test_graph_check_takes_rounding_and_refuses_other_weights(tmp_path):
    """`compare_graphs`: a weight off by 1e-7 of its largest value (a CPU's rounding) passes, one off
    by 1e-3 (other weights) is refused with the tensor named."""
    import onnx
    from onnx import numpy_helper

    def write(rel):
        model = onnx.load(os.path.join(PACKAGE, "classifier.onnx"))
        t = max(model.graph.initializer, key=lambda t: int(np.prod(t.dims)))
        x = numpy_helper.to_array(t).copy()
        x.flat[7] += rel * np.abs(x).max()
        t.CopyFrom(numpy_helper.from_array(x, t.name))
        d = tmp_path / f"rel{rel:g}"
        d.mkdir()
        onnx.save(model, str(d / "classifier.onnx"))
        return str(d), t.name
    close, _ = write(1e-7)
    assert 0 < compare_graphs(PACKAGE, close, ["classifier.onnx"])["classifier.onnx"] <= WEIGHT_TOLERANCE
    far, name = write(1e-3)
    with pytest.raises(ValueError, match=name):
        compare_graphs(PACKAGE, far, ["classifier.onnx"])


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
        assert committed["files"][f]["sha256"] != plain["files"][f]["sha256"]
        kind = f[:-5]
        assert committed["interpreters"][kind]["architecture"]["convTransposeSplit"]["nodes"] > 0
    assert committed["files"]["classifier.onnx"] == plain["files"]["classifier.onnx"]
    # the same graphs (byte for byte where the package was made; within rounding on other CPUs)
    assert max(compare_graphs(split, out, [f for f in made["files"] if f.endswith(".onnx")]).values()) <= WEIGHT_TOLERANCE
