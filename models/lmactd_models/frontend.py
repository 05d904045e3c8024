"""Log-mel front end and the STFT pieces shared by the reference (models/README.md, step 4).

Everything works on batches: waveforms are [B, T] float tensors. Differentiable (training uses it).
"""
import math
import torch
import numpy as np

from .clip import CLIP_SAMPLES, SAMPLE_RATE  # noqa: F401  (re-exported)

WIN_LENGTH = 372
HOP_LENGTH = 186
N_MELS = 80
F_MIN = 0.0
F_MAX = 8000.0
MAG_EPS = 1e-14


def hamming_periodic(win_length=WIN_LENGTH, dtype=torch.float32):
    n = torch.arange(win_length, dtype=torch.float64)
    return (0.54 - 0.46 * torch.cos(2 * math.pi * n / win_length)).to(dtype)


def padded_window(n_fft, win_length=WIN_LENGTH, dtype=torch.float32):
    """The window zero-padded to n_fft, centred (left offset (n_fft - win_length) // 2)."""
    w = torch.zeros(n_fft, dtype=dtype)
    left = (n_fft - win_length) // 2
    w[left:left + win_length] = hamming_periodic(win_length, dtype)
    return w


def n_frames(samples, hop=HOP_LENGTH):
    return 1 + samples // hop


def stft(x, n_fft, hop=HOP_LENGTH, win_length=WIN_LENGTH):
    """Centred (zero padding n_fft/2 both sides), one-sided complex STFT: [B, frames, n_fft/2+1]."""
    w = padded_window(n_fft, win_length, x.dtype).to(x.device)
    s = torch.stft(x, n_fft, hop_length=hop, win_length=n_fft, window=w, center=True,
                   pad_mode="constant", normalized=False, onesided=True, return_complex=True)
    return s.transpose(1, 2)


def magnitude(spec, eps=MAG_EPS):
    """sqrt(re^2 + im^2 + eps) of a complex spectrogram."""
    return torch.sqrt(spec.real ** 2 + spec.imag ** 2 + eps)


def istft(spec, n_fft, length, hop=HOP_LENGTH, win_length=WIN_LENGTH):
    """Inverse of `stft`: per-frame irfft, window, overlap-add, divide by the summed squared
    window where it exceeds 1e-11, drop the n_fft/2 centring pad, keep `length` samples.
    spec: complex [B, frames, n_fft/2+1]."""
    w = padded_window(n_fft, win_length, spec.real.dtype).to(spec.device)
    frames = torch.fft.irfft(spec, n=n_fft, dim=-1) * w            # [B, F, n_fft]
    b, f, _ = frames.shape
    total = n_fft + hop * (f - 1)
    y = torch.nn.functional.fold(frames.transpose(1, 2), (1, total), (1, n_fft), stride=(1, hop))
    env = torch.nn.functional.fold((w * w).expand(1, f, n_fft).transpose(1, 2), (1, total),
                                   (1, n_fft), stride=(1, hop))
    y, env = y.reshape(b, total), env.reshape(total)
    env = torch.where(env > 1e-11, env, torch.ones_like(env))
    y = y / env
    start = n_fft // 2
    out = y[:, start:start + length]
    if out.shape[1] < length:
        out = torch.nn.functional.pad(out, (0, length - out.shape[1]))
    return out


def mel_filterbank(n_fft, sample_rate=SAMPLE_RATE, n_mels=N_MELS, f_min=F_MIN, f_max=F_MAX,
                   dtype=torch.float32):
    """HTK triangles of peak 1, no area normalisation: [n_fft/2+1, n_mels]."""
    to_mel = lambda f: 2595.0 * np.log10(1.0 + f / 700.0)
    mels = np.linspace(to_mel(f_min), to_mel(f_max), n_mels + 2)
    hz = 700.0 * (10.0 ** (mels / 2595.0) - 1.0)
    freqs = np.arange(n_fft // 2 + 1) * (sample_rate / 2) / (n_fft // 2)
    centre = hz[1:-1]
    half = hz[1:-1] - hz[:-2]
    fb = np.maximum(0.0, 1.0 - np.abs(freqs[:, None] - centre[None, :]) / half[None, :])
    return torch.tensor(fb, dtype=dtype)


class LogMel(torch.nn.Module):
    """waveform [B, T] -> log1p(|STFT| x HTK mel) [B, frames, n_mels]."""

    def __init__(self, n_fft=1024, n_mels=N_MELS):
        super().__init__()
        self.n_fft = n_fft
        self.register_buffer("fb", mel_filterbank(n_fft, n_mels=n_mels), persistent=False)

    def from_magnitude(self, mag):
        """[B, frames, n_fft/2+1] magnitude -> log-mel; L-MAC's masked spectrograms enter here."""
        return torch.log1p(mag @ self.fb.to(mag.dtype))

    def forward(self, x):
        return self.from_magnitude(magnitude(stft(x, self.n_fft)))


def normalise(x, floor=1e-6):
    """Divide each clip by its signed max (README step 2); falls back to max |x|; silence is an
    error. x: [T] or [B, T]. Returns (normalised, divisor)."""
    squeeze = x.dim() == 1
    x2 = x.reshape(1, -1) if squeeze else x
    div = x2.max(dim=1).values
    absmax = x2.abs().max(dim=1).values
    div = torch.where(div > floor, div, absmax)
    if bool((div <= floor).any()):
        raise ValueError("silent clip: peak not above 1e-6")
    y = x2 / div[:, None]
    return (y.reshape(-1), div[0]) if squeeze else (y, div)


def pad_clip(x, samples=CLIP_SAMPLES):
    """Zeros at the end up to `samples` (README step 3); longer input is an error here."""
    if x.shape[-1] > samples:
        raise ValueError(f"clip of {x.shape[-1]} samples is longer than {samples}")
    return torch.nn.functional.pad(x, (0, samples - x.shape[-1]))
