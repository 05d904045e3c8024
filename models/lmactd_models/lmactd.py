"""LMAC-TD interpreter (spec section 3), in SpeechBrain's checkpoint layout:
`encoder` (encoder.ckpt), `convt_decoder` = Hd (convt_decoder.ckpt), `masknet` (masknet.ckpt),
`decoder` (decoder.ckpt).

forward(waveform [B, T], rep6, rep5, rep4, rep3) -> (explanation [B, T], masked_out [B, T],
mask [B, N, frames]); frames = (T - 16) // 8 + 1 (9999 for 5 s).
Hd's output [B, 1, H, W] is squeezed and permuted to [B, W, H] and cropped to [B, N, frames]
(at full size W = N = 256, so only the frames are cropped).
"""
import torch
from torch import nn
import torch.nn.functional as F

from .convt import ConvTDecoder, HD_GEOMETRY
from .masknet import MaskNet, static
from .sizes import LmacTdSize


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
