"""Training of the default model: the classifier, then the LMAC-TD and L-MAC interpreters
(spec section 5), in resumable chunks.

Every stage keeps its state (weights, optimiser, step, RNG) in `<work>/ckpt/<stage>.pt` and
stops after `--minutes`; running the same command again continues where it stopped. Small
copies of finished stages can be committed under models/checkpoints/.
"""
from __future__ import annotations

import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from .. import data as D
from ..modules.cnn14 import Classifier
from .melaug import Augment, mixed_cross_entropy
from ..frontend import LogMel
from ..sizes import Cnn14Size

CLASSIFIER_CHANNELS = (8, 16, 32, 64, 128, 256)  # CNN14 at 1/8 width


def log(work, msg):
    line = f"{time.strftime('%H:%M:%S')} {msg}"
    print(line, flush=True)
    with open(os.path.join(work, "train.log"), "a") as f:
        f.write(line + "\n")


class CheckpointMismatch(ValueError):
    """A stage checkpoint that is not the run a command asks to resume (`resume`)."""


def resume(ck, model, opt, fresh_state, work, what, counter, init=None):
    """Loads a stage's checkpoint into model and optimiser if there is one; returns the stage's state.
    With `init`, the checkpoint must be a run that started from that folder (its state records it):
    a leftover run of another start, finished or not, is refused rather than resumed in place of the
    fresh start asked for (a finished one would end the new run at once, training nothing)."""
    if not os.path.exists(ck):
        return fresh_state
    c = torch.load(ck)
    if init is not None and c["state"].get("init") != os.path.abspath(init):
        started = c["state"].get("init") or "a folder it did not record, or its own weights"
        raise CheckpointMismatch(f"{ck}: a {what} run at {counter} {c['state'][counter]} that started from {started}, "
                                 f"not from --init {init}: move it aside to start afresh from {init}, or leave out "
                                 f"--init to resume it")
    model.load_state_dict(c["model"])
    if "opt" in c:
        opt.load_state_dict(c["opt"])
    log(work, f"{what}: resumed at {counter} {c['state'][counter]}")
    return c["state"]


def save_atomic(obj, path):
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


# ----------------------------------------------------------------------------------------------
# cached, normalised waveforms and log-mels

def normalise_np(x):
    """Signed-max normalisation (README step 2), per clip."""
    m = x.max(axis=1)
    a = np.abs(x).max(axis=1)
    d = np.where(m > 1e-6, m, a)
    return x / d[:, None]


def cached_split(datadir, work, split):
    """{'wave': float16 [n, 80000] normalised, 'logmel': float16 [n, 431, 80], 'y': int64}."""
    path = os.path.join(work, "cache", f"{split}.pt")
    if os.path.exists(path):
        return torch.load(path)
    folder = os.path.dirname(path)
    if os.path.islink(folder) and not os.path.exists(folder):  # makedirs would say only "File exists"
        raise FileNotFoundError(f"{folder} links to {os.readlink(folder)}, which is not there: create that folder "
                                "or remove the link")
    os.makedirs(folder, exist_ok=True)
    x, y = D.load_split(datadir, split)
    x = normalise_np(x).astype(np.float32)
    fe = LogMel(1024)
    mels = []
    with torch.no_grad():
        for s in range(0, len(x), 64):
            mels.append(fe(torch.from_numpy(x[s:s + 64])).half())
    out = {"wave": torch.from_numpy(x).half(), "logmel": torch.cat(mels), "y": torch.from_numpy(y)}
    save_atomic(out, path)
    return out


def evaluate_classifier(model, mel, y, batch=128):
    model.eval()
    probs = []
    with torch.no_grad():
        for s in range(0, len(mel), batch):
            probs.append(F.softmax(model(mel[s:s + batch].float())[0], dim=1))
    p = torch.cat(probs)
    pred = p.argmax(1)
    return {"accuracy": float((pred == y).float().mean()), "mean_pc": float(p.max(1).values.mean())}


def state_is_fresh(work, stage):
    """True when `stage` has no checkpoint in `work` yet (a run starts rather than resumes)."""
    return not os.path.exists(os.path.join(work, "ckpt", f"{stage}.pt"))


