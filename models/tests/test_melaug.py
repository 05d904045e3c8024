"""The classifier's training augmentations on log-mels (log1p of mel magnitudes): lmactd_models/train/melaug.py."""
import pytest
import torch

from lmactd_models.train.melaug import Augment, eq_augment, mel_shift, mixed_cross_entropy, mixup, spec_augment


def _db(after, before):
    return (torch.expm1(after) / torch.expm1(before)).log10() * 20


def test_eq_is_a_smooth_gain_curve_within_its_bounds_on_the_magnitudes():
    m = torch.log1p(torch.rand(16, 50, 80) * 100 + 1)
    out = eq_augment(m, torch.Generator().manual_seed(3), share=1.0, max_db=6.0)
    db = _db(out, m)
    assert db.abs().max() <= 6.0 + 1e-3 and db.abs().max() > 1.0
    # one curve per example: the same gain in every frame of a band
    assert torch.allclose(db, db[:, :1, :].expand_as(db), atol=1e-3)
    # linear between at most 6 points over 80 bands: neighbouring bands differ by at most 12 dB / 15
    assert (db[:, 0, 1:] - db[:, 0, :-1]).abs().max() <= 12.0 / 15 + 1e-3


def test_eq_leaves_the_unchosen_share_and_its_input_alone():
    m = torch.log1p(torch.rand(400, 4, 80) * 10)
    before = m.clone()
    out = eq_augment(m, torch.Generator().manual_seed(0), share=0.7)
    assert torch.equal(m, before)
    changed = (out != m).flatten(1).any(1).float().mean()
    assert 0.6 < float(changed) < 0.8
    assert torch.equal(eq_augment(m, torch.Generator().manual_seed(0), share=0.0), m)


def test_eq_is_reproducible_from_its_generator():
    m = torch.log1p(torch.rand(8, 10, 80) * 10)
    a = eq_augment(m, torch.Generator().manual_seed(5))
    assert torch.equal(a, eq_augment(m, torch.Generator().manual_seed(5)))
    assert not torch.equal(a, eq_augment(m, torch.Generator().manual_seed(6)))


def test_spec_augment_masks_whole_bands_and_frames_on_a_copy():
    m = torch.ones(4, 431, 80)
    out = spec_augment(m, torch.Generator().manual_seed(1))
    assert torch.equal(m, torch.ones(4, 431, 80))
    zero_bands = (out == 0).all(1).sum(1)
    zero_frames = (out == 0).all(2).sum(1)
    assert (zero_bands <= 22).all() and (zero_frames <= 78).all() and (zero_bands + zero_frames > 0).all()


def test_mel_shift_moves_a_share_of_the_examples_by_one_to_three_bands_on_a_copy():
    bands = torch.arange(80, dtype=torch.float32)
    m = bands.repeat(200, 5, 1)  # every frame holds its band's index
    out = mel_shift(m, torch.Generator().manual_seed(2), share=0.5, max_bins=3)
    assert torch.equal(m, bands.repeat(200, 5, 1))
    # the middle bands read a neighbour k bands away, the same k in every frame of an example
    k = out[:, 0, 40] - 40
    assert torch.equal(out[:, :, 10:70], (bands[10:70] + k[:, None]).unsqueeze(1).expand(200, 5, 60))
    moved = k != 0
    assert 0.4 < float(moved.float().mean()) < 0.6
    assert set(k[moved].abs().long().tolist()) == {1, 2, 3} and (k > 0).any() and (k < 0).any()
    # the bands shifted in repeat the edge band: nothing from outside the range
    assert out.min() == 0 and out.max() == 79


def test_mixup_adds_magnitudes_and_weights_the_two_labels():
    m = torch.log1p(torch.rand(64, 6, 80) * 10)
    y = torch.arange(64) % 13
    out, y_a, y_b, lam = mixup(m, y, torch.Generator().manual_seed(4), alpha=0.4)
    assert 0.5 <= lam <= 1.0 and torch.equal(y_a, y)
    # each example is lam of itself and 1 - lam of the example whose label it took as y_b
    partner = torch.stack([torch.expm1(out[i]) - lam * torch.expm1(m[i]) for i in range(64)]) / (1 - lam)
    for i in range(64):
        assert any(torch.allclose(partner[i], torch.expm1(m[j]), atol=1e-3) and y[j] == y_b[i] for j in range(64))
    # the loss is the weighted sum of the two labels' losses
    logits = torch.randn(64, 13)
    a = torch.nn.functional.cross_entropy(logits, y_a, label_smoothing=0.1)
    b = torch.nn.functional.cross_entropy(logits, y_b, label_smoothing=0.1)
    assert torch.allclose(mixed_cross_entropy(logits, y_a, y_b, lam, 0.1), lam * a + (1 - lam) * b)
    assert torch.allclose(mixed_cross_entropy(logits, y_a, y_b, 1.0, 0.1), a)


def test_mixup_weights_follow_the_beta_draw():
    m = torch.zeros(8, 2, 80)
    gen = torch.Generator().manual_seed(0)
    lams = [mixup(m, torch.arange(8), gen, alpha=0.4)[3] for _ in range(400)]
    near_one = sum(v > 0.9 for v in lams) / 400
    # Beta(0.4, 0.4) folded to [0.5, 1]: P(lam > 0.9) = 2 P(X < 0.1), about 0.42
    assert 0.3 < near_one < 0.55
    assert min(lams) >= 0.5


def test_augment_all_off_is_spec_augment_alone_with_the_same_draws():
    m = torch.log1p(torch.rand(4, 431, 80) * 10)
    y = torch.arange(4)
    out, y_a, y_b, lam = Augment().apply(m, y, torch.Generator().manual_seed(9))
    assert torch.equal(out, spec_augment(m, torch.Generator().manual_seed(9)))
    assert lam == 1.0 and torch.equal(y_a, y) and torch.equal(y_b, y)


def test_augment_settings_are_checked_and_a_resume_keeps_the_run_s_own():
    with pytest.raises(ValueError, match="mel_shift_share 1.5"):
        Augment(mel_shift_share=1.5)
    given = Augment(eq_share=0.7, mel_shift_share=0.5, mixup_alpha=0.4)
    # a run saved before any of these were recorded takes the ones given; a newer one keeps its own
    assert Augment.from_state({"epoch": 3}, given) == given
    kept = Augment.from_state({"eq_share": 0.0, "mel_shift_share": 0.0, "mixup_alpha": 0.0}, given)
    assert kept == Augment()
