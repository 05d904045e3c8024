"""The synthesised classes: reproducible, silent before their onset, and shaped as their docstrings say."""
import numpy as np
import pytest

from lmactd_models.clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR
from lmactd_models.data import synth
from test_augment import band_energy


def _band_share(x, lo, hi):
    return band_energy(x, lo, hi) / band_energy(x, 0, SR)


@pytest.mark.parametrize("name", sorted(synth.SYNTH))
def test_every_synthesised_class_is_reproducible_and_starts_at_its_onset(name):
    for seed in range(8):
        a = synth.SYNTH[name](np.random.default_rng(seed), 1.0, 4.5)
        assert a.shape == (CLIP,) and np.all(np.isfinite(a))
        assert np.array_equal(a, synth.SYNTH[name](np.random.default_rng(seed), 1.0, 4.5))
        assert np.sqrt(np.mean(a[SR:int(4.5 * SR)] ** 2)) > 1e-3
        if name != "sea_or_wind":  # sea and wind are ambiences: the render's envelope gates them
            assert np.max(np.abs(a[:int(0.99 * SR)])) < 1e-6 * np.max(np.abs(a))


def test_telephone_draws_all_six_ringers():
    # the ringer is the first draw; every kind appears among 60 seeds and each one rings above 300 Hz
    # (the lowest ringer, the electronic two-tone, sits at 350-560 Hz)
    kinds = {int(np.random.default_rng(s).integers(6)) for s in range(60)}
    assert kinds == set(range(6))
    for s in range(60):
        x = synth.synth_telephone(np.random.default_rng(s), 0.5, 4.5)
        assert _band_share(x, 300, 8000) > 0.95, s


def test_gong_ringer_rings_on_after_each_ring():
    # kind 5 (two gongs): find a seed for it, then the sound decays after the gate closes instead of stopping
    seed = next(s for s in range(200) if int(np.random.default_rng(s).integers(6)) == 5)
    x = synth.synth_telephone(np.random.default_rng(seed), 0.5, 4.5)
    frames = np.abs(x[:CLIP // 160 * 160]).reshape(-1, 160).max(axis=1)
    loud = frames > 0.05 * frames.max()
    ends = np.flatnonzero(loud[:-1] & ~loud[1:])
    assert len(ends) >= 1
    drops = frames[ends[0] - 2] / max(frames[ends[0] + 1], 1e-12)
    assert drops < 60  # no cliff: the gongs decay over several frames


def test_applause_spans_a_hand_to_a_hall():
    # crowd size is the first draw (log-uniform 3-800). A few clappers are separate claps (the 5 ms
    # energy swings widely), a hall is a steady texture; fades make single clips noisy, so medians
    # over 60 seeds are compared.
    rough = {"small": [], "large": []}
    for seed in range(60):
        n = int(np.exp(np.random.default_rng(seed).uniform(np.log(3), np.log(800))))
        group = "small" if n <= 12 else "large" if n >= 200 else None
        if group is None:
            continue
        x = synth.synth_applause(np.random.default_rng(seed), 0.2, 5.0)
        e = np.sqrt((x[SR:3 * SR].reshape(-1, 80) ** 2).mean(axis=1))  # 5 ms frames, 1-3 s
        if e.mean() > 0:
            rough[group].append(e.std() / e.mean())
            assert _band_share(x, 500, 6000) > 0.7, seed  # mid-band claps, not sea's or wind's lows
    assert len(rough["small"]) >= 5 and len(rough["large"]) >= 5
    assert np.median(rough["small"]) > 1.0 and np.median(rough["large"]) < 0.5
