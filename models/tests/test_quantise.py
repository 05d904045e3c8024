"""The int8 pass (lmactd_models/export/quantise.py): weights rounded within half a step, the nodes
replaced as intended (and the rest kept, with the reason), outputs within tolerance of fp32 (the
integer operators emulated here in numpy and torch, as ONNX Runtime's contrib documentation defines
them; the C# tests run the real kernels), and the package manifest's `precision` record."""
import collections
import json
import os
import shutil

import numpy as np
import onnx
import pytest
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

from lmactd_models.export.package import read_manifest, sha256
from lmactd_models.export.quantise import quantise_model, quantise_package, weight_int8

TINY = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "tiny-package")


@pytest.mark.parametrize("bits,qmax", [(7, 63), (8, 127)])
def test_weights_round_to_within_half_a_step_per_column(bits, qmax):
    w = np.random.default_rng(1).normal(size=(24, 10)).astype(np.float32) * np.linspace(0.01, 3, 10, dtype=np.float32)
    w[:, 3] = 0
    q, scale = weight_int8(w, bits, axis=1)
    assert q.dtype == np.int8 and scale.shape == (10,)
    assert np.abs(q).max() == qmax and np.all(q[:, 3] == 0) and scale[3] == 1
    assert np.all(np.abs(q * scale - w) <= scale / 2 * (1 + 1e-6))
    assert np.allclose(np.abs(q).max(axis=0)[scale != 1], qmax)  # every column uses its whole range


