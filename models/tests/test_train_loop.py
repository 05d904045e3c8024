"""Resuming a training stage."""
import os

import pytest
import torch

from lmactd_models.train import loop


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


def test_a_cache_link_to_a_deleted_folder_is_named(tmp_path):
    # 2 December: a trial's work folder linked its cache to models/work/cache, which a data re-render had
    # deleted; the run died with "File exists: 'work/td2/cache'"
    os.symlink(tmp_path / "gone", tmp_path / "cache")
    with pytest.raises(FileNotFoundError, match="cache links to .*gone, which is not there"):
        loop.cached_split(str(tmp_path / "data"), str(tmp_path), "train")
