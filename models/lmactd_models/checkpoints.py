"""Checkpoints in SpeechBrain's layout (one `torch.save`d state dict per file), strict loading,
and size inference from tensor shapes.

A checkpoint folder holds one network's files:
  classifier: embedding_model.ckpt (CNN14) + classifier.ckpt (linear head)
  lmac-td:    encoder.ckpt + decoder.ckpt + masknet.ckpt + convt_decoder.ckpt
  lmac-stft:  psi_model.ckpt
plus, for our own checkpoints, `architecture.json` (the size dataclass, `to_dict`). Without it
(real SpeechBrain checkpoints) the sizes are read off the tensor shapes; what shapes cannot tell
(attention heads, encoder stride, chunk size, alpha) takes the spec's values or the caller's.
"""
import json
import os
import re
from dataclasses import replace

import torch

from .cnn14 import Classifier
from .lmac import Psi
from .lmactd import LmacTd
from .sizes import Cnn14Size, LmacSize, LmacTdSize

FILES = {
    "classifier": {"embedding_model.ckpt": "embedding_model", "classifier.ckpt": "head"},
    "lmac-td": {"encoder.ckpt": "encoder", "decoder.ckpt": "decoder",
                "masknet.ckpt": "masknet", "convt_decoder.ckpt": "convt_decoder"},
    "lmac-stft": {"psi_model.ckpt": ""},
}
ARCHITECTURE = "architecture.json"


class CheckpointError(Exception):
    pass


def detect_kind(folder):
    """'classifier', 'lmac-td' or 'lmac-stft', from the files present."""
    for kind, files in FILES.items():
        if all(os.path.isfile(os.path.join(folder, f)) for f in files):
            return kind
    raise CheckpointError(f"{folder}: no complete checkpoint set; expected one of "
                          + "; ".join(" + ".join(f) for f in FILES.values()))


def _submodule(model, attr):
    return getattr(model, attr) if attr else model


def save(model, kind, folder):
    """Write `model` (Classifier, LmacTd or Psi) as SpeechBrain-layout files + architecture.json."""
    os.makedirs(folder, exist_ok=True)
    for fname, attr in FILES[kind].items():
        torch.save(_submodule(model, attr).state_dict(), os.path.join(folder, fname))
    with open(os.path.join(folder, ARCHITECTURE), "w") as f:
        json.dump(model.size.to_dict(), f, indent=1)


def load_state(path):
    try:
        state = torch.load(path, map_location="cpu")
    except Exception as e:
        raise CheckpointError(f"{path}: cannot read checkpoint: {e}") from e
    if not isinstance(state, dict):
        raise CheckpointError(f"{path}: not a state dict")
    return state


def load_strict(module, state, path):
    """Copy `state` into `module`; any missing or unexpected key or shape mismatch is an error
    that names the file and the key."""
    expected = module.state_dict()
    for k in expected:
        if k not in state:
            raise CheckpointError(f"{path}: missing key '{k}' (shape {list(expected[k].shape)})")
    for k in state:
        if k not in expected:
            raise CheckpointError(f"{path}: unexpected key '{k}'")
        if tuple(state[k].shape) != tuple(expected[k].shape):
            raise CheckpointError(f"{path}: key '{k}' has shape {list(state[k].shape)}, "
                                  f"expected {list(expected[k].shape)}")
    module.load_state_dict({k: v.to(expected[k].dtype) for k, v in state.items()}, strict=True)


def _shape(states, fname, key):
    st = states[fname]
    if key not in st:
        raise CheckpointError(f"{fname}: missing key '{key}' (needed to infer the sizes)")
    return tuple(st[key].shape)


def _count(state, pattern):
    found = {int(m.group(1)) for k in state for m in [re.match(pattern, k)] if m}
    return max(found) + 1 if found else 0


def infer_size(kind, states, heads=None, alpha=None):
    """Size dataclass from the tensor shapes of a checkpoint set (SpeechBrain's, no JSON)."""
    s = lambda f, k: _shape(states, f, k)
    if kind == "classifier":
        ch = tuple(s("embedding_model.ckpt", f"conv_block{i}.conv1.weight")[0] for i in range(1, 7))
        return Cnn14Size(channels=ch, classes=s("classifier.ckpt", "weight")[0],
                         n_mels=s("embedding_model.ckpt", "norm0.weight")[0])
    f = "psi_model.ckpt" if kind == "lmac-stft" else "convt_decoder.ckpt"
    reps = tuple(s(f, f"convt{i}.weight")[0] for i in (1, 2, 4, 6))
    outs = tuple(s(f, f"convt{i}.weight")[1] for i in (1, 3, 5, 7, 8))
    if kind == "lmac-stft":
        return LmacSize(rep_channels=reps, psi_channels=outs)
    m = states["masknet.ckpt"]
    enc = s("encoder.ckpt", "conv1d.weight")
    size = LmacTdSize(
        rep_channels=reps, hd_channels=outs, n_enc=enc[0], kernel=enc[2], stride=enc[2] // 2,
        d_model=s("masknet.ckpt", "conv1d.weight")[0],
        blocks=_count(m, r"dual_mdl\.(\d+)\."),
        intra_layers=_count(m, r"dual_mdl\.0\.intra_mdl\.mdl\.layers\.(\d+)\."),
        inter_layers=_count(m, r"dual_mdl\.0\.inter_mdl\.mdl\.layers\.(\d+)\."),
        d_ffn=s("masknet.ckpt", "dual_mdl.0.intra_mdl.mdl.layers.0.pos_ffn.ffn.0.weight")[0],
        max_len=s("masknet.ckpt", "dual_mdl.0.intra_mdl.pos_enc.pe")[1])
    if heads:
        size = replace(size, intra_heads=heads[0], inter_heads=heads[1])
    if alpha is not None:
        size = replace(size, alpha=alpha)
    return size


SIZE_CLASS = {"classifier": Cnn14Size, "lmac-td": LmacTdSize, "lmac-stft": LmacSize}
MODEL_CLASS = {"classifier": Classifier, "lmac-td": LmacTd, "lmac-stft": Psi}


def load(folder, heads=None, alpha=None):
    """Load a checkpoint folder strictly. Returns (kind, model in eval mode)."""
    kind = detect_kind(folder)
    states = {f: load_state(os.path.join(folder, f)) for f in FILES[kind]}
    arch = os.path.join(folder, ARCHITECTURE)
    if os.path.isfile(arch):
        with open(arch) as f:
            size = SIZE_CLASS[kind].from_dict(json.load(f))
        if kind == "lmac-td" and alpha is not None:
            size = replace(size, alpha=alpha)
    else:
        size = infer_size(kind, states, heads, alpha)
    model = MODEL_CLASS[kind](size)
    for fname, attr in FILES[kind].items():
        load_strict(_submodule(model, attr), states[fname], os.path.join(folder, fname))
    return kind, model.eval()
