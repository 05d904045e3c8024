"""LMAC-TD interpreter (spec section 3), in SpeechBrain's checkpoint layout:
`encoder` (encoder.ckpt), `convt_decoder` = Hd (convt_decoder.ckpt), `masknet` (masknet.ckpt),
`decoder` (decoder.ckpt).

forward(waveform [B, T], rep6, rep5, rep4, rep3) -> (explanation [B, T], masked_out [B, T],
mask [B, N, frames]); frames = (T - 16) // 8 + 1 (9999 for 5 s).
Hd's output [B, 1, H, W] is squeezed and permuted to [B, W, H] and cropped to [B, N, frames]
(at full size W = N = 256, so only the frames are cropped).
"""
from dataclasses import replace

import torch
from torch import nn
import torch.nn.functional as F

from .. import frontend as fe
from .convt import ConvTDecoder, HD_GEOMETRY
from ..interpreter import (REP_NAMES, InterpreterKind, count_indices, logit, parameters,
                          scale_layers, shape_in)
from .masknet import MaskNet, static
from ..metrics import all_metrics
from ..sizes import LmacTdSize


class Encoder(nn.Module):
    def __init__(self, n, kernel=16, stride=8):
        super().__init__()
        self.conv1d = nn.Conv1d(1, n, kernel, stride=stride, bias=False)

    def forward(self, x):                                    # [B, T] -> [B, N, F]
        return F.relu(self.conv1d(x.unsqueeze(1)))


class Decoder(nn.ConvTranspose1d):
    def __init__(self, n, kernel=16, stride=8):
        super().__init__(n, 1, kernel, stride=stride, bias=False)

    def forward(self, h):                                    # [B, N, F] -> [B, T]
        return super().forward(h).squeeze(1)


def encoder_frames(samples, kernel=16, stride=8):
    return (samples - kernel) // stride + 1


class LmacTd(nn.Module):
    def __init__(self, size=LmacTdSize()):
        super().__init__()
        self.size = size
        self.encoder = Encoder(size.n_enc, size.kernel, size.stride)
        self.convt_decoder = ConvTDecoder(size.rep_channels, size.hd_channels, HD_GEOMETRY)
        self.masknet = MaskNet(size)
        self.decoder = Decoder(size.n_enc, size.kernel, size.stride)
        self.early_crop = False

    def hd(self, reps, n, frames):
        """Classifier-side decoder output as [B, n, frames]. With `early_crop` (set for the graph
        export, `optimised_export`) Hd computes only the frames and channels kept."""
        keep = (frames, n) if self.early_crop else None
        h = self.convt_decoder(*reps, keep=keep).squeeze(1).transpose(1, 2)
        if h.shape[1] == n and h.shape[2] == frames:
            return h
        return h[:, :n, :frames]

    def forward(self, waveform, rep6, rep5, rep4, rep3):
        enc = self.encoder(waveform)
        a = self.size.alpha
        n, frames = static(enc.shape[1], enc.shape[2])
        z = (1.0 - a) * enc + a * self.hd((rep6, rep5, rep4, rep3), n, frames)
        mask = self.masknet(z)
        explanation = self.decoder(enc * mask)
        masked_out = self.decoder(enc * (1.0 - mask))
        return explanation, masked_out, mask


# ---------------------------------------------------------------- the kind (interpreter.py)

def metric_map(explanation, n_fft):
    """Step 8 for LMAC-TD: log1p |STFT(explanation)| (eps-magnitude) over the whole padded clip,
    in double precision: [frames, n_fft/2+1]."""
    x = explanation.detach().to(torch.float64).reshape(1, -1)
    return torch.log1p(fe.magnitude(fe.stft(x, n_fft)))[0].numpy()


def _reference(model, c):
    expl, masked_out, mask = model(c.x, *c.reps)
    le = c.classifier(c.logmel(expl))[0]
    lo = c.classifier(c.logmel(masked_out))[0]
    tensors = {"mask": mask[0], "explanation": expl[0, :c.n], "masked_out": masked_out[0, :c.n],
               "logits_explanation": le[0], "logits_masked_out": lo[0]}
    return tensors, all_metrics(c.logits[0].numpy(), le[0].numpy(), lo[0].numpy(),
                                metric_map(expl[0], c.n_fft))


