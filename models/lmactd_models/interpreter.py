"""What an interpreter kind is, for the code that handles every kind alike (package export,
random init, checkpoints, the reference and the golden files). Each kind is one
`InterpreterKind`, defined in the module of its network (`lmactd.KIND`, `lmac.KIND`) and listed
once in `kinds.INTERPRETERS`; nothing else names a kind. Adding a kind = its module with its
`KIND` + one entry in that table.

Also the small helpers those definitions share (so that they need not import the modules that
read the table)."""
from dataclasses import dataclass, field
import re
from typing import Callable, Dict, Optional, Tuple

import torch

REP_NAMES = ("rep6", "rep5", "rep4", "rep3")     # the classifier's representations, graph inputs


class CheckpointError(Exception):
    """A checkpoint folder that cannot be read as the network it should hold."""


@dataclass(frozen=True)
class ClipRun:
    """One clip as the reference has it when an interpreter runs (reference.run_clip):
    x the normalised padded clip [1, clipSamples], n the input's samples, the classifier's
    outputs on it, the classifier and its log-mel front end."""
    x: torch.Tensor
    n: int
    logits: torch.Tensor
    reps: tuple
    classifier: torch.nn.Module
    logmel: Callable
    n_fft: int


@dataclass(frozen=True)
class InterpreterKind:
    """Everything the kind-independent code needs to know about one interpreter kind."""
    key: str                        # manifest `interpreters` key, checkpoint kind, golden prefix
    model_class: type               # the PyTorch module (takes its size)
    size_class: type                # its size dataclass (to_dict/from_dict)
    size_field: Optional[str]       # field of sizes.Sizes with its per-preset size; None: defaults
    graph_inputs: Tuple[str, ...]
    graph_outputs: Tuple[str, ...]
    checkpoint_files: Dict[str, str]          # SpeechBrain file -> submodule ("" = the model)
    export_args: Callable                     # (normalised clips [B, T], reps) -> graph inputs
    manifest_fields: Callable                 # model -> its own manifest keys (after "file")
    calibrate: Callable                       # (model, clips, reps) -> None: random-init scaling
    reference: Callable                       # (model, ClipRun) -> (tensors, metrics)
    infer_size: Callable                      # (states, heads, alpha) -> size, from shapes
    describe: Callable = lambda model: ""     # what the export logs about it
    metric_map_doc: str = ""                  # golden index.json's metricMap: what SPS/COMP read
    export_record: Dict = field(default_factory=dict)   # architecture.export extras if optimised
    options: Callable = lambda size: {}       # size -> load options a state dict cannot tell
    apply_options: Callable = lambda size, heads, alpha: size
    check_front_end: Callable = lambda n_fft: None      # raise ValueError if it cannot use it

    @property
    def graph_file(self):
        return f"{self.key}.onnx"

    def size_of(self, sizes):
        return getattr(sizes, self.size_field) if self.size_field else self.size_class()


def parameters(model):
    return sum(p.numel() for p in model.parameters())


def scale_layers(layers, factor):
    """Multiply weights and biases in place (random init's output calibration)."""
    with torch.no_grad():
        for layer in layers:
            layer.weight.mul_(factor)
            if layer.bias is not None:
                layer.bias.mul_(factor)


def logit(p):
    return torch.log(p) - torch.log1p(-p)


def shape_in(states, fname, key):
    """Shape of `key` in checkpoint file `fname` (states: file -> state dict)."""
    st = states[fname]
    if key not in st:
        raise CheckpointError(f"{fname}: missing key '{key}' (needed to infer the sizes)")
    return tuple(st[key].shape)


def count_indices(state, pattern):
    """1 + the largest index matched by `pattern`'s group in the state's keys (0 if none)."""
    found = {int(m.group(1)) for k in state for m in [re.match(pattern, k)] if m}
    return max(found) + 1 if found else 0
