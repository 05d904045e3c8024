"""The bell synthesiser: reproducible, silent before its onset, ringing on, inharmonic, and the three
patterns (one strike, a toll, a peal) each drawn; the real-source recipe routes its share of bells there."""
import numpy as np

from lmactd_models.clip import CLIP_SAMPLES as CLIP, SAMPLE_RATE as SR
from lmactd_models.data import bells, realplan


def _onsets(x, hop=160):
    """Frame indices where the 10 ms energy jumps by more than 6 dB over the previous frame's."""
    e = np.array([np.sum(x[i:i + hop] ** 2) for i in range(0, len(x) - hop, hop)]) + 1e-12
    return np.nonzero((e[1:] > 4 * e[:-1]) & (e[1:] > 1e-4 * e.max()))[0] + 1


def test_bells_are_reproducible_finite_and_start_at_their_onset():
    for seed in range(12):
        a = bells.synth_bells(np.random.default_rng(seed), 1.0, 4.5)
        assert a.shape == (CLIP,) and np.all(np.isfinite(a))
        assert np.array_equal(a, bells.synth_bells(np.random.default_rng(seed), 1.0, 4.5))
        assert np.max(np.abs(a[:int(0.99 * SR)])) == 0.0
        assert np.max(np.abs(a)) > 0.1


def test_a_single_strike_decays_without_being_cut():
    # a bell struck once rings on and dies away: 1.5-1.8 s after the strike it is quieter than in its
    # first 0.3 s (beating modes swell and fade, but the decay wins), and where its sound ends it has
    # faded to below -50 dB of its peak rather than stopping
    singles = 0
    for seed in range(40):
        a = bells.synth_bells(np.random.default_rng(seed), 0.5, 4.5)
        on = _onsets(a)
        if len(on) != 1:
            continue
        singles += 1
        s = on[0] * 160
        head = np.sqrt(np.mean(a[s:s + int(0.3 * SR)] ** 2))
        later = np.sqrt(np.mean(a[s + int(1.5 * SR):s + int(1.8 * SR)] ** 2))
        assert later < head, seed
        end = np.nonzero(a)[0][-1]
        if end < CLIP - 1:
            assert np.max(np.abs(a[end - SR // 100:end + 1])) < 10 ** (-50 / 20) * np.max(np.abs(a)), seed
    assert singles >= 5


def test_partials_are_inharmonic():
    # a bell's spectrum is not a harmonic series: among the strongest peaks of a single bell, some
    # ratio to the lowest strong peak is at least 3 % from every whole number (1.2, 2.76, 2.4 ...)
    inharmonic = 0
    for seed in range(30):
        rng = np.random.default_rng(seed)
        r, a = bells._family(rng)
        x = bells._bell(rng, 220.0, r, a, 2.0, 0.5)
        spec = np.abs(np.fft.rfft(x[:SR]))
        freqs = np.fft.rfftfreq(SR, 1 / SR)
        peaks = [i for i in range(1, len(spec) - 1)
                 if spec[i] > spec[i - 1] and spec[i] >= spec[i + 1] and spec[i] > 0.1 * spec.max()]
        ratios = freqs[peaks] / freqs[peaks[0]]
        inharmonic += bool(np.any(np.abs(ratios - np.round(ratios)) > 0.03))
    assert inharmonic >= 20


def test_strikes_tolls_and_peals_are_all_drawn():
    counts = []
    for seed in range(60):
        a = bells.synth_bells(np.random.default_rng(seed), 0.2, 4.8)
        counts.append(len(_onsets(a)))
    assert min(counts) >= 1 and max(counts) >= 5  # single strikes and peals of several bells
    assert sum(c == 1 for c in counts) >= 5


def test_real_recipe_draws_a_share_of_bells_from_the_synthesiser_only_when_asked(tmp_path):
    root = str(tmp_path)
    plain = [realplan.plan_real_clip("train", i, root) for i in range(13 * 60)]
    assert not any(p["target"].get("bell") for p in plain)
    plans = [realplan.plan_real_clip("train", i, root, bell_share=0.4) for i in range(13 * 60)]
    bell = [p for p in plans if p["label"] == "bells"]
    share = np.mean([bool(p["target"].get("bell")) for p in bell])
    assert abs(share - 0.4) < 0.15
    # the other classes' plans are the shipped recipe's, draw for draw
    assert all(p == q for p, q in zip(plain, plans) if p["label"] != "bells")
    x = realplan._real_target(next(p["target"] for p in bell if p["target"].get("bell")), root)
    assert x.shape == (CLIP,) and np.max(np.abs(x)) > 0
