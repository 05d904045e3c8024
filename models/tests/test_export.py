"""Export to a model package: SpeechBrain checkpoints in, a valid lmactd-package/1 out."""
import json
import os
import subprocess
import sys

import onnx
import pytest

from lmactd_models.export.package import read_manifest, sha256
from test_checkpoints import speechbrain_layout

MODELS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="module")
def package(tiny, tmp_path_factory):
    """`lmactd-models export` run on SpeechBrain-layout checkpoints of the tiny models."""
    tmp = tmp_path_factory.mktemp("export")
    dirs = [speechbrain_layout(m, k, str(tmp / k))
            for m, k in zip(tiny, ("classifier", "lmac-td", "lmac-stft"))]
    out = str(tmp / "pkg")
    cmd = [sys.executable, os.path.join(MODELS, "lmactd-models"), "export", "--classifier",
           dirs[0], "--interpreter", dirs[1], "--interpreter", dirs[2], "--heads", "2,2",
           "--out", out]
    subprocess.run(cmd, check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def checkpoint_dirs(package):
    return [os.path.join(os.path.dirname(package), k) for k in ("classifier", "lmac-td", "lmac-stft")]


def test_manifest_lists_every_file_with_its_sha256(package):
    m = read_manifest(package)
    assert sorted(m["files"]) == sorted(f for f in os.listdir(package) if f != "manifest.json")
    for f, meta in m["files"].items():
        assert meta["sha256"] == sha256(os.path.join(package, f))
        assert meta["bytes"] == os.path.getsize(os.path.join(package, f))
    assert m["provenance"]["opset"] == 17 and "export" in m["provenance"]["command"]


def frame_axes(graph, tensor):
    """A manifest shape as the graph declares it: the classifier's representations are symbolic
    along time (their manifest size is the one at frontEnd.frames)."""
    shape = list(tensor["shape"])
    if graph["file"] == "classifier.onnx" and tensor["name"].startswith("rep"):
        shape[2] = f"{tensor['name']}_frames"
    return shape


def test_graphs_pass_checker_with_contract_names_and_symbolic_batch(package):
    m = read_manifest(package)
    graphs = [m["classifier"]] + list(m["interpreters"].values())
    assert set(m["interpreters"]) == {"lmac-td", "lmac-stft"}
    for g in graphs:
        model = onnx.load(os.path.join(package, g["file"]))
        onnx.checker.check_model(model)
        assert model.opset_import[0].version == 17
        inferred = onnx.shape_inference.infer_shapes(model, strict_mode=True)
        for decl, ios in (("inputs", inferred.graph.input), ("outputs", inferred.graph.output)):
            got = [(v.name, [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim])
                   for v in ios]
            assert got == [(e["name"], frame_axes(g, e)) for e in g[decl]]
    # the classifier's frame axis is the only symbolic one besides the batch, and only it says so
    assert m["classifier"]["inputs"][0]["shape"] == ["batch", "frames", m["frontEnd"]["nMels"]]
    for entry in m["interpreters"].values():
        assert all("frames" not in t["shape"] for t in entry["inputs"] + entry["outputs"])
    assert [t["shape"] for t in m["interpreters"]["lmac-stft"]["inputs"]] == \
        [t["shape"] for t in m["classifier"]["outputs"][1:]]
    td = m["interpreters"]["lmac-td"]
    assert [o["name"] for o in td["outputs"]] == ["explanation", "masked_out", "mask"]
    assert td["outputs"][2]["shape"] == ["batch", td["encoder"]["channels"], 9999]


def test_bad_checkpoint_fails_export_naming_the_key(tiny, tmp_path):
    import torch
    d = speechbrain_layout(tiny[0], "classifier", str(tmp_path / "c"))
    state = torch.load(os.path.join(d, "embedding_model.ckpt"))
    del state["conv_block3.norm1.running_mean"]
    torch.save(state, os.path.join(d, "embedding_model.ckpt"))
    r = subprocess.run([sys.executable, os.path.join(MODELS, "lmactd-models"), "export",
                        "--classifier", d, "--out", str(tmp_path / "p")], capture_output=True,
                       text=True)
    assert r.returncode == 1 and "missing key 'conv_block3.norm1.running_mean'" in r.stderr
    assert not os.path.exists(tmp_path / "p")


def test_golden_rebuilds_an_exported_package_from_its_checkpoints(package, checkpoint_dirs, tiny):
    from lmactd_models.export.golden import rebuild
    (classifier, lmactd, psi), m = rebuild(package, checkpoint_dirs)
    assert lmactd.size.intra_heads == tiny[1].size.intra_heads and psi is not None
    assert set(m["interpreters"]) == {"lmac-td", "lmac-stft"}


def test_golden_refuses_checkpoints_that_do_not_make_the_package(package, checkpoint_dirs, tmp_path):
    import torch
    from lmactd_models.export.golden import rebuild
    other = str(tmp_path / "psi")
    state = torch.load(os.path.join(checkpoint_dirs[2], "psi_model.ckpt"))
    state["convt9.bias"] = state["convt9.bias"] + 0.5
    os.makedirs(other)
    torch.save(state, os.path.join(other, "psi_model.ckpt"))
    with pytest.raises(ValueError, match="lmac-stft.onnx: weight '.*' differs from the rebuilt PyTorch models"):
        rebuild(package, [checkpoint_dirs[0], checkpoint_dirs[1], other])
