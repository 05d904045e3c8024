"""What the runtime does around the graphs (models/README.md, steps 2-8), as the PyTorch
reference: one clip in, every golden tensor and metric out. Each interpreter kind's own steps
(its masking, its evidence run, its metrics map) are its `reference` (interpreter.py)."""
import numpy as np
import torch

from . import frontend as fe
from .interpreter import ClipRun
from .kinds import INTERPRETERS, kind_of
from .modules.lmac import lmac_spectrograms, with_phase  # noqa: F401  (re-exported: training, benchmarks)
from .modules.lmactd import metric_map as metric_map_lmactd  # noqa: F401


def run_clip(raw, classifier, *interpreters, n_fft=1024):
    """raw: 1-D float32 tensor at 16 kHz, at most clipSamples long; interpreters: models of the
    kinds in kinds.INTERPRETERS (None skipped), run in that table's order.
    Returns (divisor, tensors: name -> numpy float32 (batch dropped), metrics: kind -> dict)."""
    n = raw.shape[0]
    norm, divisor = fe.normalise(raw)
    x = fe.pad_clip(norm).reshape(1, -1)
    logmel_fn = fe.LogMel(n_fft)
    given = {kind_of(m).key: m for m in interpreters if m is not None}
    out, metrics = {"input": raw}, {}
    with torch.no_grad():
        logmel = logmel_fn(x)
        logits, *reps = classifier(logmel)
        out.update(logmel=logmel[0], logits=logits[0],
                   **{f"rep{i}": r[0] for i, r in zip((6, 5, 4, 3), reps)})
        clip = ClipRun(x=x, n=n, logits=logits, reps=tuple(reps), classifier=classifier,
                       logmel=logmel_fn, n_fft=n_fft)
        for key, kind in INTERPRETERS.items():
            if key in given:
                tensors, metrics[key] = kind.reference(given[key], clip)
                out.update({f"{key}.{name}": t for name, t in tensors.items()})
    tensors = {k: np.ascontiguousarray(v.detach().numpy(), dtype=np.float32) for k, v in out.items()}
    return float(divisor), tensors, metrics
