"""SpeechBrain-layout checkpoints: strict loading, size inference, errors naming the key."""
import os

import pytest
import torch

from lmactd_models import checkpoints as ckpt


def speechbrain_layout(model, kind, folder):
    """What SpeechBrain's checkpointer writes: one torch.save'd state dict per module, no JSON."""
    os.makedirs(folder, exist_ok=True)
    for fname, attr in ckpt.files()[kind].items():
        module = getattr(model, attr) if attr else model
        torch.save(module.state_dict(), os.path.join(folder, fname))
    return folder


@pytest.fixture
def sb_dirs(tiny, tmp_path):
    classifier, lmactd, psi = tiny
    return (speechbrain_layout(classifier, "classifier", str(tmp_path / "cls")),
            speechbrain_layout(lmactd, "lmac-td", str(tmp_path / "td")),
            speechbrain_layout(psi, "lmac-stft", str(tmp_path / "psi")))


def test_speechbrain_layout_loads_strictly_with_inferred_sizes(tiny, sb_dirs):
    for original, folder in zip(tiny, sb_dirs):
        heads = (original.size.intra_heads, original.size.inter_heads) \
            if hasattr(original.size, "intra_heads") else None
        kind, loaded = ckpt.load(folder, heads=heads, alpha=getattr(original.size, "alpha", None))
        assert loaded.size == original.size
        for (k, a), (k2, b) in zip(original.state_dict().items(), loaded.state_dict().items()):
            assert k == k2 and torch.equal(a, b)


def test_key_names_are_speechbrains(sb_dirs):
    emb = torch.load(os.path.join(sb_dirs[0], "embedding_model.ckpt"))
    assert "conv_block6.norm2.num_batches_tracked" in emb and "norm0.running_var" in emb
    mn = torch.load(os.path.join(sb_dirs[1], "masknet.ckpt"))
    for k in ("dual_mdl.0.intra_mdl.mdl.layers.0.self_att.att.in_proj_weight",
              "dual_mdl.0.intra_mdl.pos_enc.pe", "dual_mdl.0.inter_norm.weight",
              "output_gate.0.bias", "end_conv1x1.weight", "prelu.weight"):
        assert k in mn
    assert set(torch.load(os.path.join(sb_dirs[1], "decoder.ckpt"))) == {"weight"}


def _edit(folder, fname, fn):
    path = os.path.join(folder, fname)
    state = torch.load(path)
    fn(state)
    torch.save(state, path)
    return path


@pytest.mark.parametrize("edit, message", [
    (lambda s: s.pop("dual_mdl.0.inter_norm.bias"), "missing key 'dual_mdl.0.inter_norm.bias'"),
    (lambda s: s.__setitem__("extra.weight", torch.zeros(1)), "unexpected key 'extra.weight'"),
    (lambda s: s.__setitem__("output.0.bias", torch.zeros(3)), "key 'output.0.bias' has shape [3]"),
])
def test_bad_masknet_checkpoint_names_the_key(sb_dirs, edit, message):
    path = _edit(sb_dirs[1], "masknet.ckpt", edit)
    with pytest.raises(ckpt.CheckpointError) as e:
        ckpt.load(sb_dirs[1], heads=(2, 2))
    assert message in str(e.value) and path in str(e.value)


def test_shape_mismatch_in_classifier_head(sb_dirs):
    _edit(sb_dirs[0], "classifier.ckpt", lambda s: s.__setitem__("bias", torch.zeros(5)))
    with pytest.raises(ckpt.CheckpointError, match="key 'bias' has shape"):
        ckpt.load(sb_dirs[0])


def test_incomplete_folder_is_refused(sb_dirs):
    os.remove(os.path.join(sb_dirs[1], "convt_decoder.ckpt"))
    with pytest.raises(ckpt.CheckpointError, match="no complete checkpoint set"):
        ckpt.load(sb_dirs[1])


def test_our_layout_round_trips_with_architecture_json(tiny, tmp_path):
    ckpt.save(tiny[1], "lmac-td", str(tmp_path))
    assert os.path.isfile(tmp_path / "architecture.json")
    kind, loaded = ckpt.load(str(tmp_path))
    assert kind == "lmac-td" and loaded.size == tiny[1].size