def _calibrate(model, x, reps):
    """Hd's output as spread as the encoder's, the mask's pre-sigmoid values std 1.5."""
    with torch.no_grad():
        enc = model.encoder(x)
        hd = model.hd(reps, enc.shape[1], enc.shape[2])
        scale_layers([model.convt_decoder.convt9], enc.std() / hd.std())
        mask = model(x, *reps)[2]
        scale_layers([model.masknet.end_conv1x1], 1.5 / logit(mask).std())


def _manifest_fields(model):
    s = model.size
    return {"alpha": s.alpha,
            "encoder": {"channels": s.n_enc, "kernel": s.kernel, "stride": s.stride,
                        "frames": encoder_frames(fe.CLIP_SAMPLES, s.kernel, s.stride)}}


def _infer_size(states, heads=None, alpha=None):
    s = lambda f, k: shape_in(states, f, k)
    f = "convt_decoder.ckpt"
    m = states["masknet.ckpt"]
    enc = s("encoder.ckpt", "conv1d.weight")
    size = LmacTdSize(
        rep_channels=tuple(s(f, f"convt{i}.weight")[0] for i in (1, 2, 4, 6)),
        hd_channels=tuple(s(f, f"convt{i}.weight")[1] for i in (1, 3, 5, 7, 8)),
        n_enc=enc[0], kernel=enc[2], stride=enc[2] // 2,
        d_model=s("masknet.ckpt", "conv1d.weight")[0],
        blocks=count_indices(m, r"dual_mdl\.(\d+)\."),
        intra_layers=count_indices(m, r"dual_mdl\.0\.intra_mdl\.mdl\.layers\.(\d+)\."),
        inter_layers=count_indices(m, r"dual_mdl\.0\.inter_mdl\.mdl\.layers\.(\d+)\."),
        d_ffn=s("masknet.ckpt", "dual_mdl.0.intra_mdl.mdl.layers.0.pos_ffn.ffn.0.weight")[0],
        max_len=s("masknet.ckpt", "dual_mdl.0.intra_mdl.pos_enc.pe")[1])
    return _apply_options(size, heads, alpha)


def _apply_options(size, heads, alpha):
    """Attention heads are not visible in a state dict; alpha is a recipe setting."""
    if heads:
        size = replace(size, intra_heads=heads[0], inter_heads=heads[1])
    if alpha is not None:
        size = replace(size, alpha=alpha)
    return size


KIND = InterpreterKind(
    key="lmac-td", model_class=LmacTd, size_class=LmacTdSize, size_field="lmactd",
    graph_inputs=("waveform",) + REP_NAMES, graph_outputs=("explanation", "masked_out", "mask"),
    checkpoint_files={"encoder.ckpt": "encoder", "decoder.ckpt": "decoder",
                      "masknet.ckpt": "masknet", "convt_decoder.ckpt": "convt_decoder"},
    export_args=lambda x, reps: [x] + list(reps),
    manifest_fields=_manifest_fields, calibrate=_calibrate, reference=_reference,
    infer_size=_infer_size,
    describe=lambda m: f"{parameters(m):,} parameters (" + ", ".join(
        f"{k} {parameters(getattr(m, k)):,}" for k in ("encoder", "convt_decoder", "masknet", "decoder")) + ")",
    metric_map_doc="log1p of the eps-magnitude STFT (front end, step 4) of the whole padded explanation "
                   "(clipSamples), double precision",
    export_record={"attention": "com.microsoft.Attention", "hdEarlyCrop": True, "hdComposedConvt89": True,
                   "dualPathLayout": "BSKD"},
    options=lambda size: {"heads": (size.intra_heads, size.inter_heads), "alpha": size.alpha},
    apply_options=lambda size, heads, alpha: _apply_options(size, None, alpha))
