"""L-MAC interpreter (spec section 4): psi decoder on the four representations, then sigmoid.
forward(rep6, rep5, rep4, rep3) -> mask [B, 425, 513] over log1p|STFT| (n_fft 1024).
The state dict of `Psi` is SpeechBrain's `psi_model.ckpt` (keys convt1..convt9)."""
import torch

from .. import frontend as fe
from .convt import ConvTDecoder, PSI_GEOMETRY
from ..interpreter import REP_NAMES, InterpreterKind, logit, parameters, scale_layers, shape_in
from ..metrics import all_metrics
from ..sizes import LmacSize

MASK_FRAMES = 425
MASK_BINS = 513
MASK_N_FFT = 2 * (MASK_BINS - 1)     # the STFT whose log1p magnitude the mask covers


class Psi(ConvTDecoder):
    def __init__(self, size=LmacSize()):
        super().__init__(size.rep_channels, size.psi_channels, PSI_GEOMETRY)
        self.size = size

    def forward(self, rep6, rep5, rep4, rep3):
        out = super().forward(rep6, rep5, rep4, rep3)      # [B, 1, 425, 513]
        return torch.sigmoid(out.squeeze(1))


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


# ---------------------------------------------------------------- the kind (interpreter.py)

def _reference(model, c):
    mask = model(*c.reps)
    spec, mag_in, mag_out = lmac_spectrograms(mask, c.x)
    expl = fe.istft(with_phase(mag_in, spec), MASK_N_FFT, c.x.shape[1])
    masked_out = fe.istft(with_phase(mag_out, spec), MASK_N_FFT, c.x.shape[1])
    le = c.classifier(c.logmel.from_magnitude(mag_in))[0]
    lo = c.classifier(c.logmel.from_magnitude(mag_out))[0]
    tensors = {"mask": mask[0], "explanation": expl[0, :c.n], "masked_out": masked_out[0, :c.n],
               "logits_explanation": le[0], "logits_masked_out": lo[0]}
    return tensors, all_metrics(c.logits[0].numpy(), le[0].numpy(), lo[0].numpy(), mask[0].numpy())


def _calibrate(model, x, reps):
    """The mask's pre-sigmoid values std 1.5."""
    with torch.no_grad():
        scale_layers([model.convt9], 1.5 / logit(model(*reps)).std())


def _manifest_fields(model):
    from ..export.package import front_end  # the front end's manifest object, at the mask's n_fft
    stft = {k: v for k, v in front_end(MASK_N_FFT).items()
            if k in ("nFft", "winLength", "hopLength", "window", "center", "padMode", "magnitudeEpsilon")}
    return {"stft": stft, "maskFrames": MASK_FRAMES, "maskBins": MASK_BINS}


def _infer_size(states, heads=None, alpha=None):
    f = "psi_model.ckpt"
    return LmacSize(rep_channels=tuple(shape_in(states, f, f"convt{i}.weight")[0] for i in (1, 2, 4, 6)),
                    psi_channels=tuple(shape_in(states, f, f"convt{i}.weight")[1] for i in (1, 3, 5, 7, 8)))


def _check_front_end(n_fft):
    if n_fft != MASK_N_FFT:
        raise ValueError(f"L-MAC masks {MASK_BINS} bins: its classifier's front end needs "
                         f"n_fft {MASK_N_FFT}, not {n_fft}")


KIND = InterpreterKind(
    key="lmac-stft", model_class=Psi, size_class=LmacSize, size_field="lmac",
    graph_inputs=REP_NAMES, graph_outputs=("mask",), checkpoint_files={"psi_model.ckpt": ""},
    export_args=lambda x, reps: list(reps),
    manifest_fields=_manifest_fields, calibrate=_calibrate, reference=_reference,
    infer_size=_infer_size, describe=lambda m: f"psi {parameters(m):,} parameters",
    metric_map_doc="the mask [maskFrames, maskBins]", check_front_end=_check_front_end)
