"""Augmentations of the data recipe: each keeps the clip's length and does what it says, measured
on signals whose answer is known (tones, noise, a single burst)."""
import shutil

import numpy as np
import pytest

from lmactd_models.clip import SAMPLE_RATE as SR
from lmactd_models.data import augment as A


def tone(f, seconds=2.0, amp=0.5):
    t = np.arange(int(seconds * SR)) / SR
    return (amp * np.sin(2 * np.pi * f * t)).astype(np.float32)


def band_energy(x, lo, hi):
    spec = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1 / SR)
    return float(spec[(f >= lo) & (f < hi)].sum())


def test_telephone_keeps_the_voice_band_and_removes_what_8_khz_cannot_hold():
    x = tone(1000) + tone(6000)
    y = A.telephone(x, 8000)
    assert len(y) == len(x)
    assert band_energy(y, 900, 1100) > 0.8 * band_energy(x, 900, 1100)
    assert band_energy(y, 5900, 6100) < 1e-4 * band_energy(x, 5900, 6100)


@pytest.mark.skipif(not shutil.which("sox"), reason="sox")
@pytest.mark.parametrize("codec", ["mp3", "ogg"])
def test_codec_round_trip_keeps_length_level_and_the_tone(codec):
    x = tone(440)
    y = A.codec_roundtrip(x, codec, 64)
    assert len(y) == len(x)
    assert abs(np.max(np.abs(y)) / np.max(np.abs(x)) - 1) < 0.1
    assert band_energy(y, 430, 450) > 0.8 * band_energy(x, 430, 450)
    with pytest.raises(ValueError):
        A.codec_roundtrip(x, "wma")


def test_eq_reverb_noise_and_level_change_the_clip_reproducibly():
    x = tone(500) + 0.1 * np.random.default_rng(0).standard_normal(2 * SR).astype(np.float32)
    for f in (A.random_eq, A.reverb, A.noise, A.level):
        a, b = f(x, np.random.default_rng(7)), f(x, np.random.default_rng(7))
        assert len(a) == len(x) and np.array_equal(a, b), f.__name__
        assert not np.allclose(a, x), f.__name__
    y = A.noise(x, np.random.default_rng(1), snr_db=(20, 20))
    snr = 10 * np.log10(np.mean(x.astype(np.float64) ** 2) / np.mean((y - x).astype(np.float64) ** 2))
    assert abs(snr - 20) < 0.01
    peak = np.max(np.abs(A.level(x, np.random.default_rng(2), db=(-6, -6))))
    assert abs(20 * np.log10(peak) + 6) < 1e-3


def test_short_clip_keeps_the_loudest_stretch_and_pads_with_silence():
    x = np.zeros(5 * SR, dtype=np.float32)
    x[3 * SR: 3 * SR + 800] = 1.0  # a single hit at 3 s
    y = A.short_clip(x, np.random.default_rng(3), seconds=(0.5, 0.5))
    nonzero = np.flatnonzero(y)
    assert len(y) == len(x)
    assert nonzero[-1] - nonzero[0] < 0.5 * SR
    assert np.sum(y > 0.99) >= 700  # the hit itself survives, faded only at the stretch's edges


def test_equal_level_mix_gives_both_parts_the_same_rms():
    a, b = tone(300, amp=0.9), tone(2000, amp=0.01)
    m = A.equal_level_mix(a, b)
    assert abs(np.max(np.abs(m)) - 0.9) < 1e-6
    ea, eb = band_energy(m, 290, 310), band_energy(m, 1990, 2010)
    assert abs(10 * np.log10(ea / eb)) < 0.1


def test_chain_applies_steps_in_order_and_names_them():
    x = tone(440)
    y, steps = A.chain(x, np.random.default_rng(5), {"telephone": 1, "codec": 0, "eq": 1, "reverb": 0, "noise": 1, "short": 0})
    assert steps == ["telephone", "eq", "noise", "level"]
    assert len(y) == len(x)