def warm_start(model, init_dir, stage, work):
    """Loads the weights (not the optimiser) of `init_dir/<stage>.pt` into a fresh stage's model;
    True if it did. The next recipe fine-tunes the shipped checkpoints this way."""
    path = os.path.join(init_dir, f"{stage}.pt") if init_dir else None
    if not path or not state_is_fresh(work, stage):
        return False
    model.load_state_dict(torch.load(path)["model"])
    log(work, f"{stage}: starts from the weights of {path}")
    return True


def train_classifier(datadir, work, epochs=12, minutes=9.0, batch=32, lr=2e-3, smoothing=0.1, seed=1, init=None,
                     augment=Augment()):
    """CNN14 (1/8 width) with label smoothing, SpecAugment, time shifts and, with `eq_share`, a random EQ
    on that share of the examples (off by default: the shipped model was trained without); resumable per epoch.
    With `init` (a folder of stage checkpoints) a fresh run starts from that classifier's weights
    at half the learning rate."""
    torch.manual_seed(seed)
    ck = os.path.join(work, "ckpt", "classifier.pt")
    os.makedirs(os.path.dirname(ck), exist_ok=True)
    tr, va = cached_split(datadir, work, "train"), cached_split(datadir, work, "val")
    size = Cnn14Size(channels=CLASSIFIER_CHANNELS, classes=len(D.CLASSES))
    model = Classifier(size)
    warm = warm_start(model, init, "classifier", work)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    fresh = {"epoch": 0, "history": [], "seconds": 0.0, "warm": warm, **augment.to_dict(),
             "init": os.path.abspath(init) if warm else None}
    state = resume(ck, model, opt, fresh, work, "classifier", "epoch", init=init)
    kept = Augment.from_state(state, augment)  # a resumed run keeps the augmentations it started with
    if kept != augment:
        log(work, f"classifier: keeps the augmentations {kept.to_dict()} of the run it resumes")
    augment = kept
    state.update(augment.to_dict())
    lr = lr / 2 if state.get("warm") else lr
    n = len(tr["y"])
    steps_per_epoch = math.ceil(n / batch)
    total = epochs * steps_per_epoch
    t_start = time.time()
    while state["epoch"] < epochs:
        if time.time() - t_start > minutes * 60:
            log(work, "classifier: time budget of this chunk spent; run again to continue")
            return False
        t0 = time.time()
        ep = state["epoch"]
        gen = torch.Generator().manual_seed(seed * 1000 + ep)
        perm = torch.randperm(n, generator=gen)
        model.train()
        tot, cnt = 0.0, 0
        for k in range(steps_per_epoch):
            step = ep * steps_per_epoch + k
            cur = lr * min(1.0, (step + 1) / 100) * 0.5 * (1 + math.cos(math.pi * step / total))
            for g in opt.param_groups:
                g["lr"] = cur
            idx = perm[k * batch:(k + 1) * batch]
            m = tr["logmel"][idx].float()
            shift = int(torch.randint(0, 431, (1,), generator=gen))
            m = torch.roll(m, shift, dims=1) if torch.rand(1, generator=gen) < 0.5 else m
            m, y_a, y_b, lam = augment.apply(m, tr["y"][idx], gen)
            loss = mixed_cross_entropy(model(m)[0], y_a, y_b, lam, smoothing)
            opt.zero_grad()
            loss.backward()
            opt.step()
            tot += float(loss) * len(idx)
            cnt += len(idx)
        ev = evaluate_classifier(model, va["logmel"], va["y"])
        state["epoch"] = ep + 1
        state["seconds"] += time.time() - t0
        state["history"].append({"epoch": ep + 1, "loss": tot / cnt, **ev, "seconds": time.time() - t0})
        log(work, f"classifier epoch {ep + 1}/{epochs}: loss {tot / cnt:.3f} val acc {ev['accuracy']:.3f} "
                  f"mean p_c {ev['mean_pc']:.3f} ({time.time() - t0:.0f} s)")
        save_atomic({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                     "size": size.to_dict()}, ck)
    return True


def load_classifier(work):
    return load_classifier_file(os.path.join(work, "ckpt", "classifier.pt"))


def load_classifier_file(path):
    """The frozen classifier of a stage checkpoint (or of a weight-only copy in models/checkpoints)."""
    c = torch.load(path)
    model = Classifier(Cnn14Size.from_dict(c["size"]))
    model.load_state_dict(c["model"])
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)
    return model, c
