"""Checkpoints in SpeechBrain's layout (one `torch.save`d state dict per file), strict loading,
and size inference from tensor shapes.

A checkpoint folder holds one network's files:
  classifier: embedding_model.ckpt (CNN14) + classifier.ckpt (linear head)
  an interpreter: its kind's `checkpoint_files` (kinds.py; lmac-td: encoder.ckpt + decoder.ckpt
  + masknet.ckpt + convt_decoder.ckpt, lmac-stft: psi_model.ckpt)
plus, for our own checkpoints, `architecture.json` (the size dataclass, `to_dict`). Without it
(real SpeechBrain checkpoints) the sizes are read off the tensor shapes; what shapes cannot tell
(attention heads, encoder stride, chunk size, alpha) takes the spec's values or the caller's.
"""
import json
import os

import torch

from .modules.cnn14 import Classifier
from .interpreter import CheckpointError, shape_in
from .kinds import INTERPRETERS
from .sizes import Cnn14Size

CLASSIFIER_FILES = {"embedding_model.ckpt": "embedding_model", "classifier.ckpt": "head"}
ARCHITECTURE = "architecture.json"
__all__ = ["CheckpointError", "files", "detect_kind", "save", "load", "infer_size"]


def files():
    """kind -> {checkpoint file: submodule attribute}: the classifier's, then each interpreter kind's."""
    return {"classifier": CLASSIFIER_FILES, **{k.key: k.checkpoint_files for k in INTERPRETERS.values()}}


def detect_kind(folder):
    """'classifier' or an interpreter kind's key, from the files present."""
    for kind, names in files().items():
        if all(os.path.isfile(os.path.join(folder, f)) for f in names):
            return kind
    raise CheckpointError(f"{folder}: no complete checkpoint set; expected one of "
                          + "; ".join(" + ".join(f) for f in files().values()))


def _submodule(model, attr):
    return getattr(model, attr) if attr else model


def save(model, kind, folder):
    """Write `model` (the classifier or an interpreter) as SpeechBrain-layout files + architecture.json."""
    os.makedirs(folder, exist_ok=True)
    for fname, attr in files()[kind].items():
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


def _classifier_size(states):
    s = lambda f, k: shape_in(states, f, k)
    ch = tuple(s("embedding_model.ckpt", f"conv_block{i}.conv1.weight")[0] for i in range(1, 7))
    return Cnn14Size(channels=ch, classes=s("classifier.ckpt", "weight")[0],
                     n_mels=s("embedding_model.ckpt", "norm0.weight")[0])


def infer_size(kind, states, heads=None, alpha=None):
    """Size dataclass from the tensor shapes of a checkpoint set (SpeechBrain's, no JSON)."""
    if kind == "classifier":
        return _classifier_size(states)
    return INTERPRETERS[kind].infer_size(states, heads, alpha)


def load(folder, heads=None, alpha=None):
    """Load a checkpoint folder strictly. Returns (kind, model in eval mode). `heads` and `alpha`
    are what an interpreter's state dict cannot tell (its kind's `apply_options`)."""
    kind = detect_kind(folder)
    states = {f: load_state(os.path.join(folder, f)) for f in files()[kind]}
    arch = os.path.join(folder, ARCHITECTURE)
    interp = INTERPRETERS.get(kind)
    if os.path.isfile(arch):
        with open(arch) as f:
            size = (interp.size_class if interp else Cnn14Size).from_dict(json.load(f))
        if interp:
            size = interp.apply_options(size, None, alpha)
    else:
        size = infer_size(kind, states, heads, alpha)
    model = (interp.model_class if interp else Classifier)(size)
    for fname, attr in files()[kind].items():
        load_strict(_submodule(model, attr), states[fname], os.path.join(folder, fname))
    return kind, model.eval()
