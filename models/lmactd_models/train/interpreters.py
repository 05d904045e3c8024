"""Training of the two interpreters against the frozen classifier (spec section 5).

LMAC-TD: 5 CE(f(i), y) - 0.2 min(CE(f(i_out), y), B) + 6 mean|log1p |STFT(i)||
L-MAC:   4 CE(f(masked-in), y) - 0.2 min(CE(f(masked-out), y), B) + 0.4 mean|M|
with y the classifier's own decision on the input. B = ln(classes) bounds the masked-out term
(the spec's loss is unbounded below in it; the bound stops the optimiser from chasing ever
more confident wrong classes on i_out once i_out carries no evidence of y).

CPU-budget choices (written down in MODEL_CARD.md):
- the encoder/decoder pair starts as a perfect-reconstruction pair (+/- copies of orthonormal
  16-sample bases, decoder = scaled transpose) and is frozen by default, so that i = Dec(Enc(x) M)
  can only get quieter through the mask: the regulariser then has to be paid by a selective mask,
  not by shrinking the decoder;
- small Hd and MaskNet, MaskNet chunk 160 instead of 250, Adam with warm-up and cosine decay at
  a higher learning rate than the spec's 2e-4;
- a curriculum: the dataset's clips first, then more and more of the paper's mixtures
  0.8 s/||s|| + 0.2 n/||n|| of two training clips of different classes.
"""
from __future__ import annotations

import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from .. import data as D
from ..frontend import LogMel, magnitude, stft
from ..modules.lmac import Psi
from ..modules.lmactd import LmacTd
from ..sizes import LmacSize, LmacTdSize
from .loop import cached_split, load_classifier, log, resume, save_atomic, state_is_fresh, warm_start

N_ENC = 64
LOG_EVERY = 10


def lmactd_size(rep_channels):
    return LmacTdSize(rep_channels=tuple(rep_channels), n_enc=N_ENC, hd_channels=(16, 16, 8, 8, 4),
                      d_model=16, blocks=1, intra_layers=1, inter_layers=1, intra_heads=1,
                      inter_heads=1, d_ffn=32, chunk=160, alpha=0.75)


def lmac_size(rep_channels):
    return LmacSize(rep_channels=tuple(rep_channels), psi_channels=(32, 32, 16, 8, 4))


def rep_channels_of(clf):
    c = clf.size.channels
    return (c[5], c[4], c[3], c[2])


def perfect_reconstruction_init(model, seed=7):
    """Encoder rows: +b and -b for the rows b of n/32 orthonormal 16x16 bases (DCT-II first,
    then seeded random rotations); decoder: the same rows, divided by 2 x (bases) so that
    Dec(Enc(x)) = x away from the first and last 8 samples (two frames overlap each sample)."""
    k = model.size.kernel
    n = model.size.n_enc
    nb = n // (2 * k)
    assert nb * 2 * k == n and model.size.stride * 2 == k
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(k, dtype=torch.float64)
    dct = torch.stack([torch.cos(math.pi * (t + 0.5) * j / k) for j in range(k)])
    dct = dct / dct.norm(dim=1, keepdim=True)
    bases = [dct]
    for _ in range(nb - 1):
        q, _ = torch.linalg.qr(torch.randn(k, k, generator=g, dtype=torch.float64))
        bases.append(q.T)
    rows = torch.cat([torch.cat([b, -b]) for b in bases]).float()      # [n, k]
    with torch.no_grad():
        model.encoder.conv1d.weight.copy_(rows.unsqueeze(1))
        model.decoder.weight.copy_((rows / (2.0 * nb)).unsqueeze(1))


def paper_mix_t(s, n, ws=0.8):
    """ws s/||s|| + (1 - ws) n/||n||, then /max: the paper's mixing at ws = 0.8, equal level at 0.5."""
    m = ws * s / (s.norm(dim=1, keepdim=True) + 1e-9) + (1 - ws) * n / (n.norm(dim=1, keepdim=True) + 1e-9)
    return m / (m.max(dim=1, keepdim=True).values.clamp_min(1e-6))


