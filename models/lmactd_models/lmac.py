"""L-MAC interpreter (spec section 4): psi decoder on the four representations, then sigmoid.
forward(rep6, rep5, rep4, rep3) -> mask [B, 425, 513] over log1p|STFT| (n_fft 1024).
The state dict of `Psi` is SpeechBrain's `psi_model.ckpt` (keys convt1..convt9)."""
import torch

from .convt import ConvTDecoder, PSI_GEOMETRY
from .sizes import LmacSize

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
