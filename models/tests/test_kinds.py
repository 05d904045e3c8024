"""Interpreter kinds come from one table (lmactd_models/kinds.py): a third kind, defined here as
its own module would define it and added with one table entry, goes through random init, export,
checkpoints, the reference and the golden files with no other edit."""
import json
import os
from dataclasses import asdict, dataclass

import pytest
import torch
from torch import nn

from lmactd_models import checkpoints as ckpt
from lmactd_models import kinds
from lmactd_models.export.golden import write_golden
from lmactd_models.interpreter import REP_NAMES, InterpreterKind, shape_in
from lmactd_models.metrics import all_metrics
from lmactd_models.export.package import read_manifest, write_package
from lmactd_models.randinit import random_models
from lmactd_models.reference import run_clip
from lmactd_models.sizes import SIZES


# ---- what the new kind's module holds: its size, its network, its KIND -----------------------

@dataclass(frozen=True)
class GateSize:
    rep_channels: int = 128            # the tiny classifier's rep6

    def to_dict(self):
        return {"kind": "gate", **asdict(self)}

    @classmethod
    def from_dict(cls, d):
        return cls(rep_channels=d["rep_channels"])


class Gate(nn.Module):
    """One gain for the whole clip from rep6's mean: explanation = g x, masked-out (1 - g) x."""

    def __init__(self, size=GateSize()):
        super().__init__()
        self.size = size
        self.proj = nn.Linear(size.rep_channels, 1)

    def forward(self, waveform, rep6, rep5, rep4, rep3):
        g = torch.sigmoid(self.proj(rep6.mean(dim=(2, 3))))
        return waveform * g, waveform * (1.0 - g)


def _reference(model, c):
    expl, masked_out = model(c.x, *c.reps)
    le, lo = c.classifier(c.logmel(expl))[0], c.classifier(c.logmel(masked_out))[0]
    tensors = {"explanation": expl[0, :c.n], "masked_out": masked_out[0, :c.n]}
    return tensors, all_metrics(c.logits[0].numpy(), le[0].numpy(), lo[0].numpy(), expl[0].abs().numpy())


def _calibrate(model, x, reps):
    with torch.no_grad():
        model.proj.bias.fill_(0.5)


GATE = InterpreterKind(
    key="gate", model_class=Gate, size_class=GateSize, size_field=None,
    graph_inputs=("waveform",) + REP_NAMES, graph_outputs=("explanation", "masked_out"),
    checkpoint_files={"gate.ckpt": ""}, export_args=lambda x, reps: [x] + list(reps),
    manifest_fields=lambda m: {"gain": "one per clip"}, calibrate=_calibrate, reference=_reference,
    infer_size=lambda states, heads, alpha: GateSize(shape_in(states, "gate.ckpt", "proj.weight")[1]),
    metric_map_doc="|explanation|")


@pytest.fixture
def with_gate(monkeypatch):
    """The one table entry."""
    monkeypatch.setitem(kinds.INTERPRETERS, "gate", GATE)


def test_a_third_kind_goes_through_everything(with_gate, tmp_path):
    c, td, psi, gate = random_models(SIZES["tiny"], 1, ["lmac-stft", "gate"])
    assert td is None and isinstance(gate, Gate) and float(gate.proj.bias) == 0.5

    pkg = str(tmp_path / "pkg")
    m = write_package(pkg, c, gate, psi, n_fft=SIZES["tiny"].n_fft, log=lambda s: None,
                      prov={"data": "random-init", "seed": 1})
    assert list(m["interpreters"]) == ["lmac-stft", "gate"]          # the table's order
    entry = m["interpreters"]["gate"]
    assert entry["file"] == "gate.onnx" and entry["gain"] == "one per clip"
    assert [o["name"] for o in entry["outputs"]] == ["explanation", "masked_out"]
    assert read_manifest(pkg)["files"]["gate.onnx"]["bytes"] > 0

    raw = torch.sin(torch.arange(16000) / 16000.0 * 2 * torch.pi * 440.0) * 0.5
    _, tensors, metrics = run_clip(raw, c, None, psi, gate)
    assert torch.allclose(torch.from_numpy(tensors["gate.explanation"] + tensors["gate.masked_out"]),
                          raw / raw.abs().max(), atol=1e-6)
    assert set(metrics) == {"lmac-stft", "gate"}

    folder = str(tmp_path / "ckpt")
    ckpt.save(gate, "gate", folder)
    os.remove(os.path.join(folder, ckpt.ARCHITECTURE))               # sizes from the shapes
    kind, loaded = ckpt.load(folder)
    assert kind == "gate" and loaded.size == gate.size

    golden = str(tmp_path / "golden")
    index = write_golden(pkg, golden, log=lambda s: None)
    assert index["metricMap"] == {"lmac-stft": "the mask [maskFrames, maskBins]", "gate": "|explanation|"}
    assert all("gate.explanation" in case["tensors"] for case in index["cases"])
    with open(os.path.join(golden, "index.json")) as f:
        assert json.load(f)["cases"][0]["metrics"]["gate"]["FidIn"] in (0.0, 1.0)


def test_unknown_kinds_are_refused_by_name():
    with pytest.raises(ValueError, match="unknown interpreter 'gate'.*lmac-td, lmac-stft"):
        kinds.kind("gate", "--interpreters")
    with pytest.raises(ValueError, match="unknown interpreters"):
        random_models(SIZES["tiny"], 1, ["gate"])