def batch_for_step(tr, step, steps, batch, gen, warm=False, equal_share=0.0):
    """Curriculum: the share of mixtures grows from 0 to 0.5 over the first half (0.5 from the
    start for a warm start); a mixture is at equal level with probability `equal_share`, else
    at the paper's 0.8/0.2 (which alone does not teach separation at equal level)."""
    n = len(tr["y"])
    idx = torch.randint(0, n, (batch,), generator=gen)
    x = tr["wave"][idx].float()
    p_mix = 0.5 if warm else min(0.5, step / max(1, steps))
    for b in range(batch):
        if torch.rand(1, generator=gen) < p_mix:
            for _ in range(10):
                j = int(torch.randint(0, n, (1,), generator=gen))
                if tr["y"][j] != tr["y"][idx[b]]:
                    break
            ws = 0.5 if torch.rand(1, generator=gen) < equal_share else 0.8
            x[b] = paper_mix_t(x[b:b + 1], tr["wave"][j:j + 1].float(), ws)[0]
    return x


FAST_LR_SCALE = 10.0


def _bounded(ce, bound):
    return torch.clamp(ce, max=bound)


def _objective(logits, y, bound, w_in, reg, w_reg, mask):
    """Spec section 5: w_in CE(f(in), y) - 0.2 CE(f(out), y) (bounded) + w_reg reg; logits stack in, then out."""
    b = len(y)
    ce_in = F.cross_entropy(logits[:b], y)
    ce_out = F.cross_entropy(logits[b:], y, reduction="none")
    loss = w_in * ce_in - 0.2 * _bounded(ce_out, bound).mean() + w_reg * reg
    with torch.no_grad():
        p = F.softmax(logits, 1)
        stats = {"loss": float(loss), "ce_in": float(ce_in), "ce_out": float(ce_out.mean()), "reg": float(reg),
                 "fid_in": float((p[:b].argmax(1) == y).float().mean()),
                 "fid_out": float((p[b:].argmax(1) == y).float().mean()),
                 "m_mean": float(mask.mean()), "m_std": float(mask.std(dim=(1, 2)).mean())}
    return loss, stats


def lmactd_loss(clf, fe, x, y, model, bound):
    with torch.no_grad():
        reps = clf(fe(x))[1:]
    expl, out, mask = model(x, *reps)
    logits = clf(fe(torch.cat([expl, out])))[0]
    reg = torch.log1p(magnitude(stft(expl, 1024))).mean()
    return _objective(logits, y, bound, 5, reg, 6, mask)


def lmac_masked(fe, x, mask):
    """L-MAC's masked-in / masked-out log-mels (README step 7: mask extended with zeros)."""
    mag = magnitude(stft(x, 1024))                                   # [B, 431, 513]
    lx = torch.log1p(mag)
    m = F.pad(mask, (0, 0, 0, mag.shape[1] - mask.shape[1]))
    return fe.from_magnitude(torch.expm1(m * lx)), fe.from_magnitude(torch.expm1((1 - m) * lx))


def lmac_loss(clf, fe, x, y, model, bound):
    with torch.no_grad():
        mel = fe(x)
        reps = clf(mel)[1:]
    mask = model(*reps)
    m_in, m_out = lmac_masked(fe, x, mask)
    logits = clf(torch.cat([m_in, m_out]))[0]
    return _objective(logits, y, bound, 4, mask.abs().mean(), 0.4, mask)


