"""The default model's recipe: deterministic data plans and renders, the MIDI writer, the
perfect-reconstruction start of the LMAC-TD encoder/decoder, and the training losses."""
import math
import shutil
import struct

import numpy as np
import pytest
import torch

from lmactd_models import data as D
from lmactd_models.train import interpreters as T
from lmactd_models.modules.cnn14 import Classifier
from lmactd_models.frontend import LogMel
from lmactd_models.modules.lmac import Psi
from lmactd_models.modules.lmactd import LmacTd
from lmactd_models.sizes import Cnn14Size, LmacSize, LmacTdSize

TOOLS = shutil.which("fluidsynth") and shutil.which("espeak-ng")


def test_midi_file_structure(tmp_path):
    path = tmp_path / "a.mid"
    D.write_midi(str(path), [(0.5, bytes([0x90, 60, 100])), (0.0, bytes([0xC0, 5])), (1.0, bytes([0x80, 60, 0]))])
    b = path.read_bytes()
    assert b[:4] == b"MThd" and struct.unpack(">IHHH", b[4:14]) == (6, 0, 1, 480)
    assert b[14:18] == b"MTrk" and struct.unpack(">I", b[18:22])[0] == len(b) - 22
    assert b.endswith(b"\xff\x2f\x00")
    # the program change (t = 0) comes first, after the tempo event
    assert bytes([0xC0, 5]) in b[22:40]


def test_plans_are_deterministic_balanced_and_split_specific():
    a = [D.plan_clip("train", i) for i in range(26)]
    b = [D.plan_clip("train", i) for i in range(26)]
    assert a == b
    assert sorted(p["label"] for p in a[:13]) == sorted(D.CLASSES)
    assert [p["label"] for p in a] != [p["label"] for p in (D.plan_clip("test", i) for i in range(26))]
    forced = D.plan_clip("test", 5, classes="speech", interferer="piano", background=False)
    assert forced["label"] == "speech" and forced["interferer"]["cls"] == "piano" and forced["background"] is None


@pytest.mark.skipif(not TOOLS, reason="fluidsynth / espeak-ng not installed")
def test_render_is_repeatable_and_holds_sound(tmp_path):
    plans = [D.plan_clip("val", i) for i in range(3)]
    x1 = D.render_plans(plans, str(tmp_path))
    x2 = D.render_plans(plans, str(tmp_path))
    for a, b, p in zip(x1, x2, plans):
        assert a.shape == (D.CLIP,) and np.array_equal(a, b)
        assert abs(np.max(np.abs(a)) - p["peak"]) < 1e-4


def test_paper_mix_weights_and_peak():
    rng = np.random.default_rng(0)
    s, n = rng.standard_normal(200_000), 5 * rng.standard_normal(200_000)
    m = D.paper_mix(s, n)
    assert abs(m.max() - 1.0) < 1e-9
    # projections on the (nearly orthogonal) unit sources keep the 0.8 : 0.2 ratio
    ratio = np.dot(m, s / np.linalg.norm(s)) / np.dot(m, n / np.linalg.norm(n))
    assert 3.5 < ratio < 4.5


def test_perfect_reconstruction_start():
    m = LmacTd(LmacTdSize(rep_channels=(32, 16, 8, 4), n_enc=64, hd_channels=(8, 8, 4, 4, 2), d_model=8,
                          blocks=1, intra_layers=1, inter_layers=1, intra_heads=1, inter_heads=1, d_ffn=8))
    T.perfect_reconstruction_init(m)
    x = torch.randn(2, 8000)
    y = m.decoder(m.encoder(x))
    assert float((y - x)[:, 8:-8].abs().max()) < 1e-5
    assert float((y - x)[:, :8].abs().max()) > 1e-3  # the edges are covered by one frame only


@pytest.fixture(scope="module")
def tiny_trio():
    torch.manual_seed(0)
    clf = Classifier(Cnn14Size(channels=(4, 8, 16, 32, 64, 128), classes=13)).eval()
    for p in clf.parameters():
        p.requires_grad_(False)
    reps = (128, 64, 32, 16)
    td = LmacTd(LmacTdSize(rep_channels=reps, n_enc=32, hd_channels=(8, 8, 4, 4, 2), d_model=8, blocks=1,
                           intra_layers=1, inter_layers=1, intra_heads=1, inter_heads=1, d_ffn=8, chunk=160))
    T.perfect_reconstruction_init(td)
    psi = Psi(LmacSize(rep_channels=reps, psi_channels=(8, 8, 4, 4, 2)))
    return clf, td, psi


def test_losses_are_finite_and_reach_the_trainable_parts(tiny_trio):
    clf, td, psi = tiny_trio
    fe = LogMel(1024)
    x = torch.randn(2, D.CLIP) * 0.1
    y = clf(fe(x))[0].argmax(1)
    for p in list(td.encoder.parameters()) + list(td.decoder.parameters()):
        p.requires_grad_(False)
    loss, st = T.lmactd_loss(clf, fe, x, y, td, math.log(13))
    loss.backward()
    assert math.isfinite(float(loss)) and 0 <= st["m_mean"] <= 1
    assert td.masknet.end_conv1x1.weight.grad.abs().sum() > 0
    assert td.convt_decoder.convt1.weight.grad is not None
    loss, st = T.lmac_loss(clf, fe, x, y, psi, math.log(13))
    loss.backward()
    assert math.isfinite(float(loss)) and psi.convt9.weight.grad.abs().sum() > 0


def test_masked_out_term_is_bounded():
    ce = torch.tensor([0.5, 10.0])
    assert torch.equal(T._bounded(ce, math.log(13)), torch.tensor([0.5, math.log(13)]))
