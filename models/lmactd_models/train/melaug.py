"""The classifier's training augmentations, on batches of log-mels ([batch, frames, mel bands], log1p of mel
magnitudes): SpecAugment's masks, a random equaliser, a shift along the mel axis and mixup. Each is a few
tensor lines, written here: torchaudio (Debian's python3-torchaudio 0.13, which setup.sh installs) has
SpecAugment's masks, but they draw from torch's global generator, while these draw from the caller's, so a
resumed epoch repeats its draws (and the shipped run's masks stay reproducible); it has no mel shift or mixup.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F


def spec_augment(m, gen):
    """Two time masks and two frequency masks per example (in place on a copy)."""
    m = m.clone()
    b, t, f = m.shape
    for _ in range(2):
        w = torch.randint(0, 40, (b,), generator=gen)
        s = (torch.rand(b, generator=gen) * (t - w)).long()
        for i in range(b):
            m[i, s[i]:s[i] + w[i], :] = 0
        w = torch.randint(0, 12, (b,), generator=gen)
        s = (torch.rand(b, generator=gen) * (f - w)).long()
        for i in range(b):
            m[i, :, s[i]:s[i] + w[i]] = 0
    return m


def eq_augment(m, gen, share=0.7, max_db=6.0):
    """A random equaliser on `share` of the examples' log-mels (log1p of mel magnitudes): a gain curve
    over the mel bands, linear between 3-6 random points of +-max_db dB, applied to the magnitudes. The
    soundfonts and rooms differ most in spectral balance; the first two real-source models heard the
    held-out soundfont's guitar as piano and its strings as organ (MODEL_CARD.md); a candidate trained
    with it (and synthesised bells) was not better there. Same idea as FilterAugment (Nam et al., 2022),
    written here as a few tensor lines."""
    b, _, f = m.shape
    use = torch.rand(b, generator=gen) < share
    if not bool(use.any()):
        return m
    curves = []
    for _ in range(int(use.sum())):
        k = int(torch.randint(3, 7, (1,), generator=gen))
        db = (torch.rand(k, generator=gen) * 2 - 1) * max_db
        at = torch.linspace(0, k - 1, f)
        lo = at.floor().long().clamp(max=k - 2)
        curves.append(db[lo] + (db[lo + 1] - db[lo]) * (at - lo))
    gain = 10 ** (torch.stack(curves) / 20)  # [n, f] magnitude factors
    out = m.clone()
    out[use] = torch.log1p(torch.expm1(m[use]) * gain[:, None, :])
    return out


def mel_shift(m, gen, share=0.5, max_bins=3):
    """Moves `share` of the examples' log-mels up or down the mel axis by 1..max_bins bands (the bands
    shifted in repeat the edge band). One band of 80 is about 4 % in frequency above 1 kHz, so 3 bands move
    the formants and the body resonances of an instrument by about two semitones: a timbre the soundfonts did
    not sample, which is how a held-out soundfont's guitar and strings differ from ours (MODEL_CARD.md)."""
    b, _, f = m.shape
    out = m.clone()
    shifts = torch.randint(1, max_bins + 1, (b,), generator=gen) * (torch.randint(0, 2, (b,), generator=gen) * 2 - 1)
    use = torch.rand(b, generator=gen) < share
    for i in torch.nonzero(use).flatten().tolist():
        k = int(shifts[i])
        if k > 0:
            out[i, :, k:] = m[i, :, :f - k]
            out[i, :, :k] = m[i, :, :1]
        else:
            out[i, :, :f + k] = m[i, :, -k:]
            out[i, :, f + k:] = m[i, :, -1:]
    return out


def mixup(m, y, gen, alpha=0.4):
    """Mixes each example with another of the batch at a weight lam ~ Beta(alpha, alpha) (one per batch,
    folded to >= 0.5 so the first label leads), adding mel magnitudes rather than log-mels, as two sounds add.
    Returns the mixed batch, both label vectors and lam."""
    seed = int(torch.randint(0, 2 ** 31 - 1, (1,), generator=gen))  # torch's Beta takes no generator
    lam = float(np.random.default_rng(seed).beta(alpha, alpha))
    lam = max(lam, 1.0 - lam)
    perm = torch.randperm(len(y), generator=gen)
    mixed = torch.log1p(lam * torch.expm1(m) + (1 - lam) * torch.expm1(m[perm]))
    return mixed, y, y[perm], lam


def mixed_cross_entropy(logits, y_a, y_b, lam, smoothing):
    """The mixup loss: lam parts of the first label's cross-entropy, 1 - lam of the second's."""
    loss = F.cross_entropy(logits, y_a, label_smoothing=smoothing)
    if lam >= 1.0:
        return loss
    return lam * loss + (1 - lam) * F.cross_entropy(logits, y_b, label_smoothing=smoothing)


@dataclass(frozen=True)
class Augment:
    """Which of the optional augmentations a classifier run uses (all off = the shipped model's run;
    SpecAugment and the time shift are always on). Stored in the run's checkpoint, so a resume keeps them."""
    eq_share: float = 0.0
    mel_shift_share: float = 0.0
    mixup_alpha: float = 0.0

    def __post_init__(self):
        for name, v in asdict(self).items():
            if not 0.0 <= v <= (10.0 if name == "mixup_alpha" else 1.0):
                raise ValueError(f"augment: {name} {v} is out of range")

    def to_dict(self):
        return asdict(self)

    @staticmethod
    def from_state(state, given):
        """The settings a run was started with; a run saved before a field was recorded takes `given`'s."""
        kept = {k: state.get(k, v) for k, v in given.to_dict().items()}
        return Augment(**kept)

    def apply(self, m, y, gen):
        """(batch, first labels, second labels, lam) for one training step."""
        if self.eq_share > 0:
            m = eq_augment(m, gen, share=self.eq_share)
        if self.mel_shift_share > 0:
            m = mel_shift(m, gen, share=self.mel_shift_share)
        y_b, lam = y, 1.0
        if self.mixup_alpha > 0:
            m, y, y_b, lam = mixup(m, y, gen, alpha=self.mixup_alpha)
        return spec_augment(m, gen), y, y_b, lam