def _train(kind, datadir, work, steps, minutes, batch, lr, warmup, seed=3, freeze_encdec=True, init=None,
           equal_share=0.0):
    torch.manual_seed(seed)
    clf, _ = load_classifier(work)
    fe = LogMel(1024)
    reps_ch = rep_channels_of(clf)
    if kind == "lmac-td":
        model = LmacTd(lmactd_size(reps_ch))
        perfect_reconstruction_init(model)
        if freeze_encdec:
            for p in list(model.encoder.parameters()) + list(model.decoder.parameters()):
                p.requires_grad_(False)
        loss_fn = lmactd_loss
    else:
        model = Psi(lmac_size(reps_ch))
        loss_fn = lmac_loss
    params = [p for p in model.parameters() if p.requires_grad]
    # Adam moves each weight by about lr a step, so the last layer before the mask's sigmoid
    # would need ~1/lr steps to make the mask leave 0.5 (the pilot's stuck mask): it starts 3x
    # larger and learns 10x faster than the rest.
    fast = list(model.masknet.end_conv1x1.parameters()) if kind == "lmac-td" else []
    warm = warm_start(model, init, kind, work)
    if kind == "lmac-td" and state_is_fresh(work, kind) and not warm:
        with torch.no_grad():
            model.masknet.end_conv1x1.weight.mul_(3.0)
    slow = [p for p in params if all(p is not f for f in fast)]
    groups = [{"params": slow, "scale": 1.0}] + ([{"params": fast, "scale": FAST_LR_SCALE}] if fast else [])
    opt = torch.optim.Adam(groups, lr=lr, weight_decay=2e-6)
    ck = os.path.join(work, "ckpt", f"{kind}.pt")
    state = resume(ck, model, opt, {"step": 0, "seconds": 0.0, "history": [], "warm": warm, "equal_share": equal_share,
                                    "init": os.path.abspath(init) if warm else None}, work, kind, "step", init=init)
    warm, equal_share = state.get("warm", False), state.get("equal_share", 0.0)
    tr = cached_split(datadir, work, "train")
    bound = math.log(len(D.CLASSES))
    t_start = time.time()
    acc, nacc = {}, 0
    model.train()
    while state["step"] < steps:
        stop = os.path.join(work, f"STOP-{kind}")
        if time.time() - t_start > minutes * 60 or os.path.exists(stop):
            save_atomic({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                         "size": model.size.to_dict()}, ck)
            log(work, f"{kind}: stopped at step {state['step']} (time budget or {stop}); run again to continue")
            return False
        t0 = time.time()
        step = state["step"]
        gen = torch.Generator().manual_seed(seed * 100_003 + step)
        cur = lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / steps)))
        for g in opt.param_groups:
            g["lr"] = cur * g.get("scale", 1.0)
        x = batch_for_step(tr, step, steps, batch, gen, warm, equal_share)
        with torch.no_grad():
            y = clf(fe(x))[0].argmax(1)
        loss, st = loss_fn(clf, fe, x, y, model, bound)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        state["step"] = step + 1
        state["seconds"] += time.time() - t0
        for k, v in st.items():
            acc[k] = acc.get(k, 0.0) + v
        nacc += 1
        if state["step"] % LOG_EVERY == 0 or state["step"] == steps:
            avg = {k: v / nacc for k, v in acc.items()}
            state["history"].append({"step": state["step"], **avg})
            log(work, f"{kind} step {state['step']}/{steps} lr {cur:.2e} " +
                " ".join(f"{k} {v:.3f}" for k, v in avg.items()) + f" ({time.time() - t0:.1f} s/step)")
            acc, nacc = {}, 0
        if state["step"] % 10 == 0 or state["step"] == steps:
            save_atomic({"model": model.state_dict(), "opt": opt.state_dict(), "state": state,
                         "size": model.size.to_dict()}, ck)
    return True


def train_lmactd(datadir, work, steps=1500, minutes=9.0, batch=4, lr=1e-3, init=None, equal_share=0.0):
    return _train("lmac-td", datadir, work, steps, minutes, batch, lr, warmup=20, init=init, equal_share=equal_share)


def train_lmac(datadir, work, steps=1500, minutes=9.0, batch=6, lr=1e-3, init=None, equal_share=0.0):
    return _train("lmac", datadir, work, steps, minutes, batch, lr, warmup=20, init=init, equal_share=equal_share)


def load_interpreter(work, kind):
    c = torch.load(os.path.join(work, "ckpt", f"{kind}.pt"))
    if kind == "lmac-td":
        m = LmacTd(LmacTdSize.from_dict(c["size"]))
    else:
        m = Psi(LmacSize.from_dict(c["size"]))
    m.load_state_dict(c["model"])
    m.eval()
    return m, c