def _graph(with_conv=False):
    """x [2, 5, 8] -> MatMul(W1) + b1 -> Relu -> MatMul(W2) -> Attention(W3, b3) -> y1; C x (y as [..,8,..]) -> y2."""
    rng = np.random.default_rng(2)
    init = lambda a, n: numpy_helper.from_array(a.astype(np.float32), n)
    inits = [init(rng.normal(size=(8, 16)), "W1"), init(rng.normal(size=16), "b1"),
             init(rng.normal(size=(16, 8)) / 4, "W2"), init(rng.normal(size=(8, 24)) / 3, "W3"),
             init(rng.normal(size=24), "b3"), init(rng.normal(size=(3, 5)), "C")]
    nodes = [helper.make_node("MatMul", ["x", "W1"], ["h1"], name="mm1"),
             helper.make_node("Add", ["h1", "b1"], ["h2"], name="bias1"),
             helper.make_node("Relu", ["h2"], ["h3"], name="relu"),
             helper.make_node("MatMul", ["h3", "W2"], ["y1"], name="mm2"),
             helper.make_node("Attention", ["y1", "W3", "b3"], ["att"], name="att", domain="com.microsoft", num_heads=2),
             helper.make_node("MatMul", ["C", "y1"], ["y2"], name="left")]
    outputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in
               (("y1", [2, 5, 8]), ("att", [2, 5, 8]), ("y2", [2, 3, 8]))]
    if with_conv:
        inits += [init(rng.normal(size=(4, 2, 3, 3)), "K"), init(rng.normal(size=4), "kb")]
        nodes.append(helper.make_node("Conv", ["img", "K", "kb"], ["z"], name="conv", pads=[1, 1, 1, 1], strides=[1, 2]))
        outputs.append(helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4, 9, 6]))
    ins = [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 5, 8]),
           helper.make_tensor_value_info("img", TensorProto.FLOAT, [1, 2, 9, 12])][: 2 if with_conv else 1]
    model = helper.make_model(helper.make_graph(nodes, "g", ins, outputs, inits),
                              opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
    onnx.checker.check_model(model)
    return model


def test_matmul_bias_and_attention_are_replaced_and_the_rest_kept():
    model = _graph(with_conv=True)
    rec = quantise_model(model, bits=7)
    ops = collections.Counter(n.op_type for n in model.graph.node)
    assert rec["quantised"] == {"MatMul": 2, "Attention": 1}
    assert ops["DynamicQuantizeMatMul"] == 2 and ops["QAttention"] == 1 and ops["DynamicQuantizeLinear"] == 1
    assert ops["Add"] == 0 and ops["Attention"] == 0 and ops["Conv"] == 1  # the bias went into the MatMul
    assert [n.input for n in model.graph.node if n.op_type == "MatMul"] == [["C", "y1"]]
    kept = {k["node"]: k["why"] for k in rec["kept"]}
    assert kept == {"left": "the weight is the left operand", "conv": "form 'conv' not asked for"}
    dq = [n for n in model.graph.node if n.op_type == "DynamicQuantizeMatMul"]
    assert all(n.domain == "com.microsoft" for n in dq) and len(dq[0].input) == 5 and len(dq[1].input) == 4
    assert dq[0].output == ["h2"]
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    assert "W1" not in inits and "b1" not in inits and "C" in inits  # the float weights are gone, C stays
    assert inits[dq[0].input[1]].dtype == np.int8 and inits[dq[0].input[2]].shape == (16,)
    onnx.checker.check_model(model)


def _quantise_u8(x):
    """DynamicQuantizeLinear: uint8, range widened to include 0, scale (max - min) / 255, zero point rounded."""
    lo, hi = min(0.0, float(x.min())), max(0.0, float(x.max()))
    scale = (hi - lo) / 255 if hi > lo else 1.0
    zp = np.clip(np.rint(-lo / scale), 0, 255)
    return np.clip(np.rint(x / scale) + zp, 0, 255), np.float32(scale), zp


def _run(model, feeds):
    """A numpy interpreter for the few operators of `_graph` before and after quantisation."""
    v = dict(feeds)
    v.update({t.name: numpy_helper.to_array(t) for t in model.graph.initializer})
    for n in model.graph.node:
        i = [v[x] if x else None for x in n.input]
        a = {at.name: helper.get_attribute_value(at) for at in n.attribute}
        if n.op_type == "MatMul":
            r = [i[0] @ i[1]]
        elif n.op_type == "Add":
            r = [i[0] + i[1]]
        elif n.op_type == "Relu":
            r = [np.maximum(i[0], 0)]
        elif n.op_type == "DynamicQuantizeMatMul":
            q, s, z = _quantise_u8(i[0])
            r = [((q - z) @ (i[1].astype(np.float64) - i[3])) * (s * i[2]) + (i[4] if len(i) > 4 else 0)]
        elif n.op_type == "DynamicQuantizeLinear":
            r = list(_quantise_u8(i[0]))
        elif n.op_type == "ConvInteger":
            x = torch.from_numpy(np.asarray(i[0] - i[2], np.float64))
            w = torch.from_numpy(np.asarray(i[1], np.float64) - i[3])
            r = [F.conv2d(x, w, stride=a.get("strides", 1), padding=a["pads"][:2]).numpy()]
        elif n.op_type == "Conv":
            r = [F.conv2d(*(torch.from_numpy(np.array(t)) for t in i[:3]),
                          stride=a.get("strides", 1), padding=a["pads"][:2]).numpy()]
        elif n.op_type == "Cast":
            r = [i[0].astype(np.float32)]
        elif n.op_type == "Mul":
            r = [i[0] * i[1]]
        elif n.op_type in ("Attention", "QAttention"):
            continue  # run by ONNX Runtime only (C# tests); its replacement is checked above
        else:
            raise AssertionError(n.op_type)
        v.update(zip(n.output, r))
    return v


def _snr(ref, x):
    return 10 * np.log10(np.sum(ref.astype(np.float64) ** 2) / np.sum((ref - x).astype(np.float64) ** 2))


@pytest.mark.parametrize("bits,floor_db", [(7, 30), (8, 36)])
def test_int8_outputs_stay_within_tolerance_of_fp32(bits, floor_db):
    rng = np.random.default_rng(3)
    feeds = {"x": rng.normal(size=(2, 5, 8)).astype(np.float32), "img": rng.normal(size=(1, 2, 9, 12)).astype(np.float32)}
    ref = _run(_graph(with_conv=True), feeds)
    q = _graph(with_conv=True)
    quantise_model(q, bits=bits, forms=("matmul", "attention", "conv"))
    assert collections.Counter(n.op_type for n in q.graph.node)["ConvInteger"] == 1
    got = _run(q, feeds)
    for name in ("y1", "y2", "z"):
        assert got[name].shape == ref[name].shape
        assert floor_db < _snr(ref[name], got[name]) < 80, name  # rounded, not exact, and close


def test_a_package_twin_records_its_precision(tmp_path):
    out = tmp_path / "int8"
    m = quantise_package(TINY, str(out), bits=7, log=lambda s: None, command="test")
    assert read_manifest(str(out)) == m  # every file's sha256 matches the manifest
    p = m["precision"]
    assert p["kind"] == "int8" and p["weightBits"] == 7 and p["gate"] is None and p["forms"] == ["matmul", "attention"]
    assert p["fp32"]["manifestSha256"] == sha256(os.path.join(TINY, "manifest.json"))
    td = p["graphs"]["lmac-td.onnx"]
    assert td["quantised"]["MatMul"] > 0 and td["quantised"]["Attention"] == 2
    assert p["graphs"]["classifier.onnx"]["quantised"] == {}
    with open(os.path.join(TINY, "classifier.onnx"), "rb") as a, open(out / "classifier.onnx", "rb") as b:
        assert a.read() == b.read()  # nothing to quantise: the bytes as they were
    g = onnx.load(str(out / "lmac-td.onnx"))
    assert not any(n.op_type in ("Attention",) for n in g.graph.node)
    with pytest.raises(ValueError, match="already int8"):
        quantise_package(str(out), str(tmp_path / "again"), log=lambda s: None)
    assert not (tmp_path / "again").exists()


def test_a_failed_quantisation_leaves_no_folder(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(TINY, src)
    with open(src / "lmac-td.onnx", "wb") as f:
        f.write(b"not onnx")
    m = json.loads((src / "manifest.json").read_text())
    m["files"]["lmac-td.onnx"] = {"sha256": sha256(str(src / "lmac-td.onnx")), "bytes": 8}
    (src / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(Exception):
        quantise_package(str(src), str(tmp_path / "out"), log=lambda s: None)
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir()] == ["src"]


def test_random_init_with_precision_int8_writes_the_twin_and_keeps_the_fp32_one(tmp_path):
    from lmactd_models.cli import main
    out, fp32 = tmp_path / "int8", tmp_path / "fp32"
    assert main(["random-init", "--size", "tiny", "--seed", "1", "--interpreters", "lmac-td", "--out", str(out),
                 "--precision", "int8", "--fp32-out", str(fp32), "--weight-bits", "8"]) == 0
    m8, m32 = read_manifest(str(out)), read_manifest(str(fp32))
    assert "precision" not in m32 and m8["precision"]["weightBits"] == 8
    assert m8["precision"]["fp32"]["manifestSha256"] == sha256(str(fp32 / "manifest.json"))
    assert "--precision int8" in m8["precision"]["command"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fp32", "int8"]  # no temporary folder left
