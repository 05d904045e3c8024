"""The classifier's training augmentations on log-mels (log1p of mel magnitudes), and resuming a stage."""
import os

import pytest
import torch

from lmactd_models.train import loop
from lmactd_models.train.loop import eq_augment, spec_augment


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


def _classifier_stub():
    model = torch.nn.Linear(3, 2)
    return model, torch.optim.AdamW(model.parameters())


def test_resume_with_init_refuses_a_leftover_run_of_another_start(tmp_path):
    # 2 December: a fine-tune asked to start from --init found the shipped run's finished checkpoint,
    # "resumed" it at its last epoch and ended at once, training nothing; now it is refused by name.
    model, opt = _classifier_stub()
    ck = str(tmp_path / "classifier.pt")
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": {"epoch": 5, "warm": True}}, ck)
    with pytest.raises(loop.CheckpointMismatch, match="epoch 5.*move it aside"):
        loop.resume(ck, model, opt, {"epoch": 0}, str(tmp_path), "classifier", "epoch", init=str(tmp_path / "init"))
    # without --init it resumes, as before
    assert loop.resume(ck, model, opt, {"epoch": 0}, str(tmp_path), "classifier", "epoch")["epoch"] == 5
    # a run that did start from that folder resumes with --init given again (the documented rerun)
    init = str(tmp_path / "init")
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(),
                "state": {"epoch": 2, "warm": True, "init": os.path.abspath(init)}}, ck)
    assert loop.resume(ck, model, opt, {"epoch": 0}, str(tmp_path), "classifier", "epoch", init=init)["epoch"] == 2
