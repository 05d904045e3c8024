"""What the runtime does around the graphs (models/README.md, steps 2-8), as the PyTorch
reference: one clip in, every golden tensor and metric out."""
import numpy as np
import torch

from . import frontend as fe
from .lmac import MASK_N_FFT
from .metrics import all_metrics


def lmac_spectrograms(mask, x, n_fft=MASK_N_FFT):
    """L-MAC masking (step 7). mask [B, maskFrames, bins], x [B, T] normalised padded clips.
    Returns (X complex STFT, masked-in magnitude, masked-out magnitude), all [B, frames, bins]:
    the mask is extended to all frames with zeros, in = expm1(M log1p|X|), out = expm1((1-M) ...)."""
    spec = fe.stft(x, n_fft)
    mag = fe.magnitude(spec)
    m = torch.nn.functional.pad(mask, (0, 0, 0, spec.shape[1] - mask.shape[1]))
    logmag = torch.log1p(mag)
    return spec, torch.expm1(m * logmag), torch.expm1((1.0 - m) * logmag)


def with_phase(new_mag, spec):
    """new_mag times the input's phase X / |X| (|X| the eps-magnitude)."""
    return spec / fe.magnitude(spec) * new_mag


def metric_map_lmactd(explanation, n_fft):
    """Step 8 for LMAC-TD: log1p |STFT(explanation)| (eps-magnitude) over the whole padded clip,
    in double precision: [frames, n_fft/2+1]."""
    x = explanation.detach().to(torch.float64).reshape(1, -1)
    return torch.log1p(fe.magnitude(fe.stft(x, n_fft)))[0].numpy()


def run_clip(raw, classifier, lmactd=None, psi=None, n_fft=1024):
    """raw: 1-D float32 tensor at 16 kHz, at most clipSamples long.
    Returns (divisor, tensors: name -> numpy float32 (batch dropped), metrics: kind -> dict)."""
    n = raw.shape[0]
    norm, divisor = fe.normalise(raw)
    x = fe.pad_clip(norm).reshape(1, -1)
    logmel_fn = fe.LogMel(n_fft)
    out, metrics = {"input": raw}, {}
    with torch.no_grad():
        logmel = logmel_fn(x)
        logits, *reps = classifier(logmel)
        out.update(logmel=logmel[0], logits=logits[0],
                   **{f"rep{i}": r[0] for i, r in zip((6, 5, 4, 3), reps)})
        if lmactd is not None:
            expl, masked_out, mask = lmactd(x, *reps)
            le = classifier(logmel_fn(expl))[0]
            lo = classifier(logmel_fn(masked_out))[0]
            out.update({"lmac-td.mask": mask[0], "lmac-td.explanation": expl[0, :n],
                        "lmac-td.masked_out": masked_out[0, :n],
                        "lmac-td.logits_explanation": le[0], "lmac-td.logits_masked_out": lo[0]})
            metrics["lmac-td"] = all_metrics(logits[0].numpy(), le[0].numpy(), lo[0].numpy(),
                                             metric_map_lmactd(expl[0], n_fft))
        if psi is not None:
            mask = psi(*reps)
            spec, mag_in, mag_out = lmac_spectrograms(mask, x)
            expl = fe.istft(with_phase(mag_in, spec), MASK_N_FFT, x.shape[1])
            masked_out = fe.istft(with_phase(mag_out, spec), MASK_N_FFT, x.shape[1])
            le = classifier(logmel_fn.from_magnitude(mag_in))[0]
            lo = classifier(logmel_fn.from_magnitude(mag_out))[0]
            out.update({"lmac-stft.mask": mask[0], "lmac-stft.explanation": expl[0, :n],
                        "lmac-stft.masked_out": masked_out[0, :n],
                        "lmac-stft.logits_explanation": le[0], "lmac-stft.logits_masked_out": lo[0]})
            metrics["lmac-stft"] = all_metrics(logits[0].numpy(), le[0].numpy(), lo[0].numpy(),
                                               mask[0].numpy())
    tensors = {k: np.ascontiguousarray(v.detach().numpy(), dtype=np.float32) for k, v in out.items()}
    return float(divisor), tensors, metrics
